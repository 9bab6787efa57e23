//! Tests of `tcp-socket`: real connections over loopback, driven through
//! the host traits as a guest would call them.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

use super::*;
use crate::WasiCtx;
use crate::p2::StreamError;
use crate::p2::bindings::wasi::io::poll::HostPollable;
use crate::p2::bindings::wasi::io::streams::{HostInputStream, HostOutputStream};
use crate::p2::bindings::wasi::sockets::network::HostNetwork;
use crate::p2::bindings::wasi::sockets::tcp_create_socket::Host as _;
use crate::p2::sockets::test_util::{TestHost, addr, b, block, code, has_ipv6, network};

type Streams = (Resource<DynInputStream>, Resource<DynOutputStream>);

fn create(v: &mut WasiCtxView<'_>, family: IpAddressFamily) -> Resource<TcpSocket> {
    v.create_tcp_socket(family).unwrap()
}

/// Connects `sock` to `to`, waiting on its pollable.
fn connect(v: &mut WasiCtxView<'_>, sock: &Resource<TcpSocket>, to: &str) -> SocketResult<Streams> {
    let net = network(v);
    let started = v.start_connect(b(sock), b(&net), addr(to));
    HostNetwork::drop(v, net).unwrap();
    started?;
    loop {
        match v.finish_connect(b(sock)) {
            Err(e) if e.code() == Some(ErrorCode::WouldBlock) => {
                let pollable = HostTcpSocket::subscribe(v, b(sock)).unwrap();
                block(v, pollable);
            }
            other => return other,
        }
    }
}

/// Binds `sock` to `at` and listens.
fn listen(v: &mut WasiCtxView<'_>, sock: &Resource<TcpSocket>, at: &str) {
    let net = network(v);
    HostTcpSocket::start_bind(v, b(sock), b(&net), addr(at)).unwrap();
    HostTcpSocket::finish_bind(v, b(sock)).unwrap();
    v.start_listen(b(sock)).unwrap();
    v.finish_listen(b(sock)).unwrap();
}

/// Reads exactly `len` bytes from `input`.
fn read_exact(v: &mut WasiCtxView<'_>, input: &Resource<DynInputStream>, len: usize) -> Vec<u8> {
    let mut got = Vec::new();
    while got.len() < len {
        let more = HostInputStream::blocking_read(v, b(input), (len - got.len()) as u64).unwrap();
        got.extend(more);
    }
    got
}

fn drop_streams(v: &mut WasiCtxView<'_>, (input, output): Streams) {
    HostInputStream::drop(v, input).unwrap();
    HostOutputStream::drop(v, output).unwrap();
}

#[test]
fn client_exchanges_bytes_with_a_std_listener() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = listener.local_addr().unwrap();
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    let (input, output) = connect(&mut v, &sock, &server_addr.to_string()).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();

    assert_eq!(
        SocketAddr::from(v.remote_address(b(&sock)).unwrap()),
        server_addr
    );
    assert_eq!(
        SocketAddr::from(HostTcpSocket::local_address(&mut v, b(&sock)).unwrap()),
        client_addr
    );
    assert!(!v.is_listening(b(&sock)).unwrap());

    HostOutputStream::blocking_write_and_flush(&mut v, b(&output), b"ping".to_vec()).unwrap();
    let mut buf = [0; 4];
    server.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"ping");

    server.write_all(b"pong!").unwrap();
    assert_eq!(read_exact(&mut v, &input, 5), b"pong!");

    // A big transfer each way, through the bounded write buffer.
    let big: Vec<u8> = (0..1_000_000u32).map(|i| i as u8).collect();
    let expected = big.clone();
    let echo = std::thread::spawn(move || {
        let mut got = vec![0; expected.len()];
        server.read_exact(&mut got).unwrap();
        assert!(got == expected);
        server.write_all(&got).unwrap();
        server
    });
    for chunk in big.chunks(4096) {
        HostOutputStream::blocking_write_and_flush(&mut v, b(&output), chunk.to_vec()).unwrap();
    }
    assert!(read_exact(&mut v, &input, big.len()) == big);
    let mut server = echo.join().unwrap();

    // Shutting the sending half down ends the server's stream.
    v.shutdown(b(&sock), ShutdownType::Send).unwrap();
    let mut rest = Vec::new();
    server.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    let closed = HostOutputStream::check_write(&mut v, b(&output));
    assert!(matches!(closed, Err(StreamError::Closed)));

    // The server closes: the input stream ends.
    drop(server);
    let end = HostInputStream::blocking_read(&mut v, b(&input), 10);
    assert!(matches!(end, Err(StreamError::Closed)));

    // The socket cannot go before its streams.
    let early = HostTcpSocket::drop(&mut v, Resource::new_own(sock.rep()));
    assert!(early.unwrap_err().to_string().contains("drop them first"));
    drop_streams(&mut v, (input, output));
    HostTcpSocket::drop(&mut v, sock).unwrap();
    assert!(v.table.is_empty());
}

