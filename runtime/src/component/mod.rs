//! [`Component`]: a validated, translated and compiled component.

mod exports;
mod image;

use std::path::Path;
use std::sync::Arc;

use crate::component_type::ComponentSignature;
use crate::plan::Plan;
use crate::{Context, Engine, Result};

/// A compiled component, ready to instantiate any number of times.
///
/// Cheap to clone (reference counted).
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// let engine = wit_host::Engine::default();
/// let component = wit_host::Component::new(&engine, r#"
///     (component
///         (core module $m (func (export "one") (result i32) i32.const 1))
///         (core instance $i (instantiate $m))
///         (func (export "one") (result u32) (canon lift (core func $i "one"))))
/// "#)?;
/// println!("{}", component.component_type());
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Component {
    pub(crate) inner: Arc<ComponentInner>,
}

pub(crate) struct ComponentInner {
    pub engine: Engine,
    pub plan: Plan,
    /// The plan's static modules, compiled.
    pub modules: Vec<wasmtime::Module>,
    /// The core function type of each trampoline, registered once.
    pub trampoline_types: Vec<wasmtime::FuncType>,
}

impl Component {
    /// Validates, translates and compiles a component from its binary
    /// encoding or (with the default `wat` feature) its text format.
    ///
    /// An invalid component is an error that says what is wrong and at
    /// which offset (or line and column, for text).
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Component> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        let bytes = &wat::parse_bytes(bytes).map_err(|e| crate::Error::msg(e.to_string()))?;
        Component::from_binary(engine, bytes)
    }

    /// Like [`Component::new`] for the binary encoding only.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Component> {
        let plan = crate::front::translate(bytes)?;
        let modules = plan
            .modules
            .iter()
            .enumerate()
            .map(|(i, m)| {
                wasmtime::Module::new(engine, &m.wasm)
                    .with_context(|| format!("failed to compile core module {i} of the component"))
            })
            .collect::<Result<Vec<_>>>()?;
        let trampoline_types = plan
            .trampolines
            .iter()
            .map(|t| crate::trampolines::core_type(engine, t))
            .collect();
        Ok(Component {
            inner: Arc::new(ComponentInner {
                engine: engine.clone(),
                plan,
                modules,
                trampoline_types,
            }),
        })
    }

    /// Reads and compiles a component from a file (binary or text).
    pub fn from_file(engine: &Engine, path: impl AsRef<Path>) -> Result<Component> {
        let path = path.as_ref();
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?;
        Component::new(engine, bytes).with_context(|| format!("in {}", path.display()))
    }

    /// The names and types of the component's imports and exports.
    pub fn component_type(&self) -> ComponentSignature {
        let plan = &self.inner.plan;
        ComponentSignature {
            imports: plan.imports.clone(),
            exports: plan.export_types.clone(),
        }
    }

    /// The engine the component was compiled for.
    pub fn engine(&self) -> &Engine {
        &self.inner.engine
    }
}
