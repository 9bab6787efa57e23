//! Maps (`HashMap<K, V>`, `BTreeMap<K, V>` as `map<K, V>`) and arrays
//! (`[T; N]` as `list<T, N>`) round trips, both ways; the type checks that
//! refuse a wrong length or key; and the default engine, which refuses
//! both proposals until the host switches them on.

use std::collections::{BTreeMap, HashMap};

use crate::common::*;
use crate::typed_common::*;
use wit_host::{Component, ComponentModelConfig, Config, Engine, Linker, Store};

#[test]
fn hash_map_roundtrips_both_ways() {
    let maps: Vec<HashMap<String, u32>> = vec![
        HashMap::new(),
        HashMap::from([("one".to_string(), 1)]),
        (0..100).map(|i| (format!("key {i} ✓"), i * 7)).collect(),
    ];
    check_roundtrip(&Ty::ptr_len(&[], "(map string u32)"), &maps);
}

#[test]
fn btree_map_roundtrips_both_ways() {
    let maps: Vec<BTreeMap<u8, (u64, String)>> = vec![
        BTreeMap::from([(1, (u64::MAX, "max".to_string())), (0, (0, String::new()))]),
        BTreeMap::new(),
        (0..=255)
            .map(|k| (k, (u64::from(k) << 40, k.to_string())))
            .collect(),
    ];
    check_roundtrip(&Ty::ptr_len(&[], "(map u8 (tuple u64 string))"), &maps);
}

#[test]
fn array_of_numbers_roundtrips_both_ways() {
    // list<u16, 3>: three flat i32s, stored inline at 64, 66, 68.
    let t = Ty::defined(
        &[],
        "(list u16 3)",
        &["i32", "i32", "i32"],
        "(i32.store16 (i32.const 64) (local.get 0))
         (i32.store16 (i32.const 66) (local.get 1))
         (i32.store16 (i32.const 68) (local.get 2))",
    );
    check_roundtrip(&t, &[[1u16, 2, 3], [u16::MAX, 0, 7], [0; 3]]);
    // Inline in a list: six bytes per element, no pointers.
    assert_eq!(
        stored_bytes(&t, &[[1u16, 2, 3], [4, 5, 6]]),
        [1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0]
    );
}

#[test]
fn array_of_strings_roundtrips_both_ways() {
    // list<string, 2>: four flat i32s (two pointers and lengths).
    let t = Ty::defined(
        &[],
        "(list string 2)",
        &["i32", "i32", "i32", "i32"],
        "(i32.store (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))",
    );
    check_roundtrip(
        &t,
        &[
            ["a".to_string(), "bc".to_string()],
            [String::new(), "ünïcödé".to_string()],
        ],
    );
}

/// An echo of `ty` through guest memory (pointer and length types only).
fn echo_component(ty: &str) -> String {
    convert_component(ty, ty)
}

/// An export taking `from` and returning the same bytes as `to` (both
/// pointer and length types).
fn convert_component(from: &str, to: &str) -> String {
    format!(
        r#"(component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (local.set $r (i32.and (i32.add (global.get $next) (i32.const 7)) (i32.const -8)))
      (global.set $next (i32.add (local.get $r) (local.get 3)))
      (local.get $r))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 0) (local.get 0))
      (i32.store (i32.const 4) (local.get 1))
      (i32.const 0)))
  (core instance $i (instantiate $m))
  (func (export "echo") (param "x" {from}) (result {to})
    (canon lift (core func $i "echo") (memory (core memory $i "mem"))
      (realloc (core func $i "realloc")))))"#
    )
}

