//! Helpers for implementations of the typed traits, including the ones
//! `#[derive(ComponentType, Lift, Lower)]` and `flags!` generate. Not part
//! of the stable API.
#![doc(hidden)]

use crate::types::{Case, Field, Type};
use crate::{Error, Result, format_err};

pub use crate::canon::layout::discriminant_size;

/// `align_to` in constant context.
pub const fn align_to(ptr: u32, align: u32) -> u32 {
    ptr.div_ceil(align) * align
}

/// The larger of two numbers, in constant context.
pub const fn max(a: u32, b: u32) -> u32 {
    if a > b { a } else { b }
}

/// The larger of two counts, in constant context.
pub const fn max_usize(a: usize, b: usize) -> usize {
    if a > b { a } else { b }
}

/// The error for a Rust type `R` used where the component has `ty`.
pub fn mismatch<R: ?Sized>(ty: &Type) -> Error {
    format_err!(
        "type mismatch: the component has `{ty}`, the host uses Rust type `{}`",
        std::any::type_name::<R>()
    )
}

/// The fields of record type `ty`, checked to be `names` in order.
pub fn record_fields<'t, R: ?Sized>(ty: &'t Type, names: &[&str]) -> Result<&'t [Field]> {
    let Type::Record(r) = ty else {
        return Err(mismatch::<R>(ty));
    };
    let fields = r.fields();
    if fields.len() != names.len() || fields.iter().zip(names).any(|(f, n)| f.name != *n) {
        return Err(format_err!(
            "record mismatch: the component has `{ty}`, the host's `{}` has fields {}",
            std::any::type_name::<R>(),
            names.join(", ")
        ));
    }
    Ok(fields)
}

/// The `N` fields of record type `ty` (checked against the Rust type when
/// the typed function was created). An array, so that the derived code's
/// `fields[i]` checks nothing; a type that is not a record of `N` fields is
/// an internal error, never a panic.
#[inline]
pub fn fields_of<const N: usize>(ty: &Type) -> Result<&[Field; N]> {
    match ty {
        Type::Record(r) => exactly(r.fields()),
        _ => Err(not_checked(ty)),
    }
}

/// `items` as an array of `N`: the parameter or result types of a typed
/// function, or the elements of a tuple type, checked to be `N` long when
/// the typed function was created. Indexing the array checks nothing.
#[inline]
pub fn exactly<const N: usize, E>(items: &[E]) -> Result<&[E; N]> {
    items.try_into().map_err(|_| count_changed(items.len(), N))
}

/// The error for a type that changed since it was checked (a bug).
#[cold]
fn not_checked(ty: &Type) -> Error {
    format_err!("internal: `{ty}` is not the record type the host's type was checked against")
}

/// The error for a list of types or record fields whose length changed
/// since it was checked (a bug).
#[cold]
fn count_changed(len: usize, expected: usize) -> Error {
    format_err!("internal: a list of {len} types or fields where {expected} were checked")
}

/// The cases of variant type `ty`, checked to be `names` in order.
pub fn variant_cases<'t, R: ?Sized>(ty: &'t Type, names: &[&str]) -> Result<&'t [Case]> {
    let Type::Variant(v) = ty else {
        return Err(mismatch::<R>(ty));
    };
    let cases = v.cases();
    if cases.len() != names.len() || cases.iter().zip(names).any(|(c, n)| c.name != *n) {
        return Err(format_err!(
            "variant mismatch: the component has `{ty}`, the host's `{}` has cases {}",
            std::any::type_name::<R>(),
            names.join(", ")
        ));
    }
    Ok(cases)
}

/// The payload type of case `index` of a variant type, without checks.
#[inline]
pub fn case_type(ty: &Type, index: usize) -> Option<&Type> {
    match ty {
        Type::Variant(v) => v.cases().get(index).and_then(|c| c.ty.as_ref()),
        _ => None,
    }
}

/// Checks that a case's payload matches: both absent, or `check` passes.
pub fn check_payload(ty: &Type, case: &Case, check: Option<fn(&Type) -> Result<()>>) -> Result<()> {
    match (&case.ty, check) {
        (None, None) => Ok(()),
        (Some(payload), Some(check)) => check(payload),
        _ => Err(format_err!(
            "variant mismatch: case `{}` of `{ty}` differs in whether it has a payload",
            case.name
        )),
    }
}

