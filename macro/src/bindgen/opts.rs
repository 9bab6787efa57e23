//! `bindgen!`'s input, parsed once into [`Opts`].
//!
//! Three forms:
//!
//! - `bindgen!({ path: "wit", inline: "...", world: "ns:pkg/name" })`, every
//!   option optional, in any order;
//! - `bindgen!("world")`;
//! - `bindgen!("world" in "path")`.
//!
//! Every mistake is reported in one compile, each spanned on the option
//! (or value) at fault: unknown options, options given twice, values of
//! the wrong form, and options not supported yet.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Error, Ident, LitStr, Token};

use super::Side;
use super::func_flags::{self, FuncFlags};
use super::ownership::Ownership;
use crate::errors::Errors;

/// A string option and where it was written.
#[derive(Clone, Debug)]
pub struct Spanned {
    pub value: String,
    pub span: Span,
}

impl From<LitStr> for Spanned {
    fn from(lit: LitStr) -> Spanned {
        Spanned {
            value: lit.value(),
            span: lit.span(),
        }
    }
}

/// What `bindgen!` was asked to do.
#[derive(Default)]
pub struct Opts {
    /// WIT files or directories, relative to `CARGO_MANIFEST_DIR`. Empty:
    /// `wit/`, unless `inline` is given.
    pub paths: Vec<Spanned>,
    /// WIT source given in the macro call, parsed after `paths` (it may
    /// use their packages).
    pub inline: Option<Spanned>,
    /// The world: a name in the main package, or `ns:pkg/name`. Optional
    /// when there is only one world.
    pub world: Option<Spanned>,
    /// `with: { "ns:pkg/iface": path, "ns:pkg/iface/type": path }`: use
    /// existing Rust items instead of generating them.
    pub with: Vec<With>,
    /// `imports: { default: trappable, "ns:pkg/iface.func": store | tracing }`:
    /// flags of the host's functions (see [`super::func_flags`]).
    pub imports: FuncFlags,
    /// `exports: { default: tracing }`: flags of the `call_…` methods.
    pub exports: FuncFlags,
    /// `require_store_data_send: true`: `add_to_linker` functions require
    /// `T: Send` of the store's data.
    pub require_store_data_send: bool,
    /// `trappable_error_type: { "ns:pkg/iface/type" => path }`: host
    /// functions returning `result<T, type>` return `Result<T, path>`.
    pub trappable_errors: Vec<With>,
    /// `additional_derives: [Hash, serde::Serialize]`: more derives for
    /// every generated record, variant, enum and flags type (not for those
    /// holding resource handles; not `Hash`, `PartialOrd` nor `Ord` for
    /// those holding a `map`, not `Default` for those holding a
    /// fixed-length list longer than 32).
    pub additional_derives: Vec<syn::Path>,
    /// `interfaces: "import ns:pkg/iface; export ns:pkg/other;"`: bindings
    /// for these interfaces only, without a world (nor a world struct).
    pub interfaces: Option<Spanned>,
    /// `features: ["a", "b"]`: generate only the `@unstable` items of these
    /// features (`None`: all of them, as wasmtime does); see
    /// [`super::features`].
    pub features: Option<Vec<Spanned>>,
    /// `ownership: Owning` or `Borrowing { duplicate_if_necessary: bool }`
    /// (see [`super::ownership`]).
    pub ownership: Ownership,
}

/// One `with` entry.
pub struct With {
    /// `ns:pkg/iface[@version]`, `ns:pkg/iface[@version]/type`, or a
    /// world-level type's name.
    pub key: Spanned,
    pub path: syn::Path,
}

