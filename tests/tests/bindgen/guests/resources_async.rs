//! The `resources` guest (`tests/guests/resources/resources.c`) through
//! bindings generated with `async` imports and exports, on tokio: the
//! host's `logger` implemented by methods returning futures that yield to
//! the executor (constructor, `log` with the store, destructor), the
//! guest's `counter` driven through `async fn call_…` and
//! `resource_drop_async`. `log` calls back into a second instance of the
//! guest from inside the import (a nested `call_async`).

use std::time::Duration;

use crate::common::block_on;
use crate::guests_common::{RESOURCES, load};
use wit_host::{Access, HasSelf, Linker, Resource, ResourceTable, Store};

/// The bindings: everything async; `log` gets the store.
mod bindings {
    wit_host::bindgen!({
        path: "guests/resources/world.wit",
        with: { "test:resources/host-log/logger": crate::guests::resources_async::LoggerState },
        imports: {
            "test:resources/host-log.[method]logger.log": async | store,
            default: async,
        },
        exports: { default: async },
    });
}

use bindings::exports::test::resources::counters::Guest;

/// The state of one host `logger`.
pub struct LoggerState {
    prefix: String,
    logged: u32,
}

/// The host's state.
#[derive(Default)]
struct Host {
    table: ResourceTable,
    lines: Vec<String>,
    dropped: Vec<String>,
    /// Another instance of the guest, which `log` asks how many counters
    /// it destroyed (a call into it from inside the import).
    other: Option<bindings::Resources>,
}

/// Lets other tasks run, as a real asynchronous host function would.
async fn pause() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

impl bindings::test::resources::host_log::HostLogger for Host {
    async fn new(&mut self, prefix: String) -> Resource<LoggerState> {
        pause().await;
        self.table
            .push(LoggerState { prefix, logged: 0 })
            .expect("push a logger")
    }

    async fn drop(&mut self, rep: Resource<LoggerState>) -> wit_host::Result<()> {
        pause().await;
        let state = self.table.delete(rep)?;
        self.dropped.push(state.prefix);
        Ok(())
    }
}

impl bindings::test::resources::host_log::HostLoggerWithStore<Host> for HasSelf<Host> {
    async fn log(
        mut host: Access<'_, Host, Self>,
        self_: Resource<LoggerState>,
        msg: String,
    ) -> u32 {
        pause().await;
        // A nested asynchronous call into another instance.
        let other_destroyed = match host.data_mut().other.take() {
            Some(other) => {
                let n = other
                    .test_resources_counters()
                    .call_destroyed(&mut host)
                    .await
                    .expect("the nested call");
                host.data_mut().other = Some(other);
                format!(" ({n} destroyed elsewhere)")
            }
            None => String::new(),
        };
        let data = host.data_mut();
        let state = data.table.get_mut(&self_).expect("a live logger");
        state.logged += 1;
        let line = format!("{}{msg}{other_destroyed}", state.prefix);
        let logged = state.logged;
        data.lines.push(line);
        logged
    }
}

impl bindings::test::resources::host_log::Host for Host {}

/// A store, a linker with the generated async imports, and the guest.
fn setup() -> Option<(Store<Host>, Linker<Host>, wit_host::Component)> {
    let (engine, component) = load(RESOURCES)?;
    let mut linker = Linker::new(&engine);
    bindings::Resources::add_to_linker::<_, HasSelf<Host>>(&mut linker, |h| h)
        .expect("add the generated imports");
    Some((Store::new(&engine, Host::default()), linker, component))
}

