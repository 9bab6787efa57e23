//! The resource operations that may run a guest's destructor, for
//! asynchronous stores: the destructor is entered with `call_async`
//! (see [`super::resource_ops`] for the operations themselves).

use wasmtime::StoreContextMut;

use crate::Result;
use crate::store::entry_async::{Entered, catching};
use crate::store::resource_ops::{
    Dtor, dtor, guest_dtor, host_dtor_failed, run_host_dtor, take_dropped,
};
use crate::store::{HostDtor, StoreData};

/// `canon resource.drop` on a guest's fiber.
pub(crate) async fn resource_drop<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    table: u32,
    index: u32,
) -> Result<()> {
    match take_dropped(store, state, table, index)? {
        Some((resource, rep)) => run_dtor(store, state, resource, rep).await,
        None => Ok(()),
    }
}

/// Runs the destructor of resource type `resource` of instance state
/// `state` on `rep`, a guest's with `call_async`.
pub(crate) async fn run_dtor<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    resource: u32,
    rep: u32,
) -> Result<()> {
    match dtor(store.data(), state, resource)? {
        Dtor::None => Ok(()),
        Dtor::Guest(dtor) => {
            store.data_mut().touch_guest();
            let args = [wasmtime::Val::I32(rep as i32)];
            let called = dtor.call_async(&mut *store, &args, &mut []).await;
            crate::store::exceptions::contain(&mut *store, called)
        }
        Dtor::Host(dtor) => match &*dtor {
            HostDtor::Async(dtor) => {
                let context = wasmtime::AsContextMut::as_context_mut(&mut *store);
                let result = Box::into_pin(dtor(crate::StoreContextMut(context), rep)).await;
                host_dtor_failed(store.data(), state, resource, result)
            }
            HostDtor::Sync(_) => run_host_dtor(store, state, resource, &dtor, rep),
        },
    }
}

/// Runs a destructor for the host (a [`crate::ResourceAny`] dropped with
/// `resource_drop_async`): a guest's as an asynchronous entry into its
/// instance.
pub(crate) async fn run_dtor_from_host<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    resource: u32,
    rep: u32,
) -> Result<()> {
    if !guest_dtor(store.data(), state, resource) {
        return run_dtor(store, state, resource, rep).await;
    }
    let mut entered = Entered::enter(store, state)?;
    let outcome = catching(run_dtor(entered.store(), state, resource, rep)).await;
    entered.finish(outcome)
}
