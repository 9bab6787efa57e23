//! Entering a component instance from the host, and lockdown after a trap
//! (CanonicalABI.md: `may_enter_from`, `enter_from`, `leave_to`; Explainer:
//! an instance that traps is locked down).
//!
//! Every way the host runs guest code — calling an export, dropping a
//! resource whose destructor is the guest's, instantiating — goes through
//! [`run`]. It
//!
//! - makes a synchronous instance the store's current one
//!   (`StoreData::current`) until it leaves, when the one entered before
//!   is current again: synchronous entries nest, so whichever synchronous
//!   guest code runs belongs to the current instance (the lowered imports
//!   defined once per `InstancePre` find their instance this way;
//!   asynchronous entries, which a forgotten future can leave open, do
//!   not touch it);
//! - refuses an instance that failed earlier (lockdown: a trap, or an
//!   asynchronous call cancelled midway) or that is already
//!   running. The host always enters from outside, so the spec's entering
//!   set is the callee's instance *and all its ancestors*, which include
//!   the top-level instance the host instantiated: one host entry into a
//!   top-level instance at a time, whichever inner instance it reaches;
//! - on the way out, whatever happened (an error, or a host function
//!   panicking through the guest), clears the running mark, closes every
//!   borrow scope the entry left open (an adapter or import trapped before
//!   closing its own), and, on failure, locks the instance down: its guest
//!   state (allocator, shadow stack, handle tables) may be half-updated.
//!   The store stays usable: other and fresh instances run as before.
//!
//! A failure before the call changed anything in the guest — no guest code
//! ran, no handle was put into a guest table (`StoreData::guest_touches`
//! did not move) — is the host's mistake alone and does not lock the
//! instance: a stale or mistyped handle among the arguments.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

use wasmtime::StoreContextMut;

use crate::resources::scope;
use crate::store::StoreData;
use crate::{Error, Result, Trap};

/// Runs `f` entered into instance state `state` (of this store: the caller
/// checked the store id), as described in the module docs.
#[inline]
pub(crate) fn run<T: 'static, R>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    state: usize,
    f: impl FnOnce(&mut StoreContextMut<'_, StoreData<T>>) -> Result<R>,
) -> Result<R> {
    if store.data().asynchronous {
        return Err(sync_entry_refused());
    }
    let depth = enter(store.data_mut(), state)?;
    let touches = store.data().guest_touches;
    // A host function that panics unwinds through wasmtime (which carries
    // the panic across the guest's frames) and then through here: leave
    // the store consistent before letting it go on.
    let outcome = catch_unwind(AssertUnwindSafe(|| f(store)))
        .map(|result| crate::store::exceptions::contain(&mut *store, result));
    finish(store.data_mut(), state, depth, touches, outcome)
}

/// Leaves instance state `state` (entered at scope depth `depth`, when the
/// store had `touches`) after an entry whose body ended with `outcome`:
/// returns its value or error, or goes on unwinding its panic.
///
/// Always inlined: called, it passed `outcome` through memory and spent
/// as many instructions on the call as on leaving (counted with
/// callgrind on a `func()` export: 43 per call).
#[inline(always)]
pub(crate) fn finish<T, R>(
    data: &mut StoreData<T>,
    state: usize,
    depth: usize,
    touches: u64,
    outcome: std::thread::Result<Result<R>>,
) -> Result<R> {
    match outcome {
        Ok(Ok(value)) => {
            leave(data, state, depth, None);
            Ok(value)
        }
        failed => finish_failed(data, state, depth, touches, failed),
    }
}

