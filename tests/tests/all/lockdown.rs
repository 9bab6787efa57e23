//! Lockdown after a trap (Explainer: an instance that traps is locked
//! down; CanonicalABI.md on traps inside `realloc`): once a call into an
//! instance failed, the instance refuses every entry — exports, its
//! destructors run from host drops — with
//! [`Trap::CannotEnterComponent`](wit_host::Trap::CannotEnterComponent)
//! and a message quoting the first error; the store and fresh instances
//! stay usable. A mistake the host makes before anything in the guest
//! changed (a stale handle among the arguments) leaves the instance alone.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::common::*;
use crate::resources_common::*;
use wit_host::{Linker, Store, Val};

/// Exports `boom` (traps), `ok` (returns 7), `count` (how many times `ok`
/// ran) and `call-host` (calls the root import `h`).
const TRAPPER: &str = r#"(component
  (import "h" (func $h))
  (core func $h' (canon lower (func $h)))
  (core module $M
    (import "" "h" (func $h))
    (global $oks (mut i32) (i32.const 0))
    (func (export "boom") unreachable)
    (func (export "ok") (result i32)
      (global.set $oks (i32.add (global.get $oks) (i32.const 1)))
      (i32.const 7))
    (func (export "count") (result i32) (global.get $oks))
    (func (export "call-host") (call $h)))
  (core instance $m (instantiate $M (with "" (instance (export "h" (func $h'))))))
  (func (export "boom") (canon lift (core func $m "boom")))
  (func (export "ok") (result u32) (canon lift (core func $m "ok")))
  (func (export "count") (result u32) (canon lift (core func $m "count")))
  (func (export "call-host") (canon lift (core func $m "call-host"))))"#;

/// A linker whose `h` does what the store's data says: panic, fail, or
/// nothing.
fn trapper_linker(engine: &wit_host::Engine) -> Linker<&'static str> {
    let mut linker = Linker::new(engine);
    linker
        .root()
        .func_wrap("h", |store, ()| match *store.data() {
            "panic" => panic!("the host function panics"),
            "fail" => Err(wit_host::Error::msg("the host function fails")),
            _ => Ok(()),
        })
        .unwrap();
    linker
}

#[test]
fn a_trapping_guest_locks_its_instance_down_and_a_fresh_one_runs() {
    let engine = engine();
    let mut store = Store::new(&engine, "");
    let linker = trapper_linker(&engine);
    let component = compile(&engine, TRAPPER);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let err = call_error(&mut store, &instance, "boom", &[]);
    assert_trap(&err, wit_host::Trap::UnreachableCodeReached);

    let ok = instance
        .get_typed_func::<(), (u32,)>(&mut store, "ok")
        .unwrap();
    assert_locked_down(ok.call(&mut store, ()), "typed call after the trap");
    let dynamic = instance.get_func(&mut store, "ok").unwrap();
    let mut results = [Val::U32(0)];
    assert_locked_down(
        dynamic.call(&mut store, &[], &mut results),
        "dynamic call after the trap",
    );
    let refusal = message(&ok.call(&mut store, ()).unwrap_err());
    assert_contains_all(&refusal, &["unreachable"]);

    let fresh = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &fresh, "ok", &[]), Val::U32(7));
}

#[test]
fn an_error_from_a_host_import_locks_the_calling_instance() {
    let engine = engine();
    let mut store = Store::new(&engine, "fail");
    let linker = trapper_linker(&engine);
    let instance = linker
        .instantiate(&mut store, &compile(&engine, TRAPPER))
        .unwrap();
    let err = call_error(&mut store, &instance, "call-host", &[]);
    assert_contains_all(&message(&err), &["the host function fails"]);
    let ok = instance
        .get_typed_func::<(), (u32,)>(&mut store, "ok")
        .unwrap();
    assert_locked_down(ok.call(&mut store, ()), "after the import's error");
}

/// A host function that panics unwinds through the guest and the call;
/// a host that catches the panic finds the store consistent: the instance
/// the panic crossed is locked down (not left "running"), and a fresh
/// instance runs, borrows included.
#[test]
fn a_host_panic_caught_by_the_host_leaves_the_store_consistent() {
    let engine = engine();
    let mut store = Store::new(&engine, "panic");
    let linker = trapper_linker(&engine);
    let component = compile(&engine, TRAPPER);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let call_host = instance
        .get_typed_func::<(), ()>(&mut store, "call-host")
        .unwrap();
    let caught = catch_unwind(AssertUnwindSafe(|| call_host.call(&mut store, ())));
    assert!(caught.is_err(), "the panic reaches the host");

    *store.data_mut() = "";
    let ok = instance
        .get_typed_func::<(), (u32,)>(&mut store, "ok")
        .unwrap();
    assert_locked_down(ok.call(&mut store, ()), "after the panic");
    let fresh = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &fresh, "ok", &[]), Val::U32(7));
    call(&mut store, &fresh, "call-host", &[]).unwrap();
}

/// A guest that keeps a borrow past its call traps ("borrow handles still
/// remain"); the borrow is left in its table, so the instance must never
/// run again: a later call that would use the stale borrow — after the
/// host has done what it likes with the logger — is refused.
#[test]
fn a_guest_that_kept_a_borrow_cannot_use_it_later() {
    let (engine, mut store, linker) = host_setup();
    let instance = instantiate(&engine, &mut store, &linker, &logger_guest());
    let logger = store
        .data_mut()
        .table
        .push(Logger {
            prefix: "host".into(),
            lines: Vec::new(),
        })
        .unwrap()
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = call_err(
        &mut store,
        &instance,
        "leak-borrow",
        &[Val::Resource(logger.clone())],
    );
    assert_contains_all(&err, &["borrow handles still remain"]);
    // The stale borrow is handle 1 of the guest's table.
    let log = instance.get_func(&mut store, "log").unwrap();
    let mut results = [Val::U32(0)];
    assert_locked_down(
        log.call(&mut store, &[Val::U32(1), s("stale")], &mut results),
        "a call through the stale borrow",
    );
    assert!(store.data().events.is_empty(), "{:?}", store.data().events);
    logger.resource_drop(&mut store).unwrap();
}

/// `post-return` is part of the call: a trap there locks the instance.
#[test]
fn a_trap_in_post_return_locks_the_instance() {
    let wat = r#"(component
  (core module $M
    (func (export "f") (result i32) (i32.const 1))
    (func (export "pr") (param i32) unreachable)
    (func (export "g") (result i32) (i32.const 2)))
  (core instance $m (instantiate $M))
  (func (export "f") (result u32) (canon lift (core func $m "f") (post-return (core func $m "pr"))))
  (func (export "g") (result u32) (canon lift (core func $m "g"))))"#;
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let f = instance
        .get_typed_func::<(), (u32,)>(&mut store, "f")
        .unwrap();
    assert_trap(
        &f.call(&mut store, ()).unwrap_err(),
        wit_host::Trap::UnreachableCodeReached,
    );
    let g = instance
        .get_typed_func::<(), (u32,)>(&mut store, "g")
        .unwrap();
    assert_locked_down(g.call(&mut store, ()), "after post-return trapped");
}