impl std::fmt::Debug for With {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = &self.path;
        write!(f, "{:?}: {}", self.key.value, quote::quote!(#path))
    }
}

/// Options of wasmtime's `bindgen!` that this one does not have yet.
const NOT_YET: &[&str] = &[
    "trappable_imports",
    "include_generated_code_from_file",
    "stringify",
    "skip_mut_forwarding_impls",
    "wasmtime_crate",
    "debug",
];

/// The options `bindgen!` takes.
const KNOWN: &str = "`path`, `inline`, `world`, `interfaces`, `with`, `imports`, `exports`, `trappable_error_type`, `additional_derives`, `ownership`, `require_store_data_send` and `features`";

impl Opts {
    /// Parses the macro input, reporting every mistake.
    pub fn parse(input: TokenStream) -> syn::Result<Opts> {
        let mut iter = input.clone().into_iter();
        match (iter.next(), iter.next()) {
            (None, _) => Ok(Opts::default()),
            (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Brace => {
                Opts::parse_fields(g.stream())
            }
            _ => Opts::parse_short.parse2(input),
        }
    }

    /// `"world"` or `"world" in "path"`.
    fn parse_short(input: ParseStream<'_>) -> syn::Result<Opts> {
        let world: LitStr = input.parse().map_err(|e| {
            Error::new(
                e.span(),
                "expected `{ path: ..., world: ... }`, `\"world\"` or `\"world\" in \"path\"`",
            )
        })?;
        let mut opts = Opts {
            world: Some(world.into()),
            ..Opts::default()
        };
        if input.parse::<Option<Token![in]>>()?.is_some() {
            let path: LitStr = input.parse()?;
            opts.paths.push(path.into());
        }
        if !input.is_empty() {
            return Err(input.error("unexpected input after the world (and `in \"path\"`)"));
        }
        Ok(opts)
    }

    /// The braced form: `name: value` pairs separated by commas.
    fn parse_fields(input: TokenStream) -> syn::Result<Opts> {
        let mut opts = Opts::default();
        let mut errors = Errors::default();
        let mut seen: Vec<String> = Vec::new();
        for field in split_commas(input) {
            let Some(parsed) = errors.ok(parse_field.parse2(field)) else {
                continue;
            };
            let (name, value) = parsed;
            let key = name.unraw().to_string();
            if seen.contains(&key) {
                errors.push(Error::new(name.span(), format!("`{key}` is given twice")));
                continue;
            }
            seen.push(key.clone());
            match key.as_str() {
                "path" => {
                    if let Some(paths) = errors.ok(parse_paths(value)) {
                        opts.paths = paths;
                    }
                }
                "inline" => opts.inline = errors.ok(parse_str(value, "inline")),
                "interfaces" => opts.interfaces = errors.ok(parse_str(value, "interfaces")),
                "world" => opts.world = errors.ok(parse_str(value, "world")),
                "with" => opts.with = parse_map(value, "with", &mut errors),
                "imports" => opts.imports = func_flags::parse(value, Side::Import, &mut errors),
                "exports" => opts.exports = func_flags::parse(value, Side::Export, &mut errors),
                "require_store_data_send" => {
                    opts.require_store_data_send =
                        errors.ok(parse_bool(value, "require_store_data_send")).unwrap_or(false)
                }
                "ownership" => {
                    opts.ownership = errors.ok(parse_ownership(value)).unwrap_or_default()
                }
                "async" => errors.push(Error::new(
                    name.span(),
                    "`async` is a flag of `imports` and `exports` (as in wasmtime 48's `bindgen!`): write `imports: { default: async }, exports: { default: async }`, or flag single functions",
                )),
                "tracing" | "verbose_tracing" => errors.push(Error::new(
                    name.span(),
                    format!(
                        "`{key}` is a flag of `imports` and `exports`: write `imports: {{ default: {key} }}` (and `exports: {{ default: {key} }}`)"
                    ),
                )),
                "features" => {
                    opts.features = errors.ok(super::features::parse_features(value))
                }
                "additional_derives" => {
                    opts.additional_derives = errors.ok(parse_derives(value)).unwrap_or_default()
                }
                "trappable_error_type" => {
                    opts.trappable_errors = parse_map(value, "trappable_error_type", &mut errors)
                }
                other if NOT_YET.contains(&other) => errors.push(Error::new(
                    name.span(),
                    format!(
                        "option `{other}` is not supported yet: wit_host::bindgen! takes {KNOWN}"
                    ),
                )),
                other => errors.push(Error::new(
                    name.span(),
                    format!("unknown option `{other}`: wit_host::bindgen! takes {KNOWN}"),
                )),
            }
        }
        if let (Some(w), Some(_)) = (&opts.world, &opts.interfaces) {
            errors.push(Error::new(
                w.span,
                "`world` and `interfaces` exclude each other: `interfaces` makes its own world",
            ));
        }
        errors.finish(opts)
    }
}

/// The input split at top-level commas (empty pieces, from a trailing
/// comma, dropped).
pub(super) fn split_commas(input: TokenStream) -> Vec<TokenStream> {
    let mut out = vec![TokenStream::new()];
    for tt in input {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' => out.push(TokenStream::new()),
            _ => out.last_mut().expect("never empty").extend([tt]),
        }
    }
    out.retain(|t| !t.is_empty());
    out
}

/// `name: value`.
fn parse_field(input: ParseStream<'_>) -> syn::Result<(Ident, TokenStream)> {
    let name = input
        .call(Ident::parse_any)
        .map_err(|e| Error::new(e.span(), "expected an option name, like `path: \"wit\"`"))?;
    if input.parse::<Option<Token![:]>>()?.is_none() {
        let key = name.unraw();
        return Err(Error::new(
            name.span(),
            format!("expected `:` and a value after `{key}`"),
        ));
    }
    let value: TokenStream = input.parse()?;
    if value.is_empty() {
        return Err(Error::new(
            name.span(),
            format!("`{}` needs a value", name.unraw()),
        ));
    }
    Ok((name, value))
}

/// A string literal value.
fn parse_str(value: TokenStream, what: &str) -> syn::Result<Spanned> {
    syn::parse2::<LitStr>(value.clone())
        .map(Spanned::from)
        .map_err(|_| Error::new_spanned(value, format!("`{what}` takes a string literal")))
}

/// `true` or `false`.
fn parse_bool(value: TokenStream, what: &str) -> syn::Result<bool> {
    syn::parse2::<syn::LitBool>(value.clone())
        .map(|b| b.value)
        .map_err(|_| Error::new_spanned(value, format!("`{what}` takes `true` or `false`")))
}

/// `Owning` or `Borrowing { duplicate_if_necessary: bool }`.
fn parse_ownership(value: TokenStream) -> syn::Result<Ownership> {
    let form = "`ownership` takes `Owning` or `Borrowing { duplicate_if_necessary: bool }`";
    let mut iter = value.clone().into_iter();
    match (iter.next(), iter.next(), iter.next()) {
        (Some(TokenTree::Ident(kind)), None, _) if kind == "Owning" => Ok(Ownership::Owning),
        (Some(TokenTree::Ident(kind)), Some(TokenTree::Group(g)), None)
            if kind == "Borrowing" && g.delimiter() == Delimiter::Brace =>
        {
            let field = |input: ParseStream<'_>| -> syn::Result<bool> {
                let name = input.call(Ident::parse_any)?;
                if name != "duplicate_if_necessary" {
                    return Err(Error::new(name.span(), format!("unknown field `{name}`")));
                }
                input.parse::<Token![:]>()?;
                let value = input.parse::<syn::LitBool>()?.value;
                input.parse::<Option<Token![,]>>()?;
                Ok(value)
            };
            let duplicate_if_necessary = field
                .parse2(g.stream())
                .map_err(|e| Error::new(e.span(), format!("{e}: {form}")))?;
            Ok(Ownership::Borrowing {
                duplicate_if_necessary,
            })
        }
        _ => Err(Error::new_spanned(value, form)),
    }
}

