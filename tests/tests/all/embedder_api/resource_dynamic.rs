//! `ResourceType::host_dynamic` and `ResourceDynamic`: resource types the
//! host makes at run time, distinct from each other and from every other
//! resource type.

use crate::common::*;
use wit_host::{Resource, ResourceAny, ResourceDynamic, ResourceType, Val};

/// Imports two resource types, `a` and `b`, and `count-a: func() -> u32`;
/// exports `echo-a` and `echo-b` (which take an owned handle and give it
/// back), `drop-a` and `drop-b` (which drop the handle they are given),
/// and `count-a: func(x: borrow<a>) -> u32` (dropping the borrow, then
/// calling the host's `count-a`).
const GUEST: &str = r#"(component
  (import "test:dyn/host" (instance $host
    (export "a" (type (sub resource)))
    (export "b" (type (sub resource)))
    (export "count-a" (func (result u32)))))
  (alias export $host "a" (type $a))
  (alias export $host "b" (type $b))
  (core func $drop-a (canon resource.drop $a))
  (core func $drop-b (canon resource.drop $b))
  (core func $count-a (canon lower (func $host "count-a")))
  (core module $M
    (import "h" "drop-a" (func $drop-a (param i32)))
    (import "h" "drop-b" (func $drop-b (param i32)))
    (import "h" "count-a" (func $count-a (result i32)))
    (func (export "id") (param i32) (result i32) (local.get 0))
    (func (export "drop-a") (param i32) (call $drop-a (local.get 0)))
    (func (export "drop-b") (param i32) (call $drop-b (local.get 0)))
    (func (export "count-a") (param i32) (result i32)
      (call $drop-a (local.get 0))
      (call $count-a)))
  (core instance $m (instantiate $M (with "h" (instance
    (export "drop-a" (func $drop-a))
    (export "drop-b" (func $drop-b))
    (export "count-a" (func $count-a))))))
  (func (export "echo-a") (param "x" (own $a)) (result (own $a)) (canon lift (core func $m "id")))
  (func (export "echo-b") (param "x" (own $b)) (result (own $b)) (canon lift (core func $m "id")))
  (func (export "drop-a") (param "x" (own $a)) (canon lift (core func $m "drop-a")))
  (func (export "drop-b") (param "x" (own $b)) (canon lift (core func $m "drop-b")))
  (func (export "count-a") (param "x" (borrow $a)) (result u32) (canon lift (core func $m "count-a"))))"#;

/// A linker whose `a` and `b` are `host_dynamic(1)` and `host_dynamic(2)`;
/// destructors record `drop <type> <rep>`.
fn setup_dynamic() -> (
    wit_host::Store<Vec<String>>,
    wit_host::Instance,
    wit_host::Linker<Vec<String>>,
) {
    let (engine, mut store, mut linker) = setup(Vec::new());
    let mut host = linker.instance("test:dyn/host").unwrap();
    for (name, payload) in [("a", 1), ("b", 2)] {
        host.resource(
            name,
            ResourceType::host_dynamic(payload),
            move |mut store, rep| {
                store.data_mut().push(format!("drop {name} {rep}"));
                Ok(())
            },
        )
        .unwrap();
    }
    host.func_wrap("count-a", |store, (): ()| Ok((store.data().len() as u32,)))
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, GUEST);
    (store, instance, linker)
}

