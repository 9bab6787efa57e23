//! Asynchronous hosts: `instantiate_async`, `Func::call_async`,
//! `TypedFunc::call_async`, with the guest's `realloc` (strings and lists
//! in both directions, an import's results through a return pointer), the
//! refusal of the synchronous entry points on an asynchronous store, epoch
//! and fuel yielding under tokio, cancellation by dropping the future, and
//! futures that are `Send`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::common::*;
use wit_host::{Component, Config, Engine, Instance, Linker, Store, Val};

mod imports;
mod resources;

/// Exports `echo` (a string, with a post-return that counts), `echo-list`
/// (a list of strings), `greet` (calls the host's `prefix` with its string
/// and returns what the host returned), `add`, `spin` (loops forever), and
/// the counters `reallocs` and `posts`. `realloc` bumps.
const GUEST: &str = r#"(component
  (import "prefix" (func $prefix (param "s" string) (result string)))
  (core module $Libc
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 1024))
    (global $reallocs (mut i32) (i32.const 0))
    (global $posts (mut i32) (i32.const 0))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $r i32)
      (global.set $reallocs (i32.add (global.get $reallocs) (i32.const 1)))
      (local.set $r (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get 2))))
      (global.set $heap (i32.add (local.get $r) (local.get 3)))
      (local.get $r))
    (func (export "reallocs") (result i32) (global.get $reallocs))
    (func (export "post") (param i32) (global.set $posts (i32.add (global.get $posts) (i32.const 1))))
    (func (export "posts") (result i32) (global.get $posts)))
  (core instance $libc (instantiate $Libc))
  (core func $prefix' (canon lower (func $prefix)
    (memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))))
  (core module $M
    (import "host" "prefix" (func $prefix (param i32 i32 i32)))
    (import "libc" "mem" (memory 1))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64))
    (func (export "greet") (param i32 i32) (result i32)
      (call $prefix (local.get 0) (local.get 1) (i32.const 72))
      (i32.const 72))
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "spin") (loop $l (br $l))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "prefix" (func $prefix'))))))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $m "echo") (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc")) (post-return (core func $libc "post"))))
  (func (export "echo-list") (param "l" (list string)) (result (list string))
    (canon lift (core func $m "echo") (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
  (func (export "greet") (param "s" string) (result string)
    (canon lift (core func $m "greet") (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
  (func (export "add") (param "a" u32) (param "b" u32) (result u32) (canon lift (core func $m "add")))
  (func (export "spin") (canon lift (core func $m "spin")))
  (func (export "reallocs") (result u32) (canon lift (core func $libc "reallocs")))
  (func (export "posts") (result u32) (canon lift (core func $libc "posts"))))"#;

/// A linker whose `prefix` is a dynamic host function.
fn dynamic_linker(engine: &Engine) -> Linker<()> {
    let mut linker = Linker::new(engine);
    linker
        .root()
        .func_new("prefix", |_store, _ty, params, results| {
            let Val::String(s) = &params[0] else {
                unreachable!()
            };
            results[0] = Val::String(format!("hello, {s}"));
            Ok(())
        })
        .unwrap();
    linker
}

/// A linker whose `prefix` is a typed host function.
fn typed_linker(engine: &Engine) -> Linker<()> {
    let mut linker = Linker::new(engine);
    linker
        .root()
        .func_wrap("prefix", |_store, (s,): (String,)| {
            Ok((format!("hello, {s}"),))
        })
        .unwrap();
    linker
}

/// Calls export `name` asynchronously; its one result (or `false` for
/// none).
async fn call_async<T: Send + 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> wit_host::Result<Val> {
    let func = instance.get_func(&mut *store, name).unwrap();
    let mut results = vec![Val::Bool(false); func.results().len()];
    func.call_async(&mut *store, params, &mut results).await?;
    Ok(results.pop().unwrap_or(Val::Bool(false)))
}

fn strings(n: usize) -> Vec<Val> {
    (0..n)
        .map(|i| Val::String(format!("s{i}-{}", "é".repeat(i % 4))))
        .collect()
}

#[test]
fn call_async_passes_strings_lists_and_numbers_both_ways() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = dynamic_linker(&engine);
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        assert!(store.is_async());
        let sum = call_async(&mut store, &instance, "add", &[Val::U32(2), Val::U32(40)]).await?;
        assert_eq!(sum, Val::U32(42));
        let echoed = call_async(&mut store, &instance, "echo", &[s("héllo")]).await?;
        assert_eq!(echoed, s("héllo"));
        let list = Val::List(strings(50));
        let echoed = call_async(
            &mut store,
            &instance,
            "echo-list",
            std::slice::from_ref(&list),
        )
        .await?;
        assert_same(&echoed, &list);
        let greeting = call_async(&mut store, &instance, "greet", &[s("async")]).await?;
        assert_eq!(greeting, s("hello, async"));
        // One `realloc` per string and per list, as the spec makes them:
        // echo 1, echo-list 1 + 50, greet 1 (its argument) + 1 (the
        // host's result).
        let reallocs = call_async(&mut store, &instance, "reallocs", &[]).await?;
        assert_eq!(reallocs, Val::U32(54));
        let posts = call_async(&mut store, &instance, "posts", &[]).await?;
        assert_eq!(posts, Val::U32(1));
        Ok::<_, wit_host::Error>(())
    })
    .unwrap();
}

#[test]
fn call_async_makes_the_same_realloc_calls_as_call() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = dynamic_linker(&engine);
    let args = [Val::List(strings(7))];

    let mut sync_store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut sync_store, &component).unwrap();
    let sync_result = call(&mut sync_store, &instance, "echo-list", &args).unwrap();
    let sync_reallocs = call1(&mut sync_store, &instance, "reallocs", &[]);

    let mut store = Store::new(&engine, ());
    let (result, reallocs) = block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        let result = call_async(&mut store, &instance, "echo-list", &args).await?;
        let reallocs = call_async(&mut store, &instance, "reallocs", &[]).await?;
        Ok::<_, wit_host::Error>((result, reallocs))
    })
    .unwrap();
    assert_same(&result, &sync_result[0]);
    assert_eq!(reallocs, sync_reallocs);
}

