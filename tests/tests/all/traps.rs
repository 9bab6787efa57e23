//! Guest misbehaviour: every way a guest can hand the host invalid data (or
//! trap on its own) ends the call with an `Err` whose message says what the
//! guest did — never a panic, never a wrong value:
//!
//! * out-of-bounds, overflowing and too-long string and list pointers;
//!   misaligned list, string and return pointers;
//! * invalid variant discriminants for variant, enum, option and result; invalid
//!   `char`s (surrogates, past U+10FFFF); invalid UTF-8 and UTF-16;
//! * the same invalid values passed by the guest to a host import (the host
//!   function is then not called);
//! * `unreachable` and out-of-bounds accesses in guest code;
//!
//! and after a trap the store is still usable for a fresh instance. A
//! misbehaving `realloc`, and guests calling out of `realloc` or
//! `post-return`, are in `traps_realloc`.

use crate::common::*;
use wit_host::{Instance, Store, Trap};

// ---------------------------------------------------------------- invalid results

/// `(name, result type, core body returning the result)` for
/// [`bad_results_wat`]: each guest function returns a bad value of its
/// result type.
const BAD_RESULTS: &[(&str, &str, &str)] = &[
    // strings: (ptr, len) stored at 64
    (
        "string-out-of-bounds",
        "string",
        "(call $ret (i32.const 65530) (i32.const 10))",
    ),
    (
        "string-pointer-overflow",
        "string",
        "(call $ret (i32.const 0xffffffff) (i32.const 2))",
    ),
    (
        "string-too-long",
        "string",
        "(call $ret (i32.const 0) (i32.const 0x10000000))",
    ),
    (
        "string-empty-out-of-bounds",
        "string",
        "(call $ret (i32.const 0x7fffffff) (i32.const 0))",
    ),
    (
        "string-invalid-utf8",
        "string",
        "(call $ret (i32.const 300) (i32.const 1))",
    ),
    (
        "string-truncated-utf8",
        "string",
        "(call $ret (i32.const 301) (i32.const 1))",
    ),
    (
        "string-utf8-surrogate",
        "string",
        "(call $ret (i32.const 302) (i32.const 3))",
    ),
    // lists
    (
        "list-misaligned",
        "(list u32)",
        "(call $ret (i32.const 130) (i32.const 1))",
    ),
    (
        "list-out-of-bounds",
        "(list u32)",
        "(call $ret (i32.const 65532) (i32.const 2))",
    ),
    // 0x20000001 * 8 bytes wraps to 8 in 32-bit arithmetic
    (
        "list-length-overflow",
        "(list u64)",
        "(call $ret (i32.const 0) (i32.const 0x20000001))",
    ),
    (
        "list-with-invalid-char",
        "(list char)",
        "(call $ret (i32.const 320) (i32.const 3))",
    ),
    (
        "list-with-invalid-string",
        "(list string)",
        "(call $ret (i32.const 336) (i32.const 2))",
    ),
    // the return pointer itself
    (
        "return-pointer-misaligned",
        "(tuple u32 u32)",
        "(i32.const 66)",
    ),
    (
        "return-pointer-out-of-bounds",
        "(tuple u32 u32)",
        "(i32.const 65532)",
    ),
    // discriminants
    (
        "variant-discriminant",
        "$v",
        "(i32.store8 (i32.const 64) (i32.const 3)) (i32.const 64)",
    ),
    ("enum-discriminant", "$color", "(i32.const 3)"),
    (
        "option-discriminant",
        "(option u32)",
        "(i32.store8 (i32.const 64) (i32.const 2)) (i32.const 64)",
    ),
    (
        "result-discriminant",
        "(result u32 (error string))",
        "(i32.store8 (i32.const 64) (i32.const 2)) (i32.const 64)",
    ),
    // chars
    ("char-surrogate", "char", "(i32.const 0xd800)"),
    ("char-past-max", "char", "(i32.const 0x110000)"),
    ("char-negative", "char", "(i32.const -1)"),
];

fn bad_results() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &bad_results_wat(BAD_RESULTS));
    (store, instance)
}

/// Calls `name` on a fresh instance, expecting an error of the host's
/// canonical ABI (not a core wasm trap) mentioning `words`.
#[track_caller]
fn assert_traps(name: &str, words: &[&str]) {
    let (mut store, instance) = bad_results();
    let err = call_error(&mut store, &instance, name, &[]);
    assert_not_a_trap(&err);
    assert_contains_all(&message(&err), words);
}

