//! `#[derive(ComponentType, Lift, Lower)]` and `flags!` through real
//! components, in both directions (see `typed_common` for the round trip):
//! records (with string and list fields, renamed fields, nested, in lists,
//! borrowing), variants (payload joins such as `f32|u64` and `u8|string`,
//! single cases, record and option payloads), enums (Rust discriminants
//! ignored), flags of 1, 8, 9 and 32 flags, generic derived types, and
//! the memory layouts the derives store, byte by byte.
//!
//! Empty records cannot cross a component boundary: component validation
//! rejects `(record)`, so the empty-record derive is checked against a
//! hand-built `Type` with `typecheck` only.

use crate::common::*;
use crate::typed_common::*;
use wit_host::types::{Field, Type};
use wit_host::{ComponentType, Lift, Lower, flags};

// ---------------------------------------------------------------- records

/// `record point { x: s32, y-coord: s32 }`
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Point {
    x: i32,
    y_coord: i32,
}

const POINT_DEF: (&str, &str, bool) = (
    "point",
    r#"(record (field "x" s32) (field "y-coord" s32))"#,
    true,
);

fn pt(x: i32, y: i32) -> Point {
    Point { x, y_coord: y }
}

/// `record rec { a: u8, b: u64, c: string }`: `a` at 0, `b` at 8, `c` at
/// 16; size 24, alignment 8.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Rec {
    a: u8,
    b: u64,
    c: String,
}

const REC_DEF: (&str, &str, bool) = (
    "rec",
    r#"(record (field "a" u8) (field "b" u64) (field "c" string))"#,
    true,
);

fn rec(a: u8, b: u64, c: &str) -> Rec {
    Rec { a, b, c: c.into() }
}

const REC_STORE: &str = "(i32.store8 (i32.const 64) (local.get 0))
     (i64.store (i32.const 72) (local.get 1))
     (i32.store (i32.const 80) (local.get 2))
     (i32.store (i32.const 84) (local.get 3))";

#[test]
fn record_with_padding_roundtrips_both_ways() {
    let t = Ty::defined(&[REC_DEF], "$rec", &["i32", "i64", "i32", "i32"], REC_STORE);
    check_roundtrip(
        &t,
        &[
            rec(1, 2, "x"),
            rec(255, u64::MAX, ""),
            rec(0, 1 << 40, "ü😀"),
        ],
    );
}

/// `Rec` in memory: `a` at 0, padding, `b` at 8, the string's pointer and
/// length at 16 and 20.
#[test]
fn record_is_stored_with_canonical_field_offsets() {
    let t = Ty::defined(&[REC_DEF], "$rec", &["i32", "i64", "i32", "i32"], REC_STORE);
    let bytes = stored_bytes(&t, &[rec(0xab, 0x0102_0304_0506_0708, "four")]);
    assert_eq!(bytes.len(), 24);
    assert_eq!(bytes[0], 0xab);
    assert_eq!(bytes[8..16], 0x0102_0304_0506_0708u64.to_le_bytes());
    assert_eq!(bytes[20..24], 4u32.to_le_bytes());
}

/// `record entry { name: string, tags: list<string>, id: u32 }`, the last
/// field renamed.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Entry {
    name: String,
    tags: Vec<String>,
    #[component(name = "id")]
    ident: u32,
}

#[test]
fn record_with_string_and_list_fields_roundtrips_both_ways() {
    let t = Ty::defined(
        &[(
            "entry",
            r#"(record (field "name" string) (field "tags" (list string)) (field "id" u32))"#,
            true,
        )],
        "$entry",
        &["i32", "i32", "i32", "i32", "i32"],
        "(i32.store (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))
         (i32.store (i32.const 80) (local.get 4))",
    );
    let entry = |name: &str, tags: &[&str], ident| Entry {
        name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        ident,
    };
    check_roundtrip(
        &t,
        &[
            entry("first", &["a", "bé"], 1),
            entry("", &[], 0),
            entry("😀", &["", "x", "long tag ✓"], u32::MAX),
        ],
    );
}

/// `record line { from: point, to: point, label: string }`
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Line {
    from: Point,
    to: Point,
    label: String,
}

#[test]
fn nested_records_roundtrip_both_ways() {
    let t = Ty::defined(
        &[
            POINT_DEF,
            (
                "line",
                r#"(record (field "from" $point) (field "to" $point) (field "label" string))"#,
                true,
            ),
        ],
        "$line",
        &["i32", "i32", "i32", "i32", "i32", "i32"],
        "(i32.store (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))
         (i32.store (i32.const 80) (local.get 4))
         (i32.store (i32.const 84) (local.get 5))",
    );
    check_roundtrip(
        &t,
        &[
            Line {
                from: pt(1, -2),
                to: pt(i32::MAX, i32::MIN),
                label: "diagonal".into(),
            },
            Line {
                from: pt(0, 0),
                to: pt(0, 0),
                label: String::new(),
            },
        ],
    );
}

