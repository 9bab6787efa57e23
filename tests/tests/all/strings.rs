//! Strings in all three canonical string encodings — `utf8`, `utf16` and
//! `latin1+utf16` — in both directions.
//!
//! The same guest ([`guest_wat`]) is built with each `string-encoding`. It
//! echoes strings (host → guest → host), passes them to an imported host
//! function and returns the host's reply (guest → host → guest), and shows
//! the exact bytes and code-unit count it sees in its memory (`raw`), so the
//! tests check the encoding itself, not only the round trip. Guest-built
//! byte sequences are decoded by the host both as export results and as
//! import arguments.

use crate::common::*;
use wit_host::{Instance, Store, Val};

const SAMPLES: &[&str] = &[
    "",
    "hello",
    "héllo wörld",   // Latin-1 only
    "\u{80}\u{ff}ÿ", // Latin-1 upper half
    "ĀĒ Ω ✓",        // BMP beyond Latin-1
    "😀",            // astral: a surrogate pair in UTF-16
    "aé😀z\0",
];

/// The core code computing the byte length of the string `(local 0, local
/// 1)` in `enc`.
fn byte_len(enc: Enc) -> &'static str {
    match enc {
        Enc::Utf8 => "(local.get 1)",
        Enc::Utf16 => "(i32.shl (local.get 1) (i32.const 1))",
        Enc::Latin1Utf16 => {
            "(if (result i32) (i32.and (local.get 1) (i32.const 0x80000000))
               (then (i32.shl (i32.and (local.get 1) (i32.const 0x7fffffff)) (i32.const 1)))
               (else (local.get 1)))"
        }
    }
}

/// The guest, with every canonical option using `enc`:
///
/// * `echo: func(s: string) -> string`
/// * `raw: func(s: string) -> tuple<list<u8>, u32>`: the bytes of `s` in
///   guest memory and its code-unit count as the guest received them;
/// * `from-raw: func(b: list<u8>, units: u32) -> string`: returns the bytes
///   of `b` as a string of `units` code units;
/// * `run: func(s: string) -> string`: calls the host's `f(s)` and returns
///   its reply; `run-raw` returns the reply's raw form instead;
/// * `send-raw: func(b: list<u8>, units: u32)`: calls the host's `take` with
///   the bytes of `b` as a string of `units` code units.
fn guest_wat(enc: Enc) -> String {
    let o = format!("{OPTS} {}", enc.option());
    let byte_len = byte_len(enc);
    format!(
        r#"(component
  {LIBC}
  (import "f" (func $f (param "s" string) (result string)))
  (import "take" (func $take (param "s" string)))
  (core func $f' (canon lower (func $f) {o}))
  (core func $take' (canon lower (func $take) {o}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "f" (func $f (param i32 i32 i32)))
    (import "host" "take" (func $take (param i32 i32)))
    (func $raw (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) {byte_len})
      (i32.store (i32.const 72) (local.get 1))
      (i32.const 64))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64))
    (func (export "raw") (param i32 i32) (result i32) (call $raw (local.get 0) (local.get 1)))
    (func (export "from-raw") (param i32 i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 2))
      (i32.const 64))
    (func (export "run") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1) (i32.const 64))
      (i32.const 64))
    (func (export "run-raw") (param i32 i32) (result i32)
      (call $f (local.get 0) (local.get 1) (i32.const 128))
      (call $raw (i32.load (i32.const 128)) (i32.load (i32.const 132))))
    (func (export "send-raw") (param i32 i32 i32)
      (call $take (local.get 0) (local.get 2)))
    {LIBC_PROBES})
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "f" (func $f')) (export "take" (func $take'))))))
  (func (export "echo") (param "s" string) (result string) (canon lift (core func $m "echo") {o}))
  (func (export "raw") (param "s" string) (result (tuple (list u8) u32)) (canon lift (core func $m "raw") {o}))
  (func (export "from-raw") (param "b" (list u8)) (param "units" u32) (result string)
    (canon lift (core func $m "from-raw") {o}))
  (func (export "run") (param "s" string) (result string) (canon lift (core func $m "run") {o}))
  (func (export "run-raw") (param "s" string) (result (tuple (list u8) u32))
    (canon lift (core func $m "run-raw") {o}))
  (func (export "send-raw") (param "b" (list u8)) (param "units" u32)
    (canon lift (core func $m "send-raw") {o}))
  {LIBC_PROBE_EXPORTS})"#
    )
}

