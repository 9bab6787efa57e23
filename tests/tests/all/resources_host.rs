//! Host resources: a `logger` the host implements on a `ResourceTable`
//! (constructor, methods, a static function, a destructor), used by a
//! guest through handles, and passed between host and guest as `own` and
//! `borrow` values in both directions.
//!
//! The guest is `resources_common::logger_guest`: its exports wrap one
//! resource operation each and speak in the guest's handle indices, so the
//! tests can assert the exact indices the guest's handle table hands out.

use crate::common::*;
use crate::resources_common::*;
use wit_host::{Resource, ResourceType, Val};

// ------------------------------------------------------------ guest uses host

/// A guest constructs a logger, calls its method twice and drops it: the
/// host's constructor, method and destructor run in that order.
#[test]
fn a_guest_constructs_uses_and_drops_a_host_logger() {
    let (mut store, instance) = logger_instance();
    assert_eq!(
        call1(&mut store, &instance, "new", &[s("app")]),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &instance, "log", &[Val::U32(1), s("hello")]),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &instance, "log", &[Val::U32(1), s("world")]),
        Val::U32(2)
    );
    call(&mut store, &instance, "drop", &[Val::U32(1)]).unwrap();
    assert_eq!(
        store.data().events,
        events(&["new app", "app: hello", "app: world", "drop app"])
    );
    assert!(store.data().table.is_empty());
}

/// The static function `[static]logger.live` is called without a handle and
/// sees the loggers the guest holds.
#[test]
fn a_static_function_counts_the_live_loggers() {
    let (mut store, instance) = logger_instance();
    assert_eq!(call1(&mut store, &instance, "live", &[]), Val::U32(0));
    call1(&mut store, &instance, "new", &[s("a")]);
    call1(&mut store, &instance, "new", &[s("b")]);
    assert_eq!(call1(&mut store, &instance, "live", &[]), Val::U32(2));
    call(&mut store, &instance, "drop", &[Val::U32(1)]).unwrap();
    assert_eq!(call1(&mut store, &instance, "live", &[]), Val::U32(1));
}

/// Each logger keeps its own state: methods reach the logger their handle
/// names.
#[test]
fn methods_reach_the_logger_their_handle_names() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call1(&mut store, &instance, "new", &[s("b")]);
    call1(&mut store, &instance, "log", &[Val::U32(2), s("to b")]);
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "log",
            &[Val::U32(2), s("to b again")]
        ),
        Val::U32(2)
    );
    assert_eq!(
        call1(&mut store, &instance, "log", &[Val::U32(1), s("to a")]),
        Val::U32(1)
    );
    assert_eq!(
        store.data().events[2..],
        events(&["b: to b", "b: to b again", "a: to a"])
    );
}

/// Handle indices start at 1 and a dropped index is the next one handed
/// out (the spec's free list), while the host's representations are
/// unaffected.
#[test]
fn guest_handle_indices_are_reused_after_drop() {
    let (mut store, instance) = logger_instance();
    assert_eq!(call1(&mut store, &instance, "new", &[s("a")]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "new", &[s("b")]), Val::U32(2));
    assert_eq!(call1(&mut store, &instance, "new", &[s("c")]), Val::U32(3));
    call(&mut store, &instance, "drop", &[Val::U32(2)]).unwrap();
    call(&mut store, &instance, "drop", &[Val::U32(1)]).unwrap();
    assert_eq!(call1(&mut store, &instance, "new", &[s("d")]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "new", &[s("e")]), Val::U32(2));
    assert_eq!(call1(&mut store, &instance, "new", &[s("f")]), Val::U32(4));
    // the reused indices name the new loggers
    call1(&mut store, &instance, "log", &[Val::U32(1), s("x")]);
    call1(&mut store, &instance, "log", &[Val::U32(2), s("y")]);
    assert_eq!(store.data().events[8..], events(&["d: x", "e: y"]));
}

