//! Handles in the typed API through real components: `Resource<T>` for a
//! host resource (`logger`, kept in a `ResourceTable`) as `own` and
//! `borrow`, in both directions — typed `func_wrap` imports that construct,
//! borrow and consume loggers, and typed exports that take and return them
//! — and `ResourceAny` for a guest-defined resource (`counter`) and for a
//! borrowed host resource.
//!
//! The guests are `resources_common`'s `logger_guest` and `COUNTER_GUEST`;
//! here the host's imports are defined with `func_wrap` instead of
//! `func_new`.

use crate::common::*;
use crate::resources_common::*;
use wit_host::{
    Engine, Instance, Linker, Resource, ResourceAny, ResourceType, Result, Store, StoreContextMut,
};

/// The host of [`LOGGING`] and [`EVENTS`] with typed functions (the same
/// behaviour as `resources_common::define_host`), recording in the events
/// whether each handle the host received was owned.
fn define_typed_host(linker: &mut Linker<Host>) -> Result<()> {
    let mut log = linker.instance(LOGGING)?;
    log.resource(
        "logger",
        ResourceType::host::<Logger>(),
        |mut store, rep| {
            let host = store.data_mut();
            let logger = host.table.delete(Resource::<Logger>::new_own(rep))?;
            host.live -= 1;
            host.events.push(format!("drop {}", logger.prefix));
            Ok(())
        },
    )?;
    log.func_wrap(
        "[constructor]logger",
        |mut store: StoreContextMut<'_, Host>, (prefix,): (String,)| {
            let host = store.data_mut();
            let logger = host.table.push(Logger {
                prefix: prefix.clone(),
                lines: Vec::new(),
            })?;
            host.live += 1;
            host.events.push(format!("new {prefix}"));
            Ok((logger,))
        },
    )?;
    log.func_wrap(
        "[method]logger.log",
        |mut store: StoreContextMut<'_, Host>, (this, msg): (Resource<Logger>, String)| {
            let host = store.data_mut();
            let owned = this.owned();
            let logger = host.table.get_mut(&this)?;
            logger.lines.push(msg.clone());
            let (line, count) = (
                format!("{}: {msg} (owned: {owned})", logger.prefix),
                logger.lines.len(),
            );
            host.events.push(line);
            Ok((count as u32,))
        },
    )?;
    log.func_wrap(
        "[method]logger.absorb",
        |mut store: StoreContextMut<'_, Host>,
         (this, other): (Resource<Logger>, Resource<Logger>)| {
            let host = store.data_mut();
            let line = format!("absorb owned {} into owned {}", other.owned(), this.owned());
            let other = host.table.delete(other)?;
            host.live -= 1;
            let logger = host.table.get_mut(&this)?;
            logger.lines.extend(other.lines);
            let count = logger.lines.len() as u32;
            host.events
                .push(format!("{line}: {} into {}", other.prefix, logger.prefix));
            Ok((count,))
        },
    )?;
    log.func_wrap(
        "[static]logger.live",
        |store: StoreContextMut<'_, Host>, ()| Ok((store.data().live,)),
    )?;
    log.func_wrap(
        "take",
        |mut store: StoreContextMut<'_, Host>, (this,): (Resource<Logger>,)| {
            let host = store.data_mut();
            let owned = this.owned();
            let logger = host.table.delete(this)?;
            host.live -= 1;
            host.events
                .push(format!("take {} (owned: {owned})", logger.prefix));
            Ok((logger.lines.len() as u32,))
        },
    )?;
    log.func_wrap(
        "stash",
        |mut store: StoreContextMut<'_, Host>, (any,): (ResourceAny,)| {
            let line = format!(
                "stash (owned: {}, logger: {})",
                any.owned(),
                any.ty() == Some(&ResourceType::host::<Logger>())
            );
            let host = store.data_mut();
            host.events.push(line);
            host.stashed = Some(any);
            Ok(())
        },
    )?;
    log.resource("tag", ResourceType::host::<Tag>(), |mut store, rep| {
        let host = store.data_mut();
        let tag = host.table.delete(Resource::<Tag>::new_own(rep))?;
        host.events.push(format!("drop tag {}", tag.0));
        Ok(())
    })?;
    log.func_wrap(
        "[constructor]tag",
        |mut store: StoreContextMut<'_, Host>, (n,): (u32,)| {
            Ok((store.data_mut().table.push(Tag(n))?,))
        },
    )?;
    linker.instance(EVENTS)?.func_wrap(
        "dropped",
        |mut store: StoreContextMut<'_, Host>, (rep,): (u32,)| {
            store
                .data_mut()
                .events
                .push(format!("counter {rep} dropped"));
            Ok(())
        },
    )?;
    Ok(())
}

