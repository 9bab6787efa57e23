//! Socket options of `tcp-socket` and `udp-socket`: keep-alive, hop limit,
//! buffer sizes, as WASI defines them over the OS's options.
//!
//! WASI's rules: a value of 0 is `invalid-argument`; any other value is
//! accepted but may be clamped or rounded to what the OS supports, so
//! reading it back may give another value.

use std::time::Duration;

use rustix::io::Errno;
use rustix::net::sockopt;
use socket2::Socket;

use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpAddressFamily};
use crate::p2::sockets::SocketResult;

/// The largest keep-alive idle time and interval, in seconds, that Linux
/// accepts (`MAX_TCP_KEEPIDLE`, `MAX_TCP_KEEPINTVL`).
const MAX_KEEPALIVE_SECS: u64 = 32_767;

/// The most keep-alive probes Linux accepts (`MAX_TCP_KEEPCNT`).
const MAX_KEEPALIVE_COUNT: u32 = 127;

/// `invalid-argument` for a 0 that WASI forbids.
fn nonzero(value: u64) -> SocketResult<u64> {
    if value == 0 {
        Err(ErrorCode::InvalidArgument.into())
    } else {
        Ok(value)
    }
}

/// Nanoseconds of a WASI `duration`, rounded up to whole seconds (the
/// OS's unit) and clamped.
fn keepalive_secs(nanos: u64) -> SocketResult<Duration> {
    let secs = nonzero(nanos)?.div_ceil(1_000_000_000);
    Ok(Duration::from_secs(secs.min(MAX_KEEPALIVE_SECS)))
}

/// A `Duration` as WASI's nanoseconds, saturating.
fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

/// `SO_KEEPALIVE`.
pub(crate) fn keep_alive_enabled(socket: &Socket) -> SocketResult<bool> {
    Ok(sockopt::socket_keepalive(socket)?)
}

/// Sets `SO_KEEPALIVE`.
pub(crate) fn set_keep_alive_enabled(socket: &Socket, value: bool) -> SocketResult<()> {
    Ok(sockopt::set_socket_keepalive(socket, value)?)
}

/// `TCP_KEEPIDLE`, in nanoseconds.
pub(crate) fn keep_alive_idle_time(socket: &Socket) -> SocketResult<u64> {
    Ok(nanos(sockopt::tcp_keepidle(socket)?))
}

/// Sets `TCP_KEEPIDLE` from nanoseconds.
pub(crate) fn set_keep_alive_idle_time(socket: &Socket, value: u64) -> SocketResult<()> {
    Ok(sockopt::set_tcp_keepidle(socket, keepalive_secs(value)?)?)
}

/// `TCP_KEEPINTVL`, in nanoseconds.
pub(crate) fn keep_alive_interval(socket: &Socket) -> SocketResult<u64> {
    Ok(nanos(sockopt::tcp_keepintvl(socket)?))
}

/// Sets `TCP_KEEPINTVL` from nanoseconds.
pub(crate) fn set_keep_alive_interval(socket: &Socket, value: u64) -> SocketResult<()> {
    Ok(sockopt::set_tcp_keepintvl(socket, keepalive_secs(value)?)?)
}

/// `TCP_KEEPCNT`.
pub(crate) fn keep_alive_count(socket: &Socket) -> SocketResult<u32> {
    Ok(sockopt::tcp_keepcnt(socket)?)
}

/// Sets `TCP_KEEPCNT`.
pub(crate) fn set_keep_alive_count(socket: &Socket, value: u32) -> SocketResult<()> {
    let count = nonzero(value.into())? as u32;
    Ok(sockopt::set_tcp_keepcnt(
        socket,
        count.min(MAX_KEEPALIVE_COUNT),
    )?)
}

/// `IP_TTL` or `IPV6_UNICAST_HOPS`, by the socket's family.
pub(crate) fn hop_limit(socket: &Socket, family: IpAddressFamily) -> SocketResult<u8> {
    let hops = match family {
        IpAddressFamily::Ipv4 => sockopt::ip_ttl(socket)?,
        IpAddressFamily::Ipv6 => sockopt::ipv6_unicast_hops(socket)?.into(),
    };
    Ok(u8::try_from(hops).unwrap_or(u8::MAX))
}

/// Sets `IP_TTL` or `IPV6_UNICAST_HOPS`.
pub(crate) fn set_hop_limit(
    socket: &Socket,
    family: IpAddressFamily,
    value: u8,
) -> SocketResult<()> {
    nonzero(value.into())?;
    match family {
        IpAddressFamily::Ipv4 => sockopt::set_ip_ttl(socket, value.into())?,
        IpAddressFamily::Ipv6 => sockopt::set_ipv6_unicast_hops(socket, Some(value))?,
    }
    Ok(())
}

/// `SO_RCVBUF`.
pub(crate) fn receive_buffer_size(socket: &Socket) -> SocketResult<u64> {
    Ok(sockopt::socket_recv_buffer_size(socket)? as u64)
}

/// Sets `SO_RCVBUF`.
pub(crate) fn set_receive_buffer_size(socket: &Socket, value: u64) -> SocketResult<()> {
    set_buffer_size(value, |size| {
        sockopt::set_socket_recv_buffer_size(socket, size)
    })
}

