//! Resolving a component's imports: missing imports name their path,
//! wrong kinds, unused definitions, versioned interfaces, and
//! `instantiate_pre` (reused for many stores, errors before any store).

use super::add;
use crate::common::*;
use wit_host::{Component, Engine, Linker, Store, Val};

#[test]
fn missing_function_import_names_the_import() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, CALLS_F);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import", "`f`"]);
}

#[test]
fn missing_interface_import_names_the_interface() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (import "ns:pkg/iface@1.2.3" (instance (export "go" (func)))))"#;
    let component = compile(&engine, wat);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import", "ns:pkg/iface@1.2.3"]);
}

/// An imported instance that holds only value types and such instances
/// needs no definition (as in wasmtime); one holding a function does.
#[test]
fn instances_of_types_only_need_no_definition() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (import "empty" (instance))
  (import "nested" (instance (export "x" (instance))))
  (import "types" (instance
    (type $t u64)
    (export "a" (type $a (eq $t)))
    (export "inner" (instance (export "b" (type (eq $a))))))))"#;
    let component = compile(&engine, wat);
    linker.instantiate(&mut store, &component).unwrap();
    let wat = r#"(component
  (import "types" (instance
    (export "x" (instance))
    (export "go" (func)))))"#;
    let component = compile(&engine, wat);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import", "`types`"]);
}

#[test]
fn missing_function_inside_a_defined_interface_names_its_path() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .instance("ns:pkg/iface@1.2.3")
        .unwrap()
        .func_new("other", add(1))
        .unwrap();
    let wat = r#"(component
  (import "ns:pkg/iface@1.2.3" (instance (export "go" (func)))))"#;
    let component = compile(&engine, wat);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import", "ns:pkg/iface@1.2.3#go"]);
}

#[test]
fn importing_a_function_defined_as_an_instance_is_a_wrong_kind_error() {
    let (engine, mut store, mut linker) = setup(());
    linker.instance("f").unwrap().func_new("g", add(1)).unwrap();
    let component = compile(&engine, CALLS_F);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(
        &message(&err),
        &[
            "import `f` has the wrong kind",
            "the component expects a function",
            "the linker defines an instance",
        ],
    );
}

#[test]
fn importing_an_instance_defined_as_a_function_is_a_wrong_kind_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("ns:pkg/iface@1.2.3", add(1))
        .unwrap();
    let wat = r#"(component
  (import "ns:pkg/iface@1.2.3" (instance (export "go" (func)))))"#;
    let component = compile(&engine, wat);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(
        &message(&err),
        &[
            "import `ns:pkg/iface@1.2.3` has the wrong kind",
            "the component expects an instance",
            "the linker defines a function",
        ],
    );
}

#[test]
fn unused_linker_definitions_are_fine() {
    let (engine, mut store, mut linker) = setup(());
    linker.root().func_new("f", add(1)).unwrap();
    linker.root().func_new("unused", add(1)).unwrap();
    linker
        .instance("unused:pkg/iface")
        .unwrap()
        .func_new("g", add(1))
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(1)]),
        Val::U32(2)
    );
}

