//! The contexts typed lifting and lowering run in: the store, the guest's
//! memory and `realloc`, and the string encoding of the canonical options.
//!
//! They wrap the same [`Guest`] the dynamic path uses, so the checks on
//! pointers and on what `realloc` returns are shared with [`crate::canon`].

use crate::Result;
use crate::canon::memory::{slice, slice_mut};
use crate::canon::{Budget, Cx, GuestMemory, StringEncoding};
use crate::store::guest::Guest;

/// Lowering context: writes into a guest.
pub struct LowerCx<'a, 's, T: 'static> {
    pub(crate) guest: Guest<'a, 's, T>,
    pub(crate) encoding: StringEncoding,
}

/// Lifting context: reads out of a guest.
pub struct LiftCx<'a, 's, T: 'static> {
    pub(crate) guest: Guest<'a, 's, T>,
    pub(crate) encoding: StringEncoding,
    /// The host memory this lift may still spend.
    pub(crate) budget: Budget,
}

impl<'a, 's, T: 'static> LowerCx<'a, 's, T> {
    /// The canonical ABI's context over the same guest, to share its code.
    pub(crate) fn canon(&mut self) -> Cx<'_> {
        Cx {
            mem: &mut self.guest,
            encoding: self.encoding,
            // Lowering lifts nothing.
            budget: Budget::new(0),
        }
    }

    /// `cx.allocate`: `realloc(0, 0, align, size)`, with the result checked
    /// (aligned, in bounds).
    pub fn allocate(&mut self, align: u32, size: u32) -> Result<u32> {
        self.canon().allocate(align, size)
    }

    /// The guest's whole memory, writable.
    pub fn memory_mut(&mut self) -> Result<&mut [u8]> {
        self.guest.memory_mut()
    }

    /// The `len` writable bytes at `ptr`.
    #[inline]
    pub fn bytes_mut(&mut self, ptr: u32, len: u32) -> Result<&mut [u8]> {
        slice_mut(self.guest.memory_mut()?, ptr, len.into())
    }

    /// Writes `bytes` at `ptr`.
    #[inline]
    pub fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<()> {
        self.bytes_mut(ptr, bytes.len() as u32)?
            .copy_from_slice(bytes);
        Ok(())
    }
}

impl<'a, 's, T: 'static> LiftCx<'a, 's, T> {
    /// The guest's whole memory.
    pub fn memory(&self) -> Result<&[u8]> {
        self.guest.memory()
    }

    /// The `len` bytes at `ptr`.
    #[inline]
    pub fn bytes(&self, ptr: u32, len: u32) -> Result<&[u8]> {
        slice(self.guest.memory()?, ptr, len.into())
    }

    /// The `N` bytes at `ptr`.
    #[inline]
    pub fn read<const N: usize>(&self, ptr: u32) -> Result<[u8; N]> {
        crate::canon::memory::read(self.guest.memory()?, ptr)
    }

    /// The `string-encoding` option.
    pub(crate) fn encoding(&self) -> StringEncoding {
        self.encoding
    }
}
