//! [`Component`]: a validated, translated and compiled component, and its
//! precompiled form (`artifact`).

mod artifact;
mod resources_required;

pub use resources_required::ResourcesRequired;

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
    ///
    /// Each core module is compiled by [`wasmtime::Module::new`], so an
    /// engine with a compilation cache ([`Config::cache`](crate::Config),
    /// wit-host's `cache` feature) finds the compiled code of a module it
    /// has compiled before there instead of compiling it again; the
    /// component's translation (a small part of the time) is redone. To
    /// skip both, precompile: [`Component::precompile`] and
    /// [`Component::deserialize`].
    pub fn new(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Component> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        let bytes = &wat::parse_bytes(bytes).map_err(|e| crate::Error::msg(e.to_string()))?;
        Component::from_binary(engine, bytes)
    }

    /// Like [`Component::new`] for the binary encoding only.
    pub fn from_binary(engine: &Engine, bytes: &[u8]) -> Result<Component> {
        let features = crate::front::features(engine.get_wasm_features());
        let (plan, modules) = crate::front::translate(bytes, features, |i, wasm| {
            wasmtime::Module::new(engine, wasm)
                .with_context(|| format!("failed to compile core module {i} of the component"))
        })?;
        Ok(Component::from_parts(engine, plan, modules))
    }

    fn from_parts(engine: &Engine, plan: Plan, modules: Vec<wasmtime::Module>) -> Component {
        let trampoline_types = plan
            .trampolines
            .iter()
            .map(|t| crate::trampolines::core_type(engine, t))
            .collect();
        Component {
            inner: Arc::new(ComponentInner {
                engine: engine.clone(),
                plan,
                modules,
                trampoline_types,
            }),
        }
    }

    /// Compiles a component (binary or, with the `wat` feature, text) into
    /// the bytes [`Component::deserialize`] loads, without keeping it
    /// loaded: the ahead-of-time half of [`Component::serialize`], for
    /// build steps and caches.
    ///
    /// The artifact is specific to this version of wit-host, to wasmtime's
    /// version, and to the engine's compilation settings; loading it with
    /// anything else is an error.
    ///
    /// ```
    /// # fn main() -> wit_host::Result<()> {
    /// let engine = wit_host::Engine::default();
    /// let bytes = wit_host::Component::precompile(&engine, "(component)")?;
    /// // SAFETY: the bytes were just made by `precompile` with this engine.
    /// let component = unsafe { wit_host::Component::deserialize(&engine, &bytes)? };
    /// # drop(component); Ok(()) }
    /// ```
    pub fn precompile(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Vec<u8>> {
        let bytes = bytes.as_ref();
        #[cfg(feature = "wat")]
        let bytes = &wat::parse_bytes(bytes).map_err(|e| crate::Error::msg(e.to_string()))?;
        let features = crate::front::features(engine.get_wasm_features());
        let (plan, images) = crate::front::translate(bytes, features, |i, wasm| {
            engine
                .precompile_module(wasm)
                .with_context(|| format!("failed to compile core module {i} of the component"))
        })?;
        Ok(artifact::write(engine, &plan, &images))
    }

    /// The component in its precompiled form: the translated component and
    /// the compiled code of every core module in it, which
    /// [`Component::deserialize`] loads again without compiling anything.
    pub fn serialize(&self) -> Result<Vec<u8>> {
        let inner = &self.inner;
        let images = inner
            .modules
            .iter()
            .map(|m| m.serialize())
            .collect::<Result<Vec<_>>>()?;
        Ok(artifact::write(&inner.engine, &inner.plan, &images))
    }

    /// Loads a component from the bytes of [`Component::serialize`] or
    /// [`Component::precompile`], without compiling it again.
    ///
    /// The header is checked first: bytes that are not a wit-host artifact,
    /// an artifact of another wit-host or wasmtime version, one compiled for
    /// an engine with other compilation settings, and a truncated or
    /// corrupted artifact (a checksum covers all of it) are each an error
    /// that says which.
    ///
    /// # Safety
    ///
    /// The bytes hold machine code that runs as it is: the checks above
    /// catch accidents, not an attacker, who can write a well-formed
    /// artifact with any code in it. Like wasmtime's
    /// [`Module::deserialize`](wasmtime::Module::deserialize), this is safe
    /// only for bytes produced by [`Component::serialize`] or
    /// [`Component::precompile`] (of any version: other versions are
    /// refused) and not modified since, for example read from storage only
    /// the host can write. Never pass bytes from an untrusted source.
    pub unsafe fn deserialize(engine: &Engine, bytes: impl AsRef<[u8]>) -> Result<Component> {
        let artifact::Parsed { plan, images } = artifact::read(engine, bytes.as_ref())?;
        let modules = images
            .into_iter()
            .enumerate()
            .map(|(i, image)| {
                // SAFETY: the caller promises the artifact came from
                // `serialize` or `precompile` unmodified, and each image in
                // it is exactly a `Module::serialize` or
                // `Engine::precompile_module` output of the same wasmtime,
                // for an engine with the same compilation settings (the
                // header said so): the contract of `Module::deserialize`.
                unsafe { wasmtime::Module::deserialize(engine, image) }
                    .with_context(|| format!("failed to load core module {i} of the component"))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Component::from_parts(engine, plan, modules))
    }

    /// Like [`Component::deserialize`], reading the artifact from a file.
    ///
    /// The file is read into memory once (the code is then copied into
    /// executable memory per core module), so later changes to the file do
    /// not affect the loaded component.
    ///
    /// # Safety
    ///
    /// As for [`Component::deserialize`]: the file must hold exactly what
    /// [`Component::serialize`] or [`Component::precompile`] wrote, from
    /// a source only the host can write.
    pub unsafe fn deserialize_file(engine: &Engine, path: impl AsRef<Path>) -> Result<Component> {
        let path = path.as_ref();
        let bytes =
            std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?;
        // SAFETY: the caller's promise about the file is the promise
        // `deserialize` needs about its bytes.
        unsafe { Component::deserialize(engine, bytes) }
            .with_context(|| format!("in {}", path.display()))
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

impl std::fmt::Debug for Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plan = &self.inner.plan;
        f.debug_struct("Component")
            .field(
                "imports",
                &plan.imports.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field(
                "exports",
                &plan.export_types.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .field("core_modules", &self.inner.modules.len())
            .finish()
    }
}
