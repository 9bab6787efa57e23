//! Typed host functions (`LinkerInstance::func_wrap`): the type check
//! against a component's import, and the core function a guest calls.
//!
//! The trampoline reads the guest's arguments straight out of wasmtime's
//! raw argument buffer, lifts them into the Rust parameter tuple, calls the
//! host, and lowers the results back, flat or through the guest's return
//! pointer.

use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::sync::{Arc, OnceLock};

use wasmtime::{AsContextMut, Caller, ValRaw};

use crate::canon::memory::{check_align, check_range};
use crate::canon::{Context, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype};
use crate::plan::Options;
use crate::resources::scope;
use crate::store::guest::{Guest, OptionSlots};
use crate::store::may_leave::may_leave;
use crate::store::{StoreContextMut, StoreData};
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
}

/// A typed host function prepared for one import of one component (see
/// [`TypedHost::prepare`]).
pub(crate) trait TypedTrampoline<T>: Send + Sync {
    /// The core function a guest in instance state `state` calls, of core
    /// type `core_ty`.
    fn create(
        self: Arc<Self>,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        core_ty: wasmtime::FuncType,
        state: usize,
    ) -> wasmtime::Func;
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
    _types: PhantomData<fn(P) -> R>,
}

impl<T, P, R, F> TypedHost<T> for Wrapped<P, R, F>
where
    T: 'static,
    P: LiftList + 'static,
    R: LowerList + 'static,
    F: Fn(StoreContextMut<'_, T>, P) -> Result<R> + Send + Sync + 'static,
{
    fn typecheck(&self, ty: &FuncType) -> Result<()> {
        let params: Vec<Type> = ty.params().iter().map(|(_, t)| t.clone()).collect();
        P::typecheck_list(&params)
            .and_then(|()| R::typecheck_list(ty.results()))
            .map_err(|e| {
                crate::format_err!(
                    "the component imports `{ty}`, the host function is `{}`: {e}",
                    std::any::type_name::<fn(P) -> R>()
                )
            })
    }

    fn prepare(&self, options: Options, ty: &FuncType) -> Arc<dyn TypedTrampoline<T>> {
        let params: Box<[Type]> = ty.params().iter().map(|(_, t)| t.clone()).collect();
        let (core_params, _) = flatten_functype(&params, ty.results(), Context::Lower);
        Arc::new(Lowered::<P, R, F> {
            func: self.func.clone(),
            options,
            params,
            results: ty.results().into(),
            core_params: core_params.into(),
            _types: PhantomData,
        })
    }
}

impl<T, P, R, F> TypedTrampoline<T> for Lowered<P, R, F>
where
    T: 'static,
    P: LiftList + 'static,
    R: LowerList + 'static,
    F: Fn(StoreContextMut<'_, T>, P) -> Result<R> + Send + Sync + 'static,
{
    fn create(
        self: Arc<Self>,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        core_ty: wasmtime::FuncType,
        state: usize,
    ) -> wasmtime::Func {
        // The option slots of this instance, once the initializers filled
        // them all.
        let slots = OnceLock::new();
        // SAFETY: the closure reads exactly the parameters of `core_ty` and
        // writes at most its one result (see `Lowered::call`); `core_ty` is
        // the canonical ABI's lowered signature, checked by the front end.
        unsafe {
            wasmtime::Func::new_unchecked(store, core_ty, move |caller, raw| {
                self.call(caller, state, &slots, raw)
            })
        }
    }
}

impl<P: LiftList, R: LowerList, F> Lowered<P, R, F> {
    fn call<T: 'static>(
        &self,
        mut caller: Caller<'_, StoreData<T>>,
        state: usize,
        cached: &OnceLock<OptionSlots>,
        raw: &mut [MaybeUninit<ValRaw>],
    ) -> Result<()>
    where
        F: Fn(StoreContextMut<'_, T>, P) -> Result<R>,
    {
        let slots = match cached.get() {
            Some(slots) => *slots,
            None => {
                let slots = OptionSlots::resolve(&caller.data().instances[state], &self.options);
                if slots.is_complete(&self.options) {
                    let _ = cached.set(slots);
                }
                slots
            }
        };
        // CanonicalABI.md, canon_lower: `trap_if(not inst.may_leave)`.
        if !may_leave(&mut caller.as_context_mut(), state, slots.instance) {
            bail!(
                "cannot leave component instance: the guest called an import while it may not (from inside `realloc` or `post-return`)"
            );
        }
        // The arguments, normalised to zero-extended 64-bit patterns.
        let mut args = [ValRaw::u64(0); MAX_FLAT_PARAMS + 1];
        for ((arg, slot), ty) in args.iter_mut().zip(raw.iter()).zip(self.core_params.iter()) {
            // SAFETY: wasmtime initialises the first `params` entries of the
            // buffer with the call's arguments, one per core parameter.
            let v = unsafe { slot.assume_init_ref() };
            *arg = match ty {
                FlatType::I32 | FlatType::F32 => ValRaw::u64(u64::from(v.get_u32())),
                FlatType::I64 | FlatType::F64 => ValRaw::u64(v.get_u64()),
            };
        }
        let args = &args[..self.core_params.len()];
        let mut store = caller.as_context_mut();
        let handles = P::HAS_HANDLES || R::HAS_HANDLES;
        let scope = handles.then(|| scope::enter(store.data_mut()));
        let outcome = self.lift_call_lower::<T>(&mut store, state, &slots, args, raw);
        match scope {
            Some(scope) => {
                let exited = scope::exit(store.data_mut(), scope);
                outcome?;
                exited
            }
            None => outcome,
        }
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
        F: Fn(StoreContextMut<'_, T>, P) -> Result<R>,
    {
        let params = {
            let mut cx = LiftCx::new(store, state, slots, self.options.encoding);
            if P::FLAT_COUNT <= MAX_FLAT_PARAMS {
                P::lift_list(&mut cx, &self.params, &mut FlatReader::new(args))?
            } else {
                let ptr = args[0].get_u32();
                let mem_len = cx.memory()?.len();
                check_align(ptr, P::ALIGN32, "the parameters")?;
                check_range(mem_len, ptr, P::SIZE32.into(), "the parameters")?;
                P::load_list_at(&mut cx, &self.params, ptr)?
            }
        };
        let results = (self.func)(StoreContextMut(store.as_context_mut()), params)?;
        let mut cx = LowerCx {
            guest: Guest::new(store, state, slots),
            encoding: self.options.encoding,
        };
        if R::FLAT_COUNT <= MAX_FLAT_RESULTS {
            let mut out = [ValRaw::u64(0); MAX_FLAT_RESULTS];
            let mut writer = FlatWriter::new(&mut out);
            results.lower_list(&mut cx, &self.results, &mut writer)?;
            if R::FLAT_COUNT == 1
                && let Some(slot) = raw.first_mut()
            {
                slot.write(out[0]);
            }
        } else {
            // The guest passed a return pointer as its last argument.
            let Some(ptr) = args.last().map(|v| v.get_u32()) else {
                bail!("internal: lowered import without a return pointer");
            };
            let mem_len = cx.memory_mut()?.len();
            check_align(ptr, R::ALIGN32, "the results")?;
            check_range(mem_len, ptr, R::SIZE32.into(), "the results")?;
            results.store_list_at(&mut cx, &self.results, ptr)?;
        }
        Ok(())
    }
}
