//! `wasi:sockets` end to end: the Python command (`py-command`, see
//! `python.rs`) uses CPython's `socket` module, which wasi-libc implements
//! over `wasi:sockets`, against real sockets of the test on 127.0.0.1. Both
//! sides assert what they saw: the guest prints what it sent, received and
//! was refused; the test's own sockets record what reached them.
//!
//! These are not [`cases!`](super::harness::cases) tables: the guest's
//! arguments hold ports the system picks at run time, and the host side
//! runs beside the guest. Nor are they written out as specs: the peer
//! runner has no host side to talk to.
//!
//! Python reports wasi-libc's `errno`, whose numbers are WASI's: a refusal
//! (`access-denied`) is `EACCES`, 2, "Permission denied".

use std::io::{BufRead as _, BufReader, ErrorKind, Write as _};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs as _, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use wit_host_wasi::p2::pipe::MemoryOutputPipe;
use wit_host_wasi::{SocketAddrUse, WasiCtx, WasiCtxBuilder};

use super::harness::{self, Guest};

/// The most a guest may run, and a host socket wait for its peer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// How Python prints a refusal (`access-denied`) of `step`.
fn refused(step: &str) -> String {
    format!("{step}: PermissionError errno 2: Permission denied\n")
}

/// The policy of the cases that may talk: loopback addresses only.
fn loopback_only(builder: &mut WasiCtxBuilder) {
    builder.socket_addr_check(|addr, _| addr.ip().is_loopback());
}

/// The default policy: no address at all.
fn default_policy(_: &mut WasiCtxBuilder) {}

/// `py-command` running on a thread of its own.
struct Running {
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
    result: mpsc::Receiver<wit_host::Result<Result<(), ()>>>,
    /// Set once the guest's `run` returned.
    done: Arc<AtomicBool>,
}

/// What a run of `py-command` gave.
struct Ran {
    args: Vec<String>,
    /// How it ended, in words ([`harness::describe`]).
    exit: String,
    stdout: String,
    stderr: String,
}

/// Starts `py-command` with `args` (after `argv[0]`) and the context
/// `configure` makes of a builder holding the arguments and output pipes;
/// `None` if the guest was not built (see [`harness::component`]).
fn start(args: &[String], configure: impl FnOnce(&mut WasiCtxBuilder)) -> Option<Running> {
    let (engine, component) = harness::component(Guest::PyCommand)?;
    let stdout = MemoryOutputPipe::new(1 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    let mut builder = WasiCtx::builder();
    builder.arg(Guest::PyCommand.program()).args(args);
    builder.stdout(stdout.clone()).stderr(stderr.clone());
    configure(&mut builder);
    let ctx = builder.build();
    let (send, result) = mpsc::channel();
    let done = Arc::new(AtomicBool::new(false));
    let done_after = done.clone();
    thread::spawn(move || {
        let result = harness::run_command(&engine, &component, ctx);
        done_after.store(true, Ordering::SeqCst);
        let _ = send.send(result);
    });
    Some(Running {
        stdout,
        stderr,
        result,
        done,
    })
}

/// Runs `py-command` to its end (see [`start`]).
fn run(args: &[String], configure: impl FnOnce(&mut WasiCtxBuilder)) -> Option<Ran> {
    Some(start(args, configure)?.finish(args))
}

impl Running {
    /// The flag set once the guest's `run` returned, for host sockets to
    /// stop waiting for it.
    fn done(&self) -> Arc<AtomicBool> {
        self.done.clone()
    }

    /// Waits for stdout to hold a whole line starting with `prefix`, and
    /// returns the rest of that line; fails if the guest ends first.
    fn wait_for_line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let ended = self.done.load(Ordering::SeqCst);
            let stdout = String::from_utf8_lossy(&self.stdout.contents()).into_owned();
            let line = stdout
                .split_inclusive('\n')
                .find(|l| l.starts_with(prefix) && l.ends_with('\n'));
            if let Some(line) = line {
                return line[prefix.len()..line.len() - 1].to_string();
            }
            assert!(
                !ended && Instant::now() < deadline,
                "the guest {} before printing a line starting with {prefix:?}\n\
                 --- stdout ---\n{stdout}\n--- stderr ---\n{}",
                if ended { "ended" } else { "ran too long" },
                String::from_utf8_lossy(&self.stderr.contents()),
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the guest's `run` to return.
    fn finish(self, args: &[String]) -> Ran {
        let result = match self.result.recv_timeout(TIMEOUT) {
            Ok(result) => result,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!(
                    "the guest ran longer than {TIMEOUT:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
                    String::from_utf8_lossy(&self.stdout.contents()),
                    String::from_utf8_lossy(&self.stderr.contents()),
                )
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the guest's thread panicked"),
        };
        Ran {
            args: args.to_vec(),
            exit: harness::describe(&result),
            stdout: String::from_utf8_lossy(&self.stdout.contents()).into_owned(),
            stderr: String::from_utf8_lossy(&self.stderr.contents()).into_owned(),
        }
    }
}

impl Ran {
    /// Asserts that `run` returned ok, having printed exactly `stdout` and
    /// nothing on stderr.
    #[track_caller]
    fn expect(&self, stdout: &str) {
        let mut problems = Vec::new();
        if self.exit != "`run` returned ok" {
            problems.push(format!(
                "exit: expected `run` returned ok, got {}",
                self.exit
            ));
        }
        if self.stdout != stdout {
            problems.push(format!("stdout: expected\n{stdout}\ngot\n{}", self.stdout));
        }
        if !self.stderr.is_empty() {
            problems.push(format!("stderr: expected nothing, got\n{}", self.stderr));
        }
        assert!(
            problems.is_empty(),
            "py-command {} differs:\n\n{}",
            self.args.join(" "),
            problems.join("\n\n")
        );
    }
}

/// 127.0.0.1, port 0: a port the system picks.
fn loopback() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 0))
}

