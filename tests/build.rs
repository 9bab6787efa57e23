//! Builds the real guest components that `tests/guests_*.rs` run: C sources
//! under `guests/` are compiled by clang with wasi-libc into core modules,
//! which `wit-component` turns into components, the way a C developer
//! builds a component.
//!
//! For each guest the script generates the C bindings of its WIT world with
//! `wit-bindgen-c` (including the `*_component_type.o` object that records
//! the world and the string encoding in the core module), compiles and links
//! with `clang --target=wasm32-wasi -mexec-model=reactor`, checks that the
//! core module imports nothing but the world's interfaces (no WASI: these
//! guests run on wit-host alone), and encodes the component with `ComponentEncoder`. Two guests
//! are then composed into one component by `wasm-compose`. Every component
//! is written to `OUT_DIR` and its path handed to the tests as
//! `WIT_HOST_GUEST_<NAME>` (see [`GUESTS`] and [`COMPOSED`]).
//!
//! Without a C compiler that targets `wasm32-wasi` (a laptop without
//! `clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32`) nothing is built:
//! `WIT_HOST_GUESTS_SKIPPED` carries the reason and the `guests_skipped`
//! cfg marks every test that needs them `#[ignore]`d, so that `cargo test`
//! counts them as ignored, not passed — unless `WIT_HOST_REQUIRE_GUESTS=1`
//! (set by `.ci/run`) makes the missing compiler a build error. The Python
//! guests do the same with `py_guests_skipped`. `WIT_HOST_GUEST_CC` names the compiler to use and
//! `WIT_HOST_GUEST_CFLAGS` adds flags (such as `--sysroot=...`).
//!
//! Finding and running the compiler, and the preview1 adapters, come from
//! the workspace's `wit-host-guest-build` (`guest-build/`), which
//! `bench/build.rs` uses too; what is specific to these guests is here.
//!
//! The WASI guests (C through the preview1 adapters, and Python through
//! componentize-py) are built by [`wasi_guests`], in `build/wasi_guests.rs`.

use std::collections::BTreeSet;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use wit_bindgen_core::Files;
use wit_bindgen_core::wit_parser::Resolve;
use wit_component::{ComponentEncoder, StringEncoding};
use wit_host_guest_build::{
    Compiler, Error, INSTALL_HINT, REACTOR_FLAGS, REQUIRE_VAR, find_compiler, guests_required,
    run_command,
};

#[path = "build/wasi_guests.rs"]
mod wasi_guests;

/// One guest component built from C.
struct Guest {
    /// The component's name: `WIT_HOST_GUEST_<NAME>` (upper-cased, `-` as
    /// `_`) holds its path, and `OUT_DIR/<name>.wasm` is the file.
    name: &'static str,
    /// Directory under `guests/` holding the WIT package and C sources.
    dir: &'static str,
    /// The world the guest implements.
    world: &'static str,
    /// C sources in `dir`.
    sources: &'static [&'static str],
    /// The string encoding of the guest's canonical ABI.
    encoding: StringEncoding,
}

/// Every guest, in build order.
const GUESTS: &[Guest] = &[
    Guest {
        name: "values",
        dir: "values",
        world: "values",
        sources: &["values.c"],
        encoding: StringEncoding::UTF8,
    },
    Guest {
        name: "values-utf16",
        dir: "values",
        world: "values",
        sources: &["values.c"],
        encoding: StringEncoding::UTF16,
    },
    Guest {
        name: "resources",
        dir: "resources",
        world: "resources",
        sources: &["resources.c"],
        encoding: StringEncoding::UTF8,
    },
    Guest {
        name: "text-provider",
        dir: "compose",
        world: "provider",
        sources: &["provider.c"],
        encoding: StringEncoding::UTF16,
    },
    Guest {
        name: "text-consumer",
        dir: "compose",
        world: "consumer",
        sources: &["consumer.c"],
        encoding: StringEncoding::UTF8,
    },
    Guest {
        name: "misbehave",
        dir: "misbehave",
        world: "misbehave",
        sources: &["misbehave.c"],
        encoding: StringEncoding::UTF8,
    },
    Guest {
        name: "misbehave-utf16",
        dir: "misbehave",
        world: "misbehave",
        sources: &["misbehave.c"],
        encoding: StringEncoding::UTF16,
    },
];

/// The composition: `name` is the first guest with its imports satisfied by
/// the exports of the others (as `wasm-compose` definitions).
const COMPOSED: (&str, &str, &[&str]) = ("composed", "text-consumer", &["text-provider"]);

/// Runs [`run`]; on failure prints the reason and fails the build.
fn main() {
    if let Err(e) = run() {
        eprintln!("error: building the guest components failed:\n{e}");
        std::process::exit(1);
    }
}

