//! Type-check failures of the typed API, for each kind of mismatch: a
//! wrong primitive, the wrong number of parameters or results, record
//! field names, order, count and types, variant case names and payload
//! presence, enum cases, flags names, option vs result, list element
//! types, and kinds (record vs tuple, enum vs variant).
//!
//! `Instance::get_typed_func` reports them when the typed function is
//! made, naming the Rust function type and the component's function type
//! as well as the two types that differ; `func_wrap` reports them at
//! instantiation, also naming the import.

use crate::common::*;
use std::fmt::Debug;
use wit_host::typed::{LiftList, LowerList};
use wit_host::{ComponentType, Instance, Lift, Lower, Store, flags};

// ---------------------------------------------------------------- Rust types

/// Matches `record point { x: s32, y-coord: s32 }`.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct Point {
    x: i32,
    y_coord: i32,
}

/// `y` instead of `y-coord`.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct PointY {
    x: i32,
    y: i32,
}

/// The fields swapped.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct PointSwapped {
    y_coord: i32,
    x: i32,
}

/// A field too few.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct PointX {
    x: i32,
}

/// A field too many.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct Point3 {
    x: i32,
    y_coord: i32,
    z: i32,
}

/// `u32` where the component has `s32`.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(record)]
struct PointU32 {
    x: i32,
    y_coord: u32,
}

/// Matches `variant shape { circle(f32), none }`.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum Shape {
    Circle(f32),
    None,
}

/// Another case name.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum ShapeNothing {
    Circle(f32),
    Nothing,
}

/// `circle` without its payload.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum ShapeNoPayload {
    Circle,
    None,
}

/// `none` with a payload.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum ShapeExtraPayload {
    Circle(f32),
    None(u8),
}

/// `circle` with another payload type.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum ShapeF64 {
    Circle(f64),
    None,
}

/// Matches `enum color { red, green, blue }`.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(enum)]
enum Color {
    Red,
    Green,
    Blue,
}

/// A case too few.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(enum)]
enum ColorRg {
    Red,
    Green,
}

/// The cases in another order.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(enum)]
enum ColorBgr {
    Blue,
    Green,
    Red,
}

/// The same names as `color`, but a variant.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum ColorVariant {
    Red,
    Green,
    Blue,
}

flags! {
    /// Matches `flags perms { read, write, exec }`.
    Perms { const READ; const WRITE; const EXEC; }
    /// Another name.
    PermsExecute { const READ; const WRITE; const EXECUTE; }
    /// Another order.
    PermsOrder { const WRITE; const READ; const EXEC; }
    /// A flag too few.
    PermsRw { const READ; const WRITE; }
}

// ---------------------------------------------------------------- get_typed_func