fn typed_host_setup() -> (Engine, Store<Host>, Linker<Host>) {
    let engine = Engine::default();
    let store = Store::new(&engine, Host::default());
    let mut linker = Linker::new(&engine);
    define_typed_host(&mut linker).expect("the typed host definitions are valid");
    (engine, store, linker)
}

/// A store with one instance of [`logger_guest`] on the typed host.
fn typed_logger_instance() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = typed_host_setup();
    let instance = instantiate(&engine, &mut store, &linker, &logger_guest());
    (store, instance)
}

/// A store with one instance of [`COUNTER_GUEST`] on the typed host.
fn typed_counter_instance() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = typed_host_setup();
    let instance = instantiate(&engine, &mut store, &linker, COUNTER_GUEST);
    (store, instance)
}

/// Calls the logger guest's `name: func(a: u32) -> u32` and friends.
fn call_u32(store: &mut Store<Host>, instance: &Instance, name: &str, arg: u32) -> u32 {
    let f = instance
        .get_typed_func::<(u32,), (u32,)>(&mut *store, name)
        .unwrap();
    f.call(&mut *store, (arg,)).unwrap().0
}

fn guest_new(store: &mut Store<Host>, instance: &Instance, prefix: &str) -> u32 {
    let new = instance
        .get_typed_func::<(&str,), (u32,)>(&mut *store, "new")
        .unwrap();
    new.call(&mut *store, (prefix,)).unwrap().0
}

fn guest_log(store: &mut Store<Host>, instance: &Instance, handle: u32, msg: &str) -> u32 {
    let log = instance
        .get_typed_func::<(u32, &str), (u32,)>(&mut *store, "log")
        .unwrap();
    log.call(&mut *store, (handle, msg)).unwrap().0
}

fn guest_drop(store: &mut Store<Host>, instance: &Instance, handle: u32) -> Result<()> {
    let drop = instance
        .get_typed_func::<(u32,), ()>(&mut *store, "drop")
        .unwrap();
    drop.call(&mut *store, (handle,))
}

/// A logger the host makes itself, outside any guest.
fn host_logger(store: &mut Store<Host>, prefix: &str) -> Resource<Logger> {
    let host = store.data_mut();
    host.live += 1;
    host.table
        .push(Logger {
            prefix: prefix.into(),
            lines: Vec::new(),
        })
        .unwrap()
}

// ------------------------------------------------------------ host resources, guest -> host

/// The typed constructor returns an owned `Resource<Logger>`, which the
/// guest receives as handle 1; the typed method receives it as a borrow;
/// dropping the handle runs the host destructor.
#[test]
fn a_guest_constructs_borrows_and_drops_a_host_resource_through_typed_imports() {
    let (mut store, instance) = typed_logger_instance();
    assert_eq!(guest_new(&mut store, &instance, "app"), 1);
    assert_eq!(guest_log(&mut store, &instance, 1, "hello"), 1);
    assert_eq!(guest_log(&mut store, &instance, 1, "world"), 2);
    guest_drop(&mut store, &instance, 1).unwrap();
    assert_eq!(
        store.data().events,
        events(&[
            "new app",
            "app: hello (owned: false)",
            "app: world (owned: false)",
            "drop app"
        ])
    );
    assert!(store.data().table.is_empty());
}

/// A typed host function taking `own<logger>` receives an owned
/// `Resource<Logger>`: the guest's handle is gone, the destructor does not
/// run.
#[test]
fn a_typed_host_function_taking_own_receives_an_owned_resource() {
    let (mut store, instance) = typed_logger_instance();
    guest_new(&mut store, &instance, "app");
    guest_log(&mut store, &instance, 1, "line");
    assert_eq!(call_u32(&mut store, &instance, "take", 1), 1);
    assert_eq!(
        store.data().events[2..],
        events(&["take app (owned: true)"])
    );
    let err = message(&guest_drop(&mut store, &instance, 1).unwrap_err());
    assert_contains_all(&err, &["unknown handle index 1"]);
    assert!(store.data().table.is_empty());
}

