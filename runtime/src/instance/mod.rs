//! Component instances: the handle users hold ([`Instance`]) and how they
//! are made ([`InstancePre`], [`instantiate`]). The state a store keeps per
//! instance is `store::InstanceState`; looking up an instance's functions
//! is with them (`Instance::get_func` in `func.rs`,
//! `Instance::get_typed_func` in `typed/func.rs`).

mod core_exports;
mod export_index;
mod exports;
pub(crate) mod instantiate;
mod pre;

use crate::component::Component;
use crate::plan::ExportDef;
use crate::store::{InstanceState, StoreData};
use crate::{Result, bail};

pub(crate) use export_index::same_types;
pub use export_index::{ComponentExportIndex, InstanceExportLookup};
pub(crate) use export_index::{CoreIndex, FuncIndex, IndexItem};
pub use pre::InstancePre;

/// An instantiated component.
///
/// A handle into the [`crate::Store`] it was created in; cheap to copy.
#[derive(Clone, Copy, Debug)]
pub struct Instance {
    pub(crate) store_id: u64,
    pub(crate) index: usize,
}

impl Instance {
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
                    ExportDef::Module(_) | ExportDef::Resource(_) | ExportDef::Other => {}
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
