//! wit-host + wit-host-wasi against wasmtime + wasmtime-wasi (48, its
//! synchronous `p2` API) on the same WASI command component.
//!
//! The guest is `guests/wasi_bench.c`, built by `build.rs` with clang,
//! wasi-libc and the preview1 command adapter (the one wasmtime 48
//! ships). Each case runs the command once per iteration: a fresh store
//! and WASI context, `CommandPre::instantiate`, `wasi:cli/run`, the exit
//! code checked; making the `InstancePre` is done once, and creating and
//! dropping the store are not timed. Cases (group `wasi`, then the host):
//!
//! - `hello`: `puts("Hello, world!")`, stdout captured;
//! - `stdout-1MiB`: 1 MiB written to a captured stdout;
//! - `file-read-1MiB`: a 1 MiB file read from a read-only preopen;
//! - `poll-ready-1000`: 1000 `poll` calls on stdout, always writable.
//!
//! Hosts: `wit-host` (`Engine::default()`), `wasmtime-default` and
//! `wasmtime-noconc` (`concurrency_support(false)`).

#[path = "shared/flavor.rs"]
mod flavor;

use std::path::{Path, PathBuf};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

/// The guest component, as `build.rs` built it (empty if it could not).
const GUEST: &str = env!("WIT_HOST_BENCH_WASI_GUEST");

/// A case: the guest's arguments, and whether it reads the preopen.
struct Case {
    id: &'static str,
    args: &'static [&'static str],
    /// The bytes the guest writes to stdout.
    stdout: usize,
}

const CASES: &[Case] = &[
    Case {
        id: "hello",
        args: &["hello"],
        stdout: 14,
    },
    Case {
        id: "stdout-1MiB",
        args: &["write-mib"],
        stdout: 1 << 20,
    },
    Case {
        id: "file-read-1MiB",
        args: &["read-file", "/data/blob"],
        stdout: 0,
    },
    Case {
        id: "poll-ready-1000",
        args: &["poll-ready", "1000"],
        stdout: 0,
    },
];

/// The directory the guest sees as `/data`, with `blob`: 1 MiB.
fn data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wit-host-bench-wasi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench data dir");
    std::fs::write(dir.join("blob"), vec![7u8; 1 << 20]).expect("bench blob");
    dir
}

/// The guest's argv: its name, then the case's arguments.
fn argv(case: &Case) -> Vec<&'static str> {
    let mut args = vec!["wasi_bench"];
    args.extend(case.args);
    args
}

mod ours {
    use super::*;
    use wit_host::{Component, Engine, Linker, ResourceTable, Store};
    use wit_host_wasi::p2::bindings::CommandPre;
    use wit_host_wasi::p2::pipe::MemoryOutputPipe;
    use wit_host_wasi::{DirPerms, FilePerms, WasiCtx, WasiCtxView, WasiView};

    pub struct Host {
        wasi: WasiCtx,
        table: ResourceTable,
    }

    impl WasiView for Host {
        fn ctx(&mut self) -> WasiCtxView<'_> {
            WasiCtxView {
                ctx: &mut self.wasi,
                table: &mut self.table,
            }
        }
    }

    pub struct Runner {
        engine: Engine,
        pre: CommandPre<Host>,
    }

    impl Runner {
        pub fn new(bytes: &[u8]) -> Runner {
            let engine = Engine::default();
            let component = Component::new(&engine, bytes).expect("component");
            let mut linker = Linker::new(&engine);
            wit_host_wasi::p2::add_to_linker_sync(&mut linker).expect("wasi");
            let pre =
                CommandPre::new(linker.instantiate_pre(&component).expect("pre")).expect("command");
            Runner { engine, pre }
        }

        /// A store ready to run `case`, and its captured stdout.
        pub fn store(&self, case: &Case, data: &Path) -> (Store<Host>, MemoryOutputPipe) {
            let stdout = MemoryOutputPipe::new(2 << 20);
            let mut builder = WasiCtx::builder();
            builder.args(&argv(case)).stdout(stdout.clone());
            builder
                .preopened_dir(data, "/data", DirPerms::READ, FilePerms::READ)
                .expect("preopen");
            let host = Host {
                wasi: builder.build(),
                table: ResourceTable::new(),
            };
            (Store::new(&self.engine, host), stdout)
        }

        /// Runs the command in `store`; `true` if it exited with 0.
        pub fn run(&self, store: &mut Store<Host>) -> bool {
            let command = self.pre.instantiate(&mut *store).expect("instantiate");
            matches!(command.wasi_cli_run().call_run(&mut *store), Ok(Ok(())))
        }
    }
}

