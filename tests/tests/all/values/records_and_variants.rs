//! Records, tuples, variants (payloads of different core types joined in
//! the flat form), enums (up to a `u16` discriminant), options and results
//! round-trip.

use super::{MIXED_DEF, REC_DEF, check_roundtrip, rec};
use crate::common::*;
use crate::roundtrip_common::Ty;
use wit_host::Val;

// ---------------------------------------------------------------- records and tuples

#[test]
fn record_roundtrips() {
    let t = Ty::defined(
        &[REC_DEF],
        "$rec",
        &["i32", "i64", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (i32.store (i32.const 80) (local.get 2))
         (i32.store (i32.const 84) (local.get 3))",
    );
    check_roundtrip(
        &t,
        &[
            rec(1, 2, "x"),
            rec(255, u64::MAX, ""),
            rec(0, 1 << 40, "ü😀"),
        ],
    );
}

#[test]
fn tuple_roundtrips() {
    // tuple<u8, f32, string, u16>: u8 at 0, f32 at 4, string at 8, u16 at 16
    let t = Ty::defined(
        &[],
        "(tuple u8 f32 string u16)",
        &["i32", "f32", "i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (f32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))
         (i32.store16 (i32.const 80) (local.get 4))",
    );
    let tuple = |a: u8, b: f32, c: &str, d: u16| {
        Val::Tuple(vec![Val::U8(a), Val::Float32(b), s(c), Val::U16(d)])
    };
    check_roundtrip(
        &t,
        &[
            tuple(1, -0.0, "tü", 65535),
            tuple(0, f32::NAN, "", 0),
            tuple(200, 3.5, "x", 7),
        ],
    );
}

// ---------------------------------------------------------------- variants

fn mixed_values() -> Vec<Val> {
    vec![
        case0("none"),
        case("int", Val::S32(-5)),
        case("float", Val::Float32(1.5)),
        case("float", Val::Float32(-0.0)),
        case("long", Val::S64(i64::MIN)),
        case("double", Val::Float64(-2.5e-300)),
        case("double", Val::Float64(f64::NAN)),
        case("text", s("vâriant 😀")),
        case("byte", Val::U8(200)),
    ]
}

#[test]
fn variant_with_mixed_payloads_roundtrips() {
    let t = Ty::defined(
        &[MIXED_DEF],
        "$mixed",
        &["i32", "i64", "i32"],
        // The i64 slot stored whole is every payload's memory layout
        // except `text`'s, whose length (the second slot) goes over its
        // upper half.
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (if (i32.eq (local.get 0) (i32.const 5))
           (then (i32.store (i32.const 76) (local.get 2))))",
    );
    check_roundtrip(&t, &mixed_values());
}

#[test]
fn enum_roundtrips() {
    let t = Ty::defined(
        &[("color", r#"(enum "red" "green" "blue")"#, true)],
        "$color",
        &["i32"],
        "",
    );
    check_roundtrip(
        &t,
        &[
            Val::Enum("red".into()),
            Val::Enum("blue".into()),
            Val::Enum("green".into()),
        ],
    );
}

#[test]
fn enum_with_300_cases_roundtrips_with_a_u16_discriminant() {
    let names: String = (0..300).map(|i| format!("\"c{i}\" ")).collect();
    let def = format!("(enum {names})");
    let t = Ty::defined(&[("big", &def, true)], "$big", &["i32"], "");
    check_roundtrip(
        &t,
        &[
            Val::Enum("c299".into()),
            Val::Enum("c0".into()),
            Val::Enum("c256".into()),
            Val::Enum("c255".into()),
        ],
    );
}

#[test]
fn option_u32_roundtrips() {
    let t = Ty::defined(
        &[],
        "(option u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[none(), some(Val::U32(0)), some(Val::U32(u32::MAX))]);
}

#[test]
fn option_string_roundtrips() {
    let t = Ty::defined(
        &[],
        "(option string)",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[some(s("söme")), none(), some(s(""))]);
}

#[test]
fn nested_option_roundtrips() {
    // option<option<u8>>: outer discriminant at 0, inner at 1, payload at 2
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    check_roundtrip(&t, &[none(), some(none()), some(some(Val::U8(7)))]);
}

#[test]
fn result_without_payloads_roundtrips() {
    let t = Ty::defined(&[], "(result)", &["i32"], "");
    check_roundtrip(&t, &[Val::Result(Ok(None)), Val::Result(Err(None))]);
}

#[test]
fn result_with_ok_payload_roundtrips() {
    let t = Ty::defined(
        &[],
        "(result u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(
        &t,
        &[
            ok(Val::U32(42)),
            Val::Result(Err(None)),
            ok(Val::U32(u32::MAX)),
        ],
    );
}

#[test]
fn result_with_err_payload_roundtrips() {
    let t = Ty::defined(
        &[],
        "(result (error string))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[Val::Result(Ok(None)), err(s("bröken")), err(s(""))]);
}

#[test]
fn result_with_both_payloads_roundtrips() {
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
            ok(s("fïne")),
            err(Val::U64(u64::MAX)),
            ok(s("")),
            err(Val::U64(0)),
        ],
    );
}
