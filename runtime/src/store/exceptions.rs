//! Exceptions never cross a component boundary.
//!
//! With the exception-handling proposal, a core module inside a component
//! may `throw`. An exception the guest does not catch ends the guest code
//! the runtime called (an export, a `realloc`, a destructor, a start
//! function), and wasmtime reports it as a [`wasmtime::ThrownException`]
//! error with the exception pending in the store. If a runtime host
//! function returned that error, wasmtime would rethrow the exception into
//! the guest that called it — into another component (a destructor run by
//! `resource.drop`) or across the canonical ABI. The component model says
//! it is a trap instead: [`contain`] turns it into
//! [`Trap::UncaughtException`](crate::Trap), as wasmtime's own component
//! runtime does, and discards the pending exception.

use wasmtime::AsContextMut;

use crate::{Error, Result};

/// `result`, with an uncaught exception of `store`'s guest code turned
/// into the trap `uncaught exception propagated out of component`.
#[inline]
pub(crate) fn contain<R>(store: impl AsContextMut, result: Result<R>) -> Result<R> {
    match result {
        Ok(value) => Ok(value),
        Err(error) => Err(contain_error(store, error)),
    }
}

#[cold]
fn contain_error(mut store: impl AsContextMut, error: Error) -> Error {
    if !error.is::<wasmtime::ThrownException>() {
        return error;
    }
    discard_pending(store.as_context_mut());
    Error::from(crate::Trap::UncaughtException)
}

/// Takes the store's pending exception, unrooting it at once.
#[cfg(feature = "gc")]
fn discard_pending<T>(mut store: wasmtime::StoreContextMut<'_, T>) {
    let mut scope = wasmtime::RootScope::new(&mut store);
    let _ = scope.as_context_mut().take_pending_exception();
}

/// Without GC support no exception can be thrown: nothing to discard.
#[cfg(not(feature = "gc"))]
fn discard_pending<T>(_store: wasmtime::StoreContextMut<'_, T>) {}
