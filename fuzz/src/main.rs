//! `wit-host-fuzz TARGET --iterations N [--seed S] [--batch B]`: runs one
//! target (or `all`) and prints cases, cases/s and every mismatch with what
//! replays it. Exits with 1 on any mismatch or panic.

use std::process::ExitCode;

use wit_host_fuzz::{Report, TARGETS, run, target};

/// The command line's help.
const USAGE: &str =
    "usage: wit-host-fuzz TARGET --iterations N [--seed S] [--batch B] [--allow-known]
  TARGET: values | bad-guests | binaries | resources | all
  --batch B replays batch B of the run from seed S alone
  --allow-known: known disagreements (listed, counted) do not fail the run";

/// Parses the command line, runs the targets, prints their reports.
fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(name) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let mut iterations = 1000u64;
    let mut seed = 0u64;
    let mut only_batch = None;
    let mut allow_known = false;
    let mut rest = args[1..].iter();
    while let Some(flag) = rest.next() {
        if flag == "--allow-known" {
            allow_known = true;
            continue;
        }
        let value = rest.next().and_then(|v| parse(v));
        match (flag.as_str(), value) {
            ("--iterations", Some(v)) => iterations = v,
            ("--seed", Some(v)) => seed = v,
            ("--batch", Some(v)) => only_batch = Some(v),
            _ => {
                eprintln!("bad argument `{flag}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let targets: Vec<_> = if name == "all" {
        TARGETS.iter().collect()
    } else {
        match target(name) {
            Some(t) => vec![t],
            None => {
                eprintln!("unknown target `{name}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    };
    let mut failed = false;
    for t in targets {
        let report = run(t, seed, iterations, only_batch);
        print_report(&report);
        failed |= !report.mismatches.is_empty() || (!allow_known && report.known() > 0);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A decimal or `0x` hexadecimal number.
fn parse(s: &str) -> Option<u64> {
    match s.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Prints one target's report: totals, counts, known disagreements,
/// mismatches with their replay command.
fn print_report(r: &Report) {
    println!(
        "{}: {} cases in {} batches, {:.1}s, {:.0} cases/s, {} mismatch(es)",
        r.target,
        r.cases,
        r.batches,
        r.elapsed.as_secs_f64(),
        r.rate(),
        r.mismatches.len()
    );
    if !r.counts.is_empty() {
        let counts: Vec<_> = r.counts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        println!("  {}", counts.join(", "));
    }
    for (id, what) in wit_host_fuzz::KNOWN {
        if let Some(n) = r.counts.get(id) {
            println!("  {id} ({n}x): {what}");
        }
    }
    for m in &r.mismatches {
        println!(
            "  MISMATCH batch {} case {} (replay: {} --seed {} --batch {} --iterations 1000000)\n  {}",
            m.batch, m.case, r.target, r.seed, m.batch, m.what
        );
    }
}
