//! The may-leave flag of each inner component instance (CanonicalABI.md:
//! `inst.may_leave`): cleared while a guest's `realloc` or `post-return`
//! runs, checked when a guest calls out.
//!
//! When the component's fused adapters read and write the flag, it lives in
//! a wasm global they import; otherwise only the host touches it and a
//! plain `bool` in the instance state is enough, which keeps every call
//! free of wasmtime's global accessors (they type-check on each use).

use wasmtime::StoreContextMut;

use crate::store::StoreData;

/// Whether component instance `instance` of instance state `state` may
/// call out.
#[inline]
pub(crate) fn may_leave<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
) -> bool {
    let s = &store.data().instances[state];
    match s.flags.get(instance as usize) {
        None => s.may_leave[instance as usize],
        Some(global) => {
            let global = *global;
            global.get(&mut *store).i32() != Some(0)
        }
    }
}

/// Sets the flag; returns its previous value.
#[inline]
pub(crate) fn set_may_leave<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
    value: bool,
) -> bool {
    // Only the host touches the flag: swap the `bool`.
    let s = &mut store.data_mut().instances[state];
    if s.flags.is_empty() {
        return std::mem::replace(&mut s.may_leave[instance as usize], value);
    }
    let previous = may_leave(store, state, instance);
    let s = &mut store.data_mut().instances[state];
    match s.flags.get(instance as usize) {
        None => s.may_leave[instance as usize] = value,
        Some(global) => {
            let global = *global;
            // An i32 global always accepts an i32.
            let _ = global.set(&mut *store, wasmtime::Val::I32(value.into()));
        }
    }
    previous
}