/// A TCP connection the test's listener accepted, and the line it read.
struct Accepted {
    peer: SocketAddr,
    line: String,
}

/// Accepts one connection on `listener` (unless none comes before `done`
/// is set), reads a line and answers `pong: ` and that line, then closes.
fn serve_one(listener: TcpListener, done: Arc<AtomicBool>) -> JoinHandle<Option<Accepted>> {
    listener.set_nonblocking(true).unwrap();
    thread::spawn(move || {
        let deadline = Instant::now() + TIMEOUT;
        let (stream, peer) = loop {
            // Read before accepting: a connection made before the guest
            // ended waits in the backlog for this last attempt.
            let ended = done.load(Ordering::SeqCst);
            match listener.accept() {
                Ok(accepted) => break accepted,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    if ended || Instant::now() > deadline {
                        return None;
                    }
                    thread::sleep(Duration::from_millis(10));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut line = String::new();
        BufReader::new(&stream).read_line(&mut line).unwrap();
        (&stream)
            .write_all(format!("pong: {line}").as_bytes())
            .unwrap();
        Some(Accepted { peer, line })
    })
}

/// A datagram the test's UDP socket received (and echoed).
struct Datagram {
    from: SocketAddr,
    data: Vec<u8>,
}

/// Receives one datagram on `socket` (unless none comes before `done` is
/// set) and sends it back where it came from.
fn echo_one(socket: UdpSocket, done: Arc<AtomicBool>) -> JoinHandle<Option<Datagram>> {
    socket
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    thread::spawn(move || {
        let deadline = Instant::now() + TIMEOUT;
        let mut buf = [0; 1024];
        loop {
            let ended = done.load(Ordering::SeqCst);
            match socket.recv_from(&mut buf) {
                Ok((len, from)) => {
                    socket.send_to(&buf[..len], from).unwrap();
                    return Some(Datagram {
                        from,
                        data: buf[..len].to_vec(),
                    });
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    if ended || Instant::now() > deadline {
                        return None;
                    }
                }
                Err(e) => panic!("recv_from: {e}"),
            }
        }
    })
}

/// How Python prints an IPv4 socket address.
fn py_addr(addr: SocketAddr) -> String {
    format!("('{}', {})", addr.ip(), addr.port())
}

/// The guest connects to the test's listener, sends a line and reads the
/// reply, then the end of the stream when the test closes.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_client_talks_to_a_host_listener() {
    let listener = TcpListener::bind(loopback()).unwrap();
    let server = listener.local_addr().unwrap();
    let args = ["tcp-client".to_string(), server.port().to_string()];
    let Some(guest) = start(&args, loopback_only) else {
        return;
    };
    let host = serve_one(listener, guest.done());
    let ran = guest.finish(&args);
    let accepted = host.join().unwrap();
    let Some(Accepted { peer, line }) = accepted else {
        panic!(
            "the listener saw no connection\n--- stdout ---\n{}\n--- stderr ---\n{}",
            ran.stdout, ran.stderr
        );
    };
    assert_eq!(line, "ping from python\n");
    assert_eq!(peer.ip(), IpAddr::from([127, 0, 0, 1]));
    ran.expect(&format!(
        "connected from {} to {}\n\
         reply: b'pong: ping from python\\n'\n\
         then: b''\n",
        py_addr(peer),
        py_addr(server),
    ));
}

/// With the default policy, the guest's `connect` is refused, and nothing
/// reaches the listener.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_connect_is_refused_by_default() {
    let listener = TcpListener::bind(loopback()).unwrap();
    let port = listener.local_addr().unwrap().port();
    let args = ["tcp-client".to_string(), port.to_string()];
    let Some(ran) = run(&args, default_policy) else {
        return;
    };
    ran.expect(&refused("connect"));
    listener.set_nonblocking(true).unwrap();
    match listener.accept() {
        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
        Ok((_, peer)) => panic!("the listener got a connection from {peer}"),
        Err(e) => panic!("accept: {e}"),
    }
}

