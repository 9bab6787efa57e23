//! [`TypedFunc`]: an exported function called with Rust values.
//!
//! The types are checked once, when the typed function is made; a call
//! then lowers the parameters straight into a stack buffer of core values,
//! calls the core function through `Func::call_unchecked`, and lifts the
//! results, without allocating for flat signatures and without looking
//! anything up.

use std::marker::PhantomData;
use std::sync::Arc;

use wasmtime::ValRaw;

use crate::canon::memory::{check_align, check_range};
use crate::canon::{Context, MAX_FLAT_PARAMS, MAX_FLAT_RESULTS, flatten_functype};
use crate::component::Component;
use crate::core_values::zero_extended;
use crate::func::Func;
use crate::instance::{Instance, InstanceExportLookup, same_types};
use crate::plan::LiftedFunc;
use crate::resources::scope::{self, ScopeId};
use crate::store::entry;
#[cfg(feature = "async")]
use crate::store::entry_async::{Entered, catching};
use crate::store::guest::Guest;
use crate::store::may_leave::set_may_leave;
use crate::store::{AsContextMut, StoreData};
use crate::typed::flat::{SMALL_BUFFER, check_flat_counts, export_fits_small};
use crate::typed::tuples::{LiftList, LowerList};
use crate::typed::{FlatReader, FlatWriter, LiftCx, LowerCx};
use crate::types::FlatType;
use crate::{Result, bail};

/// An exported function with Rust parameter types `P` and result types
/// `R` (both tuples), made by [`crate::Instance::get_typed_func`].
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
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
/// let add = instance.get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")?;
/// assert_eq!(add.call(&mut store, (2, 3))?, (5,));
/// # Ok(()) }
/// ```
pub struct TypedFunc<P, R> {
    pub(crate) raw: RawFunc,
    _types: PhantomData<fn(P) -> R>,
}

/// What a typed call needs, whatever the Rust types: the function and its
/// core layout, the core signature checked. [`TypedFunc`] and
/// [`crate::typed::BorrowingFunc`] call through it after checking their
/// Rust types against the function's type.
#[derive(Clone)]
pub(crate) struct RawFunc {
    func: Func,
    layout: CoreLayout,
}

/// The core signature of a lifted function, as typed calls use it.
#[derive(Clone)]
pub(crate) struct CoreLayout {
    /// The core parameter types (to build `wasmtime::Val`s for
    /// `call_async`).
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    params: Arc<[FlatType]>,
    /// The core result types, to read results out of the buffer.
    results: Arc<[FlatType]>,
    /// Core values the call needs room for: parameters or results.
    buffer_len: usize,
}

impl<P, R> Clone for TypedFunc<P, R> {
    fn clone(&self) -> Self {
        TypedFunc {
            raw: self.raw.clone(),
            _types: PhantomData,
        }
    }
}

/// Checks that `P -> R` is the type of `func`; the error names both.
pub(crate) fn typecheck<P: LowerList, R: LiftList>(func: &LiftedFunc) -> Result<()> {
    let check = || -> Result<()> {
        P::typecheck_list(&func.params)?;
        R::typecheck_list(func.ty.results())?;
        check_flat_counts::<P, R>(&func.params, func.ty.results())
    };
    if let Err(e) = check() {
        bail!(
            "typed function `{}` does not match the component's `{}`: {e}",
            std::any::type_name::<fn(P) -> R>(),
            func.ty
        );
    }
    Ok(())
}

/// The flattened core signature of `func`, and the room a call's buffer
/// needs.
pub(crate) fn core_layout(func: &LiftedFunc) -> Result<CoreLayout> {
    let (params, results) = flatten_functype(&func.params, func.ty.results(), Context::Lift);
    if results.len() > MAX_FLAT_RESULTS || params.len() > MAX_FLAT_PARAMS {
        bail!(
            "internal: the core signature of `{}` is longer than the canonical ABI allows",
            func.ty
        );
    }
    let buffer_len = params.len().max(results.len());
    Ok(CoreLayout {
        params: params.into(),
        results: results.into(),
        buffer_len,
    })
}

