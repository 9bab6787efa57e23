//! The host API around instantiation and calls: defining names in a
//! [`Linker`] (shadowing, instances, nested instances), resolving a
//! component's imports (missing imports, wrong kinds), `instantiate_pre`,
//! looking up exports with `get_func`, function and component types and
//! their printing, store data in host functions, host functions that fail
//! or return wrongly typed values, and calls with wrong arguments — all of
//! which must be errors, never panics.

use crate::common::*;
use wit_host::types::Type;
use wit_host::{ComponentItem, Error, Linker, Store, Val};

/// A component importing `f: func(x: u32) -> u32` and exporting
/// `call-f: func(x: u32) -> u32`, which calls it.
const CALLS_F: &str = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (func (export "call-f") (param i32) (result i32) (call $f (local.get 0))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f"))))"#;

fn add(
    n: u32,
) -> impl Fn(wit_host::StoreContextMut<'_, ()>, &[Val], &mut [Val]) -> wit_host::Result<()>
+ Send
+ Sync
+ 'static {
    move |_store, params, results| {
        let Val::U32(x) = params[0] else {
            panic!("got {params:?}")
        };
        results[0] = Val::U32(x + n);
        Ok(())
    }
}

// ---------------------------------------------------------------- defining names

#[test]
fn defining_a_name_twice_is_an_error() {
    let (_, _, mut linker) = setup(());
    linker.root().func_new("f", add(1)).unwrap();
    let err = linker.root().func_new("f", add(2)).unwrap_err();
    assert_contains_all(
        &format!("{err:?}"),
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
        &format!("{err:?}"),
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
    assert_contains_all(&format!("{err:?}"), &["`f`", "already defined", "function"]);
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

// ---------------------------------------------------------------- resolving imports

#[test]
fn missing_function_import_names_the_import() {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, CALLS_F);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(&format!("{err:?}"), &["missing import", "`f`"]);
}

#[test]
fn missing_interface_import_names_the_interface() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (import "ns:pkg/iface@1.2.3" (instance (export "go" (func)))))"#;
    let component = compile(&engine, wat);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(
        &format!("{err:?}"),
        &["missing import", "ns:pkg/iface@1.2.3"],
    );
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
    assert_contains_all(
        &format!("{err:?}"),
        &["missing import", "ns:pkg/iface@1.2.3#go"],
    );
}

#[test]
fn importing_a_function_defined_as_an_instance_is_a_wrong_kind_error() {
    let (engine, mut store, mut linker) = setup(());
    linker.instance("f").unwrap().func_new("g", add(1)).unwrap();
    let component = compile(&engine, CALLS_F);
    let err = linker.instantiate(&mut store, &component).unwrap_err();
    assert_contains_all(
        &format!("{err:?}"),
        &["`f`", "wrong kind", "function", "instance"],
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
        &format!("{err:?}"),
        &["ns:pkg/iface@1.2.3", "wrong kind", "instance", "function"],
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
        .func_new("print", |mut store, params, _results| {
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
        .func_new("f", |mut store, params, results| {
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
    assert_contains_all(&format!("{err:?}"), &["missing import", "`f`"]);
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

// ---------------------------------------------------------------- exports

/// Root functions `run` and `add`, and the interface
/// `test:demo/api@1.0.0` with `greet` and `count`.
fn exports_wat() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "id") (param i32) (result i32) (local.get 0))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "greet") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $m "id")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $m "add")))
  (func $greet (param "name" string) (result string) (canon lift (core func $m "greet") {OPTS}))
  (func $count (param "n" u32) (result u32) (canon lift (core func $m "id")))
  (instance $api (export "greet" (func $greet)) (export "count" (func $count)))
  (export "test:demo/api@1.0.0" (instance $api)))"#
    )
}

#[test]
fn get_func_finds_root_functions() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    assert_eq!(
        call1(&mut store, &instance, "run", &[Val::U32(9)]),
        Val::U32(9)
    );
    assert_eq!(
        call1(&mut store, &instance, "add", &[Val::U32(2), Val::U32(3)]),
        Val::U32(5)
    );
}

