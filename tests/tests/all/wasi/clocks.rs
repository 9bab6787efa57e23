//! `wasi:clocks` through a C program (`wasi-probe`): the monotonic clock
//! advances and `nanosleep` (a `poll` on a monotonic timer, through the
//! adapter) sleeps at least as long as asked; the wall clock is the
//! system's by default, and the host's own clocks reach the guest exactly.

use std::time::Duration;

use super::harness::{Case, Guest, Is, cases};
use wit_host_wasi::{HostMonotonicClock, HostWallClock, WasiCtxBuilder};

/// A wall clock stopped at 1 700 000 000.25 s after the epoch, with a
/// resolution of 1 ms.
struct FixedWall;

impl HostWallClock for FixedWall {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }

    fn now(&self) -> Duration {
        Duration::new(1_700_000_000, 250_000_000)
    }
}

/// A monotonic clock stopped at 42 ms, with a resolution of 1 µs.
struct FixedMonotonic;

impl HostMonotonicClock for FixedMonotonic {
    fn resolution(&self) -> u64 {
        1_000
    }

    fn now(&self) -> u64 {
        42_000_000
    }
}

fn fixed_clocks(builder: &mut WasiCtxBuilder) {
    builder
        .wall_clock(FixedWall)
        .monotonic_clock(FixedMonotonic);
}

cases! { Guest::Probe;
    monotonic_clock_advances_and_sleep_sleeps: Case {
        args: &["clocks"],
        stdout: Is("monotonic resolution positive: yes\n\
                    monotonic never goes back: yes\n\
                    nanosleep 20ms: ok\n\
                    slept at least 20ms: yes\n\
                    slept less than 10s: yes\n\
                    realtime after 2020: yes\n"),
        ..Case::DEFAULT
    },
    the_hosts_clocks_reach_the_guest: Case {
        args: &["clock-now"],
        configure: Some(fixed_clocks),
        stdout: Is("realtime: 1700000000.250000000\n\
                    realtime resolution: 0.001000000\n\
                    time(): 1700000000\n\
                    monotonic: 42000000\n\
                    monotonic resolution: 0.000001000\n"),
        ..Case::DEFAULT
    },
}
