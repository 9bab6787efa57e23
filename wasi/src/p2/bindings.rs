//! The generated bindings of WASI 0.2 (`wasi:cli/command` and everything
//! it imports), produced by wit-host's own `bindgen!` from the vendored WIT
//! in `wasi/wit/`.
//!
//! The resources map to this crate's host types (`with`), WASI's error
//! types to Rust errors that can also trap (`trappable_error_type`), and
//! every host function returns `wit_host::Result` so that a stale handle
//! traps the guest instead of panicking the host.
//!
//! A world of your own that includes `wasi:cli/imports` reuses these
//! bindings, so its generated code shares the types and host traits:
//!
//! ```ignore
//! wit_host::bindgen!({
//!     path: "wit",
//!     world: "my:plugin/plugin",
//!     with: { "wasi": wit_host_wasi::p2::bindings },
//! });
//! ```
//!
//! To run a `wasi:cli/command` component, use [`Command`]:
//!
//! ```no_run
//! use wit_host::{Component, Engine, Linker, ResourceTable, Store};
//! use wit_host_wasi::p2::bindings::Command;
//! use wit_host_wasi::{WasiCtx, WasiCtxView, WasiView};
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
//! let host = Host { ctx: WasiCtx::builder().inherit_stdio().build(), table: ResourceTable::new() };
//! let mut store = Store::new(&engine, host);
//! let command = Command::instantiate(&mut store, &component, &linker)?;
//! let result = command.wasi_cli_run().call_run(&mut store)?;
//! # let _ = result; Ok(()) }
//! ```

wit_host::bindgen!({
    path: "wit",
    world: "wit-host:wasi/command",
    imports: { default: trappable },
    with: {
        "wasi:io/error/error": crate::p2::IoError,
        "wasi:io/poll/pollable": crate::p2::DynPollable,
        "wasi:io/streams/input-stream": crate::p2::DynInputStream,
        "wasi:io/streams/output-stream": crate::p2::DynOutputStream,
        "wasi:cli/terminal-input/terminal-input": crate::p2::cli::TerminalInput,
        "wasi:cli/terminal-output/terminal-output": crate::p2::cli::TerminalOutput,
        "wasi:filesystem/types/descriptor": crate::p2::filesystem::Descriptor,
        "wasi:filesystem/types/directory-entry-stream": crate::p2::filesystem::ReaddirIterator,
        "wasi:sockets/network/network": crate::p2::sockets::Network,
        "wasi:sockets/tcp/tcp-socket": crate::p2::sockets::TcpSocket,
        "wasi:sockets/udp/udp-socket": crate::p2::sockets::UdpSocket,
        "wasi:sockets/udp/incoming-datagram-stream": crate::p2::sockets::IncomingDatagramStream,
        "wasi:sockets/udp/outgoing-datagram-stream": crate::p2::sockets::OutgoingDatagramStream,
        "wasi:sockets/ip-name-lookup/resolve-address-stream": crate::p2::sockets::ResolveAddressStream,
    },
    trappable_error_type: {
        "wasi:io/streams/stream-error" => crate::p2::StreamError,
        "wasi:filesystem/types/error-code" => crate::p2::FsError,
        "wasi:sockets/network/error-code" => crate::p2::SocketError,
    },
});

// The WASI packages at the top, as `with: { "wasi": ... }` expects of a
// module it is pointed at (`bindings::io::streams`, `bindings::cli::…`).
pub use self::wasi::*;
