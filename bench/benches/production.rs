//! What a production host measures besides calls: compiling a large
//! component, loading it precompiled (from bytes and from a file), and
//! instantiating from wasmtime's pooling allocator, for wit-host and
//! `wasmtime::component` on the same components in the same run.
//!
//! Groups (ids `GROUP/HOST`, read by `report`):
//! - `compile-large`: `Component::new` of the generated large component
//!   (`shared/large.rs`);
//! - `deserialize-large`: `Component::deserialize` of its artifact;
//! - `deserialize-file-large`: `Component::deserialize_file` of it;
//! - `instantiate-pooling`: `InstancePre::instantiate` of the ten-import
//!   component (`components/instantiate.wat`) with the pooling allocator,
//!   the same pool for both; a fresh store each time, not timed. Its
//!   `core-floor` instantiates the component's two core modules from the
//!   same pool over wasmtime's core API (`calls/instantiate_floor.rs`).
//!
//! Before the timings it writes, next to criterion's results
//! (`<criterion dir>/production/*.txt`), two figures criterion does not
//! measure: the artifact sizes, and the resident memory per instance
//! (1000 instances alive in 1000 stores, pooling and on-demand), for both
//! hosts and for the core floor's two core instances.

use std::path::PathBuf;

use criterion::{BatchSize, Criterion, criterion_group};

#[path = "shared/core_modules.rs"]
mod core_modules;
#[path = "calls/instantiate_floor.rs"]
mod instantiate_floor;
#[path = "shared/large.rs"]
mod large;

const INSTANTIATE_WAT: &str = include_str!("../components/instantiate.wat");

/// The pool both hosts instantiate from.
fn pool() -> wasmtime::PoolingAllocationConfig {
    let mut pool = wasmtime::PoolingAllocationConfig::default();
    pool.total_core_instances(4000)
        .total_memories(2000)
        .total_tables(2000)
        .total_component_instances(2000)
        .max_memory_size(1 << 20);
    pool
}

/// wit-host's engine (and the core floor's), configured like wasmtime's
/// below. Concurrency support is wasmtime's default only when wasmtime is
/// built with its component-model async feature, as this bench crate
/// builds it to race `wasmtime::component`; with it on, every store
/// allocates wasmtime's component store state (two blocks, 144 B), which
/// a wit-host build (wasmtime without `component-model`) never does.
fn wit_host_engine(pooling: bool) -> wit_host::Engine {
    let mut config = wit_host::Config::new();
    config.concurrency_support(false);
    if pooling {
        config.allocation_strategy(wit_host::InstanceAllocationStrategy::Pooling(pool()));
    }
    wit_host::Engine::new(&config).unwrap()
}

fn wasmtime_engine(pooling: bool) -> wasmtime::Engine {
    let mut config = wasmtime::Config::new();
    config.concurrency_support(false);
    if pooling {
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pool()));
    }
    wasmtime::Engine::new(&config).unwrap()
}

/// The ten-import component pre-instantiated by wit-host.
fn wit_host_pre(engine: &wit_host::Engine) -> wit_host::InstancePre<()> {
    use wit_host::StoreContextMut;
    let component = wit_host::Component::new(engine, INSTANTIATE_WAT).unwrap();
    let mut linker = wit_host::Linker::<()>::new(engine);
    let mut root = linker.root();
    for i in 0..5 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (x,): (u32,)| Ok((x + 1,)),
        )
        .unwrap();
    }
    for i in 5..8 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (_,): (String,)| Ok(()),
        )
        .unwrap();
    }
    for i in 8..10 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (s,): (String,)| Ok((s,)),
        )
        .unwrap();
    }
    linker.instantiate_pre(&component).unwrap()
}

/// The ten-import component pre-instantiated by `wasmtime::component`.
fn wasmtime_pre(engine: &wasmtime::Engine) -> wasmtime::component::InstancePre<()> {
    use wasmtime::StoreContextMut;
    let component = wasmtime::component::Component::new(engine, INSTANTIATE_WAT).unwrap();
    let mut linker = wasmtime::component::Linker::<()>::new(engine);
    let mut root = linker.root();
    for i in 0..5 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (x,): (u32,)| Ok((x + 1,)),
        )
        .unwrap();
    }
    for i in 5..8 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (_,): (String,)| Ok(()),
        )
        .unwrap();
    }
    for i in 8..10 {
        root.func_wrap(
            &format!("f{i}"),
            |_: StoreContextMut<'_, ()>, (s,): (String,)| Ok((s,)),
        )
        .unwrap();
    }
    linker.instantiate_pre(&component).unwrap()
}