/// Builds every guest and the composition, or records why they are
/// skipped; emits the `cargo:` lines.
fn run() -> Result<(), Error> {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=guests");
    println!("cargo::rustc-check-cfg=cfg(guests_skipped)");
    println!("cargo::rustc-check-cfg=cfg(py_guests_skipped)");
    wit_host_guest_build::rerun_if_env_changed();
    let manifest = PathBuf::from(env_var("CARGO_MANIFEST_DIR")?);
    let out = PathBuf::from(env_var("OUT_DIR")?);
    let guests_dir = manifest.join("guests");
    wasi_guests::rerun_if_changed();
    // componentize-py runs in the background while the C guests build.
    let python = wasi_guests::start_python(&manifest, &out)?;

    let cc = match find_compiler(&out) {
        Ok(cc) => cc,
        Err(reason) => {
            let reason = format!("{reason}; {INSTALL_HINT}, then `touch tests/build.rs`");
            if guests_required() {
                return Err(format!(
                    "{REQUIRE_VAR}=1, but the C guest components cannot be built: {reason}"
                ));
            }
            println!("cargo:warning=real guest components not built: {reason}");
            println!("cargo:rustc-cfg=guests_skipped");
            println!("cargo:rustc-env=WIT_HOST_GUESTS_SKIPPED={reason}");
            for guest in GUESTS {
                println!("cargo:rustc-env={}=", env_name(guest.name));
            }
            println!("cargo:rustc-env={}=", env_name(COMPOSED.0));
            wasi_guests::skip_c();
            return python.finish();
        }
    };
    println!("cargo:rustc-env=WIT_HOST_GUESTS_SKIPPED=");

    for guest in GUESTS {
        let path = build_guest(&cc, &guests_dir, &out, guest)
            .map_err(|e| format!("guest `{}` (guests/{}): {e}", guest.name, guest.dir))?;
        println!(
            "cargo:rustc-env={}={}",
            env_name(guest.name),
            path.display()
        );
    }

    let (name, root, definitions) = COMPOSED;
    let path =
        compose(&out, name, root, definitions).map_err(|e| format!("composing `{name}`: {e}"))?;
    println!("cargo:rustc-env={}={}", env_name(name), path.display());
    wasi_guests::build_c(&cc, &manifest, &out)?;
    python.finish()
}

/// An environment variable cargo sets for build scripts.
fn env_var(name: &str) -> Result<String, Error> {
    env::var(name).map_err(|e| format!("environment variable {name}: {e}"))
}

/// The environment variable holding the path of the component `name`.
fn env_name(name: &str) -> String {
    format!(
        "WIT_HOST_GUEST_{}",
        name.to_ascii_uppercase().replace('-', "_")
    )
}

/// Builds one guest: bindings, core module, import check, component.
/// Returns the component's path.
fn build_guest(
    cc: &Compiler,
    guests_dir: &Path,
    out: &Path,
    guest: &Guest,
) -> Result<PathBuf, Error> {
    let src = guests_dir.join(guest.dir);
    let work = out.join(guest.name);
    let gen_dir = work.join("gen");
    fs::create_dir_all(&gen_dir).map_err(|e| format!("creating {gen_dir:?}: {e}"))?;

    // The world and its C bindings.
    let mut resolve = Resolve::default();
    let (package, _) = resolve
        .push_path(&src)
        .map_err(|e| format!("parsing the WIT in {src:?}: {e:?}"))?;
    let world = resolve
        .select_world(&[package], Some(guest.world))
        .map_err(|e| format!("world `{}`: {e:?}", guest.world))?;
    let allowed = allowed_import_modules(&resolve, world);
    let opts = wit_bindgen_c::Opts {
        string_encoding: guest.encoding,
        ..Default::default()
    };
    let mut files = Files::default();
    opts.build()
        .generate(&mut resolve, world, &mut files)
        .map_err(|e| format!("wit-bindgen-c: {e:?}"))?;
    let mut generated_c = Vec::new();
    let mut objects = Vec::new();
    for (name, contents) in files.iter() {
        let path = gen_dir.join(name);
        fs::write(&path, contents).map_err(|e| format!("writing {path:?}: {e}"))?;
        if name.ends_with(".c") {
            generated_c.push(path);
        } else if name.ends_with(".o") {
            objects.push(path);
        }
    }

    // Compile: the guest's own sources strictly, the generated ones (whose
    // objects are prefixed `gen-`, as their names may be the same) as they
    // are; then link with wasi-libc.
    let compile = |source: &Path, strict: bool| -> Result<PathBuf, Error> {
        let stem = source.file_stem().unwrap_or_default().to_string_lossy();
        let prefix = if strict { "" } else { "gen-" };
        let object = work.join(format!("{prefix}{stem}.o"));
        let mut cmd = cc.command();
        cmd.args(["-O2", "-c", "-std=c11"]).arg("-I").arg(&gen_dir);
        if strict {
            cmd.args(["-Wall", "-Wextra", "-Werror"]);
        }
        cmd.arg(source).arg("-o").arg(&object);
        run_command(&mut cmd)?;
        Ok(object)
    };
    for source in guest.sources {
        objects.push(compile(&src.join(source), true)?);
    }
    for source in &generated_c {
        objects.push(compile(source, false)?);
    }
    let core_path = work.join("core.wasm");
    let mut link = cc.command();
    link.args(REACTOR_FLAGS)
        .args(&objects)
        .arg("-o")
        .arg(&core_path);
    run_command(&mut link)?;
    let core = fs::read(&core_path).map_err(|e| format!("reading {core_path:?}: {e}"))?;
    check_imports(&core, &allowed)?;

    // The component.
    let component = ComponentEncoder::default()
        .validate(true)
        .module(&core)
        .and_then(|e| e.encode())
        .map_err(|e| format!("wit-component: {e:?}"))?;
    check_encoding(&component, guest.encoding)?;
    let path = out.join(format!("{}.wasm", guest.name));
    fs::write(&path, component).map_err(|e| format!("writing {path:?}: {e}"))?;
    Ok(path)
}