/// [`finish`] after an error or a panic (out of the hot path; it handles
/// every outcome, though `finish` only sends it failures).
#[cold]
#[inline(never)]
fn finish_failed<T, R>(
    data: &mut StoreData<T>,
    state: usize,
    depth: usize,
    touches: u64,
    outcome: std::thread::Result<Result<R>>,
) -> Result<R> {
    match outcome {
        Ok(Ok(value)) => {
            leave(data, state, depth, None);
            Ok(value)
        }
        Ok(Err(error)) => {
            // An error found before anything in the guest changed (a
            // handle the host passes is stale, before any moved or any
            // `realloc` ran) is the host's alone.
            let touched = data.guest_touches != touches;
            leave(data, state, depth, touched.then_some(&error));
            Err(error)
        }
        Err(panic) => {
            let error = crate::format_err!("a host function panicked");
            leave(data, state, depth, Some(&error));
            resume_unwind(panic)
        }
    }
}

/// The error of a synchronous entry into an asynchronous store.
#[cold]
pub(crate) fn sync_entry_refused() -> Error {
    crate::format_err!(
        "this store is asynchronous (it instantiated with `instantiate_async`, or yields on \
         epochs or fuel): use the `*_async` entry points, such as `call_async`"
    )
}

/// Checks that instance state `state` may be entered, without entering
/// (for work that must not start when the entry would be refused).
#[inline]
pub(crate) fn check<T>(data: &StoreData<T>, state: usize) -> Result<()> {
    match data.instances.get(state) {
        Some(s) if s.lockdown.is_none() && !s.entered => Ok(()),
        _ => Err(refusal(data, state)),
    }
}

/// Why [`check`] refuses to enter instance state `state` (out of the hot
/// path).
#[cold]
#[inline(never)]
fn refusal<T>(data: &StoreData<T>, state: usize) -> Error {
    let Some(s) = data.instances.get(state) else {
        return crate::format_err!("instance does not exist in this store");
    };
    if let Some(first) = &s.lockdown {
        return cannot_enter(format!(
            "cannot enter component instance: it is locked down after an earlier failure \
             (the first error was: {first}); instantiate the component again to go on"
        ));
    }
    cannot_enter(
        "cannot enter component instance: it is already running (components may not be reentered)"
            .to_string(),
    )
}

/// Marks the instance entered and, when it is synchronous, current;
/// returns the scope depth to restore.
///
/// An asynchronous instance's entry leaves `current` alone: its lowered
/// imports are its own (they never read `current`), and its entry may be
/// forgotten (`mem::forget` of a pending future never leaves), which must
/// not make it current for a synchronous instance's code that runs on.
#[inline]
pub(crate) fn enter<T>(data: &mut StoreData<T>, state: usize) -> Result<usize> {
    check(data, state)?;
    let previous = data.current;
    let s = &mut data.instances[state];
    s.entered = true;
    if !s.asynchronous {
        s.previous = previous;
        data.current = state;
    }
    Ok(data.scopes.len())
}

/// Undoes [`enter`]; `error` locks the instance down.
#[inline]
pub(crate) fn leave<T>(data: &mut StoreData<T>, state: usize, depth: usize, error: Option<&Error>) {
    scope::close_abandoned(data, depth);
    let s = &mut data.instances[state];
    s.entered = false;
    // Synchronous entries nest (each runs inside a call), so the one left
    // is the current one.
    if !s.asynchronous {
        data.current = s.previous;
    }
    if let Some(error) = error
        && s.lockdown.is_none()
    {
        s.lockdown = Some(first_error(error).into_boxed_str());
    }
}

/// The message of `error` to quote in later refusals: its chain without
/// wasmtime's wasm backtrace context.
fn first_error(error: &Error) -> String {
    error
        .chain()
        .map(|cause| cause.to_string())
        .filter(|cause| !cause.starts_with("error while executing at wasm backtrace"))
        .collect::<Vec<_>>()
        .join(": ")
}

/// The error an entry refused for `message` is: a
/// [`Trap::CannotEnterComponent`] (what wasmtime reports) that says why.
fn cannot_enter(message: String) -> Error {
    Error::from(Trap::CannotEnterComponent).context(message)
}
