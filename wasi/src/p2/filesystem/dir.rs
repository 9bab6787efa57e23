//! Operations on the entries of a directory: `create-directory-at`,
//! `remove-directory-at`, `unlink-file-at`, `rename-at`, `link-at`,
//! `symlink-at` and `readlink-at`.
//!
//! Every path resolves beneath its directory descriptor through cap-std,
//! never escaping it; the final component is never followed (these are
//! the POSIX `*at` calls without `AT_SYMLINK_FOLLOW`). Every change needs
//! the preopen's [`DirPerms::MUTATE`](crate::DirPerms::MUTATE), on both
//! directories for `rename-at` and `link-at`; reading a link needs
//! [`DirPerms::READ`](crate::DirPerms::READ).

use std::path::Path;

use cap_fs_ext::DirExt;

use crate::p2::bindings::wasi::filesystem::types::{ErrorCode, PathFlags};
use crate::p2::filesystem::FsError;
use crate::p2::filesystem::descriptor::OpenDir;
use crate::p2::filesystem::stat::follows;

impl OpenDir {
    /// `create-directory-at`.
    pub(crate) fn create_directory_at(&self, path: &str) -> Result<(), FsError> {
        self.check_mutate()?;
        self.dir.create_dir(Path::new(path))?;
        Ok(())
    }

    /// `remove-directory-at`: an empty directory.
    pub(crate) fn remove_directory_at(&self, path: &str) -> Result<(), FsError> {
        self.check_mutate()?;
        self.dir.remove_dir(Path::new(path))?;
        Ok(())
    }

    /// `unlink-file-at`: anything but a directory (a symlink itself, not
    /// its target).
    pub(crate) fn unlink_file_at(&self, path: &str) -> Result<(), FsError> {
        self.check_mutate()?;
        self.dir.remove_file_or_symlink(Path::new(path))?;
        Ok(())
    }

    /// `rename-at`: `old_path` beneath this directory to `new_path`
    /// beneath `new_dir`.
    pub(crate) fn rename_at(
        &self,
        old_path: &str,
        new_dir: &OpenDir,
        new_path: &str,
    ) -> Result<(), FsError> {
        self.check_mutate()?;
        new_dir.check_mutate()?;
        self.dir
            .rename(Path::new(old_path), &new_dir.dir, Path::new(new_path))?;
        Ok(())
    }

    /// `link-at`: a hard link at `new_path` beneath `new_dir` to
    /// `old_path` beneath this directory. Following a symlink at
    /// `old_path` is not supported (`invalid`): the link would have to be
    /// made to a file found through an open descriptor, which POSIX only
    /// allows privileged processes.
    pub(crate) fn link_at(
        &self,
        old_flags: PathFlags,
        old_path: &str,
        new_dir: &OpenDir,
        new_path: &str,
    ) -> Result<(), FsError> {
        self.check_mutate()?;
        new_dir.check_mutate()?;
        if follows(old_flags) {
            return Err(ErrorCode::Invalid.into());
        }
        self.dir
            .hard_link(Path::new(old_path), &new_dir.dir, Path::new(new_path))?;
        Ok(())
    }

    /// `symlink-at`: a symlink at `new_path` whose contents are
    /// `old_path`, which must be relative (`not-permitted` otherwise).
    /// Where it points is checked when it is followed, not now.
    pub(crate) fn symlink_at(&self, old_path: &str, new_path: &str) -> Result<(), FsError> {
        self.check_mutate()?;
        DirExt::symlink(&*self.dir, Path::new(old_path), Path::new(new_path))?;
        Ok(())
    }

    /// `readlink-at`: the contents of a symlink; `not-permitted` if they
    /// are an absolute path (which would tell the guest about the host's
    /// filesystem), `illegal-byte-sequence` if they are not UTF-8.
    pub(crate) fn readlink_at(&self, path: &str) -> Result<String, FsError> {
        self.check_read()?;
        let target = self.dir.read_link(Path::new(path))?;
        target
            .into_os_string()
            .into_string()
            .map_err(|_| ErrorCode::IllegalByteSequence.into())
    }
}
