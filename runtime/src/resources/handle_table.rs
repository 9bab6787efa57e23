//! A component instance's handle table (CanonicalABI.md, "Handles" and
//! "Table State"): the `i32` handles the guest holds, each an `own` or a
//! `borrow` of one resource, with the lend count of `own` handles.
//!
//! Index 0 is never a valid handle; freed slots are reused through a free
//! list. Every misuse is an error naming the resource type and the index.

use crate::resources::scope::ScopeId;
use crate::{Result, bail};

/// The most slots a handle table has (`Table.MAX_LENGTH` in the spec).
const MAX_LENGTH: u32 = (1 << 28) - 1;

/// One handle.
#[derive(Clone, Debug)]
pub(crate) struct Handle {
    /// The resource's representation (the `i32` its implementation chose).
    pub rep: u32,
    /// The resource type, as a resource index of the instance's component.
    pub resource: u32,
    /// `own` (true) or `borrow` (false).
    pub own: bool,
    /// For `own` handles: how many borrows of it are live in calls.
    pub lends: u32,
    /// For `borrow` handles: the call scope that must see it dropped.
    pub scope: Option<ScopeId>,
}

enum Slot {
    Free { next: u32 },
    Used(Handle),
}

/// The handles of one component instance.
///
/// Slot 0, reserved so that 0 is never a valid handle, is pushed by the
/// first `add`: a table that never holds a handle allocates nothing.
#[derive(Default)]
pub(crate) struct HandleTable {
    slots: Vec<Slot>,
    /// Head of the free list; 0 when empty (slot 0 is never free).
    free: u32,
}

impl HandleTable {
    /// Adds a handle and returns its index.
    pub fn add(&mut self, handle: Handle) -> Result<u32> {
        if self.free != 0 {
            let index = self.free;
            let slot = &mut self.slots[index as usize];
            if let Slot::Free { next } = *slot {
                self.free = next;
            }
            *slot = Slot::Used(handle);
            return Ok(index);
        }
        if self.slots.is_empty() {
            self.slots.push(Slot::Free { next: 0 });
        }
        // The canonical ABI's `Table.MAX_LENGTH`, slot 0 included.
        let index = u32::try_from(self.slots.len())
            .ok()
            .filter(|i| *i < MAX_LENGTH)
            .ok_or_else(|| {
                crate::format_err!(
                    "handle table is full: it holds 2^28 - 1 entries, the canonical ABI's limit"
                )
            })?;
        self.slots.push(Slot::Used(handle));
        Ok(index)
    }

    /// The handle at `index`; `what` names the resource type for messages.
    pub fn get(&self, index: u32, what: &str) -> Result<&Handle> {
        match self.slots.get(index as usize) {
            Some(Slot::Used(h)) if index != 0 => Ok(h),
            _ => bail!("unknown handle index {index} (expected a handle to resource `{what}`)"),
        }
    }

    /// The handle at `index`, mutably.
    pub fn get_mut(&mut self, index: u32, what: &str) -> Result<&mut Handle> {
        match self.slots.get_mut(index as usize) {
            Some(Slot::Used(h)) if index != 0 => Ok(h),
            _ => bail!("unknown handle index {index} (expected a handle to resource `{what}`)"),
        }
    }

    /// Removes the handle at `index` and returns it.
    pub fn remove(&mut self, index: u32, what: &str) -> Result<Handle> {
        self.get(index, what)?;
        let slot = std::mem::replace(
            &mut self.slots[index as usize],
            Slot::Free { next: self.free },
        );
        self.free = index;
        match slot {
            Slot::Used(h) => Ok(h),
            Slot::Free { .. } => bail!("internal: handle slot {index} was free"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn own(rep: u32) -> Handle {
        Handle {
            rep,
            resource: 0,
            own: true,
            lends: 0,
            scope: None,
        }
    }

    #[test]
    fn indices_start_at_one_and_are_reused_after_removal() {
        let mut t = HandleTable::default();
        assert_eq!(t.add(own(10)).unwrap(), 1);
        assert_eq!(t.add(own(20)).unwrap(), 2);
        assert_eq!(t.remove(1, "r").unwrap().rep, 10);
        assert_eq!(t.add(own(30)).unwrap(), 1);
        assert_eq!(t.get(1, "r").unwrap().rep, 30);
    }

    #[test]
    fn zero_and_removed_indices_are_errors_naming_the_resource() {
        let mut t = HandleTable::default();
        let err = t.get(0, "logger").unwrap_err().to_string();
        assert!(
            err.contains("unknown handle index 0") && err.contains("logger"),
            "{err}"
        );
        let i = t.add(own(1)).unwrap();
        t.remove(i, "logger").unwrap();
        assert!(t.remove(i, "logger").is_err());
        assert!(t.get(7, "logger").is_err());
    }
}
