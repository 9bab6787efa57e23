//! Lowering values into a guest when `realloc` may only be called
//! asynchronously.
//!
//! Lowering (the dynamic `lower_flat`/`store`, the typed `Lower`) calls the
//! guest's `realloc` from the middle of its recursion, synchronously. On an
//! asynchronous store every guest entry must be a wasmtime `call_async`
//! (the guest may yield to the executor on an epoch or fuel), which the
//! recursion cannot await. So asynchronous lowering runs the same lowering
//! code twice:
//!
//! 1. **record**: `realloc` answers from a scratch memory on the host
//!    (bump allocation) and each call's arguments are recorded; writes go
//!    to the scratch memory;
//! 2. the recorded `realloc` calls are made for real, in the same order,
//!    each awaited, each result checked as the spec checks it;
//! 3. **replay**: the lowering runs again over the real memory, and each
//!    `realloc` answers with the next real result (its arguments must be
//!    the recorded ones: lowering is a function of the value alone).
//!
//! A lowering that allocated nothing and wrote nothing (scalars, flat
//! values) is done after the first pass.
//!
//! The guest sees the same `realloc` calls with the same arguments, in the
//! spec's order; the only difference is that its memory is written after
//! the last call rather than between them, which no allocator can observe
//! in the fresh blocks (`old_ptr = 0`) that host lowering asks for.
//!
//! String transcoding into `utf16` and `latin1+utf16` guests also moves a
//! block it already wrote (`realloc(old_ptr, old_size, ..)`, to shrink or
//! grow it). Recording emulates the move in the scratch memory (a copy of
//! the old block's first bytes); the real call names the real old block;
//! and the replay, which writes the old block before the move, makes the
//! copy the guest's `realloc` made in a synchronous call, from the old
//! block to the new one, before writing on. The final memory is the
//! synchronous call's: the old block holds what it would have held when
//! it was released, the new block what the spec writes.

use crate::canon::memory::is_aligned;
use crate::{Result, bail};

/// One recorded `realloc(old_ptr, old_size, align, new_size)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Request {
    /// A move: the earlier request whose block this one moves, and the
    /// `old_size` passed; `None` for `realloc(0, 0, ..)`.
    pub old: Option<(usize, u32)>,
    pub align: u32,
    pub new_size: u32,
}

/// The first pass: what lowering asked of `realloc`, and the scratch
/// memory it wrote into.
pub(crate) struct Recording {
    pub requests: Vec<Request>,
    /// What each request returned in the scratch memory.
    scratch_ptrs: Vec<u32>,
    /// Stands for the guest's memory; the bump allocator's top is its
    /// length.
    pub scratch: Vec<u8>,
    /// Whether lowering wrote to memory (then the replay must write it for
    /// real, even with no `realloc`).
    pub wrote: bool,
}

impl Recording {
    /// A recording over `scratch` (emptied; its capacity is reused).
    pub fn new(mut scratch: Vec<u8>) -> Recording {
        scratch.clear();
        Recording {
            requests: Vec::new(),
            scratch_ptrs: Vec::new(),
            scratch,
            wrote: false,
        }
    }

    /// Whether the first pass's result is final: nothing allocated, nothing
    /// written.
    pub fn is_final(&self) -> bool {
        self.requests.is_empty() && !self.wrote
    }

    /// Records `realloc(old_ptr, old_size, align, new_size)` and answers it
    /// from the scratch memory; a move copies the old block's first bytes.
    pub fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<u32> {
        let old = match old_ptr {
            0 => None,
            _ => {
                let Some(index) = self.scratch_ptrs.iter().rposition(|&p| p == old_ptr) else {
                    bail!("internal: asynchronous lowering moved a block it did not allocate");
                };
                if old_size > self.requests[index].new_size {
                    bail!("internal: asynchronous lowering moved a block larger than it allocated");
                }
                Some((index, old_size))
            }
        };
        let ptr = self.bump(align, new_size)?;
        if old.is_some() {
            // In bounds: the old block was allocated here, `old_size` bytes
            // or more.
            let (from, len) = (old_ptr as usize, old_size.min(new_size) as usize);
            self.scratch.copy_within(from..from + len, ptr as usize);
        }
        self.requests.push(Request {
            old,
            align,
            new_size,
        });
        self.scratch_ptrs.push(ptr);
        Ok(ptr)
    }

    /// A block of `size` bytes aligned to `align` in the scratch memory,
    /// which is not a `realloc` (a return area the guest passed).
    pub fn area(&mut self, align: u32, size: u32) -> Result<u32> {
        self.bump(align, size)
    }

