//! Loading values from guest memory.
//!
//! Mirrors CanonicalABI.md, "Loading": `load`, `load_record`,
//! `load_variant` and `load_flags` (strings are in [`crate::canon::string`],
//! lists in [`crate::canon::list`]). The memory slice is fetched once per
//! top-level load and shared by the whole walk.

use wasmtime::Result;

use crate::canon::layout::align_to;
use crate::canon::list::{load_fixed_length_list, load_list};
use crate::canon::map::load_map;
use crate::canon::memory::{Cx, LoadCx, check_align, check_range, offset, read, read_u32};
use crate::canon::scalar::load_scalar;
use crate::canon::string::load_string;
use crate::canon::typecheck::unpack_flags_word;
use crate::canon::variant::Cases;
use crate::resources::ResourceAny;
use crate::types::{Flags, Type};
use crate::values::Val;

/// `load`: the value of type `ty` at `ptr`.
///
/// The spec asserts that `ptr` is aligned and the value in bounds (its
/// callers check); this entry point checks both and traps, so callers such
/// as a return-pointer reader need not.
#[cfg_attr(
    not(test),
    expect(
        dead_code,
        reason = "the spec's entry point; calls go through `load_value`"
    )
)]
pub(crate) fn load(cx: &Cx, ptr: u32, ty: &Type) -> Result<Val> {
    let l = cx.load_cx()?;
    let layout = ty.layout();
    check_align(ptr, layout.align, ty)?;
    check_range(l.mem.len(), ptr, layout.size.into(), ty)?;
    load_value(l, ptr, ty)
}

/// `load` without the entry checks: `ptr` is known to be aligned and in
/// bounds (every access is still bounds-checked, so a bug cannot panic).
pub(crate) fn load_value(l: LoadCx, ptr: u32, ty: &Type) -> Result<Val> {
    if let Some(v) = load_scalar(l.mem, ptr, ty)? {
        return Ok(v);
    }
    match ty {
        Type::String => Ok(Val::String(load_string(l, ptr)?)),
        Type::List(list) => Ok(Val::List(load_list(l, ptr, list.element())?)),
        Type::Map(map) => Ok(Val::Map(load_map(l, ptr, map)?)),
        Type::FixedLengthList(list) => {
            Ok(Val::FixedLengthList(load_fixed_length_list(l, ptr, list)?))
        }
        Type::Record(r) => {
            let names: usize = r.fields().iter().map(|f| f.name.len()).sum();
            l.budget.charge_items::<(String, Val)>(r.fields().len())?;
            l.budget.charge(names)?;
            let tys = r.fields().iter().map(|f| &f.ty);
            let vals = load_fields(l, ptr, tys)?;
            let names = r.fields().iter().map(|f| f.name.clone());
            Ok(Val::Record(names.zip(vals).collect()))
        }
        Type::Tuple(t) => {
            l.budget.charge_items::<Val>(t.types().len())?;
            Ok(Val::Tuple(load_fields(l, ptr, t.types().iter())?))
        }
        Type::Variant(_) | Type::Enum(_) | Type::Option(_) | Type::Result(_) => {
            load_variant(l, ptr, ty)
        }
        Type::Flags(f) => load_flags(l, ptr, ty, f),
        Type::Own(r) | Type::Borrow(r) => {
            let handle = read_u32(l.mem, ptr)?;
            let own = matches!(ty, Type::Own(_));
            Ok(Val::Resource(ResourceAny::pending(r.table(), handle, own)))
        }
        _ => unreachable_scalar(ty),
    }
}

/// `load_record` (and tuples, which despecialize to records): each field
/// at the next offset aligned for it.
pub(crate) fn load_fields<'t>(
    l: LoadCx,
    ptr: u32,
    tys: impl ExactSizeIterator<Item = &'t Type>,
) -> Result<Vec<Val>> {
    let mut vals = Vec::with_capacity(tys.len());
    let mut off = 0u32;
    for ty in tys {
        let layout = ty.layout();
        off = align_to(off, layout.align);
        vals.push(load_value(l, offset(ptr, off)?, ty)?);
        off = offset(off, layout.size)?;
    }
    Ok(vals)
}

/// `load_variant` (and enums, options, results): the discriminant, then
/// the payload of that case at the payload offset.
fn load_variant(l: LoadCx, ptr: u32, ty: &Type) -> Result<Val> {
    let Some(cases) = Cases::of(ty) else {
        return unreachable_scalar(ty);
    };
    let case_index = match cases.discriminant_size() {
        1 => u32::from(u8::from_le_bytes(read(l.mem, ptr)?)),
        2 => u32::from(u16::from_le_bytes(read(l.mem, ptr)?)),
        _ => read_u32(l.mem, ptr)?,
    };
    let index = cases
        .check_index(ty, case_index)
        .map_err(|e| wasmtime::format_err!("{e} at {ptr:#x}"))?;
    let payload = match cases.payload(index) {
        Some(payload_ty) => {
            let payload_ptr = offset(ptr, cases.payload_offset(ty))?;
            Some(load_value(l, payload_ptr, payload_ty)?)
        }
        None => None,
    };
    let val = cases.make(index, payload);
    l.budget.charge(case_bytes(&val))?;
    Ok(val)
}

/// The host memory a case value holds besides its payload: the case name
/// and the payload's box.
fn case_bytes(val: &Val) -> usize {
    let boxed = |p: &Option<Box<Val>>| p.as_ref().map_or(0, |_| size_of::<Val>());
    match val {
        Val::Variant(name, payload) => name.len() + boxed(payload),
        Val::Enum(name) => name.len(),
        Val::Option(payload) => boxed(payload),
        Val::Result(Ok(payload) | Err(payload)) => boxed(payload),
        _ => 0,
    }
}

