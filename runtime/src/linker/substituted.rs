//! [`Linker::substituted_component_type`]: a component's type as this
//! linker would instantiate it, its imported resource types replaced by
//! the linker's.

use crate::Result;
use crate::component::Component;
use crate::component_type::SubstitutedComponentType;
use crate::linker::{Linker, resolve};

impl<T: 'static> Linker<T> {
    /// The type of `component` with the resource types it imports replaced
    /// by those this linker defines for them (as
    /// `wasmtime::component::Linker::substituted_component_type`): the
    /// imports and exports of [`Component::component_type`], and for each
    /// imported resource type the [`ResourceType`](crate::ResourceType) it
    /// would have at run time.
    ///
    /// Errors as [`Linker::instantiate_pre`] does when the linker does not
    /// satisfy the component's imports.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Component, Engine, Linker, ResourceType};
    /// let engine = Engine::default();
    /// let component = Component::new(&engine, r#"
    ///     (component
    ///         (import "ns:pkg/files" (instance
    ///             (export "file" (type (sub resource))))))
    /// "#)?;
    /// struct File;
    /// let mut linker = Linker::<()>::new(&engine);
    /// linker
    ///     .instance("ns:pkg/files")?
    ///     .resource("file", ResourceType::host::<File>(), |_, _| Ok(()))?;
    /// let ty = linker.substituted_component_type(&component)?;
    /// assert_eq!(ty.resource("ns:pkg/files#file"), Some(&ResourceType::host::<File>()));
    /// assert_eq!(ty.imports().len(), 1);
    /// # Ok(()) }
    /// ```
    pub fn substituted_component_type(
        &self,
        component: &Component,
    ) -> Result<SubstitutedComponentType> {
        resolve::resolve(component, &self.root)?;
        Ok(SubstitutedComponentType {
            signature: component.component_type(),
            resources: resolve::imported_resource_types(component, &self.root)?,
        })
    }
}
