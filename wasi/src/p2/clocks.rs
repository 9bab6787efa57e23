//! `wasi:clocks`: `wall-clock` and `monotonic-clock`, read from the
//! context's clocks (the system's unless the host gave its own), the
//! monotonic clock's timers as pollables, and the `@unstable` `timezone`
//! (linked only when [`LinkOptions::clocks_timezone`](crate::p2::LinkOptions)
//! asks), which answers UTC: the host's time zone is not the guest's
//! business.

use std::time::{Duration, Instant};

use wit_host::{Resource, Result};

use crate::p2::DynPollable;
use crate::p2::bindings::wasi::clocks::monotonic_clock;
use crate::p2::bindings::wasi::clocks::timezone::{self, TimezoneDisplay};
use crate::p2::bindings::wasi::clocks::wall_clock::{self, Datetime};
use crate::p2::io::poll::Deadline;
use crate::view::WasiCtxView;

fn datetime(d: Duration) -> Datetime {
    Datetime {
        seconds: d.as_secs(),
        nanoseconds: d.subsec_nanos(),
    }
}

impl wall_clock::Host for WasiCtxView<'_> {
    fn now(&mut self) -> Result<Datetime> {
        Ok(datetime(self.ctx.wall_clock.now()))
    }

    fn resolution(&mut self) -> Result<Datetime> {
        Ok(datetime(self.ctx.wall_clock.resolution()))
    }
}

impl WasiCtxView<'_> {
    /// A timer pollable ready `nanos` nanoseconds from now.
    fn timer_in(&mut self, nanos: u64) -> Result<Resource<DynPollable>> {
        // A deadline beyond what `Instant` can hold is never reached.
        let deadline = Instant::now()
            .checked_add(Duration::from_nanos(nanos))
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(100 * 365 * 86_400));
        self.push(DynPollable::new(Deadline(deadline)))
    }
}

impl monotonic_clock::Host for WasiCtxView<'_> {
    fn now(&mut self) -> Result<u64> {
        Ok(self.ctx.monotonic_clock.now())
    }

    fn resolution(&mut self) -> Result<u64> {
        Ok(self.ctx.monotonic_clock.resolution())
    }

    fn subscribe_instant(&mut self, when: u64) -> Result<Resource<DynPollable>> {
        let now = self.ctx.monotonic_clock.now();
        self.timer_in(when.saturating_sub(now))
    }

    fn subscribe_duration(&mut self, when: u64) -> Result<Resource<DynPollable>> {
        self.timer_in(when)
    }
}

impl timezone::Host for WasiCtxView<'_> {
    fn display(&mut self, _when: Datetime) -> Result<TimezoneDisplay> {
        Ok(TimezoneDisplay {
            utc_offset: 0,
            name: "UTC".to_owned(),
            in_daylight_saving_time: false,
        })
    }

    fn utc_offset(&mut self, _when: Datetime) -> Result<i32> {
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::p2::bindings::wasi::clocks::monotonic_clock::Host as _;
    use crate::p2::bindings::wasi::clocks::timezone::Host as _;
    use crate::{HostMonotonicClock, HostWallClock, WasiCtx};
    use wit_host::ResourceTable;

    struct Fixed;
    impl HostWallClock for Fixed {
        fn resolution(&self) -> Duration {
            Duration::from_millis(1)
        }
        fn now(&self) -> Duration {
            Duration::new(946_684_800, 5)
        }
    }
    impl HostMonotonicClock for Fixed {
        fn resolution(&self) -> u64 {
            1000
        }
        fn now(&self) -> u64 {
            42
        }
    }

    #[test]
    fn the_guest_reads_the_clocks_the_host_gave() {
        let mut ctx = WasiCtx::builder()
            .wall_clock(Fixed)
            .monotonic_clock(Fixed)
            .build();
        let mut table = ResourceTable::new();
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let now = wall_clock::Host::now(&mut view).unwrap();
        assert_eq!((now.seconds, now.nanoseconds), (946_684_800, 5));
        assert_eq!(
            wall_clock::Host::resolution(&mut view).unwrap().nanoseconds,
            1_000_000
        );
        assert_eq!(monotonic_clock::Host::now(&mut view).unwrap(), 42);
        assert_eq!(monotonic_clock::Host::resolution(&mut view).unwrap(), 1000);
        // An instant already past is ready at once.
        let past = view.subscribe_instant(41).unwrap();
        let ready = crate::p2::io::poll::poll_list(&mut view, &[Resource::new_borrow(past.rep())]);
        assert_eq!(ready.unwrap(), [0]);
    }

    #[test]
    fn the_time_zone_is_utc() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let when = Datetime {
            seconds: 0,
            nanoseconds: 0,
        };
        assert_eq!(view.utc_offset(when).unwrap(), 0);
        assert_eq!(view.display(when).unwrap().name, "UTC");
    }
}
