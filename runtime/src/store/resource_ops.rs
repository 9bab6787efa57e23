//! Resource operations on an instance's handle tables: the `resource.new`,
//! `resource.rep` and `resource.drop` intrinsics, the adapters' transfers,
//! destructors, and moving handles between a guest and the host
//! (CanonicalABI.md: `canon_resource_*`, `lift_own`, `lift_borrow`,
//! `lower_own`, `lower_borrow`).

use std::any::Any;
use std::sync::Arc;

use wasmtime::StoreContextMut;

use crate::canon::typecheck::for_each_handle;
use crate::plan::TableInfo;
use crate::resources::handle_table::Handle;
use crate::resources::{HostEntry, Pending, ResourceAny, ResourceType, scope};
use crate::store::HostDtor;
use crate::store::StoreData;
use crate::types::{ResourceRef, Type};
use crate::values::Val;
use crate::{Result, bail};

type Store<'a, 'b, T> = &'a mut StoreContextMut<'b, StoreData<T>>;

/// The table info of `table` in instance state `state`.
fn table_info<T>(data: &StoreData<T>, state: usize, table: u32) -> Result<TableInfo> {
    data.instances[state].component.plan.resources.table(table)
}

/// The run-time resource type of the handles in table `table` of
/// instance state `state`.
pub(crate) fn table_resource_type<T>(
    data: &StoreData<T>,
    state: usize,
    table: u32,
) -> Result<ResourceType> {
    let info = table_info(data, state, table)?;
    data.instances[state]
        .resource_types
        .get(info.resource as usize)
        .cloned()
        .ok_or_else(|| {
            crate::format_err!("internal: resource type {} does not exist", info.resource)
        })
}

/// A name for resource `resource` of instance state `state`, for messages.
fn name<T>(data: &StoreData<T>, state: usize, resource: u32) -> String {
    data.instances[state]
        .component
        .plan
        .resources
        .names
        .get(resource as usize)
        .map(|n| n.to_string())
        .unwrap_or_else(|| format!("resource{resource}"))
}

/// `canon resource.new`: a new `own` handle to `rep` in the table's
/// instance.
pub(crate) fn resource_new<T>(
    store: Store<'_, '_, T>,
    state: usize,
    table: u32,
    rep: u32,
) -> Result<u32> {
    let info = table_info(store.data(), state, table)?;
    check_may_leave(store, state, info, "resource.new")?;
    lower_own(store.data_mut(), state, info, rep)
}

/// CanonicalABI.md, `canon_resource_new` and `canon_resource_drop`:
/// `trap_if(not inst.may_leave)` — not from inside `realloc` or
/// `post-return`.
fn check_may_leave<T>(
    store: Store<'_, '_, T>,
    state: usize,
    info: TableInfo,
    what: &str,
) -> Result<()> {
    if !crate::store::may_leave::may_leave(store, state, info.instance) {
        bail!(
            "cannot leave component instance: the guest called `{what}` while it may not (from inside `realloc` or `post-return`)"
        );
    }
    Ok(())
}

/// Checks that `handle` is of the table's resource type.
fn check_type<T>(
    data: &StoreData<T>,
    state: usize,
    info: TableInfo,
    handle: &Handle,
    index: u32,
) -> Result<()> {
    if handle.resource != info.resource {
        let resources = &data.instances[state].component.plan.resources;
        let kind = |r: u32| match resources.definer(r) {
            Some(_) => "guest-defined",
            None => "host-defined",
        };
        let (expected, found) = (kind(info.resource), kind(handle.resource));
        let different = if expected == found {
            "a different "
        } else {
            ""
        };
        bail!(
            "handle index {index} used with the wrong type, expected {expected} resource but found {different}{found} resource (expected `{}`, found `{}`)",
            name(data, state, info.resource),
            name(data, state, handle.resource)
        );
    }
    Ok(())
}

