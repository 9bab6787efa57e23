//! Storing values into guest memory.
//!
//! Mirrors CanonicalABI.md, "Storing": `store`, `store_record`,
//! `store_variant` and `store_flags` (strings are in
//! [`crate::canon::store_string`], lists in [`crate::canon::list`]). Values
//! are checked against their type as they are stored.

use wasmtime::Result;

use crate::canon::layout::align_to;
use crate::canon::list::{list_values, store_fixed_length_list, store_list};
use crate::canon::map::store_map;
use crate::canon::memory::{Cx, check_align, check_range, offset};
use crate::canon::scalar::store_scalar;
use crate::canon::store_string::store_string;
use crate::canon::typecheck::{mismatch, pack_flags, record_values, tuple_values};
use crate::canon::variant::Cases;
use crate::types::{Flags, Type};
use crate::values::Val;

/// `store`: writes `val` of type `ty` at `ptr`, calling `realloc` for the
/// strings and lists inside it.
///
/// The spec asserts that `ptr` is aligned and in bounds (its callers
/// check); this entry point checks both and traps.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "the spec's entry point; calls go through `store_value`"
    )
)]
pub(crate) fn store(cx: &mut Cx, val: &Val, ty: &Type, ptr: u32) -> Result<()> {
    let layout = ty.layout();
    check_align(ptr, layout.align, ty)?;
    check_range(cx.mem.memory()?.len(), ptr, layout.size.into(), ty)?;
    store_value(cx, val, ty, ptr)
}

/// `store` without the entry checks: `ptr` is known to be aligned and in
/// bounds (every write is still bounds-checked).
pub(crate) fn store_value(cx: &mut Cx, val: &Val, ty: &Type, ptr: u32) -> Result<()> {
    match ty {
        Type::String => match val {
            Val::String(s) => store_string(cx, s, ptr),
            _ => Err(mismatch(ty, val)),
        },
        Type::List(l) => store_list(cx, list_values(ty, val)?, ptr, l.element()),
        Type::Map(m) => store_map(cx, ty, val, ptr, m),
        Type::FixedLengthList(l) => store_fixed_length_list(cx, ty, val, ptr, l),
        Type::Record(r) => {
            let vals = record_values(ty, val)?;
            let tys = r.fields().iter().map(|f| &f.ty);
            store_fields(cx, vals.iter().map(|(_, v)| v), tys, ptr)
        }
        Type::Tuple(t) => store_fields(cx, tuple_values(ty, val)?.iter(), t.types().iter(), ptr),
        Type::Variant(_) | Type::Enum(_) | Type::Option(_) | Type::Result(_) => {
            store_variant(cx, val, ty, ptr)
        }
        Type::Flags(f) => store_flags(cx, val, ty, f, ptr),
        Type::Own(r) | Type::Borrow(r) => {
            let Val::Resource(any) = val else {
                return Err(mismatch(ty, val));
            };
            let handle = cx
                .mem
                .lower_handle(r.table(), any, matches!(ty, Type::Own(_)))?;
            cx.write(ptr, &handle.to_le_bytes())
        }
        _ => store_scalar(cx.mem.memory_mut()?, val, ty, ptr),
    }
}

/// `store_record` (and tuples): each field at the next offset aligned for
/// it. `vals` and `tys` have the same length (checked by the caller).
pub(crate) fn store_fields<'v, 't>(
    cx: &mut Cx,
    vals: impl Iterator<Item = &'v Val>,
    tys: impl Iterator<Item = &'t Type>,
    ptr: u32,
) -> Result<()> {
    let mut off = 0u32;
    for (val, ty) in vals.zip(tys) {
        let layout = ty.layout();
        off = align_to(off, layout.align);
        store_value(cx, val, ty, offset(ptr, off)?)?;
        off = offset(off, layout.size)?;
    }
    Ok(())
}

/// `store_variant` (and enums, options, results): the discriminant, then
/// the payload at the payload offset. Padding is left as it was.
fn store_variant(cx: &mut Cx, val: &Val, ty: &Type, ptr: u32) -> Result<()> {
    let Some(cases) = Cases::of(ty) else {
        return Err(mismatch(ty, val));
    };
    let (case_index, payload) = cases.match_case(ty, val)?;
    let disc = case_index.to_le_bytes();
    cx.write(ptr, &disc[..cases.discriminant_size() as usize])?;
    if let (Some(payload), Some(payload_ty)) = (payload, cases.payload(case_index as usize)) {
        let payload_ptr = offset(ptr, cases.payload_offset(ty))?;
        store_value(cx, payload, payload_ty, payload_ptr)?;
    }
    Ok(())
}

