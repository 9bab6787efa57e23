//! Prints the tables of `benches/calls.rs`, `benches/production.rs` and
//! `benches/async_calls.rs` from criterion's saved results.
//!
//! Run after `cargo bench -p wit-host-bench`:
//! `cargo run -p wit-host-bench --bin report [-- [--baselines A,B,..] [DIR]]`.
//! Results are read from `DIR/<case>/<host>/new/estimates.json`; `DIR`
//! defaults to what criterion used: `$CRITERION_HOME`, else
//! `$CARGO_TARGET_DIR/criterion`, else the workspace's `target/criterion`.
//! Each time is criterion's median estimate in nanoseconds (the median
//! shrugs off the other jobs of a shared machine better than the mean).
//! With `--baselines`, the runs saved by `cargo bench -- --save-baseline A`
//! (and `B`, ..) are read instead of `new`, and each time is the smallest
//! of their medians: on a shared machine, the run least disturbed.
//!
//! Ratios are wit-host's time over the other column's. Every case is
//! compared with its own floor, benchmark `<case>/core-floor`: the same
//! core calls and memory accesses made through wasmtime's core API (see
//! `benches/calls/floor.rs`); for instantiation, the same two core
//! modules instantiated with ten host functions from a core `Linker`
//! (`benches/calls/instantiate_floor.rs`). Targets: small calls at most 0.3× wasmtime
//! with concurrency support off (issue 4) and at most 1.5× their core
//! floor (issue 11); the 64 KiB string and the 1 MiB list at most 1.0×
//! wasmtime (issue 4) and 1.05× their core floor (issue 11);
//! instantiation at most 0.8× wasmtime with concurrency support off
//! (issue 11). "wasmtime" for the bulk copies is the faster configuration.
//!
//! The production table (issue 11) compares with wasmtime (concurrency
//! off) in the same run: loading the large component's artifact in at
//! most 1% of the time `Component::new` takes, an artifact no larger than
//! wasmtime's, pooled instantiation no slower than wasmtime's (instances
//! per second), and no more resident memory per instance. The sizes and
//! the memory figures are the `production/*.txt` files the benchmark
//! writes beside criterion's results.
//!
//! The async table (issue 12) compares `call_async` with wasmtime's, both
//! configurations, in the same run: at most 0.5× wasmtime with
//! concurrency support off.
//!
//! A result that is missing counts as a missed target; the exit status is
//! 1 when any target is missed.

use std::path::{Path, PathBuf};

/// The three hosts, as the benchmark ids' last part.
const HOSTS: [&str; 3] = ["wit-host", "wasmtime-default", "wasmtime-noconc"];

/// The benchmark id's last part of each call case's core floor.
const FLOOR: &str = "core-floor";

/// What a case is held to.
#[derive(Clone, Copy)]
enum Target {
    /// A small call: at most 0.3× wasmtime (concurrency off) and 1.5× its
    /// core floor.
    Small,
    /// A bulk copy: at most 1.0× wasmtime and 1.05× its core floor.
    Bulk,
    /// Instantiation: at most 0.8× wasmtime (concurrency off).
    Instantiate,
}

/// One row: the criterion group, what it measures and its target; every
/// case has a core floor (benchmark `<group>/core-floor`).
struct Case {
    group: &'static str,
    what: &'static str,
    target: Target,
}

const CASES: &[Case] = &[
    Case {
        group: "nothing",
        what: "host→guest `func()`",
        target: Target::Small,
    },
    Case {
        group: "add",
        what: "host→guest `func(u32, u32) -> u32`",
        target: Target::Small,
    },
    Case {
        group: "string-16B",
        what: "echo `func(string) -> string`, 16 B",
        target: Target::Small,
    },
    Case {
        group: "string-64KiB",
        what: "echo `func(string) -> string`, 64 KiB",
        target: Target::Bulk,
    },
    Case {
        group: "list-1MiB",
        what: "`func(list<u8>) -> u32`, 1 MiB in",
        target: Target::Bulk,
    },
    Case {
        group: "record",
        what: "echo a record of ten fields",
        target: Target::Small,
    },
    Case {
        group: "variant",
        what: "echo a variant (4 cases, `u64` payload)",
        target: Target::Small,
    },
    Case {
        group: "import-nothing",
        what: "export calling a `func()` import once (whole call)",
        target: Target::Small,
    },
    Case {
        group: "import-string",
        what: "export passing a 16 B string to an import once (whole call)",
        target: Target::Small,
    },
    Case {
        group: "instantiate",
        what: "`InstancePre::instantiate`, ten imports",
        target: Target::Instantiate,
    },
];

