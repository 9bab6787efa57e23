//! Errors at call time on the typed path: a guest that hands the host
//! invalid data — out-of-bounds or unaligned pointers, invalid `char`s,
//! invalid UTF-8, bad case indices — through a `TypedFunc` result or as the
//! arguments of a `func_wrap` import gets the same kind of trap message as
//! on the dynamic path (`Func::call`, `func_new`), the host function is not
//! called, the instance is locked down (it refuses every later call, as the
//! spec says of an instance that trapped), and the store stays usable for
//! fresh instances.

use crate::common::*;
use wit_host::typed::LiftList;
use wit_host::{ComponentType, Instance, Lift, Linker, Lower, Store, Val};

// ---------------------------------------------------------------- invalid results

/// `variant v { a(u32), b, c(string) }`
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
#[allow(dead_code)]
enum V {
    A(u32),
    B,
    C(String),
}

/// `variant ab { a, b }`: one flat value.
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(variant)]
enum Ab {
    A,
    B,
}

/// `enum color { red, green, blue }`
#[derive(ComponentType, Lift, Lower, Debug)]
#[component(enum)]
enum Color {
    Red,
    Green,
    Blue,
}

/// `(name, result type, core body returning the result)` for
/// [`bad_results_wat`]: each guest function returns a bad value of its
/// result type.
const BAD_RESULTS: &[(&str, &str, &str)] = &[
    (
        "string-out-of-bounds",
        "string",
        "(call $ret (i32.const 65530) (i32.const 10))",
    ),
    (
        "string-invalid-utf8",
        "string",
        "(call $ret (i32.const 300) (i32.const 1))",
    ),
    (
        "list-misaligned",
        "(list u32)",
        "(call $ret (i32.const 130) (i32.const 1))",
    ),
    (
        "list-out-of-bounds",
        "(list u32)",
        "(call $ret (i32.const 65532) (i32.const 2))",
    ),
    (
        "return-pointer-misaligned",
        "(tuple u32 u32)",
        "(i32.const 66)",
    ),
    (
        "return-pointer-out-of-bounds",
        "(tuple u32 u32)",
        "(i32.const 65532)",
    ),
    (
        "variant-discriminant",
        "$v",
        "(i32.store8 (i32.const 64) (i32.const 3)) (i32.const 64)",
    ),
    ("variant-discriminant-flat", "$ab", "(i32.const 2)"),
    ("enum-discriminant", "$color", "(i32.const 3)"),
    (
        "option-discriminant",
        "(option u32)",
        "(i32.store8 (i32.const 64) (i32.const 2)) (i32.const 64)",
    ),
    (
        "result-discriminant",
        "(result u32 (error string))",
        "(i32.store8 (i32.const 64) (i32.const 2)) (i32.const 64)",
    ),
    ("char-surrogate", "char", "(i32.const 0xd800)"),
    ("char-past-max", "char", "(i32.const 0x110000)"),
    (
        "char-in-memory",
        "(tuple char char)",
        "(i32.store (i32.const 64) (i32.const 0x61)) (i32.store (i32.const 68) (i32.const 0xdfff)) (i32.const 64)",
    ),
    (
        "list-with-invalid-char",
        "(list char)",
        "(call $ret (i32.const 320) (i32.const 3))",
    ),
];

fn bad_results() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &bad_results_wat(BAD_RESULTS));
    (store, instance)
}

/// Calls `name` with no parameters and result types `R` on a fresh
/// instance through a `TypedFunc` and, on another fresh instance, through
/// the dynamic `Func::call`; both must fail and mention every one of
/// `words`. After the typed trap, the same instance is locked down and a new
/// instance in the same store answers `fine`.
#[track_caller]
fn assert_both_trap<R: LiftList>(name: &str, words: &[&str]) {
    let (engine, mut store, linker) = setup(());
    let component = compile(&engine, &bad_results_wat(BAD_RESULTS));
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let typed = instance
        .get_typed_func::<(), R>(&mut store, name)
        .unwrap_or_else(|e| panic!("`{name}` should type-check: {e:?}"));
    let typed_err = match typed.call(&mut store, ()) {
        Ok(_) => panic!("the typed call of `{name}` should fail"),
        Err(e) => {
            assert_not_a_trap(&e);
            message(&e)
        }
    };
    let fine = instance
        .get_typed_func::<(), (String,)>(&mut store, "fine")
        .unwrap();
    assert_locked_down(
        fine.call(&mut store, ()),
        &format!("the instance after `{name}`"),
    );
    let fresh = linker.instantiate(&mut store, &component).unwrap();
    let fine = fresh
        .get_typed_func::<(), (String,)>(&mut store, "fine")
        .unwrap();
    assert_eq!(
        fine.call(&mut store, ()).unwrap().0,
        "ok",
        "the store is usable after `{name}`"
    );

    let (mut store, instance) = bad_results();
    let dynamic_err = call_error(&mut store, &instance, name, &[]);
    assert_not_a_trap(&dynamic_err);
    assert_contains_all(&message(&dynamic_err), words);
    assert_contains_all(&typed_err, words);
}

