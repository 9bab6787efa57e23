//! The build cost of `bindgen!`: how long `cargo check` takes on a crate
//! whose only content is `wit_host::bindgen!` over a world, against the
//! same crate with `wasmtime::component::bindgen!` (wasmtime 48.0.8 from
//! crates.io).
//!
//! Run it by hand, on a machine as idle as you can find. The first run
//! takes minutes while each host's dependencies are checked once; after
//! that each check takes about a second, and the default run (18 crates,
//! 7 rounds) about three minutes:
//!
//! ```sh
//! cargo run -p wit-host-bench --release --bin bindgen-cost
//! cargo run -p wit-host-bench --release --bin bindgen-cost -- --runs 9 --worlds command,proxy
//! # The generated code's size for every world of the corpus, no timing:
//! cargo run -p wit-host-bench --release --bin bindgen-cost -- --sizes --worlds all
//! ```
//!
//! Options: `--runs N` (timed checks per crate, default 7), `--worlds
//! a,b|all` (ids from `scratch::CORPUS`; default `scratch::DEFAULT_WORLDS`),
//! `--sizes` (only capture and measure the generated code), `--no-expanded`
//! (skip the pre-expanded crates).
//!
//! Method. For each host, scratch crates under `target/bindgen-cost/` (see
//! [`scratch`]): an empty one, one per world with the `bindgen!` call, and
//! one per world with the code the macro generated pasted in. Each is
//! checked once to warm up; then, `--runs` times, every crate in turn
//! (starting from a different one each round) gets its source rewritten
//! and is checked again with `CARGO_INCREMENTAL=0`, timing the whole
//! `cargo check` (see [`mod@check`]): its wall time, and the CPU time cargo
//! and rustc spent, the steadier figure on a shared machine. The report
//! gives each crate's median and range, and from the medians:
//!
//! - **cost**: the `bindgen!` crate less the empty one (cargo's own
//!   overhead): what the macro adds to a build;
//! - **macro run**: the `bindgen!` crate less the pre-expanded one: the
//!   macro's run (reading the WIT, generating, handing tokens to rustc);
//! - **generated code**: the pre-expanded crate less the empty one:
//!   parsing and type-checking the generated code.
//!
//! It is a binary, not a `cargo bench` target, so that `cargo bench` never
//! runs it by surprise.

mod check;
mod expansion;
mod scratch;

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;

use check::{CheckEnv, Times, check};
use expansion::Size;
use scratch::{Body, CORPUS, DEFAULT_WORLDS, HOSTS, Host, Scratch, World};

/// The command line (see the crate's docs).
struct Args {
    runs: usize,
    worlds: Vec<&'static World>,
    sizes_only: bool,
    expanded: bool,
}

fn main() {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("bindgen-cost: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = run(&args) {
        eprintln!("bindgen-cost: {e}");
        std::process::exit(1);
    }
}

fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut args = Args {
        runs: 7,
        worlds: Vec::new(),
        sizes_only: false,
        expanded: true,
    };
    let mut world_ids: Vec<String> = DEFAULT_WORLDS.iter().map(|s| s.to_string()).collect();
    while let Some(arg) = argv.next() {
        match arg.as_str() {
            "--runs" => {
                let n = argv.next().ok_or("--runs needs a number")?;
                args.runs = n
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--runs: `{n}` is not a positive number"))?;
            }
            "--worlds" => {
                let list = argv.next().ok_or("--worlds needs a list")?;
                world_ids = if list == "all" {
                    CORPUS.iter().map(|w| w.id.to_string()).collect()
                } else {
                    list.split(',').map(str::to_string).collect()
                };
            }
            "--sizes" => args.sizes_only = true,
            "--no-expanded" => args.expanded = false,
            // What `cargo bench` passes to a harness-less target.
            "--bench" => {}
            other => {
                return Err(format!(
                    "unknown argument `{other}` (see the source's docs)"
                ));
            }
        }
    }
    for id in world_ids {
        let world = CORPUS.iter().find(|w| w.id == id).ok_or_else(|| {
            let known: Vec<_> = CORPUS.iter().map(|w| w.id).collect();
            format!("unknown world `{id}`; known: {}", known.join(", "))
        })?;
        args.worlds.push(world);
    }
    Ok(args)
}

