//! Strings (empty, ASCII, non-ASCII, astral, long) and lists (empty,
//! larger than a page, of strings, of records, nested several deep)
//! round-trip.

use super::{REC_DEF, check_roundtrip, rec};
use crate::common::*;
use crate::roundtrip_common::Ty;
use wit_host::Val;

#[test]
fn string_roundtrips_empty_ascii_non_ascii_and_astral() {
    let long: String = "aé✓😀".repeat(2500);
    check_roundtrip(
        &Ty::ptr_len(&[], "string"),
        &[
            s(""),
            s("a"),
            s("hello, world"),
            s("héllo wörld ✓"),
            s("😀𝄞 astral"),
            s("nul\0inside"),
            Val::String(long),
        ],
    );
}

#[test]
fn list_u8_roundtrips_including_empty_and_larger_than_a_page() {
    let big: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 256) as u8).collect();
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u8)"),
        &[bytes(&[]), bytes(&[0, 1, 255]), bytes(&big)],
    );
}

#[test]
fn list_string_roundtrips() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list string)"),
        &[
            Val::List(vec![]),
            Val::List(vec![s(""), s("a"), s("ünï"), s("😀")]),
            Val::List(vec![s("only")]),
        ],
    );
}

#[test]
fn list_of_records_roundtrips() {
    check_roundtrip(
        &Ty::ptr_len(&[REC_DEF], "(list $rec)"),
        &[
            Val::List(vec![]),
            Val::List(vec![
                rec(1, 2, "x"),
                rec(255, u64::MAX, ""),
                rec(0, 1 << 40, "ü😀"),
            ]),
        ],
    );
}

/// Options, results, strings and chars nested inside tuples inside lists
/// inside lists: every level's layout and alignment at once.
#[test]
fn deeply_nested_lists_roundtrip() {
    let t = Ty::ptr_len(
        &[],
        "(list (list (tuple (option string) (result u8 (error char)) u64)))",
    );
    let item = |o: Option<&str>, r: Result<u8, char>, n: u64| {
        Val::Tuple(vec![
            o.map_or(none(), |v| some(s(v))),
            match r {
                Ok(b) => ok(Val::U8(b)),
                Err(c) => err(Val::Char(c)),
            },
            Val::U64(n),
        ])
    };
    check_roundtrip(
        &t,
        &[
            Val::List(vec![]),
            Val::List(vec![
                Val::List(vec![
                    item(Some("ä"), Ok(1), 2),
                    item(None, Err('😀'), u64::MAX),
                ]),
                Val::List(vec![]),
                Val::List(vec![item(Some(""), Err('x'), 0)]),
            ]),
        ],
    );
}