/// `record nested { tag: u8, rec: rec, pts: list<point> }`: `tag` at 0,
/// `rec` at 8 (its `b` at 16, `c` at 24), `pts` at 32; size 40.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Nested {
    tag: u8,
    rec: Rec,
    pts: Vec<Point>,
}

#[test]
fn records_nested_with_alignment_and_lists_roundtrip_both_ways() {
    let t = Ty::defined(
        &[
            REC_DEF,
            POINT_DEF,
            (
                "nested",
                r#"(record (field "tag" u8) (field "rec" $rec) (field "pts" (list $point)))"#,
                true,
            ),
        ],
        "$nested",
        &["i32", "i32", "i64", "i32", "i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 72) (local.get 1))
         (i64.store (i32.const 80) (local.get 2))
         (i32.store (i32.const 88) (local.get 3))
         (i32.store (i32.const 92) (local.get 4))
         (i32.store (i32.const 96) (local.get 5))
         (i32.store (i32.const 100) (local.get 6))",
    );
    check_roundtrip(
        &t,
        &[
            Nested {
                tag: 7,
                rec: rec(9, u64::MAX - 1, "inner"),
                pts: vec![pt(1, 2), pt(-3, -4)],
            },
            Nested {
                tag: 0,
                rec: rec(0, 0, ""),
                pts: vec![],
            },
        ],
    );
}

#[test]
fn list_of_records_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[REC_DEF], "(list $rec)"),
        &[
            vec![],
            vec![
                rec(1, 2, "x"),
                rec(255, u64::MAX, ""),
                rec(0, 1 << 40, "ü😀"),
            ],
            vec![rec(3, 3, "three")],
        ],
    );
}

/// A list is allocated in one piece (element size times length, element
/// alignment), then its elements' strings, in order — the calls the
/// dynamic path makes.
#[test]
fn list_of_records_is_allocated_with_element_size_and_alignment() {
    let (mut store, instance) =
        roundtrip_instance::<Vec<Rec>>(&Ty::ptr_len(&[REC_DEF], "(list $rec)"));
    let echo = instance
        .get_typed_func::<(&[Rec],), (Vec<Rec>,)>(&mut store, "echo")
        .unwrap();
    let list = [rec(1, 2, "xy"), rec(3, 4, ""), rec(5, 6, "ü")];
    assert_eq!(echo.call(&mut store, (&list[..],)).unwrap().0, list);
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

/// A record that borrows (`Lower` only) lowers like its owned
/// counterpart, which lifts the same value back.
#[derive(ComponentType, Lower)]
#[component(record)]
struct MessageRef<'a> {
    text: &'a str,
    tags: &'a [u32],
}

/// `record message { text: string, tags: list<u32> }`
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Message {
    text: String,
    tags: Vec<u32>,
}

#[test]
fn borrowing_record_lowers_like_its_owned_counterpart() {
    let t = Ty::defined(
        &[(
            "message",
            r#"(record (field "text" string) (field "tags" (list u32)))"#,
            true,
        )],
        "$message",
        &["i32", "i32", "i32", "i32"],
        "(i32.store (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))",
    );
    let (mut store, instance) = roundtrip_instance::<Message>(&t);
    let echo = instance
        .get_typed_func::<(MessageRef<'_>,), (Message,)>(&mut store, "echo")
        .unwrap();
    let tags = [1, 2, u32::MAX];
    let (got,) = echo
        .call(
            &mut store,
            (MessageRef {
                text: "borrowed ✓",
                tags: &tags,
            },),
        )
        .unwrap();
    assert_eq!(
        got,
        Message {
            text: "borrowed ✓".into(),
            tags: tags.to_vec()
        }
    );
    // and as a host function's reply, lowered from borrowed data
    let run = instance
        .get_typed_func::<(&Message,), (Message,)>(&mut store, "run")
        .unwrap();
    let m = Message {
        text: "to host".into(),
        tags: vec![5],
    };
    let (got,) = run.call(&mut store, (&m,)).unwrap();
    assert_eq!(got, m);
    assert_eq!(store.data().seen, [m]);
}

/// `record pair<T> { first: T, second: T }` for two `T`s.
#[derive(ComponentType, Lift, Lower, Debug, Clone, PartialEq)]
#[component(record)]
struct Pair<T> {
    first: T,
    second: T,
}

#[test]
fn generic_record_roundtrips_both_ways_for_each_instantiation() {
    let bytes = Ty::defined(
        &[(
            "pair",
            r#"(record (field "first" u8) (field "second" u8))"#,
            true,
        )],
        "$pair",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store8 (i32.const 65) (local.get 1))",
    );
    check_roundtrip(
        &bytes,
        &[
            Pair {
                first: 1u8,
                second: 2,
            },
            Pair {
                first: 255,
                second: 0,
            },
        ],
    );
    let strings = Ty::defined(
        &[(
            "pair",
            r#"(record (field "first" string) (field "second" string))"#,
            true,
        )],
        "$pair",
        &["i32", "i32", "i32", "i32"],
        "(i32.store (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))",
    );
    check_roundtrip(
        &strings,
        &[
            Pair {
                first: "one".to_string(),
                second: "twö".into(),
            },
            Pair {
                first: String::new(),
                second: "😀".into(),
            },
        ],
    );
}

