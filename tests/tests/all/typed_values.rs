//! The typed API's built-in impls through real components, in both
//! directions: every primitive, strings (`String` and `&str`), lists
//! (`Vec<T>` and `&[T]`, up to 1 MiB), `Box<T>`, options, results in all
//! four shapes, tuples of 2 and 16 elements, and `()`.
//!
//! Each round trip (see `typed_common`) calls a `TypedFunc` that echoes
//! the value through guest memory (host → guest → host) and a guest export
//! that passes the value to a `func_wrap` host import and returns the
//! host's reply (guest → host → guest), asserting what the host received.

use crate::common::*;
use crate::typed_common::*;
use wit_host::{Engine, Linker, Store};

// ---------------------------------------------------------------- scalars

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

// ---------------------------------------------------------------- strings

fn strings() -> Vec<String> {
    [
        "",
        "a",
        "hello, world",
        "héllo wörld ✓",
        "😀𝄞 astral",
        "nul\0inside",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["aé✓😀".repeat(2500)])
    .collect()
}

#[test]
fn string_roundtrips_both_ways() {
    check_roundtrip(&Ty::ptr_len(&[], "string"), &strings());
}

/// `&str` lowers like `String` (host → guest), and a host function can
/// reply with `&'static str` and `&'static [&'static str]`.
#[test]
fn str_references_lower_like_strings_both_ways() {
    let t = Ty::ptr_len(&[], "string");
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::<Vec<String>>::new(&engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (String,)| {
            store.data_mut().push(x);
            Ok(("from the host ✓",))
        })
        .unwrap();
    linker
        .root()
        .func_wrap("f-list", |mut store, (xs,): (Vec<String>,)| {
            store.data_mut().extend(xs);
            const REPLY: &[&str] = &["a", "", "ü"];
            Ok((REPLY,))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &roundtrip_wat(&t));
    let echo = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "echo")
        .unwrap();
    for s in ["", "plain", "wïth ✓ and 😀"] {
        assert_eq!(echo.call(&mut store, (s,)).unwrap(), (s.to_string(),));
    }
    let echo_list = instance
        .get_typed_func::<(&[&str],), (Vec<String>,)>(&mut store, "echo-list")
        .unwrap();
    assert_eq!(
        echo_list.call(&mut store, (&["x", "ÿ", ""][..],)).unwrap(),
        (vec!["x".to_string(), "ÿ".into(), "".into()],)
    );
    let run = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "run")
        .unwrap();
    assert_eq!(
        run.call(&mut store, ("to the host",)).unwrap(),
        ("from the host ✓".to_string(),)
    );
    let run_list = instance
        .get_typed_func::<(&[&str],), (Vec<String>,)>(&mut store, "run-list")
        .unwrap();
    assert_eq!(
        run_list.call(&mut store, (&["p", "q"][..],)).unwrap(),
        (vec!["a".to_string(), "".into(), "ü".into()],)
    );
    assert_eq!(store.data().clone(), ["to the host", "p", "q"]);
}

/// A guest with `string-encoding=utf16` or `latin1+utf16`: the typed path
/// transcodes both ways like the dynamic path.
fn string_encoding_wat(encoding: &str) -> String {
    format!(
        r#"(component
  {LIBC}
  (import "f" (func $f (param "x" string) (result string)))
  (core func $f' (canon lower (func $f) {OPTS} string-encoding={encoding}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "f" (func $f (param i32 i32 i32)))
    (func (export "echo") (param i32 i32) (result i32) {PTR_LEN_STORE} (i32.const 64))
    (func (export "run") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "f" (func $f'))))))
  (func (export "echo") (param "x" string) (result string)
    (canon lift (core func $m "echo") {OPTS} string-encoding={encoding}))
  (func (export "run") (param "x" string) (result string)
    (canon lift (core func $m "run") {OPTS} string-encoding={encoding})))"#
    )
}

fn check_string_encoding(encoding: &str) {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::<Vec<String>>::new(&engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (String,)| {
            let reply = format!("{x}|{x}");
            store.data_mut().push(x);
            Ok((reply,))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &string_encoding_wat(encoding));
    let echo = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "echo")
        .unwrap();
    let run = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "run")
        .unwrap();
    for s in ["", "ascii", "latïn-1 ÿ", "ŭtf-16 ✓ 😀"] {
        assert_eq!(echo.call(&mut store, (s,)).unwrap().0, s, "echo {encoding}");
        assert_eq!(
            run.call(&mut store, (s,)).unwrap().0,
            format!("{s}|{s}"),
            "run {encoding}"
        );
        assert_eq!(store.data_mut().pop().unwrap(), s, "host received");
    }
}

#[test]
fn strings_roundtrip_both_ways_through_a_utf16_guest() {
    check_string_encoding("utf16");
}

#[test]
fn strings_roundtrip_both_ways_through_a_latin1_utf16_guest() {
    check_string_encoding("latin1+utf16");
}

// ---------------------------------------------------------------- lists

#[test]
fn list_u8_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u8)"),
        &[vec![], vec![0u8, 1, 255], vec![7; 70_000]],
    );
}

#[test]
fn list_u8_of_one_mib_roundtrips_both_ways() {
    let big: Vec<u8> = (0..1 << 20).map(|i: u32| (i * 7 % 251) as u8).collect();
    let other: Vec<u8> = big.iter().rev().copied().collect();
    check_roundtrip(&Ty::ptr_len(&[], "(list u8)"), &[big, other]);
}

