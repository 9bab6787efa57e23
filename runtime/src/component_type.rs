//! The names and types of a component's imports and exports.

use std::fmt;

use crate::module_type::ModuleType;
use crate::resources::ResourceType;
use crate::types::{FuncType, Type};

/// The type of one import or export of a component.
///
/// ```no_run
/// # fn main() -> wit_host::Result<()> {
/// # let engine = wit_host::Engine::default();
/// let component = wit_host::Component::from_file(&engine, "plugin.wasm")?;
/// for (name, item) in component.component_type().imports() {
///     println!("import {name}: {item}");
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub enum ComponentItem {
    /// A component function.
    Func(FuncType),
    /// An instance with named items, such as an imported interface.
    Instance(Vec<(String, ComponentItem)>),
    /// A core module, with the imports and exports its type declares.
    Module(ModuleType),
    /// A component.
    Component,
    /// A value type definition.
    Type(Type),
    /// A resource type.
    Resource(String),
}

/// A component's imports and exports, as [`crate::Component::component_type`]
/// returns them.
#[derive(Clone, Debug, PartialEq)]
pub struct ComponentSignature {
    pub(crate) imports: Vec<(String, ComponentItem)>,
    pub(crate) exports: Vec<(String, ComponentItem)>,
}

impl ComponentSignature {
    /// The imports, in declaration order.
    pub fn imports(&self) -> impl ExactSizeIterator<Item = (&str, &ComponentItem)> {
        self.imports.iter().map(|(n, i)| (n.as_str(), i))
    }
    /// The exports, in declaration order.
    pub fn exports(&self) -> impl ExactSizeIterator<Item = (&str, &ComponentItem)> {
        self.exports.iter().map(|(n, i)| (n.as_str(), i))
    }
}

/// A component's imports and exports with the resource types a linker
/// gives its imported resource types, as
/// [`crate::Linker::substituted_component_type`] returns them.
///
/// It dereferences to the [`ComponentSignature`] (the same as
/// [`crate::Component::component_type`]); [`resource`](Self::resource)
/// gives the run-time type of each imported resource type. Resource types
/// the component defines are not substituted: each instance has its own
/// (see [`crate::Instance::get_resource`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SubstitutedComponentType {
    pub(crate) signature: ComponentSignature,
    pub(crate) resources: Vec<(String, ResourceType)>,
}

impl SubstitutedComponentType {
    /// The component's imports and exports.
    pub fn signature(&self) -> &ComponentSignature {
        &self.signature
    }

    /// The resource type the linker defines for the resource type the
    /// component imports as `path` (`"ns:pkg/iface#name"` inside an
    /// instance, `"name"` at the root). `None` for other names.
    pub fn resource(&self, path: &str) -> Option<&ResourceType> {
        self.resources
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, ty)| ty)
    }

    /// Every name under which the component imports a resource type, with
    /// the type the linker gives it, in declaration order.
    pub fn resources(&self) -> impl ExactSizeIterator<Item = (&str, &ResourceType)> {
        self.resources.iter().map(|(p, ty)| (p.as_str(), ty))
    }
}

impl std::ops::Deref for SubstitutedComponentType {
    type Target = ComponentSignature;

    fn deref(&self) -> &ComponentSignature {
        &self.signature
    }
}

impl fmt::Display for SubstitutedComponentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.signature, f)?;
        for (path, ty) in &self.resources {
            writeln!(f, "resource {path} = {ty:?}")?;
        }
        Ok(())
    }
}

impl ComponentItem {
    fn write(&self, f: &mut fmt::Formatter<'_>, indent: usize) -> fmt::Result {
        match self {
            ComponentItem::Func(ty) => write!(f, "{ty}"),
            ComponentItem::Instance(items) => {
                f.write_str("instance {\n")?;
                for (name, item) in items {
                    write!(f, "{:width$}{name}: ", "", width = indent + 2)?;
                    item.write(f, indent + 2)?;
                    f.write_str("\n")?;
                }
                write!(f, "{:indent$}}}", "")
            }
            ComponentItem::Module(ty) => write!(f, "core module {ty}"),
            ComponentItem::Component => f.write_str("component"),
            ComponentItem::Type(ty) => write!(f, "type {ty}"),
            ComponentItem::Resource(name) => write!(f, "resource {name}"),
        }
    }
}

impl fmt::Display for ComponentItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, 0)
    }
}

impl fmt::Display for ComponentSignature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (name, item) in &self.imports {
            write!(f, "import {name}: ")?;
            item.write(f, 0)?;
            f.write_str("\n")?;
        }
        for (name, item) in &self.exports {
            write!(f, "export {name}: ")?;
            item.write(f, 0)?;
            f.write_str("\n")?;
        }
        Ok(())
    }
}
