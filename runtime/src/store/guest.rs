//! A guest's linear memory and `realloc` as the canonical ABI sees them,
//! resolved from an instance's slots for one set of canonical options.

use wasmtime::{Memory, StoreContextMut, ValRaw};

use crate::canon::{Budget, Cx, GuestMemory};
use crate::plan::Options;
use crate::resources::{Pending, ResourceAny};
use crate::store::StoreData;
use crate::store::deferred_realloc::{Recording, Replay};
use crate::store::may_leave::set_may_leave;
use crate::store::slots::Slots;
use crate::store::{InstanceState, Realloc};
use crate::{Context, Result};

/// The memory and realloc named by one set of canonical options.
#[derive(Clone, Copy)]
pub(crate) struct OptionSlots {
    pub memory: Option<Memory>,
    pub realloc: Option<Realloc>,
    pub post_return: Option<wasmtime::Func>,
    /// The component instance the options belong to (its may-leave flag).
    pub instance: u32,
}

impl OptionSlots {
    /// Reads the slots `options` refer to; the initializers have filled
    /// them by the time any call or trampoline runs (a slot out of range,
    /// which a checked plan never names, reads as empty).
    #[inline]
    pub fn resolve(state: &InstanceState, options: &Options) -> OptionSlots {
        fn slot<S: Copy>(slots: &Slots<Option<S>>, index: Option<u32>) -> Option<S> {
            slots.get(index? as usize).copied().flatten()
        }
        OptionSlots {
            memory: slot(&state.memories, options.memory),
            realloc: slot(&state.reallocs, options.realloc),
            post_return: slot(&state.post_returns, options.post_return),
            instance: options.instance,
        }
    }

    /// Whether every slot `options` names is filled: from then on the
    /// slots never change (the initializers fill each once), so they may
    /// be kept.
    #[cfg(feature = "async")]
    pub fn is_complete(&self, options: &Options) -> bool {
        (options.memory.is_none() || self.memory.is_some())
            && (options.realloc.is_none() || self.realloc.is_some())
            && (options.post_return.is_none() || self.post_return.is_some())
    }
}

/// [`GuestMemory`] over a store and resolved option slots.
pub(crate) struct Guest<'a, 's, T: 'static> {
    pub store: &'s mut StoreContextMut<'a, StoreData<T>>,
    /// The instance state the options belong to (for handle tables).
    pub state: usize,
    pub memory: Option<Memory>,
    pub realloc: Option<Realloc>,
    /// The component instance, whose may-leave flag is cleared while
    /// `realloc` runs.
    pub instance: u32,
    /// How `realloc` is answered.
    pub mode: ReallocMode<'s>,
}

/// How a [`Guest`] answers `realloc`: by calling it (synchronous entries),
/// or in one of the two passes of asynchronous lowering (see
/// [`crate::store::deferred_realloc`]).
#[cfg_attr(not(feature = "async"), allow(dead_code))]
pub(crate) enum ReallocMode<'s> {
    /// Calls the guest's `realloc` now.
    Call,
    /// Records the call and answers from a scratch memory, which stands
    /// for the guest's memory.
    Record(&'s mut Recording),
    /// Answers with the results of the recorded calls, made since.
    Replay(&'s mut Replay),
}

impl<'a, 's, T: 'static> Guest<'a, 's, T> {
    /// The guest that `slots` describe, in instance state `state`.
    pub fn new(
        store: &'s mut StoreContextMut<'a, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
    ) -> Self {
        Guest::with_mode(store, state, slots, ReallocMode::Call)
    }

    /// The guest that `slots` describe, answering `realloc` as `mode`
    /// says.
    pub fn with_mode(
        store: &'s mut StoreContextMut<'a, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        mode: ReallocMode<'s>,
    ) -> Self {
        Guest {
            store,
            state,
            memory: slots.memory,
            realloc: slots.realloc,
            instance: slots.instance,
            mode,
        }
    }
}

