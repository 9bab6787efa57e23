//! [`ResourceTable`]: where a host keeps the state of its resources.
//!
//! A slab of values of any type, keyed by [`Resource<T>`] handles. The
//! handle's representation packs the slot index and the slot's generation,
//! so a handle to a deleted entry (whose slot may be reused) or to an entry
//! of another type is an error, never another entry's data. Entries can
//! have a parent; a parent cannot be deleted while its children live.

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;

use crate::resources::Resource;

/// Bits of a representation that hold the slot index; the rest hold the
/// generation.
const INDEX_BITS: u32 = 22;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
const GENERATION_MASK: u32 = (1 << (32 - INDEX_BITS)) - 1;
/// The most entries a table can address.
const MAX_ENTRIES: usize = 1 << INDEX_BITS;
/// The maximum number of entries of a new table (as in wasmtime).
const DEFAULT_MAX_CAPACITY: usize = 1_000_000;

/// Why a [`ResourceTable`] operation failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResourceTableError {
    /// The handle names no live entry (deleted, or never created).
    NotPresent,
    /// The entry has another type than the handle says.
    WrongType,
    /// The table holds as many entries as representations can address.
    Full,
    /// The entry still has children and cannot be deleted.
    HasChildren,
    /// The entry already has a parent ([`ResourceTable::add_child`]).
    HasParent,
    /// The entry is not a child of that parent
    /// ([`ResourceTable::remove_child`]).
    NotChild,
    /// Making the entry a child of that parent would make it its own
    /// ancestor ([`ResourceTable::add_child`]).
    WouldCycle,
}

impl fmt::Display for ResourceTableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ResourceTableError::NotPresent => {
                "resource not present in the table (stale or foreign handle)"
            }
            ResourceTableError::WrongType => {
                "resource in the table has another type than the handle"
            }
            ResourceTableError::Full => "resource table is full",
            ResourceTableError::HasChildren => "resource still has children and cannot be deleted",
            ResourceTableError::HasParent => "resource already has a parent",
            ResourceTableError::NotChild => "resource is not a child of that parent",
            ResourceTableError::WouldCycle => {
                "resource cannot become a child of itself or of its own descendant"
            }
        })
    }
}

impl std::error::Error for ResourceTableError {}

struct Entry {
    value: Box<dyn Any + Send>,
    /// The parent's slot index.
    parent: Option<u32>,
    /// The children's representations.
    children: Vec<u32>,
}

struct Slot {
    generation: u32,
    entry: Option<Entry>,
}

/// A slab of host resource state keyed by [`Resource<T>`].
///
/// ```
/// use wit_host::ResourceTable;
/// struct File { name: String }
/// let mut table = ResourceTable::new();
/// let file = table.push(File { name: "a.txt".into() }).unwrap();
/// assert_eq!(table.get(&file).unwrap().name, "a.txt");
/// let file = table.delete(file).unwrap();
/// assert_eq!(file.name, "a.txt");
/// ```
pub struct ResourceTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Live entries.
    len: usize,
    /// The most live entries allowed; pushing more is
    /// [`ResourceTableError::Full`].
    max_capacity: usize,
}

impl Default for ResourceTable {
    fn default() -> Self {
        ResourceTable::with_capacity(0)
    }
}

impl ResourceTable {
    /// An empty table.
    pub fn new() -> ResourceTable {
        ResourceTable::default()
    }

    /// An empty table with room for `capacity` entries before it
    /// reallocates (as much of it as the table can address and memory
    /// allows: a too large `capacity` is not an error, just not reserved).
    ///
    /// ```
    /// let table = wit_host::ResourceTable::with_capacity(16);
    /// assert!(table.is_empty());
    /// ```
    pub fn with_capacity(capacity: usize) -> ResourceTable {
        let mut slots = Vec::new();
        // Reserving is an optimisation; failing to is not an error.
        let _ = slots.try_reserve(capacity.min(MAX_ENTRIES));
        ResourceTable {
            slots,
            free: Vec::new(),
            len: 0,
            max_capacity: DEFAULT_MAX_CAPACITY,
        }
    }

    /// The most entries the table may hold at once; pushing another is
    /// [`ResourceTableError::Full`]. 1,000,000 unless
    /// [`set_max_capacity`](ResourceTable::set_max_capacity) changed it.
    pub fn max_capacity(&self) -> usize {
        self.max_capacity
    }