#[test]
fn an_out_of_bounds_string_pointer_traps_like_the_dynamic_path() {
    assert_both_trap::<(String,)>(
        "string-out-of-bounds",
        &["string pointer/length out of bounds of memory"],
    );
}

#[test]
fn invalid_utf8_traps_like_the_dynamic_path() {
    assert_both_trap::<(String,)>("string-invalid-utf8", &["invalid utf-8 in string at 0x12c"]);
}

#[test]
fn a_misaligned_list_pointer_traps_like_the_dynamic_path() {
    assert_both_trap::<(Vec<u32>,)>("list-misaligned", &["unaligned pointer 0x82"]);
}

#[test]
fn an_out_of_bounds_list_traps_like_the_dynamic_path() {
    assert_both_trap::<(Vec<u32>,)>(
        "list-out-of-bounds",
        &["pointer out of bounds: list<u32> at 0xfffc of 8 bytes exceeds memory"],
    );
}

#[test]
fn a_misaligned_return_pointer_traps_like_the_dynamic_path() {
    assert_both_trap::<((u32, u32),)>("return-pointer-misaligned", &["unaligned pointer 0x42"]);
}

#[test]
fn an_out_of_bounds_return_pointer_traps_like_the_dynamic_path() {
    assert_both_trap::<((u32, u32),)>(
        "return-pointer-out-of-bounds",
        &[
            "pointer out of bounds:",
            "at 0xfffc of 8 bytes exceeds memory",
        ],
    );
}

#[test]
fn an_invalid_variant_discriminant_in_memory_traps_like_the_dynamic_path() {
    assert_both_trap::<(V,)>("variant-discriminant", &["invalid variant discriminant 3"]);
}

#[test]
fn an_invalid_flat_variant_discriminant_traps_like_the_dynamic_path() {
    assert_both_trap::<(Ab,)>(
        "variant-discriminant-flat",
        &["invalid variant discriminant 2"],
    );
}

#[test]
fn an_invalid_enum_discriminant_traps_like_the_dynamic_path() {
    assert_both_trap::<(Color,)>("enum-discriminant", &["invalid variant discriminant 3"]);
}

#[test]
fn an_invalid_option_discriminant_traps_like_the_dynamic_path() {
    assert_both_trap::<(Option<u32>,)>("option-discriminant", &["invalid variant discriminant 2"]);
}

#[test]
fn an_invalid_result_discriminant_traps_like_the_dynamic_path() {
    assert_both_trap::<(Result<u32, String>,)>(
        "result-discriminant",
        &["invalid variant discriminant 2"],
    );
}

#[test]
fn a_surrogate_char_traps_like_the_dynamic_path() {
    assert_both_trap::<(char,)>("char-surrogate", &["invalid `char` bit pattern 0xd800"]);
}

#[test]
fn a_char_past_u10ffff_traps_like_the_dynamic_path() {
    assert_both_trap::<(char,)>("char-past-max", &["invalid `char` bit pattern 0x110000"]);
}

#[test]
fn an_invalid_char_in_memory_traps_like_the_dynamic_path() {
    assert_both_trap::<((char, char),)>("char-in-memory", &["invalid `char` bit pattern 0xdfff"]);
}

#[test]
fn an_invalid_char_in_a_list_traps_like_the_dynamic_path() {
    assert_both_trap::<(Vec<char>,)>(
        "list-with-invalid-char",
        &["invalid `char` bit pattern 0xd800"],
    );
}

// ---------------------------------------------------------------- invalid arguments to host functions

