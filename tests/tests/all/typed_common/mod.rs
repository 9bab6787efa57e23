//! Fixtures shared by the typed-API tests (`typed_*.rs`): a guest
//! component generated for one interface type `T` that echoes values of `T`
//! through its own memory and passes them on to typed host imports, and the
//! round-trip check that drives it in both directions with Rust values.
//!
//! For a type `T`, [`roundtrip_wat`] builds a component with:
//!
//! * `echo: func(x: T) -> T` — host → guest → host: the host lowers `x`
//!   (flat, through `realloc` for strings and lists); the guest stores the
//!   flat values into its return area in `T`'s memory layout (instructions
//!   written by hand per type in [`Ty::store`]) and the host lifts the
//!   result out of memory;
//! * `echo-list: func(x: list<T>) -> list<T>` — the host stores a whole list
//!   in guest memory and loads it back;
//! * `run: func(x: T) -> T` — guest → host: the guest passes `x` to the
//!   imported host function `f` (defined with `func_wrap`), which lifts it
//!   from the guest's flat values and lowers its reply through the guest's
//!   return pointer; the guest returns the reply;
//! * `run-list` — the same with `list<T>` and the import `f-list`;
//! * `raw: func(x: list<T>, n: u32) -> list<u8>` — the first `n` bytes of
//!   the list as the host stored them, to check memory layouts byte by byte.
//!
//! plus the libc probes of `common` (`realloc-count`, `realloc-log`, ...).

#![allow(dead_code)]

use std::fmt::Debug;

use crate::common::{LIBC, LIBC_PROBE_EXPORTS, LIBC_PROBES, OPTS, compile, numbered};
use wit_host::{Engine, Instance, Lift, Linker, Lower, Store};

/// An interface type under test, as the roundtrip component spells it.
pub struct Ty {
    /// Type definitions in order: `(name, definition, named)`. A named type
    /// (record, variant, enum, flags) is imported and exported under `name`
    /// so functions may use it. Definitions refer to earlier ones as
    /// `$name`.
    pub defs: Vec<(String, String, bool)>,
    /// The type as functions use it: `u32`, `string`, `(list u8)`, `$name`.
    pub ty: String,
    /// The core types `T` flattens to.
    pub flat: Vec<&'static str>,
    /// When `T` flattens to more than one value: instructions storing the
    /// flat parameters (locals 0..) at address 64 (`RET`) in `T`'s memory
    /// layout.
    pub store: String,
}

impl Ty {
    /// A type without definitions that flattens to one core value.
    pub fn scalar(ty: &str, flat: &'static str) -> Ty {
        Ty {
            defs: vec![],
            ty: ty.into(),
            flat: vec![flat],
            store: String::new(),
        }
    }