/// The core import modules a guest of `world` may use: its imported and
/// exported interfaces (exports appear as `[export]<name>` for resource
/// intrinsics) and `$root` for world-level items.
fn allowed_import_modules(
    resolve: &Resolve,
    world: wit_bindgen_core::wit_parser::WorldId,
) -> BTreeSet<String> {
    let world = &resolve.worlds[world];
    let mut allowed = BTreeSet::from(["$root".to_string(), "[export]$root".to_string()]);
    for key in world.imports.keys() {
        allowed.insert(resolve.name_world_key(key));
    }
    for key in world.exports.keys() {
        allowed.insert(format!("[export]{}", resolve.name_world_key(key)));
    }
    allowed
}

/// Fails if the core module imports anything but the world's interfaces:
/// a libc call that needs WASI (stdio, clocks, exit, ...) shows up here as
/// a `wasi_snapshot_preview1` import, which these guests must not have
/// (the WASI guests of `wasi_guests` allow it).
fn check_imports(core: &[u8], allowed: &BTreeSet<String>) -> Result<(), Error> {
    let mut bad = BTreeSet::new();
    for payload in wasmparser::Parser::new(0).parse_all(core) {
        let payload = payload.map_err(|e| format!("parsing the core module: {e}"))?;
        if let wasmparser::Payload::ImportSection(reader) = payload {
            for import in reader.into_imports() {
                let import = import.map_err(|e| format!("parsing the core module: {e}"))?;
                if !allowed.contains(import.module) {
                    bad.insert(format!("{}::{}", import.module, import.name));
                }
            }
        }
    }
    if bad.is_empty() {
        return Ok(());
    }
    Err(format!(
        "the core module imports what the world does not provide (a libc \
         function that needs WASI?): {}",
        bad.into_iter().collect::<Vec<_>>().join(", ")
    ))
}

/// Fails unless `component` lifts and lowers strings in `expected`: the
/// encoding that wit-bindgen-c recorded in the component-type object must
/// reach the component. (wit-component names an encoding only where a
/// signature has strings; UTF-8 is also the default when none is named.)
fn check_encoding(component: &[u8], expected: StringEncoding) -> Result<(), Error> {
    use wasmparser::{CanonicalFunction, CanonicalOption, Payload};
    let mut named = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        let payload = payload.map_err(|e| format!("parsing the component: {e}"))?;
        let Payload::ComponentCanonicalSection(reader) = payload else {
            continue;
        };
        for func in reader {
            let func = func.map_err(|e| format!("parsing the component: {e}"))?;
            if let CanonicalFunction::Lift { options, .. }
            | CanonicalFunction::Lower { options, .. } = &func
            {
                named.extend(options.iter().filter_map(|o| match o {
                    CanonicalOption::UTF8 => Some(StringEncoding::UTF8),
                    CanonicalOption::UTF16 => Some(StringEncoding::UTF16),
                    CanonicalOption::CompactUTF16 => Some(StringEncoding::CompactUTF16),
                    _ => None,
                }));
            }
        }
    }
    if let Some(other) = named.iter().find(|e| **e != expected) {
        return Err(format!(
            "the component lifts or lowers {other:?} strings, not {expected:?}"
        ));
    }
    if expected != StringEncoding::UTF8 && named.is_empty() {
        return Err(format!(
            "the component names no string encoding, so its strings are UTF-8, not {expected:?}"
        ));
    }
    Ok(())
}

/// Composes `root` with `definitions` (components already built into
/// `out`) and writes `out/<name>.wasm`.
fn compose(out: &Path, name: &str, root: &str, definitions: &[&str]) -> Result<PathBuf, Error> {
    let root = out.join(format!("{root}.wasm"));
    let config = wasm_compose::config::Config {
        dir: out.to_path_buf(),
        definitions: definitions
            .iter()
            .map(|d| out.join(format!("{d}.wasm")))
            .collect(),
        ..Default::default()
    };
    let bytes = wasm_compose::composer::ComponentComposer::new(&root, &config)
        .compose()
        .map_err(|e| format!("wasm-compose: {e:?}"))?;
    let path = out.join(format!("{name}.wasm"));
    fs::write(&path, bytes).map_err(|e| format!("writing {path:?}: {e}"))?;
    Ok(path)
}
