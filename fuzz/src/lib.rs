//! Differential fuzzing of wit-host against `wasmtime::component` (the
//! oracle): the same component, the same calls, the same answers.
//!
//! Each target is a function over one *batch*: a seed from which it builds
//! what is expensive (a component, compiled by both runtimes) and then runs
//! up to a given number of cheap *cases* on it (calls, mutations, operation
//! sequences). The [`run`] loop derives batch seeds from one run seed, so a
//! mismatch is replayed from `(seed, batch)` alone (`--seed S --batch B`).
//!
//! ```no_run
//! let report = wit_host_fuzz::run(wit_host_fuzz::target("values").unwrap(), 1, 1000, None);
//! assert!(report.mismatches.is_empty());
//! ```

pub mod echo;
pub mod rng;
pub mod targets;
pub mod types;
pub mod values;

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::rng::Rng;

/// What one runtime did with one step of a case.
#[derive(Debug)]
pub enum Outcome<T> {
    /// It returned a value.
    Ok(T),
    /// It returned an error (or trapped); the message, for reports only:
    /// wording differs between the runtimes and is never compared.
    Err(String),
    /// It panicked, which is always a finding.
    Panic(String),
}

impl<T> Outcome<T> {
    /// Runs `f`, catching its panic.
    pub fn catch(f: impl FnOnce() -> wasmtime::Result<T>) -> Outcome<T> {
        match catch_unwind(AssertUnwindSafe(f)) {
            Ok(Ok(v)) => Outcome::Ok(v),
            Ok(Err(e)) => Outcome::Err(format!("{e:#}")),
            Err(p) => Outcome::Panic(panic_message(&*p)),
        }
    }

    /// A one-line description (`Ok`, `Err(…)`, `Panic(…)`).
    pub fn kind(&self) -> String {
        match self {
            Outcome::Ok(_) => "Ok".to_string(),
            Outcome::Err(e) => format!("Err({})", values::show(e, 300)),
            Outcome::Panic(p) => format!("PANIC({p})"),
        }
    }

    /// Whether it is an error or a panic.
    pub fn failed(&self) -> bool {
        !matches!(self, Outcome::Ok(_))
    }
}

/// The text of a panic payload.
pub fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "<non-string panic>".to_string()
    }
}

/// The engine both runtimes use: wasmtime's default configuration with
/// `concurrency_support(false)` (wit-host is synchronous and translates
/// with concurrency off; the oracle does the same) and the map and
/// fixed-length-list proposals on. wit-host's `Engine` is wasmtime's, so
/// one engine serves both.
pub fn engine() -> &'static wasmtime::Engine {
    static ENGINE: OnceLock<wasmtime::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut config = wasmtime::Config::new();
        config.concurrency_support(false);
        // The proposals both runtimes implement, so that the generated
        // types may use them.
        config
            .wasm_component_model_map(true)
            .wasm_component_model_fixed_length_lists(true);
        wasmtime::Engine::new(&config).expect("engine")
    })
}

/// A disagreement (or a panic) in one case, with what replays it.
#[derive(Debug, Clone)]
pub struct Mismatch {
    /// The batch's index in the run.
    pub batch: u64,
    /// The case's index in its batch.
    pub case: u64,
    /// What differed: both outcomes, the call, and where the component's
    /// text was written, if it was.
    pub what: String,
}

/// What one batch did.
#[derive(Debug, Default)]
pub struct Batch {
    /// Cases run.
    pub cases: u64,
    /// Mismatches, with `batch` left 0 (the runner fills it in).
    pub mismatches: Vec<Mismatch>,
    /// How often each kind of agreement happened (`both-ok`, `both-err`,
    /// …), to see what a run covered.
    pub counts: BTreeMap<&'static str, u64>,
}

impl Batch {
    /// Records a known disagreement (one listed in the README) under
    /// `known <id>`: not a mismatch, but counted and printed, never
    /// silent.
    pub fn known(&mut self, id: &'static str) {
        self.count(id);
    }

    /// Counts one `what`.
    pub fn count(&mut self, what: &'static str) {
        *self.counts.entry(what).or_default() += 1;
    }

    /// Records a mismatch in case `case`.
    pub fn mismatch(&mut self, case: u64, what: impl Into<String>) {
        self.mismatches.push(Mismatch {
            batch: 0,
            case,
            what: what.into(),
        });
    }
}

/// A fuzz target.
pub struct Target {
    /// Its name on the command line.
    pub name: &'static str,
    /// Runs one batch from a seed, at most `max_cases` cases.
    pub run: fn(seed: u64, max_cases: u64, batch: &mut Batch),
}

