//! Asynchronous host functions: typed and dynamic imports that are
//! pending before they answer, use the store across their awaits, fail
//! (locking the guest down), or never answer (the call cancelled by
//! dropping its future); and the refusal of a synchronous instantiation
//! of a component that imports one.

use std::time::Duration;

use super::{GUEST, call_async};
use crate::common::*;
use wit_host::{Engine, Linker, Store, Val};

/// `prefix` as a typed async host function that is pending three times
/// before it answers.
fn async_typed_linker(engine: &Engine) -> Linker<()> {
    let mut linker = Linker::new(engine);
    linker
        .root()
        .func_wrap_async("prefix", |_store, (s,): (String,)| {
            Box::new(async move {
                for _ in 0..3 {
                    tokio::task::yield_now().await;
                }
                Ok((format!("later, {s}"),))
            })
        })
        .unwrap();
    linker
}

#[test]
fn an_async_typed_import_pending_several_times_returns_its_string() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = async_typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        let greet = instance.get_typed_func::<(String,), (String,)>(&mut store, "greet")?;
        for round in 0..3 {
            let name = format!("round {round}");
            let (out,) = greet.call_async(&mut store, (name.clone(),)).await?;
            assert_eq!(out, format!("later, {name}"));
        }
        // The dynamic call path reaches the same import.
        let out = call_async(&mut store, &instance, "greet", &[s("dynamic")]).await?;
        assert_eq!(out, s("later, dynamic"));
        Ok::<_, wit_host::Error>(())
    })
    .unwrap();
}

#[test]
fn an_async_dynamic_import_uses_the_store_across_its_awaits() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let mut linker = Linker::<Vec<String>>::new(&engine);
    linker
        .root()
        .func_new_async("prefix", |mut store, _ty, params, results| {
            Box::new(async move {
                tokio::task::yield_now().await;
                let Val::String(s) = &params[0] else {
                    unreachable!()
                };
                store.data_mut().push(s.clone());
                tokio::task::yield_now().await;
                results[0] = Val::String(format!("{} seen", store.data().len()));
                Ok(())
            })
        })
        .unwrap();
    let mut store = Store::new(&engine, Vec::new());
    block_on(async {
        let instance = linker.instantiate_async(&mut store, &component).await?;
        let greet = instance.get_typed_func::<(&str,), (String,)>(&mut store, "greet")?;
        assert_eq!(greet.call_async(&mut store, ("a",)).await?.0, "1 seen");
        assert_eq!(greet.call_async(&mut store, ("b",)).await?.0, "2 seen");
        Ok::<_, wit_host::Error>(())
    })
    .unwrap();
    assert_eq!(store.data(), &["a", "b"]);
}

#[test]
fn a_component_importing_an_async_function_needs_instantiate_async() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let linker = async_typed_linker(&engine);
    let mut store = Store::new(&engine, ());
    let e = linker.instantiate(&mut store, &component).unwrap_err();
    assert!(message(&e).contains("instantiate_async"), "{e:?}");
    // Nothing was instantiated, and the store is still synchronous.
    assert!(!store.is_async());
    assert!(block_on(linker.instantiate_async(&mut store, &component)).is_ok());
}

#[test]
fn an_async_import_that_fails_traps_the_guest_and_locks_it_down() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let mut linker = Linker::<()>::new(&engine);
    linker
        .root()
        .func_wrap_async("prefix", |_store, (_s,): (String,)| {
            Box::new(async move {
                tokio::task::yield_now().await;
                Err::<(String,), _>(wit_host::Error::msg("the host gave up"))
            })
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let e = call_async(&mut store, &instance, "greet", &[s("x")])
            .await
            .unwrap_err();
        assert!(message(&e).contains("the host gave up"), "{e:?}");
        let again = call_async(&mut store, &instance, "add", &[Val::U32(1), Val::U32(1)]).await;
        assert_locked_down(again, "after the failed import");
    });
}

#[test]
fn dropping_the_future_while_an_async_import_is_pending_cancels_the_call() {
    let engine = engine();
    let component = compile(&engine, GUEST);
    let mut linker = Linker::<()>::new(&engine);
    linker
        .root()
        .func_wrap_async("prefix", |_store, (_s,): (String,)| {
            Box::new(std::future::pending::<wit_host::Result<(String,)>>())
        })
        .unwrap();
    let mut store = Store::new(&engine, ());
    block_on(async {
        let instance = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let greet = instance
            .get_typed_func::<(String,), (String,)>(&mut store, "greet")
            .unwrap();
        let outcome = tokio::time::timeout(
            Duration::from_millis(20),
            greet.call_async(&mut store, ("never".to_string(),)),
        )
        .await;
        assert!(outcome.is_err(), "the import never answers");
        let again = call_async(&mut store, &instance, "add", &[Val::U32(1), Val::U32(1)]).await;
        assert_locked_down(again, "the cancelled instance");
        let fresh = linker
            .instantiate_async(&mut store, &component)
            .await
            .unwrap();
        let sum = call_async(&mut store, &fresh, "add", &[Val::U32(1), Val::U32(1)]).await;
        assert_eq!(sum.unwrap(), Val::U32(2));
    });
}
