//! `bindgen!` bindings driving the real guest components that
//! `tests/build.rs` compiles from the C sources in `tests/guests/` (clang,
//! wasi-libc, wit-bindgen-c, wit-component): generated host traits,
//! generated `call_*` wrappers and generated resource handles against a
//! real toolchain's output, rather than hand-written WAT.
//!
//! This file: the `values` guest, every component value type both ways.
//! Each `roundtrip-T` export passes its argument to the host's `echo-T`,
//! which the generated `Host` trait implements here, and returns the host's
//! reply transformed (see `tests/guests/values/world.wit`). So one call
//! checks that the generated wrapper lowered the argument (what `echo-T`
//! received), that the generated import lifted it and lowered the reply,
//! and that the wrapper lifted the guest's result. Every test runs on the
//! guest built with UTF-8 strings (`utf8::`) and with UTF-16 strings
//! (`utf16::`).
//!
//! The world is the guest's own `tests/guests/values/world.wit`, `sum17`
//! included: seventeen parameters, one more than are passed flat, so both
//! the guest's export and the host's import take them through memory.
//!
//! The `values` guest's flags are in `values_flags`; the other guests:
//! `resources`, `resources_async`, `misbehave` and `compose` (submodules).

mod compose;
mod misbehave;
mod resources;
mod resources_async;
mod values_flags;

use std::any::Any;

use crate::guests_common::{VALUES, VALUES_UTF16, both_encodings, load};
use wit_host::{HasSelf, Linker, Store};

use values::exports::test::values::api::Guest;
use values::test::values::types::{Color, Many, Perms, Point, Shape};

/// The bindings of the guest's world `test:values`.
mod values {
    wit_host::bindgen!({ path: "guests/values/world.wit" });
}

