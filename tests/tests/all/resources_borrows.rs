//! Borrow rules (CanonicalABI.md, "borrow" handles and `num_borrows`), with
//! the host `logger` and the logger guest: a borrow lasts exactly one call.
//! The guest must drop every borrow it receives before returning, cannot
//! drop one twice or give it away as an `own`, and cannot give away an
//! `own` handle while it is lent; the host cannot keep a borrow past the
//! call that lent it.

use crate::common::*;
use crate::resources_common::*;
use wit_host::{Resource, ResourceAny, Store, Val};

/// A logger owned by the host, as a `ResourceAny`.
fn host_logger(store: &mut Store<Host>, prefix: &str) -> ResourceAny {
    let logger = store
        .data_mut()
        .table
        .push(Logger {
            prefix: prefix.into(),
            lines: Vec::new(),
        })
        .unwrap();
    logger.try_into_resource_any(store).unwrap()
}

/// A guest that returns without dropping a borrowed handle traps.
#[test]
fn a_guest_that_keeps_a_borrow_traps() {
    let (mut store, instance) = logger_instance();
    let logger = host_logger(&mut store, "host");
    let err = call_err(
        &mut store,
        &instance,
        "leak-borrow",
        &[Val::Resource(logger)],
    );
    assert_contains_all(
        &err,
        &["borrow handles still remain at the end of the call"],
    );
}

/// The host still owns a logger whose borrow the guest failed to drop.
#[test]
fn a_leaked_borrow_does_not_take_the_lenders_logger() {
    let (mut store, instance) = logger_instance();
    let logger = host_logger(&mut store, "host");
    call_err(
        &mut store,
        &instance,
        "leak-borrow",
        &[Val::Resource(logger.clone())],
    );
    let back = Resource::<Logger>::try_from_resource_any(logger, &mut store).unwrap();
    assert!(back.owned());
    assert_eq!(store.data().table.get(&back).unwrap().prefix, "host");
}

/// Dropping a borrowed handle twice traps at the second drop: the handle
/// is gone after the first.
#[test]
fn dropping_a_borrow_twice_traps() {
    let (mut store, instance) = logger_instance();
    let logger = host_logger(&mut store, "host");
    let err = call_err(
        &mut store,
        &instance,
        "drop-twice",
        &[Val::Resource(logger)],
    );
    assert_contains_all(&err, &["unknown handle index 1"]);
}

/// Dropping a borrow does not run the destructor: the lender still owns
/// the resource.
#[test]
fn dropping_a_borrow_does_not_run_the_destructor() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    let given = resource(&call1(&mut store, &instance, "give", &[s("b")]));
    call1(
        &mut store,
        &instance,
        "borrow-index",
        &[Val::Resource(given.clone())],
    );
    assert_eq!(store.data().events, events(&["new a", "new b"]));
    given.resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events.last().unwrap(), "drop b");
}

/// A borrowed handle passed where the callee takes `own<logger>` traps.
#[test]
fn a_borrow_cannot_be_given_away_as_own() {
    let (mut store, instance) = logger_instance();
    let logger = host_logger(&mut store, "host");
    let err = call_err(
        &mut store,
        &instance,
        "take-borrowed",
        &[Val::Resource(logger)],
    );
    assert_contains_all(
        &err,
        &[
            "handle index 1",
            "is a borrow where an own handle is required",
        ],
    );
}

/// Lending an owned handle and giving it away in the same call traps: an
/// `own` cannot leave while it is lent.
#[test]
fn an_own_handle_cannot_be_given_away_while_lent() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    let err = call_err(&mut store, &instance, "absorb", &[Val::U32(1), Val::U32(1)]);
    assert_contains_all(&err, &["cannot remove owned resource while borrowed"]);
    assert!(
        !store.data().events.iter().any(|e| e.starts_with("absorb")),
        "the host function must not run: {:?}",
        store.data().events
    );
}

/// The lend ends with the call: afterwards the guest can give the handle
/// away or drop it.
#[test]
fn a_lent_handle_is_released_when_the_call_returns() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call1(&mut store, &instance, "log", &[Val::U32(1), s("lent")]);
    assert_eq!(
        call1(&mut store, &instance, "take", &[Val::U32(1)]),
        Val::U32(1)
    );
    assert_eq!(store.data().events.last().unwrap(), "take a");
}

/// A borrow the host received from the guest (here, kept by the host's
/// `stash`) is invalid once the call returns: converting it is an error.
#[test]
fn a_borrow_kept_by_the_host_is_invalid_after_the_call() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call(&mut store, &instance, "stash", &[Val::U32(1)]).unwrap();
    let stashed = store.data_mut().stashed.take().expect("stash ran");
    assert!(!stashed.owned());
    let err = Resource::<Logger>::try_from_resource_any(stashed, &mut store).unwrap_err();
    assert_contains_all(
        &message(&err),
        &["valid only during the call that received it"],
    );
}

/// A borrow kept past its call cannot be lent to a guest either.
#[test]
fn a_borrow_kept_by_the_host_cannot_be_lent_later() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call(&mut store, &instance, "stash", &[Val::U32(1)]).unwrap();
    let stashed = store.data_mut().stashed.take().expect("stash ran");
    let err = call_err(
        &mut store,
        &instance,
        "log-borrowed",
        &[Val::Resource(stashed), s("late")],
    );
    assert_contains_all(&err, &["valid only during the call that received it"]);
    assert!(!store.data().events.iter().any(|e| e.ends_with("late")));
}

/// The guest's own handle is unaffected by the host's stale borrow: the
/// guest still owns and can use the logger.
#[test]
fn the_lenders_handle_survives_the_end_of_a_borrow() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call(&mut store, &instance, "stash", &[Val::U32(1)]).unwrap();
    assert_eq!(
        call1(&mut store, &instance, "log", &[Val::U32(1), s("mine")]),
        Val::U32(1)
    );
    call(&mut store, &instance, "drop", &[Val::U32(1)]).unwrap();
    assert_eq!(store.data().events.last().unwrap(), "drop a");
}
