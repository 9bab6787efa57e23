//! Resources passed between composed components: one outer component
//! instantiates `$Def` (defines and implements `counter`), `$Sink` (takes
//! counters it did not define) and `$User` (makes counters and passes them
//! to both), wired together inside the component. Handles move through the
//! fused adapters' own/borrow transfers; destructors run in the definer,
//! whoever drops the last handle; borrow rules hold across components. The
//! host also takes counters out of the composition and passes them in.

use crate::common::*;
use crate::resources_common::*;
use wit_host::{Instance, Store, Val};

/// The composition. Exported instances (functions are `"def#make"`,
/// `"user#give"`, ...):
///
/// * `def`: `counter`; `make(start) -> own<counter>` (representations 1,
///   2, 3, ... in construction order); `get(borrow) -> u32`;
///   `consume(own) -> u32`; `merge(into: borrow, from: own) -> u32` (adds
///   `from` to `into` and drops `from`); `destroyed() -> u32`. Its
///   destructor reports `counter <rep> dropped` to the host.
/// * `sink`: `adopt(own) -> u32` (keeps the handle, returns its index);
///   `peek(borrow) -> u32` (reads through `def.get`, drops the borrow);
///   `leak(borrow)` (keeps the borrow); `value-of(h) -> u32`; `drop(h)`.
/// * `user`: wrappers taking `$User`'s handle indices: `make(start) -> u32`,
///   `get(h) -> u32`, `consume(h) -> u32`, `merge(into, from) -> u32`,
///   `give(h) -> u32` (to `sink.adopt`), `lend(h) -> u32` (to
///   `sink.peek`), `lend-leak(h)` (to `sink.leak`), `drop(h)`.
const COMPOSED: &str = r#"(component
  (import "example:log/events" (instance $ev (export "dropped" (func (param "rep" u32)))))

  (component $Def
    (import "events" (instance $ev (export "dropped" (func (param "rep" u32)))))
    (core func $dropped (canon lower (func $ev "dropped")))
    (core module $Dtor
      (import "ev" "dropped" (func $dropped (param i32)))
      (global $destroyed (export "destroyed") (mut i32) (i32.const 0))
      (func (export "dtor") (param $rep i32)
        (global.set $destroyed (i32.add (global.get $destroyed) (i32.const 1)))
        (call $dropped (local.get $rep))))
    (core instance $d (instantiate $Dtor
      (with "ev" (instance (export "dropped" (func $dropped))))))
    (type $counter' (resource (rep i32) (dtor (core func $d "dtor"))))
    (core func $new (canon resource.new $counter'))
    (core func $rep (canon resource.rep $counter'))
    (core func $drop (canon resource.drop $counter'))
    (core module $M
      (import "dtor" "destroyed" (global $destroyed (mut i32)))
      (import "r" "new" (func $new (param i32) (result i32)))
      (import "r" "rep" (func $rep (param i32) (result i32)))
      (import "r" "drop" (func $drop (param i32)))
      (memory 1)
      (global $made (mut i32) (i32.const 0))
      (func $addr (param $rep i32) (result i32)
        (i32.add (i32.const 256) (i32.shl (local.get $rep) (i32.const 2))))
      (func (export "make") (param $start i32) (result i32)
        (global.set $made (i32.add (global.get $made) (i32.const 1)))
        (i32.store (call $addr (global.get $made)) (local.get $start))
        (call $new (global.get $made)))
      ;; a borrow of our own type arrives as the representation
      (func $get (export "get") (param $rep i32) (result i32)
        (i32.load (call $addr (local.get $rep))))
      ;; an own arrives as a handle in our table
      (func $value (param $h i32) (result i32)
        (call $get (call $rep (local.get $h))))
      (func (export "consume") (param $h i32) (result i32)
        (local $v i32)
        (local.set $v (call $value (local.get $h)))
        (call $drop (local.get $h))
        (local.get $v))
      (func (export "merge") (param $into i32) (param $from i32) (result i32)
        (i32.store (call $addr (local.get $into))
          (i32.add (call $get (local.get $into)) (call $value (local.get $from))))
        (call $drop (local.get $from))
        (call $get (local.get $into)))
      (func (export "destroyed") (result i32) (global.get $destroyed))
    )
    (core instance $m (instantiate $M
      (with "dtor" (instance $d))
      (with "r" (instance
        (export "new" (func $new))
        (export "rep" (func $rep))
        (export "drop" (func $drop))))))
    (export $counter "counter" (type $counter'))
    (func (export "make") (param "start" u32) (result (own $counter))
      (canon lift (core func $m "make")))
    (func (export "get") (param "c" (borrow $counter)) (result u32)
      (canon lift (core func $m "get")))
    (func (export "consume") (param "c" (own $counter)) (result u32)
      (canon lift (core func $m "consume")))
    (func (export "merge") (param "into" (borrow $counter)) (param "from" (own $counter)) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "destroyed") (result u32) (canon lift (core func $m "destroyed")))
  )

  (component $Sink
    (import "def" (instance $def
      (export "counter" (type $counter (sub resource)))
      (export "get" (func (param "c" (borrow $counter)) (result u32)))))
    (alias export $def "counter" (type $counter))
    (core func $get (canon lower (func $def "get")))
    (core func $drop (canon resource.drop $counter))
    (core module $M
      (import "def" "get" (func $get (param i32) (result i32)))
      (import "def" "drop" (func $drop (param i32)))
      (func (export "adopt") (param $h i32) (result i32) (local.get $h))
      (func (export "peek") (param $h i32) (result i32)
        (local $v i32)
        (local.set $v (call $get (local.get $h)))
        (call $drop (local.get $h))
        (local.get $v))
      (func (export "leak") (param $h i32))
      (func (export "value-of") (param $h i32) (result i32) (call $get (local.get $h)))
      (func (export "drop") (param $h i32) (call $drop (local.get $h))))
    (core instance $m (instantiate $M
      (with "def" (instance (export "get" (func $get)) (export "drop" (func $drop))))))
    (func (export "adopt") (param "c" (own $counter)) (result u32)
      (canon lift (core func $m "adopt")))
    (func (export "peek") (param "c" (borrow $counter)) (result u32)
      (canon lift (core func $m "peek")))
    (func (export "leak") (param "c" (borrow $counter)) (canon lift (core func $m "leak")))
    (func (export "value-of") (param "h" u32) (result u32) (canon lift (core func $m "value-of")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
  )

  (component $User
    (import "def" (instance $def
      (export "counter" (type $counter (sub resource)))
      (export "make" (func (param "start" u32) (result (own $counter))))
      (export "get" (func (param "c" (borrow $counter)) (result u32)))
      (export "consume" (func (param "c" (own $counter)) (result u32)))
      (export "merge" (func (param "into" (borrow $counter)) (param "from" (own $counter)) (result u32)))))
    (alias export $def "counter" (type $counter))
    (import "sink" (instance $sink
      (export "adopt" (func (param "c" (own $counter)) (result u32)))
      (export "peek" (func (param "c" (borrow $counter)) (result u32)))
      (export "leak" (func (param "c" (borrow $counter))))))
    (core func $make (canon lower (func $def "make")))
    (core func $get (canon lower (func $def "get")))
    (core func $consume (canon lower (func $def "consume")))
    (core func $merge (canon lower (func $def "merge")))
    (core func $adopt (canon lower (func $sink "adopt")))
    (core func $peek (canon lower (func $sink "peek")))
    (core func $leak (canon lower (func $sink "leak")))
    (core func $drop (canon resource.drop $counter))
    (core module $M
      (import "" "make" (func $make (param i32) (result i32)))
      (import "" "get" (func $get (param i32) (result i32)))
      (import "" "consume" (func $consume (param i32) (result i32)))
      (import "" "merge" (func $merge (param i32 i32) (result i32)))
      (import "" "adopt" (func $adopt (param i32) (result i32)))
      (import "" "peek" (func $peek (param i32) (result i32)))
      (import "" "leak" (func $leak (param i32)))
      (import "" "drop" (func $drop (param i32)))
      (func (export "make") (param i32) (result i32) (call $make (local.get 0)))
      (func (export "get") (param i32) (result i32) (call $get (local.get 0)))
      (func (export "consume") (param i32) (result i32) (call $consume (local.get 0)))
      (func (export "merge") (param i32 i32) (result i32) (call $merge (local.get 0) (local.get 1)))
      (func (export "give") (param i32) (result i32) (call $adopt (local.get 0)))
      (func (export "lend") (param i32) (result i32) (call $peek (local.get 0)))
      (func (export "lend-leak") (param i32) (call $leak (local.get 0)))
      (func (export "drop") (param i32) (call $drop (local.get 0))))
    (core instance $m (instantiate $M (with "" (instance
      (export "make" (func $make))
      (export "get" (func $get))
      (export "consume" (func $consume))
      (export "merge" (func $merge))
      (export "adopt" (func $adopt))
      (export "peek" (func $peek))
      (export "leak" (func $leak))
      (export "drop" (func $drop))))))
    (func (export "make") (param "start" u32) (result u32) (canon lift (core func $m "make")))
    (func (export "get") (param "h" u32) (result u32) (canon lift (core func $m "get")))
    (func (export "consume") (param "h" u32) (result u32) (canon lift (core func $m "consume")))
    (func (export "merge") (param "into" u32) (param "from" u32) (result u32)
      (canon lift (core func $m "merge")))
    (func (export "give") (param "h" u32) (result u32) (canon lift (core func $m "give")))
    (func (export "lend") (param "h" u32) (result u32) (canon lift (core func $m "lend")))
    (func (export "lend-leak") (param "h" u32) (canon lift (core func $m "lend-leak")))
    (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
  )

  (instance $def (instantiate $Def (with "events" (instance $ev))))
  (instance $sink (instantiate $Sink (with "def" (instance $def))))
  (instance $user (instantiate $User (with "def" (instance $def)) (with "sink" (instance $sink))))
  (export "def" (instance $def))
  (export "sink" (instance $sink))
  (export "user" (instance $user))
)"#;

/// A store with one instance of [`COMPOSED`].
fn composed() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, COMPOSED);
    let instance = instantiate_component(&mut store, &linker, &component);
    (store, instance)
}

/// `user#f(args)` returning `u32`.
fn user(store: &mut Store<Host>, instance: &Instance, f: &str, args: &[u32]) -> Val {
    let args: Vec<Val> = args.iter().copied().map(Val::U32).collect();
    call1(store, instance, &format!("user#{f}"), &args)
}

/// A counter made by `$Def` for `$User` becomes a handle in `$User`'s
/// table; borrowing it back to `$Def` reads the counter.
#[test]
fn a_counter_made_in_one_component_is_used_from_another() {
    let (mut store, instance) = composed();
    assert_eq!(user(&mut store, &instance, "make", &[5]), Val::U32(1));
    assert_eq!(user(&mut store, &instance, "get", &[1]), Val::U32(5));
    assert_eq!(user(&mut store, &instance, "get", &[1]), Val::U32(5));
    assert_eq!(
        call1(&mut store, &instance, "def#destroyed", &[]),
        Val::U32(0)
    );
}

/// `$User` dropping its handle runs `$Def`'s destructor.
#[test]
fn dropping_a_handle_in_the_user_runs_the_definers_destructor() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[5]);
    call(&mut store, &instance, "user#drop", &[Val::U32(1)]).unwrap();
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    assert_eq!(
        call1(&mut store, &instance, "def#destroyed", &[]),
        Val::U32(1)
    );
}

/// An own handle passed back to `$Def` leaves `$User`'s table; `$Def`
/// drops it and its destructor runs during the call.
#[test]
fn an_own_handle_passed_back_to_the_definer_is_consumed() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[7]);
    assert_eq!(user(&mut store, &instance, "consume", &[1]), Val::U32(7));
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    let err = call_err(&mut store, &instance, "user#get", &[Val::U32(1)]);
    assert_contains_all(&err, &["unknown handle index 1"]);
}

/// An own handle moves from `$User` to `$Sink`, neither of which defines
/// the type: `$Sink` gets a handle in its own table and can use it;
/// `$User`'s handle is gone.
#[test]
fn an_own_handle_moves_between_two_components_that_did_not_define_it() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[9]);
    assert_eq!(user(&mut store, &instance, "give", &[1]), Val::U32(1));
    assert_eq!(
        call1(&mut store, &instance, "sink#value-of", &[Val::U32(1)]),
        Val::U32(9)
    );
    assert!(store.data().events.is_empty(), "moving is not dropping");
    call(&mut store, &instance, "sink#drop", &[Val::U32(1)]).unwrap();
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    // last, as it traps: `$User`'s handle went with the move
    let err = call_err(&mut store, &instance, "user#get", &[Val::U32(1)]);
    assert_contains_all(&err, &["unknown handle index 1"]);
}

/// Handle tables are per component instance: each gets indices from 1,
/// and a moved-out index is reused by its old table.
#[test]
fn each_component_has_its_own_handle_indices() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[1]);
    user(&mut store, &instance, "make", &[2]);
    assert_eq!(user(&mut store, &instance, "give", &[2]), Val::U32(1));
    assert_eq!(user(&mut store, &instance, "give", &[1]), Val::U32(2));
    assert_eq!(user(&mut store, &instance, "make", &[3]), Val::U32(1));
    assert_eq!(
        call1(&mut store, &instance, "sink#value-of", &[Val::U32(1)]),
        Val::U32(2)
    );
    assert_eq!(
        call1(&mut store, &instance, "sink#value-of", &[Val::U32(2)]),
        Val::U32(1)
    );
}

