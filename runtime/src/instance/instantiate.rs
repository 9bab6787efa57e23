//! The initializer walk: runs a plan's steps in order over wasmtime's core
//! API, creating core instances and filling the instance's slots.

use wasmtime::{AsContextMut, Extern, Global, GlobalType, Mutability, StoreContextMut, ValType};

use std::sync::Arc;

use crate::host::Resolved;
use crate::instance::{Instance, InstancePre};
use crate::plan::{CoreDef, CoreExport, Step};
use crate::resources::ResourceType;
use crate::resources::handle_table::HandleTable;
use crate::store::InstanceState;
#[cfg(feature = "async")]
use crate::store::entry_async::{Entered, catching};
use crate::store::resource_ops::AnyDtor;
use crate::store::slots::Slots;
use crate::store::{NOT_ENTERED, StoreData};
use crate::{Context, Result, bail, format_err};

/// Instantiates `pre` in `store`.
pub(crate) fn run<T: 'static>(
    mut store: StoreContextMut<'_, StoreData<T>>,
    pre: &InstancePre<T>,
) -> Result<Instance> {
    if store.data().asynchronous {
        return Err(crate::store::entry::sync_entry_refused());
    }
    if pre.async_imports {
        bail!(
            "the component imports asynchronous host functions or destructors \
             (`func_new_async`, `func_wrap_async`, `resource_async`): instantiate it \
             with `instantiate_async`"
        );
    }
    let instance = begin(&mut store, pre, false)?;
    // Start functions and the host imports they call run entered, like a
    // call: an instance whose instantiation failed is never handed out, and
    // is locked down for whoever could still reach it (a destructor).
    crate::store::entry::run(&mut store, instance.index, |store| {
        store.data_mut().touch_guest();
        let mut walk = Instantiator {
            store: store.as_context_mut(),
            pre,
            instance,
            create_async: None,
        };
        for step in &pre.component.inner.plan.steps {
            if let Some((module, externs)) = walk.step(step)? {
                let core = wasmtime::Instance::new(&mut walk.store, &module, &externs)?;
                walk.state().core.push(core);
            }
        }
        walk.finish();
        Ok(())
    })?;
    Ok(instance)
}

/// [`run`] for an asynchronous store: start functions run on wasmtime's
/// fibers (`wasmtime::Instance::new_async`), and the instance's
/// trampolines enter the guest asynchronously. The store becomes
/// asynchronous.
#[cfg(feature = "async")]
pub(crate) async fn run_async<T: Send + 'static>(
    mut store: StoreContextMut<'_, StoreData<T>>,
    pre: &InstancePre<T>,
) -> Result<Instance> {
    crate::store::entry_async::refuse_inside_sync_entry(store.data())?;
    store.data_mut().asynchronous = true;
    let instance = begin(&mut store, pre, true)?;
    let mut entered = Entered::enter(&mut store, instance.index)?;
    let walk = Instantiator {
        store: entered.store().as_context_mut(),
        pre,
        instance,
        create_async: Some(crate::trampolines::create_async::<T>),
    };
    let outcome = catching(walk.run_async()).await;
    entered.finish(outcome)?;
    Ok(instance)
}

