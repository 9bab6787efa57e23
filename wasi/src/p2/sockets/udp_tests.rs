//! Tests of `udp-socket` and its datagram streams: real datagrams over
//! loopback, driven through the host traits as a guest would call them.

use std::net::UdpSocket as StdUdpSocket;

use super::*;
use crate::WasiCtx;
use crate::p2::bindings::wasi::sockets::network::HostNetwork;
use crate::p2::bindings::wasi::sockets::udp::{
    HostIncomingDatagramStream, HostOutgoingDatagramStream, IncomingDatagram, OutgoingDatagram,
};
use crate::p2::bindings::wasi::sockets::udp_create_socket::Host as _;
use crate::p2::sockets::test_util::{TestHost, addr, b, block, code, has_ipv6, network};

type Streams = (
    Resource<IncomingDatagramStream>,
    Resource<OutgoingDatagramStream>,
);

/// A UDP socket bound to `at`.
fn bound(v: &mut WasiCtxView<'_>, family: IpAddressFamily, at: &str) -> Resource<UdpSocket> {
    let sock = v.create_udp_socket(family).unwrap();
    let net = network(v);
    HostUdpSocket::start_bind(v, b(&sock), b(&net), addr(at)).unwrap();
    HostUdpSocket::finish_bind(v, b(&sock)).unwrap();
    HostNetwork::drop(v, net).unwrap();
    sock
}

fn local(v: &mut WasiCtxView<'_>, sock: &Resource<UdpSocket>) -> SocketAddr {
    HostUdpSocket::local_address(v, b(sock)).unwrap().into()
}

/// Waits for datagrams on `incoming` and returns them.
fn receive(
    v: &mut WasiCtxView<'_>,
    incoming: &Resource<IncomingDatagramStream>,
) -> Vec<IncomingDatagram> {
    loop {
        let got = v.receive(b(incoming), 100).unwrap();
        if !got.is_empty() {
            return got;
        }
        let pollable = HostIncomingDatagramStream::subscribe(v, b(incoming)).unwrap();
        block(v, pollable);
    }
}

/// Sends `datagrams`, after a `check-send` that permits them.
fn send(
    v: &mut WasiCtxView<'_>,
    outgoing: &Resource<OutgoingDatagramStream>,
    datagrams: Vec<OutgoingDatagram>,
) -> SocketResult<u64> {
    while v.check_send(b(outgoing))? == 0 {
        let pollable = HostOutgoingDatagramStream::subscribe(v, b(outgoing)).unwrap();
        block(v, pollable);
    }
    v.send(b(outgoing), datagrams)
}

fn datagram(data: &[u8], to: Option<SocketAddr>) -> OutgoingDatagram {
    OutgoingDatagram {
        data: data.to_vec(),
        remote_address: to.map(Into::into),
    }
}

fn drop_streams(v: &mut WasiCtxView<'_>, (incoming, outgoing): Streams) {
    HostIncomingDatagramStream::drop(v, incoming).unwrap();
    HostOutgoingDatagramStream::drop(v, outgoing).unwrap();
}

#[test]
fn round_trip_with_a_std_socket() {
    let peer = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let peer_addr = peer.local_addr().unwrap();
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = bound(&mut v, IpAddressFamily::Ipv4, "127.0.0.1:0");
    let at = local(&mut v, &sock);
    let (incoming, outgoing) = v.stream(b(&sock), None).unwrap();
    assert_eq!(
        code(HostUdpSocket::remote_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );

    peer.send_to(b"one", at).unwrap();
    peer.send_to(b"two", at).unwrap();
    let mut got = receive(&mut v, &incoming);
    if got.len() < 2 {
        got.extend(receive(&mut v, &incoming));
    }
    assert_eq!(got.len(), 2);
    assert_eq!(
        (
            got[0].data.as_slice(),
            SocketAddr::from(got[0].remote_address)
        ),
        (&b"one"[..], peer_addr)
    );
    assert_eq!(got[1].data, b"two");
    assert!(v.receive(b(&incoming), 0).unwrap().is_empty());
    assert!(v.receive(b(&incoming), u64::MAX).unwrap().is_empty());

    let sent = send(
        &mut v,
        &outgoing,
        vec![
            datagram(b"back", Some(peer_addr)),
            datagram(b"again", Some(peer_addr)),
        ],
    );
    assert_eq!(sent.unwrap(), 2);
    let mut buf = [0; 16];
    let (n, from) = peer.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"back"[..], at));
    let (n, _) = peer.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"again");

    // The socket cannot go before its streams.
    let early = HostUdpSocket::drop(&mut v, Resource::new_own(sock.rep()));
    assert!(early.unwrap_err().to_string().contains("drop them first"));
    drop_streams(&mut v, (incoming, outgoing));
    HostUdpSocket::drop(&mut v, sock).unwrap();
    assert!(v.table.is_empty());
}

