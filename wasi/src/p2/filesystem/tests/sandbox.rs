//! The sandbox: no path escapes its directory descriptor (`..`, absolute
//! paths and symlinks, relative symlinks out), symlink loops fail with
//! `loop`, a read-only preopen refuses every change, and the table limit
//! holds.

use std::os::unix::fs::symlink;

use super::{Sandbox, b, code};
use crate::p2::bindings::wasi::clocks::wall_clock::Datetime;
use crate::p2::bindings::wasi::filesystem::types::{
    DescriptorFlags, ErrorCode, HostDescriptor, NewTimestamp, OpenFlags, PathFlags,
};
use crate::{DirPerms, FilePerms, WasiCtx};

const FOLLOW: PathFlags = PathFlags::SYMLINK_FOLLOW;
const NOFOLLOW: PathFlags = PathFlags::empty();
const READ: DescriptorFlags = DescriptorFlags::READ;

#[test]
fn dot_dot_cannot_leave_the_preopen() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.view()
        .create_directory_at(b(&root), "sub".into())
        .unwrap();
    s.create(&root, "f");
    for path in ["..", "../x", "sub/../..", "sub/../../x", "./../x"] {
        let opened = s.open(&root, path, OpenFlags::empty(), READ);
        assert_eq!(code(opened), ErrorCode::NotPermitted, "open-at {path}");
        let stat = s.view().stat_at(b(&root), FOLLOW, path.into());
        assert_eq!(code(stat), ErrorCode::NotPermitted, "stat-at {path}");
    }
    let mut v = s.view();
    assert_eq!(
        code(v.create_directory_at(b(&root), "../x".into())),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(v.rename_at(b(&root), "f".into(), b(&root), "../f".into())),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(v.unlink_file_at(b(&root), "../f".into())),
        ErrorCode::NotPermitted
    );
    // `..` that stays inside is fine.
    v.stat_at(b(&root), FOLLOW, "sub/../f".into()).unwrap();
    // A subdirectory's descriptor is the root of its own paths.
    let sub = s.open(&root, "sub", OpenFlags::DIRECTORY, READ).unwrap();
    assert_eq!(
        code(s.open(&sub, "../f", OpenFlags::empty(), READ)),
        ErrorCode::NotPermitted
    );
}

#[test]
fn absolute_paths_are_refused() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.create(&root, "f");
    let absolute = s.host("f").to_str().unwrap().to_owned();
    for path in ["/", "/etc/passwd", absolute.as_str()] {
        let opened = s.open(&root, path, OpenFlags::empty(), READ);
        assert_eq!(code(opened), ErrorCode::NotPermitted, "{path}");
    }
    let mut v = s.view();
    let symlink_to_absolute = v.symlink_at(b(&root), "/etc/passwd".into(), "l".into());
    assert_eq!(code(symlink_to_absolute), ErrorCode::NotPermitted);
}

#[test]
fn absolute_symlinks_are_not_followed() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.create(&root, "f");
    // Planted by the host (the guest cannot make one).
    symlink(s.host("f"), s.host("abs")).unwrap();
    symlink("/etc", s.host("etc")).unwrap();
    for path in ["abs", "etc", "etc/passwd"] {
        let opened = s.open(&root, path, OpenFlags::empty(), READ);
        assert_eq!(code(opened), ErrorCode::NotPermitted, "{path}");
        let stat = s.view().stat_at(b(&root), FOLLOW, path.into());
        assert_eq!(code(stat), ErrorCode::NotPermitted, "{path}");
    }
    let mut v = s.view();
    assert_eq!(
        code(v.readlink_at(b(&root), "abs".into())),
        ErrorCode::NotPermitted
    );
    // The link itself may be looked at and removed.
    v.stat_at(b(&root), NOFOLLOW, "abs".into()).unwrap();
    v.unlink_file_at(b(&root), "abs".into()).unwrap();
}

