//! Resources through a real guest (`resources.c`, see
//! `tests/guests/resources/`): it exports the resource `counter`
//! (constructor, methods `increment`/`value`/`report`, and a destructor
//! that `destroyed()` counts) with functions taking counters as owned and
//! borrowed handles, and it imports the host resource `logger`, which it
//! creates, calls and drops.
//!
//! The host keeps its loggers in a [`ResourceTable`]; its destructor for
//! `logger` (given to `Linker::resource`) removes them, so a test sees when
//! the guest drops one.

use crate::common::message;
use crate::guests_common::*;
use wit_host::{
    ComponentItem, Instance, Linker, Resource, ResourceAny, ResourceTable, ResourceType, Store, Val,
};

/// The host interface with the `logger` resource.
const HOST_LOG: &str = "test:resources/host-log";
/// The interface the guest exports.
const COUNTERS: &str = "test:resources/counters";

/// The state of one host `logger`.
struct LoggerState {
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
    /// The prefixes of the loggers destroyed, in order.
    destroyed: Vec<String>,
}

/// Instantiates the guest with `logger` implemented by the host.
fn instantiate() -> Option<(Store<Host>, Instance)> {
    let (engine, component) = crate::guests_common::load(RESOURCES)?;
    let mut linker = Linker::<Host>::new(&engine);
    let mut host_log = linker.instance(HOST_LOG).expect("linker instance");
    host_log
        .resource(
            "logger",
            ResourceType::host::<LoggerState>(),
            |mut store, rep| {
                let state = store
                    .data_mut()
                    .table
                    .delete(Resource::<LoggerState>::new_own(rep))?;
                store.data_mut().destroyed.push(state.prefix);
                Ok(())
            },
        )
        .expect("define logger");
    host_log
        .func_new("[constructor]logger", |mut store, _ty, params, results| {
            let [Val::String(prefix)] = params else {
                panic!("[constructor]logger got {params:?}");
            };
            let logger = store.data_mut().table.push(LoggerState {
                prefix: prefix.clone(),
                logged: 0,
            })?;
            results[0] = Val::Resource(logger.try_into_resource_any(&mut store)?);
            Ok(())
        })
        .expect("define [constructor]logger");
    host_log
        .func_new("[method]logger.log", |mut store, _ty, params, results| {
            let [Val::Resource(this), Val::String(msg)] = params else {
                panic!("[method]logger.log got {params:?}");
            };
            let this = Resource::<LoggerState>::try_from_resource_any(this.clone(), &mut store)?;
            let host = store.data_mut();
            let state = host.table.get_mut(&this)?;
            state.logged += 1;
            let (line, logged) = (format!("{}{msg}", state.prefix), state.logged);
            host.lines.push(line);
            results[0] = Val::U32(logged);
            Ok(())
        })
        .expect("define [method]logger.log");
    let mut store = Store::new(&engine, Host::default());
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiating {RESOURCES}: {e:#}"));
    Some((store, instance))
}

/// Calls `counters#<func>` and returns its result (`None` for none).
fn call(store: &mut Store<Host>, instance: &Instance, func: &str, params: &[Val]) -> Option<Val> {
    try_call(store, instance, &format!("{COUNTERS}#{func}"), params)
        .unwrap_or_else(|e| panic!("calling `{func}`: {e:#}"))
}

/// A new counter starting at `start`, owned by the host.
fn new_counter(store: &mut Store<Host>, instance: &Instance, start: i64) -> ResourceAny {
    match call(store, instance, "[constructor]counter", &[Val::S64(start)]) {
        Some(Val::Resource(counter)) => counter,
        other => panic!("the constructor returned {other:?}"),
    }
}

/// How many counters the guest has destroyed.
fn destroyed(store: &mut Store<Host>, instance: &Instance) -> Val {
    call(store, instance, "destroyed", &[]).expect("a result")
}

/// The component shows the host resource `logger` among its imports.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn resources_guest_imports_logger_resource() {
    let Some((_engine, component)) = load(RESOURCES) else {
        return;
    };
    let ty = component.component_type();
    let (_, host_log) = ty
        .imports()
        .find(|(name, _)| *name == HOST_LOG)
        .expect("the guest imports host-log");
    let ComponentItem::Instance(items) = host_log else {
        panic!("host-log is not an instance: {host_log:?}");
    };
    assert!(
        items
            .iter()
            .any(|(name, item)| name == "logger" && matches!(item, ComponentItem::Resource(_))),
        "host-log has no resource `logger`: {items:?}"
    );
}

