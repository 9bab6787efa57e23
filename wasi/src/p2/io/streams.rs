//! `wasi:io/streams`: the [`InputStream`] and [`OutputStream`] traits every
//! byte stream of this crate implements (stdio, pipes, files, sockets), and
//! the host functions of `input-stream` and `output-stream` over them.
//!
//! Streams are non-blocking as WASI defines them: `read` returns what is
//! available now (maybe nothing), `check-write` says how much `write` may
//! take now. The `blocking-*` functions wait on the stream's [`Readiness`]
//! with the same machinery as `wasi:io/poll`.

use wit_host::{Resource, Result};

use crate::p2::bindings::wasi::io::streams::{self, Host, HostInputStream, HostOutputStream};
use crate::p2::io::poll::{self, Readiness};
use crate::p2::{DynInputStream, DynOutputStream, DynPollable, IoError};
use crate::view::WasiCtxView;

/// The most bytes one `read` (or `skip`, `splice`) moves: a guest asking
/// for more gets at most this many, so the host never allocates what the
/// guest names.
pub const MAX_READ: usize = 64 * 1024;

/// The bytes `blocking-write-and-flush` and `blocking-write-zeroes-and-flush`
/// accept in one call (WASI: "at most 4096").
pub const MAX_BLOCKING_WRITE: u64 = 4096;

/// Why a stream operation did not happen.
#[derive(Debug)]
pub enum StreamError {
    /// The stream is closed: no more bytes will be read or written.
    Closed,
    /// The last operation failed; the stream is closed and the error is
    /// given to the guest as a `wasi:io/error`.
    LastOperationFailed(wit_host::Error),
    /// The guest misused the stream (for example wrote more than
    /// `check-write` allowed): trap it.
    Trap(wit_host::Error),
}

impl StreamError {
    /// A [`StreamError::LastOperationFailed`] from an I/O error.
    pub fn failed(e: impl Into<wit_host::Error>) -> StreamError {
        StreamError::LastOperationFailed(e.into())
    }

    /// A [`StreamError::Trap`] with a message.
    pub fn trap(msg: impl std::fmt::Display) -> StreamError {
        StreamError::Trap(wit_host::Error::msg(msg.to_string()))
    }
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StreamError::Closed => f.write_str("stream closed"),
            StreamError::LastOperationFailed(e) => write!(f, "last operation failed: {e}"),
            StreamError::Trap(e) => write!(f, "trap: {e}"),
        }
    }
}

impl std::error::Error for StreamError {}

impl From<wit_host::ResourceTableError> for StreamError {
    fn from(e: wit_host::ResourceTableError) -> StreamError {
        StreamError::Trap(e.into())
    }
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> StreamError {
        StreamError::LastOperationFailed(e.into())
    }
}

/// What stream operations return.
pub type StreamResult<T> = Result<T, StreamError>;

/// A source of bytes a guest reads through a `wasi:io/streams.input-stream`.
///
/// ```
/// use wit_host_wasi::p2::{InputStream, StreamResult};
///
/// /// An endless stream of `x`.
/// struct Xs;
/// impl InputStream for Xs {
///     fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
///         Ok(vec![b'x'; size])
///     }
/// }
/// ```
pub trait InputStream: Send + 'static {
    /// Up to `size` bytes available now; empty if none are (yet).
    /// `size` is at most [`MAX_READ`].
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>>;

    /// Skips up to `size` bytes available now; returns how many.
    fn skip(&mut self, size: usize) -> StreamResult<usize> {
        Ok(self.read(size)?.len())
    }

    /// When `read` will return bytes (or an error). The default is
    /// [`Readiness::Ready`]: a source whose reads never wait.
    fn readiness(&mut self) -> Readiness {
        Readiness::Ready
    }
}

