//! [`Linker`]: the host's definitions, by name, that satisfy components'
//! imports.

#[cfg(feature = "async")]
mod async_funcs;
mod resolve;
mod substituted;
mod unknown_imports;

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use crate::component::Component;
use crate::host::HostFunc;
use crate::instance::{Instance, InstancePre};
use crate::resources::ResourceType;
use crate::store::{AsContextMut, HostDtor, StoreContextMut};
use crate::typed::host_func::Wrapped;
use crate::typed::{LiftList, LowerList};
use crate::types::FuncType;
use crate::{Engine, Result, Val, bail};

/// One named definition.
pub(crate) enum Definition<T: 'static> {
    Func(HostFunc<T>),
    /// Shared between clones of a linker until one of them changes it.
    Instance(Arc<Namespace<T>>),
    Module(wasmtime::Module),
    Resource(ResourceType, Arc<HostDtor<T>>),
}

impl<T> Definition<T> {
    pub(crate) fn desc(&self) -> &'static str {
        match self {
            Definition::Func(_) => "a function",
            Definition::Instance(_) => "an instance",
            Definition::Module(_) => "a core module",
            Definition::Resource(..) => "a resource type",
        }
    }
}

impl<T> Clone for Definition<T> {
    fn clone(&self) -> Self {
        match self {
            Definition::Func(f) => Definition::Func(f.clone()),
            Definition::Instance(ns) => Definition::Instance(ns.clone()),
            Definition::Module(m) => Definition::Module(m.clone()),
            Definition::Resource(ty, dtor) => Definition::Resource(ty.clone(), dtor.clone()),
        }
    }
}

/// Named definitions at one level: the root or an instance.
pub(crate) struct Namespace<T: 'static> {
    pub(crate) items: HashMap<String, Definition<T>>,
}

impl<T> Clone for Namespace<T> {
    fn clone(&self) -> Self {
        Namespace {
            items: self.items.clone(),
        }
    }
}

/// Host definitions for components' imports, by name.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Engine, Linker, Val};
/// let engine = Engine::default();
/// let mut linker = Linker::<()>::new(&engine);
/// linker
///     .instance("example:app/log@1.0.0")?
///     .func_new("print", |_store, _ty, params, _results| {
///         if let [Val::String(s)] = params {
///             println!("{s}");
///         }
///         Ok(())
///     })?;
/// # Ok(()) }
/// ```
pub struct Linker<T: 'static> {
    engine: Engine,
    /// Shared with clones; copied (one level at a time, the levels on the
    /// path to a change) when a clone defines something.
    root: Arc<Namespace<T>>,
    allow_shadowing: bool,
}

/// A copy of the linker's definitions, cheap to make: the clones share
/// them, and a clone that defines something copies only the namespaces on
/// the way to the change (the host functions themselves are never copied).
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::{Engine, Linker};
/// let mut base = Linker::<()>::new(&Engine::default());
/// base.root().func_wrap("one", |_store, (): ()| Ok((1u32,)))?;
/// let mut extended = base.clone();
/// extended.root().func_wrap("two", |_store, (): ()| Ok((2u32,)))?;
/// // `base` is unchanged: defining "two" again there is no error.
/// base.root().func_wrap("two", |_store, (): ()| Ok((22u32,)))?;
/// # Ok(()) }
/// ```
impl<T: 'static> Clone for Linker<T> {
    fn clone(&self) -> Linker<T> {
        Linker {
            engine: self.engine.clone(),
            root: self.root.clone(),
            allow_shadowing: self.allow_shadowing,
        }
    }
}

/// A place in a [`Linker`] to define items: the root or an instance.
pub struct LinkerInstance<'a, T: 'static> {
    ns: &'a mut Namespace<T>,
    path: String,
    allow_shadowing: bool,
}

impl<T: 'static> Linker<T> {
    /// An empty linker for components compiled with `engine`.
    pub fn new(engine: &Engine) -> Linker<T> {
        Linker {
            engine: engine.clone(),
            root: Arc::new(Namespace {
                items: HashMap::new(),
            }),
            allow_shadowing: false,
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Whether defining a name twice replaces the first definition (`true`)
    /// or is an error (`false`, the default).
    pub fn allow_shadowing(&mut self, allow: bool) -> &mut Self {
        self.allow_shadowing = allow;
        self
    }

    /// The root namespace: world-level imports.
    pub fn root(&mut self) -> LinkerInstance<'_, T> {
        LinkerInstance {
            ns: Arc::make_mut(&mut self.root),
            path: String::new(),
            allow_shadowing: self.allow_shadowing,
        }
    }

    /// The instance `name` at the root (such as `"ns:pkg/iface@1.2.3"`),
    /// created if it does not exist yet.
    pub fn instance(&mut self, name: &str) -> Result<LinkerInstance<'_, T>> {
        self.root().into_instance(name)
    }

    /// Resolves and type-checks `component`'s imports against this linker
    /// once; the result instantiates cheaply, any number of times.
    pub fn instantiate_pre(&self, component: &Component) -> Result<InstancePre<T>> {
        InstancePre::new(component, resolve::resolve(component, &self.root)?)
    }

    /// Instantiates `component` in `store` with this linker's definitions.
    pub fn instantiate(
        &self,
        mut store: impl AsContextMut<Data = T>,
        component: &Component,
    ) -> Result<Instance> {
        self.instantiate_pre(component)?
            .instantiate(store.as_context_mut())
    }

    /// Instantiates `component` asynchronously, with these definitions
    /// for its imports: see [`InstancePre::instantiate_async`].
    #[cfg(feature = "async")]
    pub async fn instantiate_async(
        &self,
        mut store: impl AsContextMut<Data = T>,
        component: &Component,
    ) -> Result<Instance>
    where
        T: Send,
    {
        self.instantiate_pre(component)?
            .instantiate_async(store.as_context_mut())
            .await
    }
}