#[test]
fn get_func_finds_functions_inside_exported_interfaces() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "test:demo/api@1.0.0#greet",
            &[s("hï")]
        ),
        s("hï")
    );
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "test:demo/api@1.0.0#count",
            &[Val::U32(4)]
        ),
        Val::U32(4)
    );
}

#[test]
fn get_func_returns_none_for_unknown_names() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    for name in [
        "nope",
        "",
        "greet",
        "test:demo/api@1.0.0",
        "test:demo/api@1.0.0#nope",
        "test:demo/api@1.0.0#greet#deeper",
        "run#x",
        "test:demo/api@2.0.0#greet",
    ] {
        assert!(
            instance.get_func(&mut store, name).is_none(),
            "`{name}` should not be found"
        );
    }
}

#[test]
fn exports_lists_every_function_in_get_func_form() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    assert_eq!(
        instance.exports(&store).unwrap(),
        vec![
            "add".to_string(),
            "run".to_string(),
            "test:demo/api@1.0.0#count".to_string(),
            "test:demo/api@1.0.0#greet".to_string(),
        ]
    );
}

#[test]
fn func_params_and_results_describe_the_type() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let add = instance.get_func(&mut store, "add").unwrap();
    assert_eq!(
        add.params(),
        &[("a".to_string(), Type::U32), ("b".to_string(), Type::U32)]
    );
    assert_eq!(add.results(), &[Type::U32]);
    assert_eq!(add.ty().to_string(), "func(a: u32, b: u32) -> u32");
    let greet = instance
        .get_func(&mut store, "test:demo/api@1.0.0#greet")
        .unwrap();
    assert_eq!(greet.params(), &[("name".to_string(), Type::String)]);
    assert_eq!(greet.results(), &[Type::String]);
    assert_eq!(greet.ty().to_string(), "func(name: string) -> string");
}

