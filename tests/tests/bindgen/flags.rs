//! `imports: { ... }` and `exports: { ... }` flags, end to end with a WAT
//! guest:
//!
//! - `flagged`: keys in every form (`iface.func`, wasmtime's
//!   `iface/func`, `iface#func`, resource functions, world-level
//!   functions), `trappable`, and `store` on an interface function, a
//!   resource method, a resource's destructor and a world-level
//!   function;
//! - `traced`: `tracing` and `verbose_tracing` on imports and exports,
//!   recorded by a small subscriber.

use wit_host::{Access, AsContext, Engine, HasSelf, Linker, Resource, ResourceTable, Store};

use crate::common::{LIBC, OPTS, compile, message};

mod flagged {
    wit_host::bindgen!({
        path: "codegen/e2e-opts.wit",
        imports: {
            "e2e:opts/host.add": store,
            "e2e:opts/host/check": trappable,
            "e2e:opts/host#[method]counter.bump": store | trappable,
            "note": store,
            "e2e:opts/host.[drop]counter": store,
        },
        ownership: Owning,
    });
}

mod traced {
    wit_host::bindgen!({
        path: "codegen/e2e-opts.wit",
        imports: {
            // Interface-wide, then one function more verbose.
            "e2e:opts/host.total": verbose_tracing,
            "e2e:opts/host": tracing,
            default: tracing,
        },
        exports: { "run": verbose_tracing, default: tracing },
        require_store_data_send: true,
    });
}

/// `run(x)`: `note(x)`, `add(x)`, `check` of that, a counter started at
/// that, `bump` it, drop it, return the bump's result. `sum(xs)`:
/// `total(xs)`.
pub(crate) fn guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (import "e2e:opts/host" (instance $host
    (export "counter" (type $counter (sub resource)))
    (export "[constructor]counter" (func (param "start" u32) (result (own $counter))))
    (export "[method]counter.bump" (func (param "self" (borrow $counter)) (result u32)))
    (export "add" (func (param "x" u32) (result u32)))
    (export "check" (func (param "x" u32) (result u32)))
    (export "total" (func (param "xs" (list u32)) (result u32)))))
  (import "note" (func $note (param "x" u32)))
  (alias export $host "counter" (type $counter))
  (core func $new (canon lower (func $host "[constructor]counter")))
  (core func $bump (canon lower (func $host "[method]counter.bump")))
  (core func $drop (canon resource.drop $counter))
  (core func $add (canon lower (func $host "add")))
  (core func $check (canon lower (func $host "check")))
  (core func $total (canon lower (func $host "total") {OPTS}))
  (core func $note (canon lower (func $note)))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "new" (func $new (param i32) (result i32)))
    (import "host" "bump" (func $bump (param i32) (result i32)))
    (import "host" "drop" (func $drop (param i32)))
    (import "host" "add" (func $add (param i32) (result i32)))
    (import "host" "check" (func $check (param i32) (result i32)))
    (import "host" "total" (func $total (param i32 i32) (result i32)))
    (import "host" "note" (func $note (param i32)))
    (func (export "run") (param $x i32) (result i32)
      (local $h i32)
      (local $r i32)
      (call $note (local.get $x))
      (local.set $h (call $new (call $check (call $add (local.get $x)))))
      (local.set $r (call $bump (local.get $h)))
      (call $drop (local.get $h))
      (local.get $r))
    (func (export "sum") (param i32 i32) (result i32)
      (call $total (local.get 0) (local.get 1))))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "new" (func $new))
      (export "bump" (func $bump))
      (export "drop" (func $drop))
      (export "add" (func $add))
      (export "check" (func $check))
      (export "total" (func $total))
      (export "note" (func $note))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $m "run")))
  (func (export "sum") (param "xs" (list u32)) (result u32)
    (canon lift (core func $m "sum") {OPTS})))"#
    )
}

/// The host of both bindings: counters in a table, what happened in
/// `events`.
#[derive(Default)]
pub(crate) struct FlagsHost {
    pub(crate) table: ResourceTable,
    pub(crate) base: u32,
    pub(crate) events: Vec<String>,
}

