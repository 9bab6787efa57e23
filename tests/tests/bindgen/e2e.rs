//! Hosts using `wit_host::bindgen!` bindings with real components (in
//! WAT):
//!
//! - `values`: world-level and interface imports and exports with strings,
//!   records, variants, lists, options and results; the host is
//!   `HasSelf<ValuesHost>`;
//! - `res`: a host resource (`logger`, kept in a `ResourceTable`) and an
//!   exported guest resource (`counter`); the host is a view borrowing two
//!   fields of the store's data (`HasData`);
//! - the checks: export types once per `…Pre`, import types at
//!   instantiation.

use crate::common::{LIBC, OPTS, compile, message};
use wit_host::{Engine, HasSelf, Linker, Store};

mod values {
    wit_host::bindgen!({
        inline: r#"
            package e2e:values;

            interface types {
                record point { x: s32, y: s32 }
                variant fault { missing(string), bad }
                variant shape { circle(u32), rect(point), empty }
            }

            interface host {
                use types.{point, fault};
                greet: func(name: string) -> string;
                scale: func(p: point, k: s32) -> point;
                find: func(key: string) -> result<option<string>, fault>;
                sum: func(xs: list<u32>) -> u32;
            }

            interface api {
                use types.{point, fault, shape};
                describe: func(name: string) -> string;
                move-it: func(p: point) -> point;
                lookup: func(key: string) -> result<option<string>, fault>;
                total: func(xs: list<u32>) -> u32;
                area: func(s: shape) -> u32;
            }

            world values {
                import host;
                import log: func(msg: string);
                export api;
                export run: func(name: string) -> string;
                export names: func() -> list<string>;
            }
        "#,
    });
}

