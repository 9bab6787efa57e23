//! Lowering values to core values (and, past the flat limit, memory).
//!
//! Mirrors CanonicalABI.md, "Flat Lowering" (`lower_flat` and its helpers)
//! and "Lifting and Lowering Values" (`lower_flat_values`). Values are
//! checked against their type as they are lowered.

use wasmtime::{Result, bail};

use crate::canon::flat::{Flat, FlatIter, FlatSource, flat_count};
use crate::canon::layout::record_layout;
use crate::canon::lift_flat::TupleOf;
use crate::canon::list::{list_values, store_list_into_range};
use crate::canon::map::{map_entries, store_map_into_range};
use crate::canon::memory::{Cx, check_align, check_range};
use crate::canon::scalar::{
    encode_float_as_i32, encode_float_as_i64, maybe_scramble_nan32, maybe_scramble_nan64,
};
use crate::canon::store::store_fields;
use crate::canon::store_string::{SrcString, store_string_into_range};
use crate::canon::typecheck::{
    fixed_length_list_values, mismatch, pack_flags, record_values, tuple_values,
};
use crate::canon::variant::Cases;
use crate::types::{FlatType, Type};
use crate::values::Val;

/// `lower_flat`: appends the core values of `val` (of type `ty`) to `out`,
/// calling `realloc` for strings and lists. Signed integers are
/// sign-extended to their core type (`lower_flat_signed`).
pub(crate) fn lower_flat(cx: &mut Cx, val: &Val, ty: &Type, out: &mut Vec<Flat>) -> Result<()> {
    let flat = match (ty, val) {
        (Type::Bool, Val::Bool(b)) => Flat::I32(i32::from(*b)),
        (Type::U8, Val::U8(x)) => Flat::I32(i32::from(*x)),
        (Type::S8, Val::S8(x)) => Flat::I32(i32::from(*x)),
        (Type::U16, Val::U16(x)) => Flat::I32(i32::from(*x)),
        (Type::S16, Val::S16(x)) => Flat::I32(i32::from(*x)),
        (Type::U32, Val::U32(x)) => Flat::I32(*x as i32),
        (Type::S32, Val::S32(x)) => Flat::I32(*x),
        (Type::U64, Val::U64(x)) => Flat::I64(*x as i64),
        (Type::S64, Val::S64(x)) => Flat::I64(*x),
        (Type::Float32, Val::Float32(f)) => Flat::F32(maybe_scramble_nan32(*f)),
        (Type::Float64, Val::Float64(f)) => Flat::F64(maybe_scramble_nan64(*f)),
        (Type::Char, Val::Char(c)) => Flat::I32(u32::from(*c) as i32),
        // `lower_flat_string`
        (Type::String, Val::String(s)) => {
            let (ptr, packed_length) = store_string_into_range(cx, &SrcString::host(s)?)?;
            out.extend([Flat::I32(ptr as i32), Flat::I32(packed_length as i32)]);
            return Ok(());
        }
        // `lower_flat_list`
        (Type::List(l), _) => {
            let (ptr, length) = store_list_into_range(cx, list_values(ty, val)?, l.element())?;
            out.extend([Flat::I32(ptr as i32), Flat::I32(length as i32)]);
            return Ok(());
        }
        // `lower_flat_list` of a `list<tuple<K, V>>`
        (Type::Map(m), _) => {
            let (ptr, length) = store_map_into_range(cx, map_entries(ty, val)?, m)?;
            out.extend([Flat::I32(ptr as i32), Flat::I32(length as i32)]);
            return Ok(());
        }
        // `lower_flat_list` with a length: the elements' core values.
        (Type::FixedLengthList(l), _) => {
            for v in fixed_length_list_values(ty, l, val)? {
                lower_flat(cx, v, l.element(), out)?;
            }
            return Ok(());
        }
        // `lower_flat_record`
        (Type::Record(r), _) => {
            let vals = record_values(ty, val)?;
            for ((_, v), f) in vals.iter().zip(r.fields()) {
                lower_flat(cx, v, &f.ty, out)?;
            }
            return Ok(());
        }
        (Type::Tuple(t), _) => {
            for (v, ty) in tuple_values(ty, val)?.iter().zip(t.types()) {
                lower_flat(cx, v, ty, out)?;
            }
            return Ok(());
        }
        (Type::Variant(_) | Type::Enum(_) | Type::Option(_) | Type::Result(_), _) => {
            return lower_flat_variant(cx, val, ty, out);
        }
        // `lower_flat_flags`
        (Type::Flags(f), _) => {
            let words = pack_flags(ty, f, val)?;
            out.extend(words.into_iter().map(|w| Flat::I32(w as i32)));
            return Ok(());
        }
        (Type::Own(r) | Type::Borrow(r), Val::Resource(any)) => {
            let handle = cx
                .mem
                .lower_handle(r.table(), any, matches!(ty, Type::Own(_)))?;
            Flat::I32(handle as i32)
        }
        _ => return Err(mismatch(ty, val)),
    };
    out.push(flat);
    Ok(())
}

