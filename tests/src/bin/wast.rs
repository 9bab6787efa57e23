//! `wast`: runs component-model `.wast` scripts against `wit-host`.
//!
//! ```text
//! cargo run -p wit-host-tests --bin wast -- [--notes] [--wasmtime] FILE...
//! ```
//!
//! `--wasmtime` runs wasmtime's own component scripts unchanged (their
//! `;;!` configuration lines, the host items of wasmtime's harness; see
//! `wit_host_tests::wast::wasmtime_compat`).
//!
//! Prints each failed directive as `file:line: directive: reason`, then the
//! line `N passed, N failed`; exits with status 1 if any directive failed
//! (2 on bad usage). `--notes` also prints the remarks on passed directives
//! (`Report::notes`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut notes = false;
    let mut mode = wit_host_tests::wast::Mode::Default;
    let mut files = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--notes" => notes = true,
            "--wasmtime" => mode = wit_host_tests::wast::Mode::Wasmtime,
            "-h" | "--help" => {
                println!("usage: wast [--notes] [--wasmtime] FILE...");
                return ExitCode::SUCCESS;
            }
            _ => files.push(arg),
        }
    }
    if files.is_empty() {
        eprintln!("usage: wast [--notes] [--wasmtime] FILE...");
        return ExitCode::from(2);
    }
    let report = wit_host_tests::wast::run_files_in(&files, mode);
    if notes {
        for note in &report.notes {
            println!("note: {note}");
        }
    }
    println!("{report}");
    if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
