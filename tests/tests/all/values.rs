//! Every component value type, in both directions, through real guests.
//!
//! For each type `T` one component (built by [`roundtrip_wat`]) has:
//!
//! * `echo: func(x: T) -> T` — host → guest: the host lowers `x` as flat
//!   core values (through `realloc` for strings and lists), the guest stores
//!   them into its return area in `T`'s memory layout, and the host lifts the
//!   result back out of guest memory;
//! * `echo-list: func(xs: list<T>) -> list<T>` — the host stores a whole
//!   list of `T` in guest memory and loads it back (element layout,
//!   alignment and size);
//! * `run: func(x: T) -> T` — guest → host: the guest passes `x` on to the
//!   imported host function `f` (defined with `func_new`), so the host lifts
//!   it out of the guest's flat values and memory, and lowers the host's
//!   reply into the guest through a return pointer and `realloc`;
//! * `run-list` — the same with `list<T>`.
//!
//! Further tests cover lifting details (bool from any non-zero value, narrow
//! integers truncated, NaN canonicalization, variant payload coercion),
//! flags up to the 32-flag limit, more than 16 flat parameters (spilled to
//! memory allocated with `realloc`), results through a return pointer, the
//! calls `realloc` receives, and `post-return`.

use crate::common::*;
use wit_host::{Instance, Store, Val};

/// The host's state for [`roundtrip_wat`] components: what the host
/// functions received and what they reply (popped; echo when empty).
#[derive(Default)]
struct Host {
    seen: Vec<Val>,
    replies: Vec<Val>,
}

/// A component value type under test.
struct Ty {
    /// Type definitions in order: `(name, definition, named)`. A named type
    /// (record, variant, enum, flags) is imported and exported under `name`
    /// so functions may use it. Definitions refer to earlier ones as
    /// `$name`.
    defs: Vec<(String, String, bool)>,
    /// The type as functions use it: `u32`, `string`, `(list u8)`, `$name`.
    ty: String,
    /// The core types `T` flattens to.
    flat: Vec<&'static str>,
    /// When `T` flattens to more than one value: instructions storing the
    /// flat parameters (locals 0..) at address 64 (`RET`) in `T`'s memory
    /// layout.
    store: String,
}

impl Ty {
    /// A type without definitions that flattens to one core value.
    fn scalar(ty: &str, flat: &'static str) -> Ty {
        Ty {
            defs: vec![],
            ty: ty.into(),
            flat: vec![flat],
            store: String::new(),
        }
    }

    /// A type with definitions; `defs` as `(name, definition, named)`.
    fn defined(defs: &[(&str, &str, bool)], ty: &str, flat: &[&'static str], store: &str) -> Ty {
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
    fn ptr_len(defs: &[(&str, &str, bool)], ty: &str) -> Ty {
        Ty::defined(defs, ty, &["i32", "i32"], PTR_LEN_STORE)
    }
}

const PTR_LEN_STORE: &str =
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

/// The component described in the module docs for type `t`.
fn roundtrip_wat(t: &Ty) -> String {
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
  {LIBC_PROBE_EXPORTS}
)"#
    )
}

/// Instantiates [`roundtrip_wat`] for `t` with echoing host functions.
fn roundtrip_instance(t: &Ty) -> (Store<Host>, Instance) {
    let (engine, mut store, mut linker) = setup(Host::default());
    for name in ["f", "f-list"] {
        linker
            .root()
            .func_new(name, |mut store, params, results| {
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

// ---------------------------------------------------------------- scalars

#[test]
fn bool_roundtrips() {
    check_roundtrip(
        &Ty::scalar("bool", "i32"),
        &[Val::Bool(true), Val::Bool(false)],
    );
}

#[test]
fn s8_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s8", "i32"),
        &[Val::S8(0), Val::S8(-128), Val::S8(127), Val::S8(-1)],
    );
}

#[test]
fn u8_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u8", "i32"),
        &[Val::U8(0), Val::U8(255), Val::U8(128)],
    );
}

#[test]
fn s16_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s16", "i32"),
        &[
            Val::S16(i16::MIN),
            Val::S16(i16::MAX),
            Val::S16(-1),
            Val::S16(0),
        ],
    );
}

#[test]
fn u16_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u16", "i32"),
        &[Val::U16(0), Val::U16(u16::MAX), Val::U16(0x8000)],
    );
}

#[test]
fn s32_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s32", "i32"),
        &[
            Val::S32(i32::MIN),
            Val::S32(i32::MAX),
            Val::S32(-1),
            Val::S32(0),
        ],
    );
}

