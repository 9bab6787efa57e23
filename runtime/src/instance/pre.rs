//! [`InstancePre`]: a component whose imports are resolved against a linker
//! and type-checked, once.

use std::sync::Arc;

use crate::component::Component;
use crate::component_type::ComponentItem;
use crate::instance::Instance;
use crate::linker::{Definition, HostDtor, HostFunc, Namespace};
use crate::resources::ResourceType;
use crate::store::AsContextMut;
use crate::{Result, bail};

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
}

impl<T> Clone for InstancePre<T> {
    fn clone(&self) -> Self {
        InstancePre {
            component: self.component.clone(),
            imports: self.imports.clone(),
        }
    }
}

impl<T: 'static> InstancePre<T> {
    pub(crate) fn new(component: &Component, root: &Namespace<T>) -> Result<InstancePre<T>> {
        let plan = &component.inner.plan;
        for (name, item) in &plan.imports {
            check(root, name, name, item)?;
        }
        check_resource_identities(root, component)?;
        let imports = plan
            .runtime_imports
            .iter()
            .map(|(import, path)| {
                let (name, _) = &plan.imports[*import as usize];
                let mut def = crate::names::lookup(&root.items, name)
                    .ok_or_else(|| crate::format_err!("missing import `{name}`"))?;
                let mut full = name.clone();
                for segment in path {
                    full = format!("{full}#{segment}");
                    def = match def {
                        Definition::Instance(ns) => crate::names::lookup(&ns.items, segment),
                        _ => None,
                    }
                    .ok_or_else(|| crate::format_err!("missing import `{full}`"))?;
                }
                Ok(match def {
                    Definition::Func(f) => Resolved::Func(f.clone()),
                    Definition::Module(m) => Resolved::Module(m.clone()),
                    Definition::Resource(ty, dtor) => Resolved::Resource(ty.clone(), dtor.clone()),
                    Definition::Instance(_) => {
                        bail!("import `{full}` must be a function, a module or a resource type, the linker defines an instance")
                    }
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(InstancePre {
            component: component.clone(),
            imports: imports.into(),
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
}

/// Checks that the linker defines `item` under `name`, recursively for
/// instances. `path` names the item in messages.
fn check<T>(ns: &Namespace<T>, name: &str, path: &str, item: &ComponentItem) -> Result<()> {
    let def = crate::names::lookup(&ns.items, name);
    match (item, def) {
        // Value types carry no runtime definition.
        (ComponentItem::Type(_), _) => Ok(()),
        (_, None) => bail!(
            "missing import `{path}`: the component imports {}, and the linker defines nothing under that name",
            describe(item)
        ),
        (ComponentItem::Func(_), Some(Definition::Func(HostFunc::Dynamic(_)))) => Ok(()),
        (ComponentItem::Func(ty), Some(Definition::Func(HostFunc::Typed(f)))) => f
            .typecheck(ty)
            .map_err(|e| crate::format_err!("import `{path}` has the wrong type: {e}")),
        (ComponentItem::Module, Some(Definition::Module(_))) => Ok(()),
        (ComponentItem::Resource(_), Some(Definition::Resource(..))) => Ok(()),
        (ComponentItem::Instance(items), Some(Definition::Instance(inner))) => {
            for (child, item) in items {
                check(inner, child, &format!("{path}#{child}"), item)?;
            }
            Ok(())
        }
        (ComponentItem::Component, Some(_)) => {
            bail!("not supported yet: importing a component (`{path}`)")
        }
        (item, Some(def)) => bail!(
            "import `{path}` has the wrong kind: the component expects {}, the linker defines {}",
            describe(item),
            def.desc()
        ),
    }
}

/// Resource types are nominal: where the component imports one resource
/// type under several names, the linker must define the same type for all
/// of them.
fn check_resource_identities<T>(root: &Namespace<T>, component: &Component) -> Result<()> {
    let mut seen: Vec<(u32, &str, ResourceType)> = Vec::new();
    for (path, resource) in &component.inner.plan.resources.imported_paths {
        let mut segments = path.split('#');
        let mut def = segments
            .next()
            .and_then(|n| crate::names::lookup(&root.items, n));
        for segment in segments {
            def = match def {
                Some(Definition::Instance(ns)) => crate::names::lookup(&ns.items, segment),
                _ => None,
            };
        }
        let Some(Definition::Resource(ty, _)) = def else {
            continue; // reported by `check` as a missing import
        };
        match seen.iter().find(|(r, ..)| r == resource) {
            Some((_, first, first_ty)) if first_ty != ty => bail!(
                "resource types `{first}` and `{path}` are the same type in the component, but the linker defines them as different types (`{first_ty}` and `{ty}`)"
            ),
            Some(_) => {}
            None => seen.push((*resource, path, ty.clone())),
        }
    }
    Ok(())
}

fn describe(item: &ComponentItem) -> String {
    match item {
        ComponentItem::Func(ty) => format!("a function `{ty}`"),
        ComponentItem::Instance(_) => "an instance".into(),
        ComponentItem::Module => "a core module".into(),
        ComponentItem::Component => "a component".into(),
        ComponentItem::Type(ty) => format!("a type `{ty}`"),
        ComponentItem::Resource(r) => format!("a resource `{r}`"),
    }
}