/// A borrow lent by `$User` to `$Sink` becomes a handle in `$Sink`'s
/// table, which `$Sink` lends on to `$Def`; `$User` keeps its handle.
#[test]
fn a_borrow_is_passed_on_through_a_second_component() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[11]);
    assert_eq!(user(&mut store, &instance, "lend", &[1]), Val::U32(11));
    assert_eq!(user(&mut store, &instance, "get", &[1]), Val::U32(11));
    assert!(store.data().events.is_empty());
}

/// A component that returns without dropping a borrow it received from
/// another component traps.
#[test]
fn a_component_that_keeps_a_borrow_traps() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[1]);
    let err = call_err(&mut store, &instance, "user#lend-leak", &[Val::U32(1)]);
    assert_contains_all(
        &err,
        &["borrow handles still remain at the end of the call"],
    );
}

/// Lending a handle and giving it away in the same call to `$Def` traps.
#[test]
fn a_handle_cannot_be_lent_and_given_away_in_one_call() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[1]);
    let err = call_err(
        &mut store,
        &instance,
        "user#merge",
        &[Val::U32(1), Val::U32(1)],
    );
    assert_contains_all(&err, &["cannot remove owned resource while borrowed"]);
}

/// Lending one handle and giving another works: `$Def` merges them and
/// destroys the one given.
#[test]
fn one_handle_can_be_lent_while_another_is_given() {
    let (mut store, instance) = composed();
    user(&mut store, &instance, "make", &[30]);
    user(&mut store, &instance, "make", &[12]);
    assert_eq!(user(&mut store, &instance, "merge", &[1, 2]), Val::U32(42));
    assert_eq!(store.data().events, events(&["counter 2 dropped"]));
    assert_eq!(user(&mut store, &instance, "get", &[1]), Val::U32(42));
}

