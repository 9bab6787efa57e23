//! The canonical ABI's limits on flat values, through the typed API, in
//! both directions (CanonicalABI.md, `flatten_functype`,
//! `lower_flat_values`, `lift_flat_values`):
//!
//! * more than 16 flat parameters (two records of 9 flat values each, as
//!   tuples stop at 16 elements) travel as one tuple in memory: the host
//!   allocates it with `realloc` when calling an export, and reads it
//!   through the pointer the guest passes when the guest calls a
//!   `func_wrap` import;
//! * more than one flat result comes back through a return pointer: the
//!   guest returns it from an export, and passes it as the last argument
//!   of an import for the host to write to.

use crate::common::*;
use wit_host::{ComponentType, Instance, Lift, Lower, Store};

/// `record quad { a: u64, b: u64, c: string, d: f32, e: f64, f: u32, g:
/// char, h: bool }`: 9 flat values; `a` at 0, `b` at 8, `c` at 16, `d` at
/// 24, `e` at 32, `f` at 40, `g` at 44, `h` at 48; size 56, alignment 8.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Quad {
    a: u64,
    b: u64,
    c: String,
    d: f32,
    e: f64,
    f: u32,
    g: char,
    h: bool,
}

const QUAD_DEF: &str = r#"(record (field "a" u64) (field "b" u64) (field "c" string) (field "d" f32)
    (field "e" f64) (field "f" u32) (field "g" char) (field "h" bool))"#;

fn quad(n: u8, c: &str) -> Quad {
    Quad {
        a: u64::MAX - u64::from(n),
        b: u64::from(n) << 33,
        c: c.into(),
        d: f32::from(n) + 0.25,
        e: -f64::from(n) * 1e-300,
        f: 0x8000_0000 | u32::from(n),
        g: char::from_u32(0x10_0000 + u32::from(n)).unwrap(),
        h: n.is_multiple_of(2),
    }
}

/// Parameters `(p: quad, q: quad)` and the results `tuple<quad, quad>`:
/// `p` at 0, `q` at 56; size 112, alignment 8.
const PAIR_SIZE: u32 = 112;

/// What the host function `swap` received.
#[derive(Default)]
struct Host {
    seen: Vec<(Quad, Quad)>,
    splits: Vec<u64>,
}