/// Calls `name` on a fresh instance, expecting the core wasm trap `kind`.
#[track_caller]
fn assert_core_trap(name: &str, kind: Trap) {
    let (mut store, instance) = bad_results();
    let err = call_error(&mut store, &instance, name, &[]);
    assert_trap(&err, kind);
}

#[test]
fn string_pointer_out_of_bounds_traps() {
    assert_traps(
        "string-out-of-bounds",
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xfffa of 10 bytes exceeds memory of 65536 bytes",
        ],
    );
}

/// `ptr + len` is computed without wrapping: 0xffffffff + 2 is out of
/// bounds, not 1.
#[test]
fn string_pointer_plus_length_overflowing_u32_traps() {
    let (mut store, instance) = bad_results();
    let err = call_error(&mut store, &instance, "string-pointer-overflow", &[]);
    assert_not_a_trap(&err);
    assert_contains_all(
        &message(&err),
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffffffff of 2 bytes exceeds memory",
        ],
    );
}

#[test]
fn string_longer_than_the_maximum_traps() {
    assert_traps(
        "string-too-long",
        &["string too long: 268435456 bytes at 0x0 exceed the maximum"],
    );
}

/// `load_string_from_range` checks bounds even for an empty string.
#[test]
fn empty_string_with_out_of_bounds_pointer_traps() {
    assert_traps(
        "string-empty-out-of-bounds",
        &[
            "string pointer/length out of bounds of memory",
            "string at 0x7fffffff of 0 bytes exceeds memory",
        ],
    );
}

#[test]
fn invalid_utf8_traps() {
    assert_traps("string-invalid-utf8", &["invalid utf-8 in string at 0x12c"]);
}

#[test]
fn truncated_utf8_sequence_traps() {
    assert_traps(
        "string-truncated-utf8",
        &["invalid utf-8 in string at 0x12d"],
    );
}

#[test]
fn utf8_encoded_surrogate_traps() {
    assert_traps(
        "string-utf8-surrogate",
        &["invalid utf-8 in string at 0x12e"],
    );
}

#[test]
fn misaligned_list_pointer_traps() {
    assert_traps(
        "list-misaligned",
        &["unaligned pointer 0x82 for list<u32> (alignment 4)"],
    );
}

#[test]
fn list_out_of_bounds_traps() {
    assert_traps(
        "list-out-of-bounds",
        &["pointer out of bounds: list<u32> at 0xfffc of 8 bytes exceeds memory"],
    );
}

/// The byte length of a list is computed without wrapping.
#[test]
fn list_length_overflowing_u32_traps_instead_of_wrapping() {
    let (mut store, instance) = bad_results();
    let err = call_error(&mut store, &instance, "list-length-overflow", &[]);
    assert_not_a_trap(&err);
    // 0x20000001 elements of 8 bytes, not the 8 bytes they wrap to
    assert_contains_all(
        &message(&err),
        &["list too long: 536870913 elements of 8 bytes at 0x0 exceed the maximum"],
    );
}

#[test]
fn invalid_char_inside_a_list_traps() {
    assert_traps(
        "list-with-invalid-char",
        &["invalid `char` bit pattern 0xd800"],
    );
}

#[test]
fn invalid_string_inside_a_list_traps() {
    assert_traps(
        "list-with-invalid-string",
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffff0000 of 16 bytes exceeds memory",
        ],
    );
}

/// `lift_flat_values`: the return pointer must be aligned for the tuple.
#[test]
fn misaligned_return_pointer_traps() {
    assert_traps(
        "return-pointer-misaligned",
        &["unaligned pointer 0x42", "(alignment 4)"],
    );
}

#[test]
fn out_of_bounds_return_pointer_traps() {
    assert_traps(
        "return-pointer-out-of-bounds",
        &[
            "pointer out of bounds:",
            "at 0xfffc of 8 bytes exceeds memory",
        ],
    );
}

#[test]
fn invalid_variant_discriminant_traps() {
    assert_traps(
        "variant-discriminant",
        &["invalid variant discriminant 3 for variant with 3 cases"],
    );
}

#[test]
fn invalid_enum_discriminant_traps() {
    assert_traps(
        "enum-discriminant",
        &["invalid variant discriminant 3 for enum with 3 cases"],
    );
}

#[test]
fn invalid_option_discriminant_traps() {
    assert_traps(
        "option-discriminant",
        &["invalid variant discriminant 2 for option with 2 cases"],
    );
}

#[test]
fn invalid_result_discriminant_traps() {
    assert_traps(
        "result-discriminant",
        &["invalid variant discriminant 2 for result with 2 cases"],
    );
}

#[test]
fn surrogate_char_traps() {
    assert_traps("char-surrogate", &["invalid `char` bit pattern 0xd800"]);
}

