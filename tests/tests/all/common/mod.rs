//! Helpers shared by the end-to-end tests: building an engine, store and
//! linker; compiling WAT with a readable failure; calling exports with
//! dynamic values; comparing values (floats by bits, NaN equal to NaN); WAT
//! snippets for the "libc" core module (memory plus a bump-allocator
//! `realloc`) that most guests instantiate first; guests that more than one
//! test file uses ([`CALLS_F`], [`bad_results_wat`], [`post_return_wat`]);
//! and the canonical string encodings ([`Enc`]).

#![allow(dead_code)]

use wit_host::{Component, Engine, Instance, Linker, Store, Val};

/// The libc core module and its instance, for use inside any `(component
/// ...)`. It defines `$Libc`/`$libc`, exporting:
///
/// * `"mem"`: one page of memory, grown on demand;
/// * `"realloc"`: a bump allocator starting at [`HEAP_START`] that honours
///   `align`, grows memory as needed, and preserves the old contents (up to
///   `min(old_size, new_size)`) when `old_ptr` is not 0, as the canonical ABI's
///   transcoding relies on.
///
/// Every `realloc` call records its four arguments at addresses 0, 4, 8 and
/// 12 ([`LAST_REALLOC`]), appends them to a log of the first 32 calls at
/// 512..1024 ([`REALLOC_LOG`]), and increments the call counter at address
/// 16 ([`REALLOC_COUNT`]). Guests use [`RET`] (64 bytes at address 64) as
/// their return area and 128..512 as static scratch.
///
/// Canonical options refer to them as `(memory (core memory $libc "mem"))`
/// and `(realloc (core func $libc "realloc"))`; see [`OPTS`].
pub const LIBC: &str = r#"
  (core module $Libc
    (memory (export "mem") 1)
    (global $heap (mut i32) (i32.const 1024))
    (func (export "realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $new_size i32) (result i32)
      (local $ret i32)
      (local $end i32)
      (i32.store (i32.const 0) (local.get $old))
      (i32.store (i32.const 4) (local.get $old_size))
      (i32.store (i32.const 8) (local.get $align))
      (i32.store (i32.const 12) (local.get $new_size))
      ;; log the call at 512 + 16 * count, for the first 32 calls
      (if (i32.lt_u (i32.load (i32.const 16)) (i32.const 32))
        (then
          (local.set $end (i32.add (i32.const 512) (i32.shl (i32.load (i32.const 16)) (i32.const 4))))
          (i32.store offset=0 (local.get $end) (local.get $old))
          (i32.store offset=4 (local.get $end) (local.get $old_size))
          (i32.store offset=8 (local.get $end) (local.get $align))
          (i32.store offset=12 (local.get $end) (local.get $new_size))))
      (i32.store (i32.const 16) (i32.add (i32.load (i32.const 16)) (i32.const 1)))
      ;; ret = align_to(heap, align)
      (local.set $ret
        (i32.and
          (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
          (i32.sub (i32.const 0) (local.get $align))))
      (local.set $end (i32.add (local.get $ret) (local.get $new_size)))
      (global.set $heap (local.get $end))
      ;; grow memory until `end` fits
      (block $done
        (loop $grow
          (br_if $done (i32.le_u (local.get $end) (i32.mul (memory.size) (i32.const 65536))))
          (if (i32.eq (memory.grow (i32.const 1)) (i32.const -1)) (then unreachable))
          (br $grow)))
      ;; preserve the old contents
      (if (local.get $old)
        (then
          (memory.copy (local.get $ret) (local.get $old)
            (select (local.get $old_size) (local.get $new_size)
              (i32.lt_u (local.get $old_size) (local.get $new_size))))))
      (local.get $ret))
  )
  (core instance $libc (instantiate $Libc))
"#;

/// The canonical options naming the libc memory and realloc.
pub const OPTS: &str =
    r#"(memory (core memory $libc "mem")) (realloc (core func $libc "realloc"))"#;

/// Where libc's `realloc` records its last arguments (four `u32`s).
pub const LAST_REALLOC: u32 = 0;
/// Where libc's `realloc` logs its first 32 calls (four `u32`s each).
pub const REALLOC_LOG: u32 = 512;
/// Where libc's `realloc` counts its calls (`u32`).
pub const REALLOC_COUNT: u32 = 16;
/// The guests' return area.
pub const RET: u32 = 64;
/// Where libc's heap starts.
pub const HEAP_START: u32 = 1024;

/// A component importing `f: func(x: u32) -> u32` and exporting
/// `call-f: func(x: u32) -> u32`, which calls it.
pub const CALLS_F: &str = r#"(component
  (import "f" (func $f (param "x" u32) (result u32)))
  (core func $f' (canon lower (func $f)))
  (core module $M
    (import "host" "f" (func $f (param i32) (result i32)))
    (func (export "call-f") (param i32) (result i32) (call $f (local.get 0))))
  (core instance $m (instantiate $M (with "host" (instance (export "f" (func $f'))))))
  (func (export "call-f") (param "x" u32) (result u32) (canon lift (core func $m "call-f"))))"#;

/// Core functions (to paste into a core module that imports libc's memory
/// as `(import "libc" "mem" (memory 1))`) exporting libc's bookkeeping:
/// `last-realloc` returns [`LAST_REALLOC`] as a return pointer (lift it as
/// `(result (tuple u32 u32 u32 u32))`), `realloc-count` the call count and
/// `realloc-log` the logged calls (as a list of such tuples).
pub const LIBC_PROBES: &str = r#"
    (func (export "last-realloc") (result i32) (i32.const 0))
    (func (export "realloc-count") (result i32) (i32.load (i32.const 16)))
    (func (export "realloc-log") (result i32)
      (i32.store (i32.const 96) (i32.const 512))
      (i32.store (i32.const 100)
        (select (i32.load (i32.const 16)) (i32.const 32) (i32.lt_u (i32.load (i32.const 16)) (i32.const 32))))
      (i32.const 96))
"#;

/// Component-level exports of [`LIBC_PROBES`] from core instance `$m`.
pub const LIBC_PROBE_EXPORTS: &str = r#"
  (func (export "last-realloc") (result (tuple u32 u32 u32 u32))
    (canon lift (core func $m "last-realloc") (memory (core memory $libc "mem"))))
  (func (export "realloc-count") (result u32) (canon lift (core func $m "realloc-count")))
  (func (export "realloc-log") (result (list (tuple u32 u32 u32 u32)))
    (canon lift (core func $m "realloc-log") (memory (core memory $libc "mem"))))
"#;

/// A `(old_ptr, old_size, align, new_size)` realloc call as the probes
/// return it.
pub fn realloc_call(old_ptr: u32, old_size: u32, align: u32, new_size: u32) -> Val {
    Val::Tuple(vec![
        Val::U32(old_ptr),
        Val::U32(old_size),
        Val::U32(align),
        Val::U32(new_size),
    ])
}

/// The realloc calls logged so far, via the `realloc-log` probe export.
pub fn realloc_log<T: 'static>(store: &mut Store<T>, instance: &Instance) -> Vec<Val> {
    match call1(store, instance, "realloc-log", &[]) {
        Val::List(calls) => calls,
        other => panic!("realloc-log returned {other:?}"),
    }
}

/// A component whose exports each return a bad value of their result type,
/// for the trap tests. `results` holds `(name, result type, core body)`:
/// each body returns the core result of export `name` and may call
/// `$ret(ptr, len)`, which stores a `(ptr, len)` pair in the return area at
/// 64 and returns 64. The component defines the types `$v` (`variant { a(u32),
/// b, c(string) }`), `$ab` (`variant { a, b }`) and `$color` (`enum { red,
/// green, blue }`) for result types, and this data:
///
/// * 300: `ff`; 301: `c3`; 302: `ed a0 80` (an encoded surrogate);
/// * 320: the chars 'a', U+D800, 'b' as `u32`s;
/// * 336: two strings, `(368, 2)` and `(0xffff0000, 16)` (out of bounds);
/// * 368: `ok`.
///
/// It also exports `fine: func() -> string` (returning "ok"), and
/// `unreachable` and `oob-access`, which trap in guest code.
pub fn bad_results_wat(results: &[(&str, &str, &str)]) -> String {
    let mut core = String::new();
    let mut lifts = String::new();
    for (name, ty, body) in results {
        core.push_str(&format!(
            "    (func (export \"{name}\") (result i32) {body})\n"
        ));
        lifts.push_str(&format!(
            "  (func (export \"{name}\") (result {ty}) (canon lift (core func $m \"{name}\") {OPTS}))\n"
        ));
    }
    format!(
        r#"(component
  {LIBC}
  (type $v' (variant (case "a" u32) (case "b") (case "c" string)))
  (export $v "v" (type $v'))
  (type $ab' (variant (case "a") (case "b")))
  (export $ab "ab" (type $ab'))
  (type $color' (enum "red" "green" "blue"))
  (export $color "color" (type $color'))
  (core module $M
    (import "libc" "mem" (memory 1))
    (data (i32.const 300) "\ff\c3\ed\a0\80")
    (data (i32.const 320) "\61\00\00\00\00\d8\00\00\62\00\00\00")
    (data (i32.const 336) "\70\01\00\00\02\00\00\00\00\00\ff\ff\10\00\00\00")
    (data (i32.const 368) "ok")
    (func $ret (param i32 i32) (result i32)
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64))
{core}    (func (export "fine") (result i32) (call $ret (i32.const 368) (i32.const 2)))
    (func (export "unreachable") (result i32) unreachable)
    (func (export "oob-access") (result i32) (i32.load (i32.const 0x7ffffff0))))
  (core instance $m (instantiate $M (with "libc" (instance $libc))))
{lifts}  (func (export "fine") (result string) (canon lift (core func $m "fine") {OPTS}))
  (func (export "unreachable") (result u32) (canon lift (core func $m "unreachable")))
  (func (export "oob-access") (result u32) (canon lift (core func $m "oob-access"))))"#
    )
}

/// `get: func() -> string` returns "hello" at 128 through the return area
/// at 64; its post-return counts calls (`count`), records its argument
/// (`arg`) and scribbles over the string ("XXXXo"), which `restore` puts
/// back.
pub fn post_return_wat() -> String {
    format!(
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
    )
}

/// An engine with the default configuration.
pub fn engine() -> Engine {
    Engine::default()
}

/// An engine with the component-model proposals wit-host implements
/// switched on: maps, fixed-length lists, 64-bit memories (with core
/// memory64) and `implements` names.
pub fn proposals_engine() -> Engine {
    use wit_host::ComponentModelConfig;
    let mut config = wit_host::Config::new();
    config
        .component_model_map(true)
        .component_model_fixed_length_lists(true)
        .component_model_memory64(true)
        .component_model_implements(true)
        .wasm_memory64(true);
    Engine::new(&config).unwrap()
}

/// Engine, store holding `data`, and an empty linker.
pub fn setup<T: 'static>(data: T) -> (Engine, Store<T>, Linker<T>) {
    let engine = Engine::default();
    let store = Store::new(&engine, data);
    let linker = Linker::new(&engine);
    (engine, store, linker)
}

/// Compiles `wat`, panicking with the whole error chain if it fails.
pub fn compile(engine: &Engine, wat: &str) -> Component {
    match Component::new(engine, wat) {
        Ok(c) => c,
        Err(e) => panic!(
            "component failed to compile: {e:?}\n--- source ---\n{}",
            numbered(wat)
        ),
    }
}

/// `wat` with line numbers, for failure messages.
pub fn numbered(wat: &str) -> String {
    wat.lines()
        .enumerate()
        .map(|(i, l)| format!("{:4} {l}\n", i + 1))
        .collect()
}

/// Compiles and instantiates `wat` with `linker`, panicking with the whole
/// error chain on failure.
pub fn instantiate<T: 'static>(
    engine: &Engine,
    store: &mut Store<T>,
    linker: &Linker<T>,
    wat: &str,
) -> Instance {
    let component = compile(engine, wat);
    match linker.instantiate(&mut *store, &component) {
        Ok(i) => i,
        Err(e) => panic!(
            "instantiation failed: {e:?}\n--- source ---\n{}",
            numbered(wat)
        ),
    }
}

/// Calls export `name` (which must exist) with `params`, returning its
/// results (one per result type).
pub fn call<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> wit_host::Result<Vec<Val>> {
    let func = instance
        .get_func(&mut *store, name)
        .unwrap_or_else(|| panic!("no exported function `{name}`"));
    let mut results: Vec<Val> = func.results().iter().map(Val::default_for).collect();
    func.call(&mut *store, params, &mut results)?;
    Ok(results)
}

/// Like [`call`] for a function with exactly one result, which is returned;
/// panics with the whole error chain if the call fails.
pub fn call1<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> Val {
    match call(store, instance, name, params) {
        Ok(mut results) => {
            assert_eq!(results.len(), 1, "`{name}` should have one result");
            results.pop().unwrap()
        }
        Err(e) => panic!("call to `{name}` failed: {e:?}"),
    }
}

/// Calls `name`, expecting an error, and returns it.
pub fn call_error<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> wit_host::Error {
    match call(store, instance, name, params) {
        Ok(results) => panic!("call to `{name}` should fail, but returned {results:?}"),
        Err(e) => e,
    }
}

/// Calls `name`, expecting an error; returns its [`message`].
pub fn call_err<T: 'static>(
    store: &mut Store<T>,
    instance: &Instance,
    name: &str,
    params: &[Val],
) -> String {
    message(&call_error(store, instance, name, params))
}

/// What wasmtime's wasm backtrace context (`WasmBacktrace`), which it
/// attaches to every error that unwinds through guest code, starts with.
const WASM_BACKTRACE: &str = "error while executing at wasm backtrace:";

/// The text to search an error for: its message chain, outermost context
/// first, joined by ": " as `{e:#}` prints it, without any backtrace:
/// neither Rust's (which `{e:?}` appends when `RUST_BACKTRACE` is set, and
/// whose symbol and file names would satisfy needles such as "align",
/// "memory" or "string") nor wasmtime's wasm backtrace context (whose frames
/// name guest functions and modules).
pub fn message(e: &wit_host::Error) -> String {
    let message = e
        .chain()
        .map(|cause| cause.to_string())
        .filter(|cause| !cause.starts_with(WASM_BACKTRACE))
        .collect::<Vec<_>>()
        .join(": ");
    assert!(
        !message.contains("wasm backtrace"),
        "a wasm backtrace is left in the message: {message}"
    );
    message
}

/// Asserts that `e` is the core wasm trap `kind` (a trap of guest code or
/// of a fused adapter, not an error of the host's canonical ABI).
#[track_caller]
pub fn assert_trap(e: &wit_host::Error, kind: wit_host::Trap) {
    assert_eq!(
        e.downcast_ref::<wit_host::Trap>(),
        Some(&kind),
        "expected the trap `{kind}`, got: {e:?}"
    );
}

/// Asserts that `e` is not a core wasm trap: an error the host raised (for
/// example the canonical ABI rejecting what a guest handed it), which a
/// trap's message could otherwise resemble (a core `out of bounds memory
/// access` against a lifted pointer's "out of bounds").
#[track_caller]
pub fn assert_not_a_trap(e: &wit_host::Error) {
    assert!(
        e.downcast_ref::<wit_host::Trap>().is_none(),
        "expected an error of the host, not a core wasm trap: {e:?}"
    );
}

/// Asserts that `result` is the refusal of a locked-down instance: an
/// instance whose earlier call failed refuses every entry, with
/// [`wit_host::Trap::CannotEnterComponent`] and a message saying why.
#[track_caller]
pub fn assert_locked_down<R: std::fmt::Debug>(result: wit_host::Result<R>, what: &str) {
    let e = match result {
        Ok(v) => panic!(
            "{what}: the instance ran ({v:?}), but it trapped earlier and must be locked down"
        ),
        Err(e) => e,
    };
    assert_eq!(
        e.downcast_ref::<wit_host::Trap>(),
        Some(&wit_host::Trap::CannotEnterComponent),
        "{what}: expected the lockdown error, got: {e:?}"
    );
    assert_contains_all(&message(&e), &["locked down after an earlier failure"]);
}

/// Asserts that `haystack` contains every one of `needles`
/// (case-insensitively), printing it whole if not.
#[track_caller]
pub fn assert_contains_all(haystack: &str, needles: &[&str]) {
    let lower = haystack.to_lowercase();
    for needle in needles {
        assert!(
            lower.contains(&needle.to_lowercase()),
            "expected the message to mention `{needle}`, but it is:\n{haystack}"
        );
    }
}

/// Whether two values are the same: like `==`, except that floats compare
/// by bit pattern (so `-0.0 != 0.0`) and any NaN equals any NaN.
pub fn same(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Float32(x), Val::Float32(y)) => {
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
        }
        (Val::Float64(x), Val::Float64(y)) => {
            (x.is_nan() && y.is_nan()) || x.to_bits() == y.to_bits()
        }
        (Val::List(x), Val::List(y)) | (Val::Tuple(x), Val::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Val::Record(x), Val::Record(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((n, a), (m, b))| n == m && same(a, b))
        }
        (Val::Variant(n, x), Val::Variant(m, y)) => n == m && same_opt(x, y),
        (Val::Option(x), Val::Option(y)) => same_opt(x, y),
        (Val::Result(Ok(x)), Val::Result(Ok(y))) | (Val::Result(Err(x)), Val::Result(Err(y))) => {
            same_opt(x, y)
        }
        _ => a == b,
    }
}

fn same_opt(a: &Option<Box<Val>>, b: &Option<Box<Val>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => same(a, b),
        _ => false,
    }
}

/// Asserts [`same`].
#[track_caller]
pub fn assert_same(actual: &Val, expected: &Val) {
    assert!(
        same(actual, expected),
        "values differ:\n  actual:   {actual:?}\n  expected: {expected:?}"
    );
}

/// `Val::Option(Some(v))`.
pub fn some(v: Val) -> Val {
    Val::Option(Some(Box::new(v)))
}
/// `Val::Option(None)`.
pub fn none() -> Val {
    Val::Option(None)
}
/// `Val::Result(Ok(Some(v)))`.
pub fn ok(v: Val) -> Val {
    Val::Result(Ok(Some(Box::new(v))))
}
/// `Val::Result(Err(Some(v)))`.
pub fn err(v: Val) -> Val {
    Val::Result(Err(Some(Box::new(v))))
}
/// `Val::String(s)`.
pub fn s(v: &str) -> Val {
    Val::String(v.to_string())
}
/// A variant case with a payload.
pub fn case(name: &str, v: Val) -> Val {
    Val::Variant(name.to_string(), Some(Box::new(v)))
}
/// A variant case without a payload.
pub fn case0(name: &str) -> Val {
    Val::Variant(name.to_string(), None)
}
/// A record from `(name, value)` pairs.
pub fn record(fields: &[(&str, Val)]) -> Val {
    Val::Record(
        fields
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect(),
    )
}
/// A set of flags.
pub fn flags(names: &[&str]) -> Val {
    Val::Flags(names.iter().map(|n| n.to_string()).collect())
}
/// A `list<u8>` value.
pub fn bytes(b: &[u8]) -> Val {
    Val::List(b.iter().map(|&b| Val::U8(b)).collect())
}
/// The bytes of a `list<u8>` value.
pub fn to_bytes(v: &Val) -> Vec<u8> {
    match v {
        Val::List(items) => items
            .iter()
            .map(|b| match b {
                Val::U8(b) => *b,
                other => panic!("expected u8, got {other:?}"),
            })
            .collect(),
        other => panic!("expected list<u8>, got {other:?}"),
    }
}

/// A canonical string encoding.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Enc {
    /// `string-encoding=utf8`
    Utf8,
    /// `string-encoding=utf16`
    Utf16,
    /// `string-encoding=latin1+utf16`
    Latin1Utf16,
}

impl Enc {
    /// The canonical option naming this encoding.
    pub fn option(self) -> &'static str {
        match self {
            Enc::Utf8 => "string-encoding=utf8",
            Enc::Utf16 => "string-encoding=utf16",
            Enc::Latin1Utf16 => "string-encoding=latin1+utf16",
        }
    }

    /// The bytes and the (tagged) code-unit count the canonical ABI uses for
    /// `s` in this encoding, for a string coming from the host (Latin-1
    /// whenever every character fits).
    pub fn encode(self, s: &str) -> (Vec<u8>, u32) {
        let utf16 = || -> (Vec<u8>, u32) {
            let units: Vec<u16> = s.encode_utf16().collect();
            (
                units.iter().flat_map(|u| u.to_le_bytes()).collect(),
                units.len() as u32,
            )
        };
        match self {
            Enc::Utf8 => (s.as_bytes().to_vec(), s.len() as u32),
            Enc::Utf16 => utf16(),
            Enc::Latin1Utf16 => {
                if s.chars().all(|c| (c as u32) < 256) {
                    (
                        s.chars().map(|c| c as u8).collect(),
                        s.chars().count() as u32,
                    )
                } else {
                    let (bytes, units) = utf16();
                    (bytes, units | 1 << 31)
                }
            }
        }
    }
}

/// A WAT string literal (with `\hh` escapes) holding `bytes`, for data
/// segments.
pub fn wat_bytes(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for b in bytes {
        s.push_str(&format!("\\{b:02x}"));
    }
    s.push('"');
    s
}

/// Encodes module or component text to a binary with the `wast` crate.
pub fn encode(wat: &str) -> Vec<u8> {
    let buf = wast::parser::ParseBuffer::new(wat).unwrap();
    let mut wat: wast::Wat = wast::parser::parse(&buf).unwrap();
    wat.encode().unwrap()
}

/// Runs `f` to completion on a current-thread tokio runtime with timers.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(f)
}
