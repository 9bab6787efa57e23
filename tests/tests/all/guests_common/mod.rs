//! Shared by the `guests_*.rs` tests: loading the real guest components that
//! `build.rs` compiles from the C sources in `tests/guests/`, or skipping
//! when they could not be built.
//!
//! When the build script found no C compiler for `wasm32-wasi` it records
//! why in `WIT_HOST_GUESTS_SKIPPED`; each test then prints the reason to the
//! terminal and returns early, unless `WIT_HOST_REQUIRE_GUESTS=1` (set by
//! `.ci/run`), which turns the skip into a failure.
//!
//! Also here: calling exports ([`call1`], [`try_call`]), the value builders
//! of `common`, and [`both_encodings!`], which runs tests on the UTF-8 and
//! the UTF-16 build of a guest.

#![allow(dead_code)]

use std::io::Write as _;

pub use crate::common::{bytes, call1, err, flags, ok, record, s, some};
use wit_host::{Component, Engine, Instance, Store, Val};

/// Why the guests were not built, or empty when they were.
pub const SKIPPED: &str = env!("WIT_HOST_GUESTS_SKIPPED");

/// `values.wasm`: every value type both ways, UTF-8 strings.
pub const VALUES: &str = env!("WIT_HOST_GUEST_VALUES");
/// `values-utf16.wasm`: the same source and world, UTF-16 strings.
pub const VALUES_UTF16: &str = env!("WIT_HOST_GUEST_VALUES_UTF16");
/// `resources.wasm`: exports a resource, imports a host resource.
pub const RESOURCES: &str = env!("WIT_HOST_GUEST_RESOURCES");
/// `text-provider.wasm`: exports `test:compose/text` (UTF-16 strings).
pub const TEXT_PROVIDER: &str = env!("WIT_HOST_GUEST_TEXT_PROVIDER");
/// `text-consumer.wasm`: imports `test:compose/text`, exports
/// `test:compose/app` (UTF-8 strings).
pub const TEXT_CONSUMER: &str = env!("WIT_HOST_GUEST_TEXT_CONSUMER");
/// `composed.wasm`: the consumer with its `text` import satisfied by the
/// provider, composed by `wasm-compose`.
pub const COMPOSED: &str = env!("WIT_HOST_GUEST_COMPOSED");
/// `misbehave.wasm`: breaks the canonical ABI on purpose (UTF-8 strings).
pub const MISBEHAVE: &str = env!("WIT_HOST_GUEST_MISBEHAVE");
/// `misbehave-utf16.wasm`: the same with UTF-16 strings.
pub const MISBEHAVE_UTF16: &str = env!("WIT_HOST_GUEST_MISBEHAVE_UTF16");

/// The string encoding of the `misbehave` guest at `path` (one of
/// [`MISBEHAVE`] and [`MISBEHAVE_UTF16`]), as trap messages name it.
pub fn misbehave_encoding(path: &str) -> &'static str {
    if path == MISBEHAVE_UTF16 {
        "utf-16"
    } else {
        "utf-8"
    }
}

/// Whether the guests must have been built (`WIT_HOST_REQUIRE_GUESTS=1`).
fn required() -> bool {
    std::env::var("WIT_HOST_REQUIRE_GUESTS").is_ok_and(|v| v == "1")
}

/// Loads the guest component at `path` (one of the constants above) into a
/// new engine, or returns `None` after printing why the guests were not
/// built (the test then returns early: it is skipped). Panics instead when
/// `WIT_HOST_REQUIRE_GUESTS=1`, and when the component does not load.
pub fn load(path: &str) -> Option<(Engine, Component)> {
    if !SKIPPED.is_empty() {
        assert!(
            !required(),
            "WIT_HOST_REQUIRE_GUESTS=1 but the guest components were not built: {SKIPPED}"
        );
        let test = std::thread::current()
            .name()
            .unwrap_or("a guest test")
            .to_string();
        // Straight to the terminal: the test harness captures `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "{test}: skipped: the guest components were not built: {SKIPPED}"
        );
        return None;
    }
    let engine = Engine::default();
    let component = Component::from_file(&engine, path)
        .unwrap_or_else(|e| panic!("loading the guest component {path}: {e:#}"));
    Some((engine, component))
}

/// Calls the export `name` with `params`; `Ok(None)` for a function without
/// a result.
pub fn try_call<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> wit_host::Result<Option<Val>> {
    Ok(crate::common::call(store, instance, name, params)?.pop())
}

/// A `Val::List` of strings.
pub fn strings(items: &[&str]) -> Val {
    Val::List(items.iter().map(|t| s(t)).collect())
}

/// Declares, for each test function `fn NAME(path: &str)` of the calling
/// module, the tests `utf8::NAME` and `utf16::NAME`, running it on the
/// guest built with UTF-8 strings (the path constant after `utf8:`) and on
/// the one built with UTF-16 strings (after `utf16:`).
macro_rules! both_encodings {
    (utf8: $utf8:ident, utf16: $utf16:ident; $($test:ident),* $(,)?) => {
        /// The tests on the guest built with UTF-8 strings.
        mod utf8 {
            $(
                #[test]
                #[cfg_attr(guests_skipped, ignore = "the C guest components were not built (see the build warning)")]
                fn $test() {
                    super::$test(super::$utf8);
                }
            )*
        }

        /// The tests on the guest built with UTF-16 strings.
        mod utf16 {
            $(
                #[test]
                #[cfg_attr(guests_skipped, ignore = "the C guest components were not built (see the build warning)")]
                fn $test() {
                    super::$test(super::$utf16);
                }
            )*
        }
    };
}
pub(crate) use both_encodings;