fn main() {
    let mut baselines = vec!["new".to_owned()];
    let mut dir = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--baselines" {
            let list = args.next().unwrap_or_default();
            baselines = list
                .to_string_lossy()
                .split(',')
                .filter(|b| !b.is_empty())
                .map(str::to_owned)
                .collect();
        } else {
            dir = Some(PathBuf::from(arg));
        }
    }
    let dir = dir.unwrap_or_else(criterion_dir);
    if !dir.is_dir() {
        eprintln!(
            "no criterion results at {}: run `cargo bench -p wit-host-bench` first",
            dir.display()
        );
        std::process::exit(1);
    }
    println!("results: {}", dir.display());
    println!("machine: {} cores, {}", cores(), cpu_model());
    println!(
        "times: criterion's median estimate, ns per call{}; ratios: wit-host ÷ column",
        if baselines.len() > 1 {
            format!(", the smallest of runs {}", baselines.join(", "))
        } else {
            String::new()
        }
    );
    println!();

    let estimate = |group: &str, bench: &str| {
        baselines
            .iter()
            .filter_map(|b| estimate(&dir, group, bench, b))
            .reduce(f64::min)
    };
    println!(
        "| case | wit-host ns | core floor ns | ratio vs floor | wasmtime ns (default) \
         | wasmtime ns (concurrency off) | ratio vs default | ratio vs concurrency off \
         | target | met |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    let mut missed = Vec::new();
    for case in CASES {
        let [wh, wd, wn] = HOSTS.map(|host| estimate(case.group, host));
        let fl = estimate(case.group, FLOOR);
        let vs_default = ratio(wh, wd);
        let vs_noconc = ratio(wh, wn);
        let vs_floor = ratio(wh, fl);
        let fastest = match (wd, wn) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let vs_fastest = ratio(wh, fastest);
        let (target, met) = match case.target {
            Target::Small => (
                "≤0.3× conc. off, ≤1.5× floor",
                both(vs_noconc.map(|r| r <= 0.3), vs_floor.map(|r| r <= 1.5)),
            ),
            Target::Bulk => (
                "≤1.0× wasmtime, ≤1.05× floor",
                both(vs_fastest.map(|r| r <= 1.0), vs_floor.map(|r| r <= 1.05)),
            ),
            Target::Instantiate => ("≤0.8× conc. off", vs_noconc.map(|r| r <= 0.8)),
        };
        // A result that did not run cannot show the target met.
        if met != Some(true) {
            missed.push(case.group);
        }
        println!(
            "| {} ({}) | {} | {} | {} | {} | {} | {} | {} | {target} | {} |",
            case.group,
            case.what,
            ns(wh),
            ns(fl),
            times(vs_floor),
            ns(wd),
            ns(wn),
            times(vs_default),
            times(vs_noconc),
            verdict(met),
        );
    }
    println!();
    println!(
        "Import cases time the whole export call (host → guest → host → guest → host); \
         nothing is subtracted."
    );
    println!();
    missed.extend(production(&dir, &estimate));
    println!();
    missed.extend(async_table(&estimate));
    if !missed.is_empty() {
        println!("missed targets: {}", missed.join(", "));
        std::process::exit(1);
    }
}

/// The host `benches/production.rs` races, as the benchmark ids' last part.
const PEER: &str = "wasmtime-noconc";

