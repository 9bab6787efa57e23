//! The resource intrinsics as core functions: `resource.new`,
//! `resource.rep`, `resource.drop` (imported by guests), and the transfers
//! and call scopes that fused adapters import.

use wasmtime::{AsContextMut, Caller, StoreContextMut};

use crate::plan::TrampolineKind;
use crate::resources::scope;
use crate::store::StoreData;
use crate::store::resource_ops as ops;
use crate::{Context, Result};

/// The `i32` arguments of a resource intrinsic, as `u32`s.
fn args_u32<const N: usize>(args: &[wasmtime::Val]) -> Result<[u32; N]> {
    let mut out = [0u32; N];
    for (slot, arg) in out.iter_mut().zip(args) {
        *slot = arg
            .i32()
            .context("internal: resource intrinsic argument is not an i32")? as u32;
    }
    Ok(out)
}

pub(super) fn create<T: 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    core_ty: wasmtime::FuncType,
    state: usize,
    kind: &TrampolineKind,
) -> wasmtime::Func {
    let kind = kind.clone();
    wasmtime::Func::new(
        store,
        core_ty,
        move |mut caller: Caller<'_, StoreData<T>>, args, results| {
            let mut store = caller.as_context_mut();
            let store = &mut store;
            let result = match kind {
                TrampolineKind::ResourceNew { table } => {
                    let [rep] = args_u32(args)?;
                    Some(ops::resource_new(store, state, table, rep)?)
                }
                TrampolineKind::ResourceRep { table } => {
                    let [index] = args_u32(args)?;
                    Some(ops::resource_rep(store, state, table, index)?)
                }
                TrampolineKind::ResourceDrop { table } => {
                    let [index] = args_u32(args)?;
                    ops::resource_drop(store, state, table, index)?;
                    None
                }
                TrampolineKind::ResourceTransferOwn => {
                    let [index, src, dst] = args_u32(args)?;
                    Some(ops::transfer_own(store, state, index, src, dst)?)
                }
                TrampolineKind::ResourceTransferBorrow => {
                    let [index, src, dst] = args_u32(args)?;
                    Some(ops::transfer_borrow(store, state, index, src, dst)?)
                }
                TrampolineKind::EnterSyncCall => {
                    scope::enter_adapter(store.data_mut());
                    None
                }
                TrampolineKind::ExitSyncCall => {
                    scope::exit_adapter(store.data_mut())?;
                    None
                }
                _ => crate::bail!("internal: not a resource intrinsic"),
            };
            if let (Some(value), Some(slot)) = (result, results.first_mut()) {
                *slot = wasmtime::Val::I32(value as i32);
            }
            Ok(())
        },
    )
}

/// `resource.drop` in an asynchronously instantiated instance: a guest
/// destructor runs with `call_async`.
#[cfg(feature = "async")]
pub(super) fn create_drop_async<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    core_ty: wasmtime::FuncType,
    state: usize,
    table: u32,
) -> wasmtime::Func {
    wasmtime::Func::new_async(store, core_ty, move |mut caller, args, _results| {
        Box::new(async move {
            let [index] = args_u32(args)?;
            let mut store = caller.as_context_mut();
            crate::store::resource_ops_async::resource_drop(&mut store, state, table, index).await
        })
    })
}
