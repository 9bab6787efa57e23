//! Builds the guest of the WASI benchmarks (`benches/wasi.rs`):
//! `guests/wasi_bench.c`, compiled by clang with wasi-libc into a
//! `wasm32-wasi` command, then encoded with the preview1 command adapter
//! (the one wasmtime 48 ships) into a `wasi:cli/command` component, through
//! `wit-host-guest-build` as `tests/build.rs` builds its WASI guests. The
//! component is `OUT_DIR/wasi_bench.wasm`, its path handed to the bench as
//! `WIT_HOST_BENCH_WASI_GUEST`.
//!
//! Without a C compiler that targets `wasm32-wasi`, the path is empty and
//! `WIT_HOST_BENCH_WASI_SKIPPED` says why (the bench prints it and runs
//! nothing), unless `WIT_HOST_REQUIRE_GUESTS=1` (set by `.ci/run`) makes
//! the build fail. `WIT_HOST_GUEST_CC` and `WIT_HOST_GUEST_CFLAGS` work as
//! for the tests.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use wit_host_guest_build::{
    Adapter, Error, INSTALL_HINT, find_compiler, run_command, wasi_component,
};

/// Runs [`run`]; on failure prints the reason and fails the build.
fn main() {
    if let Err(e) = run() {
        eprintln!("error: building the WASI bench's guest component failed:\n{e}");
        std::process::exit(1);
    }
}

/// Builds the guest, or records why it is skipped; emits the `cargo:`
/// lines.
fn run() -> Result<(), Error> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=guests/wasi_bench.c");
    println!("cargo:rerun-if-env-changed=WIT_HOST_REQUIRE_GUESTS");
    wit_host_guest_build::rerun_if_env_changed();
    let manifest = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env_var("OUT_DIR")?);

    let cc = match find_compiler(&out) {
        Ok(cc) => cc,
        Err(reason) => {
            let reason = format!("{reason}; {INSTALL_HINT}, then `touch bench/build.rs`");
            if env::var("WIT_HOST_REQUIRE_GUESTS").is_ok_and(|v| v == "1") {
                return Err(format!(
                    "WIT_HOST_REQUIRE_GUESTS=1 but no compiler: {reason}"
                ));
            }
            println!("cargo:warning=the WASI bench's guest not built: {reason}");
            println!("cargo:rustc-env=WIT_HOST_BENCH_WASI_GUEST=");
            println!("cargo:rustc-env=WIT_HOST_BENCH_WASI_SKIPPED={reason}");
            return Ok(());
        }
    };
    let source = manifest.join("guests").join("wasi_bench.c");
    let path = build(&cc, &source, &out).map_err(|e| format!("guests/wasi_bench.c: {e}"))?;
    println!(
        "cargo:rustc-env=WIT_HOST_BENCH_WASI_GUEST={}",
        path.display()
    );
    println!("cargo:rustc-env=WIT_HOST_BENCH_WASI_SKIPPED=");
    Ok(())
}

/// An environment variable cargo sets for build scripts.
fn env_var(name: &str) -> Result<String, Error> {
    env::var(name).map_err(|e| format!("environment variable {name}: {e}"))
}

/// Compiles and links `source` into a core command module, encodes it with
/// the command adapter, and writes `out/wasi_bench.wasm`; returns its path.
fn build(cc: &wit_host_guest_build::Compiler, source: &Path, out: &Path) -> Result<PathBuf, Error> {
    let work = out.join("wasi_bench");
    fs::create_dir_all(&work).map_err(|e| format!("creating {work:?}: {e}"))?;
    let core_path = work.join("core.wasm");
    let mut cmd = cc.command();
    cmd.args(["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg(source)
        .arg("-o")
        .arg(&core_path);
    run_command(&mut cmd)?;
    let core = fs::read(&core_path).map_err(|e| format!("reading {core_path:?}: {e}"))?;
    let component = wasi_component(&core, Adapter::Command)?;
    let path = out.join("wasi_bench.wasm");
    fs::write(&path, component).map_err(|e| format!("writing {path:?}: {e}"))?;
    Ok(path)
}
