//! `wasi:sockets/network` and `instance-network`: the [`Network`] resource,
//! a guest's capability to use the network, and the WIT address types'
//! conversions to and from `std::net` with the checks every bind, connect
//! and send makes of an address.
//!
//! A `network` is a snapshot of the context's
//! [`SocketPolicy`](crate::net::SocketPolicy) when `instance-network` was
//! called: sockets bound or connected through it are held to that policy.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use wit_host::{Resource, Result};

use crate::net::{SocketAddrUse, SocketPolicy};
use crate::p2::bindings::wasi::sockets::instance_network;
use crate::p2::bindings::wasi::sockets::network::{
    ErrorCode, HostNetwork, IpAddress, IpAddressFamily, IpSocketAddress, Ipv4SocketAddress,
    Ipv6SocketAddress,
};
use crate::p2::sockets::SocketResult;
use crate::view::WasiCtxView;

/// The host side of a `network`: what the guest may do on the network
/// through it.
pub struct Network {
    policy: SocketPolicy,
}

impl Network {
    /// The policy sockets bound or connected through this network obey.
    pub(crate) fn policy(&self) -> &SocketPolicy {
        &self.policy
    }

    /// `access-denied` unless the policy allows `usage` of `addr`.
    pub(crate) fn check(&self, addr: SocketAddr, usage: SocketAddrUse) -> SocketResult<()> {
        check_policy(&self.policy, addr, usage)
    }
}

/// `access-denied` unless `policy` allows `usage` of `addr`.
pub(crate) fn check_policy(
    policy: &SocketPolicy,
    addr: SocketAddr,
    usage: SocketAddrUse,
) -> SocketResult<()> {
    if policy.allows(addr, usage) {
        Ok(())
    } else {
        Err(ErrorCode::AccessDenied.into())
    }
}

impl HostNetwork for WasiCtxView<'_> {
    fn drop(&mut self, rep: Resource<Network>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl instance_network::Host for WasiCtxView<'_> {
    fn instance_network(&mut self) -> Result<Resource<Network>> {
        let network = Network {
            policy: self.ctx.network.clone(),
        };
        self.push(network)
    }
}

impl From<IpAddress> for IpAddr {
    fn from(addr: IpAddress) -> IpAddr {
        match addr {
            IpAddress::Ipv4((a, b, c, d)) => IpAddr::V4(Ipv4Addr::new(a, b, c, d)),
            IpAddress::Ipv6((a, b, c, d, e, f, g, h)) => {
                IpAddr::V6(Ipv6Addr::new(a, b, c, d, e, f, g, h))
            }
        }
    }
}

impl From<IpAddr> for IpAddress {
    fn from(addr: IpAddr) -> IpAddress {
        match addr {
            IpAddr::V4(v4) => {
                let [a, b, c, d] = v4.octets();
                IpAddress::Ipv4((a, b, c, d))
            }
            IpAddr::V6(v6) => {
                let [a, b, c, d, e, f, g, h] = v6.segments();
                IpAddress::Ipv6((a, b, c, d, e, f, g, h))
            }
        }
    }
}

impl From<IpSocketAddress> for SocketAddr {
    fn from(addr: IpSocketAddress) -> SocketAddr {
        match addr {
            IpSocketAddress::Ipv4(v4) => {
                let (a, b, c, d) = v4.address;
                SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(a, b, c, d), v4.port))
            }
            IpSocketAddress::Ipv6(v6) => {
                let (a, b, c, d, e, f, g, h) = v6.address;
                let ip = Ipv6Addr::new(a, b, c, d, e, f, g, h);
                SocketAddr::V6(SocketAddrV6::new(ip, v6.port, v6.flow_info, v6.scope_id))
            }
        }
    }
}

impl From<SocketAddr> for IpSocketAddress {
    fn from(addr: SocketAddr) -> IpSocketAddress {
        match addr {
            SocketAddr::V4(v4) => {
                let [a, b, c, d] = v4.ip().octets();
                IpSocketAddress::Ipv4(Ipv4SocketAddress {
                    port: v4.port(),
                    address: (a, b, c, d),
                })
            }
            SocketAddr::V6(v6) => {
                let [a, b, c, d, e, f, g, h] = v6.ip().segments();
                IpSocketAddress::Ipv6(Ipv6SocketAddress {
                    port: v6.port(),
                    flow_info: v6.flowinfo(),
                    address: (a, b, c, d, e, f, g, h),
                    scope_id: v6.scope_id(),
                })
            }
        }
    }
}

