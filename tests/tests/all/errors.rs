//! Invalid input to `Component::new` and misuse of the API: a malformed
//! binary or an invalid component is an `Err` that says what is wrong and
//! at which offset; invalid text says at which line and column; nothing
//! panics, not even for every truncation and many corruptions of a valid
//! binary. Also: components of another engine, missing files, and
//! unsupported features reported as errors.

use crate::common::*;
use wit_host::{Component, Engine, Linker, Store, Val};

/// The whole error chain of `Component::new(bytes)`, which must fail.
fn new_err(bytes: impl AsRef<[u8]>) -> String {
    match Component::new(&engine(), bytes) {
        Ok(_) => panic!("the component should be rejected"),
        Err(e) => message(&e),
    }
}

/// A small valid component with a string export, an import and a nested
/// component, so that its binary has many sections.
fn valid_wat() -> String {
    format!(
        r#"(component
  (import "log" (func $log (param "msg" string)))
  {LIBC}
  (core func $log' (canon lower (func $log) {OPTS}))
  (core module $M
    (import "libc" "mem" (memory 1))
    (import "host" "log" (func $log (param i32 i32)))
    (data (i32.const 128) "hi")
    (func (export "run") (param i32 i32) (result i32)
      (call $log (i32.const 128) (i32.const 2))
      (i32.store (i32.const 64) (local.get 0))
      (i32.store (i32.const 68) (local.get 1))
      (i32.const 64)))
  (core instance $m (instantiate $M (with "libc" (instance $libc))
    (with "host" (instance (export "log" (func $log'))))))
  (func (export "run") (param "s" string) (result string) (canon lift (core func $m "run") {OPTS}))
  (component $Inner
    (core module $N (func (export "one") (result i32) (i32.const 1)))
    (core instance $n (instantiate $N))
    (func (export "one") (result u32) (canon lift (core func $n "one"))))
  (instance $inner (instantiate $Inner))
  (export "inner" (instance $inner)))"#
    )
}

// ---------------------------------------------------------------- binaries

#[test]
fn empty_input_is_an_error() {
    let err = new_err(b"");
    assert!(!err.is_empty());
}

/// Without the magic number the input is taken for text (the `wat`
/// feature), which then fails at its first character.
#[test]
fn bad_magic_is_an_error() {
    let err = new_err(b"\0asx\x0d\x00\x01\x00");
    assert_contains_all(&err, &["unexpected character", "<anon>:1:1"]);
}

#[test]
fn truncated_header_is_an_error_with_offset() {
    let err = new_err(b"\0asm\x0d\x00");
    assert_contains_all(&err, &["at offset"]);
}

#[test]
fn core_module_binary_is_rejected_as_a_component() {
    let err = new_err(b"\0asm\x01\x00\x00\x00");
    assert_contains_all(
        &err,
        &["attempted to parse a wasm module with a component parser"],
    );
}

#[test]
fn unknown_section_id_is_an_error_with_offset() {
    let mut bytes = encode("(component)");
    bytes.extend_from_slice(&[0x7f, 0x01, 0x00]);
    let err = new_err(bytes);
    assert_contains_all(&err, &["at offset"]);
}

#[test]
fn garbage_after_a_valid_component_is_an_error() {
    let mut bytes = encode(&valid_wat());
    bytes.extend_from_slice(b"\xff\xff\xff");
    new_err(bytes);
}

/// Truncating a valid binary anywhere gives an error or — where the cut
/// falls on a section boundary — a smaller valid component; never a panic.
/// Cutting off the last byte is always an error.
#[test]
fn every_truncation_of_a_valid_binary_is_handled_without_panic() {
    let engine = engine();
    let bytes = encode(&valid_wat());
    assert!(Component::new(&engine, &bytes).is_ok());
    let mut errors = 0;
    for len in 0..bytes.len() {
        let prefix = &bytes[..len];
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            Component::new(&engine, prefix).is_err()
        }));
        match result {
            Ok(true) => errors += 1,
            Ok(false) => {}
            Err(_) => panic!("a prefix of {len} bytes made the runtime panic"),
        }
    }
    assert!(
        errors > bytes.len() / 2,
        "only {errors} of {} prefixes were rejected",
        bytes.len()
    );
    let err = new_err(&bytes[..bytes.len() - 1]);
    assert_contains_all(&err, &["at offset"]);
}

/// Flipping bits all over a valid binary gives errors or (rarely) another
/// valid component, never a panic.
#[test]
fn corrupted_binaries_never_panic() {
    let engine = engine();
    let bytes = encode(&valid_wat());
    for i in 8..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut corrupt = bytes.clone();
            corrupt[i] ^= flip;
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                if let Ok(component) = Component::new(&engine, &corrupt) {
                    // if it still validates, instantiating must not panic either
                    let mut store = Store::new(&engine, ());
                    let mut linker = Linker::new(&engine);
                    let _ = linker.root().func_new("log", |_, _ty, _, _| Ok(()));
                    let _ = linker.instantiate(&mut store, &component);
                }
            }));
            assert!(
                result.is_ok(),
                "byte {i} ^ {flip:#x} made the runtime panic"
            );
        }
    }
}