#[test]
fn func_type_of_a_function_without_results() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (core module $M (func (export "f") (param i64 i32)))
  (core instance $m (instantiate $M))
  (func (export "f") (param "big" u64) (param "opt" bool) (canon lift (core func $m "f"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let f = instance.get_func(&mut store, "f").unwrap();
    assert!(f.results().is_empty());
    assert_eq!(f.ty().to_string(), "func(big: u64, opt: bool)");
    f.call(&mut store, &[Val::U64(1), Val::Bool(true)], &mut [])
        .unwrap();
}

#[test]
fn compound_types_print_like_wit() {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (type $point' (record (field "x" s32) (field "y" s32)))
  (export $point "point" (type $point'))
  (type $shape' (variant (case "circle" f64) (case "none")))
  (export $shape "shape" (type $shape'))
  (type $color' (enum "red" "green"))
  (export $color "color" (type $color'))
  (type $perm' (flags "read" "write"))
  (export $perm "perm" (type $perm'))
  (core module $M
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32) unreachable)
    (func (export "f")
      (param i32 i32  i32 f64  i32  i32  i32 i32  i32 i32 i32  i32 i32 i32)
      unreachable))
  (core instance $m (instantiate $M))
  (func (export "f")
    (param "p" $point) (param "s" $shape) (param "c" $color) (param "fl" $perm)
    (param "l" (list (tuple u8 char))) (param "o" (option string)) (param "r" (result u32 (error string)))
    (canon lift (core func $m "f") (memory (core memory $m "mem")) (realloc (core func $m "realloc")))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let f = instance.get_func(&mut store, "f").unwrap();
    assert_eq!(
        f.ty().to_string(),
        "func(p: record { x: s32, y: s32 }, s: variant { circle(f64), none }, c: enum { red, green }, \
         fl: flags { read, write }, l: list<tuple<u8, char>>, o: option<string>, r: result<u32, string>)"
    );
}

#[test]
fn component_type_lists_imports_and_exports() {
    let engine = engine();
    let wat = format!(
        r#"(component
  (import "test:demo/log@1.0.0" (instance $log (export "print" (func (param "msg" string)))))
  (import "tick" (func $tick (result u64)))
  {LIBC}
  (core func $print (canon lower (func $log "print") {OPTS}))
  (core module $M
    (import "log" "print" (func (param i32 i32)))
    (func (export "run") (param i32) (result i32) (local.get 0)))
  (core instance $m (instantiate $M (with "log" (instance (export "print" (func $print))))))
  (func $run (param "x" u32) (result u32) (canon lift (core func $m "run")))
  (export "run" (func $run))
  (instance $api (export "again" (func $run)))
  (export "test:demo/api@1.0.0" (instance $api)))"#
    );
    let component = compile(&engine, &wat);
    let ty = component.component_type();

    let imports: Vec<&str> = ty.imports().map(|(name, _)| name).collect();
    assert_eq!(imports, vec!["test:demo/log@1.0.0", "tick"]);
    let exports: Vec<&str> = ty.exports().map(|(name, _)| name).collect();
    assert_eq!(exports, vec!["run", "test:demo/api@1.0.0"]);

    let (_, tick) = ty.imports().nth(1).unwrap();
    let ComponentItem::Func(tick) = tick else {
        panic!("`tick` should be a function: {tick:?}")
    };
    assert_eq!(tick.results(), &[Type::U64]);
    let (_, log) = ty.imports().next().unwrap();
    let ComponentItem::Instance(items) = log else {
        panic!("the log import should be an instance: {log:?}")
    };
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].0, "print");

    assert_eq!(
        ty.to_string(),
        "import test:demo/log@1.0.0: instance {\n  print: func(msg: string)\n}\n\
         import tick: func() -> u64\n\
         export run: func(x: u32) -> u32\n\
         export test:demo/api@1.0.0: instance {\n  again: func(x: u32) -> u32\n}\n"
    );
}

/// `ComponentType::imports`/`exports` document declaration order.
#[test]
fn component_type_lists_items_in_declaration_order() {
    let engine = engine();
    let wat = r#"(component
  (import "zeta" (func))
  (import "alpha" (func))
  (import "mid" (func))
  (core module $M (func (export "f")))
  (core instance $m (instantiate $M))
  (func $f (canon lift (core func $m "f")))
  (export "zulu" (func $f))
  (export "alpha" (func $f))
  (instance $i (export "f" (func $f)))
  (export "india" (instance $i))
  (export "bravo" (func $f))
  (export "echo" (instance $i)))"#;
    let ty = compile(&engine, wat).component_type();
    let imports: Vec<&str> = ty.imports().map(|(name, _)| name).collect();
    assert_eq!(imports, vec!["zeta", "alpha", "mid"]);
    let exports: Vec<&str> = ty.exports().map(|(name, _)| name).collect();
    assert_eq!(exports, vec!["zulu", "alpha", "india", "bravo", "echo"]);
}

// ---------------------------------------------------------------- host functions

#[test]
fn host_function_reads_and_writes_store_data() {
    let engine = engine();
    let mut linker = Linker::<Vec<u32>>::new(&engine);
    linker
        .root()
        .func_new("f", |mut store, params, results| {
            let Val::U32(x) = params[0] else { panic!() };
            store.data_mut().push(x);
            results[0] = Val::U32(store.data().iter().sum());
            Ok(())
        })
        .unwrap();
    let mut store = Store::new(&engine, vec![100]);
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(1)]),
        Val::U32(101)
    );
    assert_eq!(
        call1(&mut store, &instance, "call-f", &[Val::U32(2)]),
        Val::U32(103)
    );
    assert_eq!(store.data(), &vec![100, 1, 2]);
    assert_eq!(store.into_data(), vec![100, 1, 2]);
}

/// The component calls `f` and then sets a flag; `f` fails, so the guest
/// stops and the host's error reaches the caller of the export.
#[test]
fn host_function_error_traps_the_guest_and_reaches_the_caller() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _params, _results| {
            Err(Error::msg("the disk is on fire"))
        })
        .unwrap();
    let wat = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (global $after (mut i32) (i32.const 0))
    (func (export "call-f") (param i32) (result i32)
      (drop (call $f (local.get 0)))
      (global.set $after (i32.const 1))
      (i32.const 0))
    (func (export "after") (result i32) (global.get $after)))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f")))
  (func (export "after") (result u32) (canon lift (core func $m "after"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(&err, &["the disk is on fire"]);
    // a fresh instance shows the guest code after the call never ran
    let fresh = instantiate(&engine, &mut store, &linker, wat);
    assert_eq!(call1(&mut store, &fresh, "after", &[]), Val::U32(0));
}

#[test]
fn host_function_returning_a_wrongly_typed_value_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _params, results| {
            results[0] = Val::String("not a number".into());
            Ok(())
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(&err, &["type mismatch", "u32", "string"]);
}

#[test]
fn host_function_returning_a_record_with_wrong_fields_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _params, results| {
            results[0] = record(&[("y", Val::S32(1)), ("x", Val::S32(2))]);
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (type $p' (record (field "x" s32) (field "y" s32)))
  (import "p" (type $p (eq $p')))
  (import "f" (func $f (result $p)))
  (core func $f' (canon lower (func $f) {OPTS}))
  (core module $M
    (import "host" "f" (func $f (param i32)))
    (func (export "run") (call $f (i32.const 64))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "run") (canon lift (core func $m "run"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let err = call_err(&mut store, &instance, "run", &[]);
    assert_contains_all(&err, &["field", "`x`", "`y`"]);
}

#[test]
fn host_function_returning_an_unknown_enum_case_is_an_error() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("f", |_store, _params, results| {
            results[0] = Val::Enum("purple".into());
            Ok(())
        })
        .unwrap();
    let wat = r#"(component
  (type $c' (enum "red" "green"))
  (import "c" (type $c (eq $c')))
  (import "f" (func $f (result $c)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (result i32)))
    (func (export "run") (drop (call $f))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "run") (canon lift (core func $m "run"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let err = call_err(&mut store, &instance, "run", &[]);
    assert_contains_all(&err, &["purple"]);
}

/// A host function may call back into the component instance that called
/// it only by violating the no-reentrance rule; that is an error.
#[test]
fn host_function_reentering_the_calling_instance_is_an_error() {
    let engine = engine();
    let mut linker = Linker::<Option<wit_host::Instance>>::new(&engine);
    linker
        .root()
        .func_new("f", |mut store, params, results| {
            let instance = (*store.data()).expect("instance is set");
            let again = instance.get_func(&mut store, "call-f").unwrap();
            again.call(&mut store, params, results)
        })
        .unwrap();
    let mut store = Store::new(&engine, None);
    let instance = instantiate(&engine, &mut store, &linker, CALLS_F);
    *store.data_mut() = Some(instance);
    let err = call_err(&mut store, &instance, "call-f", &[Val::U32(1)]);
    assert_contains_all(&err, &["cannot enter", "reenter"]);
}

// ---------------------------------------------------------------- calling with wrong arguments

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
    assert_contains_all(&err, &["type mismatch", "expected u32", "string"]);
    let err = call_err(
        &mut store,
        &instance,
        "test:demo/api@1.0.0#greet",
        &[Val::U64(1)],
    );
    assert_contains_all(&err, &["type mismatch", "expected string", "u64"]);
}

#[test]
fn calling_with_the_wrong_number_of_result_slots_is_an_error() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    let f = instance.get_func(&mut store, "run").unwrap();
    let err = f.call(&mut store, &[Val::U32(1)], &mut []).unwrap_err();
    assert_contains_all(&format!("{err:?}"), &["1 result", "0 result slot"]);
    let mut two = [Val::U32(0), Val::U32(0)];
    let err = f.call(&mut store, &[Val::U32(1)], &mut two).unwrap_err();
    assert_contains_all(&format!("{err:?}"), &["1 result", "2 result slot"]);
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
    assert_contains_all(&format!("{err:?}"), &["store"]);
    assert!(instance.get_func(&mut other, "run").is_none());
    assert!(instance.exports(&other).is_err());
}
