//! [`ComponentExportIndex`]: an export of a component, looked up by name
//! once and then found in any instance of the component without lookups.
//!
//! ```text
//! Component::get_export_index(None, "ns:pkg/iface")        ─▶ instance index
//! Component::get_export_index(Some(&iface), "greet")       ─▶ function index
//! Instance::get_func(&mut store, &index)                   ─▶ Func (no names)
//! ```
//!
//! A function's index holds the lifted function of the component's plan
//! and where its core function is: for core instances of the component's
//! own modules, a `wasmtime::ModuleExport`, which finds the core export
//! without hashing its name, and the core signature, checked once here.

use std::borrow::Cow;
use std::sync::Arc;

use crate::canon::{Context, flatten_functype};
use crate::component::{Component, ComponentInner};
use crate::plan::{CoreDef, ExportDef, ExportedModule, LiftedFunc, Step};
use crate::types::FlatType;

/// An export of a [`Component`], found once by name with
/// [`Component::get_export_index`]; [`crate::Instance::get_func`] then
/// takes it instead of a name and looks nothing up.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Component, Engine, Linker, Store};
/// let engine = Engine::default();
/// let component = Component::new(&engine, r#"
///     (component
///         (core module $m (func (export "one") (result i32) i32.const 1))
///         (core instance $i (instantiate $m))
///         (func $one (result u32) (canon lift (core func $i "one")))
///         (instance $api (export "one" (func $one)))
///         (export "api" (instance $api)))
/// "#)?;
/// let api = component.get_export_index(None, "api").unwrap();
/// let one = component.get_export_index(Some(&api), "one").unwrap();
/// let linker = Linker::new(&engine);
/// for _ in 0..2 {
///     let mut store = Store::new(&engine, ());
///     let instance = linker.instantiate(&mut store, &component)?;
///     let func = instance.get_func(&mut store, &one).unwrap();
///     let mut results = [wit_host::Val::U32(0)];
///     func.call(&mut store, &[], &mut results)?;
///     assert_eq!(results[0], wit_host::Val::U32(1));
/// }
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ComponentExportIndex {
    pub(crate) component: Arc<ComponentInner>,
    /// The export's full name (`iface#func`), for messages.
    pub(crate) name: Arc<str>,
    pub(crate) item: IndexItem,
}

#[derive(Clone)]
pub(crate) enum IndexItem {
    /// An exported instance: the names leading to it from the root.
    Instance(Arc<[String]>),
    Func(FuncIndex),
    /// A core module.
    Module(ExportedModule),
    /// A resource type, by resource index.
    Resource(u32),
    /// A value type.
    Other,
}

/// Where an exported function is.
#[derive(Clone)]
pub(crate) struct FuncIndex {
    pub lifted: Arc<LiftedFunc>,
    pub core: CoreIndex,
}

/// Where an exported function's core function is.
#[derive(Clone)]
pub(crate) enum CoreIndex {
    /// An export of a core instance of one of the component's modules:
    /// found by index, its core signature already checked.
    Static {
        instance: u32,
        export: wasmtime::ModuleExport,
    },
    /// An export of a core instance of an imported module, by name.
    Named { instance: u32, name: String },
    /// A host trampoline.
    Trampoline(u32),
    /// Not a function at run time.
    None,
}

impl FuncIndex {
    /// Whether the core function's signature was checked against the
    /// canonical ABI's flattening of the function type.
    pub fn core_checked(&self) -> bool {
        matches!(self.core, CoreIndex::Static { .. })
    }
}

impl std::fmt::Debug for ComponentExportIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.item {
            IndexItem::Instance(_) => "instance",
            IndexItem::Func(_) => "func",
            IndexItem::Module(_) => "module",
            IndexItem::Resource(_) => "resource",
            IndexItem::Other => "other",
        };
        f.debug_struct("ComponentExportIndex")
            .field("name", &self.name)
            .field("kind", &kind)
            .finish()
    }
}

impl ComponentExportIndex {
    /// The export's name: `name` at the root, `instance#name` inside an
    /// exported instance.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the export is a function.
    pub fn is_func(&self) -> bool {
        matches!(self.item, IndexItem::Func(_))
    }

    /// Whether the export is an instance.
    pub fn is_instance(&self) -> bool {
        matches!(self.item, IndexItem::Instance(_))
    }

    /// Whether the export is a core module.
    pub fn is_module(&self) -> bool {
        matches!(self.item, IndexItem::Module(_))
    }

    /// Whether the export is a resource type.
    pub fn is_resource(&self) -> bool {
        matches!(self.item, IndexItem::Resource(_))
    }
}

