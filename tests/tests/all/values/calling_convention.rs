//! The calling convention around the values: more than 16 flat parameters
//! spilled to memory allocated with `realloc`, the calls `realloc`
//! receives, results through a return pointer, and `post-return`.

use super::{REC_DEF, rec, roundtrip_instance};
use crate::common::*;
use crate::roundtrip_common::Ty;
use wit_host::{Instance, Store, Val};

/// Parameters `a: u8, b: u64, c: string, d0..d13: u32` flatten to 18 core
/// values, more than 16, so they travel as a tuple in memory: `a` at 0,
/// `b` at 8, `c` at 16, `d0` at 24 ... `d13` at 76; size 80, alignment 8.
fn spill_params() -> String {
    let mut p = String::from(r#"(param "a" u8) (param "b" u64) (param "c" string)"#);
    for i in 0..14 {
        p.push_str(&format!(" (param \"d{i}\" u32)"));
    }
    p
}

fn spill_args() -> Vec<Val> {
    let mut args = vec![Val::U8(7), Val::U64(1 << 40), s("spïlled")];
    args.extend((0..14).map(|i| Val::U32(1000 * (i + 1))));
    args
}

fn spill_instance() -> (Store<Vec<Vec<Val>>>, Instance) {
    let (engine, mut store, mut linker) = setup(Vec::<Vec<Val>>::new());
    linker
        .root()
        .func_new("many", |mut store, _ty, params, results| {
            store.data_mut().push(params.to_vec());
            results[0] = Val::U32(params.len() as u32);
            Ok(())
        })
        .unwrap();
    let params = spill_params();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "many" (func $many {params} (result u32)))
  (core func $many' (canon lower (func $many) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "many" (func $many (param i32) (result i32)))
    (data (i32.const 200) "wörld")
    ;; a + b + len(c) + d0 + ... + d13
    (func (export "sum") (param $p i32) (result i64)
      (local $i i32) (local $sum i64)
      (local.set $sum (i64.add (i64.load8_u (local.get $p)) (i64.load offset=8 (local.get $p))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (i32.load offset=20 (local.get $p)))))
      (block $done
        (loop $next
          (br_if $done (i32.eq (local.get $i) (i32.const 14)))
          (local.set $sum (i64.add (local.get $sum)
            (i64.extend_i32_u (i32.load offset=24 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $sum))
    ;; the string parameter, returned by pointing at it inside the tuple
    (func (export "c") (param $p i32) (result i32) (i32.add (local.get $p) (i32.const 16)))
    (func (export "where") (param $p i32) (result i32) (local.get $p))
    ;; builds the tuple at 256 and calls the host
    (func (export "call-many") (result i32)
      (local $i i32)
      (i32.store8 (i32.const 256) (i32.const 9))
      (i64.store (i32.const 264) (i64.const -1))
      (i32.store (i32.const 272) (i32.const 200))
      (i32.store (i32.const 276) (i32.const 6))
      (block $done
        (loop $next
          (br_if $done (i32.eq (local.get $i) (i32.const 14)))
          (i32.store offset=280 (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (call $many (i32.const 256)))
    {LIBC_PROBES})
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "many" (func $many'))))))
  (func (export "sum") {params} (result u64) (canon lift (core func $m "sum") {OPTS}))
  (func (export "c") {params} (result string) (canon lift (core func $m "c") {OPTS}))
  (func (export "where") {params} (result u32) (canon lift (core func $m "where") {OPTS}))
  (func (export "call-many") (result u32) (canon lift (core func $m "call-many") {OPTS}))
  {LIBC_PROBE_EXPORTS})"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

#[test]
fn more_than_16_flat_params_are_passed_in_memory_to_the_guest() {
    let (mut store, instance) = spill_instance();
    let expected =
        7 + (1u64 << 40) + "spïlled".len() as u64 + (1..=14).map(|i| 1000 * i).sum::<u64>();
    assert_eq!(
        call1(&mut store, &instance, "sum", &spill_args()),
        Val::U64(expected)
    );
    assert_eq!(
        call1(&mut store, &instance, "c", &spill_args()),
        s("spïlled")
    );
}

/// `lower_flat_values` allocates the tuple first, with
/// `realloc(0, 0, 8, 80)`, then stores the values into it (allocating the
/// string), and passes the tuple's address.
#[test]
fn spilled_params_are_allocated_with_realloc() {
    let (mut store, instance) = spill_instance();
    let Val::U32(ptr) = call1(&mut store, &instance, "where", &spill_args()) else {
        panic!()
    };
    assert_eq!(
        ptr, HEAP_START,
        "the tuple is the first allocation of a fresh instance"
    );
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![
            realloc_call(0, 0, 8, 80),
            realloc_call(0, 0, 1, "spïlled".len() as u32)
        ]
    );
}

#[test]
fn more_than_16_flat_params_are_read_from_memory_by_the_host() {
    let (mut store, instance) = spill_instance();
    assert_eq!(call1(&mut store, &instance, "call-many", &[]), Val::U32(17));
    let mut expected = vec![Val::U8(9), Val::U64(u64::MAX), s("wörld")];
    expected.extend((0..14).map(Val::U32));
    assert_eq!(store.data().clone(), vec![expected]);
}

// ---------------------------------------------------------------- realloc calls

/// `store_list_into_range` always allocates, even zero bytes, with the
/// element alignment.
#[test]
fn empty_list_param_still_calls_realloc_with_element_alignment() {
    let t = Ty::ptr_len(&[], "(list u64)");
    let (mut store, instance) = roundtrip_instance(&t);
    let got = call1(&mut store, &instance, "echo", &[Val::List(vec![])]);
    assert_eq!(got, Val::List(vec![]));
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![realloc_call(0, 0, 8, 0)]
    );
}

/// A list is allocated in one piece (element size times length, element
/// alignment), then its elements' strings, in order.
#[test]
fn list_param_is_allocated_with_element_size_and_alignment() {
    let t = Ty::ptr_len(&[REC_DEF], "(list $rec)");
    let (mut store, instance) = roundtrip_instance(&t);
    let list = Val::List(vec![rec(1, 2, "xy"), rec(3, 4, ""), rec(5, 6, "ü")]);
    assert_eq!(
        call1(&mut store, &instance, "echo", std::slice::from_ref(&list)),
        list
    );
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![
            realloc_call(0, 0, 8, 72),
            realloc_call(0, 0, 1, 2),
            realloc_call(0, 0, 1, 0),
            realloc_call(0, 0, 1, 2),
        ]
    );
}

// ---------------------------------------------------------------- results through a return pointer

/// A result that flattens to more than one value comes back through a
/// pointer the guest returns; for imports the guest passes the pointer as
/// the last argument and the host writes there.
#[test]
fn multi_value_result_goes_through_return_pointer_both_ways() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("pair", |_store, _ty, params, results| {
            let Val::U32(x) = params[0] else { panic!() };
            results[0] = Val::Tuple(vec![Val::U32(x + 1), Val::U64(u64::from(x) << 32)]);
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "pair" (func $pair (param "x" u32) (result (tuple u32 u64))))
  (core func $pair' (canon lower (func $pair) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "pair" (func $pair (param i32 i32)))
    ;; calls the host with return pointer 136, then returns (second, first)
    ;; as its own tuple at 64
    (func (export "swap-pair") (param i32) (result i32)
      (call $pair (local.get 0) (i32.const 136))
      (i64.store (i32.const 64) (i64.load (i32.const 144)))
      (i32.store (i32.const 72) (i32.load (i32.const 136)))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "pair" (func $pair'))))))
  (func (export "swap-pair") (param "x" u32) (result (tuple u64 u32))
    (canon lift (core func $m "swap-pair") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let got = call1(&mut store, &instance, "swap-pair", &[Val::U32(5)]);
    assert_eq!(got, Val::Tuple(vec![Val::U64(5 << 32), Val::U32(6)]));
}

// ---------------------------------------------------------------- post-return

/// An instance of [`post_return_wat`].
fn post_return_instance() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &post_return_wat());
    (store, instance)
}

#[test]
fn post_return_is_called_once_per_call_with_the_core_results() {
    let (mut store, instance) = post_return_instance();
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(0));
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "arg", &[]), Val::S32(64));
    call(&mut store, &instance, "restore", &[]).unwrap();
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(2));
}

/// The results are lifted before post-return runs (it may free them).
#[test]
fn post_return_runs_after_the_results_are_lifted() {
    let (mut store, instance) = post_return_instance();
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    // post-return overwrote the bytes: without `restore` the next call
    // returns what it left behind
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("XXXXo"));
}
