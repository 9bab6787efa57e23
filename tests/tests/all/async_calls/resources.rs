//! Resource destructors under an asynchronous host: a guest's destructor
//! run by `resource_drop_async` or by the guest's own drop on the call's
//! fiber, and a host resource's asynchronous destructor (yielding to the
//! executor) run when the guest or the host drops it, or failing and
//! trapping the guest.

use super::call_async;
use crate::common::*;
use crate::resources_common::*;
use wit_host::{Engine, Instance, Linker, Resource, ResourceType, Store, Val};

/// An asynchronously instantiated counter guest.
async fn counter_instance_async() -> (Store<Host>, Instance) {
    let (engine, mut store, linker) = host_setup();
    let component = compile(&engine, COUNTER_GUEST);
    let instance = linker
        .instantiate_async(&mut store, &component)
        .await
        .unwrap();
    (store, instance)
}

#[test]
fn resource_drop_async_runs_the_guest_destructor() {
    block_on(async {
        let (mut store, instance) = counter_instance_async().await;
        let counter = call_async(
            &mut store,
            &instance,
            "[constructor]counter",
            &[Val::U32(5)],
        )
        .await
        .unwrap();
        // Synchronously it is refused, and the handle is kept.
        let e = resource(&counter).resource_drop(&mut store).unwrap_err();
        assert!(message(&e).contains("asynchronous"), "{e:?}");
        assert!(store.data().events.is_empty());
        resource(&counter)
            .resource_drop_async(&mut store)
            .await
            .unwrap();
        assert_eq!(store.data().events, events(&["counter 1 dropped"]));
        let destroyed = call_async(&mut store, &instance, "destroyed", &[])
            .await
            .unwrap();
        assert_eq!(destroyed, Val::U32(1));
    });
}

#[test]
fn a_guest_dropping_its_resource_runs_the_destructor_on_the_fiber() {
    block_on(async {
        let (mut store, instance) = counter_instance_async().await;
        let counter = call_async(
            &mut store,
            &instance,
            "[constructor]counter",
            &[Val::U32(7)],
        )
        .await
        .unwrap();
        // `consume` takes the counter, reads it, and drops it: the
        // guest's `resource.drop` runs the guest's destructor, which
        // calls the host.
        let value = call_async(&mut store, &instance, "consume", &[counter])
            .await
            .unwrap();
        assert_eq!(value, Val::U32(7));
        assert_eq!(store.data().events, events(&["counter 1 dropped"]));
    });
}

/// [`host_setup`] with the `logger` destructor asynchronous: it yields
/// to the executor, then deletes the logger and records `async drop
/// <prefix>` (or fails, see [`Host::fail_dtor`]).
fn async_dtor_setup() -> (Engine, Store<Host>, Linker<Host>) {
    let (engine, store, mut linker) = host_setup();
    linker.allow_shadowing(true);
    linker
        .instance(LOGGING)
        .unwrap()
        .resource_async(
            "logger",
            ResourceType::host::<Logger>(),
            |mut store, rep| {
                Box::new(async move {
                    tokio::task::yield_now().await;
                    let host = store.data_mut();
                    if let Some(why) = host.fail_dtor.clone() {
                        return Err(wit_host::Error::msg(why));
                    }
                    let logger = host.table.delete(Resource::<Logger>::new_own(rep))?;
                    host.live -= 1;
                    host.events.push(format!("async drop {}", logger.prefix));
                    Ok(())
                })
            },
        )
        .unwrap();
    (engine, store, linker)
}

#[test]
fn a_guest_dropping_a_host_resource_runs_the_async_destructor() {
    block_on(async {
        let (engine, mut store, linker) = async_dtor_setup();
        let component = compile(&engine, &logger_guest());
        // The component imports a type with an asynchronous destructor.
        let e = linker.instantiate(&mut store, &component).unwrap_err();
        assert!(message(&e).contains("instantiate_async"), "{e:?}");
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let h = call_async(&mut store, &instance, "new", &[Val::String("app".into())])
            .await
            .unwrap();
        call_async(&mut store, &instance, "drop", &[h])
            .await
            .unwrap();
        assert_eq!(store.data().events, events(&["new app", "async drop app"]));
        assert_eq!(store.data().live, 0);
    });
}

#[test]
fn the_host_dropping_a_host_resource_runs_the_async_destructor() {
    block_on(async {
        let (engine, mut store, linker) = async_dtor_setup();
        let component = compile(&engine, &logger_guest());
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let logger = call_async(&mut store, &instance, "give", &[Val::String("mine".into())])
            .await
            .unwrap();
        let e = resource(&logger).resource_drop(&mut store).unwrap_err();
        assert!(message(&e).contains("asynchronous"), "{e:?}");
        resource(&logger)
            .resource_drop_async(&mut store)
            .await
            .unwrap();
        assert_eq!(
            store.data().events,
            events(&["new mine", "async drop mine"])
        );
    });
}

#[test]
fn a_failing_async_destructor_traps_the_guest_that_dropped_it() {
    block_on(async {
        let (engine, mut store, linker) = async_dtor_setup();
        let component = compile(&engine, &logger_guest());
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let h = call_async(&mut store, &instance, "new", &[Val::String("app".into())])
            .await
            .unwrap();
        store.data_mut().fail_dtor = Some("disk full".into());
        let e = call_async(&mut store, &instance, "drop", &[h])
            .await
            .unwrap_err();
        let text = message(&e);
        assert!(
            text.contains("disk full") && text.contains("logger"),
            "{text}"
        );
        // The guest trapped: it is locked down; a fresh instance works.
        let e = call_async(&mut store, &instance, "live", &[])
            .await
            .unwrap_err();
        assert!(
            message(&e).contains("locked down after an earlier failure"),
            "{e:?}"
        );
        store.data_mut().fail_dtor = None;
        let fresh = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let live = call_async(&mut store, &fresh, "live", &[]).await.unwrap();
        assert_eq!(live, Val::U32(1));
    });
}
