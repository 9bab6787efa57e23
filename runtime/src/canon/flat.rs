//! Core values on the stack: [`Flat`], cursors over them and `flatten_functype`.
//!
//! Mirrors CanonicalABI.md, "Flattening" and the `CoreValueIter` of "Flat
//! Lifting". Memory is 32-bit, so pointers and lengths are always `i32`.

use wasmtime::{Result, format_err};

use crate::types::{FlatType, Type};

/// `MAX_FLAT_PARAMS`: more flat parameters than this travel through memory.
pub(crate) const MAX_FLAT_PARAMS: usize = 16;
/// `MAX_FLAT_RESULTS`: more flat results than this travel through memory.
pub(crate) const MAX_FLAT_RESULTS: usize = 1;

/// One core WebAssembly value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Flat {
    /// An `i32` (the spec's unsigned int in `0..2^32`, here as its bits).
    I32(i32),
    /// An `i64`.
    I64(i64),
    /// An `f32`.
    F32(f32),
    /// An `f64`.
    F64(f64),
}

impl Flat {
    /// The core type of this value.
    pub(crate) fn ty(&self) -> FlatType {
        match self {
            Flat::I32(_) => FlatType::I32,
            Flat::I64(_) => FlatType::I64,
            Flat::F32(_) => FlatType::F32,
            Flat::F64(_) => FlatType::F64,
        }
    }

    /// The zero of a core type (padding of short variant payloads).
    pub(crate) fn zero(ty: FlatType) -> Flat {
        match ty {
            FlatType::I32 => Flat::I32(0),
            FlatType::I64 => Flat::I64(0),
            FlatType::F32 => Flat::F32(0.0),
            FlatType::F64 => Flat::F64(0.0),
        }
    }

    /// Converts from a wasmtime value; `None` for reference and vector values.
    pub(crate) fn from_wasm(val: &wasmtime::Val) -> Option<Flat> {
        Some(match *val {
            wasmtime::Val::I32(x) => Flat::I32(x),
            wasmtime::Val::I64(x) => Flat::I64(x),
            wasmtime::Val::F32(bits) => Flat::F32(f32::from_bits(bits)),
            wasmtime::Val::F64(bits) => Flat::F64(f64::from_bits(bits)),
            _ => return None,
        })
    }

    /// Converts to a wasmtime value, keeping float bits exactly.
    pub(crate) fn to_wasm(self) -> wasmtime::Val {
        match self {
            Flat::I32(x) => wasmtime::Val::I32(x),
            Flat::I64(x) => wasmtime::Val::I64(x),
            Flat::F32(f) => wasmtime::Val::F32(f.to_bits()),
            Flat::F64(f) => wasmtime::Val::F64(f.to_bits()),
        }
    }
}

/// Which side of a call a core signature is for (`flatten_functype`'s
/// `context`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// `canon lift`: the core function is the guest's export.
    Lift,
    /// `canon lower`: the core function is what the guest imports.
    Lower,
}

/// `flatten_functype` for synchronous functions: the flat parameter and
/// result types of the core function for `context`.
pub(crate) fn flatten_functype(
    params: &[Type],
    results: &[Type],
    context: Context,
) -> (Vec<FlatType>, Vec<FlatType>) {
    let mut flat_params = flatten_types(params);
    let mut flat_results = flatten_types(results);
    if flat_params.len() > MAX_FLAT_PARAMS {
        flat_params = vec![FlatType::I32];
    }
    if flat_results.len() > MAX_FLAT_RESULTS {
        match context {
            Context::Lift => flat_results = vec![FlatType::I32],
            Context::Lower => {
                flat_params.push(FlatType::I32);
                flat_results = Vec::new();
            }
        }
    }
    (flat_params, flat_results)
}

/// `flatten_types`: the flat types of a sequence of types, concatenated.
pub(crate) fn flatten_types(tys: &[Type]) -> Vec<FlatType> {
    tys.iter()
        .flat_map(|t| t.layout().flat.iter().copied())
        .collect()
}

/// The number of flat values of a sequence of types.
pub(crate) fn flat_count(tys: &[Type]) -> usize {
    tys.iter().map(|t| t.layout().flat.len()).sum()
}

/// A source of core values for lifting: the spec's `CoreValueIter` and, for
/// variant payloads, its `CoerceValueIter`.
pub(crate) trait FlatSource {
    /// The next value, which the caller expects to be of type `want`.
    fn next(&mut self, want: FlatType) -> Result<Flat>;

    /// The next value as an `i32`.
    fn next_i32(&mut self) -> Result<i32> {
        match self.next(FlatType::I32)? {
            Flat::I32(x) => Ok(x),
            other => Err(wrong_core_type(FlatType::I32, other)),
        }
    }

