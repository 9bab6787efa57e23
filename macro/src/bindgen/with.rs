//! `with`: existing Rust items instead of generated ones.
//!
//! ```ignore
//! with: {
//!     // An imported interface: the module of another `bindgen!` of it.
//!     // Its types are shared, and `add_to_linker` and `Host` are that
//!     // module's.
//!     "wasi:io/poll": crate::wasi::io::poll,
//!     // An imported resource: the host's own type, so that its handles
//!     // are `Resource<MyFile>` (what `ResourceTable::push(MyFile)` gives).
//!     "example:fs/files/file": crate::MyFile,
//!     // Any other imported named type: a Rust type that implements what
//!     // the generated one would (`ComponentType`, `Lift`, `Lower`, ...).
//!     "example:fs/files/stat": crate::Stat,
//!     // The same with wasmtime's `.` before the type's name.
//!     "example:fs/files.stat": crate::Stat,
//!     // A world-level type: its name.
//!     "session": crate::Session,
//!     // Every imported interface of a package (`…::poll`, `…::streams`),
//!     // or of every package of a namespace (`…::io::poll`, …): modules of
//!     // another `bindgen!`, named as it names them.
//!     "wasi:io": crate::wasi::io,
//!     "wasi": crate::wasi,
//! }
//! ```
//!
//! Keys may give the interface's version (`ns:pkg/iface@1.0.0`) or not.
//! The most specific key wins: an interface's own key over its package's,
//! its package's over its namespace's. Paths are relative to the module
//! the macro is called in, or absolute (`crate::…`, `::…`). A key that
//! names nothing in the world's imports is an error at the key.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{InterfaceId, TypeId, WorldItem};

use super::opts::With;
use super::{Cx, Gen, relative};

impl Gen<'_> {
    /// Resolves the `with` keys against the world's imports.
    pub(super) fn resolve_with(&mut self, with: &[With]) {
        // Package and namespace keys, applied after the exact keys so that
        // those win: (entry, how many leading module segments it covers).
        let mut wide: Vec<(&With, usize)> = Vec::new();
        for entry in with {
            let key = entry.key.value.as_str();
            if let Some(id) = self.import_named(key) {
                self.with_ifaces.insert(id, entry.path.clone());
                continue;
            }
            if let Some(id) = self.type_named(key) {
                self.with_types.insert(id, entry.path.clone());
                continue;
            }
            if let Some(depth) = self.package_key_depth(key) {
                wide.push((entry, depth));
                continue;
            }
            let exported = self.exports.iter().any(|e| {
                self.keys_of(e.id, &e.name)
                    .iter()
                    .any(|k| key.starts_with(k))
            });
            let why = if exported {
                "`with` applies to imported interfaces and their types, and this is exported"
            } else {
                "no imported interface, type, package or namespace of the world has this name (write `ns:pkg/iface`, `ns:pkg/iface/type`, `ns:pkg/iface.type`, `ns:pkg`, `ns` or a world-level type's name)"
            };
            self.error_at(entry.key.span, format!("`with` key `{key}`: {why}"));
        }
        // Packages (depth 2) before namespaces (depth 1).
        wide.sort_by_key(|(_, depth)| std::cmp::Reverse(*depth));
        for (entry, depth) in wide {
            let key = entry.key.value.as_str();
            let matches: Vec<(InterfaceId, Vec<Ident>)> = self
                .imports
                .iter()
                .filter(|i| {
                    self.package_of(i.id)
                        .is_some_and(|p| package_matches(&p, key))
                })
                .map(|i| (i.id, i.module.get(depth..).unwrap_or_default().to_vec()))
                .collect();
            for (id, rest) in matches {
                if self.with_ifaces.contains_key(&id) || rest.is_empty() {
                    continue;
                }
                let mut path = entry.path.clone();
                path.segments
                    .extend(rest.into_iter().map(syn::PathSegment::from));
                self.with_ifaces.insert(id, path);
            }
        }
    }

    /// `ns:pkg[@version]` (2) or `ns` (1) if some imported interface is in
    /// that package or namespace: how many leading segments of such an
    /// interface's module (`[ns, pkg, iface]`) the key stands for.
    fn package_key_depth(&self, key: &str) -> Option<usize> {
        if key.contains('/') {
            return None;
        }
        let found = self.imports.iter().any(|i| {
            self.package_of(i.id)
                .is_some_and(|p| package_matches(&p, key))
        });
        found.then(|| if key.contains(':') { 2 } else { 1 })
    }

    /// The package of interface `id`, if it has one.
    fn package_of(&self, id: InterfaceId) -> Option<wit_parser::PackageName> {
        let pkg = self.resolve.interfaces[id].package?;
        Some(self.resolve.packages[pkg].name.clone())
    }

    /// The names a `with` key may give interface `id`, imported as `name`.
    pub(super) fn keys_of(&self, id: InterfaceId, name: &str) -> Vec<String> {
        let mut keys = vec![name.to_string()];
        let iface = &self.resolve.interfaces[id];
        if let (Some(pkg), Some(iface_name)) = (iface.package, &iface.name) {
            let pkg = &self.resolve.packages[pkg].name;
            keys.push(format!("{}:{}/{iface_name}", pkg.namespace, pkg.name));
        }
        keys
    }

    /// The imported interface `key` names.
    fn import_named(&self, key: &str) -> Option<InterfaceId> {
        self.imports
            .iter()
            .find(|i| self.keys_of(i.id, &i.name).iter().any(|k| k == key))
            .map(|i| i.id)
    }

    /// The imported (or world-level) named type `key` names.
    ///
    /// `ns:pkg/iface/type` and wasmtime's `ns:pkg/iface.type` both work
    /// (with or without the interface's version).
    pub(super) fn type_named(&self, key: &str) -> Option<TypeId> {
        let in_iface = |(iface, ty): (&str, &str)| {
            let id = self.import_named(iface)?;
            self.resolve.interfaces[id].types.get(ty).copied()
        };
        match key.rsplit_once('/') {
            Some(split) => in_iface(split).or_else(|| key.rsplit_once('.').and_then(in_iface)),
            None => self.resolve.worlds[self.world]
                .imports
                .values()
                .find_map(|item| match item {
                    WorldItem::Type { id, .. }
                        if self.resolve.types[*id].name.as_deref() == Some(key) =>
                    {
                        Some(*id)
                    }
                    _ => None,
                }),
        }
    }

    /// The `with` path of imported interface `id`, seen from `cx`.
    pub fn with_iface(&self, cx: &Cx, id: InterfaceId) -> Option<TokenStream> {
        self.with_ifaces.get(&id).map(|p| user_path(cx, p))
    }

    /// The `with` path of type `id`, seen from `cx`, if it is given and
    /// `cx` is on the import side.
    pub fn with_type(&self, cx: &Cx, id: TypeId) -> Option<TokenStream> {
        // An interface both imported and exported: the exported one's
        // types are generated (they are the export's, not the import's).
        if cx.export.is_some() {
            return None;
        }
        self.with_types.get(&id).map(|p| user_path(cx, p))
    }
}

