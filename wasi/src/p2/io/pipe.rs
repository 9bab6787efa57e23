//! Streams the host gives a guest: in-memory pipes (to feed stdin, to
//! capture stdout), adapters over any [`Read`] or [`Write`], and the
//! closed, empty and discarding streams.
//!
//! Each is also a factory of streams (the `stdin`/`stdout` traits of
//! [`crate::p2::cli`]): every `get-stdout` of the guest gets a new stream
//! over the same shared buffer or writer.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex, MutexGuard};

use crate::p2::io::streams::{InputStream, OutputStream, StreamError, StreamResult};

/// The bytes `check-write` offers at a time on streams that never wait.
const WRITE_BUDGET: usize = 64 * 1024;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while the lock was held leaves bytes, never broken
    // invariants: go on with them.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Bytes a guest reads, given up front. Cloning shares the position.
///
/// ```
/// use wit_host_wasi::p2::InputStream;
/// use wit_host_wasi::p2::pipe::MemoryInputPipe;
///
/// let mut pipe = MemoryInputPipe::new("hello");
/// assert_eq!(pipe.read(3).unwrap(), b"hel");
/// assert_eq!(pipe.read(10).unwrap(), b"lo");
/// assert!(pipe.read(1).is_err()); // closed: end of input
/// ```
#[derive(Clone, Debug)]
pub struct MemoryInputPipe {
    state: Arc<Mutex<(Vec<u8>, usize)>>,
}

impl MemoryInputPipe {
    /// A pipe holding `bytes`.
    pub fn new(bytes: impl Into<Vec<u8>>) -> MemoryInputPipe {
        MemoryInputPipe {
            state: Arc::new(Mutex::new((bytes.into(), 0))),
        }
    }

    /// Whether every byte was read.
    pub fn is_empty(&self) -> bool {
        let state = lock(&self.state);
        state.1 >= state.0.len()
    }
}

impl InputStream for MemoryInputPipe {
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
        let mut state = lock(&self.state);
        let (bytes, at) = &mut *state;
        if *at >= bytes.len() {
            return Err(StreamError::Closed);
        }
        let end = bytes.len().min(*at + size);
        let out = bytes[*at..end].to_vec();
        *at = end;
        Ok(out)
    }

    fn skip(&mut self, size: usize) -> StreamResult<usize> {
        let mut state = lock(&self.state);
        let (bytes, at) = &mut *state;
        if *at >= bytes.len() {
            return Err(StreamError::Closed);
        }
        let n = size.min(bytes.len() - *at);
        *at += n;
        Ok(n)
    }
}

/// A capture buffer for what a guest writes, bounded by a capacity; when
/// full, the stream reports itself closed (the guest sees end of stream,
/// not a trap). Cloning shares the buffer.
///
/// ```
/// use wit_host_wasi::p2::OutputStream;
/// use wit_host_wasi::p2::pipe::MemoryOutputPipe;
///
/// let pipe = MemoryOutputPipe::new(1024);
/// let mut stream = pipe.clone();
/// stream.write(b"hi").unwrap();
/// assert_eq!(pipe.contents(), b"hi");
/// ```
#[derive(Clone, Debug)]
pub struct MemoryOutputPipe {
    capacity: usize,
    buffer: Arc<Mutex<Vec<u8>>>,
}

impl MemoryOutputPipe {
    /// An empty buffer that holds at most `capacity` bytes.
    pub fn new(capacity: usize) -> MemoryOutputPipe {
        MemoryOutputPipe {
            capacity,
            buffer: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// A copy of what was written so far.
    pub fn contents(&self) -> Vec<u8> {
        lock(&self.buffer).clone()
    }

    /// What was written so far, leaving the buffer empty.
    pub fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *lock(&self.buffer))
    }
}

