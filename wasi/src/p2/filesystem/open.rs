//! `open-at`: opening a file or directory beneath a directory descriptor.
//!
//! The path is resolved by cap-std beneath the directory (with `openat2`'s
//! `RESOLVE_BENEATH` where Linux has it, by careful component-wise
//! resolution elsewhere), so `..` past the directory, absolute paths and
//! symlinks leading out all fail with `not-permitted`, and symlink loops
//! with `loop`. What the new descriptor may do is checked against the
//! preopen's permissions before anything is opened, and the new descriptor
//! inherits them unchanged, so it never grants more than its parent.

use std::path::Path;
use std::sync::Arc;

use cap_fs_ext::OpenOptionsSyncExt;
use cap_fs_ext::{DirExt, FollowSymlinks, OpenOptionsFollowExt, OpenOptionsMaybeDirExt};

use crate::FilePerms;
use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorFlags, ErrorCode, OpenFlags, PathFlags,
};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::descriptor::{Descriptor, OpenDir, OpenFile, sync_flags};
use crate::p2::filesystem::stat::follows;

impl OpenDir {
    /// `open-at`.
    pub(crate) fn open_at(
        &self,
        path_flags: PathFlags,
        path: &str,
        open_flags: OpenFlags,
        flags: DescriptorFlags,
    ) -> Result<Descriptor, FsError> {
        self.check_read()?;
        let create = open_flags.contains(OpenFlags::CREATE);
        let truncate = open_flags.contains(OpenFlags::TRUNCATE);
        let write = flags.contains(DescriptorFlags::WRITE);
        if create || truncate || flags.contains(DescriptorFlags::MUTATE_DIRECTORY) {
            self.check_mutate()?;
        }
        if (write || truncate) && !self.file_perms.contains(FilePerms::WRITE) {
            return Err(ErrorCode::NotPermitted.into());
        }
        let follow = follows(path_flags);
        let path = Path::new(path);

        if open_flags.contains(OpenFlags::DIRECTORY) {
            if create || truncate || open_flags.contains(OpenFlags::EXCLUSIVE) {
                return Err(ErrorCode::Invalid.into());
            }
            let dir = if follow {
                self.dir.open_dir(path)?
            } else {
                self.dir.open_dir_nofollow(path)?
            };
            if write {
                return Err(ErrorCode::IsDirectory.into());
            }
            return Ok(self.child_dir(dir, flags));
        }

        // Truncating needs write access from the OS, whatever the guest
        // asked for (as on Linux); the permission was checked above.
        let os_write = write || truncate;
        let mut opts = cap_std::fs::OpenOptions::new();
        opts.maybe_dir(true);
        opts.follow(if follow {
            FollowSymlinks::Yes
        } else {
            FollowSymlinks::No
        });
        // The OS needs an access mode: without write access, open for
        // reading (reads are still refused unless the guest asked `read`).
        opts.read(flags.contains(DescriptorFlags::READ) || !os_write);
        opts.write(os_write);
        opts.truncate(truncate);
        opts.sync(flags.contains(DescriptorFlags::FILE_INTEGRITY_SYNC));
        opts.dsync(flags.contains(DescriptorFlags::DATA_INTEGRITY_SYNC));
        opts.rsync(flags.contains(DescriptorFlags::REQUESTED_WRITE_SYNC));
        let exclusive = open_flags.contains(OpenFlags::EXCLUSIVE);

        let file = if create && !os_write {
            self.create_without_write(path, &opts, exclusive)?
        } else {
            if create && exclusive {
                opts.create_new(true);
            } else if create {
                opts.create(true);
            }
            self.dir.open_with(path, &opts)?
        };
        if file.metadata()?.is_dir() {
            // Writing or creating a directory this way is refused (as
            // `open(2)` does).
            if write || create {
                return Err(ErrorCode::IsDirectory.into());
            }
            let dir = cap_std::fs::Dir::from_std_file(file.into_std());
            return Ok(self.child_dir(dir, flags));
        }
        Ok(Descriptor::file(OpenFile {
            file: Arc::new(file),
            perms: self.file_perms,
            read: flags.contains(DescriptorFlags::READ),
            write,
            sync: sync_flags(flags),
        }))
    }

    /// `open-at` with `create` but without `write`. POSIX creates a file
    /// whatever the access mode; cap-std, like std, only with write access.
    /// So a file that exists is opened as asked, and only one that does not
    /// is created, with write access (the guest still cannot write: its
    /// descriptor was not opened with `write`).
    fn create_without_write(
        &self,
        path: &Path,
        opts: &cap_std::fs::OpenOptions,
        exclusive: bool,
    ) -> std::io::Result<cap_std::fs::File> {
        use std::io::ErrorKind;
        if !exclusive {
            match self.dir.open_with(path, opts) {
                Err(e) if e.kind() == ErrorKind::NotFound => {}
                result => return result,
            }
        }
        let mut create = opts.clone();
        create.write(true).create_new(true);
        match self.dir.open_with(path, &create) {
            // Created by someone else since: open it as asked.
            Err(e) if !exclusive && e.kind() == ErrorKind::AlreadyExists => {
                self.dir.open_with(path, opts)
            }
            result => result,
        }
    }

    /// A descriptor of `dir`, opened beneath this one with `flags`.
    fn child_dir(&self, dir: cap_std::fs::Dir, flags: DescriptorFlags) -> Descriptor {
        Descriptor::dir(OpenDir {
            dir: Arc::new(dir),
            perms: self.perms,
            file_perms: self.file_perms,
            read: flags.contains(DescriptorFlags::READ),
            mutate: flags.contains(DescriptorFlags::MUTATE_DIRECTORY),
        })
    }
}
