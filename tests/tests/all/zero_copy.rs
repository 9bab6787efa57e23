//! Zero-copy results: [`WasmStr`] and [`WasmList`] as `TypedFunc` results
//! borrow the guest's memory and lift lazily. A bad range from the guest
//! is an error when the result is lifted, bad contents when they are read;
//! the view reads memory as it is when read (after `post-return`, as
//! wasmtime's views do); another store or a locked-down instance is an
//! error, never a panic.

use wit_host::{Component, Engine, Instance, Linker, Store, TypedFunc, WasmList, WasmStr};

/// `set(p, l)` chooses the pointer and length every other export returns
/// (through a return area at 8). Memory holds "hello" at 64, the `u32`s
/// 1, 2, 3 at 128, invalid UTF-8 at 160 and the `char`s 'A' and U+D800 (a
/// surrogate: invalid) at 192. `str-shouted`'s post-return overwrites
/// "hello" with "HELLO"; `boom` traps.
const VIEWS: &str = r#"(component
  (core module $M
    (memory (export "mem") 1)
    (global $p (mut i32) (i32.const 64))
    (global $l (mut i32) (i32.const 5))
    (data (i32.const 64) "hello")
    (data (i32.const 128) "\01\00\00\00\02\00\00\00\03\00\00\00")
    (data (i32.const 160) "a\ff\fe")
    (data (i32.const 192) "\41\00\00\00\00\d8\00\00")
    (func (export "set") (param i32 i32)
      (global.set $p (local.get 0))
      (global.set $l (local.get 1)))
    (func (export "view") (result i32)
      (i32.store (i32.const 8) (global.get $p))
      (i32.store (i32.const 12) (global.get $l))
      (i32.const 8))
    (func (export "shout") (param i32)
      (i32.store (i32.const 64) (i32.const 0x4c4c4548))
      (i32.store8 (i32.const 68) (i32.const 0x4f)))
    (func (export "boom") unreachable))
  (core instance $m (instantiate $M))
  (func (export "set") (param "p" u32) (param "l" u32) (canon lift (core func $m "set")))
  (func (export "str") (result string)
    (canon lift (core func $m "view") (memory (core memory $m "mem"))))
  (func (export "str-shouted") (result string)
    (canon lift (core func $m "view") (memory (core memory $m "mem"))
      (post-return (core func $m "shout"))))
  (func (export "bytes") (result (list u8))
    (canon lift (core func $m "view") (memory (core memory $m "mem"))))
  (func (export "words") (result (list u32))
    (canon lift (core func $m "view") (memory (core memory $m "mem"))))
  (func (export "chars") (result (list char))
    (canon lift (core func $m "view") (memory (core memory $m "mem"))))
  (func (export "boom") (canon lift (core func $m "boom"))))"#;

/// A store with one instance of [`VIEWS`].
fn setup(engine: &Engine) -> (Store<()>, Instance) {
    let component = Component::new(engine, VIEWS).unwrap();
    let mut store = Store::new(engine, ());
    let instance = Linker::new(engine)
        .instantiate(&mut store, &component)
        .unwrap();
    (store, instance)
}

/// Points the exports at `len` units at `ptr`.
fn set(store: &mut Store<()>, instance: &Instance, ptr: u32, len: u32) {
    let set = instance
        .get_typed_func::<(u32, u32), ()>(&mut *store, "set")
        .unwrap();
    set.call(&mut *store, (ptr, len)).unwrap();
}

/// The typed export `name` returning `R`.
fn func<R: wit_host::Lift>(
    store: &mut Store<()>,
    instance: &Instance,
    name: &str,
) -> TypedFunc<(), (R,)> {
    instance.get_typed_func(&mut *store, name).unwrap()
}

#[test]
fn wasm_str_reads_the_guest_string_without_copying() {
    let (mut store, instance) = setup(&Engine::default());
    let (s,) = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(s.byte_len(), 5);
    assert!(!s.is_empty());
    assert_eq!(s.as_bytes(&store).unwrap(), b"hello");
    let text = s.to_str(&store).unwrap();
    assert!(matches!(text, std::borrow::Cow::Borrowed("hello")));
}

#[test]
fn views_read_memory_as_it_is_after_post_return() {
    let (mut store, instance) = setup(&Engine::default());
    // A view taken from a call without post-return...
    let (plain,) = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(plain.to_str(&store).unwrap(), "hello");
    // ...and one whose post-return (run before `call` returned) rewrote
    // the bytes: both read memory as it is now.
    let (shouted,) = func::<WasmStr>(&mut store, &instance, "str-shouted")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(shouted.to_str(&store).unwrap(), "HELLO");
    assert_eq!(plain.to_str(&store).unwrap(), "HELLO");
}

