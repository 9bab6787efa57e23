//! The `misbehave` guest (`tests/guests/misbehave/misbehave.c`), which
//! breaks the canonical ABI on purpose, through generated bindings: every
//! generated `call_*` returns an `Err` saying what the guest did wrong
//! (never a panic nor a made-up value), a bad argument never reaches the
//! generated host trait, and afterwards the same instance is locked down
//! (it refuses every call, as the spec says of an instance that trapped)
//! while the store still instantiates and runs the guest. String cases run
//! on the UTF-8 and the UTF-16 build.

use crate::common::{assert_contains_all, message};
use crate::guests_common::{MISBEHAVE, MISBEHAVE_UTF16, both_encodings, load, misbehave_encoding};
use wit_host::{HasSelf, Linker, Store, Trap};

/// The bindings; the host's `fail` returns `wit_host::Result`.
mod bindings {
    wit_host::bindgen!({
        path: "guests/misbehave/world.wit",
        imports: { "test:misbehave/host.fail": trappable },
    });
}

use bindings::exports::test::misbehave::bad::Guest;

/// What the host's `fail` says.
const HOST_FAILURE: &str = "the host refuses";

/// The host: `take-string` records what it receives, `fail` fails.
#[derive(Default)]
struct Host {
    strings: Vec<String>,
}

impl bindings::test::misbehave::host::Host for Host {
    fn take_string(&mut self, s: String) {
        self.strings.push(s);
    }
    fn fail(&mut self) -> wit_host::Result<u32> {
        Err(wit_host::Error::msg(HOST_FAILURE))
    }
}

/// One export call through the generated wrappers, its result shown with
/// `Debug`.
type Call = fn(&Guest, &mut Store<Host>) -> wit_host::Result<String>;

/// Runs `call` on a fresh instance of the guest at `path`, which must fail;
/// returns the error, after checking that the host received no string,
/// that the same instance is locked down and that a fresh one in the same
/// store answers `ok`.
fn expect_error(path: &str, call: Call) -> Option<wit_host::Error> {
    let (engine, component) = load(path)?;
    let mut linker = Linker::new(&engine);
    bindings::Misbehave::add_to_linker::<_, HasSelf<Host>>(&mut linker, |h| h)
        .expect("add the generated imports");
    let mut store = Store::new(&engine, Host::default());
    let m = bindings::Misbehave::instantiate(&mut store, &component, &linker)
        .unwrap_or_else(|e| panic!("instantiating {path}: {e:#}"));
    let error = match call(m.test_misbehave_bad(), &mut store) {
        Ok(v) => panic!("the call succeeded with {v}; it must fail"),
        Err(e) => e,
    };
    assert!(
        store.data().strings.is_empty(),
        "the host received {:?}",
        store.data().strings
    );
    // As on the typed path (`all/typed_traps.rs`): the instance is locked.
    let refused = m.test_misbehave_bad().call_ok(&mut store).unwrap_err();
    assert_eq!(
        refused.downcast_ref::<Trap>(),
        Some(&Trap::CannotEnterComponent),
        "the instance is locked down after the error: {refused:?}"
    );
    assert_contains_all(&message(&refused), &["locked down"]);
    let fresh = bindings::Misbehave::instantiate(&mut store, &component, &linker)
        .expect("a fresh instance in the same store");
    assert_eq!(
        fresh.test_misbehave_bad().call_ok(&mut store).unwrap(),
        42,
        "the store is usable after the error"
    );
    Some(error)
}

/// Asserts that `call` on the guest at `path` fails with an error
/// mentioning every one of `words`.
#[track_caller]
fn assert_fails(path: &str, call: Call, words: &[&str]) {
    if let Some(error) = expect_error(path, call) {
        assert_contains_all(&message(&error), words);
    }
}

/// A string result pointing far past the end of memory.
fn out_of_bounds_string_result(path: &str) {
    assert_fails(
        path,
        |g, s| g.call_out_of_bounds_string(s).map(|v| format!("{v:?}")),
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffffff00 of",
        ],
    );
}

/// A string result that is not valid UTF-8 (or UTF-16).
fn invalid_string_result(path: &str) {
    assert_fails(
        path,
        |g, s| g.call_invalid_string(s).map(|v| format!("{v:?}")),
        &[&format!("invalid {}", misbehave_encoding(path))],
    );
}

/// A string passed to the host pointing far past the end of memory: the
/// generated `take_string` is never called.
fn out_of_bounds_string_to_host(path: &str) {
    assert_fails(
        path,
        |g, s| {
            g.call_send_out_of_bounds_string(s)
                .map(|v| format!("{v:?}"))
        },
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xffffff00 of",
        ],
    );
}

/// An invalid string passed to the host: `take_string` is never called.
fn invalid_string_to_host(path: &str) {
    assert_fails(
        path,
        |g, s| g.call_send_invalid_string(s).map(|v| format!("{v:?}")),
        &[&format!("invalid {}", misbehave_encoding(path))],
    );
}

both_encodings!(
    utf8: MISBEHAVE, utf16: MISBEHAVE_UTF16;
    out_of_bounds_string_result,
    invalid_string_result,
    out_of_bounds_string_to_host,
    invalid_string_to_host,
);

/// A `list<u32>` result whose elements run past the end of memory.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn out_of_bounds_list_result() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_out_of_bounds_list(s).map(|v| format!("{v:?}")),
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
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_misaligned_list(s).map(|v| format!("{v:?}")),
        &["unaligned pointer", "for list<u32> (alignment 4)"],
    );
}

/// Enum discriminant 7 of 3 cases, lifted into the generated `Color`.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_enum_discriminant() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_bad_enum(s).map(|v| format!("{v:?}")),
        &["invalid variant discriminant 7"],
    );
}

/// Variant discriminant 9 of 2 cases, in a list of the generated `Shape`.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_variant_discriminant() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_bad_variant(s).map(|v| format!("{v:?}")),
        &["invalid variant discriminant 9"],
    );
}

/// Option discriminant 2, in a list.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn bad_option_discriminant() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_bad_option(s).map(|v| format!("{v:?}")),
        &["invalid variant discriminant 2"],
    );
}

/// A surrogate code point is not a `char`.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn surrogate_char_result() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_surrogate_char(s).map(|v| format!("{v:?}")),
        &["invalid `char` bit pattern 0xd800"],
    );
}

/// 0x110000 is past the last code point.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn out_of_range_char_result() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_out_of_range_char(s).map(|v| format!("{v:?}")),
        &["invalid `char` bit pattern 0x110000"],
    );
}

/// A `trappable` host method's `Err` traps the guest that called it and
/// reaches the host that called the guest.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn trappable_host_error_reaches_caller() {
    assert_fails(
        MISBEHAVE,
        |g, s| g.call_call_failing_host(s).map(|v| format!("{v:?}")),
        &[HOST_FAILURE],
    );
}

/// `abort()` in the guest is the core `unreachable` instruction: the
/// generated call fails with that trap, which the error still carries.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn guest_abort_is_unreachable_trap() {
    let Some(error) = expect_error(MISBEHAVE, |g, s| g.call_abort(s).map(|v| format!("{v:?}")))
    else {
        return;
    };
    assert_eq!(
        error.downcast_ref::<Trap>(),
        Some(&Trap::UnreachableCodeReached),
        "{error:#}"
    );
}