#[test]
fn char_past_u10ffff_traps() {
    assert_traps("char-past-max", &["invalid `char` bit pattern 0x110000"]);
}

#[test]
fn negative_char_traps() {
    assert_traps("char-negative", &["invalid `char` bit pattern 0xffffffff"]);
}

#[test]
fn unreachable_in_the_guest_traps() {
    assert_core_trap("unreachable", Trap::UnreachableCodeReached);
}

#[test]
fn out_of_bounds_memory_access_in_the_guest_traps() {
    assert_core_trap("oob-access", Trap::MemoryOutOfBounds);
}

/// Every bad result is an error, and the store can instantiate the
/// component again afterwards and call it successfully.
#[test]
fn store_is_usable_for_a_fresh_instance_after_each_trap() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, &bad_results_wat(BAD_RESULTS));
    let names = BAD_RESULTS
        .iter()
        .map(|(n, _, _)| *n)
        .chain(["unreachable", "oob-access"]);
    for name in names {
        let instance = linker.instantiate(&mut store, &component).unwrap();
        assert!(
            call(&mut store, &instance, name, &[]).is_err(),
            "`{name}` should trap"
        );
        let fresh = linker.instantiate(&mut store, &component).unwrap();
        assert_eq!(
            call1(&mut store, &fresh, "fine", &[]),
            s("ok"),
            "after `{name}`"
        );
    }
}

// ---------------------------------------------------------------- other encodings

fn string_result_wat(encoding: &str, data: &str, ptr: u32, units: u32) -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (data (i32.const 128) "{data}")
    (func (export "f") (result i32)
      (i32.store (i32.const 64) (i32.const {ptr}))
      (i32.store (i32.const 68) (i32.const {units}))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "f") (result string) (canon lift (core func $m "f") {OPTS} string-encoding={encoding})))"#
    )
}

fn string_result_err(encoding: &str, data: &str, ptr: u32, units: u32) -> String {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(
        &engine,
        &mut store,
        &linker,
        &string_result_wat(encoding, data, ptr, units),
    );
    let err = call_error(&mut store, &instance, "f", &[]);
    assert_not_a_trap(&err);
    message(&err)
}

#[test]
fn utf16_lone_high_surrogate_traps() {
    let err = string_result_err("utf16", r"a\00\00\d8", 128, 2);
    assert_contains_all(
        &err,
        &["invalid utf-16 in string at 0x80 (unpaired surrogate 0xd800)"],
    );
}

#[test]
fn utf16_lone_low_surrogate_traps() {
    let err = string_result_err("utf16", r"\00\dcb\00", 128, 2);
    assert_contains_all(
        &err,
        &["invalid utf-16 in string at 0x80 (unpaired surrogate 0xdc00)"],
    );
}

#[test]
fn utf16_misaligned_pointer_traps() {
    let err = string_result_err("utf16", r"\00a\00b\00", 129, 2);
    assert_contains_all(&err, &["unaligned pointer 0x81 for string (alignment 2)"]);
}

#[test]
fn latin1_utf16_misaligned_pointer_traps() {
    let err = string_result_err("latin1+utf16", r"\00ab", 129, 2);
    assert_contains_all(&err, &["unaligned pointer 0x81 for string (alignment 2)"]);
}

#[test]
fn latin1_utf16_tagged_lone_surrogate_traps() {
    let err = string_result_err("latin1+utf16", r"\00\d8", 128, 0x8000_0001);
    assert_contains_all(
        &err,
        &["invalid utf-16 in string at 0x80 (unpaired surrogate 0xd800)"],
    );
}

/// The tagged length counts UTF-16 code units: twice as many bytes.
#[test]
fn latin1_utf16_tagged_length_is_bounds_checked_in_bytes() {
    // untagged: 2 Latin-1 bytes at the end of memory are fine
    let (engine, mut store, linker) = setup(());
    let wat = string_result_wat("latin1+utf16", "", 65534, 2);
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    assert_eq!(call1(&mut store, &instance, "f", &[]), s("\0\0"));
    // tagged: 2 UTF-16 code units are 4 bytes, past the end
    let err = string_result_err("latin1+utf16", "", 65534, 0x8000_0002);
    assert_contains_all(
        &err,
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xfffe of 4 bytes exceeds memory",
        ],
    );
}

// ---------------------------------------------------------------- invalid arguments to host imports