/// The host's state: what its functions received and what they reply.
#[derive(Default)]
struct ValuesHost {
    /// Every call of a host function: its WIT name and argument, in order
    /// (`sum17`'s seventeen arguments as a `Vec<u32>`).
    received: Vec<(&'static str, Box<dyn Any>)>,
    /// The next reply of an `echo-T` function; without one it echoes.
    reply: Option<Box<dyn Any>>,
}

impl ValuesHost {
    /// Records `x` as received by `name` and replies with the reply set by
    /// the test (which must have `x`'s type), or with `x` itself.
    fn echo<T: Any + Clone>(&mut self, name: &'static str, x: T) -> T {
        self.received.push((name, Box::new(x.clone())));
        match self.reply.take() {
            None => x,
            Some(reply) => *reply
                .downcast::<T>()
                .unwrap_or_else(|_| panic!("the test set a reply of another type for `{name}`")),
        }
    }
}

impl values::test::values::types::Host for ValuesHost {}

impl values::test::values::host::Host for ValuesHost {
    fn echo_bool(&mut self, x: bool) -> bool {
        self.echo("echo-bool", x)
    }
    fn echo_s8(&mut self, x: i8) -> i8 {
        self.echo("echo-s8", x)
    }
    fn echo_u8(&mut self, x: u8) -> u8 {
        self.echo("echo-u8", x)
    }
    fn echo_s16(&mut self, x: i16) -> i16 {
        self.echo("echo-s16", x)
    }
    fn echo_u16(&mut self, x: u16) -> u16 {
        self.echo("echo-u16", x)
    }
    fn echo_s32(&mut self, x: i32) -> i32 {
        self.echo("echo-s32", x)
    }
    fn echo_u32(&mut self, x: u32) -> u32 {
        self.echo("echo-u32", x)
    }
    fn echo_s64(&mut self, x: i64) -> i64 {
        self.echo("echo-s64", x)
    }
    fn echo_u64(&mut self, x: u64) -> u64 {
        self.echo("echo-u64", x)
    }
    fn echo_f32(&mut self, x: f32) -> f32 {
        self.echo("echo-f32", x)
    }
    fn echo_f64(&mut self, x: f64) -> f64 {
        self.echo("echo-f64", x)
    }
    fn echo_char(&mut self, x: char) -> char {
        self.echo("echo-char", x)
    }
    fn echo_string(&mut self, x: String) -> String {
        self.echo("echo-string", x)
    }
    fn echo_bytes(&mut self, x: Vec<u8>) -> Vec<u8> {
        self.echo("echo-bytes", x)
    }
    fn echo_strings(&mut self, x: Vec<String>) -> Vec<String> {
        self.echo("echo-strings", x)
    }
    fn echo_point(&mut self, x: Point) -> Point {
        self.echo("echo-point", x)
    }
    fn echo_points(&mut self, x: Vec<Point>) -> Vec<Point> {
        self.echo("echo-points", x)
    }
    fn echo_tuple(&mut self, x: (u8, String, f64)) -> (u8, String, f64) {
        self.echo("echo-tuple", x)
    }
    fn echo_shape(&mut self, x: Shape) -> Shape {
        self.echo("echo-shape", x)
    }
    fn echo_color(&mut self, x: Color) -> Color {
        self.echo("echo-color", x)
    }
    fn echo_option(&mut self, x: Option<String>) -> Option<String> {
        self.echo("echo-option", x)
    }
    fn echo_result(&mut self, x: Result<u32, String>) -> Result<u32, String> {
        self.echo("echo-result", x)
    }
    fn echo_perms(&mut self, x: Perms) -> Perms {
        self.echo("echo-perms", x)
    }
    fn echo_many(&mut self, x: Many) -> Many {
        self.echo("echo-many", x)
    }
    /// Records the seventeen arguments and replies with their sum.
    fn sum17(
        &mut self,
        a1: u32,
        a2: u32,
        a3: u32,
        a4: u32,
        a5: u32,
        a6: u32,
        a7: u32,
        a8: u32,
        a9: u32,
        a10: u32,
        a11: u32,
        a12: u32,
        a13: u32,
        a14: u32,
        a15: u32,
        a16: u32,
        a17: u32,
    ) -> u64 {
        let args = vec![
            a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17,
        ];
        let sum = args.iter().map(|&a| u64::from(a)).sum();
        self.received.push(("sum17", Box::new(args)));
        sum
    }
}

/// The guest at `path` instantiated with the generated imports, and the
/// generated world struct wrapping its instance; `None` when the guests
/// were not built.
fn instantiate(path: &str) -> Option<(Store<ValuesHost>, values::Values)> {
    let (engine, component) = load(path)?;
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h)
        .expect("add the generated imports");
    let mut store = Store::new(&engine, ValuesHost::default());
    let bindings = values::Values::instantiate(&mut store, &component, &linker)
        .unwrap_or_else(|e| panic!("instantiating {path} with the bindings: {e:#}"));
    Some((store, bindings))
}

/// Calls `call` (one `call_roundtrip_T`) with `echo` replying `reply`;
/// returns what `echo` received and what the call returned, after checking
/// that the guest called `echo` exactly once and used the reply.
fn roundtrip<T: Any + Clone, R>(
    store: &mut Store<ValuesHost>,
    echo: &str,
    reply: T,
    call: impl FnOnce(&mut Store<ValuesHost>) -> wit_host::Result<R>,
) -> (T, R) {
    store.data_mut().received.clear();
    store.data_mut().reply = Some(Box::new(reply));
    let result = call(store).unwrap_or_else(|e| panic!("the call through `{echo}` failed: {e:#}"));
    assert!(store.data().reply.is_none(), "`{echo}` was not called");
    let mut received = std::mem::take(&mut store.data_mut().received);
    assert_eq!(received.len(), 1, "the guest calls the host once");
    let (name, value) = received.pop().expect("one call");
    assert_eq!(name, echo);
    let value = *value
        .downcast::<T>()
        .unwrap_or_else(|_| panic!("`{echo}` received another type"));
    (value, result)
}

