//! A real guest that breaks the canonical ABI on purpose (`misbehave.c`,
//! see `tests/guests/misbehave/`): out-of-bounds and unaligned pointers,
//! invalid strings, bad discriminants and characters, failing host calls
//! and aborts. Each call must fail with an error that says what the guest
//! did wrong, and must not take down the host.
//!
//! The string tests run on the guest built with UTF-8 strings and on the
//! one built with UTF-16 strings (an unpaired surrogate instead of a bad
//! UTF-8 sequence); the others run on the UTF-8 build.

use crate::common::{assert_contains_all, message};
use crate::guests_common::*;
use wit_host::{Instance, Linker, Store, Trap, Val};

/// The interface the guest exports.
const BAD: &str = "test:misbehave/bad";

/// What the host's `fail` says.
const HOST_FAILURE: &str = "the host refuses";

/// Instantiates the guest at `path`; the host's `take-string` records the
/// strings it receives (in the store) and its `fail` returns an error.
fn instantiate(path: &str) -> Option<(Store<Vec<String>>, Instance)> {
    let (engine, component) = crate::guests_common::load(path)?;
    let mut linker = Linker::<Vec<String>>::new(&engine);
    let mut host = linker
        .instance("test:misbehave/host")
        .expect("linker instance");
    host.func_new("take-string", |mut store, _ty, params, _results| {
        if let [Val::String(s)] = params {
            store.data_mut().push(s.clone());
        }
        Ok(())
    })
    .expect("define take-string");
    host.func_new("fail", |_store, _ty, _params, _results| {
        Err(wit_host::Error::msg(HOST_FAILURE))
    })
    .expect("define fail");
    let mut store = Store::new(&engine, Vec::new());
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiating {path}: {e:#}"));
    Some((store, instance))
}

/// Calls `bad#<func>` on the guest at `path`, which must fail; returns the
/// error's text (with its causes), after checking that the host's
/// `take-string` received nothing (a bad argument never reaches it).
fn expect_error(path: &str, func: &str) -> Option<String> {
    let (mut store, instance) = instantiate(path)?;
    let outcome = try_call(&mut store, &instance, &format!("{BAD}#{func}"), &[]);
    let error = match outcome {
        Ok(v) => panic!("`{func}` succeeded with {v:?}; it must fail"),
        Err(e) => message(&e),
    };
    assert!(
        store.data().is_empty(),
        "the host received {:?}",
        store.data()
    );
    Some(error)
}

/// A string result pointing far past the end of memory.
fn out_of_bounds_string_result(path: &str) {
    let Some(error) = expect_error(path, "out-of-bounds-string") else {
        return;
    };
    assert_contains_all(
        &error,
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffffff00 of",
        ],
    );
}

/// A string result that is not valid UTF-8 (or UTF-16).
fn invalid_string_result(path: &str) {
    let Some(error) = expect_error(path, "invalid-string") else {
        return;
    };
    assert_contains_all(&error, &[&format!("invalid {}", misbehave_encoding(path))]);
}

/// A string passed to the host pointing far past the end of memory: the
/// host function is never called.
fn out_of_bounds_string_to_host(path: &str) {
    let Some(error) = expect_error(path, "send-out-of-bounds-string") else {
        return;
    };
    assert_contains_all(
        &error,
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffffff00 of",
        ],
    );
}

/// An invalid string passed to the host: the host function is never
/// called.
fn invalid_string_to_host(path: &str) {
    let Some(error) = expect_error(path, "send-invalid-string") else {
        return;
    };
    assert_contains_all(&error, &[&format!("invalid {}", misbehave_encoding(path))]);
}

both_encodings!(
    utf8: MISBEHAVE, utf16: MISBEHAVE_UTF16;
    out_of_bounds_string_result,
    invalid_string_result,
    out_of_bounds_string_to_host,
    invalid_string_to_host,
);

/// A list result whose elements run past the end of memory.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn out_of_bounds_list_result() {
    let Some(error) = expect_error(MISBEHAVE, "out-of-bounds-list") else {
        return;
    };
    assert_contains_all(
        &error,
        &["pointer out of bounds: list<u32> at 0x10 of 67108864 bytes exceeds memory"],
    );
}

/// A `list<u32>` result whose pointer is not 4-byte aligned.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn misaligned_list_result() {
    let Some(error) = expect_error(MISBEHAVE, "misaligned-list") else {
        return;
    };
    assert_contains_all(
        &error,
        &["unaligned pointer", "for list<u32> (alignment 4)"],
    );
}

/// Enum discriminant 7 of 3 cases.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_enum_discriminant() {
    let Some(error) = expect_error(MISBEHAVE, "bad-enum") else {
        return;
    };
    assert_contains_all(&error, &["invalid variant discriminant 7"]);
}

/// Variant discriminant 9 of 2 cases (in a list element).
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_variant_discriminant() {
    let Some(error) = expect_error(MISBEHAVE, "bad-variant") else {
        return;
    };
    assert_contains_all(&error, &["invalid variant discriminant 9"]);
}

/// Option discriminant 2 (in a list element).
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_option_discriminant() {
    let Some(error) = expect_error(MISBEHAVE, "bad-option") else {
        return;
    };
    assert_contains_all(&error, &["invalid variant discriminant 2"]);
}

/// A surrogate code point is not a `char`.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn surrogate_char_result() {
    let Some(error) = expect_error(MISBEHAVE, "surrogate-char") else {
        return;
    };
    assert_contains_all(&error, &["invalid `char` bit pattern 0xd800"]);
}

/// 0x110000 is past the last code point.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn out_of_range_char_result() {
    let Some(error) = expect_error(MISBEHAVE, "out-of-range-char") else {
        return;
    };
    assert_contains_all(&error, &["invalid `char` bit pattern 0x110000"]);
}

/// A host function's error traps the guest that called it and reaches the
/// host that called the guest.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn host_error_reaches_caller() {
    let Some(error) = expect_error(MISBEHAVE, "call-failing-host") else {
        return;
    };
    assert_contains_all(&error, &[HOST_FAILURE]);
}

/// `abort()` in the guest is the core `unreachable` instruction: the call
/// fails with that trap.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn guest_abort_is_unreachable_trap() {
    let Some((mut store, instance)) = instantiate(MISBEHAVE) else {
        return;
    };
    let error =
        try_call(&mut store, &instance, &format!("{BAD}#abort"), &[]).expect_err("abort must fail");
    assert_eq!(
        error.downcast_ref::<Trap>(),
        Some(&Trap::UnreachableCodeReached),
        "{error:#}"
    );
}

/// A well-behaved export of the same guest works in a fresh instance (the
/// failures above are the guest's, not the loader's).
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn well_behaved_export_works() {
    let Some((mut store, instance)) = instantiate(MISBEHAVE) else {
        return;
    };
    assert_eq!(
        call1(&mut store, &instance, &format!("{BAD}#ok"), &[]),
        Val::U32(42)
    );
}
