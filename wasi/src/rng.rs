//! The random sources a [`WasiCtx`](crate::WasiCtx) draws from: the
//! operating system's for `wasi:random/random`, a fast seeded generator for
//! `wasi:random/insecure`, or the host's own ([`RngCore`]).

pub use rand_core::RngCore;

/// The operating system's secure random source.
#[derive(Clone, Copy, Debug, Default)]
pub struct OsRandom;

impl RngCore for OsRandom {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }

    fn next_u64(&mut self) -> u64 {
        let mut b = [0; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        // The OS source does not fail on the systems wasmtime runs on; if
        // it ever did, handing out predictable bytes as secure ones would
        // be worse than stopping.
        getrandom::fill(dest).expect("the operating system's random source failed");
    }
}

/// xoshiro256** (Blackman and Vigna): fast, statistically good, *not*
/// cryptographic. Seeded with splitmix64, as its authors recommend.
#[derive(Clone, Debug)]
pub struct InsecureRandom {
    s: [u64; 4],
}

impl InsecureRandom {
    /// A generator whose sequence is fixed by `seed`.
    pub fn from_seed(seed: u64) -> InsecureRandom {
        let mut x = seed;
        let mut splitmix = || {
            x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        };
        InsecureRandom {
            s: [splitmix(), splitmix(), splitmix(), splitmix()],
        }
    }

    /// A generator seeded from the operating system.
    pub fn from_os() -> InsecureRandom {
        InsecureRandom::from_seed(OsRandom.next_u64())
    }
}

impl RngCore for InsecureRandom {
    fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for chunk in dest.chunks_mut(8) {
            let bytes = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_fixes_the_sequence() {
        let mut a = InsecureRandom::from_seed(42);
        let mut b = InsecureRandom::from_seed(42);
        let mut c = InsecureRandom::from_seed(43);
        let (x, y, z) = (a.next_u64(), b.next_u64(), c.next_u64());
        assert_eq!(x, y);
        assert_ne!(x, z);
        let mut bytes = [0u8; 13];
        a.fill_bytes(&mut bytes);
        assert!(bytes.iter().any(|b| *b != 0));
    }

    #[test]
    fn os_random_differs_between_draws() {
        assert_ne!(OsRandom.next_u64(), OsRandom.next_u64());
    }
}