/// A counter's state.
pub(crate) struct CounterState(pub(crate) u32);

mod flagged_host {
    use super::*;
    use flagged::e2e::opts::host::{self, Counter};

    fn state(r: &Resource<Counter>) -> Resource<CounterState> {
        Resource::new_borrow(r.rep())
    }

    impl host::Host for FlagsHost {
        // `trappable` (key `iface/func`).
        fn check(&mut self, x: u32) -> wit_host::Result<u32> {
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
    }

    // `store` functions: implemented on the `HasData` type, with the
    // store of the call.
    impl<T: 'static> host::HostWithStore<T> for HasSelf<FlagsHost> {
        fn add(mut host: Access<'_, T, Self>, x: u32) -> u32 {
            // The store itself is there too.
            let _engine = host.as_context().engine().clone();
            host.get().base + x
        }
    }

    impl host::HostCounterWithStore<FlagsHost> for HasSelf<FlagsHost> {
        // `store | trappable`, key `iface#[method]…`.
        fn bump(
            mut host: Access<'_, FlagsHost, Self>,
            self_: Resource<Counter>,
        ) -> wit_host::Result<u32> {
            // `FlagsHost` is the store's data: reachable directly.
            let data = host.data_mut();
            let c = data.table.get_mut(&state(&self_))?;
            c.0 += 1;
            Ok(c.0)
        }

        // `[drop]counter` flagged `store`.
        fn drop(
            mut host: Access<'_, FlagsHost, Self>,
            rep: Resource<Counter>,
        ) -> wit_host::Result<()> {
            let data = host.data_mut();
            let c = data
                .table
                .delete(Resource::<CounterState>::new_own(rep.rep()))?;
            data.events.push(format!("drop {}", c.0));
            Ok(())
        }
    }

    impl flagged::OptsImports for FlagsHost {}

    impl<T: 'static> flagged::OptsImportsWithStore<T> for HasSelf<FlagsHost> {
        fn note(mut host: Access<'_, T, Self>, x: u32) {
            host.get().events.push(format!("note {x}"));
        }
    }
}

/// `store` functions get the store and the host; `trappable` ones trap.
#[test]
fn store_and_trappable_imports() {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let mut linker = Linker::new(&engine);
    flagged::Opts::add_to_linker::<_, HasSelf<FlagsHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(
        &engine,
        FlagsHost {
            base: 10,
            ..FlagsHost::default()
        },
    );
    let f = flagged::Opts::instantiate(&mut store, &component, &linker).unwrap();
    // note(5), add: 15, check: 15, counter(15), bump: 16.
    assert_eq!(f.call_run(&mut store, 5).unwrap(), 16);
    assert_eq!(store.data().events, ["note 5", "drop 16"]);
    // add: 110 > 100: `check` traps.
    let err = f.call_run(&mut store, 100).unwrap_err();
    assert!(message(&err).contains("too big"), "{err:?}");
}

mod traced_host {
    use super::*;
    use traced::e2e::opts::host::{self, Counter};

    impl host::Host for FlagsHost {
        fn add(&mut self, x: u32) -> u32 {
            self.base + x
        }

        fn check(&mut self, x: u32) -> u32 {
            x
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

        fn bump(&mut self, self_: Resource<Counter>) -> u32 {
            let c = self
                .table
                .get_mut(&Resource::<CounterState>::new_borrow(self_.rep()))
                .unwrap();
            c.0 += 1;
            c.0
        }

        fn drop(&mut self, rep: Resource<Counter>) -> wit_host::Result<()> {
            self.table
                .delete(Resource::<CounterState>::new_own(rep.rep()))?;
            Ok(())
        }
    }

    impl traced::OptsImports for FlagsHost {
        fn note(&mut self, x: u32) {
            self.events.push(format!("note {x}"));
        }
    }
}

/// A subscriber that records spans (with their fields) and events (with
/// their fields and the span they are in) as lines of text.
pub(crate) mod recorder {
    use std::sync::{Arc, Mutex};

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Metadata, Subscriber};