fn values_guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (import "e2e:values/host" (instance $host
    (type $point' (record (field "x" s32) (field "y" s32)))
    (export "point" (type $point (eq $point')))
    (type $fault' (variant (case "missing" string) (case "bad")))
    (export "fault" (type $fault (eq $fault')))
    (export "greet" (func (param "name" string) (result string)))
    (export "scale" (func (param "p" $point) (param "k" s32) (result $point)))
    (export "find" (func (param "key" string) (result (result (option string) (error $fault)))))
    (export "sum" (func (param "xs" (list u32)) (result u32)))))
  (import "log" (func $log (param "msg" string)))
  (alias export $host "point" (type $point))
  (alias export $host "fault" (type $fault))
  (core func $greet (canon lower (func $host "greet") {OPTS}))
  (core func $scale (canon lower (func $host "scale") {OPTS}))
  (core func $find (canon lower (func $host "find") {OPTS}))
  (core func $sum (canon lower (func $host "sum") {OPTS}))
  (core func $log (canon lower (func $log) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "greet" (func $greet (param i32 i32 i32)))
    (import "host" "scale" (func $scale (param i32 i32 i32 i32)))
    (import "host" "find" (func $find (param i32 i32 i32)))
    (import "host" "sum" (func $sum (param i32 i32) (result i32)))
    (import "host" "log" (func $log (param i32 i32)))
    (data (i32.const 160) "\c8\00\00\00\01\00\00\00\d0\00\00\00\02\00\00\00")
    (data (i32.const 200) "a")
    (data (i32.const 208) "bc")
    (func (export "describe") (param i32 i32) (result i32)
      (call $greet (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64))
    (func (export "move-it") (param i32 i32) (result i32)
      (call $scale (local.get 0) (local.get 1) (i32.const 2) (i32.const 64))
      (i32.const 64))
    (func (export "lookup") (param i32 i32) (result i32)
      (call $find (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64))
    (func (export "total") (param i32 i32) (result i32)
      (call $sum (local.get 0) (local.get 1)))
    (func (export "area") (param i32 i32 i32) (result i32)
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.mul (i32.mul (local.get 1) (local.get 1)) (i32.const 3)))
        (else (if (result i32) (i32.eq (local.get 0) (i32.const 1))
          (then (i32.mul (local.get 1) (local.get 2)))
          (else (i32.const 0))))))
    (func (export "run") (param i32 i32) (result i32)
      (call $log (local.get 0) (local.get 1))
      (call $greet (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64))
    (func (export "names") (result i32)
      (i32.store (i32.const 64) (i32.const 160))
      (i32.store (i32.const 68) (i32.const 2))
      (i32.const 64)))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "host" (instance
      (export "greet" (func $greet))
      (export "scale" (func $scale))
      (export "find" (func $find))
      (export "sum" (func $sum))
      (export "log" (func $log))))))
  (type $shape (variant (case "circle" u32) (case "rect" $point) (case "empty")))
  (func $describe (param "name" string) (result string)
    (canon lift (core func $m "describe") {OPTS}))
  (func $move-it (param "p" $point) (result $point)
    (canon lift (core func $m "move-it") {OPTS}))
  (func $lookup (param "key" string) (result (result (option string) (error $fault)))
    (canon lift (core func $m "lookup") {OPTS}))
  (func $total (param "xs" (list u32)) (result u32)
    (canon lift (core func $m "total") {OPTS}))
  (func $area (param "s" $shape) (result u32)
    (canon lift (core func $m "area")))
  (instance $api
    (export "point" (type $point))
    (export "fault" (type $fault))
    (export "shape" (type $shape))
    (export "describe" (func $describe))
    (export "move-it" (func $move-it))
    (export "lookup" (func $lookup))
    (export "total" (func $total))
    (export "area" (func $area)))
  (export "e2e:values/api" (instance $api))
  (func (export "run") (param "name" string) (result string)
    (canon lift (core func $m "run") {OPTS}))
  (func (export "names") (result (list string))
    (canon lift (core func $m "names") {OPTS})))"#
    )
}

use values::e2e::values::types::{Fault, Point};
use values::exports::e2e::values::api::Shape;

#[derive(Default)]
struct ValuesHost {
    log: Vec<String>,
}

impl values::e2e::values::types::Host for ValuesHost {}

impl values::e2e::values::host::Host for ValuesHost {
    fn greet(&mut self, name: String) -> String {
        format!("hello, {name}")
    }
    fn scale(&mut self, p: Point, k: i32) -> Point {
        Point {
            x: p.x * k,
            y: p.y * k,
        }
    }
    fn find(&mut self, key: String) -> Result<Option<String>, Fault> {
        match key.as_str() {
            "a" => Ok(Some("alpha".into())),
            "none" => Ok(None),
            "bad" => Err(Fault::Bad),
            _ => Err(Fault::Missing(key)),
        }
    }
    fn sum(&mut self, xs: Vec<u32>) -> u32 {
        xs.iter().sum()
    }
}

impl values::ValuesImports for ValuesHost {
    fn log(&mut self, msg: String) {
        self.log.push(msg);
    }
}

#[test]
fn values_round_trip() {
    let engine = Engine::default();
    let component = compile(&engine, &values_guest());
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, ValuesHost::default());
    let v = values::Values::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(v.call_run(&mut store, "world").unwrap(), "hello, world");
    assert_eq!(store.data().log, ["world"]);
    assert_eq!(v.call_names(&mut store).unwrap(), ["a", "bc"]);
    let api = v.e2e_values_api();
    assert_eq!(api.call_describe(&mut store, "x").unwrap(), "hello, x");
    assert_eq!(
        api.call_move_it(&mut store, Point { x: 1, y: -2 }).unwrap(),
        Point { x: 2, y: -4 }
    );
    assert_eq!(
        api.call_lookup(&mut store, "a").unwrap(),
        Ok(Some("alpha".to_string()))
    );
    assert_eq!(api.call_lookup(&mut store, "none").unwrap(), Ok(None));
    assert_eq!(api.call_lookup(&mut store, "bad").unwrap(), Err(Fault::Bad));
    assert_eq!(
        api.call_lookup(&mut store, "zz").unwrap(),
        Err(Fault::Missing("zz".into()))
    );
    assert_eq!(api.call_total(&mut store, &[1, 2, 3]).unwrap(), 6);
    assert_eq!(api.call_area(&mut store, Shape::Circle(2)).unwrap(), 12);
    assert_eq!(
        api.call_area(&mut store, Shape::Rect(Point { x: 3, y: 4 }))
            .unwrap(),
        12
    );
    assert_eq!(api.call_area(&mut store, Shape::Empty).unwrap(), 0);
}

mod res {
    wit_host::bindgen!({ path: "codegen/e2e-res.wit" });
}

/// The same world with the host's own type for the logger resource: its
/// handles are `Resource<LoggerState>`, what the `ResourceTable` gives.
mod res_with {
    wit_host::bindgen!({
        path: "codegen/e2e-res.wit",
        with: { "e2e:res/logging/logger": crate::e2e::LoggerState },
    });
}

fn res_guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (import "e2e:res/logging" (instance $logging
    (export "logger" (type $logger (sub resource)))
    (export "[constructor]logger" (func (param "prefix" string) (result (own $logger))))
    (export "[method]logger.log" (func (param "self" (borrow $logger)) (param "msg" string) (result u32)))
    (export "[static]logger.count" (func (result u32)))
    (export "take" (func (param "l" (own $logger)) (result string)))))
  (alias export $logging "logger" (type $logger))
  (core func $new (canon lower (func $logging "[constructor]logger") {OPTS}))
  (core func $log (canon lower (func $logging "[method]logger.log") {OPTS}))
  (core func $count (canon lower (func $logging "[static]logger.count")))
  (core func $take (canon lower (func $logging "take") {OPTS}))
  (core func $drop (canon resource.drop $logger))
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
    (import "log" "new" (func $new (param i32 i32) (result i32)))
    (import "log" "log" (func $log (param i32 i32 i32) (result i32)))
    (import "log" "count" (func $count (result i32)))
    (import "log" "take" (func $take (param i32 i32)))
    (import "log" "drop" (func $drop (param i32)))
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
    (func (export "destroyed") (result i32) (global.get $destroyed))
    (func (export "use-logger") (param $p i32) (param $pl i32) (param $m i32) (param $ml i32) (result i32)
      (local $h i32)
      (local $n i32)
      (local.set $h (call $new (local.get $p) (local.get $pl)))
      (drop (call $log (local.get $h) (local.get $m) (local.get $ml)))
      (local.set $n (call $log (local.get $h) (local.get $m) (local.get $ml)))
      (call $drop (local.get $h))
      (local.get $n))
    (func (export "hand-over") (param i32 i32) (result i32)
      (call $take (call $new (local.get 0) (local.get 1)) (i32.const 64))
      (i32.const 64))
    (func (export "loggers") (result i32) (call $count)))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "dtor" (instance $d))
    (with "log" (instance
      (export "new" (func $new))
      (export "log" (func $log))
      (export "count" (func $count))
      (export "take" (func $take))
      (export "drop" (func $drop))))
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
    (import "destroyed" (func $destroyed (result u32)))
    (export $e "counter" (type $c))
    (export "[constructor]counter" (func $ctor) (func (param "start" u32) (result (own $e))))
    (export "[method]counter.get" (func $get) (func (param "self" (borrow $e)) (result u32)))
    (export "[method]counter.add" (func $add) (func (param "self" (borrow $e)) (param "n" u32)))
    (export "[static]counter.made" (func $made))
    (export "consume" (func $consume) (func (param "c" (own $e)) (result u32)))
    (export "destroyed" (func $destroyed)))
  (instance $counters (instantiate $Counters
    (with "counter-impl" (type $counter))
    (with "ctor" (func $ctor))
    (with "get" (func $get))
    (with "add" (func $add))
    (with "made" (func $made))
    (with "consume" (func $consume))
    (with "destroyed" (func $destroyed))))
  (export "e2e:res/counters" (instance $counters))
  (func (export "use-logger") (param "prefix" string) (param "msg" string) (result u32)
    (canon lift (core func $m "use-logger") {OPTS}))
  (func (export "hand-over") (param "prefix" string) (result string)
    (canon lift (core func $m "hand-over") {OPTS}))
  (func (export "loggers") (result u32) (canon lift (core func $m "loggers"))))"#
    )
}

