//! [`Access`]: what a `bindgen!` host function flagged `store` receives
//! instead of `&mut self`.

use crate::has_data::{HasData, HasSelf};
use crate::store::{AsContext, AsContextMut, StoreContext, StoreContextMut};

/// The store of a host call and the getter that reaches the host's
/// implementation in it.
///
/// `bindgen!({ imports: { "ns:pkg/iface.func": store } })` moves `func`
/// out of the interface's `Host` trait into `HostWithStore<T>`, a trait
/// implemented on the [`HasData`] type `D` (not on the host data) whose
/// methods take an `Access<'_, T, D>`. Through it the function reaches
/// both the store (it implements [`AsContextMut`]: call exports, use the
/// store's other data) and the host's data (`get`, what the getter gives
/// to the `Host` methods).
///
/// ```
/// use wit_host::{Access, AsContext, HasSelf};
///
/// struct Counter { calls: u32 }
///
/// fn bump(mut host: Access<'_, Counter, HasSelf<Counter>>) -> u32 {
///     host.get().calls += 1;
///     // The store itself: its data, its engine, ...
///     host.as_context().data().calls
/// }
/// # let engine = wit_host::Engine::default();
/// # let mut store = wit_host::Store::new(&engine, Counter { calls: 0 });
/// # let cx = wit_host::AsContextMut::as_context_mut(&mut store);
/// # assert_eq!(bump(Access::new(cx, |c| c)), 1);
/// ```
pub struct Access<'a, T: 'static, D: HasData + ?Sized = HasSelf<T>> {
    store: StoreContextMut<'a, T>,
    getter: fn(&mut T) -> D::Data<'_>,
}

impl<'a, T: 'static, D: HasData + ?Sized> Access<'a, T, D> {
    /// The store of a call and the getter `add_to_linker` was given.
    pub fn new(store: StoreContextMut<'a, T>, getter: fn(&mut T) -> D::Data<'_>) -> Self {
        Access { store, getter }
    }

    /// The host's implementation, as the `Host` traits' methods get it.
    pub fn get(&mut self) -> D::Data<'_> {
        (self.getter)(self.store.data_mut())
    }

    /// The store's data.
    pub fn data(&self) -> &T {
        self.store.data()
    }

    /// The store's data, mutably.
    pub fn data_mut(&mut self) -> &mut T {
        self.store.data_mut()
    }

    /// The getter `add_to_linker` was given.
    pub fn getter(&self) -> fn(&mut T) -> D::Data<'_> {
        self.getter
    }
}

impl<T: 'static, D: HasData + ?Sized> AsContext for Access<'_, T, D> {
    type Data = T;

    fn as_context(&self) -> StoreContext<'_, T> {
        self.store.as_context()
    }
}

impl<T: 'static, D: HasData + ?Sized> AsContextMut for Access<'_, T, D> {
    fn as_context_mut(&mut self) -> StoreContextMut<'_, T> {
        self.store.as_context_mut()
    }
}
