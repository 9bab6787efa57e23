//! `flags!` types of 1, 8, 9 and 32 flags and with explicit names: round
//! trips, storage in 1, 2 or 4 bytes, unknown bits ignored when lifted,
//! and 33 flags rejected.

use crate::common::*;
use crate::typed_common::*;
use wit_host::flags;

flags! {
    /// One flag.
    F1 { const F0; }

    /// Eight flags: one byte.
    F8 { const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7; }

    /// Nine flags: two bytes.
    F9 {
        const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7;
        const F8;
    }

    /// Thirty-two flags: one word.
    F32 {
        const F0; const F1; const F2; const F3; const F4; const F5; const F6; const F7;
        const F8; const F9; const F10; const F11; const F12; const F13; const F14; const F15;
        const F16; const F17; const F18; const F19; const F20; const F21; const F22; const F23;
        const F24; const F25; const F26; const F27; const F28; const F29; const F30; const F31;
    }

    /// Flags with explicit names.
    Perms {
        const READ = "read";
        const WRITE = "write";
        const EXEC = "exec-it";
    }
}

/// `flags fl { f0, f1, ... }` with `n` flags.
fn flags_ty(n: usize) -> Ty {
    let names: String = (0..n).map(|i| format!("\"f{i}\" ")).collect();
    Ty::named_scalar("fl", &format!("(flags {names})"))
}

#[test]
fn flags_with_1_flag_roundtrip_both_ways() {
    check_roundtrip(&flags_ty(1), &[F1::empty(), F1::F0, F1::all()]);
}

#[test]
fn flags_with_8_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(8),
        &[
            F8::empty(),
            F8::F0,
            F8::all(),
            F8::F7,
            F8::F0 | F8::F2 | F8::F4 | F8::F6,
        ],
    );
}

#[test]
fn flags_with_9_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(9),
        &[F9::empty(), F9::F0, F9::all(), F9::F8, F9::F7 | F9::F8],
    );
}

#[test]
fn flags_with_32_flags_roundtrip_both_ways() {
    check_roundtrip(
        &flags_ty(32),
        &[
            F32::empty(),
            F32::F0,
            F32::all(),
            F32::F31,
            F32::F15 | F32::F16 | F32::F31,
        ],
    );
}

#[test]
fn flags_with_explicit_names_roundtrip_both_ways() {
    check_roundtrip(
        &Ty::named_scalar("perms", r#"(flags "read" "write" "exec-it")"#),
        &[Perms::READ | Perms::EXEC, Perms::empty(), Perms::WRITE],
    );
}

/// Flags take 1 byte up to 8 flags, 2 up to 16 and 4 up to 32; flag `i`
/// is bit `i`.
#[test]
fn flags_are_stored_in_1_2_or_4_bytes() {
    assert_eq!(
        stored_bytes(&flags_ty(8), &[F8::F0 | F8::F7, F8::F1]),
        [0x81, 0x02]
    );
    assert_eq!(stored_bytes(&flags_ty(9), &[F9::F8 | F9::F0]), [0x01, 0x01]);
    assert_eq!(
        stored_bytes(&flags_ty(32), &[F32::F31 | F32::F8]),
        0x8000_0100u32.to_le_bytes()
    );
}

/// Lifting ignores bits past the last flag, from flat values and from
/// memory (CanonicalABI.md: `lift_flat_flags`, `load_flags`).
#[test]
fn flags_lift_ignores_bits_past_the_last_flag() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "flat") (param i32) (result i32) (local.get 0))
    (func (export "mem") (param i32) (result i32)
      (i32.store16 (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (i32.const 5))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (type $perms' (flags "read" "write" "exec-it"))
  (export $perms "perms" (type $perms'))
  (type $f9' (flags "f0" "f1" "f2" "f3" "f4" "f5" "f6" "f7" "f8"))
  (export $f9 "f9" (type $f9'))
  (func (export "flat") (param "x" u32) (result $perms) (canon lift (core func $m "flat")))
  (func (export "mem") (param "x" u32) (result (tuple $f9 u32)) (canon lift (core func $m "mem") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let flat = instance
        .get_typed_func::<(u32,), (Perms,)>(&mut store, "flat")
        .unwrap();
    assert_eq!(
        flat.call(&mut store, (0xffff_fff9,)).unwrap(),
        (Perms::READ,)
    );
    assert_eq!(flat.call(&mut store, (0xff,)).unwrap(), (Perms::all(),));
    let mem = instance
        .get_typed_func::<(u32,), ((F9, u32),)>(&mut store, "mem")
        .unwrap();
    assert_eq!(mem.call(&mut store, (0xfe01,)).unwrap(), ((F9::F0, 5),));
    assert_eq!(mem.call(&mut store, (0xffff,)).unwrap(), ((F9::all(), 5),));
}

/// More than 32 flags are invalid in the current Component Model
/// (CanonicalABI.md asserts `0 < n <= 32`): component validation rejects
/// them before any typed function could use them.
#[test]
fn flags_with_33_flags_are_rejected_by_component_validation() {
    let t = flags_ty(33);
    let err = match wit_host::Component::new(&engine(), roundtrip_wat(&t)) {
        Ok(_) => panic!("a 33-flag type should be invalid"),
        Err(e) => message(&e),
    };
    assert_contains_all(&err, &["cannot have more than 32 flags"]);
}
