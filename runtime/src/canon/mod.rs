//! The Canonical ABI: how interface values travel as core values and bytes.
//!
//! Each submodule mirrors a group of functions of the spec's reference
//! implementation (`design/mvp/canonical-abi/definitions.py`) and keeps its
//! names, so that the two can be read side by side. This module knows
//! nothing of linking or instances: it sees guest memory only through
//! [`GuestMemory`].
//!
//! The entry points the rest of the crate calls are re-exported here:
//! [`lift_flat_values`] and [`lower_flat_values`] for whole parameter and
//! result lists, [`lift_flat`], [`lower_flat`], [`load`] and [`store`] for
//! single values, and [`flatten_functype`] for core signatures.
//!
//! Everything the spec calls a trap is an `Err` whose message says what the
//! guest did wrong; nothing here panics on guest-controlled input.

pub(crate) mod budget;
pub(crate) mod flat;
pub(crate) mod layout;
pub(crate) mod lift_flat;
pub(crate) mod list;
pub(crate) mod load;
pub(crate) mod lower_flat;
pub(crate) mod map;
pub(crate) mod memory;
pub(crate) mod scalar;
pub(crate) mod store;
pub(crate) mod store_string;
pub(crate) mod string;
pub(crate) mod typecheck;
pub(crate) mod variant;

#[cfg(test)]
mod roundtrip_tests;
#[cfg(test)]
pub(crate) mod test_memory;

pub(crate) use budget::Budget;
pub(crate) use flat::{
    Context, Flat, FlatIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype,
};
pub(crate) use lift_flat::lift_flat_values;
pub(crate) use lower_flat::lower_flat_values;
pub(crate) use memory::{Cx, GuestMemory, StringEncoding};
pub(crate) use typecheck::typecheck_values;
// The spec's single-value entry points; the runtime calls the whole-list
// ones above, the tests call these.
#[cfg(test)]
pub(crate) use {lift_flat::lift_flat, load::load, lower_flat::lower_flat, store::store};

/// The error for a memory that cannot move resource handles (the unit
/// tests' fake memory).
pub(crate) fn resources_unsupported() -> wasmtime::Error {
    wasmtime::format_err!("resource handles cannot cross this boundary")
}
