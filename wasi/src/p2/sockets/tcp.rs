//! `wasi:sockets/tcp` and `tcp-create-socket`: [`TcpSocket`], a TCP
//! socket of the OS driven through WASI's state machine.
//!
//! ```text
//! unbound --start-bind--> bind-started --finish-bind--> bound
//! bound --start-listen--> listen-started --finish-listen--> listening
//! unbound | bound --start-connect--> connecting --finish-connect--> connected
//! connecting --(connection fails)--> closed
//! ```
//!
//! Bind and listen happen in `start-*`; `finish-*` only moves the state
//! on. Connect is a non-blocking `connect(2)`: `finish-connect` answers
//! `would-block` until the socket is writable, then reads `SO_ERROR`.
//! `accept` answers `would-block` when no connection waits. The socket's
//! pollable waits for the descriptor to become writable while connecting
//! and readable while listening; in other states it is ready at once.
//!
//! A connected socket's streams (from `finish-connect` or `accept`) are
//! its children in the table: the socket cannot be dropped before them.

use std::net::SocketAddr;
use std::sync::Arc;

use rustix::event::PollFlags;
use rustix::io::Errno;
use socket2::{Protocol, Socket, Type};
use wit_host::{Resource, Result};

use crate::net::SocketAddrUse;
use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpAddressFamily, IpSocketAddress};
use crate::p2::bindings::wasi::sockets::tcp::{self, HostTcpSocket, ShutdownType};
use crate::p2::bindings::wasi::sockets::tcp_create_socket;
use crate::p2::io::poll::{self, Interest, Pollable, Readiness};
use crate::p2::sockets::network::{check_family, check_remote, is_unicast};
use crate::p2::sockets::tcp_stream::TcpConn;
use crate::p2::sockets::{
    Network, SocketError, SocketResult, new_socket, no_sigpipe, options, ready_now,
};
use crate::p2::{DynInputStream, DynOutputStream, DynPollable};
use crate::view::WasiCtxView;

/// The listen backlog until the guest sets one.
const DEFAULT_BACKLOG: i32 = 128;

/// The host side of a `tcp-socket`.
pub struct TcpSocket {
    socket: Arc<Socket>,
    family: IpAddressFamily,
    state: State,
    backlog: i32,
}

/// Where a socket is in WASI's state machine.
enum State {
    Unbound,
    BindStarted,
    Bound,
    ListenStarted,
    Listening,
    Connecting,
    Connected(Arc<TcpConn>),
    /// A connection attempt failed; only `drop` is left.
    Closed,
}

impl TcpSocket {
    fn new(socket: Arc<Socket>, family: IpAddressFamily, state: State) -> TcpSocket {
        TcpSocket {
            socket,
            family,
            state,
            backlog: DEFAULT_BACKLOG,
        }
    }

    /// The socket's local address, which it has once bound.
    fn local_addr(&self) -> SocketResult<SocketAddr> {
        match self.state {
            State::Unbound | State::BindStarted | State::Closed => {
                Err(ErrorCode::InvalidState.into())
            }
            _ => self
                .socket
                .local_addr()?
                .as_socket()
                .ok_or(ErrorCode::Unknown.into()),
        }
    }
}

impl Pollable for TcpSocket {
    fn readiness(&mut self) -> Readiness {
        match self.state {
            State::Connecting => Readiness::Fd(self.socket.clone(), Interest::Write),
            State::Listening => Readiness::Fd(self.socket.clone(), Interest::Read),
            _ => Readiness::Ready,
        }
    }
}

/// The `error-code` of a failed `connect`, as `start-connect` documents.
fn connect_error(e: std::io::Error) -> SocketError {
    match Errno::from_io_error(&e) {
        // No ephemeral port left for the implicit bind (Linux, BSD).
        Some(Errno::ADDRNOTAVAIL | Errno::AGAIN) => ErrorCode::AddressInUse.into(),
        _ => e.into(),
    }
}