/// The address family of `addr`.
pub(crate) fn family_of(addr: &SocketAddr) -> IpAddressFamily {
    match addr {
        SocketAddr::V4(_) => IpAddressFamily::Ipv4,
        SocketAddr::V6(_) => IpAddressFamily::Ipv6,
    }
}

/// `invalid-argument` if `addr` cannot be used by a socket of `family`:
/// another family, or an IPv4-mapped IPv6 address (sockets are IPv6-only).
pub(crate) fn check_family(addr: &SocketAddr, family: IpAddressFamily) -> SocketResult<()> {
    if family_of(addr) != family {
        return Err(ErrorCode::InvalidArgument.into());
    }
    if let SocketAddr::V6(v6) = addr
        && v6.ip().to_ipv4_mapped().is_some()
    {
        return Err(ErrorCode::InvalidArgument.into());
    }
    Ok(())
}

/// Whether `ip` names one host (not a multicast or broadcast group).
pub(crate) fn is_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => !v4.is_multicast() && !v4.is_broadcast(),
        IpAddr::V6(v6) => !v6.is_multicast(),
    }
}

/// `invalid-argument` unless `addr` can be a peer of a socket of `family`:
/// its family, a unicast and specified address, a port other than 0.
pub(crate) fn check_remote(addr: &SocketAddr, family: IpAddressFamily) -> SocketResult<()> {
    check_family(addr, family)?;
    if addr.ip().is_unspecified() || addr.port() == 0 {
        return Err(ErrorCode::InvalidArgument.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_round_trip() {
        for text in ["127.0.0.1:80", "[::1]:443", "[fe80::1%3]:8080", "0.0.0.0:0"] {
            let addr: SocketAddr = text.parse().unwrap();
            let wit = IpSocketAddress::from(addr);
            assert_eq!(SocketAddr::from(wit), addr);
            assert_eq!(IpAddr::from(IpAddress::from(addr.ip())), addr.ip());
        }
        let IpSocketAddress::Ipv6(v6) =
            IpSocketAddress::from("[fe80::1%3]:8080".parse::<SocketAddr>().unwrap())
        else {
            panic!("not v6")
        };
        assert_eq!((v6.port, v6.scope_id, v6.address.0), (8080, 3, 0xfe80));
    }

    #[test]
    fn address_checks() {
        let v4: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:127.0.0.1]:1".parse().unwrap();
        let any: SocketAddr = "0.0.0.0:1".parse().unwrap();
        let port0: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let code = |r: SocketResult<()>| r.err().and_then(|e| e.code());
        assert!(check_family(&v4, IpAddressFamily::Ipv4).is_ok());
        assert_eq!(
            code(check_family(&v4, IpAddressFamily::Ipv6)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(check_family(&mapped, IpAddressFamily::Ipv6)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(check_remote(&any, IpAddressFamily::Ipv4)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(check_remote(&port0, IpAddressFamily::Ipv4)),
            Some(ErrorCode::InvalidArgument)
        );
        assert!(check_remote(&v4, IpAddressFamily::Ipv4).is_ok());
        assert!(!is_unicast("224.0.0.1".parse().unwrap()));
        assert!(!is_unicast("255.255.255.255".parse().unwrap()));
        assert!(!is_unicast("ff02::1".parse().unwrap()));
        assert!(is_unicast("10.0.0.1".parse().unwrap()));
    }

    #[test]
    fn instance_network_snapshots_the_policy() {
        let mut ctx = crate::WasiCtx::builder()
            .socket_addr_check(|a, _| a.ip().is_loopback())
            .build();
        let mut table = wit_host::ResourceTable::new();
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let net = instance_network::Host::instance_network(&mut view).unwrap();
        let network = view.table.get(&net).unwrap();
        let lo: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let remote: SocketAddr = "192.0.2.1:80".parse().unwrap();
        assert!(network.check(lo, SocketAddrUse::TcpConnect).is_ok());
        let denied = network
            .check(remote, SocketAddrUse::TcpConnect)
            .unwrap_err();
        assert_eq!(denied.code(), Some(ErrorCode::AccessDenied));
        HostNetwork::drop(&mut view, net).unwrap();
        assert!(view.table.is_empty());
    }
}
