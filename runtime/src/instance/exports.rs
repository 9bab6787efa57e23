//! Looking up an instance's exports that are not functions, and export
//! indices through an instance: `Instance::get_export`,
//! `get_export_index`, `get_resource` and `get_module`, named as
//! `wasmtime::component::Instance` names them. (Functions are looked up in
//! `func.rs` and `typed/func.rs`.)

use crate::component::Component;
use crate::component_type::ComponentItem;
use crate::instance::{ComponentExportIndex, IndexItem, Instance, InstanceExportLookup};
use crate::plan::ExportedModule;
use crate::resources::ResourceType;
use crate::store::{AsContextMut, InstanceState};

impl Instance {
    /// Like [`Component::get_export`], for this instance's component: the
    /// type of export `name` (at the root, or inside the exported
    /// `instance`) and its index, for [`Instance::get_func`] and the other
    /// `get_*` methods. `None` when there is no such export, or `store` is
    /// not this instance's store.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Component, ComponentItem, Engine, Linker, Store};
    /// let engine = Engine::default();
    /// let component = Component::new(&engine, r#"
    ///     (component
    ///         (core module $m (func (export "one") (result i32) i32.const 1))
    ///         (core instance $i (instantiate $m))
    ///         (func (export "one") (result u32) (canon lift (core func $i "one"))))
    /// "#)?;
    /// let mut store = Store::new(&engine, ());
    /// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
    /// let (item, index) = instance.get_export(&mut store, None, "one").unwrap();
    /// assert!(matches!(item, ComponentItem::Func(_)));
    /// let one = instance.get_typed_func::<(), (u32,)>(&mut store, &index)?;
    /// assert_eq!(one.call(&mut store, ())?, (1,));
    /// # Ok(()) }
    /// ```
    pub fn get_export(
        &self,
        mut store: impl AsContextMut,
        instance: Option<&ComponentExportIndex>,
        name: &str,
    ) -> Option<(ComponentItem, ComponentExportIndex)> {
        self.own_component(&mut store)?.get_export(instance, name)
    }

    /// Like [`Component::get_export_index`], for this instance's
    /// component; `None` when there is no such export, or `store` is not
    /// this instance's store.
    pub fn get_export_index(
        &self,
        mut store: impl AsContextMut,
        instance: Option<&ComponentExportIndex>,
        name: &str,
    ) -> Option<ComponentExportIndex> {
        self.own_component(&mut store)?
            .get_export_index(instance, name)
    }

    /// The resource type the instance exports as `name` (a name such as
    /// `"ns:pkg/iface#res"`, or an index): for a resource type the
    /// component defines, the type of this instance's resources, which is
    /// different in every instance; for one it imports and exports again,
    /// the imported type. `None` when there is no such resource export.
    pub fn get_resource(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Option<ResourceType> {
        let store = store.as_context_mut();
        let state = self.own_state(store.0.data())?;
        let IndexItem::Resource(resource) = self.lookup(state, &name)? else {
            return None;
        };
        state.resource_types.get(resource as usize).cloned()
    }

    /// The core module the instance exports as `name` (or by index):
    /// one of the component's own modules, or a module it imported and
    /// exports again. `None` when there is no such module export.
    pub fn get_module(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Option<wasmtime::Module> {
        let store = store.as_context_mut();
        let state = self.own_state(store.0.data())?;
        let IndexItem::Module(module) = self.lookup(state, &name)? else {
            return None;
        };
        match module {
            ExportedModule::Static(i) => state.component.modules.get(i as usize).cloned(),
            ExportedModule::Import(import) => state
                .imported_modules
                .iter()
                .find(|(i, _)| *i == import)
                .map(|(_, m)| m.clone()),
        }
    }

    /// This instance's state, if `data` is its store's.
    fn own_state<'s, T>(&self, data: &'s crate::StoreData<T>) -> Option<&'s InstanceState> {
        crate::instance::state(data, *self).ok()
    }

    /// This instance's component, if `store` is its store.
    fn own_component(&self, store: &mut impl AsContextMut) -> Option<Component> {
        let store = store.as_context_mut();
        let inner = self.own_state(store.0.data())?.component.clone();
        Some(Component { inner })
    }

    /// What `name` locates in this instance's component.
    fn lookup(&self, state: &InstanceState, name: &impl InstanceExportLookup) -> Option<IndexItem> {
        let component = Component {
            inner: state.component.clone(),
        };
        let index = name.export_index(&component)?;
        Some(index.item.clone())
    }
}