#[test]
fn typed_call_async_with_a_typed_import() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        let add = instance.get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")?;
        assert_eq!(add.call_async(&mut store, (1, 2)).await?, (3,));
        let echo = instance.get_typed_func::<(&str,), (String,)>(&mut store, "echo")?;
        assert_eq!(echo.call_async(&mut store, ("typed",)).await?.0, "typed");
        let list =
            instance.get_typed_func::<(Vec<String>,), (Vec<String>,)>(&mut store, "echo-list")?;
        let words: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
        assert_eq!(
            list.call_async(&mut store, (words.clone(),)).await?.0,
            words
        );
        let greet = instance.get_typed_func::<(&str,), (String,)>(&mut store, "greet")?;
        assert_eq!(
            greet.call_async(&mut store, ("wasm",)).await?.0,
            "hello, wasm"
        );
        Ok::<_, wit_host::Error>(())
    })
    .unwrap();
}

#[test]
fn sync_entry_points_of_an_async_store_are_errors() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    let instance = block_on(linker.instantiate_async(&mut store, &component)).unwrap();
    let e = call(&mut store, &instance, "add", &[Val::U32(1), Val::U32(2)]).unwrap_err();
    assert!(
        message(&e).contains("use the `*_async` entry points"),
        "{e:?}"
    );
    let add = instance
        .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
        .unwrap();
    let e = add.call(&mut store, (1, 2)).unwrap_err();
    assert!(message(&e).contains("asynchronous"), "{e:?}");
    let e = linker.instantiate(&mut store, &component).unwrap_err();
    assert!(message(&e).contains("asynchronous"), "{e:?}");
    // Refusals change nothing: the instance still works asynchronously.
    assert_eq!(block_on(add.call_async(&mut store, (1, 2))).unwrap(), (3,));
}

#[test]
fn async_calls_into_a_synchronously_instantiated_instance_are_errors() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let add = instance
        .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
        .unwrap();
    let e = block_on(add.call_async(&mut store, (1, 2))).unwrap_err();
    assert!(message(&e).contains("instantiate_async"), "{e:?}");
    assert_eq!(add.call(&mut store, (1, 2)).unwrap(), (3,));
}

/// An engine that interrupts on epochs, and a thread that ticks it every
/// millisecond until the returned flag is set.
fn ticking_engine() -> (Engine, Arc<AtomicBool>) {
    let mut config = Config::new();
    config.epoch_interruption(true);
    let engine = Engine::new(&config).unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (ticker, stopped) = (engine.clone(), stop.clone());
    std::thread::spawn(move || {
        while !stopped.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(1));
            ticker.increment_epoch();
        }
    });
    (engine, stop)
}