/// `store_flags`: the bit vector in the flags' byte size (32-bit words
/// past 32 flags, as older versions of the spec allowed).
fn store_flags(cx: &mut Cx, val: &Val, ty: &Type, flags: &Flags, ptr: u32) -> Result<()> {
    let words = pack_flags(ty, flags, val)?;
    let size = ty.layout().size as usize;
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    cx.write(ptr, bytes.get(..size).unwrap_or(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::load;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::TestMemory;
    use crate::types::{Case, Field};

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("f{i}")).collect()
    }

    #[test]
    fn store_rejects_a_misaligned_pointer() {
        let mut mem = TestMemory::new(64);
        let err = store(&mut mem.cx(Utf8), &Val::U64(1), &Type::U64, 4).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unaligned pointer 0x4 for u64 (alignment 8)"
        );
    }

    #[test]
    fn store_rejects_a_value_past_the_end_of_memory() {
        let mut mem = TestMemory::new(64);
        let err = store(&mut mem.cx(Utf8), &Val::U32(1), &Type::U32, 64).unwrap_err();
        assert_eq!(
            err.to_string(),
            "pointer out of bounds: u32 at 0x40 of 4 bytes exceeds memory of 64 bytes"
        );
    }

    #[test]
    fn store_rejects_a_value_of_another_type() {
        let mut mem = TestMemory::new(64);
        let err = store(&mut mem.cx(Utf8), &Val::String("x".into()), &Type::U32, 0).unwrap_err();
        assert_eq!(err.to_string(), "type mismatch: expected u32, found string");
    }

    #[test]
    fn store_rejects_a_record_with_a_misnamed_field() {
        let mut mem = TestMemory::new(64);
        let t = Type::record([Field {
            name: "x".into(),
            ty: Type::U8,
        }]);
        let v = Val::Record(vec![("y".into(), Val::U8(1))]);
        let err = store(&mut mem.cx(Utf8), &v, &t, 0).unwrap_err().to_string();
        assert!(
            err.starts_with("record field mismatch: expected field `x`"),
            "{err}"
        );
    }

    #[test]
    fn store_rejects_an_unknown_variant_case() {
        let mut mem = TestMemory::new(64);
        let t = Type::variant(["a", "b"].map(|n| Case {
            name: n.into(),
            ty: None,
        }));
        let v = Val::Variant("foo".into(), None);
        let err = store(&mut mem.cx(Utf8), &v, &t, 0).unwrap_err().to_string();
        assert_eq!(err, "unknown case `foo` for variant { a, b }");
    }

    #[test]
    fn store_rejects_an_unknown_flag() {
        let mut mem = TestMemory::new(64);
        let t = Type::flags(names(3));
        let v = Val::Flags(vec!["nope".into()]);
        let err = store(&mut mem.cx(Utf8), &v, &t, 0).unwrap_err().to_string();
        assert_eq!(err, "unknown flag `nope` for flags { f0, f1, f2 }");
    }

    #[test]
    fn store_variant_leaves_padding_alone() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[0xaa; 16]);
        let t = Type::option(Type::U64);
        let v = Val::Option(Some(Box::new(Val::U64(2))));
        store(&mut mem.cx(Utf8), &v, &t, 0).unwrap();
        assert_eq!(
            mem.get(0, 16),
            [
                1, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 2, 0, 0, 0, 0, 0, 0, 0
            ]
        );
    }

    #[test]
    fn store_enum_of_300_cases_uses_a_two_byte_discriminant() {
        let mut mem = TestMemory::new(64);
        let t = Type::enum_(names(300));
        store(&mut mem.cx(Utf8), &Val::Enum("f258".into()), &t, 2).unwrap();
        assert_eq!(mem.get(2, 2), [2, 1]);
        assert_eq!(
            load(&mem.cx(Utf8), 2, &t).unwrap(),
            Val::Enum("f258".into())
        );
    }

    #[test]
    fn store_flags_of_40_names_writes_two_words() {
        let mut mem = TestMemory::new(64);
        let t = Type::flags(names(40));
        let v = Val::Flags(vec!["f1".into(), "f32".into(), "f39".into()]);
        store(&mut mem.cx(Utf8), &v, &t, 8).unwrap();
        assert_eq!(mem.get(8, 8), [2, 0, 0, 0, 0x81, 0, 0, 0]);
        assert_eq!(load(&mem.cx(Utf8), 8, &t).unwrap(), v);
    }

    #[test]
    fn store_flags_of_9_names_writes_two_bytes() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[0xff; 4]);
        let t = Type::flags(names(9));
        store(&mut mem.cx(Utf8), &Val::Flags(vec!["f8".into()]), &t, 0).unwrap();
        assert_eq!(mem.get(0, 4), [0, 1, 0xff, 0xff]);
    }

    #[test]
    fn store_nan_writes_the_canonical_nan() {
        let mut mem = TestMemory::new(64);
        let odd = f64::from_bits(0x7ff4_0000_0000_0001);
        store(&mut mem.cx(Utf8), &Val::Float64(odd), &Type::Float64, 0).unwrap();
        assert_eq!(mem.get(0, 8), 0x7ff8_0000_0000_0000u64.to_le_bytes());
    }
}
