//! The WASI guests that `tests/tests/all/wasi/` runs through
//! `wit-host-wasi`, built the way their developers build them:
//!
//! - `wasi-probe` (`guests/wasi/probe/probe.c`): a C command, compiled by
//!   clang with wasi-libc for `wasm32-wasi` (the old name of
//!   `wasm32-wasip1`, which Debian's wasi-libc is installed under), its
//!   WASI preview 1 imports adapted to WASI 0.2 by the preview1 *command*
//!   adapter of `wasi-preview1-component-adapter-provider` (the one
//!   wasmtime 48 ships; `wit_host_guest_build::wasi_component` encodes
//!   with it). `argv[1]` selects what it does.
//! - `wasi-plugin` (`guests/wasi/plugin/`): a C reactor implementing the
//!   world `test:wasi-plugin/plugin` (which includes `wasi:cli/imports`),
//!   with wit-bindgen-c's bindings and the *reactor* adapter.
//! - With `componentize-py` on `PATH`: `py-plugin`, the same world in
//!   Python (`guests/wasi/plugin/checks.py`), and `py-command`, a
//!   `wasi:cli/command` in Python (`guests/wasi/python/app.py`). They take
//!   about 15 s of CPU each, so they run as child processes while the C
//!   guests build, and are rebuilt only when their inputs change (a hash
//!   beside each output).
//!
//! Every component's path is handed to the tests as `WIT_HOST_GUEST_<NAME>`
//! (empty when not built). Without componentize-py, `WIT_HOST_PY_GUESTS_SKIPPED`
//! says why, and the Python tests skip, or fail under
//! `WIT_HOST_REQUIRE_GUESTS=1`, like the C guests do.

use std::collections::BTreeSet;
use std::fs;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use wit_bindgen_core::Files;
use wit_bindgen_core::wit_parser::Resolve;
use wit_component::StringEncoding;
use wit_host_guest_build::{
    Adapter, Compiler, Error, PREVIEW1_MODULE, REACTOR_FLAGS, run_command, show, wasi_component,
};

use crate::{allowed_import_modules, check_imports, env_name};

/// The C guests.
const C_GUESTS: &[&str] = &["wasi-probe", "wasi-plugin"];

/// The Python guests.
const PY_GUESTS: &[PyGuest] = &[
    PyGuest {
        name: "py-plugin",
        app: "checks",
        source: "plugin/checks.py",
        world: "test:wasi-plugin/plugin",
        own_wit: Some("plugin"),
    },
    PyGuest {
        name: "py-command",
        app: "app",
        source: "python/app.py",
        world: "wasi:cli/command@0.2.12",
        own_wit: None,
    },
];

/// One component built by componentize-py.
struct PyGuest {
    /// The component's name (see [`env_name`]).
    name: &'static str,
    /// The Python module holding the app.
    app: &'static str,
    /// Its source, under `guests/wasi/`.
    source: &'static str,
    /// The world it targets.
    world: &'static str,
    /// The folder under `guests/wasi/` holding the world's own WIT, if the
    /// world is not WASI's.
    own_wit: Option<&'static str>,
}

/// Where the inputs are: `tests/guests/wasi/` and the WASI WIT vendored in
/// `wasi/wit/` (whose `deps/` every WASI world here resolves against).
struct Inputs {
    guests: PathBuf,
    wasi_wit: PathBuf,
}

impl Inputs {
    fn new(manifest: &Path) -> Inputs {
        Inputs {
            guests: manifest.join("guests").join("wasi"),
            wasi_wit: manifest.join("..").join("wasi").join("wit"),
        }
    }
}

/// The `cargo:` lines this module's inputs need.
pub fn rerun_if_changed() {
    println!("cargo:rerun-if-changed=build/wasi_guests.rs");
    println!("cargo:rerun-if-changed=../wasi/wit");
}

/// Records that the C guests were not built (the reason is the C guests'
/// `WIT_HOST_GUESTS_SKIPPED`).
pub fn skip_c() {
    for name in C_GUESTS {
        println!("cargo:rustc-env={}=", env_name(name));
    }
}

