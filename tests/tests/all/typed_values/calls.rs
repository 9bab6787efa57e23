//! Typed calls: post-return after lifting, one `func_wrap` definition
//! serving several stores, and a nested component reached through typed
//! calls.

use crate::common::*;
use wit_host::{Engine, Linker, Store};

/// A typed call runs `post-return` once, after lifting the results (which
/// `post-return` may free).
#[test]
fn post_return_runs_once_after_the_typed_results_are_lifted() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &post_return_wat());
    let get = instance
        .get_typed_func::<(), (String,)>(&mut store, "get")
        .unwrap();
    let count = instance
        .get_typed_func::<(), (u32,)>(&mut store, "count")
        .unwrap();
    assert_eq!(count.call(&mut store, ()).unwrap(), (0,));
    assert_eq!(get.call(&mut store, ()).unwrap().0, "hello");
    assert_eq!(count.call(&mut store, ()).unwrap(), (1,));
    // post-return overwrote the bytes the first call lifted
    assert_eq!(get.call(&mut store, ()).unwrap().0, "XXXXo");
    assert_eq!(count.call(&mut store, ()).unwrap(), (2,));
}

/// One linker's `func_wrap` definition serves instances in several stores,
/// each call reaching its own store's data.
#[test]
fn a_func_wrap_definition_serves_instances_in_several_stores() {
    let engine = Engine::default();
    let mut linker = Linker::<Vec<u32>>::new(&engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (u32,)| {
            store.data_mut().push(x);
            Ok((store.data().iter().sum::<u32>(),))
        })
        .unwrap();
    let component = compile(&engine, CALLS_F);
    let pre = linker.instantiate_pre(&component).unwrap();
    let mut a = Store::new(&engine, vec![100]);
    let mut b = Store::new(&engine, vec![]);
    let ia = pre.instantiate(&mut a).unwrap();
    let ib = pre.instantiate(&mut b).unwrap();
    let ia2 = pre.instantiate(&mut a).unwrap();
    let fa = ia
        .get_typed_func::<(u32,), (u32,)>(&mut a, "call-f")
        .unwrap();
    let fb = ib
        .get_typed_func::<(u32,), (u32,)>(&mut b, "call-f")
        .unwrap();
    let fa2 = ia2
        .get_typed_func::<(u32,), (u32,)>(&mut a, "call-f")
        .unwrap();
    assert_eq!(fa.call(&mut a, (1,)).unwrap(), (101,));
    assert_eq!(fb.call(&mut b, (2,)).unwrap(), (2,));
    assert_eq!(fa2.call(&mut a, (3,)).unwrap(), (104,));
    assert_eq!(a.data().clone(), [100, 1, 3]);
    assert_eq!(b.data().clone(), [2]);
}

/// A component that instantiates a nested component, re-exports its
/// function and forwards its own import to it: the typed export runs in
/// the nested instance (with its own memory and `realloc`), and the nested
/// instance calls the `func_wrap` import.
#[test]
fn typed_calls_reach_a_nested_component_and_its_host_import() {
    let (engine, mut store, mut linker) = setup(Vec::<String>::new());
    linker
        .root()
        .func_wrap("log", |mut store, (msg,): (String,)| {
            store.data_mut().push(msg);
            Ok((store.data().len() as u32,))
        })
        .unwrap();
    let wat = format!(
        r#"(component
  (import "log" (func $log (param "msg" string) (result u32)))
  (component $Inner
    (import "log" (func $log (param "msg" string) (result u32)))
    {LIBC}
    (core func $log' (canon lower (func $log) {OPTS}))
    (core module $M
      (import "libc" "mem" (memory 1))
      (import "host" "log" (func $log (param i32 i32) (result i32)))
      (func (export "shout") (param i32 i32) (result i32)
        (i32.store (i32.const 64) (local.get 0))
        (i32.store (i32.const 68) (local.get 1))
        (i32.store (i32.const 72) (call $log (local.get 0) (local.get 1)))
        (i32.const 64)))
    (core instance $m (instantiate $M (with "libc" (instance $libc))
      (with "host" (instance (export "log" (func $log'))))))
    (func (export "shout") (param "s" string) (result (tuple string u32))
      (canon lift (core func $m "shout") {OPTS})))
  (instance $inner (instantiate $Inner (with "log" (func $log))))
  (export "shout" (func $inner "shout")))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let shout = instance
        .get_typed_func::<(&str,), ((String, u32),)>(&mut store, "shout")
        .unwrap();
    assert_eq!(
        shout.call(&mut store, ("nëst",)).unwrap(),
        (("nëst".to_string(), 1),)
    );
    assert_eq!(
        shout.call(&mut store, ("again",)).unwrap(),
        (("again".to_string(), 2),)
    );
    assert_eq!(store.data().clone(), ["nëst", "again"]);
}
