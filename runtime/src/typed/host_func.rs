//! Typed host functions (`LinkerInstance::func_wrap`): the type check
//! against a component's import, and the core function a guest calls.
//!
//! The trampoline reads the guest's arguments straight out of wasmtime's
//! raw argument buffer, lifts them into the Rust parameter tuple, calls the
//! host, and lowers the results back, flat or through the guest's return
//! pointer.

use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::sync::Arc;
#[cfg(feature = "async")]
use std::sync::OnceLock;

use wasmtime::{AsContextMut, Caller, ValRaw};

use crate::canon::GuestMemory;
use crate::canon::memory::{check_align, check_range};
use crate::canon::{Context, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype};
use crate::core_values::zero_extended;
use crate::plan::Options;
use crate::resources::scope;
use crate::store::guest::{Guest, OptionSlots};
use crate::store::may_leave::check_may_leave;
use crate::store::{StoreContextMut, StoreData};
use crate::trampolines::host_funcs::calling_state;
use crate::typed::flat::{SMALL_BUFFER, check_flat_counts, import_args_fit_small};
use crate::typed::tuples::{LiftList, LowerList};
use crate::typed::{FlatReader, FlatWriter, LiftCx, LowerCx};
use crate::types::{FlatType, FuncType, Type};
use crate::{Result, bail};

/// A typed host function, with its Rust types erased.
pub(crate) trait TypedHost<T>: Send + Sync {
    /// Checks the Rust types against the component's import type.
    fn typecheck(&self, ty: &FuncType) -> Result<()>;

    /// What lowering this host function with `options` as an import of
    /// type `ty` needs, whatever the store: computed once per
    /// `InstancePre`.
    fn prepare(&self, options: Options, ty: &FuncType) -> Arc<dyn TypedTrampoline<T>>;

    /// Whether the function is asynchronous (`func_wrap_async`).
    fn is_async(&self) -> bool;
}

/// How a typed host function is called: synchronously (`func_wrap`, any
/// `Fn(StoreContextMut, P) -> Result<R>`), or asynchronously
/// (`func_wrap_async`, an [`AsyncFn`]).
pub(crate) trait HostCall<T: 'static, P, R>: Send + Sync + 'static {
    /// Whether the function is asynchronous.
    const ASYNC: bool;

    /// Calls a synchronous function (an asynchronous one is an error: the
    /// instantiation refuses it before).
    fn call(&self, store: StoreContextMut<'_, T>, params: P) -> Result<R>;

    /// Calls the function on the guest's fiber.
    #[cfg(feature = "async")]
    fn call_async<'s>(
        &'s self,
        store: StoreContextMut<'s, T>,
        params: P,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<R>> + Send + 's>>;
}

impl<T, P, R, F> HostCall<T, P, R> for F
where
    T: 'static,
    R: Send + 'static,
    F: Fn(StoreContextMut<'_, T>, P) -> Result<R> + Send + Sync + 'static,
{
    const ASYNC: bool = false;

    fn call(&self, store: StoreContextMut<'_, T>, params: P) -> Result<R> {
        self(store, params)
    }

    #[cfg(feature = "async")]
    fn call_async<'s>(
        &'s self,
        store: StoreContextMut<'s, T>,
        params: P,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<R>> + Send + 's>> {
        Box::pin(std::future::ready(self(store, params)))
    }
}

/// An asynchronous typed host function (`func_wrap_async`): `F` returns
/// the boxed future of its results.
#[cfg(feature = "async")]
pub(crate) struct AsyncFn<F>(pub F);

#[cfg(feature = "async")]
impl<T, P, R, F> HostCall<T, P, R> for AsyncFn<F>
where
    T: 'static,
    F: for<'a> Fn(
            StoreContextMut<'a, T>,
            P,
        ) -> Box<dyn std::future::Future<Output = Result<R>> + Send + 'a>
        + Send
        + Sync
        + 'static,
{
    const ASYNC: bool = true;

    fn call(&self, _store: StoreContextMut<'_, T>, _params: P) -> Result<R> {
        bail!("internal: an asynchronous host function called synchronously")
    }

    fn call_async<'s>(
        &'s self,
        store: StoreContextMut<'s, T>,
        params: P,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<R>> + Send + 's>> {
        Box::into_pin((self.0)(store, params))
    }
}

