//! Components made of components.
//!
//! * Nesting: an outer component defines an inner component, instantiates
//!   it (once or twice) and exports its functions and interfaces; host
//!   imports are passed down into inner components.
//! * Composition: component `$A` exports the interface `test:demo/text`
//!   and component `$B` imports it; calls from `$B` to `$A` go through the
//!   fused adapter that the translator generates, which copies strings,
//!   lists and records from one linear memory to the other and transcodes
//!   strings when the two sides use different encodings (`$A` and `$B` are
//!   built with every pair of `utf8`, `utf16` and `latin1+utf16`).

use crate::common::*;
use wit_host::{Instance, Linker, Store, Trap, Val};

// ---------------------------------------------------------------- nesting

/// An inner component exporting `greet: func(name: string) -> string`
/// (returning "hello, <name>"), both at its root and inside the interface
/// `test:demo/greeter@0.1.0`.
fn greeter_component() -> String {
    format!(
        r#"(component $Greeter
    {LIBC}
    (core module $M
      (import "libc" "mem" (memory 1))
      (import "libc" "realloc" (func $realloc (param i32 i32 i32 i32) (result i32)))
      (data (i32.const 128) "hello, ")
      (func (export "greet") (param $p i32) (param $n i32) (result i32)
        (local $out i32)
        (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 1)
          (i32.add (local.get $n) (i32.const 7))))
        (memory.copy (local.get $out) (i32.const 128) (i32.const 7))
        (memory.copy (i32.add (local.get $out) (i32.const 7)) (local.get $p) (local.get $n))
        (i32.store (i32.const 64) (local.get $out))
        (i32.store (i32.const 68) (i32.add (local.get $n) (i32.const 7)))
        (i32.const 64)))
    (core instance $m (instantiate $M (with "libc" (instance $libc))))
    (func $greet (param "name" string) (result string) (canon lift (core func $m "greet") {OPTS}))
    (export "greet" (func $greet))
    (instance $iface (export "greet" (func $greet)))
    (export "test:demo/greeter@0.1.0" (instance $iface)))"#
    )
}

#[test]
fn nested_component_export_is_reexported_at_the_root() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {}
  (instance $g (instantiate $Greeter))
  (export "greet" (func $g "greet")))"#,
        greeter_component()
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    assert_eq!(
        call1(&mut store, &instance, "greet", &[s("wörld")]),
        s("hello, wörld")
    );
}

#[test]
fn nested_component_interface_is_reexported() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {}
  (instance $g (instantiate $Greeter))
  (export "test:demo/greeter@0.1.0" (instance $g "test:demo/greeter@0.1.0")))"#,
        greeter_component()
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "test:demo/greeter@0.1.0#greet",
            &[s("😀")]
        ),
        s("hello, 😀")
    );
    assert_eq!(
        instance.exports(&store).unwrap(),
        vec!["test:demo/greeter@0.1.0#greet".to_string()]
    );
}

#[test]
fn doubly_nested_component_is_reexported() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  (component $Middle
    {}
    (instance $g (instantiate $Greeter))
    (export "greet" (func $g "greet")))
  (instance $mid (instantiate $Middle))
  (export "greet" (func $mid "greet")))"#,
        greeter_component()
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    assert_eq!(
        call1(&mut store, &instance, "greet", &[s("deep")]),
        s("hello, deep")
    );
}

/// A counter component; each instance has its own memory and state.
const COUNTER: &str = r#"
  (component $Counter
    (core module $M
      (global $n (mut i32) (i32.const 0))
      (func (export "inc") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (global.get $n)))
    (core instance $m (instantiate $M))
    (func (export "inc") (result u32) (canon lift (core func $m "inc"))))
"#;

