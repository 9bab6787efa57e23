//! Looking up exports (`get_func`, `exports`) and describing them:
//! function and component types and how they print.

use super::exports_wat;
use crate::common::*;
use wit_host::types::Type;
use wit_host::{ComponentItem, Val};

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
