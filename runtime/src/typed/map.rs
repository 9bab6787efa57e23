//! Maps: `HashMap<K, V>` and `BTreeMap<K, V>` as `map<K, V>`, which the
//! canonical ABI passes as a `list<tuple<K, V>>` (see `canon::map`).
//!
//! Lowering writes the entries in the map's iteration order; lifting keeps
//! the last value of a key a guest sends twice, as wasmtime does.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, Hash};

use crate::Result;
use crate::canon::list::{ListOf, check_list_range};
use crate::typed::internal::{align_to, item_at, mismatch, part_at};
use crate::typed::list::allocate_list;
use crate::typed::{ComponentType, FlatReader, FlatWriter, Lift, LiftCx, Lower, LowerCx};
use crate::types::Type;

/// The key and value types of map type `ty` (checked when the function
/// was typed; the fallback keeps this panic-free).
#[inline]
fn key_value(ty: &Type) -> (&Type, &Type) {
    match ty {
        Type::Map(m) => (m.key(), m.value()),
        other => (other, other),
    }
}

/// `ComponentType::typecheck` of a map with Rust key `K` and value `V`.
fn typecheck_map<R, K: ComponentType, V: ComponentType>(ty: &Type) -> Result<()> {
    match ty {
        Type::Map(m) => {
            K::typecheck(m.key())?;
            V::typecheck(m.value())
        }
        _ => Err(mismatch::<R>(ty)),
    }
}

/// Size, alignment and value offset of one entry, `tuple<K, V>`.
fn entry_layout<K: ComponentType, V: ComponentType>() -> (u32, u32, u32) {
    (
        <(K, V)>::SIZE32,
        <(K, V)>::ALIGN32,
        align_to(K::SIZE32, V::ALIGN32),
    )
}

/// `store_list_into_range` of the entries: one `realloc`, then each key and
/// value at its offset in its entry.
fn store_entries<'a, K, V, T>(
    cx: &mut LowerCx<'_, '_, T>,
    ty: &Type,
    len: usize,
    entries: impl Iterator<Item = (&'a K, &'a V)>,
) -> Result<(u32, u32)>
where
    K: Lower + 'a,
    V: Lower + 'a,
    T: 'static,
{
    let (size, align, value_offset) = entry_layout::<K, V>();
    let (kt, vt) = key_value(ty);
    let ptr = allocate_list(cx, len, size, align)?;
    for (i, (k, v)) in (0u32..).zip(entries) {
        let at = item_at(ptr, i, size)?;
        k.store(cx, kt, at)?;
        v.store(cx, vt, part_at(at, value_offset)?)?;
    }
    Ok((ptr, len as u32))
}

/// `load_list_from_range` of the entries, checked as the dynamic path
/// checks a list, each entry handed to `insert`.
fn load_entries<K: Lift, V: Lift, T: 'static>(
    cx: &mut LiftCx<'_, '_, T>,
    ty: &Type,
    ptr: u32,
    len: u32,
    mut insert: impl FnMut(K, V),
) -> Result<()> {
    let (size, align, value_offset) = entry_layout::<K, V>();
    let entry = match ty {
        Type::Map(m) => m.entry(),
        other => other,
    };
    check_list_range(cx.memory()?.len(), ptr, len, size, align, ListOf(entry))?;
    cx.budget.charge_items::<(K, V)>(len as usize)?;
    let (kt, vt) = key_value(ty);
    for i in 0..len {
        let at = item_at(ptr, i, size)?;
        let k = K::load(cx, kt, at)?;
        let v = V::load(cx, vt, part_at(at, value_offset)?)?;
        insert(k, v);
    }
    Ok(())
}

/// Implements the traits for one map type: `$len` and `$iter` read it,
/// `$new` and `$insert` build it.
macro_rules! map_type {
    ($map:ident<K, V $(, $s:ident)?> where K: $($kbound:path),+; new = $new:expr) => {
        impl<K: ComponentType, V: ComponentType $(, $s)?> ComponentType for $map<K, V $(, $s)?> {
            const SIZE32: u32 = 8;
            const ALIGN32: u32 = 4;
            const FLAT_COUNT: usize = 2;
            const HAS_HANDLES: bool = K::HAS_HANDLES || V::HAS_HANDLES;

            fn typecheck(ty: &Type) -> Result<()> {
                typecheck_map::<Self, K, V>(ty)
            }
        }

        impl<K: Lower, V: Lower $(, $s)?> Lower for $map<K, V $(, $s)?> {
            fn lower_flat<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                ty: &Type,
                dst: &mut FlatWriter<'_>,
            ) -> Result<()> {
                dst.push_ptr_len(store_entries(cx, ty, self.len(), self.iter())?)
            }

            fn store<T: 'static>(
                &self,
                cx: &mut LowerCx<'_, '_, T>,
                ty: &Type,
                ptr: u32,
            ) -> Result<()> {
                let pair = store_entries(cx, ty, self.len(), self.iter())?;
                cx.write_ptr_len(ptr, pair)
            }
        }

        impl<K: Lift $(+ $kbound)+, V: Lift $(, $s: BuildHasher + Default)?> Lift
            for $map<K, V $(, $s)?>
        {
            fn lift_flat<T: 'static>(
                cx: &mut LiftCx<'_, '_, T>,
                ty: &Type,
                src: &mut FlatReader<'_>,
            ) -> Result<Self> {
                let (ptr, len) = src.next_ptr_len()?;
                let mut map = $new;
                load_entries(cx, ty, ptr, len, |k, v| {
                    map.insert(k, v);
                })?;
                Ok(map)
            }

            fn load<T: 'static>(cx: &mut LiftCx<'_, '_, T>, ty: &Type, ptr: u32) -> Result<Self> {
                let (data, len) = cx.read_ptr_len(ptr)?;
                let mut map = $new;
                load_entries(cx, ty, data, len, |k, v| {
                    map.insert(k, v);
                })?;
                Ok(map)
            }
        }
    };
}

map_type!(HashMap<K, V, S> where K: Eq, Hash; new = HashMap::with_hasher(S::default()));
map_type!(BTreeMap<K, V> where K: Ord; new = BTreeMap::new());
