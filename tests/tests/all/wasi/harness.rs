//! Running a WASI command as a table row: a [`Case`] says what the guest is
//! given (arguments, environment, stdin, files and preopened directories)
//! and what must come out (how it exits, stdout, stderr, and the files the
//! host finds afterwards), in the spirit of wasi-testsuite's JSON specs.
//! [`cases!`] turns a table of them into one `#[test]` each; [`check`]
//! runs one through wit-host and `wit-host-wasi` and reports every field
//! that differs at once.
//!
//! Each case gets a new temporary directory (its "root"): [`Case::files`]
//! are created in it, [`Case::dirs`] preopen folders of it, and
//! [`Case::after`] is checked in it, so a case can also see what a guest
//! did (or failed to do) outside its preopens.
//!
//! Components are compiled once per test process ([`component`]): the
//! Python ones take seconds each.

pub use super::tree::{Entry, check_entry};

use std::io::Write as _;
use std::sync::OnceLock;
use std::sync::mpsc;
use std::time::Duration;

use wit_host::{Component, Engine, Linker, ResourceTable, Store};
use wit_host_wasi::p2::bindings::Command;
use wit_host_wasi::p2::pipe::{MemoryInputPipe, MemoryOutputPipe};
use wit_host_wasi::{DirPerms, FilePerms, I32Exit, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The store's data: the WASI context and the table of its resources.
pub struct Host {
    pub ctx: WasiCtx,
    pub table: ResourceTable,
}

impl Host {
    pub fn new(ctx: WasiCtx) -> Host {
        Host {
            ctx,
            table: ResourceTable::new(),
        }
    }
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// A guest component built by `tests/build.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guest {
    /// `wasi-probe`: the C command (`tests/guests/wasi/probe/probe.c`).
    Probe,
    /// `wasi-plugin`: the plugin world in C, a reactor.
    CPlugin,
    /// `py-command`: the Python command (`tests/guests/wasi/python/app.py`).
    PyCommand,
    /// `py-plugin`: the plugin world in Python.
    PyPlugin,
}

impl Guest {
    const ALL: [Guest; 4] = [
        Guest::Probe,
        Guest::CPlugin,
        Guest::PyCommand,
        Guest::PyPlugin,
    ];

    /// The component's path, or empty when it was not built.
    pub fn path(self) -> &'static str {
        match self {
            Guest::Probe => env!("WIT_HOST_GUEST_WASI_PROBE"),
            Guest::CPlugin => env!("WIT_HOST_GUEST_WASI_PLUGIN"),
            Guest::PyCommand => env!("WIT_HOST_GUEST_PY_COMMAND"),
            Guest::PyPlugin => env!("WIT_HOST_GUEST_PY_PLUGIN"),
        }
    }

    /// Why the component was not built, or empty.
    fn skipped(self) -> &'static str {
        match self {
            Guest::Probe | Guest::CPlugin => env!("WIT_HOST_GUESTS_SKIPPED"),
            Guest::PyCommand | Guest::PyPlugin => env!("WIT_HOST_PY_GUESTS_SKIPPED"),
        }
    }

    /// `argv[0]`, as a shell would pass it.
    pub fn program(self) -> &'static str {
        match self {
            Guest::Probe => "wasi-probe",
            Guest::CPlugin => "wasi-plugin",
            Guest::PyCommand => "app.py",
            Guest::PyPlugin => "checks.py",
        }
    }
}

/// The engine and the compiled component of `guest`, compiled once per
/// test process; `None` (after saying why on the terminal) when it was not
/// built, in which case the test returns early. Panics instead when
/// `WIT_HOST_REQUIRE_GUESTS=1`, and when the component does not compile.
pub fn component(guest: Guest) -> Option<(Engine, Component)> {
    if !guest.skipped().is_empty() {
        let required = std::env::var("WIT_HOST_REQUIRE_GUESTS").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "WIT_HOST_REQUIRE_GUESTS=1 but the guest `{guest:?}` was not built: {}",
            guest.skipped()
        );
        let test = std::thread::current()
            .name()
            .unwrap_or("a WASI test")
            .to_string();
        // Straight to the terminal: the test harness captures `eprintln!`.
        let _ = writeln!(
            std::io::stderr(),
            "{test}: skipped: the guest `{guest:?}` was not built: {}",
            guest.skipped()
        );
        return None;
    }
    static COMPILED: [OnceLock<(Engine, Component)>; Guest::ALL.len()] =
        [const { OnceLock::new() }; Guest::ALL.len()];
    let index = Guest::ALL.iter().position(|g| *g == guest).unwrap();
    let (engine, component) = COMPILED[index].get_or_init(|| {
        let engine = Engine::default();
        let component = Component::from_file(&engine, guest.path())
            .unwrap_or_else(|e| panic!("compiling {}: {e:#}", guest.path()));
        (engine, component)
    });
    Some((engine.clone(), component.clone()))
}

