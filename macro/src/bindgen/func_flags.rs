//! `imports: { ... }` and `exports: { ... }`: flags per function.
//!
//! ```ignore
//! imports: {
//!     // One function of an interface (`.`; wasmtime's `/` and the older
//!     // `#` work too), with or without the package's version.
//!     "ns:pkg/iface.func": trappable | store,
//!     // A resource's function, a resource's destructor.
//!     "ns:pkg/iface.[method]file.read": tracing,
//!     "ns:pkg/iface.[drop]file": tracing,
//!     // Every function of an interface, of a package, of a namespace.
//!     "ns:pkg/iface": tracing,
//!     "ns:pkg": tracing,
//!     // A world-level function.
//!     "log": trappable,
//!     // Functions no rule names.
//!     default: tracing,
//! },
//! exports: { default: verbose_tracing },
//! ```
//!
//! A function gets the flags of the most specific rule that names it
//! (function, then interface, package, namespace), else those of
//! `default`; flags do not add up across rules. A rule flagged `exact`
//! names only functions (not the functions of an interface or package it
//! names). A rule that names nothing is an error, at its key.
//!
//! The flags: `async` (imports: the host method returns a `Future`, and
//! is registered with `func_wrap_async` / `resource_async`; exports: the
//! `call_…` method is an `async fn` using `call_async`), `trappable`
//! (imports: the host function returns
//! `wit_host::Result<T>`, an `Err` traps the guest), `store` (imports:
//! the function moves to a `…WithStore<T>` trait and gets a
//! `wit_host::Access` to the store, see [`super::imports`]), `tracing` (a
//! span around every call, and events with the arguments and the result,
//! lists shown as `"..."`) and `verbose_tracing` (`tracing` with lists
//! too).

use std::collections::HashSet;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Error, Ident, LitStr, Token};
use wit_parser::Function;

use super::opts::{Spanned, split_commas};
use super::{Gen, Iface, Side};
use crate::errors::Errors;

/// The flags of one function.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Flags {
    pub trappable: bool,
    pub store: bool,
    /// `tracing` or `verbose_tracing`.
    pub tracing: bool,
    /// `verbose_tracing`: lists in the events too.
    pub verbose: bool,
    /// `exact`: the rule names functions only.
    pub exact: bool,
    /// `async`: a host method returning a future (imports, see
    /// [`super::imports`]), an `async fn call_…` (exports).
    pub async_: bool,
}

/// `imports: { ... }` or `exports: { ... }`.
#[derive(Default, Debug, Clone)]
pub struct FuncFlags {
    /// `default: flags` (none if not given).
    pub default: Flags,
    /// `"key": flags`, in the order given.
    pub rules: Vec<(Spanned, Flags)>,
}

/// Flags of wasmtime's that this `bindgen!` does not have yet.
const FLAGS_NOT_YET: &[&str] = &["ignore_wit", "task_exit"];

/// Parses `{ default: flags, "key": flags, ... }` (flags joined by `|`)
/// for `side`, recording every mistake.
pub fn parse(value: TokenStream, side: Side, errors: &mut Errors) -> FuncFlags {
    let what = option_name(side);
    let mut iter = value.clone().into_iter();
    let group = match (iter.next(), iter.next()) {
        (Some(TokenTree::Group(g)), None) if g.delimiter() == Delimiter::Brace => g,
        _ => {
            errors.push(Error::new_spanned(
                value,
                format!(
                    "`{what}` takes `{{ default: tracing, \"ns:pkg/iface.func\": tracing | ... }}`"
                ),
            ));
            return FuncFlags::default();
        }
    };
    let mut out = FuncFlags::default();
    let mut default_seen = false;
    for tokens in split_commas(group.stream()) {
        let Some((key, flags)) = errors.ok(parse_rule.parse2(tokens)) else {
            continue;
        };
        let flags = check_flags(&flags, side, errors);
        match key {
            Err(span) if default_seen => errors.push(Error::new(
                span,
                format!("`default` is given twice in `{what}`"),
            )),
            Err(_) => {
                default_seen = true;
                out.default = flags;
            }
            Ok(key) if out.rules.iter().any(|(k, _)| k.value == key.value) => {
                errors.push(Error::new(
                    key.span,
                    format!("`{}` is given twice in `{what}`", key.value),
                ))
            }
            Ok(key) => out.rules.push((key, flags)),
        }
    }
    out
}

fn option_name(side: Side) -> &'static str {
    match side {
        Side::Import => "imports",
        Side::Export => "exports",
    }
}

/// `"key": a | b` or `default: a | b`; the key is `Err(span)` for
/// `default`.
type Rule = (Result<Spanned, Span>, Vec<Ident>);