mod peer {
    use super::*;
    use wasmtime::Store;
    use wasmtime::component::{Component, Linker, ResourceTable};
    use wasmtime_wasi::p2::bindings::sync::CommandPre;
    use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
    use wasmtime_wasi::{FsPerms, WasiCtx, WasiCtxView, WasiView};

    pub struct Host {
        wasi: WasiCtx,
        table: ResourceTable,
    }

    impl WasiView for Host {
        fn ctx(&mut self) -> WasiCtxView<'_> {
            WasiCtxView {
                ctx: &mut self.wasi,
                table: &mut self.table,
            }
        }
    }

    pub struct Runner {
        engine: wasmtime::Engine,
        pre: CommandPre<Host>,
    }

    impl Runner {
        pub fn new(flavor: flavor::Flavor, bytes: &[u8]) -> Runner {
            let engine = flavor.engine();
            let component = Component::new(&engine, bytes).expect("component");
            let mut linker = Linker::new(&engine);
            wasmtime_wasi::p2::add_to_linker_sync(&mut linker).expect("wasi");
            let pre =
                CommandPre::new(linker.instantiate_pre(&component).expect("pre")).expect("command");
            Runner { engine, pre }
        }

        pub fn store(&self, case: &Case, data: &Path) -> (Store<Host>, MemoryOutputPipe) {
            let stdout = MemoryOutputPipe::new(2 << 20);
            let mut builder = WasiCtx::builder();
            builder.args(&argv(case)).stdout(stdout.clone());
            // wasmtime-wasi 48 takes one permission for the directory and
            // its files: read-only, like `DirPerms::READ, FilePerms::READ`.
            builder
                .preopened_dir(data, "/data", FsPerms::ReadOnly)
                .expect("preopen");
            let host = Host {
                wasi: builder.build(),
                table: ResourceTable::new(),
            };
            (Store::new(&self.engine, host), stdout)
        }

        pub fn run(&self, store: &mut Store<Host>) -> bool {
            let command = self.pre.instantiate(&mut *store).expect("instantiate");
            matches!(command.wasi_cli_run().call_run(&mut *store), Ok(Ok(())))
        }
    }
}

fn bench(c: &mut Criterion) {
    if GUEST.is_empty() {
        eprintln!(
            "wasi benchmarks skipped: {}",
            option_env!("WIT_HOST_BENCH_WASI_SKIPPED").unwrap_or("the guest was not built")
        );
        return;
    }
    let bytes = std::fs::read(GUEST).expect("the guest component");
    let data = data_dir();
    let ours = ours::Runner::new(&bytes);
    let peers = [flavor::Flavor::Default, flavor::Flavor::NoConcurrency]
        .map(|f| (f.label(), peer::Runner::new(f, &bytes)));

    let mut group = c.benchmark_group("wasi");
    for case in CASES {
        // Each host gives the expected result before it is measured.
        let (mut store, stdout) = ours.store(case, &data);
        assert!(ours.run(&mut store), "wit-host: {} failed", case.id);
        assert_eq!(
            stdout.contents().len(),
            case.stdout,
            "wit-host: {}",
            case.id
        );
        for (label, peer) in &peers {
            let (mut store, stdout) = peer.store(case, &data);
            assert!(peer.run(&mut store), "{label}: {} failed", case.id);
            assert_eq!(stdout.contents().len(), case.stdout, "{label}: {}", case.id);
        }

        group.bench_function(format!("{}/wit-host", case.id), |b| {
            b.iter_batched(
                || ours.store(case, &data),
                // The store is returned, so it is dropped untimed.
                |(mut store, stdout)| (ours.run(&mut store), store, stdout),
                BatchSize::SmallInput,
            )
        });
        for (label, peer) in &peers {
            group.bench_function(format!("{}/{label}", case.id), |b| {
                b.iter_batched(
                    || peer.store(case, &data),
                    |(mut store, stdout)| (peer.run(&mut store), store, stdout),
                    BatchSize::SmallInput,
                )
            });
        }
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&data);
}

criterion_group!(benches, bench);
criterion_main!(benches);