impl<P: LowerList, R: LiftList> TypedFunc<P, R> {
    /// Checks `func`'s type against `P` and `R` once.
    pub(crate) fn new(func: Func, store: impl crate::AsContext) -> Result<Self> {
        typecheck::<P, R>(&func.lifted)?;
        let layout = core_layout(&func.lifted)?;
        Ok(TypedFunc {
            raw: RawFunc::new(func, layout, Some(store.as_context()))?,
            _types: PhantomData,
        })
    }

    /// A typed function of `raw`, whose type the caller checked against
    /// `P -> R`.
    pub(crate) fn from_raw(raw: RawFunc) -> Self {
        TypedFunc {
            raw,
            _types: PhantomData,
        }
    }

    /// The untyped function.
    pub fn func(&self) -> &Func {
        &self.raw.func
    }

    /// Calls the function: lowers `params`, runs the guest, lifts the
    /// results, runs `post-return`.
    ///
    /// Errors like [`Func::call`]: a call that fails once it changed
    /// something in the guest locks the instance down (every later entry
    /// is [`crate::Trap::CannotEnterComponent`]); the store stays usable.
    #[inline]
    pub fn call(&self, store: impl AsContextMut, params: P) -> Result<R> {
        self.raw.call(store, params)
    }

    /// [`TypedFunc::call`] for an instance instantiated asynchronously:
    /// see [`Func::call_async`] for what differs (fibers, yielding,
    /// cancellation).
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Component, Engine, Linker, Store};
    /// # let engine = Engine::default();
    /// # let component = Component::new(&engine, r#"
    /// #     (component
    /// #         (core module $m (func (export "add") (param i32 i32) (result i32)
    /// #             local.get 0 local.get 1 i32.add))
    /// #         (core instance $i (instantiate $m))
    /// #         (func (export "add") (param "a" u32) (param "b" u32) (result u32)
    /// #             (canon lift (core func $i "add"))))
    /// # "#)?;
    /// let mut store = Store::new(&engine, ());
    /// // In an async fn, on any executor:
    /// let sum = async {
    ///     let instance = Linker::new(&engine).instantiate_async(&mut store, &component).await?;
    ///     let add = instance.get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")?;
    ///     add.call_async(&mut store, (2, 3)).await
    /// };
    /// # drop(sum);
    /// # Ok(()) }
    /// ```
    #[cfg(feature = "async")]
    pub async fn call_async<S>(&self, store: S, params: P) -> Result<R>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        self.raw.call_async(store, params).await
    }
}

