//! The code each `bindgen!` generates for a world, captured through the
//! macro's own debug switch, and its size.
//!
//! Both macros can write their output to a file, formatted with `rustfmt`,
//! and include it from there: wit-host with `WIT_HOST_DEBUG_BINDGEN=1`
//! (into `$TMPDIR/wit-host-bindgen/<crate>-<world>-<hash>.rs`), wasmtime with
//! `WASMTIME_DEBUG_BINDGEN=1` (into its macro crate's build-script output
//! directory, as `<world><n>.rs`). One check of the scratch crate with the
//! switch on leaves the file; it is copied to
//! `target/bindgen-cost/expanded/` for the `-expanded` crates.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::check::{CheckEnv, check};
use crate::scratch::{Body, Host, Scratch, World};

/// How big an expansion is, as `rustfmt` laid it out.
#[derive(Clone, Copy)]
pub struct Size {
    /// Lines with something other than white space.
    pub lines: usize,
    pub bytes: usize,
}

/// Expands `world` with `host`'s macro, saves the code (see the module's
/// docs) and returns its size.
pub fn capture(scratch: &Scratch, host: &Host, world: &World) -> Result<Size, String> {
    let dir = scratch
        .write(host, Body::Macro(world), 0)
        .map_err(|e| format!("cannot write the scratch crate: {e}"))?;
    let tmp_dir = scratch.dir.join("tmp");
    std::fs::create_dir_all(&tmp_dir).map_err(|e| format!("cannot create {tmp_dir:?}: {e}"))?;
    let target_dir = scratch.target_dir(host);
    let started = SystemTime::now();
    check(
        &dir,
        &CheckEnv {
            target_dir: &target_dir,
            tmp_dir: &tmp_dir,
            debug_var: Some(host.debug_var),
        },
    )?;
    let dumped = match host.name {
        "wit-host" => {
            let krate = Scratch::package(host, Body::Macro(world)).replace('-', "_");
            newest_wit_host_dump(
                &tmp_dir.join("wit-host-bindgen"),
                &krate,
                world.plain_name(),
            )?
        }
        _ => newest_wasmtime_dump(&target_dir, world.plain_name())?,
    };
    let fresh = std::fs::metadata(&dumped)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified >= started);
    if !fresh {
        return Err(format!(
            "{} did not write {} (is {} still honoured?)",
            host.name,
            dumped.display(),
            host.debug_var
        ));
    }
    let code = std::fs::read_to_string(&dumped)
        .map_err(|e| format!("cannot read {}: {e}", dumped.display()))?;
    let saved = scratch.expansion_file(host, world);
    if let Some(parent) = saved.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {parent:?}: {e}"))?;
    }
    std::fs::write(&saved, &code).map_err(|e| format!("cannot write {saved:?}: {e}"))?;
    Ok(Size {
        lines: code.lines().filter(|l| !l.trim().is_empty()).count(),
        bytes: code.len(),
    })
}

/// The newest `<krate>-<world>-<hash>.rs` wit-host's macro wrote in `dir`.
fn newest_wit_host_dump(dir: &Path, krate: &str, world: &str) -> Result<PathBuf, String> {
    let prefix = format!("{krate}-{world}-");
    newest_in([dir.to_path_buf()], |name| {
        name.strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".rs"))
            .is_some_and(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_hexdigit()))
    })
    .ok_or_else(|| format!("wit-host wrote no {prefix}<hash>.rs in {dir:?}"))
}

/// The newest `<world><n>.rs` in the output directories of wasmtime's
/// macro crate under `target_dir`.
fn newest_wasmtime_dump(target_dir: &Path, world: &str) -> Result<PathBuf, String> {
    let build = target_dir.join("debug/build");
    let dirs = std::fs::read_dir(&build).map_err(|e| format!("cannot read {build:?}: {e}"))?;
    let outs = dirs.flatten().filter_map(|entry| {
        let name = entry.file_name();
        let ours = name
            .to_string_lossy()
            .starts_with("wasmtime-internal-component-macro-");
        ours.then(|| entry.path().join("out"))
    });
    newest_in(outs, |name| {
        name.strip_prefix(world)
            .and_then(|rest| rest.strip_suffix(".rs"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
    .ok_or_else(|| format!("no `{world}<n>.rs` from wasmtime's macro under {build:?}"))
}

/// The most recently modified file in `dirs` whose name `is_dump` accepts
/// (unreadable directories are skipped).
fn newest_in(
    dirs: impl IntoIterator<Item = PathBuf>,
    is_dump: impl Fn(&str) -> bool,
) -> Option<PathBuf> {
    let mut newest: Option<(SystemTime, PathBuf)> = None;
    for dir in dirs {
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for file in files.flatten() {
            let modified = file.metadata().and_then(|m| m.modified());
            if let (true, Ok(modified)) = (is_dump(&file.file_name().to_string_lossy()), modified)
                && newest.as_ref().is_none_or(|(t, _)| modified > *t)
            {
                newest = Some((modified, file.path()));
            }
        }
    }
    newest.map(|(_, path)| path)
}