/// `canon resource.rep`: the representation behind `index`.
pub(crate) fn resource_rep<T>(
    store: Store<'_, '_, T>,
    state: usize,
    table: u32,
    index: u32,
) -> Result<u32> {
    let data = store.data();
    let info = table_info(data, state, table)?;
    let what = name(data, state, info.resource);
    let handle = data.instances[state].handles[info.instance as usize].get(index, &what)?;
    check_type(data, state, info, handle, index)?;
    Ok(handle.rep)
}

/// `canon resource.drop`: removes `index`; for an `own` handle, runs the
/// resource's destructor.
pub(crate) fn resource_drop<T: 'static>(
    store: Store<'_, '_, T>,
    state: usize,
    table: u32,
    index: u32,
) -> Result<()> {
    match take_dropped(store, state, table, index)? {
        Some((resource, rep)) => run_dtor(store, state, resource, rep),
        None => Ok(()),
    }
}

/// The first half of `canon resource.drop`: removes `index`; returns the
/// resource type and representation whose destructor must run (an `own`
/// handle), or `None` (a borrow).
pub(crate) fn take_dropped<T: 'static>(
    store: Store<'_, '_, T>,
    state: usize,
    table: u32,
    index: u32,
) -> Result<Option<(u32, u32)>> {
    let info = table_info(store.data(), state, table)?;
    check_may_leave(store, state, info, "resource.drop")?;
    let data = store.data_mut();
    let what = name(data, state, info.resource);
    let handles = &mut data.instances[state].handles[info.instance as usize];
    let handle = handles.get(index, &what)?;
    if handle.resource != info.resource {
        let handle = handle.clone();
        return check_type(data, state, info, &handle, index).map(|()| None);
    }
    if handle.lends > 0 {
        bail!(
            "cannot remove owned resource while borrowed: handle index {index} of resource `{what}` is lent to {} call(s)",
            handle.lends
        );
    }
    let handle = handles.remove(index, &what)?;
    if handle.own {
        Ok(Some((handle.resource, handle.rep)))
    } else {
        if let Some(scope) = handle.scope {
            scope::borrow_dropped(data, scope);
        }
        Ok(None)
    }
}

/// The destructor of a resource type.
pub(crate) enum Dtor<T: 'static> {
    /// The type has none.
    None,
    /// The guest's (a type defined inside the component).
    Guest(wasmtime::Func),
    /// The host's (an imported type).
    Host(Arc<HostDtor<T>>),
}

/// The destructor of resource type `resource` of instance state `state`.
pub(crate) fn dtor<T: 'static>(
    data: &StoreData<T>,
    state: usize,
    resource: u32,
) -> Result<Dtor<T>> {
    let inst = &data.instances[state];
    let imported = inst.component.plan.resources.imported.len();
    Ok(match (resource as usize).checked_sub(imported) {
        Some(defined) => match inst.dtors.get(defined).copied().flatten() {
            Some(dtor) => Dtor::Guest(dtor),
            None => Dtor::None,
        },
        None => match inst.host_dtors.get(resource as usize).cloned().flatten() {
            Some(dtor) => Dtor::Host(
                dtor.downcast::<Arc<HostDtor<T>>>()
                    .map_err(|_| {
                        crate::format_err!("internal: host destructor of another store type")
                    })?
                    .as_ref()
                    .clone(),
            ),
            None => Dtor::None,
        },
    })
}

/// Runs the destructor of resource type `resource` (of instance state
/// `state`) on `rep`: the guest's, or the host's for imported types.
pub(crate) fn run_dtor<T: 'static>(
    store: Store<'_, '_, T>,
    state: usize,
    resource: u32,
    rep: u32,
) -> Result<()> {
    match dtor(store.data(), state, resource)? {
        Dtor::None => Ok(()),
        Dtor::Guest(dtor) => {
            store.data_mut().touch_guest();
            let called = dtor.call(&mut *store, &[wasmtime::Val::I32(rep as i32)], &mut []);
            crate::store::exceptions::contain(&mut *store, called)
        }
        Dtor::Host(dtor) => run_host_dtor(store, state, resource, &*dtor, rep),
    }
}

