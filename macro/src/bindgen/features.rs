//! Feature gates: `@unstable(feature = f)` items, the `features` option and
//! the generated `LinkOptions`.
//!
//! The semantics are wasmtime's, so that hosts port mechanically:
//!
//! - Without the `features` option every `@unstable` item is generated
//!   (as wasmtime's `bindgen!` does). With `features: ["a", "b"]` only the
//!   unstable items of those features are; the others are left out of the
//!   WIT as wit-parser resolves it (as if they were not written), and a
//!   stable item that uses one is a WIT error (so are the functions of a
//!   gated resource that are not gated themselves, and a gated
//!   world-level resource, which wit-parser 0.262 cannot leave out). A
//!   name no item has is not an error: wit-parser does not tell.
//! - `@since(version = v)` items are stable: always generated, always
//!   linked (wit-parser rejects a `v` newer than the package's version).
//!   `@deprecated` changes nothing.
//! - Linking is gated at run time: when the imports of the world (of an
//!   interface) have unstable items, a `LinkOptions` struct is generated
//!   next to its `add_to_linker` with one switch per feature, all off by
//!   default (`options.my_feature(true)` turns one on), and
//!   `add_to_linker` takes `options: &LinkOptions` after the linker. An
//!   item whose feature is off is not defined in the linker: its
//!   interface (or world) gate off defines nothing of it, its resource's
//!   gate off skips the resource type, its function's gate off skips the
//!   function. A component importing it then fails to instantiate with
//!   that linker, naming the missing import.
//! - The world's `LinkOptions` (at the top) has every feature of the
//!   world's imports and converts into each imported interface's (`From`),
//!   which has the features of that interface only. Worlds and interfaces
//!   without unstable imports have no `LinkOptions`, and their
//!   `add_to_linker` no `options` parameter.
//! - Exports are not gated: a gated export is looked up (and type-checked)
//!   like any other.

use std::collections::BTreeMap;

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use syn::parse::{ParseStream, Parser};
use syn::{Error, LitStr, Token};
use wit_parser::{InterfaceId, Stability, WorldItem};

use super::imports::HostMethod;
use super::names;
use super::opts::Spanned;
use super::{Cx, Gen, Iface};

/// The name of the generated struct of switches.
pub const LINK_OPTIONS: &str = "LinkOptions";

/// Features by Rust name (the struct's field and switch), each with its
/// WIT name; sorted, so that the generated code is stable.
pub type Features = BTreeMap<String, String>;

/// `features: ["a", "b"]`: the value of the option.
pub fn parse_features(value: TokenStream) -> syn::Result<Vec<Spanned>> {
    let parser = |input: ParseStream<'_>| -> syn::Result<Vec<Spanned>> {
        let content;
        syn::bracketed!(content in input);
        let lits = content.parse_terminated(|i: ParseStream<'_>| i.parse::<LitStr>(), Token![,])?;
        Ok(lits.into_iter().map(Spanned::from).collect())
    };
    parser.parse2(value.clone()).map_err(|_| {
        Error::new_spanned(
            value,
            "`features` takes an array of feature names, like `features: [\"my-feature\"]`",
        )
    })
}

/// The feature of an `@unstable` item.
fn feature(stability: &Stability) -> Option<&str> {
    match stability {
        Stability::Unstable { feature, .. } => Some(feature),
        Stability::Stable { .. } | Stability::Unknown => None,
    }
}

