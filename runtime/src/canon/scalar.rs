//! Scalars: bools, integers, floats and chars, in memory and as core values.
//!
//! Mirrors CanonicalABI.md, "Loading" (`load_int`, `convert_int_to_bool`,
//! `canonicalize_nan32/64`, `decode_i32_as_float`, `convert_i32_to_char`)
//! and "Storing" (`store_int`, `encode_float_as_i32`, `char_to_i32`).

use wasmtime::{Result, format_err};

use crate::canon::memory::{read, write_bytes};
use crate::canon::typecheck::mismatch;
use crate::types::Type;
use crate::values::Val;

/// `CANONICAL_FLOAT32_NAN`.
pub(crate) const CANONICAL_FLOAT32_NAN: u32 = 0x7fc0_0000;
/// `CANONICAL_FLOAT64_NAN`.
pub(crate) const CANONICAL_FLOAT64_NAN: u64 = 0x7ff8_0000_0000_0000;

/// `convert_int_to_bool`: any non-zero value is `true`.
pub(crate) fn convert_int_to_bool(i: u32) -> bool {
    i != 0
}

/// `canonicalize_nan32`: every NaN becomes [`CANONICAL_FLOAT32_NAN`].
#[inline]
pub(crate) fn canonicalize_nan32(f: f32) -> f32 {
    if f.is_nan() {
        f32::from_bits(CANONICAL_FLOAT32_NAN)
    } else {
        f
    }
}

/// `canonicalize_nan64`: every NaN becomes [`CANONICAL_FLOAT64_NAN`].
#[inline]
pub(crate) fn canonicalize_nan64(f: f64) -> f64 {
    if f.is_nan() {
        f64::from_bits(CANONICAL_FLOAT64_NAN)
    } else {
        f
    }
}

/// `decode_i32_as_float`: reinterpret, then canonicalize NaN.
pub(crate) fn decode_i32_as_float(i: i32) -> f32 {
    canonicalize_nan32(f32::from_bits(i as u32))
}

/// `decode_i64_as_float`: reinterpret, then canonicalize NaN.
pub(crate) fn decode_i64_as_float(i: i64) -> f64 {
    canonicalize_nan64(f64::from_bits(i as u64))
}

/// `maybe_scramble_nan32`. The spec lets hosts pick any NaN on lowering
/// ("Storing": "Hosts may instead chose to canonicalize to an arbitrary
/// fixed NaN value"); this host canonicalizes, as the deterministic profile
/// requires.
pub(crate) fn maybe_scramble_nan32(f: f32) -> f32 {
    canonicalize_nan32(f)
}

/// `maybe_scramble_nan64`; see [`maybe_scramble_nan32`].
pub(crate) fn maybe_scramble_nan64(f: f64) -> f64 {
    canonicalize_nan64(f)
}

/// `encode_float_as_i32`: the bits of the (NaN-canonicalized) float.
pub(crate) fn encode_float_as_i32(f: f32) -> i32 {
    maybe_scramble_nan32(f).to_bits() as i32
}

/// `encode_float_as_i64`: the bits of the (NaN-canonicalized) float.
pub(crate) fn encode_float_as_i64(f: f64) -> i64 {
    maybe_scramble_nan64(f).to_bits() as i64
}

/// `convert_i32_to_char`: traps on surrogates and values past U+10FFFF.
#[inline]
pub(crate) fn convert_i32_to_char(i: u32) -> Result<char> {
    match char::from_u32(i) {
        Some(c) => Ok(c),
        None => Err(invalid_char(i)),
    }
}

/// The trap of [`convert_i32_to_char`] (out of the hot path).
#[cold]
#[inline(never)]
fn invalid_char(i: u32) -> wasmtime::Error {
    format_err!("invalid `char` bit pattern {i:#x}")
}

/// Whether `ty` is a scalar: stored with a single `store_int` and never
/// needing `realloc`, so lists of it can be stored in one tight loop.
pub(crate) fn is_scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::S8
            | Type::U8
            | Type::S16
            | Type::U16
            | Type::S32
            | Type::U32
            | Type::S64
            | Type::U64
            | Type::Float32
            | Type::Float64
            | Type::Char
    )
}

/// `load` for a scalar type at `ptr` of `mem`; `None` if `ty` is not a
/// scalar.
pub(crate) fn load_scalar(mem: &[u8], ptr: u32, ty: &Type) -> Result<Option<Val>> {
    Ok(Some(match ty {
        Type::Bool => Val::Bool(convert_int_to_bool(
            u8::from_le_bytes(read(mem, ptr)?).into(),
        )),
        Type::U8 => Val::U8(u8::from_le_bytes(read(mem, ptr)?)),
        Type::S8 => Val::S8(i8::from_le_bytes(read(mem, ptr)?)),
        Type::U16 => Val::U16(u16::from_le_bytes(read(mem, ptr)?)),
        Type::S16 => Val::S16(i16::from_le_bytes(read(mem, ptr)?)),
        Type::U32 => Val::U32(u32::from_le_bytes(read(mem, ptr)?)),
        Type::S32 => Val::S32(i32::from_le_bytes(read(mem, ptr)?)),
        Type::U64 => Val::U64(u64::from_le_bytes(read(mem, ptr)?)),
        Type::S64 => Val::S64(i64::from_le_bytes(read(mem, ptr)?)),
        Type::Float32 => Val::Float32(decode_i32_as_float(i32::from_le_bytes(read(mem, ptr)?))),
        Type::Float64 => Val::Float64(decode_i64_as_float(i64::from_le_bytes(read(mem, ptr)?))),
        Type::Char => Val::Char(
            convert_i32_to_char(u32::from_le_bytes(read(mem, ptr)?))
                .map_err(|e| format_err!("{e} at {ptr:#x}"))?,
        ),
        _ => return Ok(None),
    }))
}