/// Checks that enum type `ty` has the cases `names` in order.
pub fn enum_cases<R: ?Sized>(ty: &Type, names: &[&str]) -> Result<()> {
    let Type::Enum(e) = ty else {
        return Err(mismatch::<R>(ty));
    };
    if e.names().len() != names.len() || e.names().iter().zip(names).any(|(a, b)| a != b) {
        return Err(format_err!(
            "enum mismatch: the component has `{ty}`, the host's `{}` has cases {}",
            std::any::type_name::<R>(),
            names.join(", ")
        ));
    }
    Ok(())
}

/// Checks that flags type `ty` has the flags `names` in order.
pub fn flags_names<R: ?Sized>(ty: &Type, names: &[&str]) -> Result<()> {
    let Type::Flags(f) = ty else {
        return Err(mismatch::<R>(ty));
    };
    if f.names().len() != names.len() || f.names().iter().zip(names).any(|(a, b)| a != b) {
        return Err(format_err!(
            "flags mismatch: the component has `{ty}`, the host's `{}` has flags {}",
            std::any::type_name::<R>(),
            names.join(", ")
        ));
    }
    Ok(())
}

/// The error for a case index a guest gave that the type does not have.
pub fn invalid_discriminant(index: u32, cases: usize, ty: &Type) -> Error {
    format_err!("invalid variant discriminant {index} for `{ty}` with {cases} cases")
}

// Layout arithmetic for the derives (CanonicalABI.md, "Alignment" and
// "Element Size"), over the (size, alignment) pairs of fields or payloads
// so that a derived constant lists each type once.

/// The largest of `aligns` and 1: a record's `alignment`.
pub const fn max_align(aligns: &[u32]) -> u32 {
    let mut align = 1;
    let mut i = 0;
    while i < aligns.len() {
        align = max(align, aligns[i]);
        i += 1;
    }
    align
}

/// A record's `elem_size`: each field, given as `(size, alignment)`,
/// aligned in order, and the total rounded up to the record's alignment.
pub const fn record_size(fields: &[(u32, u32)]) -> u32 {
    let mut size = 0;
    let mut align = 1;
    let mut i = 0;
    while i < fields.len() {
        let (field_size, field_align) = fields[i];
        size = align_to(size, field_align) + field_size;
        align = max(align, field_align);
        i += 1;
    }
    align_to(size, align)
}

/// A variant's `alignment`: that of its discriminant (for `cases` cases)
/// or of its widest-aligned payload, whichever is larger.
pub const fn variant_align(cases: usize, payload_aligns: &[u32]) -> u32 {
    max(discriminant_size(cases), max_align(payload_aligns))
}

/// A variant's `elem_size`: the discriminant, the largest payload (given
/// as `(size, alignment)`) at the payload offset, rounded up to the
/// variant's alignment.
pub const fn variant_size(cases: usize, payloads: &[(u32, u32)]) -> u32 {
    let mut payload_size = 0;
    let mut payload_align = 1;
    let mut i = 0;
    while i < payloads.len() {
        payload_size = max(payload_size, payloads[i].0);
        payload_align = max(payload_align, payloads[i].1);
        i += 1;
    }
    let align = max(discriminant_size(cases), payload_align);
    align_to(
        align_to(discriminant_size(cases), payload_align) + payload_size,
        align,
    )
}

/// Offset of a variant's payload from its start, for a variant with
/// `cases` cases and alignment `align` (its `ALIGN32`).
///
/// The spec aligns the discriminant's end to the largest payload
/// alignment; as alignments are powers of two, aligning it to the
/// variant's alignment (the larger of that and the discriminant's size)
/// gives the same offset.
pub const fn payload_offset(cases: usize, align: u32) -> u32 {
    align_to(discriminant_size(cases), align)
}

/// The largest of `counts`, or 0: the joined payload width of a variant
/// whose payloads flatten to `counts` values.
pub const fn max_count(counts: &[usize]) -> usize {
    let mut most = 0;
    let mut i = 0;
    while i < counts.len() {
        most = max_usize(most, counts[i]);
        i += 1;
    }
    most
}

/// The address of the next field of type `F` of a record at `ptr`
/// (aligned for the record, so for each field): `ptr` plus `offset`
/// aligned for `F`. `offset` counts from the record's start and then moves
/// past the field. Starting from `0`, the offsets are constants once
/// inlined, so the fields' reads and writes share one base address (an
/// offset chained from `ptr` itself was aligned again at run time, field
/// by field). A field past the 32-bit address space (a record its caller
/// did not range-check) is an error.
#[inline]
pub fn next_field<F: super::ComponentType + ?Sized>(ptr: u32, offset: &mut u32) -> Result<u32> {
    part_at(ptr, field_offset::<F>(offset))
}

