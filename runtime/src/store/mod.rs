//! [`Store`]: the user's data and every component instance's runtime state,
//! on top of a `wasmtime::Store`.
//!
//! wasmtime's store cannot carry our state on its own, so [`Store<T>`] wraps
//! `wasmtime::Store<StoreData<T>>`: [`StoreData`] holds the user's `T` next
//! to the instance states that trampolines and calls reach by index.
//!
//! Below the public API, this module is the runtime layer every other one
//! builds on: the state of each instance ([`InstanceState`]) and the
//! operations on it — entering an instance and lockdown ([`entry`]), the
//! guest's memory and `realloc` ([`guest`]), the may-leave flags
//! ([`may_leave`]), resource handles ([`resource_ops`]) — and the
//! signatures of host functions as the runtime calls them ([`HostFn`],
//! [`HostDtor`]). It depends on no module that creates instances or calls
//! functions (`instance`, `func`, `linker`, `trampolines`), which all
//! depend on it.

// The synchronous entries use only its mode switch in `guest`.
#[cfg_attr(not(feature = "async"), allow(dead_code))]
pub(crate) mod deferred_realloc;
pub(crate) mod entry;
#[cfg(feature = "async")]
pub(crate) mod entry_async;
pub(crate) mod exceptions;
pub(crate) mod guest;
pub(crate) mod instance_state;
pub(crate) mod may_leave;
pub(crate) mod resource_ops;
#[cfg(feature = "async")]
pub(crate) mod resource_ops_async;
pub(crate) mod slots;

pub(crate) use instance_state::{InstanceState, Realloc};

use std::sync::atomic::{AtomicU64, Ordering};

use crate::resources::HostTable;
use crate::resources::scope::CallScope;
use crate::types::FuncType;
use crate::{Engine, Result, Val};

/// All state of the instances created in one store, plus the user's data.
///
/// Host code meets this type only through wasmtime APIs that hand out the
/// wasmtime store's data, such as `wasmtime::Store::limiter`; use
/// [`StoreData::data`] and [`StoreData::data_mut`] there.
pub struct StoreData<T> {
    data: T,
    pub(crate) id: u64,
    pub(crate) instances: Vec<InstanceState>,
    /// Borrow scopes of the calls in progress, innermost last.
    pub(crate) scopes: Vec<CallScope>,
    /// The id the next scope gets.
    pub(crate) next_scope: u64,
    /// The host memory one lift may spend (see [`Store::set_lift_budget`]).
    pub(crate) lift_budget: usize,
    /// Counts what changed guest state: guest code run (`realloc`, a core
    /// call, a destructor) and handles put into a guest's table. A call
    /// that fails before it changed anything leaves its instance as it
    /// was (see `instance::entry`).
    pub(crate) guest_touches: u64,
    /// Resources the host holds ([`crate::ResourceAny`]).
    pub(crate) host_handles: HostTable,
    /// Whether guest code in this store runs on wasmtime's fibers only: set
    /// by an asynchronous instantiation or by async yielding (epochs,
    /// fuel). The synchronous entry points refuse such a store.
    pub(crate) asynchronous: bool,
    /// All the may-leave flags at once (see [`may_leave`]).
    pub(crate) leave: may_leave::LeaveSummary,
    /// The instance state the host entered last and has not left
    /// ([`NOT_ENTERED`] when none): the one whose guest code runs. Kept by
    /// [`entry`]; read by the lowered imports that are defined once per
    /// `InstancePre` (see `trampolines::host_funcs`).
    pub(crate) current: usize,
    /// The scratch memory of asynchronous lowering, kept between calls
    /// (see [`deferred_realloc`]).
    #[cfg_attr(not(feature = "async"), allow(dead_code))]
    pub(crate) lowering_scratch: Vec<u8>,
}

impl<T> StoreData<T> {
    /// Records that guest state is about to change (see `guest_touches`).
    #[inline]
    pub(crate) fn touch_guest(&mut self) {
        self.guest_touches = self.guest_touches.wrapping_add(1);
    }

    /// The user's data.
    pub fn data(&self) -> &T {
        &self.data
    }
    /// The user's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.data
    }
}

/// A host function taking and returning dynamic values; it also gets the
/// type of the import it implements.
pub(crate) type HostFn<T> = dyn Fn(StoreContextMut<'_, T>, &FuncType, &[Val], &mut [Val]) -> Result<()>
    + Send
    + Sync
    + 'static;

/// An asynchronous host function taking and returning dynamic values
/// (`LinkerInstance::func_new_async`).
#[cfg(feature = "async")]
pub(crate) type AsyncHostFn<T> = dyn for<'a> Fn(
        StoreContextMut<'a, T>,
        &'a FuncType,
        &'a [Val],
        &'a mut [Val],
    ) -> Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>
    + Send
    + Sync
    + 'static;