/// A typed method with a `borrow` and an `own` parameter gets one borrowed
/// and one owned `Resource<Logger>`.
#[test]
fn a_typed_host_method_receives_a_borrow_and_an_own() {
    let (mut store, instance) = typed_logger_instance();
    guest_new(&mut store, &instance, "a");
    guest_new(&mut store, &instance, "b");
    guest_log(&mut store, &instance, 2, "from b");
    let absorb = instance
        .get_typed_func::<(u32, u32), (u32,)>(&mut store, "absorb")
        .unwrap();
    assert_eq!(absorb.call(&mut store, (1, 2)).unwrap(), (1,));
    assert_eq!(
        store.data().events.last().unwrap(),
        "absorb owned true into owned false: b into a"
    );
    assert_eq!(guest_log(&mut store, &instance, 1, "more"), 2);
}

/// A borrowed host resource reaches a typed host function as a borrowed
/// `ResourceAny` of the host type.
#[test]
fn a_typed_host_function_receives_a_borrowed_host_resource_as_resource_any() {
    let (mut store, instance) = typed_logger_instance();
    guest_new(&mut store, &instance, "app");
    let stash = instance
        .get_typed_func::<(u32,), ()>(&mut store, "stash")
        .unwrap();
    stash.call(&mut store, (1,)).unwrap();
    assert_eq!(
        store.data().events.last().unwrap(),
        "stash (owned: false, logger: true)"
    );
    // the guest still owns its handle
    assert_eq!(guest_log(&mut store, &instance, 1, "still mine"), 1);
}

// ------------------------------------------------------------ host resources, host -> guest

/// A typed export taking `own<logger>`: the host gives the guest its
/// `Resource<Logger>`, which the guest then uses and drops like its own.
#[test]
fn a_typed_export_takes_an_owned_host_resource() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "given");
    let keep = instance
        .get_typed_func::<(Resource<Logger>,), (u32,)>(&mut store, "keep")
        .unwrap();
    let (handle,) = keep.call(&mut store, (logger,)).unwrap();
    assert_eq!(handle, 1);
    assert_eq!(guest_log(&mut store, &instance, handle, "hi"), 1);
    guest_drop(&mut store, &instance, handle).unwrap();
    assert_eq!(
        store.data().events,
        events(&["given: hi (owned: false)", "drop given"])
    );
}

/// A typed export taking `borrow<logger>`: the guest borrows the host's
/// resource for the call (an owned `Resource` passed by reference, or a
/// borrowed one), and the host keeps it.
#[test]
fn a_typed_export_borrows_a_host_resource() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "lent");
    let log_borrowed = instance
        .get_typed_func::<(&Resource<Logger>, &str), (u32,)>(&mut store, "log-borrowed")
        .unwrap();
    assert_eq!(
        log_borrowed.call(&mut store, (&logger, "one")).unwrap(),
        (1,)
    );
    let borrow = Resource::<Logger>::new_borrow(logger.rep());
    assert_eq!(
        log_borrowed.call(&mut store, (&borrow, "two")).unwrap(),
        (2,)
    );
    assert_eq!(
        store.data().table.get(&logger).unwrap().lines,
        ["one", "two"]
    );
    assert_eq!(store.data().live, 1, "the destructor did not run");
}

/// A typed export returning `own<logger>` gives the host an owned
/// `Resource<Logger>` naming the logger the guest constructed.
#[test]
fn a_typed_export_returns_an_owned_host_resource() {
    let (mut store, instance) = typed_logger_instance();
    let give = instance
        .get_typed_func::<(&str,), (Resource<Logger>,)>(&mut store, "give")
        .unwrap();
    let (logger,) = give.call(&mut store, ("made by guest",)).unwrap();
    assert!(logger.owned());
    assert_eq!(
        store.data().table.get(&logger).unwrap().prefix,
        "made by guest"
    );
    let logger = store.data_mut().table.delete(logger).unwrap();
    assert_eq!(logger.prefix, "made by guest");
    assert_eq!(store.data().events, events(&["new made by guest"]));
}

