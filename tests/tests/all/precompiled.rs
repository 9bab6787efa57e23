//! Precompiled components: `Component::serialize` / `precompile` write an
//! artifact, `deserialize` / `deserialize_file` load it without compiling,
//! and the loaded component behaves exactly as the compiled one. Anything
//! that is not an intact artifact for this engine is refused with an error
//! that says why.

use std::sync::{Arc, Mutex};

use crate::common::{call1, s};
use crate::guests_common::{COMPOSED, load};
use wit_host::{Component, Config, Engine, Linker, Store, Val};

/// A component with memory, `realloc`, strings both ways, a host import and
/// a resource it defines.
const COMPONENT: &str = r#"
(component
  (import "log" (func $log (param "msg" string)))
  (core module $libc
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $libc (instantiate $libc))
  (core func $log_lowered (canon lower (func $log)
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $m
    (import "host" "log" (func $log (param i32 i32)))
    (import "libc" "mem" (memory 1))
    (func (export "echo") (param i32 i32) (result i32)
      (call $log (local.get 0) (local.get 1))
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0)))
  (core instance $i (instantiate $m
    (with "host" (instance (export "log" (func $log_lowered))))
    (with "libc" (instance $libc))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo")
      (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
)
"#;

/// Instantiates `component` with a `log` that records, and calls `echo`.
fn echo(engine: &Engine, component: &Component, text: &str) -> (Val, Vec<String>) {
    let logged = Arc::new(Mutex::new(Vec::new()));
    let sink = logged.clone();
    let mut linker = Linker::<()>::new(engine);
    linker
        .root()
        .func_new("log", move |_store, _ty, params, _results| {
            if let [Val::String(msg)] = params {
                sink.lock().unwrap().push(msg.clone());
            }
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(engine, ());
    let instance = linker.instantiate(&mut store, component).unwrap();
    let result = call1(&mut store, &instance, "echo", &[s(text)]);
    let logged = logged.lock().unwrap().clone();
    (result, logged)
}

#[test]
fn serialized_component_loads_and_runs_like_the_compiled_one() {
    let engine = Engine::default();
    let compiled = Component::new(&engine, COMPONENT).unwrap();
    let bytes = compiled.serialize().unwrap();
    // SAFETY: made by `serialize` just above, with this engine.
    let loaded = unsafe { Component::deserialize(&engine, &bytes) }.unwrap();
    assert_eq!(loaded.component_type(), compiled.component_type());
    assert_eq!(
        echo(&engine, &loaded, "héllo 😀"),
        echo(&engine, &compiled, "héllo 😀")
    );
    assert_eq!(
        echo(&engine, &loaded, "héllo 😀"),
        (s("héllo 😀"), vec!["héllo 😀".to_string()])
    );
}

#[test]
fn precompile_writes_the_same_artifact_as_serialize_every_time() {
    let engine = Engine::default();
    let precompiled = Component::precompile(&engine, COMPONENT).unwrap();
    let again = Component::precompile(&engine, COMPONENT).unwrap();
    assert!(precompiled == again, "precompiling is deterministic");
    let serialized = Component::new(&engine, COMPONENT)
        .unwrap()
        .serialize()
        .unwrap();
    assert!(precompiled == serialized, "precompile == new + serialize");
}

#[test]
fn an_engine_with_a_compilation_cache_compiles_each_core_module_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache_config = wit_host::CacheConfig::new();
    cache_config.with_directory(dir.path());
    let cache = wit_host::Cache::new(cache_config).unwrap();
    let mut config = Config::new();
    config.cache(Some(cache.clone()));
    let engine = Engine::new(&config).unwrap();

    // The component's two core modules: compiled and stored the first
    // time, found in the cache the second (in a fresh engine too: the
    // cache is on disk).
    let first = Component::new(&engine, COMPONENT).unwrap();
    assert_eq!((cache.cache_hits(), cache.cache_misses()), (0, 2));
    let again = Component::new(&engine, COMPONENT).unwrap();
    assert_eq!(cache.cache_hits(), 2);
    let fresh = Engine::new(&config).unwrap();
    let third = Component::new(&fresh, COMPONENT).unwrap();
    assert_eq!(cache.cache_hits(), 4);
    for (engine, component) in [(&engine, &first), (&engine, &again), (&fresh, &third)] {
        assert_eq!(echo(engine, component, "hé").0, s("hé"));
    }
}

#[test]
fn deserialize_file_reads_the_artifact_and_names_the_file_on_error() {
    let engine = Engine::default();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("echo.cwasm");
    std::fs::write(&path, Component::precompile(&engine, COMPONENT).unwrap()).unwrap();
    // SAFETY: the file was just written by `precompile` with this engine.
    let loaded = unsafe { Component::deserialize_file(&engine, &path) }.unwrap();
    assert_eq!(echo(&engine, &loaded, "a").0, s("a"));

    let missing = dir.path().join("missing.cwasm");
    // SAFETY: the file does not exist; nothing is loaded.
    let err = unsafe { Component::deserialize_file(&engine, &missing) }.unwrap_err();
    assert!(format!("{err:#}").contains("missing.cwasm"), "{err:#}");
}

/// The message of the error `deserialize` gives for `bytes`.
fn refused(engine: &Engine, bytes: &[u8]) -> String {
    // SAFETY: every input here is refused by the header checks, before any
    // code would be loaded; the tests assert exactly that.
    match unsafe { Component::deserialize(engine, bytes) } {
        Ok(_) => panic!("a damaged artifact was accepted"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn other_kinds_of_bytes_are_refused_by_name() {
    let engine = Engine::default();
    let component = b"\0asm\x0d\0\x01\0";
    assert!(refused(&engine, component).contains("Component::new"));
    let core = wit_host::Module::new(&engine, b"\0asm\x01\0\0\0").unwrap();
    let core = core.serialize().unwrap();
    assert!(refused(&engine, &core).contains("wasmtime's own artifacts"));
    assert!(refused(&engine, b"hello, world, this is text").contains("not a wit-host"));
    assert!(refused(&engine, b"").contains("too short"));
}

#[test]
fn truncated_extended_and_corrupted_artifacts_are_refused() {
    let engine = Engine::default();
    let bytes = Component::precompile(&engine, COMPONENT).unwrap();
    for cut in [0, 10, 30, 60, bytes.len() / 2, bytes.len() - 1] {
        let err = refused(&engine, &bytes[..cut]);
        assert!(
            err.contains("too short") || err.contains("truncated"),
            "cut at {cut}: {err}"
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(refused(&engine, &longer).contains("truncated or has bytes appended"));
    // A flipped bit anywhere after the header: the checksum catches it,
    // whether it falls in the plan or in machine code.
    let header = bytes.len() - payload_len(&bytes);
    for at in [
        header,
        header + 7,
        (header + bytes.len()) / 2,
        bytes.len() - 1,
    ] {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x10;
        assert!(
            refused(&engine, &flipped).contains("corrupt"),
            "bit at {at}"
        );
    }
}

/// The payload length the header records (the last header field but one).
fn payload_len(bytes: &[u8]) -> usize {
    let mut at = 16 + 4;
    for _ in 0..2 {
        at += 1 + usize::from(bytes[at]);
    }
    at += 8;
    u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize
}

#[test]
fn artifacts_of_other_versions_are_refused() {
    let engine = Engine::default();
    let bytes = Component::precompile(&engine, COMPONENT).unwrap();
    let mut format = bytes.clone();
    format[16] = 0xee;
    let err = refused(&engine, &format);
    assert!(
        err.contains("artifact format") && err.contains("precompile it again"),
        "{err}"
    );
    // The wit-host version string starts at byte 21: change its first digit.
    let mut version = bytes.clone();
    version[21] = b'9';
    let err = refused(&engine, &version);
    assert!(err.contains("precompiled with wit-host 9"), "{err}");
}

#[test]
fn an_engine_with_other_compilation_settings_is_refused() {
    let engine = Engine::default();
    let bytes = Component::precompile(&engine, COMPONENT).unwrap();
    let mut config = Config::new();
    config.consume_fuel(true);
    let other = Engine::new(&config).unwrap();
    let err = refused(&other, &bytes);
    assert!(err.contains("other compilation settings"), "{err}");
    // An engine configured the same way loads it.
    let same = Engine::new(&Config::new()).unwrap();
    // SAFETY: made by `precompile` above, for an identically configured engine.
    let loaded = unsafe { Component::deserialize(&same, &bytes) }.unwrap();
    assert_eq!(echo(&same, &loaded, "x").0, s("x"));
}

/// A real composition (two C guests, fused adapters transcoding strings
/// between them) survives the round trip.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn a_composition_of_real_guests_runs_after_the_round_trip() {
    let Some((engine, compiled)) = load(COMPOSED) else {
        return;
    };
    let bytes = compiled.serialize().unwrap();
    // SAFETY: made by `serialize` just above, with this engine.
    let loaded = unsafe { Component::deserialize(&engine, &bytes) }.unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker
        .instance("test:compose/log")
        .unwrap()
        .func_new("log", |_store, _ty, _params, _results| Ok(()))
        .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &loaded).unwrap();
    let result = call1(
        &mut store,
        &instance,
        "test:compose/app#shout",
        &[s("hello wörld  😀 ok")],
    );
    assert_eq!(result, s("HELLO · WöRLD · 😀 · OK"));
}
