//! The `input-stream` and `output-stream` of a connected TCP socket.
//!
//! Both work on the non-blocking socket without threads. A read takes
//! what the kernel has now. Writes go into a bounded buffer (at most
//! [`WRITE_BUFFER`] bytes) that is sent as far as the kernel accepts on
//! every call, so `check-write`, `write` and `flush` follow the WASI
//! contract without blocking: `check-write` offers the buffer's free room,
//! or 0 while a `flush` waits for the buffer to empty; the pollables wait
//! on the descriptor.
//!
//! An output stream dropped with bytes still buffered hands them to a
//! short-lived thread that sends them as the kernel would after `close`,
//! giving up when the peer takes nothing for [`LINGER`].

use std::io;
use std::net::Shutdown;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rustix::event::{PollFd, PollFlags};
use rustix::io::Errno;
use rustix::net::{RecvFlags, SendFlags};
use socket2::Socket;

use crate::p2::io::poll::{Interest, Readiness};
use crate::p2::sockets::would_block;
use crate::p2::{
    DynInputStream, DynOutputStream, InputStream, OutputStream, StreamError, StreamResult,
};

/// The most bytes an output stream holds that the kernel has not taken.
pub(crate) const WRITE_BUFFER: usize = 64 * 1024;

/// How long a dropped output stream's bytes wait for the peer to take
/// any of them before they are discarded.
pub(crate) const LINGER: std::time::Duration = std::time::Duration::from_secs(30);

/// Flags of every `send`: no `SIGPIPE` when the peer is gone (where the
/// flag exists; elsewhere the socket has `SO_NOSIGPIPE`).
#[cfg(any(target_os = "linux", target_os = "android"))]
const SEND_FLAGS: SendFlags = SendFlags::NOSIGNAL;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const SEND_FLAGS: SendFlags = SendFlags::empty();

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state is bytes and flags; a panic elsewhere leaves it usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A connection: what a connected socket shares with its two streams.
pub(crate) struct TcpConn {
    socket: Arc<Socket>,
    /// Reads end: the input stream reports `closed`.
    read_closed: AtomicBool,
    write: Mutex<WriteSide>,
}

/// The sending half's state.
#[derive(Default)]
struct WriteSide {
    /// Bytes written by the guest that the kernel has not taken yet.
    pending: Vec<u8>,
    /// A `flush` waits for `pending` to empty.
    flushing: bool,
    /// The guest shut the sending half down: no more writes.
    shutdown_requested: bool,
    /// `shutdown(SHUT_WR)` was called (after `pending` emptied).
    shutdown_done: bool,
    /// A send failed; reported once to the guest, then `closed`.
    failed: Option<io::Error>,
    /// Nothing more will be sent.
    closed: bool,
}

impl WriteSide {
    /// Sends what the kernel takes now; shuts the half down once empty if
    /// asked to.
    fn drain(&mut self, socket: &Socket) {
        while !self.pending.is_empty() && !self.closed {
            match rustix::net::send(socket, &self.pending, SEND_FLAGS) {
                Ok(0) => break,
                Ok(n) => {
                    self.pending.drain(..n);
                }
                Err(Errno::INTR) => continue,
                Err(e) if would_block(e) => break,
                Err(e) => self.fail(e.into()),
            }
        }
        if self.pending.is_empty() {
            self.flushing = false;
            if self.shutdown_requested && !self.shutdown_done {
                self.shutdown_done = true;
                // The peer may be gone already: nothing to tell anyone.
                let _ = socket.shutdown(Shutdown::Write);
            }
        }
    }

    fn fail(&mut self, e: io::Error) {
        self.pending.clear();
        self.flushing = false;
        if !self.closed {
            self.failed = Some(e);
        }
        self.closed = true;
    }

    /// The error the guest's next operation gets, if any.
    fn status(&mut self) -> StreamResult<()> {
        if let Some(e) = self.failed.take() {
            return Err(StreamError::LastOperationFailed(e.into()));
        }
        if self.closed || self.shutdown_requested {
            return Err(StreamError::Closed);
        }
        Ok(())
    }
}

impl TcpConn {
    /// The connection over `socket`, connected.
    pub(crate) fn new(socket: Arc<Socket>) -> Arc<TcpConn> {
        Arc::new(TcpConn {
            socket,
            read_closed: AtomicBool::new(false),
            write: Mutex::new(WriteSide::default()),
        })
    }

    /// A new pair of streams over the connection.
    pub(crate) fn streams(self: &Arc<Self>) -> (DynInputStream, DynOutputStream) {
        let input = TcpReader { conn: self.clone() };
        let output = TcpWriter { conn: self.clone() };
        (Box::new(input), Box::new(output))
    }

