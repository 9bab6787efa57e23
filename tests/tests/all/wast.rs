//! Runs every `*.wast` script in `tests/wast/` against `wit-host` as one
//! test; the panic message lists every failed directive.

use std::path::PathBuf;

/// All scripts of the project, sorted by name.
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
    println!("{}", report.summary());
    assert!(report.ok(), "\n{report}");
}
