//! A plugin host whose plugins use WASI: the world `greeter`
//! (`examples/wit/wasi-greeter/greeter.wit`) includes `wasi:cli/imports`
//! and exports `greet`. `bindgen!` reuses wit-host-wasi's bindings for
//! everything WASI (`with: { "wasi": ... }`), so the host writes only
//! what is its own; `wit_host_wasi::p2::add_to_linker_sync` provides WASI,
//! sandboxed by the `WasiCtx` of each store.
//!
//! Run it with `cargo run -p wit-host-examples --bin wasi_plugin`.

use wit_host::{Component, Engine, Linker, ResourceTable, Result, Store};
use wit_host_wasi::p2::pipe::MemoryOutputPipe;
use wit_host_wasi::{WasiCtx, WasiCtxView, WasiView};

wit_host::bindgen!({
    path: "wit/wasi-greeter",
    with: { "wasi": wit_host_wasi::p2::bindings },
});

/// One store's state: the WASI context and the table of WASI resources.
struct Host {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for Host {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

fn main() -> Result<()> {
    let engine = Engine::default();
    let component = Component::from_file(&engine, "examples/components/wasi_greeter.wat")
        .or_else(|_| Component::from_file(&engine, "components/wasi_greeter.wat"))?;
    let mut linker = Linker::<Host>::new(&engine);
    wit_host_wasi::p2::add_to_linker_sync(&mut linker)?;
    let pre = GreeterPre::new(linker.instantiate_pre(&component)?)?;

    // One store per plugin run, each with its own sandbox: here the
    // plugin's stdout is captured, and it is granted nothing else.
    for name in ["world", "WASI"] {
        let stdout = MemoryOutputPipe::new(64 * 1024);
        let wasi = WasiCtx::builder().stdout(stdout.clone()).build();
        let mut store = Store::new(
            &engine,
            Host {
                wasi,
                table: ResourceTable::new(),
            },
        );
        let greeter = pre.instantiate(&mut store)?;
        let written = greeter.call_greet(&mut store, name)?;
        let text = String::from_utf8_lossy(&stdout.contents()).into_owned();
        println!("greet({name:?}) wrote {written} bytes: {:?}", text);
    }
    Ok(())
}
