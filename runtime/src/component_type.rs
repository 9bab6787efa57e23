//! The names and types of a component's imports and exports.

use std::fmt;

use crate::module_type::ModuleType;
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
