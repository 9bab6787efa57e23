//! `wasi:io/poll` through a C program (`wasi-probe`): preview 1's
//! `poll_oneoff`, which the adapter turns into one `poll` over
//! pollables: of monotonic timers (relative and absolute), and of stdin
//! and stdout. Only the ready subscriptions come back: the short timer
//! beats a 10 s one, and a stream that is ready beats it too.

use super::harness::{Case, Guest, Is, cases};

cases! { Guest::Probe;
    timers_deadlines_and_streams: Case {
        args: &["poll"],
        stdin: "ping",
        stdout: Is("two timers: ok, 1 event, #2 clock ok\n  \
                      waited at least 10ms: yes\n\
                    absolute deadline: ok, 1 event, #3 clock ok\n  \
                      reached the deadline: yes\n\
                    zero timeout: ok, 1 event, #5 clock ok\n\
                    stdin readable: ok, 1 event, #6 fd_read ok\n  \
                      stdin: ping\n\
                    stdout writable: ok, 1 event, #8 fd_write ok\n"),
        ..Case::DEFAULT
    },
    stdin_at_its_end_is_ready: Case {
        args: &["poll"],
        stdout: Is("two timers: ok, 1 event, #2 clock ok\n  \
                      waited at least 10ms: yes\n\
                    absolute deadline: ok, 1 event, #3 clock ok\n  \
                      reached the deadline: yes\n\
                    zero timeout: ok, 1 event, #5 clock ok\n\
                    stdin readable: ok, 1 event, #6 fd_read ok\n  \
                      stdin: \n\
                    stdout writable: ok, 1 event, #8 fd_write ok\n"),
        ..Case::DEFAULT
    },
}