/// `load_flags`: the flags' bytes as a little-endian bit vector. Flags past
/// 32 (allowed by older versions of the spec, which this crate's layout
/// keeps) take further 32-bit words. Bits past the last flag are ignored.
fn load_flags(l: LoadCx, ptr: u32, ty: &Type, flags: &Flags) -> Result<Val> {
    let names = flags.names();
    let mut set = Vec::new();
    match ty.layout().size {
        0 => {}
        1 => unpack_flags_word(u8::from_le_bytes(read(l.mem, ptr)?).into(), names, &mut set),
        2 => unpack_flags_word(
            u16::from_le_bytes(read(l.mem, ptr)?).into(),
            names,
            &mut set,
        ),
        _ => {
            for (k, chunk) in names.chunks(32).enumerate() {
                let word = read_u32(l.mem, offset(ptr, 4 * k as u32)?)?;
                unpack_flags_word(word, chunk, &mut set);
            }
        }
    }
    let names: usize = set.iter().map(String::len).sum();
    l.budget.charge_items::<String>(set.len())?;
    l.budget.charge(names)?;
    Ok(Val::Flags(set))
}

/// Scalars are handled before the match; reaching this is a bug.
fn unreachable_scalar<T>(ty: &Type) -> Result<T> {
    Err(wasmtime::format_err!(
        "internal error: cannot load {ty} here"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::TestMemory;
    use crate::types::Case;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("f{i}")).collect()
    }

    #[test]
    fn load_rejects_a_misaligned_pointer() {
        let mut mem = TestMemory::new(64);
        let err = load(&mem.cx(Utf8), 3, &Type::U32).unwrap_err().to_string();
        assert_eq!(err, "unaligned pointer 0x3 for u32 (alignment 4)");
    }

    #[test]
    fn load_rejects_a_value_past_the_end_of_memory() {
        let mut mem = TestMemory::new(64);
        let err = load(&mem.cx(Utf8), 60, &Type::U64).unwrap_err().to_string();
        assert_eq!(
            err, "unaligned pointer 0x3c for u64 (alignment 8)",
            "alignment is checked first"
        );
        let err = load(&mem.cx(Utf8), 64, &Type::U64).unwrap_err().to_string();
        assert_eq!(
            err,
            "pointer out of bounds: u64 at 0x40 of 8 bytes exceeds memory of 64 bytes"
        );
    }

    #[test]
    fn load_variant_rejects_an_invalid_discriminant() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[5]);
        let t = Type::variant(["a", "b", "c"].map(|n| Case {
            name: n.into(),
            ty: None,
        }));
        let err = load(&mem.cx(Utf8), 0, &t).unwrap_err().to_string();
        assert_eq!(
            err,
            "invalid variant discriminant 5 for variant with 3 cases at 0x0"
        );
    }

    #[test]
    fn load_variant_reads_the_payload_after_the_aligned_discriminant() {
        let mut mem = TestMemory::new(64);
        mem.put(
            8,
            &[
                1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 7, 0, 0, 0, 0, 0, 0, 0,
            ],
        );
        let t = Type::result(Some(Type::U8), Some(Type::U64));
        let v = load(&mem.cx(Utf8), 8, &t).unwrap();
        assert_eq!(v, Val::Result(Err(Some(Box::new(Val::U64(7))))));
    }

    #[test]
    fn load_flags_ignores_bits_past_the_last_flag() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[0b1111_1110]);
        let t = Type::flags(names(2));
        assert_eq!(
            load(&mem.cx(Utf8), 0, &t).unwrap(),
            Val::Flags(vec!["f1".into()])
        );
    }

    #[test]
    fn load_flags_of_40_names_reads_two_words() {
        let mut mem = TestMemory::new(64);
        mem.put(8, &[1, 0, 0, 0x80, 0x81, 0xff, 0, 0]);
        let t = Type::flags(names(40));
        let got = load(&mem.cx(Utf8), 8, &t).unwrap();
        let want = ["f0", "f31", "f32", "f39"].map(String::from).to_vec();
        assert_eq!(got, Val::Flags(want));
    }

    #[test]
    fn load_record_skips_padding() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[6, 0xff, 7, 0, 8, 0xff, 0xff, 0xff, 9, 0, 0, 0]);
        let t = Type::tuple([Type::U8, Type::U16, Type::U8, Type::U32]);
        let got = load(&mem.cx(Utf8), 0, &t).unwrap();
        let want = Val::Tuple(vec![Val::U8(6), Val::U16(7), Val::U8(8), Val::U32(9)]);
        assert_eq!(got, want);
    }

    #[test]
    fn load_of_an_invalid_char_traps_with_its_address() {
        let mut mem = TestMemory::new(64);
        mem.put(12, &0xdfffu32.to_le_bytes());
        let err = load(&mem.cx(Utf8), 12, &Type::Char)
            .unwrap_err()
            .to_string();
        assert_eq!(err, "invalid `char` bit pattern 0xdfff at 0xc");
    }

    #[test]
    fn loading_a_handle_reads_its_index_for_the_table_step() {
        let mut mem = TestMemory::new(64);
        mem.bytes[0..4].copy_from_slice(&7u32.to_le_bytes());
        let t = Type::Own(crate::types::ResourceRef::new("r".into(), 3));
        let got = load(&mem.cx(Utf8), 0, &t).unwrap();
        assert_eq!(got, Val::Resource(ResourceAny::pending(3, 7, true)));
    }
}
