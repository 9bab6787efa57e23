//! The same hand-written components called through three hosts, plus the
//! core-wasm floor, in one criterion binary.
//!
//! Hosts (the last part of every benchmark id):
//! - `wit-host`: wit-host's typed API (`Instance::get_typed_func`,
//!   `LinkerInstance::func_wrap`, `InstancePre`) on `Engine::default()`;
//! - `wasmtime-default`: `wasmtime::component`'s typed API on
//!   `Config::default()`;
//! - `wasmtime-noconc`: the same with `Config::concurrency_support(false)`.
//!
//! Each case also has its own floor, `core-floor`: the same core calls and
//! memory accesses made directly through wasmtime's core API on the same
//! core modules (see `calls/floor.rs`).
//!
//! Cases (the group, the first part of the id) are listed in
//! `src/bin/report.rs`, which prints the table from criterion's results.
//! The guests are `components/*.wat`; `calls.wat` explains its memory and
//! its `realloc`. Import cases measure the whole export call (host →
//! guest → host → guest → host); nothing is subtracted.
//!
//! Every call's result is checked once before it is measured.

#[path = "shared/core_modules.rs"]
mod core_modules;
#[path = "shared/flavor.rs"]
mod flavor;
#[path = "calls/floor.rs"]
mod floor;
#[path = "calls/instantiate_floor.rs"]
mod instantiate_floor;

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BatchSize, Bencher, BenchmarkGroup, Criterion, criterion_group, criterion_main};

/// The call component.
const CALLS_WAT: &str = include_str!("../components/calls.wat");
/// The ten-import component for the instantiation case.
const INSTANTIATE_WAT: &str = include_str!("../components/instantiate.wat");

/// Bytes of the short string case.
const SMALL: usize = 16;
/// Bytes of the long string case.
const STRING_BIG: usize = 64 * 1024;
/// Bytes of the list case.
const LIST_BIG: usize = 1024 * 1024;

/// The short string: 16 ASCII bytes.
fn small_string() -> String {
    "0123456789abcdef".to_owned()
}

/// The long string: 64 KiB of ASCII (UTF-8 checks run over all of it).
fn big_string() -> String {
    (0..STRING_BIG)
        .map(|i| (b'a' + (i % 26) as u8) as char)
        .collect()
}

/// The list: 1 MiB of bytes.
fn big_list() -> Vec<u8> {
    (0..LIST_BIG).map(|i| i as u8).collect()
}

/// The record both hosts send, as field values.
macro_rules! big_value {
    ($($ty:ident)::+) => {
        $($ty)::+ {
            a: 1,
            b: 2,
            c: 3,
            d: 4,
            e: -5,
            f: -6,
            g: 7.5,
            h: 8.25,
            i: true,
            j: 'λ',
        }
    };
}

/// The host-side store data: counts import calls and string bytes, so the
/// imports do (tiny, equal) work and the checks can see they ran.
#[derive(Default)]
pub struct Counter {
    pub calls: u64,
    pub bytes: u64,
}

/// wit-host's side.
mod wh {
    use super::*;
    use wit_host::{Component, Engine, Instance, Linker, Store, StoreContextMut};

    /// A store with one instance of `calls.wat`.
    pub struct Host {
        pub store: Store<Counter>,
        pub instance: Instance,
    }

