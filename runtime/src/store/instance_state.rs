//! The runtime state of one component instance, as its store keeps it:
//! core instances and the slots that canonical options refer to.

use std::sync::Arc;

use wasmtime::{Global, Memory};

use crate::component::ComponentInner;
use crate::resources::ResourceType;
use crate::resources::handle_table::HandleTable;
use crate::store::resource_ops::AnyDtor;
use crate::store::slots::Slots;

/// A guest's `realloc(old_ptr, old_size, align, new_size) -> ptr`, its
/// signature checked when the initializers extracted it (so it can be
/// called unchecked; a `wasmtime::TypedFunc` would clone its type on every
/// copy).
pub(crate) type Realloc = wasmtime::Func;

/// The runtime state of one component instance, kept in its store and
/// reached by index: core instances and the slots that canonical options
/// refer to (filled by the initializers, read by calls and trampolines).
pub(crate) struct InstanceState {
    pub component: Arc<ComponentInner>,
    pub core: Vec<wasmtime::Instance>,
    pub memories: Slots<Option<Memory>>,
    pub reallocs: Slots<Option<Realloc>>,
    pub post_returns: Slots<Option<wasmtime::Func>>,
    /// The may-leave flag of each inner component instance, as the wasm
    /// globals the adapters import; empty when no core module imports them
    /// (then `may_leave` holds the flags, see [`may_leave`]).
    pub flags: Box<[Global]>,
    /// The may-leave flags when only the host uses them.
    pub may_leave: Slots<bool>,
    /// Whether the instance was instantiated asynchronously: its
    /// trampolines enter the guest with `call_async` only, and only the
    /// `*_async` entry points may enter it.
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    pub asynchronous: bool,
    /// Whether the host has entered the instance (any inner component
    /// instance of it: see [`entry`]).
    pub entered: bool,
    /// While a synchronous instance is entered: the store's `current`
    /// instance state before this entry, restored when it leaves (an
    /// instance is entered at most once at a time; see `entry::enter`).
    pub previous: usize,
    /// The id of the `InstancePre` this instance was made from: the
    /// lowered imports it defines check it (see
    /// `trampolines::host_funcs`).
    pub pre: u64,
    /// Set when a call into the instance failed: the first error's
    /// message. The instance refuses every entry from then on.
    pub lockdown: Option<Box<str>>,
    /// Trampolines created so far, by trampoline index; emptied once
    /// instantiated unless an export lifts one (a re-exported import,
    /// which `Instance` lookups then find here).
    pub trampolines: Box<[Option<wasmtime::Func>]>,
    /// The run-time identity of each resource type, by resource index.
    pub resource_types: Box<[ResourceType]>,
    /// The handle table of each inner component instance.
    pub handles: Slots<HandleTable>,
    /// Guest destructors of the defined resource types.
    pub dtors: Box<[Option<wasmtime::Func>]>,
    /// Host destructors of the imported resource types (an
    /// `Arc<HostDtor<T>>` for the store's `T`).
    pub host_dtors: Box<[Option<AnyDtor>]>,
    /// The imported core modules, by runtime import index, for
    /// `Instance::get_module` of a module the component re-exports.
    pub imported_modules: Box<[(u32, wasmtime::Module)]>,
}
