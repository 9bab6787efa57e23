//! `wasi:random`: `random` (the secure source, the OS's by default),
//! `insecure` (a fast seeded generator) and `insecure-seed`. A guest's
//! request for bytes is bounded by the context's `max_random_size`.

use wit_host::Result;

use crate::p2::bindings::wasi::random::{insecure, insecure_seed, random};
use crate::view::WasiCtxView;

impl random::Host for WasiCtxView<'_> {
    fn get_random_bytes(&mut self, len: u64) -> Result<Vec<u8>> {
        self.ctx.limits.check_random(len)?;
        let mut bytes = vec![0; len as usize];
        self.ctx.secure_random.fill_bytes(&mut bytes);
        Ok(bytes)
    }

    fn get_random_u64(&mut self) -> Result<u64> {
        Ok(self.ctx.secure_random.next_u64())
    }
}

impl insecure::Host for WasiCtxView<'_> {
    fn get_insecure_random_bytes(&mut self, len: u64) -> Result<Vec<u8>> {
        self.ctx.limits.check_random(len)?;
        let mut bytes = vec![0; len as usize];
        self.ctx.insecure_random.fill_bytes(&mut bytes);
        Ok(bytes)
    }

    fn get_insecure_random_u64(&mut self) -> Result<u64> {
        Ok(self.ctx.insecure_random.next_u64())
    }
}

impl insecure_seed::Host for WasiCtxView<'_> {
    fn insecure_seed(&mut self) -> Result<(u64, u64)> {
        let seed = self.ctx.insecure_random_seed;
        Ok(((seed >> 64) as u64, seed as u64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{InsecureRandom, WasiCtx};
    use insecure::Host as _;
    use insecure_seed::Host as _;
    use random::Host as _;
    use wit_host::ResourceTable;

    #[test]
    fn random_bytes_beyond_the_limit_trap() {
        let mut ctx = WasiCtx::builder().max_random_size(16).build();
        let mut table = ResourceTable::new();
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        assert_eq!(view.get_random_bytes(16).unwrap().len(), 16);
        let err = view.get_random_bytes(u64::MAX).unwrap_err();
        assert!(err.to_string().contains("max_random_size"), "{err}");
        let err = view.get_insecure_random_bytes(17).unwrap_err();
        assert!(err.to_string().contains("max_random_size"), "{err}");
    }

    #[test]
    fn insecure_sources_are_injectable_for_deterministic_tests() {
        let build = || {
            WasiCtx::builder()
                .insecure_random(InsecureRandom::from_seed(9))
                .insecure_random_seed(0x0102_0304_0506_0708_090a_0b0c_0d0e_0f10)
                .build()
        };
        let (mut a, mut b) = (build(), build());
        let mut table = ResourceTable::new();
        let x = WasiCtxView {
            ctx: &mut a,
            table: &mut table,
        }
        .get_insecure_random_bytes(32);
        let y = WasiCtxView {
            ctx: &mut b,
            table: &mut table,
        }
        .get_insecure_random_bytes(32);
        assert_eq!(x.unwrap(), y.unwrap());
        let seed = WasiCtxView {
            ctx: &mut a,
            table: &mut table,
        }
        .insecure_seed()
        .unwrap();
        assert_eq!(seed, (0x0102_0304_0506_0708, 0x090a_0b0c_0d0e_0f10));
    }
}
