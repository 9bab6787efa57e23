//! Maps: `map<K, V>` travels as a `list<tuple<K, V>>`.
//!
//! The spec gives maps no functions of their own: `despecialize` turns
//! `map<K, V>` into `list<tuple<K, V>>` and the list functions do the rest.
//! Here the same walk reads and writes the entries as pairs, so that a
//! [`Val::Map`] is neither copied into tuples nor rebuilt from them.

use wasmtime::Result;

use crate::canon::layout::align_to;
use crate::canon::list::{ListOf, allocate_list, check_list_range, write_ptr_len};
use crate::canon::load::load_value;
use crate::canon::memory::{Cx, LoadCx, offset, read_u32};
use crate::canon::store::store_fields;
use crate::canon::typecheck::mismatch;
use crate::types::{Map, Type};
use crate::values::Val;

/// `load_list` of a map: the pointer and length at `ptr`, then the entries.
pub(crate) fn load_map(l: LoadCx, ptr: u32, map: &Map) -> Result<Vec<(Val, Val)>> {
    let begin = read_u32(l.mem, ptr)?;
    let length = read_u32(l.mem, offset(ptr, 4)?)?;
    load_map_from_range(l, begin, length, map)
}

/// `load_list_from_range` of a map: the range checks of a
/// `list<tuple<K, V>>`, then each entry.
pub(crate) fn load_map_from_range(
    l: LoadCx,
    ptr: u32,
    length: u32,
    map: &Map,
) -> Result<Vec<(Val, Val)>> {
    let entry = map.entry().layout();
    check_list_range(
        l.mem.len(),
        ptr,
        length,
        entry.size,
        entry.align,
        ListOf(map.entry()),
    )?;
    l.budget.charge_items::<(Val, Val)>(length as usize)?;
    let mut entries = Vec::with_capacity(length as usize);
    let value_offset = value_offset(map);
    let mut p = ptr;
    for _ in 0..length {
        let k = load_value(l, p, map.key())?;
        let v = load_value(l, offset(p, value_offset)?, map.value())?;
        entries.push((k, v));
        p = p.wrapping_add(entry.size);
    }
    Ok(entries)
}

/// Where an entry's value starts: the second field of `tuple<K, V>`.
fn value_offset(map: &Map) -> u32 {
    align_to(map.key().layout().size, map.value().layout().align)
}

/// `store_list` of a map: stores the entries, then the pointer and length
/// at `ptr`.
pub(crate) fn store_map(cx: &mut Cx, ty: &Type, val: &Val, ptr: u32, map: &Map) -> Result<()> {
    let (begin, length) = store_map_into_range(cx, map_entries(ty, val)?, map)?;
    write_ptr_len(cx, ptr, begin, length)
}

/// `store_list_into_range` of a map: one allocation for all the entries,
/// each stored as the record `tuple<K, V>`.
pub(crate) fn store_map_into_range(
    cx: &mut Cx,
    entries: &[(Val, Val)],
    map: &Map,
) -> Result<(u32, u32)> {
    let (ptr, length) = allocate_list(cx, entries.len(), map.entry())?;
    let size = map.entry().layout().size;
    let mut p = ptr;
    for (k, v) in entries {
        store_fields(
            cx,
            [k, v].into_iter(),
            [map.key(), map.value()].into_iter(),
            p,
        )?;
        p = p.wrapping_add(size);
    }
    Ok((ptr, length))
}

/// The entries of a map value, or a type mismatch.
pub(crate) fn map_entries<'v>(ty: &Type, val: &'v Val) -> Result<&'v [(Val, Val)]> {
    match val {
        Val::Map(entries) => Ok(entries),
        _ => Err(mismatch(ty, val)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::list::load_list_from_valid_range;
    use crate::canon::memory::StringEncoding::Utf8;
    use crate::canon::test_memory::{HEAP_START, TestMemory};
    use crate::canon::{load, store};

    /// A map's entries as the `list<tuple<K, V>>` the spec lifts.
    fn load_as_list(l: LoadCx, ptr: u32, length: u32, map: &Map) -> Result<Vec<Val>> {
        load_list_from_valid_range(l, ptr, length, map.entry())
    }

    fn s(x: &str) -> Val {
        Val::String(x.into())
    }

    #[test]
    fn a_map_is_stored_like_a_list_of_tuples() {
        let mut mem = TestMemory::new(4096);
        let t = Type::map(Type::String, Type::U32);
        let v = Val::Map(vec![(s("a"), Val::U32(1)), (s("bc"), Val::U32(2))]);
        store(&mut mem.cx(Utf8), &v, &t, 0).unwrap();
        // One allocation for two 12-byte entries, then one per key.
        assert_eq!(mem.calls[0], (0, 0, 4, 24));
        assert_eq!(mem.get(4, 4), [2, 0, 0, 0]);
        assert_eq!(load(&mem.cx(Utf8), 0, &t).unwrap(), v);
        let Type::Map(m) = &t else { unreachable!() };
        let cx = mem.cx(Utf8);
        let as_list = load_as_list(cx.load_cx().unwrap(), HEAP_START, 2, m).unwrap();
        assert_eq!(
            as_list,
            [
                Val::Tuple(vec![s("a"), Val::U32(1)]),
                Val::Tuple(vec![s("bc"), Val::U32(2)])
            ]
        );
    }

    #[test]
    fn duplicate_keys_are_kept_in_order() {
        let mut mem = TestMemory::new(4096);
        let t = Type::map(Type::U8, Type::U8);
        let v = Val::Map(vec![(Val::U8(1), Val::U8(2)), (Val::U8(1), Val::U8(3))]);
        store(&mut mem.cx(Utf8), &v, &t, 0).unwrap();
        assert_eq!(load(&mem.cx(Utf8), 0, &t).unwrap(), v);
    }

    #[test]
    fn a_map_out_of_bounds_traps() {
        let mut mem = TestMemory::new(64);
        mem.put(0, &[32, 0, 0, 0, 9, 0, 0, 0]);
        let t = Type::map(Type::U32, Type::U32);
        let err = load(&mem.cx(Utf8), 0, &t).unwrap_err().to_string();
        assert_eq!(
            err,
            "pointer out of bounds: list<tuple<u32, u32>> at 0x20 of 72 bytes exceeds memory \
             of 64 bytes"
        );
    }

    #[test]
    fn a_list_is_not_a_map() {
        let mut mem = TestMemory::new(64);
        let t = Type::map(Type::U32, Type::U32);
        let err = store(&mut mem.cx(Utf8), &Val::List(vec![]), &t, 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "type mismatch: expected map<u32, u32>, found list"
        );
    }
}
