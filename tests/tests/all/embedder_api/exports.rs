//! `Component::get_export`, `Instance::{get_export, get_export_index,
//! get_resource, get_module}` and `Component::image_range`.

use crate::common::*;
use wit_host::{ComponentItem, Val};

/// Exports a function `one`, an instance `test:app/api` with a function
/// `two` and a resource type `res` (defined by the component), and the
/// core module `m`; `make` returns a new `res`.
const EXPORTER: &str = r#"(component
  (type $res (resource (rep i32)))
  (core func $new (canon resource.new $res))
  (core module $M
    (import "r" "new" (func $new (param i32) (result i32)))
    (func (export "one") (result i32) i32.const 1)
    (func (export "two") (result i32) i32.const 2)
    (func (export "make") (result i32) (call $new (i32.const 7))))
  (core instance $m (instantiate $M (with "r" (instance (export "new" (func $new))))))
  (func $one (result u32) (canon lift (core func $m "one")))
  (func $two (result u32) (canon lift (core func $m "two")))
  (export $res' "res" (type $res))
  (func $make (result (own $res')) (canon lift (core func $m "make")))
  (instance $api
    (export "two" (func $two))
    (export "res" (type $res'))
    (export "make" (func $make)))
  (export "one" (func $one))
  (export "test:app/api" (instance $api))
  (export "m" (core module $M)))"#;

/// `Component::get_export` gives each export's type with its index; the
/// index then finds the function in any instance.
#[test]
fn component_get_export_gives_types_and_indices() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, EXPORTER);

    let (item, one) = component.get_export(None, "one").unwrap();
    assert!(matches!(&item, ComponentItem::Func(ty) if ty.to_string() == "func() -> u32"));
    let (item, api) = component.get_export(None, "test:app/api").unwrap();
    let ComponentItem::Instance(items) = item else {
        panic!("not an instance: {item}")
    };
    let mut names: Vec<&str> = items.iter().map(|(n, _)| n.as_str()).collect();
    names.sort();
    assert_eq!(names, ["make", "res", "two"]);
    let (item, two) = component.get_export(Some(&api), "two").unwrap();
    assert!(matches!(item, ComponentItem::Func(_)));
    let (item, res) = component.get_export(Some(&api), "res").unwrap();
    assert!(matches!(item, ComponentItem::Resource(_)), "{item}");
    assert!(res.is_resource());
    let (item, m) = component.get_export(None, "m").unwrap();
    assert!(matches!(item, ComponentItem::Module(_)), "{item}");
    assert!(m.is_module());

    // Nothing, or the wrong parent, is `None`.
    assert!(component.get_export(None, "two").is_none());
    assert!(component.get_export(Some(&api), "one").is_none());
    assert!(component.get_export(Some(&one), "x").is_none());
    let other = compile(&engine, EXPORTER);
    assert!(other.get_export(Some(&api), "two").is_none());

    let instance = linker.instantiate(&mut store, &component).unwrap();
    let two = instance
        .get_typed_func::<(), (u32,)>(&mut store, &two)
        .unwrap();
    assert_eq!(two.call(&mut store, ()).unwrap(), (2,));
    assert!(instance.get_func(&mut store, &res).is_none());
}

/// The instance's `get_export` and `get_export_index` find what the
/// component's do, and nothing through a foreign store.
#[test]
fn instance_get_export_and_index() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, EXPORTER);
    let instance = linker.instantiate(&mut store, &component).unwrap();

    let api = instance
        .get_export_index(&mut store, None, "test:app/api")
        .unwrap();
    let (item, two) = instance.get_export(&mut store, Some(&api), "two").unwrap();
    assert!(matches!(item, ComponentItem::Func(_)));
    let two = instance.get_func(&mut store, &two).unwrap();
    let mut results = [Val::U32(0)];
    two.call(&mut store, &[], &mut results).unwrap();
    assert_eq!(results[0], Val::U32(2));
    assert!(
        instance
            .get_export_index(&mut store, Some(&api), "nothing")
            .is_none()
    );

    let mut other_store = wit_host::Store::new(&engine, ());
    assert!(instance.get_export(&mut other_store, None, "one").is_none());
    assert!(
        instance
            .get_export_index(&mut other_store, None, "one")
            .is_none()
    );
}

/// An exported resource type the component defines is a new type in every
/// instance: the type of the resources that instance makes.
#[test]
fn get_resource_gives_each_instances_own_type() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, EXPORTER);
    let a = linker.instantiate(&mut store, &component).unwrap();
    let b = linker.instantiate(&mut store, &component).unwrap();

    let res_a = a.get_resource(&mut store, "test:app/api#res").unwrap();
    let res_b = b.get_resource(&mut store, "test:app/api#res").unwrap();
    assert_ne!(res_a, res_b);
    // By index too.
    let api = component.get_export_index(None, "test:app/api").unwrap();
    let index = component.get_export_index(Some(&api), "res").unwrap();
    assert_eq!(a.get_resource(&mut store, &index), Some(res_a.clone()));

    let made = call1(&mut store, &a, "test:app/api#make", &[]);
    let Val::Resource(made) = made else {
        panic!("expected a resource, got {made:?}")
    };
    assert_eq!(made.ty(), Some(&res_a));

    // Not a resource, or not there: `None`.
    assert!(a.get_resource(&mut store, "one").is_none());
    assert!(a.get_resource(&mut store, "test:app/api#nothing").is_none());
    let mut other_store = wit_host::Store::new(&engine, ());
    assert!(
        a.get_resource(&mut other_store, "test:app/api#res")
            .is_none()
    );
}

