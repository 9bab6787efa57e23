//! Call scopes for borrowed handles (CanonicalABI.md: `Task.num_borrows`,
//! `add_lender`, and the "borrow handles still remain" trap at task exit).
//!
//! Every call that can carry `borrow`s — a host call into a guest, a guest
//! call to the host, an adapter call between two components — runs inside a
//! scope on the store's stack. Lending an `own` handle (a guest's, or one
//! the host holds) raises its lend count until the scope ends; handing a
//! `borrow` handle to a callee raises the scope's borrow count until the
//! callee drops it. Ending a scope with borrows left is a trap.
//!
//! Scopes have store-unique ids: a borrow handle records the id of its
//! scope, never a stack position, so a handle that outlives its scope can
//! never count against a later call's. A scope is closed by the id its
//! opener got back ([`exit`]); scopes a trap abandoned above it are closed
//! on the way (and by the host entry, see `instance::entry`).

use crate::store::StoreData;
use crate::{Result, bail};

/// A scope's identity, unique in its store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScopeId(u64);

/// One call's borrow bookkeeping.
pub(crate) struct CallScope {
    id: ScopeId,
    /// Opened by a fused adapter's `EnterSyncCall`.
    adapter: bool,
    /// Guest `own` handles lent to the callee: (instance state, component
    /// instance, handle index).
    pub lenders: Vec<(usize, u32, u32)>,
    /// Host-table `own` entries lent to the callee: (index, generation).
    pub host_lenders: Vec<(u32, u32)>,
    /// `borrow` handles created in the callee's table and not dropped yet.
    pub borrows: u32,
    /// Host-table entries lent to the host for this call only: (index,
    /// generation).
    pub host_borrows: Vec<(u32, u32)>,
}

/// Enters a new scope; returns its id.
pub(crate) fn enter<T>(data: &mut StoreData<T>) -> ScopeId {
    open(data, false)
}

/// A fused adapter's `EnterSyncCall`: enters a scope that its
/// `ExitSyncCall` ([`exit_adapter`]) closes.
pub(crate) fn enter_adapter<T>(data: &mut StoreData<T>) {
    open(data, true);
}

/// A fused adapter's `ExitSyncCall`: closes the scope its `EnterSyncCall`
/// opened, which is the innermost one: every other opener closes its
/// scope on every path before returning to wasm, and a trap unwinds past
/// the adapter.
pub(crate) fn exit_adapter<T>(data: &mut StoreData<T>) -> Result<()> {
    match data.scopes.last() {
        Some(scope) if scope.adapter => exit(data, scope.id),
        _ => bail!("internal: an adapter closed a call scope it did not open"),
    }
}

fn open<T>(data: &mut StoreData<T>, adapter: bool) -> ScopeId {
    let id = ScopeId(data.next_scope);
    data.next_scope += 1;
    data.scopes.push(CallScope {
        id,
        adapter,
        lenders: Vec::new(),
        host_lenders: Vec::new(),
        borrows: 0,
        host_borrows: Vec::new(),
    });
    id
}

/// The innermost scope: the one a handle lent or borrowed now belongs to.
pub(crate) fn current<T>(data: &mut StoreData<T>) -> Result<&mut CallScope> {
    match data.scopes.last_mut() {
        Some(scope) => Ok(scope),
        None => bail!("internal: borrowing a handle outside of any call"),
    }
}

/// The id of the innermost scope.
pub(crate) fn current_id<T>(data: &StoreData<T>) -> Result<ScopeId> {
    match data.scopes.last() {
        Some(scope) => Ok(scope.id),
        None => bail!("internal: borrowing a handle outside of any call"),
    }
}

/// Records that a `borrow` handle of scope `id` was dropped. A scope that
/// is gone (closed by a trap) has nothing left to count.
pub(crate) fn borrow_dropped<T>(data: &mut StoreData<T>, id: ScopeId) {
    if let Some(scope) = data.scopes.iter_mut().rev().find(|s| s.id == id) {
        scope.borrows = scope.borrows.saturating_sub(1);
    }
}

/// Ends scope `id` (and any inner scope a trap abandoned): releases the
/// lent handles and the host's borrows, then traps if the callee kept a
/// borrow.
pub(crate) fn exit<T>(data: &mut StoreData<T>, id: ScopeId) -> Result<()> {
    let Some(position) = data.scopes.iter().rposition(|s| s.id == id) else {
        bail!("internal: call scope closed twice");
    };
    close_abandoned(data, position + 1);
    let Some(scope) = data.scopes.pop() else {
        bail!("internal: call scope stack underflow");
    };
    let left = scope.borrows;
    release(data, scope);
    if left > 0 {
        bail!(
            "borrow handles still remain at the end of the call: the callee must drop every borrowed handle ({left} left) before returning"
        );
    }
    Ok(())
}

/// Closes every scope above the first `depth`, without judging their
/// borrows: their calls trapped, and the instances they ran in are locked
/// down.
#[inline]
pub(crate) fn close_abandoned<T>(data: &mut StoreData<T>, depth: usize) {
    while data.scopes.len() > depth {
        if let Some(scope) = data.scopes.pop() {
            release(data, scope);
        }
    }
}

/// Gives back what `scope` lent and borrowed.
fn release<T>(data: &mut StoreData<T>, scope: CallScope) {
    for (state, instance, index) in scope.lenders {
        let table = data
            .instances
            .get_mut(state)
            .and_then(|s| s.handles.get_mut(instance as usize));
        if let Some(handle) = table.and_then(|t| t.get_mut(index, "").ok()) {
            handle.lends = handle.lends.saturating_sub(1);
        }
    }
    for (index, generation) in scope.host_lenders {
        data.host_handles.end_lend(index, generation);
    }
    for (index, generation) in scope.host_borrows {
        data.host_handles.remove_borrow(index, generation);
    }
}