/// Runs the host destructor `dtor` of resource type `resource` on `rep`.
pub(crate) fn run_host_dtor<T: 'static>(
    store: Store<'_, '_, T>,
    state: usize,
    resource: u32,
    dtor: &HostDtor<T>,
    rep: u32,
) -> Result<()> {
    let result = match dtor {
        HostDtor::Sync(dtor) => dtor(
            crate::StoreContextMut(wasmtime::AsContextMut::as_context_mut(&mut *store)),
            rep,
        ),
        #[cfg(feature = "async")]
        HostDtor::Async(_) => Err(async_dtor_refused(store.data(), state, resource)),
    };
    host_dtor_failed(store.data(), state, resource, result)
}

/// The error of a synchronous drop of a resource whose host destructor
/// is asynchronous.
#[cfg(feature = "async")]
pub(crate) fn async_dtor_refused<T>(
    data: &StoreData<T>,
    state: usize,
    resource: u32,
) -> crate::Error {
    crate::format_err!(
        "the destructor of resource `{}` is asynchronous (`resource_async`): \
         drop the resource with `resource_drop_async`",
        name(data, state, resource)
    )
}

/// `result` of the host destructor of resource type `resource`, with the
/// resource named on failure.
pub(crate) fn host_dtor_failed<T>(
    data: &StoreData<T>,
    state: usize,
    resource: u32,
    result: Result<()>,
) -> Result<()> {
    result.map_err(|e| {
        e.context(format!(
            "destructor of resource `{}` failed",
            name(data, state, resource)
        ))
    })
}

/// Whether the destructor of resource `resource` of instance state
/// `state` is guest code (the type is defined inside the component).
pub(crate) fn guest_dtor<T>(data: &StoreData<T>, state: usize, resource: u32) -> bool {
    let imported = data.instances[state]
        .component
        .plan
        .resources
        .imported
        .len();
    resource as usize >= imported
}

/// Runs a destructor for the host (a dropped [`ResourceAny`]): a guest's
/// runs as an entry into its instance, refused while the instance runs or
/// after it trapped (spec: `canon_resource_drop` lifts the destructor, and
/// the host enters from outside).
pub(crate) fn run_dtor_from_host<T: 'static>(
    store: Store<'_, '_, T>,
    state: usize,
    resource: u32,
    rep: u32,
) -> Result<()> {
    if guest_dtor(store.data(), state, resource) {
        crate::store::entry::run(store, state, |store| run_dtor(store, state, resource, rep))
    } else {
        run_dtor(store, state, resource, rep)
    }
}

/// The adapters' `resource.transfer-own`: `lift_own` from the source table,
/// `lower_own` into the destination table.
pub(crate) fn transfer_own<T>(
    store: Store<'_, '_, T>,
    state: usize,
    index: u32,
    src: u32,
    dst: u32,
) -> Result<u32> {
    let data = store.data_mut();
    let src = table_info(data, state, src)?;
    let dst = table_info(data, state, dst)?;
    let handle = lift_own(data, state, src, index)?;
    lower_own(data, state, dst, handle.rep)
}

/// `lift_own`: takes an `own` handle out of a table.
fn lift_own<T>(
    data: &mut StoreData<T>,
    state: usize,
    info: TableInfo,
    index: u32,
) -> Result<Handle> {
    let what = name(data, state, info.resource);
    let handle = data.instances[state].handles[info.instance as usize]
        .get(index, &what)?
        .clone();
    check_type(data, state, info, &handle, index)?;
    if !handle.own {
        bail!(
            "handle index {index} of resource `{what}` is a borrow where an own handle is required"
        );
    }
    if handle.lends > 0 {
        bail!(
            "cannot remove owned resource while borrowed: handle index {index} of resource `{what}` is lent to {} call(s)",
            handle.lends
        );
    }
    data.instances[state].handles[info.instance as usize].remove(index, &what)
}

