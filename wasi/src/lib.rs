//! A WASI 0.2 host for [wit-host](wit_host): what components built by real
//! toolchains (C with wasi-libc, componentize-py, componentize-js, Rust's
//! `wasm32-wasip2`) import, implemented synchronously on wit-host's own
//! `bindgen!`.
//!
//! - [`WasiCtx`], made by a [`WasiCtxBuilder`], is one store's
//!   configuration: arguments, environment, standard streams, preopened
//!   directories, clocks, random sources, network policy, limits. It
//!   grants nothing until the host says so.
//! - The store's data implements [`WasiView`] to lend the context and its
//!   [`ResourceTable`](wit_host::ResourceTable) to the host functions.
//! - [`p2::add_to_linker_sync`] defines all of `wasi:cli/imports` in a
//!   [`Linker`](wit_host::Linker); [`p2::bindings::Command`] runs a
//!   `wasi:cli/command`.
//!
//! ```no_run
//! use wit_host::{Component, Engine, Linker, ResourceTable, Store};
//! use wit_host_wasi::p2::bindings::Command;
//! use wit_host_wasi::p2::pipe::MemoryOutputPipe;
//! use wit_host_wasi::{I32Exit, WasiCtx, WasiCtxView, WasiView};
//!
//! struct Host { ctx: WasiCtx, table: ResourceTable }
//! impl WasiView for Host {
//!     fn ctx(&mut self) -> WasiCtxView<'_> {
//!         WasiCtxView { ctx: &mut self.ctx, table: &mut self.table }
//!     }
//! }
//!
//! # fn main() -> wit_host::Result<()> {
//! let engine = Engine::default();
//! let component = Component::from_file(&engine, "hello.wasm")?;
//! let mut linker = Linker::<Host>::new(&engine);
//! wit_host_wasi::p2::add_to_linker_sync(&mut linker)?;
//!
//! let stdout = MemoryOutputPipe::new(1 << 20);
//! let ctx = WasiCtx::builder().arg("hello").stdout(stdout.clone()).build();
//! let mut store = Store::new(&engine, Host { ctx, table: ResourceTable::new() });
//! let command = Command::instantiate(&mut store, &component, &linker)?;
//! let code = match command.wasi_cli_run().call_run(&mut store) {
//!     Ok(Ok(())) => 0,
//!     Ok(Err(())) => 1,
//!     Err(e) => match e.downcast_ref::<I32Exit>() {
//!         Some(exit) => exit.0,
//!         None => return Err(e),
//!     },
//! };
//! println!("exit {code}: {}", String::from_utf8_lossy(&stdout.contents()));
//! # Ok(()) }
//! ```

mod builder;
mod clock;
mod ctx;
mod exit;
mod limits;
mod net;
pub mod p2;
mod perms;
mod rng;
mod view;

pub use builder::WasiCtxBuilder;
pub use clock::{HostMonotonicClock, HostWallClock, SystemMonotonicClock, SystemWallClock};
pub use ctx::WasiCtx;
pub use exit::I32Exit;
pub use net::{SocketAddrCheck, SocketAddrUse};
pub use perms::{DirPerms, FilePerms};
pub use rng::{InsecureRandom, OsRandom, RngCore};
pub use view::{HasWasi, WasiCtxView, WasiView};