fn run(args: &Args) -> Result<(), String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("the bench crate has no parent directory")?
        .to_path_buf();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from);
    let scratch = Scratch {
        root,
        dir: target.join("bindgen-cost"),
    };
    let tmp_dir = scratch.dir.join("tmp");
    std::fs::create_dir_all(&tmp_dir).map_err(|e| format!("cannot create {tmp_dir:?}: {e}"))?;
    println!("load average at start: {}", load_average());

    // Dependencies first, once per host, untimed.
    for host in &HOSTS {
        println!(
            "checking {}'s dependencies (once; minutes the first time)",
            host.name
        );
        warm(&scratch, host, Body::Empty, &tmp_dir)?;
    }

    // The generated code: its size, and the `-expanded` crates' source.
    let mut sizes: HashMap<(&str, &str), Size> = HashMap::new();
    let mut worlds: Vec<&World> = Vec::new();
    for &world in &args.worlds {
        let mut ok = true;
        for host in &HOSTS {
            match expansion::capture(&scratch, host, world) {
                Ok(size) => {
                    sizes.insert((host.name, world.id), size);
                }
                Err(e) => {
                    println!("{} / {}: {e}", world.id, host.name);
                    ok = false;
                }
            }
        }
        if ok {
            worlds.push(world);
        }
    }
    print_sizes(&args.worlds, &sizes);
    if args.sizes_only {
        return Ok(());
    }

    // Every crate, warmed once.
    let mut crates: Vec<(&Host, Body<'_>)> = Vec::new();
    for host in &HOSTS {
        crates.push((host, Body::Empty));
        for &world in &worlds {
            crates.push((host, Body::Macro(world)));
            if args.expanded {
                crates.push((host, Body::Expanded(world)));
            }
        }
    }
    for &(host, body) in &crates {
        warm(&scratch, host, body, &tmp_dir)?;
    }

    let mut times: Vec<Vec<Times>> = vec![Vec::new(); crates.len()];
    for round in 0..args.runs {
        for k in 0..crates.len() {
            let i = (round + k) % crates.len();
            let (host, body) = crates[i];
            let dir = scratch
                .write(host, body, round + 1)
                .map_err(|e| format!("cannot write a scratch crate: {e}"))?;
            let env = CheckEnv {
                target_dir: &scratch.target_dir(host),
                tmp_dir: &tmp_dir,
                debug_var: None,
            };
            times[i].push(check(&dir, &env)?);
        }
        println!(
            "round {}/{} done (load average {})",
            round + 1,
            args.runs,
            load_average()
        );
    }

    let has_cpu = times.iter().flatten().all(|t| t.cpu.is_some());
    let clocks: &[Clock] = if has_cpu {
        &[
            ("CPU time of cargo and rustc", |t| t.cpu.unwrap_or_default()),
            ("wall time", |t| t.wall),
        ]
    } else {
        &[("wall time", |t| t.wall)]
    };
    for &(clock, read) in clocks {
        let stats: HashMap<(&str, String), Stats> = crates
            .iter()
            .zip(&times)
            .map(|((host, body), t)| {
                let secs: Vec<Duration> = t.iter().map(read).collect();
                ((host.name, body.label()), Stats::of(&secs))
            })
            .collect();
        println!("\n## {clock}");
        print_times(&crates, &stats);
        print_report(&worlds, &stats, &sizes, args.expanded);
    }
    println!("\nload average at end: {}", load_average());
    Ok(())
}