/// Builds the C guests and hands their paths to the tests.
pub fn build_c(cc: &Compiler, manifest: &Path, out: &Path) -> Result<(), Error> {
    let inputs = Inputs::new(manifest);
    let probe = build_probe(cc, &inputs, out).map_err(|e| format!("guest `wasi-probe`: {e}"))?;
    let plugin = build_plugin(cc, &inputs, out).map_err(|e| format!("guest `wasi-plugin`: {e}"))?;
    for (name, path) in [("wasi-probe", probe), ("wasi-plugin", plugin)] {
        println!("cargo:rustc-env={}={}", env_name(name), path.display());
    }
    Ok(())
}

/// `wasi-probe`: a C command through the preview1 command adapter.
fn build_probe(cc: &Compiler, inputs: &Inputs, out: &Path) -> Result<PathBuf, Error> {
    let work = out.join("wasi-probe");
    fs::create_dir_all(&work).map_err(|e| format!("creating {work:?}: {e}"))?;
    let core_path = work.join("core.wasm");
    let mut cmd = cc.command();
    cmd.args(["-O2", "-std=c11", "-Wall", "-Wextra", "-Werror"])
        .arg(inputs.guests.join("probe").join("probe.c"))
        .arg("-o")
        .arg(&core_path);
    run_command(&mut cmd)?;
    let core = fs::read(&core_path).map_err(|e| format!("reading {core_path:?}: {e}"))?;
    check_imports(&core, &BTreeSet::from([PREVIEW1_MODULE.to_string()]))?;
    encode(&core, Adapter::Command, out, "wasi-probe")
}

