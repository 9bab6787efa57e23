//! A fake guest memory for the unit tests: a `Vec<u8>` with a bump allocator.
//!
//! Its `realloc` behaves like the `Heap` of the spec's `run_tests.py`:
//! shrinking keeps the block in place, anything else bumps and copies.
//! Every call is recorded so tests can check the spec's exact sizes.

use wasmtime::{Result, bail};

use crate::canon::layout::align_to;
use crate::canon::memory::{Cx, GuestMemory, StringEncoding};

/// Where the bump allocator starts: low addresses stay free for test data.
pub(crate) const HEAP_START: u32 = 1024;

/// A `Vec<u8>` memory with a recording bump allocator.
pub(crate) struct TestMemory {
    /// The linear memory.
    pub bytes: Vec<u8>,
    /// The next free address of the bump allocator.
    pub next: u32,
    /// Every realloc call: `(old_ptr, old_size, align, new_size)`.
    pub calls: Vec<(u32, u32, u32, u32)>,
    /// When set, realloc returns this instead of allocating.
    pub force_realloc_result: Option<u32>,
}

impl TestMemory {
    /// A zeroed memory of `size` bytes; allocation starts at [`HEAP_START`]
    /// when the memory is big enough, else at 8.
    pub(crate) fn new(size: usize) -> TestMemory {
        let next = if size > 2 * HEAP_START as usize {
            HEAP_START
        } else {
            8
        };
        TestMemory {
            bytes: vec![0; size],
            next,
            calls: Vec::new(),
            force_realloc_result: None,
        }
    }

    /// A context over this memory.
    pub(crate) fn cx(&mut self, encoding: StringEncoding) -> Cx<'_> {
        Cx::new(self, encoding)
    }

    /// Copies `data` to `ptr`.
    pub(crate) fn put(&mut self, ptr: u32, data: &[u8]) {
        let start = ptr as usize;
        self.bytes[start..start + data.len()].copy_from_slice(data);
    }

    /// The `len` bytes at `ptr`.
    pub(crate) fn get(&self, ptr: u32, len: u32) -> &[u8] {
        &self.bytes[ptr as usize..(ptr + len) as usize]
    }
}

impl GuestMemory for TestMemory {
    fn memory(&self) -> Result<&[u8]> {
        Ok(&self.bytes)
    }

    fn memory_mut(&mut self) -> Result<&mut [u8]> {
        Ok(&mut self.bytes)
    }

    fn realloc(&mut self, old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Result<u32> {
        self.calls.push((old_ptr, old_size, align, new_size));
        if let Some(ptr) = self.force_realloc_result {
            return Ok(ptr);
        }
        if old_ptr != 0 && new_size < old_size {
            return Ok(align_to(old_ptr, align));
        }
        let ret = align_to(self.next, align);
        let end = ret as usize + new_size as usize;
        if end > self.bytes.len() {
            bail!("guest trapped: out of memory");
        }
        self.next = end as u32;
        let (src, len) = (old_ptr as usize, old_size as usize);
        self.bytes.copy_within(src..src + len, ret as usize);
        Ok(ret)
    }
}

/// Options without a memory or realloc, as for a function of scalars.
pub(crate) struct NoMemory;

impl GuestMemory for NoMemory {
    fn memory(&self) -> Result<&[u8]> {
        bail!("canonical options have no memory")
    }

    fn memory_mut(&mut self) -> Result<&mut [u8]> {
        bail!("canonical options have no memory")
    }

    fn realloc(&mut self, _: u32, _: u32, _: u32, _: u32) -> Result<u32> {
        bail!("canonical options have no realloc")
    }
}
