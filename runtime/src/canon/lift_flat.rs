//! Lifting values from core values (and, past the flat limit, memory).
//!
//! Mirrors CanonicalABI.md, "Flat Lifting" (`lift_flat` and its helpers,
//! including `CoerceValueIter`) and "Lifting and Lowering Values"
//! (`lift_flat_values`).

use wasmtime::Result;

use crate::canon::flat::{Flat, FlatIter, FlatSource, flat_count};
use crate::canon::layout::record_layout;
use crate::canon::list::load_list_from_range;
use crate::canon::load::load_fields;
use crate::canon::map::load_map_from_range;
use crate::canon::memory::{Cx, check_align, check_range};
use crate::canon::scalar::{
    canonicalize_nan32, canonicalize_nan64, convert_i32_to_char, convert_int_to_bool,
    decode_i32_as_float, decode_i64_as_float,
};
use crate::canon::string::load_string_from_range;
use crate::canon::typecheck::unpack_flags_word;
use crate::canon::variant::Cases;
use crate::resources::ResourceAny;
use crate::resources::any::AnyInner;
use crate::types::{FlatType, Type};
use crate::values::Val;

/// `lift_flat`: the value of type `ty` from the next core values of `vi`.
/// Integers narrower than their core type keep their low bits
/// (`lift_flat_unsigned` / `lift_flat_signed`); floats have NaNs
/// canonicalized. Memory is only touched for strings and lists.
pub(crate) fn lift_flat(cx: &Cx, vi: &mut dyn FlatSource, ty: &Type) -> Result<Val> {
    Ok(match ty {
        Type::Bool => Val::Bool(convert_int_to_bool(vi.next_i32()? as u32)),
        Type::U8 => Val::U8(vi.next_i32()? as u8),
        Type::S8 => Val::S8(vi.next_i32()? as i8),
        Type::U16 => Val::U16(vi.next_i32()? as u16),
        Type::S16 => Val::S16(vi.next_i32()? as i16),
        Type::U32 => Val::U32(vi.next_i32()? as u32),
        Type::S32 => Val::S32(vi.next_i32()?),
        Type::U64 => Val::U64(vi.next_i64()? as u64),
        Type::S64 => Val::S64(vi.next_i64()?),
        Type::Float32 => Val::Float32(canonicalize_nan32(vi.next_f32()?)),
        Type::Float64 => Val::Float64(canonicalize_nan64(vi.next_f64()?)),
        Type::Char => Val::Char(convert_i32_to_char(vi.next_i32()? as u32)?),
        // `lift_flat_string`
        Type::String => {
            let ptr = vi.next_i32()? as u32;
            let packed_length = vi.next_i32()? as u32;
            Val::String(load_string_from_range(cx.load_cx()?, ptr, packed_length)?)
        }
        // `lift_flat_list`
        Type::List(l) => {
            let ptr = vi.next_i32()? as u32;
            let length = vi.next_i32()? as u32;
            Val::List(load_list_from_range(
                cx.load_cx()?,
                ptr,
                length,
                l.element(),
            )?)
        }
        // `lift_flat_list` of a `list<tuple<K, V>>`
        Type::Map(m) => {
            let ptr = vi.next_i32()? as u32;
            let length = vi.next_i32()? as u32;
            Val::Map(load_map_from_range(cx.load_cx()?, ptr, length, m)?)
        }
        // `lift_flat_list` with a length: only ever a few elements, as the
        // list's core values fit `MAX_FLAT_PARAMS`.
        Type::FixedLengthList(l) => {
            let mut vals = Vec::with_capacity(l.length() as usize);
            for _ in 0..l.length() {
                vals.push(lift_flat(cx, vi, l.element())?);
            }
            Val::FixedLengthList(vals)
        }
        // `lift_flat_record`
        Type::Record(r) => {
            let mut fields = Vec::with_capacity(r.fields().len());
            for f in r.fields() {
                fields.push((f.name.clone(), lift_flat(cx, vi, &f.ty)?));
            }
            Val::Record(fields)
        }
        Type::Tuple(t) => {
            let mut vals = Vec::with_capacity(t.types().len());
            for ty in t.types() {
                vals.push(lift_flat(cx, vi, ty)?);
            }
            Val::Tuple(vals)
        }
        Type::Variant(_) | Type::Enum(_) | Type::Option(_) | Type::Result(_) => {
            lift_flat_variant(cx, vi, ty)?
        }
        Type::Flags(f) => {
            let mut set = Vec::new();
            for chunk in f.names().chunks(32) {
                unpack_flags_word(vi.next_i32()? as u32, chunk, &mut set);
            }
            Val::Flags(set)
        }
        Type::Own(r) | Type::Borrow(r) => {
            let handle = vi.next_i32()? as u32;
            let own = matches!(ty, Type::Own(_));
            Val::Resource(ResourceAny::pending(r.table(), handle, own))
        }
    })
}

