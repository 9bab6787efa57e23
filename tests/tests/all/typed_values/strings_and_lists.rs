//! Strings (`String` and `&str`, also through UTF-16 and Latin-1+UTF-16
//! guests) and lists (`Vec<T>` and `&[T]`, up to 1 MiB, nested) round
//! trips, both ways.

use crate::common::*;
use crate::typed_common::*;
use wit_host::{Engine, Linker, Store};

fn strings() -> Vec<String> {
    [
        "",
        "a",
        "hello, world",
        "héllo wörld ✓",
        "😀𝄞 astral",
        "nul\0inside",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(["aé✓😀".repeat(2500)])
    .collect()
}

#[test]
fn string_roundtrips_both_ways() {
    check_roundtrip(&Ty::ptr_len(&[], "string"), &strings());
}

/// `&str` lowers like `String` (host → guest), and a host function can
/// reply with `&'static str` and `&'static [&'static str]`.
#[test]
fn str_references_lower_like_strings_both_ways() {
    let t = Ty::ptr_len(&[], "string");
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::<Vec<String>>::new(&engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (String,)| {
            store.data_mut().push(x);
            Ok(("from the host ✓",))
        })
        .unwrap();
    linker
        .root()
        .func_wrap("f-list", |mut store, (xs,): (Vec<String>,)| {
            store.data_mut().extend(xs);
            const REPLY: &[&str] = &["a", "", "ü"];
            Ok((REPLY,))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &roundtrip_wat(&t));
    let echo = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "echo")
        .unwrap();
    for s in ["", "plain", "wïth ✓ and 😀"] {
        assert_eq!(echo.call(&mut store, (s,)).unwrap(), (s.to_string(),));
    }
    let echo_list = instance
        .get_typed_func::<(&[&str],), (Vec<String>,)>(&mut store, "echo-list")
        .unwrap();
    assert_eq!(
        echo_list.call(&mut store, (&["x", "ÿ", ""][..],)).unwrap(),
        (vec!["x".to_string(), "ÿ".into(), "".into()],)
    );
    let run = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "run")
        .unwrap();
    assert_eq!(
        run.call(&mut store, ("to the host",)).unwrap(),
        ("from the host ✓".to_string(),)
    );
    let run_list = instance
        .get_typed_func::<(&[&str],), (Vec<String>,)>(&mut store, "run-list")
        .unwrap();
    assert_eq!(
        run_list.call(&mut store, (&["p", "q"][..],)).unwrap(),
        (vec!["a".to_string(), "".into(), "ü".into()],)
    );
    assert_eq!(store.data().clone(), ["to the host", "p", "q"]);
}

/// A guest with `string-encoding=utf16` or `latin1+utf16`: the typed path
/// transcodes both ways like the dynamic path.
fn string_encoding_wat(encoding: &str) -> String {
    format!(
        r#"(component
  {LIBC}
  (import "f" (func $f (param "x" string) (result string)))
  (core func $f' (canon lower (func $f) {OPTS} string-encoding={encoding}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "f" (func $f (param i32 i32 i32)))
    (func (export "echo") (param i32 i32) (result i32) {PTR_LEN_STORE} (i32.const 64))
    (func (export "run") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1) (i32.const 64)) (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "f" (func $f'))))))
  (func (export "echo") (param "x" string) (result string)
    (canon lift (core func $m "echo") {OPTS} string-encoding={encoding}))
  (func (export "run") (param "x" string) (result string)
    (canon lift (core func $m "run") {OPTS} string-encoding={encoding})))"#
    )
}

fn check_string_encoding(encoding: &str) {
    let engine = Engine::default();
    let mut store = Store::new(&engine, Vec::<String>::new());
    let mut linker = Linker::<Vec<String>>::new(&engine);
    linker
        .root()
        .func_wrap("f", |mut store, (x,): (String,)| {
            let reply = format!("{x}|{x}");
            store.data_mut().push(x);
            Ok((reply,))
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &string_encoding_wat(encoding));
    let echo = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "echo")
        .unwrap();
    let run = instance
        .get_typed_func::<(&str,), (String,)>(&mut store, "run")
        .unwrap();
    for s in ["", "ascii", "latïn-1 ÿ", "ŭtf-16 ✓ 😀"] {
        assert_eq!(echo.call(&mut store, (s,)).unwrap().0, s, "echo {encoding}");
        assert_eq!(
            run.call(&mut store, (s,)).unwrap().0,
            format!("{s}|{s}"),
            "run {encoding}"
        );
        assert_eq!(store.data_mut().pop().unwrap(), s, "host received");
    }
}

#[test]
fn strings_roundtrip_both_ways_through_a_utf16_guest() {
    check_string_encoding("utf16");
}

#[test]
fn strings_roundtrip_both_ways_through_a_latin1_utf16_guest() {
    check_string_encoding("latin1+utf16");
}

// ---------------------------------------------------------------- lists

#[test]
fn list_u8_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u8)"),
        &[vec![], vec![0u8, 1, 255], vec![7; 70_000]],
    );
}

