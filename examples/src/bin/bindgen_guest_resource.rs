//! An exported (guest) resource with `bindgen!`: a component defines
//! `counter` and exports it in `example:counters/counters`
//! (`examples/wit/counters.wit`); the host creates counters, calls their
//! methods, lends them, gives them back and drops them, all through the
//! generated `Counter` handle type and `GuestCounter` functions.
//!
//! Run it with `cargo run -p wit-host-examples --bin bindgen_guest_resource`.

use wit_host::{Component, Engine, Linker, Result, Store};

wit_host::bindgen!({ path: "wit/counters.wit" });

fn main() -> Result<()> {
    let engine = Engine::default();
    let component = Component::new(&engine, include_str!("../../components/counters.wat"))?;
    // The world imports nothing: an empty linker will do.
    let linker = Linker::<()>::new(&engine);
    let mut store = Store::new(&engine, ());
    let counting = Counting::instantiate(&mut store, &component, &linker)?;

    // The exported interface, and the resource's own functions in it.
    let counters = counting.example_counters_counters();
    let counter = counters.counter();

    // `constructor(start)`: an owned handle, `Counter`.
    let a = counter.call_constructor(&mut store, 10)?;
    let b = counter.call_constructor(&mut store, 5)?;
    println!("made counters a = 10 and b = 5");

    // Methods take the handle by reference: the guest gets a `borrow`.
    println!("a.add(3) = {}", counter.call_add(&mut store, &a, 3)?);
    println!("b.add(-1) = {}", counter.call_add(&mut store, &b, -1)?);

    // A freestanding function that borrows two counters and returns a new
    // one.
    let sum = counters.call_merge(&mut store, &a, &b)?;
    println!(
        "merge(a, b).get() = {}",
        counter.call_get(&mut store, &sum)?
    );
    println!("counter.made() = {}", counter.call_made(&mut store)?);

    // Passing a handle by value moves it into the guest (`own<counter>`):
    // `finish` consumes `a`, and the guest's destructor runs.
    println!("finish(a) = {}", counters.call_finish(&mut store, a)?);
    println!("destroyed so far: {}", counters.call_destroyed(&mut store)?);

    // The host drops the others itself; each drop runs the destructor. (A
    // handle that is neither passed on nor dropped is a warning: the
    // type is `#[must_use]`.)
    b.resource_drop(&mut store)?;
    sum.resource_drop(&mut store)?;
    println!(
        "destroyed in the end: {}",
        counters.call_destroyed(&mut store)?
    );
    Ok(())
}