#[test]
fn epoch_yields_let_other_tasks_run_and_a_timeout_cancels_the_call() {
    let (engine, stop) = ticking_engine();
    let component = Component::new(&engine, GUEST).unwrap();
    let linker = typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    store.epoch_deadline_async_yield_and_update(1);
    assert!(store.is_async());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    runtime.block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let spin = instance
            .get_typed_func::<(), ()>(&mut store, "spin")
            .unwrap();
        // Another task on the same thread makes progress while the guest
        // loops: only possible if the guest yields.
        let ran = Arc::new(AtomicBool::new(false));
        let other = tokio::spawn({
            let ran = ran.clone();
            async move { ran.store(true, Ordering::Relaxed) }
        });
        let outcome =
            tokio::time::timeout(Duration::from_millis(100), spin.call_async(&mut store, ())).await;
        assert!(outcome.is_err(), "the loop cannot finish");
        other.await.unwrap();
        assert!(ran.load(Ordering::Relaxed));
        // Cancelled mid-call: that instance is locked down.
        let add = instance
            .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
            .unwrap();
        let e = add.call_async(&mut store, (1, 2)).await.unwrap_err();
        assert_locked_down::<()>(Err(e), "the cancelled instance");
        // The store goes on: a fresh instance works.
        let fresh = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let add = fresh
            .get_typed_func::<(u32, u32), (u32,)>(&mut store, "add")
            .unwrap();
        assert_eq!(add.call_async(&mut store, (1, 2)).await.unwrap(), (3,));
    });
    stop.store(true, Ordering::Relaxed);
}

/// An engine that consumes fuel.
fn fuel_engine() -> Engine {
    let mut config = Config::new();
    config.consume_fuel(true);
    Engine::new(&config).unwrap()
}

/// A store of `engine` (which consumes fuel) with all the fuel there is,
/// yielding to the executor every 10 000 units: any guest loop yields.
fn fuel_yielding_store<T: 'static>(engine: &Engine, data: T) -> Store<T> {
    let mut store = Store::new(engine, data);
    store.wasmtime_store_mut().set_fuel(u64::MAX).unwrap();
    store.fuel_async_yield_interval(Some(10_000)).unwrap();
    store
}

#[test]
fn fuel_yields_let_a_timeout_cancel_the_call() {
    let engine = fuel_engine();
    let component = Component::new(&engine, GUEST).unwrap();
    let linker = typed_linker(&engine);
    let mut store = fuel_yielding_store(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let spin = instance
            .get_typed_func::<(), ()>(&mut store, "spin")
            .unwrap();
        let outcome =
            tokio::time::timeout(Duration::from_millis(50), spin.call_async(&mut store, ())).await;
        assert!(outcome.is_err(), "the loop cannot finish");
    });
}

#[test]
fn fuel_yielding_needs_fuel() {
    let mut store = Store::new(&engine(), ());
    assert!(store.fuel_async_yield_interval(Some(1)).is_err());
    assert!(!store.is_async());
}

fn assert_send<F: Send>(f: F) -> F {
    f
}

#[test]
fn futures_are_send_and_complete_on_another_thread() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = typed_linker(&engine);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let task = runtime.spawn(async move {
        let mut store = Store::new(&engine, ());
        let instance = assert_send(linker.instantiate_async(&mut store, &component)).await?;
        let echo = instance.get_typed_func::<(String,), (String,)>(&mut store, "echo")?;
        let (out,) = assert_send(echo.call_async(&mut store, ("far away".to_string(),))).await?;
        let func = instance.get_func(&mut store, "add").unwrap();
        let mut results = [Val::U32(0)];
        assert_send(func.call_async(&mut store, &[Val::U32(1), Val::U32(1)], &mut results)).await?;
        Ok::<_, wit_host::Error>((out, results[0].clone()))
    });
    let (out, sum) = runtime.block_on(task).unwrap().unwrap();
    assert_eq!((out.as_str(), sum), ("far away", Val::U32(2)));
}

#[test]
fn a_bad_realloc_result_fails_an_async_call_as_it_fails_a_sync_one() {
    let engine = engine();
    let wat = GUEST.replace(
        "(local.get $r))\n    (func (export \"reallocs\")",
        "(i32.const 0x7fff0000))\n    (func (export \"reallocs\")",
    );
    assert_ne!(wat, GUEST);
    let component = compile(&engine, &wat);
    let linker = typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let e = call_async(&mut store, &instance, "echo", &[s("x")])
            .await
            .unwrap_err();
        assert!(
            message(&e).contains("realloc return: beyond end of memory"),
            "{e:?}"
        );
        let e = call_async(&mut store, &instance, "add", &[Val::U32(1), Val::U32(1)])
            .await
            .unwrap_err();
        assert_locked_down::<()>(Err(e), "after the bad realloc");
    });
}