/// A borrowed `Resource<T>` cannot be given away: passing one where `own`
/// is expected is an error naming both, and the store stays usable.
#[test]
fn a_borrowed_resource_cannot_be_passed_where_own_is_expected() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "mine");
    let keep = instance
        .get_typed_func::<(Resource<Logger>,), (u32,)>(&mut store, "keep")
        .unwrap();
    let err = message(
        &keep
            .call(&mut store, (Resource::new_borrow(logger.rep()),))
            .unwrap_err(),
    );
    assert_contains_all(
        &err,
        &[
            "a borrowed `Resource<",
            "::Logger>` cannot be passed where `own<logger>` is expected",
        ],
    );
    assert_eq!(keep.call(&mut store, (logger,)).unwrap(), (1,));
}

/// `Resource<Tag>` passed where the component expects a logger: the type
/// check at `get_typed_func` only sees a handle, so the error comes when
/// the handle crosses, naming both resource types.
#[test]
fn a_resource_of_another_host_type_is_rejected_when_it_crosses() {
    let (mut store, instance) = typed_logger_instance();
    let tag = store.data_mut().table.push(Tag(5)).unwrap();
    let keep = instance
        .get_typed_func::<(Resource<Tag>,), (u32,)>(&mut store, "keep")
        .unwrap();
    let err = message(&keep.call(&mut store, (tag,)).unwrap_err());
    assert_contains_all(
        &err,
        &[
            "resource type mismatch: the component expects `",
            "::Logger`, the host passed `",
            "::Tag`",
        ],
    );
    // and out of the guest, as a typed result
    let give = instance
        .get_typed_func::<(&str,), (Resource<Tag>,)>(&mut store, "give")
        .unwrap();
    let err = message(&give.call(&mut store, ("x",)).unwrap_err());
    assert_contains_all(
        &err,
        &[
            "resource type mismatch: the component expects `",
            "::Logger`, the host passed `",
            "::Tag`",
        ],
    );
}

// ------------------------------------------------------------ guest resources as ResourceAny

/// The counter's constructor returns an owned `ResourceAny` of the guest's
/// resource type; methods borrow it (`&ResourceAny`).
#[test]
fn a_guest_resource_comes_to_the_host_as_an_owned_resource_any() {
    let (mut store, instance) = typed_counter_instance();
    let new = instance
        .get_typed_func::<(u32,), (ResourceAny,)>(&mut store, "[constructor]counter")
        .unwrap();
    let get = instance
        .get_typed_func::<(&ResourceAny,), (u32,)>(&mut store, "[method]counter.get")
        .unwrap();
    let add = instance
        .get_typed_func::<(&ResourceAny, u32), ()>(&mut store, "[method]counter.add")
        .unwrap();
    let (counter,) = new.call(&mut store, (10,)).unwrap();
    assert!(counter.owned());
    assert!(!counter.ty().unwrap().is_host::<Logger>());
    add.call(&mut store, (&counter, 5)).unwrap();
    assert_eq!(get.call(&mut store, (&counter,)).unwrap(), (15,));
    let (other,) = new.call(&mut store, (1,)).unwrap();
    assert_eq!(get.call(&mut store, (&other,)).unwrap(), (1,));
    assert_eq!(get.call(&mut store, (&counter,)).unwrap(), (15,));
}

/// Passing the owned `ResourceAny` back as `own<counter>` moves it into the
/// guest, which drops it (its destructor reports through a typed import);
/// the host's `ResourceAny` is spent.
#[test]
fn an_owned_resource_any_moves_back_into_the_guest() {
    let (mut store, instance) = typed_counter_instance();
    let new = instance
        .get_typed_func::<(u32,), (ResourceAny,)>(&mut store, "[constructor]counter")
        .unwrap();
    let consume = instance
        .get_typed_func::<(ResourceAny,), (u32,)>(&mut store, "consume")
        .unwrap();
    let (counter,) = new.call(&mut store, (42,)).unwrap();
    assert_eq!(consume.call(&mut store, (counter.clone(),)).unwrap(), (42,));
    assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    let err = message(&consume.call(&mut store, (counter,)).unwrap_err());
    assert_contains_all(&err, &["already dropped"]);
}

/// `ResourceAny::resource_drop` of a guest resource the host owns runs the
/// guest's destructor.
#[test]
fn dropping_an_owned_resource_any_runs_the_guest_destructor() {
    let (mut store, instance) = typed_counter_instance();
    let new = instance
        .get_typed_func::<(u32,), (ResourceAny,)>(&mut store, "[constructor]counter")
        .unwrap();
    let destroyed = instance
        .get_typed_func::<(), (u32,)>(&mut store, "destroyed")
        .unwrap();
    let (a,) = new.call(&mut store, (1,)).unwrap();
    let (b,) = new.call(&mut store, (2,)).unwrap();
    b.resource_drop(&mut store).unwrap();
    a.resource_drop(&mut store).unwrap();
    assert_eq!(destroyed.call(&mut store, ()).unwrap(), (2,));
    assert_eq!(
        store.data().events,
        events(&["counter 2 dropped", "counter 1 dropped"])
    );
}

