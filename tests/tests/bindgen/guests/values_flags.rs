//! The `values` guest's flags, both ways: `flags perms` (three flags) and
//! `flags many` (32, the most one `u32` holds), each complemented by the
//! guest after the host's reply.

use super::{api, check, instantiate};
use crate::guests_common::{VALUES, VALUES_UTF16, both_encodings};

use super::values::test::values::types::{Many, Perms};

/// `flags perms` (3): the guest complements the reply within the three.
fn few_flags(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (sent, reply, expected) in [
        (
            Perms::READ | Perms::EXEC,
            Perms::WRITE,
            Perms::READ | Perms::EXEC,
        ),
        (Perms::empty(), Perms::empty(), Perms::all()),
        (Perms::all(), Perms::all(), Perms::empty()),
    ] {
        check(&mut store, "echo-perms", sent, reply, expected, |s| {
            api.call_roundtrip_perms(s, sent)
        });
    }
}

/// Every flag of `many`, in order.
const MANY: [Many; 32] = [
    Many::F0,
    Many::F1,
    Many::F2,
    Many::F3,
    Many::F4,
    Many::F5,
    Many::F6,
    Many::F7,
    Many::F8,
    Many::F9,
    Many::F10,
    Many::F11,
    Many::F12,
    Many::F13,
    Many::F14,
    Many::F15,
    Many::F16,
    Many::F17,
    Many::F18,
    Many::F19,
    Many::F20,
    Many::F21,
    Many::F22,
    Many::F23,
    Many::F24,
    Many::F25,
    Many::F26,
    Many::F27,
    Many::F28,
    Many::F29,
    Many::F30,
    Many::F31,
];

/// `flags many` (32, every bit of an `i32`): each flag alone both ways,
/// none and all; the guest complements the reply.
fn all_32_flags(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (i, flag) in MANY.into_iter().enumerate() {
        let reply = MANY[31 - i];
        check(&mut store, "echo-many", flag, reply, !reply, |s| {
            api.call_roundtrip_many(s, flag)
        });
    }
    let all = MANY.into_iter().fold(Many::empty(), |a, f| a | f);
    assert_eq!(all, Many::all());
    for (sent, reply, expected) in [
        (
            Many::F0 | Many::F31,
            Many::F1 | Many::F30,
            !(Many::F1 | Many::F30),
        ),
        (Many::empty(), Many::empty(), Many::all()),
        (Many::all(), Many::all(), Many::empty()),
    ] {
        check(&mut store, "echo-many", sent, reply, expected, |s| {
            api.call_roundtrip_many(s, sent)
        });
    }
}

both_encodings!(
    utf8: VALUES, utf16: VALUES_UTF16;
    few_flags,
    all_32_flags,
);
