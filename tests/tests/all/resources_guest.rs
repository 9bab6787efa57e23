//! Guest resources: a `counter` resource a component defines and exports,
//! which the host constructs, calls methods on, passes back as `own` and
//! `borrow` parameters and drops — and the resource types' identity: each
//! instantiation defines new types, and a resource of one type is never
//! accepted as another.
//!
//! The guest is `resources_common::COUNTER_GUEST`; its destructor reports
//! `counter <rep> dropped` to the host, so the tests see exactly when it
//! runs.

use crate::common::*;
use crate::resources_common::*;
use wit_host::{Resource, ResourceType, Val};

/// Constructs a counter starting at `start` through the exported
/// constructor.
fn new_counter(
    store: &mut wit_host::Store<Host>,
    instance: &wit_host::Instance,
    start: u32,
) -> Val {
    call1(store, instance, "[constructor]counter", &[Val::U32(start)])
}

/// The host constructs a counter, calls methods on it through borrows and
/// a static function: the guest sees the representation, not a handle.
#[test]
fn the_host_constructs_and_calls_a_guest_counter() {
    let (mut store, instance) = counter_instance();
    let counter = new_counter(&mut store, &instance, 5);
    let any = resource(&counter);
    assert!(any.owned());
    call(
        &mut store,
        &instance,
        "[method]counter.add",
        &[counter.clone(), Val::U32(3)],
    )
    .unwrap();
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "[method]counter.get",
            std::slice::from_ref(&counter)
        ),
        Val::U32(8)
    );
    assert_eq!(
        call1(&mut store, &instance, "[static]counter.made", &[]),
        Val::U32(1)
    );
    assert!(store.data().events.is_empty(), "no destructor ran");
}

/// `ResourceAny::resource_drop` of an owned guest resource runs the guest's
/// destructor, once, before it returns.
#[test]
fn dropping_a_guest_resource_runs_the_guest_destructor() {
    let (mut store, instance) = counter_instance();
    let counter = resource(&new_counter(&mut store, &instance, 5));
    counter.resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    assert_eq!(call1(&mut store, &instance, "destroyed", &[]), Val::U32(1));
}

/// Destructors run in the order the host drops the resources, each during
/// its own `resource_drop`.
#[test]
fn guest_destructors_run_in_the_order_the_host_drops() {
    let (mut store, instance) = counter_instance();
    let counters: Vec<_> = (0..3)
        .map(|i| resource(&new_counter(&mut store, &instance, i)))
        .collect();
    let [c1, c2, c3] = <[_; 3]>::try_from(counters).unwrap();
    c2.resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events, events(&["counter 2 dropped"]));
    c3.resource_drop(&mut store).unwrap();
    c1.resource_drop(&mut store).unwrap();
    assert_eq!(
        store.data().events,
        events(&[
            "counter 2 dropped",
            "counter 3 dropped",
            "counter 1 dropped"
        ])
    );
}

/// Dropping the same resource twice is an error; the destructor ran once.
#[test]
fn dropping_a_guest_resource_twice_is_an_error() {
    let (mut store, instance) = counter_instance();
    let counter = resource(&new_counter(&mut store, &instance, 5));
    counter.clone().resource_drop(&mut store).unwrap();
    let err = message(&counter.resource_drop(&mut store).unwrap_err());
    assert_contains_all(&err, &["already dropped"]);
    assert_eq!(call1(&mut store, &instance, "destroyed", &[]), Val::U32(1));
}

/// A destructor that traps makes `resource_drop` fail with the trap.
#[test]
fn a_trapping_guest_destructor_fails_the_drop() {
    let (mut store, instance) = counter_instance();
    let forged = resource(&call1(&mut store, &instance, "forge", &[Val::U32(99)]));
    let err = forged.resource_drop(&mut store).unwrap_err();
    assert_trap(&err, wit_host::Trap::UnreachableCodeReached);
    assert!(store.data().events.is_empty());
}