// ---------------------------------------------------------------- invalid components

#[test]
fn lifting_a_core_function_of_the_wrong_type_is_an_error_with_offset() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f") (param i64) (result i32) unreachable))
  (core instance $m (instantiate $M))
  (func (export "f") (param "x" u32) (result u32) (canon lift (core func $m "f"))))"#,
    );
    assert_contains_all(&err, &["invalid component", "do not match", "at offset"]);
}

#[test]
fn string_function_without_memory_option_is_an_error() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f") (param i32 i32)))
  (core instance $m (instantiate $M))
  (func (export "f") (param "s" string) (canon lift (core func $m "f"))))"#,
    );
    assert_contains_all(
        &err,
        &["canonical option `memory` is required", "at offset"],
    );
}

#[test]
fn realloc_of_the_wrong_type_is_an_error() {
    let err = new_err(
        r#"(component
  (core module $M
    (memory (export "mem") 1)
    (func (export "realloc") (param i32) (result i32) unreachable)
    (func (export "f") (param i32 i32)))
  (core instance $m (instantiate $M))
  (func (export "f") (param "s" string)
    (canon lift (core func $m "f") (memory (core memory $m "mem")) (realloc (core func $m "realloc")))))"#,
    );
    assert_contains_all(&err, &["at offset"]);
}

#[test]
fn instantiating_a_core_module_with_a_missing_import_is_an_error() {
    let err = new_err(
        r#"(component
  (core module $M (import "env" "f" (func)))
  (core instance $m (instantiate $M)))"#,
    );
    assert_contains_all(&err, &["at offset"]);
}

#[test]
fn invalid_core_module_inside_a_component_is_an_error_with_offset() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f") (result i32) (i64.const 1))))"#,
    );
    assert_contains_all(&err, &["type mismatch", "at offset"]);
}

#[test]
fn exporting_a_function_using_an_unexported_record_type_is_an_error() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f") (param i32)))
  (core instance $m (instantiate $M))
  (type $r (record (field "x" u32)))
  (func (export "f") (param "r" $r) (canon lift (core func $m "f"))))"#,
    );
    assert_contains_all(&err, &["not valid to be used as export", "at offset"]);
}

#[test]
fn duplicate_export_names_are_an_error() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f")))
  (core instance $m (instantiate $M))
  (func $f (canon lift (core func $m "f")))
  (export "a" (func $f))
  (export "a" (func $f)))"#,
    );
    assert_contains_all(
        &err,
        &[
            "export name `a` conflicts with previous name `a`",
            "at offset",
        ],
    );
}

#[test]
fn non_kebab_case_names_are_an_error() {
    let err = new_err(
        r#"(component
  (core module $M (func (export "f")))
  (core instance $m (instantiate $M))
  (func (export "Not_Kebab") (canon lift (core func $m "f"))))"#,
    );
    assert_contains_all(&err, &["`Not_Kebab` is not in kebab case", "at offset"]);
}

// ---------------------------------------------------------------- text

#[test]
fn invalid_text_reports_line_and_column() {
    let err = new_err(
        "(component\n  (core module $M\n    (func (export \"f\") (result i32) i32.konst 1)))",
    );
    assert_contains_all(
        &err,
        &["unknown operator or unexpected token", "<anon>:3:37"],
    );
}