    fn bump(&mut self, align: u32, size: u32) -> Result<u32> {
        let align = align.max(1) as usize;
        // Never hand out 0, which the first pass cannot tell from "none".
        let start = self.scratch.len().max(1).next_multiple_of(align);
        let end = start + size as usize;
        let ptr = u32::try_from(start)
            .ok()
            .filter(|_| end <= u32::MAX as usize)
            .ok_or_else(|| crate::format_err!("lowered values need more than 4 GiB"))?;
        self.scratch.resize(end, 0);
        Ok(ptr)
    }
}

/// The second pass: the real results of the recorded calls, handed out in
/// order.
pub(crate) struct Replay {
    requests: Vec<Request>,
    results: Vec<u32>,
    next: usize,
}

impl Replay {
    /// A replay of `requests`, whose calls returned `results` (fewer when
    /// one returned an unusable pointer: the replay stops there, at the
    /// same check).
    pub fn new(requests: Vec<Request>, results: Vec<u32>) -> Replay {
        Replay {
            requests,
            results,
            next: 0,
        }
    }

    /// The result of the next recorded call, which must be this one. For
    /// a move, also what to copy: `(from, len)`, the old block's first
    /// bytes, which the guest's `realloc` copied in the synchronous call.
    pub fn realloc(
        &mut self,
        old_ptr: u32,
        old_size: u32,
        align: u32,
        new_size: u32,
    ) -> Result<(u32, Option<(u32, u32)>)> {
        let (Some(recorded), Some(&ptr)) =
            (self.requests.get(self.next), self.results.get(self.next))
        else {
            bail!("internal: asynchronous lowering asked for a `realloc` it did not record");
        };
        // The old block, as the real call named it.
        let old = match recorded.old {
            Some((index, size)) => Some((self.results[index], size)),
            None => None,
        };
        let asked = (old_ptr, old_size, align, new_size);
        let expected = match old {
            Some((ptr, size)) => (ptr, size, recorded.align, recorded.new_size),
            None => (0, 0, recorded.align, recorded.new_size),
        };
        if asked != expected {
            bail!(
                "internal: asynchronous lowering replayed realloc{asked:?} where it recorded realloc{expected:?}"
            );
        }
        self.next += 1;
        Ok((ptr, old.map(|(from, size)| (from, size.min(new_size)))))
    }
}

/// Whether a `realloc` result is usable for `request` in a memory of
/// `mem_len` bytes (the checks `Cx::reallocate` makes in the replay).
pub(crate) fn usable(ptr: u32, request: &Request, mem_len: usize) -> bool {
    is_aligned(ptr, request.align) && u64::from(ptr) + u64::from(request.new_size) <= mem_len as u64
}

/// Runs `lower` as described in the module docs, over the guest that
/// `slots` describe in instance state `state`; returns what its last pass
/// returned. The `realloc` calls are awaited `call_async`s, with the
/// instance's may-leave flag cleared as the spec says.
#[cfg(feature = "async")]
pub(crate) async fn lower_async<'a, T: Send + 'static, R>(
    store: &mut wasmtime::StoreContextMut<'a, crate::store::StoreData<T>>,
    state: usize,
    slots: &crate::store::guest::OptionSlots,
    mut lower: impl for<'s> FnMut(crate::store::guest::Guest<'a, 's, T>) -> Result<R>,
) -> Result<R> {
    use crate::store::guest::{Guest, ReallocMode};

    let scratch = std::mem::take(&mut store.data_mut().lowering_scratch);
    let mut recording = Recording::new(scratch);
    let first = lower(Guest::with_mode(
        &mut *store,
        state,
        slots,
        ReallocMode::Record(&mut recording),
    ));
    let done = recording.is_final();
    let Recording {
        requests,
        mut scratch,
        ..
    } = recording;
    // Kept for the next call, unless one call made it large.
    if scratch.capacity() <= MAX_KEPT_SCRATCH {
        scratch.clear();
        store.data_mut().lowering_scratch = scratch;
    }
    let first = first?;
    if done {
        return Ok(first);
    }
    drop(first);
    let results = call_reallocs(store, state, slots, &requests).await?;
    let mut replay = Replay::new(requests, results);
    lower(Guest::with_mode(
        &mut *store,
        state,
        slots,
        ReallocMode::Replay(&mut replay),
    ))
}

/// The most scratch memory a store keeps between asynchronous calls.
#[cfg(feature = "async")]
const MAX_KEPT_SCRATCH: usize = 64 << 10;