#[test]
fn list_u8_of_one_mib_roundtrips_both_ways() {
    let big: Vec<u8> = (0..1 << 20).map(|i: u32| (i * 7 % 251) as u8).collect();
    let other: Vec<u8> = big.iter().rev().copied().collect();
    check_roundtrip(&Ty::ptr_len(&[], "(list u8)"), &[big, other]);
}

#[test]
fn list_u32_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list u32)"),
        &[
            vec![],
            vec![0u32, u32::MAX, 0x0102_0304],
            (0..1000).collect(),
        ],
    );
}

#[test]
fn list_string_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list string)"),
        &[vec![], strings(), vec!["only".to_string()]],
    );
}

#[test]
fn list_of_lists_roundtrips_both_ways() {
    check_roundtrip(
        &Ty::ptr_len(&[], "(list (list u16))"),
        &[vec![], vec![vec![1u16, 2], vec![], vec![u16::MAX]]],
    );
}

/// Lists of numbers are stored as their little-endian bytes.
#[test]
fn list_u32_is_stored_as_little_endian_bytes() {
    let t = Ty::scalar("u32", "i32");
    assert_eq!(
        stored_bytes(&t, &[0x0102_0304u32, 0xa0b0_c0d0]),
        [4, 3, 2, 1, 0xd0, 0xc0, 0xb0, 0xa0]
    );
}

/// A list of compound values (stored item by item, not in one copy) whose
/// last byte is the last byte of a 4 GiB memory: the guest's `realloc`
/// puts it there, and the host stores it without overflowing its offset.
#[test]
fn a_list_ending_at_the_4_gib_limit_is_stored() {
    let engine = wit_host::Engine::default();
    let component = wit_host::Component::new(
        &engine,
        r#"(component
            (core module $m
                (memory (export "memory") 65536)
                (func (export "realloc") (param i32 i32 i32 i32) (result i32)
                    ;; The list's bytes end at 2^32.
                    (i32.sub (i32.const 0) (local.get 3)))
                (func (export "last") (param $ptr i32) (param $len i32) (result i32)
                    ;; The second field of the last item.
                    (i32.load8_u (i32.sub (i32.const 0) (i32.const 4)))))
            (core instance $i (instantiate $m))
            (func (export "last") (param "l" (list (tuple u32 u8))) (result u8)
                (canon lift (core func $i "last") (memory (core memory $i "memory"))
                    (realloc (core func $i "realloc")))))"#,
    )
    .unwrap();
    let mut store = Store::new(&engine, ());
    let instance = Linker::<()>::new(&engine)
        .instantiate(&mut store, &component)
        .unwrap();
    let last = instance
        .get_typed_func::<(Vec<(u32, u8)>,), (u8,)>(&mut store, "last")
        .unwrap();
    let items: Vec<(u32, u8)> = (0..100).map(|i| (i, i as u8)).collect();
    assert_eq!(last.call(&mut store, (items,)).unwrap(), (99,));
}
