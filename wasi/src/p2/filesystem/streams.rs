//! The streams of `read-via-stream`, `write-via-stream` and
//! `append-via-stream`: [`InputStream`] and [`OutputStream`] over a file.
//!
//! A stream shares the open file with its descriptor (an [`Arc`]) and keeps
//! its own position, so streams on one file do not interfere with each
//! other or with `read`/`write` at offsets, and the descriptor may be
//! dropped while they live. A file that cannot seek (a FIFO, a terminal)
//! is read and written in sequence instead. Files are always ready: reads
//! and writes go to the OS at once. After a failure the stream is closed,
//! as WASI says.

use std::io::{self, Read, Write};
use std::sync::Arc;

use cap_std::fs::{File, FileExt};
use rustix::io::Errno;

use crate::p2::io::streams::{InputStream, OutputStream, StreamError, StreamResult};

/// The bytes `check-write` offers at a time.
const WRITE_BUDGET: usize = 64 * 1024;

/// Whether `e` says the file cannot seek (`ESPIPE`).
fn cannot_seek(e: &io::Error) -> bool {
    e.raw_os_error() == Some(Errno::SPIPE.raw_os_error())
}

/// Retries `op` while it is interrupted.
fn retry<T>(mut op: impl FnMut() -> io::Result<T>) -> io::Result<T> {
    loop {
        match op() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            result => return result,
        }
    }
}

/// One `pread`, retried when interrupted.
pub(crate) fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    retry(|| file.read_at(buf, offset))
}

/// A file read from an offset on (`read-via-stream`).
pub(crate) struct FileInputStream {
    file: Arc<File>,
    position: u64,
    /// Reads are at `position` (else in sequence, for a file that cannot
    /// seek).
    seekable: bool,
    closed: bool,
}

impl FileInputStream {
    /// A stream reading `file` from `position`.
    pub(crate) fn new(file: Arc<File>, position: u64) -> FileInputStream {
        FileInputStream {
            file,
            position,
            seekable: true,
            closed: false,
        }
    }

    /// Reads into `buf` at the position (or in sequence), advancing it.
    fn read_into(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = if self.seekable {
            match read_at(&self.file, buf, self.position) {
                Err(e) if cannot_seek(&e) => {
                    self.seekable = false;
                    retry(|| (&*self.file).read(buf))?
                }
                result => result?,
            }
        } else {
            retry(|| (&*self.file).read(buf))?
        };
        self.position = self
            .position
            .checked_add(n as u64)
            .ok_or(io::Error::from(Errno::OVERFLOW))?;
        Ok(n)
    }

    /// Skips what is left of a regular file, up to `size` bytes; `None`
    /// for other files, whose length says nothing.
    fn skip_regular(&mut self, size: usize) -> io::Result<Option<usize>> {
        let meta = self.file.metadata()?;
        if !self.seekable || !meta.is_file() {
            return Ok(None);
        }
        let left = meta.len().saturating_sub(self.position);
        let n = usize::try_from(left).map_or(size, |left| left.min(size));
        self.position += n as u64;
        Ok(Some(n))
    }
}

impl InputStream for FileInputStream {
    fn read(&mut self, size: usize) -> StreamResult<Vec<u8>> {
        if self.closed {
            return Err(StreamError::Closed);
        }
        if size == 0 {
            return Ok(Vec::new());
        }
        let mut buf = vec![0; size];
        match self.read_into(&mut buf) {
            Ok(0) => {
                // End of file.
                self.closed = true;
                Err(StreamError::Closed)
            }
            Ok(n) => {
                buf.truncate(n);
                Ok(buf)
            }
            Err(e) => {
                self.closed = true;
                Err(StreamError::failed(e))
            }
        }
    }

    fn skip(&mut self, size: usize) -> StreamResult<usize> {
        if self.closed {
            return Err(StreamError::Closed);
        }
        if size == 0 {
            return Ok(0);
        }
        match self.skip_regular(size) {
            Ok(Some(0)) => {
                self.closed = true;
                Err(StreamError::Closed)
            }
            Ok(Some(n)) => Ok(n),
            // Not a regular file: read what is skipped.
            Ok(None) => Ok(self.read(size)?.len()),
            Err(e) => {
                self.closed = true;
                Err(StreamError::failed(e))
            }
        }
    }
}