/// `lift_borrow`: the representation behind a handle, lending it to the
/// current call if it is owned.
fn lift_borrow<T>(
    data: &mut StoreData<T>,
    state: usize,
    info: TableInfo,
    index: u32,
) -> Result<u32> {
    let what = name(data, state, info.resource);
    scope::current(data)?;
    let handle = data.instances[state].handles[info.instance as usize].get_mut(index, &what)?;
    let (resource, rep, own) = (handle.resource, handle.rep, handle.own);
    if own {
        handle.lends += 1;
    }
    if resource != info.resource {
        if own {
            handle.lends -= 1;
        }
        let handle = data.instances[state].handles[info.instance as usize]
            .get(index, &what)?
            .clone();
        check_type(data, state, info, &handle, index)?;
    }
    if own {
        scope::current(data)?
            .lenders
            .push((state, info.instance, index));
    }
    Ok(rep)
}

/// `lower_own`: a new owned handle to `rep` in the table `info` names.
fn lower_own<T>(data: &mut StoreData<T>, state: usize, info: TableInfo, rep: u32) -> Result<u32> {
    data.touch_guest();
    data.instances[state].handles[info.instance as usize].add(Handle {
        rep,
        resource: info.resource,
        own: true,
        lends: 0,
        scope: None,
    })
}

/// `lower_borrow`: a handle for `rep` in the destination table, or the
/// representation itself when the destination instance defines the type.
fn lower_borrow<T>(
    data: &mut StoreData<T>,
    state: usize,
    info: TableInfo,
    rep: u32,
) -> Result<u32> {
    let resources = &data.instances[state].component.plan.resources;
    if resources.definer(info.resource) == Some(info.instance) {
        return Ok(rep);
    }
    let id = scope::current_id(data)?;
    data.touch_guest();
    let index = data.instances[state].handles[info.instance as usize].add(Handle {
        rep,
        resource: info.resource,
        own: false,
        lends: 0,
        scope: Some(id),
    })?;
    scope::current(data)?.borrows += 1;
    Ok(index)
}

/// The adapters' `resource.transfer-borrow`.
pub(crate) fn transfer_borrow<T>(
    store: Store<'_, '_, T>,
    state: usize,
    index: u32,
    src: u32,
    dst: u32,
) -> Result<u32> {
    let data = store.data_mut();
    let src = table_info(data, state, src)?;
    let dst = table_info(data, state, dst)?;
    let rep = lift_borrow(data, state, src, index)?;
    lower_borrow(data, state, dst, rep)
}

/// Moves a guest handle read by lifting to the host: an owned handle leaves
/// the guest's table, a borrow is lent for the current call.
pub(crate) fn lift_to_host<T>(
    data: &mut StoreData<T>,
    state: usize,
    pending: Pending,
) -> Result<ResourceAny> {
    let info = table_info(data, state, pending.table)?;
    let ty = data.instances[state].resource_types[info.resource as usize].clone();
    let entry = if pending.own {
        let handle = lift_own(data, state, info, pending.handle)?;
        HostEntry {
            rep: handle.rep,
            ty: ty.clone(),
            own: true,
            dtor: Some((state, info.resource)),
        }
    } else {
        let rep = lift_borrow(data, state, info, pending.handle)?;
        HostEntry {
            rep,
            ty: ty.clone(),
            own: false,
            dtor: None,
        }
    };
    let (index, generation) = data.host_handles.add(entry);
    if !pending.own {
        scope::current(data)?.host_borrows.push((index, generation));
    }
    Ok(ResourceAny::live(
        data.id,
        index,
        generation,
        ty,
        pending.own,
    ))
}

/// Moves a host resource into a guest's table `table`: `own` gives the
/// guest the resource, `borrow` lends it for the current call.
pub(crate) fn lower_from_host<T>(
    data: &mut StoreData<T>,
    state: usize,
    table: u32,
    any: &ResourceAny,
    own: bool,
) -> Result<u32> {
    let info = table_info(data, state, table)?;
    let entry = host_entry(data, state, info, any, own)?;
    if !own {
        let (rep, lent) = (entry.rep, entry.own);
        let handle = lower_borrow(data, state, info, rep)?;
        if lent {
            // The host keeps its `own` handle, lent until the call ends:
            // dropping or moving it meanwhile is an error.
            let key = data.host_handles.lend(data.id, any)?;
            scope::current(data)?.host_lenders.push(key);
        }
        return Ok(handle);
    }
    let entry = data.host_handles.take(data.id, any)?;
    lower_own(data, state, info, entry.rep)
}