#[test]
fn list_u32_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u32)"),
        &[
            vec![],
            vec![0u32, u32::MAX, 0x0102_0304],
            (0..1000).collect(),
        ],
    );
}

#[test]
fn list_string_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list string)"),
        &[vec![], strings(), vec!["only".to_string()]],
    );
}

#[test]
fn list_of_lists_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list (list u16))"),
        &[vec![], vec![vec![1u16, 2], vec![], vec![u16::MAX]]],
    );
}

/// Lists of numbers are stored as their little-endian bytes.
#[test]
fn list_u32_is_stored_as_little_endian_bytes() {
    let t = Ty::scalar("u32", "i32");
    assert_eq!(
        stored_bytes(&t, &[0x0102_0304u32, 0xa0b0_c0d0]),
        [4, 3, 2, 1, 0xd0, 0xc0, 0xb0, 0xa0]
    );
}

// ---------------------------------------------------------------- Box

#[test]
fn box_roundtrips_both_ways_like_its_contents() {
    check_roundtrip(
        &Ty::ptr_len(&[], "string"),
        &[Box::new("boxed ✓".to_string()), Box::new(String::new())],
    );
    check_roundtrip(
        &Ty::scalar("u64", "i64"),
        &[Box::new(5u64), Box::new(u64::MAX)],
    );
}

// ---------------------------------------------------------------- options

#[test]
fn option_u32_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(option u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[None, Some(0u32), Some(u32::MAX)]);
}

#[test]
fn option_string_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(option string)",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[Some("söme".to_string()), None, Some(String::new())]);
}

#[test]
fn nested_option_roundtrips_both_ways() {
    // option<option<u8>>: outer discriminant at 0, inner at 1, payload at 2
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    check_roundtrip(&t, &[None, Some(None), Some(Some(7u8)), Some(Some(0))]);
}

/// `option<option<u8>>` in memory: 3 bytes, discriminants at 0 and 1, the
/// payload at 2.
#[test]
fn nested_option_is_stored_with_both_discriminants() {
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    let bytes = stored_bytes(&t, &[Some(Some(9u8)), Some(None), None]);
    assert_eq!(bytes[0..3], [1, 1, 9]);
    assert_eq!(bytes[3..5], [1, 0]);
    assert_eq!(bytes[6], 0);
}

// ---------------------------------------------------------------- results

#[test]
fn result_without_payloads_roundtrips_both_ways() {
    let t = Ty::defined(&[], "(result)", &["i32"], "");
    check_roundtrip(&t, &[Ok::<(), ()>(()), Err(()), Ok(())]);
}

#[test]
fn result_with_ok_payload_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(result u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[Ok::<u32, ()>(42), Err(()), Ok(u32::MAX)]);
}

#[test]
fn result_with_err_payload_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(result (error string))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(
        &t,
        &[
            Ok::<(), String>(()),
            Err("bröken".into()),
            Err(String::new()),
        ],
    );
}

#[test]
fn result_with_both_payloads_roundtrips_both_ways() {
    // result<string, u64>: joined flat form (i32, i64, i32); payload at 8
    let t = Ty::defined(
        &[],
        "(result string (error u64))",
        &["i32", "i64", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (if (i32.eqz (local.get 0)) (then (i32.store (i32.const 76) (local.get 2))))",
    );
    check_roundtrip(
        &t,
        &[
            Ok::<String, u64>("fïne".into()),
            Err(u64::MAX),
            Ok(String::new()),
            Err(0),
        ],
    );
}

/// `result<f32, f64>` joins `f32` and `f64` into one `i64` slot: the `f32`
/// is its bit pattern, zero-extended, in both directions.
#[test]
fn result_with_float_payloads_joins_them_into_one_i64_slot() {
    let t = Ty::defined(
        &[],
        "(result f32 (error f64))",
        &["i32", "i64"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i64.store (i32.const 72) (local.get 1))",
    );
    check_roundtrip_by(
        &t,
        &[
            Ok::<f32, f64>(1.5),
            Err(-2.5e-300),
            Ok(-0.0),
            Err(f64::INFINITY),
        ],
        |a, b| match (a, b) {
            (Ok(a), Ok(b)) => a.to_bits() == b.to_bits(),
            (Err(a), Err(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        },
    );
}

// ---------------------------------------------------------------- tuples and ()

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

// ---------------------------------------------------------------- calls

/// `get: func() -> string` returns "hello" at 128 through the return area
/// at 64; its post-return counts calls and scribbles over the string.
fn post_return_wat() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (global $count (mut i32) (i32.const 0))
    (data (i32.const 128) "hello")
    (func (export "get") (result i32)
      (i32.store (i32.const 64) (i32.const 128))
      (i32.store (i32.const 68) (i32.const 5))
      (i32.const 64))
    (func (export "post") (param $p i32)
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (i32.store (i32.const 128) (i32.const 0x58585858)))
    (func (export "count") (result i32) (global.get $count)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "get") (result string)
    (canon lift (core func $m "get") {OPTS} (post-return (core func $m "post"))))
  (func (export "count") (result u32) (canon lift (core func $m "count"))))"#
    )
}

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
    let wat = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (func (export "call-f") (param i32) (result i32) (call $f (local.get 0))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f"))))"#;
    let component = compile(&engine, wat);
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
