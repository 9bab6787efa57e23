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
//!     // A world-level type: its name.
//!     "session": crate::Session,
//! }
//! ```
//!
//! Keys may give the interface's version (`ns:pkg/iface@1.0.0`) or not.
//! Paths are relative to the module the macro is called in, or absolute
//! (`crate::…`, `::…`). A key that names nothing in the world's imports is
//! an error at the key.

use proc_macro2::TokenStream;
use quote::quote;
use wit_parser::{InterfaceId, TypeId, WorldItem};

use super::opts::With;
use super::{Cx, Gen, relative};

impl Gen<'_> {
    /// Resolves the `with` keys against the world's imports.
    pub(super) fn resolve_with(&mut self, with: &[With]) {
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
            let exported = self.exports.iter().any(|e| {
                self.keys_of(e.id, &e.name)
                    .iter()
                    .any(|k| key.starts_with(k))
            });
            let why = if exported {
                "`with` applies to imported interfaces and their types, and this is exported"
            } else {
                "no imported interface or type of the world has this name (write `ns:pkg/iface`, `ns:pkg/iface/type` or a world-level type's name)"
            };
            self.error_at(entry.key.span, format!("`with` key `{key}`: {why}"));
        }
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
    pub(super) fn type_named(&self, key: &str) -> Option<TypeId> {
        match key.rsplit_once('/') {
            Some((iface, ty)) => {
                let id = self.import_named(iface)?;
                self.resolve.interfaces[id].types.get(ty).copied()
            }
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

/// A path the user wrote relative to the macro's module, seen from `cx`.
pub(super) fn user_path(cx: &Cx, path: &syn::Path) -> TokenStream {
    let first = path.segments.first().map(|s| s.ident.to_string());
    if path.leading_colon.is_some() || matches!(first.as_deref(), Some("crate" | "$crate")) {
        return quote!(#path);
    }
    if first.as_deref() == Some("self") {
        let rest = path.segments.iter().skip(1);
        return relative(&cx.module, &[], quote!(#(#rest)::*));
    }
    relative(&cx.module, &[], quote!(#path))
}
