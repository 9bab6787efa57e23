//! Measures one large component, given by path, through wit-host and
//! `wasmtime::component` (concurrency off) in the same run: compilation,
//! artifact size, `deserialize` and `deserialize_file` of the artifact, and
//! `InstancePre::instantiate` into a fresh store (every import defined as a
//! trapping function in both linkers, so both instantiate the same way).
//!
//! For a guest too large to build in CI, such as a componentize-js
//! component (see `bench/README.md`):
//!
//! ```sh
//! cargo run --release -p wit-host-bench --example large_component -- plugin.wasm
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

/// Runs `f` `n` times; the fastest run.
fn fastest<R>(n: usize, mut f: impl FnMut() -> R) -> (Duration, R) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..n {
        let start = Instant::now();
        let r = f();
        best = best.min(start.elapsed());
        out = Some(r);
    }
    (best, out.expect("n > 0"))
}

/// The median of `n` timings of `f`, each given a fresh store by `store`
/// (created and dropped outside the timing).
fn median_instantiate<S>(
    n: usize,
    mut store: impl FnMut() -> S,
    mut f: impl FnMut(&mut S),
) -> Duration {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let mut s = store();
            let start = Instant::now();
            f(&mut s);
            start.elapsed()
        })
        .collect();
    times.sort();
    times[n / 2]
}

/// What one host measured.
struct Figures {
    compile: Duration,
    artifact: usize,
    deserialize: Duration,
    deserialize_file: Duration,
    instantiate: Duration,
}

/// Measures `bytes` with one host's `Component`, `Linker` and `Store`
/// (the two APIs have the same shape), writing its artifact to `file`.
macro_rules! measure {
    ($engine:expr, $bytes:expr, $file:expr, $Component:ty, $Linker:ty, $Store:ty) => {{
        let (engine, bytes, file): (_, &[u8], &Path) = ($engine, $bytes, $file);
        let (compile, component) =
            fastest(1, || <$Component>::new(&engine, bytes).expect("compiles"));
        let artifact = component.serialize().expect("serializes");
        std::fs::write(file, &artifact).expect("artifact written");
        // SAFETY: the artifact was written just above by this engine's
        // `serialize`, and nothing changes the file while it is read.
        let (deserialize, _) = fastest(20, || {
            unsafe { <$Component>::deserialize(&engine, &artifact) }.expect("loads")
        });
        // SAFETY: as above.
        let (deserialize_file, component) = fastest(20, || {
            unsafe { <$Component>::deserialize_file(&engine, file) }.expect("loads")
        });
        let mut linker = <$Linker>::new(&engine);
        linker
            .define_unknown_imports_as_traps(&component)
            .expect("traps");
        let pre = linker.instantiate_pre(&component).expect("pre");
        let instantiate = median_instantiate(
            101,
            || <$Store>::new(&engine, ()),
            |store| {
                pre.instantiate(store).expect("instantiates");
            },
        );
        Figures {
            compile,
            artifact: artifact.len(),
            deserialize,
            deserialize_file,
            instantiate,
        }
    }};
}

fn wit_host(bytes: &[u8], file: &Path) -> Figures {
    use wit_host::{Component, Engine, Linker, Store};
    measure!(
        Engine::default(),
        bytes,
        file,
        Component,
        Linker<()>,
        Store<()>
    )
}

fn wasmtime(bytes: &[u8], file: &Path) -> Figures {
    use wasmtime::component::{Component, Linker};
    use wasmtime::{Config, Engine, Store};
    let mut config = Config::new();
    config.concurrency_support(false);
    let engine = Engine::new(&config).expect("engine");
    measure!(engine, bytes, file, Component, Linker<()>, Store<()>)
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: large_component <component.wasm>");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).expect("component file");
    let dir = std::env::temp_dir();
    let ours = wit_host(&bytes, &dir.join("large_component.wit-host"));
    let peer = wasmtime(&bytes, &dir.join("large_component.cwasm"));
    println!("{path}: {} bytes", bytes.len());
    println!("| | wit-host | wasmtime | ratio |");
    println!("| --- | ---: | ---: | ---: |");
    let row = |what: &str, a: Duration, b: Duration| {
        println!(
            "| {what} | {a:.2?} | {b:.2?} | {:.2}× |",
            a.as_secs_f64() / b.as_secs_f64()
        );
    };
    row("`Component::new`", ours.compile, peer.compile);
    println!(
        "| artifact | {} B | {} B | {:.3}× |",
        ours.artifact,
        peer.artifact,
        ours.artifact as f64 / peer.artifact as f64
    );
    row("`deserialize`", ours.deserialize, peer.deserialize);
    row(
        "`deserialize_file`",
        ours.deserialize_file,
        peer.deserialize_file,
    );
    row(
        "`InstancePre::instantiate` (median)",
        ours.instantiate,
        peer.instantiate,
    );
}
