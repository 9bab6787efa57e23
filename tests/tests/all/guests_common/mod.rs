//! Shared by the `guests_*.rs` tests: loading the real guest components that
//! `build.rs` compiles from the C sources in `tests/guests/`, or skipping
//! when they could not be built.
//!
//! When the build script found no C compiler for `wasm32-wasi` it records
//! why in `WIT_HOST_GUESTS_SKIPPED`; each test then prints the reason to the
//! terminal and returns early, unless `WIT_HOST_REQUIRE_GUESTS=1` (set by
//! `.ci/run`), which turns the skip into a failure.

#![allow(dead_code)]

use std::io::Write as _;

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

/// Calls the export `name` with `params` and returns its single result,
/// panicking with the error if the call fails.
pub fn call1<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> Val {
    try_call(store, instance, name, params)
        .unwrap_or_else(|e| panic!("calling `{name}`: {e:#}"))
        .expect("the function returns a value")
}

/// Calls the export `name` with `params`; `Ok(None)` for a function without
/// a result.
pub fn try_call<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> wit_host::Result<Option<Val>> {
    let func = instance
        .get_func(&mut *store, name)
        .unwrap_or_else(|| panic!("the guest exports no function `{name}`"));
    let mut results: Vec<Val> = func.results().iter().map(Val::default_for).collect();
    func.call(&mut *store, params, &mut results)?;
    Ok(results.pop())
}

/// A `Val::String`.
pub fn s(text: &str) -> Val {
    Val::String(text.to_string())
}

/// A `Val::List` of strings.
pub fn strings(items: &[&str]) -> Val {
    Val::List(items.iter().map(|t| s(t)).collect())
}

/// A `Val::List` of `u8`.
pub fn bytes(items: &[u8]) -> Val {
    Val::List(items.iter().map(|b| Val::U8(*b)).collect())
}

/// `Val::Option(Some(v))`.
pub fn some(v: Val) -> Val {
    Val::Option(Some(Box::new(v)))
}

/// `Val::Result(Ok(Some(v)))`.
pub fn ok(v: Val) -> Val {
    Val::Result(Ok(Some(Box::new(v))))
}

/// `Val::Result(Err(Some(v)))`.
pub fn err(v: Val) -> Val {
    Val::Result(Err(Some(Box::new(v))))
}

/// `Val::Flags` with the given names.
pub fn flags(names: &[&str]) -> Val {
    Val::Flags(names.iter().map(|n| n.to_string()).collect())
}

/// A `Val::Record` with the given fields.
pub fn record(fields: &[(&str, Val)]) -> Val {
    Val::Record(
        fields
            .iter()
            .map(|(name, v)| (name.to_string(), v.clone()))
            .collect(),
    )
}
