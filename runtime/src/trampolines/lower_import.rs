//! `canon lower` of a host function: the core function a guest calls to
//! reach the host. It lifts the arguments out of the guest, calls the host
//! function with [`Val`]s, and lowers the results back into the guest.

use std::sync::Arc;

use wasmtime::{AsContextMut, Caller, StoreContextMut};

use crate::canon::{self, Budget, Cx, Flat, FlatIter, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS};
use crate::plan::Options;
use crate::resources::scope;
#[cfg(feature = "async")]
use crate::store::AsyncHostFn;
use crate::store::HostFn;
use crate::store::StoreData;
use crate::store::guest::{Guest, OptionSlots, with_cx};
use crate::store::may_leave::check_may_leave;
use crate::trampolines::host_funcs::calling_state;
use crate::types::{FuncType, Type};
use crate::{Context, Result, Val};

/// What a lowered host call needs in any instance, computed once per
/// `InstancePre` ([`prepare`]).
pub(crate) struct Lowered<T: 'static> {
    options: Options,
    params: Box<[Type]>,
    results: Box<[Type]>,
    /// Whether the results go through a return pointer (more than
    /// `MAX_FLAT_RESULTS` flat values): the guest passes it as the last
    /// argument.
    results_in_memory: bool,
    host: DynamicHost<T>,
    ty: Arc<FuncType>,
}

/// The host function of a lowered import taking dynamic values.
pub(crate) enum DynamicHost<T: 'static> {
    /// `func_new`.
    Sync(Arc<HostFn<T>>),
    /// `func_new_async`: only in asynchronously instantiated instances.
    #[cfg(feature = "async")]
    Async(Arc<AsyncHostFn<T>>),
}

/// Prepares `host` to be lowered as an import of type `ty` with
/// `options`.
pub(super) fn prepare<T: 'static>(
    ty: Arc<FuncType>,
    options: Options,
    host: DynamicHost<T>,
) -> Arc<Lowered<T>> {
    let params: Box<[Type]> = ty.params().iter().map(|(_, t)| t.clone()).collect();
    let results: Box<[Type]> = ty.results().into();
    let flat_results = canon::flat::flat_count(&results);
    Arc::new(Lowered {
        options,
        params,
        results,
        results_in_memory: flat_results > MAX_FLAT_RESULTS,
        host,
        ty,
    })
}

impl<T: 'static> Lowered<T> {
    /// Whether the host function is asynchronous (`func_new_async`).
    pub(super) fn is_async(&self) -> bool {
        match self.host {
            DynamicHost::Sync(_) => false,
            #[cfg(feature = "async")]
            DynamicHost::Async(_) => true,
        }
    }

    /// Defines the core function (of core type `core_ty`) that guests of
    /// the synchronous instances of the `InstancePre` with id `pre` call,
    /// as `module` `name` in `linker` (see `host_funcs`); nothing for an
    /// asynchronous host function, which only asynchronous instances
    /// import.
    pub(super) fn define(
        self: Arc<Self>,
        linker: &mut wasmtime::Linker<StoreData<T>>,
        module: &str,
        name: &str,
        core_ty: wasmtime::FuncType,
        pre: u64,
    ) -> Result<()> {
        if self.is_async() {
            return Ok(());
        }
        linker.func_new(module, name, core_ty, move |caller, args, results| {
            self.call(caller, pre, args, results)
        })?;
        Ok(())
    }
}

/// The core function of [`create`] for an asynchronously instantiated
/// instance: it runs on the guest's fiber, and lowers the results with
/// `realloc` called asynchronously (see `store::deferred_realloc`).
#[cfg(feature = "async")]
pub(super) fn create_async<T: Send + 'static>(
    store: &mut StoreContextMut<'_, StoreData<T>>,
    core_ty: wasmtime::FuncType,
    instance: usize,
    lowered: &Arc<Lowered<T>>,
) -> wasmtime::Func {
    let lowered = lowered.clone();
    wasmtime::Func::new_async(store, core_ty, move |mut caller, args, results| {
        let lowered = lowered.clone();
        Box::new(async move {
            let slots = lowered.enter(&mut caller, instance)?;
            let mut store = caller.as_context_mut();
            let scope = scope::enter(store.data_mut());
            let outcome = async {
                let (params, rest) = lowered.lift_params(&mut store, instance, &slots, args)?;
                let mut vals = lowered.result_slots();
                let host = crate::StoreContextMut(store.as_context_mut());
                match &lowered.host {
                    DynamicHost::Sync(f) => f(host, &lowered.ty, &params, &mut vals)?,
                    DynamicHost::Async(f) => {
                        Box::into_pin(f(host, &lowered.ty, &params, &mut vals)).await?
                    }
                }
                crate::store::deferred_realloc::lower_async(&mut store, instance, &slots, |guest| {
                    lowered.lower_results(guest, &vals, &rest)
                })
                .await
            }
            .await;
            let exited = scope::exit(store.data_mut(), scope);
            let lowered = outcome?;
            exited?;
            for (slot, v) in results.iter_mut().zip(lowered) {
                *slot = v.to_wasm();
            }
            Ok(())
        })
    })
}

