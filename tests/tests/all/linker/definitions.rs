//! Defining names in a [`Linker`](wit_host::Linker): duplicates,
//! shadowing, instances extended later, nested instances.

use super::add;
use crate::common::*;
use wit_host::Val;

#[test]
fn defining_a_name_twice_is_an_error() {
    let (_, _, mut linker) = setup(());
    linker.root().func_new("f", add(1)).unwrap();
    let err = linker.root().func_new("f", add(2)).unwrap_err();
    assert_contains_all(
        &message(&err),
        &["`f`", "already defined", "allow_shadowing"],
    );
}

#[test]
fn defining_a_name_twice_inside_an_instance_names_the_full_path() {
    let (_, _, mut linker) = setup(());
    linker
        .instance("test:demo/api@1.0.0")
        .unwrap()
        .func_new("f", add(1))
        .unwrap();
    let err = linker
        .instance("test:demo/api@1.0.0")
        .unwrap()
        .func_new("f", add(2))
        .unwrap_err();
    assert_contains_all(
        &message(&err),
        &["test:demo/api@1.0.0#f", "already defined"],
    );
}

#[test]
fn defining_a_name_twice_with_shadowing_replaces_the_first_definition() {
    let (engine, mut store, mut linker) = setup(());
    linker.allow_shadowing(true);
    linker.root().func_new("f", add(1)).unwrap();
    linker.root().func_new("f", add(100)).unwrap();
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(1)]),
        Val::U32(101)
    );
}

#[test]
fn an_instance_name_already_defined_as_a_function_is_an_error() {
    let (_, _, mut linker) = setup(());
    linker.root().func_new("f", add(1)).unwrap();
    let err = linker
        .instance("f")
        .err()
        .expect("`f` is a function, not an instance");
    assert_contains_all(&message(&err), &["`f` is already defined as a function"]);
}

#[test]
fn an_instance_can_be_extended_by_looking_it_up_again() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .instance("test:demo/math@1.2.3")
        .unwrap()
        .func_new("add", add(1))
        .unwrap();
    linker
        .instance("test:demo/math@1.2.3")
        .unwrap()
        .func_new("add-ten", add(10))
        .unwrap();
    let wat = r#"(component
  (import "test:demo/math@1.2.3" (instance $math
    (export "add" (func (param "x" u32) (result u32)))
    (export "add-ten" (func (param "x" u32) (result u32)))))
  (core func $add (canon lower (func $math "add")))
  (core func $add-ten (canon lower (func $math "add-ten")))
  (core module $M
    (import "math" "add" (func $add (param i32) (result i32)))
    (import "math" "add-ten" (func $add-ten (param i32) (result i32)))
    (func (export "both") (param i32) (result i32) (call $add-ten (call $add (local.get 0)))))
  (core instance $m (instantiate $M (with "math" (instance (export "add" (func $add)) (export "add-ten" (func $add-ten))))))
  (func (export "both") (param "x" u32) (result u32) (canon lift (core func $m "both"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    assert_eq!(
        call1(&mut store, &instance, "both", &[Val::U32(5)]),
        Val::U32(16)
    );
}

#[test]
fn nested_instances_satisfy_nested_instance_imports() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .instance("outer")
        .unwrap()
        .instance("inner")
        .unwrap()
        .func_new("f", add(7))
        .unwrap();
    let wat = r#"(component
  (import "outer" (instance $outer
    (export "inner" (instance (export "f" (func (param "x" u32) (result u32)))))))
  (alias export $outer "inner" (instance $inner))
  (core func $f (canon lower (func $inner "f")))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (func (export "call-f") (param i32) (result i32) (call $f (local.get 0))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(1)]),
        Val::U32(8)
    );
}