/// Dropping runs the host destructor at once, in the order the guest drops.
#[test]
fn host_destructors_run_in_the_order_the_guest_drops() {
    let (mut store, instance) = logger_instance();
    for prefix in ["a", "b", "c"] {
        call1(&mut store, &instance, "new", &[s(prefix)]);
    }
    store.data_mut().events.clear();
    for h in [2, 3, 1] {
        call(&mut store, &instance, "drop", &[Val::U32(h)]).unwrap();
    }
    assert_eq!(store.data().events, events(&["drop b", "drop c", "drop a"]));
    assert_eq!(store.data().live, 0);
}

/// A host destructor that returns an error traps the guest call that
/// dropped the handle; the error names the resource and keeps the host's
/// message.
#[test]
fn a_failing_host_destructor_traps_the_dropping_call() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("app")]);
    store.data_mut().fail_dtor = Some("disk full".into());
    let err = call_err(&mut store, &instance, "drop", &[Val::U32(1)]);
    assert_contains_all(
        &err,
        &["destructor of resource `logger` failed", "disk full"],
    );
    assert_eq!(store.data().events.last().unwrap(), "dtor failed 0");
}

/// A host function taking `own<logger>` receives the logger: the guest's
/// handle is gone and the destructor does not run (the host consumed it).
#[test]
fn a_host_function_taking_own_consumes_the_guest_handle() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("app")]);
    call1(&mut store, &instance, "log", &[Val::U32(1), s("line")]);
    assert_eq!(
        call1(&mut store, &instance, "take", &[Val::U32(1)]),
        Val::U32(1)
    );
    assert_eq!(
        store.data().events,
        events(&["new app", "app: line", "take app"])
    );
    let err = call_err(&mut store, &instance, "drop", &[Val::U32(1)]);
    assert_contains_all(&err, &["unknown handle index 1"]);
}

/// A method with a `borrow` and an `own` parameter: the borrowed logger
/// absorbs the owned one, which leaves the guest.
#[test]
fn a_method_can_borrow_one_logger_and_consume_another() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("a")]);
    call1(&mut store, &instance, "new", &[s("b")]);
    call1(&mut store, &instance, "log", &[Val::U32(2), s("from b")]);
    assert_eq!(
        call1(&mut store, &instance, "absorb", &[Val::U32(1), Val::U32(2)]),
        Val::U32(1)
    );
    assert_eq!(store.data().events.last().unwrap(), "absorb b into a");
    assert_eq!(call1(&mut store, &instance, "live", &[]), Val::U32(1));
    // handle 1 is still the guest's; handle 2 is gone
    assert_eq!(
        call1(&mut store, &instance, "log", &[Val::U32(1), s("more")]),
        Val::U32(2)
    );
    let err = call_err(&mut store, &instance, "drop", &[Val::U32(2)]);
    assert_contains_all(&err, &["unknown handle index 2"]);
}

/// Using a handle index the guest never received traps, naming the index.
#[test]
fn an_unknown_handle_index_traps() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("app")]);
    let err = call_err(&mut store, &instance, "log", &[Val::U32(5), s("x")]);
    assert_contains_all(&err, &["unknown handle index 5"]);
}

/// Handle index 0 is never valid, even when the table is not empty.
#[test]
fn handle_index_zero_traps() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("app")]);
    let err = call_err(&mut store, &instance, "drop", &[Val::U32(0)]);
    assert_contains_all(&err, &["unknown handle index 0"]);
}

/// A logger handle dropped with the `tag` type's `resource.drop` traps:
/// every handle remembers its resource type.
#[test]
fn a_handle_used_with_another_resource_type_traps() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("app")]);
    let err = call_err(&mut store, &instance, "drop-as-tag", &[Val::U32(1)]);
    assert_contains_all(
        &err,
        &[
            "handle index 1 used with the wrong type",
            "expected host-defined resource but found a different host-defined resource",
        ],
    );
}

// ------------------------------------------------------- host passes to guest