/// `record empty { }`
#[derive(ComponentType, Lift, Lower, Debug, PartialEq)]
#[component(record)]
struct Empty {}

/// A unit struct is an empty record too.
#[derive(ComponentType, Lift, Lower, Debug, PartialEq)]
#[component(record)]
struct UnitRecord;

#[test]
fn empty_records_are_rejected_by_component_validation() {
    let wat = r#"(component
  (type $empty' (record))
  (export $empty "empty" (type $empty')))"#;
    let err = match wit_host::Component::new(&engine(), wat) {
        Ok(_) => panic!("an empty record should be invalid"),
        Err(e) => format!("{e:?}"),
    };
    assert_contains_all(&err, &["record type must have at least one field"]);
}

/// Since no component can use an empty record, the derive is checked
/// against a hand-built `record { }` type: layout (size 0, alignment 1, no
/// flat values) and type check.
#[test]
fn empty_record_derive_typechecks_against_a_hand_built_type() {
    assert_eq!(
        (Empty::SIZE32, Empty::ALIGN32, Empty::FLAT_COUNT),
        (0, 1, 0)
    );
    assert_eq!(
        (
            UnitRecord::SIZE32,
            UnitRecord::ALIGN32,
            UnitRecord::FLAT_COUNT
        ),
        (0, 1, 0)
    );
    Empty::typecheck(&Type::record([])).unwrap();
    UnitRecord::typecheck(&Type::record([])).unwrap();
    let one_field = Type::record([Field {
        name: "x".into(),
        ty: Type::U32,
    }]);
    let err = Empty::typecheck(&one_field).unwrap_err().to_string();
    assert_contains_all(&err, &["record mismatch", "record { x: u32 }", "Empty"]);
    let err = Empty::typecheck(&Type::tuple([])).unwrap_err().to_string();
    assert_contains_all(&err, &["type mismatch", "Empty"]);
}

// ---------------------------------------------------------------- variants

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

// ---------------------------------------------------------------- enums

/// `enum color { red, green, light-blue }`, with a renamed case and a Rust
/// discriminant that the case index ignores.
#[derive(ComponentType, Lift, Lower, Debug, Clone, Copy, PartialEq)]
#[component(enum)]
enum Color {
    Red,
    #[component(name = "green")]
    Verdant,
    LightBlue = 7,
}

const COLOR_DEF: &str = r#"(enum "red" "green" "light-blue")"#;

#[test]
fn enum_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::named_scalar("color", COLOR_DEF),
        &[Color::Red, Color::LightBlue, Color::Verdant],
    );
}

/// The case index is the case's position, not the Rust discriminant.
#[test]
fn enum_case_index_is_its_position_not_the_rust_discriminant() {
    let t = Ty::named_scalar("color", COLOR_DEF);
    assert_eq!(
        stored_bytes(&t, &[Color::Red, Color::Verdant, Color::LightBlue]),
        [0, 1, 2]
    );
}

/// `enum single { only }`
#[derive(ComponentType, Lift, Lower, Debug, Clone, Copy, PartialEq)]
#[component(enum)]
enum Single {
    Only,
}

#[test]
fn single_case_enum_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::named_scalar("single", r#"(enum "only")"#),
        &[Single::Only, Single::Only],
    );
}

