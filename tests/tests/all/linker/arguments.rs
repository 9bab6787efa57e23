//! Calls with wrong arguments: too few or too many parameters, wrong
//! types, wrong result slots, unknown flags or cases, another store.

use super::exports_wat;
use crate::common::*;
use wit_host::{Store, Val};

#[test]
fn calling_with_too_few_params_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let err = call_err(&mut store, &instance, "add", &[Val::U32(1)]);
    assert_contains_all(&err, &["2 parameter", "1 given"]);
}

#[test]
fn calling_with_too_many_params_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let err = call_err(&mut store, &instance, "run", &[Val::U32(1), Val::U32(2)]);
    assert_contains_all(&err, &["1 parameter", "2 given"]);
}

#[test]
fn calling_with_a_wrongly_typed_param_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let err = call_err(&mut store, &instance, "add", &[Val::U32(1), s("two")]);
    assert_contains_all(&err, &["type mismatch: expected u32, found string"]);
    let err = call_err(
        &mut store,
        &instance,
        "test:demo/api@1.0.0#greet",
        &[Val::U64(1)],
    );
    assert_contains_all(&err, &["type mismatch: expected string, found u64"]);
}

#[test]
fn calling_with_the_wrong_number_of_result_slots_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let f = instance.get_func(&mut store, "run").unwrap();
    let err = f.call(&mut store, &[Val::U32(1)], &mut []).unwrap_err();
    assert_contains_all(&message(&err), &["1 result", "0 result slot"]);
    let mut two = [Val::U32(0), Val::U32(0)];
    let err = f.call(&mut store, &[Val::U32(1)], &mut two).unwrap_err();
    assert_contains_all(&message(&err), &["1 result", "2 result slot"]);
}

#[test]
fn calling_with_an_unknown_flag_or_case_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (type $perm' (flags "read" "write"))
  (export $perm "perm" (type $perm'))
  (type $color' (enum "red" "green"))
  (export $color "color" (type $color'))
  (type $v' (variant (case "a" u8) (case "b")))
  (export $v "v" (type $v'))
  (core module $M
    (func (export "one") (param i32) (result i32) (local.get 0))
    (func (export "two") (param i32 i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M))
  (func (export "take-perm") (param "p" $perm) (result u32) (canon lift (core func $m "one")))
  (func (export "take-color") (param "c" $color) (result u32) (canon lift (core func $m "one")))
  (func (export "take-v") (param "v" $v) (result u32) (canon lift (core func $m "two"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let err = call_err(
        &mut store,
        &instance,
        "take-perm",
        &[flags(&["read", "execute"])],
    );
    assert_contains_all(&err, &["execute"]);
    let err = call_err(
        &mut store,
        &instance,
        "take-color",
        &[Val::Enum("blue".into())],
    );
    assert_contains_all(&err, &["blue"]);
    let err = call_err(&mut store, &instance, "take-v", &[case0("c")]);
    assert_contains_all(&err, &["`c`"]);
    let err = call_err(&mut store, &instance, "take-v", &[case0("a")]);
    assert_contains_all(&err, &["payload", "`a`"]);
    let err = call_err(&mut store, &instance, "take-v", &[case("b", Val::U8(1))]);
    assert_contains_all(&err, &["payload", "`b`"]);
    // a valid call still works afterwards
    assert_eq!(
        call1(&mut store, &instance, "take-v", &[case("a", Val::U8(1))]),
        Val::U32(0)
    );
}

#[test]
fn calling_a_function_with_a_store_it_does_not_belong_to_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let f = instance.get_func(&mut store, "run").unwrap();
    let mut other = Store::new(&engine, ());
    let mut results = [Val::U32(0)];
    let err = f
        .call(&mut other, &[Val::U32(1)], &mut results)
        .unwrap_err();
    assert_contains_all(
        &message(&err),
        &["instance used with a store it does not belong to"],
    );
    assert!(instance.get_func(&mut other, "run").is_none());
    assert!(instance.exports(&other).is_err());
}
