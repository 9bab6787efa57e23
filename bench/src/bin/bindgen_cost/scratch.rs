//! The throwaway crates `bindgen-cost` checks: what they contain and where
//! they live.
//!
//! Every crate is a one-file library in its own workspace under
//! `target/bindgen-cost/`, with a copy of this workspace's `Cargo.lock` (so
//! both hosts build the dependency versions the workspace tests with) and
//! one of three bodies:
//!
//! - [`Body::Empty`]: only the host's crate, used. Checking it measures
//!   cargo's own overhead, subtracted from the others.
//! - [`Body::Macro`]: the host's `bindgen!` over a world. (Its items are
//!   public, so rustc checks all of them without a use.)
//! - [`Body::Expanded`]: the code that `bindgen!` generated for that world,
//!   pasted in. Checking it measures type-checking the generated code
//!   alone; the difference to [`Body::Macro`] is the macro's own run.
//!
//! The crates of one host share one target directory, so the host's
//! dependencies are checked once and reused by every crate and every run.

use std::io;
use std::path::{Path, PathBuf};

/// A `bindgen!` implementation to measure.
pub struct Host {
    /// Short name: crate names, directories, the report.
    pub name: &'static str,
    /// The `[dependencies]` line, given the workspace's root.
    dependency: fn(&Path) -> String,
    /// The macro's path.
    pub macro_path: &'static str,
    /// The crate's name in Rust.
    pub krate: &'static str,
    /// The environment variable that makes the macro write its output to a
    /// file (see [`crate::expansion`]).
    pub debug_var: &'static str,
}

/// The two hosts: wit-host from this workspace, and wasmtime 48.0.8 from
/// crates.io with the same engine features as wit-host's (see the
/// workspace's `Cargo.toml`) plus `component-model`.
pub const HOSTS: [Host; 2] = [
    Host {
        name: "wit-host",
        dependency: |root| {
            format!(
                "wit-host = {{ path = {:?} }}",
                root.join("runtime").display().to_string()
            )
        },
        macro_path: "wit_host::bindgen!",
        krate: "wit_host",
        debug_var: "WIT_HOST_DEBUG_BINDGEN",
    },
    Host {
        name: "wasmtime",
        dependency: |_| {
            "wasmtime = { version = \"=48.0.8\", default-features = false, features = [\
             \"anyhow\", \"backtrace\", \"cranelift\", \"parallel-compilation\", \"runtime\", \
             \"std\", \"component-model\"] }"
                .to_string()
        },
        macro_path: "wasmtime::component::bindgen!",
        krate: "wasmtime",
        debug_var: "WASMTIME_DEBUG_BINDGEN",
    },
];

/// A WIT world to generate bindings for.
pub struct World {
    /// Short name: crate names, the command line, the report.
    pub id: &'static str,
    /// The WIT file or directory, relative to the workspace's root.
    pub path: &'static str,
    /// The world, as `bindgen!`'s `world` option takes it.
    pub world: &'static str,
}

impl World {
    /// The world's plain name (no package, no version): what both macros
    /// name their debug files after.
    pub fn plain_name(&self) -> &'static str {
        let name = self.world.rsplit_once('/').map_or(self.world, |(_, n)| n);
        name.split_once('@').map_or(name, |(n, _)| n)
    }
}

/// The worlds measured by default: `wasi:cli/command` and
/// `wasi:http/proxy`, the two largest in the corpus by generated code
/// (`--sizes --worlds all` shows it), and the two largest worlds of
/// `tests/codegen/*.wit` whose code compiles with both macros.
pub const DEFAULT_WORLDS: [&str; 4] = ["command", "proxy", "nested", "types-both"];