/// The guest's `send-*` exports call one import each with a bad argument;
/// `send-fine` calls `take-char` with `'a'`.
fn bad_args_wat() -> String {
    let nine = "(tuple u32 u32 u32 u32 u32 u32 u32 u32 u32)";
    format!(
        r#"(component
  {LIBC}
  (type $color' (enum "red" "green" "blue"))
  (import "color" (type $color (eq $color')))
  (type $ab' (variant (case "a") (case "b")))
  (import "ab" (type $ab (eq $ab')))
  (import "take-char" (func $take-char (param "c" char)))
  (import "take-string" (func $take-string (param "s" string)))
  (import "take-color" (func $take-color (param "c" $color)))
  (import "take-ab" (func $take-ab (param "v" $ab)))
  (import "take-opt" (func $take-opt (param "o" (option u32))))
  (import "take-list" (func $take-list (param "l" (list u32))))
  (import "take-many" (func $take-many (param "a" {nine}) (param "b" {nine})))
  (import "get-pair" (func $get-pair (result (tuple u32 u64))))
  (core func $take-char' (canon lower (func $take-char)))
  (core func $take-string' (canon lower (func $take-string) {OPTS}))
  (core func $take-color' (canon lower (func $take-color)))
  (core func $take-ab' (canon lower (func $take-ab)))
  (core func $take-opt' (canon lower (func $take-opt)))
  (core func $take-list' (canon lower (func $take-list) {OPTS}))
  (core func $take-many' (canon lower (func $take-many) {OPTS}))
  (core func $get-pair' (canon lower (func $get-pair) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "take-char" (func $take-char (param i32)))
    (import "host" "take-string" (func $take-string (param i32 i32)))
    (import "host" "take-color" (func $take-color (param i32)))
    (import "host" "take-ab" (func $take-ab (param i32)))
    (import "host" "take-opt" (func $take-opt (param i32 i32)))
    (import "host" "take-list" (func $take-list (param i32 i32)))
    (import "host" "take-many" (func $take-many (param i32)))
    (import "host" "get-pair" (func $get-pair (param i32)))
    (data (i32.const 300) "\ff")
    (func (export "send-char") (call $take-char (i32.const 0xd800)))
    (func (export "send-string-out-of-bounds") (call $take-string (i32.const 65530) (i32.const 10)))
    (func (export "send-invalid-utf8") (call $take-string (i32.const 300) (i32.const 1)))
    (func (export "send-color") (call $take-color (i32.const 3)))
    (func (export "send-ab") (call $take-ab (i32.const 2)))
    (func (export "send-option") (call $take-opt (i32.const 2) (i32.const 0)))
    (func (export "send-misaligned-list") (call $take-list (i32.const 130) (i32.const 1)))
    (func (export "send-misaligned-params") (call $take-many (i32.const 130)))
    (func (export "send-out-of-bounds-params") (call $take-many (i32.const 65500)))
    (func (export "get-pair-misaligned") (call $get-pair (i32.const 132)))
    (func (export "send-fine") (call $take-char (i32.const 0x61))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance
      (export "take-char" (func $take-char'))
      (export "take-string" (func $take-string'))
      (export "take-color" (func $take-color'))
      (export "take-ab" (func $take-ab'))
      (export "take-opt" (func $take-opt'))
      (export "take-list" (func $take-list'))
      (export "take-many" (func $take-many'))
      (export "get-pair" (func $get-pair'))))))
  (func (export "send-char") (canon lift (core func $m "send-char")))
  (func (export "send-string-out-of-bounds") (canon lift (core func $m "send-string-out-of-bounds")))
  (func (export "send-invalid-utf8") (canon lift (core func $m "send-invalid-utf8")))
  (func (export "send-color") (canon lift (core func $m "send-color")))
  (func (export "send-ab") (canon lift (core func $m "send-ab")))
  (func (export "send-option") (canon lift (core func $m "send-option")))
  (func (export "send-misaligned-list") (canon lift (core func $m "send-misaligned-list")))
  (func (export "send-misaligned-params") (canon lift (core func $m "send-misaligned-params")))
  (func (export "send-out-of-bounds-params") (canon lift (core func $m "send-out-of-bounds-params")))
  (func (export "get-pair-misaligned") (canon lift (core func $m "get-pair-misaligned")))
  (func (export "send-fine") (canon lift (core func $m "send-fine"))))"#
    )
}

/// Nine `u32`s.
type Nine = (u32, u32, u32, u32, u32, u32, u32, u32, u32);

/// A linker defining every import of [`bad_args_wat`], counting calls in
/// the store: with `func_wrap` (`typed`) or `func_new`.
fn bad_args_linker(engine: &wit_host::Engine, typed: bool) -> Linker<u32> {
    let mut linker = Linker::<u32>::new(engine);
    let mut root = linker.root();
    if typed {
        root.func_wrap("take-char", |mut s, (_,): (char,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-string", |mut s, (_,): (String,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-color", |mut s, (_,): (Color,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-ab", |mut s, (_,): (Ab,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-opt", |mut s, (_,): (Option<u32>,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-list", |mut s, (_,): (Vec<u32>,)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("take-many", |mut s, (_, _): (Nine, Nine)| {
            *s.data_mut() += 1;
            Ok(())
        })
        .unwrap();
        root.func_wrap("get-pair", |mut s, ()| {
            *s.data_mut() += 1;
            Ok(((1u32, 2u64),))
        })
        .unwrap();
    } else {
        for name in [
            "take-char",
            "take-string",
            "take-color",
            "take-ab",
            "take-opt",
            "take-list",
            "take-many",
        ] {
            root.func_new(name, |mut s, _ty, _, _| {
                *s.data_mut() += 1;
                Ok(())
            })
            .unwrap();
        }
        root.func_new("get-pair", |mut s, _ty, _, results| {
            *s.data_mut() += 1;
            results[0] = Val::Tuple(vec![Val::U32(1), Val::U64(2)]);
            Ok(())
        })
        .unwrap();
    }
    linker
}

fn bad_args_instance(typed: bool) -> (Store<u32>, Instance) {
    let (engine, mut store, _) = setup(0u32);
    let linker = bad_args_linker(&engine, typed);
    let instance = instantiate(&engine, &mut store, &linker, &bad_args_wat());
    (store, instance)
}

/// Calls `name` (which passes a bad argument to an import) with the typed
/// and with the dynamic host functions: both fail mentioning `words`; the
/// typed host function was called `calls` times (0: the bad argument is
/// caught before the call); afterwards the same instance is locked down.
#[track_caller]
fn assert_both_reject(name: &str, calls: u32, words: &[&str]) {
    let (mut store, instance) = bad_args_instance(true);
    let send = instance.get_typed_func::<(), ()>(&mut store, name).unwrap();
    let typed_err = match send.call(&mut store, ()) {
        Ok(()) => panic!("`{name}` should fail with typed host functions"),
        Err(e) => {
            assert_not_a_trap(&e);
            message(&e)
        }
    };
    assert_eq!(
        *store.data(),
        calls,
        "typed host function calls for `{name}`"
    );
    let fine = instance
        .get_typed_func::<(), ()>(&mut store, "send-fine")
        .unwrap();
    assert_locked_down(
        fine.call(&mut store, ()),
        &format!("the instance after `{name}`"),
    );
    assert_eq!(*store.data(), calls, "no host call after `{name}`");

    let (mut store, instance) = bad_args_instance(false);
    let dynamic_err = call_error(&mut store, &instance, name, &[]);
    assert_not_a_trap(&dynamic_err);
    assert_contains_all(&message(&dynamic_err), words);
    assert_contains_all(&typed_err, words);
}

#[test]
fn an_invalid_char_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject("send-char", 0, &["invalid `char` bit pattern 0xd800"]);
}

#[test]
fn an_out_of_bounds_string_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject(
        "send-string-out-of-bounds",
        0,
        &[
            "string pointer/length out of bounds of memory",
            "string at 0xfffa of 10 bytes exceeds memory",
        ],
    );
}

#[test]
fn an_invalid_utf8_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject(
        "send-invalid-utf8",
        0,
        &["invalid utf-8 in string at 0x12c"],
    );
}

#[test]
fn an_invalid_enum_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject("send-color", 0, &["invalid variant discriminant 3"]);
}

#[test]
fn an_invalid_variant_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject("send-ab", 0, &["invalid variant discriminant 2"]);
}

#[test]
fn an_invalid_option_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject("send-option", 0, &["invalid variant discriminant 2"]);
}

#[test]
fn a_misaligned_list_argument_is_rejected_before_the_host_function_runs() {
    assert_both_reject("send-misaligned-list", 0, &["unaligned pointer 0x82"]);
}

/// Spilled parameters: the pointer to the parameter tuple must be aligned
/// and in bounds.
#[test]
fn a_misaligned_spilled_parameter_pointer_is_rejected() {
    assert_both_reject("send-misaligned-params", 0, &["unaligned pointer 0x82"]);
}

#[test]
fn an_out_of_bounds_spilled_parameter_pointer_is_rejected() {
    assert_both_reject(
        "send-out-of-bounds-params",
        0,
        &[
            "pointer out of bounds:",
            "at 0xffdc of 72 bytes exceeds memory",
        ],
    );
}

/// The return pointer an import's caller passes must be aligned for the
/// results: the host function runs, then writing its results traps.
#[test]
fn a_misaligned_return_pointer_for_host_results_is_rejected() {
    assert_both_reject("get-pair-misaligned", 1, &["unaligned pointer 0x84"]);
}

// ---------------------------------------------------------------- host-side errors

/// An error returned by a typed host function traps the guest with the
/// host's message, and locks the instance down; a fresh instance works.
#[test]
fn an_error_from_a_func_wrap_host_function_traps_the_guest() {
    let (engine, mut store, mut linker) = setup(0u32);
    linker
        .root()
        .func_wrap("check", |mut s, (n,): (u32,)| {
            *s.data_mut() += 1;
            if n == 0 {
                return Err(wit_host::Error::msg("zero is not allowed"));
            }
            Ok((n * 2,))
        })
        .unwrap();
    let wat = r#"(component
  (import "check" (func $check (param "n" u32) (result u32)))
  (core func $check' (canon lower (func $check)))
  (core module $M
    (import "host" "check" (func $check (param i32) (result i32)))
    (func (export "run") (param i32) (result i32) (call $check (local.get 0))))
  (core instance $m (instantiate $M (with "host" (instance (export "check" (func $check'))))))
  (func (export "run") (param "n" u32) (result u32) (canon lift (core func $m "run"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    let run = instance
        .get_typed_func::<(u32,), (u32,)>(&mut store, "run")
        .unwrap();
    let err = message(&run.call(&mut store, (0,)).unwrap_err());
    assert_contains_all(&err, &["zero is not allowed"]);
    assert_locked_down(run.call(&mut store, (21,)), "after the host's error");
    assert_eq!(*store.data(), 1, "the locked instance called no import");
    let fresh = instantiate(&engine, &mut store, &linker, wat);
    let run = fresh
        .get_typed_func::<(u32,), (u32,)>(&mut store, "run")
        .unwrap();
    assert_eq!(run.call(&mut store, (21,)).unwrap(), (42,));
    assert_eq!(*store.data(), 2);
}

/// A host function calling back into the instance that called it gets an
/// error (components may not be reentered), and the instance stays
/// usable.
#[test]
fn a_typed_call_reentering_a_running_instance_is_rejected() {
    let (engine, mut store, mut linker) = setup(None::<wit_host::TypedFunc<(), (u32,)>>);
    linker
        .root()
        .func_wrap("back", |mut s, ()| {
            let inner = s.data_mut().take().unwrap();
            let err = inner.call(&mut s, ()).unwrap_err();
            Ok((format!("{err}"),))
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "back" (func $back (result string)))
  (core func $back' (canon lower (func $back) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "back" (func $back (param i32)))
    (func (export "outer") (result i32) (call $back (i32.const 64)) (i32.const 64))
    (func (export "inner") (result i32) (i32.const 7)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "back" (func $back'))))))
  (func (export "outer") (result string) (canon lift (core func $m "outer") {OPTS}))
  (func (export "inner") (result u32) (canon lift (core func $m "inner"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let inner = instance
        .get_typed_func::<(), (u32,)>(&mut store, "inner")
        .unwrap();
    *store.data_mut() = Some(inner.clone());
    let outer = instance
        .get_typed_func::<(), (String,)>(&mut store, "outer")
        .unwrap();
    let (message,) = outer.call(&mut store, ()).unwrap();
    assert_contains_all(&message, &["cannot enter component instance"]);
    assert_eq!(inner.call(&mut store, ()).unwrap(), (7,));
}

/// Calling a typed function with a store it does not belong to is an
/// error, not a crash.
#[test]
fn a_typed_function_used_with_another_store_is_rejected() {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &bad_results_wat(BAD_RESULTS));
    let fine = instance
        .get_typed_func::<(), (String,)>(&mut store, "fine")
        .unwrap();
    let mut other = Store::new(&engine, ());
    let err = message(&fine.call(&mut other, ()).unwrap_err());
    assert_contains_all(&err, &["store it does not belong to"]);
    assert_eq!(fine.call(&mut store, ()).unwrap().0, "ok");
}