/// A sink of bytes a guest writes through a `wasi:io/streams.output-stream`.
///
/// ```
/// use wit_host_wasi::p2::{OutputStream, StreamResult};
///
/// /// Counts what is written.
/// #[derive(Default)]
/// struct Counter(u64);
/// impl OutputStream for Counter {
///     fn write(&mut self, bytes: &[u8]) -> StreamResult<()> {
///         self.0 += bytes.len() as u64;
///         Ok(())
///     }
///     fn flush(&mut self) -> StreamResult<()> { Ok(()) }
///     fn check_write(&mut self) -> StreamResult<usize> { Ok(64 * 1024) }
/// }
/// ```
pub trait OutputStream: Send + 'static {
    /// Writes `bytes`, which are no more than the last `check_write` allowed.
    fn write(&mut self, bytes: &[u8]) -> StreamResult<()>;

    /// Starts flushing what was written.
    fn flush(&mut self) -> StreamResult<()>;

    /// How many bytes `write` accepts now (0: wait for [`Self::readiness`]).
    fn check_write(&mut self) -> StreamResult<usize>;

    /// Writes `len` zero bytes.
    fn write_zeroes(&mut self, len: usize) -> StreamResult<()> {
        self.write(&vec![0; len])
    }

    /// When `check_write` will allow a write (or report an error). The
    /// default is [`Readiness::Ready`].
    fn readiness(&mut self) -> Readiness {
        Readiness::Ready
    }
}

impl poll::Pollable for DynInputStream {
    fn readiness(&mut self) -> Readiness {
        (**self).readiness()
    }
}

impl poll::Pollable for DynOutputStream {
    fn readiness(&mut self) -> Readiness {
        (**self).readiness()
    }
}

/// A guest's length, clamped to what one operation moves.
fn clamp(len: u64) -> usize {
    usize::try_from(len).unwrap_or(usize::MAX).min(MAX_READ)
}

/// Waits until the stream `stream` names is ready again.
fn wait<T: poll::Pollable>(view: &mut WasiCtxView<'_>, stream: &Resource<T>) -> StreamResult<()> {
    let readiness = view.table.get_mut(stream)?.readiness();
    poll::wait(readiness).map_err(StreamError::Trap)
}

impl Host for WasiCtxView<'_> {
    fn convert_stream_error(&mut self, err: StreamError) -> Result<streams::StreamError> {
        match err {
            StreamError::Closed => Ok(streams::StreamError::Closed),
            StreamError::LastOperationFailed(e) => {
                let error = self.push(IoError::from(e))?;
                Ok(streams::StreamError::LastOperationFailed(error))
            }
            StreamError::Trap(e) => Err(e),
        }
    }
}