impl Gen<'_> {
    fn add_feature(&self, out: &mut Features, stability: &Stability) {
        let Some(wit) = feature(stability) else {
            return;
        };
        let rust = names::snake(wit);
        match out.get(&rust) {
            Some(other) if other != wit => self.error(format!(
                "features `{other}` and `{wit}` have the same Rust name `{rust}` in `LinkOptions`"
            )),
            _ => {
                out.insert(rust, wit.to_string());
            }
        }
    }

    fn add_iface_features(&self, out: &mut Features, id: InterfaceId) {
        let iface = &self.resolve.interfaces[id];
        self.add_feature(out, &iface.stability);
        for ty in iface.types.values() {
            self.add_feature(out, &self.resolve.types[*ty].stability);
        }
        for func in iface.functions.values() {
            self.add_feature(out, &func.stability);
        }
    }

    /// The features of imported interface `id`'s unstable items: its own
    /// gate, its types' and its functions'. (For an interface given by
    /// `with`, those of the module another `bindgen!` generated from the
    /// same WIT.)
    pub fn iface_features(&self, id: InterfaceId) -> Features {
        let mut out = Features::new();
        self.add_iface_features(&mut out, id);
        out
    }

    /// The features of the world's imports: the world's own gate, each
    /// import's gate, the imported interfaces' features, the world-level
    /// functions' and types'. Empty with `interfaces` (no world struct).
    pub fn world_features(&self) -> Features {
        let mut out = Features::new();
        if self.interfaces_only {
            return out;
        }
        let world = &self.resolve.worlds[self.world];
        self.add_feature(&mut out, &world.stability);
        for item in world.imports.values() {
            match item {
                WorldItem::Interface { id, stability, .. } => {
                    self.add_feature(&mut out, stability);
                    self.add_iface_features(&mut out, *id);
                }
                WorldItem::Function(f) => self.add_feature(&mut out, &f.stability),
                WorldItem::Type { id, .. } => {
                    self.add_feature(&mut out, &self.resolve.types[*id].stability)
                }
            }
        }
        out
    }

    /// The gate of the world's import of interface `id`.
    pub fn import_stability(&self, id: InterfaceId) -> Stability {
        self.resolve.worlds[self.world]
            .imports
            .values()
            .find_map(|item| match item {
                WorldItem::Interface {
                    id: i, stability, ..
                } if *i == id => Some(stability.clone()),
                _ => None,
            })
            .unwrap_or(Stability::Unknown)
    }

    /// The name of the world's `LinkOptions`: `LinkOptions`, unless the
    /// world's own items are called that (a world `link-options`).
    pub fn world_link_options_name(&self) -> Ident {
        let (world, pre, imports) = self.world_names();
        if [&world, &pre, &imports].iter().any(|n| *n == LINK_OPTIONS) {
            names::ident(&format!("{world}{LINK_OPTIONS}"))
        } else {
            names::ident(LINK_OPTIONS)
        }
    }

    /// `body` under `if options.feature { … }` for an unstable item.
    pub fn gate(&self, stability: &Stability, body: TokenStream) -> TokenStream {
        match feature(stability) {
            Some(wit) => {
                let field = names::ident(&names::snake(wit));
                quote! {
                    if options.#field {
                        #body
                    }
                }
            }
            None => body,
        }
    }

    /// [`Gen::register`] of host method `m` under its function's gate.
    pub fn gated_register(&self, cx: &Cx, trait_: &TokenStream, m: &HostMethod<'_>) -> TokenStream {
        self.gate(&m.func.stability, self.register(cx, trait_, m))
    }

    /// The world's `LinkOptions` and its conversions into the imported
    /// interfaces' (nothing if the world's imports have no unstable
    /// items).
    pub fn world_link_options(&self) -> TokenStream {
        let features = self.world_features();
        if features.is_empty() {
            return TokenStream::new();
        }
        let name = self.world_link_options_name();
        let doc = format!(
            " Which unstable features of world `{}`'s imports `add_to_linker` defines: one switch per `@unstable(feature = …)`, all off by default.",
            self.resolve.worlds[self.world].name
        );
        let mut out = link_options_struct(&name, &doc, &features);
        for iface in &self.imports {
            out.extend(self.link_options_from(&name, iface));
        }
        out
    }

    /// `From<&World LinkOptions>` for imported interface `iface`'s.
    fn link_options_from(&self, world: &Ident, iface: &Iface) -> TokenStream {
        let features = self.iface_features(iface.id);
        if features.is_empty() {
            return TokenStream::new();
        }
        let target = super::relative(&[], &iface.module, quote!(LinkOptions));
        let fields = features.keys().map(|f| names::ident(f));
        quote! {
            impl ::core::convert::From<&#world> for #target {
                fn from(src: &#world) -> Self {
                    let mut dest = <Self as ::core::default::Default>::default();
                    #(dest.#fields(src.#fields);)*
                    dest
                }
            }

            impl ::core::convert::From<#world> for #target {
                fn from(src: #world) -> Self {
                    ::core::convert::From::from(&src)
                }
            }
        }
    }

    /// An imported interface's `LinkOptions` (nothing if it has no
    /// unstable items).
    pub fn iface_link_options(&self, iface: &Iface) -> TokenStream {
        let features = self.iface_features(iface.id);
        if features.is_empty() {
            return TokenStream::new();
        }
        let doc = format!(
            " Which unstable features of `{}` `add_to_linker` defines: one switch per `@unstable(feature = …)`, all off by default.",
            iface.name
        );
        link_options_struct(&names::ident(LINK_OPTIONS), &doc, &features)
    }
}