    /// Defines the two imports of `calls.wat`.
    fn define_imports(linker: &mut Linker<Counter>) -> wit_host::Result<()> {
        let mut root = linker.root();
        root.func_wrap(
            "host-nothing",
            |mut store: StoreContextMut<'_, Counter>, (): ()| {
                store.data_mut().calls += 1;
                Ok(())
            },
        )?;
        root.func_wrap(
            "host-string",
            |mut store: StoreContextMut<'_, Counter>, (s,): (String,)| {
                let data = store.data_mut();
                data.calls += 1;
                data.bytes += s.len() as u64;
                Ok(())
            },
        )?;
        Ok(())
    }

    impl Host {
        /// Compiles and instantiates `calls.wat`.
        pub fn new() -> Host {
            let engine = Engine::default();
            let component = Component::new(&engine, CALLS_WAT).expect("calls.wat compiles");
            let mut linker = Linker::new(&engine);
            define_imports(&mut linker).expect("imports defined");
            let mut store = Store::new(&engine, Counter::default());
            let instance = linker
                .instantiate(&mut store, &component)
                .expect("calls.wat instantiates");
            Host { store, instance }
        }
    }

    /// The ten-import component, pre-instantiated, and its engine.
    pub fn instance_pre() -> (Engine, wit_host::InstancePre<Counter>) {
        let engine = Engine::default();
        let component = Component::new(&engine, INSTANTIATE_WAT).expect("instantiate.wat compiles");
        let mut linker = Linker::<Counter>::new(&engine);
        let mut root = linker.root();
        for i in 0..5 {
            root.func_wrap(
                &format!("f{i}"),
                |_: StoreContextMut<'_, Counter>, (x,): (u32,)| Ok((x + 1,)),
            )
            .unwrap();
        }
        for i in 5..8 {
            root.func_wrap(
                &format!("f{i}"),
                |mut store: StoreContextMut<'_, Counter>, (s,): (String,)| {
                    store.data_mut().bytes += s.len() as u64;
                    Ok(())
                },
            )
            .unwrap();
        }
        for i in 8..10 {
            root.func_wrap(
                &format!("f{i}"),
                |_: StoreContextMut<'_, Counter>, (s,): (String,)| Ok((s,)),
            )
            .unwrap();
        }
        let pre = linker.instantiate_pre(&component).expect("instantiate_pre");
        (engine, pre)
    }

    /// The record of the record case.
    #[derive(
        wit_host::ComponentType, wit_host::Lift, wit_host::Lower, Clone, Copy, Debug, PartialEq,
    )]
    #[component(record)]
    pub struct Big {
        pub a: u8,
        pub b: u16,
        pub c: u32,
        pub d: u64,
        pub e: i32,
        pub f: i64,
        pub g: f32,
        pub h: f64,
        pub i: bool,
        pub j: char,
    }

    /// The variant of the variant case.
    #[derive(
        wit_host::ComponentType, wit_host::Lift, wit_host::Lower, Clone, Copy, Debug, PartialEq,
    )]
    #[component(variant)]
    pub enum Shape {
        #[component(name = "none")]
        None,
        #[component(name = "int")]
        Int(u32),
        #[component(name = "long")]
        Long(u64),
        #[component(name = "real")]
        Real(f64),
    }
}

/// `wasmtime::component`'s side, for both configurations.
mod wt {
    use super::*;
    use wasmtime::component::{
        Component, ComponentType, Instance, InstancePre, Lift, Linker, Lower,
    };
    use wasmtime::{Engine, Store, StoreContextMut};

    pub use crate::flavor::Flavor;

    /// A store with one instance of `calls.wat`.
    pub struct Host {
        pub flavor: Flavor,
        pub store: Store<Counter>,
        pub instance: Instance,
    }

    impl Host {
        /// Compiles and instantiates `calls.wat` with `flavor`'s engine.
        pub fn new(flavor: Flavor) -> Host {
            let engine = flavor.engine();
            let component = Component::new(&engine, CALLS_WAT).expect("calls.wat compiles");
            let mut linker = Linker::new(&engine);
            let mut root = linker.root();
            root.func_wrap(
                "host-nothing",
                |mut store: StoreContextMut<'_, Counter>, (): ()| {
                    store.data_mut().calls += 1;
                    Ok(())
                },
            )
            .unwrap();
            root.func_wrap(
                "host-string",
                |mut store: StoreContextMut<'_, Counter>, (s,): (String,)| {
                    let data = store.data_mut();
                    data.calls += 1;
                    data.bytes += s.len() as u64;
                    Ok(())
                },
            )
            .unwrap();
            let mut store = Store::new(&engine, Counter::default());
            let instance = linker
                .instantiate(&mut store, &component)
                .expect("calls.wat instantiates");
            Host {
                flavor,
                store,
                instance,
            }
        }
    }

    /// The ten-import component, pre-instantiated, and its engine.
    pub fn instance_pre(flavor: Flavor) -> (Engine, InstancePre<Counter>) {
        let engine = flavor.engine();
        let component = Component::new(&engine, INSTANTIATE_WAT).expect("instantiate.wat compiles");
        let mut linker = Linker::<Counter>::new(&engine);
        let mut root = linker.root();
        for i in 0..5 {
            root.func_wrap(
                &format!("f{i}"),
                |_: StoreContextMut<'_, Counter>, (x,): (u32,)| Ok((x + 1,)),
            )
            .unwrap();
        }
        for i in 5..8 {
            root.func_wrap(
                &format!("f{i}"),
                |mut store: StoreContextMut<'_, Counter>, (s,): (String,)| {
                    store.data_mut().bytes += s.len() as u64;
                    Ok(())
                },
            )
            .unwrap();
        }
        for i in 8..10 {
            root.func_wrap(
                &format!("f{i}"),
                |_: StoreContextMut<'_, Counter>, (s,): (String,)| Ok((s,)),
            )
            .unwrap();
        }
        let pre = linker.instantiate_pre(&component).expect("instantiate_pre");
        (engine, pre)
    }

    /// The record of the record case.
    #[derive(ComponentType, Lift, Lower, Clone, Copy, Debug, PartialEq)]
    #[component(record)]
    pub struct Big {
        pub a: u8,
        pub b: u16,
        pub c: u32,
        pub d: u64,
        pub e: i32,
        pub f: i64,
        pub g: f32,
        pub h: f64,
        pub i: bool,
        pub j: char,
    }

    /// The variant of the variant case.
    #[derive(ComponentType, Lift, Lower, Clone, Copy, Debug, PartialEq)]
    #[component(variant)]
    pub enum Shape {
        #[component(name = "none")]
        None,
        #[component(name = "int")]
        Int(u32),
        #[component(name = "long")]
        Long(u64),
        #[component(name = "real")]
        Real(f64),
    }
}

