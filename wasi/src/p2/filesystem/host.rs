//! The host functions of the `descriptor` resource: each finds its
//! descriptor(s) in the table (a stale handle traps) and hands the work to
//! the module of its concern (`file`, `dir`, `open`, `stat`, `readdir`).
//! New resources (descriptors, streams, directory streams) enter the table
//! within the context's `max_resources`; streams and directory streams are
//! not children of their descriptor, which may be dropped before them.

use cap_fs_ext::OsMetadataExt;
use wit_host::{Context, Resource, Result};

use crate::p2::bindings::wasi::filesystem::types::{
    Advice, DescriptorFlags, DescriptorStat, DescriptorType, Filesize, HostDescriptor,
    MetadataHashValue, NewTimestamp, OpenFlags, PathFlags,
};
use crate::p2::filesystem::{Descriptor, FsError, ReaddirIterator};
use crate::p2::{DynInputStream, DynOutputStream};
use crate::view::WasiCtxView;

impl WasiCtxView<'_> {
    /// The descriptor `fd` names.
    fn descriptor(&self, fd: &Resource<Descriptor>) -> Result<&Descriptor, FsError> {
        Ok(self.table.get(fd)?)
    }
}

impl HostDescriptor for WasiCtxView<'_> {
    fn read_via_stream(
        &mut self,
        self_: Resource<Descriptor>,
        offset: Filesize,
    ) -> Result<Resource<DynInputStream>, FsError> {
        let stream = self.descriptor(&self_)?.as_file()?.read_stream(offset)?;
        Ok(self.push::<DynInputStream>(Box::new(stream))?)
    }

    fn write_via_stream(
        &mut self,
        self_: Resource<Descriptor>,
        offset: Filesize,
    ) -> Result<Resource<DynOutputStream>, FsError> {
        let stream = self.descriptor(&self_)?.as_file()?.write_stream(offset)?;
        Ok(self.push::<DynOutputStream>(Box::new(stream))?)
    }

    fn append_via_stream(
        &mut self,
        self_: Resource<Descriptor>,
    ) -> Result<Resource<DynOutputStream>, FsError> {
        let stream = self.descriptor(&self_)?.as_file()?.append_stream()?;
        Ok(self.push::<DynOutputStream>(Box::new(stream))?)
    }

    fn advise(
        &mut self,
        self_: Resource<Descriptor>,
        offset: Filesize,
        length: Filesize,
        advice: Advice,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?
            .as_file()?
            .advise(offset, length, advice)
    }

    fn sync_data(&mut self, self_: Resource<Descriptor>) -> Result<(), FsError> {
        self.descriptor(&self_)?.sync(false)
    }

    fn get_flags(&mut self, self_: Resource<Descriptor>) -> Result<DescriptorFlags, FsError> {
        Ok(self.descriptor(&self_)?.flags())
    }

    fn get_type(&mut self, self_: Resource<Descriptor>) -> Result<DescriptorType, FsError> {
        self.descriptor(&self_)?.descriptor_type()
    }

    fn set_size(&mut self, self_: Resource<Descriptor>, size: Filesize) -> Result<(), FsError> {
        self.descriptor(&self_)?.as_file()?.set_size(size)
    }

    fn set_times(
        &mut self,
        self_: Resource<Descriptor>,
        data_access_timestamp: NewTimestamp,
        data_modification_timestamp: NewTimestamp,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?
            .set_times(data_access_timestamp, data_modification_timestamp)
    }

    fn read(
        &mut self,
        self_: Resource<Descriptor>,
        length: Filesize,
        offset: Filesize,
    ) -> Result<(Vec<u8>, bool), FsError> {
        self.descriptor(&self_)?.as_file()?.read(length, offset)
    }

    fn write(
        &mut self,
        self_: Resource<Descriptor>,
        buffer: Vec<u8>,
        offset: Filesize,
    ) -> Result<Filesize, FsError> {
        self.descriptor(&self_)?.as_file()?.write(&buffer, offset)
    }

    fn read_directory(
        &mut self,
        self_: Resource<Descriptor>,
    ) -> Result<Resource<ReaddirIterator>, FsError> {
        let entries = self.descriptor(&self_)?.as_dir()?.read_directory()?;
        Ok(self.push(entries)?)
    }

    fn sync(&mut self, self_: Resource<Descriptor>) -> Result<(), FsError> {
        self.descriptor(&self_)?.sync(true)
    }

    fn create_directory_at(
        &mut self,
        self_: Resource<Descriptor>,
        path: String,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?
            .as_dir()?
            .create_directory_at(&path)
    }

    fn stat(&mut self, self_: Resource<Descriptor>) -> Result<DescriptorStat, FsError> {
        self.descriptor(&self_)?.stat()
    }

    fn stat_at(
        &mut self,
        self_: Resource<Descriptor>,
        path_flags: PathFlags,
        path: String,
    ) -> Result<DescriptorStat, FsError> {
        self.descriptor(&self_)?
            .as_dir()?
            .stat_at(path_flags, &path)
    }

    fn set_times_at(
        &mut self,
        self_: Resource<Descriptor>,
        path_flags: PathFlags,
        path: String,
        data_access_timestamp: NewTimestamp,
        data_modification_timestamp: NewTimestamp,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?.as_dir()?.set_times_at(
            path_flags,
            &path,
            data_access_timestamp,
            data_modification_timestamp,
        )
    }

    fn link_at(
        &mut self,
        self_: Resource<Descriptor>,
        old_path_flags: PathFlags,
        old_path: String,
        new_descriptor: Resource<Descriptor>,
        new_path: String,
    ) -> Result<(), FsError> {
        let old_dir = self.descriptor(&self_)?.as_dir()?;
        let new_dir = self.descriptor(&new_descriptor)?.as_dir()?;
        old_dir.link_at(old_path_flags, &old_path, new_dir, &new_path)
    }

    fn open_at(
        &mut self,
        self_: Resource<Descriptor>,
        path_flags: PathFlags,
        path: String,
        open_flags: OpenFlags,
        flags: DescriptorFlags,
    ) -> Result<Resource<Descriptor>, FsError> {
        let opened = self
            .descriptor(&self_)?
            .as_dir()?
            .open_at(path_flags, &path, open_flags, flags)?;
        Ok(self.push(opened)?)
    }

    fn readlink_at(
        &mut self,
        self_: Resource<Descriptor>,
        path: String,
    ) -> Result<String, FsError> {
        self.descriptor(&self_)?.as_dir()?.readlink_at(&path)
    }

    fn remove_directory_at(
        &mut self,
        self_: Resource<Descriptor>,
        path: String,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?
            .as_dir()?
            .remove_directory_at(&path)
    }

    fn rename_at(
        &mut self,
        self_: Resource<Descriptor>,
        old_path: String,
        new_descriptor: Resource<Descriptor>,
        new_path: String,
    ) -> Result<(), FsError> {
        let old_dir = self.descriptor(&self_)?.as_dir()?;
        let new_dir = self.descriptor(&new_descriptor)?.as_dir()?;
        old_dir.rename_at(&old_path, new_dir, &new_path)
    }

    fn symlink_at(
        &mut self,
        self_: Resource<Descriptor>,
        old_path: String,
        new_path: String,
    ) -> Result<(), FsError> {
        self.descriptor(&self_)?
            .as_dir()?
            .symlink_at(&old_path, &new_path)
    }

    fn unlink_file_at(&mut self, self_: Resource<Descriptor>, path: String) -> Result<(), FsError> {
        self.descriptor(&self_)?.as_dir()?.unlink_file_at(&path)
    }

    fn is_same_object(
        &mut self,
        self_: Resource<Descriptor>,
        other: Resource<Descriptor>,
    ) -> Result<bool> {
        let a = self.table.get(&self_)?;
        let b = self.table.get(&other)?;
        if self_.rep() == other.rep() {
            return Ok(true);
        }
        // WASI gives this function no error code: a failure to stat an
        // open descriptor (which does not happen in practice) traps.
        let a = a
            .metadata()
            .context("is-same-object: cannot stat the descriptor")?;
        let b = b
            .metadata()
            .context("is-same-object: cannot stat the other descriptor")?;
        Ok(a.dev() == b.dev() && a.ino() == b.ino())
    }

    fn metadata_hash(&mut self, self_: Resource<Descriptor>) -> Result<MetadataHashValue, FsError> {
        self.descriptor(&self_)?.metadata_hash()
    }

    fn metadata_hash_at(
        &mut self,
        self_: Resource<Descriptor>,
        path_flags: PathFlags,
        path: String,
    ) -> Result<MetadataHashValue, FsError> {
        self.descriptor(&self_)?
            .as_dir()?
            .metadata_hash_at(path_flags, &path)
    }

    fn drop(&mut self, rep: Resource<Descriptor>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}