/// A locked-down instance's destructors do not run either: dropping a
/// resource it defines is refused, and the host keeps the handle.
#[test]
fn a_locked_instance_refuses_to_run_its_destructors() {
    let (engine, mut store, linker) = host_setup();
    let instance = instantiate(&engine, &mut store, &linker, COUNTER_GUEST);
    let counter = resource(&call1(
        &mut store,
        &instance,
        "[constructor]counter",
        &[Val::U32(5)],
    ));
    // An unknown handle index traps in the guest's `resource.rep`.
    let err = call_err(&mut store, &instance, "rep-of", &[Val::U32(77)]);
    assert_contains_all(&err, &["unknown handle index 77"]);
    assert_locked_down(
        counter.clone().resource_drop(&mut store),
        "dropping the locked instance's counter",
    );
    assert!(store.data().events.is_empty(), "{:?}", store.data().events);
    // Still the host's: the same error again, not "already dropped".
    assert_locked_down(counter.resource_drop(&mut store), "dropping it again");
}

/// A stale handle among the arguments is the host's mistake, found before
/// anything in the guest changed: the instance stays usable.
#[test]
fn a_stale_argument_is_the_hosts_mistake_and_locks_nothing() {
    let (engine, mut store, linker) = host_setup();
    let instance = instantiate(&engine, &mut store, &linker, COUNTER_GUEST);
    let counter = call1(
        &mut store,
        &instance,
        "[constructor]counter",
        &[Val::U32(5)],
    );
    resource(&counter).resource_drop(&mut store).unwrap();
    let err = call_err(&mut store, &instance, "[method]counter.get", &[counter]);
    assert_contains_all(&err, &["already dropped"]);
    assert_eq!(
        call1(&mut store, &instance, "[static]counter.made", &[]),
        Val::U32(1)
    );
}
