//! WASI 0.2 end to end: real guest components, built from C (wasi-libc
//! through the preview1 adapters) and from Python (componentize-py) by
//! `tests/build.rs`, run through wit-host and `wit-host-wasi`.
//!
//! Most files are tables of cases ([`harness::Case`]: arguments,
//! environment, stdin, files and preopens in; exit, stdout, stderr and
//! files out) run on one command guest, `wasi-probe`, whose first argument
//! selects what it exercises. `plugin` binds a world of our own that
//! includes `wasi:cli/imports` with `bindgen!`. With
//! `WIT_HOST_WASI_SPECS=DIR`, the cases are also written out as JSON
//! ([`specs`]), which `tests/peer/wasmtime_py.py` runs under wasmtime
//! (wasmtime-py) to compare.

mod harness;
mod specs;
mod tree;

mod cli;
mod clocks;
mod files;
mod plugin;
mod poll;
mod python;
mod random;
mod sandbox;
mod sockets;
