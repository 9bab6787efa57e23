//! Asynchronous calls (issue 12's cases): `call_async` of `func()`,
//! `(u32, u32) -> u32`, a 16 B string echo, and an export calling an async
//! import once, through wit-host and through `wasmtime::component`
//! (`wasmtime-default`, `wasmtime-noconc`), on `calls.wat`.
//!
//! The futures never wait on anything (the imports answer at once), so
//! they are driven by polling with a no-op waker: what is measured is the
//! call path itself — fibers, lowering, lifting — not an executor.
//!
//! Each case also has its own floor, `core-floor`: the same core calls,
//! each a core `call_async`, with the same memory accesses, through
//! wasmtime's core API (see `async_calls/floor.rs`).
//!
//! Every call's result is checked once before it is measured.

#[path = "shared/core_modules.rs"]
mod core_modules;
#[path = "shared/flavor.rs"]
mod flavor;
#[path = "async_calls/floor.rs"]
mod floor;

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use criterion::{Criterion, criterion_group, criterion_main};

const CALLS_WAT: &str = include_str!("../components/calls.wat");

/// Runs `f` to completion by polling it with a no-op waker.
fn block_on<F: Future>(f: F) -> F::Output {
    let mut f = pin!(f);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(out) = f.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

/// Import calls and string bytes, as in the calls bench.
#[derive(Default)]
struct Counter {
    calls: u64,
    bytes: u64,
}

fn wit_host_instance() -> (wit_host::Store<Counter>, wit_host::Instance) {
    use wit_host::{Component, Engine, Linker, Store};
    let engine = Engine::default();
    let component = Component::new(&engine, CALLS_WAT).expect("calls.wat compiles");
    let mut linker = Linker::<Counter>::new(&engine);
    let mut root = linker.root();
    root.func_wrap_async("host-nothing", |mut store, (): ()| {
        Box::new(async move {
            store.data_mut().calls += 1;
            Ok(())
        })
    })
    .unwrap();
    root.func_wrap_async("host-string", |mut store, (s,): (String,)| {
        Box::new(async move {
            let data = store.data_mut();
            data.calls += 1;
            data.bytes += s.len() as u64;
            Ok(())
        })
    })
    .unwrap();
    let mut store = Store::new(&engine, Counter::default());
    let instance = block_on(linker.instantiate_async(&mut store, &component)).unwrap();
    (store, instance)
}

fn wasmtime_instance(
    flavor: flavor::Flavor,
) -> (wasmtime::Store<Counter>, wasmtime::component::Instance) {
    use wasmtime::component::{Component, Linker};
    let engine = flavor.engine();
    let component = Component::new(&engine, CALLS_WAT).expect("calls.wat compiles");
    let mut linker = Linker::<Counter>::new(&engine);
    let mut root = linker.root();
    root.func_wrap_async("host-nothing", |mut store, (): ()| {
        Box::new(async move {
            store.data_mut().calls += 1;
            Ok(())
        })
    })
    .unwrap();
    root.func_wrap_async("host-string", |mut store, (s,): (String,)| {
        Box::new(async move {
            let data = store.data_mut();
            data.calls += 1;
            data.bytes += s.len() as u64;
            Ok(())
        })
    })
    .unwrap();
    let mut store = wasmtime::Store::new(&engine, Counter::default());
    let instance = block_on(linker.instantiate_async(&mut store, &component)).unwrap();
    (store, instance)
}

fn async_calls(c: &mut Criterion) {
    let (mut wh, wh_instance) = wit_host_instance();
    let mut fl = floor::AsyncFloor::new(CALLS_WAT);
    let mut wt: Vec<_> = [flavor::Flavor::Default, flavor::Flavor::NoConcurrency]
        .into_iter()
        .map(|f| (f.label(), wasmtime_instance(f)))
        .collect();

    // func()
    {
        let mut g = c.benchmark_group("async-nothing");
        let f = wh_instance
            .get_typed_func::<(), ()>(&mut wh, "nothing")
            .unwrap();
        block_on(f.call_async(&mut wh, ())).unwrap();
        g.bench_function("wit-host", |b| {
            b.iter(|| block_on(f.call_async(&mut wh, ())).unwrap())
        });
        block_on(fl.nothing.call_async(&mut fl.store, ())).unwrap();
        g.bench_function("core-floor", |b| {
            b.iter(|| block_on(fl.nothing.call_async(&mut fl.store, ())).unwrap())
        });
        for (label, (store, instance)) in &mut wt {
            let f = instance
                .get_typed_func::<(), ()>(&mut *store, "nothing")
                .unwrap();
            block_on(f.call_async(&mut *store, ())).unwrap();
            g.bench_function(*label, |b| {
                b.iter(|| block_on(f.call_async(&mut *store, ())).unwrap())
            });
        }
        g.finish();
    }

    // func(a: u32, b: u32) -> u32
    {
        let mut g = c.benchmark_group("async-add");
        let f = wh_instance
            .get_typed_func::<(u32, u32), (u32,)>(&mut wh, "add")
            .unwrap();
        assert_eq!(block_on(f.call_async(&mut wh, (2, 3))).unwrap(), (5,));
        g.bench_function("wit-host", |b| {
            b.iter(|| block_on(f.call_async(&mut wh, black_box((2, 3)))).unwrap())
        });
        assert_eq!(
            block_on(fl.add.call_async(&mut fl.store, (2, 3))).unwrap(),
            5
        );
        g.bench_function("core-floor", |b| {
            b.iter(|| block_on(fl.add.call_async(&mut fl.store, black_box((2, 3)))).unwrap())
        });
        for (label, (store, instance)) in &mut wt {
            let f = instance
                .get_typed_func::<(u32, u32), (u32,)>(&mut *store, "add")
                .unwrap();
            assert_eq!(block_on(f.call_async(&mut *store, (2, 3))).unwrap(), (5,));
            g.bench_function(*label, |b| {
                b.iter(|| block_on(f.call_async(&mut *store, black_box((2, 3)))).unwrap())
            });
        }
        g.finish();
    }

    // func(s: string) -> string, 16 bytes
    {
        let mut g = c.benchmark_group("async-string-16B");
        let s = "0123456789abcdef";
        let f = wh_instance
            .get_typed_func::<(&str,), (String,)>(&mut wh, "echo")
            .unwrap();
        assert_eq!(block_on(f.call_async(&mut wh, (s,))).unwrap().0, s);
        g.bench_function("wit-host", |b| {
            b.iter(|| block_on(f.call_async(&mut wh, (black_box(s),))).unwrap())
        });
        assert_eq!(block_on(fl.string_echo(s)).unwrap(), s);
        g.bench_function("core-floor", |b| {
            b.iter(|| block_on(fl.string_echo(black_box(s))).unwrap())
        });
        for (label, (store, instance)) in &mut wt {
            let f = instance
                .get_typed_func::<(&str,), (String,)>(&mut *store, "echo")
                .unwrap();
            assert_eq!(block_on(f.call_async(&mut *store, (s,))).unwrap().0, s);
            g.bench_function(*label, |b| {
                b.iter(|| block_on(f.call_async(&mut *store, (black_box(s),))).unwrap())
            });
        }
        g.finish();
    }

    // The export calls its async import once.
    {
        let mut g = c.benchmark_group("async-import-nothing");
        let f = wh_instance
            .get_typed_func::<(), ()>(&mut wh, "call-nothing")
            .unwrap();
        let before = wh.data().calls;
        block_on(f.call_async(&mut wh, ())).unwrap();
        assert_eq!(wh.data().calls, before + 1);
        g.bench_function("wit-host", |b| {
            b.iter(|| block_on(f.call_async(&mut wh, ())).unwrap())
        });
        let before = fl.store.data().calls;
        block_on(fl.call_nothing.call_async(&mut fl.store, ())).unwrap();
        assert_eq!(fl.store.data().calls, before + 1);
        g.bench_function("core-floor", |b| {
            b.iter(|| block_on(fl.call_nothing.call_async(&mut fl.store, ())).unwrap())
        });
        for (label, (store, instance)) in &mut wt {
            let f = instance
                .get_typed_func::<(), ()>(&mut *store, "call-nothing")
                .unwrap();
            let before = store.data().calls;
            block_on(f.call_async(&mut *store, ())).unwrap();
            assert_eq!(store.data().calls, before + 1);
            g.bench_function(*label, |b| {
                b.iter(|| block_on(f.call_async(&mut *store, ())).unwrap())
            });
        }
        g.finish();
    }
}

criterion_group!(benches, async_calls);
criterion_main!(benches);