    /// Sets the most entries the table may hold at once. Entries already
    /// in the table stay, even beyond a lower maximum; only later pushes
    /// are refused. A table never holds more than 2^22 entries (what a
    /// handle's representation can address), whatever the maximum.
    ///
    /// ```
    /// use wit_host::{ResourceTable, ResourceTableError};
    /// let mut table = ResourceTable::new();
    /// table.set_max_capacity(1);
    /// table.push(1u32).unwrap();
    /// assert_eq!(table.push(2u32).err(), Some(ResourceTableError::Full));
    /// ```
    pub fn set_max_capacity(&mut self, max: usize) {
        self.max_capacity = max;
    }

    /// Inserts `value`; returns an owned handle to it.
    pub fn push<T: Send + 'static>(&mut self, value: T) -> Result<Resource<T>, ResourceTableError> {
        self.insert(Box::new(value), None).map(Resource::new_own)
    }

    /// Inserts `value` as a child of `parent`.
    pub fn push_child<T: Send + 'static, U: 'static>(
        &mut self,
        value: T,
        parent: &Resource<U>,
    ) -> Result<Resource<T>, ResourceTableError> {
        let parent_index = self.locate(parent.rep())?;
        let rep = self.insert(Box::new(value), Some(parent_index))?;
        if let Some(e) = self.slots[parent_index as usize].entry.as_mut() {
            e.children.push(rep);
        }
        Ok(Resource::new_own(rep))
    }

    /// The value `handle` names.
    pub fn get<T: 'static>(&self, handle: &Resource<T>) -> Result<&T, ResourceTableError> {
        let index = self.locate(handle.rep())?;
        self.entry(index)?
            .value
            .downcast_ref()
            .ok_or(ResourceTableError::WrongType)
    }

    /// The value `handle` names, mutably.
    pub fn get_mut<T: 'static>(
        &mut self,
        handle: &Resource<T>,
    ) -> Result<&mut T, ResourceTableError> {
        let index = self.locate(handle.rep())?;
        self.slots[index as usize]
            .entry
            .as_mut()
            .ok_or(ResourceTableError::NotPresent)?
            .value
            .downcast_mut()
            .ok_or(ResourceTableError::WrongType)
    }

    /// Removes the value `handle` names and returns it.
    pub fn delete<T: 'static>(&mut self, handle: Resource<T>) -> Result<T, ResourceTableError> {
        let index = self.locate(handle.rep())?;
        let entry = self.entry(index)?;
        if !entry.children.is_empty() {
            return Err(ResourceTableError::HasChildren);
        }
        if !entry.value.is::<T>() {
            return Err(ResourceTableError::WrongType);
        }
        let slot = &mut self.slots[index as usize];
        let entry = slot.entry.take().ok_or(ResourceTableError::NotPresent)?;
        // A slot whose generation would wrap is retired, never reused, so
        // that no stale handle can ever name a later entry.
        if slot.generation < GENERATION_MASK {
            self.free.push(index);
        }
        self.len -= 1;
        if let Some(parent) = entry.parent
            && let Some(p) = self.slots[parent as usize].entry.as_mut()
        {
            p.children.retain(|c| *c != handle.rep());
        }
        entry
            .value
            .downcast()
            .map(|b| *b)
            .map_err(|_| ResourceTableError::WrongType)
    }

    /// The children of `parent`, as `dyn Any` values.
    pub fn iter_children<T: 'static>(
        &self,
        parent: &Resource<T>,
    ) -> Result<impl Iterator<Item = &(dyn Any + Send)>, ResourceTableError> {
        let index = self.locate(parent.rep())?;
        let children = &self.entry(index)?.children;
        Ok(children.iter().filter_map(|rep| {
            let e = self
                .slots
                .get((rep & INDEX_MASK) as usize)?
                .entry
                .as_ref()?;
            Some(&*e.value)
        }))
    }

    /// The value with representation `rep`, whatever its type: for
    /// hosts that record a resource's representation and find it again
    /// later (a WASI pollable watching its parent stream).
    pub fn get_any_mut(&mut self, rep: u32) -> Result<&mut (dyn Any + Send), ResourceTableError> {
        let index = self.locate(rep)?;
        match self.slots[index as usize].entry.as_mut() {
            Some(e) => Ok(&mut *e.value),
            None => Err(ResourceTableError::NotPresent),
        }
    }

    /// Makes `child`, already in the table, a child of `parent`: `parent`
    /// cannot be deleted before `child` is deleted or
    /// [removed](ResourceTable::remove_child) from it. Errors if either is
    /// not in the table, `child` already has a parent, or `child` is
    /// `parent` or one of its ancestors.
    ///
    /// ```
    /// use wit_host::{Resource, ResourceTable, ResourceTableError};
    /// let mut table = ResourceTable::new();
    /// let dir = table.push("dir").unwrap();
    /// let file = table.push("file").unwrap();
    /// let handle = |rep: u32| Resource::<&'static str>::new_borrow(rep);
    /// table.add_child(handle(file.rep()), handle(dir.rep())).unwrap();
    /// assert_eq!(table.delete(handle(dir.rep())).err(), Some(ResourceTableError::HasChildren));
    /// table.remove_child(handle(file.rep()), handle(dir.rep())).unwrap();
    /// table.delete(dir).unwrap();
    /// ```
    pub fn add_child<T: 'static, U: 'static>(
        &mut self,
        child: Resource<T>,
        parent: Resource<U>,
    ) -> Result<(), ResourceTableError> {
        let child_index = self.locate(child.rep())?;
        let parent_index = self.locate(parent.rep())?;
        if self.entry(child_index)?.parent.is_some() {
            return Err(ResourceTableError::HasParent);
        }
        // `child` may not be `parent` or above it. (Parents are kept by
        // slot index, children by representation.)
        let mut ancestor = Some(parent_index);
        while let Some(index) = ancestor {
            if index == child_index {
                return Err(ResourceTableError::WouldCycle);
            }
            ancestor = self.entry(index)?.parent;
        }
        self.entry_mut(child_index)?.parent = Some(parent_index);
        self.entry_mut(parent_index)?.children.push(child.rep());
        Ok(())
    }

    /// Undoes [`add_child`](ResourceTable::add_child) (or
    /// [`push_child`](ResourceTable::push_child)): `child` stays in the
    /// table, with no parent. Errors if either is not in the table or
    /// `child` is not `parent`'s child.
    pub fn remove_child<T: 'static, U: 'static>(
        &mut self,
        child: Resource<T>,
        parent: Resource<U>,
    ) -> Result<(), ResourceTableError> {
        let child_index = self.locate(child.rep())?;
        let parent_index = self.locate(parent.rep())?;
        if self.entry(child_index)?.parent != Some(parent_index) {
            return Err(ResourceTableError::NotChild);
        }
        self.entry_mut(child_index)?.parent = None;
        self.entry_mut(parent_index)?
            .children
            .retain(|c| *c != child.rep());
        Ok(())
    }

    /// For each representation in `map`, in order, the value it names
    /// (or why it names none) with the map's value: mutable access to
    /// several entries at once, as a WASI `poll` needs for its pollables.
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// let mut table = wit_host::ResourceTable::new();
    /// let a = table.push(1u32).unwrap();
    /// let b = table.push(2u32).unwrap();
    /// let map = BTreeMap::from([(a.rep(), "a"), (b.rep(), "b"), (12345, "none")]);
    /// for (value, name) in table.iter_entries(map) {
    ///     match value {
    ///         Ok(v) => *v.downcast_mut::<u32>().unwrap() *= 10,
    ///         Err(e) => assert_eq!(name, "none", "{e}"),
    ///     }
    /// }
    /// assert_eq!(*table.get(&b).unwrap(), 20);
    /// ```
    pub fn iter_entries<'a, V: 'a>(
        &'a mut self,
        map: BTreeMap<u32, V>,
    ) -> impl Iterator<Item = (Result<&'a mut (dyn Any + Send), ResourceTableError>, V)> + 'a {
        let located: Vec<(Result<u32, ResourceTableError>, V)> = map
            .into_iter()
            .map(|(rep, v)| (self.locate(rep), v))
            .collect();
        // One exclusive borrow per slot, each handed out at most once:
        // two representations of one slot cannot both be current.
        let mut entries: Vec<Option<&'a mut Entry>> =
            self.slots.iter_mut().map(|s| s.entry.as_mut()).collect();
        located.into_iter().map(move |(index, v)| {
            let value = index.and_then(|i| {
                entries
                    .get_mut(i as usize)
                    .and_then(Option::take)
                    .map(|e| &mut *e.value)
                    .ok_or(ResourceTableError::NotPresent)
            });
            (value, v)
        })
    }

    /// Every value in the table, mutably, in no particular order.
    ///
    /// ```
    /// let mut table = wit_host::ResourceTable::new();
    /// table.push(1u32).unwrap();
    /// table.push(2u32).unwrap();
    /// let sum: u32 = table.iter_mut().filter_map(|v| v.downcast_mut::<u32>()).map(|v| *v).sum();
    /// assert_eq!(sum, 3);
    /// ```
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut (dyn Any + Send)> {
        self.slots
            .iter_mut()
            .filter_map(|s| s.entry.as_mut())
            .map(|e| &mut *e.value)
    }

    /// Whether the table holds no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// How many entries the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    fn insert(
        &mut self,
        value: Box<dyn Any + Send>,
        parent: Option<u32>,
    ) -> Result<u32, ResourceTableError> {
        if self.len >= self.max_capacity {
            return Err(ResourceTableError::Full);
        }
        let entry = Entry {
            value,
            parent,
            children: Vec::new(),
        };
        let index = match self.free.pop() {
            Some(index) => {
                let slot = &mut self.slots[index as usize];
                slot.generation += 1;
                slot.entry = Some(entry);
                index
            }
            None => {
                let index = u32::try_from(self.slots.len())
                    .ok()
                    .filter(|i| *i <= INDEX_MASK)
                    .ok_or(ResourceTableError::Full)?;
                self.slots.push(Slot {
                    generation: 0,
                    entry: Some(entry),
                });
                index
            }
        };
        self.len += 1;
        Ok(index | (self.slots[index as usize].generation << INDEX_BITS))
    }

    /// The slot index of `rep`, if its generation is current.
    fn locate(&self, rep: u32) -> Result<u32, ResourceTableError> {
        let index = rep & INDEX_MASK;
        let generation = rep >> INDEX_BITS;
        match self.slots.get(index as usize) {
            Some(slot) if slot.generation == generation && slot.entry.is_some() => Ok(index),
            _ => Err(ResourceTableError::NotPresent),
        }
    }

    fn entry_mut(&mut self, index: u32) -> Result<&mut Entry, ResourceTableError> {
        self.slots[index as usize]
            .entry
            .as_mut()
            .ok_or(ResourceTableError::NotPresent)
    }

    fn entry(&self, index: u32) -> Result<&Entry, ResourceTableError> {
        self.slots[index as usize]
            .entry
            .as_ref()
            .ok_or(ResourceTableError::NotPresent)
    }
}