/// A borrowed `ResourceAny` cannot be given away as `own`.
#[test]
fn a_borrowed_resource_any_cannot_be_passed_where_own_is_expected() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "b");
    let borrowed = Resource::<Logger>::new_borrow(logger.rep())
        .try_into_resource_any(&mut store)
        .unwrap();
    let keep = instance
        .get_typed_func::<(&ResourceAny,), (u32,)>(&mut store, "keep")
        .unwrap();
    let err = message(&keep.call(&mut store, (&borrowed,)).unwrap_err());
    assert_contains_all(
        &err,
        &[
            "a borrowed resource handle cannot be passed where `own<",
            "::Logger>` is expected",
        ],
    );
}

/// A host resource as an owned `ResourceAny` passed to a typed export
/// taking `own<logger>`.
#[test]
fn an_owned_host_resource_any_is_given_to_the_guest() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "any")
        .try_into_resource_any(&mut store)
        .unwrap();
    let keep = instance
        .get_typed_func::<(ResourceAny,), (u32,)>(&mut store, "keep")
        .unwrap();
    assert_eq!(keep.call(&mut store, (logger,)).unwrap(), (1,));
    assert_eq!(guest_log(&mut store, &instance, 1, "via any"), 1);
}

/// An error from a typed host function traps the guest with the host's
/// message and locks the instance down; the store stays usable.
#[test]
fn an_error_from_a_typed_host_function_traps_the_calling_guest() {
    let (engine, mut store, linker) = typed_host_setup();
    let instance = instantiate(&engine, &mut store, &linker, &logger_guest());
    // handle 1 exists in the guest, but the host forgets the logger, so
    // the typed method's table lookup fails
    guest_new(&mut store, &instance, "gone");
    let rep = Resource::<Logger>::new_own(0);
    store.data_mut().table.delete(rep).unwrap();
    let log = instance
        .get_typed_func::<(u32, &str), (u32,)>(&mut store, "log")
        .unwrap();
    let err = message(&log.call(&mut store, (1, "x")).unwrap_err());
    assert_contains_all(&err, &["resource not present in the table"]);
    let new = instance
        .get_typed_func::<(&str,), (u32,)>(&mut store, "new")
        .unwrap();
    assert_locked_down(new.call(&mut store, ("next",)), "after the host's error");
    let fresh = instantiate(&engine, &mut store, &linker, &logger_guest());
    assert_eq!(guest_new(&mut store, &fresh, "next"), 1);
}

// ------------------------------------------------------------ borrow scopes

/// A guest that returns from a typed call without dropping the borrow it
/// was lent traps, as on the dynamic path, and the host keeps its logger.
#[test]
fn a_guest_that_keeps_a_borrow_from_a_typed_call_traps() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "host");
    let leak = instance
        .get_typed_func::<(&Resource<Logger>,), ()>(&mut store, "leak-borrow")
        .unwrap();
    let err = message(&leak.call(&mut store, (&logger,)).unwrap_err());
    assert_contains_all(
        &err,
        &["borrow handles still remain at the end of the call"],
    );
    assert_eq!(store.data().table.get(&logger).unwrap().prefix, "host");
}

/// A borrowed `ResourceAny` a typed host function keeps is valid only
/// during the call that received it.
#[test]
fn a_borrow_kept_by_a_typed_host_function_is_invalid_after_the_call() {
    let (mut store, instance) = typed_logger_instance();
    guest_new(&mut store, &instance, "a");
    let stash = instance
        .get_typed_func::<(u32,), ()>(&mut store, "stash")
        .unwrap();
    stash.call(&mut store, (1,)).unwrap();
    let stashed = store.data_mut().stashed.take().expect("stash ran");
    let err = Resource::<Logger>::try_from_resource_any(stashed.clone(), &mut store).unwrap_err();
    assert_contains_all(
        &message(&err),
        &["valid only during the call that received it"],
    );
    // nor can it be lent to a guest later through a typed call
    let log_borrowed = instance
        .get_typed_func::<(&ResourceAny, &str), (u32,)>(&mut store, "log-borrowed")
        .unwrap();
    let err = message(
        &log_borrowed
            .call(&mut store, (&stashed, "late"))
            .unwrap_err(),
    );
    assert_contains_all(&err, &["valid only during the call that received it"]);
}