impl HostInputStream for WasiCtxView<'_> {
    fn read(&mut self, self_: Resource<DynInputStream>, len: u64) -> StreamResult<Vec<u8>> {
        self.table.get_mut(&self_)?.read(clamp(len))
    }

    fn blocking_read(
        &mut self,
        self_: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<Vec<u8>> {
        loop {
            let bytes = self.table.get_mut(&self_)?.read(clamp(len))?;
            if !bytes.is_empty() || len == 0 {
                return Ok(bytes);
            }
            wait(self, &self_)?;
        }
    }

    fn skip(&mut self, self_: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        Ok(self.table.get_mut(&self_)?.skip(clamp(len))? as u64)
    }

    fn blocking_skip(&mut self, self_: Resource<DynInputStream>, len: u64) -> StreamResult<u64> {
        loop {
            let skipped = self.table.get_mut(&self_)?.skip(clamp(len))?;
            if skipped > 0 || len == 0 {
                return Ok(skipped as u64);
            }
            wait(self, &self_)?;
        }
    }

    fn subscribe(&mut self, self_: Resource<DynInputStream>) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn drop(&mut self, rep: Resource<DynInputStream>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl HostOutputStream for WasiCtxView<'_> {
    fn check_write(&mut self, self_: Resource<DynOutputStream>) -> StreamResult<u64> {
        Ok(self.table.get_mut(&self_)?.check_write()? as u64)
    }

    fn write(&mut self, self_: Resource<DynOutputStream>, contents: Vec<u8>) -> StreamResult<()> {
        let stream = self.table.get_mut(&self_)?;
        let permitted = stream.check_write()?;
        if contents.len() > permitted {
            return Err(StreamError::trap(format!(
                "write of {} bytes exceeds the {permitted} that check-write permits",
                contents.len()
            )));
        }
        stream.write(&contents)
    }

    fn blocking_write_and_flush(
        &mut self,
        self_: Resource<DynOutputStream>,
        contents: Vec<u8>,
    ) -> StreamResult<()> {
        if contents.len() as u64 > MAX_BLOCKING_WRITE {
            return Err(StreamError::trap(format!(
                "blocking-write-and-flush of {} bytes: at most {MAX_BLOCKING_WRITE} are allowed",
                contents.len()
            )));
        }
        let mut rest = &contents[..];
        while !rest.is_empty() {
            let permitted = self.wait_for_budget(&self_)?;
            let (now, later) = rest.split_at(permitted.min(rest.len()));
            self.table.get_mut(&self_)?.write(now)?;
            rest = later;
        }
        self.blocking_flush(self_)
    }

    fn flush(&mut self, self_: Resource<DynOutputStream>) -> StreamResult<()> {
        self.table.get_mut(&self_)?.flush()
    }

    fn blocking_flush(&mut self, self_: Resource<DynOutputStream>) -> StreamResult<()> {
        self.table.get_mut(&self_)?.flush()?;
        // Flushed once every byte has left: the stream is writable again.
        self.wait_for_budget(&self_)?;
        Ok(())
    }

    fn subscribe(&mut self, self_: Resource<DynOutputStream>) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn write_zeroes(&mut self, self_: Resource<DynOutputStream>, len: u64) -> StreamResult<()> {
        let stream = self.table.get_mut(&self_)?;
        let permitted = stream.check_write()?;
        if len > permitted as u64 {
            return Err(StreamError::trap(format!(
                "write-zeroes of {len} bytes exceeds the {permitted} that check-write permits"
            )));
        }
        stream.write_zeroes(len as usize)
    }

    fn blocking_write_zeroes_and_flush(
        &mut self,
        self_: Resource<DynOutputStream>,
        len: u64,
    ) -> StreamResult<()> {
        if len > MAX_BLOCKING_WRITE {
            return Err(StreamError::trap(format!(
                "blocking-write-zeroes-and-flush of {len} bytes: at most {MAX_BLOCKING_WRITE} are allowed"
            )));
        }
        let mut rest = len as usize;
        while rest > 0 {
            let permitted = self.wait_for_budget(&self_)?.min(rest);
            self.table.get_mut(&self_)?.write_zeroes(permitted)?;
            rest -= permitted;
        }
        self.blocking_flush(self_)
    }

    fn splice(
        &mut self,
        self_: Resource<DynOutputStream>,
        src: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<u64> {
        let permitted = self.table.get_mut(&self_)?.check_write()?;
        let len = clamp(len).min(permitted);
        if len == 0 {
            return Ok(0);
        }
        let bytes = self.table.get_mut(&src)?.read(len)?;
        self.table.get_mut(&self_)?.write(&bytes)?;
        Ok(bytes.len() as u64)
    }

    fn blocking_splice(
        &mut self,
        self_: Resource<DynOutputStream>,
        src: Resource<DynInputStream>,
        len: u64,
    ) -> StreamResult<u64> {
        if len == 0 {
            return Ok(0);
        }
        let permitted = self.wait_for_budget(&self_)?;
        let len = clamp(len).min(permitted);
        loop {
            let bytes = self.table.get_mut(&src)?.read(len)?;
            if !bytes.is_empty() {
                self.table.get_mut(&self_)?.write(&bytes)?;
                return Ok(bytes.len() as u64);
            }
            wait(self, &src)?;
        }
    }

    fn drop(&mut self, rep: Resource<DynOutputStream>) -> Result<()> {
        let mut stream = self.table.delete(rep)?;
        // What was written reaches its sink even if the guest never
        // flushed; a failure here has no one left to report to.
        let _ = stream.flush();
        Ok(())
    }
}

impl WasiCtxView<'_> {
    /// Waits until `stream` accepts a write; returns how many bytes.
    fn wait_for_budget(&mut self, stream: &Resource<DynOutputStream>) -> StreamResult<usize> {
        loop {
            let permitted = self.table.get_mut(stream)?.check_write()?;
            if permitted > 0 {
                return Ok(permitted);
            }
            wait(self, stream)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtx;
    use crate::p2::bindings::wasi::io::error::HostError as _;
    use crate::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
    use wit_host::ResourceTable;

    struct Fixture {
        ctx: WasiCtx,
        table: ResourceTable,
    }

    impl Fixture {
        fn new() -> Fixture {
            Fixture {
                ctx: WasiCtx::default(),
                table: ResourceTable::new(),
            }
        }

        fn view(&mut self) -> WasiCtxView<'_> {
            WasiCtxView {
                ctx: &mut self.ctx,
                table: &mut self.table,
            }
        }
    }

    fn borrow<T: 'static>(r: &Resource<T>) -> Resource<T> {
        Resource::new_borrow(r.rep())
    }

    #[test]
    fn reads_are_bounded_whatever_length_the_guest_asks() {
        let mut f = Fixture::new();
        let mut view = f.view();
        let input: DynInputStream = Box::new(MemoryInputPipe::new(vec![7; 3 * MAX_READ]));
        let input = view.push(input).unwrap();
        let bytes = view.read(borrow(&input), u64::MAX).unwrap();
        assert_eq!(bytes.len(), MAX_READ);
        assert_eq!(
            view.blocking_skip(borrow(&input), u64::MAX).unwrap(),
            MAX_READ as u64
        );
        let bytes = view.blocking_read(borrow(&input), u64::MAX).unwrap();
        assert_eq!(bytes.len(), MAX_READ);
        assert!(matches!(
            view.read(borrow(&input), 1),
            Err(StreamError::Closed)
        ));
    }

    #[test]
    fn a_write_beyond_check_write_traps() {
        let mut f = Fixture::new();
        let mut view = f.view();
        let pipe = MemoryOutputPipe::new(8);
        let out: DynOutputStream = Box::new(pipe.clone());
        let out = view.push(out).unwrap();
        assert_eq!(view.check_write(borrow(&out)).unwrap(), 8);
        let err = view.write(borrow(&out), vec![1; 9]).unwrap_err();
        assert!(matches!(err, StreamError::Trap(_)), "{err}");
        view.write(borrow(&out), b"12345678".to_vec()).unwrap();
        // Full: the pipe reports itself closed, which is not a trap.
        assert!(matches!(
            view.check_write(borrow(&out)),
            Err(StreamError::Closed)
        ));
        assert_eq!(pipe.contents(), b"12345678");
    }

    #[test]
    fn blocking_write_and_flush_takes_at_most_4096_bytes() {
        let mut f = Fixture::new();
        let mut view = f.view();
        let pipe = MemoryOutputPipe::new(1 << 20);
        let out: DynOutputStream = Box::new(pipe.clone());
        let out = view.push(out).unwrap();
        view.blocking_write_and_flush(borrow(&out), vec![1; 4096])
            .unwrap();
        let err = view
            .blocking_write_and_flush(borrow(&out), vec![1; 4097])
            .unwrap_err();
        assert!(err.to_string().contains("at most 4096"), "{err}");
        view.blocking_write_zeroes_and_flush(borrow(&out), 10)
            .unwrap();
        assert_eq!(pipe.contents().len(), 4106);
    }

    #[test]
    fn splice_moves_bytes_from_a_pipe_to_a_capture() {
        let mut f = Fixture::new();
        let mut view = f.view();
        let input: DynInputStream = Box::new(MemoryInputPipe::new("hello, world"));
        let input = view.push(input).unwrap();
        let pipe = MemoryOutputPipe::new(1024);
        let out: DynOutputStream = Box::new(pipe.clone());
        let out = view.push(out).unwrap();
        assert_eq!(view.splice(borrow(&out), borrow(&input), 5).unwrap(), 5);
        assert_eq!(
            view.blocking_splice(borrow(&out), borrow(&input), 100)
                .unwrap(),
            7
        );
        assert!(matches!(
            view.blocking_splice(borrow(&out), borrow(&input), 100),
            Err(StreamError::Closed)
        ));
        assert_eq!(pipe.contents(), b"hello, world");
    }

    #[test]
    fn a_failed_operation_hands_the_guest_an_error_resource() {
        let mut f = Fixture::new();
        let mut view = f.view();
        let failed = StreamError::failed(std::io::Error::other("disk on fire"));
        let streams::StreamError::LastOperationFailed(error) =
            view.convert_stream_error(failed).unwrap()
        else {
            panic!("expected last-operation-failed");
        };
        let text = view.to_debug_string(borrow(&error)).unwrap();
        assert!(text.contains("disk on fire"), "{text}");
        let trap = view
            .convert_stream_error(StreamError::trap("bad guest"))
            .unwrap_err();
        assert_eq!(trap.to_string(), "bad guest");
    }
}