impl<T: 'static> Lowered<T> {
    /// The call from a guest of a synchronous instance of the
    /// `InstancePre` with id `pre` (see `host_funcs`).
    fn call(
        &self,
        mut caller: Caller<'_, StoreData<T>>,
        pre: u64,
        args: &[wasmtime::Val],
        results: &mut [wasmtime::Val],
    ) -> Result<()> {
        let (instance, slots) = calling_state(caller.data(), pre, &self.options)?;
        let mut store = caller.as_context_mut();
        check_may_leave(&mut store, instance, slots.instance)?;
        // Handles the guest lends to the host are lent for this call only.
        let scope = scope::enter(store.data_mut());
        let outcome = self
            .lift_params(&mut store, instance, &slots, args)
            .and_then(|(params, rest)| {
                let host = match &self.host {
                    DynamicHost::Sync(host) => host,
                    #[cfg(feature = "async")]
                    DynamicHost::Async(_) => {
                        crate::bail!(
                            "internal: an asynchronous host function in a synchronous instance"
                        )
                    }
                };
                let mut vals = self.result_slots();
                host(
                    crate::StoreContextMut(store.as_context_mut()),
                    &self.ty,
                    &params,
                    &mut vals,
                )?;
                self.lower_results(Guest::new(&mut store, instance, &slots), &vals, &rest)
            });
        let exited = scope::exit(store.data_mut(), scope);
        let lowered = outcome?;
        exited?;
        for (slot, v) in results.iter_mut().zip(lowered) {
            *slot = v.to_wasm();
        }
        Ok(())
    }

    /// The option slots of instance state `instance`, after the check that
    /// the guest may leave the component.
    #[cfg(feature = "async")]
    fn enter(&self, caller: &mut Caller<'_, StoreData<T>>, instance: usize) -> Result<OptionSlots> {
        let slots = OptionSlots::resolve(&caller.data().instances[instance], &self.options);
        check_may_leave(&mut caller.as_context_mut(), instance, slots.instance)?;
        Ok(slots)
    }

    /// Lifts the arguments; returns the parameters and the core arguments
    /// after them (the return pointer, when the results go to memory).
    fn lift_params(
        &self,
        store: &mut StoreContextMut<'_, StoreData<T>>,
        instance: usize,
        slots: &OptionSlots,
        args: &[wasmtime::Val],
    ) -> Result<(Vec<Val>, Vec<Flat>)> {
        let flat = args
            .iter()
            .map(Flat::from_wasm)
            .collect::<Option<Vec<Flat>>>()
            .context("internal: unexpected core value type")?;
        // The parameters, then (when the results go to memory) the return
        // pointer, read from one cursor as in the spec's `canon_lower`.
        let mut cursor = FlatIter::new(&flat);
        let params = with_cx(store, instance, slots, &self.options, |cx| {
            canon::lift_flat_values(cx, MAX_FLAT_PARAMS, &mut cursor, &self.params)
        })?;
        let rest = cursor.remaining().to_vec();
        Ok((params, rest))
    }

    /// Slots for the host function's results.
    fn result_slots(&self) -> Vec<Val> {
        self.results.iter().map(Val::default_for).collect()
    }

    /// Lowers the host function's results `vals` into `guest`; `rest` holds
    /// the return pointer when they go to memory.
    fn lower_results(
        &self,
        mut guest: Guest<'_, '_, T>,
        vals: &[Val],
        rest: &[Flat],
    ) -> Result<Vec<Flat>> {
        let lowered = canon::typecheck_values(vals, &self.results).and_then(|()| {
            let mut cx = Cx {
                mem: &mut guest,
                encoding: self.options.encoding,
                budget: Budget::new(0),
            };
            let mut rest = FlatIter::new(rest);
            let out_param = self.results_in_memory.then_some(&mut rest);
            canon::lower_flat_values(&mut cx, MAX_FLAT_RESULTS, vals, &self.results, out_param)
        });
        lowered.with_context(|| {
            format!(
                "host function of type `{}` returned an unusable result",
                self.ty
            )
        })
    }
}