/// `enum big { c0, ..., c299 }`: 300 cases, so the case index takes two
/// bytes in memory.
#[derive(ComponentType, Lift, Lower, Debug, Clone, Copy, PartialEq)]
#[component(enum)]
enum Big {
    C0,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    C10,
    C11,
    C12,
    C13,
    C14,
    C15,
    C16,
    C17,
    C18,
    C19,
    C20,
    C21,
    C22,
    C23,
    C24,
    C25,
    C26,
    C27,
    C28,
    C29,
    C30,
    C31,
    C32,
    C33,
    C34,
    C35,
    C36,
    C37,
    C38,
    C39,
    C40,
    C41,
    C42,
    C43,
    C44,
    C45,
    C46,
    C47,
    C48,
    C49,
    C50,
    C51,
    C52,
    C53,
    C54,
    C55,
    C56,
    C57,
    C58,
    C59,
    C60,
    C61,
    C62,
    C63,
    C64,
    C65,
    C66,
    C67,
    C68,
    C69,
    C70,
    C71,
    C72,
    C73,
    C74,
    C75,
    C76,
    C77,
    C78,
    C79,
    C80,
    C81,
    C82,
    C83,
    C84,
    C85,
    C86,
    C87,
    C88,
    C89,
    C90,
    C91,
    C92,
    C93,
    C94,
    C95,
    C96,
    C97,
    C98,
    C99,
    C100,
    C101,
    C102,
    C103,
    C104,
    C105,
    C106,
    C107,
    C108,
    C109,
    C110,
    C111,
    C112,
    C113,
    C114,
    C115,
    C116,
    C117,
    C118,
    C119,
    C120,
    C121,
    C122,
    C123,
    C124,
    C125,
    C126,
    C127,
    C128,
    C129,
    C130,
    C131,
    C132,
    C133,
    C134,
    C135,
    C136,
    C137,
    C138,
    C139,
    C140,
    C141,
    C142,
    C143,
    C144,
    C145,
    C146,
    C147,
    C148,
    C149,
    C150,
    C151,
    C152,
    C153,
    C154,
    C155,
    C156,
    C157,
    C158,
    C159,
    C160,
    C161,
    C162,
    C163,
    C164,
    C165,
    C166,
    C167,
    C168,
    C169,
    C170,
    C171,
    C172,
    C173,
    C174,
    C175,
    C176,
    C177,
    C178,
    C179,
    C180,
    C181,
    C182,
    C183,
    C184,
    C185,
    C186,
    C187,
    C188,
    C189,
    C190,
    C191,
    C192,
    C193,
    C194,
    C195,
    C196,
    C197,
    C198,
    C199,
    C200,
    C201,
    C202,
    C203,
    C204,
    C205,
    C206,
    C207,
    C208,
    C209,
    C210,
    C211,
    C212,
    C213,
    C214,
    C215,
    C216,
    C217,
    C218,
    C219,
    C220,
    C221,
    C222,
    C223,
    C224,
    C225,
    C226,
    C227,
    C228,
    C229,
    C230,
    C231,
    C232,
    C233,
    C234,
    C235,
    C236,
    C237,
    C238,
    C239,
    C240,
    C241,
    C242,
    C243,
    C244,
    C245,
    C246,
    C247,
    C248,
    C249,
    C250,
    C251,
    C252,
    C253,
    C254,
    C255,
    C256,
    C257,
    C258,
    C259,
    C260,
    C261,
    C262,
    C263,
    C264,
    C265,
    C266,
    C267,
    C268,
    C269,
    C270,
    C271,
    C272,
    C273,
    C274,
    C275,
    C276,
    C277,
    C278,
    C279,
    C280,
    C281,
    C282,
    C283,
    C284,
    C285,
    C286,
    C287,
    C288,
    C289,
    C290,
    C291,
    C292,
    C293,
    C294,
    C295,
    C296,
    C297,
    C298,
    C299,
}

fn big_ty() -> Ty {
    let names: String = (0..300).map(|i| format!("\"c{i}\" ")).collect();
    Ty::named_scalar("big", &format!("(enum {names})"))
}

#[test]
fn enum_with_300_cases_roundtrips_both_ways() {
    check_roundtrip(
        &big_ty(),
        &[Big::C299, Big::C0, Big::C256, Big::C255, Big::C1],
    );
}

/// Past 256 cases the case index is a little-endian `u16`.
#[test]
fn enum_with_300_cases_is_stored_with_a_u16_case_index() {
    assert_eq!((Big::SIZE32, Big::ALIGN32), (2, 2));
    assert_eq!(
        stored_bytes(&big_ty(), &[Big::C299, Big::C0, Big::C256]),
        [0x2b, 0x01, 0, 0, 0, 0x01]
    );
}

// ---------------------------------------------------------------- flags