#[test]
fn connected_streams_talk_to_their_peer_only() {
    let peer = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let peer_addr = peer.local_addr().unwrap();
    let stranger = StdUdpSocket::bind("127.0.0.1:0").unwrap();
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = bound(&mut v, IpAddressFamily::Ipv4, "127.0.0.1:0");
    let at = local(&mut v, &sock);
    // A datagram queued before the socket is connected is not the peer's.
    stranger.send_to(b"early", at).unwrap();
    let (incoming, outgoing) = v.stream(b(&sock), Some(peer_addr.into())).unwrap();
    assert_eq!(
        SocketAddr::from(HostUdpSocket::remote_address(&mut v, b(&sock)).unwrap()),
        peer_addr
    );

    stranger.send_to(b"noise", at).unwrap();
    peer.send_to(b"hi", at).unwrap();
    let got = receive(&mut v, &incoming);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].data, b"hi");
    assert_eq!(SocketAddr::from(got[0].remote_address), peer_addr);

    assert_eq!(
        send(
            &mut v,
            &outgoing,
            vec![datagram(b"a", None), datagram(b"b", Some(peer_addr))]
        )
        .unwrap(),
        2
    );
    let other = stranger.local_addr().unwrap();
    assert_eq!(
        code(send(&mut v, &outgoing, vec![datagram(b"c", Some(other))])),
        Some(ErrorCode::InvalidArgument)
    );
    let mut buf = [0; 4];
    assert_eq!(peer.recv(&mut buf).unwrap(), 1);
    assert_eq!(peer.recv(&mut buf).unwrap(), 1);

    // Streaming anew needs the old streams gone; then it disconnects.
    let again = v.stream(b(&sock), None);
    assert!(matches!(again, Err(SocketError::Trap(_))));
    drop_streams(&mut v, (incoming, outgoing));
    let streams = v.stream(b(&sock), None).unwrap();
    assert_eq!(
        code(HostUdpSocket::remote_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    stranger.send_to(b"now", at).unwrap();
    assert_eq!(receive(&mut v, &streams.0)[0].data, b"now");
    drop_streams(&mut v, streams);
}

#[test]
fn check_send_permits_each_send() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = bound(&mut v, IpAddressFamily::Ipv4, "127.0.0.1:0");
    let at = local(&mut v, &sock);
    let (incoming, outgoing) = v.stream(b(&sock), None).unwrap();
    assert_eq!(v.send(b(&outgoing), Vec::new()).unwrap(), 0);
    let unpermitted = v.send(b(&outgoing), vec![datagram(b"x", Some(at))]);
    assert!(matches!(unpermitted, Err(SocketError::Trap(_))));
    let permit = v.check_send(b(&outgoing)).unwrap();
    assert!(permit > 0);
    let too_many = vec![datagram(b"x", Some(at)); permit as usize + 1];
    assert!(matches!(
        v.send(b(&outgoing), too_many),
        Err(SocketError::Trap(_))
    ));
    // Bad datagrams: errors, and nothing was sent.
    let huge = datagram(&vec![0; 70_000], Some(at));
    assert_eq!(
        code(send(&mut v, &outgoing, vec![huge])),
        Some(ErrorCode::DatagramTooLarge)
    );
    for to in ["0.0.0.0:1", "127.0.0.1:0", "[::1]:1"] {
        let bad = datagram(b"x", Some(to.parse().unwrap()));
        assert_eq!(
            code(send(&mut v, &outgoing, vec![bad])),
            Some(ErrorCode::InvalidArgument),
            "{to}"
        );
    }
    assert_eq!(
        code(send(&mut v, &outgoing, vec![datagram(b"x", None)])),
        Some(ErrorCode::InvalidArgument)
    );
    // A good one after a bad one: one sent, no error.
    let mixed = vec![datagram(b"ok", Some(at)), datagram(b"x", None)];
    assert_eq!(send(&mut v, &outgoing, mixed).unwrap(), 1);
    assert_eq!(receive(&mut v, &incoming)[0].data, b"ok");
    drop_streams(&mut v, (incoming, outgoing));
}

