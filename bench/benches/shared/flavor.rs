//! The two wasmtime configurations every benchmark races: included by
//! each bench target (`#[path = "shared/flavor.rs"] mod flavor;`).

use wasmtime::{Config, Engine};

/// One of the two wasmtime configurations.
#[derive(Clone, Copy)]
pub enum Flavor {
    /// `Config::default()`.
    Default,
    /// `Config::default()` with `concurrency_support(false)`.
    NoConcurrency,
}

impl Flavor {
    /// The benchmark id's host part.
    pub fn label(self) -> &'static str {
        match self {
            Flavor::Default => "wasmtime-default",
            Flavor::NoConcurrency => "wasmtime-noconc",
        }
    }

    /// An engine with this configuration.
    pub fn engine(self) -> Engine {
        let mut config = Config::default();
        if let Flavor::NoConcurrency = self {
            config.concurrency_support(false);
        }
        Engine::new(&config).expect("engine")
    }
}
