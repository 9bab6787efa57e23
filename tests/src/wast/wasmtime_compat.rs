//! The wasmtime-compatible mode of the runner: what wasmtime's own test
//! harness provides to its component scripts (`tests/misc_testsuite/
//! component-model/` at wasmtime's `release-48.0.0`), so that those
//! scripts run here unchanged.
//!
//! - **Configuration lines.** A script starts with `;;! name = true|false`
//!   lines naming wasm proposals (`multi_memory`, `exceptions`,
//!   `component_model_map`, `hogs_memory`, …); [`config`] turns them into
//!   an engine configuration, over the defaults wasmtime's harness gives
//!   every component script (reference types, multi-memory, bulk memory).
//! - **Host items.** [`link_host_items`] defines what the harness's
//!   `link_component_spectest` defines, except its asynchronous functions
//!   (`host-echo-u32`, `never-return`, `return-two-slowly`, `echo-slowly`,
//!   `[method]resource1.never-return`: component-model async, which
//!   wit-host does not support yet).
//! - **Named instances.** A named component instance's exported core
//!   modules and resource types are defined in the linker under its name
//!   (see `Runner::reflect`), as wasmtime's harness does, so that later
//!   components can import them.
//! - **Error messages.** Scripts expect wasmtime's error texts; wit-host's
//!   say the same things in other words. [`same_error`] recognises each
//!   equivalent pair by the facts both carry (the kinds, names, numbers
//!   in the message), and the runner notes every such match.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use wit_host::{
    ComponentModelConfig, Config, Engine, Error, Linker, Module, Resource, ResourceType, Result,
};

/// The configuration lines of `script` applied to a fresh configuration
/// (with epoch interruption, which the runner's deadline needs), and the
/// switches this runtime ignores, for the report. An unknown switch, or a
/// value other than `true`/`false`, is an error.
pub fn config(script: &str) -> Result<(Config, Vec<String>), String> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    // wasmtime's `component_test_config`: the defaults of every component
    // script that apply here.
    config.wasm_multi_memory(true).wasm_bulk_memory(true);
    let mut ignored = Vec::new();
    for line in script.lines().take_while(|l| l.starts_with(";;!")) {
        let setting = line[";;!".len()..].trim();
        let (name, value) = setting
            .split_once('=')
            .map(|(n, v)| (n.trim(), v.trim()))
            .ok_or_else(|| format!("configuration line `{line}` is not `;;! name = value`"))?;
        let on = match value {
            "true" => true,
            "false" => false,
            other => {
                return Err(format!(
                    "`{name} = {other}`: the value must be true or false"
                ));
            }
        };
        let why_not = match name {
            "bulk_memory" => apply(config.wasm_bulk_memory(on)),
            "memory64" => apply(config.wasm_memory64(on)),
            "multi_memory" => apply(config.wasm_multi_memory(on)),
            "simd" => apply(config.wasm_simd(on)),
            "relaxed_simd" => apply(config.wasm_relaxed_simd(on)),
            "tail_call" => apply(config.wasm_tail_call(on)),
            "extended_const" => apply(config.wasm_extended_const(on)),
            "wide_arithmetic" => apply(config.wasm_wide_arithmetic(on)),
            "reference_types"
            | "function_references"
            | "gc"
            | "gc_types"
            | "exceptions"
            | "legacy_exceptions"
            | "threads"
            | "shared_everything_threads"
            | "stack_switching"
            | "custom_page_sizes"
            | "branch_hinting"
            | "custom_descriptors" => Some("wit-host's wasmtime is built without it"),
            "component_model_async"
            | "component_model_more_async_builtins"
            | "component_model_async_stackful"
            | "component_model_threading"
            | "component_model_error_context"
            | "component_model_gc" => Some("wit-host does not support it yet"),
            "component_model_memory64" => apply(config.component_model_memory64(on)),
            "component_model_map" => apply(config.component_model_map(on)),
            "component_model_fixed_length_lists" => {
                apply(config.component_model_fixed_length_lists(on))
            }
            "component_model_implements" => apply(config.component_model_implements(on)),
            "hogs_memory" | "nan_canonicalization" | "spec_test" => {
                Some("it only tells wasmtime's harness how to run the script")
            }
            other => return Err(format!("unknown configuration switch `{other}`")),
        };
        if let Some(why) = why_not {
            ignored.push(format!("`{name} = {on}` is ignored: {why}"));
        }
    }
    Ok((config, ignored))
}

/// A switch applied to the configuration: nothing to report.
fn apply(_: &mut Config) -> Option<&'static str> {
    None
}

