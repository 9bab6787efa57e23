//! [`Func`]: an exported component function, called with dynamic values.

use std::sync::Arc;

use crate::canon::{self, Budget, Cx, Flat, FlatIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::component::Component;
use crate::core_values::zero;
use crate::instance::{CoreIndex, FuncIndex, IndexItem, Instance, InstanceExportLookup};
use crate::plan::{LiftedFunc, Options};
use crate::resources::scope;
use crate::store::entry;
#[cfg(feature = "async")]
use crate::store::entry_async::{Entered, catching};
use crate::store::guest::{Guest, OptionSlots, with_cx};
use crate::store::may_leave::set_may_leave;
use crate::store::{AsContextMut, StoreData};
use crate::types::{FuncType, Type};
use crate::{Context, Result, Val, bail};

/// A function exported by a component instance.
///
/// Everything a call needs (the core function, the memory, `realloc` and
/// `post-return` the canonical options name) is resolved when the `Func` is
/// looked up, so a call does no lookups.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Component, Engine, Linker, Store, Val};
/// let engine = Engine::default();
/// let component = Component::new(&engine, r#"
///     (component
///         (core module $m (func (export "add") (param i32 i32) (result i32)
///             local.get 0 local.get 1 i32.add))
///         (core instance $i (instantiate $m))
///         (func (export "add") (param "a" u32) (param "b" u32) (result u32)
///             (canon lift (core func $i "add"))))
/// "#)?;
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
/// let add = instance.get_func(&mut store, "add").unwrap();
/// let mut results = [Val::U32(0)];
/// add.call(&mut store, &[Val::U32(2), Val::U32(3)], &mut results)?;
/// assert_eq!(results[0], Val::U32(5));
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Func {
    pub(crate) instance: Instance,
    pub(crate) core: wasmtime::Func,
    pub(crate) lifted: Arc<LiftedFunc>,
    pub(crate) options: Options,
    pub(crate) slots: OptionSlots,
}

impl Func {
    pub(crate) fn new(
        instance: Instance,
        core: wasmtime::Func,
        lifted: Arc<LiftedFunc>,
        options: Options,
        slots: OptionSlots,
    ) -> Func {
        Func {
            instance,
            core,
            lifted,
            options,
            slots,
        }
    }

    /// The function's type.
    pub fn ty(&self) -> &FuncType {
        &self.lifted.ty
    }

    /// Parameter names and types.
    pub fn params(&self) -> &[(String, Type)] {
        self.lifted.ty.params()
    }

    /// Result types.
    pub fn results(&self) -> &[Type] {
        self.lifted.ty.results()
    }

    /// Calls the function: lowers `params` into the guest, runs it, lifts
    /// its results into `results` (one slot per result type), then runs the
    /// guest's `post-return`.
    ///
    /// Errors if a value does not match its type, if the guest traps (the
    /// error says what the guest did wrong), or if the instance is already
    /// running (components may not be reentered). A call that fails after
    /// a value was checked — a trap, a host import's error, a guest
    /// result that cannot be lifted — locks the instance down: every later
    /// entry is an error ([`crate::Trap::CannotEnterComponent`]); the store
    /// and other instances stay usable.
    pub fn call(
        &self,
        mut store: impl AsContextMut,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let mut store = store.as_context_mut();
        let store = &mut store.0;
        self.check_call(store, params, results)?;
        entry::run(store, self.instance.index, |store| {
            self.call_entered(store, params, results)
        })
    }

    /// [`Func::call`] for an instance instantiated asynchronously
    /// ([`crate::InstancePre::instantiate_async`]): the guest runs on a
    /// wasmtime fiber and may yield to the executor (epoch or fuel
    /// yielding). The same checks and errors as `call`, and:
    ///
    /// - an instance instantiated synchronously is refused (its imports
    ///   would call the guest back synchronously from the fiber);
    /// - dropping the future before it completes cancels the call: the
    ///   guest's fiber is unwound and the instance is locked down, as after
    ///   a trap; the store and its other instances go on.
    ///
    /// Arguments that need `realloc` (strings, lists) are lowered in two
    /// passes: see the book's "Async hosts" notes on `realloc`.
    #[cfg(feature = "async")]
    pub async fn call_async<S>(
        &self,
        mut store: S,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        let mut store = store.as_context_mut();
        let store = &mut store.0;
        self.check_call(store, params, results)?;
        let mut entered = Entered::enter(store, self.instance.index)?;
        let outcome = catching(self.call_entered_async(entered.store(), params, results)).await;
        entered.finish(outcome)
    }

    /// The checks before a call enters the guest: counts and types of the
    /// values, handles the host passes. A failure here is the host's
    /// mistake alone: the instance stays usable.
    fn check_call<T: 'static>(
        &self,
        store: &wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: &[Val],
        results: &[Val],
    ) -> Result<()> {
        let ty = &self.lifted.ty;
        if params.len() != ty.params().len() {
            bail!(
                "`{ty}` takes {} parameter(s), {} given",
                ty.params().len(),
                params.len()
            );
        }
        if results.len() != ty.results().len() {
            bail!(
                "`{ty}` returns {} result(s), {} result slot(s) given",
                ty.results().len(),
                results.len()
            );
        }
        crate::instance::state(store.data(), self.instance)?;
        // A bad argument is the host's mistake, found before anything runs:
        // the instance stays usable.
        canon::typecheck_values(params, &self.lifted.params)?;
        crate::store::resource_ops::check_host_handles(
            store.data(),
            self.instance.index,
            params,
            &self.lifted.params,
        )
    }

    fn call_entered<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        // Borrows handed to the callee must be dropped by the time it
        // returns; the scope checks that.
        let scope = scope::enter(store.data_mut());
        let called = self.lower_and_call(store, params);
        let exited = scope::exit(store.data_mut(), scope);
        let core_results = called?;
        exited?;
        self.lift_results(store, &core_results, results)?;
        if let Some(post_return) = self.slots.post_return {
            self.without_leaving(store, |store| {
                post_return.call(&mut *store, &core_results, &mut [])
            })?;
        }
        Ok(())
    }

    /// [`Func::call_entered`] on an asynchronous store: every guest entry
    /// (`realloc`, the function, `post-return`) is an awaited
    /// `call_async`.
    #[cfg(feature = "async")]
    async fn call_entered_async<T: Send + 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: &[Val],
        results: &mut [Val],
    ) -> Result<()> {
        let scope = scope::enter(store.data_mut());
        let called: Result<Vec<wasmtime::Val>> = async {
            let args = crate::store::deferred_realloc::lower_async(
                store,
                self.instance.index,
                &self.slots,
                |mut guest| self.lower_params(&mut guest, params),
            )
            .await?;
            let mut core_results = self.core_result_slots();
            store.data_mut().touch_guest();
            self.core
                .call_async(&mut *store, &args, &mut core_results)
                .await?;
            Ok(core_results)
        }
        .await;
        let exited = scope::exit(store.data_mut(), scope);
        let core_results = called?;
        exited?;
        self.lift_results(store, &core_results, results)?;
        if let Some(post_return) = self.slots.post_return {
            let (state, instance) = (self.instance.index, self.slots.instance);
            set_may_leave(store, state, instance, false);
            let done = post_return
                .call_async(&mut *store, &core_results, &mut [])
                .await;
            set_may_leave(store, state, instance, true);
            done?;
        }
        Ok(())
    }

    /// Lifts the core results of a call into `results`.
    fn lift_results<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        core_results: &[wasmtime::Val],
        results: &mut [Val],
    ) -> Result<()> {
        let lifted = &self.lifted;
        let flat = core_results
            .iter()
            .map(Flat::from_wasm)
            .collect::<Option<Vec<Flat>>>()
            .context("internal: unexpected core value type")?;
        let lifted_results = with_cx(
            store,
            self.instance.index,
            &self.slots,
            &self.options,
            |cx| {
                canon::lift_flat_values(
                    cx,
                    MAX_FLAT_RESULTS,
                    &mut FlatIter::new(&flat),
                    lifted.ty.results(),
                )
            },
        )?;
        for (slot, v) in results.iter_mut().zip(lifted_results) {
            *slot = v;
        }
        Ok(())
    }

    /// Runs `f` with the instance's may-leave flag cleared, as the spec
    /// does around `post-return`: the guest may not call out of the
    /// component then. (`realloc` calls clear it themselves, see
    /// `instance::guest::Guest`.)
    fn without_leaving<T: 'static, R>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        f: impl FnOnce(&mut wasmtime::StoreContextMut<'_, StoreData<T>>) -> Result<R>,
    ) -> Result<R> {
        let (state, instance) = (self.instance.index, self.slots.instance);
        set_may_leave(store, state, instance, false);
        let out = f(store);
        set_may_leave(store, state, instance, true);
        out
    }

    /// Lowers the parameters and calls the core function; returns its core
    /// results.
    fn lower_and_call<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: &[Val],
    ) -> Result<Vec<wasmtime::Val>> {
        let args = self.lower_params(
            &mut Guest::new(store, self.instance.index, &self.slots),
            params,
        )?;
        let mut core_results = self.core_result_slots();
        store.data_mut().touch_guest();
        self.core.call(&mut *store, &args, &mut core_results)?;
        Ok(core_results)
    }
}