impl RawFunc {
    /// `func` with its core layout. Its core signature is checked against
    /// the layout in `store`, or, when `store` is `None`, was checked by
    /// the component's export index (see `instance::export_index`).
    pub(crate) fn new<T: 'static>(
        func: Func,
        layout: CoreLayout,
        store: Option<crate::StoreContext<'_, T>>,
    ) -> Result<RawFunc> {
        if let Some(store) = store {
            // The unchecked call below relies on the core function having
            // exactly the canonical ABI's flattened signature.
            let (params, results) =
                flatten_functype(&func.lifted.params, func.ty().results(), Context::Lift);
            let core_ty = func.core.ty(&store.0);
            if !same_types(core_ty.params(), &params) || !same_types(core_ty.results(), &results) {
                bail!(
                    "internal: the core function of `{}` does not have the canonical ABI's signature",
                    func.ty()
                );
            }
        }
        Ok(RawFunc { func, layout })
    }

    /// The untyped function.
    pub(crate) fn func(&self) -> &Func {
        &self.func
    }

    /// Calls the function with `params`, whose types the caller checked
    /// against the function's (up to lifetimes).
    #[inline]
    pub(crate) fn call<P: LowerList, R: LiftList>(
        &self,
        mut store: impl AsContextMut,
        params: P,
    ) -> Result<R> {
        let mut store = store.as_context_mut();
        let store = &mut store.0;
        let func = &self.func;
        if store.data().id != func.instance.store_id {
            bail!("function used with a store it does not belong to");
        }
        // The results leave the entry through this slot, not as the
        // entry's value: moved out of `catch_unwind` and the `Result`s
        // around it, a record built field by field was copied in 16-byte
        // loads of bytes just stored narrower, stalling on store
        // forwarding (the ten-field record echo: 36.5 -> 30.6 ns, pinned,
        // alternating binaries; 33 fewer instructions).
        let mut lifted = None;
        entry::run(store, func.instance.index, |store| {
            let scope = (P::HAS_HANDLES || R::HAS_HANDLES).then(|| scope::enter(store.data_mut()));
            // The core values go through a buffer on the stack, zeroed on
            // every call: a small one when the types need no more (both
            // the Rust types' flat counts and the checked layout say so).
            lifted = Some(
                if export_fits_small::<P, R>() && self.layout.buffer_len <= SMALL_BUFFER {
                    self.call_entered::<_, P, R, SMALL_BUFFER>(store, params, scope)?
                } else {
                    self.call_entered::<_, P, R, MAX_FLAT_PARAMS>(store, params, scope)?
                },
            );
            Ok(())
        })?;
        // `run` returned `Ok`, so the body filled the slot.
        lifted.ok_or_else(|| crate::format_err!("internal: a typed call ended without its results"))
    }

    /// The call, once entered, with a buffer of `N` core values.
    #[inline]
    fn call_entered<T: 'static, P: LowerList, R: LiftList, const N: usize>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: P,
        scope: Option<ScopeId>,
    ) -> Result<R> {
        let func = &self.func;
        let state = func.instance.index;
        let mut buf = [ValRaw::u64(0); N];
        let called = self.lower_and_call::<_, P>(store, &mut buf, params);
        if let Some(scope) = scope {
            let exited = scope::exit(store.data_mut(), scope);
            called?;
            exited?;
        } else {
            called?;
        }
        let results = self.lift::<_, R>(store, &mut buf)?;
        if let Some(post_return) = func.slots.post_return {
            set_may_leave(store, state, func.slots.instance, false);
            // `post-return` takes the lifted function's core results (the
            // translator validated that), which are the first
            // `self.layout.results.len()` values of `buf` (at most
            // `buffer_len`, and slicing checks `buf` is that long). A
            // return pointer comes back as wasm wrote it, its upper 32 bits
            // whatever the slot held before; wasm and wasmtime read an
            // `i32` parameter from the low 32 bits only, so passing it on
            // unnormalised is fine.
            let results_ptr = &mut buf[..self.layout.results.len()] as *mut [ValRaw];
            // SAFETY: so `results_ptr` holds exactly its parameters;
            // `post_return` belongs to this store (from its instance).
            let done = unsafe { post_return.call_unchecked(&mut *store, results_ptr) };
            set_may_leave(store, state, func.slots.instance, true);
            done?;
        }
        Ok(results)
    }

    /// [`TypedFunc::call_async`]'s body.
    #[cfg(feature = "async")]
    pub(crate) async fn call_async<S, P: LowerList, R: LiftList>(
        &self,
        mut store: S,
        params: P,
    ) -> Result<R>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        let mut store = store.as_context_mut();
        let store = &mut store.0;
        let func = &self.func;
        if store.data().id != func.instance.store_id {
            bail!("function used with a store it does not belong to");
        }
        let state = func.instance.index;
        let mut entered = Entered::enter(store, state)?;
        let outcome = catching(self.call_entered_async::<_, P, R>(entered.store(), params)).await;
        entered.finish(outcome)
    }

    #[cfg(feature = "async")]
    async fn call_entered_async<T: Send + 'static, P: LowerList, R: LiftList>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        params: P,
    ) -> Result<R> {
        let func = &self.func;
        let state = func.instance.index;
        let scope = (P::HAS_HANDLES || R::HAS_HANDLES).then(|| scope::enter(store.data_mut()));
        let called: Result<Vec<wasmtime::Val>> = async {
            let buf =
                crate::store::deferred_realloc::lower_async(store, state, &func.slots, |guest| {
                    let mut buf = [ValRaw::u64(0); MAX_FLAT_PARAMS];
                    self.lower_params(guest, &params, &mut buf).map(|()| buf)
                })
                .await?;
            let args: Vec<wasmtime::Val> = buf
                .iter()
                .zip(self.layout.params.iter())
                .map(|(raw, ty)| crate::core_values::from_raw(*raw, *ty))
                .collect();
            let mut results: Vec<wasmtime::Val> = self
                .layout
                .results
                .iter()
                .copied()
                .map(crate::core_values::zero)
                .collect();
            store.data_mut().touch_guest();
            func.core
                .call_async(&mut *store, &args, &mut results)
                .await?;
            Ok(results)
        }
        .await;
        let exited = scope.map_or(Ok(()), |scope| scope::exit(store.data_mut(), scope));
        let core_results = called?;
        exited?;
        let mut buf = [ValRaw::u64(0); MAX_FLAT_PARAMS];
        for (slot, v) in buf.iter_mut().zip(&core_results) {
            *slot = crate::core_values::to_raw(v)?;
        }
        let results = self.lift::<_, R>(store, &mut buf)?;
        if let Some(post_return) = func.slots.post_return {
            set_may_leave(store, state, func.slots.instance, false);
            let done = post_return
                .call_async(&mut *store, &core_results, &mut [])
                .await;
            set_may_leave(store, state, func.slots.instance, true);
            done?;
        }
        Ok(results)
    }

    /// Lifts the results of a call from the core results in `buf`.
    #[inline]
    fn lift<T: 'static, R: LiftList>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        buf: &mut [ValRaw],
    ) -> Result<R> {
        let func = &self.func;
        let state = func.instance.index;
        let results = {
            let mut cx = LiftCx::new(store, state, &func.slots, func.options.encoding);
            let tys = func.lifted.ty.results();
            if R::FLAT_COUNT <= MAX_FLAT_RESULTS {
                // Normalise the results' upper bits: wasm writes only the
                // low 32 bits of 32-bit results. (A return pointer is read
                // as its low 32 bits below.)
                for (slot, ty) in buf.iter_mut().zip(self.layout.results.iter()) {
                    *slot = zero_extended(slot, *ty);
                }
                R::lift_list(&mut cx, tys, &mut FlatReader::first(buf, R::FLAT_COUNT)?)?
            } else {
                let ptr = buf[0].get_u32();
                let mem_len = cx.memory()?.len();
                check_align(ptr, R::ALIGN32, "the results")?;
                check_range(mem_len, ptr, R::SIZE32.into(), "the results")?;
                R::load_list_at(&mut cx, tys, ptr)?
            }
        };
        Ok(results)
    }

    /// Lowers `params` into `guest`, writing the core arguments to `buf`:
    /// flat or (past `MAX_FLAT_PARAMS`) a pointer to them. (Written in
    /// place: returned by value, the 256-byte buffer was copied on every
    /// call.)
    fn lower_params<T: 'static, P: LowerList>(
        &self,
        guest: Guest<'_, '_, T>,
        params: &P,
        buf: &mut [ValRaw],
    ) -> Result<()> {
        let func = &self.func;
        let mut cx = LowerCx {
            guest,
            encoding: func.options.encoding,
        };
        let tys = &func.lifted.params;
        if P::FLAT_COUNT <= MAX_FLAT_PARAMS {
            params.lower_list(&mut cx, tys, &mut FlatWriter::first(buf, P::FLAT_COUNT)?)?;
        } else {
            let ptr = cx.allocate(P::ALIGN32, P::SIZE32)?;
            params.store_list_at(&mut cx, tys, ptr)?;
            FlatWriter::new(buf).push_i32(ptr as i32)?;
        }
        Ok(())
    }

    /// Lowers the parameters into `buf` and calls the core function; the
    /// results are left in `buf`.
    fn lower_and_call<T: 'static, P: LowerList>(
        &self,
        store: &mut wasmtime::StoreContextMut<'_, StoreData<T>>,
        buf: &mut [ValRaw],
        params: P,
    ) -> Result<()> {
        let func = &self.func;
        self.lower_params(
            Guest::new(store, func.instance.index, &func.slots),
            &params,
            buf,
        )?;
        store.data_mut().touch_guest();
        // `RawFunc::new` (or the export index it came from) checked that
        // the core function's signature is the flattened signature of the
        // function's type, which the caller checked is `P -> R`; `buf`
        // holds that many parameters (written above, each a zero-extended
        // 64-bit pattern; all numbers, so any bits are valid; slots not
        // written are zeros) and has room for the
        // results: the slice passed is `buffer_len` values, the more of
        // the parameters and the results, and slicing checks that `buf`
        // is that long.
        // SAFETY: so the call reads and writes only `buf`'s values, of the
        // right types; the function belongs to this store (`call` checked
        // the store id).
        unsafe {
            func.core.call_unchecked(
                &mut *store,
                &mut buf[..self.layout.buffer_len] as *mut [ValRaw],
            )
        }
    }
}

