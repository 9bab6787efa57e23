//! Runs every `*.wast` script in `tests/wast/` against `wit-host` as one
//! test; the panic message lists every failed directive.

use std::path::PathBuf;

/// The scripts of `tests/wast/` (also the binary fuzzer's seed corpus),
/// sorted by name.
fn scripts() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("wast");
    let mut scripts: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wast"))
        .collect();
    scripts.sort();
    scripts
}

/// Every directive of every script passes.
#[test]
fn wast_scripts() {
    let scripts = scripts();
    assert!(!scripts.is_empty(), "no .wast scripts found");
    let report = wit_host_tests::wast::run_files(&scripts);
    for note in &report.notes {
        println!("note: {note}");
    }
    println!("{}", report.summary());
    assert!(report.ok(), "\n{report}");
}

/// Runs `script` (named `case.wast`) on a fresh engine.
fn run(script: &str) -> wit_host_tests::wast::Report {
    let engine = wit_host_tests::wast::engine().expect("engine");
    wit_host_tests::wast::run_str(&engine, "case.wast", script)
}

/// A component exporting identities at `u32`, `f32` and `f64`, and `trap`,
/// which traps.
const IDENTITIES: &str = r#"(component
  (core module $M
    (func (export "i32") (param i32) (result i32) local.get 0)
    (func (export "f32") (param f32) (result f32) local.get 0)
    (func (export "f64") (param f64) (result f64) local.get 0)
    (func (export "trap") unreachable))
  (core instance $m (instantiate $M))
  (func (export "u32") (param "x" u32) (result u32) (canon lift (core func $m "i32")))
  (func (export "f32") (param "x" f32) (result f32) (canon lift (core func $m "f32")))
  (func (export "f64") (param "x" f64) (result f64) (canon lift (core func $m "f64")))
  (func (export "trap") (canon lift (core func $m "trap"))))"#;

/// Directives that expect what the runtime does not do.
const WRONG: &[&str] = &[
    // A wrong integer.
    r#"(assert_return (invoke "u32" (u32.const 1)) (u32.const 2))"#,
    // A number where a NaN is expected, and the other way round.
    r#"(assert_return (invoke "f32" (f32.const 1)) (f32.const nan:canonical))"#,
    r#"(assert_return (invoke "f64" (f64.const nan)) (f64.const 0))"#,
    // A NaN other than the one the call returns: the runtime canonicalizes
    // (positive, quiet, no payload), so another sign or payload is wrong.
    r#"(assert_return (invoke "f32" (f32.const nan)) (f32.const -nan))"#,
    r#"(assert_return (invoke "f32" (f32.const nan:0x200000)) (f32.const nan:0x200000))"#,
    r#"(assert_return (invoke "f64" (f64.const nan)) (f64.const nan:0x4000000000000))"#,
    r#"(assert_return (invoke "f64" (f64.const -nan)) (f64.const -nan))"#,
    // A trap where the call returns, a return where it traps.
    r#"(assert_trap (invoke "u32" (u32.const 1)) "unreachable")"#,
    r#"(assert_return (invoke "trap"))"#,
    // A trap with another message.
    r#"(assert_trap (invoke "trap") "integer overflow")"#,
    // Malformed and invalid components with other messages, and a valid
    // one said to be invalid.
    r#"(assert_malformed (component binary "\00asm" "\0d\00\01") "malformed section id")"#,
    r#"(assert_invalid (component (core module (func (result i32)))) "unknown type")"#,
    r#"(assert_invalid (component) "anything")"#,
];

/// Directives that hold (the trap last: it locks the instance down).
const RIGHT: &[&str] = &[
    r#"(assert_return (invoke "u32" (u32.const 1)) (u32.const 1))"#,
    r#"(assert_return (invoke "f32" (f32.const nan)) (f32.const nan:canonical))"#,
    r#"(assert_return (invoke "f64" (f64.const nan:0x4000000000000)) (f64.const nan:arithmetic))"#,
    r#"(assert_return (invoke "f32" (f32.const -nan:0x1)) (f32.const nan))"#,
    r#"(assert_return (invoke "f64" (f64.const -nan)) (f64.const nan))"#,
    r#"(assert_malformed (component binary "\00asm" "\0d\00\01") "unexpected end")"#,
    r#"(assert_invalid (component (core module (func (result i32)))) "type mismatch")"#,
    r#"(assert_trap (invoke "trap") "unreachable")"#,
];