#[test]
fn relative_symlinks_out_of_the_preopen_are_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret"), "secret").unwrap();
    let mut s = Sandbox::new();
    let root = s.root();
    let up = format!(
        "../{}/secret",
        outside.path().file_name().unwrap().to_str().unwrap()
    );
    // Both may be made by the guest: where a link points is only checked
    // when it is followed.
    let mut v = s.view();
    v.create_directory_at(b(&root), "sub".into()).unwrap();
    v.symlink_at(b(&root), up.clone(), "out".into()).unwrap();
    v.symlink_at(b(&root), format!("../{up}"), "sub/out".into())
        .unwrap();
    v.symlink_at(b(&root), "..".into(), "parent".into())
        .unwrap();
    assert_eq!(v.readlink_at(b(&root), "out".into()).unwrap(), up);
    for path in ["out", "sub/out", "parent", "parent/x"] {
        let opened = s.open(&root, path, OpenFlags::empty(), READ);
        assert_eq!(code(opened), ErrorCode::NotPermitted, "{path}");
        let stat = s.view().stat_at(b(&root), FOLLOW, path.into());
        assert_eq!(code(stat), ErrorCode::NotPermitted, "{path}");
    }
    let rw = READ | DescriptorFlags::WRITE;
    let create = s.open(&root, "out", OpenFlags::CREATE | OpenFlags::TRUNCATE, rw);
    assert_eq!(code(create), ErrorCode::NotPermitted);
    // Nothing is changed through a link that leads out either.
    let outside_name = outside.path().file_name().unwrap().to_str().unwrap();
    let secret = format!("parent/{outside_name}/secret");
    s.create(&root, "f");
    let mut v = s.view();
    let refused = [
        code(v.create_directory_at(b(&root), "parent/x".into())),
        code(v.unlink_file_at(b(&root), secret.clone())),
        code(v.rename_at(b(&root), "f".into(), b(&root), "parent/f".into())),
        code(v.rename_at(b(&root), secret.clone(), b(&root), "stolen".into())),
        code(v.link_at(b(&root), NOFOLLOW, secret.clone(), b(&root), "l".into())),
        code(v.symlink_at(b(&root), "f".into(), "parent/l".into())),
        code(v.set_times_at(
            b(&root),
            FOLLOW,
            "out".into(),
            NewTimestamp::Now,
            NewTimestamp::Now,
        )),
        code(v.readlink_at(b(&root), "parent/x".into())),
    ];
    assert_eq!(refused, [ErrorCode::NotPermitted; 8]);
    assert_eq!(
        std::fs::read(outside.path().join("secret")).unwrap(),
        b"secret"
    );
}

#[test]
fn symlink_loops_fail_with_loop() {
    let mut s = Sandbox::new();
    let root = s.root();
    let mut v = s.view();
    v.symlink_at(b(&root), "self".into(), "self".into())
        .unwrap();
    v.symlink_at(b(&root), "b".into(), "a".into()).unwrap();
    v.symlink_at(b(&root), "a".into(), "b".into()).unwrap();
    for path in ["self", "a", "b/x"] {
        let opened = s.open(&root, path, OpenFlags::empty(), READ);
        assert_eq!(code(opened), ErrorCode::Loop, "{path}");
        let stat = s.view().stat_at(b(&root), FOLLOW, path.into());
        assert_eq!(code(stat), ErrorCode::Loop, "{path}");
    }
    // Not following the final link opens nothing: also `loop`.
    s.create(&root, "f");
    s.view()
        .symlink_at(b(&root), "f".into(), "l".into())
        .unwrap();
    let nofollow = s
        .view()
        .open_at(b(&root), NOFOLLOW, "l".into(), OpenFlags::empty(), READ);
    assert_eq!(code(nofollow), ErrorCode::Loop);
}

#[test]
fn a_read_only_preopen_refuses_every_change() {
    let mut s = Sandbox::with_perms(DirPerms::READ, FilePerms::READ);
    std::fs::write(s.host("f"), "original").unwrap();
    std::fs::create_dir(s.host("d")).unwrap();
    let root = s.root();
    assert_eq!(s.view().get_flags(b(&root)).unwrap(), READ);
    let f = s.open(&root, "f", OpenFlags::empty(), READ).unwrap();
    let rw = READ | DescriptorFlags::WRITE;
    let not_permitted = [
        code(s.open(&root, "f", OpenFlags::empty(), rw)),
        code(s.open(&root, "f", OpenFlags::TRUNCATE, rw)),
        code(s.open(&root, "new", OpenFlags::CREATE, rw)),
        code(s.open(
            &root,
            "d",
            OpenFlags::DIRECTORY,
            READ | DescriptorFlags::MUTATE_DIRECTORY,
        )),
    ];
    assert_eq!(not_permitted, [ErrorCode::NotPermitted; 4]);
    let mut v = s.view();
    let t = NewTimestamp::Timestamp(Datetime {
        seconds: 1,
        nanoseconds: 0,
    });
    let not_permitted = [
        code(v.write(b(&f), b"x".to_vec(), 0)),
        code(v.set_size(b(&f), 0)),
        code(v.write_via_stream(b(&f), 0)),
        code(v.append_via_stream(b(&f))),
        code(v.set_times(b(&f), t, t)),
        code(v.set_times(b(&root), t, t)),
        code(v.set_times_at(b(&root), FOLLOW, "f".into(), t, t)),
        code(v.create_directory_at(b(&root), "new".into())),
        code(v.remove_directory_at(b(&root), "d".into())),
        code(v.unlink_file_at(b(&root), "f".into())),
        code(v.rename_at(b(&root), "f".into(), b(&root), "g".into())),
        code(v.link_at(b(&root), NOFOLLOW, "f".into(), b(&root), "g".into())),
        code(v.symlink_at(b(&root), "f".into(), "g".into())),
    ];
    assert_eq!(not_permitted, [ErrorCode::NotPermitted; 13]);
    // Reading still works.
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"original");
    v.stat_at(b(&root), FOLLOW, "d".into()).unwrap();
    // A directory opened beneath has the preopen's limits.
    let d = s.open(&root, "d", OpenFlags::DIRECTORY, READ).unwrap();
    assert_eq!(
        code(s.view().create_directory_at(b(&d), "x".into())),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(s.open(&d, "new", OpenFlags::CREATE, rw)),
        ErrorCode::NotPermitted
    );
    assert_eq!(std::fs::read(s.host("f")).unwrap(), b"original");
    assert!(!s.host("new").exists() && !s.host("g").exists());
}