/// Handles of each dynamic type cross as that type: echoed back with
/// their type's number, and dropped through that type's destructor.
#[test]
fn dynamic_resources_cross_with_their_type() {
    let (mut store, instance, _) = setup_dynamic();
    let echo_a = instance
        .get_typed_func::<(ResourceDynamic,), (ResourceDynamic,)>(&mut store, "echo-a")
        .unwrap();
    let echo_b = instance
        .get_typed_func::<(ResourceDynamic,), (ResourceDynamic,)>(&mut store, "echo-b")
        .unwrap();
    let (a,) = echo_a
        .call(&mut store, (ResourceDynamic::new_own(5, 1),))
        .unwrap();
    assert_eq!((a.rep(), a.ty(), a.owned()), (5, 1, true));
    let (b,) = echo_b
        .call(&mut store, (ResourceDynamic::new_own(5, 2),))
        .unwrap();
    assert_eq!((b.rep(), b.ty()), (5, 2));

    let drop_a = instance
        .get_typed_func::<(ResourceDynamic,), ()>(&mut store, "drop-a")
        .unwrap();
    let drop_b = instance
        .get_typed_func::<(ResourceDynamic,), ()>(&mut store, "drop-b")
        .unwrap();
    drop_b.call(&mut store, (b,)).unwrap();
    drop_a.call(&mut store, (a,)).unwrap();
    assert_eq!(store.data(), &["drop b 5", "drop a 5"]);

    let count = instance
        .get_typed_func::<(ResourceDynamic,), (u32,)>(&mut store, "count-a")
        .unwrap();
    let (n,) = count
        .call(&mut store, (ResourceDynamic::new_borrow(9, 1),))
        .unwrap();
    assert_eq!(n, 2);
}

/// The guest sees the two dynamic types as distinct: a handle of one is
/// refused where the other is expected, as are a `Resource<T>` and
/// another payload.
#[test]
fn two_dynamic_types_are_distinct() {
    let (mut store, instance, linker) = setup_dynamic();
    let echo_a = instance
        .get_typed_func::<(ResourceDynamic,), (ResourceDynamic,)>(&mut store, "echo-a")
        .unwrap();
    for ty in [2, 3] {
        let err = echo_a
            .call(&mut store, (ResourceDynamic::new_own(5, ty),))
            .unwrap_err();
        assert_contains_all(&message(&err), &["resource type mismatch"]);
    }
    let echo_typed = instance
        .get_typed_func::<(Resource<u32>,), (Resource<u32>,)>(&mut store, "echo-a")
        .unwrap();
    let err = echo_typed
        .call(&mut store, (Resource::new_own(5),))
        .unwrap_err();
    assert_contains_all(&message(&err), &["resource type mismatch"]);
    // Nothing crossed, so nothing was dropped.
    assert!(store.data().is_empty());

    let ty = linker
        .substituted_component_type(&instance.component(&store).unwrap())
        .unwrap();
    assert_eq!(
        ty.resource("test:dyn/host#a"),
        Some(&ResourceType::host_dynamic(1))
    );
    assert_eq!(
        ty.resource("test:dyn/host#b"),
        Some(&ResourceType::host_dynamic(2))
    );
}

/// A handle of a dynamic type passes through the dynamic API
/// (`ResourceAny`) and back, keeping its type; a handle of another kind
/// of type is not a `ResourceDynamic`.
#[test]
fn dynamic_resources_convert_to_and_from_resource_any() {
    let (mut store, instance, _) = setup_dynamic();
    let any = ResourceDynamic::new_own(8, 2)
        .try_into_resource_any(&mut store)
        .unwrap();
    assert_eq!(any.ty(), Some(&ResourceType::host_dynamic(2)));
    let echo_b = instance.get_func(&mut store, "echo-b").unwrap();
    let mut results = [Val::Bool(false)];
    echo_b
        .call(&mut store, &[Val::Resource(any)], &mut results)
        .unwrap();
    let Val::Resource(back) = results[0].clone() else {
        panic!("expected a resource, got {:?}", results[0])
    };
    let back = ResourceDynamic::try_from_resource_any(back, &mut store).unwrap();
    assert_eq!((back.rep(), back.ty(), back.owned()), (8, 2, true));

    let typed: ResourceAny = Resource::<u32>::new_own(1)
        .try_into_resource_any(&mut store)
        .unwrap();
    let err = ResourceDynamic::try_from_resource_any(typed, &mut store).unwrap_err();
    assert_contains_all(&message(&err), &["not of a dynamic host resource type"]);
}
