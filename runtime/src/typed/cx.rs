//! The contexts typed lifting and lowering run in: the store, the guest's
//! memory and `realloc`, and the string encoding of the canonical options.
//!
//! They wrap the same [`Guest`] the dynamic path uses, so the checks on
//! pointers and on what `realloc` returns are shared with [`crate::canon`].

use std::marker::PhantomData;

use wasmtime::Memory;

use crate::canon::memory::{check_realloc_result, read, slice, slice_mut};
use crate::canon::{Budget, Cx, GuestMemory, StringEncoding};
use crate::store::StoreData;
use crate::store::guest::{Guest, OptionSlots};
use crate::typed::internal::split_ptr_len;
use crate::{Result, bail};

/// Lowering context: writes into a guest.
pub struct LowerCx<'a, 's, T: 'static> {
    pub(crate) guest: Guest<'a, 's, T>,
    pub(crate) encoding: StringEncoding,
}

/// Lifting context: reads out of a guest.
///
/// Lifting runs no guest code, so the memory cannot grow or move while it
/// lasts: the context fetches the memory's bytes once, beside the store's
/// data (for handle tables), and every read is a plain bounds-checked
/// slice of them.
pub struct LiftCx<'a, 's, T: 'static> {
    /// The guest's whole memory (empty when the options name none).
    pub(crate) mem: &'s [u8],
    /// The memory the options name, if any.
    pub(crate) memory: Option<Memory>,
    /// The store's data: instance states and handle tables.
    pub(crate) data: &'s mut StoreData<T>,
    /// The instance state the options belong to.
    pub(crate) state: usize,
    /// The component instance the options belong to.
    pub(crate) instance: u32,
    pub(crate) encoding: StringEncoding,
    /// The host memory this lift may still spend.
    pub(crate) budget: Budget,
    _store: PhantomData<&'s mut wasmtime::StoreContextMut<'a, StoreData<T>>>,
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
    #[inline]
    pub fn allocate(&mut self, align: u32, size: u32) -> Result<u32> {
        self.allocate_bytes(align, size).map(|(ptr, _)| ptr)
    }

    /// [`allocate`](Self::allocate) `size` bytes, and those bytes,
    /// writable: the guest's memory is fetched once, for the check of
    /// `realloc`'s result and for the write that follows.
    #[inline]
    pub(crate) fn allocate_bytes(&mut self, align: u32, size: u32) -> Result<(u32, &mut [u8])> {
        let ptr = self.guest.realloc(0, 0, align, size)?;
        let mem = self.guest.memory_mut()?;
        check_realloc_result(ptr, align, size, mem.len())?;
        Ok((ptr, slice_mut(mem, ptr, size.into())?))
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

    /// Writes the pointer and length of a string, list or map at `ptr`.
    #[inline]
    pub(crate) fn write_ptr_len(&mut self, ptr: u32, (data, len): (u32, u32)) -> Result<()> {
        let mut pair = [0u8; 8];
        pair[..4].copy_from_slice(&data.to_le_bytes());
        pair[4..].copy_from_slice(&len.to_le_bytes());
        self.write(ptr, &pair)
    }
}

impl<'a, 's, T: 'static> LiftCx<'a, 's, T> {
    /// A lifting context over `store` for instance state `state` and the
    /// memory named by `slots`.
    #[inline]
    pub(crate) fn new(
        store: &'s mut wasmtime::StoreContextMut<'a, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        encoding: StringEncoding,
    ) -> Self {
        let budget = Budget::new(store.data().lift_budget);
        let (mem, data): (&'s [u8], _) = match slots.memory {
            Some(memory) => {
                let (mem, data) = memory.data_and_store_mut(store);
                (mem, data)
            }
            None => (&[], store.data_mut()),
        };
        LiftCx {
            mem,
            memory: slots.memory,
            data,
            state,
            instance: slots.instance,
            encoding,
            budget,
            _store: PhantomData,
        }
    }

    /// The guest's whole memory, for as long as the store stays borrowed
    /// (`'s`): no guest code can run and the memory cannot grow or move
    /// while it does.
    #[inline]
    pub fn memory(&self) -> Result<&'s [u8]> {
        if self.memory.is_none() {
            bail!("the function's canonical options have no `memory`");
        }
        Ok(self.mem)
    }

    /// The `len` bytes at `ptr`, for as long as the store stays borrowed
    /// (so they can be read while the context lifts what they hold).
    #[inline]
    pub fn bytes(&self, ptr: u32, len: u32) -> Result<&'s [u8]> {
        self.bytes_u64(ptr, len.into())
    }

    /// The window of a value of `size` bytes at `ptr` (what
    /// [`Lift::load_from`](super::Lift::load_from) takes): its bytes,
    /// range-checked once, or none for a value that occupies no memory
    /// (which needs neither a memory nor a range check).
    #[inline]
    pub(crate) fn window(&self, ptr: u32, size: u32) -> Result<&'s [u8]> {
        if size == 0 {
            Ok(&[])
        } else {
            self.bytes(ptr, size)
        }
    }

    /// [`bytes`](Self::bytes) of a length that may not fit 32 bits (a
    /// list's).
    #[inline]
    pub(crate) fn bytes_u64(&self, ptr: u32, len: u64) -> Result<&'s [u8]> {
        slice(self.memory()?, ptr, len)
    }

    /// The `N` bytes at `ptr`.
    #[inline]
    pub fn read<const N: usize>(&self, ptr: u32) -> Result<[u8; N]> {
        read(self.memory()?, ptr)
    }

    /// The pointer and length of a string, list or map stored at `ptr`.
    #[inline]
    pub(crate) fn read_ptr_len(&self, ptr: u32) -> Result<(u32, u32)> {
        self.read(ptr).map(split_ptr_len)
    }

    /// The `string-encoding` option.
    pub(crate) fn encoding(&self) -> StringEncoding {
        self.encoding
    }
}