    /// Shuts the receiving half down: the input stream is closed and what
    /// the kernel holds is discarded. Idempotent.
    pub(crate) fn shutdown_receive(&self) -> io::Result<()> {
        if self.read_closed.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        match self.socket.shutdown(Shutdown::Read) {
            Err(e) if e.kind() != io::ErrorKind::NotConnected => Err(e),
            _ => Ok(()),
        }
    }

    /// Shuts the sending half down: the output stream is closed and the
    /// peer gets end of stream once the buffered bytes are sent.
    /// Idempotent.
    pub(crate) fn shutdown_send(&self) {
        let mut write = lock(&self.write);
        write.shutdown_requested = true;
        write.drain(&self.socket);
    }
}

/// The input stream of a connection.
struct TcpReader {
    conn: Arc<TcpConn>,
}

impl InputStream for TcpReader {
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
        if self.conn.read_closed.load(Ordering::SeqCst) {
            return Err(StreamError::Closed);
        }
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0; size];
        match rustix::net::recv(&*self.conn.socket, &mut buf[..], RecvFlags::empty()) {
            Ok((0, _)) => {
                self.conn.read_closed.store(true, Ordering::SeqCst);
                Err(StreamError::Closed)
            }
            Ok((n, _)) => {
                buf.truncate(n);
                Ok(buf)
            }
            Err(e) if would_block(e) => Ok(Vec::new()),
            Err(e) => {
                self.conn.read_closed.store(true, Ordering::SeqCst);
                Err(StreamError::failed(io::Error::from(e)))
            }
        }
    }

    fn readiness(&mut self) -> Readiness {
        if self.conn.read_closed.load(Ordering::SeqCst) {
            return Readiness::Ready;
        }
        Readiness::Fd(self.conn.socket.clone(), Interest::Read)
    }
}

/// The output stream of a connection.
struct TcpWriter {
    conn: Arc<TcpConn>,
}

impl OutputStream for TcpWriter {
    fn write(&mut self, bytes: &[u8]) -> StreamResult<()> {
        let mut write = lock(&self.conn.write);
        write.status()?;
        let room = if write.flushing {
            0
        } else {
            WRITE_BUFFER - write.pending.len()
        };
        if bytes.len() > room {
            return Err(StreamError::trap(format!(
                "write of {} bytes to a TCP stream exceeds the {room} that check-write permits",
                bytes.len()
            )));
        }
        write.pending.extend_from_slice(bytes);
        write.drain(&self.conn.socket);
        write.status()
    }

    fn flush(&mut self) -> StreamResult<()> {
        let mut write = lock(&self.conn.write);
        write.status()?;
        if !write.pending.is_empty() {
            write.flushing = true;
            write.drain(&self.conn.socket);
        }
        write.status()
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        let mut write = lock(&self.conn.write);
        write.drain(&self.conn.socket);
        write.status()?;
        if write.flushing {
            return Ok(0);
        }
        Ok(WRITE_BUFFER - write.pending.len())
    }

    fn readiness(&mut self) -> Readiness {
        let write = lock(&self.conn.write);
        let waits = !write.pending.is_empty()
            && !write.closed
            && write.failed.is_none()
            && !write.shutdown_requested;
        if waits {
            Readiness::Fd(self.conn.socket.clone(), Interest::Write)
        } else {
            Readiness::Ready
        }
    }
}

impl Drop for TcpWriter {
    fn drop(&mut self) {
        let mut write = lock(&self.conn.write);
        write.drain(&self.conn.socket);
        if write.pending.is_empty() || write.closed {
            return;
        }
        drop(write);
        let conn = self.conn.clone();
        // No thread, no linger: the bytes are lost as on an abortive close.
        let _ = std::thread::Builder::new()
            .name("wasi-tcp-linger".into())
            .spawn(move || linger(&conn));
    }
}

