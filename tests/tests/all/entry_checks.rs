//! The spec's entry and exit checks beyond one function: `may_enter` of the
//! callee *and its ancestors* (a host import cannot get back into a running
//! component through a sibling), destructors run from host drops as
//! entries, `may_leave` on `resource.new` / `resource.drop`, the lend count
//! of a resource the host lends, and host borrows that end with their call
//! and nothing else.

use std::sync::{Arc, Mutex};

use crate::common::*;
use wit_host::{Func, Linker, Resource, ResourceAny, ResourceType, Store, Trap, Val};

/// A root component with two inner components: `$A` exports `f` (which
/// calls the root import `h`) and `k` (how deep `f` is running), `$B`
/// exports `g`, which calls `$A`'s `k` through a fused adapter.
const SIBLINGS: &str = r#"(component
  (import "h" (func $h))
  (component $A
    (import "h" (func $h))
    (core func $h' (canon lower (func $h)))
    (core module $M
      (import "" "h" (func $h))
      (global $depth (mut i32) (i32.const 0))
      (func (export "f")
        (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
        (call $h)
        (global.set $depth (i32.sub (global.get $depth) (i32.const 1))))
      (func (export "k") (result i32) (global.get $depth)))
    (core instance $m (instantiate $M (with "" (instance (export "h" (func $h'))))))
    (func (export "f") (canon lift (core func $m "f")))
    (func (export "k") (result u32) (canon lift (core func $m "k"))))
  (component $B
    (import "k" (func $k (result u32)))
    (core func $k' (canon lower (func $k)))
    (core module $N
      (import "" "k" (func $k (result i32)))
      (func (export "g") (result i32) (call $k)))
    (core instance $n (instantiate $N (with "" (instance (export "k" (func $k'))))))
    (func (export "g") (result u32) (canon lift (core func $n "g"))))
  (instance $a (instantiate $A (with "h" (func $h))))
  (instance $b (instantiate $B (with "k" (func $a "k"))))
  (export "f" (func $a "f"))
  (export "g" (func $b "g")))"#;

/// While `$A.f` runs, its host import calls the root's `g`, which would
/// reach `$A` again through `$B`: entering `$B` from the host enters the
/// root too, which is running, so the call is refused (spec:
/// `may_enter_from` checks self and ancestors).
#[test]
fn a_host_import_cannot_reenter_a_component_through_a_sibling() {
    type Slot = Arc<Mutex<Option<(Func, Option<String>)>>>;
    let slot: Slot = Arc::default();
    let engine = engine();
    let mut store = Store::new(&engine, slot.clone());
    let mut linker = Linker::<Slot>::new(&engine);
    linker
        .root()
        .func_wrap("h", |mut store, ()| {
            let slot = store.data().clone();
            let g = slot.lock().unwrap().as_ref().unwrap().0.clone();
            let mut results = [Val::U32(0)];
            let outcome = match g.call(&mut store, &[], &mut results) {
                Ok(()) => format!("g returned {:?}", results[0]),
                Err(e) => {
                    assert_eq!(e.downcast_ref::<Trap>(), Some(&Trap::CannotEnterComponent));
                    message(&e)
                }
            };
            slot.lock().unwrap().as_mut().unwrap().1 = Some(outcome);
            Ok(())
        })
        .unwrap();
    let instance = linker
        .instantiate(&mut store, &compile(&engine, SIBLINGS))
        .unwrap();
    let g = instance.get_func(&mut store, "g").unwrap();
    *slot.lock().unwrap() = Some((g, None));
    call(&mut store, &instance, "f", &[]).unwrap();
    let outcome = slot.lock().unwrap().as_mut().unwrap().1.take().unwrap();
    assert_contains_all(&outcome, &["already running"]);
    // Outside of `f`, `g` runs and sees `$A` idle.
    assert_eq!(call1(&mut store, &instance, "g", &[]), Val::U32(0));
}

/// A component defining a resource whose destructor counts, with exports
/// `make() -> own<r>`, `run()` (calls the root import `h`) and `dropped()`.
const DTOR_GUEST: &str = r#"(component
  (import "h" (func $h))
  (core func $h' (canon lower (func $h)))
  (core module $D
    (global $dropped (export "dropped") (mut i32) (i32.const 0))
    (func (export "dtor") (param i32)
      (global.set $dropped (i32.add (global.get $dropped) (i32.const 1)))))
  (core instance $d (instantiate $D))
  (type $r' (resource (rep i32) (dtor (core func $d "dtor"))))
  (core func $new (canon resource.new $r'))
  (core module $M
    (import "" "h" (func $h))
    (import "" "new" (func $new (param i32) (result i32)))
    (import "d" "dropped" (global $dropped (mut i32)))
    (func (export "make") (result i32) (call $new (i32.const 42)))
    (func (export "run") (call $h))
    (func (export "dropped") (result i32) (global.get $dropped)))
  (core instance $m (instantiate $M
    (with "" (instance (export "h" (func $h')) (export "new" (func $new))))
    (with "d" (instance $d))))
  (export $r "r" (type $r'))
  (func (export "make") (result (own $r)) (canon lift (core func $m "make")))
  (func (export "run") (canon lift (core func $m "run")))
  (func (export "dropped") (result u32) (canon lift (core func $m "dropped"))))"#;

/// Dropping a resource whose destructor is the guest's, from a host import
/// the same instance called, would run the destructor inside the running
/// instance (freeing what the running call may still use): refused, and
/// the host keeps the handle, which it can drop once the call is over.
#[test]
fn a_guest_destructor_cannot_run_while_its_instance_runs() {
    type Held = Arc<Mutex<(Option<ResourceAny>, Option<String>)>>;
    let held: Held = Arc::default();
    let engine = engine();
    let mut store = Store::new(&engine, held.clone());
    let mut linker = Linker::<Held>::new(&engine);
    linker
        .root()
        .func_wrap("h", |mut store, ()| {
            let held = store.data().clone();
            let r = held.lock().unwrap().0.clone().unwrap();
            let refused = r.resource_drop(&mut store).unwrap_err();
            assert_eq!(
                refused.downcast_ref::<Trap>(),
                Some(&Trap::CannotEnterComponent)
            );
            held.lock().unwrap().1 = Some(message(&refused));
            Ok(())
        })
        .unwrap();
    let instance = linker
        .instantiate(&mut store, &compile(&engine, DTOR_GUEST))
        .unwrap();
    let Val::Resource(r) = call1(&mut store, &instance, "make", &[]) else {
        panic!("make returns a resource");
    };
    held.lock().unwrap().0 = Some(r.clone());
    call(&mut store, &instance, "run", &[]).unwrap();
    let refusal = held.lock().unwrap().1.take().unwrap();
    assert_contains_all(&refusal, &["already running"]);
    assert_eq!(call1(&mut store, &instance, "dropped", &[]), Val::U32(0));
    r.resource_drop(&mut store).unwrap();
    assert_eq!(call1(&mut store, &instance, "dropped", &[]), Val::U32(1));
}

/// `resource.new` and `resource.drop` from `post-return`, where the guest
/// may not leave, trap (CanonicalABI.md: `trap_if(not inst.may_leave)`).
#[test]
fn resource_new_and_drop_trap_where_the_guest_may_not_leave() {
    for (intrinsic, body) in [
        ("resource.new", "(drop (call $new (i32.const 1)))"),
        ("resource.drop", "(call $drop (call $new-ok))"),
    ] {
        let wat = format!(
            r#"(component
  (type $r' (resource (rep i32)))
  (core func $new (canon resource.new $r'))
  (core func $drop (canon resource.drop $r'))
  (core module $M
    (import "" "new" (func $new (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (global $h (mut i32) (i32.const 0))
    (func $new-ok (result i32) (global.get $h))
    (func (export "f") (result i32)
      (global.set $h (call $new (i32.const 7)))
      (i32.const 0))
    (func (export "pr") (param i32) {body}))
  (core instance $m (instantiate $M
    (with "" (instance (export "new" (func $new)) (export "drop" (func $drop))))))
  (func (export "f") (result u32)
    (canon lift (core func $m "f") (post-return (core func $m "pr")))))"#
        );
        let (engine, mut store, linker) = setup(());
        let instance = instantiate(&engine, &mut store, &linker, &wat);
        let err = call_err(&mut store, &instance, "f", &[]);
        assert_contains_all(&err, &["cannot leave component instance", intrinsic]);
    }
}

/// A host resource type `r` and a guest that takes `borrow<r>` in `use`
/// and calls the root import `h` before dropping it; `pass` hands a `borrow<r>` of
/// its own handle 1 to the root import `see`.
const BORROWER: &str = r#"(component
  (import "r" (type $r (sub resource)))
  (import "h" (func $h))
  (import "see" (func $see (param "r" (borrow $r))))
  (import "make" (func $make (result (own $r))))
  (core func $h' (canon lower (func $h)))
  (core func $see' (canon lower (func $see)))
  (core func $make' (canon lower (func $make)))
  (core func $drop (canon resource.drop $r))
  (core module $M
    (import "" "h" (func $h))
    (import "" "see" (func $see (param i32)))
    (import "" "make" (func $make (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "use") (param i32) (call $h) (call $drop (local.get 0)))
    (func (export "pass") (call $see (call $make))))
  (core instance $m (instantiate $M
    (with "" (instance (export "h" (func $h')) (export "see" (func $see'))
      (export "make" (func $make')) (export "drop" (func $drop))))))
  (func (export "use") (param "r" (borrow $r)) (canon lift (core func $m "use")))
  (func (export "pass") (canon lift (core func $m "pass"))))"#;

/// The host's state for [`BORROWER`].
#[derive(Default)]
struct Lender {
    /// The resource the host lends, and what dropping it inside the call
    /// said.
    held: Option<ResourceAny>,
    dropped_inside: Option<String>,
    /// A borrow the host made itself, inside `see`.
    mine: Option<ResourceAny>,
}

struct Thing;

fn lender_linker(engine: &wit_host::Engine) -> Linker<Lender> {
    let mut linker = Linker::<Lender>::new(engine);
    let mut root = linker.root();
    root.resource("r", ResourceType::host::<Thing>(), |_, _| Ok(()))
        .unwrap();
    root.func_wrap("h", |mut store, ()| {
        let r = store.data_mut().held.clone().unwrap();
        let outcome = r.resource_drop(&mut store);
        store.data_mut().dropped_inside = Some(match outcome {
            Ok(()) => "dropped".into(),
            Err(e) => message(&e),
        });
        Ok(())
    })
    .unwrap();
    root.func_new("see", |mut store, _ty, params, _| {
        let Val::Resource(borrowed) = &params[0] else {
            panic!("a resource");
        };
        // The host gives up the borrow early, then makes a borrow of its
        // own, which may reuse the borrow's slot in the host table.
        borrowed.clone().resource_drop(&mut store)?;
        let mine = Resource::<Thing>::new_borrow(9).try_into_resource_any(&mut store)?;
        store.data_mut().mine = Some(mine);
        Ok(())
    })
    .unwrap();
    root.func_wrap("make", |_, ()| Ok((Resource::<Thing>::new_own(3),)))
        .unwrap();
    linker
}

/// An `own` resource the host holds and lends to a call as `borrow` cannot
/// be dropped (or moved) while the call runs; afterwards it can.
#[test]
fn a_resource_the_host_lends_cannot_be_dropped_during_the_call() {
    let engine = engine();
    let mut store = Store::new(&engine, Lender::default());
    let linker = lender_linker(&engine);
    let instance = linker
        .instantiate(&mut store, &compile(&engine, BORROWER))
        .unwrap();
    let r = Resource::<Thing>::new_own(1)
        .try_into_resource_any(&mut store)
        .unwrap();
    store.data_mut().held = Some(r.clone());
    call(&mut store, &instance, "use", &[Val::Resource(r.clone())]).unwrap();
    let inside = store.data_mut().dropped_inside.take().unwrap();
    assert_contains_all(&inside, &["while it is borrowed"]);
    let thing = Resource::<Thing>::try_from_resource_any(r, &mut store).unwrap();
    assert_eq!(thing.rep(), 1);
}

/// A borrow the guest lent the host ends with the call, and only that
/// borrow: a borrow the host made itself in the freed slot survives.
#[test]
fn the_end_of_a_host_borrow_removes_nothing_else() {
    let engine = engine();
    let mut store = Store::new(&engine, Lender::default());
    let linker = lender_linker(&engine);
    let instance = linker
        .instantiate(&mut store, &compile(&engine, BORROWER))
        .unwrap();
    call(&mut store, &instance, "pass", &[]).unwrap();
    let mine = store.data_mut().mine.take().unwrap();
    let thing = Resource::<Thing>::try_from_resource_any(mine, &mut store)
        .expect("the host's own borrow is still there");
    assert_eq!(thing.rep(), 9);
}
