//! Core exceptions inside components (the exception-handling proposal, with
//! wit-host's `gc` feature): an exception the guest does not catch is the
//! trap [`Trap::UncaughtException`](wit_host::Trap::UncaughtException),
//! never an exception unwinding into another component or back into the
//! guest through the canonical ABI; the instance is locked down and the
//! store stays usable. `tests/wast/exceptions.wast` covers the rest
//! (tags shared between core instances, fused adapters, destructors run by
//! another component, start functions, `realloc` of an export).

use crate::common::*;
use wit_host::{Linker, Store, Trap, Val};

/// Exports `throw` (throws a tag it does not catch) and `ok` (returns 7).
const THROWER: &str = r#"(component
  (core module $M
    (tag $t (param i32))
    (func (export "throw") (throw $t (i32.const 3)))
    (func (export "ok") (result i32) (i32.const 7)))
  (core instance $m (instantiate $M))
  (func (export "throw") (canon lift (core func $m "throw")))
  (func (export "ok") (result u32) (canon lift (core func $m "ok"))))"#;

#[test]
fn an_uncaught_exception_is_a_trap_that_locks_the_instance_down() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let component = compile(&engine, THROWER);
    let linker = Linker::new(&engine);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let err = call_error(&mut store, &instance, "throw", &[]);
    assert_trap(&err, Trap::UncaughtException);
    assert!(
        message(&err).contains("uncaught exception propagated out of component"),
        "{err:?}"
    );
    let ok = instance.get_func(&mut store, "ok").unwrap();
    assert_locked_down(
        ok.call(&mut store, &[], &mut [Val::U32(0)]),
        "call after the exception",
    );
    // The store is fine: a fresh instance runs, and throws again the same way.
    let fresh = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &fresh, "ok", &[]), Val::U32(7));
    let again = call_error(&mut store, &fresh, "throw", &[]);
    assert_trap(&again, Trap::UncaughtException);
}

/// The guest calls the host's `get` (returning a string) inside a
/// `try_table` with `catch_all`; its `realloc` throws while the runtime
/// lowers the result.
const CATCHING_CALLER: &str = r#"(component
  (import "get" (func $get (result string)))
  (core module $Libc
    (memory (export "mem") 1)
    (tag $t)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) (throw $t)))
  (core instance $libc (instantiate $Libc))
  (core func $get (canon lower (func $get)
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "" "get" (func $get (param i32)))
    (func (export "run") (result i32)
      (block $h
        (try_table (catch_all $h) (call $get (i32.const 64)))
        (return (i32.const 0)))
      ;; the exception came back through the host function
      (i32.const 1)))
  (core instance $m (instantiate $M (with "" (instance (export "get" (func $get))))))
  (func (export "run") (result u32) (canon lift (core func $m "run"))))"#;

#[test]
fn an_exception_from_realloc_does_not_unwind_back_through_a_host_import() {
    let engine = engine();
    let mut store = Store::new(&engine, ());
    let component = compile(&engine, CATCHING_CALLER);
    let mut linker = Linker::new(&engine);
    linker
        .root()
        .func_wrap("get", |_, ()| Ok(("a string".to_string(),)))
        .unwrap();
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let err = call_error(&mut store, &instance, "run", &[]);
    assert_trap(&err, Trap::UncaughtException);
}

#[test]
fn call_async_reports_the_same_trap() {
    let engine = engine();
    let component = compile(&engine, THROWER);
    let linker = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let throw = instance.get_func(&mut store, "throw").unwrap();
        let err = throw
            .call_async(&mut store, &[], &mut [])
            .await
            .unwrap_err();
        assert_trap(&err, Trap::UncaughtException);
        let ok = instance.get_func(&mut store, "ok").unwrap();
        assert_locked_down(
            ok.call_async(&mut store, &[], &mut [Val::U32(0)]).await,
            "async call after the exception",
        );
    });
}
