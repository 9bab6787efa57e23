//! What the host provides, as the runtime uses it: host functions (dynamic
//! or typed) and what each of a component's imports resolved to. The
//! linker makes these; instantiation and the trampolines consume them.

use std::sync::Arc;

use crate::resources::ResourceType;
use crate::store::{HostDtor, HostFn};
use crate::typed::host_func::TypedHost;

/// A host function: dynamic (`func_new`) or typed (`func_wrap`).
pub(crate) enum HostFunc<T: 'static> {
    Dynamic(Arc<HostFn<T>>),
    Typed(Arc<dyn TypedHost<T>>),
}

impl<T> Clone for HostFunc<T> {
    fn clone(&self) -> Self {
        match self {
            HostFunc::Dynamic(f) => HostFunc::Dynamic(f.clone()),
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
