//! Lists in memory: a pointer and a length, elements at `elem_size` strides.
//!
//! Mirrors CanonicalABI.md, "Loading" (`load_list`, `load_list_from_range`,
//! `load_list_from_valid_range`) and "Storing" (`store_list`,
//! `store_list_into_range`, `store_list_into_valid_range`), for lists with
//! a length in their value and for fixed-length lists (`list<T, N>`), whose
//! `N` elements are stored inline where the pointer and length would be.

use wasmtime::{Result, bail};

use crate::canon::load::load_value;
use crate::canon::memory::{Cx, LoadCx, check_align, check_range, offset, read_u32};
use crate::canon::scalar::{is_scalar, store_scalar};
use crate::canon::store::store_value;
use crate::canon::typecheck::{fixed_length_list_values, mismatch};
use crate::types::{FixedLengthList, Type};
use crate::values::Val;

/// `MAX_LIST_BYTE_LENGTH`: longer lists trap when lifted (and are refused
/// when a host lowers them).
pub(crate) const MAX_LIST_BYTE_LENGTH: u32 = (1 << 28) - 1;

/// Describes `list<elem>` for messages.
pub(crate) struct ListOf<'t>(pub &'t Type);

impl std::fmt::Display for ListOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "list<{}>", self.0)
    }
}

/// `load_list`: the pointer and length at `ptr`, then the elements.
pub(crate) fn load_list(l: LoadCx, ptr: u32, elem: &Type) -> Result<Vec<Val>> {
    let begin = read_u32(l.mem, ptr)?;
    let length = read_u32(l.mem, offset(ptr, 4)?)?;
    load_list_from_range(l, begin, length, elem)
}

/// `load_list_from_range`: traps when the list is longer than
/// [`MAX_LIST_BYTE_LENGTH`] bytes, misaligned for its elements, or out of
/// bounds; then loads each element.
pub(crate) fn load_list_from_range(
    l: LoadCx,
    ptr: u32,
    length: u32,
    elem: &Type,
) -> Result<Vec<Val>> {
    let layout = elem.layout();
    check_list_range(
        l.mem.len(),
        ptr,
        length,
        layout.size,
        layout.align,
        ListOf(elem),
    )?;
    load_list_from_valid_range(l, ptr, length, elem)
}

/// The checks `load_list_from_range` makes before reading: the byte length
/// within [`MAX_LIST_BYTE_LENGTH`], `ptr` aligned for the elements, the
/// range inside memory. `what` names the list type for messages.
pub(crate) fn check_list_range(
    mem_len: usize,
    ptr: u32,
    length: u32,
    size: u32,
    align: u32,
    what: impl std::fmt::Display,
) -> Result<()> {
    let byte_length = u64::from(length) * u64::from(size);
    if byte_length > u64::from(MAX_LIST_BYTE_LENGTH) {
        bail!(
            "list too long: {length} elements of {size} bytes at {ptr:#x} exceed the maximum of \
             {MAX_LIST_BYTE_LENGTH} bytes"
        );
    }
    check_align(ptr, align, &what)?;
    check_range(mem_len, ptr, byte_length, &what)
}

/// `load_list` of a fixed-length list: its elements at `ptr` (the caller
/// checked the whole value's range).
pub(crate) fn load_fixed_length_list(
    l: LoadCx,
    ptr: u32,
    list: &FixedLengthList,
) -> Result<Vec<Val>> {
    load_list_from_valid_range(l, ptr, list.length(), list.element())
}

/// `load_list_from_valid_range`: `length` elements from `ptr`.
pub(crate) fn load_list_from_valid_range(
    l: LoadCx,
    ptr: u32,
    length: u32,
    elem: &Type,
) -> Result<Vec<Val>> {
    let size = elem.layout().size;
    // Charged before the reservation: a zero-sized element type may claim
    // any count without touching memory.
    l.budget.charge_items::<Val>(length as usize)?;
    let mut vals = Vec::with_capacity(length as usize);
    let mut p = ptr;
    for _ in 0..length {
        vals.push(load_value(l, p, elem)?);
        p = p.wrapping_add(size);
    }
    Ok(vals)
}

/// `store_list`: stores the elements, then the pointer and length at `ptr`.
pub(crate) fn store_list(cx: &mut Cx, vals: &[Val], ptr: u32, elem: &Type) -> Result<()> {
    let (begin, length) = store_list_into_range(cx, vals, elem)?;
    write_ptr_len(cx, ptr, begin, length)
}