/// A guest that passes bad values to host imports; the host counts calls.
fn bad_args() -> (Store<u32>, Instance) {
    let (engine, mut store, mut linker) = setup(0u32);
    for name in [
        "take-char",
        "take-string",
        "take-enum",
        "take-option",
        "take-list",
    ] {
        linker
            .root()
            .func_new(name, |mut store, _ty, _params, _results| {
                *store.data_mut() += 1;
                Ok(())
            })
            .unwrap();
    }
    let wat = format!(
        r#"(component
  {LIBC}
  (type $color' (enum "red" "green" "blue"))
  (import "color" (type $color (eq $color')))
  (import "take-char" (func $take-char (param "c" char)))
  (import "take-string" (func $take-string (param "s" string)))
  (import "take-enum" (func $take-enum (param "c" $color)))
  (import "take-option" (func $take-option (param "o" (option u8))))
  (import "take-list" (func $take-list (param "l" (list u16))))
  (core func $take-char' (canon lower (func $take-char)))
  (core func $take-string' (canon lower (func $take-string) {OPTS}))
  (core func $take-enum' (canon lower (func $take-enum)))
  (core func $take-option' (canon lower (func $take-option)))
  (core func $take-list' (canon lower (func $take-list) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "take-char" (func $take-char (param i32)))
    (import "host" "take-string" (func $take-string (param i32 i32)))
    (import "host" "take-enum" (func $take-enum (param i32)))
    (import "host" "take-option" (func $take-option (param i32 i32)))
    (import "host" "take-list" (func $take-list (param i32 i32)))
    (data (i32.const 128) "\ff")
    (func (export "good") (call $take-char (i32.const 0x41)))
    (func (export "bad-char") (call $take-char (i32.const 0xdfff)))
    (func (export "bad-utf8") (call $take-string (i32.const 128) (i32.const 1)))
    (func (export "bad-string-bounds") (call $take-string (i32.const 65535) (i32.const 2)))
    (func (export "bad-enum") (call $take-enum (i32.const 7)))
    (func (export "bad-option") (call $take-option (i32.const 2) (i32.const 0)))
    (func (export "bad-list-alignment") (call $take-list (i32.const 129) (i32.const 1))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance
      (export "take-char" (func $take-char'))
      (export "take-string" (func $take-string'))
      (export "take-enum" (func $take-enum'))
      (export "take-option" (func $take-option'))
      (export "take-list" (func $take-list'))))))
  (func (export "good") (canon lift (core func $m "good")))
  (func (export "bad-char") (canon lift (core func $m "bad-char")))
  (func (export "bad-utf8") (canon lift (core func $m "bad-utf8")))
  (func (export "bad-string-bounds") (canon lift (core func $m "bad-string-bounds")))
  (func (export "bad-enum") (canon lift (core func $m "bad-enum")))
  (func (export "bad-option") (canon lift (core func $m "bad-option")))
  (func (export "bad-list-alignment") (canon lift (core func $m "bad-list-alignment"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

/// Calls `name` on a fresh [`bad_args`] guest, expecting an error
/// mentioning `words` and no call of the host function.
#[track_caller]
fn assert_bad_arg(name: &str, words: &[&str]) {
    let (mut store, instance) = bad_args();
    let err = call_error(&mut store, &instance, name, &[]);
    assert_not_a_trap(&err);
    assert_contains_all(&message(&err), words);
    assert_eq!(
        *store.data(),
        0,
        "the host function must not be called with an invalid argument"
    );
}

#[test]
fn valid_argument_reaches_the_host() {
    let (mut store, instance) = bad_args();
    call(&mut store, &instance, "good", &[]).unwrap();
    assert_eq!(*store.data(), 1);
}

#[test]
fn invalid_char_argument_to_an_import_traps() {
    assert_bad_arg("bad-char", &["invalid `char` bit pattern 0xdfff"]);
}

#[test]
fn invalid_utf8_argument_to_an_import_traps() {
    assert_bad_arg("bad-utf8", &["invalid utf-8 in string at 0x80"]);
}

#[test]
fn out_of_bounds_string_argument_to_an_import_traps() {
    assert_bad_arg(
        "bad-string-bounds",
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffff of 2 bytes exceeds memory",
        ],
    );
}

#[test]
fn invalid_enum_argument_to_an_import_traps() {
    assert_bad_arg(
        "bad-enum",
        &["invalid variant discriminant 7 for enum with 3 cases"],
    );
}

#[test]
fn invalid_option_argument_to_an_import_traps() {
    assert_bad_arg(
        "bad-option",
        &["invalid variant discriminant 2 for option with 2 cases"],
    );
}

#[test]
fn misaligned_list_argument_to_an_import_traps() {
    assert_bad_arg(
        "bad-list-alignment",
        &["unaligned pointer 0x81 for list<u16> (alignment 2)"],
    );
}