/// Looking up an instance's functions with Rust types.
impl Instance {
    /// Looks up an exported function (by name or [`ComponentExportIndex`](crate::ComponentExportIndex))
    /// and checks that its type is `P -> R` (tuples of Rust types); the
    /// error names both types. To check the type once for many instances,
    /// see [`ComponentExportIndex::typed`](crate::ComponentExportIndex::typed).
    pub fn get_typed_func<P, R>(
        &self,
        mut store: impl AsContextMut,
        name: impl InstanceExportLookup,
    ) -> Result<TypedFunc<P, R>>
    where
        P: LowerList,
        R: LiftList,
    {
        // Says so when the store is the wrong one, rather than "no such
        // function".
        let component = Component {
            inner: crate::instance::state(store.as_context_mut().0.data(), *self)?
                .component
                .clone(),
        };
        let index = name.export_index(&component);
        let index = index.as_deref().filter(|i| i.is_func()).ok_or_else(|| {
            crate::format_err!(
                "the instance exports no function named `{}`",
                name.describe()
            )
        })?;
        let func = self
            .get_func(&mut store, index)
            .ok_or_else(|| crate::format_err!("export `{}` is not callable", index.name()))?;
        TypedFunc::new(func, store.as_context_mut())
    }
}

/// Giving a [`Func`] Rust types (here rather than in `func.rs`, which
/// knows nothing of the typed path).
impl Func {
    /// Checks that this function's type is `P -> R` (tuples of Rust types)
    /// and returns it as a [`TypedFunc`], as
    /// [`Instance::get_typed_func`] does for a name; the error names both
    /// types. `store` must be the function's store (else an error).
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
    /// let mut store = Store::new(&engine, ());
    /// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
    /// let func = instance.get_func(&mut store, "add").unwrap();
    /// assert!(func.typed::<(u32,), (u32,)>(&store).is_err());
    /// let add = func.typed::<(u32, u32), (u32,)>(&store)?;
    /// assert_eq!(add.call(&mut store, (2, 3))?, (5,));
    /// # Ok(()) }
    /// ```
    pub fn typed<P, R>(&self, store: impl crate::AsContext) -> Result<TypedFunc<P, R>>
    where
        P: LowerList,
        R: LiftList,
    {
        let store = store.as_context();
        crate::instance::state(store.0.data(), self.instance)?;
        TypedFunc::new(self.clone(), store)
    }
}
