//! Where a zero-copy view ([`crate::WasmStr`], [`crate::WasmList`]) points:
//! one guest memory of one instance in one store.
//!
//! A view is made while a result (or an import's argument) is lifted, with
//! its range checked against the memory then. Linear memory never
//! shrinks, so the range stays in bounds; what the bytes *say* is the
//! guest's business from then on (the next call, or the `post-return` that
//! already ran, may rewrite them), as with wasmtime's views. Every access
//! first checks that the store is the view's own and that its instance
//! can still be used (not locked down after a trap), and says so as an
//! error, never a panic.

use wasmtime::Memory;

use crate::canon::memory::slice;
use crate::store::StoreData;
use crate::typed::LiftCx;
use crate::{Context, Result, bail};

/// The memory a view reads, and the instance and store it belongs to.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Origin {
    store_id: u64,
    state: usize,
    /// The component instance whose options named the memory.
    pub(crate) instance: u32,
    memory: Memory,
}

impl Origin {
    /// The origin of a view lifted through `cx`.
    pub(crate) fn of<T: 'static>(cx: &LiftCx<'_, '_, T>, what: &str) -> Result<Origin> {
        let memory = cx
            .memory
            .with_context(|| format!("a {what} needs the function's `memory` option"))?;
        Ok(Origin {
            store_id: cx.data.id,
            state: cx.state,
            instance: cx.instance,
            memory,
        })
    }

    /// The instance state's index in its store.
    pub(crate) fn state(&self) -> usize {
        self.state
    }

    /// The memory handle (use only after [`Origin::check`]).
    pub(crate) fn memory(&self) -> Memory {
        self.memory
    }

    /// Checks that `data` is the view's store and its instance usable.
    pub(crate) fn check<T>(&self, data: &StoreData<T>, what: &str) -> Result<()> {
        if data.id != self.store_id {
            bail!("{what} used with a store it does not belong to");
        }
        match data.instances.get(self.state) {
            None => bail!("{what} used after its instance is gone"),
            Some(s) if s.lockdown.is_some() => bail!(
                "{what} used after its instance trapped and was locked down: its memory may be \
                 half-updated"
            ),
            Some(_) => Ok(()),
        }
    }

    /// The `len` bytes at `ptr` in the view's memory, in `store` (which is
    /// checked to be the view's).
    pub(crate) fn bytes<'a, T: 'static>(
        &self,
        store: wasmtime::StoreContext<'a, StoreData<T>>,
        ptr: u32,
        len: u32,
        what: &str,
    ) -> Result<&'a [u8]> {
        self.check(store.data(), what)?;
        slice(self.memory.data(store), ptr, len.into())
    }
}