/// What the host functions saw and will reply.
#[derive(Default)]
struct Host {
    seen: Vec<String>,
    replies: Vec<String>,
}

fn guest(enc: Enc) -> (Store<Host>, Instance) {
    let (engine, mut store, mut linker) = setup(Host::default());
    linker
        .root()
        .func_new("f", |mut store, _ty, params, results| {
            let Val::String(s) = &params[0] else {
                panic!("f got {params:?}")
            };
            let host = store.data_mut();
            host.seen.push(s.clone());
            results[0] = Val::String(host.replies.pop().unwrap_or_else(|| s.clone()));
            Ok(())
        })
        .unwrap();
    linker
        .root()
        .func_new("take", |mut store, _ty, params, _results| {
            let Val::String(s) = &params[0] else {
                panic!("take got {params:?}")
            };
            store.data_mut().seen.push(s.clone());
            Ok(())
        })
        .unwrap();
    let instance = instantiate(&engine, &mut store, &linker, &guest_wat(enc));
    (store, instance)
}

fn raw_value(bytes_and_units: (Vec<u8>, u32)) -> Val {
    Val::Tuple(vec![
        crate::common::bytes(&bytes_and_units.0),
        Val::U32(bytes_and_units.1),
    ])
}

/// host → guest → host for every sample.
fn check_echo(enc: Enc) {
    let (mut store, instance) = guest(enc);
    for sample in SAMPLES {
        assert_eq!(
            call1(&mut store, &instance, "echo", &[s(sample)]),
            s(sample),
            "{enc:?}"
        );
    }
}

/// The guest sees exactly the bytes and code-unit count of the encoding.
fn check_guest_sees_encoding(enc: Enc) {
    let (mut store, instance) = guest(enc);
    for sample in SAMPLES {
        let got = call1(&mut store, &instance, "raw", &[s(sample)]);
        assert_eq!(
            got,
            raw_value(enc.encode(sample)),
            "{enc:?} encoding of {sample:?}"
        );
    }
}

/// guest → host → guest: the host sees the guest's argument and its reply
/// is encoded into guest memory.
fn check_host_roundtrip(enc: Enc) {
    let (mut store, instance) = guest(enc);
    for (i, sample) in SAMPLES.iter().enumerate() {
        let reply = SAMPLES[(i + 3) % SAMPLES.len()];
        store.data_mut().replies.push(reply.to_string());
        assert_eq!(
            call1(&mut store, &instance, "run", &[s(sample)]),
            s(reply),
            "{enc:?}"
        );
        assert_eq!(
            store.data_mut().seen.pop().as_deref(),
            Some(*sample),
            "{enc:?}"
        );

        store.data_mut().replies.push(reply.to_string());
        let got = call1(&mut store, &instance, "run-raw", &[s(sample)]);
        assert_eq!(
            got,
            raw_value(enc.encode(reply)),
            "{enc:?} encoding of the reply {reply:?}"
        );
        assert_eq!(
            store.data_mut().seen.pop().as_deref(),
            Some(*sample),
            "{enc:?}"
        );
    }
}

/// Guest-built bytes are decoded by the host, as an export's result and as
/// an import's argument.
fn check_host_decodes(enc: Enc, bytes: &[u8], units: u32, expected: &str) {
    let (mut store, instance) = guest(enc);
    let args = [crate::common::bytes(bytes), Val::U32(units)];
    assert_eq!(
        call1(&mut store, &instance, "from-raw", &args),
        s(expected),
        "{enc:?}"
    );
    call(&mut store, &instance, "send-raw", &args)
        .unwrap_or_else(|e| panic!("send-raw failed: {e:?}"));
    assert_eq!(store.data().seen, vec![expected.to_string()], "{enc:?}");
}

#[test]
fn utf8_strings_echo_through_the_guest() {
    check_echo(Enc::Utf8);
}

#[test]
fn utf16_strings_echo_through_the_guest() {
    check_echo(Enc::Utf16);
}

#[test]
fn latin1_utf16_strings_echo_through_the_guest() {
    check_echo(Enc::Latin1Utf16);
}

#[test]
fn utf8_guest_sees_utf8_bytes() {
    check_guest_sees_encoding(Enc::Utf8);
}