/// `wasi-plugin`: the world `test:wasi-plugin/plugin` in C, a reactor
/// through the preview1 reactor adapter.
fn build_plugin(cc: &Compiler, inputs: &Inputs, out: &Path) -> Result<PathBuf, Error> {
    let src = inputs.guests.join("plugin");
    let work = out.join("wasi-plugin");
    let gen_dir = work.join("gen");
    fs::create_dir_all(&gen_dir).map_err(|e| format!("creating {gen_dir:?}: {e}"))?;

    // The world resolves `wasi:cli/imports` against the vendored WASI WIT.
    let mut resolve = Resolve::default();
    resolve
        .push_path(&inputs.wasi_wit)
        .map_err(|e| format!("parsing the WASI WIT in {:?}: {e:?}", inputs.wasi_wit))?;
    let (package, _) = resolve
        .push_path(&src)
        .map_err(|e| format!("parsing the WIT in {src:?}: {e:?}"))?;
    let world = resolve
        .select_world(&[package], Some("plugin"))
        .map_err(|e| format!("world `plugin`: {e:?}"))?;
    let mut allowed = allowed_import_modules(&resolve, world);
    allowed.insert(PREVIEW1_MODULE.to_string());
    let mut files = Files::default();
    wit_bindgen_c::Opts::default()
        .build()
        .generate(&mut resolve, world, &mut files)
        .map_err(|e| format!("wit-bindgen-c: {e:?}"))?;
    let mut objects = Vec::new();
    let mut sources = vec![(src.join("plugin.c"), true)];
    for (name, contents) in files.iter() {
        let path = gen_dir.join(name);
        fs::write(&path, contents).map_err(|e| format!("writing {path:?}: {e}"))?;
        if name.ends_with(".c") {
            sources.push((path, false));
        } else if name.ends_with(".o") {
            objects.push(path);
        }
    }
    for (source, strict) in sources {
        let stem = source.file_stem().unwrap_or_default().to_string_lossy();
        let object = work.join(format!("{}{stem}.o", if strict { "" } else { "gen-" }));
        let mut cmd = cc.command();
        cmd.args(["-O2", "-c", "-std=c11"]).arg("-I").arg(&gen_dir);
        if strict {
            cmd.args(["-Wall", "-Wextra", "-Werror"]);
        }
        run_command(cmd.arg(&source).arg("-o").arg(&object))?;
        objects.push(object);
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
    encode(&core, Adapter::Reactor, out, "wasi-plugin")
}

/// Encodes the core module `core` as a component with the preview1
/// `adapter`, checks its strings are UTF-8, and writes `out/<name>.wasm`.
fn encode(core: &[u8], adapter: Adapter, out: &Path, name: &str) -> Result<PathBuf, Error> {
    let component = wasi_component(core, adapter)?;
    crate::check_encoding(&component, StringEncoding::UTF8)?;
    let path = out.join(format!("{name}.wasm"));
    fs::write(&path, component).map_err(|e| format!("writing {path:?}: {e}"))?;
    Ok(path)
}

/// The Python guests being built: componentize-py runs as child processes
/// while the rest of the build goes on; [`PythonBuilds::finish`] waits.
pub struct PythonBuilds {
    /// One per guest, in [`PY_GUESTS`] order.
    builds: Vec<PyBuild>,
    /// Why nothing is built, if so.
    skipped: Option<String>,
}

/// One Python guest's build.
struct PyBuild {
    name: &'static str,
    /// The component.
    output: PathBuf,
    /// The process building it, or none when the output is up to date.
    running: Option<Running>,
}

/// A componentize-py process, and the hash of its inputs, to record in
/// `hash_path` when it succeeds.
struct Running {
    child: Child,
    hash_path: PathBuf,
    hash: u64,
}

/// Starts componentize-py for each Python guest whose output is out of
/// date, or records why there is none.
pub fn start_python(manifest: &Path, out: &Path) -> Result<PythonBuilds, Error> {
    let inputs = Inputs::new(manifest);
    let version = match Command::new("componentize-py").arg("--version").output() {
        Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).trim().to_string(),
        Ok(o) => {
            return Ok(PythonBuilds::skipped(format!(
                "`componentize-py --version` failed ({}): {}",
                o.status,
                String::from_utf8_lossy(&o.stderr).trim()
            )));
        }
        Err(e) => {
            return Ok(PythonBuilds::skipped(format!(
                "componentize-py is not on PATH ({e}); `pip install componentize-py==0.25.1`, \
                 then `touch tests/build.rs`"
            )));
        }
    };
    let mut builds = Vec::new();
    for guest in PY_GUESTS {
        let running = start_py_guest(&inputs, out, guest, &version)
            .map_err(|e| format!("guest `{}`: {e}", guest.name))?;
        builds.push(PyBuild {
            name: guest.name,
            output: out.join(format!("{}.wasm", guest.name)),
            running,
        });
    }
    Ok(PythonBuilds {
        builds,
        skipped: None,
    })
}

/// Starts componentize-py for `guest`, unless its output exists and was
/// built from the same inputs (same hash). The process runs in a copy of
/// the source under `out`, so that Python's caches stay out of the tree.
fn start_py_guest(
    inputs: &Inputs,
    out: &Path,
    guest: &PyGuest,
    version: &str,
) -> Result<Option<Running>, Error> {
    let source = inputs.guests.join(guest.source);
    let output = out.join(format!("{}.wasm", guest.name));
    let hash_path = out.join(format!("{}.hash", guest.name));
    let mut hasher = DefaultHasher::new();
    version.hash(&mut hasher);
    guest.world.hash(&mut hasher);
    hash_tree(&source, &mut hasher)?;
    hash_tree(&inputs.wasi_wit, &mut hasher)?;
    if let Some(own) = guest.own_wit {
        hash_tree(&inputs.guests.join(own).join("world.wit"), &mut hasher)?;
    }
    let hash = hasher.finish();
    let up_to_date = output.exists()
        && fs::read_to_string(&hash_path).is_ok_and(|h| h.trim() == hash.to_string());
    if up_to_date {
        return Ok(None);
    }

    let work = out.join(guest.name);
    fs::create_dir_all(&work).map_err(|e| format!("creating {work:?}: {e}"))?;
    let copy = work.join(format!("{}.py", guest.app));
    fs::copy(&source, &copy).map_err(|e| format!("copying {source:?}: {e}"))?;
    let _ = fs::remove_file(&hash_path);
    let mut cmd = Command::new("componentize-py");
    cmd.current_dir(&work)
        .arg("--quiet")
        .arg("-d")
        .arg(&inputs.wasi_wit);
    if let Some(own) = guest.own_wit {
        cmd.arg("-d").arg(inputs.guests.join(own));
    }
    cmd.args(["-w", guest.world, "componentize", "-p"])
        .arg(&work)
        .arg("-o")
        .arg(&output)
        .arg(guest.app)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let child = cmd.spawn().map_err(|e| format!("{}: {e}", show(&cmd)))?;
    Ok(Some(Running {
        child,
        hash_path,
        hash,
    }))
}

