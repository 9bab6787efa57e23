//! The `async` flag of `imports: { ... }` and `exports: { ... }`, per
//! function and combined with `store`, `trappable` and `tracing`, end to
//! end with the WAT guest of [`super::flags`] on tokio: async and sync
//! host functions in one world, `async fn call_…` next to a synchronous
//! `call_…` (refused on the asynchronous store), a trappable async import
//! trapping, spans around futures.

use wit_host::{Access, Engine, HasSelf, Linker, Resource, Store};

use super::flags::{CounterState, FlagsHost, guest, recorder::Recorder};
use crate::common::{block_on, compile, message};

mod bindings {
    wit_host::bindgen!({
        path: "codegen/e2e-opts.wit",
        imports: {
            "e2e:opts/host.add": async | store,
            "e2e:opts/host.check": async | trappable | tracing,
            "e2e:opts/host.[method]counter.bump": async,
            "e2e:opts/host.[drop]counter": async | store | tracing,
            "note": async,
            // `total` and the constructor stay synchronous.
        },
        exports: { "run": async | tracing },
    });
}

use bindings::e2e::opts::host::{self, Counter};

/// Lets other tasks run.
async fn pause() {
    tokio::task::yield_now().await;
}

fn state(r: &Resource<Counter>) -> Resource<CounterState> {
    Resource::new_borrow(r.rep())
}

impl host::Host for FlagsHost {
    async fn check(&mut self, x: u32) -> wit_host::Result<u32> {
        pause().await;
        if x > 100 {
            return Err(wit_host::Error::msg("too big"));
        }
        Ok(x)
    }

    fn total(&mut self, xs: Vec<u32>) -> u32 {
        xs.iter().sum()
    }
}

impl host::HostCounter for FlagsHost {
    fn new(&mut self, start: u32) -> Resource<Counter> {
        let r = self.table.push(CounterState(start)).unwrap();
        Resource::new_own(r.rep())
    }

    async fn bump(&mut self, self_: Resource<Counter>) -> u32 {
        pause().await;
        let c = self.table.get_mut(&state(&self_)).unwrap();
        c.0 += 1;
        c.0
    }
}

impl<T: Send + 'static> host::HostWithStore<T> for HasSelf<FlagsHost> {
    async fn add(mut host: Access<'_, T, Self>, x: u32) -> u32 {
        pause().await;
        host.get().base + x
    }
}

impl host::HostCounterWithStore<FlagsHost> for HasSelf<FlagsHost> {
    async fn drop(
        mut host: Access<'_, FlagsHost, Self>,
        rep: Resource<Counter>,
    ) -> wit_host::Result<()> {
        pause().await;
        let data = host.data_mut();
        let c = data
            .table
            .delete(Resource::<CounterState>::new_own(rep.rep()))?;
        data.events.push(format!("drop {}", c.0));
        Ok(())
    }
}

impl bindings::OptsImports for FlagsHost {
    async fn note(&mut self, x: u32) {
        pause().await;
        self.events.push(format!("note {x}"));
    }
}

/// Async and sync imports in one call; a sync export refused; a
/// trappable async import traps; spans and events around the futures.
#[test]
fn async_flags_per_function() {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let mut linker = Linker::new(&engine);
    bindings::Opts::add_to_linker::<_, HasSelf<FlagsHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(
        &engine,
        FlagsHost {
            base: 10,
            ..FlagsHost::default()
        },
    );
    let recorder = Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        block_on(async {
            let f = bindings::Opts::instantiate_async(&mut store, &component, &linker)
                .await
                .unwrap();
            // note(5), add: 15, check: 15, counter(15), bump: 16, drop.
            assert_eq!(f.call_run(&mut store, 5).await.unwrap(), 16);
            assert_eq!(store.data().events, ["note 5", "drop 16"]);
            // `sum` is not flagged `async`: its synchronous call is refused
            // on the asynchronous store, and changes nothing.
            let e = f.call_sum(&mut store, &[1, 2, 3]).unwrap_err();
            assert!(message(&e).contains("async"), "{e:?}");
            // add: 110 > 100: the async `check` traps.
            let e = f.call_run(&mut store, 100).await.unwrap_err();
            assert!(message(&e).contains("too big"), "{e:?}");
        });
    });
    let lines = recorder.lines().join("\n");
    let host = r#"wit-bindgen import module="e2e:opts/host""#;
    for line in [
        format!(r#"[{host} function="check"] call x=15"#),
        format!(r#"[{host} function="check"] return result=Ok(15)"#),
        format!(r#"[{host} function="[drop]counter"] call rep=0"#),
        format!(r#"[{host} function="[drop]counter"] return result=Ok(())"#),
        r#"[wit-bindgen export module="opts" function="run"] call x=5"#.into(),
        r#"[wit-bindgen export module="opts" function="run"] return result=16"#.into(),
        r#"[wit-bindgen export module="opts" function="run"] call x=100"#.into(),
    ] {
        assert!(lines.contains(&line), "no {line} in {lines}");
    }
    // Functions not flagged `tracing` record nothing.
    assert!(!lines.contains(r#"function="add""#), "{lines}");
}
