//! Every component value type, both ways, through a real guest: `values.c`
//! compiled by clang against wit-bindgen-c's bindings and encoded by
//! wit-component (see `tests/build.rs` and `tests/guests/values/`).
//!
//! Each `roundtrip-T` export passes its argument to the host import
//! `echo-T` and returns the host's reply transformed (the transformations
//! are documented in `world.wit`). So one call checks three things: the host
//! lowered `x` into the guest (host → guest), the host lifted what the
//! guest's bindings passed on out of guest memory (guest → host, asserted as
//! what `echo-T` received), and the host lowered its reply into the guest's
//! return area and lifted the guest's transformed result (the result).
//!
//! Every test runs twice: on the guest built with UTF-8 strings (module
//! `utf8`) and on the same source built with UTF-16 strings (module
//! `utf16`), so the host meets both encodings from a real producer.

use std::collections::HashMap;

use crate::guests_common::*;
use wit_host::{Instance, Linker, Store, Val};

/// The interface the guest imports from the host.
const HOST: &str = "test:values/host";

/// The types-only interface the guest imports.
const TYPES: &str = "test:values/types";

/// Every function of [`HOST`]; each but `sum17` is `echo-T`.
const HOST_FUNCS: &[&str] = &[
    "echo-bool",
    "echo-s8",
    "echo-u8",
    "echo-s16",
    "echo-u16",
    "echo-s32",
    "echo-u32",
    "echo-s64",
    "echo-u64",
    "echo-f32",
    "echo-f64",
    "echo-char",
    "echo-string",
    "echo-bytes",
    "echo-strings",
    "echo-point",
    "echo-points",
    "echo-tuple",
    "echo-shape",
    "echo-color",
    "echo-option",
    "echo-result",
    "echo-perms",
    "echo-many",
    "sum17",
];

/// The host's state: what its functions received and what they reply.
#[derive(Default)]
struct Host {
    /// Every call of a host function: its name and parameters, in order.
    calls: Vec<(String, Vec<Val>)>,
    /// The reply of `echo-T`, by function name; without one it echoes.
    replies: HashMap<String, Val>,
}

/// Instantiates the guest at `path` with [`HOST`] implemented by
/// [`Host`]: `echo-T` records its argument and replies as set in
/// `Host::replies`; `sum17` records its parameters and replies with their
/// sum as a `u64`.
fn instantiate(path: &str) -> Option<(Store<Host>, Instance)> {
    let (engine, component) = crate::guests_common::load(path)?;
    let mut linker = Linker::<Host>::new(&engine);
    // The world imports the types-only interface `types` (used by `host`):
    // an instance with nothing in it, as in wasmtime.
    linker.instance(TYPES).expect("linker instance");
    let mut host = linker.instance(HOST).expect("linker instance");
    for &name in HOST_FUNCS {
        host.func_new(name, move |mut store, _ty, params, results| {
            let host = store.data_mut();
            host.calls.push((name.to_string(), params.to_vec()));
            results[0] = if name == "sum17" {
                let sum = params
                    .iter()
                    .map(|p| match p {
                        Val::U32(v) => u64::from(*v),
                        other => panic!("sum17 got {other:?}"),
                    })
                    .sum();
                Val::U64(sum)
            } else {
                host.replies
                    .remove(name)
                    .unwrap_or_else(|| params[0].clone())
            };
            Ok(())
        })
        .expect("define host function");
    }
    let mut store = Store::new(&engine, Host::default());
    let instance = linker
        .instantiate(&mut store, &component)
        .unwrap_or_else(|e| panic!("instantiating {path}: {e:#}"));
    Some((store, instance))
}

/// Calls `roundtrip-<ty>(x)` with the host replying `reply` from
/// `echo-<ty>`; returns what `echo-<ty>` received and the guest's result.
fn roundtrip(
    store: &mut Store<Host>,
    instance: &Instance,
    ty: &str,
    x: Val,
    reply: Val,
) -> (Vec<Val>, Val) {
    store.data_mut().calls.clear();
    store.data_mut().replies.insert(format!("echo-{ty}"), reply);
    let result = call1(
        store,
        instance,
        &format!("test:values/api#roundtrip-{ty}"),
        &[x],
    );
    let calls = std::mem::take(&mut store.data_mut().calls);
    assert_eq!(calls.len(), 1, "the guest calls the host once: {calls:?}");
    let (name, params) = calls.into_iter().next().unwrap();
    assert_eq!(name, format!("echo-{ty}"));
    (params, result)
}

