//! Component instances: the handle users hold ([`Instance`]), the state a
//! store keeps per instance ([`InstanceState`]), and how they are made
//! ([`InstancePre`], [`instantiate`]).

pub(crate) mod entry;
mod export_index;
pub(crate) mod guest;
pub(crate) mod instantiate;
pub(crate) mod may_leave;
mod pre;
pub(crate) mod resources;

use std::sync::Arc;

use wasmtime::{Global, Memory};

use crate::component::{Component, ComponentInner};
use crate::func::Func;
use crate::plan::ExportDef;
use crate::resources::ResourceType;
use crate::resources::handle_table::HandleTable;
use crate::store::{AsContextMut, StoreData};
use crate::typed::{LiftList, LowerList, TypedFunc};
use crate::{Result, bail};

pub(crate) use export_index::IndexItem;
pub(crate) use export_index::same_types;
pub use export_index::{ComponentExportIndex, InstanceExportLookup};
use export_index::{CoreIndex, FuncIndex};
pub use pre::InstancePre;
pub(crate) use pre::Resolved;

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
    pub memories: Vec<Option<Memory>>,
    pub reallocs: Vec<Option<Realloc>>,
    pub post_returns: Vec<Option<wasmtime::Func>>,
    /// The may-leave flag of each inner component instance, as the wasm
    /// globals the adapters import; empty when no core module imports them
    /// (then `may_leave` holds the flags, see [`may_leave`]).
    pub flags: Vec<Global>,
    /// The may-leave flags when only the host uses them.
    pub may_leave: Vec<bool>,
    /// Whether the host has entered the instance (any inner component
    /// instance of it: see [`entry`]).
    pub entered: bool,
    /// Set when a call into the instance failed: the first error's
    /// message. The instance refuses every entry from then on.
    pub lockdown: Option<String>,
    /// Trampolines created so far, by trampoline index.
    pub trampolines: Vec<Option<wasmtime::Func>>,
    /// The run-time identity of each resource type, by resource index.
    pub resource_types: Vec<ResourceType>,
    /// The handle table of each inner component instance.
    pub handles: Vec<HandleTable>,
    /// Guest destructors of the defined resource types.
    pub dtors: Vec<Option<wasmtime::Func>>,
    /// Host destructors of the imported resource types (an
    /// `Arc<HostDtor<T>>` for the store's `T`).
    pub host_dtors: Vec<Option<resources::AnyDtor>>,
}

/// An instantiated component.
///
/// A handle into the [`crate::Store`] it was created in; cheap to copy.
#[derive(Clone, Copy, Debug)]
pub struct Instance {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Instance {
    /// Looks up an exported function: by name, a root export (`"run"`) or
    /// a function inside an exported instance
    /// (`"example:app/api@1.0.0#greet"`); or by a [`ComponentExportIndex`]
    /// found once with [`Component::get_export_index`], which looks
    /// nothing up.
    ///
    /// Returns `None` when there is no such function (or the index is of
    /// another component); see [`Instance::exports`] for what there is.
    pub fn get_func(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Option<Func> {
        let mut store = store.as_context_mut();
        let data = store.0.data();
        if data.id != self.store_id {
            return None;
        }
        let state = data.instances.get(self.index)?;
        let component = Component {
            inner: state.component.clone(),
        };
        let index = name.export_index(&component)?;
        let IndexItem::Func(func) = &index.item else {
            return None;
        };
        self.func_at(&mut store.0, func)
    }

    /// The function `func` locates, in this instance (of `func`'s
    /// component, in `store`: the caller checked).
    pub(crate) fn func_at<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        func: &FuncIndex,
    ) -> Option<Func> {
        let state = store.data().instances.get(self.index)?;
        let lifted = func.lifted.clone();
        let options = state.component.plan.options[lifted.options as usize];
        let slots = guest::OptionSlots::resolve(state, &options);
        let core = match &func.core {
            CoreIndex::Static { instance, export } => {
                let core = state.core.get(*instance as usize).copied()?;
                core.get_module_export(&mut *store, export)?.into_func()?
            }
            CoreIndex::Named { instance, name } => {
                let core = state.core.get(*instance as usize).copied()?;
                core.get_func(&mut *store, name)?
            }
            CoreIndex::Trampoline(i) => (*state.trampolines.get(*i as usize)?)?,
            CoreIndex::None => return None,
        };
        Some(Func::new(*self, core, lifted, options, slots))
    }

    /// Looks up an exported function (by name or [`ComponentExportIndex`])
    /// and checks that its type is `P -> R` (tuples of Rust types); the
    /// error names both types. To check the type once for many instances,
    /// see [`ComponentExportIndex::typed`].
    pub fn get_typed_func<P, R>(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Result<TypedFunc<P, R>>
    where
        P: LowerList,
        R: LiftList,
    {
        // Says so when the store is the wrong one, rather than "no such
        // function".
        let component = Component {
            inner: state(store.as_context_mut().0.data(), *self)?
                .component
                .clone(),
        };
        let index = name.export_index(&component);
        let index = index.as_deref().filter(|i| i.is_func()).ok_or_else(|| {
            crate::format_err!(
                "the instance exports no function named `{}`",
                name.describe()
            )
        })?;
        let func = self
            .get_func(&mut store, index)
            .ok_or_else(|| crate::format_err!("export `{}` is not callable", index.name()))?;
        TypedFunc::new(func, store.as_context_mut())
    }

    /// The names of every exported function, in the form
    /// [`Instance::get_func`] accepts.
    pub fn exports(&self, store: impl crate::AsContext) -> Result<Vec<String>> {
        let store = store.as_context();
        let state = state(store.0.data(), *self)?;
        let mut names = Vec::new();
        fn walk(
            prefix: &str,
            items: &std::collections::HashMap<String, ExportDef>,
            out: &mut Vec<String>,
        ) {
            for (name, def) in items {
                let full = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}#{name}")
                };
                match def {
                    ExportDef::Func(_) => out.push(full),
                    ExportDef::Instance(items) => walk(&full, items, out),
                    ExportDef::Other => {}
                }
            }
        }
        walk("", &state.component.plan.exports, &mut names);
        names.sort();
        Ok(names)
    }

    /// The component this is an instance of.
    pub fn component(&self, store: impl crate::AsContext) -> Result<Component> {
        let store = store.as_context();
        let state = state(store.0.data(), *self)?;
        Ok(Component {
            inner: state.component.clone(),
        })
    }
}

/// The state of `instance`, checking that it belongs to this store.
pub(crate) fn state<T>(data: &StoreData<T>, instance: Instance) -> Result<&InstanceState> {
    if data.id != instance.store_id {
        bail!("instance used with a store it does not belong to");
    }
    data.instances
        .get(instance.index)
        .ok_or_else(|| crate::format_err!("instance does not exist in this store"))
}