/// Feeds the file at `path`, or every file beneath the folder at `path`
/// (in name order), into `hasher`.
fn hash_tree(path: &Path, hasher: &mut DefaultHasher) -> Result<(), Error> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = fs::read_dir(path)
            .map_err(|e| format!("reading {path:?}: {e}"))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<_, _>>()
            .map_err(|e| format!("reading {path:?}: {e}"))?;
        entries.sort();
        for entry in entries {
            hash_tree(&entry, hasher)?;
        }
    } else {
        path.file_name().hash(hasher);
        fs::read(path)
            .map_err(|e| format!("reading {path:?}: {e}"))?
            .hash(hasher);
    }
    Ok(())
}

impl PythonBuilds {
    fn skipped(reason: String) -> PythonBuilds {
        PythonBuilds {
            builds: Vec::new(),
            skipped: Some(reason),
        }
    }

    /// Waits for the builds, records their hashes, and hands the paths (or
    /// the reason for skipping) to the tests.
    pub fn finish(mut self) -> Result<(), Error> {
        if let Some(reason) = &self.skipped {
            if wit_host_guest_build::guests_required() {
                return Err(format!(
                    "{}=1, but the Python guest components cannot be built: {reason}",
                    wit_host_guest_build::REQUIRE_VAR
                ));
            }
            println!("cargo:warning=Python guest components not built: {reason}");
            println!("cargo:rustc-cfg=py_guests_skipped");
        }
        println!(
            "cargo:rustc-env=WIT_HOST_PY_GUESTS_SKIPPED={}",
            self.skipped.as_deref().unwrap_or_default()
        );
        for guest in PY_GUESTS {
            if self.skipped.is_some() {
                println!("cargo:rustc-env={}=", env_name(guest.name));
            }
        }
        // Taken one by one: on an error, the builds still running stay in
        // `self.builds` for `drop` to stop.
        self.builds.reverse();
        while let Some(build) = self.builds.pop() {
            let name = build.name;
            if let Some(running) = build.running {
                let result = running
                    .child
                    .wait_with_output()
                    .map_err(|e| format!("guest `{name}`: waiting for componentize-py: {e}"))?;
                if !result.status.success() {
                    return Err(format!(
                        "guest `{name}`: componentize-py failed ({}):\n{}{}",
                        result.status,
                        String::from_utf8_lossy(&result.stdout),
                        String::from_utf8_lossy(&result.stderr)
                    ));
                }
                let hash_path = &running.hash_path;
                fs::write(hash_path, running.hash.to_string())
                    .map_err(|e| format!("writing {hash_path:?}: {e}"))?;
            }
            println!(
                "cargo:rustc-env={}={}",
                env_name(name),
                build.output.display()
            );
        }
        Ok(())
    }
}

impl Drop for PythonBuilds {
    /// Stops the builds still running when the build script fails
    /// elsewhere, so that no componentize-py outlives it.
    fn drop(&mut self) {
        for running in self.builds.iter_mut().filter_map(|b| b.running.as_mut()) {
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }
}