/// `log-once`: the guest constructs a host logger, calls its method
/// through a borrow, and drops it, which runs the host's destructor.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn guest_creates_uses_and_drops_host_logger() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let logged = call(&mut store, &instance, "log-once", &[s("> "), s("hi")]);
    assert_eq!(logged, Some(Val::U32(1)));
    assert_eq!(store.data().lines, vec!["> hi".to_string()]);
    assert_eq!(store.data().destroyed, vec!["> ".to_string()]);
    assert!(
        store.data().table.is_empty(),
        "the logger is still in the table"
    );
}

/// The exported constructor and methods: `increment` and `value` act on
/// the guest's rep behind the handle.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn counter_constructor_and_methods() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let counter = Val::Resource(new_counter(&mut store, &instance, 5));
    call(
        &mut store,
        &instance,
        "[method]counter.increment",
        &[counter.clone(), Val::S64(10)],
    );
    let value = call(&mut store, &instance, "[method]counter.value", &[counter]);
    assert_eq!(value, Some(Val::S64(15)));
}

/// Two counters passed as borrows to `total`: the host keeps owning them,
/// so they still work after the call and none is destroyed.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn borrowed_counters_stay_with_host() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let a = Val::Resource(new_counter(&mut store, &instance, 40));
    let b = Val::Resource(new_counter(&mut store, &instance, 2));
    let total = call(&mut store, &instance, "total", &[a.clone(), b.clone()]);
    assert_eq!(total, Some(Val::S64(42)));
    assert_eq!(
        call(&mut store, &instance, "[method]counter.value", &[a]),
        Some(Val::S64(40))
    );
    assert_eq!(destroyed(&mut store, &instance), Val::U32(0));
}

/// A counter passed owned to `finish`: the guest drops it, which runs its
/// destructor.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn owned_counter_given_to_guest_is_destroyed() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let counter = Val::Resource(new_counter(&mut store, &instance, -3));
    assert_eq!(
        call(&mut store, &instance, "finish", &[counter]),
        Some(Val::S64(-3))
    );
    assert_eq!(destroyed(&mut store, &instance), Val::U32(1));
}

/// After giving a counter away, the host's handle to it is dead: using it
/// again fails instead of reaching the destroyed rep.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn counter_given_away_cannot_be_used_again() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let counter = Val::Resource(new_counter(&mut store, &instance, 1));
    call(
        &mut store,
        &instance,
        "finish",
        std::slice::from_ref(&counter),
    );
    let again = try_call(
        &mut store,
        &instance,
        &format!("{COUNTERS}#[method]counter.value"),
        &[counter],
    );
    let error = match again {
        Ok(v) => panic!("using a given-away counter succeeded with {v:?}"),
        Err(e) => message(&e),
    };
    assert!(
        error.contains("already dropped or moved"),
        "unexpected error: {error}"
    );
}

/// The host dropping its owned counter runs the guest's destructor.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn host_drop_runs_guest_destructor() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let counter = new_counter(&mut store, &instance, 7);
    assert_eq!(destroyed(&mut store, &instance), Val::U32(0));
    counter.resource_drop(&mut store).expect("drop the counter");
    assert_eq!(destroyed(&mut store, &instance), Val::U32(1));
}

/// A host logger lent to the guest's `report` method: the guest logs
/// through the borrow and gives it back; the host still owns the logger.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn host_logger_lent_to_guest_method() {
    let Some((mut store, instance)) = instantiate() else {
        return;
    };
    let counter = Val::Resource(new_counter(&mut store, &instance, 15));
    let logger = store
        .data_mut()
        .table
        .push(LoggerState {
            prefix: "#".into(),
            logged: 0,
        })
        .expect("push logger");
    let logger = logger
        .try_into_resource_any(&mut store)
        .expect("logger handle");
    let logged = call(
        &mut store,
        &instance,
        "[method]counter.report",
        &[counter, Val::Resource(logger.clone())],
    );
    assert_eq!(logged, Some(Val::U32(1)));
    assert_eq!(store.data().lines, vec!["#value=15".to_string()]);
    let logger = Resource::<LoggerState>::try_from_resource_any(logger, &mut store)
        .expect("the host still owns the logger");
    let state = store
        .data_mut()
        .table
        .delete(logger)
        .expect("delete logger");
    assert_eq!(state.logged, 1);
    assert!(
        store.data().destroyed.is_empty(),
        "the guest destroyed the lent logger"
    );
}