/// Runs `f` once per wasmtime flavor, as benchmark `flavor.label()`.
fn each_wasmtime(
    g: &mut BenchmarkGroup<'_, WallTime>,
    hosts: &mut [wt::Host],
    mut f: impl FnMut(&mut Bencher<'_>, &mut wt::Host),
) {
    for host in hosts.iter_mut() {
        g.bench_function(host.flavor.label(), |b| f(b, host));
    }
}

/// Host → guest calls: one group per case, three hosts each.
fn calls(c: &mut Criterion) {
    let mut wh = wh::Host::new();
    let mut wt = [
        wt::Host::new(wt::Flavor::Default),
        wt::Host::new(wt::Flavor::NoConcurrency),
    ];
    let mut fl = floor::Floor::new(CALLS_WAT);

    // func()
    {
        let mut g = c.benchmark_group("nothing");
        let f = wh
            .instance
            .get_typed_func::<(), ()>(&mut wh.store, "nothing")
            .unwrap();
        f.call(&mut wh.store, ()).unwrap();
        g.bench_function("wit-host", |b| {
            b.iter(|| f.call(&mut wh.store, ()).unwrap())
        });
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(), ()>(&mut h.store, "nothing")
                .unwrap();
            f.call(&mut h.store, ()).unwrap();
            b.iter(|| f.call(&mut h.store, ()).unwrap())
        });
        fl.nothing.call(&mut fl.store, ()).unwrap();
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.nothing.call(&mut fl.store, ()).unwrap())
        });
        g.finish();
    }

    // func(a: u32, b: u32) -> u32
    {
        let mut g = c.benchmark_group("add");
        let f = wh
            .instance
            .get_typed_func::<(u32, u32), (u32,)>(&mut wh.store, "add")
            .unwrap();
        assert_eq!(f.call(&mut wh.store, (2, 3)).unwrap(), (5,));
        g.bench_function("wit-host", |b| {
            b.iter(|| f.call(&mut wh.store, black_box((2, 3))).unwrap())
        });
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(u32, u32), (u32,)>(&mut h.store, "add")
                .unwrap();
            assert_eq!(f.call(&mut h.store, (2, 3)).unwrap(), (5,));
            b.iter(|| f.call(&mut h.store, black_box((2, 3))).unwrap())
        });
        assert_eq!(fl.add.call(&mut fl.store, (2, 3)).unwrap(), 5);
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.add.call(&mut fl.store, black_box((2, 3))).unwrap())
        });
        g.finish();
    }

    // func(s: string) -> string, 16 bytes and 64 KiB
    for (case, s) in [
        ("string-16B", small_string()),
        ("string-64KiB", big_string()),
    ] {
        let mut g = c.benchmark_group(case);
        let s = s.as_str();
        let f = wh
            .instance
            .get_typed_func::<(&str,), (String,)>(&mut wh.store, "echo")
            .unwrap();
        assert_eq!(f.call(&mut wh.store, (s,)).unwrap().0, s);
        g.bench_function("wit-host", |b| {
            b.iter(|| f.call(&mut wh.store, (black_box(s),)).unwrap())
        });
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(&str,), (String,)>(&mut h.store, "echo")
                .unwrap();
            assert_eq!(f.call(&mut h.store, (s,)).unwrap().0, s);
            b.iter(|| f.call(&mut h.store, (black_box(s),)).unwrap())
        });
        assert_eq!(fl.string_echo(s).unwrap(), s);
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.string_echo(black_box(s)).unwrap())
        });
        g.finish();
    }

    // func(l: list<u8>) -> u32, 1 MiB
    {
        let mut g = c.benchmark_group("list-1MiB");
        let list = big_list();
        let l = list.as_slice();
        let f = wh
            .instance
            .get_typed_func::<(&[u8],), (u32,)>(&mut wh.store, "list-len")
            .unwrap();
        assert_eq!(f.call(&mut wh.store, (l,)).unwrap(), (LIST_BIG as u32,));
        g.bench_function("wit-host", |b| {
            b.iter(|| f.call(&mut wh.store, (black_box(l),)).unwrap())
        });
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(&[u8],), (u32,)>(&mut h.store, "list-len")
                .unwrap();
            assert_eq!(f.call(&mut h.store, (l,)).unwrap(), (LIST_BIG as u32,));
            b.iter(|| f.call(&mut h.store, (black_box(l),)).unwrap())
        });
        assert_eq!(fl.list_len(l).unwrap(), LIST_BIG as u32);
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.list_len(black_box(l)).unwrap())
        });
        g.finish();
    }

    // func(r: big) -> big, ten fields
    {
        let mut g = c.benchmark_group("record");
        {
            let v = big_value!(wh::Big);
            let f = wh
                .instance
                .get_typed_func::<(wh::Big,), (wh::Big,)>(&mut wh.store, "record-echo")
                .unwrap();
            assert_eq!(f.call(&mut wh.store, (v,)).unwrap(), (v,));
            g.bench_function("wit-host", |b| {
                b.iter(|| f.call(&mut wh.store, (black_box(v),)).unwrap())
            });
        }
        let v = big_value!(wt::Big);
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(wt::Big,), (wt::Big,)>(&mut h.store, "record-echo")
                .unwrap();
            assert_eq!(f.call(&mut h.store, (v,)).unwrap(), (v,));
            b.iter(|| f.call(&mut h.store, (black_box(v),)).unwrap())
        });
        let v = big_value!(wh::Big);
        assert_eq!(fl.record_echo(&v).unwrap(), v);
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.record_echo(black_box(&v)).unwrap())
        });
        g.finish();
    }

    // func(v: shape) -> shape
    {
        let mut g = c.benchmark_group("variant");
        {
            let f = wh
                .instance
                .get_typed_func::<(wh::Shape,), (wh::Shape,)>(&mut wh.store, "variant-echo")
                .unwrap();
            for v in [
                wh::Shape::None,
                wh::Shape::Int(7),
                wh::Shape::Long(1 << 40),
                wh::Shape::Real(2.5),
            ] {
                assert_eq!(f.call(&mut wh.store, (v,)).unwrap(), (v,));
            }
            let v = wh::Shape::Long(1 << 40);
            g.bench_function("wit-host", |b| {
                b.iter(|| f.call(&mut wh.store, (black_box(v),)).unwrap())
            });
        }
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(wt::Shape,), (wt::Shape,)>(&mut h.store, "variant-echo")
                .unwrap();
            for v in [
                wt::Shape::None,
                wt::Shape::Int(7),
                wt::Shape::Long(1 << 40),
                wt::Shape::Real(2.5),
            ] {
                assert_eq!(f.call(&mut h.store, (v,)).unwrap(), (v,));
            }
            let v = wt::Shape::Long(1 << 40);
            b.iter(|| f.call(&mut h.store, (black_box(v),)).unwrap())
        });
        for v in [
            wh::Shape::None,
            wh::Shape::Int(7),
            wh::Shape::Long(1 << 40),
            wh::Shape::Real(2.5),
        ] {
            assert_eq!(fl.variant_echo(&v).unwrap(), v);
        }
        let v = wh::Shape::Long(1 << 40);
        g.bench_function("core-floor", |b| {
            b.iter(|| fl.variant_echo(black_box(&v)).unwrap())
        });
        g.finish();
    }

    // Guest → host: the export calls its import once; the whole export
    // call is measured.
    for (case, export, bytes) in [
        ("import-nothing", "call-nothing", 0),
        ("import-string", "call-string", SMALL as u64),
    ] {
        let core = match export {
            "call-nothing" => fl.call_nothing.clone(),
            _ => fl.call_string.clone(),
        };
        let mut g = c.benchmark_group(case);
        let f = wh
            .instance
            .get_typed_func::<(), ()>(&mut wh.store, export)
            .unwrap();
        let before = (wh.store.data().calls, wh.store.data().bytes);
        f.call(&mut wh.store, ()).unwrap();
        assert_eq!(
            (wh.store.data().calls, wh.store.data().bytes),
            (before.0 + 1, before.1 + bytes)
        );
        g.bench_function("wit-host", |b| {
            b.iter(|| f.call(&mut wh.store, ()).unwrap())
        });
        each_wasmtime(&mut g, &mut wt, |b, h| {
            let f = h
                .instance
                .get_typed_func::<(), ()>(&mut h.store, export)
                .unwrap();
            let before = (h.store.data().calls, h.store.data().bytes);
            f.call(&mut h.store, ()).unwrap();
            assert_eq!(
                (h.store.data().calls, h.store.data().bytes),
                (before.0 + 1, before.1 + bytes)
            );
            b.iter(|| f.call(&mut h.store, ()).unwrap())
        });
        let count = |fl: &floor::Floor| {
            let c = &fl.store.data().counter;
            (c.calls, c.bytes)
        };
        let before = count(&fl);
        core.call(&mut fl.store, ()).unwrap();
        assert_eq!(count(&fl), (before.0 + 1, before.1 + bytes));
        g.bench_function("core-floor", |b| {
            b.iter(|| core.call(&mut fl.store, ()).unwrap())
        });
        g.finish();
    }
}