/// The host gives the guest an owned logger (`Val::Resource` as an `own`
/// parameter): the guest gets a handle, can use it, and its drop runs the
/// host destructor.
#[test]
fn the_host_gives_the_guest_an_owned_logger() {
    let (mut store, instance) = logger_instance();
    let logger = store.data_mut().table.push(Logger {
        prefix: "host".into(),
        lines: Vec::new(),
    });
    store.data_mut().live = 1;
    let any = logger.unwrap().try_into_resource_any(&mut store).unwrap();
    assert!(any.owned());
    assert_eq!(
        call1(&mut store, &instance, "keep", &[Val::Resource(any)]),
        Val::U32(1)
    );
    call1(
        &mut store,
        &instance,
        "log",
        &[Val::U32(1), s("from guest")],
    );
    call(&mut store, &instance, "drop", &[Val::U32(1)]).unwrap();
    assert_eq!(
        store.data().events,
        events(&["host: from guest", "drop host"])
    );
}

/// Once given to the guest, the host's `ResourceAny` is spent: using it
/// again is an error, not a second owner.
#[test]
fn an_owned_handle_given_to_the_guest_cannot_be_used_again() {
    let (mut store, instance) = logger_instance();
    let any = store
        .data_mut()
        .table
        .push(Logger::default())
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    call1(&mut store, &instance, "keep", &[Val::Resource(any.clone())]);
    let err = call_err(&mut store, &instance, "keep", &[Val::Resource(any)]);
    assert_contains_all(&err, &["already dropped or moved into a guest"]);
}

/// The host lends a logger it owns (`Val::Resource` as a `borrow`
/// parameter): the guest uses and drops the borrow, and the host still owns
/// the logger afterwards; no destructor runs.
#[test]
fn the_host_lends_an_owned_logger_to_the_guest() {
    let (mut store, instance) = logger_instance();
    let any = store
        .data_mut()
        .table
        .push(Logger {
            prefix: "host".into(),
            lines: Vec::new(),
        })
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let lent = Val::Resource(any.clone());
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "log-borrowed",
            &[lent.clone(), s("one")]
        ),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &instance, "log-borrowed", &[lent, s("two")]),
        Val::U32(2)
    );
    assert_eq!(store.data().events, events(&["host: one", "host: two"]));
    let logger = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert!(logger.owned());
    assert_eq!(
        store.data().table.get(&logger).unwrap().lines,
        ["one", "two"]
    );
}

/// A borrow made by the host (`Resource::new_borrow`) can be lent to the
/// guest like an owned handle.
#[test]
fn the_host_lends_a_borrow_handle_to_the_guest() {
    let (mut store, instance) = logger_instance();
    let logger = store
        .data_mut()
        .table
        .push(Logger {
            prefix: "host".into(),
            lines: Vec::new(),
        })
        .unwrap();
    let borrow = Resource::<Logger>::new_borrow(logger.rep())
        .try_into_resource_any(&mut store)
        .unwrap();
    assert!(!borrow.owned());
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "log-borrowed",
            &[Val::Resource(borrow), s("hi")]
        ),
        Val::U32(1)
    );
    assert_eq!(store.data().events, events(&["host: hi"]));
}

/// A borrow lent by the host gets a fresh handle index in the guest's
/// table, after the guest's own handles; the index is free again after the
/// call.
#[test]
fn a_lent_logger_gets_the_next_free_guest_index() {
    let (mut store, instance) = logger_instance();
    call1(&mut store, &instance, "new", &[s("guest")]);
    let any = store
        .data_mut()
        .table
        .push(Logger::default())
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let lent = Val::Resource(any);
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "borrow-index",
            std::slice::from_ref(&lent)
        ),
        Val::U32(2)
    );
    assert_eq!(
        call1(&mut store, &instance, "borrow-index", &[lent]),
        Val::U32(2)
    );
    assert_eq!(
        call1(&mut store, &instance, "new", &[s("next")]),
        Val::U32(2)
    );
}

/// A borrowed `ResourceAny` cannot be passed where `own<logger>` is
/// expected.
#[test]
fn a_borrowed_host_handle_cannot_be_given_as_own() {
    let (mut store, instance) = logger_instance();
    let logger = store.data_mut().table.push(Logger::default()).unwrap();
    let borrow = Resource::<Logger>::new_borrow(logger.rep())
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = call_err(&mut store, &instance, "keep", &[Val::Resource(borrow)]);
    assert_contains_all(&err, &["borrowed resource handle", "own<"]);
}