/// Asserts that `call` sent `sent` to `echo` and, with `echo` replying
/// `reply`, returned `expected`.
#[track_caller]
fn check<T, R>(
    store: &mut Store<ValuesHost>,
    echo: &str,
    sent: T,
    reply: T,
    expected: R,
    call: impl FnOnce(&mut Store<ValuesHost>) -> wit_host::Result<R>,
) where
    T: Any + Clone + PartialEq + std::fmt::Debug,
    R: PartialEq + std::fmt::Debug,
{
    let (received, result) = roundtrip(store, echo, reply, call);
    assert_eq!(received, sent, "what `{echo}` received from the guest");
    assert_eq!(result, expected, "what the guest returned through `{echo}`");
}

/// A `point` record.
fn point(x: i32, y: i32, label: &str) -> Point {
    Point {
        x,
        y,
        label: label.to_string(),
    }
}

/// Owned strings.
fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The generated `api` wrappers of `bindings`.
fn api(bindings: &values::Values) -> &Guest {
    bindings.test_values_api()
}

/// `bool` both ways: the guest negates the host's reply.
fn bools(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (sent, reply) in [(true, false), (false, true), (true, true)] {
        check(&mut store, "echo-bool", sent, reply, !reply, |s| {
            api.call_roundtrip_bool(s, sent)
        });
    }
}

/// Every integer type at its extremes: sign extension both ways, and the
/// guest's `reply + 1` wrapping.
fn integers(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let s = &mut store;
    check(s, "echo-s8", -100i8, i8::MAX, i8::MIN, |s| {
        api.call_roundtrip_s8(s, -100)
    });
    check(s, "echo-s8", i8::MIN, -1, 0, |s| {
        api.call_roundtrip_s8(s, i8::MIN)
    });
    check(s, "echo-u8", 200u8, u8::MAX, 0, |s| {
        api.call_roundtrip_u8(s, 200)
    });
    check(s, "echo-s16", -30000i16, -2, -1, |s| {
        api.call_roundtrip_s16(s, -30000)
    });
    check(s, "echo-s16", i16::MIN, i16::MAX, i16::MIN, |s| {
        api.call_roundtrip_s16(s, i16::MIN)
    });
    check(s, "echo-u16", 40000u16, 65000, 65001, |s| {
        api.call_roundtrip_u16(s, 40000)
    });
    check(s, "echo-u16", u16::MAX, u16::MAX, 0, |s| {
        api.call_roundtrip_u16(s, u16::MAX)
    });
    check(s, "echo-s32", i32::MIN, -1, 0, |s| {
        api.call_roundtrip_s32(s, i32::MIN)
    });
    check(s, "echo-s32", i32::MAX, i32::MAX, i32::MIN, |s| {
        api.call_roundtrip_s32(s, i32::MAX)
    });
    check(s, "echo-u32", u32::MAX, 3_000_000_000, 3_000_000_001, |s| {
        api.call_roundtrip_u32(s, u32::MAX)
    });
    check(s, "echo-s64", i64::MIN, i64::MAX, i64::MIN, |s| {
        api.call_roundtrip_s64(s, i64::MIN)
    });
    check(s, "echo-s64", -1i64, -2, -1, |s| {
        api.call_roundtrip_s64(s, -1)
    });
    check(s, "echo-u64", u64::MAX - 1, 1 << 63, (1 << 63) + 1, |s| {
        api.call_roundtrip_u64(s, u64::MAX - 1)
    });
    check(s, "echo-u64", 0u64, u64::MAX, 0, |s| {
        api.call_roundtrip_u64(s, 0)
    });
}