#[test]
fn a_map_keeps_the_last_value_of_a_repeated_key() {
    // The dynamic API passes entries as they are; a Rust map lifted from
    // them keeps the last value of each key.
    let engine = proposals_engine();
    let mut store = Store::new(&engine, ());
    let component = Component::new(&engine, echo_component("(map u8 u8)")).unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let dynamic = instance.get_func(&mut store, "echo").unwrap();
    let entries = vec![
        (wit_host::Val::U8(1), wit_host::Val::U8(10)),
        (wit_host::Val::U8(1), wit_host::Val::U8(30)),
    ];
    let mut out = [wit_host::Val::Bool(false)];
    dynamic
        .call(&mut store, &[wit_host::Val::Map(entries.clone())], &mut out)
        .unwrap();
    assert_eq!(out[0], wit_host::Val::Map(entries));
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let err = instance
        .get_typed_func::<(Vec<(u8, u8)>,), (HashMap<u8, u8>,)>(&mut store, "echo")
        .err()
        .expect("a list of tuples is not a map");
    assert!(err.to_string().contains("map<u8, u8>"), "{err}");
    let typed = instance
        .get_typed_func::<(BTreeMap<u8, u8>,), (BTreeMap<u8, u8>,)>(&mut store, "echo")
        .unwrap();
    let (got,) = typed
        .call(&mut store, (BTreeMap::from([(1, 2), (3, 4)]),))
        .unwrap();
    assert_eq!(got, BTreeMap::from([(1, 2), (3, 4)]));

    // The same bytes lifted as a Rust map keep the last value of a key.
    let component = Component::new(
        &engine,
        convert_component("(list (tuple u8 u8))", "(map u8 u8)"),
    )
    .unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let typed = instance
        .get_typed_func::<(Vec<(u8, u8)>,), (HashMap<u8, u8>,)>(&mut store, "echo")
        .unwrap();
    let (got,) = typed
        .call(&mut store, (vec![(1, 10), (2, 20), (1, 30)],))
        .unwrap();
    assert_eq!(got, HashMap::from([(1, 30), (2, 20)]));
}

#[test]
fn type_checks_refuse_a_wrong_length_or_key() {
    let engine = proposals_engine();
    let mut store = Store::new(&engine, ());
    let component = Component::new(&engine, echo_component("(map string u32)")).unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let err = instance
        .get_typed_func::<(HashMap<u32, u32>,), (HashMap<u32, u32>,)>(&mut store, "echo")
        .err()
        .expect("u32 keys are not strings");
    assert!(err.to_string().contains("string"), "{err}");

    let component = Component::new(
        &engine,
        r#"(component
  (core module $m (func (export "f") (param i32 i32 i32 i32)))
  (core instance $i (instantiate $m))
  (func (export "f") (param "x" (list u8 4)) (canon lift (core func $i "f"))))"#,
    )
    .unwrap();
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let err = instance
        .get_typed_func::<([u8; 3],), ()>(&mut store, "f")
        .err()
        .expect("three is not four");
    assert!(err.to_string().contains("list<u8, 4>"), "{err}");
    assert!(
        instance
            .get_typed_func::<(Vec<u8>,), ()>(&mut store, "f")
            .is_err(),
        "a Vec is a list of any length, not a fixed-length list"
    );
    let f = instance
        .get_typed_func::<([u8; 4],), ()>(&mut store, "f")
        .unwrap();
    f.call(&mut store, ([1, 2, 3, 4],)).unwrap();
}

#[test]
fn the_default_engine_refuses_both_proposals() {
    let engine = Engine::default();
    for (ty, feature) in [
        ("(map string u32)", "map"),
        ("(list u8 4)", "fixed-length lists"),
    ] {
        let err = Component::new(&engine, format!("(component (type {ty}))"))
            .err()
            .unwrap_or_else(|| panic!("{ty} accepted by default"));
        let text = format!("{err:?}");
        assert!(text.contains(feature), "{ty}: {text}");
    }
    // Switched on, the same types are valid.
    let mut config = Config::new();
    config
        .component_model_map(true)
        .component_model_fixed_length_lists(true);
    let engine = Engine::new(&config).unwrap();
    Component::new(
        &engine,
        "(component (type (map string u32)) (type (list u8 4)))",
    )
    .unwrap();
}