/// Instantiates the guest at `path`, runs [`roundtrip`] and asserts that
/// the host received exactly `x` and the guest returned `expected`.
fn check(path: &str, ty: &str, x: Val, reply: Val, expected: Val) {
    let Some((mut store, instance)) = instantiate(path) else {
        return;
    };
    let (received, result) = roundtrip(&mut store, &instance, ty, x.clone(), reply);
    assert_eq!(received, vec![x], "what the host received from the guest");
    assert_eq!(result, expected, "what the guest returned");
}

/// A `point` record.
fn point(x: i32, y: i32, label: &str) -> Val {
    record(&[("x", Val::S32(x)), ("y", Val::S32(y)), ("label", s(label))])
}

/// The guest exports exactly the `api` functions of its world.
fn exports_every_api_function(path: &str) {
    let Some((mut store, instance)) = instantiate(path) else {
        return;
    };
    let exports = instance.exports(&mut store).expect("exports");
    let mut expected: Vec<String> = HOST_FUNCS
        .iter()
        .map(|f| {
            let name = f
                .strip_prefix("echo-")
                .map_or(f.to_string(), |t| format!("roundtrip-{t}"));
            format!("test:values/api#{name}")
        })
        .collect();
    expected.sort();
    assert_eq!(exports, expected);
}

/// `bool`: `true` goes to the host, whose `false` the guest negates.
fn bool_roundtrip(path: &str) {
    check(
        path,
        "bool",
        Val::Bool(true),
        Val::Bool(false),
        Val::Bool(true),
    );
}

/// `s8`: a negative value reaches the host; the host's `i8::MAX` + 1 wraps
/// to `i8::MIN` in the guest (sign extension both ways).
fn s8_roundtrip(path: &str) {
    check(
        path,
        "s8",
        Val::S8(-100),
        Val::S8(i8::MAX),
        Val::S8(i8::MIN),
    );
}

/// `u8`: 255 + 1 wraps to 0.
fn u8_roundtrip(path: &str) {
    check(path, "u8", Val::U8(200), Val::U8(u8::MAX), Val::U8(0));
}

/// `s16`: negative values both ways.
fn s16_roundtrip(path: &str) {
    check(path, "s16", Val::S16(-30000), Val::S16(-2), Val::S16(-1));
}

/// `u16`: values above `i16::MAX` (no sign extension).
fn u16_roundtrip(path: &str) {
    check(
        path,
        "u16",
        Val::U16(40000),
        Val::U16(65000),
        Val::U16(65001),
    );
}

/// `s32`: `i32::MIN` to the host, -1 + 1 back.
fn s32_roundtrip(path: &str) {
    check(path, "s32", Val::S32(i32::MIN), Val::S32(-1), Val::S32(0));
}

/// `u32`: values above `i32::MAX`.
fn u32_roundtrip(path: &str) {
    check(
        path,
        "u32",
        Val::U32(u32::MAX),
        Val::U32(3_000_000_000),
        Val::U32(3_000_000_001),
    );
}

/// `s64`: `i64::MIN` to the host; `i64::MAX` + 1 wraps.
fn s64_roundtrip(path: &str) {
    check(
        path,
        "s64",
        Val::S64(i64::MIN),
        Val::S64(i64::MAX),
        Val::S64(i64::MIN),
    );
}

/// `u64`: values above `i64::MAX`.
fn u64_roundtrip(path: &str) {
    check(
        path,
        "u64",
        Val::U64(u64::MAX - 1),
        Val::U64(1 << 63),
        Val::U64((1 << 63) + 1),
    );
}

/// `f32`: fractions and signs survive; the guest doubles the reply.
fn f32_roundtrip(path: &str) {
    check(
        path,
        "f32",
        Val::Float32(1.5),
        Val::Float32(-0.25),
        Val::Float32(-0.5),
    );
}

/// `f64`: a value an `f32` cannot hold exactly.
fn f64_roundtrip(path: &str) {
    check(
        path,
        "f64",
        Val::Float64(0.1),
        Val::Float64(1e300),
        Val::Float64(2e300),
    );
}

/// `char`: a non-ASCII character to the host; the guest upper-cases the
/// host's ASCII letter.
fn char_roundtrip(path: &str) {
    check(path, "char", Val::Char('ß'), Val::Char('q'), Val::Char('Q'));
}

/// `char`: a character outside the BMP from the host comes back unchanged.
fn char_outside_bmp_roundtrip(path: &str) {
    check(
        path,
        "char",
        Val::Char('a'),
        Val::Char('🦀'),
        Val::Char('🦀'),
    );
}