fn parse_rule(input: ParseStream<'_>) -> syn::Result<Rule> {
    let key = if input.peek(LitStr) {
        Ok(input.parse::<LitStr>()?.into())
    } else {
        let ident = input.call(Ident::parse_any).map_err(|e| {
            Error::new(
                e.span(),
                "expected `default` or a function's name as a string",
            )
        })?;
        if ident != "default" {
            return Err(Error::new(
                ident.span(),
                "expected `default` or a function's name as a string",
            ));
        }
        Err(ident.span())
    };
    input.parse::<Token![:]>()?;
    let mut flags = vec![input.call(Ident::parse_any)?];
    while input.parse::<Option<Token![|]>>()?.is_some() {
        flags.push(input.call(Ident::parse_any)?);
    }
    if !input.is_empty() {
        return Err(input.error("expected `,` or `|`"));
    }
    Ok((key, flags))
}

/// The flags named by `idents`, reporting those `side` does not take.
fn check_flags(idents: &[Ident], side: Side, errors: &mut Errors) -> Flags {
    let what = option_name(side);
    let takes = match side {
        Side::Import => "`async`, `trappable`, `store`, `tracing`, `verbose_tracing` and `exact`",
        Side::Export => "`async`, `tracing`, `verbose_tracing` and `exact`",
    };
    let mut flags = Flags::default();
    for ident in idents {
        let name = ident.unraw().to_string();
        match (name.as_str(), side) {
            ("trappable", Side::Import) => flags.trappable = true,
            ("store", Side::Import) => flags.store = true,
            ("tracing", _) => flags.tracing = true,
            ("verbose_tracing", _) => {
                flags.tracing = true;
                flags.verbose = true;
            }
            ("exact", _) => flags.exact = true,
            ("async", _) => flags.async_ = true,
            ("trappable", Side::Export) => errors.push(Error::new(
                ident.span(),
                "`trappable` does not apply to exports: their `call_…` methods return `wit_host::Result` already",
            )),
            ("store", Side::Export) => errors.push(Error::new(
                ident.span(),
                "`store` does not apply to exports: their `call_…` methods take the store already",
            )),
            (f, _) if FLAGS_NOT_YET.contains(&f) => errors.push(Error::new(
                ident.span(),
                format!("the `{f}` flag is not supported yet: `{what}` takes {takes}"),
            )),
            (f, _) => errors.push(Error::new(
                ident.span(),
                format!("unknown flag `{f}`: `{what}` takes {takes}"),
            )),
        }
    }
    flags
}

impl Gen<'_> {
    /// The flags of function (or `[drop]resource`) `name` of interface
    /// `iface` (`None`: the world's own), imported or exported.
    pub fn func_flags(&self, side: Side, iface: Option<&Iface>, name: &str) -> Flags {
        let (config, used) = match side {
            Side::Import => (&self.import_flags, &self.used_import_keys),
            Side::Export => (&self.export_flags, &self.used_export_keys),
        };
        if config.rules.is_empty() {
            return config.default;
        }
        for (key, exact) in self.flag_keys(iface, name) {
            let rule = config
                .rules
                .iter()
                .find(|(k, flags)| k.value == key && (exact || !flags.exact));
            if let Some((k, flags)) = rule {
                used.borrow_mut().insert(k.value.clone());
                return *flags;
            }
        }
        config.default
    }

    /// The keys that may name function `name` of `iface`, the most
    /// specific first, each with whether it names the function itself.
    fn flag_keys(&self, iface: Option<&Iface>, name: &str) -> Vec<(String, bool)> {
        let Some(iface) = iface else {
            return vec![(name.to_string(), true)];
        };
        let prefixes = self.keys_of(iface.id, &iface.name);
        let mut keys = Vec::new();
        for prefix in &prefixes {
            for sep in ['.', '/', '#'] {
                keys.push((format!("{prefix}{sep}{name}"), true));
            }
        }
        keys.extend(prefixes.iter().map(|p| (p.clone(), false)));
        let def = &self.resolve.interfaces[iface.id];
        if let (Some(pkg), Some(_)) = (def.package, &def.name) {
            let pkg = &self.resolve.packages[pkg].name;
            let unversioned = format!("{}:{}", pkg.namespace, pkg.name);
            if let Some(v) = &pkg.version {
                keys.push((format!("{unversioned}@{v}"), false));
            }
            keys.push((unversioned, false));
            keys.push((pkg.namespace.clone(), false));
        }
        keys
    }

    /// The import flags of host function `func` (its interface found by
    /// identity).
    pub fn method_flags(&self, func: &Function) -> Flags {
        self.func_flags(Side::Import, self.import_owner(func), &func.name)
    }

    /// The imported interface `func` belongs to (`None`: the world).
    pub fn import_owner(&self, func: &Function) -> Option<&Iface> {
        self.imports.iter().find(|i| {
            self.resolve.interfaces[i.id]
                .functions
                .get(&func.name)
                .is_some_and(|f| std::ptr::eq(f, func))
        })
    }

    /// Reports `imports` and `exports` rules that named no function.
    pub fn check_flag_keys(&self) {
        for side in [Side::Import, Side::Export] {
            let (config, used) = match side {
                Side::Import => (&self.import_flags, &self.used_import_keys),
                Side::Export => (&self.export_flags, &self.used_export_keys),
            };
            let used: HashSet<String> = used.borrow().clone();
            let (what, side_name, other) = match side {
                Side::Import => ("imports", "imported", "exports"),
                Side::Export => ("exports", "exported", "imports"),
            };
            let other_side = match side {
                Side::Import => Side::Export,
                Side::Export => Side::Import,
            };
            for (key, flags) in &config.rules {
                if used.contains(&key.value) {
                    continue;
                }
                let hint = if self.names_a_function(other_side, &key.value, flags.exact) {
                    format!(
                        "it is {}: flag it in `{other}`",
                        match other_side {
                            Side::Import => "imported",
                            Side::Export => "exported",
                        }
                    )
                } else if flags.exact {
                    "with `exact`, a key names one function: `ns:pkg/iface.func` or a world-level function's name".to_string()
                } else {
                    "write `ns:pkg/iface.func`, `ns:pkg/iface.[method]resource.func`, `ns:pkg/iface` or a world-level function's name".to_string()
                };
                self.error_at(
                    key.span,
                    format!(
                        "`{what}` key `{}` names no {side_name} function ({hint})",
                        key.value
                    ),
                );
            }
        }
    }

    /// Whether `key` names a function (or, unless `exact`, an interface, a
    /// package, a namespace) of `side`.
    fn names_a_function(&self, side: Side, key: &str, exact: bool) -> bool {
        let world = &self.resolve.worlds[self.world];
        let (ifaces, items) = match side {
            Side::Import => (&self.imports, &world.imports),
            Side::Export => (&self.exports, &world.exports),
        };
        let world_level = items
            .values()
            .any(|item| matches!(item, wit_parser::WorldItem::Function(f) if f.name == key));
        world_level
            || ifaces.iter().any(|iface| {
                self.resolve.interfaces[iface.id]
                    .functions
                    .keys()
                    .any(|name| {
                        self.flag_keys(Some(iface), name)
                            .iter()
                            .any(|(k, names_it)| k == key && (*names_it || !exact))
                    })
            })
    }
}

