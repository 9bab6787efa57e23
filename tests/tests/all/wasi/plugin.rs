//! A plugin world of our own on top of WASI, bound with `bindgen!`: the
//! world `test:wasi-plugin/plugin` (`tests/guests/wasi/plugin/world.wit`)
//! includes `wasi:cli/imports` and exports `run-checks`; the bindings
//! reuse `wit_host_wasi::p2::bindings` for everything WASI (`with`), and
//! `wit_host_wasi::p2::add_to_linker_sync` defines it. The same table runs
//! on the plugin built from C (a reactor through the preview1 reactor
//! adapter) and from Python (componentize-py), which return the same
//! line: what the plugin found in its environment, its directory, its
//! clock and its random source, and whether it could write.

use super::harness::{Guest, Host, component, with_timeout};
use super::tree::{Entry, check_entry};
use wit_host::{Linker, Store};
use wit_host_wasi::p2::pipe::MemoryOutputPipe;
use wit_host_wasi::{DirPerms, FilePerms, WasiCtx};

mod bindings {
    wit_host::bindgen!({
        path: ["../wasi/wit", "guests/wasi/plugin"],
        world: "test:wasi-plugin/plugin",
        with: { "wasi": wit_host_wasi::p2::bindings },
    });
}

use bindings::Plugin;

/// One row: what the host grants the plugin, what `run-checks("/data")`
/// returns (twice: the instance lives on between calls) and what the
/// plugin leaves in the directory.
struct PluginCase {
    /// `PLUGIN_GREETING`, if set.
    greeting: Option<&'static str>,
    /// `config.txt` in the directory, if any.
    config: Option<&'static str>,
    /// How the directory is preopened as `/data`: not at all, read-only,
    /// or read-write.
    grant: Grant,
    /// What each call returns.
    returns: &'static str,
    /// `out.txt` afterwards.
    out_txt: Entry,
}

#[derive(Clone, Copy, PartialEq)]
enum Grant {
    Nothing,
    ReadOnly,
    ReadWrite,
}

/// Declares each row as `c::NAME` (the C plugin) and `python::NAME`.
macro_rules! plugin_cases {
    ($($name:ident: $case:expr),* $(,)?) => {
        mod c {
            use super::*;
            $(
                #[test]
                #[cfg_attr(guests_skipped, ignore = "the C guest components were not built (see the build warning)")]
                fn $name() {
                    check(Guest::CPlugin, stringify!($name), &$case);
                }
            )*
        }
        mod python {
            use super::*;
            $(
                #[test]
                #[cfg_attr(py_guests_skipped, ignore = "the Python guest components were not built (see the build warning)")]
                fn $name() {
                    check(Guest::PyPlugin, stringify!($name), &$case);
                }
            )*
        }
    };
}

plugin_cases! {
    everything_granted: PluginCase {
        greeting: Some("hello from the host"),
        config: Some("mode=fast\nsecond line\n"),
        grant: Grant::ReadWrite,
        returns: "greeting=hello from the host; config=mode=fast; wrote=yes; slept=yes; \
                  random=16 bytes",
        out_txt: Entry::File("written by the plugin\n"),
    },
    a_read_only_directory: PluginCase {
        greeting: None,
        config: Some("mode=slow\n"),
        grant: Grant::ReadOnly,
        returns: "greeting=(unset); config=mode=slow; wrote=no; slept=yes; random=16 bytes",
        out_txt: Entry::Absent,
    },
    nothing_granted: PluginCase {
        greeting: None,
        config: Some("mode=secret\n"),
        grant: Grant::Nothing,
        returns: "greeting=(unset); config=(unreadable); wrote=no; slept=yes; random=16 bytes",
        out_txt: Entry::Absent,
    },
}

impl Grant {
    fn name(self) -> &'static str {
        match self {
            Grant::Nothing => "nothing",
            Grant::ReadOnly => "read-only",
            Grant::ReadWrite => "read-write",
        }
    }
}

/// Runs `run-checks("/data")` twice on `guest` and checks the row.
fn check(guest: Guest, name: &str, case: &PluginCase) {
    let Some((engine, component)) = component(guest) else {
        return;
    };
    super::specs::plugin(
        guest,
        name,
        case.greeting,
        case.config,
        case.grant.name(),
        case.returns,
        case.out_txt,
    );
    let root = tempfile::tempdir().expect("a temporary directory");
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    if let Some(config) = case.config {
        std::fs::write(data.join("config.txt"), config).unwrap();
    }
    let mut builder = WasiCtx::builder();
    if let Some(greeting) = case.greeting {
        builder.env("PLUGIN_GREETING", greeting);
    }
    let stdout = MemoryOutputPipe::new(1 << 16);
    builder.stdout(stdout.clone());
    match case.grant {
        Grant::Nothing => {}
        Grant::ReadOnly => {
            builder
                .preopened_dir(&data, "/data", DirPerms::READ, FilePerms::READ)
                .unwrap();
        }
        Grant::ReadWrite => {
            builder
                .preopened_dir(&data, "/data", DirPerms::all(), FilePerms::all())
                .unwrap();
        }
    }
    let ctx = builder.build();

    let results = with_timeout(move || -> wit_host::Result<Vec<String>> {
        let mut linker = Linker::<Host>::new(&engine);
        wit_host_wasi::p2::add_to_linker_sync(&mut linker)?;
        let mut store = Store::new(&engine, Host::new(ctx));
        let plugin = Plugin::instantiate(&mut store, &component, &linker)?;
        let first = plugin.call_run_checks(&mut store, "/data")?;
        let second = plugin.call_run_checks(&mut store, "/data")?;
        Ok(vec![first, second])
    });
    let results = results.unwrap_or_else(|e| panic!("{guest:?}: run-checks failed: {e:#}"));
    assert_eq!(
        results,
        [case.returns, case.returns],
        "{guest:?}: what run-checks returned"
    );
    assert_eq!(
        String::from_utf8_lossy(&stdout.contents()),
        "plugin: checking /data\nplugin: checking /data\n",
        "{guest:?}: the plugin's stdout"
    );
    if let Some(problem) = check_entry(root.path(), "data/out.txt", case.out_txt) {
        panic!("{guest:?}: {problem}");
    }
    // Nothing but the config and the output in the directory.
    let mut names: Vec<String> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<&str> = Vec::new();
    if case.config.is_some() {
        expected.push("config.txt");
    }
    if !matches!(case.out_txt, Entry::Absent) {
        expected.push("out.txt");
    }
    assert_eq!(
        names, expected,
        "{guest:?}: what the plugin left in its directory"
    );
}
