//! [`InstancePre`]: a component whose imports are resolved against a linker
//! and type-checked, once.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Result;
use crate::component::Component;
use crate::host::Resolved;
use crate::instance::Instance;
use crate::instance::core_exports::{self, CoreExports};
use crate::plan::{CoreDef, ExportDef};
use crate::store::AsContextMut;
use crate::trampolines::host_funcs::HostFuncs;
use crate::trampolines::{self, Prepared};

/// A component with its imports resolved and type-checked: instantiating
/// it does no name lookups.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// # use wit_host::*;
/// # let engine = Engine::default();
/// # let component = Component::new(&engine, "(component)")?;
/// let linker = Linker::<()>::new(&engine);
/// let pre = linker.instantiate_pre(&component)?;
/// for _ in 0..3 {
///     let mut store = Store::new(&engine, ());
///     pre.instantiate(&mut store)?;
/// }
/// # Ok(()) }
/// ```
pub struct InstancePre<T: 'static> {
    pub(crate) component: Component,
    /// By runtime import index.
    pub(crate) imports: Arc<[Resolved<T>]>,
    /// The lowered host imports, prepared, by trampoline index.
    pub(crate) trampolines: Arc<[Option<Prepared<T>>]>,
    /// Whether an import is an asynchronous host function: then only
    /// `instantiate_async` may instantiate.
    pub(crate) async_imports: bool,
    /// The plan's core exports, found in their modules once.
    pub(crate) core_exports: Arc<CoreExports>,
    /// The lowered host imports of synchronous instances, defined once.
    pub(crate) host_funcs: Arc<HostFuncs<T>>,
    /// Whether an export lifts a trampoline (it re-exports an import):
    /// its instances then keep their trampolines once instantiated.
    pub(crate) exports_trampolines: bool,
    /// This `InstancePre`'s id (its clones share it), which its instances
    /// keep and its `host_funcs` check.
    pub(crate) id: u64,
}

/// The id the next `InstancePre` gets.
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

impl<T> Clone for InstancePre<T> {
    fn clone(&self) -> Self {
        InstancePre {
            component: self.component.clone(),
            imports: self.imports.clone(),
            trampolines: self.trampolines.clone(),
            async_imports: self.async_imports,
            core_exports: self.core_exports.clone(),
            host_funcs: self.host_funcs.clone(),
            exports_trampolines: self.exports_trampolines,
            id: self.id,
        }
    }
}

impl<T: 'static> InstancePre<T> {
    /// A component with its imports resolved (by the linker, see
    /// `linker::resolve`), by runtime import index; the trampolines of its
    /// host imports are prepared here, once.
    pub(crate) fn new(component: &Component, imports: Vec<Resolved<T>>) -> Result<InstancePre<T>> {
        let trampolines = trampolines::prepare(&component.inner.plan, &imports)?;
        let async_imports = imports.iter().any(|import| match import {
            Resolved::Func(f) => f.is_async(),
            Resolved::Resource(_, dtor) => dtor.is_async(),
            Resolved::Module(_) => false,
        });
        let inner = &component.inner;
        let core_exports = core_exports::resolve(&inner.plan, &inner.modules, &imports);
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        let host_funcs =
            HostFuncs::define(&inner.engine, &inner.trampoline_types, &trampolines, id)?;
        Ok(InstancePre {
            component: component.clone(),
            imports: imports.into(),
            trampolines: trampolines.into(),
            async_imports,
            core_exports: Arc::new(core_exports),
            host_funcs: Arc::new(host_funcs),
            exports_trampolines: lifts_trampoline(inner.plan.exports.values()),
            id,
        })
    }

    /// The component this was made from.
    pub fn component(&self) -> &Component {
        &self.component
    }

    /// Instantiates the component in `store`.
    pub fn instantiate(&self, mut store: impl AsContextMut<Data = T>) -> Result<Instance> {
        crate::instance::instantiate::run(store.as_context_mut().0, self)
    }

    /// Instantiates the component asynchronously: start functions run on
    /// wasmtime's fibers and may yield to the executor (epochs, fuel), and
    /// the instance's exports are called with the `*_async` entry points
    /// ([`crate::Func::call_async`], [`crate::TypedFunc::call_async`]).
    ///
    /// The store becomes asynchronous ([`crate::Store::is_async`]): its
    /// synchronous entry points are errors from then on.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// # let engine = wit_host::Engine::default();
    /// # let component = wit_host::Component::new(&engine, "(component)")?;
    /// let pre = wit_host::Linker::<()>::new(&engine).instantiate_pre(&component)?;
    /// let mut store = wit_host::Store::new(&engine, ());
    /// // In an async fn, on any executor:
    /// let instantiated = async {
    ///     let instance = pre.instantiate_async(&mut store).await?;
    ///     Ok::<_, wit_host::Error>(instance)
    /// };
    /// # drop(instantiated);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "async")]
    pub async fn instantiate_async(
        &self,
        mut store: impl AsContextMut<Data = T>,
    ) -> Result<Instance>
    where
        T: Send,
    {
        crate::instance::instantiate::run_async(store.as_context_mut().0, self).await
    }
}

/// Whether a function among `exports` (or inside an exported instance)
/// lifts a trampoline.
fn lifts_trampoline<'a>(exports: impl IntoIterator<Item = &'a ExportDef>) -> bool {
    exports.into_iter().any(|export| match export {
        ExportDef::Func(lifted) => matches!(lifted.core, CoreDef::Trampoline(_)),
        ExportDef::Instance(inner) => lifts_trampoline(inner.values()),
        ExportDef::Module(_) | ExportDef::Resource(_) | ExportDef::Other => false,
    })
}