/// How a command run ends.
#[derive(Clone, Copy, Debug)]
pub enum Exit {
    /// `run` returned `ok` (C: `main` returned 0). (No guest here makes
    /// it return `err`: the adapter's and componentize-py's `run` exit
    /// instead.)
    Returned,
    /// The guest called `wasi:cli/exit` (C: `exit()`, or `main` returning
    /// non-zero; Python: `sys.exit`): the call failed with [`I32Exit`].
    /// Through WASI 0.2's `exit`, every non-zero code arrives as 1.
    Code(i32),
    /// The call failed otherwise; the message contains this.
    Trap(&'static str),
}

/// What a standard stream must hold.
#[derive(Clone, Copy, Debug)]
pub enum Text {
    /// Exactly this.
    Is(&'static str),
    /// Every one of these, somewhere.
    Has(&'static [&'static str]),
}

pub use Text::{Has, Is};

/// A folder of the case's root, preopened for the guest.
#[derive(Clone, Copy, Debug)]
pub struct Preopen {
    /// The folder, relative to the root (created if missing).
    pub host: &'static str,
    /// The path the guest sees.
    pub guest: &'static str,
    /// Read-only (`DirPerms::READ`, `FilePerms::READ`) or everything.
    pub read_only: bool,
}

/// `root/sandbox` preopened read-write as `/sandbox`.
pub const SANDBOX: Preopen = Preopen {
    host: "sandbox",
    guest: "/sandbox",
    read_only: false,
};

/// One row of a table: what a command is given, and what comes out.
#[derive(Clone, Copy)]
pub struct Case {
    /// The arguments after `argv[0]` (which is [`Guest::program`]).
    pub args: &'static [&'static str],
    /// The environment, in order.
    pub env: &'static [(&'static str, &'static str)],
    /// What stdin holds.
    pub stdin: &'static str,
    /// Created in the root before the run, in order (paths relative to it).
    pub files: &'static [(&'static str, Entry)],
    /// The preopened directories.
    pub dirs: &'static [Preopen],
    /// More configuration of the context (clocks, random sources).
    pub configure: Option<fn(&mut WasiCtxBuilder)>,
    /// How the run ends.
    pub exit: Exit,
    /// What the guest wrote to stdout.
    pub stdout: Text,
    /// What the guest wrote to stderr.
    pub stderr: Text,
    /// What the root holds afterwards (paths relative to it).
    pub after: &'static [(&'static str, Entry)],
}

impl Case {
    /// Nothing given; `run` returns `ok` and writes nothing.
    pub const DEFAULT: Case = Case {
        args: &[],
        env: &[],
        stdin: "",
        files: &[],
        dirs: &[],
        configure: None,
        exit: Exit::Returned,
        stdout: Is(""),
        stderr: Is(""),
        after: &[],
    };
}