/// `f32` and `f64`: fractions, signs, `-0.0` (compared by bits), NaN,
/// infinities and subnormals both ways; the guest doubles the reply.
fn floats(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let s = &mut store;
    check(s, "echo-f32", 1.5f32, -0.25, -0.5, |s| {
        api.call_roundtrip_f32(s, 1.5)
    });
    check(s, "echo-f32", f32::INFINITY, f32::MAX, f32::INFINITY, |s| {
        api.call_roundtrip_f32(s, f32::INFINITY)
    });
    let (received, result) = roundtrip(s, "echo-f32", -0.0f32, |s| api.call_roundtrip_f32(s, -0.0));
    assert_eq!(
        received.to_bits(),
        (-0.0f32).to_bits(),
        "-0.0 keeps its sign"
    );
    assert_eq!(result.to_bits(), (-0.0f32).to_bits(), "-0.0 * 2 is -0.0");
    let (received, result) = roundtrip(s, "echo-f32", f32::NAN, |s| {
        api.call_roundtrip_f32(s, f32::NAN)
    });
    assert!(received.is_nan() && result.is_nan(), "{received} {result}");

    check(s, "echo-f64", 0.1f64, 1e300, 2e300, |s| {
        api.call_roundtrip_f64(s, 0.1)
    });
    check(s, "echo-f64", f64::NEG_INFINITY, 5e-324, 1e-323, |s| {
        api.call_roundtrip_f64(s, f64::NEG_INFINITY)
    });
    let (received, result) = roundtrip(s, "echo-f64", -0.0f64, |s| api.call_roundtrip_f64(s, -0.0));
    assert_eq!(
        received.to_bits(),
        (-0.0f64).to_bits(),
        "-0.0 keeps its sign"
    );
    assert_eq!(result.to_bits(), (-0.0f64).to_bits(), "-0.0 * 2 is -0.0");
    let (received, result) = roundtrip(s, "echo-f64", -f64::NAN, |s| {
        api.call_roundtrip_f64(s, -f64::NAN)
    });
    assert!(received.is_nan() && result.is_nan(), "{received} {result}");
}

/// `char`: non-ASCII, outside the BMP, NUL and the last scalar value; the
/// guest upper-cases ASCII letters only.
fn chars(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (sent, reply, expected) in [
        ('ß', 'q', 'Q'),
        ('a', '🦀', '🦀'),
        ('\0', 'é', 'é'),
        ('\u{10FFFF}', '\u{10FFFF}', '\u{10FFFF}'),
        ('\u{FFFF}', 'z', 'Z'),
    ] {
        check(&mut store, "echo-char", sent, reply, expected, |s| {
            api.call_roundtrip_char(s, sent)
        });
    }
}

/// `string`: non-ASCII (2-, 3- and 4-byte UTF-8, surrogate pairs in
/// UTF-16), empty, an embedded NUL, and 200 KB (more than the guest's
/// memory holds at start); the guest appends "!".
fn strings_both_ways(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let long = "wit-host ✓ ".repeat(20_000);
    for (sent, reply) in [
        ("héllo wörld ✓ 🦀", "ünïcode → 😀"),
        ("", ""),
        ("𝄞𐍈", "a\0b"),
        (long.as_str(), long.as_str()),
    ] {
        let expected = format!("{reply}!");
        check(
            &mut store,
            "echo-string",
            sent.to_string(),
            reply.to_string(),
            expected,
            |s| api.call_roundtrip_string(s, sent),
        );
    }
}

/// `list<u8>` and `list<string>`: the guest reverses the reply; empty
/// lists and lists of empty strings too.
fn lists(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let s = &mut store;
    check(
        s,
        "echo-bytes",
        vec![0u8, 1, 255],
        vec![1, 2, 3, 4],
        vec![4, 3, 2, 1],
        |s| api.call_roundtrip_bytes(s, &[0, 1, 255]),
    );
    check(s, "echo-bytes", Vec::<u8>::new(), vec![], vec![], |s| {
        api.call_roundtrip_bytes(s, &[])
    });
    let big: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();
    let reversed: Vec<u8> = big.iter().rev().copied().collect();
    check(s, "echo-bytes", big.clone(), big.clone(), reversed, |s| {
        api.call_roundtrip_bytes(s, &big)
    });

    let sent = strings(&["a", "β", "", "😀"]);
    check(
        s,
        "echo-strings",
        sent.clone(),
        strings(&["one", "twö", ""]),
        strings(&["", "twö", "one"]),
        |s| api.call_roundtrip_strings(s, &sent),
    );
    check(
        s,
        "echo-strings",
        Vec::<String>::new(),
        vec![],
        vec![],
        |s| api.call_roundtrip_strings(s, &[]),
    );
    check(
        s,
        "echo-strings",
        strings(&[""]),
        strings(&["", ""]),
        strings(&["", ""]),
        |s| api.call_roundtrip_strings(s, &strings(&[""])),
    );
}

