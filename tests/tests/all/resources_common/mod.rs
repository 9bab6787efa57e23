//! Shared fixtures for the resource tests: a host that implements a
//! `logger` resource (and a second resource type, `tag`) in a
//! [`ResourceTable`], a guest that uses those loggers, and a guest that
//! defines a `counter` resource whose destructor reports to the host.
//!
//! Both guests are "scriptable": their exports are thin wrappers around the
//! resource operations, taking and returning the guest's handle indices as
//! `u32`s, so that each test drives exactly the sequence of operations it is
//! about and can assert the handle indices the guest sees.
//!
//! Everything the host does is recorded in [`Host::events`], in order.

#![allow(dead_code)]

use crate::common::{LIBC, OPTS, compile};
use wit_host::{
    Component, Engine, Error, Instance, Linker, Resource, ResourceAny, ResourceTable, ResourceType,
    Result, Store, StoreContextMut, Val,
};

/// The interface the host implements.
pub const LOGGING: &str = "example:log/logging";
/// The interface through which the counter guest's destructor reports.
pub const EVENTS: &str = "example:log/events";

/// The state of one host logger.
#[derive(Debug, Default)]
pub struct Logger {
    pub prefix: String,
    pub lines: Vec<String>,
}

/// A second host resource type, for type-mismatch tests.
#[derive(Debug)]
pub struct Tag(pub u32);

/// The host's state.
#[derive(Default)]
pub struct Host {
    /// Logger and tag state, keyed by the resources' representations.
    pub table: ResourceTable,
    /// What happened, in order: `new app`, `app: hello`, `drop app`, ...
    pub events: Vec<String>,
    /// When set, the logger destructor fails with this message (after
    /// recording `dtor failed <rep>`).
    pub fail_dtor: Option<String>,
    /// A borrowed logger the guest passed to `stash`, kept past the call.
    pub stashed: Option<ResourceAny>,
    /// How many loggers exist.
    pub live: u32,
}

/// `events` as owned strings, for comparing with [`Host::events`].
pub fn events(events: &[&str]) -> Vec<String> {
    events.iter().map(|e| e.to_string()).collect()
}

/// The resource handle inside `v`; panics on any other value.
#[track_caller]
pub fn resource(v: &Val) -> ResourceAny {
    match v {
        Val::Resource(r) => r.clone(),
        other => panic!("expected a resource, got {other:?}"),
    }
}

/// The host logger `v` (a `Val::Resource` of type `Logger`) stands for.
fn logger_of(store: &mut StoreContextMut<'_, Host>, v: &Val) -> Result<Resource<Logger>> {
    match v {
        Val::Resource(any) => Resource::try_from_resource_any(any.clone(), &mut *store),
        other => Err(Error::msg(format!(
            "expected a logger, got {}",
            other.desc()
        ))),
    }
}

