//! `wasi:filesystem/preopens`: the directories the host granted, each a
//! new directory descriptor with the preopen's permissions, under the name
//! the guest knows it by.

use std::sync::Arc;

use wit_host::{Resource, Result};

use crate::p2::bindings::wasi::filesystem::preopens::Host;
use crate::p2::filesystem::descriptor::{Descriptor, OpenDir};
use crate::view::WasiCtxView;
use crate::{DirPerms, FilePerms};

/// A directory the host granted (see
/// [`WasiCtxBuilder::preopened_dir`](crate::WasiCtxBuilder::preopened_dir)).
pub(crate) struct Preopen {
    /// The host directory, shared by every descriptor of it.
    pub dir: Arc<cap_std::fs::Dir>,
    /// What the guest may do with the directories beneath.
    pub dir_perms: DirPerms,
    /// What the guest may do with the files beneath.
    pub file_perms: FilePerms,
    /// The name the guest knows it by.
    pub guest_path: String,
}

impl Preopen {
    /// A new descriptor of the directory. Its flags say what the
    /// permissions allow: `read` with [`DirPerms::READ`],
    /// `mutate-directory` with [`DirPerms::MUTATE`].
    fn descriptor(&self) -> Descriptor {
        Descriptor::dir(OpenDir {
            dir: self.dir.clone(),
            perms: self.dir_perms,
            file_perms: self.file_perms,
            read: self.dir_perms.contains(DirPerms::READ),
            mutate: self.dir_perms.contains(DirPerms::MUTATE),
        })
    }
}

impl Host for WasiCtxView<'_> {
    fn get_directories(&mut self) -> Result<Vec<(Resource<Descriptor>, String)>> {
        let mut dirs = Vec::with_capacity(self.ctx.preopens.len());
        for i in 0..self.ctx.preopens.len() {
            let preopen = &self.ctx.preopens[i];
            let (descriptor, name) = (preopen.descriptor(), preopen.guest_path.clone());
            dirs.push((self.push(descriptor)?, name));
        }
        Ok(dirs)
    }
}