/// The host-table entry `any` names, checked as a handle the host passes
/// for table `info`: live, of the type the component expects, and owned
/// where an `own` is expected.
fn host_entry<'d, T>(
    data: &'d StoreData<T>,
    state: usize,
    info: TableInfo,
    any: &ResourceAny,
    own: bool,
) -> Result<&'d HostEntry> {
    let expected = &data.instances[state].resource_types[info.resource as usize];
    let entry = data.host_handles.get(data.id, any)?;
    if entry.ty != *expected {
        bail!(
            "resource type mismatch: expected `{}`, found `{}`",
            expected,
            entry.ty
        );
    }
    if own && !entry.own {
        bail!("a borrowed resource handle cannot be passed where `own<{expected}>` is expected");
    }
    Ok(entry)
}

/// Checks, before a call enters the guest, every resource handle the host
/// passes in `vals` (of types `tys`, checked already): live, of the type
/// the component expects, and, for an `own`, owned and not lent. Lowering
/// checks the same, but halfway through the arguments, after others moved
/// into the guest: a mistake found there locks the instance down, one
/// found here leaves it untouched.
pub(crate) fn check_host_handles<T>(
    data: &StoreData<T>,
    state: usize,
    vals: &[Val],
    tys: &[Type],
) -> Result<()> {
    let mut check = |r: &ResourceRef, own: bool, any: &ResourceAny| -> Result<()> {
        let info = table_info(data, state, r.table())?;
        let entry = host_entry(data, state, info, any, own)?;
        if own && data.host_handles.is_lent(data.id, any)? {
            bail!(
                "resource `{}` cannot be moved while it is borrowed: the host lent it to a call in progress",
                entry.ty
            );
        }
        Ok(())
    };
    vals.iter()
        .zip(tys)
        .try_for_each(|(v, t)| for_each_handle(v, t, &mut check))
}

/// Type-erased host destructor, as kept in an instance state.
pub(crate) type AnyDtor = Arc<dyn Any + Send + Sync>;

/// Checks that table `table` holds handles to resources of type `ty`.
fn check_table_type<T>(
    data: &StoreData<T>,
    state: usize,
    info: TableInfo,
    ty: &ResourceType,
) -> Result<()> {
    let expected = &data.instances[state].resource_types[info.resource as usize];
    if expected != ty {
        bail!("resource type mismatch: the component expects `{expected}`, the host passed `{ty}`");
    }
    Ok(())
}

/// Gives the guest a handle to the host resource `rep` of type `ty`: an
/// owned handle, or a borrow for the current call.
pub(crate) fn lower_host_rep<T>(
    data: &mut StoreData<T>,
    state: usize,
    table: u32,
    ty: &ResourceType,
    rep: u32,
    own: bool,
) -> Result<u32> {
    let info = table_info(data, state, table)?;
    check_table_type(data, state, info, ty)?;
    if !own {
        return lower_borrow(data, state, info, rep);
    }
    lower_own(data, state, info, rep)
}

/// Takes a guest handle to a host resource of type `ty`: the owned handle
/// leaves the guest's table, a borrow is lent for the current call.
pub(crate) fn lift_host_rep<T>(
    data: &mut StoreData<T>,
    state: usize,
    table: u32,
    ty: &ResourceType,
    handle: u32,
    own: bool,
) -> Result<u32> {
    let info = table_info(data, state, table)?;
    check_table_type(data, state, info, ty)?;
    if own {
        Ok(lift_own(data, state, info, handle)?.rep)
    } else {
        lift_borrow(data, state, info, handle)
    }
}
