//! Directory entries and metadata: `open-at` flags, `create-directory-at`,
//! `read-directory`, `rename-at`, `unlink-file-at`, `remove-directory-at`,
//! `link-at`, `symlink-at`, `readlink-at`, `stat(-at)`, `set-times(-at)`,
//! `metadata-hash(-at)`, `is-same-object`.

use super::{Sandbox, b, code};
use crate::p2::bindings::wasi::clocks::wall_clock::Datetime;
use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorFlags, DescriptorType, DirectoryEntry, ErrorCode, HostDescriptor,
    HostDirectoryEntryStream, NewTimestamp, OpenFlags, PathFlags,
};

const FOLLOW: PathFlags = PathFlags::SYMLINK_FOLLOW;
const NOFOLLOW: PathFlags = PathFlags::empty();

#[test]
fn open_flags() {
    let mut s = Sandbox::new();
    let root = s.root();
    let rw = DescriptorFlags::READ | DescriptorFlags::WRITE;
    assert_eq!(
        code(s.open(&root, "f", OpenFlags::empty(), rw)),
        ErrorCode::NoEntry
    );
    let f = s.open(&root, "f", OpenFlags::CREATE, rw).unwrap();
    s.view().write(b(&f), b"data".to_vec(), 0).unwrap();
    let excl = OpenFlags::CREATE | OpenFlags::EXCLUSIVE;
    assert_eq!(code(s.open(&root, "f", excl, rw)), ErrorCode::Exist);
    // `create` alone opens what exists, without truncating it.
    let again = s.open(&root, "f", OpenFlags::CREATE, rw).unwrap();
    assert_eq!(s.view().stat(b(&again)).unwrap().size, 4);
    let trunc = s.open(&root, "f", OpenFlags::TRUNCATE, rw).unwrap();
    assert_eq!(s.view().stat(b(&trunc)).unwrap().size, 0);
    // `directory` wants a directory.
    let dir = OpenFlags::DIRECTORY;
    assert_eq!(
        code(s.open(&root, "f", dir, DescriptorFlags::READ)),
        ErrorCode::NotDirectory
    );
    let create_dir = OpenFlags::DIRECTORY | OpenFlags::CREATE;
    assert_eq!(
        code(s.open(&root, "d", create_dir, DescriptorFlags::READ)),
        ErrorCode::Invalid
    );
    // Opening a directory (with or without `directory`) gives a directory
    // descriptor; writing one is refused.
    s.view().create_directory_at(b(&root), "d".into()).unwrap();
    for open_flags in [OpenFlags::empty(), OpenFlags::DIRECTORY] {
        let d = s
            .open(&root, "d", open_flags, DescriptorFlags::READ)
            .unwrap();
        assert_eq!(s.view().get_type(b(&d)).unwrap(), DescriptorType::Directory);
        assert_eq!(s.view().get_flags(b(&d)).unwrap(), DescriptorFlags::READ);
        let w = s.open(&root, "d", open_flags, DescriptorFlags::WRITE);
        assert_eq!(code(w), ErrorCode::IsDirectory);
    }
    let mutate = DescriptorFlags::READ | DescriptorFlags::MUTATE_DIRECTORY;
    let d = s.open(&root, "d", OpenFlags::DIRECTORY, mutate).unwrap();
    assert_eq!(s.view().get_flags(b(&d)).unwrap(), mutate);
    // A file's path through a file is no path.
    let through_file = s.open(&root, "f/x", OpenFlags::empty(), DescriptorFlags::READ);
    assert_eq!(code(through_file), ErrorCode::NotDirectory);
    let mut v = s.view();
    assert_eq!(
        code(v.create_directory_at(b(&f), "x".into())),
        ErrorCode::NotDirectory
    );
}

