//! WASI 0.2 ("preview 2"): the host functions of every interface of
//! `wasi:cli/imports`, one module per WASI package ([`cli`], [`io`],
//! `clocks`, `random`, [`filesystem`], [`sockets`]), the generated
//! [`bindings`], and [`add_to_linker_sync`].

pub mod bindings;
pub mod cli;
mod clocks;
pub mod filesystem;
pub mod io;
mod random;
pub mod sockets;

use wit_host::{Linker, Result};

pub use bindings::LinkOptions;
pub use filesystem::FsError;
pub use io::pipe;
pub use io::poll::{DynPollable, Interest, Pollable, Readiness, SharedFd, subscribe};
pub use io::streams::{InputStream, OutputStream, StreamError, StreamResult};
pub use sockets::SocketError;

use crate::view::{HasWasi, WasiView};

/// The host side of an `input-stream`: any [`InputStream`].
pub type DynInputStream = Box<dyn InputStream>;

/// The host side of an `output-stream`: any [`OutputStream`].
pub type DynOutputStream = Box<dyn OutputStream>;

/// The host side of a `wasi:io/error`: the error that failed a stream.
pub type IoError = wit_host::Error;

/// Defines every interface of `wasi:cli/imports` (WASI 0.2) in `linker`,
/// implemented on the store data's [`WasiView`]. Components importing any
/// 0.2.x version link against it.
///
/// ```
/// use wit_host::{Engine, Linker, ResourceTable};
/// use wit_host_wasi::{WasiCtx, WasiCtxView, WasiView};
///
/// struct Host { ctx: WasiCtx, table: ResourceTable }
/// impl WasiView for Host {
///     fn ctx(&mut self) -> WasiCtxView<'_> {
///         WasiCtxView { ctx: &mut self.ctx, table: &mut self.table }
///     }
/// }
///
/// let mut linker = Linker::<Host>::new(&Engine::default());
/// wit_host_wasi::p2::add_to_linker_sync(&mut linker).unwrap();
/// ```
pub fn add_to_linker_sync<T: WasiView + 'static>(linker: &mut Linker<T>) -> Result<()> {
    add_to_linker_with_options_sync(linker, &LinkOptions::default())
}

/// [`add_to_linker_sync`] with the `@unstable` WASI features `options`
/// turns on (`clocks-timezone`, `network-error-code`; all off by default).
///
/// ```
/// # use wit_host::{Engine, Linker, ResourceTable};
/// # use wit_host_wasi::{WasiCtx, WasiCtxView, WasiView};
/// # struct Host { ctx: WasiCtx, table: ResourceTable }
/// # impl WasiView for Host {
/// #     fn ctx(&mut self) -> WasiCtxView<'_> {
/// #         WasiCtxView { ctx: &mut self.ctx, table: &mut self.table }
/// #     }
/// # }
/// use wit_host_wasi::p2::LinkOptions;
/// let mut linker = Linker::<Host>::new(&Engine::default());
/// let mut options = LinkOptions::default();
/// options.network_error_code(true);
/// wit_host_wasi::p2::add_to_linker_with_options_sync(&mut linker, &options).unwrap();
/// ```
pub fn add_to_linker_with_options_sync<T: WasiView + 'static>(
    linker: &mut Linker<T>,
    options: &LinkOptions,
) -> Result<()> {
    add_to_linker_proxy_interfaces_sync(linker)?;
    bindings::wasi::clocks::timezone::add_to_linker::<T, HasWasi>(linker, &options.into(), T::ctx)?;
    let l = linker;
    use bindings::wasi::cli;
    cli::environment::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::exit::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::stdin::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::stdout::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::stderr::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::terminal_input::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::terminal_output::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::terminal_stdin::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::terminal_stdout::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    cli::terminal_stderr::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    filesystem::add_to_linker(l)?;
    sockets::add_to_linker(l, options)?;
    Ok(())
}

/// Defines the interfaces of WASI 0.2 that have no ambient authority:
/// `wasi:io` (error, poll, streams), `wasi:clocks` (wall and monotonic)
/// and `wasi:random` (random, insecure, insecure-seed).
pub fn add_to_linker_proxy_interfaces_sync<T: WasiView + 'static>(
    linker: &mut Linker<T>,
) -> Result<()> {
    let l = linker;
    use bindings::wasi::{clocks, io, random};
    io::error::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    io::poll::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    io::streams::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    clocks::wall_clock::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    clocks::monotonic_clock::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    random::random::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    random::insecure::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    random::insecure_seed::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    Ok(())
}
