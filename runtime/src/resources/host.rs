//! [`Resource<T>`]: a typed handle to a host resource.
//!
//! The handle is just the resource's representation (an index the host
//! chooses, usually from a [`crate::ResourceTable`]) and whether it is owned
//! or borrowed; the host keeps the state itself.

use std::fmt;
use std::marker::PhantomData;

use crate::resources::{HostEntry, ResourceAny, ResourceType};
use crate::store::AsContextMut;
use crate::{Result, bail};

/// A handle to a host resource of Rust type `T`.
///
/// ```
/// use wit_host::Resource;
/// struct Logger;
/// let r: Resource<Logger> = Resource::new_own(7);
/// assert_eq!(r.rep(), 7);
/// assert!(r.owned());
/// ```
pub struct Resource<T> {
    rep: u32,
    own: bool,
    _ty: PhantomData<fn() -> T>,
}

impl<T: 'static> Resource<T> {
    /// An owned handle to the resource with representation `rep`.
    pub fn new_own(rep: u32) -> Resource<T> {
        Resource {
            rep,
            own: true,
            _ty: PhantomData,
        }
    }

    /// A borrowed handle to the resource with representation `rep`.
    pub fn new_borrow(rep: u32) -> Resource<T> {
        Resource {
            rep,
            own: false,
            _ty: PhantomData,
        }
    }

    /// The representation: the host's index for the resource.
    pub fn rep(&self) -> u32 {
        self.rep
    }

    /// Whether the handle is owned (`own<T>`) rather than borrowed.
    pub fn owned(&self) -> bool {
        self.own
    }

    /// Converts a [`ResourceAny`] of this host type into a typed handle;
    /// errors if it is a resource of another type.
    pub fn try_from_resource_any(
        any: ResourceAny,
        mut store: impl AsContextMut,
    ) -> Result<Resource<T>> {
        let mut store = store.as_context_mut();
        let data = store.0.data_mut();
        let id = data.id;
        let entry = data.host_handles.get(id, &any)?;
        if !entry.ty.is_host::<T>() {
            bail!(
                "resource of type `{}` cannot be used as `{}`",
                entry.ty,
                std::any::type_name::<T>()
            );
        }
        let entry = data.host_handles.take(id, &any)?;
        Ok(Resource {
            rep: entry.rep,
            own: entry.own,
            _ty: PhantomData,
        })
    }

    /// Converts this handle into a [`ResourceAny`], for the dynamic API
    /// (`Val::Resource`).
    pub fn try_into_resource_any(self, mut store: impl AsContextMut) -> Result<ResourceAny> {
        let mut store = store.as_context_mut();
        let data = store.0.data_mut();
        let ty = ResourceType::host::<T>();
        let (index, generation) = data.host_handles.add(HostEntry {
            rep: self.rep,
            ty: ty.clone(),
            own: self.own,
            dtor: None,
        });
        Ok(ResourceAny::live(data.id, index, generation, ty, self.own))
    }
}

impl<T> fmt::Debug for Resource<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resource")
            .field("type", &std::any::type_name::<T>())
            .field("rep", &self.rep)
            .field("own", &self.own)
            .finish()
    }
}

impl<T> PartialEq for Resource<T> {
    fn eq(&self, other: &Self) -> bool {
        self.rep == other.rep && self.own == other.own
    }
}