#[test]
fn directories_are_created_listed_and_removed() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.create(&root, "file");
    let mut v = s.view();
    v.create_directory_at(b(&root), "sub".into()).unwrap();
    v.create_directory_at(b(&root), "sub/inner".into()).unwrap();
    assert_eq!(
        code(v.create_directory_at(b(&root), "sub".into())),
        ErrorCode::Exist
    );
    v.symlink_at(b(&root), "file".into(), "link".into())
        .unwrap();

    let stream = v.read_directory(b(&root)).unwrap();
    let mut entries = Vec::new();
    while let Some(entry) = v.read_directory_entry(b(&stream)).unwrap() {
        entries.push(entry);
    }
    HostDirectoryEntryStream::drop(&mut v, stream).unwrap();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    let entry = |name: &str, type_| DirectoryEntry {
        type_,
        name: name.into(),
    };
    assert_eq!(
        entries,
        [
            entry("file", DescriptorType::RegularFile),
            entry("link", DescriptorType::SymbolicLink),
            entry("sub", DescriptorType::Directory),
        ]
    );

    assert_eq!(
        code(v.remove_directory_at(b(&root), "sub".into())),
        ErrorCode::NotEmpty
    );
    assert_eq!(
        code(v.remove_directory_at(b(&root), "file".into())),
        ErrorCode::NotDirectory
    );
    assert_eq!(
        code(v.unlink_file_at(b(&root), "sub".into())),
        ErrorCode::IsDirectory
    );
    v.remove_directory_at(b(&root), "sub/inner".into()).unwrap();
    v.remove_directory_at(b(&root), "sub".into()).unwrap();
    // Unlinking a symlink removes the link, not its target.
    v.unlink_file_at(b(&root), "link".into()).unwrap();
    assert_eq!(
        v.stat_at(b(&root), NOFOLLOW, "file".into()).unwrap().size,
        0
    );
    v.unlink_file_at(b(&root), "file".into()).unwrap();
    assert_eq!(
        code(v.unlink_file_at(b(&root), "file".into())),
        ErrorCode::NoEntry
    );

    let stream = v.read_directory(b(&root)).unwrap();
    assert_eq!(v.read_directory_entry(b(&stream)).unwrap(), None);
}

#[test]
fn a_subdirectory_descriptor_lists_its_own_entries() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.view()
        .create_directory_at(b(&root), "sub".into())
        .unwrap();
    s.create(&root, "sub/x");
    let sub = s
        .open(&root, "sub", OpenFlags::DIRECTORY, DescriptorFlags::READ)
        .unwrap();
    let mut v = s.view();
    let stream = v.read_directory(b(&sub)).unwrap();
    // The stream has its own handle: dropping the descriptor keeps it.
    HostDescriptor::drop(&mut v, sub).unwrap();
    let first = v.read_directory_entry(b(&stream)).unwrap().unwrap();
    assert_eq!(first.name, "x");
    assert_eq!(v.read_directory_entry(b(&stream)).unwrap(), None);
}

#[test]
fn rename_link_and_symlink() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "a");
    let mut v = s.view();
    v.write(b(&f), b"content".to_vec(), 0).unwrap();
    v.create_directory_at(b(&root), "d".into()).unwrap();
    v.rename_at(b(&root), "a".into(), b(&root), "d/b".into())
        .unwrap();
    assert_eq!(
        code(v.stat_at(b(&root), FOLLOW, "a".into())),
        ErrorCode::NoEntry
    );
    assert_eq!(v.stat_at(b(&root), FOLLOW, "d/b".into()).unwrap().size, 7);
    // The open descriptor follows the file.
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"content");

    v.link_at(b(&root), NOFOLLOW, "d/b".into(), b(&root), "c".into())
        .unwrap();
    assert_eq!(
        v.stat_at(b(&root), FOLLOW, "c".into()).unwrap().link_count,
        2
    );
    assert_eq!(v.stat(b(&f)).unwrap().link_count, 2);
    assert_eq!(
        code(v.link_at(b(&root), NOFOLLOW, "c".into(), b(&root), "d/b".into())),
        ErrorCode::Exist
    );
    assert_eq!(
        code(v.link_at(b(&root), NOFOLLOW, "nope".into(), b(&root), "e".into())),
        ErrorCode::NoEntry
    );
    assert_eq!(
        code(v.link_at(b(&root), NOFOLLOW, "d".into(), b(&root), "e".into())),
        ErrorCode::NotPermitted
    );

    v.symlink_at(b(&root), "d/b".into(), "s".into()).unwrap();
    assert_eq!(v.readlink_at(b(&root), "s".into()).unwrap(), "d/b");
    let link = v.stat_at(b(&root), NOFOLLOW, "s".into()).unwrap();
    assert_eq!(link.type_, DescriptorType::SymbolicLink);
    assert_eq!(link.size, 3);
    let target = v.stat_at(b(&root), FOLLOW, "s".into()).unwrap();
    assert_eq!(target.type_, DescriptorType::RegularFile);
    assert_eq!(
        code(v.readlink_at(b(&root), "c".into())),
        ErrorCode::Invalid
    );
    let opened = s
        .open(&root, "s", OpenFlags::empty(), DescriptorFlags::READ)
        .unwrap();
    assert_eq!(s.view().read(b(&opened), 100, 0).unwrap().0, b"content");
}

