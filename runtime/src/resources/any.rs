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

    /// [`ResourceAny::resource_drop`] on an asynchronous store: a guest's
    /// destructor runs on a fiber (its instance must have been instantiated
    /// with `instantiate_async`).
    #[cfg(feature = "async")]
    pub async fn resource_drop_async<S>(self, mut store: S) -> Result<()>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        let mut store = store.as_context_mut();
        crate::resources::any::drop_host_handle_async(&mut store.0, &self).await
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

/// One slot of the host table.
struct HostSlot {
    /// Bumped each time the slot is reused; a slot whose generation would
    /// wrap is retired, never reused, so that no stale handle can ever
    /// name a later entry.
    generation: u32,
    /// Borrows of the (owned) entry lent to calls in progress.
    lends: u32,
    entry: Option<HostEntry>,
}

/// The store's table of resources held by the host: allocated when the
/// host first holds one (most stores never do; the store stays 40 bytes
/// smaller).
#[derive(Default)]
pub(crate) struct HostTable {
    table: Option<Box<HostSlots>>,
}

/// The table, once it has an entry.
#[derive(Default)]
struct HostSlots {
    slots: Vec<HostSlot>,
    free: Vec<u32>,
}

/// The table of a store that never held a resource.
static NO_SLOTS: HostSlots = HostSlots {
    slots: Vec::new(),
    free: Vec::new(),
};

impl HostTable {
    /// Adds an entry; returns its index and generation.
    pub fn add(&mut self, entry: HostEntry) -> (u32, u32) {
        self.table.get_or_insert_default().add(entry)
    }

    /// The slots, for reading.
    fn slots(&self) -> &HostSlots {
        self.table.as_deref().unwrap_or(&NO_SLOTS)
    }

    /// The slots, for changing an entry `any` names (an error, as for a
    /// dropped handle, while there are none).
    fn slots_mut(&mut self, store: u64, any: &ResourceAny) -> Result<&mut HostSlots> {
        match &mut self.table {
            Some(table) => Ok(table),
            None => {
                NO_SLOTS.slot(store, any)?;
                bail!("internal: a host handle found in an empty table")
            }
        }
    }

    /// The entry `any` names, checked.
    pub fn get(&self, store: u64, any: &ResourceAny) -> Result<&HostEntry> {
        self.slots().get(store, any)
    }

    /// Removes the entry `any` names, checked; an error while the entry is
    /// lent to a call.
    pub fn take(&mut self, store: u64, any: &ResourceAny) -> Result<HostEntry> {
        self.slots_mut(store, any)?.take(store, any)
    }

    /// Whether the entry `any` names is lent to a call in progress (and so
    /// cannot be dropped or moved).
    pub fn is_lent(&self, store: u64, any: &ResourceAny) -> Result<bool> {
        Ok(self.slots().slot(store, any)?.1.lends > 0)
    }

    /// Lends the owned entry `any` names to a call; returns the key that
    /// [`HostTable::end_lend`] takes.
    pub fn lend(&mut self, store: u64, any: &ResourceAny) -> Result<(u32, u32)> {
        self.slots_mut(store, any)?.lend(store, any)
    }

    /// Ends one lend of entry `index` of generation `generation`.
    pub fn end_lend(&mut self, index: u32, generation: u32) {
        if let Some(table) = &mut self.table {
            table.end_lend(index, generation)
        }
    }

    /// Ends a borrow lent to the host for one call: removes the entry, if
    /// the host did not drop it already.
    pub fn remove_borrow(&mut self, index: u32, generation: u32) {
        if let Some(table) = &mut self.table {
            table.remove_borrow(index, generation)
        }
    }
}

