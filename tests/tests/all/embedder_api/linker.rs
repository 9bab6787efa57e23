//! `Linker::define_unknown_imports_as_traps`, `Clone for Linker`,
//! `Linker::substituted_component_type`, and the function type that
//! `func_new`'s closure receives.

use crate::common::*;
use wit_host::{Linker, ResourceType, Val};

/// Imports a root function `f`, and an interface with functions `a` and
/// `b` and a resource type `res`; exports `call-f`, `call-a` and
/// `call-b`, which call them.
fn importer(api: &str) -> String {
    format!(
        r#"(component
  (import "f" (func $f (result u32)))
  (import "{api}" (instance $api
    (export "res" (type (sub resource)))
    (export "a" (func (result u32)))
    (export "b" (func (result u32)))))
  (core func $f (canon lower (func $f)))
  (core func $a (canon lower (func $api "a")))
  (core func $b (canon lower (func $api "b")))
  (core module $M
    (import "h" "f" (func $f (result i32)))
    (import "h" "a" (func $a (result i32)))
    (import "h" "b" (func $b (result i32)))
    (func (export "call-f") (result i32) (call $f))
    (func (export "call-a") (result i32) (call $a))
    (func (export "call-b") (result i32) (call $b)))
  (core instance $m (instantiate $M (with "h" (instance
    (export "f" (func $f)) (export "a" (func $a)) (export "b" (func $b))))))
  (func (export "call-f") (result u32) (canon lift (core func $m "call-f")))
  (func (export "call-a") (result u32) (canon lift (core func $m "call-a")))
  (func (export "call-b") (result u32) (canon lift (core func $m "call-b"))))"#
    )
}

/// Missing functions, inside instances too, become functions that trap
/// naming the import; what the linker defines stays and works.
#[test]
fn unknown_imports_trap_naming_the_import_and_defined_ones_work() {
    let (engine, mut store, mut linker) = setup(());
    let component = compile(&engine, &importer("test:app/api@1.0.0"));
    linker
        .instance("test:app/api@1.0.0")
        .unwrap()
        .func_wrap("a", |_store, (): ()| Ok((10u32,)))
        .unwrap();
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import `f`"]);

    linker.define_unknown_imports_as_traps(&component).unwrap();
    let instance = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &instance, "call-a", &[]), Val::U32(10));
    // Each stub fails, naming its import; a failed call locks the
    // instance down, so each is tried in a fresh instance.
    for (export, import) in [("call-b", "test:app/api@1.0.0#b"), ("call-f", "f")] {
        let instance = linker.instantiate(&mut store, &component).unwrap();
        let err = call_err(&mut store, &instance, export, &[]);
        assert_contains_all(
            &err,
            &[&format!("unknown import: `{import}` has not been defined")],
        );
    }
}

/// Stubbing twice, or stubbing a linker that defines everything, changes
/// nothing; the instance the linker defines under a semver-compatible name
/// is filled in, not shadowed by a new one.
#[test]
fn unknown_imports_fill_in_compatible_instances_and_are_idempotent() {
    let (engine, mut store, mut linker) = setup(());
    let component = compile(&engine, &importer("test:app/api@1.0.3"));
    linker
        .instance("test:app/api@1.0.0")
        .unwrap()
        .func_wrap("a", |_store, (): ()| Ok((11u32,)))
        .unwrap();
    linker.define_unknown_imports_as_traps(&component).unwrap();
    linker.define_unknown_imports_as_traps(&component).unwrap();
    let instance = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &instance, "call-a", &[]), Val::U32(11));
    // The stubbed resource type is a host type, like wasmtime's.
    let ty = linker.substituted_component_type(&component).unwrap();
    assert_eq!(
        ty.resource("test:app/api@1.0.3#res"),
        Some(&ResourceType::host::<()>())
    );
}