#[test]
fn stat_and_times() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "f");
    let mut v = s.view();
    let t = |seconds| {
        NewTimestamp::Timestamp(Datetime {
            seconds,
            nanoseconds: 500,
        })
    };
    v.set_times(b(&f), t(1_000_000), t(2_000_000)).unwrap();
    let stat = v.stat(b(&f)).unwrap();
    assert_eq!(stat.data_access_timestamp.unwrap().seconds, 1_000_000);
    assert_eq!(stat.data_modification_timestamp.unwrap().seconds, 2_000_000);
    assert!(stat.status_change_timestamp.is_some());
    // `no-change` leaves a time as it is.
    v.set_times_at(
        b(&root),
        FOLLOW,
        "f".into(),
        NewTimestamp::NoChange,
        t(3_000_000),
    )
    .unwrap();
    let stat = v.stat_at(b(&root), FOLLOW, "f".into()).unwrap();
    assert_eq!(stat.data_access_timestamp.unwrap().seconds, 1_000_000);
    assert_eq!(stat.data_modification_timestamp.unwrap().seconds, 3_000_000);
    v.set_times(b(&root), NewTimestamp::Now, NewTimestamp::Now)
        .unwrap();
    let now = v
        .stat(b(&root))
        .unwrap()
        .data_modification_timestamp
        .unwrap();
    assert!(now.seconds > 1_600_000_000);
    let bad = NewTimestamp::Timestamp(Datetime {
        seconds: 0,
        nanoseconds: 2_000_000_000,
    });
    assert_eq!(
        code(v.set_times(b(&f), bad, NewTimestamp::NoChange)),
        ErrorCode::Invalid
    );
    // The symlink's own times, without touching its target.
    v.symlink_at(b(&root), "f".into(), "s".into()).unwrap();
    v.set_times_at(b(&root), NOFOLLOW, "s".into(), t(5), t(6))
        .unwrap();
    let link = v.stat_at(b(&root), NOFOLLOW, "s".into()).unwrap();
    assert_eq!(link.data_modification_timestamp.unwrap().seconds, 6);
    let target = v.stat_at(b(&root), FOLLOW, "s".into()).unwrap();
    assert_eq!(
        target.data_modification_timestamp.unwrap().seconds,
        3_000_000
    );
}

#[test]
fn metadata_hashes_and_identity() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "f");
    s.create(&root, "g");
    let f2 = s
        .open(&root, "f", OpenFlags::empty(), DescriptorFlags::READ)
        .unwrap();
    let mut v = s.view();
    let hash = v.metadata_hash(b(&f)).unwrap();
    assert_eq!(v.metadata_hash(b(&f2)).unwrap(), hash);
    assert_eq!(
        v.metadata_hash_at(b(&root), FOLLOW, "f".into()).unwrap(),
        hash
    );
    assert_ne!(
        v.metadata_hash_at(b(&root), FOLLOW, "g".into()).unwrap(),
        hash
    );
    assert_ne!(hash.lower, hash.upper);
    v.write(b(&f), b"changed".to_vec(), 0).unwrap();
    assert_ne!(v.metadata_hash(b(&f)).unwrap(), hash);

    assert!(v.is_same_object(b(&f), b(&f2)).unwrap());
    assert!(v.is_same_object(b(&f), b(&f)).unwrap());
    assert!(!v.is_same_object(b(&f), b(&root)).unwrap());
    let g = s
        .open(&root, "g", OpenFlags::empty(), DescriptorFlags::READ)
        .unwrap();
    assert!(!s.view().is_same_object(b(&f), b(&g)).unwrap());
}

#[test]
fn create_and_truncate_without_write() {
    let mut s = Sandbox::new();
    let root = s.root();
    let read = DescriptorFlags::READ;
    // `create` makes the file whatever the access mode, as POSIX does; the
    // descriptor still cannot write.
    let f = s.open(&root, "new", OpenFlags::CREATE, read).unwrap();
    assert_eq!(s.view().get_flags(b(&f)).unwrap(), read);
    assert_eq!(
        code(s.view().write(b(&f), b"x".to_vec(), 0)),
        ErrorCode::BadDescriptor
    );
    // Opening it again with `create` opens what exists.
    std::fs::write(s.host("new"), "kept").unwrap();
    let again = s.open(&root, "new", OpenFlags::CREATE, read).unwrap();
    assert_eq!(s.view().read(b(&again), 10, 0).unwrap().0, b"kept");
    let excl = OpenFlags::CREATE | OpenFlags::EXCLUSIVE;
    assert_eq!(code(s.open(&root, "new", excl, read)), ErrorCode::Exist);
    s.open(&root, "other", excl, read).unwrap();
    assert!(s.host("other").is_file());
    // `truncate` truncates, as on Linux.
    let t = s.open(&root, "new", OpenFlags::TRUNCATE, read).unwrap();
    assert_eq!(s.view().stat(b(&t)).unwrap().size, 0);
    // Neither makes a directory a file.
    s.view().create_directory_at(b(&root), "d".into()).unwrap();
    assert_eq!(
        code(s.open(&root, "d", OpenFlags::CREATE, read)),
        ErrorCode::IsDirectory
    );
    assert_eq!(
        code(s.open(&root, "d", OpenFlags::TRUNCATE, read)),
        ErrorCode::IsDirectory
    );
}
