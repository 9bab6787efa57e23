//! Instances of one `InstancePre` in one store, entered inside each
//! other: a host function called by one instance calls into another,
//! instantiates a third (whose start function calls out), panics inside
//! another, or tries to instantiate asynchronously (refused). Each
//! lowered import must act for the instance whose guest called it —
//! lifting from that instance's memory — before, during and after the
//! nested entry (the imports are defined once per `InstancePre` and find
//! their instance through the store's entries).

use crate::common::*;
use std::panic::{AssertUnwindSafe, catch_unwind};
use wit_host::{Instance, InstancePre, Store, StoreContextMut};

/// The host's side: what the imports logged, and what `hop` works on.
#[derive(Default)]
struct Nest {
    /// The strings `log` got, in order.
    log: Vec<String>,
    other: Option<Instance>,
    pre: Option<InstancePre<Nest>>,
    spawned: Option<Instance>,
}

/// `run(tag)` logs `tag`, passes it to `hop`, and logs it again; the
/// start function logs "started". Each instance has its own memory, so a
/// string lifted from the wrong instance's memory would show up in the
/// log as another instance's text.
fn nest_wat() -> String {
    format!(
        r#"(component
  (import "log" (func $log (param "s" string)))
  (import "hop" (func $hop (param "s" string)))
  {LIBC}
  (core func $log (canon lower (func $log) (memory (core memory $libc "mem"))))
  (core func $hop (canon lower (func $hop) (memory (core memory $libc "mem"))))
  (core module $Main
    (import "libc" "mem" (memory 1))
    (import "host" "log" (func $log (param i32 i32)))
    (import "host" "hop" (func $hop (param i32 i32)))
    (data (i32.const 256) "started")
    (func $start (call $log (i32.const 256) (i32.const 7)))
    (start $start)
    (func (export "run") (param i32 i32)
      (call $log (local.get 0) (local.get 1))
      (call $hop (local.get 0) (local.get 1))
      (call $log (local.get 0) (local.get 1))))
  (core instance $m (instantiate $Main
    (with "libc" (instance $libc))
    (with "host" (instance (export "log" (func $log)) (export "hop" (func $hop))))))
  (func (export "run") (param "tag" string) (canon lift (core func $m "run") {OPTS})))"#
    )
}

fn run(
    mut store: impl wit_host::AsContextMut,
    instance: Instance,
    tag: &str,
) -> wit_host::Result<()> {
    let run = instance.get_typed_func::<(&str,), ()>(&mut store, "run")?;
    run.call(&mut store, (tag,))
}

/// A store with two instances of one `InstancePre`, the second as `other`.
fn two_instances() -> (Store<Nest>, Instance) {
    let (engine, mut store, mut linker) = setup(Nest::default());
    let mut root = linker.root();
    root.func_wrap(
        "log",
        |mut store: StoreContextMut<'_, Nest>, (s,): (String,)| {
            store.data_mut().log.push(s);
            Ok(())
        },
    )
    .unwrap();
    root.func_wrap(
        "hop",
        |mut store: StoreContextMut<'_, Nest>, (tag,): (String,)| {
            match tag.as_str() {
                "outer" | "panic" => {
                    let other = store.data().other.expect("other instance");
                    let inner = if tag == "outer" { "inner" } else { "boom" };
                    run(&mut store, other, inner)?;
                }
                "spawn" => {
                    let pre = store.data().pre.clone().expect("pre");
                    let spawned = pre.instantiate(&mut store)?;
                    store.data_mut().spawned = Some(spawned);
                }
                "boom" => panic!("a host function panics inside the inner instance"),
                "async" => {
                    let pre = store.data().pre.clone().expect("pre");
                    block_on(pre.instantiate_async(&mut store))?;
                }
                _ => {}
            }
            Ok(())
        },
    )
    .unwrap();
    let component = compile(&engine, &nest_wat());
    let pre = linker.instantiate_pre(&component).unwrap();
    let first = pre.instantiate(&mut store).unwrap();
    let second = pre.instantiate(&mut store).unwrap();
    store.data_mut().other = Some(second);
    store.data_mut().pre = Some(pre);
    assert_eq!(store.data().log, ["started", "started"]);
    store.data_mut().log.clear();
    (store, first)
}

#[test]
fn an_import_acts_for_its_own_instance_around_a_nested_entry() {
    let (mut store, first) = two_instances();
    run(&mut store, first, "outer").unwrap();
    assert_eq!(store.data().log, ["outer", "inner", "inner", "outer"]);
}

#[test]
fn an_instance_made_inside_a_host_function_calls_out_from_its_start() {
    let (mut store, first) = two_instances();
    run(&mut store, first, "spawn").unwrap();
    assert_eq!(store.data().log, ["spawn", "started", "spawn"]);
    let spawned = store.data().spawned.expect("spawned");
    store.data_mut().log.clear();
    run(&mut store, spawned, "alone").unwrap();
    assert_eq!(store.data().log, ["alone", "alone"]);
}

#[test]
fn after_a_panic_through_nested_entries_fresh_instances_call_out() {
    let (mut store, first) = two_instances();
    let unwound = catch_unwind(AssertUnwindSafe(|| run(&mut store, first, "panic")));
    assert!(unwound.is_err(), "the panic goes on to the caller");
    assert_eq!(store.data().log, ["panic", "boom"]);
    // Both instances the panic went through are locked down; a fresh one
    // of the same `InstancePre` calls out as usual.
    let pre = store.data().pre.clone().unwrap();
    store.data_mut().log.clear();
    let fresh = pre.instantiate(&mut store).unwrap();
    run(&mut store, fresh, "fresh").unwrap();
    assert_eq!(store.data().log, ["started", "fresh", "fresh"]);
}

/// Asynchronous work in the store from inside a synchronous instance's
/// host function is refused: the store would turn asynchronous under a
/// running synchronous guest, and a pending call's future could be
/// forgotten with its entry open. The store stays synchronous and usable.
#[test]
fn asynchronous_work_inside_a_synchronous_entry_is_refused() {
    let (mut store, first) = two_instances();
    let err = message(&run(&mut store, first, "async").unwrap_err());
    assert_contains_all(
        &err,
        &[
            "cannot instantiate or call asynchronously in a store while one of its synchronous \
           instances is running",
        ],
    );
    assert!(!store.is_async());
    let other = store.data().other.unwrap();
    store.data_mut().log.clear();
    run(&mut store, other, "alone").unwrap();
    assert_eq!(store.data().log, ["alone", "alone"]);
}