/// Prints the production table; returns the rows that missed their target.
fn production(dir: &Path, estimate: &dyn Fn(&str, &str) -> Option<f64>) -> Vec<&'static str> {
    let figure = |name: &str| -> Option<f64> {
        let text = std::fs::read_to_string(dir.join("production").join(format!("{name}.txt")));
        text.ok()?.trim().parse().ok()
    };
    let time = |group: &str| (estimate(group, "wit-host"), estimate(group, PEER));
    let compile = time("compile-large");
    // (row, what it measures, wit-host, wasmtime, target, met)
    type Row = (
        &'static str,
        &'static str,
        Option<f64>,
        Option<f64>,
        &'static str,
        Option<bool>,
    );
    let mut rows: Vec<Row> = Vec::new();
    let (wh, wt) = compile;
    rows.push((
        "compile-large",
        "`Component::new` of the large component, ns",
        wh,
        wt,
        "(reference)",
        wh.and(wt).map(|_| true),
    ));
    for (group, what) in [
        (
            "deserialize-large",
            "`Component::deserialize` of its artifact, ns",
        ),
        (
            "deserialize-file-large",
            "`Component::deserialize_file` of it, ns",
        ),
    ] {
        let (wh, wt) = time(group);
        rows.push((
            group,
            what,
            wh,
            wt,
            "≤1% of wit-host's compile",
            ratio(wh, compile.0).map(|r| r <= 0.01),
        ));
    }
    let (wh, wt) = (
        figure("artifact-bytes-wit-host"),
        figure("artifact-bytes-wasmtime-noconc"),
    );
    rows.push((
        "artifact-bytes",
        "the large component's artifact, bytes",
        wh,
        wt,
        "≤1.0× wasmtime",
        ratio(wh, wt).map(|r| r <= 1.0),
    ));
    let (wh, wt) = time("instantiate-pooling");
    rows.push((
        "instantiate-pooling",
        "`InstancePre::instantiate` from a pool, ten imports, ns",
        wh,
        wt,
        "≤1.0× wasmtime",
        ratio(wh, wt).map(|r| r <= 1.0),
    ));
    for (strategy, row) in [
        ("pooling", "memory-pooling"),
        ("ondemand", "memory-ondemand"),
    ] {
        let (wh, wt) = (
            figure(&format!("memory-{strategy}-wit-host")),
            figure(&format!("memory-{strategy}-{PEER}")),
        );
        rows.push((
            row,
            "resident bytes per live instance (1000, after one call)",
            wh,
            wt,
            "≤1.0× wasmtime",
            ratio(wh, wt).map(|r| r <= 1.0),
        ));
    }

    println!("| production | wit-host | wasmtime (concurrency off) | ratio | target | met |");
    println!("| --- | ---: | ---: | ---: | --- | --- |");
    let mut missed = Vec::new();
    for (row, what, wh, wt, target, met) in rows {
        if met != Some(true) {
            missed.push(row);
        }
        println!(
            "| {row} ({what}) | {} | {} | {} | {target} | {} |",
            ns(wh),
            ns(wt),
            times(ratio(wh, wt)),
            verdict(met),
        );
    }
    if let (Some(wh), Some(wt)) = time("instantiate-pooling") {
        println!();
        println!(
            "pooled instances per second: wit-host {:.0}, wasmtime {:.0}",
            1e9 / wh,
            1e9 / wt
        );
        for strategy in ["pooling", "ondemand"] {
            let floor = figure(&format!("memory-{strategy}-{FLOOR}"));
            let (host, peer) = (
                figure(&format!("memory-{strategy}-wit-host")),
                figure(&format!("memory-{strategy}-{PEER}")),
            );
            if floor.is_some() {
                println!(
                    "memory per instance ({strategy}) of the core floor: {} B, wit-host {} of it, \
                     wasmtime {} of it",
                    ns(floor),
                    times(ratio(host, floor)),
                    times(ratio(peer, floor)),
                );
            }
        }
        if let Some(floor) = estimate("instantiate-pooling", FLOOR) {
            println!(
                "pooled core floor (the two core modules from the same pool over the core API): \
                 {} ns, wit-host {} of it, wasmtime {} of it",
                ns(Some(floor)),
                times(ratio(Some(wh), Some(floor))),
                times(ratio(Some(wt), Some(floor))),
            );
        }
    }
    missed
}

