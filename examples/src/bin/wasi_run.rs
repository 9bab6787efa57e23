//! A WASI runner: runs a `wasi:cli/command` component with the terminal's
//! standard streams and exits with the guest's exit code, like
//! `wasmtime run` does.
//!
//! ```text
//! cargo run -p wit-host-examples --bin wasi_run -- \
//!     [--dir HOST[::GUEST]] [--dir-ro HOST[::GUEST]] [--env K=V] [--inherit-env] \
//!     [--inherit-network] COMPONENT.wasm [ARGS]...
//! ```
//!
//! The guest sees only what the flags grant: its arguments (the component's
//! file name, then ARGS), the variables given with `--env`, the
//! directories given with `--dir` (read-write) or `--dir-ro` (read-only),
//! and no network unless `--inherit-network`.

use std::process::ExitCode;

use wit_host::{Component, Engine, Linker, ResourceTable, Result, Store, bail};
use wit_host_wasi::p2::bindings::Command;
use wit_host_wasi::{DirPerms, FilePerms, I32Exit, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The store's data: the WASI context and the table of its resources.
struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

const USAGE: &str = "usage: wasi_run [--dir HOST[::GUEST]] [--dir-ro HOST[::GUEST]] [--env K=V] \
                     [--inherit-env] [--inherit-network] COMPONENT.wasm [ARGS]...";

/// Reads the flags into `builder`; returns the component's path and the
/// guest's arguments.
fn parse_args(builder: &mut WasiCtxBuilder) -> Result<(String, Vec<String>)> {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| match args.next() {
            Some(v) => Ok(v),
            None => bail!("{flag} needs a value\n{USAGE}"),
        };
        match arg.as_str() {
            "--dir" | "--dir-ro" => {
                let spec = value(&arg)?;
                let (host, guest) = spec.split_once("::").unwrap_or((&spec, &spec));
                let (dirs, files) = if arg == "--dir" {
                    (DirPerms::all(), FilePerms::all())
                } else {
                    (DirPerms::READ, FilePerms::READ)
                };
                builder.preopened_dir(host, guest, dirs, files)?;
            }
            "--env" => {
                let spec = value("--env")?;
                let Some((k, v)) = spec.split_once('=') else {
                    bail!("--env takes KEY=VALUE, not `{spec}`");
                };
                builder.env(k, v);
            }
            "--inherit-env" => {
                builder.inherit_env();
            }
            "--inherit-network" => {
                builder.inherit_network().allow_ip_name_lookup(true);
            }
            "-h" | "--help" => bail!("{USAGE}"),
            flag if flag.starts_with("--") => bail!("unknown flag `{flag}`\n{USAGE}"),
            _ => {
                let rest: Vec<String> = args.collect();
                return Ok((arg, rest));
            }
        }
    }
    bail!("no component given\n{USAGE}")
}

/// Runs the command; its exit code.
fn run() -> Result<u8> {
    let mut builder = WasiCtx::builder();
    let (path, guest_args) = parse_args(&mut builder)?;
    builder.inherit_stdio().arg(&path).args(&guest_args);

    let engine = Engine::default();
    let component = Component::from_file(&engine, &path)?;
    let mut linker = Linker::<Host>::new(&engine);
    wit_host_wasi::p2::add_to_linker_sync(&mut linker)?;

    let host = Host {
        wasi: builder.build(),
        table: ResourceTable::new(),
    };
    let mut store = Store::new(&engine, host);
    let command = Command::instantiate(&mut store, &component, &linker)?;
    match command.wasi_cli_run().call_run(&mut store) {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            // Exit codes are 0..=255 on the systems we run on.
            Some(I32Exit(code)) => Ok(*code as u8),
            None => Err(e),
        },
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("wasi_run: {e:#}");
            ExitCode::from(125)
        }
    }
}