/// A policy that allows other addresses only is asked about the guest's
/// address, and refuses it.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_connect_to_an_address_the_policy_refuses() {
    let listener = TcpListener::bind(loopback()).unwrap();
    let port = listener.local_addr().unwrap().port();
    let args = ["tcp-client".to_string(), port.to_string()];
    let Some(ran) = run(&args, |b| {
        b.socket_addr_check(move |addr, _| addr.port() != port);
    }) else {
        return;
    };
    ran.expect(&refused("connect"));
    listener.set_nonblocking(true).unwrap();
    assert!(
        listener
            .accept()
            .is_err_and(|e| e.kind() == ErrorKind::WouldBlock),
        "the listener got a connection"
    );
}

/// Without TCP, the guest cannot even create a TCP socket.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_sockets_are_refused_without_allow_tcp() {
    let args = ["tcp-client".to_string(), "1".to_string()];
    let Some(ran) = run(&args, |b| {
        loopback_only(b);
        b.allow_tcp(false);
    }) else {
        return;
    };
    ran.expect(&refused("socket"));
}

/// Without UDP, the guest cannot even create a UDP socket.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn udp_sockets_are_refused_without_allow_udp() {
    let args = ["udp-echo".to_string(), "1".to_string()];
    let Some(ran) = run(&args, |b| {
        loopback_only(b);
        b.allow_udp(false);
    }) else {
        return;
    };
    ran.expect(&refused("socket"));
}

/// The guest listens, prints its port, and answers the test's connection.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_server_answers_a_host_client() {
    let args = ["tcp-server".to_string()];
    let Some(guest) = start(&args, loopback_only) else {
        return;
    };
    let port: u16 = guest.wait_for_line("listening on port ").parse().unwrap();
    let stream = TcpStream::connect(SocketAddr::from(([127, 0, 0, 1], port))).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    (&stream).write_all(b"ping from the host\n").unwrap();
    let mut reply = String::new();
    BufReader::new(&stream).read_line(&mut reply).unwrap();
    let client = stream.local_addr().unwrap();
    let ran = guest.finish(&args);
    assert_eq!(reply, "echo: ping from the host\n");
    ran.expect(&format!(
        "listening on port {port}\n\
         accepted {}\n\
         received b'ping from the host\\n'\n",
        py_addr(client)
    ));
}

/// With the default policy, the guest cannot bind a TCP socket.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn tcp_bind_is_refused_by_default() {
    let Some(ran) = run(&["tcp-server".to_string()], default_policy) else {
        return;
    };
    ran.expect(&refused("bind"));
}