    /// A type with definitions; `defs` as `(name, definition, named)`.
    pub fn defined(
        defs: &[(&str, &str, bool)],
        ty: &str,
        flat: &[&'static str],
        store: &str,
    ) -> Ty {
        Ty {
            defs: defs
                .iter()
                .map(|(n, d, named)| (n.to_string(), d.to_string(), *named))
                .collect(),
            ty: ty.into(),
            flat: flat.to_vec(),
            store: store.into(),
        }
    }

    /// A list or string: `(ptr, len)` stored at 64 and 68.
    pub fn ptr_len(defs: &[(&str, &str, bool)], ty: &str) -> Ty {
        Ty::defined(defs, ty, &["i32", "i32"], PTR_LEN_STORE)
    }

    /// A named type (record, variant, enum, flags) defined by `def` that
    /// flattens to one core value.
    pub fn named_scalar(name: &str, def: &str) -> Ty {
        Ty::defined(&[(name, def, true)], &format!("${name}"), &["i32"], "")
    }
}

/// Stores a `(ptr, len)` pair of flat parameters at 64.
pub const PTR_LEN_STORE: &str =
    "(i32.store (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))";

/// The definitions and the function type of `t`, with every `$name`
/// prefixed by `side` (`imp` or `exp`): the import side imports named types,
/// the export side exports them.
fn side(t: &Ty, side: &str) -> (String, String) {
    let prefix = format!("${side}-");
    let mut out = String::new();
    for (name, def, named) in &t.defs {
        let def = def.replace('$', &prefix);
        if *named {
            out.push_str(&format!("  (type {prefix}{name}' {def})\n"));
            if side == "imp" {
                out.push_str(&format!(
                    "  (import \"{name}\" (type {prefix}{name} (eq {prefix}{name}')))\n"
                ));
            } else {
                out.push_str(&format!(
                    "  (export {prefix}{name} \"{name}\" (type {prefix}{name}'))\n"
                ));
            }
        } else {
            out.push_str(&format!("  (type {prefix}{name} {def})\n"));
        }
    }
    (out, t.ty.replace('$', &prefix))
}

/// The component described in the module docs, for type `t`.
pub fn roundtrip_wat(t: &Ty) -> String {
    let (imp_defs, imp_ty) = side(t, "imp");
    let (exp_defs, exp_ty) = side(t, "exp");
    let flat = t.flat.join(" ");
    let gets: String = (0..t.flat.len())
        .map(|i| format!("(local.get {i}) "))
        .collect();
    let (lower_sig, lift_result, echo_body, run_body) = if t.flat.len() == 1 {
        (
            format!("(param {flat}) (result {flat})"),
            flat.clone(),
            "(local.get 0)".to_string(),
            "(call $f (local.get 0))".to_string(),
        )
    } else {
        (
            format!("(param {flat} i32)"),
            "i32".to_string(),
            format!("{} (i32.const 64)", t.store),
            format!("(call $f {gets}(i32.const 64)) (i32.const 64)"),
        )
    };
    format!(
        r#"(component
  {LIBC}
{imp_defs}
  (import "f" (func $f (param "x" {imp_ty}) (result {imp_ty})))
  (import "f-list" (func $f-list (param "x" (list {imp_ty})) (result (list {imp_ty}))))
  (core func $f' (canon lower (func $f) {OPTS}))
  (core func $f-list' (canon lower (func $f-list) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "f" (func $f {lower_sig}))
    (import "host" "f-list" (func $f-list (param i32 i32 i32)))
    (func (export "echo") (param {flat}) (result {lift_result}) {echo_body})
    (func (export "run") (param {flat}) (result {lift_result}) {run_body})
    (func (export "echo-list") (param i32 i32) (result i32) {PTR_LEN_STORE} (i32.const 64))
    (func (export "run-list") (param i32 i32) (result i32)
      (call $f-list (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64))
    (func (export "raw") (param i32 i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 2))
      (i32.const 64))
    {LIBC_PROBES}
  )
  (core instance $m (instantiate $M
    (with "libc" (instance $libc))
    (with "host" (instance (export "f" (func $f')) (export "f-list" (func $f-list'))))))
{exp_defs}
  (func (export "echo") (param "x" {exp_ty}) (result {exp_ty}) (canon lift (core func $m "echo") {OPTS}))
  (func (export "run") (param "x" {exp_ty}) (result {exp_ty}) (canon lift (core func $m "run") {OPTS}))
  (func (export "echo-list") (param "x" (list {exp_ty})) (result (list {exp_ty}))
    (canon lift (core func $m "echo-list") {OPTS}))
  (func (export "run-list") (param "x" (list {exp_ty})) (result (list {exp_ty}))
    (canon lift (core func $m "run-list") {OPTS}))
  (func (export "raw") (param "x" (list {exp_ty})) (param "n" u32) (result (list u8))
    (canon lift (core func $m "raw") {OPTS}))
  {LIBC_PROBE_EXPORTS}
)"#
    )
}

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

/// Instantiates [`roundtrip_wat`] for `t` with [`echo_linker`].
pub fn roundtrip_instance<V>(t: &Ty) -> (Store<Echo<V>>, Instance)
where
    V: Lift + Lower + Clone + Send + Sync + 'static,
{
    let engine = Engine::default();
    let mut store = Store::new(&engine, Echo::default());
    let linker = echo_linker::<V>(&engine);
    let wat = roundtrip_wat(t);
    let component = compile(&engine, &wat);
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiation failed: {e:?}\n{}", numbered(&wat)));
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