#[test]
fn unbalanced_parentheses_report_a_position() {
    let err = new_err("(component\n  (core module $M)\n");
    assert_contains_all(&err, &["expected `)`", "<anon>:3:1"]);
}

#[test]
fn unknown_identifier_reports_line_and_column() {
    let err = new_err("(component\n  (core instance $m (instantiate $Nope)))");
    assert_contains_all(&err, &["failed to find name `$Nope`", "<anon>:2:34"]);
}

#[test]
fn text_that_is_valid_syntax_but_an_invalid_component_reports_offset() {
    // parses fine, fails validation: `u64` flattens to `i64`, but the core
    // function takes an `i32`
    let err = new_err(
        r#"(component
  (core module $M (func (export "f") (param i32)))
  (core instance $m (instantiate $M))
  (func (export "f") (param "x" u64) (canon lift (core func $m "f"))))"#,
    );
    assert_contains_all(&err, &["invalid component", "at offset"]);
}

// ---------------------------------------------------------------- API misuse

#[test]
fn missing_file_is_an_error_naming_the_path() {
    let err = match Component::from_file(&engine(), "/definitely/not/here.wasm") {
        Ok(_) => panic!("the file does not exist"),
        Err(e) => message(&e),
    };
    assert_contains_all(&err, &["failed to read /definitely/not/here.wasm"]);
}

#[test]
fn component_from_file_reads_text_and_binary() {
    let dir = std::env::temp_dir().join(format!("wit-host-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = dir.join("c.wat");
    let binary = dir.join("c.wasm");
    std::fs::write(&text, valid_wat()).unwrap();
    std::fs::write(&binary, encode(&valid_wat())).unwrap();
    let engine = engine();
    for path in [&text, &binary] {
        let component = Component::from_file(&engine, path).unwrap();
        let mut names: Vec<String> = component
            .component_type()
            .exports()
            .map(|(n, _)| n.to_string())
            .collect();
        names.sort();
        assert_eq!(names, vec!["inner".to_string(), "run".to_string()]);
    }
    std::fs::write(&text, "(component (oops))").unwrap();
    let err = message(&Component::from_file(&engine, &text).expect_err("invalid text"));
    assert_contains_all(
        &err,
        &[
            &format!("in {}:", text.display()),
            "expected valid component field",
        ],
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn component_from_another_engine_is_an_error() {
    let a = Engine::default();
    let b = Engine::default();
    let component = compile(&a, "(component)");
    let mut store = Store::new(&b, ());
    let err = Linker::<()>::new(&b)
        .instantiate(&mut store, &component)
        .unwrap_err();
    assert_contains_all(
        &message(&err),
        &["the component was compiled for a different engine than the store's"],
    );
}

#[test]
fn valid_binary_and_text_give_the_same_component() {
    let engine = engine();
    let from_text = compile(&engine, &valid_wat());
    let from_binary = Component::from_binary(&engine, &encode(&valid_wat())).unwrap();
    assert_eq!(from_text.component_type(), from_binary.component_type());
    let mut store = Store::new(&engine, ());
    let mut linker = Linker::new(&engine);
    linker
        .root()
        .func_new("log", |_, _ty, _, _| Ok(()))
        .unwrap();
    let instance = linker.instantiate(&mut store, &from_binary).unwrap();
    assert_eq!(call1(&mut store, &instance, "run", &[s("x")]), s("x"));
    assert_eq!(call1(&mut store, &instance, "inner#one", &[]), Val::U32(1));
}

/// This runtime is synchronous: like wasmtime with
/// `concurrency_support(false)`, a component that uses the component
/// model's async — an `async` lift, `stream` and `future` types, the task
/// builtins — is invalid, and the error says which feature it needs.
#[test]
fn components_using_the_async_abi_are_rejected() {
    for wat in [
        r#"(component (core func (canon thread.yield)))"#,
        r#"(component (type (stream u8)))"#,
        r#"(component
             (core module $m (func (export "f") (result i32) (i32.const 0)))
             (core instance $i (instantiate $m))
             (func (export "f") (canon lift (core func $i "f") async)))"#,
    ] {
        let err = new_err(wat);
        assert_contains_all(&err, &["requires the component model async feature"]);
    }
}