/// The guest sends a datagram to the test's UDP socket, which echoes it.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn udp_round_trip_with_a_host_socket() {
    let socket = UdpSocket::bind(loopback()).unwrap();
    let server = socket.local_addr().unwrap();
    let args = ["udp-echo".to_string(), server.port().to_string()];
    let Some(guest) = start(&args, loopback_only) else {
        return;
    };
    let host = echo_one(socket, guest.done());
    let ran = guest.finish(&args);
    let Some(Datagram { from, data }) = host.join().unwrap() else {
        panic!(
            "the host socket received nothing\n--- stdout ---\n{}\n--- stderr ---\n{}",
            ran.stdout, ran.stderr
        );
    };
    assert_eq!(data, b"datagram from python");
    assert_eq!(from.ip(), IpAddr::from([127, 0, 0, 1]));
    ran.expect(&format!(
        "bound to {}\n\
         received b'datagram from python' from {}\n",
        py_addr(from),
        py_addr(server),
    ));
}

/// With the default policy, the guest's UDP socket cannot even bind, and
/// nothing reaches the host socket.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn udp_is_refused_by_default() {
    let socket = UdpSocket::bind(loopback()).unwrap();
    let port = socket.local_addr().unwrap().port();
    let args = ["udp-echo".to_string(), port.to_string()];
    let Some(ran) = run(&args, default_policy) else {
        return;
    };
    ran.expect(&refused("bind"));
    socket.set_nonblocking(true).unwrap();
    let got = socket.recv_from(&mut [0; 64]);
    assert!(
        got.as_ref()
            .is_err_and(|e| e.kind() == ErrorKind::WouldBlock),
        "the host socket received {got:?}"
    );
}

/// A policy that lets the guest bind but not send: `sendto` is refused.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn udp_sendto_is_refused_where_only_binding_is_allowed() {
    let socket = UdpSocket::bind(loopback()).unwrap();
    let port = socket.local_addr().unwrap().port();
    let args = ["udp-echo".to_string(), port.to_string()];
    let Some(ran) = run(&args, |b| {
        b.socket_addr_check(|addr, usage| {
            addr.ip().is_loopback() && usage == SocketAddrUse::UdpBind
        });
    }) else {
        return;
    };
    let bound = ran
        .stdout
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("bound to ('127.0.0.1', "))
        .and_then(|l| l.strip_suffix(')'))
        .and_then(|p| p.parse::<u16>().ok());
    assert!(
        bound.is_some_and(|p| p != 0),
        "expected a first line `bound to ('127.0.0.1', PORT)`, got\n{}",
        ran.stdout
    );
    ran.expect(&format!(
        "bound to ('127.0.0.1', {})\n{}",
        bound.unwrap(),
        refused("sendto")
    ));
    socket.set_nonblocking(true).unwrap();
    let got = socket.recv_from(&mut [0; 64]);
    assert!(
        got.as_ref()
            .is_err_and(|e| e.kind() == ErrorKind::WouldBlock),
        "the host socket received {got:?}"
    );
}

/// Name lookups are refused unless the host allows them.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn getaddrinfo_is_refused_by_default() {
    let Some(ran) = run(
        &["lookup".to_string(), "localhost".to_string()],
        loopback_only,
    ) else {
        return;
    };
    ran.expect(&refused("getaddrinfo"));
}

/// Allowed, `localhost` resolves to what the host's resolver says.
#[test]
#[cfg_attr(
    py_guests_skipped,
    ignore = "the Python guest components were not built (see the build warning)"
)]
fn getaddrinfo_resolves_localhost_when_allowed() {
    let mut expected: Vec<String> = ("localhost", 0)
        .to_socket_addrs()
        .unwrap()
        .map(|a| match a.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            ip => ip,
        })
        .map(|ip| format!("{ip}\n"))
        .collect();
    expected.sort();
    expected.dedup();
    assert!(
        !expected.is_empty(),
        "the host resolves localhost to nothing"
    );
    let args = ["lookup".to_string(), "localhost".to_string()];
    let Some(ran) = run(&args, |b| {
        b.allow_ip_name_lookup(true);
    }) else {
        return;
    };
    ran.expect(&expected.concat());
}