/// The engine of a script: its [`config`], with the runner's epoch ticker.
pub fn engine(script: &str) -> Result<(Engine, Vec<String>), String> {
    let (config, ignored) = config(script)?;
    let engine = Engine::new(&config).map_err(|e| format!("cannot create engine: {e:?}"))?;
    super::tick(&engine)?;
    Ok((engine, ignored))
}

/// The host resource types of the harness.
struct Resource1;
struct Resource2;

/// What `resource1`'s destructor records.
#[derive(Default)]
struct Drops {
    count: AtomicU32,
    last: AtomicU32,
}

/// Defines the harness's host items in `linker` (see the module docs):
/// `host-return-two` at the root; in instance `host`: `return-three`,
/// `nested` (`return-four`), `simple-module` (a core module exporting
/// global `g` = 100 and `f() -> 101`), resources `resource1` (its
/// destructor counts), `resource2` and `resource1-again` (the same type
/// as `resource1`, whose destructor must not run), the functions of
/// `resource1`, and `return-hi`.
pub fn link_host_items(linker: &mut Linker<()>) -> Result<()> {
    let engine = linker.engine().clone();
    linker
        .root()
        .func_wrap("host-return-two", |_, (): ()| Ok((2u32,)))?;
    let mut host = linker.instance("host")?;
    host.func_wrap("return-three", |_, (): ()| Ok((3u32,)))?;
    host.instance("nested")?
        .func_wrap("return-four", |_, (): ()| Ok((4u32,)))?;
    let module = wat::parse_str(
        r#"(module
            (global (export "g") i32 i32.const 100)
            (func (export "f") (result i32) i32.const 101))"#,
    )?;
    let module = Module::new(&engine, module)?;
    host.module("simple-module", &module)?;

    let drops = Arc::new(Drops::default());
    host.resource("resource1", ResourceType::host::<Resource1>(), {
        let drops = drops.clone();
        move |_, rep| {
            drops.count.fetch_add(1, Ordering::SeqCst);
            drops.last.store(rep, Ordering::SeqCst);
            Ok(())
        }
    })?;
    host.resource(
        "resource2",
        ResourceType::host::<Resource2>(),
        |_, _| Ok(()),
    )?;
    host.resource(
        "resource1-again",
        ResourceType::host::<Resource1>(),
        |_, rep| {
            Err(Error::msg(format!(
                "`resource1-again` {rep} was destroyed: it should not be"
            )))
        },
    )?;
    host.func_wrap("[constructor]resource1", |_, (rep,): (u32,)| {
        Ok((Resource::<Resource1>::new_own(rep),))
    })?;
    host.func_wrap(
        "[static]resource1.assert",
        |_, (resource, rep): (Resource<Resource1>, u32)| {
            check(
                resource.rep() == rep,
                "resource1.assert: another representation",
            )
        },
    )?;
    host.func_wrap("[static]resource1.last-drop", {
        let drops = drops.clone();
        move |_, (): ()| Ok((drops.last.load(Ordering::SeqCst),))
    })?;
    host.func_wrap("[static]resource1.drops", {
        let drops = drops.clone();
        move |_, (): ()| Ok((drops.count.load(Ordering::SeqCst),))
    })?;
    host.func_wrap(
        "[method]resource1.simple",
        |_, (resource, rep): (Resource<Resource1>, u32)| {
            check(!resource.owned(), "resource1.simple: `self` is owned")?;
            check(
                resource.rep() == rep,
                "resource1.simple: another representation",
            )
        },
    )?;
    host.func_wrap(
        "[method]resource1.take-borrow",
        |_, (a, b): (Resource<Resource1>, Resource<Resource1>)| {
            check(
                !a.owned() && !b.owned(),
                "resource1.take-borrow: an owned handle",
            )
        },
    )?;
    host.func_wrap(
        "[method]resource1.take-own",
        |_, (a, b): (Resource<Resource1>, Resource<Resource1>)| {
            check(
                !a.owned() && b.owned(),
                "resource1.take-own: wrong ownership",
            )
        },
    )?;
    host.func_wrap("return-hi", |_, (): ()| Ok(("hi".to_string(),)))?;
    Ok(())
}

/// `Ok(())`, or an error (trapping the guest) saying `what` when `ok` is
/// false: the harness's assertions, without panicking the host.
fn check(ok: bool, what: &str) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::msg(what.to_string()))
    }
}