/// `lift_flat_variant`: the case index, then the payload read through a
/// [`CoerceValueIter`] from the joined flat types, then the unused joined
/// values skipped.
fn lift_flat_variant(cx: &Cx, vi: &mut dyn FlatSource, ty: &Type) -> Result<Val> {
    let Some(cases) = Cases::of(ty) else {
        return Err(wasmtime::format_err!(
            "internal error: {ty} is not a variant"
        ));
    };
    let flat = &ty.layout().flat;
    let joined = flat.get(1..).unwrap_or_default();
    let case_index = vi.next_i32()? as u32;
    let index = cases.check_index(ty, case_index)?;
    let mut coerce = CoerceValueIter {
        vi: &mut *vi,
        have: joined,
        used: 0,
    };
    let payload = match cases.payload(index) {
        Some(payload_ty) => Some(lift_flat(cx, &mut coerce, payload_ty)?),
        None => None,
    };
    let used = coerce.used;
    for have in joined.get(used..).unwrap_or_default() {
        vi.next(*have)?;
    }
    Ok(cases.make(index, payload))
}

/// The spec's `CoerceValueIter`: reads the variant's joined core types and
/// converts each to the type the case's payload wants.
struct CoerceValueIter<'a, 'b> {
    vi: &'a mut (dyn FlatSource + 'b),
    have: &'a [FlatType],
    used: usize,
}

impl FlatSource for CoerceValueIter<'_, '_> {
    fn next(&mut self, want: FlatType) -> Result<Flat> {
        let Some(&have) = self.have.get(self.used) else {
            return Err(wasmtime::format_err!(
                "internal error: variant payload wants more core values than the variant has"
            ));
        };
        self.used += 1;
        let x = self.vi.next(have)?;
        Ok(match (x, want) {
            (Flat::I32(i), FlatType::F32) => Flat::F32(decode_i32_as_float(i)),
            (Flat::I64(i), FlatType::I32) => Flat::I32(wrap_i64_to_i32(i)),
            (Flat::I64(i), FlatType::F32) => Flat::F32(decode_i32_as_float(wrap_i64_to_i32(i))),
            (Flat::I64(i), FlatType::F64) => Flat::F64(decode_i64_as_float(i)),
            // Same type: passed through; any other pair is refused by the
            // caller's typed `next_*` as an internal error.
            (x, _) => x,
        })
    }
}

/// `wrap_i64_to_i32`: the low 32 bits.
fn wrap_i64_to_i32(i: i64) -> i32 {
    i as i32
}

/// `lift_flat_values`: lifts `tys` from `vi`, or, when they take more than
/// `max_flat` core values, from the tuple in memory that the next core
/// value points to.
///
/// Handles are read while memory is borrowed for the walk, then moved out
/// of the guest's table in a second step (`take_handles`), in order.
pub(crate) fn lift_flat_values(
    cx: &mut Cx,
    max_flat: usize,
    vi: &mut FlatIter,
    tys: &[Type],
) -> Result<Vec<Val>> {
    let mut vals = if flat_count(tys) > max_flat {
        let ptr = vi.next_i32()? as u32;
        let l = cx.load_cx()?;
        let tuple = record_layout(tys.iter());
        check_align(ptr, tuple.align, TupleOf(tys))?;
        check_range(l.mem.len(), ptr, tuple.size.into(), TupleOf(tys))?;
        load_fields(l, ptr, tys.iter())?
    } else {
        let mut vals = Vec::with_capacity(tys.len());
        for ty in tys {
            vals.push(lift_flat(cx, vi, ty)?);
        }
        vals
    };
    if tys.iter().any(|t| t.layout().handles) {
        for v in &mut vals {
            take_handles(cx, v)?;
        }
    }
    Ok(vals)
}

/// Replaces every handle read by the walk with the host's handle, moving
/// `own`s out of the guest's table and lending `borrow`s.
fn take_handles(cx: &mut Cx, val: &mut Val) -> Result<()> {
    match val {
        Val::Resource(any) => {
            if let AnyInner::Pending(pending) = any.inner {
                *any = cx.mem.lift_handle(pending)?;
            }
        }
        Val::List(vs) | Val::Tuple(vs) | Val::FixedLengthList(vs) => {
            for v in vs {
                take_handles(cx, v)?;
            }
        }
        Val::Map(entries) => {
            for (k, v) in entries {
                take_handles(cx, k)?;
                take_handles(cx, v)?;
            }
        }
        Val::Record(fields) => {
            for (_, v) in fields {
                take_handles(cx, v)?;
            }
        }
        Val::Variant(_, Some(v))
        | Val::Option(Some(v))
        | Val::Result(Ok(Some(v)) | Err(Some(v))) => take_handles(cx, v)?,
        _ => {}
    }
    Ok(())
}

