//! Asynchronous host functions and destructors:
//! `LinkerInstance::func_new_async`, `func_wrap_async` and
//! `resource_async`. A component importing one instantiates only with
//! `instantiate_async`; the function runs on the guest's fiber, and while
//! its future is pending the guest's call is suspended and the executor
//! runs other tasks.

use std::future::Future;
use std::sync::Arc;

use crate::host::HostFunc;
use crate::linker::{Definition, LinkerInstance};
use crate::store::{HostDtor, StoreContextMut};
use crate::typed::host_func::{AsyncFn, Wrapped};
use crate::typed::{LiftList, LowerList};
use crate::types::FuncType;
use crate::{ResourceType, Result, Val};

impl<T: 'static> LinkerInstance<'_, T> {
    /// [`LinkerInstance::func_new`] for an asynchronous host function: the
    /// closure returns a boxed future that fills `results`.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker, Val};
    /// let mut linker = Linker::<()>::new(&Engine::default());
    /// linker.root().func_new_async("fetch", |_store, _ty, params, results| {
    ///     Box::new(async move {
    ///         // ... await something ...
    ///         results[0] = Val::String(format!("fetched {:?}", params[0]));
    ///         Ok(())
    ///     })
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn func_new_async<F>(&mut self, name: &str, func: F) -> Result<()>
    where
        F: for<'a> Fn(
                StoreContextMut<'a, T>,
                &'a FuncType,
                &'a [Val],
                &'a mut [Val],
            ) -> Box<dyn Future<Output = Result<()>> + Send + 'a>
            + Send
            + Sync
            + 'static,
    {
        self.insert(
            name,
            Definition::Func(HostFunc::DynamicAsync(Arc::new(func))),
        )
    }

    /// [`LinkerInstance::func_wrap`] for an asynchronous host function: the
    /// closure returns a boxed future of the results.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker};
    /// let mut linker = Linker::<u32>::new(&Engine::default());
    /// linker.root().func_wrap_async("count", |mut store, (n,): (u32,)| {
    ///     Box::new(async move {
    ///         // ... await something ...
    ///         *store.data_mut() += n;
    ///         Ok((*store.data(),))
    ///     })
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn func_wrap_async<P, R, F>(&mut self, name: &str, func: F) -> Result<()>
    where
        P: LiftList + 'static,
        R: LowerList + Send + Sync + 'static,
        F: for<'a> Fn(StoreContextMut<'a, T>, P) -> Box<dyn Future<Output = Result<R>> + Send + 'a>
            + Send
            + Sync
            + 'static,
    {
        self.insert(
            name,
            Definition::Func(HostFunc::Typed(Arc::new(Wrapped::new(AsyncFn(func))))),
        )
    }

    /// [`LinkerInstance::resource`] with an asynchronous destructor: it
    /// runs on the guest's fiber when a guest drops the last owned handle
    /// (or when the host drops one with
    /// [`ResourceAny::resource_drop_async`](crate::ResourceAny::resource_drop_async)).
    /// An `Err` traps the guest that dropped it. A component importing the
    /// type instantiates only with `instantiate_async`, and a synchronous
    /// `resource_drop` of such a resource is an error.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker, ResourceType};
    /// struct Connection;
    /// let mut linker = Linker::<Vec<u32>>::new(&Engine::default());
    /// linker.instance("example:app/net")?.resource_async(
    ///     "connection",
    ///     ResourceType::host::<Connection>(),
    ///     |mut store, rep| {
    ///         Box::new(async move {
    ///             // ... await closing the connection ...
    ///             store.data_mut().push(rep);
    ///             Ok(())
    ///         })
    ///     },
    /// )?;
    /// # Ok(()) }
    /// ```
    pub fn resource_async<F>(&mut self, name: &str, ty: ResourceType, dtor: F) -> Result<()>
    where
        F: for<'a> Fn(
                StoreContextMut<'a, T>,
                u32,
            ) -> Box<dyn Future<Output = Result<()>> + Send + 'a>
            + Send
            + Sync
            + 'static,
    {
        self.insert(
            name,
            Definition::Resource(ty, Arc::new(HostDtor::Async(Box::new(dtor)))),
        )
    }
}
