//! What the host provides, as the runtime uses it: host functions (dynamic
//! or typed) and what each of a component's imports resolved to. The
//! linker makes these; instantiation and the trampolines consume them.

use std::sync::Arc;

use crate::resources::ResourceType;
#[cfg(feature = "async")]
use crate::store::AsyncHostFn;
use crate::store::{HostDtor, HostFn};
use crate::typed::host_func::TypedHost;

/// A host function: dynamic (`func_new`, `func_new_async`) or typed
/// (`func_wrap`, `func_wrap_async`).
pub(crate) enum HostFunc<T: 'static> {
    Dynamic(Arc<HostFn<T>>),
    #[cfg(feature = "async")]
    DynamicAsync(Arc<AsyncHostFn<T>>),
    Typed(Arc<dyn TypedHost<T>>),
}

impl<T: 'static> HostFunc<T> {
    /// Whether the function is asynchronous: a component importing it
    /// instantiates only with `instantiate_async`.
    pub(crate) fn is_async(&self) -> bool {
        match self {
            HostFunc::Dynamic(_) => false,
            #[cfg(feature = "async")]
            HostFunc::DynamicAsync(_) => true,
            HostFunc::Typed(f) => f.is_async(),
        }
    }
}

impl<T> Clone for HostFunc<T> {
    fn clone(&self) -> Self {
        match self {
            HostFunc::Dynamic(f) => HostFunc::Dynamic(f.clone()),
            #[cfg(feature = "async")]
            HostFunc::DynamicAsync(f) => HostFunc::DynamicAsync(f.clone()),
            HostFunc::Typed(f) => HostFunc::Typed(f.clone()),
        }
    }
}

/// What a runtime import resolved to.
pub(crate) enum Resolved<T: 'static> {
    Func(HostFunc<T>),
    Module(wasmtime::Module),
    Resource(ResourceType, Arc<HostDtor<T>>),
}

impl<T> Clone for Resolved<T> {
    fn clone(&self) -> Self {
        match self {
            Resolved::Func(f) => Resolved::Func(f.clone()),
            Resolved::Module(m) => Resolved::Module(m.clone()),
            Resolved::Resource(ty, dtor) => Resolved::Resource(ty.clone(), dtor.clone()),
        }
    }
}
