//! [`TypedFuncIndex`]: an exported function of a component, its type
//! checked against Rust types once, made into a [`TypedFunc`] in each
//! instance without looking anything up or checking anything again.

use std::marker::PhantomData;
use std::sync::Arc;

use crate::instance::{ComponentExportIndex, Instance};
use crate::store::AsContextMut;
use crate::typed::func::{CoreLayout, RawFunc, core_layout, typecheck};
use crate::typed::{LiftList, LowerList, TypedFunc};
use crate::{Result, bail};

/// An exported function whose type was checked, once, to be `P -> R`:
/// [`TypedFuncIndex::load`] makes its [`TypedFunc`] in any instance of the
/// component cheaply (what `bindgen!`'s `…Pre` keeps).
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Component, Engine, Linker, Store};
/// let engine = Engine::default();
/// let component = Component::new(&engine, r#"
///     (component
///         (core module $m (func (export "add") (param i32 i32) (result i32)
///             local.get 0 local.get 1 i32.add))
///         (core instance $i (instantiate $m))
///         (func (export "add") (param "a" u32) (param "b" u32) (result u32)
///             (canon lift (core func $i "add"))))
/// "#)?;
/// let add = component
///     .get_export_index(None, "add")
///     .unwrap()
///     .typed::<(u32, u32), (u32,)>()?;
/// let linker = Linker::new(&engine);
/// let mut store = Store::new(&engine, ());
/// let instance = linker.instantiate(&mut store, &component)?;
/// assert_eq!(add.load(&mut store, &instance)?.call(&mut store, (2, 3))?, (5,));
/// # Ok(()) }
/// ```
pub struct TypedFuncIndex<P, R> {
    index: ComponentExportIndex,
    layout: CoreLayout,
    _types: PhantomData<fn(P) -> R>,
}

impl<P, R> Clone for TypedFuncIndex<P, R> {
    fn clone(&self) -> Self {
        TypedFuncIndex {
            index: self.index.clone(),
            layout: self.layout.clone(),
            _types: PhantomData,
        }
    }
}

impl<P, R> std::fmt::Debug for TypedFuncIndex<P, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TypedFuncIndex").field(&self.index).finish()
    }
}

impl ComponentExportIndex {
    /// Checks that this export is a function of type `P -> R` (tuples of
    /// Rust types), once; the error names the export and both types.
    pub fn typed<P: LowerList, R: LiftList>(&self) -> Result<TypedFuncIndex<P, R>> {
        let func = match &self.item {
            crate::instance::IndexItem::Func(func) => func,
            crate::instance::IndexItem::Instance(_) => {
                bail!("export `{}` is an instance, not a function", self.name)
            }
            crate::instance::IndexItem::Module(_) => {
                bail!("export `{}` is a core module, not a function", self.name)
            }
            crate::instance::IndexItem::Resource(_) => {
                bail!("export `{}` is a resource type, not a function", self.name)
            }
            crate::instance::IndexItem::Other => {
                bail!("export `{}` is not a function", self.name)
            }
        };
        typecheck::<P, R>(&func.lifted)
            .map_err(|e| crate::format_err!("export `{}`: {e}", self.name))?;
        let layout = core_layout(&func.lifted)?;
        Ok(TypedFuncIndex {
            index: self.clone(),
            layout,
            _types: PhantomData,
        })
    }
}

impl<P: LowerList, R: LiftList> TypedFuncIndex<P, R> {
    /// The export.
    pub fn index(&self) -> &ComponentExportIndex {
        &self.index
    }

    /// The typed function in `instance`, which must be an instance of the
    /// component the index was made from.
    pub fn load(
        &self,
        mut store: impl AsContextMut,
        instance: &Instance,
    ) -> Result<TypedFunc<P, R>> {
        let mut store = store.as_context_mut();
        let state = crate::instance::state(store.0.data(), *instance)?;
        if !Arc::ptr_eq(&state.component, &self.index.component) {
            bail!(
                "export `{}`: the instance is not an instance of the component the index was made from",
                self.index.name
            );
        }
        let crate::instance::IndexItem::Func(func) = &self.index.item else {
            bail!("internal: typed index of a non-function");
        };
        let found = instance.func_at(&mut store.0, func).ok_or_else(|| {
            crate::format_err!(
                "internal: export `{}` is missing from its instance",
                self.index.name
            )
        })?;
        let check = (!func.core_checked()).then(|| crate::AsContext::as_context(&store));
        let raw = RawFunc::new(found, self.layout.clone(), check)?;
        Ok(TypedFunc::from_raw(raw))
    }
}