/// The guest's `log-once` runs the three async imports (constructor,
/// method, destructor) on its fiber; a synchronous instantiation is
/// refused.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn async_imports_run_on_the_guests_fiber() {
    let Some((mut store, linker, component)) = setup() else {
        return;
    };
    let e = bindings::Resources::instantiate(&mut store, &component, &linker)
        .err()
        .expect("a component importing async functions needs instantiate_async");
    assert!(format!("{e:#}").contains("instantiate_async"), "{e:#}");
    block_on(async {
        let r = bindings::Resources::instantiate_async(&mut store, &component, &linker)
            .await
            .unwrap();
        let counters = r.test_resources_counters();
        let logged = counters
            .call_log_once(&mut store, "> ", "hi ✓")
            .await
            .unwrap();
        assert_eq!(logged, 1);
        assert_eq!(store.data().lines, ["> hi ✓"]);
        assert_eq!(store.data().dropped, ["> "]);
        assert!(store.data().table.is_empty(), "the logger is still there");
    });
}

/// Counters through `async fn call_…`: constructor, methods, an owned
/// handle moved into the guest, `resource_drop_async` (the synchronous
/// drop is refused and keeps the handle).
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn async_exports_and_guest_resources() {
    let Some((mut store, linker, component)) = setup() else {
        return;
    };
    block_on(async {
        let r = bindings::Resources::instantiate_async(&mut store, &component, &linker)
            .await
            .unwrap();
        let counters: &Guest = r.test_resources_counters();
        let c = counters
            .counter()
            .call_constructor(&mut store, 40)
            .await
            .unwrap();
        counters
            .counter()
            .call_increment(&mut store, &c, 2)
            .await
            .unwrap();
        assert_eq!(
            counters.counter().call_value(&mut store, &c).await.unwrap(),
            42
        );
        let d = counters
            .counter()
            .call_constructor(&mut store, 7)
            .await
            .unwrap();
        assert_eq!(counters.call_total(&mut store, &c, &d).await.unwrap(), 49);
        assert_eq!(counters.call_finish(&mut store, d).await.unwrap(), 7);
        assert_eq!(counters.call_destroyed(&mut store).await.unwrap(), 1);
        // Synchronously: refused, the handle is kept.
        let same = wit_host::ResourceAny::clone(c.as_resource_any());
        let e = bindings::exports::test::resources::counters::Counter::from_resource_any(same)
            .resource_drop(&mut store)
            .unwrap_err();
        assert!(format!("{e:#}").contains("async"), "{e:#}");
        c.resource_drop_async(&mut store).await.unwrap();
        assert_eq!(counters.call_destroyed(&mut store).await.unwrap(), 2);
    });
}

/// An async import (`log`, flagged `store`) calls into another instance
/// of the guest with `call_async` while the first one waits for it.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn an_async_import_calls_another_instance() {
    let Some((mut store, linker, component)) = setup() else {
        return;
    };
    block_on(async {
        let other = bindings::Resources::instantiate_async(&mut store, &component, &linker)
            .await
            .unwrap();
        // Two counters destroyed in the other instance.
        for start in [1, 2] {
            let c = other
                .test_resources_counters()
                .counter()
                .call_constructor(&mut store, start)
                .await
                .unwrap();
            other
                .test_resources_counters()
                .call_finish(&mut store, c)
                .await
                .unwrap();
        }
        store.data_mut().other = Some(other);
        let r = bindings::Resources::instantiate_async(&mut store, &component, &linker)
            .await
            .unwrap();
        let logged = r
            .test_resources_counters()
            .call_log_once(&mut store, "* ", "nested")
            .await
            .unwrap();
        assert_eq!(logged, 1);
        assert_eq!(store.data().lines, ["* nested (2 destroyed elsewhere)"]);
    });
}

/// The generated futures are `Send`: a call completes on a multi-thread
/// runtime, which may move it between threads at every await.
#[test]
#[cfg_attr(
    guests_skipped,
    ignore = "the C guest components were not built (see the build warning)"
)]
fn generated_futures_are_send() {
    let Some((mut store, linker, component)) = setup() else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let lines = runtime
        .block_on(runtime.spawn(async move {
            let r = bindings::Resources::instantiate_async(&mut store, &component, &linker)
                .await
                .unwrap();
            r.test_resources_counters()
                .call_log_once(&mut store, "", "sent")
                .await
                .unwrap();
            store.into_data().lines
        }))
        .unwrap();
    assert_eq!(lines, ["sent"]);
}
