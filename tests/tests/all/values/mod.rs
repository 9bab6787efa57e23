//! Every component value type, in both directions, through real guests,
//! with dynamic `Val`s.
//!
//! For each type `T` one component (the round-trip guest of
//! `roundtrip_common`) has `echo`/`echo-list` (host → guest → host through
//! the guest's memory) and `run`/`run-list` (guest → host: the guest passes
//! the value on to the host import `f`/`f-list`, defined here with
//! `func_new`); [`check_roundtrip`] drives all four.
//!
//! The files: [`scalars`], [`strings_and_lists`], [`records_and_variants`]
//! (records, tuples, variants, enums, options, results), [`flags`] (up to
//! the 32-flag limit), [`lifting`] (bool from any non-zero value, narrow
//! integers truncated, NaN canonicalization, variant payload coercion) and
//! [`calling_convention`] (more than 16 flat parameters spilled to memory
//! allocated with `realloc`, the calls `realloc` receives, results through
//! a return pointer, and `post-return`).

mod calling_convention;
mod flags;
mod lifting;
mod records_and_variants;
mod scalars;
mod strings_and_lists;

use crate::common::*;
use crate::roundtrip_common::{Ty, roundtrip_wat};
use wit_host::{Instance, Store, Val};

/// The host's state for [`roundtrip_wat`] components: what the host
/// functions received and what they reply (popped; echo when empty).
#[derive(Default)]
struct Host {
    seen: Vec<Val>,
    replies: Vec<Val>,
}

/// Instantiates [`roundtrip_wat`] for `t` with echoing host functions.
fn roundtrip_instance(t: &Ty) -> (Store<Host>, Instance) {
    let (engine, mut store, mut linker) = setup(Host::default());
    for name in ["f", "f-list"] {
        linker
            .root()
            .func_new(name, |mut store, _ty, params, results| {
                let host = store.data_mut();
                host.seen.push(params[0].clone());
                results[0] = host.replies.pop().unwrap_or_else(|| params[0].clone());
                Ok(())
            })
            .unwrap();
    }
    let instance = instantiate(&engine, &mut store, &linker, &roundtrip_wat(t));
    (store, instance)
}

/// Runs all four round trips of `t` with `values` (at least two).
fn check_roundtrip(t: &Ty, values: &[Val]) {
    assert!(values.len() >= 2);
    let (mut store, instance) = roundtrip_instance(t);

    // host -> guest -> host, through the guest's memory
    for v in values {
        let got = call1(&mut store, &instance, "echo", std::slice::from_ref(v));
        assert_same(&got, v);
    }
    let list = Val::List(values.to_vec());
    let got = call1(
        &mut store,
        &instance,
        "echo-list",
        std::slice::from_ref(&list),
    );
    assert_same(&got, &list);

    // guest -> host -> guest: the host sees the argument and replies with
    // a different value, which the guest returns
    for (i, v) in values.iter().enumerate() {
        let reply = values[(i + 1) % values.len()].clone();
        store.data_mut().replies.push(reply.clone());
        let got = call1(&mut store, &instance, "run", std::slice::from_ref(v));
        let seen = store
            .data_mut()
            .seen
            .pop()
            .expect("the host function was not called");
        assert_same(&seen, v);
        assert_same(&got, &reply);
    }
    let reversed = Val::List(values.iter().rev().cloned().collect());
    store.data_mut().replies.push(reversed.clone());
    let got = call1(
        &mut store,
        &instance,
        "run-list",
        std::slice::from_ref(&list),
    );
    assert_same(&store.data_mut().seen.pop().unwrap(), &list);
    assert_same(&got, &reversed);
}

/// `record { a: u8, b: u64, c: string }`: `a` at 0, `b` at 8, `c` at 16;
/// size 24, alignment 8.
const REC_DEF: (&str, &str, bool) = (
    "rec",
    r#"(record (field "a" u8) (field "b" u64) (field "c" string))"#,
    true,
);

fn rec(a: u8, b: u64, c: &str) -> Val {
    record(&[("a", Val::U8(a)), ("b", Val::U64(b)), ("c", s(c))])
}

/// A variant whose payloads flatten to different core types, so that the
/// flat form joins them: `(i32 discriminant, i64, i32)`. In memory the
/// discriminant is a `u8` at 0 and the payload is at 8; size 16.
const MIXED_DEF: (&str, &str, bool) = (
    "mixed",
    r#"(variant (case "none") (case "int" s32) (case "float" f32) (case "long" s64)
                (case "double" f64) (case "text" string) (case "byte" u8))"#,
    true,
);
