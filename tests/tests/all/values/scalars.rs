//! Every scalar type round-trips: bools, integers at their limits, floats
//! (negative zero, infinities, NaN, subnormals) and chars.

use super::check_roundtrip;
use crate::roundtrip_common::Ty;
use wit_host::Val;

#[test]
fn bool_roundtrips() {
    check_roundtrip(
        &Ty::scalar("bool", "i32"),
        &[Val::Bool(true), Val::Bool(false)],
    );
}

#[test]
fn s8_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s8", "i32"),
        &[Val::S8(0), Val::S8(-128), Val::S8(127), Val::S8(-1)],
    );
}

#[test]
fn u8_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u8", "i32"),
        &[Val::U8(0), Val::U8(255), Val::U8(128)],
    );
}

#[test]
fn s16_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s16", "i32"),
        &[
            Val::S16(i16::MIN),
            Val::S16(i16::MAX),
            Val::S16(-1),
            Val::S16(0),
        ],
    );
}

#[test]
fn u16_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u16", "i32"),
        &[Val::U16(0), Val::U16(u16::MAX), Val::U16(0x8000)],
    );
}

#[test]
fn s32_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s32", "i32"),
        &[
            Val::S32(i32::MIN),
            Val::S32(i32::MAX),
            Val::S32(-1),
            Val::S32(0),
        ],
    );
}

#[test]
fn u32_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u32", "i32"),
        &[Val::U32(0), Val::U32(u32::MAX), Val::U32(0x8000_0000)],
    );
}

#[test]
fn s64_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s64", "i64"),
        &[
            Val::S64(i64::MIN),
            Val::S64(i64::MAX),
            Val::S64(-1),
            Val::S64(0),
        ],
    );
}

#[test]
fn u64_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u64", "i64"),
        &[Val::U64(0), Val::U64(u64::MAX), Val::U64(1 << 63)],
    );
}

#[test]
fn f32_roundtrips_including_negative_zero_infinities_and_nan() {
    check_roundtrip(
        &Ty::scalar("f32", "f32"),
        &[
            Val::Float32(1.5),
            Val::Float32(-0.0),
            Val::Float32(0.0),
            Val::Float32(f32::INFINITY),
            Val::Float32(f32::NEG_INFINITY),
            Val::Float32(f32::NAN),
            Val::Float32(f32::from_bits(1)), // smallest subnormal
            Val::Float32(f32::MAX),
        ],
    );
}

#[test]
fn f64_roundtrips_including_negative_zero_infinities_and_nan() {
    check_roundtrip(
        &Ty::scalar("f64", "f64"),
        &[
            Val::Float64(-2.75e300),
            Val::Float64(-0.0),
            Val::Float64(0.0),
            Val::Float64(f64::INFINITY),
            Val::Float64(f64::NEG_INFINITY),
            Val::Float64(f64::NAN),
            Val::Float64(f64::from_bits(1)),
        ],
    );
}

#[test]
fn char_roundtrips() {
    check_roundtrip(
        &Ty::scalar("char", "i32"),
        &[
            Val::Char('a'),
            Val::Char('\0'),
            Val::Char('é'),
            Val::Char('\u{D7FF}'),
            Val::Char('\u{E000}'),
            Val::Char('\u{FFFF}'),
            Val::Char('😀'),
            Val::Char('\u{10FFFF}'),
        ],
    );
}