impl HostSlots {
    fn add(&mut self, entry: HostEntry) -> (u32, u32) {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            slot.generation += 1;
            slot.lends = 0;
            slot.entry = Some(entry);
            return (index, slot.generation);
        }
        self.slots.push(HostSlot {
            generation: 0,
            lends: 0,
            entry: Some(entry),
        });
        ((self.slots.len() - 1) as u32, 0)
    }

    /// The slot `any` names, checked: its index and the slot.
    fn slot(&self, store: u64, any: &ResourceAny) -> Result<(u32, &HostSlot)> {
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
            Some(slot) if slot.generation == *generation && slot.entry.is_some() => {
                Ok((*index, slot))
            }
            _ => bail!(
                "resource handle was already dropped or moved into a guest (a borrowed handle is valid only during the call that received it)"
            ),
        }
    }

    fn get(&self, store: u64, any: &ResourceAny) -> Result<&HostEntry> {
        let (_, slot) = self.slot(store, any)?;
        slot.entry
            .as_ref()
            .ok_or_else(|| crate::format_err!("internal: host handle slot was free"))
    }

    fn take(&mut self, store: u64, any: &ResourceAny) -> Result<HostEntry> {
        let (index, slot) = self.slot(store, any)?;
        if slot.lends > 0 {
            bail!(
                "cannot drop or move resource `{}` while it is borrowed: the host lent it to {} call(s) in progress",
                slot.entry
                    .as_ref()
                    .map(|e| e.ty.to_string())
                    .unwrap_or_default(),
                slot.lends
            );
        }
        self.free_slot(index)
            .ok_or_else(|| crate::format_err!("internal: host handle slot was free"))
    }

    fn lend(&mut self, store: u64, any: &ResourceAny) -> Result<(u32, u32)> {
        let (index, _) = self.slot(store, any)?;
        let slot = &mut self.slots[index as usize];
        slot.lends += 1;
        Ok((index, slot.generation))
    }

    fn end_lend(&mut self, index: u32, generation: u32) {
        if let Some(slot) = self.slots.get_mut(index as usize)
            && slot.generation == generation
        {
            slot.lends = slot.lends.saturating_sub(1);
        }
    }

    fn remove_borrow(&mut self, index: u32, generation: u32) {
        if let Some(slot) = self.slots.get(index as usize)
            && slot.generation == generation
            && matches!(&slot.entry, Some(e) if !e.own)
        {
            self.free_slot(index);
        }
    }

    /// Empties slot `index` and returns its entry (`None` if it was
    /// free already).
    fn free_slot(&mut self, index: u32) -> Option<HostEntry> {
        let slot = self.slots.get_mut(index as usize)?;
        let entry = slot.entry.take()?;
        slot.lends = 0;
        if slot.generation != u32::MAX {
            self.free.push(index);
        }
        Some(entry)
    }
}

/// `ResourceAny::resource_drop`.
pub(crate) fn drop_host_handle<T: 'static>(
    store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
    any: &ResourceAny,
) -> Result<()> {
    match take_host_handle(store, any, false)? {
        Some((state, resource, rep)) => {
            crate::store::resource_ops::run_dtor_from_host(store, state, resource, rep)
        }
        None => Ok(()),
    }
}

/// [`drop_host_handle`] on an asynchronous store.
#[cfg(feature = "async")]
pub(crate) async fn drop_host_handle_async<T: Send + 'static>(
    store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
    any: &ResourceAny,
) -> Result<()> {
    match take_host_handle(store, any, true)? {
        Some((state, resource, rep)) => {
            crate::store::resource_ops_async::run_dtor_from_host(store, state, resource, rep).await
        }
        None => Ok(()),
    }
}

/// Gives up the host's handle `any`; returns the destructor to run, as
/// (instance state, resource index, representation). A guest destructor
/// that could not run now (its instance is running or locked down, or the
/// entry would be of the wrong kind) is refused before the handle is
/// given up, so that the host can drop it later.
fn take_host_handle<T: 'static>(
    store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
    any: &ResourceAny,
    asynchronous: bool,
) -> Result<Option<(usize, u32, u32)>> {
    use crate::store::{entry, resource_ops as resources};
    let id = store.data().id;
    let data = store.data();
    let held = data.host_handles.get(id, any)?;
    if let (true, Some((state, resource))) = (held.own, held.dtor)
        && resources::guest_dtor(data, state, resource)
    {
        if !asynchronous && data.asynchronous {
            return Err(entry::sync_entry_refused());
        }
        #[cfg(feature = "async")]
        if asynchronous {
            crate::store::entry_async::check_async(data, state)?;
        }
        entry::check(data, state)?;
    }
    #[cfg(feature = "async")]
    if let (true, Some((state, resource)), false) = (held.own, held.dtor, asynchronous)
        && let resources::Dtor::Host(dtor) = resources::dtor(data, state, resource)?
        && dtor.is_async()
    {
        return Err(resources::async_dtor_refused(data, state, resource));
    }
    let entry = store.data_mut().host_handles.take(id, any)?;
    Ok(match (entry.own, entry.dtor) {
        (true, Some((state, resource))) => Some((state, resource, entry.rep)),
        _ => None,
    })
}
