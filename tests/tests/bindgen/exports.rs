//! The exports side of `bindgen!` with a real component (in WAT): world
//! `exporter` of `codegen/e2e-exports.wit`.
//!
//! - a guest resource (`counter`): constructor, methods, static function,
//!   handles passed back as `own` (alone and in a list) and as `borrow`,
//!   `resource_drop` and `with` running the guest's destructor, stale
//!   handles as errors;
//! - world-level exports (one with borrowed parameters), and one interface
//!   exported in two versions;
//! - `…Pre`/`…Indices` checking exports once, `new` naming what is
//!   missing or mistyped.

use crate::common::{LIBC, OPTS, compile, message};
use wit_host::{Component, Engine, Linker, Store};

mod bindings {
    wit_host::bindgen!({ path: "codegen/e2e-exports.wit" });
}

use bindings::exports::e2e::exports::counters::Counter;
use bindings::{Exporter, ExporterIndices, ExporterPre};

fn guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (core module $Dtor
    (global $destroyed (export "destroyed") (mut i32) (i32.const 0))
    (func (export "dtor") (param i32)
      (global.set $destroyed (i32.add (global.get $destroyed) (i32.const 1)))))
  (core instance $d (instantiate $Dtor))
  (type $counter (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $c-new (canon resource.new $counter))
  (core func $c-rep (canon resource.rep $counter))
  (core func $c-drop (canon resource.drop $counter))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "dtor" "destroyed" (global $destroyed (mut i32)))
    (import "c" "new" (func $c-new (param i32) (result i32)))
    (import "c" "rep" (func $c-rep (param i32) (result i32)))
    (import "c" "drop" (func $c-drop (param i32)))
    (global $made (mut i32) (i32.const 0))
    ;; the value of counter `rep` is at 256 + 4 * rep
    (func $addr (param i32) (result i32)
      (i32.add (i32.const 256) (i32.shl (local.get 0) (i32.const 2))))
    (func (export "ctor") (param i32) (result i32)
      (global.set $made (i32.add (global.get $made) (i32.const 1)))
      (i32.store (call $addr (global.get $made)) (local.get 0))
      (call $c-new (global.get $made)))
    (func (export "get") (param i32) (result i32)
      (i32.load (call $addr (local.get 0))))
    (func (export "add") (param i32 i32)
      (i32.store (call $addr (local.get 0))
        (i32.add (i32.load (call $addr (local.get 0))) (local.get 1))))
    (func (export "made") (result i32) (global.get $made))
    (func (export "consume") (param $h i32) (result i32)
      (local $v i32)
      (local.set $v (i32.load (call $addr (call $c-rep (local.get $h)))))
      (call $c-drop (local.get $h))
      (local.get $v))
    (func (export "consume-all") (param $p i32) (param $n i32) (result i32)
      (local $sum i32)
      (local $h i32)
      (block $done
        (loop $next
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $h (i32.load (local.get $p)))
          (local.set $sum (i32.add (local.get $sum)
            (i32.load (call $addr (call $c-rep (local.get $h))))))
          (call $c-drop (local.get $h))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $next)))
      (local.get $sum))
    ;; a borrow of the instance's own resource arrives as its rep
    (func (export "peek") (param i32) (result i32)
      (i32.load (call $addr (local.get 0))))
    (func (export "destroyed") (result i32) (global.get $destroyed))
    ;; greet v1: the name itself
    (func (export "greet1") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64))
    ;; greet v2: the first `keep` bytes of the name
    (func (export "greet2") (param i32 i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68)
        (select (local.get 2) (local.get 1) (i32.lt_u (local.get 2) (local.get 1))))
      (i32.const 64))
    ;; run: 100 * the number of names + the separator's length
    (func (export "run") (param i32 i32 i32 i32) (result i32)
      (i32.add (i32.mul (local.get 1) (i32.const 100)) (local.get 3)))
    (func (export "answer") (result i32) (i32.const 42)))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "dtor" (instance $d))
    (with "c" (instance
      (export "new" (func $c-new))
      (export "rep" (func $c-rep))
      (export "drop" (func $c-drop))))))
  (func $ctor (param "start" u32) (result (own $counter))
    (canon lift (core func $m "ctor")))
  (func $get (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $m "get")))
  (func $add (param "self" (borrow $counter)) (param "n" u32)
    (canon lift (core func $m "add")))
  (func $made (result u32) (canon lift (core func $m "made")))
  (func $consume (param "c" (own $counter)) (result u32)
    (canon lift (core func $m "consume")))
  (func $consume-all (param "cs" (list (own $counter))) (result u32)
    (canon lift (core func $m "consume-all") {OPTS}))
  (func $peek (param "c" (borrow $counter)) (result u32)
    (canon lift (core func $m "peek")))
  (func $destroyed (result u32) (canon lift (core func $m "destroyed")))
  ;; Exported resources need names: a nested component imports the
  ;; resource and its functions and exports them under the interface's names.
  (component $Counters
    (import "counter-impl" (type $c (sub resource)))
    (import "ctor" (func $ctor (param "start" u32) (result (own $c))))
    (import "get" (func $get (param "self" (borrow $c)) (result u32)))
    (import "add" (func $add (param "self" (borrow $c)) (param "n" u32)))
    (import "made" (func $made (result u32)))
    (import "consume" (func $consume (param "c" (own $c)) (result u32)))
    (import "consume-all" (func $consume-all (param "cs" (list (own $c))) (result u32)))
    (import "peek" (func $peek (param "c" (borrow $c)) (result u32)))
    (import "destroyed" (func $destroyed (result u32)))
    (export $e "counter" (type $c))
    (export "[constructor]counter" (func $ctor) (func (param "start" u32) (result (own $e))))
    (export "[method]counter.get" (func $get) (func (param "self" (borrow $e)) (result u32)))
    (export "[method]counter.add" (func $add) (func (param "self" (borrow $e)) (param "n" u32)))
    (export "[static]counter.made" (func $made))
    (export "consume" (func $consume) (func (param "c" (own $e)) (result u32)))
    (export "consume-all" (func $consume-all) (func (param "cs" (list (own $e))) (result u32)))
    (export "peek" (func $peek) (func (param "c" (borrow $e)) (result u32)))
    (export "destroyed" (func $destroyed)))
  (instance $counters (instantiate $Counters
    (with "counter-impl" (type $counter))
    (with "ctor" (func $ctor))
    (with "get" (func $get))
    (with "add" (func $add))
    (with "made" (func $made))
    (with "consume" (func $consume))
    (with "consume-all" (func $consume-all))
    (with "peek" (func $peek))
    (with "destroyed" (func $destroyed))))
  (export "e2e:exports/counters" (instance $counters))
  (func $greet1 (param "name" string) (result string)
    (canon lift (core func $m "greet1") {OPTS}))
  (func $greet2 (param "name" string) (param "keep" u32) (result string)
    (canon lift (core func $m "greet2") {OPTS}))
  (instance $v1 (export "greet" (func $greet1)))
  (instance $v2 (export "greet" (func $greet2)))
  (export "e2e:greet/greeter@1.0.0" (instance $v1))
  (export "e2e:greet/greeter@2.0.0" (instance $v2))
  (func (export "run") (param "names" (list string)) (param "sep" string) (result u32)
    (canon lift (core func $m "run") {OPTS}))
  (func (export "answer") (result u32) (canon lift (core func $m "answer"))))"#
    )
}

