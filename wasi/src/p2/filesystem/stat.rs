//! Metadata: `stat`, `stat-at`, `set-times`, `set-times-at`,
//! `metadata-hash` and `metadata-hash-at`, and the conversions between
//! host metadata and WASI's types (descriptor types, timestamps).
//!
//! Timestamps before 1970 cannot be expressed by WASI's `datetime` and are
//! reported as absent. The metadata hash is a keyed SipHash of the device,
//! inode, size and modification time: stable for an unchanged file (also
//! across runs of the host), different when the file is modified or
//! replaced.

use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cap_fs_ext::{DirExt, FileTypeExt, OsMetadataExt};
use fs_set_times::{SetTimes, SystemTimeSpec};

use crate::p2::bindings::wasi::clocks::wall_clock::Datetime;
use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorStat, DescriptorType, ErrorCode, MetadataHashValue, NewTimestamp, PathFlags,
};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::descriptor::{Descriptor, Kind, OpenDir};

/// The descriptor type of a host file type.
pub(crate) fn descriptor_type(ty: cap_std::fs::FileType) -> DescriptorType {
    if ty.is_dir() {
        DescriptorType::Directory
    } else if ty.is_file() {
        DescriptorType::RegularFile
    } else if ty.is_symlink() {
        DescriptorType::SymbolicLink
    } else if ty.is_block_device() {
        DescriptorType::BlockDevice
    } else if ty.is_char_device() {
        DescriptorType::CharacterDevice
    } else if ty.is_fifo() {
        DescriptorType::Fifo
    } else if ty.is_socket() {
        DescriptorType::Socket
    } else {
        DescriptorType::Unknown
    }
}

/// A host time as a WASI `datetime`; `None` before 1970.
fn datetime(t: SystemTime) -> Option<Datetime> {
    let since = t.duration_since(UNIX_EPOCH).ok()?;
    Some(Datetime {
        seconds: since.as_secs(),
        nanoseconds: since.subsec_nanos(),
    })
}

/// Seconds and nanoseconds since 1970 as a WASI `datetime`; `None` if
/// negative or malformed.
fn datetime_of_parts(seconds: i64, nanoseconds: i64) -> Option<Datetime> {
    Some(Datetime {
        seconds: u64::try_from(seconds).ok()?,
        nanoseconds: u32::try_from(nanoseconds)
            .ok()
            .filter(|n| *n < 1_000_000_000)?,
    })
}

/// The `descriptor-stat` of host metadata.
pub(crate) fn descriptor_stat(meta: &cap_std::fs::Metadata) -> DescriptorStat {
    DescriptorStat {
        type_: descriptor_type(meta.file_type()),
        link_count: meta.nlink(),
        size: meta.len(),
        data_access_timestamp: meta.accessed().ok().and_then(|t| datetime(t.into_std())),
        data_modification_timestamp: meta.modified().ok().and_then(|t| datetime(t.into_std())),
        status_change_timestamp: datetime_of_parts(meta.ctime(), meta.ctime_nsec()),
    }
}

/// The `metadata-hash-value` of host metadata.
pub(crate) fn metadata_hash(meta: &cap_std::fs::Metadata) -> MetadataHashValue {
    let inputs = (
        meta.dev(),
        meta.ino(),
        meta.len(),
        meta.mtime(),
        meta.mtime_nsec(),
    );
    // A fixed key, so that an unchanged file hashes the same in every run;
    // the leading byte makes the two halves independent hashes.
    let hasher = BuildHasherDefault::<DefaultHasher>::default();
    MetadataHashValue {
        lower: hasher.hash_one((0u8, inputs)),
        upper: hasher.hash_one((1u8, inputs)),
    }
}

/// A guest's `datetime` as a host time.
fn system_time(t: Datetime) -> Result<SystemTime, FsError> {
    if t.nanoseconds >= 1_000_000_000 {
        return Err(ErrorCode::Invalid.into());
    }
    UNIX_EPOCH
        .checked_add(Duration::new(t.seconds, t.nanoseconds))
        .ok_or_else(|| ErrorCode::Overflow.into())
}

