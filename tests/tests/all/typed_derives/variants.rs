//! Derived variants: payloads joined in the flat form (`f32|u64`,
//! `u8|string`, mixed), borrowing variants, single cases, record and
//! option payloads, generic variants, and the payload offset in memory.

use super::{POINT_DEF, Point, pt};
use crate::typed_common::*;
use wit_host::{ComponentType, Lift, Lower};

/// `variant fw { f(f32), wide(u64) }`: flat `(i32, i64)`, the `f32` as its
/// bits in the `i64` slot; payload at 8.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum FloatOrWide {
    F(f32),
    Wide(u64),
}

#[test]
fn variant_joining_f32_and_u64_roundtrips_both_ways() {
    let t = Ty::defined(
        &[("fw", r#"(variant (case "f" f32) (case "wide" u64))"#, true)],
        "$fw",
        &["i32", "i64"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i64.store (i32.const 72) (local.get 1))",
    );
    check_roundtrip(
        &t,
        &[
            FloatOrWide::F(1.5),
            FloatOrWide::Wide(u64::MAX),
            FloatOrWide::F(-3.25e38),
            FloatOrWide::Wide(0x3fc0_0000),
            FloatOrWide::F(f32::INFINITY),
        ],
    );
}

/// `variant bt { byte(u8), text(string) }`: flat `(i32, i32, i32)`;
/// payload at 4.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum ByteOrText {
    Byte(u8),
    Text(String),
}

#[test]
fn variant_joining_u8_and_string_roundtrips_both_ways() {
    let t = Ty::defined(
        &[(
            "bt",
            r#"(variant (case "byte" u8) (case "text" string))"#,
            true,
        )],
        "$bt",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(
        &t,
        &[
            ByteOrText::Byte(200),
            ByteOrText::Text("vâriant 😀".into()),
            ByteOrText::Byte(0),
            ByteOrText::Text(String::new()),
        ],
    );
}

/// A variant that borrows (`Lower` only): lowers like `ByteOrText`.
#[derive(ComponentType, Lower)]
#[component(variant)]
enum ByteOrTextRef<'a> {
    Byte(u8),
    Text(&'a str),
}

#[test]
fn borrowing_variant_lowers_like_its_owned_counterpart() {
    let t = Ty::defined(
        &[(
            "bt",
            r#"(variant (case "byte" u8) (case "text" string))"#,
            true,
        )],
        "$bt",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    let (mut store, instance) = roundtrip_instance::<ByteOrText>(&t);
    let echo = instance
        .get_typed_func::<(ByteOrTextRef<'_>,), (ByteOrText,)>(&mut store, "echo")
        .unwrap();
    let text = String::from("bórrowed");
    assert_eq!(
        echo.call(&mut store, (ByteOrTextRef::Text(&text),))
            .unwrap()
            .0,
        ByteOrText::Text(text.clone())
    );
    assert_eq!(
        echo.call(&mut store, (ByteOrTextRef::Byte(9),)).unwrap().0,
        ByteOrText::Byte(9)
    );
}

/// Seven cases whose payloads flatten to different core types, joined as
/// `(i32, i64, i32)`; payload at 8, size 16.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum Mixed {
    None,
    Int(i32),
    Float(f32),
    Long(i64),
    Double(f64),
    Text(String),
    Byte(u8),
}

const MIXED_DEF: (&str, &str, bool) = (
    "mixed",
    r#"(variant (case "none") (case "int" s32) (case "float" f32) (case "long" s64)
                (case "double" f64) (case "text" string) (case "byte" u8))"#,
    true,
);

fn mixed_ty() -> Ty {
    Ty::defined(
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
    )
}

#[test]
fn variant_with_mixed_payloads_roundtrips_both_ways() {
    check_roundtrip(
        &mixed_ty(),
        &[
            Mixed::None,
            Mixed::Int(-5),
            Mixed::Float(1.5),
            Mixed::Long(i64::MIN),
            Mixed::Double(-2.5e-300),
            Mixed::Text("vâriant 😀".into()),
            Mixed::Byte(200),
            Mixed::Int(i32::MAX),
        ],
    );
}

/// `Mixed` in memory: the case index as one byte at 0, the payload at 8.
#[test]
fn variant_is_stored_with_its_payload_at_the_payload_offset() {
    let bytes = stored_bytes(
        &mixed_ty(),
        &[
            Mixed::Int(-2),
            Mixed::Double(1.5),
            Mixed::Byte(9),
            Mixed::None,
        ],
    );
    assert_eq!(bytes.len(), 64);
    assert_eq!(bytes[0], 1);
    assert_eq!(bytes[8..12], (-2i32).to_le_bytes());
    assert_eq!(bytes[16], 4);
    assert_eq!(bytes[24..32], 1.5f64.to_le_bytes());
    assert_eq!(bytes[32], 6);
    assert_eq!(bytes[40], 9);
    assert_eq!(bytes[48], 0);
}

/// `variant only { only(u64) }`: a single case with a payload.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum Only {
    Only(u64),
}

#[test]
fn single_case_variant_with_payload_roundtrips_both_ways() {
    let t = Ty::defined(
        &[("only", r#"(variant (case "only" u64))"#, true)],
        "$only",
        &["i32", "i64"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i64.store (i32.const 72) (local.get 1))",
    );
    check_roundtrip(&t, &[Only::Only(0), Only::Only(u64::MAX), Only::Only(42)]);
}

/// `variant lone { alone }`: a single case without a payload, written as a
/// unit, an empty tuple and an empty struct case in three types.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum Lone {
    Alone,
}

#[test]
fn single_case_variant_without_payload_roundtrips_both_ways() {
    let t = Ty::named_scalar("lone", r#"(variant (case "alone"))"#);
    check_roundtrip(&t, &[Lone::Alone, Lone::Alone]);
}

/// `variant event { moved(point), named(option<string>), quit }`: a
/// record payload and an option payload joined as four `i32`s; payload at
/// 4, size 16. The last case is renamed.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum Event {
    Moved(Point),
    Named(Option<String>),
    #[component(name = "quit")]
    Stop,
}

#[test]
fn variant_with_record_and_option_payloads_roundtrips_both_ways() {
    let t = Ty::defined(
        &[
            POINT_DEF,
            (
                "event",
                r#"(variant (case "moved" $point) (case "named" (option string)) (case "quit"))"#,
                true,
            ),
        ],
        "$event",
        &["i32", "i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))",
    );
    check_roundtrip(
        &t,
        &[
            Event::Moved(pt(3, -4)),
            Event::Named(Some("ñame".into())),
            Event::Stop,
            Event::Named(None),
            Event::Moved(pt(i32::MIN, i32::MAX)),
        ],
    );
}

/// `variant maybe<T> { some(T), none }` for `T = point`.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(variant)]
enum Maybe<T> {
    Some(T),
    None,
}

#[test]
fn generic_variant_roundtrips_both_ways() {
    let t = Ty::defined(
        &[
            POINT_DEF,
            (
                "maybe",
                r#"(variant (case "some" $point) (case "none"))"#,
                true,
            ),
        ],
        "$maybe",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(
        &t,
        &[Maybe::Some(pt(1, 2)), Maybe::None, Maybe::Some(pt(-1, 0))],
    );
}
