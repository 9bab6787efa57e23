//! The component-model proposals a [`Config`] turns on.
//!
//! wit-host uses wasmtime's own [`Config`]; its component-model switches
//! (`Config::wasm_component_model_map` and friends) exist only when
//! wasmtime is built with its `component-model` feature, which wit-host
//! does not need. [`ComponentModelConfig`] sets the same switches on any
//! build, so a host never has to name wasmtime's [`WasmFeatures`] bits.

use wasmtime::{Config, WasmFeatures};

/// The component-model proposals of a [`Config`], like wasmtime's
/// `Config::wasm_component_model_*` switches: off by default (as in
/// wasmtime 48), so a component that uses one is invalid until the host
/// opts in.
///
/// ```
/// use wit_host::{ComponentModelConfig, Config, Engine};
/// let mut config = Config::new();
/// config.component_model_map(true).component_model_fixed_length_lists(true);
/// let engine = Engine::new(&config)?;
/// let component = wit_host::Component::new(
///     &engine,
///     r#"(component (type (map string u32)) (type (list u8 4)))"#,
/// )?;
/// # drop(component); Ok::<(), wit_host::Error>(())
/// ```
pub trait ComponentModelConfig {
    /// `map<K, V>` types (wasmtime's `wasm_component_model_map`).
    fn component_model_map(&mut self, enable: bool) -> &mut Self;
    /// Fixed-length lists `list<T, N>` (wasmtime's
    /// `wasm_component_model_fixed_length_lists`).
    fn component_model_fixed_length_lists(&mut self, enable: bool) -> &mut Self;
    /// 64-bit memories in canonical options (wasmtime's
    /// `wasm_component_model_memory64`; the core engine needs
    /// `wasm_memory64` too). As in wasmtime, they work between components
    /// (fused adapters, string transcoders included). The host's own
    /// lifting and lowering is 32-bit: a lowered host import with a 64-bit
    /// memory is refused by `Component::new`, a lifted export with one at
    /// instantiation.
    fn component_model_memory64(&mut self, enable: bool) -> &mut Self;
    /// `(implements "…")` names on imports and exports (wasmtime's
    /// `wasm_component_model_implements`).
    fn component_model_implements(&mut self, enable: bool) -> &mut Self;
}

impl ComponentModelConfig for Config {
    fn component_model_map(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::CM_MAP, enable)
    }

    fn component_model_fixed_length_lists(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::CM_FIXED_LENGTH_LISTS, enable)
    }

    fn component_model_memory64(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::CM64, enable)
    }

    fn component_model_implements(&mut self, enable: bool) -> &mut Self {
        self.wasm_features(WasmFeatures::CM_IMPLEMENTS, enable)
    }
}
