//! Every primitive round-trips both ways; NaNs are canonicalized, bools
//! lift from any non-zero value, narrow integers are truncated.

use crate::common::*;
use crate::typed_common::*;

#[test]
fn bool_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("bool", "i32"), &[true, false, true]);
}

#[test]
fn u8_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("u8", "i32"), &[0u8, 255, 128, 1]);
}

#[test]
fn s8_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("s8", "i32"), &[0i8, -128, 127, -1]);
}

#[test]
fn u16_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("u16", "i32"), &[0u16, u16::MAX, 0x8000, 1]);
}

#[test]
fn s16_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("s16", "i32"), &[i16::MIN, i16::MAX, -1, 0]);
}

#[test]
fn u32_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("u32", "i32"), &[0u32, u32::MAX, 0x8000_0000, 7]);
}

#[test]
fn s32_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("s32", "i32"), &[i32::MIN, i32::MAX, -1, 0]);
}

#[test]
fn u64_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::scalar("u64", "i64"),
        &[0u64, u64::MAX, 1 << 63, 1 << 32],
    );
}

#[test]
fn s64_roundtrips_both_ways() {
    check_roundtrip(&Ty::scalar("s64", "i64"), &[i64::MIN, i64::MAX, -1, 0]);
}

/// The canonical NaNs of the canonical ABI (`CANONICAL_FLOAT32_NAN`,
/// `CANONICAL_FLOAT64_NAN`).
const CANONICAL_NAN32: u32 = 0x7fc0_0000;
const CANONICAL_NAN64: u64 = 0x7ff8_0000_0000_0000;

#[test]
fn f32_roundtrips_both_ways_including_negative_zero_and_infinities() {
    check_roundtrip_by(
        &Ty::scalar("f32", "f32"),
        &[
            1.5f32,
            -0.0,
            0.0,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::from_bits(CANONICAL_NAN32),
            f32::from_bits(1), // smallest subnormal
            f32::MAX,
        ],
        |a, b| a.to_bits() == b.to_bits(),
    );
}

#[test]
fn f64_roundtrips_both_ways_including_negative_zero_and_infinities() {
    check_roundtrip_by(
        &Ty::scalar("f64", "f64"),
        &[
            -2.75e300f64,
            -0.0,
            0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::from_bits(CANONICAL_NAN64),
            f64::from_bits(1),
        ],
        |a, b| a.to_bits() == b.to_bits(),
    );
}

/// `lift_flat` and `load` of a float canonicalize NaNs: a NaN with a
/// payload or a sign comes back as the canonical NaN, from flat values and
/// from memory, and the host function receives the canonical NaN.
#[test]
fn f32_nans_are_lifted_as_the_canonical_nan_both_ways() {
    let t = Ty::scalar("f32", "f32");
    let (mut store, instance) = roundtrip_instance::<f32>(&t);
    let odd = [0x7fa0_0001u32, 0xffc0_0000, 0x7f80_0001, 0xffff_ffff].map(f32::from_bits);
    let echo = instance
        .get_typed_func::<(f32,), (f32,)>(&mut store, "echo")
        .unwrap();
    let run = instance
        .get_typed_func::<(f32,), (f32,)>(&mut store, "run")
        .unwrap();
    let echo_list = instance
        .get_typed_func::<(&[f32],), (Vec<f32>,)>(&mut store, "echo-list")
        .unwrap();
    for nan in odd {
        let (got,) = echo.call(&mut store, (nan,)).unwrap();
        assert_eq!(
            got.to_bits(),
            CANONICAL_NAN32,
            "echo of {:#x}",
            nan.to_bits()
        );
        store.data_mut().replies.push(nan);
        let (got,) = run.call(&mut store, (nan,)).unwrap();
        let seen = store.data_mut().seen.pop().unwrap();
        assert_eq!(
            seen.to_bits(),
            CANONICAL_NAN32,
            "host received {:#x}",
            seen.to_bits()
        );
        assert_eq!(
            got.to_bits(),
            CANONICAL_NAN32,
            "run of {:#x}",
            nan.to_bits()
        );
    }
    let (got,) = echo_list.call(&mut store, (&odd[..],)).unwrap();
    assert!(
        got.iter().all(|f| f.to_bits() == CANONICAL_NAN32),
        "{got:?}"
    );
}