#[test]
fn listener_accepts_a_std_client() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    v.set_keep_alive_enabled(b(&sock), true).unwrap();
    v.set_hop_limit(b(&sock), 42).unwrap();
    listen(&mut v, &sock, "127.0.0.1:0");
    assert!(v.is_listening(b(&sock)).unwrap());
    let local = SocketAddr::from(HostTcpSocket::local_address(&mut v, b(&sock)).unwrap());
    assert_ne!(local.port(), 0);

    assert_eq!(code(v.accept(b(&sock))), Some(ErrorCode::WouldBlock));
    let pollable = HostTcpSocket::subscribe(&mut v, b(&sock)).unwrap();
    assert!(!HostPollable::ready(&mut v, b(&pollable)).unwrap());

    let mut client = TcpStream::connect(local).unwrap();
    block(&mut v, pollable);
    let (conn, input, output) = v.accept(b(&sock)).unwrap();
    assert_eq!(
        SocketAddr::from(v.remote_address(b(&conn)).unwrap()),
        client.local_addr().unwrap()
    );
    assert_eq!(
        SocketAddr::from(HostTcpSocket::local_address(&mut v, b(&conn)).unwrap()),
        local
    );
    assert!(!v.is_listening(b(&conn)).unwrap());
    assert_eq!(
        HostTcpSocket::address_family(&mut v, b(&conn)).unwrap(),
        IpAddressFamily::Ipv4
    );
    // Inherited from the listener.
    assert!(v.keep_alive_enabled(b(&conn)).unwrap());
    assert_eq!(v.hop_limit(b(&conn)).unwrap(), 42);

    client.write_all(b"hello").unwrap();
    assert_eq!(read_exact(&mut v, &input, 5), b"hello");
    HostOutputStream::blocking_write_and_flush(&mut v, b(&output), b"world".to_vec()).unwrap();
    let mut buf = [0; 5];
    client.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"world");

    // The accepted socket is connected: listening things are refused.
    assert_eq!(
        code(v.start_listen(b(&conn))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.set_listen_backlog_size(b(&conn), 10)),
        Some(ErrorCode::InvalidState)
    );
    // The listener can change its backlog.
    v.set_listen_backlog_size(b(&sock), 1000).unwrap();

    drop_streams(&mut v, (input, output));
    HostTcpSocket::drop(&mut v, conn).unwrap();
    assert_eq!(code(v.accept(b(&sock))), Some(ErrorCode::WouldBlock));
    HostTcpSocket::drop(&mut v, sock).unwrap();
}