/// `{ "key": path, ... }` (`with`) or `{ "key" => path, ... }`
/// (`trappable_error_type`; `:` is accepted too); each entry's mistakes go
/// to `errors`.
fn parse_map(value: TokenStream, what: &str, errors: &mut Errors) -> Vec<With> {
    let arrow = if what == "with" { ":" } else { "=>" };
    let form = format!(
        "`{{ \"ns:pkg/iface\"{arrow} path::to::module, \"ns:pkg/iface/type\"{arrow} path::to::Type }}`"
    );
    let mut iter = value.clone().into_iter();
    let group = match (iter.next(), iter.next()) {
        (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Brace => g,
        _ => {
            errors.push(Error::new_spanned(value, format!("`{what}` takes {form}")));
            return Vec::new();
        }
    };
    let entry = |input: ParseStream<'_>| -> syn::Result<With> {
        let key: LitStr = input.parse()?;
        if input.parse::<Option<Token![=>]>>()?.is_none() {
            input.parse::<Token![:]>()?;
        }
        let path: syn::Path = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected `,` after the path"));
        }
        Ok(With {
            key: key.into(),
            path,
        })
    };
    let mut out: Vec<With> = Vec::new();
    for tokens in split_commas(group.stream()) {
        let Some(with) = errors.ok(entry
            .parse2(tokens.clone())
            .map_err(|e| Error::new(e.span(), format!("{e}: `{what}` takes {form}"))))
        else {
            continue;
        };
        if out.iter().any(|w| w.key.value == with.key.value) {
            errors.push(Error::new(
                with.key.span,
                format!("`{}` is given twice in `{what}`", with.key.value),
            ));
            continue;
        }
        out.push(with);
    }
    out
}