/// An exported core module: one of the component's own (which is also
/// among its image ranges), or an imported one exported again (the very
/// module the host gave).
#[test]
fn get_module_gives_own_and_reexported_modules() {
    let (engine, mut store, mut linker) = setup(());
    let component = compile(&engine, EXPORTER);
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let module = instance.get_module(&mut store, "m").unwrap();
    let exports: Vec<String> = module.exports().map(|e| e.name().to_string()).collect();
    assert_eq!(exports, ["one", "two", "make"]);
    assert!(component.image_range().contains(&module.image_range()));
    assert!(instance.get_module(&mut store, "one").is_none());

    let reexporter = compile(
        &engine,
        r#"(component
  (import "host-module" (core module $m (export "f" (func))))
  (export "again" (core module $m)))"#,
    );
    let given = wit_host::Module::new(&engine, encode(r#"(module (func (export "f")))"#)).unwrap();
    linker.root().module("host-module", &given).unwrap();
    let instance = linker.instantiate(&mut store, &reexporter).unwrap();
    let again = instance.get_module(&mut store, "again").unwrap();
    assert!(wit_host::Module::same(&again, &given));
    assert!(reexporter.image_range().is_empty());
}

/// `image_range` has one non-empty range per core module the component
/// compiled, and no two overlap.
#[test]
fn image_range_covers_each_core_module() {
    let engine = engine();
    let component = compile(
        &engine,
        r#"(component
  (core module $A (func (export "a") (result i32) i32.const 1))
  (core module $B (func (export "b") (result i32) i32.const 2))
  (core instance $a (instantiate $A))
  (core instance $b (instantiate $B))
  (func (export "a") (result u32) (canon lift (core func $a "a")))
  (func (export "b") (result u32) (canon lift (core func $b "b"))))"#,
    );
    let ranges = component.image_range();
    assert_eq!(ranges.len(), 2);
    for r in &ranges {
        assert!(r.start < r.end, "{r:?}");
    }
    assert!(ranges[0].end <= ranges[1].start || ranges[1].end <= ranges[0].start);
    // A clone shares the compiled code.
    assert_eq!(component.clone().image_range(), ranges);
}
