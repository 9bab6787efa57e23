//! Every target, a bounded number of cases from fixed seeds, no mismatch.
//!
//! The counts keep all four targets together under three minutes in the
//! dev profile on a 2-core machine (measured: see the README). Long runs
//! go through the binary (`cargo run -p wit-host-fuzz --release -- all
//! --iterations N`).

use wit_host_fuzz::{run, target};

/// Runs `name` for `cases` cases from `seed` and fails with every
/// mismatch's description.
fn check(name: &str, seed: u64, cases: u64) {
    let report = run(target(name).unwrap(), seed, cases, None);
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

/// 40 echo components, 200 calls each.
#[test]
fn values() {
    check("values", 0xC1, 8_000);
}

/// 200 corpus picks, 50 mutants each.
#[test]
fn binaries() {
    check("binaries", 0xC1, 10_000);
}
