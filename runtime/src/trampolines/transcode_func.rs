//! The core functions that run a string transcoder between two memories
//! of one instance (see [`super::transcode`] for the transcoding itself).

use wasmtime::{AsContextMut, Caller, StoreContextMut};

use super::transcode::{TranscodeOp, transcode, transcode_in_place};
use crate::store::StoreData;
use crate::{Context, Result};

pub(super) fn create<T: 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    core_ty: wasmtime::FuncType,
    instance: usize,
    op: TranscodeOp,
    from: u32,
    to: u32,
) -> wasmtime::Func {
    // Which results are i64 (a length into a 64-bit memory); a transcoder
    // returns at most two. Kept in the closure: no allocation per instance.
    let mut results64 = [false; 2];
    for (wide, ty) in results64.iter_mut().zip(core_ty.results()) {
        *wide = matches!(ty, wasmtime::ValType::I64);
    }
    wasmtime::Func::new(store, core_ty, move |caller, args, results| {
        call(
            caller,
            instance,
            op,
            (from as usize, to as usize),
            args,
            (results, &results64),
        )
    })
}

fn call<T: 'static>(
    mut caller: Caller<'_, StoreData<T>>,
    instance: usize,
    op: TranscodeOp,
    (from, to): (usize, usize),
    args: &[wasmtime::Val],
    (results, results64): (&mut [wasmtime::Val], &[bool]),
) -> Result<()> {
    let state = &caller.data().instances[instance];
    let from_mem = state.memories[from].context("internal: transcoder source memory missing")?;
    let to_mem = state.memories[to].context("internal: transcoder destination memory missing")?;
    // Pointers and lengths into a 32-bit memory are i32, into a 64-bit
    // memory i64 (the adapter's core signature says which).
    let args = args
        .iter()
        .map(|a| match *a {
            wasmtime::Val::I32(x) => Some(u64::from(x as u32)),
            wasmtime::Val::I64(x) => Some(x as u64),
            _ => None,
        })
        .collect::<Option<Vec<u64>>>()
        .context("internal: transcoder argument is not an integer")?;
    let mut store = caller.as_context_mut();
    // Two slots may name the same memory (one memory shared by two inner
    // instances); compare the memories themselves.
    let same = from == to || from_mem.data_ptr(&store) == to_mem.data_ptr(&store);
    let out = if same {
        transcode_in_place(op, &args, from_mem.data_mut(&mut store))
    } else {
        let from_len = from_mem.data_size(&store);
        let from_ptr = from_mem.data_ptr(&store);
        let to_len = to_mem.data_size(&store);
        let to_ptr = to_mem.data_ptr(&store);
        // Two slices at once avoid copying the source string out first.
        // `from` and `to` are distinct memories (checked above by their
        // base addresses), and wasmtime gives each linear memory its own
        // allocation.
        // SAFETY: so the slices do not overlap; both pointers are valid for
        // their current sizes, and no wasm code runs (so neither memory can
        // grow or be freed) while the slices live.
        let (src, dst) = unsafe {
            (
                std::slice::from_raw_parts(from_ptr, from_len),
                std::slice::from_raw_parts_mut(to_ptr, to_len),
            )
        };
        transcode(op, &args, src, dst)
    }
    .with_context(|| format!("string transcoding ({}) failed", op.desc()))?;
    for ((slot, v), wide) in results.iter_mut().zip(out).zip(results64.iter().copied()) {
        *slot = if wide {
            wasmtime::Val::I64(v as i64)
        } else {
            wasmtime::Val::I32(
                u32::try_from(v).context("internal: transcoder result overflows i32")? as i32,
            )
        };
    }
    Ok(())
}