use res::e2e::res::logging::{HostLogger, Logger};
use wit_host::{HasData, Resource, ResourceTable};

/// A logger's state, in the host's table.
struct LoggerState {
    prefix: String,
    lines: Vec<String>,
}

/// The store's data: the host state is spread over two fields.
#[derive(Default)]
struct Ctx {
    table: ResourceTable,
    events: Vec<String>,
}

/// What the host traits are implemented on: borrows of both fields.
struct View<'a> {
    table: &'a mut ResourceTable,
    events: &'a mut Vec<String>,
}

struct ViewData;
impl HasData for ViewData {
    type Data<'a> = View<'a>;
}

fn state(r: &Resource<Logger>) -> Resource<LoggerState> {
    Resource::new_borrow(r.rep())
}

impl HostLogger for View<'_> {
    fn new(&mut self, prefix: String) -> Resource<Logger> {
        self.events.push(format!("new {prefix}"));
        let r = self
            .table
            .push(LoggerState {
                prefix,
                lines: Vec::new(),
            })
            .unwrap();
        Resource::new_own(r.rep())
    }
    fn log(&mut self, self_: Resource<Logger>, msg: String) -> u32 {
        assert!(!self_.owned());
        let state = self.table.get_mut(&state(&self_)).unwrap();
        self.events.push(format!("{}: {msg}", state.prefix));
        state.lines.push(msg);
        state.lines.len() as u32
    }
    fn count(&mut self) -> u32 {
        self.events.len() as u32
    }
    fn drop(&mut self, rep: Resource<Logger>) -> wit_host::Result<()> {
        let state = self
            .table
            .delete(Resource::<LoggerState>::new_own(rep.rep()))?;
        self.events.push(format!("drop {}", state.prefix));
        Ok(())
    }
}

