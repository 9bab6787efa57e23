//! Misuse of the derives and of `flags!` fails to compile with the
//! messages (and spans) in `tests/ui/*.stderr`. Regenerate those with
//! `TRYBUILD=overwrite cargo test -p wit-host-macro --test compile_fail`
//! and review the diff.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
