//! Running `cargo check` on a scratch crate, timed.
//!
//! The timed runs check with `CARGO_INCREMENTAL=0`, so each one expands and
//! type-checks the whole crate again rather than replaying rustc's
//! incremental cache: the cost of a clean check of the crate, which is the
//! cost `bindgen!` adds to every build that recompiles it.
//!
//! Each check gives two times: the wall time, and the CPU time (user and
//! system) of cargo and rustc, read from this process's `cutime` and
//! `cstime` in `/proc/self/stat` (Linux; 10 ms ticks) around it. rustc's
//! front end is single-threaded, so on an idle machine they agree; on a
//! shared one the CPU time is the steadier figure, as time spent waiting
//! for a core is not counted.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Environment variables not passed on to the nested cargo: the outer
/// cargo's jobserver and target directory, and the macros' debug switches
/// (set only by [`check`]'s `debug_var`).
const CLEARED: [&str; 6] = [
    "CARGO_TARGET_DIR",
    "CARGO_MAKEFLAGS",
    "MAKEFLAGS",
    "MFLAGS",
    "WIT_HOST_DEBUG_BINDGEN",
    "WASMTIME_DEBUG_BINDGEN",
];

/// How a check is run.
pub struct CheckEnv<'a> {
    /// The target directory.
    pub target_dir: &'a Path,
    /// The temporary directory (`TMPDIR`): where wit-host's
    /// `WIT_HOST_DEBUG_BINDGEN` writes.
    pub tmp_dir: &'a Path,
    /// A variable set to `1` for this check.
    pub debug_var: Option<&'a str>,
}

/// What one check took.
#[derive(Clone, Copy)]
pub struct Times {
    pub wall: Duration,
    /// `None` where `/proc/self/stat` cannot be read.
    pub cpu: Option<Duration>,
}

/// Runs `cargo check` in the crate at `dir` and times it. A failed check
/// is an error with cargo's output.
pub fn check(dir: &Path, env: &CheckEnv<'_>) -> Result<Times, String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut cmd = Command::new(cargo);
    for var in CLEARED {
        cmd.env_remove(var);
    }
    cmd.args(["check", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", env.target_dir)
        .env("CARGO_INCREMENTAL", "0")
        .env("TMPDIR", env.tmp_dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(var) = env.debug_var {
        cmd.env(var, "1");
    }
    let cpu_before = children_cpu();
    let start = Instant::now();
    let output = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    let wall = start.elapsed();
    let cpu = match (cpu_before, children_cpu()) {
        (Some(before), Some(after)) => after.checked_sub(before),
        _ => None,
    };
    if !output.status.success() {
        return Err(format!(
            "`cargo check` failed in {}:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(Times { wall, cpu })
}

/// The CPU time of this process's waited-for children so far: fields 16
/// and 17 of `/proc/self/stat`, in clock ticks (100 a second on Linux).
fn children_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; it ends at the last `)`.
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3, so field n is `fields[n - 3]`.
    let ticks: u64 = fields.get(13)?.parse::<u64>().ok()? + fields.get(14)?.parse::<u64>().ok()?;
    Some(Duration::from_millis(ticks * 10))
}
