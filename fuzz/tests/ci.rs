//! Every target, a bounded number of cases from fixed seeds, no mismatch.
//!
//! The counts keep the four targets together well under three minutes in
//! the dev profile on the 2-core development machine (measured there: see
//! the README's table). Known disagreements (`wit_host_fuzz::KNOWN`) are
//! printed, not failed on. Long runs go through the binary
//! (`cargo run -p wit-host-fuzz --release -- all --iterations N`).

use wit_host_fuzz::{KNOWN, run, target};

/// Runs `name` for `cases` cases from `seed` and fails with every
/// mismatch's description.
fn check(name: &str, seed: u64, cases: u64) {
    let report = run(target(name).unwrap(), seed, cases, None);
    println!(
        "{name}: {} cases in {:.1}s, {:?}",
        report.cases,
        report.elapsed.as_secs_f64(),
        report.counts
    );
    for (id, what) in KNOWN {
        if let Some(n) = report.counts.get(id) {
            println!("  {id} ({n}x): {what}");
        }
    }
    let mut text = String::new();
    for m in &report.mismatches {
        text.push_str(&format!(
            "\nbatch {} case {} (replay: {name} --seed {seed} --batch {}):\n{}\n",
            m.batch, m.case, m.batch, m.what
        ));
    }
    assert!(report.mismatches.is_empty(), "{name}: {text}");
    assert!(report.cases >= cases, "{name}: ran {} cases", report.cases);
}

/// 250 echo components (guest and host echoes), 200 calls each (one in
/// twenty with ill-typed arguments), plus typed calls.
#[test]
fn values() {
    check("values", 0xC1, 50_000);
}

/// 100 batches of 200 calls: result types lifted from (corrupted) guest
/// memory, and echoes through a scripted `realloc`.
#[test]
fn bad_guests() {
    check("bad-guests", 0xC1, 20_000);
}

/// 600 corpus picks, 50 mutants each.
#[test]
fn binaries() {
    check("binaries", 0xC1, 30_000);
}

/// About 1700 operation sequences of 60 operations.
#[test]
fn resources() {
    check("resources", 0xC1, 100_000);
}
