//! Trampolines: core functions the runtime provides to a component's core
//! modules and adapters (host import lowering, string transcoding between
//! memories, the adapters' trap), created as `wasmtime::Func`s when a core
//! module first imports them — except the lowered host imports of
//! synchronous instances, defined once per `InstancePre` ([`host_funcs`]).

pub(crate) mod host_funcs;
mod lower_import;
mod resources;
pub(crate) mod transcode;
mod transcode_func;

use std::sync::Arc;

use wasmtime::{FuncType, StoreContextMut};

use crate::core_values::val_type;
use crate::host::{HostFunc, Resolved};
use crate::plan::{Plan, Trampoline, TrampolineKind};
use crate::store::StoreData;
use crate::typed::host_func::TypedTrampoline;
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

/// A lowered host import, prepared once per `InstancePre`: what its core
/// function needs that does not depend on the store or the instance.
pub(crate) enum Prepared<T: 'static> {
    /// A host function taking [`crate::Val`]s.
    Dynamic(Arc<lower_import::Lowered<T>>),
    /// A typed host function.
    Typed(Arc<dyn TypedTrampoline<T>>),
}

/// Prepares every `canon lower` of a host import in `plan`, by trampoline
/// index (`None` for the other trampolines, which need nothing prepared).
pub(crate) fn prepare<T: 'static>(
    plan: &Plan,
    imports: &[Resolved<T>],
) -> Result<Vec<Option<Prepared<T>>>> {
    plan.trampolines
        .iter()
        .map(|trampoline| {
            let TrampolineKind::LowerImport {
                import,
                ty,
                options,
            } = &trampoline.kind
            else {
                return Ok(None);
            };
            let Some(Resolved::Func(host)) = imports.get(*import as usize) else {
                bail!("internal: lowered import resolved to something else than a function");
            };
            let options = plan.options[*options as usize];
            Ok(Some(match host {
                HostFunc::Dynamic(host) => Prepared::Dynamic(lower_import::prepare(
                    ty.clone(),
                    options,
                    lower_import::DynamicHost::Sync(host.clone()),
                )),
                #[cfg(feature = "async")]
                HostFunc::DynamicAsync(host) => Prepared::Dynamic(lower_import::prepare(
                    ty.clone(),
                    options,
                    lower_import::DynamicHost::Async(host.clone()),
                )),
                HostFunc::Typed(host) => Prepared::Typed(host.prepare(options, ty)),
            }))
        })
        .collect()
}

/// How an asynchronously instantiated instance creates the trampolines
/// that enter the guest or the host asynchronously ([`create_async`] for
/// the store's `T`, which is `Send` there): a function pointer, so that
/// [`create`] needs no `T: Send` of its own.
pub(crate) type CreateAsync<T> = fn(
    &mut StoreContextMut<'_, StoreData<T>>,
    usize,
    &Trampoline,
    &FuncType,
    Option<&Prepared<T>>,
) -> Result<Option<wasmtime::Func>>;

/// The core function of `trampoline` in an asynchronously instantiated
/// instance, when it differs from the synchronous one: a lowered host
/// import (it may await the host, and calls `realloc` asynchronously) and
/// `resource.drop` (it may run a guest destructor). `None` for the others.
#[cfg(feature = "async")]
pub(crate) fn create_async<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    instance: usize,
    trampoline: &Trampoline,
    ty: &FuncType,
    prepared: Option<&Prepared<T>>,
) -> Result<Option<wasmtime::Func>> {
    Ok(match (&trampoline.kind, prepared) {
        (TrampolineKind::LowerImport { .. }, Some(Prepared::Dynamic(lowered))) => Some(
            lower_import::create_async(store, ty.clone(), instance, lowered),
        ),
        (TrampolineKind::LowerImport { .. }, Some(Prepared::Typed(lowered))) => {
            Some(lowered.clone().create_async(store, ty.clone(), instance))
        }
        (TrampolineKind::ResourceDrop { table }, _) => Some(resources::create_drop_async(
            store,
            ty.clone(),
            instance,
            *table,
        )),
        _ => None,
    })
}

/// Creates the core function for `trampoline` (of core type `ty`, with
/// what [`prepare`] made of it) in component instance `instance` of
/// `store`; `create_async` is set for an asynchronously instantiated
/// instance.
pub(crate) fn create<T: 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    instance: usize,
    trampoline: &Trampoline,
    ty: &FuncType,
    prepared: Option<&Prepared<T>>,
    create_async: Option<CreateAsync<T>>,
) -> Result<wasmtime::Func> {
    if let Some(create_async) = create_async
        && let Some(func) = create_async(store, instance, trampoline, ty, prepared)?
    {
        return Ok(func);
    }
    let ty = ty.clone();
    Ok(match &trampoline.kind {
        // Synchronous instances take these from `host_funcs`, defined
        // once per `InstancePre`; asynchronous ones from `create_async`.
        TrampolineKind::LowerImport { .. } => {
            bail!("internal: lowered import not defined for this instance")
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