/// The offset of the next field of type `F` of a record, `offset` being
/// the end of the field before; advances `offset` past the field.
#[inline]
fn field_offset<F: super::ComponentType + ?Sized>(offset: &mut u32) -> u32 {
    let at = align_to(*offset, F::ALIGN32);
    *offset = at + F::SIZE32;
    at
}

/// The address `offset` bytes past `ptr`, where a part of the value at
/// `ptr` (a tuple's element, a payload, a word of flags) sits. Past the
/// 32-bit address space is an error, never a wrapped address: callers
/// range-check the value first, so this only catches an impl that did not.
#[inline]
pub fn part_at(ptr: u32, offset: u32) -> Result<u32> {
    ptr.checked_add(offset)
        .ok_or_else(|| past_address_space(ptr, offset.into()))
}

/// The address of item `index` of a list of `size`-byte items at `ptr`
/// (an error past the 32-bit address space, as [`part_at`]).
#[inline]
pub fn item_at(ptr: u32, index: u32, size: u32) -> Result<u32> {
    let offset = u64::from(index) * u64::from(size);
    u32::try_from(u64::from(ptr) + offset).map_err(|_| past_address_space(ptr, offset))
}

/// The byte length of `len` items of `size` bytes each, or an error if it
/// does not fit the 32-bit address space (callers check a list's range
/// first; this keeps an unchecked length from wrapping to a short one).
#[inline]
pub fn list_bytes(len: usize, size: usize) -> Result<u32> {
    len.checked_mul(size)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| list_past_address_space(len, size))
}

/// The error of a list whose bytes do not fit the 32-bit address space.
#[cold]
#[inline(never)]
fn list_past_address_space(len: usize, size: usize) -> crate::Error {
    format_err!("a list of {len} items of {size} bytes does not fit the 32-bit address space")
}

/// The error of a field past the 32-bit address space.
#[cold]
#[inline(never)]
fn past_address_space(ptr: u32, offset: u64) -> crate::Error {
    format_err!("a value at {ptr:#x} has a part at offset {offset}, past the 32-bit address space")
}

/// The first `F::SIZE32` bytes of `bytes`, the window a value of type `F`
/// at `ptr` is loaded from (see [`Lift::load_from`](super::Lift::load_from)):
/// checked once, so that the fields' windows, at constant offsets in it,
/// need no check of their own. An error, never a panic, when a caller
/// passes too short a window.
#[inline]
pub fn value_bytes<F: super::ComponentType + ?Sized>(bytes: &[u8], ptr: u32) -> Result<&[u8]> {
    // The value ends within the 32-bit address space (always so for bytes
    // of a guest memory), so its parts' addresses below cannot wrap.
    if u64::from(ptr) + u64::from(F::SIZE32) > 1 << 32 {
        return Err(past_address_space(ptr, F::SIZE32.into()));
    }
    bytes
        .get(..F::SIZE32 as usize)
        .ok_or_else(|| short_window(ptr, F::SIZE32, bytes.len()))
}

/// `load` of a value that reads its parts from its window: the value's
/// `SIZE32` bytes at `ptr`, range-checked once (none for a value that
/// occupies no memory), handed to its [`Lift::load_from`](super::Lift::load_from).
#[inline]
pub fn load_in_window<V: super::Lift, T: 'static>(
    cx: &mut super::LiftCx<'_, '_, T>,
    ty: &Type,
    ptr: u32,
) -> Result<V> {
    let bytes = cx.window(ptr, V::SIZE32)?;
    V::load_from(cx, ty, ptr, bytes)
}

/// The address and the bytes of the next field of type `F` of a record
/// at `ptr` whose bytes are `bytes` (from [`value_bytes`], which checked
/// that the record ends within the address space, so the field's address
/// does not wrap): as [`next_field`], with the field's window in
/// `bytes`.
#[inline]
pub fn next_field_bytes<'b, F: super::ComponentType + ?Sized>(
    ptr: u32,
    bytes: &'b [u8],
    offset: &mut u32,
) -> Result<(u32, &'b [u8])> {
    let at = field_offset::<F>(offset);
    let field = bytes
        .get(at as usize..at as usize + F::SIZE32 as usize)
        .ok_or_else(|| short_window(ptr, *offset, bytes.len()))?;
    Ok((ptr.wrapping_add(at), field))
}

