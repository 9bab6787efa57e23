//! The tables as JSON specs, for running the same cases under another
//! host. With `WIT_HOST_WASI_SPECS=DIR` set, every case that runs writes
//! `DIR/<test name>.json`: the component's path, what the guest is given,
//! and what must come out, in the spirit of wasi-testsuite's specs.
//! `tests/peer/wasmtime_py.py DIR` runs them under wasmtime (wasmtime-py)
//! and prints a table of what matched.
//!
//! Cases that configure the context beyond the table (fixed clocks, a
//! host random source, limits) are marked `"host_specific": true`: their
//! expectations hold only on a host configured the same way.

use std::fmt::Write as _;

use super::harness::{Case, Entry, Exit, Guest, Text};

/// Where the specs go, if anywhere.
fn dir() -> Option<std::path::PathBuf> {
    std::env::var_os("WIT_HOST_WASI_SPECS").map(Into::into)
}

/// Writes the spec of a command case, if asked to.
pub fn command(guest: Guest, name: &str, case: &Case) {
    let Some(dir) = dir() else { return };
    let mut s = String::from("{\n");
    field(&mut s, "kind", &string("command"));
    field(&mut s, "guest", &string(&format!("{guest:?}")));
    field(&mut s, "component", &string(guest.path()));
    field(
        &mut s,
        "host_specific",
        &case.configure.is_some().to_string(),
    );
    let argv: Vec<&str> = std::iter::once(guest.program())
        .chain(case.args.iter().copied())
        .collect();
    field(&mut s, "argv", &list(argv.iter().map(|a| string(a))));
    field(
        &mut s,
        "env",
        &list(case.env.iter().map(|(k, v)| list([string(k), string(v)]))),
    );
    field(&mut s, "stdin", &string(case.stdin));
    field(&mut s, "files", &entries(case.files));
    field(
        &mut s,
        "dirs",
        &list(case.dirs.iter().map(|d| {
            format!(
                "{{\"host\": {}, \"guest\": {}, \"read_only\": {}}}",
                string(d.host),
                string(d.guest),
                d.read_only
            )
        })),
    );
    let exit = match case.exit {
        Exit::Returned => "{\"returned\": true}".to_string(),
        Exit::Code(code) => format!("{{\"code\": {code}}}"),
        Exit::Trap(text) => format!("{{\"trap\": {}}}", string(text)),
    };
    field(&mut s, "exit", &exit);
    field(&mut s, "stdout", &text(case.stdout));
    field(&mut s, "stderr", &text(case.stderr));
    field(&mut s, "after", &entries(case.after));
    finish(&dir, name, s);
}

/// Writes the spec of a plugin case (see `plugin.rs`), if asked to.
pub fn plugin(
    guest: Guest,
    name: &str,
    greeting: Option<&str>,
    config: Option<&str>,
    grant: &str,
    returns: &str,
    out_txt: Entry,
) {
    let Some(dir) = dir() else { return };
    let mut s = String::from("{\n");
    field(&mut s, "kind", &string("plugin"));
    field(&mut s, "guest", &string(&format!("{guest:?}")));
    field(&mut s, "component", &string(guest.path()));
    field(&mut s, "greeting", &greeting.map_or("null".into(), string));
    field(&mut s, "config", &config.map_or("null".into(), string));
    field(&mut s, "grant", &string(grant));
    field(&mut s, "returns", &string(returns));
    field(&mut s, "out_txt", &entry(out_txt));
    finish(&dir, &format!("{name}-{guest:?}"), s);
}

fn field(s: &mut String, name: &str, value: &str) {
    let _ = writeln!(s, "  {}: {value},", string(name));
}

fn finish(dir: &std::path::Path, name: &str, mut s: String) {
    // No comma after the last field.
    s.truncate(s.len() - 2);
    s.push_str("\n}\n");
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("{name}.json")), s).unwrap();
}

fn text(t: Text) -> String {
    match t {
        Text::Is(s) => format!("{{\"is\": {}}}", string(s)),
        Text::Has(parts) => format!("{{\"has\": {}}}", list(parts.iter().map(|p| string(p)))),
    }
}

fn entries(list_of: &[(&str, Entry)]) -> String {
    list(
        list_of
            .iter()
            .map(|(path, e)| list([string(path), entry(*e)])),
    )
}

fn entry(e: Entry) -> String {
    match e {
        Entry::File(text) => format!("{{\"file\": {}}}", string(text)),
        Entry::Pattern(len) => format!("{{\"pattern\": {len}}}"),
        Entry::Dir => "{\"dir\": true}".into(),
        Entry::Symlink(target) => format!("{{\"symlink\": {}}}", string(target)),
        Entry::Absent => "{\"absent\": true}".into(),
    }
}

fn list(items: impl IntoIterator<Item = String>) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

/// `s` as a JSON string.
fn string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
