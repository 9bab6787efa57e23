//! The per-call budget of host memory for lifting (`Store::set_lift_budget`):
//! a guest decides how much host memory its values take — list entries that
//! all point at one large range, zero-sized elements that need no memory at
//! all — so lifting charges before it allocates, and going over the budget
//! is an error that names the setting, on the dynamic and the typed path,
//! for results and for a host function's parameters.

use crate::common::*;
use wit_host::{Linker, Store, Val};

/// `aliased(n)` returns `n` lists that all are the same 64 KiB at 0x10000;
/// `units(n)` returns `n` cases of `enum { a }` (one byte each, at 0x20000;
/// up to about 12 million); `send(n)` passes
/// `aliased(n)`'s lists to the root import `take`.
const GUEST: &str = r#"(component
  (import "take" (func $take (param "l" (list (list u8)))))
  (core module $Mem (memory (export "mem") 200))
  (core instance $mem (instantiate $Mem))
  (core func $take' (canon lower (func $take) (memory (core memory $mem "mem"))))
  (core module $M
    (import "" "mem" (memory 200))
    (import "" "take" (func $take (param i32 i32)))
    (func $fill (param $n i32)
      (local $i i32)
      (block $done (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.add (i32.const 4096) (i32.shl (local.get $i) (i32.const 3))) (i32.const 0x10000))
        (i32.store (i32.add (i32.const 4100) (i32.shl (local.get $i) (i32.const 3))) (i32.const 0x10000))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))
    (func (export "aliased") (param $n i32) (result i32)
      (call $fill (local.get $n))
      (i32.store (i32.const 16) (i32.const 4096))
      (i32.store (i32.const 20) (local.get $n))
      (i32.const 16))
    (func (export "units") (param $n i32) (result i32)
      (i32.store (i32.const 16) (i32.const 0x20000))
      (i32.store (i32.const 20) (local.get $n))
      (i32.const 16))
    (func (export "send") (param $n i32)
      (call $fill (local.get $n))
      (call $take (i32.const 4096) (local.get $n))))
  (core instance $m (instantiate $M
    (with "" (instance (export "mem" (memory $mem "mem")) (export "take" (func $take'))))))
  (func (export "aliased") (param "n" u32) (result (list (list u8)))
    (canon lift (core func $m "aliased") (memory (core memory $mem "mem"))))
  (type $unit (enum "a"))
  (export $unit' "unit" (type $unit))
  (func (export "units") (param "n" u32) (result (list $unit'))
    (canon lift (core func $m "units") (memory (core memory $mem "mem"))))
  (func (export "send") (param "n" u32) (canon lift (core func $m "send"))))"#;

/// A store with a budget of `budget` bytes, an instance of [`GUEST`] whose
/// `take` counts the lists it received (in the store's data).
fn guest(budget: usize) -> (Store<usize>, wit_host::Instance) {
    let engine = engine();
    let mut store = Store::new(&engine, 0usize);
    store.set_lift_budget(budget);
    let mut linker = Linker::<usize>::new(&engine);
    linker
        .root()
        .func_new("take", |mut store, _ty, params, _| {
            let Val::List(lists) = &params[0] else {
                panic!("a list");
            };
            *store.data_mut() += lists.len();
            Ok(())
        })
        .unwrap();
    let instance = linker
        .instantiate(&mut store, &compile(&engine, GUEST))
        .unwrap();
    (store, instance)
}

const MIB: usize = 1 << 20;

#[test]
fn aliased_lists_within_the_budget_lift() {
    let (mut store, instance) = guest(64 * MIB);
    let aliased = instance
        .get_typed_func::<(u32,), (Vec<Vec<u8>>,)>(&mut store, "aliased")
        .unwrap();
    let (lists,) = aliased.call(&mut store, (8,)).unwrap();
    assert_eq!(lists.len(), 8);
    assert!(lists.iter().all(|l| l.len() == 0x10000));
}

/// 1000 entries pointing at the same 64 KiB would be 64 MiB on the host:
/// over a 16 MiB budget, the typed call fails before allocating it.
#[test]
fn aliased_lists_over_the_budget_fail_on_the_typed_path() {
    let (mut store, instance) = guest(16 * MIB);
    let aliased = instance
        .get_typed_func::<(u32,), (Vec<Vec<u8>>,)>(&mut store, "aliased")
        .unwrap();
    let err = message(&aliased.call(&mut store, (1000,)).unwrap_err());
    assert_contains_all(
        &err,
        &[
            "more host memory than this call may spend",
            "set_lift_budget",
        ],
    );
}

#[test]
fn aliased_lists_over_the_budget_fail_on_the_dynamic_path() {
    let (mut store, instance) = guest(16 * MIB);
    let err = call_err(&mut store, &instance, "aliased", &[Val::U32(1000)]);
    assert_contains_all(&err, &["more host memory than this call may spend"]);
}

/// Ten million one-byte enum cases take 10 MB of guest memory, but 10^7
/// `Val`s (each with its case name) on the host: the host's side is what
/// is charged.
#[test]
fn small_elements_are_charged_as_host_values() {
    let (mut store, instance) = guest(16 * MIB);
    let err = call_err(&mut store, &instance, "units", &[Val::U32(10_000_000)]);
    assert_contains_all(&err, &["more host memory than this call may spend"]);
    let (mut store, instance) = guest(16 * MIB);
    assert_eq!(
        call1(&mut store, &instance, "units", &[Val::U32(1000)]),
        Val::List(vec![Val::Enum("a".into()); 1000])
    );
}

/// A host function's parameters are lifted under the same budget.
#[test]
fn a_host_functions_parameters_are_charged() {
    let (mut store, instance) = guest(16 * MIB);
    let err = call_err(&mut store, &instance, "send", &[Val::U32(1000)]);
    assert_contains_all(&err, &["more host memory than this call may spend"]);
    assert_eq!(*store.data(), 0, "the host function did not run");
    let (mut store, instance) = guest(16 * MIB);
    // Two lists of 64 Ki `Val`s: about 5 MiB.
    call(&mut store, &instance, "send", &[Val::U32(2)]).unwrap();
    assert_eq!(*store.data(), 2);
}

#[test]
fn the_default_budget_is_a_gibibyte() {
    let engine = engine();
    assert_eq!(Store::new(&engine, ()).lift_budget(), 1 << 30);
}