/// Echoes a string in a `utf16` and in a `latin1+utf16` guest whose
/// `realloc` moves blocks as a real allocator does (bump, copying the old
/// block's first bytes); counts the `realloc` calls and sums their
/// arguments.
const TRANSCODING_GUEST: &str = r#"(component
  (core module $Libc
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 1024))
    (global $calls (mut i32) (i32.const 0))
    (global $args (mut i32) (i32.const 0))
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
      (local $r i32)
      (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
      (global.set $args (i32.add (global.get $args)
        (i32.add (i32.mul (local.get $old_size) (i32.const 7)) (local.get $size))))
      (local.set $r (i32.and
        (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
        (i32.sub (i32.const 0) (local.get $align))))
      (global.set $heap (i32.add (local.get $r) (local.get $size)))
      (if (local.get $old)
        (then (memory.copy (local.get $r) (local.get $old)
          (select (local.get $old_size) (local.get $size)
            (i32.lt_u (local.get $old_size) (local.get $size))))))
      (local.get $r))
    (func (export "calls") (result i32) (global.get $calls))
    (func (export "args") (result i32) (global.get $args)))
  (core instance $libc (instantiate $Libc))
  (core module $M
    (import "libc" "mem" (memory 1))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "echo16") (param "s" string) (result string)
    (canon lift (core func $m "echo") string-encoding=utf16 (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
  (func (export "echo-compact") (param "s" string) (result string)
    (canon lift (core func $m "echo") string-encoding=latin1+utf16 (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
  (func (export "calls") (result u32) (canon lift (core func $libc "calls")))
  (func (export "args") (result u32) (canon lift (core func $libc "args"))))"#;

/// Transcoding a string into a `utf16` or `latin1+utf16` guest may move
/// the block it wrote (a second `realloc`, to shrink or grow it): an
/// asynchronous call gives the guest the same string, makes the same
/// `realloc` calls, as a synchronous one.
#[test]
fn transcoding_that_moves_a_string_works_in_async_calls() {
    let engine = engine();
    let component = compile(&engine, TRANSCODING_GUEST);
    let linker = Linker::<()>::new(&engine);
    let texts = [
        "",
        "ascii",
        "é",
        "héllo wörld",
        "latin1 then ✓ not",
        "日本語のテキスト",
        "😀 emoji, surrogate pairs 😀",
        "ÿ",
    ];
    let long = "ab€".repeat(300);
    let texts: Vec<&str> = texts.into_iter().chain([long.as_str()]).collect();
    // Synchronously.
    let mut sync_store = Store::new(&engine, ());
    let sync = linker.instantiate(&mut sync_store, &component).unwrap();
    let mut expected = Vec::new();
    for export in ["echo16", "echo-compact"] {
        let f = sync.get_func(&mut sync_store, export).unwrap();
        for text in &texts {
            let mut out = [Val::Bool(false)];
            f.call(&mut sync_store, &[s(text)], &mut out).unwrap();
            assert_eq!(out[0], s(text), "{export}({text:?}) synchronously");
            expected.push(out[0].clone());
        }
    }
    let counters = |store: &mut Store<()>, instance: &Instance| {
        ["calls", "args"].map(|name| {
            let f = instance.get_func(&mut *store, name).unwrap();
            let mut out = [Val::U32(0)];
            f.call(&mut *store, &[], &mut out).unwrap();
            out[0].clone()
        })
    };
    let sync_counters = counters(&mut sync_store, &sync);
    // Asynchronously.
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let mut got = Vec::new();
        for export in ["echo16", "echo-compact"] {
            for text in &texts {
                let out = call_async(&mut store, &instance, export, &[s(text)])
                    .await
                    .unwrap();
                assert_eq!(out, s(text), "{export}({text:?}) asynchronously");
                got.push(out);
            }
        }
        assert_eq!(got, expected);
        let mut async_counters = Vec::new();
        for name in ["calls", "args"] {
            async_counters.push(call_async(&mut store, &instance, name, &[]).await.unwrap());
        }
        assert_eq!(async_counters, sync_counters, "realloc calls and arguments");
    });
}

/// The example of the book's "Async hosts" chapter, run.
#[test]
fn the_async_chapter_example_runs() {
    let (engine, stop) = ticking_engine();
    let component = Component::new(
        &engine,
        r#"
    (component
        (import "fetch" (func $fetch (param "n" u32) (result u32)))
        (core func $fetch' (canon lower (func $fetch)))
        (core module $m
            (import "host" "fetch" (func $fetch (param i32) (result i32)))
            (func (export "run") (param i32) (result i32)
                (i32.add (call $fetch (local.get 0)) (i32.const 1))))
        (core instance $i (instantiate $m
            (with "host" (instance (export "fetch" (func $fetch'))))))
        (func (export "run") (param "n" u32) (result u32)
            (canon lift (core func $i "run"))))
"#,
    )
    .unwrap();
    let mut linker = Linker::<()>::new(&engine);
    linker
        .root()
        .func_wrap_async("fetch", |_store, (n,): (u32,)| {
            Box::new(async move {
                tokio::time::sleep(Duration::from_millis(2)).await;
                Ok((n * 10,))
            })
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    store.epoch_deadline_async_yield_and_update(1);
    let out = block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        let func = instance.get_typed_func::<(u32,), (u32,)>(&mut store, "run")?;
        func.call_async(&mut store, (4,)).await
    })
    .unwrap();
    assert_eq!(out, (41,));
    stop.store(true, Ordering::Relaxed);
}

/// Exports `take` (a string, through a `realloc` that never returns) and
/// `call-out` (calls the typed host function `log`, then the dynamic
/// `log-dyn`).
const STUCK_REALLOC_GUEST: &str = r#"(component
  (import "log" (func $log))
  (import "log-dyn" (func $log_dyn))
  (core module $Libc
    (memory (export "mem") 1)
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (loop $l (br $l))
      (unreachable)))
  (core instance $libc (instantiate $Libc))
  (core func $log' (canon lower (func $log)))
  (core func $log_dyn' (canon lower (func $log_dyn)))
  (core module $M
    (import "host" "log" (func $log))
    (import "host" "log-dyn" (func $log_dyn))
    (func (export "take") (param i32 i32))
    (func (export "call-out") (call $log) (call $log_dyn)))
  (core instance $m (instantiate $M
    (with "host" (instance (export "log" (func $log')) (export "log-dyn" (func $log_dyn'))))))
  (func (export "take") (param "s" string)
    (canon lift (core func $m "take") (memory (core memory $libc "mem"))
      (realloc (core func $libc "realloc"))))
  (func (export "call-out") (canon lift (core func $m "call-out"))))"#;

/// A call cancelled while the guest's `realloc` runs leaves that
/// instance's may-leave flag cleared for good (the host clears it around
/// `realloc` and never gets to set it again). Other instances of the
/// store, made before or after, must still call out through typed and
/// dynamic host functions.
#[test]
fn a_flag_left_cleared_by_a_cancelled_realloc_does_not_stop_other_instances() {
    let engine = fuel_engine();
    let component = compile(&engine, STUCK_REALLOC_GUEST);
    let mut linker = Linker::<u32>::new(&engine);
    linker
        .root()
        .func_wrap("log", |mut store, (): ()| {
            *store.data_mut() += 1;
            Ok(())
        })
        .unwrap();
    linker
        .root()
        .func_new("log-dyn", |mut store, _ty, _params, _results| {
            *store.data_mut() += 10;
            Ok(())
        })
        .unwrap();
    let mut store = fuel_yielding_store(&engine, 0u32);
    block_on(async {
        let before = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let stuck = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let take = stuck
            .get_typed_func::<(String,), ()>(&mut store, "take")
            .unwrap();
        let outcome = tokio::time::timeout(
            Duration::from_millis(20),
            take.call_async(&mut store, ("x".to_string(),)),
        )
        .await;
        assert!(outcome.is_err(), "`realloc` never returns");
        let again = call_async(&mut store, &stuck, "call-out", &[]).await;
        assert_locked_down(again, "the instance cancelled inside `realloc`");
        assert_eq!(*store.data(), 0, "the host functions must not run");

        let after = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let mut expected = 0;
        for instance in [before, after] {
            // Through the typed entry, then the dynamic one: each runs
            // both host functions (1 + 10).
            let call_out = instance
                .get_typed_func::<(), ()>(&mut store, "call-out")
                .unwrap();
            call_out.call_async(&mut store, ()).await.unwrap();
            expected += 11;
            assert_eq!(*store.data(), expected);
            call_async(&mut store, &instance, "call-out", &[])
                .await
                .unwrap();
            expected += 11;
            assert_eq!(*store.data(), expected);
        }
    });
}