/// A borrow passed where a host function takes `own<logger>` traps before
/// the typed host function runs.
#[test]
fn a_borrow_cannot_be_given_to_a_typed_host_function_taking_own() {
    let (mut store, instance) = typed_logger_instance();
    let logger = host_logger(&mut store, "host");
    let take_borrowed = instance
        .get_typed_func::<(&Resource<Logger>,), (u32,)>(&mut store, "take-borrowed")
        .unwrap();
    let err = message(&take_borrowed.call(&mut store, (&logger,)).unwrap_err());
    assert_contains_all(&err, &["is a borrow where an own handle is required"]);
    assert!(
        !store.data().events.iter().any(|e| e.starts_with("take")),
        "the host function must not run: {:?}",
        store.data().events
    );
}

/// `record named { name: string, logger: own<logger> }`: a derived record
/// holding a handle.
#[derive(wit_host::ComponentType, wit_host::Lift, wit_host::Lower)]
#[component(record)]
struct Named {
    name: String,
    logger: Resource<Logger>,
}

/// Owned handles inside a derived record, a list and an option, through a
/// typed export (host → guest) that passes them on to a typed import
/// (guest → host), which gives them back rearranged.
#[test]
fn handles_inside_records_lists_and_options_cross_both_ways() {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Host::default());
    let mut linker = Linker::<Host>::new(&engine);
    define_typed_host(&mut linker).unwrap();
    linker
        .root()
        .func_wrap(
            "swap",
            |mut store: StoreContextMut<'_, Host>,
             (named, more): (Named, Vec<Resource<Logger>>)| {
                // give back the loggers in `more` inside a record, and the
                // record's logger inside an option
                let host = store.data_mut();
                let prefixes: Vec<String> = more
                    .iter()
                    .map(|r| host.table.get(r).unwrap().prefix.clone())
                    .collect();
                host.events
                    .push(format!("swap {} {prefixes:?}", named.name));
                let mut more = more;
                let first = more.remove(0);
                Ok(((
                    Named {
                        name: prefixes.join("+"),
                        logger: first,
                    },
                    Some(named.logger),
                ),))
            },
        )
        .unwrap();
    let wat = format!(
        r#"(component
  {LOGGING_IMPORT}
  {LIBC}
  (type $named' (record (field "name" string) (field "logger" (own $logger))))
  (import "named" (type $named (eq $named')))
  (import "swap" (func $swap (param "n" $named) (param "more" (list (own $logger)))
    (result (tuple $named (option (own $logger))))))
  (core func $swap' (canon lower (func $swap) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "swap" (func $swap (param i32 i32 i32 i32 i32 i32)))
    (func (export "run") (param i32 i32 i32 i32 i32) (result i32)
      (call $swap (local.get 0) (local.get 1) (local.get 2) (local.get 3) (local.get 4) (i32.const 256))
      (i32.const 256)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "swap" (func $swap'))))))
  (type $named-e' (record (field "name" string) (field "logger" (own $logger))))
  (export $named-e "named" (type $named-e'))
  (func (export "run") (param "n" $named-e) (param "more" (list (own $logger)))
    (result (tuple $named-e (option (own $logger))))
    (canon lift (core func $m "run") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let a = host_logger(&mut store, "a");
    let b = host_logger(&mut store, "b");
    let c = host_logger(&mut store, "c");
    let run = instance
        .get_typed_func::<(Named, Vec<Resource<Logger>>), ((Named, Option<Resource<Logger>>),)>(
            &mut store, "run",
        )
        .unwrap();
    let ((named, back),) = run
        .call(
            &mut store,
            (
                Named {
                    name: "n".into(),
                    logger: a,
                },
                vec![b, c],
            ),
        )
        .unwrap();
    assert_eq!(named.name, "b+c");
    let host = store.data();
    assert_eq!(host.table.get(&named.logger).unwrap().prefix, "b");
    assert_eq!(host.table.get(back.as_ref().unwrap()).unwrap().prefix, "a");
    assert_eq!(host.events, events(&["swap n [\"b\", \"c\"]"]));
}