impl<'a, T: 'static> LinkerInstance<'a, T> {
    /// Defines a host function taking and returning dynamic values.
    ///
    /// The component gives the function's type, and the closure gets it
    /// (as `wasmtime::component`'s `func_new` does): `params` hold values
    /// of the parameter types and `results` has one slot per result, to
    /// fill with a value of the result type. An `Err` traps the calling
    /// guest.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker, Val};
    /// let mut linker = Linker::<()>::new(&Engine::default());
    /// linker.root().func_new("describe", |_store, ty, params, results| {
    ///     // `ty` is the import's type, such as `func(x: u32) -> string`.
    ///     results[0] = Val::String(format!("{ty} got {params:?}"));
    ///     Ok(())
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn func_new(
        &mut self,
        name: &str,
        func: impl Fn(StoreContextMut<'_, T>, &FuncType, &[Val], &mut [Val]) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) -> Result<()> {
        self.insert(name, Definition::Func(HostFunc::Dynamic(Arc::new(func))))
    }

    /// Defines a host function with Rust parameter and result types (both
    /// tuples); they are checked against each component's import type when
    /// it is instantiated, and calls convert without per-call checks.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker};
    /// let mut linker = Linker::<u32>::new(&Engine::default());
    /// linker.root().func_wrap("count", |mut store, (n,): (u32,)| {
    ///     *store.data_mut() += n;
    ///     Ok((*store.data(),))
    /// })?;
    /// # Ok(()) }
    /// ```
    pub fn func_wrap<P, R, F>(&mut self, name: &str, func: F) -> Result<()>
    where
        P: LiftList + 'static,
        R: LowerList + Send + Sync + 'static,
        F: Fn(StoreContextMut<'_, T>, P) -> Result<R> + Send + Sync + 'static,
    {
        self.insert(
            name,
            Definition::Func(HostFunc::Typed(Arc::new(Wrapped::new(func)))),
        )
    }

    /// Defines a host resource type: `ty` is its identity (usually
    /// [`ResourceType::host::<R>()`](ResourceType::host)), `dtor` runs with
    /// the resource's representation when a guest drops the last owned
    /// handle. An `Err` from `dtor` traps the guest that dropped it.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// use wit_host::{Engine, Linker, ResourceType};
    /// struct Logger;
    /// let mut linker = Linker::<()>::new(&Engine::default());
    /// linker
    ///     .instance("example:app/log")?
    ///     .resource("logger", ResourceType::host::<Logger>(), |_store, rep| {
    ///         println!("logger {rep} dropped");
    ///         Ok(())
    ///     })?;
    /// # Ok(()) }
    /// ```
    pub fn resource(
        &mut self,
        name: &str,
        ty: ResourceType,
        dtor: impl Fn(StoreContextMut<'_, T>, u32) -> Result<()> + Send + Sync + 'static,
    ) -> Result<()> {
        self.insert(
            name,
            Definition::Resource(ty, Arc::new(HostDtor::Sync(Box::new(dtor)))),
        )
    }

    /// Defines a core module, for components that import one.
    pub fn module(&mut self, name: &str, module: &wasmtime::Module) -> Result<()> {
        self.insert(name, Definition::Module(module.clone()))
    }

    /// The nested instance `name`, created if it does not exist yet.
    pub fn instance(&mut self, name: &str) -> Result<LinkerInstance<'_, T>> {
        let path = self.child_path(name);
        let allow_shadowing = self.allow_shadowing;
        let ns = Self::namespace(self.ns, name, &path)?;
        Ok(LinkerInstance {
            ns,
            path,
            allow_shadowing,
        })
    }

    /// Like [`LinkerInstance::instance`], consuming `self`.
    pub fn into_instance(self, name: &str) -> Result<LinkerInstance<'a, T>> {
        let path = self.child_path(name);
        let ns = Self::namespace(self.ns, name, &path)?;
        Ok(LinkerInstance {
            ns,
            path,
            allow_shadowing: self.allow_shadowing,
        })
    }

    fn namespace<'n>(
        ns: &'n mut Namespace<T>,
        name: &str,
        path: &str,
    ) -> Result<&'n mut Namespace<T>> {
        let def = ns.items.entry(name.to_string()).or_insert_with(|| {
            Definition::Instance(Arc::new(Namespace {
                items: HashMap::new(),
            }))
        });
        match def {
            Definition::Instance(ns) => Ok(Arc::make_mut(ns)),
            other => bail!("`{path}` is already defined as {}", other.desc()),
        }
    }

    fn child_path(&self, name: &str) -> String {
        if self.path.is_empty() {
            name.to_string()
        } else {
            format!("{}#{name}", self.path)
        }
    }

    fn insert(&mut self, name: &str, def: Definition<T>) -> Result<()> {
        let path = self.child_path(name);
        match self.ns.items.entry(name.to_string()) {
            Entry::Occupied(mut e) => {
                if !self.allow_shadowing {
                    bail!(
                        "`{path}` is already defined (as {}); call `Linker::allow_shadowing(true)` to replace definitions",
                        e.get().desc()
                    );
                }
                e.insert(def);
            }
            Entry::Vacant(e) => {
                e.insert(def);
            }
        }
        Ok(())
    }
}
