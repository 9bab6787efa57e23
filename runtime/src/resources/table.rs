//! [`ResourceTable`]: where a host keeps the state of its resources.
//!
//! A slab of values of any type, keyed by [`Resource<T>`] handles. The
//! handle's representation packs the slot index and the slot's generation,
//! so a handle to a deleted entry (whose slot may be reused) or to an entry
//! of another type is an error, never another entry's data. Entries can
//! have a parent; a parent cannot be deleted while its children live.

use std::any::Any;
use std::fmt;

use crate::resources::Resource;

/// Bits of a representation that hold the slot index; the rest hold the
/// generation.
const INDEX_BITS: u32 = 22;
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
const GENERATION_MASK: u32 = (1 << (32 - INDEX_BITS)) - 1;

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
        })
    }
}

impl std::error::Error for ResourceTableError {}

struct Entry {
    value: Box<dyn Any + Send>,
    parent: Option<u32>,
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
#[derive(Default)]
pub struct ResourceTable {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// Live entries.
    len: usize,
}

impl ResourceTable {
    /// An empty table.
    pub fn new() -> ResourceTable {
        ResourceTable::default()
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
