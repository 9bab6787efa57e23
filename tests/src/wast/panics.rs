//! Turning panics inside a directive into failures.
//!
//! A panic in the runtime under test (an unfinished `todo!()`, a bug) must
//! not end the run: [`catch`] runs a closure, and if it panics, returns the
//! panic's message and location as an error. While a closure runs under
//! [`catch`] on a thread, the default panic output is suppressed on that
//! thread (the message goes into the failure instead); other threads keep
//! the previous panic hook.

use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// Whether this thread is inside [`catch`].
    static CATCHING: Cell<bool> = const { Cell::new(false) };
    /// The last panic message seen on this thread while catching.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once per process) a panic hook that records the message on
/// catching threads and defers to the previous hook elsewhere.
fn install_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CATCHING.with(Cell::get) {
                let text = info.to_string().replace('\n', " ");
                LAST_PANIC.with(|last| *last.borrow_mut() = Some(text));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs `f`; a panic becomes `Err` with the panic's message and location.
///
/// The closure is treated as unwind-safe: after a panic the caller must not
/// rely on the state `f` was mutating being consistent (the runner only
/// reports it and moves on).
pub fn catch<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let outer = CATCHING.with(|c| c.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(outer));
    result.map_err(|payload| {
        let recorded = LAST_PANIC.with(|last| last.borrow_mut().take());
        recorded.unwrap_or_else(|| {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic payload".to_string());
            format!("panicked: {message}")
        })
    })
}
