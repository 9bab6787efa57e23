//! Fixtures shared by the typed-API tests (`typed_*`): typed host
//! functions for the round-trip guest of `roundtrip_common` (re-exported
//! here), and the round-trip check that drives it in both directions with
//! Rust values.

#![allow(dead_code)]

use std::fmt::Debug;

use crate::common::instantiate;
pub use crate::roundtrip_common::{PTR_LEN_STORE, Ty, roundtrip_wat};
use wit_host::{Engine, Instance, Lift, Linker, Lower, Store};

/// The host's state for [`roundtrip_wat`] components: what the typed host
/// functions `f` and `f-list` received, and what they reply (popped; they
/// echo when there is nothing to pop).
pub struct Echo<V> {
    pub seen: Vec<V>,
    pub replies: Vec<V>,
    pub seen_lists: Vec<Vec<V>>,
    pub list_replies: Vec<Vec<V>>,
}

impl<V> Default for Echo<V> {
    fn default() -> Self {
        Echo {
            seen: Vec::new(),
            replies: Vec::new(),
            seen_lists: Vec::new(),
            list_replies: Vec::new(),
        }
    }
}

/// A linker defining `f: func(x: V) -> V` and `f-list: func(x: list<V>)
/// -> list<V>` with `func_wrap`, recording into [`Echo`].
pub fn echo_linker<V>(engine: &Engine) -> Linker<Echo<V>>
where
    V: Lift + Lower + Clone + Send + Sync + 'static,
{
    let mut linker = Linker::<Echo<V>>::new(engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (V,)| {
            let host = store.data_mut();
            host.seen.push(x.clone());
            Ok((host.replies.pop().unwrap_or(x),))
        })
        .unwrap();
    linker
        .root()
        .func_wrap("f-list", |mut store, (xs,): (Vec<V>,)| {
            let host = store.data_mut();
            host.seen_lists.push(xs.clone());
            Ok((host.list_replies.pop().unwrap_or(xs),))
        })
        .unwrap();
    linker
}

/// Instantiates [`roundtrip_wat`] for `t` with [`echo_linker`], on an
/// engine with the proposals on (so `t` may be a map or a fixed-length
/// list).
pub fn roundtrip_instance<V>(t: &Ty) -> (Store<Echo<V>>, Instance)
where
    V: Lift + Lower + Clone + Send + Sync + 'static,
{
    let engine = crate::common::proposals_engine();
    let mut store = Store::new(&engine, Echo::default());
    let linker = echo_linker::<V>(&engine);
    let instance = instantiate(&engine, &mut store, &linker, &roundtrip_wat(t));
    (store, instance)
}

/// Runs every round trip of `t` with `values` (at least two), comparing
/// with `==`.
#[track_caller]
pub fn check_roundtrip<V>(t: &Ty, values: &[V])
where
    V: Lift + Lower + Clone + Debug + PartialEq + Send + Sync + 'static,
{
    check_roundtrip_by(t, values, |a, b| a == b)
}

/// Runs every round trip of `t` with `values` (at least two), comparing
/// with `same`:
///
/// * host → guest → host with `echo`, passing `V` and `&V`;
/// * the same for lists with `echo-list`, passing `Vec<V>` and `&[V]`;
/// * guest → host with `run`: the host function receives each value (it is
///   compared) and replies with the next one, which the guest returns;
/// * the same for lists with `run-list` (the host replies with the list
///   reversed).
#[track_caller]
pub fn check_roundtrip_by<V>(t: &Ty, values: &[V], same: impl Fn(&V, &V) -> bool)
where
    V: Lift + Lower + Clone + Debug + Send + Sync + 'static,
{
    assert!(values.len() >= 2);
    let (mut store, instance) = roundtrip_instance::<V>(t);
    let check = |what: &str, got: &V, want: &V| {
        assert!(
            same(got, want),
            "{what}:\n  got:      {got:?}\n  expected: {want:?}"
        );
    };
    let check_list = |what: &str, got: &[V], want: &[V]| {
        assert!(
            got.len() == want.len() && got.iter().zip(want).all(|(a, b)| same(a, b)),
            "{what}:\n  got:      {got:?}\n  expected: {want:?}"
        );
    };

    // host -> guest -> host, through the guest's memory
    let echo = instance
        .get_typed_func::<(V,), (V,)>(&mut store, "echo")
        .unwrap();
    let echo_ref = instance
        .get_typed_func::<(&V,), (V,)>(&mut store, "echo")
        .unwrap();
    for v in values {
        let (got,) = echo.call(&mut store, (v.clone(),)).unwrap();
        check("echo of an owned value", &got, v);
        let (got,) = echo_ref.call(&mut store, (v,)).unwrap();
        check("echo of a reference", &got, v);
    }
    let echo_list = instance
        .get_typed_func::<(Vec<V>,), (Vec<V>,)>(&mut store, "echo-list")
        .unwrap();
    let (got,) = echo_list.call(&mut store, (values.to_vec(),)).unwrap();
    check_list("echo-list of a Vec", &got, values);
    let echo_slice = instance
        .get_typed_func::<(&[V],), (Vec<V>,)>(&mut store, "echo-list")
        .unwrap();
    let (got,) = echo_slice.call(&mut store, (values,)).unwrap();
    check_list("echo-list of a slice", &got, values);

    // guest -> host -> guest: the host sees the argument and replies with
    // a different value, which the guest returns
    let run = instance
        .get_typed_func::<(V,), (V,)>(&mut store, "run")
        .unwrap();
    for (i, v) in values.iter().enumerate() {
        let reply = values[(i + 1) % values.len()].clone();
        store.data_mut().replies.push(reply.clone());
        let (got,) = run.call(&mut store, (v.clone(),)).unwrap();
        let seen = store
            .data_mut()
            .seen
            .pop()
            .expect("the host function was not called");
        check("what the host function received", &seen, v);
        check(
            "the host function's reply, returned by the guest",
            &got,
            &reply,
        );
    }
    let run_list = instance
        .get_typed_func::<(Vec<V>,), (Vec<V>,)>(&mut store, "run-list")
        .unwrap();
    let reversed: Vec<V> = values.iter().rev().cloned().collect();
    store.data_mut().list_replies.push(reversed.clone());
    let (got,) = run_list.call(&mut store, (values.to_vec(),)).unwrap();
    let seen = store
        .data_mut()
        .seen_lists
        .pop()
        .expect("the host function was not called");
    check_list("the list the host function received", &seen, values);
    check_list(
        "the host function's list reply, returned by the guest",
        &got,
        &reversed,
    );
}

/// The bytes the host stores for `values` as a `list<V>` in a fresh
/// [`roundtrip_wat`] instance for `t` (`V::SIZE32` bytes per value).
pub fn stored_bytes<V>(t: &Ty, values: &[V]) -> Vec<u8>
where
    V: Lift + Lower + Clone + Send + Sync + 'static,
{
    let (mut store, instance) = roundtrip_instance::<V>(t);
    let raw = instance
        .get_typed_func::<(&[V], u32), (Vec<u8>,)>(&mut store, "raw")
        .unwrap();
    let n = values.len() as u32 * <V as wit_host::ComponentType>::SIZE32;
    raw.call(&mut store, (values, n)).unwrap().0
}
