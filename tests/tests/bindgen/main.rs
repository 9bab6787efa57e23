//! `bindgen!` tests: the WIT corpus under `tests/codegen/` expanded and
//! compiled under every option that changes the output (`corpus`), the
//! options' effects (`codegen`), feature gates and `LinkOptions`
//! (`features`), and hosts built on generated bindings running real
//! components (`e2e`, `e2e_proposals`: WAT; `guests`: the C guests
//! `build.rs` compiles).
//!
//! A binary of its own, apart from `all`, so that iterating on the macro
//! does not rebuild the runtime's end-to-end tests.

#[path = "../all/common/mod.rs"]
mod common;
// Only some of its re-exports of `common` are used here.
#[allow(unused_imports)]
#[path = "../all/guests_common/mod.rs"]
mod guests_common;

mod codegen;
mod corpus;
mod e2e;
mod e2e_proposals;
mod exports;
mod features;
mod flags;
mod flags_async;
mod guests;
mod ownership;
