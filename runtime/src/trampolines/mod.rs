//! Trampolines: core functions the runtime provides to a component's core
//! modules and adapters (host import lowering, string transcoding between
//! memories, the adapters' trap), created as `wasmtime::Func`s when a core
//! module first imports them.

mod lower_import;
mod resources;
pub(crate) mod transcode;
mod transcode_func;

use wasmtime::{FuncType, StoreContextMut};

use crate::core_values::val_type;
use crate::host::{HostFunc, Resolved};
use crate::plan::{Trampoline, TrampolineKind};
use crate::store::StoreData;
use crate::{Result, bail};

/// The core function type of `trampoline`, registered with `engine`
/// (computed once per component, see `ComponentInner::trampoline_types`).
pub(crate) fn core_type(engine: &crate::Engine, trampoline: &Trampoline) -> FuncType {
    FuncType::new(
        engine,
        trampoline.params.iter().copied().map(val_type),
        trampoline.results.iter().copied().map(val_type),
    )
}

/// Creates the core function for `trampoline` (of core type `ty`) in
/// component instance `instance` of `store`.
pub(crate) fn create<T: 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    instance: usize,
    trampoline: &Trampoline,
    ty: &FuncType,
    imports: &[Resolved<T>],
) -> Result<wasmtime::Func> {
    let ty = ty.clone();
    Ok(match &trampoline.kind {
        TrampolineKind::LowerImport {
            import,
            ty: func_ty,
            options,
        } => {
            let Resolved::Func(host) = &imports[*import as usize] else {
                bail!("internal: lowered import resolved to something else than a function");
            };
            let options =
                store.data().instances[instance].component.plan.options[*options as usize];
            match host {
                HostFunc::Dynamic(host) => lower_import::create(
                    store,
                    ty,
                    instance,
                    func_ty.clone(),
                    options,
                    host.clone(),
                ),
                HostFunc::Typed(host) => host.create(store, ty, instance, options, func_ty.clone()),
            }
        }
        TrampolineKind::Transcode { op, from, to } => {
            transcode_func::create(store, ty, instance, *op, *from, *to)
        }
        TrampolineKind::Trap => wasmtime::Func::new(store, ty, |_caller, args, _results| {
            let code = args.first().and_then(|v| v.i32()).unwrap_or(-1);
            Err(adapter_trap(code))
        }),
        TrampolineKind::ResourceNew { .. }
        | TrampolineKind::ResourceRep { .. }
        | TrampolineKind::ResourceDrop { .. }
        | TrampolineKind::ResourceTransferOwn
        | TrampolineKind::ResourceTransferBorrow
        | TrampolineKind::EnterSyncCall
        | TrampolineKind::ExitSyncCall => resources::create(store, ty, instance, &trampoline.kind),
        TrampolineKind::Unsupported(what) => bail!("not supported yet: {what}"),
    })
}

/// The error for a trap raised by a fused adapter with `code`.
fn adapter_trap(code: i32) -> crate::Error {
    match u8::try_from(code).ok().and_then(wasmtime::Trap::from_u8) {
        Some(trap) => crate::Error::new(trap),
        None => crate::format_err!("adapter trapped with unknown code {code}"),
    }
}
