//! Host functions: store data, errors that trap the guest, wrongly typed
//! results, and reentering the calling instance.

use crate::common::*;
use wit_host::{Error, Linker, Store, Val};

#[test]
fn host_function_reads_and_writes_store_data() {
    let engine = engine();
    let mut linker = Linker::<Vec<u32>>::new(&engine);
    linker
        .root()
        .func_new("f", |mut store, _ty, params, results| {
            let Val::U32(x) = params[0] else { panic!() };
            store.data_mut().push(x);
            results[0] = Val::U32(store.data().iter().sum());
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(&engine, vec![100]);
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(1)]),
        Val::U32(101)
    );
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(2)]),
        Val::U32(103)
    );
    assert_eq!(store.data(), &vec![100, 1, 2]);
    assert_eq!(store.into_data(), vec![100, 1, 2]);
}

/// The component calls `f` and then sets a flag; `f` fails, so the guest
/// stops and the host's error reaches the caller of the export.
#[test]
fn host_function_error_traps_the_guest_and_reaches_the_caller() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _ty, _params, _results| {
            Err(Error::msg("the disk is on fire"))
        })
        .unwrap();
    let wat = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (global $after (mut i32) (i32.const 0))
    (func (export "call-f") (param i32) (result i32)
      (drop (call $f (local.get 0)))
      (global.set $after (i32.const 1))
      (i32.const 0))
    (func (export "after") (result i32) (global.get $after)))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f")))
  (func (export "after") (result u32) (canon lift (core func $m "after"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(&err, &["the disk is on fire"]);
    // a fresh instance shows the guest code after the call never ran
    let fresh = instantiate(&engine, &mut store, &linker, wat);
    assert_eq!(call1(&mut store, &fresh, "after", &[]), Val::U32(0));
}

#[test]
fn host_function_returning_a_wrongly_typed_value_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _ty, _params, results| {
            results[0] = Val::String("not a number".into());
            Ok(())
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(
        &err,
        &[
            "returned an unusable result",
            "type mismatch: expected u32, found string",
        ],
    );
}

#[test]
fn host_function_returning_a_record_with_wrong_fields_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _ty, _params, results| {
            results[0] = record(&[("y", Val::S32(1)), ("x", Val::S32(2))]);
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (type $p' (record (field "x" s32) (field "y" s32)))
  (import "p" (type $p (eq $p')))
  (import "f" (func $f (result $p)))
  (core func $f' (canon lower (func $f) {OPTS}))
  (core module $M
    (import "host" "f" (func $f (param i32)))
    (func (export "run") (call $f (i32.const 64))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "run") (canon lift (core func $m "run"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let err = call_err(&mut store, &instance, "run", &[]);
    assert_contains_all(
        &err,
        &[
            "returned an unusable result",
            "record field mismatch: expected field `x` at position 0",
            "found `y`",
        ],
    );
}

#[test]
fn host_function_returning_an_unknown_enum_case_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _ty, _params, results| {
            results[0] = Val::Enum("purple".into());
            Ok(())
        })
        .unwrap();
    let wat = r#"(component
  (type $c' (enum "red" "green"))
  (import "c" (type $c (eq $c')))
  (import "f" (func $f (result $c)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (result i32)))
    (func (export "run") (drop (call $f))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "run") (canon lift (core func $m "run"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let err = call_err(&mut store, &instance, "run", &[]);
    assert_contains_all(&err, &["unknown case `purple` for enum { red, green }"]);
}

/// A host function may call back into the component instance that called
/// it only by violating the no-reentrance rule; that is an error.
#[test]
fn host_function_reentering_the_calling_instance_is_an_error() {
    let engine = engine();
    let mut linker = Linker::<Option<wit_host::Instance>>::new(&engine);
    linker
        .root()
        .func_new("f", |mut store, _ty, params, results| {
            let instance = (*store.data()).expect("instance is set");
            let again = instance.get_func(&mut store, "call-f").unwrap();
            again.call(&mut store, params, results)
        })
        .unwrap();
    let mut store = Store::new(&engine, None);
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    *store.data_mut() = Some(instance);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(
        &err,
        &[
            "cannot enter component instance",
            "components may not be reentered",
        ],
    );
}

/// A component whose `relay` export returns what its `get: func() ->
/// string` import returned, lowered into and lifted from its own memory.
fn relays_a_string_import() -> String {
    format!(
        r#"(component
  (import "get" (func $get (result string)))
  {LIBC}
  (core func $get' (canon lower (func $get) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "get" (func $get (param i32)))
    (func (export "relay") (result i32)
      (call $get (i32.const {RET}))
      (i32.const {RET}))
    {LIBC_PROBES})
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "host" (instance (export "get" (func $get'))))))
  (func (export "relay") (result string) (canon lift (core func $m "relay") {OPTS}))
  {LIBC_PROBE_EXPORTS})"#
    )
}

/// One `InstancePre`, several instances in one store: each instance's
/// lowered import lowers into that instance's memory with its `realloc`,
/// for typed and dynamic host functions alike (what a lowered import
/// needs is prepared once per `InstancePre`; the instance it serves is
/// not part of that).
#[test]
fn instances_of_one_pre_each_lower_imports_into_their_own_memory() {
    let engine = engine();
    let component = compile(&engine, &relays_a_string_import());
    let mut typed = Linker::<u32>::new(&engine);
    typed
        .root()
        .func_wrap(
            "get",
            |mut store: wit_host::StoreContextMut<'_, u32>, ()| {
                *store.data_mut() += 1;
                Ok((format!("call number {}", store.data()),))
            },
        )
        .unwrap();
    let mut dynamic = Linker::<u32>::new(&engine);
    dynamic
        .root()
        .func_new("get", |mut store, _ty, _params, results| {
            *store.data_mut() += 1;
            results[0] = Val::String(format!("call number {}", store.data()));
            Ok(())
        })
        .unwrap();
    for linker in [typed, dynamic] {
        let pre = linker.instantiate_pre(&component).unwrap();
        let mut store = Store::new(&engine, 0u32);
        let instances: Vec<_> = (0..3)
            .map(|_| pre.instantiate(&mut store).unwrap())
            .collect();
        let mut expected = 0;
        for round in 0..2 {
            for (i, instance) in instances.iter().enumerate() {
                expected += 1;
                let got = call1(&mut store, instance, "relay", &[]);
                assert_same(&got, &Val::String(format!("call number {expected}")));
                // Each `realloc` ran in its own instance: once per call of
                // that instance, in its own libc.
                let count = realloc_log(&mut store, instance).len();
                assert_eq!(count, round + 1, "instance {i}, round {round}");
            }
        }
    }
}
