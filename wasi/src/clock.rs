//! The clocks a [`WasiCtx`](crate::WasiCtx) reads: the system's by default,
//! or the host's own (a fixed clock for deterministic tests).

use std::time::{Duration, Instant, SystemTime};

/// A wall clock: the time of day, as a duration since the Unix epoch.
///
/// ```
/// use std::time::Duration;
/// use wit_host_wasi::HostWallClock;
///
/// /// Always midnight, 1 January 2000.
/// struct Y2k;
/// impl HostWallClock for Y2k {
///     fn resolution(&self) -> Duration { Duration::from_secs(1) }
///     fn now(&self) -> Duration { Duration::from_secs(946_684_800) }
/// }
/// ```
pub trait HostWallClock: Send + Sync {
    /// The clock's resolution.
    fn resolution(&self) -> Duration;
    /// The time since the Unix epoch.
    fn now(&self) -> Duration;
}

/// A monotonic clock, in nanoseconds from an arbitrary start.
pub trait HostMonotonicClock: Send + Sync {
    /// The clock's resolution, in nanoseconds.
    fn resolution(&self) -> u64;
    /// Nanoseconds since the clock's start; never decreases.
    fn now(&self) -> u64;
}

/// The operating system's wall clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemWallClock;

impl HostWallClock for SystemWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }

    fn now(&self) -> Duration {
        // A system clock set before 1970 reads as the epoch.
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
    }
}

/// The operating system's monotonic clock, counted from when it was made.
#[derive(Clone, Copy, Debug)]
pub struct SystemMonotonicClock {
    start: Instant,
}

impl Default for SystemMonotonicClock {
    fn default() -> SystemMonotonicClock {
        SystemMonotonicClock {
            start: Instant::now(),
        }
    }
}

impl HostMonotonicClock for SystemMonotonicClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}
