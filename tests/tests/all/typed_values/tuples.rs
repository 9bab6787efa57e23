//! Tuples of 2 and 16 elements, `()` parameters and results, and several
//! parameters, both ways.

use crate::common::*;
use crate::typed_common::*;

#[test]
fn tuple_of_2_roundtrips_both_ways() {
    // tuple<u16, string>: u16 at 0, string at 4; flat (i32, i32, i32)
    let t = Ty::defined(
        &[],
        "(tuple u16 string)",
        &["i32", "i32", "i32"],
        "(i32.store16 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(
        &t,
        &[
            (1u16, "one".to_string()),
            (u16::MAX, String::new()),
            (0, "zérø".into()),
        ],
    );
}

/// Sixteen values of every scalar kind; they flatten to exactly 16 core
/// values, the most that are passed flat.
type T16 = (
    u8,
    i8,
    u16,
    i16,
    u32,
    i32,
    u64,
    i64,
    f32,
    f64,
    char,
    bool,
    u8,
    u16,
    u32,
    u64,
);

const T16_WAT: &str = "(tuple u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 char bool u8 u16 u32 u64)";

/// The fields of a [`T16`] as text (tuples of more than 12 elements have
/// no `Debug` or `PartialEq`), floats by bits.
fn fields16(t: &T16) -> Vec<String> {
    vec![
        t.0.to_string(),
        t.1.to_string(),
        t.2.to_string(),
        t.3.to_string(),
        t.4.to_string(),
        t.5.to_string(),
        t.6.to_string(),
        t.7.to_string(),
        format!("{:#x}", t.8.to_bits()),
        format!("{:#x}", t.9.to_bits()),
        t.10.to_string(),
        t.11.to_string(),
        t.12.to_string(),
        t.13.to_string(),
        t.14.to_string(),
        t.15.to_string(),
    ]
}

fn t16(seed: u8) -> T16 {
    let n = u64::from(seed);
    (
        seed,
        -(seed as i8),
        0x100 + u16::from(seed),
        -1000 - i16::from(seed),
        0x1_0000 * u32::from(seed),
        i32::MIN + i32::from(seed),
        u64::MAX - n,
        i64::MIN + n as i64,
        f32::from(seed) + 0.5,
        -f64::from(seed) * 1e200,
        char::from_u32(0x1F600 + u32::from(seed)).unwrap(),
        seed % 2 == 1,
        255 - seed,
        u16::MAX - u16::from(seed),
        u32::MAX - u32::from(seed),
        n << 40,
    )
}

/// `tuple<u8 s8 u16 s16 u32 s32 u64 s64 f32 f64 char bool u8 u16 u32
/// u64>` in memory: offsets 0 1 2 4 8 12 16 24 32 40 48 52 53 54 56 64,
/// size 72.
const T16_STORE: &str = "
    (i32.store8 (i32.const 64) (local.get 0))
    (i32.store8 (i32.const 65) (local.get 1))
    (i32.store16 (i32.const 66) (local.get 2))
    (i32.store16 (i32.const 68) (local.get 3))
    (i32.store (i32.const 72) (local.get 4))
    (i32.store (i32.const 76) (local.get 5))
    (i64.store (i32.const 80) (local.get 6))
    (i64.store (i32.const 88) (local.get 7))
    (f32.store (i32.const 96) (local.get 8))
    (f64.store (i32.const 104) (local.get 9))
    (i32.store (i32.const 112) (local.get 10))
    (i32.store8 (i32.const 116) (local.get 11))
    (i32.store8 (i32.const 117) (local.get 12))
    (i32.store16 (i32.const 118) (local.get 13))
    (i32.store (i32.const 120) (local.get 14))
    (i64.store (i32.const 128) (local.get 15))";

fn t16_ty() -> Ty {
    Ty::defined(
        &[],
        T16_WAT,
        &[
            "i32", "i32", "i32", "i32", "i32", "i32", "i64", "i64", "f32", "f64", "i32", "i32",
            "i32", "i32", "i32", "i64",
        ],
        T16_STORE,
    )
}

/// A 16-tuple parameter is passed as 16 flat values (not spilled) and the
/// 16-tuple result comes back through the return pointer.
#[test]
fn tuple_of_16_roundtrips_host_to_guest() {
    let t = t16_ty();
    let (mut store, instance) = roundtrip_instance::<T16>(&t);
    let echo = instance
        .get_typed_func::<(T16,), (T16,)>(&mut store, "echo")
        .unwrap();
    for seed in [0, 1, 7, 200] {
        let (got,) = echo.call(&mut store, (t16(seed),)).unwrap();
        assert_eq!(fields16(&got), fields16(&t16(seed)));
    }
    // no `realloc` for flat parameters
    let count = instance
        .get_typed_func::<(), (u32,)>(&mut store, "realloc-count")
        .unwrap();
    assert_eq!(count.call(&mut store, ()).unwrap(), (0,));
    let echo_list = instance
        .get_typed_func::<(Vec<T16>,), (Vec<T16>,)>(&mut store, "echo-list")
        .unwrap();
    let (got,) = echo_list.call(&mut store, (vec![t16(3), t16(4)],)).unwrap();
    assert_eq!(
        got.iter().map(fields16).collect::<Vec<_>>(),
        [fields16(&t16(3)), fields16(&t16(4))]
    );
}