/// A name for one of [`Times`]' clocks, and how to read it.
type Clock = (&'static str, fn(&Times) -> Duration);

/// Writes and checks one crate, untimed.
fn warm(
    scratch: &Scratch,
    host: &Host,
    body: Body<'_>,
    tmp_dir: &std::path::Path,
) -> Result<(), String> {
    let dir = scratch
        .write(host, body, 0)
        .map_err(|e| format!("cannot write a scratch crate: {e}"))?;
    let env = CheckEnv {
        target_dir: &scratch.target_dir(host),
        tmp_dir,
        debug_var: None,
    };
    check(&dir, &env).map(drop)
}

/// The median and range of one crate's checks.
#[derive(Clone, Copy)]
struct Stats {
    median: f64,
    min: f64,
    max: f64,
}

impl Stats {
    /// From the runs' times, in seconds.
    fn of(times: &[Duration]) -> Stats {
        let mut secs: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        secs.sort_by(f64::total_cmp);
        let n = secs.len();
        let median = if n % 2 == 1 {
            secs[n / 2]
        } else {
            (secs[n / 2 - 1] + secs[n / 2]) / 2.0
        };
        Stats {
            median,
            min: secs[0],
            max: secs[n - 1],
        }
    }
}

fn print_sizes(worlds: &[&World], sizes: &HashMap<(&str, &str), Size>) {
    println!("\nGenerated code (rustfmt'd; non-blank lines / KiB):\n");
    println!("| world | wit-host | wasmtime | wit-host / wasmtime (lines) |");
    println!("| --- | ---: | ---: | ---: |");
    for world in worlds {
        let cell = |host: &str| {
            sizes
                .get(&(host, world.id))
                .map_or("error".to_string(), |s| {
                    format!("{} / {:.0}", s.lines, s.bytes as f64 / 1024.0)
                })
        };
        let ratio = match (
            sizes.get(&("wit-host", world.id)),
            sizes.get(&("wasmtime", world.id)),
        ) {
            (Some(a), Some(b)) => format!("{:.2}×", a.lines as f64 / b.lines as f64),
            _ => "—".to_string(),
        };
        println!(
            "| `{}` | {} | {} | {ratio} |",
            world.id,
            cell("wit-host"),
            cell("wasmtime")
        );
    }
}

fn print_times(crates: &[(&Host, Body<'_>)], stats: &HashMap<(&str, String), Stats>) {
    println!("\nEvery crate, `cargo check` in seconds (median, min–max):\n");
    for (host, body) in crates {
        let s = stats[&(host.name, body.label())];
        println!(
            "  {:<10} {:<28} {:.3}  ({:.3}–{:.3})",
            host.name,
            body.label(),
            s.median,
            s.min,
            s.max
        );
    }
}

fn print_report(
    worlds: &[&World],
    stats: &HashMap<(&str, String), Stats>,
    sizes: &HashMap<(&str, &str), Size>,
    expanded: bool,
) {
    println!("\nSeconds, from the medians (cost = bindgen! crate − empty crate):\n");
    println!(
        "| world | host | generated lines | check, median (range) | cost | macro run | generated code |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for world in worlds {
        let mut costs = Vec::new();
        for host in &HOSTS {
            let empty = stats[&(host.name, Body::Empty.label())].median;
            let with = stats[&(host.name, Body::Macro(world).label())];
            let cost = with.median - empty;
            costs.push(cost);
            let (macro_run, code) = if expanded {
                let pre = stats[&(host.name, Body::Expanded(world).label())].median;
                (
                    format!("{:.2}", with.median - pre),
                    format!("{:.2}", pre - empty),
                )
            } else {
                ("—".to_string(), "—".to_string())
            };
            let lines = sizes
                .get(&(host.name, world.id))
                .map_or("—".to_string(), |s| s.lines.to_string());
            println!(
                "| `{}` | {} | {lines} | {:.2} ({:.2}–{:.2}) | {cost:.2} | {macro_run} | {code} |",
                world.id, host.name, with.median, with.min, with.max
            );
        }
        println!(
            "| | wit-host / wasmtime | | | {:.2}× | | |",
            costs[0] / costs[1]
        );
    }
}

/// `/proc/loadavg`'s first three fields, or `?`.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".to_string())
}