/// Whether wit-host's error `actual` says what wasmtime's `expected`
/// message says. Each rule names the facts that must agree:
///
/// | wasmtime | wit-host |
/// |---|---|
/// | `… was not found` | `missing import …` |
/// | `expected K1 found K2` (kinds) | `the component expects a K1 …, the linker defines a K2`; for a core module's export `has type (K2…, the component expects (K1…`; for its import `as (K1…, the component gives it (K2…` |
/// | `mismatched resource types` | `… are the same type in the component, but the linker defines them as different types` |
/// | ``module export `E` not defined`` | ``the module does not export `E` `` |
/// | ``export `E` has the wrong type`` | ``the module's export `E` has type …`` |
/// | ``module import `M::N` has the wrong type`` | ``the module imports `M` `N` as …, the component gives it …`` |
/// | ``module import `M::N` not defined`` | ``the module imports `M` `N`, which the component does not give it`` |
/// | ``expected type `A`, found type `B` `` | `has type B, the component expects A` |
/// | `string pointer not aligned to N` | `unaligned pointer … for string (alignment N)` |
/// | `discriminant D out of range [0..N)` | `invalid variant discriminant D for variant with N cases` |
pub fn same_error(expected: &str, actual: &str) -> bool {
    let expected = expected.trim();
    if expected == "was not found" {
        return actual.contains("missing import");
    }
    if expected == "mismatched resource types" {
        return actual.contains(
            "are the same type in the component, but the linker defines them as different types",
        );
    }
    if let Some(rest) = expected.strip_prefix("expected type `")
        && let Some((want, rest)) = rest.split_once("`, found type `")
        && let Some(found) = rest.strip_suffix('`')
    {
        return actual.contains(&format!("has type {found}, the component expects {want}"));
    }
    if let Some(rest) = expected.strip_prefix("expected ")
        && let Some((want, found)) = rest.split_once(" found ")
    {
        // A component import, a core module's export (`(func …)`), or
        // what a component gives a core module's import.
        return (actual.contains(&format!("the component expects {}", kind(want)))
            && actual.contains(&format!("the linker defines {}", kind(found))))
            || (actual.contains(&format!("has type ({found}"))
                && actual.contains(&format!("the component expects ({want}")))
            || (actual.contains(&format!(" as ({want}"))
                && actual.contains(&format!("the component gives it ({found}")));
    }
    if let Some(rest) = expected.strip_prefix("export `")
        && let Some(name) = rest.strip_suffix("` has the wrong type")
    {
        return actual.contains(&format!("the module's export `{name}` has type"));
    }
    if let Some(rest) = expected.strip_prefix("module import `")
        && let Some(name) = rest.strip_suffix("` has the wrong type")
        && let Some((module, field)) = name.split_once("::")
    {
        return actual.contains(&format!("the module imports `{module}` `{field}` as"))
            && actual.contains("the component gives it");
    }
    if let Some(rest) = expected.strip_prefix("module export `")
        && let Some(name) = rest.strip_suffix("` not defined")
    {
        return actual.contains(&format!("the module does not export `{name}`"));
    }
    if let Some(rest) = expected.strip_prefix("module import `")
        && let Some(name) = rest.strip_suffix("` not defined")
        && let Some((module, field)) = name.split_once("::")
    {
        return actual.contains(&format!(
            "the module imports `{module}` `{field}`, which the component does not give it"
        ));
    }
    if let Some(align) = expected.strip_prefix("string pointer not aligned to ") {
        return actual.contains("unaligned pointer")
            && actual.contains(&format!("for string (alignment {align})"));
    }
    if let Some(rest) = expected.strip_prefix("discriminant ")
        && let Some((disc, rest)) = rest.split_once(" out of range [0..")
        && let Some(cases) = rest.strip_suffix(')')
    {
        return actual.contains(&format!(
            "invalid variant discriminant {disc} for variant with {cases} cases"
        ));
    }
    false
}

/// How wit-host's link errors name a kind wasmtime's name `word`.
fn kind(word: &str) -> String {
    match word {
        "func" => "a function".into(),
        "module" => "a core module".into(),
        "instance" => "an instance".into(),
        other => format!("a {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::same_error;

    #[test]
    fn equivalent_messages_match_by_their_facts() {
        assert!(same_error("was not found", "missing import `x`: nothing"));
        assert!(same_error(
            "expected instance found func",
            "import `f` has the wrong kind: the component expects an instance, the linker defines a function"
        ));
        assert!(same_error(
            "expected global found func",
            "the module's export `f` has type (func), the component expects (global i32)"
        ));
        assert!(same_error(
            "module import `env::something` not defined",
            "the module imports `env` `something`, which the component does not give it"
        ));
        assert!(same_error(
            "discriminant 2 out of range [0..2)",
            "invalid variant discriminant 2 for variant with 2 cases at 0x0"
        ));
        // Other facts do not match.
        assert!(!same_error(
            "expected instance found func",
            "the component expects a function, the linker defines an instance"
        ));
        assert!(!same_error(
            "discriminant 3 out of range [0..2)",
            "invalid variant discriminant 2 for variant with 2 cases"
        ));
        assert!(!same_error(
            "module export `a` not defined",
            "the module does not export `b`"
        ));
        assert!(!same_error("something else", "missing import"));
    }
}
