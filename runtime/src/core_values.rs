//! Our [`FlatType`] as wasmtime's core value types and values.

use crate::types::FlatType;

/// Our flat type as wasmtime's value type.
pub(crate) fn val_type(t: FlatType) -> wasmtime::ValType {
    match t {
        FlatType::I32 => wasmtime::ValType::I32,
        FlatType::I64 => wasmtime::ValType::I64,
        FlatType::F32 => wasmtime::ValType::F32,
        FlatType::F64 => wasmtime::ValType::F64,
    }
}

/// The value of core type `t` in `raw` as the zero-extended 64-bit
/// pattern the typed paths read: wasm writes only the low 32 bits of a
/// 32-bit value, so only those are read. (A test of one bit of `t`, where
/// a `match` on the four types made a jump table in the hot loops.)
#[inline(always)]
pub(crate) fn zero_extended(raw: &wasmtime::ValRaw, t: FlatType) -> wasmtime::ValRaw {
    if matches!(t, FlatType::I64 | FlatType::F64) {
        wasmtime::ValRaw::u64(raw.get_u64())
    } else {
        wasmtime::ValRaw::u64(u64::from(raw.get_u32()))
    }
}

/// A zero value of a flat type, for result slots.
pub(crate) fn zero(t: FlatType) -> wasmtime::Val {
    match t {
        FlatType::I32 => wasmtime::Val::I32(0),
        FlatType::I64 => wasmtime::Val::I64(0),
        FlatType::F32 => wasmtime::Val::F32(0),
        FlatType::F64 => wasmtime::Val::F64(0),
    }
}

/// A core number as the zero-extended 64-bit pattern `ValRaw` holds (what
/// the typed paths read); errors on a reference, which no lowered
/// signature has.
#[cfg(feature = "async")]
pub(crate) fn to_raw(v: &wasmtime::Val) -> crate::Result<wasmtime::ValRaw> {
    Ok(match v {
        wasmtime::Val::I32(x) => wasmtime::ValRaw::u64(u64::from(*x as u32)),
        wasmtime::Val::I64(x) => wasmtime::ValRaw::u64(*x as u64),
        wasmtime::Val::F32(bits) => wasmtime::ValRaw::u64(u64::from(*bits)),
        wasmtime::Val::F64(bits) => wasmtime::ValRaw::u64(*bits),
        _ => crate::bail!("internal: a core value that is not a number"),
    })
}

/// The core value of type `t` whose bits `raw` holds.
#[cfg(feature = "async")]
pub(crate) fn from_raw(raw: wasmtime::ValRaw, t: FlatType) -> wasmtime::Val {
    match t {
        FlatType::I32 => wasmtime::Val::I32(raw.get_u32() as i32),
        FlatType::I64 => wasmtime::Val::I64(raw.get_u64() as i64),
        FlatType::F32 => wasmtime::Val::F32(raw.get_u32()),
        FlatType::F64 => wasmtime::Val::F64(raw.get_u64()),
    }
}