/// `[Path, ...]`.
fn parse_derives(value: TokenStream) -> syn::Result<Vec<syn::Path>> {
    let parser = |input: ParseStream<'_>| -> syn::Result<Vec<syn::Path>> {
        let content;
        syn::bracketed!(content in input);
        let paths = content.parse_terminated(syn::Path::parse, Token![,])?;
        Ok(paths.into_iter().collect())
    };
    parser.parse2(value.clone()).map_err(|_| {
        Error::new_spanned(
            value,
            "`additional_derives` takes an array of paths, like `[Hash, serde::Serialize]`",
        )
    })
}

/// A string literal or an array of them.
fn parse_paths(value: TokenStream) -> syn::Result<Vec<Spanned>> {
    let parser = |input: ParseStream<'_>| -> syn::Result<Vec<Spanned>> {
        if input.peek(syn::token::Bracket) {
            let content;
            syn::bracketed!(content in input);
            let lits =
                content.parse_terminated(|i: ParseStream<'_>| i.parse::<LitStr>(), Token![,])?;
            Ok(lits.into_iter().map(Spanned::from).collect())
        } else {
            Ok(vec![input.parse::<LitStr>()?.into()])
        }
    };
    parser.parse2(value.clone()).map_err(|_| {
        Error::new_spanned(
            value,
            "`path` takes a string literal or an array of them, like `path: \"wit\"`",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn err(input: TokenStream) -> String {
        let Err(e) = Opts::parse(input) else {
            panic!("the options should be rejected");
        };
        e.into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn forms() {
        let o = Opts::parse(quote!({ path: "a", world: "w", inline: "x" })).unwrap();
        assert_eq!(o.paths[0].value, "a");
        assert_eq!(o.world.unwrap().value, "w");
        assert_eq!(o.inline.unwrap().value, "x");
        let o = Opts::parse(quote!("w" in "p")).unwrap();
        assert_eq!(
            (o.world.unwrap().value, o.paths[0].value.clone()),
            ("w".into(), "p".into())
        );
        let o = Opts::parse(quote!("w")).unwrap();
        assert!(o.paths.is_empty());
        let o = Opts::parse(quote!({ path: ["a", "b"], })).unwrap();
        assert_eq!(o.paths.len(), 2);
        assert!(Opts::parse(quote!()).unwrap().world.is_none());
        let o = Opts::parse(quote!({ with: { "a:b/c": crate::x, "a:b/c/t": super::T } })).unwrap();
        assert_eq!(o.with.len(), 2);
        assert_eq!(o.with[1].key.value, "a:b/c/t");
    }

    #[test]
    fn derives() {
        let o = Opts::parse(quote!({ additional_derives: [Hash, serde::Serialize] })).unwrap();
        assert_eq!(o.additional_derives.len(), 2);
        let e = err(quote!({ additional_derives: Hash }));
        assert!(
            e.contains("`additional_derives` takes an array of paths"),
            "{e}"
        );
    }

    #[test]
    fn imports() {
        let o = Opts::parse(quote!({
            imports: { default: trappable, "a:b/c.f": store | verbose_tracing },
            exports: { "g": tracing },
            require_store_data_send: true,
            ownership: Owning,
        }))
        .unwrap();
        assert!(o.imports.default.trappable);
        let (key, flags) = &o.imports.rules[0];
        assert_eq!(key.value, "a:b/c.f");
        assert!(flags.store && flags.tracing && flags.verbose && !flags.trappable);
        assert!(o.exports.rules[0].1.tracing);
        assert!(o.require_store_data_send);
        let e = err(quote!({
            imports: { default: task_exit | trappable, "f": nope, other: trappable, "f": store },
            exports: { default: store | trappable },
            ownership: Borrowing { duplicate_if_necessary: 1 },
            require_store_data_send: 1,
        }));
        assert!(
            e.contains("the `task_exit` flag is not supported yet"),
            "{e}"
        );
        assert!(e.contains("unknown flag `nope`"), "{e}");
        assert!(e.contains("expected `default` or a function's name"), "{e}");
        assert!(e.contains("`f` is given twice in `imports`"), "{e}");
        assert!(e.contains("`store` does not apply to exports"), "{e}");
        assert!(e.contains("`trappable` does not apply to exports"), "{e}");
        assert!(
            e.contains("`require_store_data_send` takes `true` or `false`"),
            "{e}"
        );
        assert!(
            e.contains("`ownership` takes `Owning` or `Borrowing"),
            "{e}"
        );
        let o = Opts::parse(quote!({ ownership: Borrowing { duplicate_if_necessary: true } }));
        assert_eq!(
            o.unwrap().ownership,
            Ownership::Borrowing {
                duplicate_if_necessary: true
            }
        );
        let e = err(quote!({ ownership: Borrowing { duplicate: true }, tracing: true }));
        assert!(e.contains("unknown field `duplicate`"), "{e}");
        assert!(
            e.contains("`tracing` is a flag of `imports` and `exports`"),
            "{e}"
        );
    }

    #[test]
    fn with_errors() {
        let e = err(quote!({ with: { "a:b/c": 1, "a:b/d": x, "a:b/d": y, e: z } }));
        assert!(e.contains("`with` takes `{"), "{e}");
        assert!(e.contains("`a:b/d` is given twice in `with`"), "{e}");
        let e = err(quote!({ with: "a:b/c" }));
        assert!(e.contains("`with` takes `{"), "{e}");
    }

    #[test]
    fn all_errors() {
        let e = err(quote!({ path: 1, wrold: "w", tracing: true, world: "a", world: "b", inline }));
        assert!(e.contains("`path` takes a string literal"), "{e}");
        assert!(e.contains("unknown option `wrold`"), "{e}");
        assert!(e.contains("`tracing` is a flag of `imports`"), "{e}");
        assert!(e.contains("`world` is given twice"), "{e}");
        assert!(e.contains("expected `:` and a value after `inline`"), "{e}");
    }
}
