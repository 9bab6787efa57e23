//! Derived records: padding and field offsets, string and list fields,
//! nesting, lists of records, borrowing records, generic records.
//!
//! Empty records cannot cross a component boundary: component validation
//! rejects `(record)`, so the empty-record derive is checked against a
//! hand-built `Type` with `typecheck` only.

use super::{POINT_DEF, Point, pt};
use crate::common::*;
use crate::typed_common::*;
use wit_host::types::{Field, Type};
use wit_host::{ComponentType, Lift, Lower};

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
        Err(e) => message(&e),
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
