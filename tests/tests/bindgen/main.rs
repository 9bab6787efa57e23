//! `bindgen!` tests: the WIT corpus under `tests/codegen/` expanded and
//! compiled (`codegen`), and hosts built on generated bindings running real
//! components (`e2e`).
//!
//! A binary of its own, apart from `all`, so that iterating on the macro
//! does not rebuild the runtime's end-to-end tests.

#[path = "../all/common/mod.rs"]
mod common;

mod codegen;
mod e2e;