/// Every target, in the order `all` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "values",
        run: targets::values::run,
    },
    Target {
        name: "bad-guests",
        run: targets::bad_guests::run,
    },
    Target {
        name: "binaries",
        run: targets::binaries::run,
    },
    Target {
        name: "resources",
        run: targets::resources::run,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

/// What a run of one target did.
#[derive(Debug)]
pub struct Report {
    /// The target's name.
    pub target: &'static str,
    /// The run's seed.
    pub seed: u64,
    /// Cases run.
    pub cases: u64,
    /// Batches run.
    pub batches: u64,
    /// Wall-clock time.
    pub elapsed: Duration,
    /// Every mismatch.
    pub mismatches: Vec<Mismatch>,
    /// The batches' counts, summed.
    pub counts: BTreeMap<&'static str, u64>,
}

/// The known disagreements (see the README), by the id targets count them
/// under: each is a difference between wit-host and wasmtime that was
/// found, minimised and reported, and is counted rather than failing
/// every run until it is fixed.
pub const KNOWN: &[(&str, &str)] = &[
    (
        KNOWN_HOST_MISTAKE,
        "a call the host makes with a stale, moved or lent handle fails in both runtimes; \
         wit-host finds the mistake before anything in the guest changed and leaves the \
         instance usable, wasmtime locks it down (it clears its entry flag before lowering)",
    ),
    (
        KNOWN_STRICTER_LOCKDOWN,
        "after a call failed inside the guest, wit-host locks down the whole instance the \
         host instantiated, as the spec's lockdown says, also for a canonical-ABI error in \
         the guest's results (an invalid char, discriminant or pointer) and for a trap in \
         one inner component instance of a composition; wasmtime 48 lets later calls into \
         such instances in",
    ),
    (
        KNOWN_LABEL_CASE_ABORT,
        "a component whose fused adapter joins two types whose labels differ only in letter \
         case (`red` / `RED`) is valid, but wasmtime-environ 48's adapter compiler panics \
         twice on it and aborts the process; wit-host refuses it before translating, and \
         the oracle is not run on it (it would abort the fuzzer)",
    ),
];

/// The id of the first entry of [`KNOWN`].
pub const KNOWN_HOST_MISTAKE: &str = "known host-mistake-leaves-instance-usable";

/// The id of the second entry of [`KNOWN`].
pub const KNOWN_STRICTER_LOCKDOWN: &str = "known lockdown-stricter-than-wasmtime";

/// The id of the third entry of [`KNOWN`].
pub const KNOWN_LABEL_CASE_ABORT: &str = "known label-case-aborts-wasmtime";

/// Whether an error is wit-host's refusal of a component that would make
/// wasmtime-environ's adapter compiler abort (see [`KNOWN`]).
pub fn label_case_refusal(error: &str) -> bool {
    error.contains("spell a label differently")
}

/// Whether an error is wit-host's refusal to enter a locked-down instance.
pub fn locked_down(error: &str) -> bool {
    error.contains("locked down after an earlier failure")
}

impl Report {
    /// How many known disagreements the run met.
    pub fn known(&self) -> u64 {
        KNOWN
            .iter()
            .map(|(id, _)| self.counts.get(id).copied().unwrap_or(0))
            .sum()
    }

    /// Cases per second.
    pub fn rate(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

/// The seed of batch `batch` of a run from `seed`.
pub fn batch_seed(seed: u64, batch: u64) -> u64 {
    Rng::case_seed(seed, batch)
}

/// Runs `target` from `seed` until `iterations` cases have run (or, with
/// `only_batch`, that one batch alone). A panic that escapes a batch is a
/// mismatch of that batch.
pub fn run(target: &Target, seed: u64, iterations: u64, only_batch: Option<u64>) -> Report {
    let start = Instant::now();
    let mut report = Report {
        target: target.name,
        seed,
        cases: 0,
        batches: 0,
        elapsed: Duration::ZERO,
        mismatches: Vec::new(),
        counts: BTreeMap::new(),
    };
    let mut index = only_batch.unwrap_or(0);
    while report.cases < iterations {
        let mut batch = Batch::default();
        let left = iterations - report.cases;
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            (target.run)(batch_seed(seed, index), left, &mut batch)
        }));
        if let Err(p) = outcome {
            let case = batch.cases;
            batch.mismatch(
                case,
                format!("panic escaped the batch: {}", panic_message(&*p)),
            );
        }
        report.cases += batch.cases.max(1);
        report.batches += 1;
        for (k, v) in batch.counts {
            *report.counts.entry(k).or_default() += v;
        }
        report
            .mismatches
            .extend(batch.mismatches.into_iter().map(|mut m| {
                m.batch = index;
                m
            }));
        if only_batch.is_some() {
            break;
        }
        index += 1;
    }
    report.elapsed = start.elapsed();
    report
}

/// Writes a failing component's text (or binary) under
/// `$TMPDIR/wit-host-fuzz/` and returns the path, for reports.
pub fn save_artifact(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join("wit-host-fuzz");
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join(name);
    match std::fs::write(&path, bytes) {
        Ok(()) => path.display().to_string(),
        Err(e) => format!("<could not write {}: {e}>", path.display()),
    }
}