/// Makes the recorded `realloc` calls; stops after the first unusable
/// result (the replay reports it where the spec does).
#[cfg(feature = "async")]
async fn call_reallocs<T: Send + 'static>(
    store: &mut wasmtime::StoreContextMut<'_, crate::store::StoreData<T>>,
    state: usize,
    slots: &crate::store::guest::OptionSlots,
    requests: &[Request],
) -> Result<Vec<u32>> {
    use crate::store::may_leave::set_may_leave;
    use wasmtime::Val;

    let (Some(realloc), Some(memory)) = (slots.realloc, slots.memory) else {
        bail!("internal: recorded `realloc` calls without `realloc` or `memory`");
    };
    let mut results = Vec::with_capacity(requests.len());
    for request in requests {
        store.data_mut().touch_guest();
        // CanonicalABI.md, `LiftLowerContext.reallocate`: the guest may not
        // call out of the component while its `realloc` runs.
        let previous = set_may_leave(store, state, slots.instance, false);
        let (old_ptr, old_size) = match request.old {
            Some((index, size)) => (results[index], size),
            None => (0, 0),
        };
        let args = [
            Val::I32(old_ptr as i32),
            Val::I32(old_size as i32),
            Val::I32(request.align as i32),
            Val::I32(request.new_size as i32),
        ];
        let mut out = [Val::I32(0)];
        let called = realloc.call_async(&mut *store, &args, &mut out).await;
        set_may_leave(store, state, slots.instance, previous);
        crate::store::exceptions::contain(&mut *store, called)?;
        let ptr = out[0].i32().unwrap_or(0) as u32;
        results.push(ptr);
        if !usable(ptr, request, memory.data_size(&*store)) {
            break;
        }
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recording_allocates_aligned_nonzero_blocks_in_order() {
        let mut rec = Recording::new(vec![1, 2, 3]);
        assert!(rec.is_final());
        let a = rec.realloc(0, 0, 4, 10).unwrap();
        let b = rec.realloc(0, 0, 8, 0).unwrap();
        assert_eq!((a % 4, b % 8), (0, 0));
        assert!(a > 0 && b >= a + 10);
        assert_eq!(rec.requests.len(), 2);
        assert!(!rec.is_final());
    }

    #[test]
    fn recording_moves_a_block_with_its_first_bytes() {
        let mut rec = Recording::new(Vec::new());
        let a = rec.realloc(0, 0, 2, 8).unwrap();
        rec.scratch[a as usize..a as usize + 8].copy_from_slice(b"abcdefgh");
        let b = rec.realloc(a, 8, 2, 4).unwrap();
        assert_ne!(a, b);
        assert_eq!(&rec.scratch[b as usize..b as usize + 4], b"abcd");
        assert_eq!(rec.requests[1].old, Some((0, 8)));
        // A block it did not hand out, or a larger one, is refused.
        assert!(rec.realloc(b + 1, 4, 2, 8).is_err());
        assert!(rec.realloc(b, 4096, 2, 8192).is_err());
    }

    #[test]
    fn replay_hands_out_results_and_refuses_other_calls() {
        let req = Request {
            old: None,
            align: 1,
            new_size: 5,
        };
        let mut replay = Replay::new(vec![req], vec![64]);
        assert!(replay.realloc(0, 0, 2, 5).is_err());
        assert_eq!(replay.realloc(0, 0, 1, 5).unwrap(), (64, None));
        assert!(replay.realloc(0, 0, 1, 5).is_err());
    }

    #[test]
    fn replay_of_a_move_names_the_real_old_block_and_the_copy() {
        let requests = vec![
            Request {
                old: None,
                align: 2,
                new_size: 8,
            },
            Request {
                old: Some((0, 8)),
                align: 2,
                new_size: 4,
            },
        ];
        let mut replay = Replay::new(requests, vec![100, 200]);
        assert_eq!(replay.realloc(0, 0, 2, 8).unwrap(), (100, None));
        // The old block must be the first call's real result.
        let mut wrong = Replay::new(replay.requests.clone(), vec![100, 200]);
        wrong.next = 1;
        assert!(wrong.realloc(101, 8, 2, 4).is_err());
        assert_eq!(replay.realloc(100, 8, 2, 4).unwrap(), (200, Some((100, 4))));
    }

    #[test]
    fn usable_checks_alignment_and_bounds() {
        let req = Request {
            old: None,
            align: 4,
            new_size: 8,
        };
        assert!(usable(8, &req, 16));
        assert!(!usable(6, &req, 16));
        assert!(!usable(12, &req, 16));
    }
}
