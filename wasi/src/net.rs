//! The network policy of a [`WasiCtx`](crate::WasiCtx): which socket kinds
//! a guest may create and which addresses it may bind, connect and send
//! to. Nothing is allowed until the host says so.

use std::net::SocketAddr;
use std::sync::Arc;

/// What a guest wants to do with an address, as asked of the host's
/// [`socket_addr_check`](crate::WasiCtxBuilder::socket_addr_check).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SocketAddrUse {
    /// Bind a TCP socket to it.
    TcpBind,
    /// Connect a TCP socket to it.
    TcpConnect,
    /// Bind a UDP socket to it.
    UdpBind,
    /// Connect a UDP socket to it (fix its peer).
    UdpConnect,
    /// Send a datagram to it from an unconnected UDP socket.
    UdpOutgoingDatagram,
}

/// The host's address check: `true` allows the use.
pub type SocketAddrCheck = Arc<dyn Fn(SocketAddr, SocketAddrUse) -> bool + Send + Sync>;

/// What a guest may do on the network.
#[derive(Clone)]
pub(crate) struct SocketPolicy {
    /// TCP sockets may be created.
    pub allow_tcp: bool,
    /// UDP sockets may be created.
    pub allow_udp: bool,
    /// Names may be resolved (`wasi:sockets/ip-name-lookup`).
    pub allow_ip_name_lookup: bool,
    /// Which addresses may be used; none when `None`.
    pub addr_check: Option<SocketAddrCheck>,
}

impl Default for SocketPolicy {
    fn default() -> SocketPolicy {
        SocketPolicy {
            allow_tcp: true,
            allow_udp: true,
            allow_ip_name_lookup: false,
            addr_check: None,
        }
    }
}

impl SocketPolicy {
    /// Whether the guest may use `addr` for `usage`.
    pub fn allows(&self, addr: SocketAddr, usage: SocketAddrUse) -> bool {
        self.addr_check
            .as_ref()
            .is_some_and(|check| check(addr, usage))
    }
}