/// `string`: non-ASCII text both ways (2-, 3- and 4-byte UTF-8, surrogate
/// pairs in UTF-16); the guest appends "!" to the reply.
fn string_roundtrip(path: &str) {
    check(
        path,
        "string",
        s("héllo wörld ✓ 🦀"),
        s("ünïcode → 😀"),
        s("ünïcode → 😀!"),
    );
}

/// `string`: empty strings both ways.
fn empty_string_roundtrip(path: &str) {
    check(path, "string", s(""), s(""), s("!"));
}

/// `string`: a 200 KB string both ways, more than the guest's memory holds
/// at start, so the guest's `cabi_realloc` grows its memory.
fn long_string_roundtrip(path: &str) {
    let long = "wit-host ✓ ".repeat(20_000);
    check(path, "string", s(&long), s(&long), s(&format!("{long}!")));
}

/// `list<u8>`: the guest reverses the reply.
fn bytes_roundtrip(path: &str) {
    check(
        path,
        "bytes",
        bytes(&[0, 1, 255]),
        bytes(&[1, 2, 3, 4]),
        bytes(&[4, 3, 2, 1]),
    );
}

/// `list<u8>`: empty lists both ways.
fn empty_bytes_roundtrip(path: &str) {
    check(path, "bytes", bytes(&[]), bytes(&[]), bytes(&[]));
}

/// `list<string>`: the guest reverses the reply's order.
fn strings_roundtrip(path: &str) {
    check(
        path,
        "strings",
        strings(&["a", "β", "", "😀"]),
        strings(&["one", "twö", ""]),
        strings(&["", "twö", "one"]),
    );
}

/// `record`: the guest swaps `x` and `y` and appends "!" to `label`.
fn point_roundtrip(path: &str) {
    check(
        path,
        "point",
        point(-1, 2, "p"),
        point(10, -20, "ℓabel"),
        point(-20, 10, "ℓabel!"),
    );
}

/// `list<record>` with strings inside: the guest reverses the list and
/// transforms each point.
fn points_roundtrip(path: &str) {
    check(
        path,
        "points",
        Val::List(vec![point(1, 2, "a"), point(3, 4, "bb")]),
        Val::List(vec![point(5, 6, "c"), point(7, 8, ""), point(9, 10, "é")]),
        Val::List(vec![
            point(10, 9, "é!"),
            point(8, 7, "!"),
            point(6, 5, "c!"),
        ]),
    );
}

/// `tuple<u8, string, f64>`: each element transformed, the `u8` wrapping.
fn tuple_roundtrip(path: &str) {
    check(
        path,
        "tuple",
        Val::Tuple(vec![Val::U8(1), s("t"), Val::Float64(1.5)]),
        Val::Tuple(vec![Val::U8(255), s("ü"), Val::Float64(2.5)]),
        Val::Tuple(vec![Val::U8(0), s("ü!"), Val::Float64(-2.5)]),
    );
}

/// A `shape` variant value.
fn shape(case: &str, payload: Option<Val>) -> Val {
    Val::Variant(case.to_string(), payload.map(Box::new))
}

/// `variant`, an `f32` payload: the guest doubles the radius.
fn shape_circle_roundtrip(path: &str) {
    check(
        path,
        "shape",
        shape("empty", None),
        shape("circle", Some(Val::Float32(1.25))),
        shape("circle", Some(Val::Float32(2.5))),
    );
}

/// `variant`, a tuple payload: the guest swaps the sides.
fn shape_rectangle_roundtrip(path: &str) {
    let sides = |a, b| Some(Val::Tuple(vec![Val::U32(a), Val::U32(b)]));
    check(
        path,
        "shape",
        shape("rectangle", sides(1, u32::MAX)),
        shape("rectangle", sides(3, 4)),
        shape("rectangle", sides(4, 3)),
    );
}

/// `variant`, a string payload: the guest appends "!".
fn shape_named_roundtrip(path: &str) {
    check(
        path,
        "shape",
        shape("named", Some(s("triangle △"))),
        shape("named", Some(s("hexagon ⬡"))),
        shape("named", Some(s("hexagon ⬡!"))),
    );
}

/// `variant`, a case without payload.
fn shape_empty_roundtrip(path: &str) {
    check(
        path,
        "shape",
        shape("circle", Some(Val::Float32(-1.0))),
        shape("empty", None),
        shape("empty", None),
    );
}