impl fmt::Debug for ResourceTable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceTable")
            .field("entries", &self.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_handles_are_errors_after_the_slot_is_reused() {
        let mut t = ResourceTable::new();
        let a = t.push(1u32).unwrap();
        let stale = Resource::<u32>::new_own(a.rep());
        t.delete(a).unwrap();
        let b = t.push(2u32).unwrap();
        assert_eq!(t.get(&stale), Err(ResourceTableError::NotPresent));
        assert!(t.get_any_mut(stale.rep()).is_err());
        assert!(t.get_any_mut(b.rep()).unwrap().is::<u32>());
        assert_eq!(*t.get(&b).unwrap(), 2);
    }

    #[test]
    fn a_slot_is_retired_before_its_generation_wraps() {
        let mut t = ResourceTable::new();
        let mut seen = std::collections::HashSet::new();
        // Two slots' worth of generations, and more.
        for i in 0..3 * (GENERATION_MASK + 1) {
            let r = t.push(i).unwrap();
            assert!(seen.insert(r.rep()), "representation {:#x} reused", r.rep());
            assert_eq!(t.len(), 1);
            t.delete(r).unwrap();
        }
        assert!(t.is_empty());
        // Every stale handle stays stale.
        for rep in seen {
            assert!(t.get_any_mut(rep).is_err());
        }
    }

    #[test]
    fn a_handle_of_another_type_is_an_error() {
        let mut t = ResourceTable::new();
        let a = t.push(1u32).unwrap();
        let wrong = Resource::<String>::new_own(a.rep());
        assert_eq!(t.get(&wrong).err(), Some(ResourceTableError::WrongType));
    }

    #[test]
    fn parents_outlive_their_children() {
        let mut t = ResourceTable::new();
        let parent = t.push("dir").unwrap();
        let child = t.push_child("file", &parent).unwrap();
        assert_eq!(t.iter_children(&parent).unwrap().count(), 1);
        let parent2 = Resource::<&str>::new_own(parent.rep());
        assert_eq!(
            t.delete(parent2).err(),
            Some(ResourceTableError::HasChildren)
        );
        assert_eq!(t.len(), 2);
        t.delete(child).unwrap();
        t.delete(parent).unwrap();
        assert!(t.is_empty());
    }
}