/// A typed host function prepared for one import of one component (see
/// [`TypedHost::prepare`]).
pub(crate) trait TypedTrampoline<T>: Send + Sync {
    /// Defines the core function (of core type `core_ty`) that guests of
    /// the synchronous instances of the `InstancePre` with id `pre` call,
    /// as `module` `name` in `linker` (see `trampolines::host_funcs`). An
    /// asynchronous host function is left out: only `instantiate_async`
    /// instantiates a component importing one.
    fn define(
        self: Arc<Self>,
        linker: &mut wasmtime::Linker<StoreData<T>>,
        module: &str,
        name: &str,
        core_ty: wasmtime::FuncType,
        pre: u64,
    ) -> Result<()>;

    /// The core function for an asynchronously instantiated instance: it
    /// runs on the guest's fiber and lowers results with `realloc` called
    /// asynchronously (see `store::deferred_realloc`).
    #[cfg(feature = "async")]
    fn create_async(
        self: Arc<Self>,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        core_ty: wasmtime::FuncType,
        state: usize,
    ) -> wasmtime::Func
    where
        T: Send;
}

/// A closure taking `P` and returning `R`.
pub(crate) struct Wrapped<P, R, F> {
    func: Arc<F>,
    _types: PhantomData<fn(P) -> R>,
}

impl<P, R, F> Wrapped<P, R, F> {
    pub(crate) fn new(func: F) -> Self {
        Wrapped {
            func: Arc::new(func),
            _types: PhantomData,
        }
    }
}

/// What one lowered typed import needs at call time, in any instance.
struct Lowered<P, R, F> {
    func: Arc<F>,
    options: Options,
    params: Box<[Type]>,
    results: Box<[Type]>,
    /// The core parameter types (the results' return pointer included).
    core_params: Box<[FlatType]>,
    /// The core result, when there is one (flat results are one value at
    /// most for a lowered function).
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    core_result: Option<FlatType>,
    _types: PhantomData<fn(P) -> R>,
}

impl<T, P, R, F> TypedHost<T> for Wrapped<P, R, F>
where
    T: 'static,
    P: LiftList + 'static,
    R: LowerList + Send + Sync + 'static,
    F: HostCall<T, P, R>,
{
    fn typecheck(&self, ty: &FuncType) -> Result<()> {
        let params: Vec<Type> = ty.params().iter().map(|(_, t)| t.clone()).collect();
        P::typecheck_list(&params)
            .and_then(|()| R::typecheck_list(ty.results()))
            .and_then(|()| check_flat_counts::<P, R>(&params, ty.results()))
            .map_err(|e| {
                crate::format_err!(
                    "the component imports `{ty}`, the host function is `{}`: {e}",
                    std::any::type_name::<fn(P) -> R>()
                )
            })
    }

    fn is_async(&self) -> bool {
        F::ASYNC
    }

    fn prepare(&self, options: Options, ty: &FuncType) -> Arc<dyn TypedTrampoline<T>> {
        let params: Box<[Type]> = ty.params().iter().map(|(_, t)| t.clone()).collect();
        let (core_params, core_results) = flatten_functype(&params, ty.results(), Context::Lower);
        Arc::new(Lowered::<P, R, F> {
            func: self.func.clone(),
            options,
            params,
            results: ty.results().into(),
            core_params: core_params.into(),
            core_result: core_results.first().copied(),
            _types: PhantomData,
        })
    }
}

impl<T, P, R, F> TypedTrampoline<T> for Lowered<P, R, F>
where
    T: 'static,
    P: LiftList + 'static,
    R: LowerList + Send + Sync + 'static,
    F: HostCall<T, P, R>,
{
    fn define(
        self: Arc<Self>,
        linker: &mut wasmtime::Linker<StoreData<T>>,
        module: &str,
        name: &str,
        core_ty: wasmtime::FuncType,
        pre: u64,
    ) -> Result<()> {
        if F::ASYNC {
            return Ok(());
        }
        // SAFETY: the closure reads exactly the parameters of `core_ty` and
        // writes at most its one result (see `Lowered::call_entered`); `core_ty` is
        // the canonical ABI's lowered signature, checked by the front end.
        unsafe {
            linker.func_new_unchecked(module, name, core_ty, move |caller, raw| {
                self.call(caller, pre, raw)
            })?;
        }
        Ok(())
    }

    #[cfg(feature = "async")]
    fn create_async(
        self: Arc<Self>,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        core_ty: wasmtime::FuncType,
        state: usize,
    ) -> wasmtime::Func
    where
        T: Send,
    {
        let slots = Arc::new(OnceLock::new());
        wasmtime::Func::new_async(store, core_ty, move |caller, args, results| {
            let (this, slots) = (self.clone(), slots.clone());
            Box::new(async move { this.call_async(caller, state, &slots, args, results).await })
        })
    }
}

