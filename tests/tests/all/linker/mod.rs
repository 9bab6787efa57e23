//! The host API around instantiation and calls: defining names in a
//! [`Linker`](wit_host::Linker) ([`definitions`]: shadowing, instances,
//! nested instances), resolving a component's imports ([`imports`]: missing
//! imports, wrong kinds, `instantiate_pre`), looking up exports with
//! `get_func`, function and component types and their printing
//! ([`exports`]), store data in host functions, host functions that fail or
//! return wrongly typed values ([`host_functions`]), and calls with wrong
//! arguments ([`arguments`]) — all of which must be errors, never panics.

mod arguments;
mod definitions;
mod exports;
mod host_functions;
mod imports;

use crate::common::*;
use wit_host::Val;

/// A host function `f: func(x: u32) -> u32` adding `n` to `x`.
fn add(
    n: u32,
) -> impl Fn(
    wit_host::StoreContextMut<'_, ()>,
    &wit_host::types::FuncType,
    &[Val],
    &mut [Val],
) -> wit_host::Result<()>
+ Send
+ Sync
+ 'static {
    move |_store, _ty, params, results| {
        let Val::U32(x) = params[0] else {
            panic!("got {params:?}")
        };
        results[0] = Val::U32(x + n);
        Ok(())
    }
}

/// Root functions `run` and `add`, and the interface
/// `test:demo/api@1.0.0` with `greet` and `count`.
fn exports_wat() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "id") (param i32) (result i32) (local.get 0))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "greet") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $m "id")))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $m "add")))
  (func $greet (param "name" string) (result string) (canon lift (core func $m "greet") {OPTS}))
  (func $count (param "n" u32) (result u32) (canon lift (core func $m "id")))
  (instance $api (export "greet" (func $greet)) (export "count" (func $count)))
  (export "test:demo/api@1.0.0" (instance $api)))"#
    )
}