/// Adds the instance's state to the store, before any step runs.
fn begin<T: 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    pre: &InstancePre<T>,
    asynchronous: bool,
) -> Result<Instance> {
    let component = &pre.component.inner;
    if !wasmtime::Engine::same(&component.engine, store.engine()) {
        bail!("the component was compiled for a different engine than the store's");
    }
    let plan = &component.plan;
    let counts = plan.counts;
    if plan.flags_in_wasm {
        store.data_mut().leave.note_flags_in_wasm();
    }
    let flags = (0..counts.component_instances)
        .filter(|_| plan.flags_in_wasm)
        .map(|_| {
            // The may-leave flag starts set: the instance may call out.
            let ty = GlobalType::new(ValType::I32, Mutability::Var);
            Global::new(&mut *store, ty, wasmtime::Val::I32(1))
        })
        .collect::<Result<Box<[_]>>>()?;
    let store_id = store.data().id;
    let state_index = store.data().instances.len();
    let resources = &plan.resources;
    let mut resource_types = Vec::with_capacity(resources.names.len());
    let mut host_dtors = Vec::with_capacity(resources.imported.len());
    for import in &resources.imported {
        let Resolved::Resource(ty, dtor) = &pre.imports[*import as usize] else {
            bail!("internal: imported resource type resolved to something else");
        };
        resource_types.push(ty.clone());
        host_dtors.push(Some(Arc::new(dtor.clone()) as AnyDtor));
    }
    for defined in 0..resources.defined.len() {
        let index = resources.imported.len() + defined;
        let name = resources.names[index].clone();
        resource_types.push(ResourceType::guest(
            store_id,
            state_index,
            index as u32,
            name,
        ));
    }
    let imported_modules = (0u32..)
        .zip(pre.imports.iter())
        .filter_map(|(i, import)| match import {
            Resolved::Module(m) => Some((i, m.clone())),
            _ => None,
        })
        .collect();
    let mut trampolines: Box<[_]> = vec![None; plan.trampolines.len()].into();
    if !asynchronous {
        pre.host_funcs.put_into(store, &mut trampolines)?;
    }
    let state = InstanceState {
        imported_modules,
        resource_types: resource_types.into(),
        handles: Slots::from_fn(counts.component_instances as usize, HandleTable::default),
        dtors: vec![None; resources.defined.len()].into(),
        host_dtors: host_dtors.into(),
        component: component.clone(),
        core: Vec::with_capacity(counts.core_instances as usize),
        memories: Slots::from_fn(counts.memories as usize, || None),
        reallocs: Slots::from_fn(counts.reallocs as usize, || None),
        post_returns: Slots::from_fn(counts.post_returns as usize, || None),
        flags,
        may_leave: Slots::from_fn(counts.component_instances as usize, || true),
        asynchronous,
        entered: false,
        previous: NOT_ENTERED,
        pre: pre.id,
        lockdown: None,
        trampolines,
    };
    let instance = Instance {
        store_id,
        index: state_index,
    };
    let instances = &mut store.data_mut().instances;
    // Room for exactly one state in a store's first instance (most stores
    // hold one; `Vec`'s first growth would reserve four, some 1 KiB more
    // per store), doubling from there on.
    if instances.len() == instances.capacity() {
        instances.reserve_exact(instances.len().max(1));
    }
    instances.push(state);
    Ok(instance)
}

struct Instantiator<'a, 'p, T: 'static> {
    store: StoreContextMut<'a, StoreData<T>>,
    pre: &'p InstancePre<T>,
    instance: Instance,
    /// Set when instantiating asynchronously (see
    /// [`crate::trampolines::CreateAsync`]).
    create_async: Option<crate::trampolines::CreateAsync<T>>,
}

#[cfg(feature = "async")]
impl<T: Send + 'static> Instantiator<'_, '_, T> {
    /// Takes every step, core instantiations with `new_async`.
    async fn run_async(mut self) -> Result<()> {
        self.store.data_mut().touch_guest();
        for step in &self.pre.component.inner.plan.steps {
            if let Some((module, externs)) = self.step(step)? {
                let core =
                    wasmtime::Instance::new_async(&mut self.store, &module, &externs).await?;
                self.state().core.push(core);
            }
        }
        self.finish();
        Ok(())
    }
}

