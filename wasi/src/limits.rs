//! Bounds on the host memory a guest can make the WASI host spend.

use wit_host::{ResourceTable, Result, bail};

/// The limits of one [`WasiCtx`](crate::WasiCtx).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Entries the table may hold before WASI refuses to add one.
    pub max_resources: usize,
    /// Bytes one `get-random-bytes` (or insecure) call may ask for.
    pub max_random_size: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_resources: 100_000,
            max_random_size: 64 << 20,
        }
    }
}

impl Limits {
    /// An error (a trap) if `table` is full by these limits.
    pub fn check_table(&self, table: &ResourceTable) -> Result<()> {
        if table.len() >= self.max_resources {
            bail!(
                "the guest holds {} resources, the most this WASI context allows (WasiCtxBuilder::max_resources)",
                table.len()
            );
        }
        Ok(())
    }

    /// An error (a trap) if `len` random bytes are more than allowed.
    pub fn check_random(&self, len: u64) -> Result<()> {
        if len > self.max_random_size {
            bail!(
                "the guest asked for {len} random bytes, more than the {} this WASI context allows (WasiCtxBuilder::max_random_size)",
                self.max_random_size
            );
        }
        Ok(())
    }
}
