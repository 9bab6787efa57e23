//! Runs every example binary and checks that it succeeds and prints what
//! its documentation (and the book) says it prints.

use std::process::Command;

/// Runs the example at `exe`; its standard output, or a failure that shows
/// both streams.
fn run(exe: &str) -> String {
    let output = Command::new(exe)
        .env("RUST_BACKTRACE", "0")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {exe}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{exe} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Checks that `stdout` has each of `lines`, in this order.
fn expect_lines(stdout: &str, lines: &[&str]) {
    let mut rest = stdout;
    for line in lines {
        match rest.find(line) {
            Some(at) => rest = &rest[at + line.len()..],
            None => panic!("expected {line:?} (after the lines before it) in:\n{stdout}"),
        }
    }
}

#[test]
fn greeter() {
    let out = run(env!("CARGO_BIN_EXE_greeter"));
    expect_lines(
        &out,
        &[
            "guest logged: world",
            "greet(\"world\") = String(\"Hello, world!\")",
            "sum(1..=10) = U64(55)",
        ],
    );
}

#[test]
fn host_resource() {
    let out = run(env!("CARGO_BIN_EXE_host_resource"));
    expect_lines(
        &out,
        &[
            "[host] logger `job` dropped after 2 line(s)",
            "[kept] lent twice",
            "loggers still alive: none",
        ],
    );
}

#[test]
fn plugin_host() {
    let out = run(env!("CARGO_BIN_EXE_plugin_host"));
    expect_lines(
        &out,
        &[
            "loaded plugin `shouter`",
            "plugin log [Info] handling a request",
            "-> ok: \"HELLOHELLO!\" (11 bytes)",
            "plugin log [Warn] empty request",
            "-> refused: Empty",
            "-> refused: 121 bytes is too long",
            "-> ok: \"BYE\" (3 bytes)",
            "the first plugin logged 5 line(s), 2 of them warnings or errors",
        ],
    );
}

#[test]
fn bindgen_host_resource() {
    let out = run(env!("CARGO_BIN_EXE_bindgen_host_resource"));
    expect_lines(
        &out,
        &[
            "[host] bucket `settings` dropped with 2 key(s)",
            "-> the bucket had 2 key(s)",
            "-> owned: true, bucket `made` with {\"made-by\": \"guest\"}",
            "lookup(made, \"made-by\") -> Some(\"guest\")",
            "lookup(made, \"missing\") -> None",
            "[host] archived bucket `kept`",
            "open buckets: 0, table empty: true",
        ],
    );
}

#[test]
fn bindgen_guest_resource() {
    let out = run(env!("CARGO_BIN_EXE_bindgen_guest_resource"));
    expect_lines(
        &out,
        &[
            "a.add(3) = 13",
            "b.add(-1) = 4",
            "merge(a, b).get() = 17",
            "counter.made() = 3",
            "finish(a) = 13",
            "destroyed so far: 1",
            "destroyed in the end: 3",
        ],
    );
}

/// A plugin world that includes WASI, bound with `with: { "wasi": ... }`
/// to wit-host-wasi's bindings: the guest imports WASI 0.2.0, the host
/// serves 0.2.12, and the plugin's stdout is captured per store.
#[test]
fn wasi_plugin() {
    let out = run(env!("CARGO_BIN_EXE_wasi_plugin"));
    expect_lines(
        &out,
        &[
            "greet(\"world\") wrote 14 bytes: \"Hello, world!\\n\"",
            "greet(\"WASI\") wrote 13 bytes: \"Hello, WASI!\\n\"",
        ],
    );
}

/// The WASI runner: a command component's exit code becomes the
/// process's, and an unusable component is reported, not a panic.
#[test]
fn wasi_run_reports_usage_and_bad_components() {
    let exe = env!("CARGO_BIN_EXE_wasi_run");
    let output = Command::new(exe).output().unwrap();
    assert_eq!(output.status.code(), Some(125));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no component given"), "{stderr}");

    let dir = std::env::temp_dir().join(format!("wasi-run-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.wasm");
    std::fs::write(&bad, b"\0asm\x0d\0\x01\0garbage").unwrap();
    let output = Command::new(exe).arg(&bad).output().unwrap();
    assert_eq!(output.status.code(), Some(125));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("wasi_run: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn async_host() {
    let out = run(env!("CARGO_BIN_EXE_async_host"));
    let mut lines: Vec<String> = (1..=8)
        .map(|n| format!("job {n}: <body of https://example.com/item/{n}>"))
        .collect();
    lines.extend([
        "8 jobs done in".to_string(),
        "on one thread".to_string(),
        "stuck job cancelled after".to_string(),
        "the cancelled instance is locked down: cannot enter component instance".to_string(),
        "a fresh instance in the same store: <body of https://example.com/fresh>".to_string(),
    ]);
    let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
    expect_lines(&out, &lines);
}