#[cfg(test)]
mod tests {
    use proc_macro2::TokenStream;
    use quote::quote;
    use wit_parser::Resolve;

    use super::super::{Gen, Opts};
    use super::*;

    /// The import flags of `iface.func` (`iface` empty: the world's) and
    /// the errors, for `opts` over a small world.
    fn flags_of(opts: TokenStream, funcs: &[(&str, &str)]) -> (Vec<Flags>, Vec<String>) {
        let wit = "
            package a:b@1.0.0;
            interface i { f: func(); g: func(); }
            interface j { h: func(); }
            world w { import i; import j; import k: func(); export e: func(); }
        ";
        let mut resolve = Resolve::new();
        let pkg = resolve.push_str("w.wit", wit).unwrap();
        let world = resolve.select_world(&[pkg], Some("w")).unwrap();
        let opts = Opts::parse(opts).unwrap();
        let generator = Gen::new(&resolve, world, &opts);
        let flags = funcs
            .iter()
            .map(|(iface, func)| {
                let owner = generator.imports.iter().find(|i| i.name == *iface);
                generator.func_flags(Side::Import, owner, func)
            })
            .collect();
        generator.check_flag_keys();
        let errors = generator
            .errors
            .borrow()
            .iter()
            .map(|(_, e)| e.clone())
            .collect();
        (flags, errors)
    }

    #[test]
    fn the_most_specific_rule_applies() {
        let (flags, errors) = flags_of(
            quote!({ imports: {
                "a:b/i@1.0.0.f": trappable,
                "a:b/i": store,
                "a:b": tracing,
                "k": exact | trappable,
                default: verbose_tracing,
            } }),
            &[
                ("a:b/i@1.0.0", "f"),
                ("a:b/i@1.0.0", "g"),
                ("a:b/j@1.0.0", "h"),
                ("", "k"),
            ],
        );
        assert!(errors.is_empty(), "{errors:?}");
        let [f, g, h, k] = flags[..] else { panic!() };
        assert!(f.trappable && !f.store && !f.tracing, "{f:?}");
        assert!(g.store && !g.trappable && !g.tracing, "{g:?}");
        assert!(h.tracing && !h.verbose, "{h:?}");
        assert!(k.trappable && !k.tracing, "{k:?}");
    }

    #[test]
    fn default_and_separators() {
        let (flags, errors) = flags_of(
            quote!({ imports: { "a:b/i/f": store, "a:b/i#g": trappable, default: tracing } }),
            &[("a:b/i@1.0.0", "f"), ("a:b/i@1.0.0", "g"), ("", "k")],
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert!(flags[0].store && !flags[0].tracing);
        assert!(flags[1].trappable);
        assert!(flags[2].tracing && !flags[2].trappable);
    }

    #[test]
    fn rules_naming_nothing_are_errors() {
        let (_, errors) = flags_of(
            quote!({
                imports: { "a:b/i.nope": trappable, "a:b": exact | tracing, "e": store },
                exports: { "k": tracing },
            }),
            &[("a:b/i@1.0.0", "f"), ("", "k")],
        );
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("`a:b/i.nope` names no imported function"));
        assert!(errors[1].contains("with `exact`"));
        assert!(errors[2].contains("it is exported: flag it in `exports`"));
        assert!(errors[3].contains("it is imported: flag it in `imports`"));
    }
}