/// The runner can fail: each wrong directive counts as exactly one
/// failure, at its own line, and each right one passes.
#[test]
fn wrong_expectations_are_failures() {
    let line = IDENTITIES.lines().count() + 1;
    for directive in WRONG {
        let report = run(&format!("{IDENTITIES}\n{directive}\n"));
        assert_eq!(report.failed(), 1, "`{directive}` should fail:\n{report}");
        assert_eq!(report.failures[0].line, line, "{report}");
        assert_eq!(report.passed, 1, "{report}");
    }
    for directive in RIGHT {
        let report = run(&format!("{IDENTITIES}\n{directive}\n"));
        assert!(report.ok(), "`{directive}` should pass:\n{report}");
        assert_eq!(report.passed, 2, "{report}");
    }
    // All in one script: the right ones pass, every wrong one is counted.
    let script = format!("{IDENTITIES}\n{}\n{}\n", RIGHT.join("\n"), WRONG.join("\n"));
    let report = run(&script);
    assert_eq!(report.failed(), WRONG.len(), "{report}");
    assert_eq!(report.passed, 1 + RIGHT.len(), "{report}");
}

/// A script written as wasmtime's component scripts are: configuration
/// lines, the harness's host items, a named instance whose module a later
/// component imports, and wasmtime's wording of a link error.
const WASMTIME_STYLE: &str = r#";;! multi_memory = true
;;! hogs_memory = true