/// An owned counter passed back (`own` parameter) moves into the guest:
/// the guest drops it and the destructor runs during the call; the host's
/// handle is spent.
#[test]
fn an_owned_counter_passed_to_the_guest_is_consumed() {
    let (mut store, instance) = counter_instance();
    let counter = new_counter(&mut store, &instance, 42);
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "consume",
            std::slice::from_ref(&counter)
        ),
        Val::U32(42)
    );
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    let err = message(&resource(&counter).resource_drop(&mut store).unwrap_err());
    assert_contains_all(&err, &["already dropped or moved into a guest"]);
}

/// A counter passed as `own` to its defining guest becomes a handle in the
/// guest's table, with the representation the constructor chose.
#[test]
fn an_owned_counter_becomes_a_handle_in_the_guest_table() {
    let (mut store, instance) = counter_instance();
    new_counter(&mut store, &instance, 1);
    let second = new_counter(&mut store, &instance, 2);
    assert_eq!(
        call1(&mut store, &instance, "adopt", &[second]),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &instance, "rep-of", &[Val::U32(1)]),
        Val::U32(2)
    );
    call(&mut store, &instance, "drop-handle", &[Val::U32(1)]).unwrap();
    assert_eq!(store.data().events, events(&["counter 2 dropped"]));
}

/// A borrowed counter stays the host's: the guest's method reads it, and
/// the host can keep using and finally drop it.
#[test]
fn a_counter_lent_to_the_guest_stays_with_the_host() {
    let (mut store, instance) = counter_instance();
    let counter = new_counter(&mut store, &instance, 7);
    for _ in 0..3 {
        assert_eq!(
            call1(
                &mut store,
                &instance,
                "[method]counter.get",
                std::slice::from_ref(&counter)
            ),
            Val::U32(7)
        );
    }
    assert!(store.data().events.is_empty());
    resource(&counter).resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
}

/// Guest handle indices: 1 first, and a dropped index is reused before a
/// new one is allocated.
#[test]
fn guest_handle_indices_are_reused_after_drop() {
    let (mut store, instance) = counter_instance();
    let new = |store: &mut wit_host::Store<Host>, rep| {
        call1(store, &instance, "new-handle", &[Val::U32(rep)])
    };
    assert_eq!(new(&mut store, 10), Val::U32(1));
    assert_eq!(new(&mut store, 11), Val::U32(2));
    call(&mut store, &instance, "drop-handle", &[Val::U32(1)]).unwrap();
    assert_eq!(new(&mut store, 12), Val::U32(1));
    assert_eq!(new(&mut store, 13), Val::U32(3));
    assert_eq!(
        call1(&mut store, &instance, "rep-of", &[Val::U32(1)]),
        Val::U32(12)
    );
    assert_eq!(store.data().events, events(&["counter 10 dropped"]));
}

/// After a resource is dropped, a copy of its `ResourceAny` does not name
/// the resource that reuses its slot in the host's table.
#[test]
fn a_stale_resource_any_does_not_alias_a_later_resource() {
    let (mut store, instance) = counter_instance();
    let first = new_counter(&mut store, &instance, 1);
    resource(&first).resource_drop(&mut store).unwrap();
    let second = new_counter(&mut store, &instance, 2);
    let err = call_err(&mut store, &instance, "[method]counter.get", &[first]);
    assert_contains_all(&err, &["already dropped"]);
    assert_eq!(
        call1(&mut store, &instance, "[method]counter.get", &[second]),
        Val::U32(2)
    );
}

/// `ResourceAny::ty` is the guest type: equal for two counters of one
/// instance, different from any host type.
#[test]
fn counters_of_one_instance_share_a_resource_type() {
    let (mut store, instance) = counter_instance();
    let a = resource(&new_counter(&mut store, &instance, 1));
    let b = resource(&new_counter(&mut store, &instance, 2));
    let ty = a.ty().expect("a live handle has a type").clone();
    assert_eq!(Some(&ty), b.ty());
    assert_eq!(ty.name(), "counter");
    assert_ne!(ty, ResourceType::host::<Logger>());
    assert!(!ty.is_host::<Logger>());
}