#[test]
fn states_and_options() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let net = network(&mut v);
    let sock = v.create_udp_socket(IpAddressFamily::Ipv4).unwrap();
    assert_eq!(
        code(HostUdpSocket::finish_bind(&mut v, b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.stream(b(&sock), None)),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostUdpSocket::local_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostUdpSocket::remote_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        HostUdpSocket::address_family(&mut v, b(&sock)).unwrap(),
        IpAddressFamily::Ipv4
    );
    let wrong = HostUdpSocket::start_bind(&mut v, b(&sock), b(&net), addr("[::1]:0"));
    assert_eq!(code(wrong), Some(ErrorCode::InvalidArgument));
    let foreign = HostUdpSocket::start_bind(&mut v, b(&sock), b(&net), addr("192.0.2.1:0"));
    assert_eq!(code(foreign), Some(ErrorCode::AddressNotBindable));
    HostUdpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0")).unwrap();
    assert_eq!(
        code(v.stream(b(&sock), None)),
        Some(ErrorCode::InvalidState)
    );
    HostUdpSocket::finish_bind(&mut v, b(&sock)).unwrap();
    let again = HostUdpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0"));
    assert_eq!(code(again), Some(ErrorCode::InvalidState));
    for to in ["0.0.0.0:1", "127.0.0.1:0", "[::1]:1"] {
        assert_eq!(
            code(v.stream(b(&sock), Some(addr(to)))),
            Some(ErrorCode::InvalidArgument),
            "{to}"
        );
    }

    assert_eq!(
        code(v.set_unicast_hop_limit(b(&sock), 0)),
        Some(ErrorCode::InvalidArgument)
    );
    v.set_unicast_hop_limit(b(&sock), 7).unwrap();
    assert_eq!(v.unicast_hop_limit(b(&sock)).unwrap(), 7);
    assert_eq!(
        code(HostUdpSocket::set_receive_buffer_size(&mut v, b(&sock), 0)),
        Some(ErrorCode::InvalidArgument)
    );
    HostUdpSocket::set_receive_buffer_size(&mut v, b(&sock), 1 << 16).unwrap();
    assert!(HostUdpSocket::receive_buffer_size(&mut v, b(&sock)).unwrap() > 0);
    HostUdpSocket::set_send_buffer_size(&mut v, b(&sock), u64::MAX).unwrap();
    assert!(HostUdpSocket::send_buffer_size(&mut v, b(&sock)).unwrap() > 0);
    let pollable = HostUdpSocket::subscribe(&mut v, b(&sock)).unwrap();
    block(&mut v, pollable);
}

#[test]
fn ipv6_round_trip() {
    if !has_ipv6() {
        return;
    }
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let a = bound(&mut v, IpAddressFamily::Ipv6, "[::1]:0");
    let b_ = bound(&mut v, IpAddressFamily::Ipv6, "[::1]:0");
    let (a_at, b_at) = (local(&mut v, &a), local(&mut v, &b_));
    let a_streams = v.stream(b(&a), Some(b_at.into())).unwrap();
    let b_streams = v.stream(b(&b_), None).unwrap();
    assert_eq!(
        send(&mut v, &a_streams.1, vec![datagram(b"v6", None)]).unwrap(),
        1
    );
    let got = receive(&mut v, &b_streams.0);
    assert_eq!(
        (
            got[0].data.as_slice(),
            SocketAddr::from(got[0].remote_address)
        ),
        (&b"v6"[..], a_at)
    );
    drop_streams(&mut v, a_streams);
    drop_streams(&mut v, b_streams);
}

#[test]
fn the_policy_decides() {
    let mut host = TestHost::new(WasiCtx::builder().build());
    let mut v = host.view();
    let net = network(&mut v);
    let sock = v.create_udp_socket(IpAddressFamily::Ipv4).unwrap();
    let bind = HostUdpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0"));
    assert_eq!(code(bind), Some(ErrorCode::AccessDenied));

    let mut host = TestHost::new(
        WasiCtx::builder()
            .allow_udp(false)
            .inherit_network()
            .build(),
    );
    let denied = host.view().create_udp_socket(IpAddressFamily::Ipv4);
    assert_eq!(code(denied), Some(ErrorCode::AccessDenied));

    // Binding allowed, sending and connecting elsewhere than port 9 not.
    let ctx = WasiCtx::builder()
        .socket_addr_check(|a, usage| usage == SocketAddrUse::UdpBind || a.port() == 9)
        .build();
    let mut host = TestHost::new(ctx);
    let mut v = host.view();
    let sock = bound(&mut v, IpAddressFamily::Ipv4, "127.0.0.1:0");
    let at = local(&mut v, &sock);
    assert_eq!(
        code(v.stream(b(&sock), Some(at.into()))),
        Some(ErrorCode::AccessDenied)
    );
    let streams = v.stream(b(&sock), None).unwrap();
    assert_eq!(
        code(send(&mut v, &streams.1, vec![datagram(b"x", Some(at))])),
        Some(ErrorCode::AccessDenied)
    );
    let nine = "127.0.0.1:9".parse().unwrap();
    assert_eq!(
        send(&mut v, &streams.1, vec![datagram(b"x", Some(nine))]).unwrap(),
        1
    );
    drop_streams(&mut v, streams);
}
