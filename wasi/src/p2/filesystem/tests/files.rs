//! File contents: `read`/`write` at offsets, `set-size`, the streams, the
//! descriptor flags that bound them, and `filesystem-error-code`.

use wit_host::Resource;

use super::{Sandbox, b, code};
use crate::p2::bindings::wasi::filesystem::types::{
    Advice, DescriptorFlags, DescriptorType, ErrorCode, Host as _, HostDescriptor, OpenFlags,
};
use crate::p2::bindings::wasi::io::streams as io;
use crate::p2::io::streams::MAX_READ;
use crate::p2::{IoError, StreamError};

#[test]
fn write_then_read_at_offsets() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "a.txt");
    let mut v = s.view();
    assert_eq!(v.write(b(&f), b"hello world".to_vec(), 0).unwrap(), 11);
    assert_eq!(v.read(b(&f), 5, 6).unwrap(), (b"world".to_vec(), false));
    // Asking past the end returns what there is, and says so.
    assert_eq!(v.read(b(&f), 100, 6).unwrap(), (b"world".to_vec(), true));
    assert_eq!(v.read(b(&f), 10, 11).unwrap(), (Vec::new(), true));
    assert_eq!(v.read(b(&f), 10, 1 << 40).unwrap(), (Vec::new(), true));
    // An offset past what the OS can address is invalid.
    assert_eq!(code(v.read(b(&f), 10, u64::MAX)), ErrorCode::Invalid);
    assert_eq!(
        code(v.write(b(&f), b"x".to_vec(), u64::MAX)),
        ErrorCode::Invalid
    );
    // `write` at an offset overwrites there, and leaves the rest.
    assert_eq!(v.write(b(&f), b"W".to_vec(), 6).unwrap(), 1);
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"hello World");
    assert_eq!(v.get_type(b(&f)).unwrap(), DescriptorType::RegularFile);
    assert_eq!(std::fs::read(s.host("a.txt")).unwrap(), b"hello World");
}

#[test]
fn writing_past_the_end_fills_with_zeros() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "sparse");
    let mut v = s.view();
    assert_eq!(v.write(b(&f), b"x".to_vec(), 10).unwrap(), 1);
    assert_eq!(v.stat(b(&f)).unwrap().size, 11);
    let mut expected = vec![0; 10];
    expected.push(b'x');
    assert_eq!(v.read(b(&f), 100, 0).unwrap(), (expected, true));
}

#[test]
fn set_size_truncates_and_extends() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "f");
    let mut v = s.view();
    v.write(b(&f), b"abcdef".to_vec(), 0).unwrap();
    v.set_size(b(&f), 3).unwrap();
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"abc");
    v.set_size(b(&f), 5).unwrap();
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"abc\0\0");
    assert_eq!(v.stat(b(&f)).unwrap().size, 5);
}

#[test]
fn a_huge_read_is_bounded() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "big");
    let mut v = s.view();
    let data = vec![7u8; 3 * MAX_READ];
    assert_eq!(v.write(b(&f), data, 0).unwrap(), 3 * MAX_READ as u64);
    // The guest asks for 4 GiB and more: it gets at most MAX_READ bytes.
    for len in [1 << 32, u64::MAX] {
        let (bytes, eof) = v.read(b(&f), len, 0).unwrap();
        assert_eq!(bytes.len(), MAX_READ);
        assert!(!eof);
    }
    // So does a stream.
    let stream = v.read_via_stream(b(&f), 0).unwrap();
    assert_eq!(
        io::HostInputStream::read(&mut v, b(&stream), u64::MAX)
            .unwrap()
            .len(),
        MAX_READ
    );
    assert_eq!(
        io::HostInputStream::skip(&mut v, b(&stream), u64::MAX).unwrap(),
        MAX_READ as u64
    );
}