/// Each instantiation of a component defines new resource types: counters
/// from two instances of the same component have different types, and one
/// instance rejects the other's counter.
#[test]
fn two_instances_of_a_component_have_distinct_resource_types() {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, COUNTER_GUEST);
    let first = instantiate_component(&mut store, &linker, &component);
    let second = instantiate_component(&mut store, &linker, &component);
    let a = new_counter(&mut store, &first, 1);
    let b = new_counter(&mut store, &second, 2);
    assert_ne!(resource(&a).ty(), resource(&b).ty());
    let err = call_err(
        &mut store,
        &second,
        "[method]counter.get",
        std::slice::from_ref(&a),
    );
    assert_contains_all(&err, &["resource type mismatch"]);
    // both counters still work with their own instance
    assert_eq!(
        call1(&mut store, &first, "[method]counter.get", &[a]),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &second, "[method]counter.get", &[b]),
        Val::U32(2)
    );
}

/// An owned counter of one instance given to another is rejected, and
/// stays with the host.
#[test]
fn an_owned_counter_of_another_instance_is_rejected() {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, COUNTER_GUEST);
    let first = instantiate_component(&mut store, &linker, &component);
    let second = instantiate_component(&mut store, &linker, &component);
    let a = new_counter(&mut store, &first, 1);
    let err = call_err(&mut store, &second, "consume", std::slice::from_ref(&a));
    assert_contains_all(&err, &["resource type mismatch"]);
    assert_eq!(call1(&mut store, &first, "consume", &[a]), Val::U32(1));
}

/// A host logger passed where the guest expects its counter is an error,
/// not a panic.
#[test]
fn a_host_resource_is_not_a_guest_counter() {
    let (mut store, instance) = counter_instance();
    let logger = store
        .data_mut()
        .table
        .push(Logger::default())
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = call_err(
        &mut store,
        &instance,
        "[method]counter.get",
        &[Val::Resource(logger)],
    );
    assert_contains_all(
        &err,
        &[
            "resource type mismatch: expected `counter`, found `",
            "::Logger`",
        ],
    );
}

/// A guest counter passed where the logger guest expects a logger is an
/// error, not a panic.
#[test]
fn a_guest_counter_is_not_a_host_logger() {
    let (engine, mut store, linker) = host_setup();
    let counters = instantiate_component(&mut store, &linker, &compile(&engine, COUNTER_GUEST));
    let loggers = instantiate_component(&mut store, &linker, &compile(&engine, &logger_guest()));
    let counter = new_counter(&mut store, &counters, 1);
    let err = call_err(&mut store, &loggers, "keep", &[counter]);
    assert_contains_all(
        &err,
        &[
            "resource type mismatch: expected `",
            "::Logger`, found `counter`",
        ],
    );
}

/// A counter from another store is rejected, even by an instance of the
/// same component.
#[test]
fn a_resource_from_another_store_is_rejected() {
    let (mut store_a, instance_a) = counter_instance();
    let (mut store_b, instance_b) = counter_instance();
    let counter = new_counter(&mut store_b, &instance_b, 1);
    let err = call_err(&mut store_a, &instance_a, "[method]counter.get", &[counter]);
    assert_contains_all(&err, &["store it does not belong to"]);
}

/// A guest counter cannot be turned into a host `Resource<T>`; the failed
/// conversion leaves the handle usable.
#[test]
fn a_guest_resource_does_not_convert_to_a_host_resource() {
    let (mut store, instance) = counter_instance();
    let counter = new_counter(&mut store, &instance, 3);
    let err =
        Resource::<Logger>::try_from_resource_any(resource(&counter), &mut store).unwrap_err();
    assert_contains_all(
        &message(&err),
        &[
            "resource of type `counter` cannot be used as `",
            "::Logger`",
        ],
    );
    assert_eq!(
        call1(&mut store, &instance, "[method]counter.get", &[counter]),
        Val::U32(3)
    );
}