#[test]
fn two_instances_of_one_nested_component_have_separate_state() {
    let (engine, mut store, linker) = setup(());
    let wat = format!(
        r#"(component
  {COUNTER}
  (instance $a (instantiate $Counter))
  (instance $b (instantiate $Counter))
  (export "a" (instance $a))
  (export "b" (instance $b)))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    assert_eq!(call1(&mut store, &instance, "a#inc", &[]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "a#inc", &[]), Val::U32(2));
    assert_eq!(call1(&mut store, &instance, "b#inc", &[]), Val::U32(1));
    assert_eq!(call1(&mut store, &instance, "a#inc", &[]), Val::U32(3));
}

/// The outer component imports a host function and passes it to an inner
/// component two levels down, which calls it with a string from its own
/// memory.
#[test]
fn host_import_is_passed_down_to_nested_components() {
    let (engine, mut store, mut linker) = setup(Vec::<String>::new());
    linker
        .instance("test:demo/log@1.0.0")
        .unwrap()
        .func_new("print", |mut store, _ty, params, _results| {
            let Val::String(msg) = &params[0] else {
                panic!()
            };
            store.data_mut().push(msg.clone());
            Ok(())
        })
        .unwrap();
    let wat = format!(
        r#"(component
  (import "test:demo/log@1.0.0" (instance $log (export "print" (func (param "msg" string)))))
  (component $Inner
    (import "print" (func $print (param "msg" string)))
    {LIBC}
    (core func $print' (canon lower (func $print) {OPTS}))
    (core module $M
      (import "libc" "mem" (memory 1))
      (import "host" "print" (func $print (param i32 i32)))
      (data (i32.const 128) "from inside ✓")
      (func (export "run") (call $print (i32.const 128) (i32.const 15))))
    (core instance $m (instantiate $M (with "libc" (instance $libc))
      (with "host" (instance (export "print" (func $print'))))))
    (func (export "run") (canon lift (core func $m "run"))))
  (component $Middle
    (import "log" (instance $log (export "print" (func (param "msg" string)))))
    (instance $i (instantiate $Inner (with "print" (func $log "print"))))
    (export "run" (func $i "run")))
  (instance $mid (instantiate $Middle (with "log" (instance $log))))
  (export "run" (func $mid "run")))"#
    );
    let instance = instantiate(&engine, &mut store, &linker, &wat);
    call(&mut store, &instance, "run", &[]).unwrap();
    assert_eq!(store.data().clone(), vec!["from inside ✓".to_string()]);
}

// ---------------------------------------------------------------- composition

/// The items of the interface `test:demo/text`, as `$B` imports it.
const TEXT_IFACE: &str = r#"
      (export "upper" (func (param "s" string) (result string)))
      (export "echo-strings" (func (param "xs" (list string)) (result (list string))))
      (export "total" (func (param "xs" (list u32)) (result u64)))
      (export "swap" (func (param "p" (tuple string u32)) (result (tuple u32 string))))
      (export "raw" (func (param "s" string) (result (tuple (list u8) u32))))"#;

/// Core code: the byte length of the string `(local.get $p)`/`(local.get
/// $n)` in `enc`, and whether its code units are 16-bit.
fn string_shape(enc: Enc) -> (&'static str, &'static str) {
    match enc {
        Enc::Utf8 => ("(local.get $n)", "(i32.const 0)"),
        Enc::Utf16 => ("(i32.shl (local.get $n) (i32.const 1))", "(i32.const 1)"),
        Enc::Latin1Utf16 => (
            "(if (result i32) (i32.and (local.get $n) (i32.const 0x80000000))
               (then (i32.shl (i32.and (local.get $n) (i32.const 0x7fffffff)) (i32.const 1)))
               (else (local.get $n)))",
            "(i32.ne (i32.and (local.get $n) (i32.const 0x80000000)) (i32.const 0))",
        ),
    }
}

/// `$A`, in encoding `enc`, exporting `test:demo/text`:
///
/// * `upper`: ASCII letters upper-cased in place (per code unit);
/// * `echo-strings`: its argument, as received;
/// * `total`: the sum of the list;
/// * `swap`: `(s, n)` → `(n, s)`;
/// * `raw`: the bytes and code-unit count of the string in `$A`'s memory.
fn component_a(enc: Enc) -> String {
    let o = format!("{OPTS} {}", enc.option());
    let (byte_len, wide) = string_shape(enc);
    format!(
        r#"(component $A
    {LIBC}
    (core module $M
      (import "libc" "mem" (memory 1))
      (func (export "upper") (param $p i32) (param $n i32) (result i32)
        (local $i i32) (local $end i32) (local $c i32) (local $step i32)
        (local.set $end (i32.add (local.get $p) {byte_len}))
        (local.set $step (i32.add (i32.const 1) {wide}))
        (local.set $i (local.get $p))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $c (i32.load8_u (local.get $i)))
            ;; a lowercase ASCII letter, and (for 16-bit units) a zero high byte
            (if (i32.and
                  (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
                  (i32.or (i32.eqz {wide}) (i32.eqz (i32.load8_u offset=1 (local.get $i)))))
              (then (i32.store8 (local.get $i) (i32.sub (local.get $c) (i32.const 32)))))
            (local.set $i (i32.add (local.get $i) (local.get $step)))
            (br $next)))
        (i32.store (i32.const 64) (local.get $p))
        (i32.store (i32.const 68) (local.get $n))
        (i32.const 64))
      (func (export "echo-strings") (param i32 i32) (result i32)
        (i32.store (i32.const 64) (local.get 0))
        (i32.store (i32.const 68) (local.get 1))
        (i32.const 64))
      (func (export "total") (param $p i32) (param $n i32) (result i64)
        (local $sum i64)
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $n)))
            (local.set $sum (i64.add (local.get $sum) (i64.load32_u (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br $next)))
        (local.get $sum))
      (func (export "swap") (param i32 i32 i32) (result i32)
        (i32.store (i32.const 64) (local.get 2))
        (i32.store (i32.const 68) (local.get 0))
        (i32.store (i32.const 72) (local.get 1))
        (i32.const 64))
      (func (export "raw") (param $p i32) (param $n i32) (result i32)
        (i32.store (i32.const 64) (local.get $p))
        (i32.store (i32.const 68) {byte_len})
        (i32.store (i32.const 72) (local.get $n))
        (i32.const 64)))
    (core instance $m (instantiate $M (with "libc" (instance $libc))))
    (func $upper (param "s" string) (result string) (canon lift (core func $m "upper") {o}))
    (func $echo-strings (param "xs" (list string)) (result (list string))
      (canon lift (core func $m "echo-strings") {o}))
    (func $total (param "xs" (list u32)) (result u64) (canon lift (core func $m "total") {o}))
    (func $swap (param "p" (tuple string u32)) (result (tuple u32 string))
      (canon lift (core func $m "swap") {o}))
    (func $raw (param "s" string) (result (tuple (list u8) u32)) (canon lift (core func $m "raw") {o}))
    (instance $text
      (export "upper" (func $upper))
      (export "echo-strings" (func $echo-strings))
      (export "total" (func $total))
      (export "swap" (func $swap))
      (export "raw" (func $raw)))
    (export "test:demo/text" (instance $text)))"#
    )
}

