//! Running the toolchain's commands: a failure becomes an [`Error`] that
//! holds the command line and everything the command printed, which is
//! what a developer needs to see when a build script stops.

use std::fmt::Write as _;
use std::process::Command;

use crate::Error;

/// Runs `cmd` to its end, its output captured; `Err` has the command line,
/// its exit status and its output (stdout, then stderr).
pub fn run_command(cmd: &mut Command) -> Result<(), Error> {
    let output = cmd
        .output()
        .map_err(|e| format!("{}: {e}", cmd.get_program().to_string_lossy()))?;
    if output.status.success() {
        return Ok(());
    }
    let mut msg = format!("{} failed ({})", show(cmd), output.status);
    for stream in [&output.stdout, &output.stderr] {
        let text = String::from_utf8_lossy(stream);
        if !text.trim().is_empty() {
            let _ = write!(msg, "\n{}", text.trim_end());
        }
    }
    Err(msg)
}

/// The command line of `cmd` (program and arguments, space-separated), for
/// messages.
pub fn show(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}