/// The `N` bytes a number, `bool` or `char` at `ptr` is read from, the
/// start of its window `bytes`.
#[inline]
pub fn fixed_bytes<const N: usize>(bytes: &[u8], ptr: u32) -> Result<[u8; N]> {
    match bytes.first_chunk::<N>() {
        Some(b) => Ok(*b),
        None => Err(short_window(ptr, N as u32, bytes.len())),
    }
}

/// The address and bytes of a variant's, option's or result's payload,
/// `offset` bytes into the value at `ptr` whose bytes are `bytes` (from
/// [`value_bytes`], so the address does not wrap): the window runs to the
/// value's end (the payload's own `load_from` takes its size from the
/// front).
#[inline]
pub fn payload_bytes(ptr: u32, bytes: &[u8], offset: u32) -> Result<(u32, &[u8])> {
    let payload = bytes
        .get(offset as usize..)
        .ok_or_else(|| short_window(ptr, offset, bytes.len()))?;
    Ok((ptr.wrapping_add(offset), payload))
}

/// The pointer and length of a string, list or map, the first eight bytes
/// of its window `bytes` (the value at `ptr`).
#[inline]
pub(crate) fn ptr_len_from(bytes: &[u8], ptr: u32) -> Result<(u32, u32)> {
    fixed_bytes(bytes, ptr).map(split_ptr_len)
}

/// The pointer and length a string's, list's or map's eight bytes in
/// memory hold (little-endian, the pointer first).
#[inline]
pub(crate) fn split_ptr_len(bytes: [u8; 8]) -> (u32, u32) {
    let [d0, d1, d2, d3, l0, l1, l2, l3] = bytes;
    (
        u32::from_le_bytes([d0, d1, d2, d3]),
        u32::from_le_bytes([l0, l1, l2, l3]),
    )
}

/// The error of a value's window shorter than the value (a `Lift` impl
/// that passed the wrong bytes).
#[cold]
#[inline(never)]
fn short_window(ptr: u32, needed: u32, len: usize) -> crate::Error {
    format_err!("internal: a value at {ptr:#x} needs {needed} bytes of its window, which has {len}")
}

