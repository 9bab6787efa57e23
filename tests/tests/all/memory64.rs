//! 64-bit memories in canonical options, and `(implements "…")` names:
//! both off by default (as in wasmtime 48), on with the
//! `ComponentModelConfig` switches. Between components, 64-bit memories
//! work (fused adapters and string transcoders:
//! `tests/wast/memory64*.wast`); the host's own lifting and lowering is
//! 32-bit, so a host-facing function with a 64-bit memory is refused: a
//! lowered import when the component is compiled (its core signature has
//! 64-bit pointers), a lifted export when it is instantiated (only then is
//! its memory known), and the store stays usable.

use crate::common::*;
use wit_host::{Component, Engine, Linker, Store, Val};

/// A 64-bit component echoing strings for a 32-bit one (a fused adapter
/// with a 64-bit side between them); the root exports the 32-bit `echo`.
const COMPOSED: &str = r#"(component
  (component $Echo64
    (core module $M
      (memory (export "mem") i64 1)
      (global $next (mut i64) (i64.const 0x1000))
      (func (export "realloc") (param i64 i64 i64 i64) (result i64)
        (local $ret i64)
        (local.set $ret (global.get $next))
        (global.set $next (i64.add (local.get $ret) (i64.add (local.get 3) (i64.const 8))))
        (local.get $ret))
      (func (export "echo") (param i64 i64) (result i64)
        (i64.store (i64.const 16) (local.get 0))
        (i64.store (i64.const 24) (local.get 1))
        (i64.const 16)))
    (core instance $m (instantiate $M))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $m "mem"))
        (realloc (core func $m "realloc")))))
  (instance $echo (instantiate $Echo64))
  (component $Fwd32
    (import "echo" (func $echo (param "s" string) (result string)))
    (core module $Libc
      (memory (export "mem") 1)
      (global $next (mut i32) (i32.const 0x1000))
      (func (export "realloc") (param i32 i32 i32 i32) (result i32)
        (local $ret i32)
        (local.set $ret (global.get $next))
        (global.set $next (i32.add (local.get $ret) (i32.add (local.get 3) (i32.const 8))))
        (local.get $ret)))
    (core instance $libc (instantiate $Libc))
    (core func $echo (canon lower (func $echo) (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
    (core module $M
      (import "" "echo" (func $echo (param i32 i32 i32)))
      (func (export "echo") (param i32 i32) (result i32)
        (call $echo (local.get 0) (local.get 1) (i32.const 8))
        (i32.const 8)))
    (core instance $m (instantiate $M (with "" (instance (export "echo" (func $echo))))))
    (func (export "echo") (param "s" string) (result string)
      (canon lift (core func $m "echo") (memory (core memory $libc "mem"))
        (realloc (core func $libc "realloc")))))
  (instance $fwd (instantiate $Fwd32 (with "echo" (func $echo "echo"))))
  (export "echo" (func $fwd "echo")))"#;

/// Lowers the host's `get` (returning a string) with a 64-bit memory.
const HOST_IMPORT_64: &str = r#"(component
  (import "get" (func $get (result string)))
  (core module $Libc
    (memory (export "mem") i64 1)
    (func (export "realloc") (param i64 i64 i64 i64) (result i64) (i64.const 64)))
  (core instance $libc (instantiate $Libc))
  (core func $get (canon lower (func $get)
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "" "get" (func (param i64))))
  (core instance $m (instantiate $M (with "" (instance (export "get" (func $get)))))))"#;

fn echo(store: &mut Store<()>, linker: &Linker<()>, component: &Component, s: &str) -> Val {
    let instance = linker.instantiate(&mut *store, component).unwrap();
    call1(store, &instance, "echo", &[Val::String(s.into())])
}

#[test]
fn memory64_is_off_by_default_and_named_in_the_error() {
    let err = Component::new(&engine(), COMPOSED).unwrap_err();
    let msg = format!("{err:?}");
    assert!(msg.contains("memory64"), "{msg}");
    // Core 64-bit memories alone are not enough for canonical options.
    let mut config = wit_host::Config::new();
    config.wasm_memory64(true);
    let err = Component::new(&Engine::new(&config).unwrap(), COMPOSED).unwrap_err();
    let msg = format!("{err:?}");
    assert!(
        msg.contains("64-bit memories require the `cm64` feature"),
        "{msg}"
    );
}

#[test]
fn a_string_crosses_a_64_bit_component_and_back() {
    let engine = proposals_engine();
    let component = compile(&engine, COMPOSED);
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    for s in ["", "plain", "wide ☃ 🦀"] {
        assert_eq!(
            echo(&mut store, &linker, &component, s),
            Val::String(s.into())
        );
    }
}

#[test]
fn a_precompiled_64_bit_composition_runs_after_the_round_trip() {
    let engine = proposals_engine();
    let bytes = compile(&engine, COMPOSED).serialize().unwrap();
    // SAFETY: the artifact was just written by `serialize` with this engine.
    let component = unsafe { Component::deserialize(&engine, &bytes) }.unwrap();
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    assert_eq!(
        echo(&mut store, &linker, &component, "after the trip"),
        Val::String("after the trip".into())
    );
}

#[test]
fn a_host_import_lowered_with_a_64_bit_memory_is_refused() {
    let err = Component::new(&proposals_engine(), HOST_IMPORT_64).unwrap_err();
    let msg = format!("{err:?}");
    assert!(
        msg.contains("not supported yet: a 64-bit memory in the canonical options")
            && msg.contains("lowered `func() -> string`"),
        "{msg}"
    );
}

/// Exports `get`, lifted with a 64-bit memory: valid, but the host cannot
/// call it.
const HOST_EXPORT_64: &str = r#"(component
  (core module $M
    (memory (export "mem") i64 1)
    (func (export "get") (result i64) (i64.const 0)))
  (core instance $m (instantiate $M))
  (func (export "get") (result string)
    (canon lift (core func $m "get") (memory (core memory $m "mem")))))"#;

#[test]
fn an_export_lifted_with_a_64_bit_memory_is_refused_at_instantiation() {
    let engine = proposals_engine();
    let component = compile(&engine, HOST_EXPORT_64);
    let mut store = Store::new(&engine, ());
    let linker = Linker::new(&engine);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    let msg = message(&err);
    assert!(
        msg.contains("not supported yet: a 64-bit memory in the canonical options"),
        "{msg}"
    );
    // The store is fine: a 64-bit composition still runs in it.
    let composed = compile(&engine, COMPOSED);
    assert_eq!(
        echo(&mut store, &linker, &composed, "still fine"),
        Val::String("still fine".into())
    );
}

/// An import annotated with the interface it implements.
const IMPLEMENTS: &str = r#"(component
  (import "primary" (implements "a:b/store") (instance)))"#;

#[test]
fn implements_names_follow_the_engine_switch() {
    let err = Component::new(&engine(), IMPLEMENTS).unwrap_err();
    let msg = format!("{err:?}");
    assert!(msg.contains("cm-implements"), "{msg}");
    let engine = proposals_engine();
    let component = compile(&engine, IMPLEMENTS);
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker.instance("primary").unwrap();
    linker.instantiate(&mut store, &component).unwrap();
}