#[test]
fn interface_import_with_version_is_satisfied_by_linker_instance() {
    let (engine, mut store, mut linker) = setup(Vec::<String>::new());
    linker
        .instance("ns:pkg/log@1.2.3")
        .unwrap()
        .func_new("print", |mut store, _ty, params, _results| {
            let Val::String(s) = &params[0] else { panic!() };
            store.data_mut().push(s.clone());
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  (import "ns:pkg/log@1.2.3" (instance $log (export "print" (func (param "msg" string)))))
  {LIBC}
  (core func $print (canon lower (func $log "print") {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "log" "print" (func $print (param i32 i32)))
    (data (i32.const 128) "logged")
    (func (export "run") (call $print (i32.const 128) (i32.const 6))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "log" (instance (export "print" (func $print))))))
  (func (export "run") (canon lift (core func $m "run"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    call(&mut store, &instance, "run", &[]).unwrap();
    assert_eq!(store.data().clone(), vec!["logged".to_string()]);
}

// ---------------------------------------------------------------- instantiate_pre

#[test]
fn instantiate_pre_is_reused_for_many_stores() {
    let engine = engine();
    let mut linker = Linker::<u32>::new(&engine);
    linker
        .root()
        .func_new("f", |mut store, _ty, params, results| {
            *store.data_mut() += 1;
            let Val::U32(x) = params[0] else { panic!() };
            results[0] = Val::U32(x * 10 + *store.data());
            Ok(())
        })
        .unwrap();
    let component = compile(&engine, CALLS_F);
    let pre = linker.instantiate_pre(&component).unwrap();
    for i in 0..5u32 {
        let mut store = Store::new(&engine, i);
        let instance = pre.instantiate(&mut store).unwrap();
        assert_eq!(
            call1(&mut store, &instance, "call-f", &[Val::U32(3)]),
            Val::U32(30 + i + 1)
        );
        assert_eq!(*store.data(), i + 1);
    }
}

#[test]
fn instantiate_pre_reports_missing_imports_before_any_store_exists() {
    let engine = engine();
    let linker = Linker::<()>::new(&engine);
    let component = compile(&engine, CALLS_F);
    let err = linker
        .instantiate_pre(&component)
        .err()
        .expect("`f` is missing");
    assert_contains_all(&message(&err), &["missing import", "`f`"]);
}

#[test]
fn one_store_holds_several_instances() {
    let (engine, mut store, mut linker) = setup(());
    linker.root().func_new("f", add(1)).unwrap();
    let component = compile(&engine, CALLS_F);
    let a = linker.instantiate(&mut store, &component).unwrap();
    let b = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &a, "call-f", &[Val::U32(1)]), Val::U32(2));
    assert_eq!(call1(&mut store, &b, "call-f", &[Val::U32(2)]), Val::U32(3));
}

/// A component that imports a core module and lifts its functions with a
/// `post-return` from it.
const IMPORTS_A_MODULE: &str = r#"(component
    (import "m" (core module $M
        (export "memory" (memory 1))
        (export "echo" (func (param i32) (result i32)))
        (export "pr" (func (param i32)))))
    (core instance $i (instantiate $M))
    (alias core export $i "pr" (core func $pr))
    (func (export "echo") (param "x" u32) (result u32)
        (canon lift (core func $i "echo") (post-return $pr))))"#;

/// `component` pre-instantiated with the core module `module_wat` as its
/// import `m`.
fn pre_with_module(
    component: &Component,
    module_wat: &str,
) -> wit_host::Result<wit_host::InstancePre<()>> {
    let engine = component.engine();
    let module = wit_host::Module::new(engine, encode(module_wat)).unwrap();
    let mut linker = Linker::<()>::new(engine);
    linker.root().module("m", &module).unwrap();
    linker.instantiate_pre(component)
}

/// The host's core module is checked against the type the component
/// declares for it, once, before any store exists: a `post-return` of
/// another signature (which the typed call would call unchecked) is
/// refused, and so are a missing export and an import the component does
/// not give.
#[test]
fn an_imported_core_module_must_match_its_declared_type() {
    let engine = Engine::default();
    let component = Component::new(&engine, IMPORTS_A_MODULE).unwrap();
    let pre = |module_wat: &str| pre_with_module(&component, module_wat);
    let returns: String = (0..20).map(|_| " i64").collect();
    let wide = format!(
        r#"(module (memory (export "memory") 1)
            (func (export "echo") (param i32) (result i32) local.get 0)
            (func (export "pr") (param{returns}) (result{returns}) unreachable))"#
    );
    let err = pre(&wide).err().unwrap().to_string();
    assert!(
        err.contains("import `m`") && err.contains("export `pr` has type (func (param i64"),
        "{err}"
    );
    let missing = r#"(module (memory (export "memory") 1)
        (func (export "echo") (param i32) (result i32) local.get 0))"#;
    let err = pre(missing).err().unwrap().to_string();
    assert!(err.contains("does not export `pr`"), "{err}");
    let importing = r#"(module (import "env" "f" (func))
        (memory (export "memory") 1)
        (func (export "echo") (param i32) (result i32) local.get 0)
        (func (export "pr") (param i32)))"#;
    let err = pre(importing).err().unwrap().to_string();
    assert!(err.contains("imports `env` `f`"), "{err}");

    let good = r#"(module (memory (export "memory") 2)
        (func (export "echo") (param i32) (result i32) local.get 0)
        (func (export "pr") (param i32))
        (func (export "more")))"#;
    let pre = pre(good).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = pre.instantiate(&mut store).unwrap();
    let echo = instance
        .get_typed_func::<(u32,), (u32,)>(&mut store, "echo")
        .unwrap();
    assert_eq!(echo.call(&mut store, (7,)).unwrap(), (7,));
}

/// Each `InstancePre` finds the core exports the component uses in the
/// module its linker supplies: two modules of the same type whose exports
/// sit at different indices (in another order, after other items) each
/// give their own `echo` and `post-return`, from pres made of one
/// component and used in turn.
#[test]
fn each_instance_pre_finds_exports_in_its_own_imported_module() {
    let engine = Engine::default();
    let component = Component::new(&engine, IMPORTS_A_MODULE).unwrap();
    let pre = |module_wat: &str| pre_with_module(&component, module_wat).unwrap();
    let plain = pre(r#"(module (memory (export "memory") 1)
        (func (export "echo") (param i32) (result i32) local.get 0)
        (func (export "pr") (param i32)))"#);
    let reordered = pre(r#"(module
        (func (export "other") (param i32) (result i32) unreachable)
        (func (export "pr") (param i32))
        (func (export "echo") (param i32) (result i32)
            local.get 0 i32.const 100 i32.add)
        (global (export "g") i32 (i32.const 0))
        (memory (export "memory") 1))"#);
    for _ in 0..2 {
        for (pre, expected) in [(&plain, 7), (&reordered, 107)] {
            let mut store = Store::new(&engine, ());
            let instance = pre.instantiate(&mut store).unwrap();
            let echo = instance
                .get_typed_func::<(u32,), (u32,)>(&mut store, "echo")
                .unwrap();
            assert_eq!(echo.call(&mut store, (7,)).unwrap(), (expected,));
        }
    }
}