/// The cases of `benches/async_calls.rs` (issue 12): `call_async` against
/// wasmtime's, at most 0.5× wasmtime with concurrency support off.
const ASYNC_CASES: [(&str, &str); 4] = [
    ("async-nothing", "func()"),
    ("async-add", "(u32, u32) -> u32"),
    ("async-string-16B", "16 B string echo"),
    (
        "async-import-nothing",
        "export calling an async import once",
    ),
];

/// Prints the async table; returns the rows that missed their target.
/// The core floor (`<case>/core-floor`: the same core calls, each a core
/// `call_async`) shows how far down one fiber per guest entry can go.
fn async_table(estimate: &dyn Fn(&str, &str) -> Option<f64>) -> Vec<&'static str> {
    println!(
        "| async case | wit-host ns | core floor ns | ratio vs floor | wasmtime ns (default) \
         | wasmtime ns (concurrency off) | ratio vs default | ratio vs concurrency off \
         | floor vs concurrency off | target | met |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |");
    let mut missed = Vec::new();
    for (group, what) in ASYNC_CASES {
        let [wh, wd, wn] = HOSTS.map(|host| estimate(group, host));
        let fl = estimate(group, FLOOR);
        let met = ratio(wh, wn).map(|r| r <= 0.5);
        if met != Some(true) {
            missed.push(group);
        }
        println!(
            "| {group} ({what}) | {} | {} | {} | {} | {} | {} | {} | {} | ≤0.5× conc. off | {} |",
            ns(wh),
            ns(fl),
            times(ratio(wh, fl)),
            ns(wd),
            ns(wn),
            times(ratio(wh, wd)),
            times(ratio(wh, wn)),
            times(ratio(fl, wn)),
            verdict(met),
        );
    }
    missed
}

/// The last column of a table.
fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "yes",
        Some(false) => "**no**",
        None => "**no** (result missing)",
    }
}

/// Where criterion wrote its results (the same search criterion does,
/// except that `cargo metadata` is replaced by this workspace's layout).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

/// Criterion's median estimate for `group/bench` in run `baseline`, in ns,
/// if it ran.
fn estimate(dir: &Path, group: &str, bench: &str, baseline: &str) -> Option<f64> {
    let path = dir
        .join(group)
        .join(bench)
        .join(baseline)
        .join("estimates.json");
    let json = std::fs::read_to_string(path).ok()?;
    point_estimate(&json, "median")
}

/// The `point_estimate` of statistic `name` in criterion's
/// `estimates.json` (`{"mean":{"confidence_interval":{..},
/// "point_estimate":N,..},"median":{..},..}`): the first `point_estimate`
/// after the statistic's key.
fn point_estimate(json: &str, name: &str) -> Option<f64> {
    let rest = &json[json.find(&format!("\"{name}\""))?..];
    let key = "\"point_estimate\":";
    let rest = rest[rest.find(key)? + key.len()..].trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// `a / b` when both ran.
fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    Some(a? / b?)
}

/// Both checks, when both could be made.
fn both(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    Some(a? && b?)
}

/// A time for the table.
fn ns(t: Option<f64>) -> String {
    match t {
        None => "—".to_owned(),
        Some(t) if t < 100.0 => format!("{t:.1}"),
        Some(t) => format!("{t:.0}"),
    }
}

/// A ratio for the table.
fn times(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{r:.2}×"))
}

/// Cores this process may use.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The CPU's model name from `/proc/cpuinfo`, where there is one.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

#[cfg(test)]
mod tests {
    use super::point_estimate;

    #[test]
    fn reads_criterion_estimates() {
        let json = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":10.5,"upper_bound":12.0},"point_estimate":11.25,"standard_error":0.3},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":9.0,"upper_bound":10.0},"point_estimate":9.5e0,"standard_error":0.1},"slope":null}"#;
        assert_eq!(point_estimate(json, "mean"), Some(11.25));
        assert_eq!(point_estimate(json, "median"), Some(9.5));
        assert_eq!(point_estimate(json, "std_dev"), None);
    }
}
