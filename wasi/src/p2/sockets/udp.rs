//! `wasi:sockets/udp` (the socket) and `udp-create-socket`: [`UdpSocket`],
//! a UDP socket of the OS.
//!
//! ```text
//! unbound --start-bind--> bind-started --finish-bind--> bound
//! bound --stream(none)--> bound, with streams to any peer
//! bound --stream(some(peer))--> connected, with streams to that peer
//! ```
//!
//! Bind happens in `start-bind`. `stream` connects (or disconnects) the
//! socket and returns a new pair of datagram streams, children of the
//! socket in the table; the previous pair must have been dropped first
//! (WASI lets implementations trap otherwise, and this one does). The
//! socket keeps the policy of the network it was bound through, which
//! `stream` and the outgoing stream's `send` ask about their peers.

use std::net::SocketAddr;
use std::sync::Arc;

use rustix::io::Errno;
use socket2::{Protocol, Socket, Type};
use wit_host::{Resource, Result};

use crate::net::{SocketAddrUse, SocketPolicy};
use crate::p2::DynPollable;
use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpAddressFamily, IpSocketAddress};
use crate::p2::bindings::wasi::sockets::udp::{self, HostUdpSocket};
use crate::p2::bindings::wasi::sockets::udp_create_socket;
use crate::p2::io::poll::{self, Pollable, Readiness};
use crate::p2::sockets::network::{check_family, check_policy, check_remote};
use crate::p2::sockets::{
    IncomingDatagramStream, Network, OutgoingDatagramStream, SocketError, SocketResult, new_socket,
    options,
};
use crate::view::WasiCtxView;

/// The host side of a `udp-socket`.
pub struct UdpSocket {
    socket: Arc<Socket>,
    family: IpAddressFamily,
    state: State,
    /// The policy of the network the socket was bound through.
    policy: SocketPolicy,
    /// The local address once bound (the port the kernel chose, if 0
    /// was asked for).
    bound: Option<SocketAddr>,
}

/// Where a socket is in WASI's state machine.
#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Unbound,
    BindStarted,
    Bound,
    /// Bound, and streaming to this peer only.
    Connected(SocketAddr),
}

impl UdpSocket {
    /// Dissolves the association with the peer, keeping the local address.
    fn disconnect(&mut self) -> SocketResult<()> {
        match rustix::net::connect_unspec(&*self.socket) {
            // Some systems report the dissolution of the association as
            // this error.
            Ok(()) | Err(Errno::AFNOSUPPORT) => {}
            Err(e) => return Err(e.into()),
        }
        self.state = State::Bound;
        // Linux releases a port the kernel chose when a socket
        // disconnects: bind it again, as it was bound before.
        let Some(bound) = self.bound else {
            return Ok(());
        };
        let now = self.socket.local_addr()?.as_socket();
        if now.map(|a| a.port()) != Some(bound.port()) {
            self.socket.bind(&bound.into())?;
        }
        Ok(())
    }
}

impl Pollable for UdpSocket {
    /// A UDP socket has no asynchronous operation to wait for.
    fn readiness(&mut self) -> Readiness {
        Readiness::Ready
    }
}

impl WasiCtxView<'_> {
    fn udp_socket(&mut self, socket: &Resource<UdpSocket>) -> SocketResult<&mut UdpSocket> {
        Ok(self.table.get_mut(socket)?)
    }
}

impl udp_create_socket::Host for WasiCtxView<'_> {
    fn create_udp_socket(&mut self, family: IpAddressFamily) -> SocketResult<Resource<UdpSocket>> {
        if !self.ctx.network.allow_udp {
            return Err(ErrorCode::AccessDenied.into());
        }
        let socket = new_socket(family, Type::DGRAM, Protocol::UDP)?;
        let socket = UdpSocket {
            socket: Arc::new(socket),
            family,
            state: State::Unbound,
            bound: None,
            // Nothing is allowed until a network says otherwise.
            policy: SocketPolicy {
                addr_check: None,
                ..self.ctx.network.clone()
            },
        };
        Ok(self.push(socket)?)
    }
}

impl udp::Host for WasiCtxView<'_> {}