#[test]
fn out_of_bounds_string_is_an_error_when_lifted() {
    let (mut store, instance) = setup(&Engine::default());
    set(&mut store, &instance, 65530, 100);
    let err = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("string pointer/length out of bounds of memory"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_an_error_at_to_str() {
    let (mut store, instance) = setup(&Engine::default());
    set(&mut store, &instance, 160, 3);
    let (s,) = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(s.as_bytes(&store).unwrap(), b"a\xff\xfe");
    let err = s.to_str(&store).unwrap_err().to_string();
    assert!(err.starts_with("invalid utf-8 in string at 0xa0"), "{err}");
}

#[test]
fn wasm_list_of_numbers_lends_its_bytes() {
    let (mut store, instance) = setup(&Engine::default());
    set(&mut store, &instance, 128, 3);
    let (words,) = func::<WasmList<u32>>(&mut store, &instance, "words")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(words.len(), 3);
    assert_eq!(words.as_le_slice(&store).unwrap(), &[1, 2, 3]);
    assert_eq!(words.get(&mut store, 1).unwrap().unwrap(), 2);
    assert!(words.get(&mut store, 3).is_none());
    let all: Vec<u32> = words
        .iter(&mut store)
        .unwrap()
        .collect::<wit_host::Result<_>>()
        .unwrap();
    assert_eq!(all, [1, 2, 3]);

    let (bytes,) = func::<WasmList<u8>>(&mut store, &instance, "bytes")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(bytes.as_le_slice(&store).unwrap(), &[1, 0, 0]);
}

#[test]
fn bad_list_ranges_are_errors_when_lifted() {
    // A lift error locks the instance down: a fresh one for each case.
    for (ptr, len, expected) in [
        (130, 1, "unaligned pointer 0x82"),
        (65532, 2, "pointer out of bounds"),
    ] {
        let (mut store, instance) = setup(&Engine::default());
        set(&mut store, &instance, ptr, len);
        let err = func::<WasmList<u32>>(&mut store, &instance, "words")
            .call(&mut store, ())
            .unwrap_err()
            .to_string();
        assert!(err.contains(expected), "{err}");
    }
}

#[test]
fn bad_list_lengths_are_errors_not_panics() {
    let (mut store, instance) = setup(&Engine::default());
    set(&mut store, &instance, 0, u32::MAX);
    let err = func::<WasmList<u32>>(&mut store, &instance, "words")
        .call(&mut store, ())
        .unwrap_err()
        .to_string();
    assert!(err.contains("list too long"), "{err}");
}

#[test]
fn invalid_elements_are_errors_when_read() {
    let (mut store, instance) = setup(&Engine::default());
    set(&mut store, &instance, 192, 2);
    let (chars,) = func::<WasmList<char>>(&mut store, &instance, "chars")
        .call(&mut store, ())
        .unwrap();
    assert_eq!(chars.get(&mut store, 0).unwrap().unwrap(), 'A');
    assert!(chars.get(&mut store, 1).unwrap().is_err());
    let read: Vec<_> = chars.iter(&mut store).unwrap().collect();
    assert!(read[0].is_ok() && read[1].is_err());
}

#[test]
fn a_view_used_with_another_store_is_an_error() {
    let engine = Engine::default();
    let (mut store, instance) = setup(&engine);
    let (mut other, _other_instance) = setup(&engine);
    let (s,) = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap();
    let err = s.to_str(&other).unwrap_err().to_string();
    assert_eq!(err, "a `WasmStr` used with a store it does not belong to");
    set(&mut store, &instance, 128, 3);
    let (words,) = func::<WasmList<u32>>(&mut store, &instance, "words")
        .call(&mut store, ())
        .unwrap();
    assert!(words.as_le_slice(&other).is_err());
    assert!(words.get(&mut other, 0).unwrap().is_err());
    assert!(words.iter(&mut other).is_err());
}

#[test]
fn a_view_of_a_locked_down_instance_is_an_error() {
    let (mut store, instance) = setup(&Engine::default());
    let (s,) = func::<WasmStr>(&mut store, &instance, "str")
        .call(&mut store, ())
        .unwrap();
    let boom = func_unit(&mut store, &instance, "boom");
    assert!(boom.call(&mut store, ()).is_err());
    let err = s.to_str(&store).unwrap_err().to_string();
    assert!(err.contains("locked down"), "{err}");
}

/// The typed export `name` of type `func()`.
fn func_unit(store: &mut Store<()>, instance: &Instance, name: &str) -> TypedFunc<(), ()> {
    instance.get_typed_func(&mut *store, name).unwrap()
}

#[test]
fn a_view_of_a_string_is_not_a_list() {
    let (mut store, instance) = setup(&Engine::default());
    let Err(err) = instance.get_typed_func::<(), (WasmList<u8>,)>(&mut store, "str") else {
        panic!("a string typed as a list");
    };
    let err = err.to_string();
    assert!(err.contains("does not match"), "{err}");
}
