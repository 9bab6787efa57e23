//! End-to-end tests of wit-host: real components driven through the public API.
//!
//! [`wast`] runs component-model `.wast` scripts; the integration test
//! `tests/wast.rs` and the `wast` binary use it.

pub mod wast;