impl HostUdpSocket for WasiCtxView<'_> {
    fn start_bind(
        &mut self,
        self_: Resource<UdpSocket>,
        network: Resource<Network>,
        local_address: IpSocketAddress,
    ) -> SocketResult<()> {
        let addr = SocketAddr::from(local_address);
        let network = self.table.get(&network)?;
        let allowed = network.check(addr, SocketAddrUse::UdpBind);
        let policy = network.policy().clone();
        let sock = self.udp_socket(&self_)?;
        if sock.state != State::Unbound {
            return Err(ErrorCode::InvalidState.into());
        }
        check_family(&addr, sock.family)?;
        allowed?;
        sock.socket
            .bind(&addr.into())
            .map_err(|e| match Errno::from_io_error(&e) {
                Some(Errno::AFNOSUPPORT) => ErrorCode::InvalidArgument.into(),
                _ => SocketError::from(e),
            })?;
        sock.bound = sock.socket.local_addr()?.as_socket();
        sock.policy = policy;
        sock.state = State::BindStarted;
        Ok(())
    }

    fn finish_bind(&mut self, self_: Resource<UdpSocket>) -> SocketResult<()> {
        let sock = self.udp_socket(&self_)?;
        if sock.state != State::BindStarted {
            return Err(ErrorCode::NotInProgress.into());
        }
        sock.state = State::Bound;
        Ok(())
    }

    fn stream(
        &mut self,
        self_: Resource<UdpSocket>,
        remote_address: Option<IpSocketAddress>,
    ) -> SocketResult<(
        Resource<IncomingDatagramStream>,
        Resource<OutgoingDatagramStream>,
    )> {
        let streaming = self.table.iter_children(&self_)?.any(|child| {
            child.is::<IncomingDatagramStream>() || child.is::<OutgoingDatagramStream>()
        });
        if streaming {
            return Err(SocketError::trap(
                "udp-socket.stream called while the streams of the previous call live: drop them first",
            ));
        }
        let sock = self.udp_socket(&self_)?;
        if !matches!(sock.state, State::Bound | State::Connected(_)) {
            return Err(ErrorCode::InvalidState.into());
        }
        let remote = remote_address.map(SocketAddr::from);
        if let Some(remote) = remote {
            check_remote(&remote, sock.family)?;
            check_policy(&sock.policy, remote, SocketAddrUse::UdpConnect)?;
        }
        if matches!(sock.state, State::Connected(_)) {
            sock.disconnect()?;
        }
        if let Some(remote) = remote {
            sock.socket
                .connect(&remote.into())
                .map_err(|e| match Errno::from_io_error(&e) {
                    Some(Errno::ADDRNOTAVAIL) => ErrorCode::AddressInUse.into(),
                    Some(Errno::CONNRESET | Errno::NETRESET) => ErrorCode::RemoteUnreachable.into(),
                    _ => SocketError::from(e),
                })?;
            sock.state = State::Connected(remote);
        }
        let incoming = IncomingDatagramStream::new(sock.socket.clone(), remote);
        let outgoing = OutgoingDatagramStream::new(
            sock.socket.clone(),
            sock.family,
            remote,
            sock.policy.clone(),
        );
        let incoming = self.push_child(incoming, &self_)?;
        let outgoing = self.push_child(outgoing, &self_)?;
        Ok((incoming, outgoing))
    }

    fn local_address(&mut self, self_: Resource<UdpSocket>) -> SocketResult<IpSocketAddress> {
        let sock = self.udp_socket(&self_)?;
        if !matches!(sock.state, State::Bound | State::Connected(_)) {
            return Err(ErrorCode::InvalidState.into());
        }
        let local = sock.socket.local_addr()?.as_socket();
        Ok(local.ok_or(ErrorCode::Unknown)?.into())
    }

    fn remote_address(&mut self, self_: Resource<UdpSocket>) -> SocketResult<IpSocketAddress> {
        match self.udp_socket(&self_)?.state {
            State::Connected(remote) => Ok(remote.into()),
            _ => Err(ErrorCode::InvalidState.into()),
        }
    }

    fn address_family(&mut self, self_: Resource<UdpSocket>) -> Result<IpAddressFamily> {
        Ok(self.table.get(&self_)?.family)
    }

    fn unicast_hop_limit(&mut self, self_: Resource<UdpSocket>) -> SocketResult<u8> {
        let sock = self.udp_socket(&self_)?;
        options::hop_limit(&sock.socket, sock.family)
    }

    fn set_unicast_hop_limit(&mut self, self_: Resource<UdpSocket>, value: u8) -> SocketResult<()> {
        let sock = self.udp_socket(&self_)?;
        options::set_hop_limit(&sock.socket, sock.family, value)
    }

    fn receive_buffer_size(&mut self, self_: Resource<UdpSocket>) -> SocketResult<u64> {
        options::receive_buffer_size(&self.udp_socket(&self_)?.socket)
    }

    fn set_receive_buffer_size(
        &mut self,
        self_: Resource<UdpSocket>,
        value: u64,
    ) -> SocketResult<()> {
        options::set_receive_buffer_size(&self.udp_socket(&self_)?.socket, value)
    }

    fn send_buffer_size(&mut self, self_: Resource<UdpSocket>) -> SocketResult<u64> {
        options::send_buffer_size(&self.udp_socket(&self_)?.socket)
    }

    fn set_send_buffer_size(&mut self, self_: Resource<UdpSocket>, value: u64) -> SocketResult<()> {
        options::set_send_buffer_size(&self.udp_socket(&self_)?.socket, value)
    }

    fn subscribe(&mut self, self_: Resource<UdpSocket>) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn drop(&mut self, rep: Resource<UdpSocket>) -> Result<()> {
        match self.table.delete(rep) {
            Ok(_) => Ok(()),
            Err(wit_host::ResourceTableError::HasChildren) => wit_host::bail!(
                "udp-socket dropped while its datagram streams or pollables live: drop them first"
            ),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
#[path = "udp_tests.rs"]
mod tests;