/// `lower_flat_variant`: the case index, the payload's core values
/// converted to the variant's joined core types, then zeros for the
/// joined values the case does not use.
fn lower_flat_variant(cx: &mut Cx, val: &Val, ty: &Type, out: &mut Vec<Flat>) -> Result<()> {
    let Some(cases) = Cases::of(ty) else {
        return Err(mismatch(ty, val));
    };
    let (case_index, payload) = cases.match_case(ty, val)?;
    let joined = ty.layout().flat.get(1..).unwrap_or_default();
    out.push(Flat::I32(case_index as i32));
    let start = out.len();
    if let (Some(payload), Some(payload_ty)) = (payload, cases.payload(case_index as usize)) {
        lower_flat(cx, payload, payload_ty, out)?;
    }
    let payload_flat = out.get_mut(start..).unwrap_or_default();
    if payload_flat.len() > joined.len() {
        bail!("internal error: payload of {ty} has more core values than the variant");
    }
    for (slot, want) in payload_flat.iter_mut().zip(joined) {
        *slot = coerce(*slot, *want)?;
    }
    let used = out.len() - start;
    out.extend(joined[used..].iter().map(|t| Flat::zero(*t)));
    Ok(())
}

/// The conversions of `lower_flat_variant` from a payload's core value to
/// the joined core type: floats as their bits, `i32` zero-extended.
fn coerce(have: Flat, want: FlatType) -> Result<Flat> {
    Ok(match (have, want) {
        (Flat::F32(f), FlatType::I32) => Flat::I32(encode_float_as_i32(f)),
        (Flat::I32(i), FlatType::I64) => Flat::I64(i64::from(i as u32)),
        (Flat::F32(f), FlatType::I64) => Flat::I64(i64::from(encode_float_as_i32(f) as u32)),
        (Flat::F64(f), FlatType::I64) => Flat::I64(encode_float_as_i64(f)),
        (have, want) if have.ty() == want => have,
        (have, want) => bail!("internal error: cannot carry {have:?} as {want:?}"),
    })
}

