//! Guest misbehaviour around the canonical ABI's callbacks into the guest:
//! `realloc` returning an out-of-bounds, just-past-the-end or unaligned
//! pointer (while parameters or an import's results are lowered), and a
//! guest calling an import from inside `realloc` or `post-return`, which
//! the spec forbids ("cannot leave"). Each ends the call with an `Err`
//! saying what the guest did, never a panic or a wrong value.

use crate::common::*;
use wit_host::{Instance, Store, StoreContextMut, Val};

// ---------------------------------------------------------------- misbehaving realloc

/// A guest whose `realloc` returns whatever `set-realloc` stored (or bumps
/// normally while it is 0). `host-string` calls the host's `get` and
/// returns the string's length.
fn bad_realloc() -> (Store<()>, Instance) {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("get", |_store, _ty, _params, results| {
            results[0] = s("from the host");
            Ok(())
        })
        .unwrap();
    let wat = r#"(component
  (import "get" (func $get (result string)))
  (core module $Libc
    (memory (export "mem") 1)
    (global $forced (mut i32) (i32.const 0))
    (global $heap (mut i32) (i32.const 1024))
    (func (export "set-realloc") (param i32) (global.set $forced (local.get 0)))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (if (global.get $forced) (then (return (global.get $forced))))
      (local.set $r (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8))))
      (local.get $r)))
  (core instance $libc (instantiate $Libc))
  (core func $get' (canon lower (func $get) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "host" "get" (func $get (param i32)))
    (import "libc" "mem" (memory 1))
    (func (export "take") (param i32 i32))
    (func (export "host-string") (result i32)
      (call $get (i32.const 64))
      (i32.load (i32.const 68))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "get" (func $get'))))))
  (func (export "set-realloc") (param "r" u32) (canon lift (core func $libc "set-realloc")))
  (func (export "take-string") (param "s" string)
    (canon lift (core func $m "take") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (func (export "take-u32s") (param "l" (list u32))
    (canon lift (core func $m "take") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (func (export "host-string") (result u32)
    (canon lift (core func $m "host-string"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    (store, instance)
}

#[test]
fn well_behaved_realloc_works() {
    let (mut store, instance) = bad_realloc();
    call(&mut store, &instance, "take-string", &[s("fine")]).unwrap();
    call(
        &mut store,
        &instance,
        "take-u32s",
        &[Val::List(vec![Val::U32(1)])],
    )
    .unwrap();
    assert_eq!(
        call1(&mut store, &instance, "host-string", &[]),
        Val::U32(13)
    );
}

#[test]
fn realloc_returning_an_out_of_bounds_pointer_traps() {
    let (mut store, instance) = bad_realloc();
    call(
        &mut store,
        &instance,
        "set-realloc",
        &[Val::U32(0xffff_fff0)],
    )
    .unwrap();
    let err = call_err(&mut store, &instance, "take-string", &[s("hello")]);
    assert_contains_all(
        &err,
        &[
            "realloc return: beyond end of memory",
            "realloc returned pointer 0xfffffff0 for 5 bytes",
        ],
    );
}

#[test]
fn realloc_returning_a_pointer_just_past_the_end_traps() {
    let (mut store, instance) = bad_realloc();
    call(&mut store, &instance, "set-realloc", &[Val::U32(65536 - 4)]).unwrap();
    let err = call_err(
        &mut store,
        &instance,
        "take-u32s",
        &[Val::List(vec![Val::U32(1), Val::U32(2)])],
    );
    assert_contains_all(
        &err,
        &[
            "realloc return: beyond end of memory",
            "realloc returned pointer 0xfffc for 8 bytes",
        ],
    );
}

#[test]
fn realloc_returning_a_misaligned_pointer_traps() {
    let (mut store, instance) = bad_realloc();
    call(&mut store, &instance, "set-realloc", &[Val::U32(1026)]).unwrap();
    let err = call_err(
        &mut store,
        &instance,
        "take-u32s",
        &[Val::List(vec![Val::U32(1)])],
    );
    assert_contains_all(
        &err,
        &[
            "realloc return: result not aligned",
            "realloc returned pointer 0x402, which is not a multiple of the alignment 4",
        ],
    );
}

/// The host's reply to an import is lowered with the guest's realloc too.
#[test]
fn realloc_misbehaving_while_lowering_an_import_result_traps() {
    let (mut store, instance) = bad_realloc();
    call(
        &mut store,
        &instance,
        "set-realloc",
        &[Val::U32(0x7fff_0000)],
    )
    .unwrap();
    let err = call_err(&mut store, &instance, "host-string", &[]);
    assert_contains_all(
        &err,
        &[
            "realloc return: beyond end of memory",
            "realloc returned pointer 0x7fff0000 for 13 bytes",
        ],
    );
}

// ---------------------------------------------------------------- may not leave

/// A guest whose `realloc` and `post-return` call the host's `log` import
/// (which counts its calls) — which the canonical ABI forbids.
fn leaving_guest() -> (Store<u32>, Instance) {
    let (engine, mut store, mut linker) = setup(0u32);
    linker
        .root()
        .func_new("log", |mut store, _ty, _params, _results| {
            *store.data_mut() += 1;
            Ok(())
        })
        .unwrap();
    linker
        .root()
        .func_new("get", |_store, _ty, _params, results| {
            results[0] = s("reply");
            Ok(())
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, LEAVING_GUEST);
    (store, instance)
}

/// The component of [`leaving_guest`].
const LEAVING_GUEST: &str = r#"(component
  (import "log" (func $log (param "x" u32)))
  (import "get" (func $get (result string)))
  (core func $log' (canon lower (func $log)))
  (core module $Libc
    (import "host" "log" (func $log (param i32)))
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (call $log (i32.const 1))
      (local.set $r (global.get $heap))
      (global.set $heap (i32.add (global.get $heap) (i32.and (i32.add (local.get 3) (i32.const 7)) (i32.const -8))))
      (local.get $r)))
  (core instance $libc (instantiate $Libc (with "host" (instance (export "log" (func $log'))))))
  (core func $get' (canon lower (func $get) (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "host" "log" (func $log (param i32)))
    (import "host" "get" (func $get (param i32)))
    (func (export "log-once") (call $log (i32.const 2)))
    (func (export "take") (param i32 i32))
    (func (export "call-get") (call $get (i32.const 64)))
    (func (export "two") (result i32) (i32.const 2))
    (func (export "post") (param i32) (call $log (i32.const 3))))
  (core instance $m (instantiate $M
    (with "host" (instance (export "log" (func $log')) (export "get" (func $get'))))))
  (func (export "log-once") (canon lift (core func $m "log-once")))
  (func (export "take-string") (param "s" string)
    (canon lift (core func $m "take") (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (func (export "call-get") (canon lift (core func $m "call-get")))
  (func (export "two-then-log") (result u32)
    (canon lift (core func $m "two") (post-return (core func $m "post")))))"#;

#[test]
fn calling_an_import_from_ordinary_guest_code_works() {
    let (mut store, instance) = leaving_guest();
    call(&mut store, &instance, "log-once", &[]).unwrap();
    assert_eq!(*store.data(), 1);
}

/// `LiftLowerContext.reallocate` clears `may_leave` around the call.
#[test]
fn calling_an_import_from_realloc_while_params_are_lowered_traps() {
    let (mut store, instance) = leaving_guest();
    let err = call_err(&mut store, &instance, "take-string", &[s("x")]);
    assert_contains_all(
        &err,
        &["cannot leave component instance: the guest called an import while it may not"],
    );
    assert_eq!(*store.data(), 0, "the host function must not run");
}

#[test]
fn calling_an_import_from_realloc_while_an_import_result_is_lowered_traps() {
    let (mut store, instance) = leaving_guest();
    let err = call_err(&mut store, &instance, "call-get", &[]);
    assert_contains_all(
        &err,
        &["cannot leave component instance: the guest called an import while it may not"],
    );
    assert_eq!(*store.data(), 0, "the host function must not run");
}

/// `canon_lift` clears `may_leave` around `post-return`.
#[test]
fn calling_an_import_from_post_return_traps() {
    let (mut store, instance) = leaving_guest();
    let err = call_err(&mut store, &instance, "two-then-log", &[]);
    assert_contains_all(
        &err,
        &["cannot leave component instance: the guest called an import while it may not"],
    );
    assert_eq!(*store.data(), 0, "the host function must not run");
}

/// The store knows when no instance's flag is cleared and then skips the
/// per-instance check (`store::may_leave`): the flags of several instances
/// of one store, through typed host functions, are each still checked
/// while cleared, and calls out work again once they are set.
#[test]
fn typed_imports_see_each_instances_may_leave_flag_in_a_shared_store() {
    let (engine, mut store, mut linker) = setup(0u32);
    linker
        .root()
        .func_wrap(
            "log",
            |mut store: StoreContextMut<'_, u32>, (_,): (u32,)| {
                *store.data_mut() += 1;
                Ok(())
            },
        )
        .unwrap();
    linker
        .root()
        .func_wrap("get", |_store: StoreContextMut<'_, u32>, (): ()| {
            Ok(("reply".to_string(),))
        })
        .unwrap();
    let first = instantiate(&engine, &mut store, &linker, LEAVING_GUEST);
    let second = instantiate(&engine, &mut store, &linker, LEAVING_GUEST);
    let cannot_leave =
        "cannot leave component instance: the guest called an import while it may not";

    // The first instance's `realloc` calls out while its flag is cleared.
    let err = call_err(&mut store, &first, "take-string", &[s("x")]);
    assert_contains_all(&err, &[cannot_leave]);
    assert_eq!(*store.data(), 0, "the host function must not run");

    // The flag is set again: the other instance calls out as usual.
    call(&mut store, &second, "log-once", &[]).unwrap();
    assert_eq!(*store.data(), 1);

    // Its own `post-return` and `realloc` may not.
    let err = call_err(&mut store, &second, "two-then-log", &[]);
    assert_contains_all(&err, &[cannot_leave]);
    assert_eq!(*store.data(), 1, "the host function must not run");

    // Both are locked down now; a fresh instance of the same store calls
    // out, and is refused from its `realloc` in turn.
    let third = instantiate(&engine, &mut store, &linker, LEAVING_GUEST);
    call(&mut store, &third, "log-once", &[]).unwrap();
    assert_eq!(*store.data(), 2);
    let err = call_err(&mut store, &third, "call-get", &[]);
    assert_contains_all(&err, &[cannot_leave]);
    assert_eq!(*store.data(), 2, "the host function must not run");
}
