//! `wasi:cli/stdin`, `stdout`, `stderr`: the standard streams, and the
//! traits a host implements to provide them ([`StdinStream`],
//! [`StdoutStream`]).
//!
//! By default a guest's stdin is empty and its stdout and stderr discard
//! what is written; the host chooses otherwise with the
//! [`WasiCtxBuilder`](crate::WasiCtxBuilder): the process's own streams
//! ([`Stdin`], [`Stdout`], [`Stderr`]), in-memory pipes, any reader or
//! writer.
//!
//! The process's stdin is read without a thread: its readiness is its file
//! descriptor's, which `poll` watches with the guest's other pollables, and
//! a read takes only what is available, so no byte is read ahead and lost
//! when the guest stops reading.

use std::io::{IsTerminal as _, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::Arc;

use rustix::event::{PollFd, PollFlags};
use wit_host::{Resource, Result};

use crate::p2::bindings::wasi::cli::{stderr, stdin, stdout};
use crate::p2::io::pipe::{
    ClosedInputStream, ClosedOutputStream, MemoryInputPipe, MemoryOutputPipe, ReadPipe,
    SinkOutputStream, WritePipe,
};
use crate::p2::io::poll::{Interest, Readiness};
use crate::p2::{
    DynInputStream, DynOutputStream, InputStream, OutputStream, StreamError, StreamResult,
};
use crate::view::WasiCtxView;

/// Whether a standard stream is a terminal (`wasi:cli/terminal-*`).
pub trait IsTerminal {
    /// Whether it is a terminal; `false` unless the stream says so.
    fn isatty(&self) -> bool {
        false
    }
}

/// What a guest's stdin reads: each `get-stdin` gets a [`Self::stream`].
pub trait StdinStream: IsTerminal + Send + Sync {
    /// A new stream over the source.
    fn stream(&self) -> Box<dyn InputStream>;
}

/// Where a guest's stdout or stderr goes: each `get-stdout` gets a
/// [`Self::stream`].
pub trait StdoutStream: IsTerminal + Send + Sync {
    /// A new stream into the sink.
    fn stream(&self) -> Box<dyn OutputStream>;
}

macro_rules! cloned_stdio {
    ($trait:ident, $stream:ident, $($ty:ty),*) => {$(
        impl IsTerminal for $ty {}
        impl $trait for $ty {
            fn stream(&self) -> Box<dyn $stream> {
                Box::new(self.clone())
            }
        }
    )*};
}

cloned_stdio!(StdinStream, InputStream, MemoryInputPipe, ClosedInputStream);
cloned_stdio!(
    StdoutStream,
    OutputStream,
    MemoryOutputPipe,
    ClosedOutputStream,
    SinkOutputStream
);

impl<R: std::io::Read + Send + 'static> IsTerminal for ReadPipe<R> {}
impl<R: std::io::Read + Send + 'static> StdinStream for ReadPipe<R> {
    fn stream(&self) -> Box<dyn InputStream> {
        Box::new(self.clone())
    }
}

impl<W: Write + Send + 'static> IsTerminal for WritePipe<W> {}
impl<W: Write + Send + 'static> StdoutStream for WritePipe<W> {
    fn stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }
}

/// The host process's stdin.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stdin;

impl IsTerminal for Stdin {
    fn isatty(&self) -> bool {
        std::io::stdin().is_terminal()
    }
}

impl StdinStream for Stdin {
    fn stream(&self) -> Box<dyn InputStream> {
        match std::io::stdin().as_fd().try_clone_to_owned() {
            Ok(fd) => Box::new(StdinReader { fd: Arc::new(fd) }),
            // No stdin to read (descriptor 0 closed): end of input.
            Err(_) => Box::new(ClosedInputStream),
        }
    }
}

/// A stream over the process's stdin: a duplicate of descriptor 0.
struct StdinReader {
    fd: Arc<OwnedFd>,
}

impl InputStream for StdinReader {
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
        let mut fds = [PollFd::new(&*self.fd, PollFlags::IN)];
        let zero = rustix::fs::Timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        match rustix::event::poll(&mut fds, Some(&zero)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => return Ok(Vec::new()),
            Ok(_) => {}
            Err(e) => return Err(StreamError::failed(std::io::Error::from(e))),
        }
        let mut buf = vec![0; size];
        let n = rustix::io::read(&*self.fd, &mut buf)
            .map_err(|e| StreamError::failed(std::io::Error::from(e)))?;
        if n == 0 && size > 0 {
            return Err(StreamError::Closed);
        }
        buf.truncate(n);
        Ok(buf)
    }

    fn readiness(&mut self) -> Readiness {
        Readiness::Fd(self.fd.clone(), Interest::Read)
    }
}

/// The host process's stdout.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stdout;

/// The host process's stderr.
#[derive(Clone, Copy, Debug, Default)]
pub struct Stderr;

impl IsTerminal for Stdout {
    fn isatty(&self) -> bool {
        std::io::stdout().is_terminal()
    }
}

impl IsTerminal for Stderr {
    fn isatty(&self) -> bool {
        std::io::stderr().is_terminal()
    }
}

impl StdoutStream for Stdout {
    fn stream(&self) -> Box<dyn OutputStream> {
        Box::new(WritePipe::new(std::io::stdout()))
    }
}

impl StdoutStream for Stderr {
    fn stream(&self) -> Box<dyn OutputStream> {
        Box::new(WritePipe::new(std::io::stderr()))
    }
}

impl stdin::Host for WasiCtxView<'_> {
    fn get_stdin(&mut self) -> Result<Resource<DynInputStream>> {
        let stream: DynInputStream = self.ctx.stdin.stream();
        self.push(stream)
    }
}

impl stdout::Host for WasiCtxView<'_> {
    fn get_stdout(&mut self) -> Result<Resource<DynOutputStream>> {
        let stream: DynOutputStream = self.ctx.stdout.stream();
        self.push(stream)
    }
}

impl stderr::Host for WasiCtxView<'_> {
    fn get_stderr(&mut self) -> Result<Resource<DynOutputStream>> {
        let stream: DynOutputStream = self.ctx.stderr.stream();
        self.push(stream)
    }
}