/// `$B`, in encoding `enc`, importing `test:demo/text` and exporting the
/// same functions, each forwarding its argument to `$A`'s.
fn component_b(enc: Enc) -> String {
    let o = format!("{OPTS} {}", enc.option());
    format!(
        r#"(component $B
    (import "test:demo/text" (instance $text {TEXT_IFACE}))
    {LIBC}
    (core func $upper' (canon lower (func $text "upper") {o}))
    (core func $echo-strings' (canon lower (func $text "echo-strings") {o}))
    (core func $total' (canon lower (func $text "total") {o}))
    (core func $swap' (canon lower (func $text "swap") {o}))
    (core func $raw' (canon lower (func $text "raw") {o}))
    (core module $M
      (import "libc" "mem" (memory 1))
      (import "text" "upper" (func $upper (param i32 i32 i32)))
      (import "text" "echo-strings" (func $echo-strings (param i32 i32 i32)))
      (import "text" "total" (func $total (param i32 i32) (result i64)))
      (import "text" "swap" (func $swap (param i32 i32 i32 i32)))
      (import "text" "raw" (func $raw (param i32 i32 i32)))
      (func (export "upper") (param i32 i32) (result i32)
        (call $upper (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64))
      (func (export "echo-strings") (param i32 i32) (result i32)
        (call $echo-strings (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64))
      (func (export "total") (param i32 i32) (result i64)
        (call $total (local.get 0) (local.get 1)))
      (func (export "swap") (param i32 i32 i32) (result i32)
        (call $swap (local.get 0) (local.get 1) (local.get 2) (i32.const 64)) (i32.const 64))
      (func (export "raw") (param i32 i32) (result i32)
        (call $raw (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64))
      ;; the raw form of `upper`'s result in B's memory
      (func (export "upper-raw") (param i32 i32) (result i32)
        (local $n i32)
        (call $upper (local.get 0) (local.get 1) (i32.const 128))
        (local.set $n (i32.load (i32.const 132)))
        (i32.store (i32.const 64) (i32.load (i32.const 128)))
        (i32.store (i32.const 68) {b_byte_len})
        (i32.store (i32.const 72) (local.get $n))
        (i32.const 64)))
    (core instance $m (instantiate $M (with "libc" (instance $libc))
      (with "text" (instance
        (export "upper" (func $upper'))
        (export "echo-strings" (func $echo-strings'))
        (export "total" (func $total'))
        (export "swap" (func $swap'))
        (export "raw" (func $raw'))))))
    (func (export "upper") (param "s" string) (result string) (canon lift (core func $m "upper") {o}))
    (func (export "echo-strings") (param "xs" (list string)) (result (list string))
      (canon lift (core func $m "echo-strings") {o}))
    (func (export "total") (param "xs" (list u32)) (result u64) (canon lift (core func $m "total") {o}))
    (func (export "swap") (param "p" (tuple string u32)) (result (tuple u32 string))
      (canon lift (core func $m "swap") {o}))
    (func (export "raw") (param "s" string) (result (tuple (list u8) u32)) (canon lift (core func $m "raw") {o}))
    (func (export "upper-raw") (param "s" string) (result (tuple (list u8) u32))
      (canon lift (core func $m "upper-raw") {o})))"#,
        b_byte_len = string_shape(enc).0
    )
}

/// `$A` and `$B` composed; the outer component exports `$B`'s functions.
fn composed_wat(a: Enc, b: Enc) -> String {
    format!(
        r#"(component
  {}
  {}
  (instance $a (instantiate $A))
  (instance $b (instantiate $B (with "test:demo/text" (instance $a "test:demo/text"))))
  (export "upper" (func $b "upper"))
  (export "echo-strings" (func $b "echo-strings"))
  (export "total" (func $b "total"))
  (export "swap" (func $b "swap"))
  (export "raw" (func $b "raw"))
  (export "upper-raw" (func $b "upper-raw")))"#,
        component_a(a),
        component_b(b)
    )
}

fn composed(a: Enc, b: Enc) -> (Store<()>, Instance) {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(&engine, &mut store, &linker, &composed_wat(a, b));
    (store, instance)
}

fn raw(enc: Enc, s: &str) -> Val {
    let (b, units) = enc.encode(s);
    Val::Tuple(vec![bytes(&b), Val::U32(units)])
}

const TEXTS: &[&str] = &[
    "",
    "hello",
    "héllo wörld",
    "ÿ\u{80}",
    "Ωmega ✓",
    "a😀b",
    "mixed: é Ω 😀 z",
];

fn upper_ascii(s: &str) -> String {
    s.chars().map(|c| c.to_ascii_uppercase()).collect()
}

/// Strings cross the adapter both ways: `$B` → `$A` transcoded into `$A`'s
/// encoding (checked with `raw`, which shows `$A`'s bytes), `$A` upper-cases
/// them in place, and the result comes back transcoded into `$B`'s encoding
/// (checked with `upper-raw`).
fn check_strings(a: Enc, b: Enc) {
    let (mut store, instance) = composed(a, b);
    for text in TEXTS {
        let expected = upper_ascii(text);
        assert_eq!(
            call1(&mut store, &instance, "upper", &[s(text)]),
            s(&expected),
            "{a:?} <- {b:?}"
        );
        assert_eq!(
            call1(&mut store, &instance, "raw", &[s(text)]),
            raw(a, text),
            "{a:?} <- {b:?}: A's bytes"
        );
        assert_eq!(
            call1(&mut store, &instance, "upper-raw", &[s(text)]),
            raw(b, &expected),
            "{a:?} <- {b:?}: B's bytes of A's result"
        );
    }
}

/// Lists of strings, lists of integers and tuples containing strings cross
/// the adapter.
fn check_lists_and_tuples(a: Enc, b: Enc) {
    let (mut store, instance) = composed(a, b);
    let xs = Val::List(TEXTS.iter().map(|t| s(t)).collect());
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "echo-strings",
            std::slice::from_ref(&xs)
        ),
        xs,
        "{a:?} <- {b:?}"
    );
    let empty = Val::List(vec![]);
    assert_eq!(
        call1(
            &mut store,
            &instance,
            "echo-strings",
            std::slice::from_ref(&empty)
        ),
        empty
    );

    let nums = Val::List(
        (1..=1000)
            .map(Val::U32)
            .chain([Val::U32(u32::MAX)])
            .collect(),
    );
    assert_eq!(
        call1(&mut store, &instance, "total", &[nums]),
        Val::U64(500_500 + u64::from(u32::MAX))
    );
    assert_eq!(
        call1(&mut store, &instance, "total", &[Val::List(vec![])]),
        Val::U64(0)
    );

    let pair = Val::Tuple(vec![s("pâir 😀"), Val::U32(42)]);
    assert_eq!(
        call1(&mut store, &instance, "swap", &[pair]),
        Val::Tuple(vec![Val::U32(42), s("pâir 😀")]),
        "{a:?} <- {b:?}"
    );
}

#[test]
fn composition_utf8_to_utf8_passes_strings_through_the_adapter() {
    check_strings(Enc::Utf8, Enc::Utf8);
}

#[test]
fn composition_transcodes_utf16_caller_to_utf8_callee() {
    check_strings(Enc::Utf8, Enc::Utf16);
}

#[test]
fn composition_transcodes_utf8_caller_to_utf16_callee() {
    check_strings(Enc::Utf16, Enc::Utf8);
}

#[test]
fn composition_latin1_utf16_on_both_sides() {
    check_strings(Enc::Latin1Utf16, Enc::Latin1Utf16);
}

#[test]
fn composition_transcodes_utf8_caller_to_latin1_utf16_callee() {
    check_strings(Enc::Latin1Utf16, Enc::Utf8);
}

#[test]
fn composition_transcodes_latin1_utf16_caller_to_utf8_callee() {
    check_strings(Enc::Utf8, Enc::Latin1Utf16);
}

#[test]
fn composition_transcodes_utf16_caller_to_latin1_utf16_callee() {
    check_strings(Enc::Latin1Utf16, Enc::Utf16);
}

#[test]
fn composition_transcodes_latin1_utf16_caller_to_utf16_callee() {
    check_strings(Enc::Utf16, Enc::Latin1Utf16);
}

#[test]
fn composition_utf16_to_utf16_passes_strings_through_the_adapter() {
    check_strings(Enc::Utf16, Enc::Utf16);
}

#[test]
fn composition_copies_lists_and_tuples_utf8_to_utf16() {
    check_lists_and_tuples(Enc::Utf8, Enc::Utf16);
}

#[test]
fn composition_copies_lists_and_tuples_utf16_to_utf8() {
    check_lists_and_tuples(Enc::Utf16, Enc::Utf8);
}

#[test]
fn composition_copies_lists_and_tuples_latin1_utf16_both_sides() {
    check_lists_and_tuples(Enc::Latin1Utf16, Enc::Latin1Utf16);
}

/// A component that exports an interface and a component that imports it
/// can also be linked through the host: the host defines the interface
/// with `func_new` functions that call into the first instance.
#[test]
fn host_can_forward_one_instance_export_to_another_instance_import() {
    let (engine, mut store, _) = setup(None::<Instance>);
    let a = compile(
        &engine,
        &format!(
            r#"(component
  {}
  (instance $a (instantiate $A))
  (export "test:demo/text" (instance $a "test:demo/text")))"#,
            component_a(Enc::Utf8)
        ),
    );
    let b = compile(
        &engine,
        &format!(
            r#"(component
  (import "test:demo/text" (instance $t {TEXT_IFACE}))
  {}
  (instance $b (instantiate $B (with "test:demo/text" (instance $t))))
  (export "upper" (func $b "upper")))"#,
            component_b(Enc::Utf16)
        ),
    );
    let a_instance = Linker::new(&engine).instantiate(&mut store, &a).unwrap();
    *store.data_mut() = Some(a_instance);

    let mut linker = Linker::<Option<Instance>>::new(&engine);
    let mut text = linker.instance("test:demo/text").unwrap();
    for name in ["upper", "echo-strings", "total", "swap", "raw"] {
        let name_owned = format!("test:demo/text#{name}");
        text.func_new(name, move |mut store, _ty, params, results| {
            let a = (*store.data()).expect("A is instantiated");
            let f = a.get_func(&mut store, &name_owned).expect("A exports it");
            f.call(&mut store, params, results)
        })
        .unwrap();
    }
    let b_instance = linker.instantiate(&mut store, &b).unwrap();
    let upper = b_instance.get_func(&mut store, "upper").unwrap();
    let mut results = vec![Val::String(String::new())];
    upper
        .call(&mut store, &[s("via the hôst 😀")], &mut results)
        .unwrap();
    assert_eq!(results, vec![s("VIA THE HôST 😀")]);
}

// ---------------------------------------------------------------- adapter traps

/// A callee (`$Bad`, strings in `callee_enc`) whose exports return invalid
/// values, and a caller (`$Caller`, strings in `caller_enc`) calling each of
/// them through the fused adapter; the outer component exports the
/// caller's `call-<name>` functions.
fn bad_callee_wat(callee_enc: Enc, caller_enc: Enc) -> String {
    let co = format!("{OPTS} {}", callee_enc.option());
    let ko = format!("{OPTS} {}", caller_enc.option());
    format!(
        r#"(component
  (component $Bad
    {LIBC}
    (type $e' (enum "a" "b" "c"))
    (export $e "e" (type $e'))
    (core module $M
      (import "libc" "mem" (memory 1))
      ;; 128: ff (invalid UTF-8); 130: 00 d8 (a lone surrogate in UTF-16)
      (data (i32.const 128) "\ff\00\00\d8")
      (func $ret (param i32 i32) (result i32)
        (i32.store (i32.const 64) (local.get 0))
        (i32.store (i32.const 68) (local.get 1))
        (i32.const 64))
      (func (export "bad-char") (result i32) (i32.const 0xd800))
      (func (export "bad-enum") (result i32) (i32.const 5))
      (func (export "bad-string-bounds") (result i32) (call $ret (i32.const 65530) (i32.const 100)))
      (func (export "bad-list-alignment") (result i32) (call $ret (i32.const 129) (i32.const 1)))
      (func (export "bad-utf8") (result i32) (call $ret (i32.const 128) (i32.const 1)))
      (func (export "bad-utf16") (result i32) (call $ret (i32.const 130) (i32.const 1)))
      (func (export "good") (result i32) (call $ret (i32.const 0) (i32.const 0))))
    (core instance $m (instantiate $M (with "libc" (instance $libc))))
    (func (export "bad-char") (result char) (canon lift (core func $m "bad-char")))
    (func (export "bad-enum") (result $e) (canon lift (core func $m "bad-enum")))
    (func (export "bad-string-bounds") (result string) (canon lift (core func $m "bad-string-bounds") {co}))
    (func (export "bad-list-alignment") (result (list u32)) (canon lift (core func $m "bad-list-alignment") {co}))
    (func (export "bad-utf8") (result string) (canon lift (core func $m "bad-utf8") {co}))
    (func (export "bad-utf16") (result string) (canon lift (core func $m "bad-utf16") {co}))
    (func (export "good") (result string) (canon lift (core func $m "good") {co})))
  (component $Caller
    (import "bad" (instance $bad
      (type $e' (enum "a" "b" "c"))
      (export "e" (type $e (eq $e')))
      (export "bad-char" (func (result char)))
      (export "bad-enum" (func (result $e)))
      (export "bad-string-bounds" (func (result string)))
      (export "bad-list-alignment" (func (result (list u32))))
      (export "bad-utf8" (func (result string)))
      (export "bad-utf16" (func (result string)))
      (export "good" (func (result string)))))
    {LIBC}
    (core func $bad-char (canon lower (func $bad "bad-char")))
    (core func $bad-enum (canon lower (func $bad "bad-enum")))
    (core func $bad-string-bounds (canon lower (func $bad "bad-string-bounds") {ko}))
    (core func $bad-list-alignment (canon lower (func $bad "bad-list-alignment") {ko}))
    (core func $bad-utf8 (canon lower (func $bad "bad-utf8") {ko}))
    (core func $bad-utf16 (canon lower (func $bad "bad-utf16") {ko}))
    (core func $good (canon lower (func $bad "good") {ko}))
    (core module $M
      (import "bad" "bad-char" (func $bad-char (result i32)))
      (import "bad" "bad-enum" (func $bad-enum (result i32)))
      (import "bad" "bad-string-bounds" (func $bad-string-bounds (param i32)))
      (import "bad" "bad-list-alignment" (func $bad-list-alignment (param i32)))
      (import "bad" "bad-utf8" (func $bad-utf8 (param i32)))
      (import "bad" "bad-utf16" (func $bad-utf16 (param i32)))
      (import "bad" "good" (func $good (param i32)))
      (func (export "call-bad-char") (drop (call $bad-char)))
      (func (export "call-bad-enum") (drop (call $bad-enum)))
      (func (export "call-bad-string-bounds") (call $bad-string-bounds (i32.const 64)))
      (func (export "call-bad-list-alignment") (call $bad-list-alignment (i32.const 64)))
      (func (export "call-bad-utf8") (call $bad-utf8 (i32.const 64)))
      (func (export "call-bad-utf16") (call $bad-utf16 (i32.const 64)))
      (func (export "call-good") (call $good (i32.const 64))))
    (core instance $m (instantiate $M (with "bad" (instance
      (export "bad-char" (func $bad-char))
      (export "bad-enum" (func $bad-enum))
      (export "bad-string-bounds" (func $bad-string-bounds))
      (export "bad-list-alignment" (func $bad-list-alignment))
      (export "bad-utf8" (func $bad-utf8))
      (export "bad-utf16" (func $bad-utf16))
      (export "good" (func $good))))))
    (func (export "call-bad-char") (canon lift (core func $m "call-bad-char")))
    (func (export "call-bad-enum") (canon lift (core func $m "call-bad-enum")))
    (func (export "call-bad-string-bounds") (canon lift (core func $m "call-bad-string-bounds")))
    (func (export "call-bad-list-alignment") (canon lift (core func $m "call-bad-list-alignment")))
    (func (export "call-bad-utf8") (canon lift (core func $m "call-bad-utf8")))
    (func (export "call-bad-utf16") (canon lift (core func $m "call-bad-utf16")))
    (func (export "call-good") (canon lift (core func $m "call-good"))))
  (instance $bad (instantiate $Bad))
  (instance $caller (instantiate $Caller (with "bad" (instance $bad))))
  (export "caller" (instance $caller)))"#
    )
}

/// Calls `caller#call-<name>` on a fresh composition, expecting an error
/// mentioning `words`.
#[track_caller]
fn assert_adapter_traps(callee: Enc, caller: Enc, name: &str, words: &[&str]) {
    let err = adapter_error(callee, caller, name);
    assert_contains_all(&message(&err), words);
}

/// Calls `caller#call-<name>` on a fresh composition, expecting the fused
/// adapter to raise the trap `kind`.
#[track_caller]
fn assert_adapter_trap_kind(callee: Enc, caller: Enc, name: &str, kind: Trap) {
    assert_trap(&adapter_error(callee, caller, name), kind);
}

/// The error of `caller#call-<name>` on a fresh composition, which must
/// fail.
#[track_caller]
fn adapter_error(callee: Enc, caller: Enc, name: &str) -> wit_host::Error {
    let (engine, mut store, linker) = setup(());
    let instance = instantiate(
        &engine,
        &mut store,
        &linker,
        &bad_callee_wat(callee, caller),
    );
    // the composition itself works
    call(&mut store, &instance, "caller#call-good", &[])
        .unwrap_or_else(|e| panic!("call-good failed: {e:?}"));
    call_error(&mut store, &instance, &format!("caller#call-{name}"), &[])
}

#[test]
fn invalid_char_crossing_the_adapter_traps() {
    assert_adapter_trap_kind(Enc::Utf8, Enc::Utf8, "bad-char", Trap::InvalidChar);
}

#[test]
fn invalid_discriminant_crossing_the_adapter_traps() {
    assert_adapter_trap_kind(Enc::Utf8, Enc::Utf8, "bad-enum", Trap::InvalidDiscriminant);
}

#[test]
fn out_of_bounds_string_crossing_the_adapter_traps() {
    assert_adapter_trap_kind(
        Enc::Utf8,
        Enc::Utf8,
        "bad-string-bounds",
        Trap::StringOutOfBounds,
    );
}

#[test]
fn misaligned_list_crossing_the_adapter_traps() {
    assert_adapter_trap_kind(
        Enc::Utf8,
        Enc::Utf8,
        "bad-list-alignment",
        Trap::UnalignedPointer,
    );
}

/// Transcoding UTF-8 to UTF-16 decodes the bytes, so invalid UTF-8 traps.
#[test]
fn invalid_utf8_transcoded_to_utf16_across_the_adapter_traps() {
    assert_adapter_traps(
        Enc::Utf8,
        Enc::Utf16,
        "bad-utf8",
        &["utf8-to-utf16 transcoder: invalid utf-8 in source"],
    );
}

#[test]
fn invalid_utf16_transcoded_to_utf8_across_the_adapter_traps() {
    assert_adapter_traps(
        Enc::Utf16,
        Enc::Utf8,
        "bad-utf16",
        &["utf16-to-utf8 transcoder: invalid utf-16 in source: unpaired surrogate 0xd800"],
    );
}

/// `canon_lower` lifts the callee's result (`load_string_from_range`
/// decodes it and traps on invalid UTF-8) even when both sides use UTF-8.
#[test]
fn invalid_utf8_copied_utf8_to_utf8_across_the_adapter_traps() {
    assert_adapter_traps(
        Enc::Utf8,
        Enc::Utf8,
        "bad-utf8",
        &["utf8-to-utf8 transcoder: invalid utf-8 in source"],
    );
}
