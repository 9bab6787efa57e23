//! [`ResourceDynamic`]: a handle to a host resource whose type the host
//! made at run time ([`ResourceType::host_dynamic`]), for hosts whose
//! resource types are not known when they are compiled. Like
//! [`crate::Resource`], it is just the representation the host chose and
//! whether it is owned; it also carries the type's number, which lifting
//! reads from the component's type and lowering checks against it.

use crate::resources::{HostEntry, ResourceAny, ResourceType};
use crate::store::AsContextMut;
use crate::{Result, bail};

/// A handle to a host resource of type
/// [`ResourceType::host_dynamic(ty)`](ResourceType::host_dynamic).
///
/// ```
/// use wit_host::{ResourceDynamic, ResourceType};
/// let r = ResourceDynamic::new_own(7, 2);
/// assert_eq!((r.rep(), r.ty(), r.owned()), (7, 2, true));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResourceDynamic {
    rep: u32,
    ty: u32,
    own: bool,
}

impl ResourceDynamic {
    /// An owned handle to the resource `rep` of type
    /// `ResourceType::host_dynamic(ty)`.
    pub fn new_own(rep: u32, ty: u32) -> ResourceDynamic {
        ResourceDynamic { rep, ty, own: true }
    }

    /// A borrowed handle to the resource `rep` of type
    /// `ResourceType::host_dynamic(ty)`.
    pub fn new_borrow(rep: u32, ty: u32) -> ResourceDynamic {
        ResourceDynamic {
            rep,
            ty,
            own: false,
        }
    }

    /// The representation: the host's index for the resource.
    pub fn rep(&self) -> u32 {
        self.rep
    }

    /// The number of the resource's type (the payload of its
    /// [`ResourceType::host_dynamic`]).
    pub fn ty(&self) -> u32 {
        self.ty
    }

    /// Whether the handle is owned (`own<T>`) rather than borrowed.
    pub fn owned(&self) -> bool {
        self.own
    }

    /// The resource type of this handle.
    pub fn resource_type(&self) -> ResourceType {
        ResourceType::host_dynamic(self.ty)
    }

    /// Converts a [`ResourceAny`] of a dynamic host type into this handle;
    /// errors if it is a resource of another kind of type.
    pub fn try_from_resource_any(
        any: ResourceAny,
        mut store: impl AsContextMut,
    ) -> Result<ResourceDynamic> {
        let mut store = store.as_context_mut();
        let data = store.0.data_mut();
        let id = data.id;
        let entry = data.host_handles.get(id, &any)?;
        let Some(ty) = entry.ty.as_host_dynamic() else {
            bail!(
                "resource of type `{}` is not of a dynamic host resource type",
                entry.ty
            );
        };
        let entry = data.host_handles.take(id, &any)?;
        Ok(ResourceDynamic {
            rep: entry.rep,
            ty,
            own: entry.own,
        })
    }

    /// Converts this handle into a [`ResourceAny`], for the dynamic API
    /// (`Val::Resource`).
    pub fn try_into_resource_any(self, mut store: impl AsContextMut) -> Result<ResourceAny> {
        let mut store = store.as_context_mut();
        let data = store.0.data_mut();
        let ty = self.resource_type();
        let (index, generation) = data.host_handles.add(HostEntry {
            rep: self.rep,
            ty: ty.clone(),
            own: self.own,
            dtor: None,
        });
        Ok(ResourceAny::live(data.id, index, generation, ty, self.own))
    }
}