fn setup() -> (Store<()>, Exporter) {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let linker = Linker::new(&engine);
    let mut store = Store::new(&engine, ());
    let exporter = Exporter::instantiate(&mut store, &component, &linker).unwrap();
    (store, exporter)
}

#[test]
fn world_functions_and_versions() {
    let (mut store, e) = setup();
    assert_eq!(e.call_answer(&mut store).unwrap(), 42);
    // Borrowed parameters, of the caller's lifetimes.
    let names = vec![String::from("a"), String::from("b"), String::from("c")];
    let sep = String::from(", ");
    assert_eq!(e.call_run(&mut store, &names, &sep).unwrap(), 302);
    {
        let local = [String::from("x")];
        assert_eq!(e.call_run(&mut store, &local, "").unwrap(), 100);
    }
    // One interface, two versions, each its own module and accessor.
    let v1 = e.e2e_greet_greeter_1_0_0();
    let v2 = e.e2e_greet_greeter_2_0_0();
    let name = String::from("world");
    assert_eq!(v1.call_greet(&mut store, &name).unwrap(), "world");
    assert_eq!(v2.call_greet(&mut store, &name, 3).unwrap(), "wor");
}

#[test]
fn guest_resource_functions() {
    let (mut store, e) = setup();
    let counters = e.e2e_exports_counters();
    let counter = counters.counter();
    let a = counter.call_constructor(&mut store, 5).unwrap();
    counter.call_add(&mut store, &a, 3).unwrap();
    assert_eq!(counter.call_get(&mut store, &a).unwrap(), 8);
    // A `borrow<counter>` parameter of a freestanding function.
    assert_eq!(counters.call_peek(&mut store, &a).unwrap(), 8);
    let b = counter.call_constructor(&mut store, 1).unwrap();
    assert_eq!(counter.call_made(&mut store).unwrap(), 2);
    // `own<counter>`: the handle moves into the guest, which drops it.
    assert_eq!(counters.call_consume(&mut store, a).unwrap(), 8);
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 1);
    // `resource_drop` runs the guest's destructor.
    b.resource_drop(&mut store).unwrap();
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 2);
}

