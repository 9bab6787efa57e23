//! [`Linker::define_unknown_imports_as_traps`]: satisfying whatever a
//! component imports and the host does not define, with functions that
//! trap when called, so that a component can be instantiated (and its
//! other exports used) without a host for every import.

use std::sync::Arc;

use crate::component::Component;
use crate::component_type::ComponentItem;
use crate::linker::{Definition, Linker, LinkerInstance, Namespace, resolve};
use crate::resources::ResourceType;
use crate::{Result, bail};

impl<T: 'static> Linker<T> {
    /// Defines every import of `component` that this linker does not
    /// define yet, so that instantiation succeeds:
    ///
    /// - a function becomes a host function that fails when called, with
    ///   the error ``unknown import: `name` has not been defined``, which
    ///   traps the calling guest;
    /// - an instance is looked into, and each of its missing items defined
    ///   the same way (what the linker defines in it stays);
    /// - a resource type becomes the host type `ResourceType::host::<()>()`
    ///   with a destructor that does nothing (unless another name of the
    ///   same imported type is defined: that definition serves);
    /// - value types need no definition.
    ///
    /// Imported core modules and components cannot be made up: a missing
    /// one is an error. Definitions that exist are kept, whatever their
    /// type; instantiation still type-checks them. As with
    /// `wasmtime::component::Linker`, names are matched with semver
    /// compatibility (`a:b/c@1.2.0` defines `a:b/c@1.2.3`).
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Component, Engine, Linker, Store};
    /// let engine = Engine::default();
    /// let component = Component::new(&engine, r#"
    ///     (component
    ///         (import "log" (func $log (param "msg" u32)))
    ///         (core func $log (canon lower (func $log)))
    ///         (core module $m
    ///             (import "host" "log" (func $log (param i32)))
    ///             (func (export "quiet") (result i32) i32.const 7)
    ///             (func (export "loud") (call $log (i32.const 1))))
    ///         (core instance $i (instantiate $m
    ///             (with "host" (instance (export "log" (func $log))))))
    ///         (func (export "quiet") (result u32) (canon lift (core func $i "quiet")))
    ///         (func (export "loud") (canon lift (core func $i "loud"))))
    /// "#)?;
    /// let mut linker = Linker::<()>::new(&engine);
    /// linker.define_unknown_imports_as_traps(&component)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = linker.instantiate(&mut store, &component)?;
    /// // Functions that do not call the missing import work ...
    /// let quiet = instance.get_typed_func::<(), (u32,)>(&mut store, "quiet")?;
    /// assert_eq!(quiet.call(&mut store, ())?, (7,));
    /// // ... and calling it traps, naming it.
    /// let loud = instance.get_typed_func::<(), ()>(&mut store, "loud")?;
    /// let err = loud.call(&mut store, ()).unwrap_err();
    /// assert!(format!("{err:?}").contains("unknown import: `log` has not been defined"));
    /// # Ok(()) }
    /// ```
    pub fn define_unknown_imports_as_traps(&mut self, component: &Component) -> Result<()> {
        let aliases = Aliases::new(component, &self.root);
        let mut root = self.root();
        for (name, item) in &component.inner.plan.imports {
            stub(&mut root, name, name, item, &aliases)?;
        }
        Ok(())
    }
}

/// The component's imported resource types that the linker already
/// defines under one of their names.
struct Aliases<'c> {
    paths: &'c [(String, u32)],
    defined: Vec<u32>,
}

impl<'c> Aliases<'c> {
    fn new<T>(component: &'c Component, root: &Namespace<T>) -> Self {
        let paths = &component.inner.plan.resources.imported_paths;
        let defined = paths
            .iter()
            .filter(|(path, _)| {
                matches!(
                    resolve::lookup_path(root, path),
                    Some(Definition::Resource(..))
                )
            })
            .map(|(_, resource)| *resource)
            .collect();
        Aliases { paths, defined }
    }

    /// Whether the resource type imported under `path` is defined under
    /// another of its names.
    fn defined_elsewhere(&self, path: &str) -> bool {
        self.paths
            .iter()
            .any(|(p, r)| p == path && self.defined.contains(r))
    }
}

/// Defines `item`, imported as `name` (`path` from the root), in `ns`
/// unless it is there already.
fn stub<T: 'static>(
    ns: &mut LinkerInstance<'_, T>,
    name: &str,
    path: &str,
    item: &ComponentItem,
    aliases: &Aliases<'_>,
) -> Result<()> {
    // The name the linker defines the import under: `name`, or a
    // semver-compatible one.
    let key = ns
        .ns
        .items
        .get_key_value(name)
        .or_else(|| {
            let compatible = crate::names::compatibility_key(name)?;
            ns.ns.items.iter().find(|(n, _)| {
                crate::names::compatibility_key(n).as_deref() == Some(compatible.as_str())
            })
        })
        .map(|(key, _)| key.clone());
    match item {
        ComponentItem::Instance(items) => {
            // An instance defined as something else is reported by
            // `instance` here, and would be by instantiation anyway.
            let mut inner = ns.instance(key.as_deref().unwrap_or(name))?;
            for (child, item) in items {
                stub(&mut inner, child, &format!("{path}#{child}"), item, aliases)?;
            }
            Ok(())
        }
        _ if key.is_some() => Ok(()),
        ComponentItem::Func(_) => {
            let message: Arc<str> = format!("unknown import: `{path}` has not been defined").into();
            ns.func_new(name, move |_store, _ty, _params, _results| {
                bail!("{message}")
            })
        }
        ComponentItem::Resource(_) if aliases.defined_elsewhere(path) => Ok(()),
        ComponentItem::Resource(_) => {
            ns.resource(name, ResourceType::host::<()>(), |_store, _rep| Ok(()))
        }
        ComponentItem::Type(_) => Ok(()),
        ComponentItem::Module(_) => {
            bail!("cannot define the core module import `{path}` as a trap")
        }
        ComponentItem::Component => {
            bail!("cannot define the component import `{path}` as a trap")
        }
    }
}
