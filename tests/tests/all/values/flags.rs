//! Flags of 1 to 32 flags round-trip; 33 flags are rejected; flag bits
//! follow declaration order.

use super::check_roundtrip;
use crate::common::*;
use crate::roundtrip_common::{Ty, roundtrip_wat};
use wit_host::Val;

fn flag_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("f{i}")).collect()
}

fn flags_ty(n: usize) -> Ty {
    let names: String = flag_names(n).iter().map(|f| format!("\"{f}\" ")).collect();
    let def = format!("(flags {names})");
    Ty::defined(&[("fl", &def, true)], "$fl", &["i32"], "")
}

/// Empty, the first flag alone, all flags, the last alone, every other one.
fn flags_values(n: usize) -> Vec<Val> {
    let names = flag_names(n);
    let set = |pick: &dyn Fn(usize) -> bool| {
        Val::Flags(
            names
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, f)| f.clone())
                .collect(),
        )
    };
    vec![
        set(&|_| false),
        set(&|i| i == 0),
        set(&|_| true),
        set(&|i| i == n - 1),
        set(&|i| i % 2 == 0),
    ]
}

#[test]
fn flags_with_1_flag_roundtrip() {
    check_roundtrip(&flags_ty(1), &flags_values(1));
}

#[test]
fn flags_with_8_flags_roundtrip() {
    check_roundtrip(&flags_ty(8), &flags_values(8));
}

#[test]
fn flags_with_9_flags_roundtrip() {
    check_roundtrip(&flags_ty(9), &flags_values(9));
}

#[test]
fn flags_with_16_flags_roundtrip() {
    check_roundtrip(&flags_ty(16), &flags_values(16));
}

#[test]
fn flags_with_17_flags_roundtrip() {
    check_roundtrip(&flags_ty(17), &flags_values(17));
}

#[test]
fn flags_with_32_flags_roundtrip() {
    check_roundtrip(&flags_ty(32), &flags_values(32));
}

/// The current Component Model caps flags at 32 (`CanonicalABI.md` asserts
/// `0 < n <= 32`); a 33-flag type is a validation error, not a panic.
#[test]
fn flags_with_33_flags_are_rejected() {
    let t = flags_ty(33);
    let err = match wit_host::Component::new(&engine(), roundtrip_wat(&t)) {
        Ok(_) => panic!("a 33-flag type should be invalid"),
        Err(e) => message(&e),
    };
    assert_contains_all(&err, &["more than 32 flags"]);
}

/// Flag bits in memory: bit `i` of the little-endian integer is flag `i`.
#[test]
fn flags_bits_follow_declaration_order() {
    let (engine, mut store, linker) = setup(());
    let names: String = flag_names(17).iter().map(|f| format!("\"{f}\" ")).collect();
    let wat = format!(
        r#"(component
  (type $fl' (flags {names}))
  (export $fl "fl" (type $fl'))
  (core module $M
    (func (export "bits") (param i32) (result i32) (local.get 0))
    (func (export "make") (result i32) (i32.const 0x10005)))
  (core instance $m (instantiate $M))
  (func (export "bits") (param "x" $fl) (result u32) (canon lift (core func $m "bits")))
  (func (export "make") (result $fl) (canon lift (core func $m "make"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let got = call1(
        &mut store,
        &instance,
        "bits",
        &[flags(&["f16", "f0", "f2"])],
    );
    assert_eq!(got, Val::U32(0x10005));
    let got = call1(&mut store, &instance, "make", &[]);
    assert_eq!(got, flags(&["f0", "f2", "f16"]));
}
