//! Lifting details: a bool from any non-zero value, narrow integers
//! truncated, NaNs canonicalized, and variant payloads coerced into (and
//! decoded from) the joined flat slots.

use super::MIXED_DEF;
use crate::common::*;
use wit_host::{Instance, Store, Val};

/// A component whose exports return fixed core values as various types.
fn constants_instance() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (core module $M
    (func (export "i32-2") (result i32) (i32.const 2))
    (func (export "i32-0x1ff") (result i32) (i32.const 0x1ff))
    (func (export "i32-0x180") (result i32) (i32.const 0x180))
    (func (export "i32-0x12345") (result i32) (i32.const 0x12345))
    (func (export "i32-0x18000") (result i32) (i32.const 0x18000))
    (func (export "nan32") (result f32) (f32.reinterpret_i32 (i32.const 0xffa00123)))
    (func (export "nan64") (result f64) (f64.reinterpret_i64 (i64.const 0xfff4000000000123))))
  (core instance $m (instantiate $M))
  (func (export "bool-from-2") (result bool) (canon lift (core func $m "i32-2")))
  (func (export "u8-from-0x1ff") (result u8) (canon lift (core func $m "i32-0x1ff")))
  (func (export "s8-from-0x180") (result s8) (canon lift (core func $m "i32-0x180")))
  (func (export "u16-from-0x12345") (result u16) (canon lift (core func $m "i32-0x12345")))
  (func (export "s16-from-0x18000") (result s16) (canon lift (core func $m "i32-0x18000")))
  (func (export "nan32") (result f32) (canon lift (core func $m "nan32")))
  (func (export "nan64") (result f64) (canon lift (core func $m "nan64"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    (store, instance)
}

#[test]
fn bool_lifted_from_any_nonzero_value_is_true() {
    let (mut store, instance) = constants_instance();
    assert_eq!(
        call1(&mut store, &instance, "bool-from-2", &[]),
        Val::Bool(true)
    );
}

#[test]
fn narrow_integers_lifted_from_wider_core_values_are_truncated() {
    let (mut store, instance) = constants_instance();
    assert_eq!(
        call1(&mut store, &instance, "u8-from-0x1ff", &[]),
        Val::U8(0xff)
    );
    assert_eq!(
        call1(&mut store, &instance, "s8-from-0x180", &[]),
        Val::S8(-128)
    );
    assert_eq!(
        call1(&mut store, &instance, "u16-from-0x12345", &[]),
        Val::U16(0x2345)
    );
    assert_eq!(
        call1(&mut store, &instance, "s16-from-0x18000", &[]),
        Val::S16(i16::MIN)
    );
}

/// `lift_flat` applies `canonicalize_nan32`/`canonicalize_nan64`.
#[test]
fn nan_returned_by_the_guest_is_canonicalized() {
    let (mut store, instance) = constants_instance();
    let Val::Float32(f) = call1(&mut store, &instance, "nan32", &[]) else {
        panic!()
    };
    assert_eq!(f.to_bits(), 0x7fc0_0000);
    let Val::Float64(f) = call1(&mut store, &instance, "nan64", &[]) else {
        panic!()
    };
    assert_eq!(f.to_bits(), 0x7ff8_0000_0000_0000);
}

/// Guest exports seeing the raw flat values of the `mixed` variant, and
/// exports sending chosen raw flat values to the host's `take`.
fn mixed_flat_instance() -> (Store<Vec<Val>>, Instance) {
    let (engine, mut store, mut linker) = setup(Vec::<Val>::new());
    linker
        .root()
        .func_new("take", |mut store, _ty, params, _results| {
            store.data_mut().push(params[0].clone());
            Ok(())
        })
        .unwrap();
    let (_, def, _) = MIXED_DEF;
    let wat = format!(
        r#"(component
  {LIBC}
  (type $mixed-i' {def})
  (import "mixed" (type $mixed-i (eq $mixed-i')))
  (import "take" (func $take (param "v" $mixed-i)))
  (core func $take' (canon lower (func $take) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "take" (func $take (param i32 i64 i32)))
    (data (i32.const 128) "hi")
    (func (export "disc") (param i32 i64 i32) (result i32) (local.get 0))
    (func (export "bits") (param i32 i64 i32) (result i64) (local.get 1))
    (func (export "second") (param i32 i64 i32) (result i32) (local.get 2))
    (func (export "send") (param i32 i64 i32) (call $take (local.get 0) (local.get 1) (local.get 2))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "take" (func $take'))))))
  (type $mixed' {def})
  (export $mixed "mixed" (type $mixed'))
  (func (export "disc") (param "v" $mixed) (result u32) (canon lift (core func $m "disc") {OPTS}))
  (func (export "bits") (param "v" $mixed) (result u64) (canon lift (core func $m "bits") {OPTS}))
  (func (export "second") (param "v" $mixed) (result u32) (canon lift (core func $m "second") {OPTS}))
  (func (export "send") (param "disc" u32) (param "bits" u64) (param "second" u32)
    (canon lift (core func $m "send") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

/// `lower_flat_variant`: an `f32` payload in an `i64` slot is its bit
/// pattern, zero-extended; an `s32` is zero-extended too; unused slots are 0.
#[test]
fn variant_payloads_are_coerced_into_joined_flat_slots() {
    let (mut store, instance) = mixed_flat_instance();
    let bits = |store: &mut Store<Vec<Val>>, v: Val| call1(store, &instance, "bits", &[v]);
    assert_eq!(
        bits(&mut store, case("float", Val::Float32(1.5))),
        Val::U64(0x3fc0_0000)
    );
    assert_eq!(
        bits(&mut store, case("int", Val::S32(-1))),
        Val::U64(0xffff_ffff)
    );
    assert_eq!(
        bits(&mut store, case("double", Val::Float64(1.5))),
        Val::U64(1.5f64.to_bits())
    );
    assert_eq!(
        bits(&mut store, case("long", Val::S64(-2))),
        Val::U64(-2i64 as u64)
    );
    assert_eq!(bits(&mut store, case("byte", Val::U8(200))), Val::U64(200));
    assert_eq!(bits(&mut store, case0("none")), Val::U64(0));
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "second",
            &[case("float", Val::Float32(1.5))]
        ),
        Val::U32(0)
    );
    assert_eq!(
        call1(&mut store, &instance, "disc", &[case("byte", Val::U8(1))]),
        Val::U32(6)
    );
    // a string's pointer goes into the i64 slot and its length into the i32
    assert_eq!(
        call1(&mut store, &instance, "second", &[case("text", s("four"))]),
        Val::U32(4)
    );
}

/// `lift_flat_variant`: the host decodes each case's payload out of the
/// joined slots (wrapping `i64` to `i32`, reinterpreting floats).
#[test]
fn variant_payloads_are_decoded_from_joined_flat_slots() {
    let (mut store, instance) = mixed_flat_instance();
    let mut send = |disc: u32, bits: u64, second: u32| {
        call(
            &mut store,
            &instance,
            "send",
            &[Val::U32(disc), Val::U64(bits), Val::U32(second)],
        )
        .unwrap_or_else(|e| panic!("send failed: {e:?}"));
    };
    send(1, 0x1_ffff_fffb, 0); // int: upper bits are dropped
    send(2, 0x3fc0_0000, 0); // float
    send(3, u64::MAX, 0); // long
    send(4, 2.5f64.to_bits(), 0); // double
    send(5, 128, 2); // text "hi" at 128
    send(6, 0x1ff, 0); // byte: truncated to 8 bits
    send(0, 12345, 678); // none: slots ignored
    assert_eq!(
        store.data().clone(),
        vec![
            case("int", Val::S32(-5)),
            case("float", Val::Float32(1.5)),
            case("long", Val::S64(-1)),
            case("double", Val::Float64(2.5)),
            case("text", s("hi")),
            case("byte", Val::U8(0xff)),
            case0("none"),
        ]
    );
}