impl OutputStream for MemoryOutputPipe {
    fn write(&mut self, bytes: &[u8]) -> StreamResult<()> {
        let mut buffer = lock(&self.buffer);
        if bytes.len() > self.capacity - buffer.len() {
            return Err(StreamError::trap(
                "write exceeds the room check-write permitted",
            ));
        }
        buffer.extend_from_slice(bytes);
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        let room = self.capacity - lock(&self.buffer).len();
        if room == 0 {
            return Err(StreamError::Closed);
        }
        Ok(room.min(WRITE_BUDGET))
    }
}

/// Any [`Read`] as a stream. Each `read` is one call of [`Read::read`],
/// which may block: the stream is always "ready". Cloning shares the
/// reader.
pub struct ReadPipe<R> {
    reader: Arc<Mutex<R>>,
}

impl<R> Clone for ReadPipe<R> {
    fn clone(&self) -> Self {
        ReadPipe {
            reader: self.reader.clone(),
        }
    }
}

impl<R: Read + Send + 'static> ReadPipe<R> {
    /// A stream over `reader`.
    pub fn new(reader: R) -> ReadPipe<R> {
        ReadPipe {
            reader: Arc::new(Mutex::new(reader)),
        }
    }
}

impl<R: Read + Send + 'static> InputStream for ReadPipe<R> {
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
        let mut buf = vec![0; size];
        let n = loop {
            match lock(&self.reader).read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StreamError::failed(e)),
            }
        };
        if n == 0 && size > 0 {
            return Err(StreamError::Closed);
        }
        buf.truncate(n);
        Ok(buf)
    }
}

/// Any [`Write`] as a stream. Writes go straight to the writer (they may
/// block); the stream is always ready. Cloning shares the writer.
pub struct WritePipe<W> {
    writer: Arc<Mutex<W>>,
}

impl<W> Clone for WritePipe<W> {
    fn clone(&self) -> Self {
        WritePipe {
            writer: self.writer.clone(),
        }
    }
}

impl<W: Write + Send + 'static> WritePipe<W> {
    /// A stream over `writer`.
    pub fn new(writer: W) -> WritePipe<W> {
        WritePipe {
            writer: Arc::new(Mutex::new(writer)),
        }
    }
}

impl<W: Write + Send + 'static> OutputStream for WritePipe<W> {
    fn write(&mut self, bytes: &[u8]) -> StreamResult<()> {
        lock(&self.writer)
            .write_all(bytes)
            .map_err(StreamError::failed)
    }

    fn flush(&mut self) -> StreamResult<()> {
        lock(&self.writer).flush().map_err(StreamError::failed)
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(WRITE_BUDGET)
    }
}

/// A stream at its end: every read reports it closed.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClosedInputStream;

impl InputStream for ClosedInputStream {
    fn read(&mut self, _size: usize) -> StreamResult<Vec<u8>> {
        Err(StreamError::Closed)
    }
}

/// A closed sink: every write reports it closed.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClosedOutputStream;

impl OutputStream for ClosedOutputStream {
    fn write(&mut self, _bytes: &[u8]) -> StreamResult<()> {
        Err(StreamError::Closed)
    }

    fn flush(&mut self) -> StreamResult<()> {
        Err(StreamError::Closed)
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Err(StreamError::Closed)
    }
}

/// A sink that accepts and discards every byte.
#[derive(Clone, Copy, Debug, Default)]
pub struct SinkOutputStream;

impl OutputStream for SinkOutputStream {
    fn write(&mut self, _bytes: &[u8]) -> StreamResult<()> {
        Ok(())
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        Ok(WRITE_BUDGET)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_output_pipe_reports_closed() {
        let mut pipe = MemoryOutputPipe::new(4);
        assert_eq!(pipe.check_write().unwrap(), 4);
        pipe.write(b"abcd").unwrap();
        assert!(matches!(pipe.check_write(), Err(StreamError::Closed)));
        assert_eq!(pipe.contents(), b"abcd");
    }

    #[test]
    fn read_pipe_reports_end_of_input_as_closed() {
        let mut pipe = ReadPipe::new(&b"xy"[..]);
        assert_eq!(pipe.read(8).unwrap(), b"xy");
        assert!(matches!(pipe.read(8), Err(StreamError::Closed)));
    }
}
