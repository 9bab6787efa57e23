//! `wasi:cli` through a C program: stdout and stderr, arguments, the
//! environment, exit codes and stdin, with the `wasi-probe` guest (libc
//! over the preview1 command adapter).
//!
//! How a C program's end reaches the host: `main` returning 0 makes `run`
//! return `ok`; `exit(n)` and `main` returning non-zero call
//! `wasi:cli/exit.exit`, which the host turns into an [`I32Exit`] error,
//! 0 for `ok` and 1 for any `err` (WASI 0.2 has no exit code beyond that
//! outside the unstable `exit-with-code`).
//!
//! [`I32Exit`]: wit_host_wasi::I32Exit

use super::harness::{Case, Exit, Guest, Is, cases};

macro_rules! five_times {
    ($s:literal) => {
        concat!($s, $s, $s, $s, $s)
    };
}

macro_rules! ten_times {
    ($s:expr) => {
        concat!($s, $s, $s, $s, $s, $s, $s, $s, $s, $s)
    };
}

/// 4500 bytes (50 lines of 90): more than the guest's 1000-byte buffer
/// and than stdio's.
const LONG_STDIN: &str = ten_times!(five_times!(
    "012345678901234567890123456789012345678901234567890123456789012345678901234567890 the end\n"
));

cases! { Guest::Probe;
    hello_on_stdout_and_stderr: Case {
        args: &["hello"],
        stdout: Is("hello from wasi-probe on stdout\n"),
        stderr: Is("hello from wasi-probe on stderr\n"),
        ..Case::DEFAULT
    },
    arguments_arrive_in_order_with_the_program_name: Case {
        args: &["args", "one", "two words", "ünïcode ✓", ""],
        stdout: Is("argc=6\n\
                    argv[0]=wasi-probe\n\
                    argv[1]=args\n\
                    argv[2]=one\n\
                    argv[3]=two words\n\
                    argv[4]=ünïcode ✓\n\
                    argv[5]=\n"),
        ..Case::DEFAULT
    },
    the_environment_arrives_in_order: Case {
        args: &["env", "HOME"],
        env: &[("B", "2"), ("A", "1"), ("HOME", "/home/guest"), ("EMPTY", ""), ("EQ", "a=b")],
        stdout: Is("B=2\nA=1\nHOME=/home/guest\nEMPTY=\nEQ=a=b\ngetenv(HOME)=/home/guest\n"),
        ..Case::DEFAULT
    },
    no_environment_unless_granted: Case {
        args: &["env", "PATH"],
        stdout: Is("getenv(PATH)=(unset)\n"),
        ..Case::DEFAULT
    },
    main_returning_0_returns_ok: Case {
        args: &["return", "0"],
        exit: Exit::Returned,
        ..Case::DEFAULT
    },
    main_returning_1_exits_with_1: Case {
        args: &["return", "1"],
        exit: Exit::Code(1),
        ..Case::DEFAULT
    },
    exit_0_exits_with_0: Case {
        args: &["exit", "0"],
        exit: Exit::Code(0),
        stdout: Is("exiting with 0\n"),
        ..Case::DEFAULT
    },
    exit_3_exits_with_1: Case {
        args: &["exit", "3"],
        exit: Exit::Code(1),
        stdout: Is("exiting with 3\n"),
        ..Case::DEFAULT
    },
    an_unknown_case_exits_with_1: Case {
        args: &["no-such-case"],
        exit: Exit::Code(1),
        stderr: Is("wasi-probe: unknown case `no-such-case`\n"),
        ..Case::DEFAULT
    },
    stdin_is_read_to_its_end: Case {
        args: &["cat"],
        stdin: "line one\nline two\nno newline at the end",
        stdout: Is("line one\nline two\nno newline at the end"),
        stderr: Is("read 39 bytes from stdin\n"),
        ..Case::DEFAULT
    },
    stdin_larger_than_the_guest_buffer: Case {
        args: &["cat"],
        stdin: LONG_STDIN,
        stdout: Is(LONG_STDIN),
        stderr: Is("read 4500 bytes from stdin\n"),
        ..Case::DEFAULT
    },
    stdin_empty_by_default: Case {
        args: &["cat"],
        stderr: Is("read 0 bytes from stdin\n"),
        ..Case::DEFAULT
    },
}