(component
  (import "host-return-two" (func $two (result u32)))
  (import "host" (instance $host
    (export "return-three" (func (result u32)))
    (export "nested" (instance (export "return-four" (func (result u32)))))
    (export "simple-module" (core module (export "f" (func (result i32)))))
    (export "resource1" (type $r (sub resource)))
    (export "[constructor]resource1" (func (param "rep" u32) (result (own $r))))
    (export "[static]resource1.drops" (func (result u32)))
    (export "[static]resource1.last-drop" (func (result u32)))))
  (alias export $host "return-three" (func $three))
  (alias export $host "nested" (instance $nested))
  (alias export $nested "return-four" (func $four))
  (alias export $host "simple-module" (core module $simple))
  (alias export $host "resource1" (type $r))
  (alias export $host "[constructor]resource1" (func $new))
  (alias export $host "[static]resource1.drops" (func $drops))
  (alias export $host "[static]resource1.last-drop" (func $last-drop))
  (core instance $s (instantiate $simple))
  (core func $two' (canon lower (func $two)))
  (core func $three' (canon lower (func $three)))
  (core func $four' (canon lower (func $four)))
  (core func $drops' (canon lower (func $drops)))
  (core func $last-drop' (canon lower (func $last-drop)))
  (core func $new' (canon lower (func $new)))
  (core func $drop (canon resource.drop $r))
  (core module $M
    (import "" "two" (func $two (result i32)))
    (import "" "three" (func $three (result i32)))
    (import "" "four" (func $four (result i32)))
    (import "" "drops" (func $drops (result i32)))
    (import "" "last-drop" (func $last-drop (result i32)))
    (import "" "new" (func $new (param i32) (result i32)))
    (import "" "drop" (func $drop (param i32)))
    (func (export "two") (result i32) (call $two))
    (func (export "three") (result i32) (call $three))
    (func (export "four") (result i32) (call $four))
    (func (export "drops") (result i32) (call $drops))
    (func (export "last-drop") (result i32) (call $last-drop))
    (func (export "make-and-drop") (param i32)
      (call $drop (call $new (local.get 0)))))
  (core instance $m (instantiate $M
    (with "" (instance
      (export "two" (func $two'))
      (export "three" (func $three'))
      (export "four" (func $four'))
      (export "drops" (func $drops'))
      (export "last-drop" (func $last-drop'))
      (export "new" (func $new'))
      (export "drop" (func $drop))))))
  (func (export "two") (result u32) (canon lift (core func $m "two")))
  (func (export "three") (result u32) (canon lift (core func $m "three")))
  (func (export "four") (result u32) (canon lift (core func $m "four")))
  (func (export "simple") (result u32) (canon lift (core func $s "f")))
  (func (export "make-and-drop") (param "rep" u32) (canon lift (core func $m "make-and-drop")))
  (func (export "drops") (result u32) (canon lift (core func $m "drops")))
  (func (export "last-drop") (result u32) (canon lift (core func $m "last-drop"))))
(assert_return (invoke "two") (u32.const 2))
(assert_return (invoke "three") (u32.const 3))
(assert_return (invoke "four") (u32.const 4))
(assert_return (invoke "simple") (u32.const 101))
(assert_return (invoke "make-and-drop" (u32.const 7)))
(assert_return (invoke "drops") (u32.const 1))
(assert_return (invoke "last-drop") (u32.const 7))

(component $provider
  (core module $M (func (export "f") (result i32) i32.const 42))
  (export "m" (core module $M)))
(component
  (import "provider" (instance $p (export "m" (core module (export "f" (func (result i32)))))))
  (alias export $p "m" (core module $M))
  (core instance $i (instantiate $M))
  (func (export "f") (result u32) (canon lift (core func $i "f"))))
(assert_return (invoke "f") (u32.const 42))

(assert_unlinkable (component (import "nowhere" (func))) "was not found")
"#;

/// The wasmtime-compatible mode runs a script written for wasmtime's
/// harness; the default mode does not have the harness's items.
#[test]
fn wasmtime_compatible_mode() {
    let report = wit_host_tests::wast::run_str_wasmtime("harness.wast", WASMTIME_STYLE);
    assert!(report.ok(), "\n{report}");
    assert_eq!(report.passed, 12, "{report}");
    let notes: Vec<String> = report.notes.iter().map(|n| n.reason.clone()).collect();
    assert!(notes.iter().any(|n| n.contains("hogs_memory")), "{notes:?}");
    assert!(
        notes.iter().any(|n| n.contains("was not found")),
        "{notes:?}"
    );
    let plain = run(WASMTIME_STYLE);
    assert!(
        !plain.ok(),
        "the default mode has no `host-return-two`:\n{plain}"
    );
    // Configuration lines are checked.
    for bad in [";;! no_such_proposal = true\n", ";;! multi_memory = yes\n"] {
        let report = wit_host_tests::wast::run_str_wasmtime("bad.wast", bad);
        assert_eq!(report.failed(), 1, "{report}");
    }
}

/// The wasmtime-compatible mode follows the component-model switches of
/// a script's configuration lines, off as well as on.
#[test]
fn wasmtime_compatible_mode_follows_the_proposal_switches() {
    const IMPLEMENTS: &str = r#"(component (import "a" (implements "a:b/c") (instance)))"#;
    /// Lifts (without exporting) a function with a 64-bit memory.
    const MEMORY64: &str = r#"(component
  (core module $M (memory (export "mem") i64 1) (func (export "f") (result i64) (i64.const 0)))
  (core instance $m (instantiate $M))
  (func (result string) (canon lift (core func $m "f") (memory (core memory $m "mem")))))"#;
    let scripts = [
        format!(
            ";;! component_model_implements = false\n\
             (assert_invalid {IMPLEMENTS} \"the `cm-implements` feature is not active\")"
        ),
        format!(";;! component_model_implements = true\n{IMPLEMENTS}"),
        format!(
            ";;! memory64 = true\n;;! component_model_memory64 = false\n\
             (assert_invalid {MEMORY64} \"64-bit memories require the `cm64` feature\")"
        ),
        format!(";;! memory64 = true\n;;! component_model_memory64 = true\n{MEMORY64}"),
    ];
    for script in scripts {
        let report = wit_host_tests::wast::run_str_wasmtime("switches.wast", &script);
        assert!(report.ok(), "{script}\n{report}");
        assert_eq!(report.passed, 1, "{report}");
        assert!(report.notes.is_empty(), "no switch is ignored: {report}");
    }
}