impl<T: 'static> GuestMemory for Guest<'_, '_, T> {
    fn memory(&self) -> Result<&[u8]> {
        let memory = self
            .memory
            .context("the function's canonical options have no `memory`")?;
        if let ReallocMode::Record(recording) = &self.mode {
            return Ok(&recording.scratch);
        }
        Ok(memory.data(&*self.store))
    }

    fn memory_mut(&mut self) -> Result<&mut [u8]> {
        let memory = self
            .memory
            .context("the function's canonical options have no `memory`")?;
        if let ReallocMode::Record(recording) = &mut self.mode {
            recording.wrote = true;
            return Ok(&mut recording.scratch);
        }
        Ok(memory.data_mut(&mut *self.store))
    }

    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32> {
        let realloc = self
            .realloc
            .context("the function's canonical options have no `realloc`")?;
        match &mut self.mode {
            ReallocMode::Call => {}
            ReallocMode::Record(recording) => {
                return recording.realloc(old_ptr, old_size, align, new_size);
            }
            ReallocMode::Replay(replay) => {
                let (ptr, moved) = replay.realloc(old_ptr, old_size, align, new_size)?;
                if let Some((from, len)) = moved {
                    copy_moved_block(memory_of(self.memory, self.store)?, from, ptr, len);
                }
                return Ok(ptr);
            }
        }
        // On an asynchronous store the guest runs on a fiber, where a
        // synchronous call into it is not allowed (`call_unchecked`'s
        // contract): lowering there goes through the other two modes.
        if self.store.data().asynchronous {
            crate::bail!("internal: synchronous `realloc` on an asynchronous store");
        }
        // CanonicalABI.md, `LiftLowerContext.reallocate`: the guest may not
        // call out of the component while its `realloc` runs.
        self.store.data_mut().touch_guest();
        let previous = set_may_leave(self.store, self.state, self.instance, false);
        let mut args = [
            ValRaw::u32(old_ptr),
            ValRaw::u32(old_size),
            ValRaw::u32(align),
            ValRaw::u32(new_size),
        ];
        // `realloc` has type `(i32, i32, i32, i32) -> i32`: the initializers
        // checked it before storing it, or the `InstancePre` read it from
        // the module's type and the initializers found the function by
        // that module's export index (`core_exports`).
        let args_ptr = &mut args as *mut [ValRaw];
        // SAFETY: so `args` holds its four parameters and has room for its
        // result; `realloc` belongs to this store (extracted from one of
        // its instances).
        let called = unsafe { realloc.call_unchecked(&mut *self.store, args_ptr) };
        set_may_leave(self.store, self.state, self.instance, previous);
        crate::store::exceptions::contain(&mut *self.store, called)?;
        Ok(args[0].get_u32())
    }

    fn guest_memory_len(&self) -> Result<usize> {
        let memory = self
            .memory
            .context("the function's canonical options have no `memory`")?;
        Ok(memory.data_size(&*self.store))
    }

    fn result_area(&mut self, ptr: u32, align: u32, size: u32) -> Result<u32> {
        match &mut self.mode {
            ReallocMode::Record(recording) => recording.area(align, size),
            ReallocMode::Call | ReallocMode::Replay(_) => Ok(ptr),
        }
    }

    fn lift_handle(&mut self, pending: Pending) -> Result<ResourceAny> {
        crate::store::resource_ops::lift_to_host(self.store.data_mut(), self.state, pending)
    }

    fn lower_handle(&mut self, table: u32, any: &ResourceAny, own: bool) -> Result<u32> {
        crate::store::resource_ops::lower_from_host(
            self.store.data_mut(),
            self.state,
            table,
            any,
            own,
        )
    }
}

/// Runs `f` with a canonical-ABI context over `store` and `slots`.
pub(crate) fn with_cx<T: 'static, R>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    slots: &OptionSlots,
    options: &Options,
    f: impl FnOnce(&mut Cx<'_>) -> Result<R>,
) -> Result<R> {
    let budget = Budget::new(store.data().lift_budget);
    let mut guest = Guest::new(store, state, slots);
    let mut cx = Cx {
        mem: &mut guest,
        encoding: options.encoding,
        budget,
    };
    f(&mut cx)
}

/// The memory of `memory` (the canonical option), mutably.
fn memory_of<'m, T: 'static>(
    memory: Option<wasmtime::Memory>,
    store: &'m mut StoreContextMut<'_, StoreData<T>>,
) -> Result<&'m mut [u8]> {
    let memory = memory.context("the function's canonical options have no `memory`")?;
    Ok(memory.data_mut(store))
}

/// The copy a guest's `realloc` makes when it moves a block: `len` bytes
/// from `from` to `to`. A replayed move makes it again, after the old
/// block was written (see `store::deferred_realloc`). Out-of-bounds
/// blocks are left alone: the canonical ABI's check of the result reports
/// them.
fn copy_moved_block(mem: &mut [u8], from: u32, to: u32, len: u32) {
    let (from, to, len) = (from as usize, to as usize, len as usize);
    if from.checked_add(len).is_some_and(|end| end <= mem.len())
        && to.checked_add(len).is_some_and(|end| end <= mem.len())
    {
        mem.copy_within(from..from + len, to);
    }
}