#[test]
fn handles_in_a_list_move_into_the_guest() {
    let (mut store, e) = setup();
    let counters = e.e2e_exports_counters();
    let counter = counters.counter();
    let cs = [
        counter.call_constructor(&mut store, 10).unwrap(),
        counter.call_constructor(&mut store, 20).unwrap(),
    ];
    assert!(!cs[0].moved());
    // Passed as `&[Counter]`, the handles still move: they say so.
    assert_eq!(counters.call_consume_all(&mut store, &cs).unwrap(), 30);
    assert!(cs.iter().all(Counter::moved));
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 2);
    // Using one now is an error, not a panic.
    let err = counter.call_get(&mut store, &cs[0]).unwrap_err();
    assert!(message(&err).contains("moved into a guest"), "{err:?}");
    let [first, _] = cs;
    let err = first.resource_drop(&mut store).unwrap_err();
    assert!(message(&err).contains("moved into the guest"), "{err:?}");
}

#[test]
fn with_drops_the_handle_whatever_happens() {
    let (mut store, e) = setup();
    let counters = e.e2e_exports_counters();
    let counter = counters.counter();
    let c = counter.call_constructor(&mut store, 7).unwrap();
    let v = c
        .with(&mut store, |store, c| {
            counter.call_add(&mut *store, c, 1)?;
            counter.call_get(store, c)
        })
        .unwrap();
    assert_eq!(v, 8);
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 1);
    // The closure's error comes back, and the destructor ran anyway.
    let c = counter.call_constructor(&mut store, 7).unwrap();
    let err = c
        .with(&mut store, |_, _| -> wit_host::Result<()> {
            Err(wit_host::Error::msg("host gave up"))
        })
        .unwrap_err();
    assert!(err.to_string().contains("host gave up"));
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 2);
}

#[test]
fn a_dropped_handle_is_an_error_to_use() {
    let (mut store, e) = setup();
    let counter = e.e2e_exports_counters().counter();
    let c = counter.call_constructor(&mut store, 1).unwrap();
    let copy = c.as_resource_any().clone();
    c.resource_drop(&mut store).unwrap();
    let stale = Counter::from_resource_any(copy);
    let err = counter.call_get(&mut store, &stale).unwrap_err();
    assert!(message(&err).contains("already dropped"), "{err:?}");
    let err = stale.resource_drop(&mut store).unwrap_err();
    assert!(message(&err).contains("already dropped"), "{err:?}");
}