/// Where criterion keeps its results (as `report` finds them).
fn results_dir() -> PathBuf {
    let dir = if let Some(home) = std::env::var_os("CRITERION_HOME") {
        PathBuf::from(home)
    } else if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        PathBuf::from(target).join("criterion")
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
    };
    dir.join("production")
}

fn record(name: &str, value: u64) {
    let dir = results_dir();
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(dir.join(format!("{name}.txt")), value.to_string());
    println!("production/{name}: {value}");
}

/// Resident set size of this process, in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

/// Resident bytes per instance, measured in a fresh process (this binary
/// again, see `main`) so that no freed memory of other work hides the
/// instances' own: `MEMORY_INSTANCES` instances alive, each in its own
/// store, each after one call of `run` (which calls the imports, strings
/// included).
/// In test mode (`measuring` false) fewer instances, and nothing recorded.
fn memory_per_instance(host: &str, pooling: bool, measuring: bool) {
    let label = if pooling { "pooling" } else { "ondemand" };
    let instances = if measuring { MEMORY_INSTANCES } else { 10 };
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .env(MEMORY_ENV, format!("{host}:{label}:{instances}"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "measuring memory for {host} ({label}) failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    if measuring {
        record(&format!("memory-{label}-{host}"), bytes);
    }
}

/// Set in the child process `memory_per_instance` starts.
const MEMORY_ENV: &str = "WIT_HOST_BENCH_MEMORY";
const MEMORY_INSTANCES: u64 = 1000;

/// The child's side (`which` is `HOST:STRATEGY:INSTANCES`): instantiates,
/// prints bytes per instance.
fn measure_memory(which: &str) {
    let mut parts = which.split(':');
    let (host, strategy) = (parts.next(), parts.next());
    let n: u64 = parts
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(MEMORY_INSTANCES);
    let pooling = strategy == Some("pooling");
    let per_instance = if host == Some("core-floor") {
        let engine = wit_host_engine(pooling);
        let floor = instantiate_floor::InstantiateFloor::with_engine(engine, INSTANTIATE_WAT);
        resident_per_instance(n, || {
            let mut store = floor.store();
            let main = floor.instantiate(&mut store);
            let run = main.get_typed_func::<(), i32>(&mut store, "run").unwrap();
            run.call(&mut store, ()).unwrap();
            store
        })
    } else if host == Some("wit-host") {
        let engine = wit_host_engine(pooling);
        let pre = wit_host_pre(&engine);
        resident_per_instance(n, || {
            let mut store = wit_host::Store::new(&engine, ());
            let instance = pre.instantiate(&mut store).unwrap();
            let run = instance
                .get_typed_func::<(), (u32,)>(&mut store, "run")
                .unwrap();
            run.call(&mut store, ()).unwrap();
            store
        })
    } else {
        let engine = wasmtime_engine(pooling);
        let pre = wasmtime_pre(&engine);
        resident_per_instance(n, || {
            let mut store = wasmtime::Store::new(&engine, ());
            let instance = pre.instantiate(&mut store).unwrap();
            let run = instance
                .get_typed_func::<(), (u32,)>(&mut store, "run")
                .unwrap();
            run.call(&mut store, ()).unwrap();
            store
        })
    };
    println!("{per_instance}");
}

/// The resident bytes each of `n` stores made by `instantiate` (an
/// instance in it, called once) takes, all alive at once.
fn resident_per_instance<S>(n: u64, mut instantiate: impl FnMut() -> S) -> u64 {
    let before = rss();
    let stores: Vec<S> = (0..n).map(|_| instantiate()).collect();
    let bytes = rss().saturating_sub(before) / n;
    drop(stores);
    bytes
}

/// Whether criterion measures (`cargo bench` passes `--bench`) rather than
/// runs each benchmark once as a test (`cargo test --benches`).
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

fn production(c: &mut Criterion) {
    let measuring = measuring();
    for pooling in [true, false] {
        for host in ["wit-host", "core-floor", "wasmtime-noconc"] {
            memory_per_instance(host, pooling, measuring);
        }
    }

    // In test mode (a dev build, each benchmark once) a small component
    // checks the same path without compiling 2000 functions unoptimised.
    let funcs = if measuring { large::FUNCS } else { 20 };
    let wat = large::large_wat(funcs);
    let large = wat::parse_str(&wat).expect("the large component is valid text");
    let wh_engine = wit_host_engine(false);
    let wt_engine = wasmtime_engine(false);

    let wh_bytes = wit_host::Component::precompile(&wh_engine, &large).unwrap();
    let wt_bytes = wt_engine.precompile_component(&large).unwrap();
    if measuring {
        record("large-wasm-bytes", large.len() as u64);
        record("artifact-bytes-wit-host", wh_bytes.len() as u64);
        record("artifact-bytes-wasmtime-noconc", wt_bytes.len() as u64);
    }

    {
        let mut g = c.benchmark_group("compile-large");
        g.sample_size(10);
        g.bench_function("wit-host", |b| {
            b.iter(|| wit_host::Component::new(&wh_engine, &large).unwrap())
        });
        g.bench_function("wasmtime-noconc", |b| {
            b.iter(|| wasmtime::component::Component::new(&wt_engine, &large).unwrap())
        });
        g.finish();
    }
    let dir = std::env::temp_dir().join(format!("wit-host-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (wh_file, wt_file) = (dir.join("large.wit-host"), dir.join("large.wasmtime"));
    std::fs::write(&wh_file, &wh_bytes).unwrap();
    std::fs::write(&wt_file, &wt_bytes).unwrap();
    {
        let mut g = c.benchmark_group("deserialize-large");
        g.bench_function("wit-host", |b| {
            // SAFETY: made just above by wit-host's precompile for this engine.
            b.iter(|| unsafe { wit_host::Component::deserialize(&wh_engine, &wh_bytes) }.unwrap())
        });
        g.bench_function("wasmtime-noconc", |b| {
            b.iter(|| {
                // SAFETY: made just above by wasmtime's precompile for this engine.
                unsafe { wasmtime::component::Component::deserialize(&wt_engine, &wt_bytes) }
                    .unwrap()
            })
        });
        g.finish();
        let mut g = c.benchmark_group("deserialize-file-large");
        g.bench_function("wit-host", |b| {
            b.iter(|| {
                // SAFETY: written just above from wit-host's precompile for this engine.
                unsafe { wit_host::Component::deserialize_file(&wh_engine, &wh_file) }.unwrap()
            })
        });
        g.bench_function("wasmtime-noconc", |b| {
            b.iter(|| {
                // SAFETY: written just above from wasmtime's precompile for this engine.
                unsafe { wasmtime::component::Component::deserialize_file(&wt_engine, &wt_file) }
                    .unwrap()
            })
        });
        g.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);

    let mut g = c.benchmark_group("instantiate-pooling");
    {
        let engine = wit_host_engine(true);
        let pre = wit_host_pre(&engine);
        g.bench_function("wit-host", |b| {
            b.iter_batched(
                || wit_host::Store::new(&engine, ()),
                |mut store| {
                    let instance = pre.instantiate(&mut store).unwrap();
                    (store, instance)
                },
                // One store alive at a time: a batch would hold more
                // instances than the pool has room for.
                BatchSize::PerIteration,
            )
        });
    }
    {
        let floor = instantiate_floor::InstantiateFloor::with_engine(
            wit_host_engine(true),
            INSTANTIATE_WAT,
        );
        g.bench_function("core-floor", |b| {
            b.iter_batched(
                || floor.store(),
                |mut store| {
                    let instance = floor.instantiate(&mut store);
                    (store, instance)
                },
                // As above: one store alive at a time.
                BatchSize::PerIteration,
            )
        });
    }
    {
        let engine = wasmtime_engine(true);
        let pre = wasmtime_pre(&engine);
        g.bench_function("wasmtime-noconc", |b| {
            b.iter_batched(
                || wasmtime::Store::new(&engine, ()),
                |mut store| {
                    let instance = pre.instantiate(&mut store).unwrap();
                    (store, instance)
                },
                // One store alive at a time: a batch would hold more
                // instances than the pool has room for.
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, production);

fn main() {
    if let Ok(which) = std::env::var(MEMORY_ENV) {
        measure_memory(&which);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
