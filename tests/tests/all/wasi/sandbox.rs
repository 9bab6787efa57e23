//! The sandbox: a guest reaches only what the host preopened, never
//! beyond it (`..`, symlinks to `..` or to absolute paths, symlinks the
//! guest makes itself), and never writes through a read-only preopen. The
//! `wasi-probe` guest tries; the host checks nothing changed outside.
//!
//! The case's root holds `sandbox/` (preopened as `/sandbox`) and beside
//! it `outside/secret.txt`, which the guest must neither read nor touch.
//! Refusals are `EPERM` (WASI's `not-permitted`), as wasmtime answers.
//! A path under no preopen (`/outside/...`) is refused by wasi-libc itself
//! (`ENOTCAPABLE`) before any host call.

use super::files::FS_WRITE_STDOUT;
use super::harness::{Case, Entry, Guest, Is, Preopen, SANDBOX, cases};

/// `root/sandbox` preopened read-only as `/sandbox`.
const READ_ONLY: Preopen = Preopen {
    read_only: true,
    ..SANDBOX
};

/// The secret beside the sandbox.
const OUTSIDE: (&str, Entry) = ("outside/secret.txt", Entry::File("secret\n"));

cases! { Guest::Probe;
    no_way_out_of_a_preopen: Case {
        args: &["escape", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[
            OUTSIDE,
            ("sandbox/inside.txt", Entry::File("inside\n")),
            ("sandbox/up", Entry::Symlink("..")),
            ("sandbox/abs", Entry::Symlink("{root}/outside")),
            ("sandbox/esc.txt", Entry::Symlink("../outside/secret.txt")),
        ],
        stdout: Is("read ../outside/secret.txt: EPERM\n\
                    create ../outside/new.txt: EPERM\n\
                    mkdir ../outside/newdir: EPERM\n\
                    open ..: EPERM\n\
                    read up/outside/secret.txt: EPERM\n\
                    read abs/secret.txt: EPERM\n\
                    read esc.txt: EPERM\n\
                    create up/outside/new.txt: EPERM\n\
                    symlink mine.txt -> ../outside/secret.txt: ok\n\
                    read mine.txt: EPERM\n\
                    read /outside/secret.txt (no such preopen): ENOTCAPABLE\n\
                    read inside.txt: inside\n"),
        after: &[
            OUTSIDE,
            ("outside/new.txt", Entry::Absent),
            ("outside/newdir", Entry::Absent),
            ("sandbox/mine.txt", Entry::Symlink("../outside/secret.txt")),
        ],
        ..Case::DEFAULT
    },
    a_read_only_preopen_refuses_every_write: Case {
        args: &["readonly", "/sandbox"],
        dirs: &[READ_ONLY],
        files: &[("sandbox/input.txt", Entry::File("read me\n"))],
        stdout: Is("read input.txt: read me\n\
                    open input.txt for writing: EPERM\n\
                    open input.txt for appending: EPERM\n\
                    truncate input.txt on open: EPERM\n\
                    create new.txt: EPERM\n\
                    mkdir newdir: EPERM\n\
                    unlink input.txt: EPERM\n\
                    rename input.txt moved.txt: EPERM\n\
                    symlink link -> input.txt: EPERM\n\
                    write to a file opened for reading: EPERM\n\
                    input.txt afterwards: read me\n"),
        after: &[
            ("sandbox/input.txt", Entry::File("read me\n")),
            ("sandbox/new.txt", Entry::Absent),
            ("sandbox/newdir", Entry::Absent),
            ("sandbox/moved.txt", Entry::Absent),
            ("sandbox/link", Entry::Absent),
        ],
        ..Case::DEFAULT
    },
    nothing_is_reachable_without_preopens: Case {
        args: &["fs-read", "/sandbox"],
        files: &[
            ("sandbox/input.txt", Entry::File("not granted\n")),
            ("sandbox/big.bin", Entry::Pattern(10)),
        ],
        exit: super::harness::Exit::Code(1),
        stdout: Is("input.txt: ENOTCAPABLE\nbig.bin: ENOTCAPABLE\n"),
        ..Case::DEFAULT
    },
    a_second_preopen_is_its_own_sandbox: Case {
        args: &["fs-write", "/second"],
        dirs: &[
            READ_ONLY,
            Preopen { host: "second", guest: "/second", read_only: false },
        ],
        stdout: Is(FS_WRITE_STDOUT),
        after: &[
            ("second/notes.txt", Entry::File("first line\nsecond line\nthird line\n")),
            ("sandbox/notes.txt", Entry::Absent),
        ],
        ..Case::DEFAULT
    },
}