    #[derive(Default)]
    struct State {
        spans: Vec<String>,
        stack: Vec<u64>,
        lines: Vec<String>,
    }

    /// Records into `lines`.
    #[derive(Clone, Default)]
    pub struct Recorder {
        state: Arc<Mutex<State>>,
    }

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            if field.name() == "message" {
                self.0 = format!("{value:?}{}", self.0);
            } else {
                self.0.push_str(&format!(" {}={value:?}", field.name()));
            }
        }
    }

    impl Recorder {
        /// The recorded lines.
        pub fn lines(&self) -> Vec<String> {
            self.state.lock().unwrap().lines.clone()
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut fields = Fields(span.metadata().name().to_string());
            span.record(&mut fields);
            let mut state = self.state.lock().unwrap();
            state.spans.push(fields.0);
            Id::from_u64(state.spans.len() as u64)
        }

        fn record(&self, _: &Id, _: &Record<'_>) {}

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            let mut state = self.state.lock().unwrap();
            let within = match state.stack.last() {
                Some(id) => state.spans[*id as usize - 1].clone(),
                None => "-".into(),
            };
            state.lines.push(format!("[{within}] {}", fields.0));
        }

        fn enter(&self, span: &Id) {
            self.state.lock().unwrap().stack.push(span.into_u64());
        }

        fn exit(&self, _: &Id) {
            self.state.lock().unwrap().stack.pop();
        }
    }
}

/// `tracing` records a span per call with events for the call and its
/// return; lists show as `"..."` unless `verbose_tracing`.
#[test]
fn tracing_imports() {
    let engine = Engine::default();
    let component = compile(&engine, &guest());
    let mut linker = Linker::new(&engine);
    traced::Opts::add_to_linker::<_, HasSelf<FlagsHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, FlagsHost::default());
    let f = traced::Opts::instantiate(&mut store, &component, &linker).unwrap();
    let recorder = recorder::Recorder::default();
    tracing::subscriber::with_default(recorder.clone(), || {
        assert_eq!(f.call_run(&mut store, 2).unwrap(), 3);
        assert_eq!(f.call_sum(&mut store, &[1, 2, 3]).unwrap(), 6);
    });
    let host = r#"wit-bindgen import module="e2e:opts/host""#;
    let world = r#"wit-bindgen import module="opts""#;
    let expected = [
        format!(r#"[{world} function="note"] call x=2"#),
        format!(r#"[{world} function="note"] return result=()"#),
        format!(r#"[{host} function="add"] call x=2"#),
        format!(r#"[{host} function="add"] return result=2"#),
        format!(r#"[{host} function="check"] call x=2"#),
        format!(r#"[{host} function="check"] return result=2"#),
        format!(r#"[{host} function="[constructor]counter"] call start=2"#),
    ];
    let lines = recorder.lines();
    let imports: Vec<String> = lines
        .iter()
        .filter(|l| l.contains("wit-bindgen import"))
        .cloned()
        .collect();
    assert_eq!(imports[..expected.len()], expected, "{lines:#?}");
    let rest = lines.join("\n");
    for line in [
        format!(r#"[{host} function="[constructor]counter"] return result=Resource {{"#),
        format!(r#"[{host} function="[method]counter.bump"] return result=3"#),
        format!(r#"[{host} function="[drop]counter"] call rep=0"#),
        format!(r#"[{host} function="[drop]counter"] return result=Ok(())"#),
        // `verbose_tracing`: the list in full.
        format!(r#"[{host} function="total"] call xs=[1, 2, 3]"#),
        format!(r#"[{host} function="total"] return result=6"#),
        // Exports: `run` verbose, `sum` not (its list is "...").
        r#"[wit-bindgen export module="opts" function="run"] call x=2"#.into(),
        r#"[wit-bindgen export module="opts" function="run"] return result=3"#.into(),
        r#"[wit-bindgen export module="opts" function="sum"] call xs="...""#.into(),
        r#"[wit-bindgen export module="opts" function="sum"] return result=6"#.into(),
    ] {
        assert!(rest.contains(&line), "no {line} in {rest}");
    }
}