impl WasiCtxView<'_> {
    fn tcp_socket(&mut self, socket: &Resource<TcpSocket>) -> SocketResult<&mut TcpSocket> {
        Ok(self.table.get_mut(socket)?)
    }

    /// Pushes the streams of `conn` as children of `socket`.
    fn push_tcp_streams(
        &mut self,
        conn: &Arc<TcpConn>,
        socket: &Resource<TcpSocket>,
    ) -> Result<(Resource<DynInputStream>, Resource<DynOutputStream>)> {
        let (input, output) = conn.streams();
        let input = self.push_child(input, socket)?;
        let output = self.push_child(output, socket)?;
        Ok((input, output))
    }
}

impl tcp_create_socket::Host for WasiCtxView<'_> {
    fn create_tcp_socket(&mut self, family: IpAddressFamily) -> SocketResult<Resource<TcpSocket>> {
        if !self.ctx.network.allow_tcp {
            return Err(ErrorCode::AccessDenied.into());
        }
        let socket = new_socket(family, Type::STREAM, Protocol::TCP)?;
        Ok(self.push(TcpSocket::new(Arc::new(socket), family, State::Unbound))?)
    }
}

impl tcp::Host for WasiCtxView<'_> {}

impl HostTcpSocket for WasiCtxView<'_> {
    fn start_bind(
        &mut self,
        self_: Resource<TcpSocket>,
        network: Resource<Network>,
        local_address: IpSocketAddress,
    ) -> SocketResult<()> {
        let addr = SocketAddr::from(local_address);
        let allowed = self
            .table
            .get(&network)?
            .check(addr, SocketAddrUse::TcpBind);
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::Unbound) {
            return Err(ErrorCode::InvalidState.into());
        }
        check_family(&addr, sock.family)?;
        if !is_unicast(addr.ip()) {
            return Err(ErrorCode::InvalidArgument.into());
        }
        allowed?;
        // WASI: a recently closed connection's TIME_WAIT must not keep a
        // specific port from being bound again.
        sock.socket.set_reuse_address(addr.port() != 0)?;
        sock.socket
            .bind(&addr.into())
            .map_err(|e| match Errno::from_io_error(&e) {
                Some(Errno::AFNOSUPPORT) => ErrorCode::InvalidArgument.into(),
                _ => SocketError::from(e),
            })?;
        sock.state = State::BindStarted;
        Ok(())
    }

    fn finish_bind(&mut self, self_: Resource<TcpSocket>) -> SocketResult<()> {
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::BindStarted) {
            return Err(ErrorCode::NotInProgress.into());
        }
        sock.state = State::Bound;
        Ok(())
    }

    fn start_connect(
        &mut self,
        self_: Resource<TcpSocket>,
        network: Resource<Network>,
        remote_address: IpSocketAddress,
    ) -> SocketResult<()> {
        let addr = SocketAddr::from(remote_address);
        let allowed = self
            .table
            .get(&network)?
            .check(addr, SocketAddrUse::TcpConnect);
        let sock = self.tcp_socket(&self_)?;
        match sock.state {
            State::Unbound | State::Bound => {}
            State::BindStarted | State::ListenStarted | State::Connecting => {
                return Err(ErrorCode::ConcurrencyConflict.into());
            }
            State::Listening | State::Connected(_) | State::Closed => {
                return Err(ErrorCode::InvalidState.into());
            }
        }
        check_remote(&addr, sock.family)?;
        if !is_unicast(addr.ip()) {
            return Err(ErrorCode::InvalidArgument.into());
        }
        allowed?;
        match sock.socket.connect(&addr.into()) {
            Ok(()) => {}
            Err(e)
                if Errno::from_io_error(&e)
                    .is_some_and(|e| e == Errno::INPROGRESS || e == Errno::INTR) => {}
            Err(e) => {
                sock.state = State::Closed;
                return Err(connect_error(e));
            }
        }
        sock.state = State::Connecting;
        Ok(())
    }

    fn finish_connect(
        &mut self,
        self_: Resource<TcpSocket>,
    ) -> SocketResult<(Resource<DynInputStream>, Resource<DynOutputStream>)> {
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::Connecting) {
            return Err(ErrorCode::NotInProgress.into());
        }
        if !ready_now(&sock.socket, PollFlags::OUT)? {
            return Err(ErrorCode::WouldBlock.into());
        }
        match sock.socket.take_error() {
            Ok(None) => {}
            Ok(Some(e)) | Err(e) => {
                sock.state = State::Closed;
                return Err(connect_error(e));
            }
        }
        let conn = TcpConn::new(sock.socket.clone());
        sock.state = State::Connected(conn.clone());
        Ok(self.push_tcp_streams(&conn, &self_)?)
    }

    fn start_listen(&mut self, self_: Resource<TcpSocket>) -> SocketResult<()> {
        let sock = self.tcp_socket(&self_)?;
        match sock.state {
            State::Bound => {}
            State::BindStarted | State::ListenStarted | State::Connecting => {
                return Err(ErrorCode::ConcurrencyConflict.into());
            }
            State::Unbound | State::Listening | State::Connected(_) | State::Closed => {
                return Err(ErrorCode::InvalidState.into());
            }
        }
        sock.socket.listen(sock.backlog)?;
        sock.state = State::ListenStarted;
        Ok(())
    }

    fn finish_listen(&mut self, self_: Resource<TcpSocket>) -> SocketResult<()> {
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::ListenStarted) {
            return Err(ErrorCode::NotInProgress.into());
        }
        sock.state = State::Listening;
        Ok(())
    }

    fn accept(
        &mut self,
        self_: Resource<TcpSocket>,
    ) -> SocketResult<(
        Resource<TcpSocket>,
        Resource<DynInputStream>,
        Resource<DynOutputStream>,
    )> {
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::Listening) {
            return Err(ErrorCode::InvalidState.into());
        }
        let (client, _) = sock
            .socket
            .accept()
            .map_err(|e| match Errno::from_io_error(&e) {
                // Linux reports a connection that failed while it waited.
                Some(Errno::PROTO) => ErrorCode::ConnectionAborted.into(),
                _ => SocketError::from(e),
            })?;
        client.set_nonblocking(true)?;
        no_sigpipe(&client)?;
        options::inherit(&sock.socket, &client, sock.family);
        let socket = Arc::new(client);
        let conn = TcpConn::new(socket.clone());
        let client = TcpSocket::new(socket, sock.family, State::Connected(conn.clone()));
        let client = self.push(client)?;
        let (input, output) = self.push_tcp_streams(&conn, &client)?;
        Ok((client, input, output))
    }

    fn local_address(&mut self, self_: Resource<TcpSocket>) -> SocketResult<IpSocketAddress> {
        Ok(self.tcp_socket(&self_)?.local_addr()?.into())
    }

    fn remote_address(&mut self, self_: Resource<TcpSocket>) -> SocketResult<IpSocketAddress> {
        let sock = self.tcp_socket(&self_)?;
        if !matches!(sock.state, State::Connected(_)) {
            return Err(ErrorCode::InvalidState.into());
        }
        let peer = sock.socket.peer_addr()?.as_socket();
        Ok(peer.ok_or(ErrorCode::Unknown)?.into())
    }

    fn is_listening(&mut self, self_: Resource<TcpSocket>) -> Result<bool> {
        Ok(matches!(self.table.get(&self_)?.state, State::Listening))
    }

    fn address_family(&mut self, self_: Resource<TcpSocket>) -> Result<IpAddressFamily> {
        Ok(self.table.get(&self_)?.family)
    }

    fn set_listen_backlog_size(
        &mut self,
        self_: Resource<TcpSocket>,
        value: u64,
    ) -> SocketResult<()> {
        let sock = self.tcp_socket(&self_)?;
        if value == 0 {
            return Err(ErrorCode::InvalidArgument.into());
        }
        let backlog = i32::try_from(value).unwrap_or(i32::MAX);
        match sock.state {
            State::Unbound | State::BindStarted | State::Bound => {}
            State::ListenStarted | State::Listening => {
                // Calling listen again changes the backlog where the OS
                // allows it.
                sock.socket
                    .listen(backlog)
                    .map_err(|_| SocketError::from(ErrorCode::NotSupported))?;
            }
            State::Connecting | State::Connected(_) | State::Closed => {
                return Err(ErrorCode::InvalidState.into());
            }
        }
        sock.backlog = backlog;
        Ok(())
    }

    fn keep_alive_enabled(&mut self, self_: Resource<TcpSocket>) -> SocketResult<bool> {
        options::keep_alive_enabled(&self.tcp_socket(&self_)?.socket)
    }

    fn set_keep_alive_enabled(
        &mut self,
        self_: Resource<TcpSocket>,
        value: bool,
    ) -> SocketResult<()> {
        options::set_keep_alive_enabled(&self.tcp_socket(&self_)?.socket, value)
    }

    fn keep_alive_idle_time(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u64> {
        options::keep_alive_idle_time(&self.tcp_socket(&self_)?.socket)
    }

    fn set_keep_alive_idle_time(
        &mut self,
        self_: Resource<TcpSocket>,
        value: u64,
    ) -> SocketResult<()> {
        options::set_keep_alive_idle_time(&self.tcp_socket(&self_)?.socket, value)
    }

    fn keep_alive_interval(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u64> {
        options::keep_alive_interval(&self.tcp_socket(&self_)?.socket)
    }

    fn set_keep_alive_interval(
        &mut self,
        self_: Resource<TcpSocket>,
        value: u64,
    ) -> SocketResult<()> {
        options::set_keep_alive_interval(&self.tcp_socket(&self_)?.socket, value)
    }

    fn keep_alive_count(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u32> {
        options::keep_alive_count(&self.tcp_socket(&self_)?.socket)
    }

    fn set_keep_alive_count(&mut self, self_: Resource<TcpSocket>, value: u32) -> SocketResult<()> {
        options::set_keep_alive_count(&self.tcp_socket(&self_)?.socket, value)
    }

    fn hop_limit(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u8> {
        let sock = self.tcp_socket(&self_)?;
        options::hop_limit(&sock.socket, sock.family)
    }

    fn set_hop_limit(&mut self, self_: Resource<TcpSocket>, value: u8) -> SocketResult<()> {
        let sock = self.tcp_socket(&self_)?;
        options::set_hop_limit(&sock.socket, sock.family, value)
    }

    fn receive_buffer_size(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u64> {
        options::receive_buffer_size(&self.tcp_socket(&self_)?.socket)
    }

    fn set_receive_buffer_size(
        &mut self,
        self_: Resource<TcpSocket>,
        value: u64,
    ) -> SocketResult<()> {
        options::set_receive_buffer_size(&self.tcp_socket(&self_)?.socket, value)
    }

    fn send_buffer_size(&mut self, self_: Resource<TcpSocket>) -> SocketResult<u64> {
        options::send_buffer_size(&self.tcp_socket(&self_)?.socket)
    }

    fn set_send_buffer_size(&mut self, self_: Resource<TcpSocket>, value: u64) -> SocketResult<()> {
        options::set_send_buffer_size(&self.tcp_socket(&self_)?.socket, value)
    }

    fn subscribe(&mut self, self_: Resource<TcpSocket>) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn shutdown(
        &mut self,
        self_: Resource<TcpSocket>,
        shutdown_type: ShutdownType,
    ) -> SocketResult<()> {
        let State::Connected(conn) = &self.tcp_socket(&self_)?.state else {
            return Err(ErrorCode::InvalidState.into());
        };
        if matches!(shutdown_type, ShutdownType::Receive | ShutdownType::Both) {
            conn.shutdown_receive()?;
        }
        if matches!(shutdown_type, ShutdownType::Send | ShutdownType::Both) {
            conn.shutdown_send();
        }
        Ok(())
    }

    fn drop(&mut self, rep: Resource<TcpSocket>) -> Result<()> {
        match self.table.delete(rep) {
            Ok(_) => Ok(()),
            Err(wit_host::ResourceTableError::HasChildren) => wit_host::bail!(
                "tcp-socket dropped while its streams or pollables live: drop them first"
            ),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
#[path = "tcp_tests.rs"]
mod tests;