/// `SO_SNDBUF`.
pub(crate) fn send_buffer_size(socket: &Socket) -> SocketResult<u64> {
    Ok(sockopt::socket_send_buffer_size(socket)? as u64)
}

/// Sets `SO_SNDBUF`.
pub(crate) fn set_send_buffer_size(socket: &Socket, value: u64) -> SocketResult<()> {
    set_buffer_size(value, |size| {
        sockopt::set_socket_send_buffer_size(socket, size)
    })
}

/// Sets a buffer size with `set`, clamped to what the OS takes: Linux
/// clamps silently, others refuse sizes past their maximum (`ENOBUFS`,
/// `EINVAL`), so the size is halved until they accept it.
fn set_buffer_size(value: u64, set: impl Fn(usize) -> rustix::io::Result<()>) -> SocketResult<()> {
    let mut size = usize::try_from(nonzero(value)?)
        .unwrap_or(usize::MAX)
        .min(i32::MAX as usize);
    loop {
        match set(size) {
            Ok(()) => return Ok(()),
            Err(Errno::NOBUFS | Errno::INVAL) if size > 4096 => size /= 2,
            Err(e) => return Err(e.into()),
        }
    }
}

/// Gives `client`, just accepted from `listener`, the listener's options
/// that WASI says it inherits. Linux copies them itself; elsewhere some
/// are not inherited, so they are copied here (best effort: `accept` does
/// not fail for an option).
pub(crate) fn inherit(listener: &Socket, client: &Socket, family: IpAddressFamily) {
    if cfg!(any(target_os = "linux", target_os = "android")) {
        return;
    }
    if let Ok(on) = keep_alive_enabled(listener) {
        let _ = set_keep_alive_enabled(client, on);
    }
    if let Ok(idle) = sockopt::tcp_keepidle(listener) {
        let _ = sockopt::set_tcp_keepidle(client, idle);
    }
    if let Ok(interval) = sockopt::tcp_keepintvl(listener) {
        let _ = sockopt::set_tcp_keepintvl(client, interval);
    }
    if let Ok(count) = sockopt::tcp_keepcnt(listener) {
        let _ = sockopt::set_tcp_keepcnt(client, count);
    }
    if let Ok(hops) = hop_limit(listener, family) {
        let _ = set_hop_limit(client, family, hops);
    }
    if let Ok(size) = sockopt::socket_recv_buffer_size(listener) {
        let _ = sockopt::set_socket_recv_buffer_size(client, size);
    }
    if let Ok(size) = sockopt::socket_send_buffer_size(listener) {
        let _ = sockopt::set_socket_send_buffer_size(client, size);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use socket2::{Domain, Protocol, Type};

    fn code<T>(r: SocketResult<T>) -> Option<ErrorCode> {
        r.err().and_then(|e| e.code())
    }

    #[test]
    fn zero_is_invalid_and_large_values_clamp() {
        let s = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
        assert_eq!(
            code(set_keep_alive_idle_time(&s, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(set_keep_alive_interval(&s, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(set_keep_alive_count(&s, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(set_hop_limit(&s, IpAddressFamily::Ipv4, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(set_receive_buffer_size(&s, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(set_send_buffer_size(&s, 0)),
            Some(ErrorCode::InvalidArgument)
        );
        set_keep_alive_idle_time(&s, u64::MAX).unwrap();
        set_keep_alive_interval(&s, 1).unwrap();
        set_keep_alive_count(&s, u32::MAX).unwrap();
        set_receive_buffer_size(&s, u64::MAX).unwrap();
        set_send_buffer_size(&s, u64::MAX).unwrap();
        assert_eq!(
            keep_alive_idle_time(&s).unwrap(),
            MAX_KEEPALIVE_SECS * 1_000_000_000
        );
        assert_eq!(keep_alive_interval(&s).unwrap(), 1_000_000_000);
    }

    #[test]
    fn options_read_back() {
        for (domain, family) in [
            (Domain::IPV4, IpAddressFamily::Ipv4),
            (Domain::IPV6, IpAddressFamily::Ipv6),
        ] {
            let Ok(s) = Socket::new(domain, Type::STREAM, Some(Protocol::TCP)) else {
                continue; // no IPv6 on this host
            };
            set_keep_alive_enabled(&s, true).unwrap();
            assert!(keep_alive_enabled(&s).unwrap());
            set_keep_alive_idle_time(&s, 42_000_000_000).unwrap();
            assert_eq!(keep_alive_idle_time(&s).unwrap(), 42_000_000_000);
            set_keep_alive_interval(&s, 1_500_000_000).unwrap();
            assert_eq!(keep_alive_interval(&s).unwrap(), 2_000_000_000);
            set_keep_alive_count(&s, 9).unwrap();
            assert_eq!(keep_alive_count(&s).unwrap(), 9);
            set_hop_limit(&s, family, 42).unwrap();
            assert_eq!(hop_limit(&s, family).unwrap(), 42);
            set_receive_buffer_size(&s, 0x10000).unwrap();
            assert!(receive_buffer_size(&s).unwrap() > 0);
            set_send_buffer_size(&s, 0x10000).unwrap();
            assert!(send_buffer_size(&s).unwrap() > 0);
        }
    }
}