/// Declares one `#[test]` per row, running `guest` on it with [`check`]:
/// `cases! { Guest::Probe; name: Case { ... }, ... }`.
macro_rules! cases {
    (Guest::PyCommand; $($rest:tt)*) => {
        $crate::wasi::harness::cases!(@skipped_when py_guests_skipped, Guest::PyCommand; $($rest)*);
    };
    ($guest:expr; $($rest:tt)*) => {
        $crate::wasi::harness::cases!(@skipped_when guests_skipped, $guest; $($rest)*);
    };
    (@skipped_when $skipped:ident, $guest:expr; $($(#[$attr:meta])* $name:ident: $case:expr),* $(,)?) => {
        $(
            $(#[$attr])*
            #[test]
            #[cfg_attr($skipped, ignore = "the guest components were not built (see the build warning)")]
            fn $name() {
                const CASE: $crate::wasi::harness::Case = $case;
                $crate::wasi::harness::check($guest, stringify!($name), &CASE);
            }
        )*
    };
}
pub(crate) use cases;

/// What a run produced.
pub struct Outcome {
    /// What `run` returned, or why the call (or instantiation) failed.
    pub result: wit_host::Result<Result<(), ()>>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

/// The most a case may take: a host that never wakes a sleeping guest
/// fails the test instead of hanging it.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `guest` on `case` and asserts every field; a failure lists every
/// field that differs, with what was expected and what came out.
#[track_caller]
pub fn check(guest: Guest, name: &str, case: &Case) {
    let Some((engine, component)) = component(guest) else {
        return;
    };
    super::specs::command(guest, name, case);
    let root = tempfile::tempdir().expect("a temporary directory");
    let root_path = root.path().to_path_buf();
    for (path, entry) in case.files {
        super::tree::create(&root_path, path, *entry);
    }
    let mut builder = WasiCtx::builder();
    builder.arg(guest.program()).args(case.args);
    builder.envs(case.env);
    builder.stdin(MemoryInputPipe::new(case.stdin));
    let stdout = MemoryOutputPipe::new(1 << 20);
    let stderr = MemoryOutputPipe::new(1 << 20);
    builder.stdout(stdout.clone()).stderr(stderr.clone());
    for dir in case.dirs {
        let host = root_path.join(dir.host);
        std::fs::create_dir_all(&host).unwrap();
        let (dirs, files) = if dir.read_only {
            (DirPerms::READ, FilePerms::READ)
        } else {
            (DirPerms::all(), FilePerms::all())
        };
        builder
            .preopened_dir(&host, dir.guest, dirs, files)
            .unwrap_or_else(|e| panic!("preopening {}: {e:#}", host.display()));
    }
    if let Some(configure) = case.configure {
        configure(&mut builder);
    }
    let ctx = builder.build();

    let result = with_timeout(move || run_command(&engine, &component, ctx));
    let outcome = Outcome {
        result,
        stdout: stdout.contents(),
        stderr: stderr.contents(),
    };
    let mut problems = compare(case, &outcome);
    for (path, expected) in case.after {
        if let Some(problem) = check_entry(&root_path, path, *expected) {
            problems.push(problem);
        }
    }
    if !problems.is_empty() {
        panic!(
            "case `{name}` ({guest:?} {}) differs:\n\n{}\n\n--- stdout ---\n{}\n--- stderr ---\n{}",
            case.args.join(" "),
            problems.join("\n\n"),
            String::from_utf8_lossy(&outcome.stdout),
            String::from_utf8_lossy(&outcome.stderr),
        );
    }
}

/// Instantiates `component` as a `wasi:cli/command` with every WASI
/// interface, and calls `run`.
pub fn run_command(
    engine: &Engine,
    component: &Component,
    ctx: WasiCtx,
) -> wit_host::Result<Result<(), ()>> {
    let mut linker = Linker::<Host>::new(engine);
    wit_host_wasi::p2::add_to_linker_sync(&mut linker)?;
    let mut store = Store::new(engine, Host::new(ctx));
    let command = Command::instantiate(&mut store, component, &linker)?;
    command.wasi_cli_run().call_run(&mut store)
}

/// Runs `f` on another thread, failing if it takes longer than
/// [`TIMEOUT`] (the thread is then left behind).
pub fn with_timeout<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = send.send(f());
    });
    match receive.recv_timeout(TIMEOUT) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the guest ran longer than {TIMEOUT:?}"),
        // The thread panicked; its message is already on the terminal.
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the guest's thread panicked"),
    }
}

/// The fields of `outcome` that differ from `case`, described.
fn compare(case: &Case, outcome: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let exit_problem = match (&case.exit, &outcome.result) {
        (Exit::Returned, Ok(Ok(()))) => None,
        (Exit::Code(code), Err(e)) if e.downcast_ref::<I32Exit>() == Some(&I32Exit(*code)) => None,
        (Exit::Trap(text), Err(e))
            if e.downcast_ref::<I32Exit>().is_none() && format!("{e:#}").contains(text) =>
        {
            None
        }
        (expected, got) => Some(format!(
            "exit: expected {expected:?}, got {}",
            describe(got)
        )),
    };
    problems.extend(exit_problem);
    for (stream, expected, got) in [
        ("stdout", case.stdout, &outcome.stdout),
        ("stderr", case.stderr, &outcome.stderr),
    ] {
        let got = String::from_utf8_lossy(got);
        match expected {
            Is(text) if got != text => problems.push(format!(
                "{stream}: expected\n{}\ngot\n{}",
                indent(text),
                indent(&got)
            )),
            Has(parts) => {
                for part in parts.iter().filter(|p| !got.contains(*p)) {
                    problems.push(format!("{stream}: expected it to contain {part:?}"));
                }
            }
            Is(_) => {}
        }
    }
    problems
}

/// A run's result in words; errors without backtraces.
pub fn describe(result: &wit_host::Result<Result<(), ()>>) -> String {
    match result {
        Ok(Ok(())) => "`run` returned ok".into(),
        Ok(Err(())) => "`run` returned err".into(),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => format!("exit with code {code}"),
            None => format!("error: {e:#}"),
        },
    }
}

/// `text` with each line indented and shown as a Rust string, so that
/// trailing spaces and newlines are visible.
fn indent(text: &str) -> String {
    if text.is_empty() {
        return "    (nothing)".into();
    }
    text.split_inclusive('\n')
        .map(|line| format!("    {line:?}"))
        .collect::<Vec<_>>()
        .join("\n")
}