impl res::e2e::res::logging::Host for View<'_> {
    fn take(&mut self, l: Resource<Logger>) -> String {
        assert!(l.owned());
        let state = self
            .table
            .delete(Resource::<LoggerState>::new_own(l.rep()))
            .unwrap();
        self.events.push(format!("take {}", state.prefix));
        format!("{} had {} lines", state.prefix, state.lines.len())
    }
}

fn res_setup() -> (Store<Ctx>, res::Res) {
    let engine = Engine::default();
    let component = compile(&engine, &res_guest());
    let mut linker = Linker::new(&engine);
    res::Res::add_to_linker::<Ctx, ViewData>(&mut linker, |c| View {
        table: &mut c.table,
        events: &mut c.events,
    })
    .unwrap();
    let mut store = Store::new(&engine, Ctx::default());
    let pre = res::ResPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
    let r = pre.instantiate(&mut store).unwrap();
    (store, r)
}

#[test]
fn host_resource() {
    let (mut store, r) = res_setup();
    assert_eq!(r.call_use_logger(&mut store, "app", "hi").unwrap(), 2);
    assert_eq!(
        store.data().events,
        ["new app", "app: hi", "app: hi", "drop app"]
    );
    assert_eq!(
        r.call_hand_over(&mut store, "lib").unwrap(),
        "lib had 0 lines"
    );
    assert_eq!(r.call_loggers(&mut store).unwrap(), 6);
}

#[test]
fn guest_resource() {
    let (mut store, r) = res_setup();
    let counters = r.e2e_res_counters();
    let c = counters.counter().call_constructor(&mut store, 5).unwrap();
    counters.counter().call_add(&mut store, &c, 3).unwrap();
    assert_eq!(counters.counter().call_get(&mut store, &c).unwrap(), 8);
    let d = counters.counter().call_constructor(&mut store, 1).unwrap();
    assert_eq!(counters.counter().call_made(&mut store).unwrap(), 2);
    assert_eq!(counters.call_consume(&mut store, c).unwrap(), 8);
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 1);
    d.resource_drop(&mut store).unwrap();
    assert_eq!(counters.call_destroyed(&mut store).unwrap(), 2);
}

/// A host of `res_with`: the same as the `View` host, without converting
/// handles, since the bindings' logger *is* `LoggerState`.
struct TableHost {
    table: ResourceTable,
    events: Vec<String>,
}

impl res_with::e2e::res::logging::HostLogger for TableHost {
    fn new(&mut self, prefix: String) -> Resource<LoggerState> {
        self.events.push(format!("new {prefix}"));
        self.table
            .push(LoggerState {
                prefix,
                lines: Vec::new(),
            })
            .unwrap()
    }
    fn log(&mut self, self_: Resource<LoggerState>, msg: String) -> u32 {
        let state = self.table.get_mut(&self_).unwrap();
        state.lines.push(msg);
        state.lines.len() as u32
    }
    fn count(&mut self) -> u32 {
        self.events.len() as u32
    }
    fn drop(&mut self, rep: Resource<LoggerState>) -> wit_host::Result<()> {
        let state = self.table.delete(rep)?;
        self.events.push(format!("drop {}", state.prefix));
        Ok(())
    }
}

impl res_with::e2e::res::logging::Host for TableHost {
    fn take(&mut self, l: Resource<LoggerState>) -> String {
        let state = self.table.delete(l).unwrap();
        format!("{} had {} lines", state.prefix, state.lines.len())
    }
}