/// `record` and `list<record>` with strings inside: the guest swaps `x`
/// and `y`, appends "!" to `label` and reverses the list.
fn records(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let s = &mut store;
    let sent = point(i32::MIN, i32::MAX, "p");
    check(
        s,
        "echo-point",
        sent.clone(),
        point(10, -20, "ℓabel"),
        point(-20, 10, "ℓabel!"),
        |s| api.call_roundtrip_point(s, &sent),
    );
    let sent = vec![point(1, 2, "a"), point(3, 4, "bb")];
    check(
        s,
        "echo-points",
        sent.clone(),
        vec![point(5, 6, "c"), point(7, 8, ""), point(9, 10, "é")],
        vec![point(10, 9, "é!"), point(8, 7, "!"), point(6, 5, "c!")],
        |s| api.call_roundtrip_points(s, &sent),
    );
    check(s, "echo-points", Vec::<Point>::new(), vec![], vec![], |s| {
        api.call_roundtrip_points(s, &[])
    });
}

/// `tuple<u8, string, f64>`: each element transformed, the `u8` wrapping.
fn tuples(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    check(
        &mut store,
        "echo-tuple",
        (1u8, "t".to_string(), 1.5f64),
        (255, "ü".to_string(), 2.5),
        (0, "ü!".to_string(), -2.5),
        |s| api.call_roundtrip_tuple(s, (1, "t", 1.5)),
    );
}

/// `variant`: every case of `shape` both ways (an `f32`, a tuple and a
/// string payload, and none).
fn variants(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (sent, reply, expected) in [
        (Shape::Empty, Shape::Circle(1.25), Shape::Circle(2.5)),
        (
            Shape::Rectangle((1, u32::MAX)),
            Shape::Rectangle((3, 4)),
            Shape::Rectangle((4, 3)),
        ),
        (
            Shape::Named("triangle △".into()),
            Shape::Named("hexagon ⬡".into()),
            Shape::Named("hexagon ⬡!".into()),
        ),
        (Shape::Circle(-1.0), Shape::Empty, Shape::Empty),
        (
            Shape::Named(String::new()),
            Shape::Named(String::new()),
            Shape::Named("!".into()),
        ),
    ] {
        check(
            &mut store,
            "echo-shape",
            sent.clone(),
            reply,
            expected,
            |s| api.call_roundtrip_shape(s, &sent),
        );
    }
}

/// `enum`: every case; the guest returns the case after the reply.
fn enums(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for (sent, reply, expected) in [
        (Color::Green, Color::Blue, Color::Red),
        (Color::Red, Color::Red, Color::Green),
        (Color::Blue, Color::Green, Color::Blue),
    ] {
        check(&mut store, "echo-color", sent, reply, expected, |s| {
            api.call_roundtrip_color(s, sent)
        });
    }
}

/// `option<string>` and `result<u32, string>`, every case both ways.
fn options_and_results(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let s = &mut store;
    let some = |t: &str| Some(t.to_string());
    check(
        s,
        "echo-option",
        some("x"),
        some("yes"),
        some("yes!"),
        |s| api.call_roundtrip_option(s, Some("x")),
    );
    check(s, "echo-option", None::<String>, None, some("none"), |s| {
        api.call_roundtrip_option(s, None)
    });
    check(
        s,
        "echo-option",
        some(""),
        some("😀"),
        some("😀!"),
        |s| api.call_roundtrip_option(s, Some("")),
    );
    check(s, "echo-option", None, some(""), some("!"), |s| {
        api.call_roundtrip_option(s, None)
    });

    let err = |t: &str| Err::<u32, String>(t.to_string());
    check(s, "echo-result", err("bad"), Ok(41), Ok(42), |s| {
        api.call_roundtrip_result(s, Err("bad"))
    });
    check(
        s,
        "echo-result",
        Ok::<u32, String>(7),
        err("wrong"),
        err("wrong!"),
        |s| api.call_roundtrip_result(s, Ok(7)),
    );
    check(
        s,
        "echo-result",
        Ok::<u32, String>(u32::MAX),
        Ok(u32::MAX),
        Ok(0),
        |s| api.call_roundtrip_result(s, Ok(u32::MAX)),
    );
    check(s, "echo-result", err(""), err("ß"), err("ß!"), |s| {
        api.call_roundtrip_result(s, Err(""))
    });
}