#[test]
fn a_handle_of_another_store_is_an_error() {
    let (mut store, e) = setup();
    let (mut other, e2) = setup();
    let c = e
        .e2e_exports_counters()
        .counter()
        .call_constructor(&mut store, 1)
        .unwrap();
    let err = e2
        .e2e_exports_counters()
        .call_peek(&mut other, &c)
        .unwrap_err();
    assert!(
        message(&err).contains("used with a store it does not belong to"),
        "{err:?}"
    );
    c.resource_drop(&mut store).unwrap();
}

#[test]
fn pre_checks_once_and_instantiates_many_times() {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let linker = Linker::<()>::new(&engine);
    let pre = ExporterPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
    for _ in 0..3 {
        let mut store = Store::new(&engine, ());
        let e = pre.instantiate(&mut store).unwrap();
        assert_eq!(e.call_answer(&mut store).unwrap(), 42);
        let c = e
            .e2e_exports_counters()
            .counter()
            .call_constructor(&mut store, 2)
            .unwrap();
        assert_eq!(
            e.e2e_exports_counters()
                .call_consume(&mut store, c)
                .unwrap(),
            2
        );
    }
    // The indices alone, for an instance made some other way.
    let indices = ExporterIndices::new(&component).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = linker.instantiate(&mut store, &component).unwrap();
    let e = indices.load(&mut store, &instance).unwrap();
    assert_eq!(e.call_answer(&mut store).unwrap(), 42);
    // Indices of one component do not load from another's instance.
    let other = compile(&engine, &guest());
    let instance = linker.instantiate(&mut store, &other).unwrap();
    let err = indices.load(&mut store, &instance).err().unwrap();
    assert!(
        message(&err).contains("not an instance of the component"),
        "{err:?}"
    );
}

/// `new` on an instance of a component without the world's exports.
fn new_error(wat: &str) -> String {
    let engine = Engine::default();
    let component = Component::new(&engine, wat).unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let err = Exporter::new(&mut store, &instance)
        .err()
        .expect("an error");
    message(&err)
}

#[test]
fn new_names_the_missing_or_mistyped_export() {
    let msg =
        new_error(&guest().replace(r#"(export "e2e:greet/greeter@2.0.0" (instance $v2))"#, ""));
    assert!(
        msg.contains("no instance `e2e:greet/greeter@2.0.0`"),
        "{msg}"
    );
    let msg = new_error(&guest().replace(
        r#"(func (export "answer") (result u32)"#,
        r#"(func (export "answer") (result s32)"#,
    ));
    assert!(msg.contains("export `answer`"), "{msg}");
    assert!(
        msg.contains("the component has `s32`, the host uses Rust type `u32`"),
        "{msg}"
    );
    let msg = new_error(&guest().replace(
        r#"(instance $v1 (export "greet" (func $greet1)))"#,
        r#"(instance $v1 (export "hello" (func $greet1)))"#,
    ));
    assert!(
        msg.contains("no function `e2e:greet/greeter@1.0.0#greet`"),
        "{msg}"
    );
    let msg = new_error(&guest().replace(r#"(export "[static]counter.made" (func $made))"#, ""));
    assert!(
        msg.contains("no function `e2e:exports/counters#[static]counter.made`"),
        "{msg}"
    );
}

/// Dropping a handle without the store cannot run the guest's destructor:
/// the resource lives until the store is dropped (debug builds warn on
/// stderr, naming the resource).
#[test]
fn a_handle_dropped_without_the_store_is_not_destroyed() {
    let (mut store, e) = setup();
    let counters = e.e2e_exports_counters();
    let c = counters.counter().call_constructor(&mut store, 1).unwrap();
    drop(c);
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 0);
}

/// Handles and the typed structs can move between threads, like
/// `ResourceAny`.
#[test]
fn handles_and_bindings_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Counter>();
    send_sync::<Exporter>();
    send_sync::<ExporterIndices>();
    send_sync::<ExporterPre<()>>();
}