#[test]
fn unbound_state() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    assert_eq!(
        code(HostTcpSocket::finish_bind(&mut v, b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.finish_connect(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.start_listen(b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.finish_listen(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(code(v.accept(b(&sock))), Some(ErrorCode::InvalidState));
    assert_eq!(
        code(v.shutdown(b(&sock), ShutdownType::Both)),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostTcpSocket::local_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostTcpSocket::remote_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert!(!v.is_listening(b(&sock)).unwrap());
    assert_eq!(
        HostTcpSocket::address_family(&mut v, b(&sock)).unwrap(),
        IpAddressFamily::Ipv4
    );
    assert_eq!(
        code(v.set_listen_backlog_size(b(&sock), 0)),
        Some(ErrorCode::InvalidArgument)
    );
    v.set_listen_backlog_size(b(&sock), u64::MAX).unwrap();
    v.set_keep_alive_idle_time(b(&sock), 42_000_000_000)
        .unwrap();
    assert_eq!(v.keep_alive_idle_time(b(&sock)).unwrap(), 42_000_000_000);
    v.set_keep_alive_interval(b(&sock), 7_000_000_000).unwrap();
    assert_eq!(v.keep_alive_interval(b(&sock)).unwrap(), 7_000_000_000);
    v.set_keep_alive_count(b(&sock), 5).unwrap();
    assert_eq!(v.keep_alive_count(b(&sock)).unwrap(), 5);
    assert_eq!(
        code(v.set_hop_limit(b(&sock), 0)),
        Some(ErrorCode::InvalidArgument)
    );
    HostTcpSocket::set_receive_buffer_size(&mut v, b(&sock), 1 << 16).unwrap();
    assert!(HostTcpSocket::receive_buffer_size(&mut v, b(&sock)).unwrap() > 0);
    HostTcpSocket::set_send_buffer_size(&mut v, b(&sock), 1 << 16).unwrap();
    assert!(HostTcpSocket::send_buffer_size(&mut v, b(&sock)).unwrap() > 0);
    // Nothing to wait for: the pollable is ready.
    let pollable = HostTcpSocket::subscribe(&mut v, b(&sock)).unwrap();
    assert!(HostPollable::ready(&mut v, b(&pollable)).unwrap());
    block(&mut v, pollable);
}

#[test]
fn bound_and_listening_states() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let net = network(&mut v);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0")).unwrap();
    // Bind started: not bound yet, and other operations conflict.
    assert_eq!(
        code(HostTcpSocket::local_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.start_listen(b(&sock))),
        Some(ErrorCode::ConcurrencyConflict)
    );
    let connect = v.start_connect(b(&sock), b(&net), addr("127.0.0.1:1"));
    assert_eq!(code(connect), Some(ErrorCode::ConcurrencyConflict));
    HostTcpSocket::finish_bind(&mut v, b(&sock)).unwrap();

    let bound = addr("127.0.0.1:0");
    assert_eq!(
        code(HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), bound)),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostTcpSocket::finish_bind(&mut v, b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.finish_connect(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.finish_listen(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(code(v.accept(b(&sock))), Some(ErrorCode::InvalidState));
    assert_eq!(
        code(v.shutdown(b(&sock), ShutdownType::Both)),
        Some(ErrorCode::InvalidState)
    );
    assert!(HostTcpSocket::local_address(&mut v, b(&sock)).is_ok());
    assert_eq!(
        code(HostTcpSocket::remote_address(&mut v, b(&sock))),
        Some(ErrorCode::InvalidState)
    );

    v.start_listen(b(&sock)).unwrap();
    assert_eq!(
        code(v.start_listen(b(&sock))),
        Some(ErrorCode::ConcurrencyConflict)
    );
    v.finish_listen(b(&sock)).unwrap();
    let bound = addr("127.0.0.1:0");
    assert_eq!(
        code(HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), bound)),
        Some(ErrorCode::InvalidState)
    );
    let connect = v.start_connect(b(&sock), b(&net), addr("127.0.0.1:1"));
    assert_eq!(code(connect), Some(ErrorCode::InvalidState));
    assert_eq!(
        code(v.start_listen(b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.finish_listen(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.shutdown(b(&sock), ShutdownType::Both)),
        Some(ErrorCode::InvalidState)
    );
    assert!(v.is_listening(b(&sock)).unwrap());
}

#[test]
fn connected_state_and_refused_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let to = listener.local_addr().unwrap().to_string();
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let net = network(&mut v);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    let streams = connect(&mut v, &sock, &to).unwrap();
    let bound = addr("127.0.0.1:0");
    assert_eq!(
        code(HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), bound)),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.start_connect(b(&sock), b(&net), addr(&to))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(v.finish_connect(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.start_listen(b(&sock))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(code(v.accept(b(&sock))), Some(ErrorCode::InvalidState));
    v.shutdown(b(&sock), ShutdownType::Both).unwrap();
    v.shutdown(b(&sock), ShutdownType::Both).unwrap();
    drop_streams(&mut v, streams);

    // Nobody listens on a closed listener's port: refused, then closed.
    drop(listener);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    assert_eq!(
        code(connect(&mut v, &sock, &to)),
        Some(ErrorCode::ConnectionRefused)
    );
    assert_eq!(
        code(v.finish_connect(b(&sock))),
        Some(ErrorCode::NotInProgress)
    );
    assert_eq!(
        code(v.start_connect(b(&sock), b(&net), addr(&to))),
        Some(ErrorCode::InvalidState)
    );
    assert_eq!(
        code(HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), bound)),
        Some(ErrorCode::InvalidState)
    );
}

#[test]
fn bad_addresses_are_invalid_arguments() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let net = network(&mut v);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    for to in [
        "0.0.0.0:80",
        "127.0.0.1:0",
        "[::1]:80",
        "224.0.0.1:80",
        "255.255.255.255:80",
    ] {
        let result = v.start_connect(b(&sock), b(&net), addr(to));
        assert_eq!(code(result), Some(ErrorCode::InvalidArgument), "{to}");
    }
    for at in ["[::1]:0", "224.0.0.1:0"] {
        let result = HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr(at));
        assert_eq!(code(result), Some(ErrorCode::InvalidArgument), "{at}");
    }
    // Not an address of this host.
    let result = HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr("192.0.2.1:0"));
    assert_eq!(code(result), Some(ErrorCode::AddressNotBindable));
    // Taken.
    let keep = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken = keep.local_addr().unwrap();
    let result = HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), taken.into());
    assert_eq!(code(result), Some(ErrorCode::AddressInUse));
    // Failed binds leave the socket unbound.
    HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0")).unwrap();

    if has_ipv6() {
        let sock6 = create(&mut v, IpAddressFamily::Ipv6);
        let mapped = addr("[::ffff:127.0.0.1]:0");
        assert_eq!(
            code(HostTcpSocket::start_bind(
                &mut v,
                b(&sock6),
                b(&net),
                mapped
            )),
            Some(ErrorCode::InvalidArgument)
        );
        let mapped = addr("[::ffff:127.0.0.1]:80");
        assert_eq!(
            code(v.start_connect(b(&sock6), b(&net), mapped)),
            Some(ErrorCode::InvalidArgument)
        );
        assert_eq!(
            code(v.start_connect(b(&sock6), b(&net), addr("127.0.0.1:80"))),
            Some(ErrorCode::InvalidArgument)
        );
    }
}