/// The guest gives the host an owned logger (`own<logger>` result): the
/// host gets a `ResourceAny` of the logger's host type and turns it back
/// into its `Resource<Logger>`.
#[test]
fn the_guest_gives_the_host_an_owned_logger() {
    let (mut store, instance) = logger_instance();
    let any = resource(&call1(&mut store, &instance, "give", &[s("out")]));
    assert!(any.owned());
    assert_eq!(any.ty(), Some(&ResourceType::host::<Logger>()));
    let logger = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert!(logger.owned());
    assert_eq!(store.data().table.get(&logger).unwrap().prefix, "out");
    assert_eq!(store.data().events, events(&["new out"]));
}

/// Dropping a logger the guest gave back (`ResourceAny::resource_drop`)
/// runs the host destructor defined in the linker.
#[test]
fn dropping_a_logger_the_guest_gave_runs_the_host_destructor() {
    let (mut store, instance) = logger_instance();
    let any = resource(&call1(&mut store, &instance, "give", &[s("out")]));
    any.resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events, events(&["new out", "drop out"]));
    assert!(store.data().table.is_empty());
}

/// A logger handle given to the host leaves the guest's table; its index
/// is reused.
#[test]
fn a_handle_given_to_the_host_frees_its_guest_index() {
    let (mut store, instance) = logger_instance();
    let given = resource(&call1(&mut store, &instance, "give", &[s("out")]));
    assert_eq!(
        call1(&mut store, &instance, "new", &[s("next")]),
        Val::U32(1)
    );
    given.resource_drop(&mut store).unwrap();
}

// ------------------------------------------------------------ type mismatches

/// A `tag` passed where `own<logger>` is expected is an error naming both
/// types, and the tag stays the host's.
#[test]
fn a_host_resource_of_another_type_is_rejected() {
    let (mut store, instance) = logger_instance();
    let tag = store
        .data_mut()
        .table
        .push(Tag(7))
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = call_err(&mut store, &instance, "keep", &[Val::Resource(tag.clone())]);
    assert_contains_all(
        &err,
        &[
            "resource type mismatch: expected `",
            "::Logger`, found `",
            "::Tag`",
        ],
    );
    let tag = Resource::<Tag>::try_from_resource_any(tag, &mut store).unwrap();
    assert_eq!(store.data().table.get(&tag).unwrap().0, 7);
}

/// A `u32` passed where a resource is expected is a type error.
#[test]
fn a_non_resource_value_for_a_resource_parameter_is_rejected() {
    let (mut store, instance) = logger_instance();
    let err = call_err(&mut store, &instance, "keep", &[Val::U32(1)]);
    assert_contains_all(&err, &["type mismatch", "u32"]);
}

/// A resource passed where a `u32` is expected is a type error.
#[test]
fn a_resource_value_for_a_u32_parameter_is_rejected() {
    let (mut store, instance) = logger_instance();
    let any = store
        .data_mut()
        .table
        .push(Logger::default())
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = call_err(&mut store, &instance, "drop", &[Val::Resource(any)]);
    assert_contains_all(&err, &["type mismatch: expected u32, found resource"]);
}

/// A call rejected because of a bad argument has no effect on the guest:
/// the logger lent in an earlier argument leaves no handle behind.
#[test]
fn a_rejected_call_leaves_no_lent_handle_in_the_guest() {
    let (mut store, instance) = logger_instance();
    let any = store
        .data_mut()
        .table
        .push(Logger::default())
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let lent = Val::Resource(any);
    let err = call_err(
        &mut store,
        &instance,
        "log-borrowed",
        &[lent.clone(), Val::U32(3)],
    );
    assert_contains_all(&err, &["type mismatch"]);
    assert_eq!(
        call1(&mut store, &instance, "borrow-index", &[lent]),
        Val::U32(1)
    );
}

