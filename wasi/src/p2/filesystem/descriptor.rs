//! [`Descriptor`], the host side of a `descriptor`: an open file or an open
//! directory, with what the guest may do through it.
//!
//! Two layers of permission guard every operation. The *perms* come from
//! the preopen the descriptor descends from ([`DirPerms`], [`FilePerms`])
//! and are inherited unchanged by everything opened beneath it, so a
//! descriptor never grants more than its preopen; breaking them fails with
//! `not-permitted`. The *open mode* is what the guest asked for when it
//! opened a file (`read`, `write`); using a file otherwise fails with
//! `bad-descriptor`, as `read(2)` on a write-only descriptor does.

use std::sync::Arc;

use crate::p2::bindings::wasi::filesystem::types::{DescriptorFlags, DescriptorType, ErrorCode};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::stat::descriptor_type;
use crate::{DirPerms, FilePerms};

/// The host side of a `descriptor`: an open file or directory beneath a
/// preopened directory.
pub struct Descriptor(pub(crate) Kind);

/// What a [`Descriptor`] refers to.
pub(crate) enum Kind {
    File(OpenFile),
    Dir(OpenDir),
}

/// An open file.
pub(crate) struct OpenFile {
    /// The file, shared with the streams reading and writing it.
    pub file: Arc<cap_std::fs::File>,
    /// What the preopen allows with files.
    pub perms: FilePerms,
    /// Opened with `read`.
    pub read: bool,
    /// Opened with `write`.
    pub write: bool,
    /// The synchronisation flags it was opened with (reported by
    /// `get-flags`).
    pub sync: DescriptorFlags,
}

/// An open directory: the root of every path resolved through it.
pub(crate) struct OpenDir {
    /// The directory, shared with the preopen it may be.
    pub dir: Arc<cap_std::fs::Dir>,
    /// What the preopen allows with directories.
    pub perms: DirPerms,
    /// What the preopen allows with the files beneath.
    pub file_perms: FilePerms,
    /// Opened with `read` (reported by `get-flags`).
    pub read: bool,
    /// Opened with `mutate-directory` (reported by `get-flags`).
    pub mutate: bool,
}

/// The synchronisation flags among descriptor flags.
pub(crate) fn sync_flags(flags: DescriptorFlags) -> DescriptorFlags {
    flags
        & (DescriptorFlags::FILE_INTEGRITY_SYNC
            | DescriptorFlags::DATA_INTEGRITY_SYNC
            | DescriptorFlags::REQUESTED_WRITE_SYNC)
}

impl Descriptor {
    /// A descriptor of an open file.
    pub(crate) fn file(file: OpenFile) -> Descriptor {
        Descriptor(Kind::File(file))
    }

    /// A descriptor of an open directory.
    pub(crate) fn dir(dir: OpenDir) -> Descriptor {
        Descriptor(Kind::Dir(dir))
    }

    /// The file, or `bad-descriptor` for a directory.
    pub(crate) fn as_file(&self) -> Result<&OpenFile, FsError> {
        match &self.0 {
            Kind::File(f) => Ok(f),
            Kind::Dir(_) => Err(ErrorCode::BadDescriptor.into()),
        }
    }

    /// The directory, or `not-directory` for a file.
    pub(crate) fn as_dir(&self) -> Result<&OpenDir, FsError> {
        match &self.0 {
            Kind::Dir(d) => Ok(d),
            Kind::File(_) => Err(ErrorCode::NotDirectory.into()),
        }
    }

    /// `get-flags`: the mode it was opened with.
    pub(crate) fn flags(&self) -> DescriptorFlags {
        let mut flags = DescriptorFlags::empty();
        match &self.0 {
            Kind::File(f) => {
                if f.read {
                    flags |= DescriptorFlags::READ;
                }
                if f.write {
                    flags |= DescriptorFlags::WRITE;
                }
                flags |= f.sync;
            }
            Kind::Dir(d) => {
                if d.read {
                    flags |= DescriptorFlags::READ;
                }
                if d.mutate {
                    flags |= DescriptorFlags::MUTATE_DIRECTORY;
                }
            }
        }
        flags
    }

    /// `get-type`.
    pub(crate) fn descriptor_type(&self) -> Result<DescriptorType, FsError> {
        match &self.0 {
            Kind::File(f) => Ok(descriptor_type(f.file.metadata()?.file_type())),
            Kind::Dir(_) => Ok(DescriptorType::Directory),
        }
    }

    /// The metadata of what it refers to.
    pub(crate) fn metadata(&self) -> std::io::Result<cap_std::fs::Metadata> {
        match &self.0 {
            Kind::File(f) => f.file.metadata(),
            Kind::Dir(d) => d.dir.dir_metadata(),
        }
    }
}

impl OpenFile {
    /// `not-permitted` unless the preopen allows reading files, then
    /// `bad-descriptor` unless this one was opened for reading.
    pub(crate) fn check_read(&self) -> Result<(), FsError> {
        if !self.perms.contains(FilePerms::READ) {
            return Err(ErrorCode::NotPermitted.into());
        }
        if !self.read {
            return Err(ErrorCode::BadDescriptor.into());
        }
        Ok(())
    }

    /// `not-permitted` unless the preopen allows writing files, then
    /// `bad-descriptor` unless this one was opened for writing.
    pub(crate) fn check_write(&self) -> Result<(), FsError> {
        if !self.perms.contains(FilePerms::WRITE) {
            return Err(ErrorCode::NotPermitted.into());
        }
        if !self.write {
            return Err(ErrorCode::BadDescriptor.into());
        }
        Ok(())
    }
}

impl OpenDir {
    /// The directory opened anew for reading: directory handles are
    /// `O_PATH` on Linux, which `fsync` and `futimens` refuse.
    pub(crate) fn open_self(&self) -> std::io::Result<cap_std::fs::File> {
        self.dir.open(std::path::Component::CurDir)
    }

    /// `not-permitted` unless the preopen allows looking entries up.
    pub(crate) fn check_read(&self) -> Result<(), FsError> {
        if !self.perms.contains(DirPerms::READ) {
            return Err(ErrorCode::NotPermitted.into());
        }
        Ok(())
    }

    /// `not-permitted` unless the preopen allows changing entries.
    pub(crate) fn check_mutate(&self) -> Result<(), FsError> {
        if !self.perms.contains(DirPerms::MUTATE) {
            return Err(ErrorCode::NotPermitted.into());
        }
        Ok(())
    }
}
