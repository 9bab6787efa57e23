//! `read-directory` and [`ReaddirIterator`], the host side of a
//! `directory-entry-stream`.
//!
//! The stream reads the directory lazily, one entry per call, through its
//! own handle on the directory: memory stays small whatever the size of
//! the directory, several streams on one directory do not interfere, and
//! the descriptor may be dropped while its streams live. `.` and `..` are
//! never listed.

use wit_host::{Resource, Result};

use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorType, DirectoryEntry, ErrorCode, HostDirectoryEntryStream,
};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::descriptor::OpenDir;
use crate::p2::filesystem::stat::descriptor_type;
use crate::view::WasiCtxView;

/// The host side of a `directory-entry-stream`: the entries of a directory
/// not yet read.
pub struct ReaddirIterator {
    entries: cap_std::fs::ReadDir,
}

impl ReaddirIterator {
    /// The next entry, `None` at the end.
    fn next_entry(&mut self) -> Result<Option<DirectoryEntry>, FsError> {
        loop {
            let entry = match self.entries.next() {
                None => return Ok(None),
                Some(entry) => entry?,
            };
            let name = entry.file_name();
            if name == "." || name == ".." {
                continue;
            }
            let name = name
                .into_string()
                .map_err(|_| FsError::from(ErrorCode::IllegalByteSequence))?;
            // The type is advisory: an entry removed or unreadable since it
            // was listed is still listed, of unknown type.
            let type_ = entry
                .file_type()
                .map_or(DescriptorType::Unknown, descriptor_type);
            return Ok(Some(DirectoryEntry { type_, name }));
        }
    }
}

impl OpenDir {
    /// `read-directory`: needs the preopen's permission to read.
    pub(crate) fn read_directory(&self) -> Result<ReaddirIterator, FsError> {
        self.check_read()?;
        Ok(ReaddirIterator {
            entries: self.dir.entries()?,
        })
    }
}

impl HostDirectoryEntryStream for WasiCtxView<'_> {
    fn read_directory_entry(
        &mut self,
        self_: Resource<ReaddirIterator>,
    ) -> Result<Option<DirectoryEntry>, FsError> {
        self.table.get_mut(&self_)?.next_entry()
    }

    fn drop(&mut self, rep: Resource<ReaddirIterator>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}