/// `lower_flat_values`: lowers `vals` of types `tys` (checked by the caller
/// with [`typecheck_values`](crate::canon::typecheck_values), so that a bad
/// value is found before anything moved) to core values, or,
/// when they take more than `max_flat`, stores them as a tuple in memory:
/// at a fresh `realloc` allocation whose pointer is the one core value
/// returned, or, given `out_param`, at the pointer read from it (and no
/// core values are returned).
pub(crate) fn lower_flat_values(
    cx: &mut Cx,
    max_flat: usize,
    vals: &[Val],
    tys: &[Type],
    out_param: Option<&mut FlatIter>,
) -> Result<Vec<Flat>> {
    if vals.len() != tys.len() {
        bail!("expected {} values, found {}", tys.len(), vals.len());
    }
    let count = flat_count(tys);
    if count <= max_flat {
        let mut flat = Vec::with_capacity(count);
        for (val, ty) in vals.iter().zip(tys) {
            lower_flat(cx, val, ty, &mut flat)?;
        }
        return Ok(flat);
    }
    let tuple = record_layout(tys.iter());
    let (ptr, flat) = match out_param {
        None => {
            let ptr = cx.allocate(tuple.align, tuple.size)?;
            (ptr, vec![Flat::I32(ptr as i32)])
        }
        Some(out) => {
            // The guest's return area: checked against its memory, then
            // written where the memory says (see `GuestMemory::result_area`).
            let ptr = out.next_i32()? as u32;
            check_align(ptr, tuple.align, TupleOf(tys))?;
            let guest_len = cx.mem.guest_memory_len()?;
            check_range(guest_len, ptr, tuple.size.into(), TupleOf(tys))?;
            (
                cx.mem.result_area(ptr, tuple.align, tuple.size)?,
                Vec::new(),
            )
        }
    };
    check_align(ptr, tuple.align, TupleOf(tys))?;
    let mem_len = cx.mem.memory()?.len();
    check_range(mem_len, ptr, tuple.size.into(), TupleOf(tys))?;
    store_fields(cx, vals.iter(), tys.iter(), ptr)?;
    Ok(flat)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::{HEAP_START, NoMemory, TestMemory};
    use crate::types::Case;

    fn lower1(val: &Val, ty: &Type) -> Result<Vec<Flat>> {
        let mut mem = NoMemory;
        let mut cx = Cx::new(&mut mem, Utf8);
        let mut out = Vec::new();
        lower_flat(&mut cx, val, ty, &mut out)?;
        Ok(out)
    }

    fn f32_or_u64() -> Type {
        Type::variant([
            Case {
                name: "f".into(),
                ty: Some(Type::Float32),
            },
            Case {
                name: "u".into(),
                ty: Some(Type::U64),
            },
        ])
    }

    #[test]
    fn lowering_signed_integers_sign_extends() {
        assert_eq!(lower1(&Val::S8(-1), &Type::S8).unwrap(), [Flat::I32(-1)]);
        assert_eq!(lower1(&Val::U8(255), &Type::U8).unwrap(), [Flat::I32(255)]);
        assert_eq!(
            lower1(&Val::U32(u32::MAX), &Type::U32).unwrap(),
            [Flat::I32(-1)]
        );
    }

    #[test]
    fn lowering_a_value_of_another_type_traps() {
        let err = lower1(&Val::String("x".into()), &Type::U32).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch: expected u32, found string");
    }

    #[test]
    fn lowering_a_nan_gives_the_canonical_nan() {
        let got = lower1(&Val::Float32(f32::from_bits(0xff80_0001)), &Type::Float32).unwrap();
        let [Flat::F32(f)] = got[..] else {
            panic!("{got:?}")
        };
        assert_eq!(f.to_bits(), 0x7fc0_0000);
    }

    #[test]
    fn lowering_a_variant_carries_an_f32_payload_as_i64_bits() {
        let v = Val::Variant("f".into(), Some(Box::new(Val::Float32(1.0))));
        let got = lower1(&v, &f32_or_u64()).unwrap();
        assert_eq!(got, [Flat::I32(0), Flat::I64(0x3f80_0000)]);
    }

    #[test]
    fn lowering_a_variant_carries_a_u64_payload_unchanged() {
        let v = Val::Variant("u".into(), Some(Box::new(Val::U64(u64::MAX))));
        let got = lower1(&v, &f32_or_u64()).unwrap();
        assert_eq!(got, [Flat::I32(1), Flat::I64(-1)]);
    }

    #[test]
    fn lowering_a_variant_zero_extends_an_i32_payload_into_i64() {
        let t = Type::result(Some(Type::S32), Some(Type::Float64));
        let v = Val::Result(Ok(Some(Box::new(Val::S32(-1)))));
        assert_eq!(
            lower1(&v, &t).unwrap(),
            [Flat::I32(0), Flat::I64(0xffff_ffff)]
        );
    }

    #[test]
    fn lowering_a_variant_pads_short_payloads_with_zeros() {
        let t = Type::option(Type::tuple([Type::Float32, Type::Float64]));
        let got = lower1(&Val::Option(None), &t).unwrap();
        assert_eq!(got, [Flat::I32(0), Flat::F32(0.0), Flat::F64(0.0)]);
    }

    #[test]
    fn lowering_40_flags_gives_two_words() {
        let t = Type::flags((0..40).map(|i| format!("f{i}")));
        let v = Val::Flags(vec!["f31".into(), "f33".into()]);
        assert_eq!(lower1(&v, &t).unwrap(), [Flat::I32(i32::MIN), Flat::I32(2)]);
    }

    #[test]
    fn lower_flat_values_spills_17_params_through_realloc() {
        let mut mem = TestMemory::new(4096);
        let tys = vec![Type::U16; 17];
        let vals: Vec<Val> = (0..17).map(Val::U16).collect();
        let got = lower_flat_values(&mut mem.cx(Utf8), 16, &vals, &tys, None).unwrap();
        assert_eq!(got, [Flat::I32(HEAP_START as i32)]);
        assert_eq!(mem.calls, [(0, 0, 2, 34)]);
        assert_eq!(mem.get(HEAP_START + 32, 2), [16, 0]);
    }

    #[test]
    fn lower_flat_values_writes_many_results_to_the_out_param() {
        let mut mem = TestMemory::new(256);
        let tys = [Type::U32, Type::U8];
        let vals = [Val::U32(7), Val::U8(9)];
        let mut out = FlatIter::new(&[Flat::I32(16)]);
        let got = lower_flat_values(&mut mem.cx(Utf8), 1, &vals, &tys, Some(&mut out)).unwrap();
        assert!(got.is_empty());
        assert!(out.done());
        assert!(mem.calls.is_empty());
        assert_eq!(mem.get(16, 5), [7, 0, 0, 0, 9]);
    }

    #[test]
    fn lower_flat_values_rejects_a_misaligned_out_param() {
        let mut mem = TestMemory::new(256);
        let mut out = FlatIter::new(&[Flat::I32(2)]);
        let err = lower_flat_values(
            &mut mem.cx(Utf8),
            1,
            &[Val::U64(1), Val::U8(1)],
            &[Type::U64, Type::U8],
            Some(&mut out),
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "unaligned pointer 0x2 for tuple<u64, u8> (alignment 8)"
        );
    }

    #[test]
    fn lower_flat_values_rejects_an_out_of_bounds_out_param() {
        let mut mem = TestMemory::new(256);
        let mut out = FlatIter::new(&[Flat::I32(252)]);
        let err = lower_flat_values(
            &mut mem.cx(Utf8),
            1,
            &[Val::U32(1), Val::U32(1)],
            &[Type::U32, Type::U32],
            Some(&mut out),
        );
        assert_eq!(
            err.unwrap_err().to_string(),
            "pointer out of bounds: tuple<u32, u32> at 0xfc of 8 bytes exceeds memory of 256 bytes"
        );
    }

    #[test]
    fn lower_flat_values_rejects_a_wrong_number_of_values() {
        let mut mem = NoMemory;
        let err = lower_flat_values(&mut Cx::new(&mut mem, Utf8), 16, &[], &[Type::U8], None);
        assert_eq!(err.unwrap_err().to_string(), "expected 1 values, found 0");
    }
}
