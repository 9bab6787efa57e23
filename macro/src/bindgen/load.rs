//! From [`Opts`] to a [`Resolve`] and the chosen [`WorldId`], with the list
//! of every file read (for [`tracking`]).
//!
//! Paths are relative to `CARGO_MANIFEST_DIR`. A WIT mistake becomes a
//! compile error at the macro call whose message is wit-parser's: the file,
//! line and column, and the offending line quoted.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::Error;
use wit_parser::{PackageId, Resolve, WorldId};

use super::opts::{Opts, Spanned};

/// The parsed WIT.
pub struct Loaded {
    pub resolve: Resolve,
    pub world: WorldId,
    /// Every file read, absolute.
    pub files: Vec<PathBuf>,
}

/// Reads and resolves the WIT `opts` names and selects the world.
pub fn load(opts: &Opts) -> syn::Result<Loaded> {
    let root = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or_else(|| Error::new(Span::call_site(), "CARGO_MANIFEST_DIR is not set"))?;
    let mut resolve = Resolve::new();
    // `@unstable` items: all of them, or those of `features` (see
    // `super::features`).
    match &opts.features {
        None => resolve.all_features = true,
        Some(features) => resolve
            .features
            .extend(features.iter().map(|f| f.value.clone())),
    }
    let mut files = Vec::new();
    let mut main: Vec<PackageId> = Vec::new();

    let default_path;
    let paths: Vec<(&str, Span)> = if opts.paths.is_empty() && opts.inline.is_none() {
        // (With `interfaces` too: they name interfaces of packages in `wit/`.)
        default_path = "wit".to_string();
        vec![(&default_path, Span::call_site())]
    } else {
        opts.paths
            .iter()
            .map(|p| (p.value.as_str(), p.span))
            .collect()
    };
    for (path, span) in paths {
        let full = root.join(path);
        if !full.exists() {
            return Err(Error::new(
                span,
                format!(
                    "WIT path `{}` does not exist (paths are relative to CARGO_MANIFEST_DIR, {})",
                    path,
                    root.display()
                ),
            ));
        }
        // Canonical paths make messages and `include_bytes!` independent
        // of how the path was written.
        let full = full.canonicalize().unwrap_or(full);
        match resolve.push_path(&full) {
            Ok((pkg, sources)) => {
                main.push(pkg);
                files.extend(sources.paths().map(Path::to_path_buf));
            }
            Err(e) => return Err(wit_error(&resolve, &e)),
        }
    }
    if let Some(inline) = &opts.inline {
        match resolve.push_str("inline.wit", &inline.value) {
            Ok(pkg) => main.push(pkg),
            Err(e) => return Err(wit_error(&resolve, &e)),
        }
    }
    let mut world = opts.world.as_ref();
    let interfaces_world;
    if let Some(interfaces) = &opts.interfaces {
        let source = format!(
            "package wit-host:interfaces;\n\nworld interfaces {{\n{}\n}}\n",
            interfaces.value
        );
        match resolve.push_str("interfaces.wit", &source) {
            Ok(pkg) => main = vec![pkg],
            Err(e) => return Err(wit_error(&resolve, &e)),
        }
        interfaces_world = Spanned {
            value: "interfaces".into(),
            span: interfaces.span,
        };
        world = Some(&interfaces_world);
    }
    let world = resolve
        .select_world(&main, world.map(|w| w.value.as_str()))
        .map_err(|e| {
            let span = opts.world.as_ref().map_or(Span::call_site(), |w| w.span);
            Error::new(span, format!("cannot select the world: {e:#}"))
        })?;
    Ok(Loaded {
        resolve,
        world,
        files,
    })
}

/// A WIT error as a compile error at the macro call.
fn wit_error(resolve: &Resolve, e: &anyhow::Error) -> Error {
    Error::new(
        Span::call_site(),
        format!("failed to parse WIT: {}", resolve.render_error(e)),
    )
}

/// A hidden constant that includes every file read, so that editing one
/// rebuilds the crate.
pub fn tracking(files: &[PathBuf]) -> TokenStream {
    let files = files.iter().filter_map(|f| f.to_str());
    quote! {
        const _: &[&[u8]] = &[#(::core::include_bytes!(#files)),*];
    }
}

#[cfg(test)]
mod tests {
    use super::super::opts;
    use super::*;

    /// A mistake in a WIT file names the file, line and column, and quotes
    /// the line.
    #[test]
    fn wit_errors_name_the_file() {
        let dir = std::env::temp_dir().join(format!("wit-host-load-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("bad.wit");
        std::fs::write(
            &file,
            "package a:b;\n\nworld w {\n  import f: func() -> strng;\n}\n",
        )
        .unwrap();
        let opts = Opts {
            paths: vec![opts::Spanned {
                value: file.to_str().unwrap().to_string(),
                span: Span::call_site(),
            }],
            ..Opts::default()
        };
        let err = load(&opts).err().expect("the WIT is invalid").to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("bad.wit:4:23"), "{err}");
        assert!(err.contains("import f: func() -> strng;"), "{err}");
        assert!(err.contains("name `strng` does not exist"), "{err}");
    }

    #[test]
    fn files_are_tracked() {
        let dir = std::env::temp_dir().join(format!("wit-host-track-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("deps")).unwrap();
        std::fs::write(
            dir.join("w.wit"),
            "package a:b;\nworld w { import c:d/i; }\n",
        )
        .unwrap();
        std::fs::write(dir.join("deps/d.wit"), "package c:d;\ninterface i {}\n").unwrap();
        let opts = Opts {
            paths: vec![opts::Spanned {
                value: dir.to_str().unwrap().to_string(),
                span: Span::call_site(),
            }],
            ..Opts::default()
        };
        let loaded = load(&opts).map_err(|e| e.to_string()).unwrap();
        let tracked = tracking(&loaded.files).to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(loaded.files.len(), 2, "{:?}", loaded.files);
        assert!(
            tracked.contains("w.wit") && tracked.contains("d.wit"),
            "{tracked}"
        );
    }
}
