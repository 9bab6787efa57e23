//! `wasi:filesystem` through a C program: creating, writing, appending,
//! reading, seeking, truncating, renaming, unlinking, directories and
//! their listings, metadata and timestamps, symlinks, all beneath a
//! preopened temporary directory (`/sandbox`), with the `wasi-probe`
//! guest. Each case also checks on the host what the guest left behind.
//!
//! Directory listings include `.` and `..`: the preview1 adapter adds them
//! (WASI 0.2's `read-directory` has neither).

use super::harness::{Case, Entry, Guest, Is, SANDBOX, cases};

/// What the probe's `fs-write` prints when every step works, in whichever
/// directory it is given (also `sandbox::a_second_preopen_is_its_own_sandbox`).
pub const FS_WRITE_STDOUT: &str = "create notes.txt: ok\n\
                    write: 11\n\
                    write: 12\n\
                    create notes.txt again: EEXIST\n\
                    open for appending: ok\n\
                    append: 11\n\
                    notes.txt: first line\n\
                    second line\n\
                    third line\n\
                    big.bin: wrote 100000 bytes\n";

cases! { Guest::Probe;
    create_write_and_append: Case {
        args: &["fs-write", "/sandbox"],
        dirs: &[SANDBOX],
        stdout: Is(FS_WRITE_STDOUT),
        after: &[
            ("sandbox/notes.txt", Entry::File("first line\nsecond line\nthird line\n")),
            ("sandbox/big.bin", Entry::Pattern(100_000)),
        ],
        ..Case::DEFAULT
    },
    read_small_and_large_files: Case {
        args: &["fs-read", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[
            ("sandbox/input.txt", Entry::File("The quick brown fox\n")),
            ("sandbox/big.bin", Entry::Pattern(200_000)),
        ],
        stdout: Is("input.txt: The quick brown fox\n\
                    big.bin: 200000 bytes, 0 wrong\n\
                    missing.txt: ENOENT\n\
                    open a directory for writing: EISDIR\n"),
        after: &[("sandbox/input.txt", Entry::File("The quick brown fox\n"))],
        ..Case::DEFAULT
    },
    reads_return_what_was_asked_until_the_end: Case {
        args: &["fs-read-sizes", "/sandbox", "big.bin", "65536"],
        dirs: &[SANDBOX],
        files: &[("sandbox/big.bin", Entry::Pattern(100_000))],
        stdout: Is("open: ok\nread 65536\nread 34464\nlast read 0 (ok), total 100000\n"),
        ..Case::DEFAULT
    },
    seek_read_write_truncate: Case {
        args: &["fs-seek", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[("sandbox/data.txt", Entry::File("0123456789"))],
        stdout: Is("open data.txt: ok\n\
                    seek 4: 4\n\
                    read: 456\n\
                    position: 7\n\
                    seek end-2: 8\n\
                    read: 89\n\
                    read at the end: 0\n\
                    write at 2: 2\n\
                    truncate to 6: ok\n\
                    size: 6\n\
                    pread 4 at 1: 1XY4\n\
                    pwrite at 0: 1\n\
                    position: 4\n\
                    seek before the start: EINVAL\n\
                    data.txt: Z1XY45"),
        after: &[("sandbox/data.txt", Entry::File("Z1XY45"))],
        ..Case::DEFAULT
    },
    directories_made_listed_and_removed: Case {
        args: &["fs-dirs", "/sandbox"],
        dirs: &[SANDBOX],
        stdout: Is("mkdir sub: ok\n\
                    mkdir sub again: EEXIST\n\
                    create sub/b.txt: ok\n\
                    create sub/a.txt: ok\n\
                    mkdir sub/inner: ok\n\
                    list sub:\n  \
                      . (directory)\n  \
                      .. (directory)\n  \
                      a.txt (file)\n  \
                      b.txt (file)\n  \
                      inner (directory)\n\
                    rmdir sub (not empty): ENOTEMPTY\n\
                    unlink sub (a directory): EISDIR\n\
                    rmdir sub/a.txt (a file): ENOTDIR\n\
                    unlink sub/a.txt: ok\n\
                    unlink sub/b.txt: ok\n\
                    rmdir sub/inner: ok\n\
                    rmdir sub: ok\n\
                    stat sub: ENOENT\n\
                    mkdir made: ok\n\
                    create made/file.txt: ok\n\
                    create in a missing directory: ENOENT\n\
                    list /sandbox:\n  \
                      . (directory)\n  \
                      .. (directory)\n  \
                      made (directory)\n"),
        after: &[
            ("sandbox/sub", Entry::Absent),
            ("sandbox/made", Entry::Dir),
            ("sandbox/made/file.txt", Entry::File("made here\n")),
            ("sandbox/nowhere", Entry::Absent),
        ],
        ..Case::DEFAULT
    },
    metadata_and_timestamps: Case {
        args: &["fs-stat", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[
            ("sandbox/data.txt", Entry::File("0123456789")),
            ("sandbox/folder", Entry::Dir),
            ("sandbox/link", Entry::Symlink("data.txt")),
        ],
        stdout: Is("stat data.txt: ok\n  \
                      file, 10 bytes\n\
                    stat folder: ok\n  \
                      directory\n\
                    lstat link: ok\n  \
                      symlink\n\
                    stat link: ok\n  \
                      file, 10 bytes\n\
                    stat missing.txt: ENOENT\n\
                    set times of data.txt: ok\n  \
                      mtime 1234567890.500000000\n\
                    fstat and stat name the same file: yes\n\
                    data.txt and folder are different files: yes\n"),
        ..Case::DEFAULT
    },
    rename_and_unlink: Case {
        args: &["fs-rename", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[
            ("sandbox/old.txt", Entry::File("moving\n")),
            ("sandbox/victim.txt", Entry::File("x")),
        ],
        stdout: Is("rename old.txt new.txt: ok\n\
                    old.txt: ENOENT\n\
                    new.txt: moving\n\
                    rename new.txt over victim.txt: ok\n\
                    victim.txt: moving\n\
                    unlink victim.txt: ok\n\
                    unlink victim.txt again: ENOENT\n\
                    mkdir d: ok\n\
                    rename d e: ok\n\
                    rename missing.txt: ENOENT\n"),
        after: &[
            ("sandbox/old.txt", Entry::Absent),
            ("sandbox/new.txt", Entry::Absent),
            ("sandbox/victim.txt", Entry::Absent),
            ("sandbox/d", Entry::Absent),
            ("sandbox/e", Entry::Dir),
        ],
        ..Case::DEFAULT
    },
    symlinks_made_read_and_removed: Case {
        args: &["fs-symlink", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[("sandbox/target.txt", Entry::File("pointed at\n"))],
        stdout: Is("symlink link -> target.txt: ok\n\
                    readlink link: target.txt\n\
                    read through link: pointed at\n\
                    lstat link: symlink\n\
                    symlink dangling -> nowhere.txt: ok\n\
                    read through dangling: ENOENT\n\
                    symlink link again: EEXIST\n\
                    readlink target.txt (not a link): EINVAL\n\
                    unlink link: ok\n\
                    target.txt: pointed at\n"),
        after: &[
            ("sandbox/link", Entry::Absent),
            ("sandbox/dangling", Entry::Symlink("nowhere.txt")),
            ("sandbox/target.txt", Entry::File("pointed at\n")),
        ],
        ..Case::DEFAULT
    },
}
