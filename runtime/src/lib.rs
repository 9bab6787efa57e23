//! Host WebAssembly components from Rust.
//!
//! `wit-host` implements the [Component Model] at run time — validation and
//! translation of component binaries, instantiation of nested and composed
//! components, canonical-ABI lifting and lowering — over wasmtime's core
//! engine. Its API is named like `wasmtime::component`, so a host ports
//! mechanically.
//!
//! ```
//! # fn main() -> wit_host::Result<()> {
//! use wit_host::{Component, Engine, Linker, Store, Val};
//!
//! let engine = Engine::default();
//! let component = Component::new(&engine, r#"
//!     (component
//!         (import "double" (func $double (param "x" u32) (result u32)))
//!         (core func $double (canon lower (func $double)))
//!         (core module $m
//!             (import "host" "double" (func $double (param i32) (result i32)))
//!             (func (export "quadruple") (param i32) (result i32)
//!                 local.get 0 call $double call $double))
//!         (core instance $i (instantiate $m
//!             (with "host" (instance (export "double" (func $double))))))
//!         (func (export "quadruple") (param "x" u32) (result u32)
//!             (canon lift (core func $i "quadruple"))))
//! "#)?;
//!
//! let mut linker = Linker::<()>::new(&engine);
//! linker.root().func_new("double", |_store, params, results| {
//!     let Val::U32(x) = params[0] else { unreachable!() };
//!     results[0] = Val::U32(x * 2);
//!     Ok(())
//! })?;
//!
//! let mut store = Store::new(&engine, ());
//! let instance = linker.instantiate(&mut store, &component)?;
//! let quadruple = instance.get_func(&mut store, "quadruple").unwrap();
//! let mut results = [Val::U32(0)];
//! quadruple.call(&mut store, &[Val::U32(5)], &mut results)?;
//! assert_eq!(results[0], Val::U32(20));
//! # Ok(()) }
//! ```
//!
//! [Component Model]: https://github.com/WebAssembly/component-model

// Lets `::wit_host::...` paths (as the derive macros write them) resolve
// inside this crate too.
extern crate self as wit_host;

mod canon;
mod component;
mod component_type;
mod core_values;
mod front;
mod func;
mod has_data;
mod instance;
mod linker;
mod names;
mod plan;
mod resources;
mod store;
mod trampolines;
pub mod typed;
pub mod types;
mod values;

pub use component::Component;
pub use component_type::{ComponentItem, ComponentSignature};
pub use func::Func;
pub use has_data::{HasData, HasSelf};
pub use instance::{Instance, InstancePre};
pub use linker::{Linker, LinkerInstance};
pub use resources::{Resource, ResourceAny, ResourceTable, ResourceTableError, ResourceType};
pub use store::{AsContext, AsContextMut, Store, StoreContext, StoreContextMut, StoreData};
pub use typed::{ComponentType, Lift, Lower, TypedFunc};
pub use values::Val;
pub use wit_host_macro::{ComponentType, Lift, Lower, bindgen, flags};

pub use wasmtime::error::Context;
pub use wasmtime::{Config, Engine, Error, Result, Trap};
pub(crate) use wasmtime::{bail, format_err};
