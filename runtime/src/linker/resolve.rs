//! Resolving a component's imports against the linker's definitions, once,
//! for [`crate::InstancePre`]: every import must be defined with the right
//! kind and type (typed host functions are type-checked, core modules
//! checked against the module type the component declares), and each
//! runtime import is looked up so that instantiation looks nothing up.

use crate::component::Component;
use crate::component_type::ComponentItem;
use crate::host::{HostFunc, Resolved};
use crate::linker::{Definition, Namespace};
use crate::resources::ResourceType;
use crate::{Result, bail};

/// The definition of every runtime import of `component` in `root`, by
/// runtime import index; an error names the first import that is missing
/// or does not match.
pub(crate) fn resolve<T>(component: &Component, root: &Namespace<T>) -> Result<Vec<Resolved<T>>> {
    let plan = &component.inner.plan;
    let resources = resource_definitions(root, component)?;
    for (name, item) in &plan.imports {
        check(root, name, name, item, &resources)?;
    }
    let imports = plan
            .runtime_imports
            .iter()
            .map(|(import, path)| {
                let (name, _) = &plan.imports[*import as usize];
                let mut full = name.clone();
                for segment in path {
                    full = format!("{full}#{segment}");
                }
                let def = lookup_path(root, &full)
                    .or_else(|| resources.alias_of(&full))
                    .ok_or_else(|| crate::format_err!("missing import `{full}`"))?;
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
    Ok(imports)
}

/// The resource type the linker gives each name under which `component`
/// imports a resource type (`iface#name`), in the component's order;
/// names it does not define are left out.
pub(super) fn imported_resource_types<T>(
    component: &Component,
    root: &Namespace<T>,
) -> Result<Vec<(String, ResourceType)>> {
    let resources = resource_definitions(root, component)?;
    Ok(resources
        .paths
        .iter()
        .filter_map(|(path, _)| {
            let def = lookup_path(root, path).or_else(|| resources.alias_of(path))?;
            match def {
                Definition::Resource(ty, _) => Some((path.clone(), ty.clone())),
                _ => None,
            }
        })
        .collect())
}

/// Checks that the linker defines `item` under `name`, recursively for
/// instances. `path` names the item in messages.
fn check<T>(
    ns: &Namespace<T>,
    name: &str,
    path: &str,
    item: &ComponentItem,
    resources: &ResourceDefs<'_, T>,
) -> Result<()> {
    let def = crate::names::lookup(&ns.items, name);
    match (item, def) {
        // Value types carry no runtime definition.
        (ComponentItem::Type(_), _) => Ok(()),
        // A resource type imported again under another name (an interface
        // that `use`s another's resource: `(type (eq ...))`) needs no
        // definition of its own once one of its names is defined.
        (ComponentItem::Resource(_), None) if resources.alias_of(path).is_some() => Ok(()),
        // An instance of value types and such instances only has nothing
        // to define (as in wasmtime).
        (ComponentItem::Instance(items), None) if needs_nothing(items) => Ok(()),
        (_, None) => bail!(
            "missing import `{path}`: the component imports {}, and the linker defines nothing under that name",
            describe(item)
        ),
        (ComponentItem::Func(_), Some(Definition::Func(HostFunc::Dynamic(_)))) => Ok(()),
        #[cfg(feature = "async")]
        (ComponentItem::Func(_), Some(Definition::Func(HostFunc::DynamicAsync(_)))) => Ok(()),
        (ComponentItem::Func(ty), Some(Definition::Func(HostFunc::Typed(f)))) => f
            .typecheck(ty)
            .map_err(|e| crate::format_err!("import `{path}` has the wrong type: {e}")),
        (ComponentItem::Module(ty), Some(Definition::Module(module))) => ty
            .check(module)
            .map_err(|e| crate::format_err!("import `{path}`: {e}")),
        (ComponentItem::Resource(_), Some(Definition::Resource(..))) => Ok(()),
        (ComponentItem::Instance(items), Some(Definition::Instance(inner))) => {
            for (child, item) in items {
                check(inner, child, &format!("{path}#{child}"), item, resources)?;
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

/// Whether an imported instance with `items` needs no definition: it
/// holds only value types and instances that need none.
fn needs_nothing(items: &[(String, ComponentItem)]) -> bool {
    items.iter().all(|(_, item)| match item {
        ComponentItem::Type(_) => true,
        ComponentItem::Instance(items) => needs_nothing(items),
        _ => false,
    })
}

/// The definitions of the component's imported resource types, by the
/// paths it imports them under (`iface#name`).
struct ResourceDefs<'a, T: 'static> {
    /// Every import path of a resource type, and the resource's index.
    paths: &'a [(String, u32)],
    /// Per resource index, the first definition the linker gives it.
    defined: Vec<(u32, &'a Definition<T>)>,
}

impl<'a, T> ResourceDefs<'a, T> {
    /// The definition of the resource imported under `path`, found under
    /// any of its import paths.
    fn alias_of(&self, path: &str) -> Option<&'a Definition<T>> {
        let (_, resource) = self.paths.iter().find(|(p, _)| p == path)?;
        self.defined
            .iter()
            .find(|(r, _)| r == resource)
            .map(|(_, def)| *def)
    }
}

/// The definition under `path` (`name#child#...`).
pub(super) fn lookup_path<'a, T>(root: &'a Namespace<T>, path: &str) -> Option<&'a Definition<T>> {
    let mut segments = path.split('#');
    let mut def = crate::names::lookup(&root.items, segments.next()?)?;
    for segment in segments {
        def = match def {
            Definition::Instance(ns) => crate::names::lookup(&ns.items, segment)?,
            _ => return None,
        };
    }
    Some(def)
}

/// Finds the linker's definitions of the imported resource types. Resource
/// types are nominal: where the component imports one resource type under
/// several names, the linker must define the same type for all of those it
/// defines.
fn resource_definitions<'a, T>(
    root: &'a Namespace<T>,
    component: &'a Component,
) -> Result<ResourceDefs<'a, T>> {
    let paths = &component.inner.plan.resources.imported_paths;
    // (resource, first path defined, its type, its definition)
    let mut first: Vec<(u32, &str, &ResourceType, &Definition<T>)> = Vec::new();
    for (path, resource) in paths {
        let Some(def @ Definition::Resource(ty, _)) = lookup_path(root, path) else {
            continue; // an alias, or reported by `check` as a missing import
        };
        match first.iter().find(|(r, ..)| r == resource) {
            Some((_, first_path, first_ty, _)) if *first_ty != ty => bail!(
                "resource types `{first_path}` and `{path}` are the same type in the component, but the linker defines them as different types (`{first_ty}` and `{ty}`)"
            ),
            Some(_) => {}
            None => first.push((*resource, path, ty, def)),
        }
    }
    let defined = first.into_iter().map(|(r, _, _, def)| (r, def)).collect();
    Ok(ResourceDefs { paths, defined })
}

fn describe(item: &ComponentItem) -> String {
    match item {
        ComponentItem::Func(ty) => format!("a function `{ty}`"),
        ComponentItem::Instance(_) => "an instance".into(),
        ComponentItem::Module(_) => "a core module".into(),
        ComponentItem::Component => "a component".into(),
        ComponentItem::Type(ty) => format!("a type `{ty}`"),
        ComponentItem::Resource(r) => format!("a resource `{r}`"),
    }
}