/// Destructors run in the order the last handles are dropped, whichever
/// component drops them.
#[test]
fn destructors_run_in_drop_order_across_components() {
    let (mut store, instance) = composed();
    for start in [1, 2, 3] {
        user(&mut store, &instance, "make", &[start]);
    }
    call(&mut store, &instance, "user#drop", &[Val::U32(2)]).unwrap();
    user(&mut store, &instance, "give", &[3]);
    call(&mut store, &instance, "sink#drop", &[Val::U32(1)]).unwrap();
    call(&mut store, &instance, "user#drop", &[Val::U32(1)]).unwrap();
    assert_eq!(
        store.data().events,
        events(&[
            "counter 2 dropped",
            "counter 3 dropped",
            "counter 1 dropped"
        ])
    );
}

/// The host takes a counter out of the composition, lends it to `$Sink`
/// (which lends it on to `$Def`), then gives it to `$Sink` for good.
#[test]
fn the_host_passes_a_composed_components_counter_between_its_parts() {
    let (mut store, instance) = composed();
    let counter = call1(&mut store, &instance, "def#make", &[Val::U32(8)]);
    assert_eq!(resource(&counter).ty().unwrap().name(), "counter");
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "sink#peek",
            std::slice::from_ref(&counter)
        ),
        Val::U32(8)
    );
    assert_eq!(
        call1(&mut store, &instance, "sink#adopt", &[counter]),
        Val::U32(1)
    );
    assert_eq!(
        call1(&mut store, &instance, "sink#value-of", &[Val::U32(1)]),
        Val::U32(8)
    );
}

/// A counter the host holds is dropped through `$Def`'s destructor.
#[test]
fn the_host_drops_a_composed_components_counter() {
    let (mut store, instance) = composed();
    let counter = call1(&mut store, &instance, "def#make", &[Val::U32(8)]);
    resource(&counter).resource_drop(&mut store).unwrap();
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
}
