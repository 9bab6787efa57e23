//! Entering a component instance from an asynchronous host: the same rules
//! as [`super::entry`] (may-enter, lockdown, borrow scopes), for a body
//! that is a future.
//!
//! The one new way out is cancellation: the host drops the future while
//! the guest is suspended (on an epoch or fuel yield, or in an async host
//! function). wasmtime then unwinds the guest's fiber; the instance may be
//! half-way through anything, so it is locked down, exactly as after a
//! trap: every later entry is an error, and the store and its other
//! instances go on.

use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

use wasmtime::StoreContextMut;

use crate::store::StoreData;
use crate::store::entry::{enter, finish, leave};
use crate::{Result, bail};

/// An entry into instance state `state` in progress. Made by
/// [`Entered::enter`]; the body runs on [`Entered::store`] under
/// [`catching`]; [`Entered::finish`] leaves. Dropping it before `finish`
/// (the host dropped the future) leaves the instance locked down.
///
/// (A guard and a plain future rather than one function taking an async
/// closure: the futures of async closures that borrow their argument are
/// not provably `Send` today.)
pub(crate) struct Entered<'x, 'a, T: 'static> {
    store: &'x mut StoreContextMut<'a, StoreData<T>>,
    state: usize,
    depth: usize,
    touches: u64,
    open: bool,
}

impl<'x, 'a, T: 'static> Entered<'x, 'a, T> {
    /// Enters instance state `state`, which must have been instantiated
    /// asynchronously.
    pub fn enter(store: &'x mut StoreContextMut<'a, StoreData<T>>, state: usize) -> Result<Self> {
        check_async(store.data(), state)?;
        let depth = enter(store.data_mut(), state)?;
        let touches = store.data().guest_touches;
        Ok(Entered {
            store,
            state,
            depth,
            touches,
            open: true,
        })
    }

    /// The store, for the body of the entry.
    pub fn store(&mut self) -> &mut StoreContextMut<'a, StoreData<T>> {
        self.store
    }

    /// Leaves after the body ended with `outcome` (see `entry::finish`).
    pub fn finish<R>(mut self, outcome: std::thread::Result<Result<R>>) -> Result<R> {
        self.open = false;
        let outcome =
            outcome.map(|result| crate::store::exceptions::contain(&mut *self.store, result));
        finish(
            self.store.data_mut(),
            self.state,
            self.depth,
            self.touches,
            outcome,
        )
    }
}

/// Runs `body`, catching a panic out of any of its polls (a host
/// function's), for [`Entered::finish`] to leave the store consistent
/// before the panic goes on.
pub(crate) async fn catching<F: Future>(body: F) -> std::thread::Result<F::Output> {
    let mut body = pin!(body);
    poll_fn(
        |cx| match catch_unwind(AssertUnwindSafe(|| body.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Err(panic) => Poll::Ready(Err(panic)),
        },
    )
    .await
}

/// Refuses an instance that was instantiated synchronously (its
/// trampolines would call the guest synchronously from the fiber), and
/// any asynchronous entry while a synchronous instance of the store runs
/// ([`refuse_inside_sync_entry`]).
pub(crate) fn check_async<T>(data: &StoreData<T>, state: usize) -> Result<()> {
    refuse_inside_sync_entry(data)?;
    match data.instances.get(state) {
        Some(s) if !s.asynchronous => bail!(
            "this instance was instantiated synchronously: instantiate the component with \
             `instantiate_async` to call it asynchronously"
        ),
        _ => Ok(()),
    }
}

/// Refuses to start asynchronous work in the store (an asynchronous
/// instantiation or call) from inside a synchronous instance's entry —
/// from one of its host functions: the store would turn asynchronous
/// under a synchronous guest that is still running, and a pending call's
/// future could be forgotten with its entry open.
pub(crate) fn refuse_inside_sync_entry<T>(data: &StoreData<T>) -> Result<()> {
    if data.current != crate::store::NOT_ENTERED {
        bail!(
            "cannot instantiate or call asynchronously in a store while one of its synchronous \
             instances is running (from inside its host function): use another store"
        );
    }
    Ok(())
}

impl<T: 'static> Drop for Entered<'_, '_, T> {
    fn drop(&mut self) {
        if self.open {
            let error = crate::format_err!(
                "a call into the instance was cancelled (its future was dropped) while it ran"
            );
            leave(self.store.data_mut(), self.state, self.depth, Some(&error));
        }
    }
}
