//! `binaries`: mutated component binaries must be accepted or rejected by
//! both runtimes alike, and never make wit-host panic.
//!
//! The corpus is every component (and core module) in the project's
//! `tests/wast/*.wast` scripts, encoded with the `wast` crate, plus echo
//! components from [`crate::echo`] and the other targets' fixed
//! components. A batch picks one corpus entry and runs up to
//! [`MUTANTS_PER_BATCH`] cases; each case stacks one to four mutations
//! (bit flips, byte overwrites, insertions, deletions, duplicated ranges,
//! splices from another entry, truncation) or, rarely, is random bytes.
//! The case passes when `wit_host::Component::new` and
//! `wasmtime::component::Component::new` are both `Ok` or both `Err`.

use std::path::PathBuf;
use std::sync::OnceLock;

use wasmtime::component as wc;

use crate::echo::{Encoding, Via, echo_wat};
use crate::rng::Rng;
use crate::{Batch, KNOWN_LABEL_CASE_ABORT, Outcome, engine, label_case_refusal, save_artifact};

/// Mutants tried per corpus pick.
pub const MUTANTS_PER_BATCH: u64 = 50;

/// The seed corpus, built once per process.
pub fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut all = wast_binaries();
        let mut rng = Rng::new(0x5eed);
        for i in 0..24 {
            let params = super::values::param_types(&mut rng);
            let via = if i % 4 < 2 { Via::Guest } else { Via::Host };
            let wat = echo_wat(&params, Encoding::ALL[i % 3], i % 2 == 0, via, i % 5 == 0);
            all.push(wat::parse_str(&wat).expect("echo component"));
        }
        all.push(wat::parse_str(super::resources::component_wat()).expect("resources component"));
        for (i, ty) in [crate::types::Ty::String, crate::types::Ty::Char]
            .iter()
            .enumerate()
        {
            let wat = super::bad_guests::component_wat(ty, Encoding::ALL[i]);
            all.push(wat::parse_str(&wat).expect("bad-guests component"));
        }
        all
    })
}

/// Every module and component in `tests/wast/*.wast` that encodes.
fn wast_binaries() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/wast");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "wast"));
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(buf) = wast::parser::ParseBuffer::new(&text) else {
            continue;
        };
        let Ok(script) = wast::parser::parse::<wast::Wast>(&buf) else {
            continue;
        };
        for directive in script.directives {
            use wast::WastDirective as D;
            let bytes = match directive {
                D::Module(mut m)
                | D::ModuleDefinition(mut m)
                | D::AssertInvalid { module: mut m, .. }
                | D::AssertMalformed { module: mut m, .. } => m.encode(),
                D::AssertUnlinkable { module: mut m, .. } => m.encode(),
                _ => continue,
            };
            if let Ok(bytes) = bytes {
                out.push(bytes);
            }
        }
    }
    out
}

/// Applies one random mutation to `bytes`.
fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, corpus: &[Vec<u8>]) {
    let len = bytes.len();
    if len == 0 {
        let n = rng.range(1, 16);
        bytes.extend(rng.bytes(n));
        return;
    }
    let at = rng.below(len);
    match rng.below(8) {
        0 => bytes[at] ^= 1 << rng.below(8),
        1 => {
            let random = rng.next_u32() as u8;
            bytes[at] = *rng.pick(&[0, 1, 0x7f, 0x80, 0xff, random]);
        }
        2 => {
            let n = rng.range(1, 8);
            let new = rng.bytes(n);
            bytes.splice(at..at, new);
        }
        3 => {
            let end = (at + rng.range(1, 16)).min(len);
            bytes.drain(at..end);
        }
        4 => {
            let end = (at + rng.range(1, 32)).min(len);
            let chunk = bytes[at..end].to_vec();
            let to = rng.below(len);
            bytes.splice(to..to, chunk);
        }
        5 => {
            let other = rng.pick(corpus);
            if other.len() > 8 {
                let from = rng.range(8, other.len() - 1);
                let end = (from + rng.range(1, 64)).min(other.len());
                let replace = (at + rng.range(0, 64)).min(len);
                bytes.splice(at..replace, other[from..end].iter().copied());
            }
        }
        6 => bytes.truncate(at.max(8)),
        _ => {
            // A LEB128-looking length grown or shrunk by one.
            bytes[at] = bytes[at].wrapping_add(if rng.coin() { 1 } else { 0xff });
        }
    }
}

/// Runs one batch: one corpus entry, up to [`MUTANTS_PER_BATCH`] mutants.
pub fn run(seed: u64, max_cases: u64, batch: &mut Batch) {
    batch.count("corpus-picks");
    let mut rng = Rng::new(seed);
    let corpus = corpus();
    let base = &corpus[rng.below(corpus.len())];
    for case in 0..MUTANTS_PER_BATCH.min(max_cases) {
        batch.cases += 1;
        let bytes = if rng.one_in(50) {
            let mut b = b"\0asm\x0d\0\x01\0".to_vec();
            let n = rng.range(0, 64);
            b.extend(rng.bytes(n));
            b
        } else {
            let mut b = base.clone();
            for _ in 0..rng.range(1, 4) {
                mutate(&mut rng, &mut b, corpus);
            }
            b
        };
        let Some((valid, problem)) = compare(&bytes) else {
            batch.count(KNOWN_LABEL_CASE_ABORT);
            continue;
        };
        batch.count(if valid { "both-valid" } else { "both-invalid" });
        if let Some(problem) = problem {
            let path = save_artifact(&format!("binaries-{seed:016x}-{case}.wasm"), &bytes);
            batch.mismatch(case, format!("{problem}\n  binary: {path}"));
        }
    }
}

/// Compiles `bytes` in both runtimes; says whether wasmtime accepted them
/// and describes the disagreement, if any. `None` when wit-host refused
/// a component that makes wasmtime abort (the oracle is not run).
pub fn compare(bytes: &[u8]) -> Option<(bool, Option<String>)> {
    let ours = Outcome::catch(|| wit_host::Component::new(engine(), bytes).map(|_| ()));
    if matches!(&ours, Outcome::Err(e) if label_case_refusal(e)) {
        return None;
    }
    let oracle = Outcome::catch(|| wc::Component::new(engine(), bytes).map(|_| ()));
    let agree = matches!(
        (&ours, &oracle),
        (Outcome::Ok(()), Outcome::Ok(())) | (Outcome::Err(_), Outcome::Err(_))
    );
    let valid = matches!(oracle, Outcome::Ok(()));
    let problem = (!agree).then(|| {
        format!(
            "validity differs: wit-host {} / wasmtime {}",
            ours.kind(),
            oracle.kind()
        )
    });
    Some((valid, problem))
}
