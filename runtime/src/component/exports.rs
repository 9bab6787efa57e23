//! [`Component::get_export`]: an export's type together with its index,
//! before any instance exists (the index alone is
//! [`Component::get_export_index`], in `instance/export_index.rs`).

use std::sync::Arc;

use crate::component::Component;
use crate::component_type::ComponentItem;
use crate::instance::{ComponentExportIndex, IndexItem};

impl Component {
    /// Looks up export `name` — at the root with `instance: None`, or
    /// inside the exported instance `instance` (an index found before) —
    /// and returns its type and its index. The index finds the export in
    /// any instance of this component without name lookups
    /// ([`crate::Instance::get_func`], [`crate::Instance::get_typed_func`],
    /// [`crate::Instance::get_resource`], [`crate::Instance::get_module`]).
    ///
    /// `None` when there is no such export, or `instance` is not an
    /// instance export of this component. A resource type in the result
    /// is named, not resolved: resource types the component defines exist
    /// only per instance (see [`crate::Instance::get_resource`]).
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Component, ComponentItem, Engine, Linker, Store};
    /// let engine = Engine::default();
    /// let component = Component::new(&engine, r#"
    ///     (component
    ///         (core module $m (func (export "f") (result i32) i32.const 42))
    ///         (core instance $i (instantiate $m))
    ///         (func $f (result u32) (canon lift (core func $i "f")))
    ///         (instance $api (export "f" (func $f)))
    ///         (export "api" (instance $api)))
    /// "#)?;
    /// let (item, api) = component.get_export(None, "api").unwrap();
    /// assert!(matches!(item, ComponentItem::Instance(_)));
    /// let (ComponentItem::Func(ty), f) = component.get_export(Some(&api), "f").unwrap() else {
    ///     panic!("not a function")
    /// };
    /// assert_eq!(ty.to_string(), "func() -> u32");
    ///
    /// let mut store = Store::new(&engine, ());
    /// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
    /// let f = instance.get_typed_func::<(), (u32,)>(&mut store, &f)?;
    /// assert_eq!(f.call(&mut store, ())?, (42,));
    /// # Ok(()) }
    /// ```
    pub fn get_export(
        &self,
        instance: Option<&ComponentExportIndex>,
        name: &str,
    ) -> Option<(ComponentItem, ComponentExportIndex)> {
        let index = self.get_export_index(instance, name)?;
        let items = match instance {
            None => &self.inner.plan.export_types,
            Some(parent) => {
                let IndexItem::Instance(path) = &parent.item else {
                    return None;
                };
                if !Arc::ptr_eq(&parent.component, &self.inner) {
                    return None;
                }
                instance_items(&self.inner.plan.export_types, path)?
            }
        };
        let (_, item) = items.iter().find(|(n, _)| n == name)?;
        Some((item.clone(), index))
    }
}

/// The items of the exported instance at `path` (names from the root).
fn instance_items<'a>(
    mut items: &'a [(String, ComponentItem)],
    path: &[String],
) -> Option<&'a [(String, ComponentItem)]> {
    for segment in path {
        match items.iter().find(|(n, _)| n == segment)? {
            (_, ComponentItem::Instance(inner)) => items = inner,
            _ => return None,
        }
    }
    Some(items)
}
