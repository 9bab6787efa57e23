//! Guest memory as the Canonical ABI sees it, and the lifting/lowering context.
//!
//! Mirrors the spec's `LiftLowerContext` (CanonicalABI.md, "Lifting and
//! Lowering Context") for 32-bit memories: [`Cx`] bundles the memory, the
//! `realloc` function and the string encoding of the canonical options.
//! Also home to the bounds and alignment checks every trap message shares.

use std::fmt::Display;

use wasmtime::{Result, bail, format_err};

use crate::canon::Budget;
use crate::resources::{Pending, ResourceAny};

/// The `string-encoding` canonical option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StringEncoding {
    /// `string-encoding=utf8`: lengths in bytes.
    Utf8,
    /// `string-encoding=utf16`: little-endian code units, lengths in code units.
    Utf16,
    /// `string-encoding=latin1+utf16` ("compact UTF-16"): Latin-1 bytes, or
    /// UTF-16 code units when the length carries [`crate::canon::string::UTF16_TAG`].
    Latin1Utf16,
}

/// Guest linear memory and realloc as the ABI sees them.
pub(crate) trait GuestMemory {
    /// The whole linear memory; Err if the canonical options have no memory.
    fn memory(&self) -> Result<&[u8]>;
    /// The whole linear memory, writable; Err if the options have no memory.
    fn memory_mut(&mut self) -> Result<&mut [u8]>;
    /// Calls the guest's `realloc(old_ptr, old_size, align, new_size)` and
    /// returns its raw result (Err if the options have no realloc, or the
    /// guest trapped). The canon code checks the returned pointer (alignment,
    /// bounds) and traps with a clear message.
    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32>;

    /// The length of the guest's own memory, which return areas the guest
    /// passes are checked against (the same as [`GuestMemory::memory`]'s
    /// but while asynchronous lowering records, see
    /// `store::deferred_realloc`).
    fn guest_memory_len(&self) -> Result<usize> {
        Ok(self.memory()?.len())
    }

    /// Where to write a result the guest asked for at `ptr` (a checked
    /// return area of `size` bytes): `ptr`, but while asynchronous
    /// lowering records.
    fn result_area(&mut self, ptr: u32, align: u32, size: u32) -> Result<u32> {
        let _ = (align, size);
        Ok(ptr)
    }

    /// `lift_own` / `lift_borrow`: moves a handle read out of the guest to
    /// the host (an `own` leaves the guest's table, a `borrow` is lent for
    /// the current call).
    fn lift_handle(&mut self, pending: Pending) -> Result<ResourceAny> {
        let _ = pending;
        Err(crate::canon::resources_unsupported())
    }

    /// `lower_own` / `lower_borrow`: gives the guest a handle in its table
    /// of type `table` for the host's resource `any`.
    fn lower_handle(&mut self, table: u32, any: &ResourceAny, own: bool) -> Result<u32> {
        let _ = (table, any, own);
        Err(crate::canon::resources_unsupported())
    }
}

/// Everything lifting and lowering needs: memory access and the options.
pub(crate) struct Cx<'a> {
    /// Memory and `realloc` of the canonical options.
    pub mem: &'a mut dyn GuestMemory,
    /// The `string-encoding` option.
    pub encoding: StringEncoding,
    /// The host memory lifting may still spend.
    pub budget: Budget,
}

/// A read-only view for loading: the memory, fetched once, the encoding,
/// and the budget lifting charges.
#[derive(Clone, Copy)]
pub(crate) struct LoadCx<'m> {
    /// The whole linear memory.
    pub mem: &'m [u8],
    /// The `string-encoding` option.
    pub encoding: StringEncoding,
    /// The host memory lifting may still spend.
    pub budget: &'m Budget,
}

impl<'a> Cx<'a> {
    /// A context over `mem` with the given string encoding.
    #[cfg(test)]
    pub(crate) fn new(mem: &'a mut dyn GuestMemory, encoding: StringEncoding) -> Cx<'a> {
        Cx {
            mem,
            encoding,
            budget: Budget::default(),
        }
    }

    /// The read-only view used by the load functions.
    pub(crate) fn load_cx(&self) -> Result<LoadCx<'_>> {
        Ok(LoadCx {
            mem: self.mem.memory()?,
            encoding: self.encoding,
            budget: &self.budget,
        })
    }