    /// The next value as an `i64`.
    fn next_i64(&mut self) -> Result<i64> {
        match self.next(FlatType::I64)? {
            Flat::I64(x) => Ok(x),
            other => Err(wrong_core_type(FlatType::I64, other)),
        }
    }

    /// The next value as an `f32`.
    fn next_f32(&mut self) -> Result<f32> {
        match self.next(FlatType::F32)? {
            Flat::F32(x) => Ok(x),
            other => Err(wrong_core_type(FlatType::F32, other)),
        }
    }

    /// The next value as an `f64`.
    fn next_f64(&mut self) -> Result<f64> {
        match self.next(FlatType::F64)? {
            Flat::F64(x) => Ok(x),
            other => Err(wrong_core_type(FlatType::F64, other)),
        }
    }
}

/// The host passed a core value of the wrong type: a bug in the caller,
/// not something a guest can cause (core signatures are type-checked).
fn wrong_core_type(want: FlatType, have: Flat) -> wasmtime::Error {
    format_err!("internal error: expected a core {want:?} value, found {have:?}")
}

/// A cursor over a slice of core values (the spec's `CoreValueIter`).
pub(crate) struct FlatIter<'a> {
    vals: &'a [Flat],
    pos: usize,
}

impl<'a> FlatIter<'a> {
    /// A cursor at the start of `vals`.
    pub(crate) fn new(vals: &'a [Flat]) -> FlatIter<'a> {
        FlatIter { vals, pos: 0 }
    }

    /// Whether every value has been consumed (`CoreValueIter.done`).
    #[cfg(test)]
    pub(crate) fn done(&self) -> bool {
        self.pos == self.vals.len()
    }

    /// The values not consumed yet.
    pub(crate) fn remaining(&self) -> &'a [Flat] {
        &self.vals[self.pos..]
    }
}

impl FlatSource for FlatIter<'_> {
    fn next(&mut self, want: FlatType) -> Result<Flat> {
        let Some(&v) = self.vals.get(self.pos) else {
            return Err(format_err!(
                "internal error: expected a core {want:?} value, found none after {} values",
                self.pos
            ));
        };
        if v.ty() != want {
            return Err(wrong_core_type(want, v));
        }
        self.pos += 1;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FlatType::*;

    #[test]
    fn flatten_functype_keeps_small_signatures_flat() {
        let (p, r) = flatten_functype(
            &[Type::U8, Type::Float32, Type::Float64],
            &[Type::Float32],
            Context::Lift,
        );
        assert_eq!(p, [I32, F32, F64]);
        assert_eq!(r, [F32]);
    }

    #[test]
    fn flatten_functype_spills_17_params_to_one_pointer() {
        let params = vec![Type::U8; 17];
        for context in [Context::Lift, Context::Lower] {
            let (p, r) = flatten_functype(&params, &[], context);
            assert_eq!(p, [I32]);
            assert!(r.is_empty());
        }
    }

    #[test]
    fn flatten_functype_keeps_16_params_flat() {
        let (p, _) = flatten_functype(&vec![Type::U64; 16], &[], Context::Lift);
        assert_eq!(p, vec![I64; 16]);
    }

    #[test]
    fn flatten_functype_lift_returns_a_pointer_for_two_flat_results() {
        let results = [Type::tuple([Type::U8, Type::U8])];
        let (p, r) = flatten_functype(&[Type::U8], &results, Context::Lift);
        assert_eq!(p, [I32]);
        assert_eq!(r, [I32]);
    }

    #[test]
    fn flatten_functype_lower_adds_an_out_param_for_two_flat_results() {
        let (p, r) = flatten_functype(&[Type::U8], &[Type::String], Context::Lower);
        assert_eq!(p, [I32, I32]);
        assert!(r.is_empty());
    }

    #[test]
    fn flat_iter_reports_a_wrong_core_type() {
        let vals = [Flat::F32(1.0)];
        let err = FlatIter::new(&vals).next_i32().unwrap_err().to_string();
        assert_eq!(
            err,
            "internal error: expected a core I32 value, found F32(1.0)"
        );
    }

    #[test]
    fn flat_iter_reports_a_missing_value() {
        let mut it = FlatIter::new(&[]);
        assert!(it.done());
        assert!(it.next_i64().is_err());
    }

    #[test]
    fn flat_converts_to_and_from_wasmtime_keeping_nan_bits() {
        let odd_nan = f32::from_bits(0x7fc0_0001);
        let v = Flat::F32(odd_nan).to_wasm();
        let back = Flat::from_wasm(&v).unwrap();
        let Flat::F32(f) = back else {
            panic!("{back:?}")
        };
        assert_eq!(f.to_bits(), 0x7fc0_0001);
    }
}