/// A host resource type's destructor: gets the representation of a
/// resource whose last owned handle a guest dropped.
pub(crate) enum HostDtor<T: 'static> {
    /// `LinkerInstance::resource`.
    Sync(Box<SyncHostDtor<T>>),
    /// `LinkerInstance::resource_async`: runs only on an asynchronous store.
    #[cfg(feature = "async")]
    Async(Box<AsyncHostDtor<T>>),
}

/// A synchronous host destructor (`LinkerInstance::resource`).
pub(crate) type SyncHostDtor<T> =
    dyn Fn(StoreContextMut<'_, T>, u32) -> Result<()> + Send + Sync + 'static;

/// An asynchronous host destructor (`LinkerInstance::resource_async`).
#[cfg(feature = "async")]
pub(crate) type AsyncHostDtor<T> = dyn for<'a> Fn(
        StoreContextMut<'a, T>,
        u32,
    ) -> Box<dyn std::future::Future<Output = Result<()>> + Send + 'a>
    + Send
    + Sync
    + 'static;

impl<T: 'static> HostDtor<T> {
    /// Whether the destructor is asynchronous: a component importing its
    /// type instantiates only with `instantiate_async`.
    pub(crate) fn is_async(&self) -> bool {
        match self {
            HostDtor::Sync(_) => false,
            #[cfg(feature = "async")]
            HostDtor::Async(_) => true,
        }
    }
}

/// A collection of component instances and the host's data `T`.
///
/// ```
/// let engine = wit_host::Engine::default();
/// let mut store = wit_host::Store::new(&engine, 42u32);
/// *store.data_mut() += 1;
/// assert_eq!(*store.data(), 43);
/// ```
pub struct Store<T: 'static> {
    inner: wasmtime::Store<StoreData<T>>,
}

static NEXT_STORE_ID: AtomicU64 = AtomicU64::new(1);

/// [`StoreData::current`] when the host has entered no instance.
pub(crate) const NOT_ENTERED: usize = usize::MAX;

impl<T: 'static> Store<T> {
    /// Creates a store on `engine` holding `data`.
    pub fn new(engine: &Engine, data: T) -> Store<T> {
        let data = StoreData {
            data,
            id: NEXT_STORE_ID.fetch_add(1, Ordering::Relaxed),
            instances: Vec::new(),
            scopes: Vec::new(),
            next_scope: 0,
            guest_touches: 0,
            lift_budget: crate::canon::budget::DEFAULT_LIFT_BUDGET,
            host_handles: HostTable::default(),
            asynchronous: false,
            leave: Default::default(),
            current: NOT_ENTERED,
            lowering_scratch: Vec::new(),
        };
        Store {
            inner: wasmtime::Store::new(engine, data),
        }
    }
    /// The host's data.
    pub fn data(&self) -> &T {
        &self.inner.data().data
    }
    /// The host's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.inner.data_mut().data
    }
    /// Consumes the store and returns the host's data.
    pub fn into_data(self) -> T {
        self.inner.into_data().data
    }
    /// The engine this store belongs to.
    pub fn engine(&self) -> &Engine {
        self.inner.engine()
    }
    /// Sets the most host memory, in bytes, that lifting one call's values
    /// may take: a call's results on the host, or the parameters of a host
    /// function (strings, lists, and every [`crate::Val`] of the dynamic
    /// API). A guest decides how much its values take — a `list<u8>` of a
    /// million bytes is a million `Val`s, and a million list entries may all
    /// point at the same megabyte — so going over is a trap, not an
    /// allocation. The default is 1 GiB.
    ///
    /// ```
    /// # let engine = wit_host::Engine::default();
    /// let mut store = wit_host::Store::new(&engine, ());
    /// store.set_lift_budget(64 << 20);
    /// assert_eq!(store.lift_budget(), 64 << 20);
    /// ```
    pub fn set_lift_budget(&mut self, bytes: usize) {
        self.inner.data_mut().lift_budget = bytes;
    }
    /// The most host memory lifting one call's values may take (see
    /// [`Store::set_lift_budget`]).
    pub fn lift_budget(&self) -> usize {
        self.inner.data().lift_budget
    }
    /// Makes guest code yield to the async executor each time the epoch
    /// deadline passes, then sets the next deadline `delta` ticks later
    /// (wasmtime's `Store::epoch_deadline_async_yield_and_update`): a guest
    /// stuck in a loop lets other tasks run, and dropping its call's future
    /// cancels it.
    ///
    /// The store becomes asynchronous: only the `*_async` entry points
    /// work from then on (see [`crate::Func::call_async`]). Configure
    /// yielding through this method rather than on
    /// [`Store::wasmtime_store_mut`], which would leave wit-host unaware.
    ///
    /// ```
    /// # let mut config = wit_host::Config::new();
    /// # config.epoch_interruption(true);
    /// # let engine = wit_host::Engine::new(&config).unwrap();
    /// let mut store = wit_host::Store::new(&engine, ());
    /// store.epoch_deadline_async_yield_and_update(1);
    /// ```
    #[cfg(feature = "async")]
    pub fn epoch_deadline_async_yield_and_update(&mut self, delta: u64) {
        self.inner.data_mut().asynchronous = true;
        self.inner.epoch_deadline_async_yield_and_update(delta);
    }
    /// Makes guest code yield to the async executor each time it has
    /// consumed `interval` units of fuel (wasmtime's
    /// `Store::fuel_async_yield_interval`; `None` stops yielding). Errors
    /// if the engine does not consume fuel. The store becomes asynchronous,
    /// as with [`Store::epoch_deadline_async_yield_and_update`].
    #[cfg(feature = "async")]
    pub fn fuel_async_yield_interval(&mut self, interval: Option<u64>) -> Result<()> {
        self.inner.fuel_async_yield_interval(interval)?;
        self.inner.data_mut().asynchronous = true;
        Ok(())
    }
    /// Whether the store is asynchronous: it instantiated a component with
    /// an `instantiate_async`, or yields to the executor on epochs or fuel.
    /// Its synchronous entry points (`call`, `instantiate`, …) are errors.
    pub fn is_async(&self) -> bool {
        self.inner.data().asynchronous
    }
    /// The underlying wasmtime store, for fuel, epochs, limits and
    /// everything else wasmtime offers on a store.
    ///
    /// ```
    /// # let engine = wit_host::Engine::default();
    /// let mut store = wit_host::Store::new(&engine, ());
    /// store.wasmtime_store_mut().set_epoch_deadline(10);
    /// ```
    pub fn wasmtime_store(&self) -> &wasmtime::Store<StoreData<T>> {
        &self.inner
    }
    /// The underlying wasmtime store, mutably.
    pub fn wasmtime_store_mut(&mut self) -> &mut wasmtime::Store<StoreData<T>> {
        &mut self.inner
    }
}