#[test]
fn utf16_guest_sees_utf16le_code_units() {
    check_guest_sees_encoding(Enc::Utf16);
}

/// Latin-1 when every character fits, else UTF-16 with the length's top bit
/// set.
#[test]
fn latin1_utf16_guest_sees_latin1_or_tagged_utf16() {
    check_guest_sees_encoding(Enc::Latin1Utf16);
}

#[test]
fn utf8_strings_roundtrip_through_a_host_import() {
    check_host_roundtrip(Enc::Utf8);
}

#[test]
fn utf16_strings_roundtrip_through_a_host_import() {
    check_host_roundtrip(Enc::Utf16);
}

#[test]
fn latin1_utf16_strings_roundtrip_through_a_host_import() {
    check_host_roundtrip(Enc::Latin1Utf16);
}

#[test]
fn host_decodes_utf8_from_the_guest() {
    check_host_decodes(Enc::Utf8, "aé😀".as_bytes(), 7, "aé😀");
}

#[test]
fn host_decodes_utf16_surrogate_pairs_from_the_guest() {
    // "a😀" = 0061 D83D DE00
    check_host_decodes(Enc::Utf16, &[0x61, 0, 0x3d, 0xd8, 0x00, 0xde], 3, "a😀");
}

#[test]
fn host_decodes_latin1_from_the_guest() {
    check_host_decodes(Enc::Latin1Utf16, &[0x68, 0xe9, 0x80, 0xff], 4, "hé\u{80}ÿ");
}

#[test]
fn host_decodes_tagged_utf16_from_a_latin1_utf16_guest() {
    // "Ω!" = 03A9 0021, 2 code units tagged with the top bit
    check_host_decodes(
        Enc::Latin1Utf16,
        &[0xa9, 0x03, 0x21, 0x00],
        2 | 1 << 31,
        "Ω!",
    );
}

/// A guest may store Latin-1-representable text as tagged UTF-16; the host
/// reads it as UTF-16.
#[test]
fn host_decodes_tagged_utf16_holding_only_latin1_characters() {
    check_host_decodes(Enc::Latin1Utf16, &[0xe9, 0x00], 1 | 1 << 31, "é");
}

#[test]
fn host_decodes_empty_strings_in_every_encoding() {
    for enc in [Enc::Utf8, Enc::Utf16, Enc::Latin1Utf16] {
        check_host_decodes(enc, &[], 0, "");
    }
}

/// A UTF-8 guest gets a host string with a single `realloc(0, 0, 1, len)`.
#[test]
fn utf8_string_param_is_one_allocation_of_its_byte_length() {
    let (mut store, instance) = guest(Enc::Utf8);
    call1(&mut store, &instance, "echo", &[s("héllo")]);
    assert_eq!(
        realloc_log(&mut store, &instance),
        vec![realloc_call(0, 0, 1, 6)]
    );
}

/// UTF-16 and Latin-1+UTF-16 strings are 2-aligned, however the runtime
/// sizes them.
#[test]
fn utf16_and_latin1_utf16_allocations_are_2_aligned() {
    for enc in [Enc::Utf16, Enc::Latin1Utf16] {
        let (mut store, instance) = guest(enc);
        for sample in SAMPLES {
            call1(&mut store, &instance, "echo", &[s(sample)]);
        }
        let log = realloc_log(&mut store, &instance);
        assert!(!log.is_empty());
        for c in log {
            let Val::Tuple(args) = &c else { panic!() };
            assert_eq!(
                args[2],
                Val::U32(2),
                "{enc:?}: realloc call {c:?} should ask for alignment 2"
            );
        }
    }
}

/// Long strings cross page boundaries and need the guest's memory to grow.
#[test]
fn long_strings_roundtrip_in_every_encoding() {
    let long = "Ωé😀x".repeat(20_000);
    for enc in [Enc::Utf8, Enc::Utf16, Enc::Latin1Utf16] {
        let (mut store, instance) = guest(enc);
        assert_eq!(
            call1(&mut store, &instance, "echo", &[s(&long)]),
            s(&long),
            "{enc:?}"
        );
        assert_eq!(
            call1(&mut store, &instance, "run", &[s(&long)]),
            s(&long),
            "{enc:?}"
        );
    }
}