/// The end of `store_list`: the list's pointer and length at `ptr`.
pub(crate) fn write_ptr_len(cx: &mut Cx, ptr: u32, begin: u32, length: u32) -> Result<()> {
    let mut pair = [0u8; 8];
    pair[..4].copy_from_slice(&begin.to_le_bytes());
    pair[4..].copy_from_slice(&length.to_le_bytes());
    cx.write(ptr, &pair)
}

/// `store_list_into_range`: allocates `len * elem_size` bytes aligned for
/// the element and stores the elements there; returns pointer and length.
pub(crate) fn store_list_into_range(cx: &mut Cx, vals: &[Val], elem: &Type) -> Result<(u32, u32)> {
    let (ptr, length) = allocate_list(cx, vals.len(), elem)?;
    store_list_into_valid_range(cx, vals, ptr, elem)?;
    Ok((ptr, length))
}

/// The allocation of `store_list_into_range`: `count * elem_size` bytes
/// aligned for `elem`; returns the pointer and the length.
pub(crate) fn allocate_list(cx: &mut Cx, count: usize, elem: &Type) -> Result<(u32, u32)> {
    let layout = elem.layout();
    let byte_length = count as u64 * u64::from(layout.size);
    // The spec only asserts the size fits `realloc`; a host list is held to
    // the limit a guest's list is lifted with.
    if byte_length > u64::from(MAX_LIST_BYTE_LENGTH) {
        bail!(
            "list too long: {count} elements of {} bytes exceed the maximum of \
             {MAX_LIST_BYTE_LENGTH} bytes",
            layout.size
        );
    }
    let length = u32::try_from(count)?;
    let ptr = cx.allocate(layout.align, byte_length as u32)?;
    Ok((ptr, length))
}

/// `store_list` of a fixed-length list: the elements inline at `ptr`.
pub(crate) fn store_fixed_length_list(
    cx: &mut Cx,
    ty: &Type,
    val: &Val,
    ptr: u32,
    list: &FixedLengthList,
) -> Result<()> {
    let vals = fixed_length_list_values(ty, list, val)?;
    store_list_into_valid_range(cx, vals, ptr, list.element())
}

/// `store_list_into_valid_range`: each element at its stride. Scalars are
/// written in one loop over the memory slice; other elements may call
/// `realloc` (which can move memory), so they go through [`store_value`].
fn store_list_into_valid_range(cx: &mut Cx, vals: &[Val], ptr: u32, elem: &Type) -> Result<()> {
    let size = elem.layout().size;
    if is_scalar(elem) {
        let mem = cx.mem.memory_mut()?;
        let mut p = ptr;
        for v in vals {
            store_scalar(mem, v, elem, p)?;
            p = p.wrapping_add(size);
        }
        return Ok(());
    }
    let mut p = ptr;
    for v in vals {
        store_value(cx, v, elem, p)?;
        p = p.wrapping_add(size);
    }
    Ok(())
}

