//! The C compiler: a clang that targets `wasm32-wasi` (the old name of
//! `wasm32-wasip1`, which Debian's wasi-libc is installed under) and links
//! with wasi-libc. [`find_compiler`] takes the one named by `WIT_HOST_GUEST_CC`
//! ([`CC_VAR`]), or else the first of `clang-19` and `clang` that can build
//! a tiny reactor; `WIT_HOST_GUEST_CFLAGS` ([`CFLAGS_VAR`]) adds flags (such
//! as `--sysroot=...`) to every invocation.

use std::env;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::{Error, run_command};

/// The environment variable naming the compiler to use instead of trying
/// `clang-19` and `clang`.
pub const CC_VAR: &str = "WIT_HOST_GUEST_CC";

/// The environment variable holding extra compiler flags, split on
/// whitespace.
pub const CFLAGS_VAR: &str = "WIT_HOST_GUEST_CFLAGS";

/// What to do when [`find_compiler`] finds none, for the messages of the
/// build scripts (which add how to rerun themselves).
pub const INSTALL_HINT: &str = "install `clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32` \
     (Debian) or set WIT_HOST_GUEST_CC";

/// Flags for linking a reactor (a library exporting functions, no `main`)
/// with wasi-libc; a command (with `main`) is clang's default.
pub const REACTOR_FLAGS: &[&str] = &["-mexec-model=reactor"];

/// Compilers tried, in order, when `WIT_HOST_GUEST_CC` is not set.
const COMPILERS: &[&str] = &["clang-19", "clang"];

/// Flags for every clang invocation.
const TARGET_FLAGS: &[&str] = &["--target=wasm32-wasi"];

/// A compiler and the extra flags to give it.
pub struct Compiler {
    /// The program run.
    program: String,
    /// The user's flags (`WIT_HOST_GUEST_CFLAGS`).
    flags: Vec<String>,
}

impl Compiler {
    /// A clang command with the target flags and the user's flags, ready
    /// for the caller's flags, sources and output.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(TARGET_FLAGS).args(&self.flags);
        cmd
    }

    /// The program run, as found or named by `WIT_HOST_GUEST_CC`.
    pub fn program(&self) -> &str {
        &self.program
    }
}

/// Set to `1` (as `.ci/run` does) to make a guest that cannot be built a
/// build error instead of skipped tests.
pub const REQUIRE_VAR: &str = "WIT_HOST_REQUIRE_GUESTS";

/// Whether `WIT_HOST_REQUIRE_GUESTS=1`: guests that cannot be built fail
/// the build.
pub fn guests_required() -> bool {
    env::var(REQUIRE_VAR).is_ok_and(|v| v == "1")
}

/// Prints the `cargo:rerun-if-env-changed` lines for the environment
/// variables [`find_compiler`] reads.
pub fn rerun_if_env_changed() {
    for var in [CC_VAR, CFLAGS_VAR, REQUIRE_VAR] {
        println!("cargo:rerun-if-env-changed={var}");
    }
}

/// Finds a clang that builds a wasm32-wasi reactor with wasi-libc, by
/// building a tiny one under `out/probe/`; `Err` says why none does.
pub fn find_compiler(out: &Path) -> Result<Compiler, Error> {
    let flags: Vec<String> = env::var(CFLAGS_VAR)
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    let candidates: Vec<String> = match env::var(CC_VAR) {
        Ok(cc) if !cc.is_empty() => vec![cc],
        _ => COMPILERS.iter().map(|s| s.to_string()).collect(),
    };
    let probe_dir = out.join("probe");
    fs::create_dir_all(&probe_dir).map_err(|e| format!("creating {probe_dir:?}: {e}"))?;
    let source = probe_dir.join("probe.c");
    fs::write(
        &source,
        "#include <stdlib.h>\n\
         __attribute__((export_name(\"probe\"))) void *probe(size_t n) { return malloc(n); }\n",
    )
    .map_err(|e| format!("writing {source:?}: {e}"))?;
    let mut reasons = Vec::new();
    for program in candidates {
        let cc = Compiler {
            program,
            flags: flags.clone(),
        };
        let mut cmd = cc.command();
        cmd.args(REACTOR_FLAGS)
            .arg(&source)
            .arg("-o")
            .arg(probe_dir.join("probe.wasm"));
        match run_command(&mut cmd) {
            Ok(()) => return Ok(cc),
            Err(e) => reasons.push(format!(
                "`{}` cannot build a wasm32-wasi reactor: {}",
                cc.program,
                e.lines().next().unwrap_or_default()
            )),
        }
    }
    Err(reasons.join("; "))
}