/// A guest's `new-timestamp` as what the host sets (`None`: no change).
fn time_spec(t: NewTimestamp) -> Result<Option<SystemTimeSpec>, FsError> {
    Ok(match t {
        NewTimestamp::NoChange => None,
        NewTimestamp::Now => Some(SystemTimeSpec::SymbolicNow),
        NewTimestamp::Timestamp(t) => Some(SystemTimeSpec::Absolute(system_time(t)?)),
    })
}

/// The same, in cap-std's type, for path-relative operations.
fn cap_time_spec(t: NewTimestamp) -> Result<Option<cap_fs_ext::SystemTimeSpec>, FsError> {
    Ok(time_spec(t)?.map(cap_fs_ext::SystemTimeSpec::from_std))
}

/// Whether `path-flags` ask to follow a final symlink.
pub(crate) fn follows(flags: PathFlags) -> bool {
    flags.contains(PathFlags::SYMLINK_FOLLOW)
}

impl Descriptor {
    /// `stat`.
    pub(crate) fn stat(&self) -> Result<DescriptorStat, FsError> {
        Ok(descriptor_stat(&self.metadata()?))
    }

    /// `metadata-hash`.
    pub(crate) fn metadata_hash(&self) -> Result<MetadataHashValue, FsError> {
        Ok(metadata_hash(&self.metadata()?))
    }

    /// `set-times`: needs the preopen's permission to write files (for a
    /// file) or to mutate directories (for a directory).
    pub(crate) fn set_times(
        &self,
        atime: NewTimestamp,
        mtime: NewTimestamp,
    ) -> Result<(), FsError> {
        let (atime, mtime) = (time_spec(atime)?, time_spec(mtime)?);
        match &self.0 {
            Kind::File(f) => {
                if !f.perms.contains(crate::FilePerms::WRITE) {
                    return Err(ErrorCode::NotPermitted.into());
                }
                SetTimes::set_times(&*f.file, atime, mtime)?;
            }
            Kind::Dir(d) => {
                d.check_mutate()?;
                SetTimes::set_times(&d.open_self()?, atime, mtime)?;
            }
        }
        Ok(())
    }
}

impl OpenDir {
    /// The metadata of `path`, following a final symlink or not.
    fn metadata_at(&self, flags: PathFlags, path: &str) -> Result<cap_std::fs::Metadata, FsError> {
        self.check_read()?;
        let meta = if follows(flags) {
            self.dir.metadata(Path::new(path))?
        } else {
            self.dir.symlink_metadata(Path::new(path))?
        };
        Ok(meta)
    }

    /// `stat-at`.
    pub(crate) fn stat_at(&self, flags: PathFlags, path: &str) -> Result<DescriptorStat, FsError> {
        Ok(descriptor_stat(&self.metadata_at(flags, path)?))
    }

    /// `metadata-hash-at`.
    pub(crate) fn metadata_hash_at(
        &self,
        flags: PathFlags,
        path: &str,
    ) -> Result<MetadataHashValue, FsError> {
        Ok(metadata_hash(&self.metadata_at(flags, path)?))
    }

    /// `set-times-at`: needs the preopen's permission to mutate.
    pub(crate) fn set_times_at(
        &self,
        flags: PathFlags,
        path: &str,
        atime: NewTimestamp,
        mtime: NewTimestamp,
    ) -> Result<(), FsError> {
        self.check_mutate()?;
        let (atime, mtime) = (cap_time_spec(atime)?, cap_time_spec(mtime)?);
        if follows(flags) {
            DirExt::set_times(&*self.dir, Path::new(path), atime, mtime)?;
        } else {
            self.dir.set_symlink_times(Path::new(path), atime, mtime)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_round_trip() {
        let t = Datetime {
            seconds: 1_700_000_000,
            nanoseconds: 123_456_789,
        };
        assert_eq!(datetime(system_time(t).unwrap()), Some(t));
        assert_eq!(datetime(UNIX_EPOCH - Duration::from_secs(1)), None);
        assert_eq!(datetime_of_parts(-1, 0), None);
    }

    #[test]
    fn malformed_datetimes_are_refused() {
        let bad = |seconds, nanoseconds| {
            system_time(Datetime {
                seconds,
                nanoseconds,
            })
            .unwrap_err()
            .code()
        };
        assert_eq!(bad(0, 1_000_000_000), Some(ErrorCode::Invalid));
        assert_eq!(bad(u64::MAX, 0), Some(ErrorCode::Overflow));
    }
}
