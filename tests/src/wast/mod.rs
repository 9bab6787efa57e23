//! A runner for component-model `.wast` scripts, driving `wit-host`.
//!
//! Scripts are parsed with the `wast` crate and run directive by directive
//! (see [`runner`]): `component` (instantiate), `component definition` /
//! `component instance`, `invoke`, `assert_return`, `assert_trap`,
//! `assert_exhaustion`, `assert_invalid`, `assert_malformed`,
//! `assert_unlinkable` and `register`. Every directive counts once as
//! passed or failed in a [`Report`]; a failure carries `file:line` and a
//! reason. Nothing a script does aborts the run: unsupported directives,
//! malformed scripts and panics in the runtime become failures.
//!
//! Error messages are matched like wasmtime's runner does: the expected text
//! of `assert_trap`, `assert_invalid`, `assert_malformed` and
//! `assert_unlinkable` must be a substring of the error chain (`{:?}`).
//! Remarks on directives that passed go to [`Report::notes`], which the
//! tests print.
//!
//! ```no_run
//! let report = wit_host_tests::wast::run_files(&["tests/wast/scalars.wast"]);
//! println!("{report}");
//! ```

mod panics;
pub mod report;
pub mod runner;
pub mod values;
pub mod wasmtime_compat;

use std::path::Path;
use std::thread;
use std::time::Duration;

use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wit_host::{ComponentModelConfig, Config, Engine};

pub use report::{Failure, Report};
pub use runner::Runner;

/// How often the epoch advances; with [`runner::DEADLINE_TICKS`] this bounds
/// each call and instantiation to about 30 seconds.
const TICK: Duration = Duration::from_millis(100);

/// An engine with epoch interruption, and a background thread that advances
/// its epoch (the thread ends when the engine is dropped), so that a guest
/// stuck in a loop is interrupted instead of hanging the run. The
/// component-model proposals wit-host implements (maps, fixed-length
/// lists, 64-bit memories, `implements` names) are on, so that scripts can
/// test them.
pub fn engine() -> Result<Engine, String> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    config
        .component_model_map(true)
        .component_model_fixed_length_lists(true)
        .component_model_memory64(true)
        .component_model_implements(true)
        .wasm_memory64(true);
    let engine = Engine::new(&config).map_err(|e| format!("cannot create engine: {e:?}"))?;
    tick(&engine)?;
    Ok(engine)
}

/// Starts the thread that advances `engine`'s epoch every [`TICK`] while
/// the engine lives.
fn tick(engine: &Engine) -> Result<(), String> {
    let weak = engine.weak();
    thread::Builder::new()
        .name("wast-epoch".into())
        .spawn(move || {
            while let Some(engine) = weak.upgrade() {
                engine.increment_epoch();
                drop(engine);
                thread::sleep(TICK);
            }
        })
        .map(drop)
        .map_err(|e| format!("cannot start the epoch thread: {e}"))
}

/// How a script is run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// This repository's scripts: an empty linker, one engine for all.
    Default,
    /// wasmtime's component scripts, unchanged: an engine per script from
    /// its `;;!` lines, the host items of wasmtime's harness, named
    /// instances' modules and resources in the linker (see
    /// [`wasmtime_compat`]).
    Wasmtime,
}

/// Runs the script `text`, reporting failures under the name `file`.
pub fn run_str(engine: &Engine, file: &str, text: &str) -> Report {
    run_with(Runner::new(engine), file, text)
}

/// Runs the script `text` in wasmtime-compatible mode: on an engine of
/// its own, configured by its `;;!` lines. The configuration switches
/// that do not apply here are notes.
pub fn run_str_wasmtime(file: &str, text: &str) -> Report {
    let (engine, ignored) = match wasmtime_compat::engine(text) {
        Ok(engine) => engine,
        Err(e) => return single_failure(file, e),
    };
    let runner = match Runner::wasmtime(&engine) {
        Ok(runner) => runner,
        Err(e) => return single_failure(file, e),
    };
    let mut report = run_with(runner, file, text);
    for setting in ignored {
        report.notes.push(Failure {
            file: file.to_string(),
            line: 1,
            directive: "config",
            reason: setting,
        });
    }
    report
}

/// Runs the script `text` with `runner`.
fn run_with(mut runner: Runner, file: &str, text: &str) -> Report {
    let mut report = Report::default();
    let fail = |report: &mut Report, line: usize, directive: &'static str, reason: String| {
        report.failures.push(Failure {
            file: file.to_string(),
            line,
            directive,
            reason,
        });
    };
    let line_of = |span: wast::token::Span| span.linecol_in(text).0 + 1;
    let mut lexer = Lexer::new(text);
    lexer.allow_confusing_unicode(true);
    let buf = match ParseBuffer::new_with_lexer(lexer) {
        Ok(buf) => buf,
        Err(e) => {
            fail(
                &mut report,
                line_of(e.span()),
                "script",
                format!("cannot lex the script: {}", e.message()),
            );
            return report;
        }
    };
    let script = match parser::parse::<wast::Wast>(&buf) {
        Ok(script) => script,
        Err(e) => {
            fail(
                &mut report,
                line_of(e.span()),
                "script",
                format!("cannot parse the script: {}", e.message()),
            );
            return report;
        }
    };
    for directive in script.directives {
        let line = line_of(directive.span());
        let name = runner::directive_name(&directive);
        let outcome = panics::catch(|| runner.directive(directive, line))
            .unwrap_or_else(|panic| Err(format!("the runtime panicked: {panic}")));
        match outcome {
            Ok(None) => report.passed += 1,
            Ok(Some(note)) => {
                report.passed += 1;
                report.notes.push(Failure {
                    file: file.to_string(),
                    line,
                    directive: name,
                    reason: note,
                });
            }
            Err(reason) => fail(&mut report, line, name, reason),
        }
    }
    report
}

/// Reads and runs the script at `path`; an unreadable file is one failure.
pub fn run_file(engine: &Engine, path: &Path) -> Report {
    read_and(path, |file, text| run_str(engine, file, text))
}

/// Reads the script at `path` and runs it with `run`.
fn read_and(path: &Path, run: impl FnOnce(&str, &str) -> Report) -> Report {
    let file = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => run(&file, &text),
            Err(e) => single_failure(&file, format!("the script is not UTF-8: {e}")),
        },
        Err(e) => single_failure(&file, format!("cannot read the script: {e}")),
    }
}

/// Runs every script in `paths` on one shared [`engine`] and merges the
/// reports.
pub fn run_files(paths: &[impl AsRef<Path>]) -> Report {
    run_files_in(paths, Mode::Default)
}

/// Runs every script in `paths` in `mode` and merges the reports.
pub fn run_files_in(paths: &[impl AsRef<Path>], mode: Mode) -> Report {
    let mut report = Report::default();
    match mode {
        Mode::Default => {
            let engine = match engine() {
                Ok(engine) => engine,
                Err(e) => return single_failure("(engine)", e),
            };
            for path in paths {
                report.merge(run_file(&engine, path.as_ref()));
            }
        }
        Mode::Wasmtime => {
            for path in paths {
                report.merge(read_and(path.as_ref(), run_str_wasmtime));
            }
        }
    }
    report
}

/// A report holding one failure at line 1 of `file`.
fn single_failure(file: &str, reason: String) -> Report {
    Report {
        passed: 0,
        failures: vec![Failure {
            file: file.to_string(),
            line: 1,
            directive: "script",
            reason,
        }],
        notes: Vec::new(),
    }
}