/// The payload type of case `index` of variant type `ty`, or an error if
/// the (already type-checked) type has none there.
#[inline]
pub fn case_payload(ty: &Type, index: usize) -> Result<&Type> {
    case_type(ty, index)
        .ok_or_else(|| format_err!("internal: case {index} of `{ty}` has no payload type"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{Case, Field};

    /// `(size, alignment)` of each type, for the const helpers.
    fn size_aligns(types: &[Type]) -> Vec<(u32, u32)> {
        types
            .iter()
            .map(|t| (t.layout().size, t.layout().align))
            .collect()
    }

    fn samples() -> Vec<Vec<Type>> {
        vec![
            vec![],
            vec![Type::U8],
            vec![Type::U8, Type::U64, Type::U16],
            vec![Type::U16, Type::U8],
            vec![Type::String, Type::Bool, Type::Float64],
            vec![Type::flags((0..40).map(|i| format!("f{i}"))), Type::U8],
        ]
    }

    #[test]
    fn field_windows_sit_at_the_layout_offsets_and_short_windows_are_errors() {
        // A record `{ a: u8, b: u64, c: u16 }` at address 64: fields at
        // offsets 0, 8 and 16 of its 24 bytes.
        let bytes: Vec<u8> = (0..24).collect();
        let record = value_bytes::<(u8, u64, u16)>(&bytes, 64).unwrap();
        let mut offset = 0;
        let (a, ab) = next_field_bytes::<u8>(64, record, &mut offset).unwrap();
        let (b, bb) = next_field_bytes::<u64>(64, record, &mut offset).unwrap();
        let (c, cb) = next_field_bytes::<u16>(64, record, &mut offset).unwrap();
        assert_eq!((a, b, c), (64, 72, 80));
        assert_eq!((ab, bb, cb), (&bytes[0..1], &bytes[8..16], &bytes[16..18]));
        assert_eq!(fixed_bytes::<2>(cb, c).unwrap(), [16, 17]);

        // Too short a window (a `Lift` impl passing the wrong bytes) is an
        // error, never a panic, at each step.
        let e = value_bytes::<(u8, u64, u16)>(&bytes[..23], 64).unwrap_err();
        assert!(
            e.to_string()
                .contains("needs 24 bytes of its window, which has 23"),
            "{e}"
        );
        let mut offset = 0;
        next_field_bytes::<u8>(64, &bytes[..9], &mut offset).unwrap();
        let e = next_field_bytes::<u64>(64, &bytes[..9], &mut offset).unwrap_err();
        assert!(e.to_string().contains("needs 16 bytes"), "{e}");
        assert!(fixed_bytes::<4>(&bytes[..3], 0).is_err());
        // A value past the 32-bit address space (one its caller did not
        // range-check) is an error, never an address that wraps.
        let e = value_bytes::<(u8, u64, u16)>(&bytes, u32::MAX - 22).unwrap_err();
        assert!(
            e.to_string().contains("past the 32-bit address space"),
            "{e}"
        );
        value_bytes::<(u8, u64, u16)>(&bytes, u32::MAX - 23).unwrap();
        let mut offset = 0;
        next_field::<u8>(u32::MAX - 1, &mut offset).unwrap();
        assert!(next_field::<u16>(u32::MAX - 1, &mut offset).is_err());
    }

    #[test]
    fn part_and_item_addresses_past_4_gib_are_errors_not_wrapped() {
        // The last addresses of the 32-bit space are still addresses.
        assert_eq!(part_at(u32::MAX - 4, 4).unwrap(), u32::MAX);
        assert_eq!(item_at(u32::MAX - 8, 2, 4).unwrap(), u32::MAX);
        assert_eq!(list_bytes((1 << 30) - 1, 4).unwrap(), u32::MAX - 3);
        // Past them: errors (a plain `+` or `*` would panic in debug
        // builds and wrap to a low address, or a short list, in release).
        let e = part_at(u32::MAX - 3, 4).unwrap_err();
        assert!(
            e.to_string().contains("past the 32-bit address space"),
            "{e}"
        );
        assert!(item_at(8, u32::MAX, 8).is_err());
        assert!(item_at(u32::MAX - 7, 2, 4).is_err());
        let e = list_bytes(1 << 30, 4).unwrap_err();
        assert!(
            e.to_string()
                .contains("does not fit the 32-bit address space"),
            "{e}"
        );
        assert!(list_bytes(usize::MAX, 2).is_err());
    }

    #[test]
    fn fields_of_gives_an_array_or_an_error_never_a_panic() {
        let record = Type::record((0..3).map(|i| Field {
            name: format!("f{i}"),
            ty: Type::U8,
        }));
        let fields = fields_of::<3>(&record).unwrap();
        assert_eq!(fields[2].name, "f2");
        let e = fields_of::<2>(&record).unwrap_err();
        assert!(
            e.to_string()
                .contains("a list of 3 types or fields where 2 were checked"),
            "{e}"
        );
        let e = fields_of::<1>(&Type::U8).unwrap_err();
        assert!(e.to_string().contains("`u8` is not the record type"), "{e}");
        assert!(exactly::<2, Type>(&[Type::U8]).is_err());
        assert_eq!(exactly::<1, Type>(&[Type::U8]).unwrap(), &[Type::U8]);
    }

    #[test]
    fn record_helpers_match_the_layout() {
        for types in samples() {
            let record = Type::record(types.iter().enumerate().map(|(i, ty)| Field {
                name: format!("f{i}"),
                ty: ty.clone(),
            }));
            let aligns: Vec<u32> = size_aligns(&types).iter().map(|p| p.1).collect();
            assert_eq!(
                record_size(&size_aligns(&types)),
                record.layout().size,
                "{record}"
            );
            assert_eq!(max_align(&aligns), record.layout().align, "{record}");
        }
    }

    #[test]
    fn variant_helpers_match_the_layout() {
        for payloads in samples() {
            // Each payload in a case, and a case without one.
            let mut cases: Vec<Case> = payloads
                .iter()
                .enumerate()
                .map(|(i, ty)| Case {
                    name: format!("c{i}"),
                    ty: Some(ty.clone()),
                })
                .collect();
            cases.push(Case {
                name: "none".into(),
                ty: None,
            });
            let n = cases.len();
            let variant = Type::variant(cases);
            let pairs = size_aligns(&payloads);
            let aligns: Vec<u32> = pairs.iter().map(|p| p.1).collect();
            let counts: Vec<usize> = payloads.iter().map(|t| t.layout().flat.len()).collect();
            let layout = variant.layout();
            assert_eq!(variant_size(n, &pairs), layout.size, "{variant}");
            assert_eq!(variant_align(n, &aligns), layout.align, "{variant}");
            assert_eq!(1 + max_count(&counts), layout.flat.len(), "{variant}");
            let offset = align_to(discriminant_size(n), max_align(&aligns));
            assert_eq!(payload_offset(n, layout.align), offset, "{variant}");
        }
    }
}