#[test]
fn f64_nans_are_lifted_as_the_canonical_nan_both_ways() {
    let t = Ty::scalar("f64", "f64");
    let (mut store, instance) = roundtrip_instance::<f64>(&t);
    let odd = [
        0x7ff4_0000_0000_0001u64,
        0xfff8_0000_0000_0000,
        0x7ff0_0000_0000_0001,
        u64::MAX,
    ]
    .map(f64::from_bits);
    let echo = instance
        .get_typed_func::<(f64,), (f64,)>(&mut store, "echo")
        .unwrap();
    let run = instance
        .get_typed_func::<(f64,), (f64,)>(&mut store, "run")
        .unwrap();
    let echo_list = instance
        .get_typed_func::<(&[f64],), (Vec<f64>,)>(&mut store, "echo-list")
        .unwrap();
    for nan in odd {
        let (got,) = echo.call(&mut store, (nan,)).unwrap();
        assert_eq!(
            got.to_bits(),
            CANONICAL_NAN64,
            "echo of {:#x}",
            nan.to_bits()
        );
        store.data_mut().replies.push(nan);
        let (got,) = run.call(&mut store, (nan,)).unwrap();
        let seen = store.data_mut().seen.pop().unwrap();
        assert_eq!(
            seen.to_bits(),
            CANONICAL_NAN64,
            "host received {:#x}",
            seen.to_bits()
        );
        assert_eq!(
            got.to_bits(),
            CANONICAL_NAN64,
            "run of {:#x}",
            nan.to_bits()
        );
    }
    let (got,) = echo_list.call(&mut store, (&odd[..],)).unwrap();
    assert!(
        got.iter().all(|f| f.to_bits() == CANONICAL_NAN64),
        "{got:?}"
    );
}

#[test]
fn char_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::scalar("char", "i32"),
        &[
            'a',
            '\0',
            'é',
            '\u{D7FF}',
            '\u{E000}',
            '\u{FFFF}',
            '😀',
            '\u{10FFFF}',
        ],
    );
}

/// `bool` lifts any non-zero value as `true` (`convert_int_to_bool`), in
/// memory and flat.
#[test]
fn bool_lifts_any_nonzero_value_as_true() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "flat") (param i32) (result i32) (local.get 0))
    (func (export "mem") (param i32) (result i32)
      (i32.store8 (i32.const 64) (local.get 0))
      (i32.store8 (i32.const 65) (i32.const 0))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "flat") (param "x" u32) (result bool) (canon lift (core func $m "flat")))
  (func (export "mem") (param "x" u32) (result (tuple bool bool))
    (canon lift (core func $m "mem") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let flat = instance
        .get_typed_func::<(u32,), (bool,)>(&mut store, "flat")
        .unwrap();
    let mem = instance
        .get_typed_func::<(u32,), ((bool, bool),)>(&mut store, "mem")
        .unwrap();
    for (x, want) in [
        (0, false),
        (1, true),
        (2, true),
        (255, true),
        (u32::MAX, true),
    ] {
        assert_eq!(flat.call(&mut store, (x,)).unwrap(), (want,), "flat {x}");
        assert_eq!(
            mem.call(&mut store, (x & 0xff,)).unwrap(),
            ((x & 0xff != 0, false),),
            "memory {x}"
        );
    }
}

/// Narrow integers lifted from flat values keep only their low bits
/// (`wrap_i32_to_...`), as the dynamic path does.
#[test]
fn narrow_integers_are_truncated_when_lifted_from_flat_values() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (core module $M (func (export "id") (param i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M))
  (func (export "u8") (param "x" u32) (result u8) (canon lift (core func $m "id")))
  (func (export "s8") (param "x" u32) (result s8) (canon lift (core func $m "id")))
  (func (export "u16") (param "x" u32) (result u16) (canon lift (core func $m "id")))
  (func (export "s16") (param "x" u32) (result s16) (canon lift (core func $m "id"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let u8_ = instance
        .get_typed_func::<(u32,), (u8,)>(&mut store, "u8")
        .unwrap();
    let s8_ = instance
        .get_typed_func::<(u32,), (i8,)>(&mut store, "s8")
        .unwrap();
    let u16_ = instance
        .get_typed_func::<(u32,), (u16,)>(&mut store, "u16")
        .unwrap();
    let s16_ = instance
        .get_typed_func::<(u32,), (i16,)>(&mut store, "s16")
        .unwrap();
    assert_eq!(u8_.call(&mut store, (0x1ff,)).unwrap(), (0xff,));
    assert_eq!(s8_.call(&mut store, (0x180,)).unwrap(), (-128,));
    assert_eq!(u16_.call(&mut store, (0x1_fffe,)).unwrap(), (0xfffe,));
    assert_eq!(s16_.call(&mut store, (0xffff_8000,)).unwrap(), (i16::MIN,));
}