/// Defines [`LOGGING`] (resources `logger` and `tag`) and [`EVENTS`] in
/// `linker`.
///
/// `logging`:
/// * `logger` — destructor: deletes the logger from the table and records
///   `drop <prefix>` (or fails, see [`Host::fail_dtor`]);
/// * `[constructor]logger(prefix: string) -> own<logger>` — records
///   `new <prefix>`;
/// * `[method]logger.log(self: borrow<logger>, msg: string) -> u32` —
///   records `<prefix>: <msg>`, returns how many lines the logger has;
/// * `[method]logger.absorb(self: borrow<logger>, other: own<logger>) ->
///   u32` — moves `other`'s lines into `self` and deletes `other` (its
///   destructor does not run: the host consumed it), records `absorb
///   <other> into <self>`, returns `self`'s line count;
/// * `[static]logger.live() -> u32` — how many loggers exist;
/// * `take(l: own<logger>) -> u32` — consumes the logger like `absorb`,
///   records `take <prefix>`, returns its line count;
/// * `stash(l: borrow<logger>)` — keeps the borrowed handle in
///   [`Host::stashed`];
/// * `tag` — destructor records `drop tag <n>`;
/// * `[constructor]tag(n: u32) -> own<tag>`.
///
/// `events`: `dropped(rep: u32)` records `counter <rep> dropped`.
pub fn define_host(linker: &mut Linker<Host>) -> Result<()> {
    let mut log = linker.instance(LOGGING)?;
    log.resource(
        "logger",
        ResourceType::host::<Logger>(),
        |mut store, rep| {
            let host = store.data_mut();
            if let Some(why) = host.fail_dtor.clone() {
                host.events.push(format!("dtor failed {rep}"));
                return Err(Error::msg(why));
            }
            let logger = host.table.delete(Resource::<Logger>::new_own(rep))?;
            host.live -= 1;
            host.events.push(format!("drop {}", logger.prefix));
            Ok(())
        },
    )?;
    log.func_new("[constructor]logger", |mut store, _ty, params, results| {
        let [Val::String(prefix)] = params else {
            return Err(Error::msg("bad params"));
        };
        let host = store.data_mut();
        let logger = host.table.push(Logger {
            prefix: prefix.clone(),
            lines: Vec::new(),
        })?;
        host.live += 1;
        host.events.push(format!("new {prefix}"));
        results[0] = Val::Resource(logger.try_into_resource_any(&mut store)?);
        Ok(())
    })?;
    log.func_new("[method]logger.log", |mut store, _ty, params, results| {
        let [this, Val::String(msg)] = params else {
            return Err(Error::msg("bad params"));
        };
        let this = logger_of(&mut store, this)?;
        let host = store.data_mut();
        let logger = host.table.get_mut(&this)?;
        logger.lines.push(msg.clone());
        let (line, count) = (format!("{}: {msg}", logger.prefix), logger.lines.len());
        host.events.push(line);
        results[0] = Val::U32(count as u32);
        Ok(())
    })?;
    log.func_new(
        "[method]logger.absorb",
        |mut store, _ty, params, results| {
            let [this, other] = params else {
                return Err(Error::msg("bad params"));
            };
            let this = logger_of(&mut store, this)?;
            let other = logger_of(&mut store, other)?;
            let host = store.data_mut();
            let other = host.table.delete(other)?;
            host.live -= 1;
            let logger = host.table.get_mut(&this)?;
            logger.lines.extend(other.lines);
            let (line, count) = (
                format!("absorb {} into {}", other.prefix, logger.prefix),
                logger.lines.len(),
            );
            host.events.push(line);
            results[0] = Val::U32(count as u32);
            Ok(())
        },
    )?;
    log.func_new("[static]logger.live", |store, _ty, _params, results| {
        results[0] = Val::U32(store.data().live);
        Ok(())
    })?;
    log.func_new("take", |mut store, _ty, params, results| {
        let this = logger_of(&mut store, &params[0])?;
        let host = store.data_mut();
        let logger = host.table.delete(this)?;
        host.live -= 1;
        host.events.push(format!("take {}", logger.prefix));
        results[0] = Val::U32(logger.lines.len() as u32);
        Ok(())
    })?;
    log.func_new("stash", |mut store, _ty, params, _results| {
        let Val::Resource(any) = &params[0] else {
            return Err(Error::msg("bad params"));
        };
        store.data_mut().stashed = Some(any.clone());
        Ok(())
    })?;
    log.resource("tag", ResourceType::host::<Tag>(), |mut store, rep| {
        let host = store.data_mut();
        let tag = host.table.delete(Resource::<Tag>::new_own(rep))?;
        host.events.push(format!("drop tag {}", tag.0));
        Ok(())
    })?;
    log.func_new("[constructor]tag", |mut store, _ty, params, results| {
        let [Val::U32(n)] = params else {
            return Err(Error::msg("bad params"));
        };
        let tag = store.data_mut().table.push(Tag(*n))?;
        results[0] = Val::Resource(tag.try_into_resource_any(&mut store)?);
        Ok(())
    })?;

    linker
        .instance(EVENTS)?
        .func_new("dropped", |mut store, _ty, params, _results| {
            let [Val::U32(rep)] = params else {
                return Err(Error::msg("bad params"));
            };
            store
                .data_mut()
                .events
                .push(format!("counter {rep} dropped"));
            Ok(())
        })?;
    Ok(())
}

/// The type of [`LOGGING`] as a component imports it; defines `$log`.
pub const LOGGING_IMPORT: &str = r#"
  (import "example:log/logging" (instance $log
    (export "logger" (type $logger (sub resource)))
    (export "[constructor]logger" (func (param "prefix" string) (result (own $logger))))
    (export "[method]logger.log" (func (param "self" (borrow $logger)) (param "msg" string) (result u32)))
    (export "[method]logger.absorb" (func (param "self" (borrow $logger)) (param "other" (own $logger)) (result u32)))
    (export "[static]logger.live" (func (result u32)))
    (export "take" (func (param "l" (own $logger)) (result u32)))
    (export "stash" (func (param "l" (borrow $logger))))
    (export "tag" (type $tag (sub resource)))
    (export "[constructor]tag" (func (param "n" u32) (result (own $tag))))
  ))
  (alias export $log "logger" (type $logger))
  (alias export $log "tag" (type $tag))