#[test]
fn u32_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u32", "i32"),
        &[Val::U32(0), Val::U32(u32::MAX), Val::U32(0x8000_0000)],
    );
}

#[test]
fn s64_roundtrips() {
    check_roundtrip(
        &Ty::scalar("s64", "i64"),
        &[
            Val::S64(i64::MIN),
            Val::S64(i64::MAX),
            Val::S64(-1),
            Val::S64(0),
        ],
    );
}

#[test]
fn u64_roundtrips() {
    check_roundtrip(
        &Ty::scalar("u64", "i64"),
        &[Val::U64(0), Val::U64(u64::MAX), Val::U64(1 << 63)],
    );
}

#[test]
fn f32_roundtrips_including_negative_zero_infinities_and_nan() {
    check_roundtrip(
        &Ty::scalar("f32", "f32"),
        &[
            Val::Float32(1.5),
            Val::Float32(-0.0),
            Val::Float32(0.0),
            Val::Float32(f32::INFINITY),
            Val::Float32(f32::NEG_INFINITY),
            Val::Float32(f32::NAN),
            Val::Float32(f32::from_bits(1)), // smallest subnormal
            Val::Float32(f32::MAX),
        ],
    );
}

#[test]
fn f64_roundtrips_including_negative_zero_infinities_and_nan() {
    check_roundtrip(
        &Ty::scalar("f64", "f64"),
        &[
            Val::Float64(-2.75e300),
            Val::Float64(-0.0),
            Val::Float64(0.0),
            Val::Float64(f64::INFINITY),
            Val::Float64(f64::NEG_INFINITY),
            Val::Float64(f64::NAN),
            Val::Float64(f64::from_bits(1)),
        ],
    );
}

#[test]
fn char_roundtrips() {
    check_roundtrip(
        &Ty::scalar("char", "i32"),
        &[
            Val::Char('a'),
            Val::Char('\0'),
            Val::Char('é'),
            Val::Char('\u{D7FF}'),
            Val::Char('\u{E000}'),
            Val::Char('\u{FFFF}'),
            Val::Char('😀'),
            Val::Char('\u{10FFFF}'),
        ],
    );
}

// ---------------------------------------------------------------- strings and lists

#[test]
fn string_roundtrips_empty_ascii_non_ascii_and_astral() {
    let long: String = "aé✓😀".repeat(2500);
    check_roundtrip(
        &Ty::ptr_len(&[], "string"),
        &[
            s(""),
            s("a"),
            s("hello, world"),
            s("héllo wörld ✓"),
            s("😀𝄞 astral"),
            s("nul\0inside"),
            Val::String(long),
        ],
    );
}

#[test]
fn list_u8_roundtrips_including_empty_and_larger_than_a_page() {
    let big: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 256) as u8).collect();
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u8)"),
        &[bytes(&[]), bytes(&[0, 1, 255]), bytes(&big)],
    );
}

#[test]
fn list_string_roundtrips() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list string)"),
        &[
            Val::List(vec![]),
            Val::List(vec![s(""), s("a"), s("ünï"), s("😀")]),
            Val::List(vec![s("only")]),
        ],
    );
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

#[test]
fn list_of_records_roundtrips() {
    check_roundtrip(
        &Ty::ptr_len(&[REC_DEF], "(list $rec)"),
        &[
            Val::List(vec![]),
            Val::List(vec![
                rec(1, 2, "x"),
                rec(255, u64::MAX, ""),
                rec(0, 1 << 40, "ü😀"),
            ]),
        ],
    );
}

/// Options, results, strings and chars nested inside tuples inside lists
/// inside lists: every level's layout and alignment at once.
#[test]
fn deeply_nested_lists_roundtrip() {
    let t = Ty::ptr_len(
        &[],
        "(list (list (tuple (option string) (result u8 (error char)) u64)))",
    );
    let item = |o: Option<&str>, r: Result<u8, char>, n: u64| {
        Val::Tuple(vec![
            o.map_or(none(), |v| some(s(v))),
            match r {
                Ok(b) => ok(Val::U8(b)),
                Err(c) => err(Val::Char(c)),
            },
            Val::U64(n),
        ])
    };
    check_roundtrip(
        &t,
        &[
            Val::List(vec![]),
            Val::List(vec![
                Val::List(vec![
                    item(Some("ä"), Ok(1), 2),
                    item(None, Err('😀'), u64::MAX),
                ]),
                Val::List(vec![]),
                Val::List(vec![item(Some(""), Err('x'), 0)]),
            ]),
        ],
    );
}

// ---------------------------------------------------------------- records and tuples

