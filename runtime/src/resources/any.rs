//! [`ResourceAny`]: the host's handle to a resource of any type.
//!
//! Resources the host holds (received from a guest, or made from a host
//! [`crate::Resource`]) live in the store's host table; a `ResourceAny`
//! names an entry by index and generation, so a stale or foreign handle is
//! an error, never another entry's data.

use crate::resources::ResourceType;
use crate::store::{AsContextMut, StoreData};
use crate::{Result, bail};

/// A handle to a resource of any type, held by the host.
///
/// An owned `ResourceAny` must be given back to a guest or dropped with
/// [`ResourceAny::resource_drop`], which runs the resource's destructor.
/// A borrowed one is valid only during the host call that received it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceAny {
    pub(crate) inner: AnyInner,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum AnyInner {
    /// An entry in the store's host table.
    Live {
        store: u64,
        index: u32,
        generation: u32,
        ty: ResourceType,
        own: bool,
    },
    /// A handle just lifted out of guest memory, resolved before the value
    /// reaches the host (see [`crate::canon`]'s lifting of handles).
    Pending(Pending),
}

/// A guest handle read by the load/lift walk, not yet taken from the
/// guest's table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Pending {
    /// The resource table type (static index) the handle belongs to.
    pub table: u32,
    /// The guest's handle index.
    pub handle: u32,
    pub own: bool,
}

impl ResourceAny {
    pub(crate) fn pending(table: u32, handle: u32, own: bool) -> ResourceAny {
        ResourceAny {
            inner: AnyInner::Pending(Pending { table, handle, own }),
        }
    }

    pub(crate) fn live(
        store: u64,
        index: u32,
        generation: u32,
        ty: ResourceType,
        own: bool,
    ) -> Self {
        ResourceAny {
            inner: AnyInner::Live {
                store,
                index,
                generation,
                ty,
                own,
            },
        }
    }

    /// The resource's type.
    pub fn ty(&self) -> Option<&ResourceType> {
        match &self.inner {
            AnyInner::Live { ty, .. } => Some(ty),
            AnyInner::Pending(_) => None,
        }
    }

    /// Whether this is an owned handle (`own<T>`) rather than a borrow.
    pub fn owned(&self) -> bool {
        match &self.inner {
            AnyInner::Live { own, .. } => *own,
            AnyInner::Pending(p) => p.own,
        }
    }

    /// Drops the resource. For an owned handle that came from a guest, its
    /// destructor runs: the guest's for guest resources, the one given to
    /// [`crate::LinkerInstance::resource`] for host resources. A handle the
    /// host made itself ([`crate::Resource::try_into_resource_any`]) runs
    /// none: the host owns that resource's state. For a borrow, the host
    /// just gives up the handle.
    pub fn resource_drop(self, mut store: impl AsContextMut) -> Result<()> {
        let mut store = store.as_context_mut();
        crate::resources::any::drop_host_handle(&mut store.0, &self)
    }
}

/// What the host table holds for one resource.
pub(crate) struct HostEntry {
    pub rep: u32,
    pub ty: ResourceType,
    pub own: bool,
    /// Where the destructor is: (instance state, resource index).
    pub dtor: Option<(usize, u32)>,
}

enum HostSlot {
    Free,
    Used(HostEntry),
}

/// The store's table of resources held by the host.
#[derive(Default)]
pub(crate) struct HostTable {
    slots: Vec<(u32, HostSlot)>,
    free: Vec<u32>,
}

impl HostTable {
    /// Adds an entry; returns its index and generation.
    pub fn add(&mut self, entry: HostEntry) -> (u32, u32) {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.0 = slot.0.wrapping_add(1);
            slot.1 = HostSlot::Used(entry);
            return (index, slot.0);
        }
        self.slots.push((0, HostSlot::Used(entry)));
        ((self.slots.len() - 1) as u32, 0)
    }

    /// The entry `any` names, checked.
    pub fn get(&self, store: u64, any: &ResourceAny) -> Result<&HostEntry> {
        let AnyInner::Live {
            store: s,
            index,
            generation,
            ..
        } = &any.inner
        else {
            bail!("internal: unresolved resource handle");
        };
        if *s != store {
            bail!("resource handle used with a store it does not belong to");
        }
        match self.slots.get(*index as usize) {
            Some((g, HostSlot::Used(e))) if g == generation => Ok(e),
            _ => bail!(
                "resource handle was already dropped or moved into a guest (a borrowed handle is valid only during the call that received it)"
            ),
        }
    }

    /// Removes the entry `any` names, checked.
    pub fn take(&mut self, store: u64, any: &ResourceAny) -> Result<HostEntry> {
        self.get(store, any)?;
        let AnyInner::Live { index, .. } = &any.inner else {
            bail!("internal: unresolved resource handle");
        };
        let (generation, slot) = &mut self.slots[*index as usize];
        let slot = std::mem::replace(slot, HostSlot::Free);
        // A slot whose generation would wrap is retired, never reused, so
        // that no stale handle can ever name a later entry.
        if *generation != u32::MAX {
            self.free.push(*index);
        }
        match slot {
            HostSlot::Used(e) => Ok(e),
            HostSlot::Free => bail!("internal: host handle slot was free"),
        }
    }

    /// Ends a borrow lent to the host for one call.
    pub fn remove_borrow(&mut self, index: u32) {
        if let Some(slot) = self.slots.get_mut(index as usize)
            && matches!(&slot.1, HostSlot::Used(e) if !e.own)
        {
            slot.1 = HostSlot::Free;
            self.free.push(index);
        }
    }
}

/// `ResourceAny::resource_drop`.
pub(crate) fn drop_host_handle<T: 'static>(
    store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
    any: &ResourceAny,
) -> Result<()> {
    let id = store.data().id;
    let entry = store.data_mut().host_handles.take(id, any)?;
    if !entry.own {
        return Ok(());
    }
    match entry.dtor {
        Some((state, resource)) => {
            crate::instance::resources::run_dtor(store, state, resource, entry.rep)
        }
        None => Ok(()),
    }
}
