//! [`Component::image_range`]: where the component's compiled code is in
//! memory.

use std::ops::Range;

use crate::component::Component;

impl Component {
    /// The address ranges, in this process, of the compiled code of the
    /// component's core modules — its own modules and the adapter modules
    /// generated for it — one range per module in the order the component
    /// contains them (each [`wasmtime::Module::image_range`]).
    ///
    /// `wasmtime::component::Component::image_range` returns one range,
    /// because wasmtime compiles a component into one image; wit-host
    /// compiles each core module on its own, so their images are separate
    /// and a program counter belongs to the component when one of these
    /// ranges contains it. Core modules the component imports are not
    /// included (the host compiled those). Empty for a component without
    /// core modules.
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
    /// let ranges = component.image_range();
    /// assert_eq!(ranges.len(), 1);
    /// assert!(ranges[0].start < ranges[0].end);
    /// # Ok(()) }
    /// ```
    pub fn image_range(&self) -> Vec<Range<*const u8>> {
        self.inner.modules.iter().map(|m| m.image_range()).collect()
    }
}
