//! Operations on the contents of an open file: `read` and `write` at an
//! offset, the three stream constructors, `set-size`, `advise`, and
//! `sync`/`sync-data` (which also apply to directories).
//!
//! `read` moves at most [`MAX_READ`] bytes per call whatever length the
//! guest names, so the host never allocates what a guest asks for.

use cap_std::fs::FileExt;

use crate::p2::bindings::wasi::filesystem::types::{Advice, Filesize};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::descriptor::{Descriptor, Kind, OpenFile};
use crate::p2::filesystem::streams::{FileInputStream, FileOutputStream, read_at};
use crate::p2::io::streams::MAX_READ;

impl OpenFile {
    /// `read`: up to `length` bytes (at most [`MAX_READ`]) at `offset`,
    /// and whether the end of the file was reached.
    pub(crate) fn read(
        &self,
        length: Filesize,
        offset: Filesize,
    ) -> Result<(Vec<u8>, bool), FsError> {
        self.check_read()?;
        let len = usize::try_from(length).map_or(MAX_READ, |l| l.min(MAX_READ));
        let mut buf = vec![0; len];
        let mut filled = 0;
        let mut eof = false;
        while filled < len {
            let at = offset
                .checked_add(filled as u64)
                .ok_or(rustix::io::Errno::OVERFLOW);
            let at = at.map_err(std::io::Error::from)?;
            match read_at(&self.file, &mut buf[filled..], at) {
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(n) => filled += n,
                // What was read is the result; the error would recur.
                Err(_) if filled > 0 => break,
                Err(e) => return Err(e.into()),
            }
        }
        buf.truncate(filled);
        Ok((buf, eof))
    }

    /// `write`: all of `bytes` at `offset` (extending the file as
    /// needed); how many were written (fewer only if an error stopped it
    /// part way).
    pub(crate) fn write(&self, bytes: &[u8], offset: Filesize) -> Result<Filesize, FsError> {
        self.check_write()?;
        let mut written = 0;
        while written < bytes.len() {
            let at = offset
                .checked_add(written as u64)
                .ok_or(rustix::io::Errno::FBIG);
            let at = at.map_err(std::io::Error::from)?;
            match self.file.write_at(&bytes[written..], at) {
                Ok(0) => break,
                Ok(n) => written += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(_) if written > 0 => break,
                Err(e) => return Err(e.into()),
            }
        }
        Ok(written as Filesize)
    }

    /// `read-via-stream`.
    pub(crate) fn read_stream(&self, offset: Filesize) -> Result<FileInputStream, FsError> {
        self.check_read()?;
        Ok(FileInputStream::new(self.file.clone(), offset))
    }

    /// `write-via-stream`.
    pub(crate) fn write_stream(&self, offset: Filesize) -> Result<FileOutputStream, FsError> {
        self.check_write()?;
        Ok(FileOutputStream::at(self.file.clone(), offset))
    }

    /// `append-via-stream`.
    pub(crate) fn append_stream(&self) -> Result<FileOutputStream, FsError> {
        self.check_write()?;
        Ok(FileOutputStream::append(self.file.clone()))
    }

    /// `set-size`: truncates or extends (with zeros) the file.
    pub(crate) fn set_size(&self, size: Filesize) -> Result<(), FsError> {
        self.check_write()?;
        self.file.set_len(size)?;
        Ok(())
    }

    /// `advise`: passed on to the OS where it has `posix_fadvise`, else
    /// ignored (advice is only advice).
    pub(crate) fn advise(
        &self,
        offset: Filesize,
        len: Filesize,
        advice: Advice,
    ) -> Result<(), FsError> {
        #[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
        {
            use rustix::fs::{Advice as A, fadvise};
            let advice = match advice {
                Advice::Normal => A::Normal,
                Advice::Sequential => A::Sequential,
                Advice::Random => A::Random,
                Advice::WillNeed => A::WillNeed,
                Advice::DontNeed => A::DontNeed,
                Advice::NoReuse => A::NoReuse,
            };
            fadvise(&*self.file, offset, std::num::NonZeroU64::new(len), advice)
                .map_err(std::io::Error::from)?;
        }
        #[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
        let _ = (offset, len, advice);
        Ok(())
    }
}

impl Descriptor {
    /// `sync` (`all`) or `sync-data`: a file not opened for writing has
    /// nothing to flush, as WASI says; a directory flushes its entries.
    pub(crate) fn sync(&self, all: bool) -> Result<(), FsError> {
        match &self.0 {
            Kind::File(f) if !f.write => {}
            Kind::File(f) if all => f.file.sync_all()?,
            Kind::File(f) => f.file.sync_data()?,
            // A directory's data is its entries: both syncs are `fsync`.
            Kind::Dir(d) => d.open_self()?.sync_all()?,
        }
        Ok(())
    }
}