"#;

/// The logger guest: imports [`LOGGING`] and exports wrappers around every
/// logger operation. Handles are the guest's handle indices, as `u32`s:
///
/// * `new(prefix: string) -> u32` — constructs a logger, keeps the handle;
/// * `log(h: u32, msg: string) -> u32` — calls `logger.log` on handle `h`;
/// * `absorb(into: u32, from: u32) -> u32` — `logger.absorb` lending `into`
///   and giving away `from`;
/// * `live() -> u32` — `logger.live`;
/// * `take(h: u32) -> u32` — gives handle `h` to the host's `take`;
/// * `stash(h: u32)` — lends handle `h` to the host's `stash`;
/// * `drop(h: u32)` — `resource.drop` of a logger handle;
/// * `drop-as-tag(h: u32)` — `resource.drop` with the *tag* type;
/// * `new-tag(n: u32) -> u32` — constructs a tag, keeps the handle;
/// * `keep(l: own<logger>) -> u32` — keeps a logger the host gives,
///   returns its handle index;
/// * `keep-with(l: own<logger>, note: string) -> u32` — like `keep`, with
///   a second parameter after the handle;
/// * `log-borrowed(l: borrow<logger>, msg: string) -> u32` — logs through
///   the borrowed handle, then drops the borrow;
/// * `leak-borrow(l: borrow<logger>)` — returns without dropping the
///   borrow;
/// * `drop-twice(l: borrow<logger>)` — drops the borrow twice;
/// * `borrow-index(l: borrow<logger>) -> u32` — drops the borrow and
///   returns its handle index;
/// * `take-borrowed(l: borrow<logger>) -> u32` — passes the borrow to the
///   host's `take`, which wants an `own`;
/// * `give(prefix: string) -> own<logger>` — constructs a logger and gives
///   it to the caller.
pub fn logger_guest() -> String {
    format!(
        r#"(component
  {LOGGING_IMPORT}
  {LIBC}
  (core func $new (canon lower (func $log "[constructor]logger") {OPTS}))
  (core func $log (canon lower (func $log "[method]logger.log") {OPTS}))
  (core func $absorb (canon lower (func $log "[method]logger.absorb")))
  (core func $live (canon lower (func $log "[static]logger.live")))
  (core func $take (canon lower (func $log "take")))
  (core func $stash (canon lower (func $log "stash")))
  (core func $new-tag (canon lower (func $log "[constructor]tag")))
  (core func $drop (canon resource.drop $logger))
  (core func $drop-tag (canon resource.drop $tag))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "log" "new" (func $new (param i32 i32) (result i32)))
    (import "log" "log" (func $log (param i32 i32 i32) (result i32)))
    (import "log" "absorb" (func $absorb (param i32 i32) (result i32)))
    (import "log" "live" (func $live (result i32)))
    (import "log" "take" (func $take (param i32) (result i32)))
    (import "log" "stash" (func $stash (param i32)))
    (import "log" "new-tag" (func $new-tag (param i32) (result i32)))
    (import "log" "drop" (func $drop (param i32)))
    (import "log" "drop-tag" (func $drop-tag (param i32)))
    (func (export "new") (param i32 i32) (result i32)
      (call $new (local.get 0) (local.get 1)))
    (func (export "log") (param i32 i32 i32) (result i32)
      (call $log (local.get 0) (local.get 1) (local.get 2)))
    (func (export "absorb") (param i32 i32) (result i32)
      (call $absorb (local.get 0) (local.get 1)))
    (func (export "live") (result i32) (call $live))
    (func (export "take") (param i32) (result i32) (call $take (local.get 0)))
    (func (export "stash") (param i32) (call $stash (local.get 0)))
    (func (export "drop") (param i32) (call $drop (local.get 0)))
    (func (export "drop-as-tag") (param i32) (call $drop-tag (local.get 0)))
    (func (export "new-tag") (param i32) (result i32) (call $new-tag (local.get 0)))
    (func (export "keep") (param i32) (result i32) (local.get 0))
    (func (export "keep-with") (param i32 i32 i32) (result i32) (local.get 0))
    (func (export "log-borrowed") (param i32 i32 i32) (result i32)
      (local $n i32)
      (local.set $n (call $log (local.get 0) (local.get 1) (local.get 2)))
      (call $drop (local.get 0))
      (local.get $n))
    (func (export "leak-borrow") (param i32))
    (func (export "drop-twice") (param i32)
      (call $drop (local.get 0))
      (call $drop (local.get 0)))
    (func (export "borrow-index") (param i32) (result i32)
      (call $drop (local.get 0))
      (local.get 0))
    (func (export "take-borrowed") (param i32) (result i32) (call $take (local.get 0)))
    (func (export "give") (param i32 i32) (result i32)
      (call $new (local.get 0) (local.get 1)))
  )
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "log" (instance
      (export "new" (func $new))
      (export "log" (func $log))
      (export "absorb" (func $absorb))
      (export "live" (func $live))
      (export "take" (func $take))
      (export "stash" (func $stash))
      (export "new-tag" (func $new-tag))
      (export "drop" (func $drop))
      (export "drop-tag" (func $drop-tag))))))
  (func (export "new") (param "prefix" string) (result u32)
    (canon lift (core func $m "new") {OPTS}))
  (func (export "log") (param "h" u32) (param "msg" string) (result u32)
    (canon lift (core func $m "log") {OPTS}))
  (func (export "absorb") (param "into" u32) (param "from" u32) (result u32)
    (canon lift (core func $m "absorb")))
  (func (export "live") (result u32) (canon lift (core func $m "live")))
  (func (export "take") (param "h" u32) (result u32) (canon lift (core func $m "take")))
  (func (export "stash") (param "h" u32) (canon lift (core func $m "stash")))
  (func (export "drop") (param "h" u32) (canon lift (core func $m "drop")))
  (func (export "drop-as-tag") (param "h" u32) (canon lift (core func $m "drop-as-tag")))
  (func (export "new-tag") (param "n" u32) (result u32) (canon lift (core func $m "new-tag")))
  (func (export "keep") (param "l" (own $logger)) (result u32)
    (canon lift (core func $m "keep")))
  (func (export "keep-with") (param "l" (own $logger)) (param "note" string) (result u32)
    (canon lift (core func $m "keep-with") {OPTS}))
  (func (export "log-borrowed") (param "l" (borrow $logger)) (param "msg" string) (result u32)
    (canon lift (core func $m "log-borrowed") {OPTS}))
  (func (export "leak-borrow") (param "l" (borrow $logger))
    (canon lift (core func $m "leak-borrow")))
  (func (export "drop-twice") (param "l" (borrow $logger))
    (canon lift (core func $m "drop-twice")))
  (func (export "borrow-index") (param "l" (borrow $logger)) (result u32)
    (canon lift (core func $m "borrow-index")))
  (func (export "take-borrowed") (param "l" (borrow $logger)) (result u32)
    (canon lift (core func $m "take-borrowed")))
  (func (export "give") (param "prefix" string) (result (own $logger))
    (canon lift (core func $m "give") {OPTS}))
)"#
    )
}