/// `sum17`, seventeen `u32`s, one more than are passed flat: the generated
/// wrapper stores them in the guest's memory, the guest passes them on to
/// the host's `sum17` through memory too, and the generated import loads
/// them from there. The guest returns the host's sum plus 1000 times its
/// own. The parameters are distinct (rising, then falling from `u32::MAX`,
/// whose sum needs a `u64`), so a shifted, dropped or truncated one shows;
/// then all zero. A generated call after them still works.
fn seventeen_params_through_memory(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    for params in [
        std::array::from_fn::<u32, 17, _>(|i| (i as u32 + 1) * 1_000_000),
        std::array::from_fn(|i| u32::MAX - i as u32 * 0x0101_0101),
        [0; 17],
    ] {
        store.data_mut().received.clear();
        let p = params;
        let result = api
            .call_sum17(
                &mut store, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10],
                p[11], p[12], p[13], p[14], p[15], p[16],
            )
            .unwrap_or_else(|e| panic!("call_sum17({params:?}): {e:#}"));
        let mut received = std::mem::take(&mut store.data_mut().received);
        assert_eq!(received.len(), 1, "the guest calls the host once");
        let (name, args) = received.pop().expect("one call");
        assert_eq!(name, "sum17");
        let args = *args.downcast::<Vec<u32>>().expect("a Vec<u32>");
        assert_eq!(args, params, "what the host's `sum17` received");
        let sum: u64 = params.iter().map(|&p| u64::from(p)).sum();
        assert_eq!(
            result,
            sum + 1000 * sum,
            "what the guest's `sum17` returned"
        );
    }
    check(&mut store, "echo-u32", 1u32, 2, 3, |s| {
        api.call_roundtrip_u32(s, 1)
    });
}

/// Many generated calls in one instance: the generated wrappers run the
/// guest's post-return functions, so its memory does not run out, and
/// results stay right.
fn repeated_calls_stay_correct(path: &str) {
    let Some((mut store, v)) = instantiate(path) else {
        return;
    };
    let api = api(&v);
    let text = "x".repeat(10_000);
    let expected = format!("{text}!");
    for _ in 0..300 {
        check(
            &mut store,
            "echo-string",
            text.clone(),
            text.clone(),
            expected.clone(),
            |s| api.call_roundtrip_string(s, &text),
        );
    }
}

/// One `ValuesPre` instantiates the guest in several stores, each with its
/// own host state.
fn pre_instantiates_in_many_stores(path: &str) {
    let Some((engine, component)) = load(path) else {
        return;
    };
    let mut linker = Linker::new(&engine);
    values::Values::add_to_linker::<_, HasSelf<ValuesHost>>(&mut linker, |h| h)
        .expect("add the generated imports");
    let pre = values::ValuesPre::new(linker.instantiate_pre(&component).expect("pre"))
        .expect("the bindings fit the guest");
    for i in 0..3u8 {
        let mut store = Store::new(&engine, ValuesHost::default());
        let v = pre.instantiate(&mut store).expect("instantiate");
        check(&mut store, "echo-u8", i, i, i + 1, |s| {
            v.test_values_api().call_roundtrip_u8(s, i)
        });
    }
}

both_encodings!(
    utf8: VALUES, utf16: VALUES_UTF16;
    bools,
    integers,
    floats,
    chars,
    strings_both_ways,
    lists,
    records,
    tuples,
    variants,
    enums,
    options_and_results,
    seventeen_params_through_memory,
    repeated_calls_stay_correct,
    pre_instantiates_in_many_stores,
);
