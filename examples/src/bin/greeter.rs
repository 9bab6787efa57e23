//! The main example: a host that loads a component, gives it a logger,
//! and calls its exports with dynamic values.
//!
//! Run it with `cargo run -p wit-host-examples --bin greeter`.

use wit_host::{Component, Engine, Linker, Result, Store, Val};

/// The host's state: the lines the guest logged.
#[derive(Default)]
struct Host {
    log: Vec<String>,
}

fn main() -> Result<()> {
    let engine = Engine::default();
    // The component is written in the text format; `Component::new` accepts
    // a binary `.wasm` just the same.
    let component = Component::new(&engine, include_str!("../../components/greeter.wat"))?;
    println!("The component's type:\n{}", component.component_type());

    // Provide the component's import: `example:app/host@1.0.0#log`.
    let mut linker = Linker::<Host>::new(&engine);
    linker.instance("example:app/host@1.0.0")?.func_new(
        "log",
        |mut store, _ty, params, _results| {
            if let [Val::String(message)] = params {
                println!("guest logged: {message}");
                store.data_mut().log.push(message.clone());
            }
            Ok(())
        },
    )?;

    let mut store = Store::new(&engine, Host::default());
    let instance = linker.instantiate(&mut store, &component)?;

    // A function inside an exported interface: "interface#function".
    let greet = instance
        .get_func(&mut store, "example:app/api@1.0.0#greet")
        .expect("the component exports greet");
    let mut results = [Val::String(String::new())];
    greet.call(&mut store, &[Val::String("world".into())], &mut results)?;
    println!("greet(\"world\") = {:?}", results[0]);

    // A root export taking a list.
    let sum = instance
        .get_func(&mut store, "sum")
        .expect("the component exports sum");
    let numbers = Val::List((1..=10).map(Val::U32).collect());
    let mut total = [Val::U64(0)];
    sum.call(&mut store, &[numbers], &mut total)?;
    println!("sum(1..=10) = {:?}", total[0]);

    println!("the host kept {} log line(s)", store.data().log.len());
    Ok(())
}