/// The counter guest: defines and exports the resource `counter` (its
/// representation is a sequence number; values live in the guest's
/// memory). Its destructor counts destroyed counters, traps for
/// representation 99, and reports `dropped(rep)` through [`EVENTS`].
///
/// * `[constructor]counter(start: u32) -> own<counter>` — representations
///   are 1, 2, 3, ... in construction order;
/// * `[method]counter.get(self: borrow<counter>) -> u32`;
/// * `[method]counter.add(self: borrow<counter>, n: u32)`;
/// * `[static]counter.made() -> u32` — how many were constructed;
/// * `destroyed() -> u32` — how many destructor calls there were;
/// * `consume(c: own<counter>) -> u32` — returns the value, drops the
///   handle (the destructor runs);
/// * `adopt(c: own<counter>) -> u32` — keeps the handle, returns its index;
/// * `forge(rep: u32) -> own<counter>` — `resource.new` of any
///   representation, given to the caller;
/// * `new-handle(rep: u32) -> u32`, `drop-handle(h: u32)`,
///   `rep-of(h: u32) -> u32` — the intrinsics on the guest's own table.
pub const COUNTER_GUEST: &str = r#"(component
  (import "example:log/events" (instance $ev (export "dropped" (func (param "rep" u32)))))
  (core func $dropped (canon lower (func $ev "dropped")))
  (core module $Dtor
    (import "ev" "dropped" (func $dropped (param i32)))
    (global $destroyed (export "destroyed") (mut i32) (i32.const 0))
    (func (export "dtor") (param $rep i32)
      (if (i32.eq (local.get $rep) (i32.const 99)) (then unreachable))
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
    ;; the value of counter `rep` is at 256 + 4 * rep
    (func $addr (param $rep i32) (result i32)
      (i32.add (i32.const 256) (i32.shl (local.get $rep) (i32.const 2))))
    (func (export "ctor") (param $start i32) (result i32)
      (global.set $made (i32.add (global.get $made) (i32.const 1)))
      (i32.store (call $addr (global.get $made)) (local.get $start))
      (call $new (global.get $made)))
    (func (export "get") (param $rep i32) (result i32)
      (i32.load (call $addr (local.get $rep))))
    (func (export "add") (param $rep i32) (param $n i32)
      (i32.store (call $addr (local.get $rep))
        (i32.add (i32.load (call $addr (local.get $rep))) (local.get $n))))
    (func (export "made") (result i32) (global.get $made))
    (func (export "destroyed") (result i32) (global.get $destroyed))
    (func (export "consume") (param $h i32) (result i32)
      (local $v i32)
      (local.set $v (i32.load (call $addr (call $rep (local.get $h)))))
      (call $drop (local.get $h))
      (local.get $v))
    (func (export "adopt") (param $h i32) (result i32) (local.get $h))
    (func (export "forge") (param $rep i32) (result i32) (call $new (local.get $rep)))
    (func (export "new-handle") (param $rep i32) (result i32) (call $new (local.get $rep)))
    (func (export "drop-handle") (param $h i32) (call $drop (local.get $h)))
    (func (export "rep-of") (param $h i32) (result i32) (call $rep (local.get $h)))
  )
  (core instance $m (instantiate $M
    (with "dtor" (instance $d))
    (with "r" (instance
      (export "new" (func $new))
      (export "rep" (func $rep))
      (export "drop" (func $drop))))))
  (export $counter "counter" (type $counter'))
  (func (export "[constructor]counter") (param "start" u32) (result (own $counter))
    (canon lift (core func $m "ctor")))
  (func (export "[method]counter.get") (param "self" (borrow $counter)) (result u32)
    (canon lift (core func $m "get")))
  (func (export "[method]counter.add") (param "self" (borrow $counter)) (param "n" u32)
    (canon lift (core func $m "add")))
  (func (export "[static]counter.made") (result u32) (canon lift (core func $m "made")))
  (func (export "destroyed") (result u32) (canon lift (core func $m "destroyed")))
  (func (export "consume") (param "c" (own $counter)) (result u32)
    (canon lift (core func $m "consume")))
  (func (export "adopt") (param "c" (own $counter)) (result u32)
    (canon lift (core func $m "adopt")))
  (func (export "forge") (param "rep" u32) (result (own $counter))
    (canon lift (core func $m "forge")))
  (func (export "new-handle") (param "rep" u32) (result u32)
    (canon lift (core func $m "new-handle")))
  (func (export "drop-handle") (param "h" u32) (canon lift (core func $m "drop-handle")))
  (func (export "rep-of") (param "h" u32) (result u32) (canon lift (core func $m "rep-of")))
)"#;

/// An engine, a store, and a linker with [`define_host`]'s definitions.
pub fn host_setup() -> (Engine, Store<Host>, Linker<Host>) {
    let engine = Engine::default();
    let store = Store::new(&engine, Host::default());
    let mut linker = Linker::new(&engine);
    define_host(&mut linker).expect("the host definitions are valid");
    (engine, store, linker)
}

/// Instantiates `component` with `linker`, panicking with the whole error
/// chain on failure.
pub fn instantiate_component(
    store: &mut Store<Host>,
    linker: &Linker<Host>,
    component: &Component,
) -> Instance {
    linker
        .instantiate(&mut *store, component)
        .unwrap_or_else(|e| panic!("instantiation failed: {e:?}"))
}

/// A store with one instance of [`logger_guest`].
pub fn logger_instance() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, &logger_guest());
    let instance = instantiate_component(&mut store, &linker, &component);
    (store, instance)
}

/// A store with one instance of [`COUNTER_GUEST`].
pub fn counter_instance() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, COUNTER_GUEST);
    let instance = instantiate_component(&mut store, &linker, &component);
    (store, instance)
}