#[test]
fn read_only_files_under_a_mutable_directory() {
    let mut s = Sandbox::with_perms(DirPerms::all(), FilePerms::READ);
    std::fs::write(s.host("f"), "original").unwrap();
    let root = s.root();
    let rw = READ | DescriptorFlags::WRITE;
    assert_eq!(
        code(s.open(&root, "f", OpenFlags::empty(), rw)),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(s.open(&root, "f", OpenFlags::TRUNCATE, READ)),
        ErrorCode::NotPermitted
    );
    // Entries may still change.
    let mut v = s.view();
    v.rename_at(b(&root), "f".into(), b(&root), "g".into())
        .unwrap();
    v.create_directory_at(b(&root), "d".into()).unwrap();
    assert_eq!(std::fs::read(s.host("g")).unwrap(), b"original");
}

#[test]
fn a_preopen_without_read_refuses_lookups() {
    let mut s = Sandbox::with_perms(DirPerms::MUTATE, FilePerms::all());
    std::fs::write(s.host("f"), "x").unwrap();
    let root = s.root();
    assert_eq!(
        code(s.open(&root, "f", OpenFlags::empty(), READ)),
        ErrorCode::NotPermitted
    );
    let mut v = s.view();
    assert_eq!(code(v.read_directory(b(&root))), ErrorCode::NotPermitted);
    assert_eq!(
        code(v.stat_at(b(&root), FOLLOW, "f".into())),
        ErrorCode::NotPermitted
    );
    assert_eq!(
        code(v.readlink_at(b(&root), "f".into())),
        ErrorCode::NotPermitted
    );
}

#[test]
fn writes_are_refused_without_file_write_permission() {
    let mut s = Sandbox::with_perms(DirPerms::all(), FilePerms::NONE);
    std::fs::write(s.host("f"), "x").unwrap();
    let root = s.root();
    // Opening is a lookup; reading is the file permission's.
    let f = s.open(&root, "f", OpenFlags::empty(), READ).unwrap();
    assert_eq!(code(s.view().read(b(&f), 1, 0)), ErrorCode::NotPermitted);
    assert_eq!(
        code(s.view().read_via_stream(b(&f), 0)),
        ErrorCode::NotPermitted
    );
}

#[test]
fn the_resource_limit_holds() {
    let dir = tempfile::tempdir().unwrap();
    let mut ctx = WasiCtx::builder()
        .preopened_dir(dir.path(), "/", DirPerms::all(), FilePerms::all())
        .unwrap()
        .max_resources(3)
        .build();
    let mut table = wit_host::ResourceTable::new();
    let mut v = crate::WasiCtxView {
        ctx: &mut ctx,
        table: &mut table,
    };
    let root = crate::p2::bindings::wasi::filesystem::preopens::Host::get_directories(&mut v)
        .unwrap()
        .remove(0)
        .0;
    let open = |v: &mut crate::WasiCtxView<'_>| {
        v.open_at(b(&root), FOLLOW, ".".into(), OpenFlags::DIRECTORY, READ)
    };
    open(&mut v).unwrap();
    open(&mut v).unwrap();
    let err = open(&mut v).unwrap_err();
    assert!(err.code().is_none(), "a full table traps: {err}");
    assert!(v.read_directory(b(&root)).unwrap_err().code().is_none());
}