/// A core module cannot be made up: a missing one is an error that names
/// it, a defined one is kept.
#[test]
fn unknown_module_imports_are_an_error() {
    let (engine, _store, mut linker) = setup(());
    let component = compile(
        &engine,
        r#"(component (import "m" (core module $m (export "f" (func)))))"#,
    );
    let err = linker
        .define_unknown_imports_as_traps(&component)
        .unwrap_err();
    assert_contains_all(&message(&err), &["core module import `m`"]);

    let module = wit_host::Module::new(&engine, encode(r#"(module (func (export "f")))"#)).unwrap();
    linker.root().module("m", &module).unwrap();
    linker.define_unknown_imports_as_traps(&component).unwrap();
}

/// A clone has the definitions of its original; what either defines
/// afterwards, the other does not see.
#[test]
fn a_cloned_linker_is_independent_of_its_original() {
    let (engine, mut store, mut base) = setup(());
    let component = compile(&engine, &importer("test:app/api@1.0.0"));
    base.instance("test:app/api@1.0.0")
        .unwrap()
        .func_wrap("a", |_store, (): ()| Ok((1u32,)))
        .unwrap();
    let mut full = base.clone();
    full.root()
        .func_wrap("f", |_store, (): ()| Ok((2u32,)))
        .unwrap();
    full.instance("test:app/api@1.0.0")
        .unwrap()
        .func_wrap("b", |_store, (): ()| Ok((3u32,)))
        .unwrap();
    full.instance("test:app/api@1.0.0")
        .unwrap()
        .resource("res", ResourceType::host::<u8>(), |_, _| Ok(()))
        .unwrap();

    let instance = full.instantiate(&mut store, &component).unwrap();
    for (export, expected) in [("call-a", 1), ("call-f", 2), ("call-b", 3)] {
        assert_eq!(
            call1(&mut store, &instance, export, &[]),
            Val::U32(expected)
        );
    }
    // The original gained nothing ...
    let err = base.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import `f`"]);
    // ... and what it defines now, the clone does not get.
    base.root()
        .func_wrap("f", |_store, (): ()| Ok((20u32,)))
        .unwrap();
    let instance = full.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &instance, "call-f", &[]), Val::U32(2));
}

/// The substituted type names the linker's resource type for every name
/// the component imports a resource type under; a linker that does not
/// satisfy the component is an error.
#[test]
fn substituted_component_type_gives_the_linkers_resource_types() {
    struct Res;
    let (engine, _store, mut linker) = setup(());
    let component = compile(&engine, &importer("test:app/api@1.0.0"));
    let err = linker.substituted_component_type(&component).unwrap_err();
    assert_contains_all(&message(&err), &["missing import"]);

    linker
        .root()
        .func_wrap("f", |_s, (): ()| Ok((0u32,)))
        .unwrap();
    let mut api = linker.instance("test:app/api@1.0.0").unwrap();
    api.func_wrap("a", |_s, (): ()| Ok((0u32,))).unwrap();
    api.func_wrap("b", |_s, (): ()| Ok((0u32,))).unwrap();
    api.resource("res", ResourceType::host::<Res>(), |_, _| Ok(()))
        .unwrap();
    let ty = linker.substituted_component_type(&component).unwrap();
    assert_eq!(
        ty.resources().collect::<Vec<_>>(),
        [("test:app/api@1.0.0#res", &ResourceType::host::<Res>())]
    );
    assert_eq!(ty.signature(), &component.component_type());
    assert_eq!(ty.imports().len(), 2);
    assert_eq!(ty.resource("nothing"), None);
}

/// `func_new`'s closure gets the type of the import it implements.
#[test]
fn func_new_receives_the_imports_function_type() {
    let (engine, mut store, mut linker) = setup(Vec::<String>::new());
    let component = compile(&engine, &importer("test:app/api@1.0.0"));
    let record = |mut store: wit_host::StoreContextMut<'_, Vec<String>>,
                  ty: &wit_host::types::FuncType,
                  _params: &[Val],
                  results: &mut [Val]| {
        store.data_mut().push(ty.to_string());
        results[0] = Val::U32(ty.results().len() as u32);
        Ok(())
    };
    linker.root().func_new("f", record).unwrap();
    let mut api = linker.instance("test:app/api@1.0.0").unwrap();
    api.func_new("a", record).unwrap();
    api.func_new("b", record).unwrap();
    api.resource("res", ResourceType::host::<()>(), |_, _| Ok(()))
        .unwrap();
    let instance = linker.instantiate(&mut store, &component).unwrap();
    assert_eq!(call1(&mut store, &instance, "call-f", &[]), Val::U32(1));
    assert_eq!(store.data(), &["func() -> u32"]);
}

/// A linker's clone can be handed to another thread (closures are shared,
/// not copied).
#[test]
fn linker_clones_are_send() {
    fn assert_send<T: Send + Sync>(_: &T) {}
    let linker = Linker::<()>::new(&engine());
    let clone = linker.clone();
    assert_send(&clone);
}

/// An imported instance that the linker defines as something else cannot
/// be filled in: an error naming it, not a panic; the definition stays.
#[test]
fn unknown_imports_under_a_name_of_another_kind_are_an_error() {
    let (engine, _store, mut linker) = setup(());
    let component = compile(&engine, &importer("test:app/api@1.0.0"));
    linker
        .root()
        .func_wrap("test:app/api@1.0.0", |_s, (): ()| Ok((0u32,)))
        .unwrap();
    let err = linker
        .define_unknown_imports_as_traps(&component)
        .unwrap_err();
    assert_contains_all(
        &message(&err),
        &["`test:app/api@1.0.0` is already defined as a function"],
    );
}