/// `InstancePre::instantiate` of the ten-import component into a fresh
/// store, and its core floor (`calls/instantiate_floor.rs`); creating and
/// dropping the store are not measured.
fn instantiate(c: &mut Criterion) {
    let mut g = c.benchmark_group("instantiate");
    {
        let (engine, pre) = wh::instance_pre();
        let mut store = wit_host::Store::new(&engine, Counter::default());
        let instance = pre.instantiate(&mut store).unwrap();
        let run = instance
            .get_typed_func::<(), (u32,)>(&mut store, "run")
            .unwrap();
        assert_eq!(run.call(&mut store, ()).unwrap(), (2,));
        assert_eq!(store.data().bytes, 5);
        g.bench_function("wit-host", |b| {
            b.iter_batched(
                || wit_host::Store::new(&engine, Counter::default()),
                |mut store| {
                    let instance = pre.instantiate(&mut store).unwrap();
                    (store, instance)
                },
                BatchSize::SmallInput,
            )
        });
    }
    for flavor in [wt::Flavor::Default, wt::Flavor::NoConcurrency] {
        let (engine, pre) = wt::instance_pre(flavor);
        let mut store = wasmtime::Store::new(&engine, Counter::default());
        let instance = pre.instantiate(&mut store).unwrap();
        let run = instance
            .get_typed_func::<(), (u32,)>(&mut store, "run")
            .unwrap();
        assert_eq!(run.call(&mut store, ()).unwrap(), (2,));
        assert_eq!(store.data().bytes, 5);
        g.bench_function(flavor.label(), |b| {
            b.iter_batched(
                || wasmtime::Store::new(&engine, Counter::default()),
                |mut store| {
                    let instance = pre.instantiate(&mut store).unwrap();
                    (store, instance)
                },
                BatchSize::SmallInput,
            )
        });
    }
    let floor = instantiate_floor::InstantiateFloor::new(INSTANTIATE_WAT);
    let mut store = floor.store();
    let main = floor.instantiate(&mut store);
    let run = main
        .get_typed_func::<(), i32>(&mut store, "run")
        .expect("main exports run");
    assert_eq!(run.call(&mut store, ()).unwrap(), 1);
    g.bench_function("core-floor", |b| {
        b.iter_batched(
            || floor.store(),
            |mut store| {
                let instance = floor.instantiate(&mut store);
                (store, instance)
            },
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

criterion_group!(benches, calls, instantiate);
criterion_main!(benches);