#[test]
fn descriptor_flags_bound_reads_and_writes() {
    let mut s = Sandbox::new();
    let root = s.root();
    s.create(&root, "f");
    let read_only = s
        .open(&root, "f", OpenFlags::empty(), DescriptorFlags::READ)
        .unwrap();
    let write_only = s
        .open(&root, "f", OpenFlags::empty(), DescriptorFlags::WRITE)
        .unwrap();
    let neither = s
        .open(&root, "f", OpenFlags::empty(), DescriptorFlags::empty())
        .unwrap();
    let mut v = s.view();
    assert_eq!(v.get_flags(b(&read_only)).unwrap(), DescriptorFlags::READ);
    assert_eq!(v.get_flags(b(&write_only)).unwrap(), DescriptorFlags::WRITE);
    assert_eq!(
        code(v.write(b(&read_only), b"x".to_vec(), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(code(v.set_size(b(&read_only), 0)), ErrorCode::BadDescriptor);
    assert_eq!(
        code(v.write_via_stream(b(&read_only), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(
        code(v.append_via_stream(b(&read_only))),
        ErrorCode::BadDescriptor
    );
    assert_eq!(code(v.read(b(&write_only), 1, 0)), ErrorCode::BadDescriptor);
    assert_eq!(
        code(v.read_via_stream(b(&write_only), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(code(v.read(b(&neither), 1, 0)), ErrorCode::BadDescriptor);
    assert_eq!(
        code(v.write(b(&neither), b"x".to_vec(), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(v.write(b(&write_only), b"ok".to_vec(), 0).unwrap(), 2);
    assert_eq!(v.read(b(&read_only), 10, 0).unwrap().0, b"ok");
    // Syncing and advice always succeed on a file.
    v.sync(b(&read_only)).unwrap();
    v.sync(b(&write_only)).unwrap();
    v.sync_data(b(&write_only)).unwrap();
    v.advise(b(&read_only), 0, 0, Advice::Sequential).unwrap();
    v.advise(b(&read_only), 10, 100, Advice::DontNeed).unwrap();
}

#[test]
fn sync_flags_are_reported() {
    let mut s = Sandbox::new();
    let root = s.root();
    let flags =
        DescriptorFlags::READ | DescriptorFlags::WRITE | DescriptorFlags::DATA_INTEGRITY_SYNC;
    let f = s.open(&root, "f", OpenFlags::CREATE, flags).unwrap();
    assert_eq!(s.view().get_flags(b(&f)).unwrap(), flags);
}

#[test]
fn file_operations_on_a_directory_fail() {
    let mut s = Sandbox::new();
    let root = s.root();
    let mut v = s.view();
    assert_eq!(code(v.read(b(&root), 1, 0)), ErrorCode::BadDescriptor);
    assert_eq!(
        code(v.write(b(&root), b"x".to_vec(), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(
        code(v.read_via_stream(b(&root), 0)),
        ErrorCode::BadDescriptor
    );
    assert_eq!(code(v.set_size(b(&root), 0)), ErrorCode::BadDescriptor);
    assert_eq!(v.get_type(b(&root)).unwrap(), DescriptorType::Directory);
    v.sync(b(&root)).unwrap();
    v.sync_data(b(&root)).unwrap();
}

#[test]
fn streams_read_write_and_append() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "log");
    let mut v = s.view();

    let out = v.write_via_stream(b(&f), 2).unwrap();
    assert!(io::HostOutputStream::check_write(&mut v, b(&out)).unwrap() > 0);
    io::HostOutputStream::write(&mut v, b(&out), b"ab".to_vec()).unwrap();
    io::HostOutputStream::write(&mut v, b(&out), b"cd".to_vec()).unwrap();
    io::HostOutputStream::blocking_flush(&mut v, b(&out)).unwrap();
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"\0\0abcd");

    let append = v.append_via_stream(b(&f)).unwrap();
    io::HostOutputStream::blocking_write_and_flush(&mut v, b(&append), b"EF".to_vec()).unwrap();
    // Another writer extends the file: the append stream follows the end.
    v.write(b(&f), b"gh".to_vec(), 8).unwrap();
    io::HostOutputStream::write_zeroes(&mut v, b(&append), 1).unwrap();
    assert_eq!(v.read(b(&f), 100, 0).unwrap().0, b"\0\0abcdEFgh\0");

    let input = v.read_via_stream(b(&f), 4).unwrap();
    assert_eq!(
        io::HostInputStream::read(&mut v, b(&input), 3).unwrap(),
        b"cdE"
    );
    assert_eq!(io::HostInputStream::skip(&mut v, b(&input), 2).unwrap(), 2);
    assert_eq!(
        io::HostInputStream::blocking_read(&mut v, b(&input), 100).unwrap(),
        b"h\0"
    );
    assert!(matches!(
        io::HostInputStream::read(&mut v, b(&input), 1),
        Err(StreamError::Closed)
    ));
    for stream in [out, append] {
        io::HostOutputStream::drop(&mut v, stream).unwrap();
    }
    io::HostInputStream::drop(&mut v, input).unwrap();
    HostDescriptor::drop(&mut v, f).unwrap();
}

#[test]
fn streams_outlive_their_descriptor() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "f");
    let mut v = s.view();
    v.write(b(&f), b"still here".to_vec(), 0).unwrap();
    let input = v.read_via_stream(b(&f), 6).unwrap();
    let output = v.append_via_stream(b(&f)).unwrap();
    // Dropping the descriptor does not close the file under its streams.
    HostDescriptor::drop(&mut v, f).unwrap();
    io::HostOutputStream::write(&mut v, b(&output), b"!".to_vec()).unwrap();
    assert_eq!(
        io::HostInputStream::read(&mut v, b(&input), 100).unwrap(),
        b"here!"
    );
    assert!(matches!(
        io::HostInputStream::read(&mut v, b(&input), 100),
        Err(StreamError::Closed)
    ));
    assert_eq!(std::fs::read(s.host("f")).unwrap(), b"still here!");
}

#[test]
fn stale_handles_trap() {
    let mut s = Sandbox::new();
    let root = s.root();
    let f = s.create(&root, "f");
    let rep = f.rep();
    let mut v = s.view();
    HostDescriptor::drop(&mut v, f).unwrap();
    let err = v.read(Resource::new_borrow(rep), 1, 0).unwrap_err();
    assert!(err.code().is_none(), "a stale handle traps: {err}");
    assert!(HostDescriptor::drop(&mut v, Resource::new_own(rep)).is_err());
    assert!(
        v.is_same_object(b(&root), Resource::new_borrow(rep))
            .is_err()
    );
}

#[test]
fn filesystem_error_code_of_stream_errors() {
    let mut s = Sandbox::new();
    let mut v = s.view();
    let io = IoError::from(std::io::Error::from(rustix::io::Errno::NOSPC));
    let io = v.push(io).unwrap();
    assert_eq!(
        v.filesystem_error_code(b(&io)).unwrap(),
        Some(ErrorCode::InsufficientSpace)
    );
    let other = v.push(IoError::msg("not a filesystem error")).unwrap();
    assert_eq!(v.filesystem_error_code(b(&other)).unwrap(), None);
}

#[test]
fn convert_error_code_passes_codes_and_traps() {
    let mut s = Sandbox::new();
    let mut v = s.view();
    let code = v.convert_error_code(ErrorCode::Loop.into()).unwrap();
    assert_eq!(code, ErrorCode::Loop);
    let trap = crate::p2::FsError::trap(IoError::msg("boom"));
    assert!(v.convert_error_code(trap).is_err());
}