/// `enum`: the guest returns the case after the reply, wrapping around.
fn color_roundtrip(path: &str) {
    let color = |c: &str| Val::Enum(c.to_string());
    check(path, "color", color("green"), color("blue"), color("red"));
}

/// `option<string>`, `some`: the guest appends "!".
fn option_some_roundtrip(path: &str) {
    check(
        path,
        "option",
        some(s("x")),
        some(s("yes")),
        some(s("yes!")),
    );
}

/// `option<string>`, `none` both ways: the guest answers `some("none")`.
fn option_none_roundtrip(path: &str) {
    check(
        path,
        "option",
        Val::Option(None),
        Val::Option(None),
        some(s("none")),
    );
}

/// `result<u32, string>`, `ok`: the guest adds 1.
fn result_ok_roundtrip(path: &str) {
    check(
        path,
        "result",
        err(s("bad")),
        ok(Val::U32(41)),
        ok(Val::U32(42)),
    );
}

/// `result<u32, string>`, `err`: the guest appends "!".
fn result_err_roundtrip(path: &str) {
    check(
        path,
        "result",
        ok(Val::U32(7)),
        err(s("wrong")),
        err(s("wrong!")),
    );
}

/// `flags` (3): the guest complements the reply.
fn perms_roundtrip(path: &str) {
    check(
        path,
        "perms",
        flags(&["read", "exec"]),
        flags(&["write"]),
        flags(&["read", "exec"]),
    );
}

/// `flags` (32, every bit of an `i32`): the guest complements the reply,
/// so bit 31 is set on the way back.
fn many_roundtrip(path: &str) {
    let names: Vec<String> = (0..32).map(|i| format!("f{i}")).collect();
    let expected: Vec<&str> = names
        .iter()
        .map(String::as_str)
        .filter(|n| *n != "f1" && *n != "f30")
        .collect();
    check(
        path,
        "many",
        flags(&["f0", "f31"]),
        flags(&["f1", "f30"]),
        flags(&expected),
    );
}

/// 17 parameters, more than are passed flat: they go through memory both
/// into the guest (the host stores them with the guest's `cabi_realloc`)
/// and from the guest to the host. The host replies with the sum it saw;
/// the guest adds 1000 times the sum it saw.
fn seventeen_params_roundtrip(path: &str) {
    let Some((mut store, instance)) = instantiate(path) else {
        return;
    };
    let params: Vec<Val> = (1..=17).map(|i| Val::U32(i * 1_000_000)).collect();
    let result = call1(&mut store, &instance, "test:values/api#sum17", &params);
    let sum = 153_000_000u64;
    assert_eq!(result, Val::U64(sum + 1000 * sum));
    assert_eq!(store.data().calls, vec![("sum17".to_string(), params)]);
}

/// Many calls in one instance: the guest frees what it allocates (its
/// post-return functions run), so its memory does not run out, and results
/// stay right.
fn repeated_calls_stay_correct(path: &str) {
    let Some((mut store, instance)) = instantiate(path) else {
        return;
    };
    let text = "x".repeat(10_000);
    for i in 0..300 {
        let (received, result) = roundtrip(&mut store, &instance, "string", s(&text), s(&text));
        assert_eq!(received, vec![s(&text)], "call {i}");
        assert_eq!(result, s(&format!("{text}!")), "call {i}");
    }
}

both_encodings!(
    utf8: VALUES, utf16: VALUES_UTF16;
    exports_every_api_function,
    bool_roundtrip,
    s8_roundtrip,
    u8_roundtrip,
    s16_roundtrip,
    u16_roundtrip,
    s32_roundtrip,
    u32_roundtrip,
    s64_roundtrip,
    u64_roundtrip,
    f32_roundtrip,
    f64_roundtrip,
    char_roundtrip,
    char_outside_bmp_roundtrip,
    string_roundtrip,
    empty_string_roundtrip,
    long_string_roundtrip,
    bytes_roundtrip,
    empty_bytes_roundtrip,
    strings_roundtrip,
    point_roundtrip,
    points_roundtrip,
    tuple_roundtrip,
    shape_circle_roundtrip,
    shape_rectangle_roundtrip,
    shape_named_roundtrip,
    shape_empty_roundtrip,
    color_roundtrip,
    option_some_roundtrip,
    option_none_roundtrip,
    result_ok_roundtrip,
    result_err_roundtrip,
    perms_roundtrip,
    many_roundtrip,
    seventeen_params_roundtrip,
    repeated_calls_stay_correct,
);
