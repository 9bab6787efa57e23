//! Tests of `wasi:filesystem` through its host traits, on a temporary
//! directory preopened as `/`: file contents and streams (`files`),
//! directory entries and metadata (`dirs`), and the sandbox: escapes,
//! symlinks, permissions, limits (`sandbox`).

mod dirs;
mod files;
mod sandbox;

use std::fmt::Debug;
use std::path::PathBuf;

use wit_host::{Resource, ResourceTable};

use crate::p2::bindings::wasi::filesystem::preopens::Host as _;
use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorFlags, ErrorCode, HostDescriptor, OpenFlags, PathFlags,
};
use crate::p2::filesystem::{Descriptor, FsError};
use crate::{DirPerms, FilePerms, WasiCtx, WasiCtxView};

/// A context with one temporary directory preopened as `/`.
struct Sandbox {
    dir: tempfile::TempDir,
    ctx: WasiCtx,
    table: ResourceTable,
}

impl Sandbox {
    /// A sandbox that allows everything.
    fn new() -> Sandbox {
        Sandbox::with_perms(DirPerms::all(), FilePerms::all())
    }

    /// A sandbox with these permissions.
    fn with_perms(dir_perms: DirPerms, file_perms: FilePerms) -> Sandbox {
        let dir = tempfile::tempdir().unwrap();
        let ctx = WasiCtx::builder()
            .preopened_dir(dir.path(), "/", dir_perms, file_perms)
            .unwrap()
            .build();
        Sandbox {
            dir,
            ctx,
            table: ResourceTable::new(),
        }
    }

    fn view(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }

    /// The preopen's descriptor, as the guest gets it.
    fn root(&mut self) -> Resource<Descriptor> {
        let mut dirs = self.view().get_directories().unwrap();
        assert_eq!(dirs.len(), 1);
        let (root, name) = dirs.remove(0);
        assert_eq!(name, "/");
        root
    }

    /// The host path of `rel` in the sandbox.
    fn host(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `open-at` following symlinks.
    fn open(
        &mut self,
        dir: &Resource<Descriptor>,
        path: &str,
        open_flags: OpenFlags,
        flags: DescriptorFlags,
    ) -> Result<Resource<Descriptor>, FsError> {
        let follow = PathFlags::SYMLINK_FOLLOW;
        self.view()
            .open_at(b(dir), follow, path.into(), open_flags, flags)
    }

    /// Creates (or truncates) `path` for reading and writing.
    fn create(&mut self, dir: &Resource<Descriptor>, path: &str) -> Resource<Descriptor> {
        let rw = DescriptorFlags::READ | DescriptorFlags::WRITE;
        self.open(dir, path, OpenFlags::CREATE | OpenFlags::TRUNCATE, rw)
            .unwrap()
    }
}

/// A borrowed copy of a handle, as a guest passes `borrow<descriptor>`.
fn b<T: 'static>(r: &Resource<T>) -> Resource<T> {
    Resource::new_borrow(r.rep())
}

/// The error code of a failed call (not a trap).
fn code<T: Debug>(result: Result<T, FsError>) -> ErrorCode {
    result
        .unwrap_err()
        .code()
        .expect("an error code, not a trap")
}