/// A guest with `swap`, `where`, `call-swap`, `split` and `call-split`
/// (see the tests) and the host's typed `swap` and `split` imports:
///
/// * the host's `swap(p, q)` returns `(q', p)`, `q'` being `q` with `!`
///   appended to `c`;
/// * the host's `split(x: u64) -> tuple<u32, u32>` returns the high and
///   the low half.
fn instance() -> (Store<Host>, Instance) {
    let (engine, mut store, mut linker) = setup(Host::default());
    linker
        .root()
        .func_wrap("swap", |mut store, (p, q): (Quad, Quad)| {
            store.data_mut().seen.push((p.clone(), q.clone()));
            let mut q = q;
            q.c.push('!');
            Ok(((q, p),))
        })
        .unwrap();
    linker
        .root()
        .func_wrap("split", |mut store, (x,): (u64,)| {
            store.data_mut().splits.push(x);
            Ok((((x >> 32) as u32, x as u32),))
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (type $quad-i' {QUAD_DEF})
  (import "quad" (type $quad-i (eq $quad-i')))
  (import "swap" (func $swap (param "p" $quad-i) (param "q" $quad-i) (result (tuple $quad-i $quad-i))))
  (import "split" (func $split (param "x" u64) (result (tuple u32 u32))))
  (core func $swap' (canon lower (func $swap) {OPTS}))
  (core func $split' (canon lower (func $split) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "swap" (func $swap (param i32 i32)))
    (import "host" "split" (func $split (param i64 i32)))
    ;; the parameter tuple at $p: returns (q, p) as its own tuple at 256
    (func (export "swap") (param $p i32) (result i32)
      (memory.copy (i32.const 256) (i32.add (local.get $p) (i32.const 56)) (i32.const 56))
      (memory.copy (i32.const 312) (local.get $p) (i32.const 56))
      (i32.const 256))
    (func (export "where") (param $p i32) (result i32) (local.get $p))
    ;; passes the parameter tuple on to the host as is, with return pointer 384
    (func (export "call-swap") (param $p i32) (result i32)
      (call $swap (local.get $p) (i32.const 384))
      (i32.const 384))
    (func (export "split") (param i64) (result i32)
      (i64.store (i32.const 64) (local.get 0))
      (i32.const 64))
    ;; calls the host with return pointer 136, returns (second, first) at 64
    (func (export "call-split") (param i64) (result i32)
      (call $split (local.get 0) (i32.const 136))
      (i32.store (i32.const 64) (i32.load (i32.const 140)))
      (i32.store (i32.const 68) (i32.load (i32.const 136)))
      (i32.const 64))
    {LIBC_PROBES})
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "swap" (func $swap')) (export "split" (func $split'))))))
  (type $quad' {QUAD_DEF})
  (export $quad "quad" (type $quad'))
  (func (export "swap") (param "p" $quad) (param "q" $quad) (result (tuple $quad $quad))
    (canon lift (core func $m "swap") {OPTS}))
  (func (export "where") (param "p" $quad) (param "q" $quad) (result u32)
    (canon lift (core func $m "where") {OPTS}))
  (func (export "call-swap") (param "p" $quad) (param "q" $quad) (result (tuple $quad $quad))
    (canon lift (core func $m "call-swap") {OPTS}))
  (func (export "split") (param "x" u64) (result (tuple u32 u32))
    (canon lift (core func $m "split") {OPTS}))
  (func (export "call-split") (param "x" u64) (result (tuple u32 u32))
    (canon lift (core func $m "call-split") {OPTS}))
  {LIBC_PROBE_EXPORTS})"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

/// The layout constants the test relies on.
#[test]
fn two_quads_flatten_to_18_values_in_a_112_byte_tuple() {
    assert_eq!(<Quad as ComponentType>::FLAT_COUNT, 9);
    assert_eq!(
        (
            <(Quad, Quad) as ComponentType>::SIZE32,
            <(Quad, Quad) as ComponentType>::ALIGN32
        ),
        (PAIR_SIZE, 8)
    );
}

/// Host → guest: 18 flat parameters are stored as a tuple in memory the
/// host allocates, and the guest's two-record result is read through the
/// pointer it returns.
#[test]
fn more_than_16_flat_params_are_passed_to_the_guest_in_memory() {
    let (mut store, instance) = instance();
    let swap = instance
        .get_typed_func::<(Quad, Quad), ((Quad, Quad),)>(&mut store, "swap")
        .unwrap();
    let (p, q) = (quad(1, "pé"), quad(2, "qü😀"));
    let ((first, second),) = swap.call(&mut store, (p.clone(), q.clone())).unwrap();
    assert_eq!((first, second), (q, p));
}

/// `lower_flat_values` allocates the parameter tuple first, with
/// `realloc(0, 0, 8, 112)`, then stores the values into it (allocating the
/// strings in order), and passes the tuple's address.
#[test]
fn spilled_params_are_allocated_with_realloc() {
    let (mut store, instance) = instance();
    let at = instance
        .get_typed_func::<(&Quad, &Quad), (u32,)>(&mut store, "where")
        .unwrap();
    let (ptr,) = at
        .call(&mut store, (&quad(1, "abc"), &quad(2, "de")))
        .unwrap();
    assert_eq!(
        ptr, HEAP_START,
        "the tuple is the first allocation of a fresh instance"
    );
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![
            realloc_call(0, 0, 8, PAIR_SIZE),
            realloc_call(0, 0, 1, 3),
            realloc_call(0, 0, 1, 2),
        ]
    );
}

/// Guest → host: the guest passes 18 flat parameters to a `func_wrap`
/// import as a pointer to the tuple, and the host's two-record reply is
/// written through the return pointer the guest passes after it.
#[test]
fn more_than_16_flat_params_are_read_from_guest_memory_by_a_host_function() {
    let (mut store, instance) = instance();
    let call_swap = instance
        .get_typed_func::<(Quad, Quad), ((Quad, Quad),)>(&mut store, "call-swap")
        .unwrap();
    let (p, q) = (quad(3, "from guest"), quad(4, ""));
    let ((first, second),) = call_swap.call(&mut store, (p.clone(), q.clone())).unwrap();
    assert_eq!(store.data().seen, [(p.clone(), q.clone())]);
    let mut q_bang = q;
    q_bang.c.push('!');
    assert_eq!((first, second), (q_bang, p));
}

/// Host → guest: two flat results (`tuple<u32, u32>`) come back through
/// the pointer the guest returns.
#[test]
fn two_flat_results_come_back_from_the_guest_through_a_return_pointer() {
    let (mut store, instance) = instance();
    let split = instance
        .get_typed_func::<(u64,), ((u32, u32),)>(&mut store, "split")
        .unwrap();
    assert_eq!(
        split.call(&mut store, (0x0102_0304_0506_0708,)).unwrap(),
        ((0x0506_0708, 0x0102_0304),)
    );
}

/// Guest → host: a host function returning two flat results writes them
/// through the return pointer the guest passes as its last argument.
#[test]
fn two_flat_results_of_a_host_function_are_written_through_the_return_pointer() {
    let (mut store, instance) = instance();
    let call_split = instance
        .get_typed_func::<(u64,), ((u32, u32),)>(&mut store, "call-split")
        .unwrap();
    // the host returns (high, low); the guest swaps them
    assert_eq!(
        call_split
            .call(&mut store, (0xaaaa_bbbb_cccc_dddd,))
            .unwrap(),
        ((0xcccc_dddd, 0xaaaa_bbbb),)
    );
    assert_eq!(store.data().splits, [0xaaaa_bbbb_cccc_dddd]);
}