impl<T: 'static> Instantiator<'_, '_, T> {
    fn state(&mut self) -> &mut InstanceState {
        &mut self.store.data_mut().instances[self.instance.index]
    }

    /// After the last step: the trampolines were only kept for the steps
    /// (each created once), unless an export lifts one.
    fn finish(&mut self) {
        if !self.pre.exports_trampolines {
            self.state().trampolines = Box::default();
        }
    }

    /// Takes `step`; a core instantiation is left to the caller (whose
    /// entry into the guest is synchronous or not): its module and
    /// arguments are returned, for the caller to push the new instance.
    fn step(&mut self, step: &Step) -> Result<Option<(wasmtime::Module, Vec<Extern>)>> {
        match step {
            Step::InstantiateStatic { module, args } => {
                let module = self.pre.component.inner.modules[*module as usize].clone();
                let externs = args
                    .iter()
                    .map(|d| self.resolve(d))
                    .collect::<Result<Vec<_>>>()?;
                return Ok(Some((module, externs)));
            }
            Step::InstantiateImported { import, args } => {
                let Resolved::Module(module) = &self.pre.imports[*import as usize] else {
                    bail!("internal: imported module resolved to a function");
                };
                let module = module.clone();
                let mut externs = Vec::new();
                for import in module.imports() {
                    let key = (import.module().to_string(), import.name().to_string());
                    let def = args.get(&key).with_context(|| {
                        format!(
                            "imported core module needs `{}` `{}`, which the component does not supply",
                            key.0, key.1
                        )
                    })?;
                    externs.push(self.resolve(def)?);
                }
                return Ok(Some((module, externs)));
            }
            Step::ExtractMemory {
                index,
                export,
                lifted,
            } => {
                let memory = self
                    .export(export)?
                    .into_memory()
                    .context("internal: canonical memory is not a memory")?;
                if *lifted && memory.ty(&self.store).is_64() {
                    bail!("{}", crate::front::MEMORY64_HOST);
                }
                self.state().memories[*index as usize] = Some(memory);
            }
            Step::ExtractRealloc { index, def } => {
                let realloc = self.func(def)?;
                // `Guest::realloc` relies on this signature: checked here
                // unless the module's type showed it (`core_exports`; the
                // export was then found by its index, which wasmtime
                // checks belongs to the instance's module).
                if !self.pre.core_exports.realloc_typed(*index) {
                    realloc
                        .typed::<(i32, i32, i32, i32), i32>(&self.store)
                        .context("realloc must have type (i32, i32, i32, i32) -> i32")?;
                }
                self.state().reallocs[*index as usize] = Some(realloc);
            }
            Step::ExtractPostReturn { index, def } => {
                let func = self.func(def)?;
                self.state().post_returns[*index as usize] = Some(func);
            }
            Step::Resource { defined, dtor } => {
                let dtor = dtor.as_ref().map(|d| self.func(d)).transpose()?;
                self.state().dtors[*defined as usize] = dtor;
            }
        }
        Ok(None)
    }

    fn func(&mut self, def: &CoreDef) -> Result<wasmtime::Func> {
        self.resolve(def)?
            .into_func()
            .context("internal: expected a core function")
    }

    fn export(&mut self, e: &CoreExport) -> Result<Extern> {
        let core = *self
            .state()
            .core
            .get(e.instance as usize)
            .context("internal: core instance not created yet")?;
        let found = match self.pre.core_exports.index(e) {
            Some(index) => core.get_module_export(&mut self.store, index),
            None => core.get_export(&mut self.store, &e.name),
        };
        found.ok_or_else(|| format_err!("internal: core instance has no export `{}`", e.name))
    }

    fn resolve(&mut self, def: &CoreDef) -> Result<Extern> {
        Ok(match def {
            CoreDef::Export(e) => self.export(e)?,
            CoreDef::InstanceFlags(i) => Extern::Global(self.state().flags[*i as usize]),
            CoreDef::Trampoline(i) => {
                let i = *i as usize;
                if let Some(f) = self.state().trampolines[i] {
                    return Ok(Extern::Func(f));
                }
                let func = crate::trampolines::create(
                    &mut self.store,
                    self.instance.index,
                    &self.pre.component.inner.plan.trampolines[i],
                    &self.pre.component.inner.trampoline_types[i],
                    self.pre.trampolines[i].as_ref(),
                    self.create_async,
                )?;
                self.state().trampolines[i] = Some(func);
                Extern::Func(func)
            }
        })
    }
}