/// A shared borrow of a [`Store`].
pub struct StoreContext<'a, T: 'static>(pub(crate) wasmtime::StoreContext<'a, StoreData<T>>);

/// An exclusive borrow of a [`Store`]: what host functions receive.
pub struct StoreContextMut<'a, T: 'static>(pub(crate) wasmtime::StoreContextMut<'a, StoreData<T>>);

impl<'a, T: 'static> StoreContext<'a, T> {
    /// The host's data.
    pub fn data(&self) -> &'a T {
        &self.0.data().data
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.0.engine()
    }
}

impl<'a, T: 'static> StoreContextMut<'a, T> {
    /// The host's data.
    pub fn data(&self) -> &T {
        &self.0.data().data
    }
    /// The host's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        &mut self.0.data_mut().data
    }
    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.0.engine()
    }
    /// The underlying wasmtime store context (fuel, epochs, limits).
    pub fn wasmtime_context_mut(&mut self) -> wasmtime::StoreContextMut<'_, StoreData<T>> {
        wasmtime::AsContextMut::as_context_mut(&mut self.0)
    }
}

/// Types that give shared access to a store: [`Store`], [`StoreContext`],
/// [`StoreContextMut`] and references to them.
pub trait AsContext {
    /// The host data type of the store.
    type Data: 'static;
    /// Borrows the store.
    fn as_context(&self) -> StoreContext<'_, Self::Data>;
}

/// Types that give exclusive access to a store.
pub trait AsContextMut: AsContext {
    /// Borrows the store exclusively.
    fn as_context_mut(&mut self) -> StoreContextMut<'_, Self::Data>;
}

impl<T: 'static> AsContext for Store<T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(wasmtime::AsContext::as_context(&self.inner))
    }
}
impl<T: 'static> AsContextMut for Store<T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(wasmtime::AsContextMut::as_context_mut(&mut self.inner))
    }
}
impl<T: 'static> AsContext for StoreContext<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(wasmtime::AsContext::as_context(&self.0))
    }
}
impl<T: 'static> AsContext for StoreContextMut<'_, T> {
    type Data = T;
    fn as_context(&self) -> StoreContext<'_, T> {
        StoreContext(wasmtime::AsContext::as_context(&self.0))
    }
}
impl<T: 'static> AsContextMut for StoreContextMut<'_, T> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        StoreContextMut(wasmtime::AsContextMut::as_context_mut(&mut self.0))
    }
}
impl<C: AsContext + ?Sized> AsContext for &C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContext + ?Sized> AsContext for &mut C {
    type Data = C::Data;
    fn as_context(&self) -> StoreContext<'_, C::Data> {
        (**self).as_context()
    }
}
impl<C: AsContextMut + ?Sized> AsContextMut for &mut C {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, C::Data> {
        (**self).as_context_mut()
    }
}