impl Component {
    /// Looks up export `name`: at the root with `instance: None`, or
    /// inside the exported instance `instance`. `None` when there is no
    /// such export (or `instance` is not an instance of this component).
    pub fn get_export_index(
        &self,
        instance: Option<&ComponentExportIndex>,
        name: &str,
    ) -> Option<ComponentExportIndex> {
        let inner = &self.inner;
        let (path, def, full): (Vec<String>, &ExportDef, String) = match instance {
            None => (
                vec![name.to_string()],
                inner.plan.exports.get(name)?,
                name.to_string(),
            ),
            Some(parent) => {
                let IndexItem::Instance(parent_path) = &parent.item else {
                    return None;
                };
                if !Arc::ptr_eq(&parent.component, inner) {
                    return None;
                }
                let mut def = inner.plan.exports.get(parent_path.first()?)?;
                for segment in &parent_path[1..] {
                    let ExportDef::Instance(items) = def else {
                        return None;
                    };
                    def = items.get(segment)?;
                }
                let ExportDef::Instance(items) = def else {
                    return None;
                };
                let mut path = parent_path.to_vec();
                path.push(name.to_string());
                (path, items.get(name)?, format!("{}#{name}", parent.name))
            }
        };
        let item = match def {
            ExportDef::Instance(_) => IndexItem::Instance(path.into()),
            ExportDef::Func(lifted) => IndexItem::Func(FuncIndex {
                lifted: lifted.clone(),
                core: core_index(inner, lifted),
            }),
            ExportDef::Module(module) => IndexItem::Module(*module),
            ExportDef::Resource(resource) => IndexItem::Resource(*resource),
            ExportDef::Other => IndexItem::Other,
        };
        Some(ComponentExportIndex {
            component: inner.clone(),
            name: full.into(),
            item,
        })
    }
}

/// Where `lifted`'s core function will be in every instance.
fn core_index(inner: &ComponentInner, lifted: &LiftedFunc) -> CoreIndex {
    let export = match &lifted.core {
        CoreDef::Export(e) => e,
        CoreDef::Trampoline(i) => return CoreIndex::Trampoline(*i),
        CoreDef::InstanceFlags(_) => return CoreIndex::None,
    };
    let named = || CoreIndex::Named {
        instance: export.instance,
        name: export.name.clone(),
    };
    // Core instances are numbered in the order the steps make them.
    let step = inner
        .plan
        .steps
        .iter()
        .filter(|s| {
            matches!(
                s,
                Step::InstantiateStatic { .. } | Step::InstantiateImported { .. }
            )
        })
        .nth(export.instance as usize);
    let Some(Step::InstantiateStatic { module, .. }) = step else {
        return named();
    };
    let Some(module) = inner.modules.get(*module as usize) else {
        return named();
    };
    let (Some(index), Some(wasmtime::ExternType::Func(ty))) = (
        module.get_export_index(&export.name),
        module.get_export(&export.name),
    ) else {
        return named();
    };
    // The typed call's unchecked core call needs exactly the flattened
    // signature; anything else is checked again when the function is made.
    let (params, results) = flatten_functype(&lifted.params, lifted.ty.results(), Context::Lift);
    if !same_types(ty.params(), &params) || !same_types(ty.results(), &results) {
        return named();
    }
    CoreIndex::Static {
        instance: export.instance,
        export: index,
    }
}

/// Whether core value types are the flat types, in order.
pub(crate) fn same_types(
    core: impl ExactSizeIterator<Item = wasmtime::ValType>,
    flat: &[FlatType],
) -> bool {
    core.len() == flat.len()
        && core.zip(flat).all(|(c, f)| {
            matches!(
                (c, f),
                (wasmtime::ValType::I32, FlatType::I32)
                    | (wasmtime::ValType::I64, FlatType::I64)
                    | (wasmtime::ValType::F32, FlatType::F32)
                    | (wasmtime::ValType::F64, FlatType::F64)
            )
        })
}

/// What [`crate::Instance::get_func`] accepts: a name (`"run"`,
/// `"ns:pkg/iface#greet"`) or a [`ComponentExportIndex`] (no lookups).
pub trait InstanceExportLookup {
    /// The export's index in `component`, if it has it.
    #[doc(hidden)]
    fn export_index(&self, component: &Component) -> Option<Cow<'_, ComponentExportIndex>>;

    /// The export's name, for messages.
    #[doc(hidden)]
    fn describe(&self) -> String;
}

impl InstanceExportLookup for str {
    fn export_index(&self, component: &Component) -> Option<Cow<'_, ComponentExportIndex>> {
        let mut segments = self.split('#');
        let mut index = component.get_export_index(None, segments.next()?)?;
        for segment in segments {
            index = component.get_export_index(Some(&index), segment)?;
        }
        Some(Cow::Owned(index))
    }

    fn describe(&self) -> String {
        self.to_string()
    }
}

impl InstanceExportLookup for String {
    fn export_index(&self, component: &Component) -> Option<Cow<'_, ComponentExportIndex>> {
        self.as_str().export_index(component)
    }

    fn describe(&self) -> String {
        self.clone()
    }
}

impl InstanceExportLookup for ComponentExportIndex {
    fn export_index(&self, component: &Component) -> Option<Cow<'_, ComponentExportIndex>> {
        Arc::ptr_eq(&self.component, &component.inner).then_some(Cow::Borrowed(self))
    }

    fn describe(&self) -> String {
        self.name.to_string()
    }
}

impl<L: InstanceExportLookup + ?Sized> InstanceExportLookup for &L {
    fn export_index(&self, component: &Component) -> Option<Cow<'_, ComponentExportIndex>> {
        (**self).export_index(component)
    }

    fn describe(&self) -> String {
        (**self).describe()
    }
}
