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

/// A zero value of a flat type, for result slots.
pub(crate) fn zero(t: FlatType) -> wasmtime::Val {
    match t {
        FlatType::I32 => wasmtime::Val::I32(0),
        FlatType::I64 => wasmtime::Val::I64(0),
        FlatType::F32 => wasmtime::Val::F32(0),
        FlatType::F64 => wasmtime::Val::F64(0),
    }
}
