//! `Func::typed`, and `Arc<T>`, `Box<str>`, `Arc<str>`, `Box<[T]>` and
//! `Arc<[T]>` on the typed path, both ways.

use std::sync::Arc;

use crate::common::*;
use wit_host::Store;

/// `echo-string`, `echo-list` (of `u32`) and `add` exports; `call-upper`
/// calls the host's `upper(s: string) -> string` import and returns its
/// result.
fn echoes() -> String {
    format!(
        r#"(component
  (import "upper" (func $upper (param "s" string) (result string)))
  {LIBC}
  (core func $upper (canon lower (func $upper) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "h" "upper" (func $upper (param i32 i32 i32)))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64))
    (func (export "add") (param i32 i32) (result i32)
      (i32.add (local.get 0) (local.get 1)))
    (func (export "call-upper") (param i32 i32) (result i32)
      (call $upper (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64)))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "h" (instance (export "upper" (func $upper))))))
  (func (export "echo-string") (param "s" string) (result string)
    (canon lift (core func $m "echo") {OPTS}))
  (func (export "echo-list") (param "l" (list u32)) (result (list u32))
    (canon lift (core func $m "echo") {OPTS}))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "add")))
  (func (export "call-upper") (param "s" string) (result string)
    (canon lift (core func $m "call-upper") {OPTS})))"#
    )
}

fn instance() -> (Store<()>, wit_host::Instance) {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_wrap("upper", |_store, (s,): (Arc<str>,)| {
            Ok((Box::<str>::from(s.to_uppercase()),))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &echoes());
    (store, instance)
}

/// `Func::typed` checks the type as `get_typed_func` does and calls
/// like it.
#[test]
fn func_typed_checks_the_type_once() {
    let (mut store, instance) = instance();
    let func = instance.get_func(&mut store, "add").unwrap();
    let add = func.typed::<(u32, u32), (u32,)>(&store).unwrap();
    assert_eq!(add.call(&mut store, (40, 2)).unwrap(), (42,));

    let err = func.typed::<(u32,), (u32,)>(&store).err().unwrap();
    assert_contains_all(
        &message(&err),
        &["does not match", "func(a: u32, b: u32) -> u32"],
    );
    let err = func.typed::<(u32, u32), (String,)>(&store).err().unwrap();
    assert_contains_all(&message(&err), &["does not match"]);

    // The function's own store only.
    let other = Store::new(store.engine(), ());
    let err = func.typed::<(u32, u32), (u32,)>(&other).err().unwrap();
    assert_contains_all(&message(&err), &["store it does not belong to"]);
}

/// Strings go in and come out as `Arc<str>` and `Box<str>`.
#[test]
fn shared_and_boxed_strs_round_trip() {
    let (mut store, instance) = instance();
    let echo = instance
        .get_typed_func::<(Arc<str>,), (Box<str>,)>(&mut store, "echo-string")
        .unwrap();
    let (out,) = echo.call(&mut store, (Arc::from("héllo"),)).unwrap();
    assert_eq!(&*out, "héllo");
    let echo = instance
        .get_typed_func::<(Box<str>,), (Arc<str>,)>(&mut store, "echo-string")
        .unwrap();
    let (out,) = echo.call(&mut store, (Box::from("wörld"),)).unwrap();
    assert_eq!(&*out, "wörld");
    // The host import took an `Arc<str>` and returned a `Box<str>`.
    let upper = instance
        .get_typed_func::<(&str,), (Arc<str>,)>(&mut store, "call-upper")
        .unwrap();
    assert_eq!(&*upper.call(&mut store, ("abc",)).unwrap().0, "ABC");
}

/// Lists go in and come out as `Arc<[T]>` and `Box<[T]>`; `Arc<T>` is
/// `T`.
#[test]
fn shared_and_boxed_slices_and_arcs_round_trip() {
    let (mut store, instance) = instance();
    let echo = instance
        .get_typed_func::<(Arc<[u32]>,), (Box<[u32]>,)>(&mut store, "echo-list")
        .unwrap();
    let (out,) = echo.call(&mut store, (Arc::from([1, 2, 3]),)).unwrap();
    assert_eq!(&*out, [1, 2, 3]);
    let echo = instance
        .get_typed_func::<(Box<[u32]>,), (Arc<[u32]>,)>(&mut store, "echo-list")
        .unwrap();
    let (out,) = echo.call(&mut store, (Box::from([4u32]),)).unwrap();
    assert_eq!(&*out, [4]);

    let add = instance
        .get_typed_func::<(Arc<u32>, Arc<u32>), (Arc<u32>,)>(&mut store, "add")
        .unwrap();
    assert_eq!(
        *add.call(&mut store, (Arc::new(1), Arc::new(2))).unwrap().0,
        3
    );

    // The types are checked like those they stand for.
    let err = instance
        .get_typed_func::<(Arc<[u8]>,), (Box<[u32]>,)>(&mut store, "echo-list")
        .err()
        .unwrap();
    assert_contains_all(&message(&err), &["does not match"]);
    let err = instance
        .get_typed_func::<(Arc<str>,), (Arc<str>,)>(&mut store, "echo-list")
        .err()
        .unwrap();
    assert_contains_all(&message(&err), &["does not match"]);
}
