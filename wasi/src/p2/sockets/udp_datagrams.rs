//! `wasi:sockets/udp`'s datagram streams: [`IncomingDatagramStream`] and
//! [`OutgoingDatagramStream`], over the socket that `udp-socket.stream`
//! set up.
//!
//! Both are non-blocking. `receive` returns the datagrams the kernel has
//! now, at most [`MAX_DATAGRAMS`] per call and [`MAX_DATAGRAM_SIZE`]
//! bytes each. `check-send` permits up to [`MAX_DATAGRAMS`] datagrams when
//! the socket can send (0 otherwise); each `send` needs a fresh permit
//! and traps past it, as WASI requires. Their pollables wait on the
//! socket's descriptor.

use std::net::SocketAddr;
use std::sync::Arc;

use rustix::event::PollFlags;
use rustix::io::Errno;
use rustix::net::{RecvFlags, SendFlags};
use socket2::Socket;
use wit_host::{Resource, Result};

use crate::net::{SocketAddrUse, SocketPolicy};
use crate::p2::DynPollable;
use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpAddressFamily};
use crate::p2::bindings::wasi::sockets::udp::{
    HostIncomingDatagramStream, HostOutgoingDatagramStream, IncomingDatagram, OutgoingDatagram,
};
use crate::p2::io::poll::{self, Interest, Pollable, Readiness};
use crate::p2::sockets::network::{check_policy, check_remote};
use crate::p2::sockets::{SocketError, SocketResult, ready_now, would_block};
use crate::view::WasiCtxView;

/// The most datagrams one `receive` returns and one `check-send` permits.
pub const MAX_DATAGRAMS: usize = 64;

/// The largest datagram received or sent: the largest UDP payload (IPv4's
/// is 65 507 bytes, IPv6's without jumbograms 65 527).
pub const MAX_DATAGRAM_SIZE: usize = 65_535;

/// The host side of an `incoming-datagram-stream`.
pub struct IncomingDatagramStream {
    socket: Arc<Socket>,
    /// The only peer datagrams are taken from, if connected.
    remote: Option<SocketAddr>,
}

/// The host side of an `outgoing-datagram-stream`.
pub struct OutgoingDatagramStream {
    socket: Arc<Socket>,
    family: IpAddressFamily,
    /// The only peer datagrams go to, if connected.
    remote: Option<SocketAddr>,
    /// What the socket's network allows.
    policy: SocketPolicy,
    /// How many datagrams the last `check-send` permitted, until a `send`.
    permit: Option<usize>,
}

impl IncomingDatagramStream {
    /// A stream of the datagrams `socket` receives (from `remote` only,
    /// if given).
    pub(crate) fn new(socket: Arc<Socket>, remote: Option<SocketAddr>) -> IncomingDatagramStream {
        IncomingDatagramStream { socket, remote }
    }

    /// Up to `max` datagrams the kernel has now.
    fn receive(&mut self, max: usize) -> SocketResult<Vec<IncomingDatagram>> {
        let mut datagrams = Vec::new();
        if max == 0 {
            return Ok(datagrams);
        }
        let mut buf = vec![0; MAX_DATAGRAM_SIZE];
        while datagrams.len() < max {
            let (len, from) =
                match rustix::net::recvfrom(&*self.socket, &mut buf[..], RecvFlags::empty()) {
                    Ok((len, _, from)) => (len, from.and_then(|a| SocketAddr::try_from(a).ok())),
                    Err(e) if would_block(e) => break,
                    // An error after some datagrams is left for the next call.
                    Err(_) if !datagrams.is_empty() => break,
                    Err(e) => return Err(receive_error(e)),
                };
            let from = match (self.remote, from) {
                // Queued before the socket was connected: not for this stream.
                (Some(remote), Some(from)) if !same_peer(remote, from) => continue,
                (Some(remote), _) => remote,
                (None, Some(from)) => from,
                (None, None) => continue,
            };
            datagrams.push(IncomingDatagram {
                data: buf[..len].to_vec(),
                remote_address: from.into(),
            });
        }
        Ok(datagrams)
    }
}

/// Whether `a` and `b` are the same IP and port (the kernel fills in no
/// flow label nor scope the guest did not give).
fn same_peer(a: SocketAddr, b: SocketAddr) -> bool {
    a.ip() == b.ip() && a.port() == b.port()
}

/// The `error-code` of a failed `recv`/`send`, as the datagram streams
/// document them.
fn receive_error(e: Errno) -> SocketError {
    match e {
        Errno::CONNRESET | Errno::NETRESET => ErrorCode::RemoteUnreachable.into(),
        _ => e.into(),
    }
}