/// Worlds of the codegen corpus. wasmtime 48's bindings of three of them
/// do not compile (`resources-both`: two trait methods named `drop`;
/// `collisions-host`: a type named `Box`; `keywords-self`: a field named
/// `fn`), so they only have wit-host's size.
pub const CORPUS: &[World] = &[
    World {
        id: "command",
        path: "tests/codegen/wasi",
        world: "wasi:cli/command@0.2.9",
    },
    World {
        id: "proxy",
        path: "tests/codegen/wasi",
        world: "wasi:http/proxy@0.2.9",
    },
    World {
        id: "types-both",
        path: "tests/codegen/types.wit",
        world: "both",
    },
    World {
        id: "resources-both",
        path: "tests/codegen/resources.wit",
        world: "both-sides",
    },
    World {
        id: "worlds-everything",
        path: "tests/codegen/worlds.wit",
        world: "everything",
    },
    World {
        id: "uses",
        path: "tests/codegen/uses.wit",
        world: "uses",
    },
    World {
        id: "nested",
        path: "tests/codegen/nested.wit",
        world: "nested",
    },
    World {
        id: "collisions-host",
        path: "tests/codegen/collisions.wit",
        world: "host",
    },
    World {
        id: "long",
        path: "tests/codegen/long.wit",
        world: "a-world-with-a-long-name-and-long-signatures",
    },
    World {
        id: "keywords-self",
        path: "tests/codegen/keywords.wit",
        world: "self",
    },
    World {
        id: "include-big",
        path: "tests/codegen/include",
        world: "big",
    },
    World {
        id: "versions",
        path: "tests/codegen/versions",
        world: "versions",
    },
];

/// What a scratch crate's `src/lib.rs` holds (see the module's docs).
#[derive(Clone, Copy)]
pub enum Body<'a> {
    Empty,
    Macro(&'a World),
    Expanded(&'a World),
}

impl Body<'_> {
    /// The part of the crate's name after the host's.
    pub fn label(&self) -> String {
        match self {
            Body::Empty => "empty".to_string(),
            Body::Macro(world) => world.id.to_string(),
            Body::Expanded(world) => format!("{}-expanded", world.id),
        }
    }
}

/// Where the scratch crates live.
pub struct Scratch {
    /// The workspace being measured.
    pub root: PathBuf,
    /// `target/bindgen-cost/`.
    pub dir: PathBuf,
}

impl Scratch {
    /// The target directory all of `host`'s crates share.
    pub fn target_dir(&self, host: &Host) -> PathBuf {
        self.dir.join(format!("target-{}", host.name))
    }

    /// The directory of `host`'s crate with `body`.
    pub fn crate_dir(&self, host: &Host, body: Body<'_>) -> PathBuf {
        self.dir.join(format!("{}-{}", host.name, body.label()))
    }

    /// The crate's package name (its Rust name has `_` for `-`).
    pub fn package(host: &Host, body: Body<'_>) -> String {
        format!("cost-{}-{}", host.name, body.label())
    }

    /// The saved expansion of `world` by `host` (see
    /// [`crate::expansion`]).
    pub fn expansion_file(&self, host: &Host, world: &World) -> PathBuf {
        self.dir
            .join("expanded")
            .join(format!("{}-{}.rs", host.name, world.id))
    }

    /// Writes (or rewrites) `host`'s crate with `body`; `stamp` goes into
    /// a comment so that every call changes the source. Returns the
    /// crate's directory. `Body::Expanded` needs the expansion file.
    pub fn write(&self, host: &Host, body: Body<'_>, stamp: usize) -> io::Result<PathBuf> {
        let dir = self.crate_dir(host, body);
        std::fs::create_dir_all(dir.join("src"))?;
        let manifest = format!(
            "[package]\nname = {:?}\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [lib]\npath = \"src/lib.rs\"\n\n[dependencies]\n{}\n\n\
             # Its own workspace: not a member of the one it sits in.\n[workspace]\n",
            Self::package(host, body),
            (host.dependency)(&self.root),
        );
        write_if_changed(&dir.join("Cargo.toml"), &manifest)?;
        let lock = dir.join("Cargo.lock");
        if !lock.exists() {
            std::fs::copy(self.root.join("Cargo.lock"), &lock)?;
        }
        let krate = host.krate;
        let code = match body {
            Body::Empty => String::new(),
            Body::Macro(world) => {
                let path = self.root.join(world.path).display().to_string();
                format!(
                    "{}({{ path: {path:?}, world: {:?} }});\n",
                    host.macro_path, world.world
                )
            }
            Body::Expanded(world) => std::fs::read_to_string(self.expansion_file(host, world))?,
        };
        let lib = format!(
            "// bindgen-cost scratch crate, run {stamp}: generated, rewritten on every run.\n\
             #![allow(warnings, clippy::all)]\n\
             use {krate} as _;\n\n{code}"
        );
        std::fs::write(dir.join("src/lib.rs"), lib)?;
        Ok(dir)
    }
}

/// Writes `text` to `path` unless it already holds it (a rewritten
/// manifest would make cargo re-resolve).
fn write_if_changed(path: &Path, text: &str) -> io::Result<()> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(path, text)
}