/// A call rejected because of a bad argument does not take the owned
/// logger given in an earlier argument: the host still owns it.
#[test]
fn a_rejected_call_does_not_take_an_owned_argument() {
    let (mut store, instance) = logger_instance();
    let logger = store.data_mut().table.push(Logger::default()).unwrap();
    let rep = logger.rep();
    let any = logger.try_into_resource_any(&mut store).unwrap();
    let err = call_err(
        &mut store,
        &instance,
        "keep-with",
        &[Val::Resource(any.clone()), Val::U32(3)],
    );
    assert_contains_all(&err, &["type mismatch"]);
    let back = Resource::<Logger>::try_from_resource_any(any, &mut store).unwrap();
    assert_eq!(back.rep(), rep);
    assert_eq!(
        call1(&mut store, &instance, "new", &[s("next")]),
        Val::U32(1)
    );
}

/// One resource type imported under two names (`(eq ...)`) must be one
/// host type: two different host types are rejected at instantiation.
#[test]
fn one_resource_type_imported_twice_must_be_one_host_type() {
    struct First;
    struct Second;
    let engine = wit_host::Engine::default();
    let component = wit_host::Component::new(
        &engine,
        r#"(component
            (import "a" (type $a (sub resource)))
            (import "b" (type (eq $a))))"#,
    )
    .unwrap();
    let define = |second_is_first: bool| {
        let mut linker = wit_host::Linker::<()>::new(&engine);
        let mut root = linker.root();
        root.resource("a", ResourceType::host::<First>(), |_, _| Ok(()))
            .unwrap();
        let b = if second_is_first {
            ResourceType::host::<First>()
        } else {
            ResourceType::host::<Second>()
        };
        root.resource("b", b, |_, _| Ok(())).unwrap();
        linker
    };
    assert!(define(true).instantiate_pre(&component).is_ok());
    let err = define(false).instantiate_pre(&component).err().unwrap();
    let msg = message(&err);
    assert!(
        msg.contains("`a` and `b` are the same type in the component")
            && msg.contains("different types"),
        "{msg}"
    );
}

/// An interface that `use`s another interface's resource re-exports it as
/// `(type (eq ...))`, as every WASI interface using `pollable` does: the
/// linker defines the resource once, under its own interface, and the
/// component links and instantiates.
#[test]
fn a_resource_used_by_another_interface_needs_one_definition() {
    struct Pollable;
    let engine = wit_host::Engine::default();
    let component = wit_host::Component::new(
        &engine,
        r#"(component $c
            (import "io" (instance $io (export "pollable" (type (sub resource)))))
            (alias export $io "pollable" (type $pollable))
            (import "clock" (instance $clock
                (alias outer $c $pollable (type $p))
                (export "pollable" (type (eq $p)))
                (export "subscribe" (func (result (own $p))))))
            (core func $subscribe (canon lower (func $clock "subscribe")))
            (core func $drop (canon resource.drop $pollable))
            (core module $m
                (import "host" "subscribe" (func $subscribe (result i32)))
                (import "host" "drop" (func $drop (param i32)))
                (func (export "run") (result i32)
                    (local $h i32)
                    (local.set $h (call $subscribe))
                    (call $drop (local.get $h))
                    (local.get $h)))
            (core instance $i (instantiate $m
                (with "host" (instance
                    (export "subscribe" (func $subscribe))
                    (export "drop" (func $drop))))))
            (func (export "run") (result u32) (canon lift (core func $i "run"))))"#,
    )
    .unwrap();
    let mut linker = wit_host::Linker::<u32>::new(&engine);
    linker
        .instance("io")
        .unwrap()
        .resource(
            "pollable",
            ResourceType::host::<Pollable>(),
            |mut store, rep| {
                *store.data_mut() += rep;
                Ok(())
            },
        )
        .unwrap();
    linker
        .instance("clock")
        .unwrap()
        .func_wrap("subscribe", |_store, (): ()| {
            Ok((Resource::<Pollable>::new_own(7),))
        })
        .unwrap();
    let mut store = wit_host::Store::new(&engine, 0u32);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let run = instance
        .get_typed_func::<(), (u32,)>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, ()).unwrap(), (1,));
    // The guest's drop ran the destructor the `io` definition registered.
    assert_eq!(*store.data(), 7);
}
