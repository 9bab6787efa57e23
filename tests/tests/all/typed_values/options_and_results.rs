//! `Box<T>`, options (nested too) and results in all four shapes
//! round-trip both ways, with their memory layouts.

use crate::typed_common::*;

#[test]
fn box_roundtrips_both_ways_like_its_contents() {
    check_roundtrip(
        &Ty::ptr_len(&[], "string"),
        &[Box::new("boxed ✓".to_string()), Box::new(String::new())],
    );
    check_roundtrip(
        &Ty::scalar("u64", "i64"),
        &[Box::new(5u64), Box::new(u64::MAX)],
    );
}

// ---------------------------------------------------------------- options

#[test]
fn option_u32_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(option u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[None, Some(0u32), Some(u32::MAX)]);
}

#[test]
fn option_string_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(option string)",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[Some("söme".to_string()), None, Some(String::new())]);
}

#[test]
fn nested_option_roundtrips_both_ways() {
    // option<option<u8>>: outer discriminant at 0, inner at 1, payload at 2
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    check_roundtrip(&t, &[None, Some(None), Some(Some(7u8)), Some(Some(0))]);
}

/// `option<option<u8>>` in memory: 3 bytes, discriminants at 0 and 1, the
/// payload at 2.
#[test]
fn nested_option_is_stored_with_both_discriminants() {
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    let bytes = stored_bytes(&t, &[Some(Some(9u8)), Some(None), None]);
    assert_eq!(bytes[0..3], [1, 1, 9]);
    assert_eq!(bytes[3..5], [1, 0]);
    assert_eq!(bytes[6], 0);
}

// ---------------------------------------------------------------- results

#[test]
fn result_without_payloads_roundtrips_both_ways() {
    let t = Ty::defined(&[], "(result)", &["i32"], "");
    check_roundtrip(&t, &[Ok::<(), ()>(()), Err(()), Ok(())]);
}

#[test]
fn result_with_ok_payload_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(result u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[Ok::<u32, ()>(42), Err(()), Ok(u32::MAX)]);
}

#[test]
fn result_with_err_payload_roundtrips_both_ways() {
    let t = Ty::defined(
        &[],
        "(result (error string))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(
        &t,
        &[
            Ok::<(), String>(()),
            Err("bröken".into()),
            Err(String::new()),
        ],
    );
}

#[test]
fn result_with_both_payloads_roundtrips_both_ways() {
    // result<string, u64>: joined flat form (i32, i64, i32); payload at 8
    let t = Ty::defined(
        &[],
        "(result string (error u64))",
        &["i32", "i64", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (if (i32.eqz (local.get 0)) (then (i32.store (i32.const 76) (local.get 2))))",
    );
    check_roundtrip(
        &t,
        &[
            Ok::<String, u64>("fïne".into()),
            Err(u64::MAX),
            Ok(String::new()),
            Err(0),
        ],
    );
}

/// `result<f32, f64>` joins `f32` and `f64` into one `i64` slot: the `f32`
/// is its bit pattern, zero-extended, in both directions.
#[test]
fn result_with_float_payloads_joins_them_into_one_i64_slot() {
    let t = Ty::defined(
        &[],
        "(result f32 (error f64))",
        &["i32", "i64"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i64.store (i32.const 72) (local.get 1))",
    );
    check_roundtrip_by(
        &t,
        &[
            Ok::<f32, f64>(1.5),
            Err(-2.5e-300),
            Ok(-0.0),
            Err(f64::INFINITY),
        ],
        |a, b| match (a, b) {
            (Ok(a), Ok(b)) => a.to_bits() == b.to_bits(),
            (Err(a), Err(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        },
    );
}
