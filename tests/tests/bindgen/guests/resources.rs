//! The `resources` guest (`tests/guests/resources/resources.c`) through
//! generated bindings: the host's `logger` resource implemented by the
//! generated `HostLogger` trait on a [`ResourceTable`] (mapped to the
//! host's own type with `with`), and the guest's exported `counter` driven
//! through the generated handle type (constructor, methods, borrows, moves,
//! `resource_drop`, `with`), its destructor observed through the guest's
//! `destroyed()`.

use crate::guests_common::{RESOURCES, load};
use wit_host::{HasSelf, Linker, Resource, ResourceTable, Store};

/// The bindings, with the host's `logger` as [`LoggerState`].
mod bindings {
    wit_host::bindgen!({
        path: "guests/resources/world.wit",
        with: { "test:resources/host-log/logger": crate::guests::resources::LoggerState },
    });
}

use bindings::exports::test::resources::counters::{Counter, Guest};

/// The state of one host `logger`.
pub struct LoggerState {
    prefix: String,
    /// How many messages it has logged.
    logged: u32,
}

/// The host's state.
#[derive(Default)]
struct Host {
    /// The live loggers.
    table: ResourceTable,
    /// Every line logged, prefix first.
    lines: Vec<String>,
    /// The prefixes of the loggers dropped, in order.
    dropped: Vec<String>,
}

impl bindings::test::resources::host_log::HostLogger for Host {
    fn new(&mut self, prefix: String) -> Resource<LoggerState> {
        self.table
            .push(LoggerState { prefix, logged: 0 })
            .expect("push a logger")
    }
    fn log(&mut self, self_: Resource<LoggerState>, msg: String) -> u32 {
        assert!(!self_.owned(), "a method receives a borrow");
        let state = self.table.get_mut(&self_).expect("a live logger");
        state.logged += 1;
        self.lines.push(format!("{}{msg}", state.prefix));
        state.logged
    }
    fn drop(&mut self, rep: Resource<LoggerState>) -> wit_host::Result<()> {
        let state = self.table.delete(rep)?;
        self.dropped.push(state.prefix);
        Ok(())
    }
}

impl bindings::test::resources::host_log::Host for Host {}

/// The guest instantiated through the generated world struct.
fn instantiate() -> Option<(Store<Host>, bindings::Resources)> {
    let (engine, component) = load(RESOURCES)?;
    let mut linker = Linker::new(&engine);
    bindings::Resources::add_to_linker::<_, HasSelf<Host>>(&mut linker, |h| h)
        .expect("add the generated imports");
    let mut store = Store::new(&engine, Host::default());
    let r = bindings::Resources::instantiate(&mut store, &component, &linker)
        .unwrap_or_else(|e| panic!("instantiating {RESOURCES}: {e:#}"));
    Some((store, r))
}

/// A new counter starting at `start`, owned by the host.
fn counter(store: &mut Store<Host>, counters: &Guest, start: i64) -> Counter {
    counters
        .counter()
        .call_constructor(store, start)
        .expect("the constructor")
}

/// How many counters the guest has destroyed.
fn destroyed(store: &mut Store<Host>, counters: &Guest) -> u32 {
    counters.call_destroyed(store).expect("destroyed()")
}

/// `log-once`: the guest constructs a host logger (the generated `new`),
/// calls its method through a borrow (`log`) and drops it (`drop`).
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn guest_creates_uses_and_drops_host_logger() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    assert_eq!(counters.call_log_once(&mut store, "> ", "hi ✓").unwrap(), 1);
    assert_eq!(store.data().lines, ["> hi ✓"]);
    assert_eq!(store.data().dropped, ["> "]);
    assert!(store.data().table.is_empty(), "the logger is still there");
}

/// The generated constructor and methods act on the guest's rep behind
/// the handle; `resource_drop` runs the guest's destructor.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn counter_constructor_methods_and_drop() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    let c = counter(&mut store, counters, 5);
    counters
        .counter()
        .call_increment(&mut store, &c, 10)
        .unwrap();
    counters
        .counter()
        .call_increment(&mut store, &c, -20)
        .unwrap();
    assert_eq!(counters.counter().call_value(&mut store, &c).unwrap(), -5);
    assert!(!c.moved());
    assert_eq!(destroyed(&mut store, counters), 0);
    c.resource_drop(&mut store).expect("drop the counter");
    assert_eq!(destroyed(&mut store, counters), 1);
}

/// Two counters lent to `total`: the host keeps them, they still work
/// afterwards, and none is destroyed.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn borrowed_counters_stay_with_host() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    let a = counter(&mut store, counters, i64::MAX - 2);
    let b = counter(&mut store, counters, 2);
    assert_eq!(
        counters.call_total(&mut store, &a, &b).unwrap(),
        i64::MAX,
        "64-bit values through the reps"
    );
    assert_eq!(counters.call_total(&mut store, &b, &b).unwrap(), 4);
    assert_eq!(
        counters.counter().call_value(&mut store, &a).unwrap(),
        i64::MAX - 2
    );
    assert_eq!(destroyed(&mut store, counters), 0);
    a.resource_drop(&mut store).unwrap();
    b.resource_drop(&mut store).unwrap();
    assert_eq!(destroyed(&mut store, counters), 2);
}

/// A counter moved into `finish`: the guest drops it, which runs its
/// destructor, and the host's handle is spent.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn owned_counter_given_to_guest_is_destroyed() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    let c = counter(&mut store, counters, -3);
    assert_eq!(counters.call_finish(&mut store, c).unwrap(), -3);
    assert_eq!(destroyed(&mut store, counters), 1);
}

/// `Counter::with` drops the counter after the closure, running the
/// guest's destructor, and returns the closure's result.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn scoped_counter_is_dropped_afterwards() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    let c = counter(&mut store, counters, 41);
    let value = c
        .with(&mut store, |store, c| {
            counters.counter().call_increment(&mut *store, c, 1)?;
            counters.counter().call_value(&mut *store, c)
        })
        .unwrap();
    assert_eq!(value, 42);
    assert_eq!(destroyed(&mut store, counters), 1);
}

/// A host logger lent to the guest's `report` method: the guest logs
/// through the borrow and gives it back; the host still owns the logger,
/// and its `drop` is not called.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn host_logger_lent_to_guest_method() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    let c = counter(&mut store, counters, -15);
    let logger = store
        .data_mut()
        .table
        .push(LoggerState {
            prefix: "#".into(),
            logged: 0,
        })
        .unwrap();
    for expected in [1, 2] {
        let lent = Resource::new_borrow(logger.rep());
        let logged = counters
            .counter()
            .call_report(&mut store, &c, lent)
            .unwrap();
        assert_eq!(logged, expected);
    }
    assert_eq!(store.data().lines, ["#value=-15", "#value=-15"]);
    assert!(
        store.data().dropped.is_empty(),
        "the host's logger was dropped"
    );
    let state = store.data_mut().table.delete(logger).unwrap();
    assert_eq!(state.logged, 2);
}

/// Many counters made and dropped in one instance: every destructor runs,
/// and the guest's handle table keeps working.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn many_counters_come_and_go() {
    let Some((mut store, r)) = instantiate() else {
        return;
    };
    let counters = r.test_resources_counters();
    for i in 0..200 {
        let c = counter(&mut store, counters, i);
        assert_eq!(counters.counter().call_value(&mut store, &c).unwrap(), i);
        if i % 2 == 0 {
            c.resource_drop(&mut store).unwrap();
        } else {
            assert_eq!(counters.call_finish(&mut store, c).unwrap(), i);
        }
    }
    assert_eq!(destroyed(&mut store, counters), 200);
}