/// Describes the tuple of a spilled parameter or result list, for messages.
pub(crate) struct TupleOf<'t>(pub &'t [Type]);

impl std::fmt::Display for TupleOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("tuple<")?;
        for (i, ty) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{ty}")?;
        }
        f.write_str(">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::{NoMemory, TestMemory};
    use crate::types::Case;

    fn lift1(vals: &[Flat], ty: &Type) -> Result<Val> {
        let mut mem = NoMemory;
        let cx = Cx::new(&mut mem, Utf8);
        let mut it = FlatIter::new(vals);
        let v = lift_flat(&cx, &mut it, ty)?;
        assert!(it.done(), "{ty} left {:?}", it.remaining());
        Ok(v)
    }

    fn case(name: &str, ty: Option<Type>) -> Case {
        Case {
            name: name.into(),
            ty,
        }
    }

    #[test]
    fn lifting_scalars_needs_no_memory() {
        assert_eq!(lift1(&[Flat::I32(7)], &Type::U32).unwrap(), Val::U32(7));
        assert_eq!(
            lift1(&[Flat::F64(0.5)], &Type::Float64).unwrap(),
            Val::Float64(0.5)
        );
    }

    #[test]
    fn lifting_narrow_integers_keeps_the_low_bits() {
        let i = |x: u32| [Flat::I32(x as i32)];
        assert_eq!(lift1(&i(256), &Type::U8).unwrap(), Val::U8(0));
        assert_eq!(lift1(&i(4294967168), &Type::U8).unwrap(), Val::U8(128));
        assert_eq!(lift1(&i(128), &Type::S8).unwrap(), Val::S8(-128));
        assert_eq!(lift1(&i(4294967167), &Type::S8).unwrap(), Val::S8(127));
        assert_eq!(lift1(&i(65535), &Type::S16).unwrap(), Val::S16(-1));
        assert_eq!(lift1(&i(1 << 31), &Type::S32).unwrap(), Val::S32(i32::MIN));
        assert_eq!(
            lift1(&[Flat::I64(-1)], &Type::U64).unwrap(),
            Val::U64(u64::MAX)
        );
    }

    #[test]
    fn lifting_an_invalid_char_traps() {
        let err = lift1(&[Flat::I32(0xd800)], &Type::Char).unwrap_err();
        assert_eq!(err.to_string(), "invalid `char` bit pattern 0xd800");
    }

    #[test]
    fn lifting_a_nan_canonicalizes_it() {
        let v = lift1(&[Flat::F32(f32::from_bits(0xffc0_0001))], &Type::Float32).unwrap();
        let Val::Float32(f) = v else { panic!("{v:?}") };
        assert_eq!(f.to_bits(), 0x7fc0_0000);
    }

    #[test]
    fn lifting_a_variant_coerces_i64_to_an_f32_payload() {
        let t = Type::variant([case("f", Some(Type::Float32)), case("u", Some(Type::U64))]);
        let bits = 3.5f32.to_bits();
        let got = lift1(
            &[
                Flat::I32(0),
                Flat::I64(0x1234_5678_0000_0000 | i64::from(bits)),
            ],
            &t,
        );
        assert_eq!(
            got.unwrap(),
            Val::Variant("f".into(), Some(Box::new(Val::Float32(3.5))))
        );
    }

    #[test]
    fn lifting_a_variant_passes_i64_through_to_a_u64_payload() {
        let t = Type::variant([case("f", Some(Type::Float32)), case("u", Some(Type::U64))]);
        let got = lift1(&[Flat::I32(1), Flat::I64(-2)], &t).unwrap();
        assert_eq!(
            got,
            Val::Variant("u".into(), Some(Box::new(Val::U64(u64::MAX - 1))))
        );
    }

    #[test]
    fn lifting_a_variant_coerces_i32_to_an_f32_payload() {
        let t = Type::variant([case("f", Some(Type::Float32)), case("u", Some(Type::U32))]);
        let got = lift1(&[Flat::I32(0), Flat::I32(0x7fc0_0001)], &t).unwrap();
        let Val::Variant(_, Some(p)) = got else {
            panic!()
        };
        let Val::Float32(f) = *p else { panic!() };
        assert_eq!(f.to_bits(), 0x7fc0_0000, "NaN canonicalized");
    }

    #[test]
    fn lifting_a_variant_skips_the_unused_joined_values() {
        let t = Type::variant([
            case("x", Some(Type::U8)),
            case("y", Some(Type::tuple([Type::Float64, Type::U32]))),
            case("z", None),
        ]);
        let vals = [Flat::I32(0), Flat::I64(256 + 42), Flat::I32(9)];
        assert_eq!(
            lift1(&vals, &t).unwrap(),
            Val::Variant("x".into(), Some(Box::new(Val::U8(42))))
        );
        let vals = [Flat::I32(2), Flat::I64(-1), Flat::I32(-1)];
        assert_eq!(lift1(&vals, &t).unwrap(), Val::Variant("z".into(), None));
    }

    #[test]
    fn lifting_a_variant_with_a_bad_discriminant_traps() {
        let t = Type::variant([case("a", None), case("b", None), case("c", None)]);
        let err = lift1(&[Flat::I32(5)], &t).unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid variant discriminant 5 for variant with 3 cases"
        );
    }

    #[test]
    fn lifting_flags_ignores_bits_past_the_last_flag() {
        let t = Type::flags(["a", "b"].map(String::from));
        assert_eq!(lift1(&[Flat::I32(4)], &t).unwrap(), Val::Flags(vec![]));
        assert_eq!(
            lift1(&[Flat::I32(-1)], &t).unwrap(),
            Val::Flags(vec!["a".into(), "b".into()])
        );
    }

    #[test]
    fn lifting_40_flags_reads_two_words() {
        let t = Type::flags((0..40).map(|i| format!("f{i}")));
        let got = lift1(&[Flat::I32(1 << 31), Flat::I32(-1)], &t).unwrap();
        let mut want = vec!["f31".to_string()];
        want.extend((32..40).map(|i| format!("f{i}")));
        assert_eq!(got, Val::Flags(want));
    }

    #[test]
    fn lifting_a_handle_reads_its_index_for_the_table_step() {
        let t = Type::Borrow(crate::types::ResourceRef::new("r".into(), 1));
        let got = lift1(&[Flat::I32(5)], &t).unwrap();
        assert_eq!(got, Val::Resource(ResourceAny::pending(1, 5, false)));
    }

    #[test]
    fn lifting_handle_values_asks_the_memory_to_take_them() {
        let mut mem = TestMemory::new(64);
        let t = Type::Own(crate::types::ResourceRef::new("r".into(), 0));
        let err = lift_flat_values(
            &mut mem.cx(Utf8),
            16,
            &mut FlatIter::new(&[Flat::I32(1)]),
            &[t],
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "resource handles cannot cross this boundary"
        );
    }

    #[test]
    fn lift_flat_values_reads_17_params_from_memory() {
        let mut mem = TestMemory::new(256);
        for i in 0..17u8 {
            mem.put(64 + u32::from(i), &[i]);
        }
        let mut cx = mem.cx(Utf8);
        let tys = vec![Type::U8; 17];
        let mut it = FlatIter::new(&[Flat::I32(64)]);
        let got = lift_flat_values(&mut cx, 16, &mut it, &tys).unwrap();
        assert_eq!(got, (0..17).map(Val::U8).collect::<Vec<_>>());
        assert!(it.done());
    }

    #[test]
    fn lift_flat_values_rejects_a_misaligned_spill_pointer() {
        let mut mem = TestMemory::new(256);
        let mut cx = mem.cx(Utf8);
        let tys = [Type::U32, Type::String];
        let err = lift_flat_values(&mut cx, 1, &mut FlatIter::new(&[Flat::I32(6)]), &tys);
        assert_eq!(
            err.unwrap_err().to_string(),
            "unaligned pointer 0x6 for tuple<u32, string> (alignment 4)"
        );
    }

    #[test]
    fn lift_flat_values_rejects_an_out_of_bounds_spill() {
        let mut mem = TestMemory::new(256);
        let mut cx = mem.cx(Utf8);
        let tys = [Type::U64, Type::U64];
        let err = lift_flat_values(&mut cx, 1, &mut FlatIter::new(&[Flat::I32(248)]), &tys);
        assert_eq!(
            err.unwrap_err().to_string(),
            "pointer out of bounds: tuple<u64, u64> at 0xf8 of 16 bytes exceeds memory of \
             256 bytes"
        );
    }

    #[test]
    fn lift_flat_values_at_the_limit_stays_flat() {
        let mut mem = NoMemory;
        let mut cx = Cx::new(&mut mem, Utf8);
        let vals = [Flat::I32(1), Flat::I64(2)];
        let got = lift_flat_values(
            &mut cx,
            2,
            &mut FlatIter::new(&vals),
            &[Type::U8, Type::S64],
        );
        assert_eq!(got.unwrap(), [Val::U8(1), Val::S64(2)]);
    }
}