/// Where an [`FileOutputStream`] writes.
enum Mode {
    /// At this offset, which advances.
    At(u64),
    /// At the end of the file, wherever it is at each write.
    Append,
}

/// A file written from an offset on (`write-via-stream`) or appended to
/// (`append-via-stream`).
pub(crate) struct FileOutputStream {
    file: Arc<File>,
    mode: Mode,
    /// Writes are where `mode` says (else in sequence, for a file that
    /// cannot seek).
    seekable: bool,
    closed: bool,
}

impl FileOutputStream {
    /// A stream writing `file` from `position` on.
    pub(crate) fn at(file: Arc<File>, position: u64) -> FileOutputStream {
        FileOutputStream {
            file,
            mode: Mode::At(position),
            seekable: true,
            closed: false,
        }
    }

    /// A stream appending to `file`.
    pub(crate) fn append(file: Arc<File>) -> FileOutputStream {
        FileOutputStream {
            file,
            mode: Mode::Append,
            seekable: true,
            closed: false,
        }
    }

    /// Writes all of `bytes` where the mode says.
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        if self.seekable {
            let result = match &mut self.mode {
                Mode::At(position) => write_all_at(&self.file, bytes, position),
                Mode::Append => append(&self.file, bytes),
            };
            match result {
                Err(e) if cannot_seek(&e) => self.seekable = false,
                result => return result,
            }
        }
        (&*self.file).write_all(bytes)
    }
}

impl OutputStream for FileOutputStream {
    fn write(&mut self, bytes: &[u8]) -> StreamResult<()> {
        if self.closed {
            return Err(StreamError::Closed);
        }
        self.put(bytes).map_err(|e| {
            self.closed = true;
            StreamError::failed(e)
        })
    }

    fn flush(&mut self) -> StreamResult<()> {
        // Every write reached the OS already; flushing promises no more
        // (durability is `sync`'s).
        if self.closed {
            return Err(StreamError::Closed);
        }
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        if self.closed {
            return Err(StreamError::Closed);
        }
        Ok(WRITE_BUDGET)
    }
}

/// Writes all of `bytes` at `*position`, advancing it.
fn write_all_at(file: &File, bytes: &[u8], position: &mut u64) -> io::Result<()> {
    let end = position
        .checked_add(bytes.len() as u64)
        .ok_or(io::Error::from(Errno::FBIG))?;
    file.write_all_at(bytes, *position)?;
    *position = end;
    Ok(())
}

/// Writes all of `bytes` at the end of `file`, atomically with respect to
/// other appenders where the OS allows it (Linux's `RWF_APPEND`), else at
/// the end as it is now.
fn append(file: &File, bytes: &[u8]) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::io::ReadWriteFlags;
        let mut rest = bytes;
        while !rest.is_empty() {
            let slices = [io::IoSlice::new(rest)];
            match rustix::io::pwritev2(file, &slices, 0, ReadWriteFlags::APPEND) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => rest = &rest[n..],
                Err(Errno::INTR) => continue,
                // An old kernel: append the portable way.
                Err(Errno::NOSYS | Errno::NOTSUP) if rest.len() == bytes.len() => break,
                Err(e) => return Err(e.into()),
            }
        }
        if rest.is_empty() {
            return Ok(());
        }
    }
    let end = file.metadata()?.len();
    file.write_all_at(bytes, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO cannot seek: the streams read and write it in sequence.
    #[cfg(target_os = "linux")]
    #[test]
    fn streams_on_a_fifo() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &path,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .unwrap();
        // Open both ends without blocking: read-write opens of a FIFO
        // succeed at once on Linux.
        let open = || {
            let f = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .open(&path);
            Arc::new(File::from_std(f.unwrap()))
        };
        let mut output = FileOutputStream::at(open(), 100);
        output.write(b"through").unwrap();
        let mut append = FileOutputStream::append(open());
        append.write(b" a pipe").unwrap();
        let mut input = FileInputStream::new(open(), 5);
        assert_eq!(input.read(7).unwrap(), b"through");
        assert_eq!(input.skip(2).unwrap(), 2);
        assert_eq!(input.read(100).unwrap(), b" pipe");
    }
}