/// The guest passes a 16-tuple to a host import as 16 flat values plus the
/// return pointer (17 core parameters), and the host's 16-tuple reply is
/// written through that pointer.
#[test]
fn tuple_of_16_roundtrips_guest_to_host() {
    let t = t16_ty();
    let (mut store, instance) = roundtrip_instance::<T16>(&t);
    let run = instance
        .get_typed_func::<(T16,), (T16,)>(&mut store, "run")
        .unwrap();
    store.data_mut().replies.push(t16(9));
    let (got,) = run.call(&mut store, (t16(5),)).unwrap();
    let seen = store.data_mut().seen.pop().unwrap();
    assert_eq!(fields16(&seen), fields16(&t16(5)));
    assert_eq!(fields16(&got), fields16(&t16(9)));
    let run_list = instance
        .get_typed_func::<(Vec<T16>,), (Vec<T16>,)>(&mut store, "run-list")
        .unwrap();
    store.data_mut().list_replies.push(vec![t16(11)]);
    let (got,) = run_list.call(&mut store, (vec![t16(1), t16(2)],)).unwrap();
    let seen = store.data_mut().seen_lists.pop().unwrap();
    assert_eq!(
        seen.iter().map(fields16).collect::<Vec<_>>(),
        [fields16(&t16(1)), fields16(&t16(2))]
    );
    assert_eq!(
        got.iter().map(fields16).collect::<Vec<_>>(),
        [fields16(&t16(11))]
    );
}

/// `()` as the parameters and results of both an export and an import.
#[test]
fn unit_params_and_results_call_both_ways() {
    let (engine, mut store, mut linker) = setup(0u32);
    linker
        .root()
        .func_wrap("tock", |mut store, ()| {
            *store.data_mut() += 1;
            Ok(())
        })
        .unwrap();
    let wat = r#"(component
  (import "tock" (func $tock))
  (core func $tock' (canon lower (func $tock)))
  (core module $M
    (import "host" "tock" (func $tock))
    (func (export "tick") (call $tock) (call $tock)))
  (core instance $m (instantiate $M (with "host" (instance (export "tock" (func $tock'))))))
  (func (export "tick") (canon lift (core func $m "tick"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let tick = instance
        .get_typed_func::<(), ()>(&mut store, "tick")
        .unwrap();
    tick.call(&mut store, ()).unwrap();
    assert_eq!(*store.data(), 2);
    tick.call(&mut store, ()).unwrap();
    assert_eq!(*store.data(), 4);
}

/// Several parameters and one result through an interface export
/// (`iface#name`), with a host import in an interface.
#[test]
fn multiple_params_call_interface_functions_both_ways() {
    let (engine, mut store, mut linker) = setup(Vec::<(u32, String, bool)>::new());
    linker
        .instance("example:math/ops")
        .unwrap()
        .func_wrap("mix", |mut store, (a, b, c): (u32, String, bool)| {
            let n = a + b.len() as u32 + u32::from(c);
            store.data_mut().push((a, b, c));
            Ok((u64::from(n) << 32,))
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "example:math/ops" (instance $ops
    (export "mix" (func (param "a" u32) (param "b" string) (param "c" bool) (result u64)))))
  (core func $mix (canon lower (func $ops "mix") {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "mix" (func $mix (param i32 i32 i32 i32) (result i64)))
    (func (export "mix") (param i32 i32 i32 i32) (result i64)
      (call $mix (i32.add (local.get 0) (i32.const 1)) (local.get 1) (local.get 2) (local.get 3))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "mix" (func $mix))))))
  (func $mix' (param "a" u32) (param "b" string) (param "c" bool) (result u64)
    (canon lift (core func $m "mix") {OPTS}))
  (instance $api (export "mix" (func $mix')))
  (export "example:math/api" (instance $api)))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let mix = instance
        .get_typed_func::<(u32, &str, bool), (u64,)>(&mut store, "example:math/api#mix")
        .unwrap();
    assert_eq!(
        mix.call(&mut store, (9, "four", true)).unwrap(),
        (15 << 32,)
    );
    assert_eq!(store.data().clone(), [(10, "four".to_string(), true)]);
}
