//! `wasi:random` through a C program (`wasi-probe`): `getentropy` draws
//! from the context's secure source (the OS's by default, the host's own
//! when it sets one) and a draw above `max_random_size` traps.

use super::harness::{Case, Exit, Guest, Is, cases};
use wit_host_wasi::{RngCore, WasiCtxBuilder};

/// A "random" source counting bytes up from 0: what the guest prints
/// shows each byte came from it, in order.
struct Counter(u8);

impl RngCore for Counter {
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
        for byte in dest {
            *byte = self.0;
            self.0 = self.0.wrapping_add(1);
        }
    }
}

fn counting(builder: &mut WasiCtxBuilder) {
    builder.secure_random(Counter(0));
}

fn at_most_8_bytes(builder: &mut WasiCtxBuilder) {
    builder.max_random_size(8);
}

cases! { Guest::Probe;
    two_draws_differ: Case {
        args: &["random"],
        stdout: Is("getentropy 16: ok\n\
                    getentropy 16: ok\n\
                    the draws differ: yes\n\
                    getentropy 257 (more than it allows): EIO\n"),
        ..Case::DEFAULT
    },
    the_bytes_come_from_the_hosts_source: Case {
        args: &["random", "hex"],
        configure: Some(counting),
        stdout: Is("getentropy 16: ok\n\
                    getentropy 16: ok\n\
                    first: 000102030405060708090a0b0c0d0e0f\n\
                    second: 101112131415161718191a1b1c1d1e1f\n\
                    getentropy 257 (more than it allows): EIO\n"),
        ..Case::DEFAULT
    },
    a_draw_above_the_limit_traps: Case {
        args: &["random"],
        configure: Some(at_most_8_bytes),
        exit: Exit::Trap(
            "the guest asked for 16 random bytes, more than the 8 this WASI context allows",
        ),
        ..Case::DEFAULT
    },
}
