//! A `wasi:cli/command` written in Python (`tests/guests/wasi/python/
//! app.py`, built by componentize-py): CPython's standard library on top
//! of wasi-libc, run as a command with its output captured. The table is
//! the C one's in spirit: print and stderr, `sys.argv` and `os.environ`,
//! `sys.stdin`, files beneath a preopen, `sys.exit`, and an uncaught
//! exception (which traps, after the traceback on stderr).
//!
//! The first test to run compiles the component (CPython: about 18 MB),
//! which takes seconds; the others reuse it.

use super::harness::{Case, Entry, Exit, Guest, Has, Is, SANDBOX, cases};

cases! { Guest::PyCommand;
    python_prints_on_stdout_and_stderr: Case {
        args: &["hello"],
        stdout: Is("hello from python on stdout\n"),
        stderr: Is("hello from python on stderr\n"),
        ..Case::DEFAULT
    },
    python_sees_argv_and_the_environment: Case {
        args: &["args", "one", "two words"],
        env: &[("B", "2"), ("A", "1")],
        stdout: Is("argv: ['app.py', 'args', 'one', 'two words']\nA=1\nB=2\n"),
        ..Case::DEFAULT
    },
    python_reads_stdin: Case {
        args: &["stdin"],
        stdin: "hello\nworld\n",
        stdout: Is("HELLO\nWORLD\n"),
        stderr: Is("read 12 characters\n"),
        ..Case::DEFAULT
    },
    python_works_with_files: Case {
        args: &["files", "/sandbox"],
        dirs: &[SANDBOX],
        files: &[("sandbox/input.txt", Entry::File("from the host\n"))],
        stdout: Is("input.txt: 'from the host\\n'\n\
                    listing: ['input.txt', 'sub']\n\
                    sub: ['moved.txt']\n\
                    size of sub/moved.txt: 15\n\
                    input.txt: removed\n\
                    ../escape.txt: PermissionError errno 63\n"),
        after: &[
            ("sandbox/input.txt", Entry::Absent),
            ("sandbox/sub/moved.txt", Entry::File("made by python\n")),
            ("escape.txt", Entry::Absent),
        ],
        ..Case::DEFAULT
    },
    python_sys_exit_0: Case {
        args: &["exit", "0"],
        exit: Exit::Code(0),
        stdout: Is("exiting with 0\n"),
        ..Case::DEFAULT
    },
    python_sys_exit_3_exits_with_1: Case {
        args: &["exit", "3"],
        exit: Exit::Code(1),
        stdout: Is("exiting with 3\n"),
        ..Case::DEFAULT
    },
    python_uncaught_exception_traps_after_the_traceback: Case {
        args: &["raise"],
        exit: Exit::Trap("unreachable"),
        stderr: Has(&["Traceback (most recent call last):", "RuntimeError: raised on purpose"]),
        ..Case::DEFAULT
    },
}