/// Whether package `pkg` is the one `key` names (`ns:pkg`, with or
/// without its version) or is in namespace `key`.
fn package_matches(pkg: &wit_parser::PackageName, key: &str) -> bool {
    match key.split_once(':') {
        None => pkg.namespace == key,
        Some((ns, rest)) => {
            let (name, version) = match rest.split_once('@') {
                Some((name, v)) => (name, Some(v)),
                None => (rest, None),
            };
            pkg.namespace == ns
                && pkg.name == name
                && version
                    .is_none_or(|v| pkg.version.as_ref().is_some_and(|pv| pv.to_string() == v))
        }
    }
}

/// A path the user wrote relative to the macro's module, seen from `cx`.
///
/// A path that starts with an ordinary name (`my_mod::Ty`, or an extern
/// crate's `wit_host_wasi::p2::bindings`) is reached through the alias
/// [`Gen::path_aliases`] declares in the macro's module, where the name
/// resolves as the user wrote it: to a module of theirs or to a crate.
pub(super) fn user_path(cx: &Cx, path: &syn::Path) -> TokenStream {
    let first = path.segments.first().map(|s| s.ident.to_string());
    if path.leading_colon.is_some() || matches!(first.as_deref(), Some("crate" | "$crate")) {
        return quote!(#path);
    }
    if first.as_deref() == Some("self") {
        let rest = path.segments.iter().skip(1);
        return relative(&cx.module, &[], quote!(#(#rest)::*));
    }
    if let Some(root) = aliased_root(path) {
        let alias = alias_name(root);
        let rest = path.segments.iter().skip(1);
        return relative(&cx.module, &[], quote!(#alias #(:: #rest)*));
    }
    relative(&cx.module, &[], quote!(#path))
}

/// The first segment of `path` if it is an ordinary name (not `::`,
/// `crate`, `self` or `super`): what [`user_path`] reaches by an alias.
fn aliased_root(path: &syn::Path) -> Option<&Ident> {
    if path.leading_colon.is_some() {
        return None;
    }
    let first = &path.segments.first()?.ident;
    let name = first.to_string();
    (!matches!(name.as_str(), "crate" | "$crate" | "self" | "super")).then_some(first)
}

/// The alias of a path's first segment in the macro's module.
fn alias_name(root: &Ident) -> Ident {
    let name = root.to_string();
    quote::format_ident!("__wit_host_path_{}", name.trim_start_matches("r#"))
}

impl Gen<'_> {
    /// `use name as __wit_host_path_name;` in the macro's module for the
    /// first segment of every user path that [`user_path`] aliases.
    pub(super) fn path_aliases(&self) -> TokenStream {
        let paths = self
            .with_ifaces
            .values()
            .chain(self.with_types.values())
            .chain(self.trappable_errors.values());
        let mut roots: Vec<&Ident> = paths.filter_map(aliased_root).collect();
        roots.sort_by_key(|r| r.to_string());
        roots.dedup_by_key(|r| r.to_string());
        let uses = roots.iter().map(|root| {
            let alias = alias_name(root);
            quote!(#[allow(unused_imports)] use #root as #alias;)
        });
        quote!(#(#uses)*)
    }
}
