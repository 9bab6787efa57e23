//! The main example: a plugin host built on `wit_host::bindgen!`.
//!
//! The WIT world `plugin` (`examples/wit/plugin.wit`) says what a plugin
//! imports from the host (a world-level `log` function and the `config`
//! interface) and what it exports (`name` and `handle`). `bindgen!` turns
//! it into Rust: a trait per imported interface and one for the world's
//! own imports, which the host implements, and a `Plugin` struct whose
//! `call_…` methods call the plugin's exports with Rust values.
//!
//! Run it with `cargo run -p wit-host-examples --bin plugin_host`.

use std::collections::HashMap;

use wit_host::{Component, Engine, HasSelf, Linker, Result, Store};

wit_host::bindgen!({ path: "wit/plugin.wit" });

// `HandleError`, `Level`, `Request` and `Response` are defined in
// `example::plugin::types`; the world `use`s them, so `bindgen!` also
// names them next to `Plugin`.

/// The host's state, one per store: its settings and the plugin's log.
struct Host {
    settings: HashMap<String, String>,
    log: Vec<(Level, String)>,
}

impl Host {
    fn new(settings: &[(&str, &str)]) -> Host {
        Host {
            settings: settings
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            log: Vec::new(),
        }
    }
}

// `types` has no functions: its `Host` trait is empty.
impl example::plugin::types::Host for Host {}

// The `config` interface.
impl example::plugin::config::Host for Host {
    fn get(&mut self, key: String) -> Option<String> {
        self.settings.get(&key).cloned()
    }
}

// The functions the world imports itself: `log`.
impl PluginImports for Host {
    fn log(&mut self, level: Level, msg: String) {
        println!("  plugin log [{level:?}] {msg}");
        self.log.push((level, msg));
    }
}

/// Sends the plugin one request and prints the answer.
fn ask(plugin: &Plugin, store: &mut Store<Host>, text: &str, repeat: u32) -> Result<()> {
    println!("handle({text:?} x {repeat}):");
    let request = Request {
        text: text.to_string(),
        repeat,
    };
    // A trap in the guest would be the outer `Err`; the inner `Result` is
    // the WIT `result<response, handle-error>`.
    match plugin.call_handle(&mut *store, &request)? {
        Ok(response) => println!("  -> ok: {:?} ({} bytes)", response.text, response.length),
        // `handle-error` is a `result`'s error type, so it implements
        // `Display` and `std::error::Error`.
        Err(HandleError::TooLong(n)) => println!("  -> refused: {n} bytes is too long"),
        Err(e) => println!("  -> refused: {e}"),
    }
    Ok(())
}

fn main() -> Result<()> {
    let engine = Engine::default();
    let component = Component::new(&engine, include_str!("../../components/plugin.wat"))?;

    // Every import of the world, in one call. The getter gives the host
    // traits' implementation for the store's data; `HasSelf<Host>` says
    // it is the data itself (`&mut Host`).
    let mut linker = Linker::<Host>::new(&engine);
    Plugin::add_to_linker::<Host, HasSelf<Host>>(&mut linker, |host| host)?;

    // `PluginPre`: the imports resolved and the exports type-checked once,
    // for any number of instances.
    let pre = PluginPre::new(linker.instantiate_pre(&component)?)?;

    let mut store = Store::new(&engine, Host::new(&[("suffix", "!")]));
    let plugin = pre.instantiate(&mut store)?;
    println!("loaded plugin `{}`", plugin.call_name(&mut store)?);
    ask(&plugin, &mut store, "hello", 2)?;
    ask(&plugin, &mut store, "", 1)?;
    ask(&plugin, &mut store, "way too long", 10)?;

    // A second instance, in a store of its own with other settings.
    let mut quiet = Store::new(&engine, Host::new(&[]));
    let second = pre.instantiate(&mut quiet)?;
    ask(&second, &mut quiet, "bye", 1)?;

    let warnings = store
        .data()
        .log
        .iter()
        .filter(|(level, _)| *level != Level::Info)
        .count();
    println!(
        "the first plugin logged {} line(s), {warnings} of them warnings or errors",
        store.data().log.len()
    );
    Ok(())
}
