//! `wasi:sockets`: real TCP and UDP sockets of the OS and name resolution,
//! behind the context's network policy.
//!
//! Every socket is non-blocking, as WASI defines them: operations that
//! would wait return `would-block` (or an empty result) and the guest
//! waits on a pollable, whose [`Readiness`](crate::p2::Readiness) is the
//! socket's file descriptor, so `wasi:io/poll` sleeps in one `poll(2)`
//! with the guest's other pollables. Name lookups run on a small pool of
//! worker threads and wake their pollable through a socket pair.
//!
//! Nothing reaches the network unless the host allows it: creating a TCP
//! or UDP socket needs [`allow_tcp`](crate::WasiCtxBuilder::allow_tcp) or
//! [`allow_udp`](crate::WasiCtxBuilder::allow_udp), every bind, connect
//! and send-to asks [`socket_addr_check`](crate::WasiCtxBuilder::socket_addr_check)
//! (no address by default), and lookups need
//! [`allow_ip_name_lookup`](crate::WasiCtxBuilder::allow_ip_name_lookup).
//! Refusals are `access-denied`.
//!
//! One module per concept: [`SocketError`] and the `errno` mapping
//! (`error`), the [`Network`] capability and addresses (`network`), socket
//! options (`options`), TCP sockets (`tcp`) and their byte streams
//! (`tcp_stream`), UDP sockets (`udp`) and their datagram streams
//! (`udp_datagrams`), name lookup (`ip_name_lookup`, with `idna` for
//! Unicode names).

mod error;
mod idna;
mod ip_name_lookup;
mod network;
mod options;
mod tcp;
mod tcp_stream;
mod udp;
mod udp_datagrams;

use std::io;

use rustix::event::{PollFd, PollFlags};
use socket2::{Domain, Protocol, Socket, Type};
use wit_host::{Linker, Result};

pub use error::{SocketError, SocketResult};
pub use ip_name_lookup::ResolveAddressStream;
pub use network::Network;
pub use tcp::TcpSocket;
pub use udp::UdpSocket;
pub use udp_datagrams::{IncomingDatagramStream, OutgoingDatagramStream};

use crate::p2::bindings::wasi::sockets::network::IpAddressFamily;
use crate::view::{HasWasi, WasiView};

/// Defines the seven interfaces of `wasi:sockets` in `linker`, with the
/// `@unstable` items `options` enables.
pub(crate) fn add_to_linker<T: WasiView + 'static>(
    linker: &mut Linker<T>,
    options: &crate::p2::LinkOptions,
) -> Result<()> {
    use crate::p2::bindings::wasi::sockets;
    let l = linker;
    sockets::network::add_to_linker::<T, HasWasi>(l, &options.into(), T::ctx)?;
    sockets::instance_network::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    sockets::tcp::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    sockets::tcp_create_socket::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    sockets::udp::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    sockets::udp_create_socket::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    sockets::ip_name_lookup::add_to_linker::<T, HasWasi>(l, T::ctx)?;
    Ok(())
}

/// A new non-blocking socket of the OS; IPv6 sockets are IPv6-only, as
/// WASI requires.
fn new_socket(family: IpAddressFamily, ty: Type, protocol: Protocol) -> io::Result<Socket> {
    let domain = match family {
        IpAddressFamily::Ipv4 => Domain::IPV4,
        IpAddressFamily::Ipv6 => Domain::IPV6,
    };
    let socket = Socket::new(domain, ty, Some(protocol))?;
    socket.set_nonblocking(true)?;
    if family == IpAddressFamily::Ipv6 {
        socket.set_only_v6(true)?;
    }
    no_sigpipe(&socket)?;
    Ok(socket)
}

/// Where `send` has no `MSG_NOSIGNAL`, the socket itself must not raise
/// `SIGPIPE` when its peer is gone.
fn no_sigpipe(socket: &Socket) -> io::Result<()> {
    #[cfg(target_vendor = "apple")]
    socket.set_nosigpipe(true)?;
    let _ = socket;
    Ok(())
}

/// Whether `socket` is ready for `flags` now (or has an error or hang-up
/// to report), without waiting.
fn ready_now(socket: &Socket, flags: PollFlags) -> io::Result<bool> {
    let mut fds = [PollFd::new(socket, flags)];
    let zero = rustix::fs::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    match rustix::event::poll(&mut fds, Some(&zero)) {
        Ok(n) => Ok(n > 0),
        Err(rustix::io::Errno::INTR) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Whether an `errno` means "not now, try again later".
fn would_block(e: rustix::io::Errno) -> bool {
    e == rustix::io::Errno::AGAIN
        || e == rustix::io::Errno::WOULDBLOCK
        || e == rustix::io::Errno::INTR
}

#[cfg(test)]
mod test_util;

#[cfg(test)]
mod tests {
    use wit_host::{Engine, Linker, ResourceTable};

    use crate::{WasiCtx, WasiCtxView, WasiView};

    struct Host {
        ctx: WasiCtx,
        table: ResourceTable,
    }

    impl WasiView for Host {
        fn ctx(&mut self) -> WasiCtxView<'_> {
            WasiCtxView {
                ctx: &mut self.ctx,
                table: &mut self.table,
            }
        }
    }

    #[test]
    fn every_interface_links() {
        let mut linker = Linker::<Host>::new(&Engine::default());
        super::add_to_linker(&mut linker, &Default::default()).unwrap();
        // Twice is a duplicate definition.
        assert!(super::add_to_linker(&mut linker, &Default::default()).is_err());
        let mut linker = Linker::<Host>::new(&Engine::default());
        crate::p2::add_to_linker_sync(&mut linker).unwrap();
    }
}
