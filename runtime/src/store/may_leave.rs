//! The may-leave flag of each inner component instance (CanonicalABI.md:
//! `inst.may_leave`): cleared while a guest's `realloc` or `post-return`
//! runs, checked when a guest calls out.
//!
//! When the component's fused adapters read and write the flag, it lives in
//! a wasm global they import; otherwise only the host touches it and a
//! plain `bool` in the instance state is enough, which keeps every call
//! free of wasmtime's global accessors (they type-check on each use).
//!
//! The store also keeps a [`LeaveSummary`] of all the flags: while no flag
//! the host keeps is cleared and no instance keeps its flags in wasm, every
//! instance may leave, and the check on each import call reads that one
//! word of the store instead of the instance's flag (five dependent loads
//! further: the instance list, the instance, its flag vectors).

use wasmtime::StoreContextMut;

use crate::store::StoreData;

/// What the store knows about all the may-leave flags of its instances at
/// once (see the module docs).
#[derive(Default)]
pub(crate) struct LeaveSummary {
    /// How many of the flags the host keeps (the `bool`s) are cleared,
    /// over every instance: each is set when its instance is created, and
    /// [`set_may_leave`] counts every change.
    cleared: usize,
    /// Whether some instance keeps its flags in wasm globals (its adapters
    /// change them without the host seeing).
    in_wasm: bool,
}

impl LeaveSummary {
    /// Records an instance whose flags live in wasm globals.
    pub(crate) fn note_flags_in_wasm(&mut self) {
        self.in_wasm = true;
    }

    /// Whether every instance of the store may leave, known without
    /// looking at any instance.
    #[inline]
    fn all_may_leave(&self) -> bool {
        self.cleared == 0 && !self.in_wasm
    }
}

/// Whether component instance `instance` of instance state `state` may
/// call out.
#[inline]
pub(crate) fn may_leave<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
) -> bool {
    if store.data().leave.all_may_leave() {
        return true;
    }
    may_leave_of_instance(store, state, instance)
}

/// CanonicalABI.md, `canon_lower`: `trap_if(not inst.may_leave)`, for an
/// import called by component instance `instance` of instance state
/// `state`.
#[inline(always)]
pub(crate) fn check_may_leave<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
) -> crate::Result<()> {
    if may_leave(store, state, instance) {
        Ok(())
    } else {
        Err(cannot_leave())
    }
}

/// The error of an import called while the guest may not leave.
#[cold]
#[inline(never)]
fn cannot_leave() -> crate::Error {
    crate::format_err!(
        "cannot leave component instance: the guest called an import while it may not \
         (from inside `realloc` or `post-return`)"
    )
}

/// [`may_leave`] read from the instance's own flag.
#[inline(never)]
fn may_leave_of_instance<T>(
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
///
/// Inlined for the flags the host keeps (a few instructions, on every
/// call with `realloc` or `post-return`); flags in wasm globals go out of
/// line.
#[inline(always)]
pub(crate) fn set_may_leave<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
    value: bool,
) -> bool {
    let data = store.data_mut();
    let s = &mut data.instances[state];
    if !s.flags.is_empty() {
        return set_may_leave_in_wasm(store, state, instance, value);
    }
    // Only the host touches the flag: swap the `bool`, and count it.
    let previous = std::mem::replace(&mut s.may_leave[instance as usize], value);
    match (previous, value) {
        (true, false) => data.leave.cleared += 1,
        (false, true) => data.leave.cleared -= 1,
        _ => {}
    }
    previous
}

/// [`set_may_leave`] for flags in wasm globals.
#[inline(never)]
fn set_may_leave_in_wasm<T>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    instance: u32,
    value: bool,
) -> bool {
    let previous = may_leave_of_instance(store, state, instance);
    let global = store.data().instances[state].flags[instance as usize];
    // An i32 global always accepts an i32.
    let _ = global.set(&mut *store, wasmtime::Val::I32(value.into()));
    previous
}