#[test]
fn ipv6_loopback_connection() {
    if !has_ipv6() {
        return;
    }
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let listener = create(&mut v, IpAddressFamily::Ipv6);
    listen(&mut v, &listener, "[::1]:0");
    let at = SocketAddr::from(HostTcpSocket::local_address(&mut v, b(&listener)).unwrap());
    let client = create(&mut v, IpAddressFamily::Ipv6);
    let client_streams = connect(&mut v, &client, &at.to_string()).unwrap();
    let pollable = HostTcpSocket::subscribe(&mut v, b(&listener)).unwrap();
    block(&mut v, pollable);
    let (server, input, output) = v.accept(b(&listener)).unwrap();
    assert_eq!(
        HostTcpSocket::address_family(&mut v, b(&server)).unwrap(),
        IpAddressFamily::Ipv6
    );
    HostOutputStream::blocking_write_and_flush(&mut v, b(&client_streams.1), b"six".to_vec())
        .unwrap();
    assert_eq!(read_exact(&mut v, &input, 3), b"six");
    drop_streams(&mut v, (input, output));
    drop_streams(&mut v, client_streams);
}

#[test]
fn the_default_policy_refuses_everything() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let to = listener.local_addr().unwrap().to_string();
    let mut host = TestHost::new(WasiCtx::builder().build());
    let mut v = host.view();
    let net = network(&mut v);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    let bind = HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0"));
    assert_eq!(code(bind), Some(ErrorCode::AccessDenied));
    assert_eq!(
        code(v.start_connect(b(&sock), b(&net), addr(&to))),
        Some(ErrorCode::AccessDenied)
    );

    let mut host = TestHost::new(
        WasiCtx::builder()
            .allow_tcp(false)
            .inherit_network()
            .build(),
    );
    let denied = host.view().create_tcp_socket(IpAddressFamily::Ipv4);
    assert_eq!(code(denied), Some(ErrorCode::AccessDenied));
}

#[test]
fn the_address_check_decides() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let to = listener.local_addr().unwrap().to_string();
    let ctx = WasiCtx::builder()
        .socket_addr_check(|a, usage| a.ip().is_loopback() && usage == SocketAddrUse::TcpConnect)
        .build();
    let mut host = TestHost::new(ctx);
    let mut v = host.view();
    let net = network(&mut v);
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    let bind = HostTcpSocket::start_bind(&mut v, b(&sock), b(&net), addr("127.0.0.1:0"));
    assert_eq!(code(bind), Some(ErrorCode::AccessDenied));
    let far = v.start_connect(b(&sock), b(&net), addr("192.0.2.1:80"));
    assert_eq!(code(far), Some(ErrorCode::AccessDenied));
    let streams = connect(&mut v, &sock, &to).unwrap();
    drop_streams(&mut v, streams);
}

#[test]
fn stale_handles_trap() {
    let mut host = TestHost::inherit_network();
    let mut v = host.view();
    let sock = create(&mut v, IpAddressFamily::Ipv4);
    let stale = Resource::<TcpSocket>::new_borrow(sock.rep());
    HostTcpSocket::drop(&mut v, sock).unwrap();
    let result = v.start_listen(stale);
    assert!(matches!(result, Err(SocketError::Trap(_))));
    assert!(v.is_listening(Resource::new_borrow(12345)).is_err());
}
