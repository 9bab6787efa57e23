//! Call scopes for borrowed handles (CanonicalABI.md: `Task.num_borrows`,
//! `add_lender`, and the "borrow handles still remain" trap at task exit).
//!
//! Every call that can carry `borrow`s — a host call into a guest, a guest
//! call to the host, an adapter call between two components — runs inside a
//! scope on the store's stack. Lending an `own` handle raises its lend
//! count until the scope ends; handing a `borrow` handle to a callee raises
//! the scope's borrow count until the callee drops it. Ending a scope with
//! borrows left is a trap.

use crate::store::StoreData;
use crate::{Result, bail};

/// One call's borrow bookkeeping.
#[derive(Default)]
pub(crate) struct CallScope {
    /// `own` handles lent to the callee: (instance state, component
    /// instance, handle index).
    pub lenders: Vec<(usize, u32, u32)>,
    /// `borrow` handles created in the callee's table and not dropped yet.
    pub borrows: u32,
    /// Host-table entries lent to the host for this call only.
    pub host_borrows: Vec<u32>,
}

/// Enters a new scope; returns its index.
pub(crate) fn enter<T>(data: &mut StoreData<T>) -> usize {
    data.scopes.push(CallScope::default());
    data.scopes.len() - 1
}

/// The index of the innermost scope.
pub(crate) fn current<T>(data: &StoreData<T>) -> Result<usize> {
    match data.scopes.len() {
        0 => bail!("internal: borrowing a handle outside of any call"),
        n => Ok(n - 1),
    }
}

/// Ends scope `index` (and any inner scope a trap abandoned): releases the
/// lent handles and the host's borrows, then traps if the callee kept a
/// borrow.
pub(crate) fn exit<T>(data: &mut StoreData<T>, index: usize) -> Result<()> {
    while data.scopes.len() > index + 1 {
        // An inner call trapped before leaving its scope: release what it
        // lent, without judging its borrows.
        let _ = exit_innermost(data);
    }
    exit_innermost(data)
}

/// Ends the innermost scope.
fn exit_innermost<T>(data: &mut StoreData<T>) -> Result<()> {
    let Some(scope) = data.scopes.pop() else {
        bail!("internal: call scope stack underflow");
    };
    for (state, instance, index) in scope.lenders {
        let table = data
            .instances
            .get_mut(state)
            .and_then(|s| s.handles.get_mut(instance as usize));
        if let Some(handle) = table.and_then(|t| t.get_mut(index, "").ok()) {
            handle.lends = handle.lends.saturating_sub(1);
        }
    }
    for entry in scope.host_borrows {
        data.host_handles.remove_borrow(entry);
    }
    if scope.borrows > 0 {
        bail!(
            "borrow handles still remain at the end of the call: the callee must drop every borrowed handle ({} left) before returning",
            scope.borrows
        );
    }
    Ok(())
}
