//! A host resource: the host implements `logger` (state in a
//! `ResourceTable`, a constructor, a method, a static function and a
//! destructor), and a component creates, uses and drops loggers through
//! handles. The host also receives a logger from the guest, lends loggers to
//! it, and drops them.
//!
//! Run it with `cargo run -p wit-host-examples --bin host_resource`.

use wit_host::{
    Component, Engine, Error, Linker, Resource, ResourceTable, ResourceType, Result, Store,
    StoreContextMut, Val,
};

/// The state behind one `logger`.
struct Logger {
    prefix: String,
    lines: u32,
}

/// The host's state: every live logger, and how many were ever created.
#[derive(Default)]
struct Host {
    table: ResourceTable,
    created: u32,
}

/// The logger a `Val::Resource` parameter names.
fn logger_param(store: &mut StoreContextMut<'_, Host>, val: &Val) -> Result<Resource<Logger>> {
    match val {
        Val::Resource(any) => Resource::try_from_resource_any(any.clone(), store),
        other => Err(Error::msg(format!(
            "expected a logger, got {}",
            other.desc()
        ))),
    }
}

/// Defines `example:log/logging`: the resource type and its functions.
fn define_logging(linker: &mut Linker<Host>) -> Result<()> {
    let mut logging = linker.instance("example:log/logging")?;

    // The resource type, identified by the Rust type `Logger`. The
    // destructor runs when the last owned handle is dropped.
    logging.resource(
        "logger",
        ResourceType::host::<Logger>(),
        |mut store, rep| {
            let logger = store
                .data_mut()
                .table
                .delete(Resource::<Logger>::new_own(rep))?;
            println!(
                "  [host] logger `{}` dropped after {} line(s)",
                logger.prefix, logger.lines
            );
            Ok(())
        },
    )?;

    // constructor(prefix: string): a new entry in the table; its handle
    // becomes the guest's `own<logger>`.
    logging.func_new("[constructor]logger", |mut store, _ty, params, results| {
        let [Val::String(prefix)] = params else {
            return Err(Error::msg("expected a prefix"));
        };
        println!("  [host] new logger `{prefix}`");
        let host = store.data_mut();
        host.created += 1;
        let logger = host.table.push(Logger {
            prefix: prefix.clone(),
            lines: 0,
        })?;
        results[0] = Val::Resource(logger.try_into_resource_any(&mut store)?);
        Ok(())
    })?;

    // log(self: borrow<logger>, msg: string) -> u32
    logging.func_new("[method]logger.log", |mut store, _ty, params, results| {
        let [this, Val::String(msg)] = params else {
            return Err(Error::msg("expected a logger and a message"));
        };
        let this = logger_param(&mut store, this)?;
        let logger = store.data_mut().table.get_mut(&this)?;
        logger.lines += 1;
        println!("  [{}] {msg}", logger.prefix);
        results[0] = Val::U32(logger.lines);
        Ok(())
    })?;

    // created() -> u32: a static function, called without a logger.
    logging.func_new("[static]logger.created", |store, _ty, _params, results| {
        results[0] = Val::U32(store.data().created);
        Ok(())
    })?;
    Ok(())
}

fn main() -> Result<()> {
    let engine = Engine::default();
    let component = Component::new(&engine, include_str!("../../components/host_resource.wat"))?;
    let mut linker = Linker::<Host>::new(&engine);
    define_logging(&mut linker)?;
    let mut store = Store::new(&engine, Host::default());
    let instance = linker.instantiate(&mut store, &component)?;

    // 1. The guest creates a logger, logs through it and drops it.
    println!("run(\"job\"):");
    let run = instance
        .get_func(&mut store, "run")
        .expect("run is exported");
    let mut created = [Val::U32(0)];
    run.call(&mut store, &[Val::String("job".into())], &mut created)?;
    if let Val::U32(created) = created[0] {
        println!("  -> {created} logger(s) created so far");
    }

    // 2. The guest gives the host a logger: an owned `ResourceAny`.
    println!("make-logger(\"kept\"):");
    let make = instance
        .get_func(&mut store, "make-logger")
        .expect("make-logger is exported");
    let mut kept = [Val::Bool(false)];
    make.call(&mut store, &[Val::String("kept".into())], &mut kept)?;
    let Val::Resource(kept) = &kept[0] else {
        return Err(Error::msg("make-logger returned no resource"));
    };
    println!(
        "  -> owned: {}, type: {:?}",
        kept.owned(),
        kept.ty().expect("a live handle has a type")
    );

    // 3. The host lends that logger to the guest, twice: a `borrow` lasts
    //    one call, and the host still owns the logger afterwards.
    let log_to = instance
        .get_func(&mut store, "log-to")
        .expect("log-to is exported");
    for msg in ["lent once", "lent twice"] {
        println!("log-to(kept, {msg:?}):");
        log_to.call(
            &mut store,
            &[Val::Resource(kept.clone()), Val::String(msg.into())],
            &mut [],
        )?;
    }

    // 4. Dropping the owned handle runs the destructor.
    println!("drop kept:");
    kept.clone().resource_drop(&mut store)?;

    // 5. A logger the host creates itself can be lent the same way; the
    //    host deletes it from its table when done.
    println!("log-to(host-made logger, \"from the host\"):");
    let own = store.data_mut().table.push(Logger {
        prefix: "host".into(),
        lines: 0,
    })?;
    let rep = own.rep();
    let any = own.try_into_resource_any(&mut store)?;
    log_to.call(
        &mut store,
        &[
            Val::Resource(any.clone()),
            Val::String("from the host".into()),
        ],
        &mut [],
    )?;
    let own = Resource::<Logger>::try_from_resource_any(any, &mut store)?;
    assert_eq!(own.rep(), rep);
    let logger = store.data_mut().table.delete(own)?;
    println!(
        "  [host] deleted its own logger `{}` after {} line(s)",
        logger.prefix, logger.lines
    );

    println!(
        "loggers still alive: {}",
        if store.data().table.is_empty() {
            "none"
        } else {
            "some"
        }
    );
    Ok(())
}