/// A component exporting one stub function of each shape.
fn exports_wat() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "i64-i32") (param i64) (result i32) unreachable)
    (func (export "i32-i32") (param i32) (result i32) unreachable)
    (func (export "f32-f32") (param f32) (result f32) unreachable)
    (func (export "i32i32-i32") (param i32 i32) (result i32) unreachable)
    (func (export "i32") (param i32) unreachable)
    (func (export "i32i32") (param i32 i32) unreachable)
    (func (export "i32f32") (param i32 f32) unreachable))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (type $point' (record (field "x" s32) (field "y-coord" s32)))
  (export $point "point" (type $point'))
  (type $shape' (variant (case "circle" f32) (case "none")))
  (export $shape "shape" (type $shape'))
  (type $color' (enum "red" "green" "blue"))
  (export $color "color" (type $color'))
  (type $perms' (flags "read" "write" "exec"))
  (export $perms "perms" (type $perms'))
  (func (export "u64-to-u32") (param "x" u64) (result u32) (canon lift (core func $m "i64-i32")))
  (func (export "s32") (param "x" s32) (result s32) (canon lift (core func $m "i32-i32")))
  (func (export "f32") (param "x" f32) (result f32) (canon lift (core func $m "f32-f32")))
  (func (export "bool") (param "x" bool) (result bool) (canon lift (core func $m "i32-i32")))
  (func (export "char") (param "x" char) (result char) (canon lift (core func $m "i32-i32")))
  (func (export "two") (param "a" u32) (param "b" u32) (result u32)
    (canon lift (core func $m "i32i32-i32")))
  (func (export "none") (param "x" u32) (canon lift (core func $m "i32")))
  (func (export "take-point") (param "p" $point) (result $point)
    (canon lift (core func $m "i32i32-i32") {OPTS}))
  (func (export "take-shape") (param "s" $shape) (canon lift (core func $m "i32f32")))
  (func (export "take-color") (param "c" $color) (canon lift (core func $m "i32")))
  (func (export "take-perms") (param "p" $perms) (canon lift (core func $m "i32")))
  (func (export "opt") (param "x" (option u32)) (canon lift (core func $m "i32i32")))
  (func (export "res") (param "x" (result u32)) (canon lift (core func $m "i32i32")))
  (func (export "list") (param "x" (list u32)) (canon lift (core func $m "i32i32") {OPTS}))
  (func (export "string") (param "s" string) (canon lift (core func $m "i32i32") {OPTS})))"#
    )
}

fn exports() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &exports_wat());
    (store, instance)
}

/// The error of `get_typed_func::<P, R>(name)`, which must fail; checks
/// that it names the Rust function type and the component's function type.
#[track_caller]
fn typed_err<P: LowerList, R: LiftList>(name: &str, component_ty: &str) -> String {
    let (mut store, instance) = exports();
    let err = match instance.get_typed_func::<P, R>(&mut store, name) {
        Ok(_) => panic!("`{name}` should not type-check as `{}`", rust_fn::<P, R>()),
        Err(e) => message(&e),
    };
    assert_contains_all(
        &err,
        &[
            "does not match",
            &rust_fn::<P, R>(),
            &format!("`{component_ty}`"),
        ],
    );
    err
}

/// The Rust function type as the errors name it.
fn rust_fn<P, R>() -> String {
    std::any::type_name::<fn(P) -> R>().to_string()
}

/// Every function of the component type-checks with the right Rust types
/// (so that the failures below are about the one thing changed).
#[test]
fn matching_rust_types_typecheck() {
    let (mut store, i) = exports();
    let s = &mut store;
    i.get_typed_func::<(u64,), (u32,)>(&mut *s, "u64-to-u32")
        .unwrap();
    i.get_typed_func::<(i32,), (i32,)>(&mut *s, "s32").unwrap();
    i.get_typed_func::<(f32,), (f32,)>(&mut *s, "f32").unwrap();
    i.get_typed_func::<(bool,), (bool,)>(&mut *s, "bool")
        .unwrap();
    i.get_typed_func::<(char,), (char,)>(&mut *s, "char")
        .unwrap();
    i.get_typed_func::<(u32, u32), (u32,)>(&mut *s, "two")
        .unwrap();
    i.get_typed_func::<(u32,), ()>(&mut *s, "none").unwrap();
    i.get_typed_func::<(Point,), (Point,)>(&mut *s, "take-point")
        .unwrap();
    i.get_typed_func::<(Shape,), ()>(&mut *s, "take-shape")
        .unwrap();
    i.get_typed_func::<(Color,), ()>(&mut *s, "take-color")
        .unwrap();
    i.get_typed_func::<(Perms,), ()>(&mut *s, "take-perms")
        .unwrap();
    i.get_typed_func::<(Option<u32>,), ()>(&mut *s, "opt")
        .unwrap();
    i.get_typed_func::<(Result<u32, ()>,), ()>(&mut *s, "res")
        .unwrap();
    i.get_typed_func::<(Vec<u32>,), ()>(&mut *s, "list")
        .unwrap();
    i.get_typed_func::<(&[u32],), ()>(&mut *s, "list").unwrap();
    i.get_typed_func::<(String,), ()>(&mut *s, "string")
        .unwrap();
    i.get_typed_func::<(&str,), ()>(&mut *s, "string").unwrap();
}

#[test]
fn a_wrong_primitive_parameter_is_rejected_naming_both_types() {
    let err = typed_err::<(u32,), (u32,)>("u64-to-u32", "func(x: u64) -> u32");
    assert_contains_all(&err, &["the component has `u64`", "Rust type `u32`"]);
    let err = typed_err::<(u32,), (i32,)>("s32", "func(x: s32) -> s32");
    assert_contains_all(&err, &["the component has `s32`", "Rust type `u32`"]);
    let err = typed_err::<(f64,), (f32,)>("f32", "func(x: f32) -> f32");
    assert_contains_all(&err, &["the component has `f32`", "Rust type `f64`"]);
    let err = typed_err::<(u8,), (bool,)>("bool", "func(x: bool) -> bool");
    assert_contains_all(&err, &["the component has `bool`", "Rust type `u8`"]);
    let err = typed_err::<(u32,), (char,)>("char", "func(x: char) -> char");
    assert_contains_all(&err, &["the component has `char`", "Rust type `u32`"]);
    let err = typed_err::<(Vec<u8>,), ()>("string", "func(s: string)");
    assert_contains_all(
        &err,
        &[
            "the component has `string`",
            "Rust type `alloc::vec::Vec<u8>`",
        ],
    );
}

#[test]
fn a_wrong_primitive_result_is_rejected_naming_both_types() {
    let err = typed_err::<(u64,), (u64,)>("u64-to-u32", "func(x: u64) -> u32");
    assert_contains_all(&err, &["the component has `u32`", "Rust type `u64`"]);
    let err = typed_err::<(char,), (u32,)>("char", "func(x: char) -> char");
    assert_contains_all(&err, &["the component has `char`", "Rust type `u32`"]);
}

#[test]
fn a_wrong_number_of_parameters_is_rejected() {
    let err = typed_err::<(u32,), (u32,)>("two", "func(a: u32, b: u32) -> u32");
    assert_contains_all(&err, &["has 2 value(s)", "has 1"]);
    let err = typed_err::<(u32, u32, u32), (u32,)>("two", "func(a: u32, b: u32) -> u32");
    assert_contains_all(&err, &["has 2 value(s)", "has 3"]);
    let err = typed_err::<(), ()>("none", "func(x: u32)");
    assert_contains_all(&err, &["has 1 value(s)", "has 0"]);
}

#[test]
fn a_wrong_number_of_results_is_rejected() {
    let err = typed_err::<(u32, u32), ()>("two", "func(a: u32, b: u32) -> u32");
    assert_contains_all(&err, &["has 1 value(s)", "has 0"]);
    let err = typed_err::<(u32,), (u32,)>("none", "func(x: u32)");
    assert_contains_all(&err, &["has 0 value(s)", "has 1"]);
    let err = typed_err::<(u32, u32), (u32, u32)>("two", "func(a: u32, b: u32) -> u32");
    assert_contains_all(&err, &["has 1 value(s)", "has 2"]);
}

const POINT_TY: &str =
    "func(p: record { x: s32, y-coord: s32 }) -> record { x: s32, y-coord: s32 }";

#[test]
fn a_record_field_name_mismatch_is_rejected() {
    let err = typed_err::<(PointY,), (Point,)>("take-point", POINT_TY);
    assert_contains_all(
        &err,
        &[
            "record mismatch",
            "the host's `all::typed_typecheck::PointY` has fields x, y",
        ],
    );
}

#[test]
fn a_record_field_order_mismatch_is_rejected() {
    let err = typed_err::<(PointSwapped,), (Point,)>("take-point", POINT_TY);
    assert_contains_all(
        &err,
        &[
            "record mismatch",
            "the host's `all::typed_typecheck::PointSwapped` has fields y-coord, x",
        ],
    );
}

#[test]
fn a_record_field_count_mismatch_is_rejected() {
    let err = typed_err::<(PointX,), (Point,)>("take-point", POINT_TY);
    assert_contains_all(
        &err,
        &[
            "record mismatch",
            "the host's `all::typed_typecheck::PointX` has fields x",
        ],
    );
    let err = typed_err::<(Point,), (Point3,)>("take-point", POINT_TY);
    assert_contains_all(
        &err,
        &[
            "record mismatch",
            "the host's `all::typed_typecheck::Point3` has fields x, y-coord, z",
        ],
    );
}

#[test]
fn a_record_field_type_mismatch_is_rejected() {
    let err = typed_err::<(PointU32,), (Point,)>("take-point", POINT_TY);
    assert_contains_all(&err, &["the component has `s32`", "Rust type `u32`"]);
}

#[test]
fn a_tuple_is_not_a_record() {
    let err = typed_err::<((i32, i32),), (Point,)>("take-point", POINT_TY);
    assert_contains_all(
        &err,
        &[
            "the component has `record { x: s32, y-coord: s32 }`",
            "the host uses Rust type `(i32, i32)`",
        ],
    );
}

const SHAPE_TY: &str = "func(s: variant { circle(f32), none })";

#[test]
fn a_variant_case_name_mismatch_is_rejected() {
    let err = typed_err::<(ShapeNothing,), ()>("take-shape", SHAPE_TY);
    assert_contains_all(
        &err,
        &[
            "variant mismatch",
            "the host's `all::typed_typecheck::ShapeNothing` has cases circle, nothing",
        ],
    );
}

#[test]
fn a_variant_case_without_its_payload_is_rejected() {
    let err = typed_err::<(ShapeNoPayload,), ()>("take-shape", SHAPE_TY);
    assert_contains_all(&err, &["case `circle`", "whether it has a payload"]);
}

#[test]
fn a_variant_case_with_an_extra_payload_is_rejected() {
    let err = typed_err::<(ShapeExtraPayload,), ()>("take-shape", SHAPE_TY);
    assert_contains_all(&err, &["case `none`", "whether it has a payload"]);
}

#[test]
fn a_variant_payload_type_mismatch_is_rejected() {
    let err = typed_err::<(ShapeF64,), ()>("take-shape", SHAPE_TY);
    assert_contains_all(&err, &["the component has `f32`", "Rust type `f64`"]);
}

const COLOR_TY: &str = "func(c: enum { red, green, blue })";

#[test]
fn an_enum_case_count_mismatch_is_rejected() {
    let err = typed_err::<(ColorRg,), ()>("take-color", COLOR_TY);
    assert_contains_all(
        &err,
        &[
            "enum mismatch",
            "the host's `all::typed_typecheck::ColorRg` has cases red, green",
        ],
    );
}

#[test]
fn an_enum_case_order_mismatch_is_rejected() {
    let err = typed_err::<(ColorBgr,), ()>("take-color", COLOR_TY);
    assert_contains_all(
        &err,
        &[
            "enum mismatch",
            "the host's `all::typed_typecheck::ColorBgr` has cases blue, green, red",
        ],
    );
}

#[test]
fn a_variant_is_not_an_enum() {
    let err = typed_err::<(ColorVariant,), ()>("take-color", COLOR_TY);
    assert_contains_all(
        &err,
        &[
            "type mismatch",
            "the component has `enum { red, green, blue }`",
            "the host uses Rust type `all::typed_typecheck::ColorVariant`",
        ],
    );
}

const PERMS_TY: &str = "func(p: flags { read, write, exec })";

#[test]
fn a_flags_name_mismatch_is_rejected() {
    let err = typed_err::<(PermsExecute,), ()>("take-perms", PERMS_TY);
    assert_contains_all(
        &err,
        &[
            "flags mismatch",
            "the host's `all::typed_typecheck::PermsExecute` has flags read, write, execute",
        ],
    );
}

#[test]
fn a_flags_order_or_count_mismatch_is_rejected() {
    let err = typed_err::<(PermsOrder,), ()>("take-perms", PERMS_TY);
    assert_contains_all(&err, &["flags mismatch", "has flags write, read, exec"]);
    let err = typed_err::<(PermsRw,), ()>("take-perms", PERMS_TY);
    assert_contains_all(&err, &["flags mismatch", "has flags read, write"]);
}

#[test]
fn an_option_is_not_a_result() {
    let err = typed_err::<(Option<u32>,), ()>("res", "func(x: result<u32>)");
    assert_contains_all(
        &err,
        &[
            "the component has `result<u32>`",
            "Rust type `core::option::Option<u32>`",
        ],
    );
}

#[test]
fn a_result_is_not_an_option() {
    let err = typed_err::<(Result<u32, ()>,), ()>("opt", "func(x: option<u32>)");
    assert_contains_all(
        &err,
        &[
            "the component has `option<u32>`",
            "Rust type `core::result::Result<u32, ()>`",
        ],
    );
}

/// `Result<T, E>` with a payload where the component's `result` has none,
/// and `()` where it has one.
#[test]
fn a_result_payload_presence_mismatch_is_rejected() {
    let err = typed_err::<(Result<u32, String>,), ()>("res", "func(x: result<u32>)");
    assert_contains_all(
        &err,
        &[
            "`result<u32>` has no error payload",
            "Rust type `alloc::string::String`",
        ],
    );
    let err = typed_err::<(Result<(), ()>,), ()>("res", "func(x: result<u32>)");
    assert_contains_all(&err, &["the component has `u32`", "Rust type `()`"]);
}

#[test]
fn a_list_element_type_mismatch_is_rejected() {
    let err = typed_err::<(Vec<u8>,), ()>("list", "func(x: list<u32>)");
    assert_contains_all(&err, &["the component has `u32`", "Rust type `u8`"]);
    let err = typed_err::<(&[i32],), ()>("list", "func(x: list<u32>)");
    assert_contains_all(&err, &["the component has `u32`", "Rust type `i32`"]);
    let err = typed_err::<(String,), ()>("list", "func(x: list<u32>)");
    assert_contains_all(
        &err,
        &[
            "the component has `list<u32>`",
            "Rust type `alloc::string::String`",
        ],
    );
}

/// A name the instance does not export.
#[test]
fn a_missing_export_is_an_error_naming_it() {
    let (mut store, instance) = exports();
    let err = match instance.get_typed_func::<(), ()>(&mut store, "nope") {
        Ok(_) => panic!("`nope` is not exported"),
        Err(e) => message(&e),
    };
    assert_contains_all(&err, &["no function named `nope`"]);
}

// ---------------------------------------------------------------- func_wrap

/// Type definitions a component importing `f` can use, as imported types
/// `$point`, `$shape`, `$color` and `$perms`.
const IMPORTED_TYPES: &str = r#"
  (type $point' (record (field "x" s32) (field "y-coord" s32)))
  (import "point" (type $point (eq $point')))
  (type $shape' (variant (case "circle" f32) (case "none")))
  (import "shape" (type $shape (eq $shape')))
  (type $color' (enum "red" "green" "blue"))
  (import "color" (type $color (eq $color')))
  (type $perms' (flags "read" "write" "exec"))
  (import "perms" (type $perms (eq $perms')))
"#;

/// The instantiation error of a component importing `f` as `func_ty`
/// (WAT) from a linker defining `f` with `func_wrap` and Rust types `P ->
/// R`; checks that it names the import, both function types, and returns
/// it.
#[track_caller]
fn import_err<P, R>(func_ty: &str, component_ty: &str) -> String
where
    P: LiftList + 'static,
    R: LowerList + Send + Sync + 'static,
{
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_wrap("f", |_store, _params: P| -> wit_host::Result<R> {
            Err(wit_host::Error::msg("never called"))
        })
        .unwrap();
    let wat = format!("(component {IMPORTED_TYPES} (import \"f\" (func {func_ty})))");
    let component = compile(&engine, &wat);
    let (err, message) = match linker.instantiate(&mut store, &component) {
        Ok(_) => panic!(
            "`{func_ty}` should not type-check as `{}`",
            rust_fn::<P, R>()
        ),
        Err(e) => (message(&e), e.to_string()),
    };
    assert_contains_all(
        &err,
        &[
            "import `f` has the wrong type",
            &format!("`{component_ty}`"),
            &rust_fn::<P, R>(),
        ],
    );
    // `instantiate_pre` reports the same
    let pre = match linker.instantiate_pre(&component) {
        Ok(_) => panic!("instantiate_pre should fail too"),
        Err(e) => e.to_string(),
    };
    assert_eq!(pre, message);
    err
}

/// The matching Rust types instantiate (so that the failures below are
/// about the one thing changed).
#[test]
fn func_wrap_with_matching_types_instantiates() {
    let (engine, mut store, mut linker) = setup(());
    let mut root = linker.root();
    root.func_wrap("a", |_, (_, _): (u64, String)| Ok((0u32,)))
        .unwrap();
    root.func_wrap("b", |_, (_,): (Point,)| Ok((Shape::None,)))
        .unwrap();
    root.func_wrap("c", |_, (_, _): (Color, Perms)| {
        Ok(((Some(1u32), Ok::<(), String>(())),))
    })
    .unwrap();
    let wat = format!(
        r#"(component {IMPORTED_TYPES}
  (import "a" (func (param "x" u64) (param "s" string) (result u32)))
  (import "b" (func (param "p" $point) (result $shape)))
  (import "c" (func (param "c" $color) (param "p" $perms) (result (tuple (option u32) (result (error string)))))))"#
    );
    let component = compile(&engine, &wat);
    if let Err(e) = linker.instantiate(&mut store, &component) {
        panic!("the matching types should instantiate: {e:?}");
    }
}

#[test]
fn func_wrap_with_a_wrong_primitive_fails_at_instantiation() {
    let err =
        import_err::<(u32,), (u32,)>(r#"(param "x" u64) (result u32)"#, "func(x: u64) -> u32");
    assert_contains_all(&err, &["the component has `u64`", "Rust type `u32`"]);
    let err =
        import_err::<(u64,), (i32,)>(r#"(param "x" u64) (result u32)"#, "func(x: u64) -> u32");
    assert_contains_all(&err, &["the component has `u32`", "Rust type `i32`"]);
}

#[test]
fn func_wrap_with_a_wrong_number_of_parameters_fails_at_instantiation() {
    let err =
        import_err::<(u32,), ()>(r#"(param "a" u32) (param "b" u32)"#, "func(a: u32, b: u32)");
    assert_contains_all(&err, &["has 2 value(s)", "has 1"]);
}

#[test]
fn func_wrap_with_a_wrong_number_of_results_fails_at_instantiation() {
    let err = import_err::<(u32,), ()>(r#"(param "a" u32) (result u32)"#, "func(a: u32) -> u32");
    assert_contains_all(&err, &["has 1 value(s)", "has 0"]);
    let err = import_err::<(u32,), (u32,)>(r#"(param "a" u32)"#, "func(a: u32)");
    assert_contains_all(&err, &["has 0 value(s)", "has 1"]);
}

const IMPORT_POINT_TY: &str = "func(p: record { x: s32, y-coord: s32 })";

#[test]
fn func_wrap_with_a_record_field_mismatch_fails_at_instantiation() {
    let err = import_err::<(PointY,), ()>(r#"(param "p" $point)"#, IMPORT_POINT_TY);
    assert_contains_all(&err, &["record mismatch", "has fields x, y"]);
    let err = import_err::<(PointSwapped,), ()>(r#"(param "p" $point)"#, IMPORT_POINT_TY);
    assert_contains_all(&err, &["record mismatch", "has fields y-coord, x"]);
    let err = import_err::<(PointX,), ()>(r#"(param "p" $point)"#, IMPORT_POINT_TY);
    assert_contains_all(&err, &["record mismatch", "has fields x"]);
}

#[test]
fn func_wrap_with_a_variant_case_mismatch_fails_at_instantiation() {
    let ty = "func() -> variant { circle(f32), none }";
    let err = import_err::<(), (ShapeNothing,)>(r#"(result $shape)"#, ty);
    assert_contains_all(&err, &["variant mismatch", "has cases circle, nothing"]);
    let err = import_err::<(), (ShapeNoPayload,)>(r#"(result $shape)"#, ty);
    assert_contains_all(&err, &["case `circle`", "whether it has a payload"]);
}

#[test]
fn func_wrap_with_an_enum_case_mismatch_fails_at_instantiation() {
    let err = import_err::<(ColorRg,), ()>(
        r#"(param "c" $color)"#,
        "func(c: enum { red, green, blue })",
    );
    assert_contains_all(&err, &["enum mismatch", "has cases red, green"]);
}

#[test]
fn func_wrap_with_a_flags_name_mismatch_fails_at_instantiation() {
    let err = import_err::<(PermsExecute,), ()>(
        r#"(param "p" $perms)"#,
        "func(p: flags { read, write, exec })",
    );
    assert_contains_all(&err, &["flags mismatch", "has flags read, write, execute"]);
}

#[test]
fn func_wrap_with_option_for_result_fails_at_instantiation() {
    let err = import_err::<(), (Option<u32>,)>(r#"(result (result u32))"#, "func() -> result<u32>");
    assert_contains_all(
        &err,
        &[
            "the component has `result<u32>`",
            "Rust type `core::option::Option<u32>`",
        ],
    );
}

#[test]
fn func_wrap_with_a_wrong_list_element_fails_at_instantiation() {
    let err = import_err::<(Vec<String>,), ()>(r#"(param "x" (list u32))"#, "func(x: list<u32>)");
    assert_contains_all(
        &err,
        &[
            "the component has `u32`",
            "Rust type `alloc::string::String`",
        ],
    );
}

/// Inside an interface the error names the import by its full path.
#[test]
fn func_wrap_mismatch_in_an_interface_names_the_full_import_path() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .instance("example:app/host")
        .unwrap()
        .func_wrap("log", |_, (_,): (u32,)| Ok(()))
        .unwrap();
    let wat = r#"(component
  (import "example:app/host" (instance (export "log" (func (param "msg" string))))))"#;
    let component = compile(&engine, wat);
    let err = message(&linker.instantiate(&mut store, &component).unwrap_err());
    assert_contains_all(
        &err,
        &[
            "import `example:app/host#log` has the wrong type",
            "`func(msg: string)`",
            "the component has `string`",
            "Rust type `u32`",
        ],
    );
}
