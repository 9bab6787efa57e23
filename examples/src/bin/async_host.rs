//! An async host: many plugin instances served concurrently from one
//! tokio thread, with `bindgen!`'s async imports and exports.
//!
//! Each job (world `example:jobs/job`, `examples/wit/jobs.wit`) fetches a
//! URL through the host's `net.fetch`, an async host function that waits
//! on a simulated network: while one job waits, the others run. One job
//! is stuck in a loop; an epoch ticker makes it yield to the executor at
//! every tick, so it cannot starve the others, and a timeout cancels it.
//! The cancelled instance is locked down; a fresh one works.
//!
//! Run it with `cargo run -p wit-host-examples --bin async_host`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use wit_host::{Component, Config, Engine, HasSelf, Linker, Result, Store};

wit_host::bindgen!({
    path: "wit/jobs.wit",
    // Host functions return futures; `call_…` methods are `async fn`.
    imports: { default: async },
    exports: { default: async },
});

/// How long the simulated network takes to answer.
const LATENCY: Duration = Duration::from_millis(50);

/// The host's state, one per store.
#[derive(Default)]
struct Host {
    fetches: u32,
}

impl example::jobs::net::Host for Host {
    // An `async fn` implements the generated `fn fetch(..) -> impl Future`.
    async fn fetch(&mut self, url: String) -> String {
        tokio::time::sleep(LATENCY).await;
        self.fetches += 1;
        format!("<body of {url}>")
    }
}

/// A store whose guests yield to the executor at every epoch tick.
fn new_store(engine: &Engine) -> Store<Host> {
    let mut store = Store::new(engine, Host::default());
    store.epoch_deadline_async_yield_and_update(1);
    store
}

/// One job in a store of its own: instantiate, process `url`.
async fn run_job(pre: JobPre<Host>, engine: Engine, n: u32) -> Result<String> {
    let mut store = new_store(&engine);
    let job = pre.instantiate_async(&mut store).await?;
    let url = format!("https://example.com/item/{n}");
    job.call_process(&mut store, &url).await
}

/// The stuck job: `spin` runs until the timeout cancels it; the instance
/// is then locked down, and a fresh instance in the same store works.
async fn run_stuck_job(pre: JobPre<Host>, engine: Engine) -> Result<Vec<String>> {
    let mut store = new_store(&engine);
    let job = pre.instantiate_async(&mut store).await?;
    let mut report = Vec::new();
    let started = Instant::now();
    match tokio::time::timeout(Duration::from_millis(200), job.call_spin(&mut store)).await {
        Ok(result) => report.push(format!("spin returned?! {result:?}")),
        Err(_) => report.push(format!(
            "stuck job cancelled after {} ms",
            started.elapsed().as_millis()
        )),
    }
    let refused = job
        .call_process(&mut store, "https://example.com/again")
        .await;
    report.push(match refused {
        Ok(body) => format!("the cancelled instance still answers?! {body}"),
        Err(e) => format!("the cancelled instance is locked down: {e}"),
    });
    let fresh = pre.instantiate_async(&mut store).await?;
    let body = fresh
        .call_process(&mut store, "https://example.com/fresh")
        .await?;
    report.push(format!("a fresh instance in the same store: {body}"));
    Ok(report)
}

fn main() -> Result<()> {
    // Epoch interruption, ticked every 5 ms by a thread of its own.
    let mut config = Config::new();
    config.epoch_interruption(true);
    let engine = Engine::new(&config)?;
    let stop = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (engine, stop) = (engine.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
                engine.increment_epoch();
            }
        })
    };

    let component = Component::new(&engine, include_str!("../../components/jobs.wat"))?;
    let mut linker = Linker::<Host>::new(&engine);
    Job::add_to_linker::<Host, HasSelf<Host>>(&mut linker, |host| host)?;
    let pre = JobPre::new(linker.instantiate_pre(&component)?)?;

    // One thread: concurrency comes from awaiting, not from threads. A
    // guest yielding at every epoch tick is always ready to run again, and
    // tokio checks its timers only every `event_interval` polls (61 by
    // default): check them at every poll, so that the network's answers
    // arrive on time while the stuck job spins.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .event_interval(1)
        .build()?;
    let jobs = 8;
    runtime.block_on(async {
        let started = Instant::now();
        let stuck = tokio::spawn(run_stuck_job(pre.clone(), engine.clone()));
        let handles: Vec<_> = (1..=jobs)
            .map(|n| tokio::spawn(run_job(pre.clone(), engine.clone(), n)))
            .collect();
        for (n, handle) in (1..=jobs).zip(handles) {
            let body = handle.await??;
            println!("job {n}: {body}");
        }
        let elapsed = started.elapsed();
        println!(
            "{jobs} jobs done in {} ms on one thread, each waiting {} ms on the network, while a stuck job spun",
            elapsed.as_millis(),
            LATENCY.as_millis()
        );
        for line in stuck.await?? {
            println!("{line}");
        }
        Ok::<_, wit_host::Error>(())
    })?;

    stop.store(true, Ordering::Relaxed);
    ticker.join().expect("the ticker thread");
    Ok(())
}