flags! {
    /// One flag.
    F1 { const F0; }

    /// Eight flags: one byte.
    F8 { const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7; }

    /// Nine flags: two bytes.
    F9 {
        const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7;
        const F8;
    }

    /// Thirty-two flags: one word.
    F32 {
        const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7;
        const F8; const F9; const F10; const F11; const F12; const F13; const F14; const F15;
        const F16; const F17; const F18; const F19; const F20; const F21; const F22; const F23;
        const F24; const F25; const F26; const F27; const F28; const F29; const F30; const F31;
    }

    /// Flags with explicit names.
    Perms {
        const READ = "read";
        const WRITE = "write";
        const EXEC = "exec-it";
    }
}

/// `flags fl { f0, f1, ... }` with `n` flags.
fn flags_ty(n: usize) -> Ty {
    let names: String = (0..n).map(|i| format!("\"f{i}\" ")).collect();
    Ty::named_scalar("fl", &format!("(flags {names})"))
}

#[test]
fn flags_with_1_flag_roundtrip_both_ways() {
    check_roundtrip(&flags_ty(1), &[F1::empty(), F1::F0, F1::all()]);
}

#[test]
fn flags_with_8_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(8),
        &[
            F8::empty(),
            F8::F0,
            F8::all(),
            F8::F7,
            F8::F0 | F8::F2 | F8::F4 | F8::F6,
        ],
    );
}

#[test]
fn flags_with_9_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(9),
        &[F9::empty(), F9::F0, F9::all(), F9::F8, F9::F7 | F9::F8],
    );
}

#[test]
fn flags_with_32_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(32),
        &[
            F32::empty(),
            F32::F0,
            F32::all(),
            F32::F31,
            F32::F15 | F32::F16 | F32::F31,
        ],
    );
}

#[test]
fn flags_with_explicit_names_roundtrip_both_ways() {
    check_roundtrip(
        &Ty::named_scalar("perms", r#"(flags "read" "write" "exec-it")"#),
        &[Perms::READ | Perms::EXEC, Perms::empty(), Perms::WRITE],
    );
}

/// Flags take 1 byte up to 8 flags, 2 up to 16 and 4 up to 32; flag `i`
/// is bit `i`.
#[test]
fn flags_are_stored_in_1_2_or_4_bytes() {
    assert_eq!(
        stored_bytes(&flags_ty(8), &[F8::F0 | F8::F7, F8::F1]),
        [0x81, 0x02]
    );
    assert_eq!(stored_bytes(&flags_ty(9), &[F9::F8 | F9::F0]), [0x01, 0x01]);
    assert_eq!(
        stored_bytes(&flags_ty(32), &[F32::F31 | F32::F8]),
        0x8000_0100u32.to_le_bytes()
    );
}

/// Lifting ignores bits past the last flag, from flat values and from
/// memory (CanonicalABI.md: `lift_flat_flags`, `load_flags`).
#[test]
fn flags_lift_ignores_bits_past_the_last_flag() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "flat") (param i32) (result i32) (local.get 0))
    (func (export "mem") (param i32) (result i32)
      (i32.store16 (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (i32.const 5))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (type $perms' (flags "read" "write" "exec-it"))
  (export $perms "perms" (type $perms'))
  (type $f9' (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8"))
  (export $f9 "f9" (type $f9'))
  (func (export "flat") (param "x" u32) (result $perms) (canon lift (core func $m "flat")))
  (func (export "mem") (param "x" u32) (result (tuple $f9 u32)) (canon lift (core func $m "mem") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let flat = instance
        .get_typed_func::<(u32,), (Perms,)>(&mut store, "flat")
        .unwrap();
    assert_eq!(
        flat.call(&mut store, (0xffff_fff9,)).unwrap(),
        (Perms::READ,)
    );
    assert_eq!(flat.call(&mut store, (0xff,)).unwrap(), (Perms::all(),));
    let mem = instance
        .get_typed_func::<(u32,), ((F9, u32),)>(&mut store, "mem")
        .unwrap();
    assert_eq!(mem.call(&mut store, (0xfe01,)).unwrap(), ((F9::F0, 5),));
    assert_eq!(mem.call(&mut store, (0xffff,)).unwrap(), ((F9::all(), 5),));
}

/// More than 32 flags are invalid in the current Component Model
/// (CanonicalABI.md asserts `0 < n <= 32`): component validation rejects
/// them before any typed function could use them.
#[test]
fn flags_with_33_flags_are_rejected_by_component_validation() {
    let t = flags_ty(33);
    let err = match wit_host::Component::new(&engine(), roundtrip_wat(&t)) {
        Ok(_) => panic!("a 33-flag type should be invalid"),
        Err(e) => format!("{e:?}"),
    };
    assert_contains_all(&err, &["flags"]);
}