/// `pub struct Name { feature: bool, … }` with a switch per feature.
fn link_options_struct(name: &Ident, doc: &str, features: &Features) -> TokenStream {
    let fields: Vec<Ident> = features.keys().map(|f| names::ident(f)).collect();
    let switches = features.iter().zip(&fields).map(|((_, wit), field)| {
        let doc = format!(" Defines the items marked `@unstable(feature = {wit})`.");
        quote! {
            #[doc = #doc]
            pub fn #field(&mut self, enabled: bool) -> &mut Self {
                self.#field = enabled;
                self
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::default::Default)]
        pub struct #name {
            #(#fields: bool,)*
        }

        impl #name {
            #(#switches)*
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Opts, generate};
    use quote::quote;
    use wit_parser::Resolve;

    fn expand(wit: &str) -> Result<String, String> {
        let mut resolve = Resolve::new();
        resolve.all_features = true;
        let pkg = resolve
            .push_str("test.wit", wit)
            .map_err(|e| e.to_string())?;
        let world = resolve
            .select_world(&[pkg], None)
            .map_err(|e| e.to_string())?;
        generate(&resolve, world, &Opts::default())
            .map(|code| code.to_string())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn option_form() {
        let o = Opts::parse(quote!({ features: ["a", "b-c"] })).unwrap();
        let names: Vec<_> = o.features.unwrap().into_iter().map(|f| f.value).collect();
        assert_eq!(names, ["a", "b-c"]);
        assert!(Opts::parse(quote!({})).unwrap().features.is_none());
        let Err(e) = Opts::parse(quote!({ features: "a" })) else {
            panic!("a string is not an array");
        };
        assert!(e.to_string().contains("`features` takes an array"), "{e}");
    }

    #[test]
    fn gates_and_switches() {
        let code = expand(
            "package a:b@1.0.0;
            interface i {
                @unstable(feature = fast-path) f: func();
                @since(version = 1.0.0) g: func();
            }
            world w { import i; }",
        )
        .unwrap();
        assert!(code.contains("pub struct LinkOptions"), "{code}");
        assert!(code.contains("pub fn fast_path"), "{code}");
        assert!(code.contains("if options . fast_path"), "{code}");
        assert!(code.contains("options : & LinkOptions"), "{code}");
        // `f` is registered inside its gate; `g`, stable, after it.
        assert!(
            code.contains("if options . fast_path { inst . func_wrap (\"f\""),
            "{code}"
        );
        assert!(code.contains("; } inst . func_wrap (\"g\""), "{code}");
    }

    #[test]
    fn no_unstable_imports_no_options() {
        let code = expand(
            "package a:b@1.0.0;
            interface i { @since(version = 1.0.0) g: func(); }
            world w {
                import i;
                @unstable(feature = x) export e: func();
            }",
        )
        .unwrap();
        assert!(!code.contains("LinkOptions"), "{code}");
        assert!(!code.contains("options"), "{code}");
    }

    #[test]
    fn features_with_one_rust_name_are_an_error() {
        let e = expand(
            "package a:b@1.0.0;
            world w {
                @unstable(feature = a-b) import f: func();
                @unstable(feature = a-B) import g: func();
            }",
        )
        .unwrap_err();
        assert!(e.contains("the same Rust name `a_b`"), "{e}");
    }
}