#[test]
fn with_maps_a_resource_to_the_hosts_type() {
    // The generated name is an alias of the host's type.
    let _: fn(res_with::e2e::res::logging::Logger) -> LoggerState = |l| l;
    let engine = Engine::default();
    let component = compile(&engine, &res_guest());
    let mut linker = Linker::new(&engine);
    res_with::Res::add_to_linker::<_, HasSelf<TableHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(
        &engine,
        TableHost {
            table: ResourceTable::new(),
            events: Vec::new(),
        },
    );
    let r = res_with::Res::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(r.call_use_logger(&mut store, "app", "hi").unwrap(), 2);
    assert_eq!(store.data().events, ["new app", "drop app"]);
    assert_eq!(
        r.call_hand_over(&mut store, "lib").unwrap(),
        "lib had 0 lines"
    );
}

/// One `…Pre` instantiates any number of times, in any number of stores.
#[test]
fn pre_instantiates_many_times() {
    let engine = Engine::default();
    let component = compile(&engine, &values_guest());
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h).unwrap();
    let pre = values::ValuesPre::new(linker.instantiate_pre(&component).unwrap()).unwrap();
    for i in 0..3 {
        let mut store = Store::new(&engine, ValuesHost::default());
        let v = pre.instantiate(&mut store).unwrap();
        let name = format!("n{i}");
        assert_eq!(
            v.call_run(&mut store, &name).unwrap(),
            format!("hello, {name}")
        );
        assert_eq!(store.data().log, [name]);
    }
}

/// A component whose export has another type than the world says fails
/// when the `…Pre` is made, naming the export.
#[test]
fn export_type_mismatch_is_reported_once_up_front() {
    let engine = Engine::default();
    let wat = values_guest().replace(
        r#"(func (export "names") (result (list string))"#,
        r#"(func (export "names") (result (list u32))"#,
    );
    let component = compile(&engine, &wat);
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h).unwrap();
    let err = values::ValuesPre::new(linker.instantiate_pre(&component).unwrap())
        .err()
        .expect("the export has the wrong type");
    let msg = message(&err);
    assert!(msg.contains("export `names`: typed function"), "{msg}");
}

/// A component without one of the world's exports fails too.
#[test]
fn missing_export_is_reported() {
    let engine = Engine::default();
    let wat = values_guest().replace(
        r#"(func (export "names") (result (list string))"#,
        r#"(func (export "other") (result (list string))"#,
    );
    let component = compile(&engine, &wat);
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, ValuesHost::default());
    let err = values::Values::instantiate(&mut store, &component, &linker)
        .err()
        .expect("the export is missing");
    let msg = message(&err);
    assert!(
        msg.contains("the component exports no function `names`"),
        "{msg}"
    );
}

/// The host functions are typed: a component importing one with another
/// type fails to instantiate, naming it.
#[test]
fn import_type_mismatch_is_reported_at_instantiation() {
    let engine = Engine::default();
    let wat = values_guest().replace(
        r#"(export "sum" (func (param "xs" (list u32)) (result u32)))"#,
        r#"(export "sum" (func (param "xs" (list u64)) (result u32)))"#,
    );
    let component = compile(&engine, &wat);
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h).unwrap();
    let err = linker
        .instantiate_pre(&component)
        .err()
        .expect("`sum` has the wrong type");
    let msg = message(&err);
    assert!(
        msg.contains("import `e2e:values/host#sum` has the wrong type"),
        "{msg}"
    );
}

mod traps {
    wit_host::bindgen!({
        inline: "
            package e2e:traps;

            interface host {
                check: func(x: u32) -> u32;
            }

            world traps {
                import host;
                import note: func(x: u32);
                export run: func(x: u32) -> u32;
            }
        ",
        imports: { "e2e:traps/host#check": trappable },
    });
}

const TRAPS_GUEST: &str = r#"(component
  (import "e2e:traps/host" (instance $host (export "check" (func (param "x" u32) (result u32)))))
  (import "note" (func $note (param "x" u32)))
  (core func $check (canon lower (func $host "check")))
  (core func $note (canon lower (func $note)))
  (core module $M
    (import "host" "check" (func $check (param i32) (result i32)))
    (import "host" "note" (func $note (param i32)))
    (func (export "run") (param i32) (result i32)
      (call $note (local.get 0))
      (call $check (local.get 0))))
  (core instance $m (instantiate $M
    (with "host" (instance (export "check" (func $check)) (export "note" (func $note))))))
  (func (export "run") (param "x" u32) (result u32) (canon lift (core func $m "run"))))"#;

#[derive(Default)]
struct TrapsHost {
    notes: Vec<u32>,
}