#[test]
fn record_roundtrips() {
    let t = Ty::defined(
        &[REC_DEF],
        "$rec",
        &["i32", "i64", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (i32.store (i32.const 80) (local.get 2))
         (i32.store (i32.const 84) (local.get 3))",
    );
    check_roundtrip(
        &t,
        &[
            rec(1, 2, "x"),
            rec(255, u64::MAX, ""),
            rec(0, 1 << 40, "ü😀"),
        ],
    );
}

#[test]
fn tuple_roundtrips() {
    // tuple<u8, f32, string, u16>: u8 at 0, f32 at 4, string at 8, u16 at 16
    let t = Ty::defined(
        &[],
        "(tuple u8 f32 string u16)",
        &["i32", "f32", "i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (f32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))
         (i32.store (i32.const 76) (local.get 3))
         (i32.store16 (i32.const 80) (local.get 4))",
    );
    let tuple = |a: u8, b: f32, c: &str, d: u16| {
        Val::Tuple(vec![Val::U8(a), Val::Float32(b), s(c), Val::U16(d)])
    };
    check_roundtrip(
        &t,
        &[
            tuple(1, -0.0, "tü", 65535),
            tuple(0, f32::NAN, "", 0),
            tuple(200, 3.5, "x", 7),
        ],
    );
}

// ---------------------------------------------------------------- variants

/// A variant whose payloads flatten to different core types, so that the
/// flat form joins them: `(i32 discriminant, i64, i32)`. In memory the
/// discriminant is a `u8` at 0 and the payload is at 8; size 16.
const MIXED_DEF: (&str, &str, bool) = (
    "mixed",
    r#"(variant (case "none") (case "int" s32) (case "float" f32) (case "long" s64)
                (case "double" f64) (case "text" string) (case "byte" u8))"#,
    true,
);

fn mixed_values() -> Vec<Val> {
    vec![
        case0("none"),
        case("int", Val::S32(-5)),
        case("float", Val::Float32(1.5)),
        case("float", Val::Float32(-0.0)),
        case("long", Val::S64(i64::MIN)),
        case("double", Val::Float64(-2.5e-300)),
        case("double", Val::Float64(f64::NAN)),
        case("text", s("vâriant 😀")),
        case("byte", Val::U8(200)),
    ]
}

#[test]
fn variant_with_mixed_payloads_roundtrips() {
    let t = Ty::defined(
        &[MIXED_DEF],
        "$mixed",
        &["i32", "i64", "i32"],
        // The i64 slot stored whole is every payload's memory layout
        // except `text`'s, whose length (the second slot) goes over its
        // upper half.
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (if (i32.eq (local.get 0) (i32.const 5))
           (then (i32.store (i32.const 76) (local.get 2))))",
    );
    check_roundtrip(&t, &mixed_values());
}

#[test]
fn enum_roundtrips() {
    let t = Ty::defined(
        &[("color", r#"(enum "red" "green" "blue")"#, true)],
        "$color",
        &["i32"],
        "",
    );
    check_roundtrip(
        &t,
        &[
            Val::Enum("red".into()),
            Val::Enum("blue".into()),
            Val::Enum("green".into()),
        ],
    );
}

#[test]
fn enum_with_300_cases_roundtrips_with_a_u16_discriminant() {
    let names: String = (0..300).map(|i| format!("\"c{i}\" ")).collect();
    let def = format!("(enum {names})");
    let t = Ty::defined(&[("big", &def, true)], "$big", &["i32"], "");
    check_roundtrip(
        &t,
        &[
            Val::Enum("c299".into()),
            Val::Enum("c0".into()),
            Val::Enum("c256".into()),
            Val::Enum("c255".into()),
        ],
    );
}

#[test]
fn option_u32_roundtrips() {
    let t = Ty::defined(
        &[],
        "(option u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(&t, &[none(), some(Val::U32(0)), some(Val::U32(u32::MAX))]);
}

#[test]
fn option_string_roundtrips() {
    let t = Ty::defined(
        &[],
        "(option string)",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[some(s("söme")), none(), some(s(""))]);
}

#[test]
fn nested_option_roundtrips() {
    // option<option<u8>>: outer discriminant at 0, inner at 1, payload at 2
    let t = Ty::defined(
        &[],
        "(option (option u8))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store8 (i32.const 65) (local.get 1))
         (i32.store8 (i32.const 66) (local.get 2))",
    );
    check_roundtrip(&t, &[none(), some(none()), some(some(Val::U8(7)))]);
}

#[test]
fn result_without_payloads_roundtrips() {
    let t = Ty::defined(&[], "(result)", &["i32"], "");
    check_roundtrip(&t, &[Val::Result(Ok(None)), Val::Result(Err(None))]);
}

#[test]
fn result_with_ok_payload_roundtrips() {
    let t = Ty::defined(
        &[],
        "(result u32)",
        &["i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0)) (i32.store (i32.const 68) (local.get 1))",
    );
    check_roundtrip(
        &t,
        &[
            ok(Val::U32(42)),
            Val::Result(Err(None)),
            ok(Val::U32(u32::MAX)),
        ],
    );
}

#[test]
fn result_with_err_payload_roundtrips() {
    let t = Ty::defined(
        &[],
        "(result (error string))",
        &["i32", "i32", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i32.store (i32.const 68) (local.get 1))
         (i32.store (i32.const 72) (local.get 2))",
    );
    check_roundtrip(&t, &[Val::Result(Ok(None)), err(s("bröken")), err(s(""))]);
}

#[test]
fn result_with_both_payloads_roundtrips() {
    // result<string, u64>: joined flat form (i32, i64, i32); payload at 8
    let t = Ty::defined(
        &[],
        "(result string (error u64))",
        &["i32", "i64", "i32"],
        "(i32.store8 (i32.const 64) (local.get 0))
         (i64.store (i32.const 72) (local.get 1))
         (if (i32.eqz (local.get 0)) (then (i32.store (i32.const 76) (local.get 2))))",
    );
    check_roundtrip(
        &t,
        &[
            ok(s("fïne")),
            err(Val::U64(u64::MAX)),
            ok(s("")),
            err(Val::U64(0)),
        ],
    );
}

// ---------------------------------------------------------------- flags

fn flag_names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("f{i}")).collect()
}

fn flags_ty(n: usize) -> Ty {
    let names: String = flag_names(n).iter().map(|f| format!("\"{f}\" ")).collect();
    let def = format!("(flags {names})");
    Ty::defined(&[("fl", &def, true)], "$fl", &["i32"], "")
}

/// Empty, the first flag alone, all flags, the last alone, every other one.
fn flags_values(n: usize) -> Vec<Val> {
    let names = flag_names(n);
    let set = |pick: &dyn Fn(usize) -> bool| {
        Val::Flags(
            names
                .iter()
                .enumerate()
                .filter(|(i, _)| pick(*i))
                .map(|(_, f)| f.clone())
                .collect(),
        )
    };
    vec![
        set(&|_| false),
        set(&|i| i == 0),
        set(&|_| true),
        set(&|i| i == n - 1),
        set(&|i| i % 2 == 0),
    ]
}

#[test]
fn flags_with_1_flag_roundtrip() {
    check_roundtrip(&flags_ty(1), &flags_values(1));
}

#[test]
fn flags_with_8_flags_roundtrip() {
    check_roundtrip(&flags_ty(8), &flags_values(8));
}

#[test]
fn flags_with_9_flags_roundtrip() {
    check_roundtrip(&flags_ty(9), &flags_values(9));
}

#[test]
fn flags_with_16_flags_roundtrip() {
    check_roundtrip(&flags_ty(16), &flags_values(16));
}

#[test]
fn flags_with_17_flags_roundtrip() {
    check_roundtrip(&flags_ty(17), &flags_values(17));
}

#[test]
fn flags_with_32_flags_roundtrip() {
    check_roundtrip(&flags_ty(32), &flags_values(32));
}

/// The current Component Model caps flags at 32 (`CanonicalABI.md` asserts
/// `0 < n <= 32`); a 33-flag type is a validation error, not a panic.
#[test]
fn flags_with_33_flags_are_rejected() {
    let t = flags_ty(33);
    let err = match wit_host::Component::new(&engine(), roundtrip_wat(&t)) {
        Ok(_) => panic!("a 33-flag type should be invalid"),
        Err(e) => format!("{e:?}"),
    };
    assert_contains_all(&err, &["more than 32 flags"]);
}

/// Flag bits in memory: bit `i` of the little-endian integer is flag `i`.
#[test]
fn flags_bits_follow_declaration_order() {
    let (engine, mut store, linker) = setup(());
    let names: String = flag_names(17).iter().map(|f| format!("\"{f}\" ")).collect();
    let wat = format!(
        r#"(component
  (type $fl' (flags {names}))
  (export $fl "fl" (type $fl'))
  (core module $M
    (func (export "bits") (param i32) (result i32) (local.get 0))
    (func (export "make") (result i32) (i32.const 0x10005)))
  (core instance $m (instantiate $M))
  (func (export "bits") (param "x" $fl) (result u32) (canon lift (core func $m "bits")))
  (func (export "make") (result $fl) (canon lift (core func $m "make"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let got = call1(
        &mut store,
        &instance,
        "bits",
        &[flags(&["f16", "f0", "f2"])],
    );
    assert_eq!(got, Val::U32(0x10005));
    let got = call1(&mut store, &instance, "make", &[]);
    assert_eq!(got, flags(&["f0", "f2", "f16"]));
}

// ---------------------------------------------------------------- lifting details

/// A component whose exports return fixed core values as various types.
fn constants_instance() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let wat = r#"(component
  (core module $M
    (func (export "i32-2") (result i32) (i32.const 2))
    (func (export "i32-0x1ff") (result i32) (i32.const 0x1ff))
    (func (export "i32-0x180") (result i32) (i32.const 0x180))
    (func (export "i32-0x12345") (result i32) (i32.const 0x12345))
    (func (export "i32-0x18000") (result i32) (i32.const 0x18000))
    (func (export "nan32") (result f32) (f32.reinterpret_i32 (i32.const 0xffa00123)))
    (func (export "nan64") (result f64) (f64.reinterpret_i64 (i64.const 0xfff4000000000123))))
  (core instance $m (instantiate $M))
  (func (export "bool-from-2") (result bool) (canon lift (core func $m "i32-2")))
  (func (export "u8-from-0x1ff") (result u8) (canon lift (core func $m "i32-0x1ff")))
  (func (export "s8-from-0x180") (result s8) (canon lift (core func $m "i32-0x180")))
  (func (export "u16-from-0x12345") (result u16) (canon lift (core func $m "i32-0x12345")))
  (func (export "s16-from-0x18000") (result s16) (canon lift (core func $m "i32-0x18000")))
  (func (export "nan32") (result f32) (canon lift (core func $m "nan32")))
  (func (export "nan64") (result f64) (canon lift (core func $m "nan64"))))"#;
    let instance = instantiate(&engine, &mut store, &linker, wat);
    (store, instance)
}

#[test]
fn bool_lifted_from_any_nonzero_value_is_true() {
    let (mut store, instance) = constants_instance();
    assert_eq!(
        call1(&mut store, &instance, "bool-from-2", &[]),
        Val::Bool(true)
    );
}

#[test]
fn narrow_integers_lifted_from_wider_core_values_are_truncated() {
    let (mut store, instance) = constants_instance();
    assert_eq!(
        call1(&mut store, &instance, "u8-from-0x1ff", &[]),
        Val::U8(0xff)
    );
    assert_eq!(
        call1(&mut store, &instance, "s8-from-0x180", &[]),
        Val::S8(-128)
    );
    assert_eq!(
        call1(&mut store, &instance, "u16-from-0x12345", &[]),
        Val::U16(0x2345)
    );
    assert_eq!(
        call1(&mut store, &instance, "s16-from-0x18000", &[]),
        Val::S16(i16::MIN)
    );
}

/// `lift_flat` applies `canonicalize_nan32`/`canonicalize_nan64`.
#[test]
fn nan_returned_by_the_guest_is_canonicalized() {
    let (mut store, instance) = constants_instance();
    let Val::Float32(f) = call1(&mut store, &instance, "nan32", &[]) else {
        panic!()
    };
    assert_eq!(f.to_bits(), 0x7fc0_0000);
    let Val::Float64(f) = call1(&mut store, &instance, "nan64", &[]) else {
        panic!()
    };
    assert_eq!(f.to_bits(), 0x7ff8_0000_0000_0000);
}

/// Guest exports seeing the raw flat values of the `mixed` variant, and
/// exports sending chosen raw flat values to the host's `take`.
fn mixed_flat_instance() -> (Store<Vec<Val>>, Instance) {
    let (engine, mut store, mut linker) = setup(Vec::<Val>::new());
    linker
        .root()
        .func_new("take", |mut store, params, _results| {
            store.data_mut().push(params[0].clone());
            Ok(())
        })
        .unwrap();
    let (_, def, _) = MIXED_DEF;
    let wat = format!(
        r#"(component
  {LIBC}
  (type $mixed-i' {def})
  (import "mixed" (type $mixed-i (eq $mixed-i')))
  (import "take" (func $take (param "v" $mixed-i)))
  (core func $take' (canon lower (func $take) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "take" (func $take (param i32 i64 i32)))
    (data (i32.const 128) "hi")
    (func (export "disc") (param i32 i64 i32) (result i32) (local.get 0))
    (func (export "bits") (param i32 i64 i32) (result i64) (local.get 1))
    (func (export "second") (param i32 i64 i32) (result i32) (local.get 2))
    (func (export "send") (param i32 i64 i32) (call $take (local.get 0) (local.get 1) (local.get 2))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "take" (func $take'))))))
  (type $mixed' {def})
  (export $mixed "mixed" (type $mixed'))
  (func (export "disc") (param "v" $mixed) (result u32) (canon lift (core func $m "disc") {OPTS}))
  (func (export "bits") (param "v" $mixed) (result u64) (canon lift (core func $m "bits") {OPTS}))
  (func (export "second") (param "v" $mixed) (result u32) (canon lift (core func $m "second") {OPTS}))
  (func (export "send") (param "disc" u32) (param "bits" u64) (param "second" u32)
    (canon lift (core func $m "send") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

/// `lower_flat_variant`: an `f32` payload in an `i64` slot is its bit
/// pattern, zero-extended; an `s32` is zero-extended too; unused slots are 0.
#[test]
fn variant_payloads_are_coerced_into_joined_flat_slots() {
    let (mut store, instance) = mixed_flat_instance();
    let bits = |store: &mut Store<Vec<Val>>, v: Val| call1(store, &instance, "bits", &[v]);
    assert_eq!(
        bits(&mut store, case("float", Val::Float32(1.5))),
        Val::U64(0x3fc0_0000)
    );
    assert_eq!(
        bits(&mut store, case("int", Val::S32(-1))),
        Val::U64(0xffff_ffff)
    );
    assert_eq!(
        bits(&mut store, case("double", Val::Float64(1.5))),
        Val::U64(1.5f64.to_bits())
    );
    assert_eq!(
        bits(&mut store, case("long", Val::S64(-2))),
        Val::U64(-2i64 as u64)
    );
    assert_eq!(bits(&mut store, case("byte", Val::U8(200))), Val::U64(200));
    assert_eq!(bits(&mut store, case0("none")), Val::U64(0));
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "second",
            &[case("float", Val::Float32(1.5))]
        ),
        Val::U32(0)
    );
    assert_eq!(
        call1(&mut store, &instance, "disc", &[case("byte", Val::U8(1))]),
        Val::U32(6)
    );
    // a string's pointer goes into the i64 slot and its length into the i32
    assert_eq!(
        call1(&mut store, &instance, "second", &[case("text", s("four"))]),
        Val::U32(4)
    );
}

/// `lift_flat_variant`: the host decodes each case's payload out of the
/// joined slots (wrapping `i64` to `i32`, reinterpreting floats).
#[test]
fn variant_payloads_are_decoded_from_joined_flat_slots() {
    let (mut store, instance) = mixed_flat_instance();
    let mut send = |disc: u32, bits: u64, second: u32| {
        call(
            &mut store,
            &instance,
            "send",
            &[Val::U32(disc), Val::U64(bits), Val::U32(second)],
        )
        .unwrap_or_else(|e| panic!("send failed: {e:?}"));
    };
    send(1, 0x1_ffff_fffb, 0); // int: upper bits are dropped
    send(2, 0x3fc0_0000, 0); // float
    send(3, u64::MAX, 0); // long
    send(4, 2.5f64.to_bits(), 0); // double
    send(5, 128, 2); // text "hi" at 128
    send(6, 0x1ff, 0); // byte: truncated to 8 bits
    send(0, 12345, 678); // none: slots ignored
    assert_eq!(
        store.data().clone(),
        vec![
            case("int", Val::S32(-5)),
            case("float", Val::Float32(1.5)),
            case("long", Val::S64(-1)),
            case("double", Val::Float64(2.5)),
            case("text", s("hi")),
            case("byte", Val::U8(0xff)),
            case0("none"),
        ]
    );
}

// ---------------------------------------------------------------- spilled parameters

/// Parameters `a: u8, b: u64, c: string, d0..d13: u32` flatten to 18 core
/// values, more than 16, so they travel as a tuple in memory: `a` at 0,
/// `b` at 8, `c` at 16, `d0` at 24 ... `d13` at 76; size 80, alignment 8.
fn spill_params() -> String {
    let mut p = String::from(r#"(param "a" u8) (param "b" u64) (param "c" string)"#);
    for i in 0..14 {
        p.push_str(&format!(" (param \"d{i}\" u32)"));
    }
    p
}

fn spill_args() -> Vec<Val> {
    let mut args = vec![Val::U8(7), Val::U64(1 << 40), s("spïlled")];
    args.extend((0..14).map(|i| Val::U32(1000 * (i + 1))));
    args
}

fn spill_instance() -> (Store<Vec<Vec<Val>>>, Instance) {
    let (engine, mut store, mut linker) = setup(Vec::<Vec<Val>>::new());
    linker
        .root()
        .func_new("many", |mut store, params, results| {
            store.data_mut().push(params.to_vec());
            results[0] = Val::U32(params.len() as u32);
            Ok(())
        })
        .unwrap();
    let params = spill_params();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "many" (func $many {params} (result u32)))
  (core func $many' (canon lower (func $many) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "many" (func $many (param i32) (result i32)))
    (data (i32.const 200) "wörld")
    ;; a + b + len(c) + d0 + ... + d13
    (func (export "sum") (param $p i32) (result i64)
      (local $i i32) (local $sum i64)
      (local.set $sum (i64.add (i64.load8_u (local.get $p)) (i64.load offset=8 (local.get $p))))
      (local.set $sum (i64.add (local.get $sum) (i64.extend_i32_u (i32.load offset=20 (local.get $p)))))
      (block $done
        (loop $next
          (br_if $done (i32.eq (local.get $i) (i32.const 14)))
          (local.set $sum (i64.add (local.get $sum)
            (i64.extend_i32_u (i32.load offset=24 (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2)))))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (local.get $sum))
    ;; the string parameter, returned by pointing at it inside the tuple
    (func (export "c") (param $p i32) (result i32) (i32.add (local.get $p) (i32.const 16)))
    (func (export "where") (param $p i32) (result i32) (local.get $p))
    ;; builds the tuple at 256 and calls the host
    (func (export "call-many") (result i32)
      (local $i i32)
      (i32.store8 (i32.const 256) (i32.const 9))
      (i64.store (i32.const 264) (i64.const -1))
      (i32.store (i32.const 272) (i32.const 200))
      (i32.store (i32.const 276) (i32.const 6))
      (block $done
        (loop $next
          (br_if $done (i32.eq (local.get $i) (i32.const 14)))
          (i32.store offset=280 (i32.shl (local.get $i) (i32.const 2)) (local.get $i))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
      (call $many (i32.const 256)))
    {LIBC_PROBES})
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "many" (func $many'))))))
  (func (export "sum") {params} (result u64) (canon lift (core func $m "sum") {OPTS}))
  (func (export "c") {params} (result string) (canon lift (core func $m "c") {OPTS}))
  (func (export "where") {params} (result u32) (canon lift (core func $m "where") {OPTS}))
  (func (export "call-many") (result u32) (canon lift (core func $m "call-many") {OPTS}))
  {LIBC_PROBE_EXPORTS})"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

#[test]
fn more_than_16_flat_params_are_passed_in_memory_to_the_guest() {
    let (mut store, instance) = spill_instance();
    let expected =
        7 + (1u64 << 40) + "spïlled".len() as u64 + (1..=14).map(|i| 1000 * i).sum::<u64>();
    assert_eq!(
        call1(&mut store, &instance, "sum", &spill_args()),
        Val::U64(expected)
    );
    assert_eq!(
        call1(&mut store, &instance, "c", &spill_args()),
        s("spïlled")
    );
}

/// `lower_flat_values` allocates the tuple first, with
/// `realloc(0, 0, 8, 80)`, then stores the values into it (allocating the
/// string), and passes the tuple's address.
#[test]
fn spilled_params_are_allocated_with_realloc() {
    let (mut store, instance) = spill_instance();
    let Val::U32(ptr) = call1(&mut store, &instance, "where", &spill_args()) else {
        panic!()
    };
    assert_eq!(
        ptr, HEAP_START,
        "the tuple is the first allocation of a fresh instance"
    );
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![
            realloc_call(0, 0, 8, 80),
            realloc_call(0, 0, 1, "spïlled".len() as u32)
        ]
    );
}

#[test]
fn more_than_16_flat_params_are_read_from_memory_by_the_host() {
    let (mut store, instance) = spill_instance();
    assert_eq!(call1(&mut store, &instance, "call-many", &[]), Val::U32(17));
    let mut expected = vec![Val::U8(9), Val::U64(u64::MAX), s("wörld")];
    expected.extend((0..14).map(Val::U32));
    assert_eq!(store.data().clone(), vec![expected]);
}

// ---------------------------------------------------------------- realloc calls

/// `store_list_into_range` always allocates, even zero bytes, with the
/// element alignment.
#[test]
fn empty_list_param_still_calls_realloc_with_element_alignment() {
    let t = Ty::ptr_len(&[], "(list u64)");
    let (mut store, instance) = roundtrip_instance(&t);
    let got = call1(&mut store, &instance, "echo", &[Val::List(vec![])]);
    assert_eq!(got, Val::List(vec![]));
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![realloc_call(0, 0, 8, 0)]
    );
}

/// A list is allocated in one piece (element size times length, element
/// alignment), then its elements' strings, in order.
#[test]
fn list_param_is_allocated_with_element_size_and_alignment() {
    let t = Ty::ptr_len(&[REC_DEF], "(list $rec)");
    let (mut store, instance) = roundtrip_instance(&t);
    let list = Val::List(vec![rec(1, 2, "xy"), rec(3, 4, ""), rec(5, 6, "ü")]);
    assert_eq!(
        call1(&mut store, &instance, "echo", std::slice::from_ref(&list)),
        list
    );
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![
            realloc_call(0, 0, 8, 72),
            realloc_call(0, 0, 1, 2),
            realloc_call(0, 0, 1, 0),
            realloc_call(0, 0, 1, 2),
        ]
    );
}

// ---------------------------------------------------------------- results through a return pointer

/// A result that flattens to more than one value comes back through a
/// pointer the guest returns; for imports the guest passes the pointer as
/// the last argument and the host writes there.
#[test]
fn multi_value_result_goes_through_return_pointer_both_ways() {
    let (engine, mut store, mut linker) = setup(());
    linker
        .root()
        .func_new("pair", |_store, params, results| {
            let Val::U32(x) = params[0] else { panic!() };
            results[0] = Val::Tuple(vec![Val::U32(x + 1), Val::U64(u64::from(x) << 32)]);
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  {LIBC}
  (import "pair" (func $pair (param "x" u32) (result (tuple u32 u64))))
  (core func $pair' (canon lower (func $pair) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "pair" (func $pair (param i32 i32)))
    ;; calls the host with return pointer 136, then returns (second, first)
    ;; as its own tuple at 64
    (func (export "swap-pair") (param i32) (result i32)
      (call $pair (local.get 0) (i32.const 136))
      (i64.store (i32.const 64) (i64.load (i32.const 144)))
      (i32.store (i32.const 72) (i32.load (i32.const 136)))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "pair" (func $pair'))))))
  (func (export "swap-pair") (param "x" u32) (result (tuple u64 u32))
    (canon lift (core func $m "swap-pair") {OPTS})))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    let got = call1(&mut store, &instance, "swap-pair", &[Val::U32(5)]);
    assert_eq!(got, Val::Tuple(vec![Val::U64(5 << 32), Val::U32(6)]));
}

// ---------------------------------------------------------------- post-return

/// `get: func() -> string` returns "hello" at 128 through the return area
/// at 64; its post-return counts calls, records its argument and scribbles
/// over the string.
fn post_return_instance() -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {LIBC}
  (core module $M
    (import "libc" "mem" (memory 1))
    (global $count (mut i32) (i32.const 0))
    (global $arg (mut i32) (i32.const -1))
    (data (i32.const 128) "hello")
    (func (export "get") (result i32)
      (i32.store (i32.const 64) (i32.const 128))
      (i32.store (i32.const 68) (i32.const 5))
      (i32.const 64))
    (func (export "post") (param $p i32)
      (global.set $count (i32.add (global.get $count) (i32.const 1)))
      (global.set $arg (local.get $p))
      (i32.store (i32.const 128) (i32.const 0x58585858)))
    (func (export "restore") (i32.store (i32.const 128) (i32.const 0x6c6c6568)))
    (func (export "count") (result i32) (global.get $count))
    (func (export "arg") (result i32) (global.get $arg)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
  (func (export "get") (result string)
    (canon lift (core func $m "get") {OPTS} (post-return (core func $m "post"))))
  (func (export "restore") (canon lift (core func $m "restore")))
  (func (export "count") (result u32) (canon lift (core func $m "count")))
  (func (export "arg") (result s32) (canon lift (core func $m "arg"))))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    (store, instance)
}

#[test]
fn post_return_is_called_once_per_call_with_the_core_results() {
    let (mut store, instance) = post_return_instance();
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(0));
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "arg", &[]), Val::S32(64));
    call(&mut store, &instance, "restore", &[]).unwrap();
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    assert_eq!(call1(&mut store, &instance, "count", &[]), Val::U32(2));
}

/// The results are lifted before post-return runs (it may free them).
#[test]
fn post_return_runs_after_the_results_are_lifted() {
    let (mut store, instance) = post_return_instance();
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("hello"));
    // post-return overwrote the bytes: without `restore` the next call
    // returns what it left behind
    assert_eq!(call1(&mut store, &instance, "get", &[]), s("XXXXo"));
}