/// `store` for a scalar type: checks `val` against `ty` and writes it at
/// `ptr` of `mem`. Errors on a non-scalar `ty` too.
pub(crate) fn store_scalar(mem: &mut [u8], val: &Val, ty: &Type, ptr: u32) -> Result<()> {
    match (ty, val) {
        (Type::Bool, Val::Bool(b)) => write_bytes(mem, ptr, &[u8::from(*b)]),
        (Type::U8, Val::U8(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::S8, Val::S8(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::U16, Val::U16(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::S16, Val::S16(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::U32, Val::U32(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::S32, Val::S32(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::U64, Val::U64(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::S64, Val::S64(x)) => write_bytes(mem, ptr, &x.to_le_bytes()),
        (Type::Float32, Val::Float32(f)) => {
            write_bytes(mem, ptr, &encode_float_as_i32(*f).to_le_bytes())
        }
        (Type::Float64, Val::Float64(f)) => {
            write_bytes(mem, ptr, &encode_float_as_i64(*f).to_le_bytes())
        }
        // `char_to_i32`: a Rust `char` is always a Unicode scalar value.
        (Type::Char, Val::Char(c)) => write_bytes(mem, ptr, &u32::from(*c).to_le_bytes()),
        _ => Err(mismatch(ty, val)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding_nan32_canonicalizes_every_nan() {
        for bits in [
            0x7fc0_0000u32,
            0x7fc0_0001,
            0x7fe0_0000,
            0x7fff_ffff,
            0xffff_ffff,
        ] {
            let f = decode_i32_as_float(bits as i32);
            assert_eq!(f.to_bits(), CANONICAL_FLOAT32_NAN, "{bits:#x}");
        }
    }

    #[test]
    fn decoding_nan64_canonicalizes_every_nan() {
        for bits in [
            0x7ff8_0000_0000_0000u64,
            0x7ff8_0000_0000_0001,
            0xffff_ffff_ffff_ffff,
        ] {
            let f = decode_i64_as_float(bits as i64);
            assert_eq!(f.to_bits(), CANONICAL_FLOAT64_NAN, "{bits:#x}");
        }
    }

    #[test]
    fn decoding_keeps_infinities_and_numbers() {
        assert_eq!(decode_i32_as_float(0x7f80_0000).to_bits(), 0x7f80_0000);
        assert_eq!(decode_i32_as_float(0x3fc0_0000).to_bits(), 0x3fc0_0000);
        assert_eq!(
            decode_i64_as_float(0x7ff0_0000_0000_0000).to_bits(),
            0x7ff0_0000_0000_0000
        );
    }

    #[test]
    fn encoding_a_nan_gives_the_canonical_bits() {
        let odd = f32::from_bits(0xffc0_1234);
        assert_eq!(encode_float_as_i32(odd) as u32, CANONICAL_FLOAT32_NAN);
        let odd = f64::from_bits(0xfff0_0000_0000_0001);
        assert_eq!(encode_float_as_i64(odd) as u64, CANONICAL_FLOAT64_NAN);
    }

    #[test]
    fn char_rejects_surrogates() {
        assert_eq!(
            convert_i32_to_char(0xd800).unwrap_err().to_string(),
            "invalid `char` bit pattern 0xd800"
        );
        assert!(convert_i32_to_char(0xdfff).is_err());
        assert_eq!(convert_i32_to_char(0xd7ff).unwrap(), '\u{d7ff}');
        assert_eq!(convert_i32_to_char(0xe000).unwrap(), '\u{e000}');
    }

    #[test]
    fn char_rejects_values_past_the_last_scalar() {
        assert_eq!(convert_i32_to_char(0x10ffff).unwrap(), '\u{10ffff}');
        assert_eq!(
            convert_i32_to_char(0x110000).unwrap_err().to_string(),
            "invalid `char` bit pattern 0x110000"
        );
        assert!(convert_i32_to_char(u32::MAX).is_err());
    }

    #[test]
    fn bool_is_true_for_any_nonzero_value() {
        let mem = [0u8, 1, 2, 0xff];
        let got: Vec<_> = (0..4)
            .map(|p| load_scalar(&mem, p, &Type::Bool).unwrap())
            .collect();
        let want = [false, true, true, true].map(|b| Some(Val::Bool(b)));
        assert_eq!(got, want);
    }

    #[test]
    fn scalars_are_little_endian() {
        let mut mem = [0u8; 8];
        store_scalar(&mut mem, &Val::S16(-2), &Type::S16, 2).unwrap();
        assert_eq!(mem, [0, 0, 0xfe, 0xff, 0, 0, 0, 0]);
        assert_eq!(
            load_scalar(&mem, 2, &Type::U16).unwrap(),
            Some(Val::U16(0xfffe))
        );
    }

    #[test]
    fn store_scalar_rejects_a_value_of_another_type() {
        let mut mem = [0u8; 8];
        let err = store_scalar(&mut mem, &Val::String("x".into()), &Type::U32, 0).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch: expected u32, found string");
    }
}