/// The elements of a list value, or a type mismatch.
pub(crate) fn list_values<'v>(ty: &Type, val: &'v Val) -> Result<&'v [Val]> {
    match val {
        Val::List(vals) => Ok(vals),
        _ => Err(mismatch(ty, val)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::{HEAP_START, TestMemory};
    use crate::canon::{load, store};

    fn lift(mem: &mut TestMemory, ptr: u32, len: u32, elem: &Type) -> Result<Vec<Val>> {
        let cx = mem.cx(Utf8);
        load_list_from_range(cx.load_cx()?, ptr, len, elem)
    }

    #[test]
    fn misaligned_list_traps() {
        let mut mem = TestMemory::new(64);
        let err = lift(&mut mem, 3, 1, &Type::U32).unwrap_err().to_string();
        assert_eq!(err, "unaligned pointer 0x3 for list<u32> (alignment 4)");
    }

    #[test]
    fn list_past_the_end_of_memory_traps() {
        let mut mem = TestMemory::new(64);
        let err = lift(&mut mem, 32, 5, &Type::U64).unwrap_err().to_string();
        assert_eq!(
            err,
            "pointer out of bounds: list<u64> at 0x20 of 40 bytes exceeds memory of 64 bytes"
        );
    }

    #[test]
    fn list_longer_than_the_maximum_traps() {
        let mut mem = TestMemory::new(64);
        let err = lift(&mut mem, 0, 1 << 26, &Type::U64)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "list too long: 67108864 elements of 8 bytes at 0x0 exceed the maximum of \
             268435455 bytes"
        );
    }

    #[test]
    fn list_length_overflowing_32_bits_traps() {
        let mut mem = TestMemory::new(64);
        let err = lift(&mut mem, 0, u32::MAX, &Type::U64)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("list too long: 4294967295 elements"),
            "{err}"
        );
    }

    #[test]
    fn list_of_u16_loads_from_the_heap() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[8, 0, 0, 0, 3, 0, 0, 0]);
        mem.put(8, &[1, 0, 2, 0, 3, 0]);
        let t = Type::list(Type::U16);
        let got = load(&mem.cx(Utf8), 0, &t).unwrap();
        assert_eq!(got, Val::List(vec![Val::U16(1), Val::U16(2), Val::U16(3)]));
    }

    #[test]
    fn list_of_u32_is_stored_with_one_allocation() {
        let mut mem = TestMemory::new(4096);
        let vals: Vec<Val> = (1..=3).map(Val::U32).collect();
        let t = Type::list(Type::U32);
        store(&mut mem.cx(Utf8), &Val::List(vals), &t, 0).unwrap();
        assert_eq!(mem.calls, [(0, 0, 4, 12)]);
        assert_eq!(mem.get(0, 8), [0, 4, 0, 0, 3, 0, 0, 0]);
        assert_eq!(
            mem.get(HEAP_START, 12),
            [1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]
        );
    }

    #[test]
    fn storing_a_list_with_a_wrong_element_traps() {
        let mut mem = TestMemory::new(4096);
        let t = Type::list(Type::U8);
        let v = Val::List(vec![Val::U8(1), Val::S8(2)]);
        let err = store(&mut mem.cx(Utf8), &v, &t, 0).unwrap_err().to_string();
        assert_eq!(err, "type mismatch: expected u8, found s8");
    }

    #[test]
    fn fixed_length_lists_are_stored_inline_without_allocating() {
        let mut mem = TestMemory::new(64);
        let t = Type::fixed_length_list(Type::U16, 3);
        let v = Val::FixedLengthList((1..=3).map(Val::U16).collect());
        store(&mut mem.cx(Utf8), &v, &t, 8).unwrap();
        assert!(mem.calls.is_empty());
        assert_eq!(mem.get(8, 6), [1, 0, 2, 0, 3, 0]);
        assert_eq!(load(&mem.cx(Utf8), 8, &t).unwrap(), v);
    }

    #[test]
    fn fixed_length_list_of_the_wrong_length_is_refused() {
        let mut mem = TestMemory::new(64);
        let t = Type::fixed_length_list(Type::U8, 4);
        let v = Val::FixedLengthList(vec![Val::U8(1)]);
        let err = store(&mut mem.cx(Utf8), &v, &t, 0).unwrap_err().to_string();
        assert_eq!(
            err,
            "type mismatch: expected list<u8, 4>, found a fixed-length list of 1 elements"
        );
        let err = store(&mut mem.cx(Utf8), &Val::List(vec![]), &t, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "type mismatch: expected list<u8, 4>, found list"
        );
    }

    #[test]
    fn fixed_length_list_larger_than_memory_traps() {
        let mut mem = TestMemory::new(64);
        let t = Type::fixed_length_list(Type::U64, 1 << 29);
        let err = load(&mem.cx(Utf8), 0, &t).unwrap_err().to_string();
        assert!(
            err.starts_with("pointer out of bounds: list<u64, 536870912>"),
            "{err}"
        );
    }

    #[test]
    fn storing_a_host_list_over_the_maximum_is_refused() {
        let mut mem = TestMemory::new(4096);
        let elem = Type::tuple(vec![Type::U64; 4096]);
        let vals = vec![Val::Tuple(Vec::new()); 8192];
        let err = store_list_into_range(&mut mem.cx(Utf8), &vals, &elem).unwrap_err();
        assert!(
            err.to_string().starts_with("list too long: 8192 elements"),
            "{err}"
        );
        assert!(mem.calls.is_empty(), "nothing is allocated");
    }
}