impl traps::e2e::traps::host::Host for TrapsHost {
    // `trappable`: returns `wit_host::Result`.
    fn check(&mut self, x: u32) -> wit_host::Result<u32> {
        if x == 0 {
            return Err(wit_host::Error::msg("zero is not allowed"));
        }
        Ok(x * 2)
    }
}

impl traps::TrapsImports for TrapsHost {
    // Not `trappable`: returns the plain result.
    fn note(&mut self, x: u32) {
        self.notes.push(x);
    }
}

/// A trappable host function's `Err` traps the guest: the export call
/// fails with it.
#[test]
fn trappable_imports_trap_the_guest() {
    let engine = Engine::default();
    let component = compile(&engine, TRAPS_GUEST);
    let mut linker = Linker::new(&engine);
    traps::Traps::add_to_linker::<_, HasSelf<TrapsHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, TrapsHost::default());
    let t = traps::Traps::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(t.call_run(&mut store, 21).unwrap(), 42);
    let err = t.call_run(&mut store, 0).unwrap_err();
    assert!(message(&err).contains("zero is not allowed"), "{err:?}");
    assert_eq!(store.data().notes, [21, 0]);
}

mod errs {
    wit_host::bindgen!({
        inline: "
            package e2e:errs;

            interface types {
                enum error-code { denied, missing }
            }

            interface fs {
                use types.{error-code};
                open: func(path: string) -> result<u32, error-code>;
            }

            world errs {
                use types.{error-code};
                import fs;
                export try-open: func(path: string) -> result<u32, error-code>;
            }
        ",
        trappable_error_type: { "e2e:errs/types/error-code" => crate::e2e::FsError },
    });
}

fn errs_guest() -> String {
    format!(
        r#"(component
  {LIBC}
  (import "e2e:errs/fs" (instance $fs
    (type $e' (enum "denied" "missing"))
    (export "error-code" (type $e (eq $e')))
    (export "open" (func (param "path" string) (result (result u32 (error $e)))))))
  (alias export $fs "error-code" (type $error-code))
  (core func $open (canon lower (func $fs "open") {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "fs" "open" (func $open (param i32 i32 i32)))
    (func (export "try-open") (param i32 i32) (result i32)
      (call $open (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64)))
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "fs" (instance (export "open" (func $open))))))
  (func (export "try-open") (param "path" string) (result (result u32 (error $error-code)))
    (canon lift (core func $m "try-open") {OPTS})))"#
    )
}

use errs::e2e::errs::types::ErrorCode;

/// The host's error: a WIT error for the guest, or a fatal one that traps.
pub enum FsError {
    Wit(ErrorCode),
    Fatal(String),
}

struct FsHost;

impl errs::e2e::errs::types::Host for FsHost {
    fn convert_error_code(&mut self, err: FsError) -> wit_host::Result<ErrorCode> {
        match err {
            FsError::Wit(code) => Ok(code),
            FsError::Fatal(why) => Err(wit_host::Error::msg(why)),
        }
    }
}

impl errs::e2e::errs::fs::Host for FsHost {
    fn open(&mut self, path: String) -> Result<u32, FsError> {
        match path.as_str() {
            "a" => Ok(1),
            "secret" => Err(FsError::Wit(ErrorCode::Denied)),
            "boom" => Err(FsError::Fatal("disk on fire".into())),
            _ => Err(FsError::Wit(ErrorCode::Missing)),
        }
    }
}

/// `trappable_error_type`: the host returns its own error type, which
/// `convert_error_code` turns into the guest's `error-code` or a trap.
#[test]
fn trappable_error_types_convert_or_trap() {
    let engine = Engine::default();
    let component = compile(&engine, &errs_guest());
    let mut linker = Linker::new(&engine);
    errs::Errs::add_to_linker::<_, HasSelf<FsHost>>(&mut linker, |h| h).unwrap();
    let mut store = Store::new(&engine, FsHost);
    let e = errs::Errs::instantiate(&mut store, &component, &linker).unwrap();
    assert_eq!(e.call_try_open(&mut store, "a").unwrap(), Ok(1));
    assert_eq!(
        e.call_try_open(&mut store, "secret").unwrap(),
        Err(ErrorCode::Denied)
    );
    assert_eq!(
        e.call_try_open(&mut store, "x").unwrap(),
        Err(ErrorCode::Missing)
    );
    let err = e.call_try_open(&mut store, "boom").unwrap_err();
    assert!(message(&err).contains("disk on fire"), "{err:?}");
}
