//! The core floor of the `instantiate` case: what instantiating
//! `instantiate.wat` takes at the least over wasmtime's core API, in the
//! same run. Its two core modules, taken out of the component's binary,
//! are instantiated into a fresh store as plain core instances: "libc"
//! from a core `InstancePre` (its imports checked once), then "main" with
//! libc's memory and ten host functions of the lowered imports' core
//! signatures. The host functions are defined once in a core `Linker`
//! (engine-level, their types registered once) and only put into each
//! store with `Linker::get`: the cheapest way the core API offers (a
//! `Func::wrap` per store registers its type with the engine every time,
//! and takes half again as long as the whole component instantiation).
//! No component bookkeeping: no option slots, no may-leave flags, no
//! handle tables.

use wasmtime::{Engine, Extern, Instance, InstancePre, Linker, Module, Store};

use crate::core_modules::libc_and_main;

/// The two core modules, compiled once, and the host functions.
pub struct InstantiateFloor {
    engine: Engine,
    libc: InstancePre<u64>,
    main: Module,
    host: Linker<u64>,
}

impl InstantiateFloor {
    /// Compiles the core modules of `instantiate_wat` with
    /// `Engine::default()` (the engine wit-host's case runs on).
    #[allow(dead_code)] // The production bench uses `with_engine` only.
    pub fn new(instantiate_wat: &str) -> InstantiateFloor {
        InstantiateFloor::with_engine(Engine::default(), instantiate_wat)
    }

    /// [`InstantiateFloor::new`] on `engine` (one with the pooling
    /// allocator, for the pooled case).
    pub fn with_engine(engine: Engine, instantiate_wat: &str) -> InstantiateFloor {
        let (libc, main) = libc_and_main(&engine, instantiate_wat);
        let libc = Linker::new(&engine)
            .instantiate_pre(&libc)
            .expect("libc imports nothing");
        let mut host = Linker::new(&engine);
        for i in 0..5 {
            host.func_wrap("host", &format!("f{i}"), |x: i32| x)
                .expect("defined once");
        }
        for i in 5..8 {
            host.func_wrap("host", &format!("f{i}"), |_: i32, _: i32| {})
                .expect("defined once");
        }
        for i in 8..10 {
            host.func_wrap("host", &format!("f{i}"), |_: i32, _: i32, _: i32| {})
                .expect("defined once");
        }
        InstantiateFloor {
            engine,
            libc,
            main,
            host,
        }
    }

    /// A fresh store for one instantiation.
    pub fn store(&self) -> Store<u64> {
        Store::new(&self.engine, 0)
    }

    /// Instantiates both modules into `store`; returns "main".
    pub fn instantiate(&self, store: &mut Store<u64>) -> Instance {
        let libc = self
            .libc
            .instantiate(&mut *store)
            .expect("libc instantiates");
        let memory = libc
            .get_memory(&mut *store, "memory")
            .expect("libc's memory");
        let mut imports: Vec<Extern> = Vec::with_capacity(11);
        imports.push(memory.into());
        for import in self.main.imports().skip(1) {
            let f = self
                .host
                .get(&mut *store, import.module(), import.name())
                .expect("defined in the linker");
            imports.push(f);
        }
        Instance::new(&mut *store, &self.main, &imports).expect("main instantiates")
    }
}