impl Func {
    /// Lowers `params` into `guest`: the core arguments.
    fn lower_params<T: 'static>(
        &self,
        guest: &mut Guest<'_, '_, T>,
        params: &[Val],
    ) -> Result<Vec<wasmtime::Val>> {
        let mut cx = Cx {
            mem: guest,
            encoding: self.options.encoding,
            budget: Budget::new(0),
        };
        let args =
            canon::lower_flat_values(&mut cx, MAX_FLAT_PARAMS, params, &self.lifted.params, None)?;
        Ok(args.into_iter().map(Flat::to_wasm).collect())
    }

    /// Zeroed slots for the core function's results.
    fn core_result_slots(&self) -> Vec<wasmtime::Val> {
        self.lifted.core_results.iter().copied().map(zero).collect()
    }
}

/// Looking up an instance's functions (here rather than in `instance`,
/// which knows nothing of calls).
impl Instance {
    /// Looks up an exported function: by name, a root export (`"run"`) or
    /// a function inside an exported instance
    /// (`"example:app/api@1.0.0#greet"`); or by a [`ComponentExportIndex`](crate::ComponentExportIndex)
    /// found once with [`Component::get_export_index`], which looks
    /// nothing up.
    ///
    /// Returns `None` when there is no such function (or the index is of
    /// another component); see [`Instance::exports`] for what there is.
    pub fn get_func(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Option<Func> {
        let mut store = store.as_context_mut();
        let data = store.0.data();
        if data.id != self.store_id {
            return None;
        }
        let state = data.instances.get(self.index)?;
        let component = Component {
            inner: state.component.clone(),
        };
        let index = name.export_index(&component)?;
        let IndexItem::Func(func) = &index.item else {
            return None;
        };
        self.func_at(&mut store.0, func)
    }

    /// The function `func` locates, in this instance (of `func`'s
    /// component, in `store`: the caller checked).
    pub(crate) fn func_at<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        func: &FuncIndex,
    ) -> Option<Func> {
        let state = store.data().instances.get(self.index)?;
        let lifted = func.lifted.clone();
        let options = state.component.plan.options[lifted.options as usize];
        let slots = OptionSlots::resolve(state, &options);
        let core = match &func.core {
            CoreIndex::Static { instance, export } => {
                let core = state.core.get(*instance as usize).copied()?;
                core.get_module_export(&mut *store, export)?.into_func()?
            }
            CoreIndex::Named { instance, name } => {
                let core = state.core.get(*instance as usize).copied()?;
                core.get_func(&mut *store, name)?
            }
            CoreIndex::Trampoline(i) => (*state.trampolines.get(*i as usize)?)?,
            CoreIndex::None => return None,
        };
        Some(Func::new(*self, core, lifted, options, slots))
    }
}