impl<P: LiftList, R: LowerList, F> Lowered<P, R, F> {
    /// The call from a guest of a synchronous instance of the
    /// `InstancePre` with id `pre` (see `trampolines::host_funcs`).
    fn call<T: 'static>(
        &self,
        mut caller: Caller<'_, StoreData<T>>,
        pre: u64,
        raw: &mut [MaybeUninit<ValRaw>],
    ) -> Result<()>
    where
        F: HostCall<T, P, R>,
    {
        let (state, slots) = calling_state(caller.data(), pre, &self.options)?;
        check_may_leave(&mut caller.as_context_mut(), state, slots.instance)?;
        if import_args_fit_small::<P, R>() && self.core_params.len() <= SMALL_BUFFER {
            self.call_entered::<T, SMALL_BUFFER>(caller, state, &slots, raw)
        } else {
            self.call_entered::<T, { MAX_FLAT_PARAMS + 1 }>(caller, state, &slots, raw)
        }
    }

    /// The call, once the guest may leave, with its arguments normalised
    /// in a buffer of `N` core values.
    #[inline]
    fn call_entered<T: 'static, const N: usize>(
        &self,
        mut caller: Caller<'_, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        raw: &mut [MaybeUninit<ValRaw>],
    ) -> Result<()>
    where
        F: HostCall<T, P, R>,
    {
        // The arguments, normalised to zero-extended 64-bit patterns.
        let mut args = [ValRaw::u64(0); N];
        for ((arg, slot), ty) in args.iter_mut().zip(raw.iter()).zip(self.core_params.iter()) {
            // SAFETY: wasmtime initialises the first `params` entries of the
            // buffer with the call's arguments, one per core parameter.
            let v = unsafe { slot.assume_init_ref() };
            *arg = zero_extended(v, *ty);
        }
        let args = &args[..self.core_params.len()];
        let mut store = caller.as_context_mut();
        let handles = P::HAS_HANDLES || R::HAS_HANDLES;
        let scope = handles.then(|| scope::enter(store.data_mut()));
        let outcome = self.lift_call_lower::<T>(&mut store, state, slots, args, raw);
        match scope {
            Some(scope) => {
                let exited = scope::exit(store.data_mut(), scope);
                outcome?;
                exited
            }
            None => outcome,
        }
    }

    /// The option slots of instance state `state` (from `cached` once
    /// complete; else resolved into `fresh`), after the check that the
    /// guest may leave the component.
    ///
    /// Inlined, and the cached slots borrowed rather than copied: returned
    /// through memory from a call, the slots were read back in wider loads
    /// than they were written, stalling on store forwarding (a tenth of a
    /// string import's time in the profile).
    #[cfg(feature = "async")]
    #[inline(always)]
    fn enter<'c, T: 'static>(
        &self,
        caller: &mut Caller<'_, StoreData<T>>,
        state: usize,
        cached: &'c OnceLock<OptionSlots>,
        fresh: &'c mut Option<OptionSlots>,
    ) -> Result<&'c OptionSlots> {
        let slots = match cached.get() {
            Some(slots) => slots,
            None => {
                let slots = OptionSlots::resolve(&caller.data().instances[state], &self.options);
                if slots.is_complete(&self.options) {
                    let _ = cached.set(slots);
                }
                fresh.insert(slots)
            }
        };
        check_may_leave(&mut caller.as_context_mut(), state, slots.instance)?;
        Ok(slots)
    }

    fn lift_call_lower<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        args: &[ValRaw],
        raw: &mut [MaybeUninit<ValRaw>],
    ) -> Result<()>
    where
        F: HostCall<T, P, R>,
    {
        let results = self.lift_and_call(store, state, slots, args)?;
        let flat = self.lower_results(Guest::new(store, state, slots), &results, args)?;
        if let (Some(flat), Some(slot)) = (flat, raw.first_mut()) {
            slot.write(flat);
        }
        Ok(())
    }

    /// [`Self::call`] on the guest's fiber: the same steps, with the
    /// results lowered by `deferred_realloc::lower_async`.
    #[cfg(feature = "async")]
    async fn call_async<T: Send + 'static>(
        &self,
        mut caller: Caller<'_, StoreData<T>>,
        state: usize,
        cached: &OnceLock<OptionSlots>,
        args: &[wasmtime::Val],
        results: &mut [wasmtime::Val],
    ) -> Result<()>
    where
        F: HostCall<T, P, R>,
    {
        let mut fresh = None;
        let slots = *self.enter(&mut caller, state, cached, &mut fresh)?;
        let mut raw = [ValRaw::u64(0); MAX_FLAT_PARAMS + 1];
        for (slot, arg) in raw.iter_mut().zip(args) {
            *slot = crate::core_values::to_raw(arg)?;
        }
        let args = &raw[..args.len()];
        let mut store = caller.as_context_mut();
        let handles = P::HAS_HANDLES || R::HAS_HANDLES;
        let scope = handles.then(|| scope::enter(store.data_mut()));
        let outcome = async {
            let params = self.lift_params(&mut store, state, &slots, args)?;
            let values = self
                .func
                .call_async(StoreContextMut(store.as_context_mut()), params)
                .await?;
            crate::store::deferred_realloc::lower_async(&mut store, state, &slots, |guest| {
                self.lower_results(guest, &values, args)
            })
            .await
        }
        .await;
        let outcome = match scope {
            Some(scope) => {
                let exited = scope::exit(store.data_mut(), scope);
                outcome.and_then(|flat| exited.map(|()| flat))
            }
            None => outcome,
        };
        if let (Some(flat), Some(ty), Some(slot)) =
            (outcome?, self.core_result, results.first_mut())
        {
            *slot = crate::core_values::from_raw(flat, ty);
        }
        Ok(())
    }

    /// Lifts the arguments (normalised core values) and calls the host
    /// function.
    fn lift_and_call<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        args: &[ValRaw],
    ) -> Result<R>
    where
        F: HostCall<T, P, R>,
    {
        let params = self.lift_params(store, state, slots, args)?;
        self.func
            .call(StoreContextMut(store.as_context_mut()), params)
    }

    /// Lifts the arguments (normalised core values).
    fn lift_params<T: 'static>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        state: usize,
        slots: &OptionSlots,
        args: &[ValRaw],
    ) -> Result<P> {
        Ok({
            let mut cx = LiftCx::new(store, state, slots, self.options.encoding);
            if P::FLAT_COUNT <= MAX_FLAT_PARAMS {
                P::lift_list(
                    &mut cx,
                    &self.params,
                    &mut FlatReader::first(args, P::FLAT_COUNT)?,
                )?
            } else {
                let ptr = args[0].get_u32();
                let mem_len = cx.memory()?.len();
                check_align(ptr, P::ALIGN32, "the parameters")?;
                check_range(mem_len, ptr, P::SIZE32.into(), "the parameters")?;
                P::load_list_at(&mut cx, &self.params, ptr)?
            }
        })
    }

    /// Lowers the host function's results into `guest`: returns the flat
    /// result when there is one; otherwise writes them at the return
    /// pointer, the last of `args`.
    fn lower_results<T: 'static>(
        &self,
        guest: Guest<'_, '_, T>,
        results: &R,
        args: &[ValRaw],
    ) -> Result<Option<ValRaw>> {
        let mut cx = LowerCx {
            guest,
            encoding: self.options.encoding,
        };
        if R::FLAT_COUNT <= MAX_FLAT_RESULTS {
            let mut out = [ValRaw::u64(0); MAX_FLAT_RESULTS];
            let mut writer = FlatWriter::new(&mut out);
            results.lower_list(&mut cx, &self.results, &mut writer)?;
            return Ok((R::FLAT_COUNT == 1).then_some(out[0]));
        } else {
            // The guest passed a return pointer as its last argument.
            let Some(ptr) = args.last().map(|v| v.get_u32()) else {
                bail!("internal: lowered import without a return pointer");
            };
            let mem_len = cx.guest.guest_memory_len()?;
            check_align(ptr, R::ALIGN32, "the results")?;
            check_range(mem_len, ptr, R::SIZE32.into(), "the results")?;
            let ptr = cx.guest.result_area(ptr, R::ALIGN32, R::SIZE32)?;
            results.store_list_at(&mut cx, &self.results, ptr)?;
        }
        Ok(None)
    }
}
