//! From a `wasm32-wasi` core module to a WASI 0.2 component: wit-component's
//! `ComponentEncoder` with one of the preview1 adapters that wasmtime 48
//! ships (`wasi-preview1-component-adapter-provider`), which implement the
//! module's `wasi_snapshot_preview1` imports on WASI 0.2's interfaces. The
//! component type recorded in the module (by wit-bindgen-c, if it used
//! bindings) and the adapter's give the component's imports and exports.

use wasi_preview1_component_adapter_provider::{
    WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME, WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
    WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
};
use wit_component::ComponentEncoder;

use crate::Error;

/// The import module of WASI preview 1, which the adapters implement: the
/// one module besides its world's that a WASI guest's core module imports.
pub const PREVIEW1_MODULE: &str = WASI_SNAPSHOT_PREVIEW1_ADAPTER_NAME;

/// Which preview1 adapter a core module is encoded with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Adapter {
    /// For a command (a module with `_start`, linked from a `main`): the
    /// component exports `wasi:cli/run`.
    Command,
    /// For a reactor (`-mexec-model=reactor`): the component exports only
    /// what its own world does.
    Reactor,
}

impl Adapter {
    /// The adapter module.
    fn bytes(self) -> &'static [u8] {
        match self {
            Adapter::Command => WASI_SNAPSHOT_PREVIEW1_COMMAND_ADAPTER,
            Adapter::Reactor => WASI_SNAPSHOT_PREVIEW1_REACTOR_ADAPTER,
        }
    }
}

/// Encodes the core module `core` as a component with the preview1
/// `adapter`, and validates the component; returns its bytes.
pub fn wasi_component(core: &[u8], adapter: Adapter) -> Result<Vec<u8>, Error> {
    ComponentEncoder::default()
        .validate(true)
        .module(core)
        .and_then(|e| e.adapter(PREVIEW1_MODULE, adapter.bytes()))
        .and_then(|e| e.encode())
        .map_err(|e| format!("wit-component: {e:?}"))
}