    /// The spec's `cx.reallocate` followed by the checks every caller makes
    /// on the result: aligned to `align` and `new_size` bytes in bounds.
    /// (Where the spec omits the alignment check, `align` is 1.)
    pub(crate) fn reallocate(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<u32> {
        let ptr = self.mem.realloc(old_ptr, old_size, align, new_size)?;
        check_realloc_result(ptr, align, new_size, self.mem.memory()?.len())?;
        Ok(ptr)
    }

    /// The spec's `cx.allocate`: `realloc(0, 0, align, size)`, checked.
    pub(crate) fn allocate(&mut self, align: u32, size: u32) -> Result<u32> {
        self.reallocate(0, 0, align, size)
    }

    /// Writes `bytes` at `ptr` (the spec's `store_int` and slice stores).
    pub(crate) fn write(&mut self, ptr: u32, bytes: &[u8]) -> Result<()> {
        write_bytes(self.mem.memory_mut()?, ptr, bytes)
    }
}

/// The checks on what `realloc` returned for `new_size` bytes aligned to
/// `align`, in a memory of `mem_len` bytes: aligned, and in bounds.
#[inline]
pub(crate) fn check_realloc_result(
    ptr: u32,
    align: u32,
    new_size: u32,
    mem_len: usize,
) -> Result<()> {
    if !is_aligned(ptr, align) {
        bail!(
            "realloc return: result not aligned: realloc returned pointer {ptr:#x}, which is \
             not a multiple of the alignment {align}"
        );
    }
    if u64::from(ptr) + u64::from(new_size) > mem_len as u64 {
        bail!(
            "realloc return: beyond end of memory: realloc returned pointer {ptr:#x} for {new_size} bytes \
             (memory is {mem_len} bytes)"
        );
    }
    Ok(())
}

/// `ptr == align_to(ptr, align)`.
pub(crate) fn is_aligned(ptr: u32, align: u32) -> bool {
    ptr.is_multiple_of(align)
}

/// Traps unless `ptr` is a multiple of `align`; `what` names the value.
#[inline]
pub(crate) fn check_align(ptr: u32, align: u32, what: impl Display) -> Result<()> {
    if is_aligned(ptr, align) {
        Ok(())
    } else {
        Err(unaligned(ptr, align, what))
    }
}

/// The error of [`check_align`] (out of line: the check's callers are on
/// the call path, and would otherwise prepare its arguments every time).
#[cold]
#[inline(never)]
fn unaligned(ptr: u32, align: u32, what: impl Display) -> crate::Error {
    format_err!("unaligned pointer {ptr:#x} for {what} (alignment {align})")
}

/// Traps unless `len` bytes at `ptr` lie inside a memory of `mem_len` bytes.
#[inline]
pub(crate) fn check_range(mem_len: usize, ptr: u32, len: u64, what: impl Display) -> Result<()> {
    if u64::from(ptr) + len > mem_len as u64 {
        return Err(range_exceeds(mem_len, ptr, len, what));
    }
    Ok(())
}

/// The error of [`check_range`] (out of line, as [`unaligned`]).
#[cold]
#[inline(never)]
fn range_exceeds(mem_len: usize, ptr: u32, len: u64, what: impl Display) -> crate::Error {
    format_err!(
        "pointer out of bounds: {what} at {ptr:#x} of {len} bytes exceeds memory of \
         {mem_len} bytes"
    )
}

/// `ptr + offset`, or an error if it leaves the 32-bit address space.
pub(crate) fn offset(ptr: u32, offset: u32) -> Result<u32> {
    ptr.checked_add(offset)
        .ok_or_else(|| format_err!("pointer overflow: {ptr:#x} + {offset:#x}"))
}

/// The `len` bytes at `ptr`; an error (never a panic) when out of bounds.
#[inline]
pub(crate) fn slice(mem: &[u8], ptr: u32, len: u64) -> Result<&[u8]> {
    let end = u64::from(ptr) + len;
    usize::try_from(end)
        .ok()
        .and_then(|end| mem.get(ptr as usize..end))
        .ok_or_else(|| out_of_bounds(mem.len(), ptr, len))
}

/// The `len` writable bytes at `ptr`; an error when out of bounds.
#[inline]
pub(crate) fn slice_mut(mem: &mut [u8], ptr: u32, len: u64) -> Result<&mut [u8]> {
    let mem_len = mem.len();
    let end = u64::from(ptr) + len;
    usize::try_from(end)
        .ok()
        .and_then(|end| mem.get_mut(ptr as usize..end))
        .ok_or_else(|| out_of_bounds(mem_len, ptr, len))
}

/// The `N` bytes at `ptr` (the spec's `load_int` before decoding).
#[inline]
pub(crate) fn read<const N: usize>(mem: &[u8], ptr: u32) -> Result<[u8; N]> {
    // `slice` compares the range's end with the memory's length once; the
    // slice it returns is `N` long, which the compiler sees, so the
    // conversion below checks nothing more.
    let bytes = slice(mem, ptr, N as u64)?;
    <[u8; N]>::try_from(bytes).map_err(|_| out_of_bounds(mem.len(), ptr, N as u64))
}

/// A little-endian `u32` at `ptr`.
pub(crate) fn read_u32(mem: &[u8], ptr: u32) -> Result<u32> {
    Ok(u32::from_le_bytes(read(mem, ptr)?))
}

/// Writes `bytes` at `ptr` of `mem`.
pub(crate) fn write_bytes(mem: &mut [u8], ptr: u32, bytes: &[u8]) -> Result<()> {
    slice_mut(mem, ptr, bytes.len() as u64)?.copy_from_slice(bytes);
    Ok(())
}

/// The fallback error of the raw accessors; the ABI checks ranges first, so
/// guests normally see the more precise messages of [`check_range`].
#[cold]
pub(crate) fn out_of_bounds(mem_len: usize, ptr: u32, len: u64) -> wasmtime::Error {
    format_err!("pointer out of bounds: {len} bytes at {ptr:#x} exceed memory of {mem_len} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::canon::test_memory::TestMemory;

    #[test]
    fn reallocate_rejects_misaligned_result() {
        let mut mem = TestMemory::new(64);
        mem.force_realloc_result = Some(3);
        let mut cx = Cx::new(&mut mem, StringEncoding::Utf8);
        let err = cx.allocate(8, 4).unwrap_err().to_string();
        assert_eq!(
            err,
            "realloc return: result not aligned: realloc returned pointer 0x3, which is not a multiple of the alignment 8"
        );
    }

    #[test]
    fn reallocate_rejects_out_of_bounds_result() {
        let mut mem = TestMemory::new(64);
        mem.force_realloc_result = Some(60);
        let mut cx = Cx::new(&mut mem, StringEncoding::Utf8);
        let err = cx.allocate(4, 8).unwrap_err().to_string();
        assert_eq!(
            err,
            "realloc return: beyond end of memory: realloc returned pointer 0x3c for 8 bytes (memory is 64 bytes)"
        );
    }

    #[test]
    fn reallocate_passes_guest_errors_through() {
        let mut mem = TestMemory::new(16);
        let mut cx = Cx::new(&mut mem, StringEncoding::Utf8);
        let err = cx.allocate(1, 1000).unwrap_err().to_string();
        assert!(err.contains("out of memory"), "{err}");
    }

    #[test]
    fn raw_read_out_of_bounds_is_an_error() {
        let mem = [0u8; 4];
        assert!(read_u32(&mem, 1).is_err());
        assert!(read_u32(&mem, u32::MAX).is_err());
        assert_eq!(read_u32(&mem, 0).unwrap(), 0);
    }

    #[test]
    fn check_range_names_the_value() {
        let err = check_range(65536, 0x10000, 12, "string")
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "pointer out of bounds: string at 0x10000 of 12 bytes exceeds memory of 65536 bytes"
        );
    }

    #[test]
    fn offset_overflow_is_an_error() {
        assert!(offset(u32::MAX, 1).is_err());
        assert_eq!(offset(4, 4).unwrap(), 8);
    }
}