/// Sends a dropped stream's last bytes, waiting for the peer at most
/// [`LINGER`] each time it takes none.
fn linger(conn: &TcpConn) {
    let timeout = rustix::fs::Timespec {
        tv_sec: LINGER.as_secs() as i64,
        tv_nsec: 0,
    };
    loop {
        {
            let mut write = lock(&conn.write);
            write.drain(&conn.socket);
            if write.pending.is_empty() || write.closed {
                return;
            }
        }
        let mut fds = [PollFd::new(&*conn.socket, PollFlags::OUT)];
        match rustix::event::poll(&mut fds, Some(&timeout)) {
            Ok(0) => return,
            Ok(_) | Err(Errno::INTR) => {}
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{TcpListener, TcpStream};

    use super::*;

    /// A connection over a connected pair of loopback sockets.
    fn pair() -> (Arc<TcpConn>, TcpStream) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        let socket = Socket::from(client);
        socket.set_nonblocking(true).unwrap();
        (TcpConn::new(Arc::new(socket)), server)
    }

    #[test]
    fn reads_what_arrives_and_end_of_stream() {
        let (conn, mut peer) = pair();
        let (mut input, _output) = conn.streams();
        assert!(input.read(10).unwrap().is_empty());
        peer.write_all(b"hello").unwrap();
        crate::p2::io::poll::wait(input.readiness()).unwrap();
        assert_eq!(input.read(10).unwrap(), b"hello");
        drop(peer);
        crate::p2::io::poll::wait(input.readiness()).unwrap();
        assert!(matches!(input.read(10), Err(StreamError::Closed)));
        assert!(matches!(input.read(10), Err(StreamError::Closed)));
    }

    #[test]
    fn writes_are_bounded_and_flush_waits_for_the_peer() {
        let (conn, mut peer) = pair();
        rustix::net::sockopt::set_socket_send_buffer_size(&*conn.socket, 4096).unwrap();
        let (_input, mut output) = conn.streams();
        // Fill the kernel's buffers and ours: check-write reaches 0.
        let mut written = 0;
        loop {
            let room = output.check_write().unwrap();
            if room == 0 {
                break;
            }
            output.write(&vec![7; room]).unwrap();
            written += room;
        }
        assert!(
            output.write(b"x").is_err(),
            "a write past check-write traps"
        );
        output.flush().unwrap();
        assert_eq!(output.check_write().unwrap(), 0);
        assert!(matches!(
            output.readiness(),
            Readiness::Fd(_, Interest::Write)
        ));
        // The peer reads everything; the flush completes.
        let reader = std::thread::spawn(move || {
            let mut buf = vec![0; written];
            peer.read_exact(&mut buf).unwrap();
            assert!(buf.iter().all(|b| *b == 7));
            peer
        });
        while output.check_write().unwrap() == 0 {
            crate::p2::io::poll::wait(output.readiness()).unwrap();
        }
        assert_eq!(output.check_write().unwrap(), WRITE_BUFFER);
        let _peer = reader.join().unwrap();
    }

    #[test]
    fn shutdown_closes_the_streams() {
        let (conn, mut peer) = pair();
        let (mut input, mut output) = conn.streams();
        output.write(b"bye").unwrap();
        conn.shutdown_send();
        conn.shutdown_send();
        assert!(matches!(output.check_write(), Err(StreamError::Closed)));
        let mut got = Vec::new();
        peer.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"bye");
        conn.shutdown_receive().unwrap();
        conn.shutdown_receive().unwrap();
        assert!(matches!(input.read(1), Err(StreamError::Closed)));
        assert!(matches!(input.readiness(), Readiness::Ready));
    }

    #[test]
    fn a_dropped_stream_still_delivers_its_bytes() {
        let (conn, mut peer) = pair();
        rustix::net::sockopt::set_socket_send_buffer_size(&*conn.socket, 4096).unwrap();
        let (_input, mut output) = conn.streams();
        let room = output.check_write().unwrap();
        let mut sent = room;
        output.write(&vec![1; room]).unwrap();
        let room = output.check_write().unwrap();
        output.write(&vec![2; room]).unwrap();
        sent += room;
        drop(output);
        drop(_input);
        drop(conn);
        let mut got = Vec::new();
        peer.set_read_timeout(Some(std::time::Duration::from_secs(20)))
            .unwrap();
        peer.read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), sent);
    }

    #[test]
    fn errors_are_reported_once_then_closed() {
        let (conn, peer) = pair();
        // The peer resets the connection: a zero linger makes close send RST.
        let peer = Socket::from(peer);
        peer.set_linger(Some(std::time::Duration::ZERO)).unwrap();
        drop(peer);
        let (mut input, mut output) = conn.streams();
        // The reset makes the socket readable: it has arrived.
        crate::p2::io::poll::wait(input.readiness()).unwrap();
        let room = output.check_write().unwrap();
        let result = output.write(&b"data"[..room.min(4)]);
        assert!(matches!(result, Err(StreamError::LastOperationFailed(_))));
        // The write took the socket's error; reading ends the stream too.
        assert!(input.read(1).is_err());
        assert!(matches!(input.read(1), Err(StreamError::Closed)));
        assert!(matches!(output.check_write(), Err(StreamError::Closed)));
    }
}
