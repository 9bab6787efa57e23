//! Resources: handles to things that live on one side of the component
//! boundary and are used from the other (files, streams, loggers, …).
//!
//! - [`ResourceType`]: the run-time identity of a resource type (host types
//!   by Rust type, guest types per defining instance).
//! - [`handle_table`]: each component instance's table of `own` and
//!   `borrow` handles, with lend counts (CanonicalABI.md, "Handles").
//! - [`scope`]: per-call borrow scopes: borrows handed to a callee must be
//!   dropped before the call returns, lent handles are released after it.
//! - [`ResourceAny`]: the host's handle to a resource of any type, kept in
//!   the store's host table.
//! - [`ResourceDynamic`]: a handle to a host resource of a type made at
//!   run time ([`ResourceType::host_dynamic`]).
//! - [`Resource`]: a typed handle to a host resource, and [`ResourceTable`]
//!   for hosts to keep their resources' state in.

pub(crate) mod any;
pub(crate) mod handle_table;
mod host;
mod host_dynamic;
mod resource_type;
pub(crate) mod scope;
mod table;

pub use any::ResourceAny;
pub(crate) use any::{HostEntry, HostTable, Pending};
pub use host::Resource;
pub use host_dynamic::ResourceDynamic;
pub use resource_type::ResourceType;
pub use table::{ResourceTable, ResourceTableError};