impl OutgoingDatagramStream {
    /// A stream of datagrams `socket` sends (to `remote` only, if given;
    /// elsewhere where `policy` allows).
    pub(crate) fn new(
        socket: Arc<Socket>,
        family: IpAddressFamily,
        remote: Option<SocketAddr>,
        policy: SocketPolicy,
    ) -> OutgoingDatagramStream {
        OutgoingDatagramStream {
            socket,
            family,
            remote,
            policy,
            permit: None,
        }
    }

    /// Sends one datagram: `Ok(false)` if the kernel has no room now.
    fn send_one(&self, datagram: &OutgoingDatagram) -> SocketResult<bool> {
        if datagram.data.len() > MAX_DATAGRAM_SIZE {
            return Err(ErrorCode::DatagramTooLarge.into());
        }
        let to = datagram.remote_address.map(SocketAddr::from);
        let to = match (self.remote, to) {
            (Some(_), None) => None,
            (Some(remote), Some(to)) if remote == to => None,
            (Some(_), Some(_)) | (None, None) => return Err(ErrorCode::InvalidArgument.into()),
            (None, Some(to)) => {
                check_remote(&to, self.family)?;
                check_policy(&self.policy, to, SocketAddrUse::UdpOutgoingDatagram)?;
                Some(to)
            }
        };
        loop {
            let sent = match to {
                None => rustix::net::send(&*self.socket, &datagram.data, SendFlags::empty()),
                Some(to) => {
                    rustix::net::sendto(&*self.socket, &datagram.data, SendFlags::empty(), &to)
                }
            };
            return match sent {
                Ok(_) => Ok(true),
                Err(Errno::INTR) => continue,
                Err(e) if would_block(e) => Ok(false),
                Err(e) => Err(receive_error(e)),
            };
        }
    }
}

impl Pollable for IncomingDatagramStream {
    fn readiness(&mut self) -> Readiness {
        Readiness::Fd(self.socket.clone(), Interest::Read)
    }
}

impl Pollable for OutgoingDatagramStream {
    fn readiness(&mut self) -> Readiness {
        Readiness::Fd(self.socket.clone(), Interest::Write)
    }
}

impl HostIncomingDatagramStream for WasiCtxView<'_> {
    fn receive(
        &mut self,
        self_: Resource<IncomingDatagramStream>,
        max_results: u64,
    ) -> SocketResult<Vec<IncomingDatagram>> {
        let max = usize::try_from(max_results)
            .unwrap_or(usize::MAX)
            .min(MAX_DATAGRAMS);
        self.table.get_mut(&self_)?.receive(max)
    }

    fn subscribe(
        &mut self,
        self_: Resource<IncomingDatagramStream>,
    ) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn drop(&mut self, rep: Resource<IncomingDatagramStream>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostOutgoingDatagramStream for WasiCtxView<'_> {
    fn check_send(&mut self, self_: Resource<OutgoingDatagramStream>) -> SocketResult<u64> {
        let stream = self.table.get_mut(&self_)?;
        let permit = if ready_now(&stream.socket, PollFlags::OUT)? {
            MAX_DATAGRAMS
        } else {
            0
        };
        stream.permit = Some(permit);
        Ok(permit as u64)
    }

    fn send(
        &mut self,
        self_: Resource<OutgoingDatagramStream>,
        datagrams: Vec<OutgoingDatagram>,
    ) -> SocketResult<u64> {
        let stream = self.table.get_mut(&self_)?;
        if datagrams.is_empty() {
            return Ok(0);
        }
        let Some(permit) = stream.permit.take() else {
            return Err(SocketError::trap(
                "outgoing-datagram-stream.send without a preceding check-send",
            ));
        };
        if datagrams.len() > permit {
            return Err(SocketError::trap(format!(
                "outgoing-datagram-stream.send of {} datagrams exceeds the {permit} that check-send permits",
                datagrams.len()
            )));
        }
        let mut sent = 0;
        for datagram in &datagrams {
            match stream.send_one(datagram) {
                Ok(true) => sent += 1,
                Ok(false) => break,
                // WASI: once one datagram went out, `send` succeeds.
                Err(_) if sent > 0 => break,
                Err(e) => return Err(e),
            }
        }
        Ok(sent)
    }

    fn subscribe(
        &mut self,
        self_: Resource<OutgoingDatagramStream>,
    ) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn drop(&mut self, rep: Resource<OutgoingDatagramStream>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}
