//! `bindgen!`: Rust bindings for a WIT world, over the wit-host runtime.
//!
//! ```text
//! tokens ──opts──▶ Opts ──load──▶ Resolve + WorldId ──generate──▶ TokenStream
//! ```
//!
//! [`generate`] is a plain function of the parsed WIT; it is split by
//! concept: [`names`] (Rust names for WIT names, collisions), [`types`]
//! (type definitions and type expressions), [`imports`] (host traits and
//! `add_to_linker`), [`exports`] (typed wrappers for exported interfaces),
//! [`resources`] (host and guest resources), [`with`] (existing items
//! instead of generated ones), [`trappable`] (host functions that trap),
//! [`func_flags`] (`imports`/`exports` flags per function), [`tracing`]
//! (spans and events of functions flagged `tracing`), [`ownership`]
//! (borrowing forms of types under `ownership: Borrowing`),
//! [`world`] (the world struct, `…Pre`, world-level imports and exports,
//! the module tree).
//!
//! Generated code names everything by absolute `::wit_host::…` paths, and
//! its own items by paths relative to the module being written (`self::…`
//! at the top, `super::…` below), so it works in any module (not in a
//! function body, whose items `super::` cannot reach).

mod exports;
mod features;
mod func_flags;
mod imports;
mod load;
mod names;
mod opts;
mod ownership;
mod resources;
#[cfg(test)]
mod snapshots;
mod tracing;
mod trappable;
mod types;
mod with;
mod world;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use wit_parser::{
    Docs, InterfaceId, Resolve, Type, TypeDefKind, TypeId, TypeOwner, WorldId, WorldItem, WorldKey,
};

use self::names::Scope;
pub use self::opts::Opts;

/// The macro: options, WIT, generated code (or the errors).
pub fn expand(input: TokenStream) -> TokenStream {
    let opts = match Opts::parse(input) {
        Ok(opts) => opts,
        Err(e) => return e.to_compile_error(),
    };
    let loaded = match load::load(&opts) {
        Ok(loaded) => loaded,
        Err(e) => return e.to_compile_error(),
    };
    let mut out = load::tracking(&loaded.files);
    match generate(&loaded.resolve, loaded.world, &opts) {
        Ok(code) => out.extend(dump(&loaded.resolve.worlds[loaded.world].name, code)),
        Err(e) => out.extend(e.to_compile_error()),
    }
    out
}

/// With `WIT_HOST_DEBUG_BINDGEN=1` in the environment of the build, the
/// generated code is written to a file (formatted with `rustfmt` if it is
/// on the `PATH`) and included from there, so that it can be read and
/// compiler errors in it point at readable lines. The file is
/// `$TMPDIR/wit-host-bindgen/<crate>-<world>-<hash>.rs`, the hash being
/// the code's, so that two worlds of one name in one crate (in different
/// modules) get a file each. (Cargo does not know
/// that the macro reads the variable: touch a source file after changing
/// it.)
fn dump(world: &str, code: TokenStream) -> TokenStream {
    if std::env::var_os("WIT_HOST_DEBUG_BINDGEN").is_none_or(|v| v == "0") {
        return code;
    }
    let krate = std::env::var("CARGO_CRATE_NAME").unwrap_or_else(|_| "crate".into());
    let dir = std::env::temp_dir().join("wit-host-bindgen");
    let code = code.to_string();
    let hash = {
        use std::hash::{Hash, Hasher};
        let mut hasher = std::hash::DefaultHasher::new();
        code.hash(&mut hasher);
        hasher.finish() as u32
    };
    let file = dir.join(format!("{krate}-{world}-{hash:08x}.rs"));
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&file, code));
    if let Err(e) = written {
        let msg = format!(
            "WIT_HOST_DEBUG_BINDGEN: cannot write {}: {e}",
            file.display()
        );
        return syn::Error::new(Span::call_site(), msg).to_compile_error();
    }
    // Formatting is a nicety: without rustfmt the file is one long line.
    let _ = std::process::Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(&file)
        .status();
    let path = file.to_string_lossy().into_owned();
    quote!(::core::include!(#path);)
}

/// The bindings of `world`.
pub fn generate(resolve: &Resolve, world: WorldId, opts: &Opts) -> syn::Result<TokenStream> {
    let generator = Gen::new(resolve, world, opts);
    let code = generator.world();
    generator.check_flag_keys();
    let errors = generator.errors.into_inner();
    if errors.is_empty() {
        Ok(code)
    } else {
        let mut all = errors.into_iter().map(|(span, e)| syn::Error::new(span, e));
        let mut first = all.next().expect("not empty");
        first.extend(all);
        Err(first)
    }
}

/// An interface the world imports or exports.
pub struct Iface {
    pub id: InterfaceId,
    /// Its Rust module, from the macro's module: `[ns, pkg, name]` (or
    /// `[name]` for a world-level `name: interface { … }`), under
    /// `exports` for exports.
    pub module: Vec<Ident>,
    /// The instance's name in the component: `ns:pkg/name@1.0.0`, or the
    /// plain name.
    pub name: String,
    /// Exports: the world struct's accessor for the interface.
    pub accessor: Ident,
    pub docs: Docs,
}

/// Where code is being written: the module (paths to other generated
/// items are relative to it) and, inside an exported interface's module,
/// that interface's position among the exports.
#[derive(Clone)]
pub struct Cx {
    pub module: Vec<Ident>,
    pub export: Option<usize>,
}

impl Cx {
    /// The macro's own module.
    pub fn root() -> Cx {
        Cx {
            module: Vec::new(),
            export: None,
        }
    }
}

/// Which side of the boundary a generated module is on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Side {
    Import,
    Export,
}

/// Everything generation needs, computed once.
pub struct Gen<'a> {
    pub resolve: &'a Resolve,
    pub world: WorldId,
    pub imports: Vec<Iface>,
    pub exports: Vec<Iface>,
    /// The Rust name of each named type, in its owner's module.
    type_names: HashMap<TypeId, Ident>,
    /// Types used as a `result`'s error (dealiased): they get `Display`
    /// and `Error`.
    error_types: HashSet<TypeId>,
    /// `with`: imported interfaces and types that are existing Rust
    /// items (paths relative to the macro's module).
    with_ifaces: HashMap<InterfaceId, syn::Path>,
    with_types: HashMap<TypeId, syn::Path>,
    /// `imports: { ... }` and `exports: { ... }`, and the keys of theirs
    /// that named a function (see [`func_flags`]).
    import_flags: func_flags::FuncFlags,
    used_import_keys: RefCell<HashSet<String>>,
    export_flags: func_flags::FuncFlags,
    used_export_keys: RefCell<HashSet<String>>,
    /// `require_store_data_send`: `T: Send` on `add_to_linker`.
    store_data_send: bool,
    /// `trappable_error_type`: WIT error types (dealiased) and the host's
    /// error types for them.
    trappable_errors: HashMap<TypeId, syn::Path>,
    /// `additional_derives`: more derives for every generated type.
    additional_derives: Vec<syn::Path>,
    /// `interfaces`: only the interfaces' modules, no world struct.
    interfaces_only: bool,
    /// `ownership`, and the forms of the types it decides.
    ownership: ownership::Ownership,
    forms: ownership::Forms,
    /// What cannot be generated (unsupported WIT features, `with` keys
    /// that name nothing), reported as errors at the end.
    errors: RefCell<Vec<(Span, String)>>,
}

impl<'a> Gen<'a> {
    fn new(resolve: &'a Resolve, world: WorldId, opts: &Opts) -> Gen<'a> {
        let mut generator = Gen {
            resolve,
            world,
            imports: Vec::new(),
            exports: Vec::new(),
            type_names: HashMap::new(),
            error_types: HashSet::new(),
            with_ifaces: HashMap::new(),
            with_types: HashMap::new(),
            import_flags: opts.imports.clone(),
            used_import_keys: RefCell::new(HashSet::new()),
            export_flags: opts.exports.clone(),
            used_export_keys: RefCell::new(HashSet::new()),
            store_data_send: opts.require_store_data_send,
            trappable_errors: HashMap::new(),
            additional_derives: opts.additional_derives.clone(),
            interfaces_only: opts.interfaces.is_some(),
            ownership: opts.ownership,
            forms: ownership::Forms::default(),
            errors: RefCell::new(Vec::new()),
        };
        generator.collect_interfaces();
        generator.name_types();
        generator.find_error_types();
        generator.resolve_with(&opts.with);
        generator.resolve_trappable_errors(&opts.trappable_errors);
        generator.plan_ownership(opts.ownership);
        generator
    }

    /// Records something that cannot be generated.
    pub fn error(&self, msg: impl Into<String>) {
        self.error_at(Span::call_site(), msg);
    }

    /// Records a mistake at `span`.
    pub fn error_at(&self, span: Span, msg: impl Into<String>) {
        let entry = (span, msg.into());
        let mut errors = self.errors.borrow_mut();
        if !errors.iter().any(|(_, m)| *m == entry.1) {
            errors.push(entry);
        }
    }

    /// The imported and exported interfaces with their modules.
    fn collect_interfaces(&mut self) {
        let world = &self.resolve.worlds[self.world];
        for (exported, items) in [(false, &world.imports), (true, &world.exports)] {
            let ifaces: Vec<(&WorldKey, InterfaceId, &Docs)> = items
                .iter()
                .filter_map(|(key, item)| match item {
                    WorldItem::Interface { id, docs, .. } => Some((key, *id, docs)),
                    _ => None,
                })
                .collect();
            let paths: Vec<(Vec<String>, String)> = ifaces
                .iter()
                .map(|(key, id, _)| self.module_path(key, *id))
                .collect();
            let mut accessors = Scope::default();
            for ((key, id, docs), (mut path, accessor)) in ifaces.iter().zip(paths.clone()) {
                // Versions of one interface: each version's module and
                // accessor get the version.
                if paths.iter().filter(|(p, _)| *p == path).count() > 1 {
                    let version = self.version(*id);
                    let last = path.len() - 1;
                    path[last] = format!("{}_{version}", path[last]);
                }
                if !exported && path[0] == "exports" {
                    path[0] = "exports_".into();
                }
                let accessor = match paths.iter().filter(|(_, a)| *a == accessor).count() {
                    1 => accessor,
                    _ => format!("{accessor}_{}", self.version(*id)),
                };
                let accessor = accessors.claim_ident(&accessor);
                let mut module: Vec<Ident> = path.iter().map(|s| names::ident(s)).collect();
                if exported {
                    module.insert(0, names::ident("exports"));
                }
                let docs = if docs.contents.is_some() {
                    (*docs).clone()
                } else {
                    self.resolve.interfaces[*id].docs.clone()
                };
                let iface = Iface {
                    id: *id,
                    module,
                    name: self.resolve.name_world_key(key),
                    accessor,
                    docs,
                };
                if exported {
                    self.exports.push(iface);
                } else {
                    self.imports.push(iface);
                }
            }
        }
    }

    /// The version of interface `id`'s package as a name part: `1_2_0`.
    fn version(&self, id: InterfaceId) -> String {
        let version = self.resolve.interfaces[id]
            .package
            .and_then(|p| self.resolve.packages[p].name.version.clone())
            .map(|v| v.to_string())
            .unwrap_or_default();
        heck::ToSnakeCase::to_snake_case(version.as_str())
    }

    /// The module path of an interface, `[ns, pkg, name]` for a package's
    /// interface, `[name]` for a world-level named one; and the base name
    /// of its accessor (`ns_pkg_name`).
    fn module_path(&self, key: &WorldKey, id: InterfaceId) -> (Vec<String>, String) {
        let iface = &self.resolve.interfaces[id];
        let segments: Vec<&str> = match (key, iface.package, &iface.name) {
            (WorldKey::Interface(_), Some(pkg), Some(name)) => {
                let pkg = &self.resolve.packages[pkg].name;
                vec![&pkg.namespace, &pkg.name, name]
            }
            (WorldKey::Name(name), ..) => vec![name],
            _ => vec!["interface"],
        };
        let path = segments.iter().map(|s| names::snake(s)).collect();
        let accessor = segments
            .iter()
            .map(|s| heck::ToSnakeCase::to_snake_case(*s))
            .collect::<Vec<_>>()
            .join("_");
        (path, names::escape(accessor))
    }

    /// The types the world itself defines or `use`s (its imported
    /// `WorldItem::Type`s), in order.
    pub fn world_types(&self) -> Vec<TypeId> {
        self.resolve.worlds[self.world]
            .imports
            .values()
            .filter_map(|item| match item {
                WorldItem::Type { id, .. } => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Rust names for the named types of every interface in the world and
    /// of the world, giving way to the generated items of the same module.
    fn name_types(&mut self) {
        let world = &self.resolve.worlds[self.world];
        let mut seen = HashSet::new();
        let ifaces: Vec<InterfaceId> = self
            .imports
            .iter()
            .chain(&self.exports)
            .map(|i| i.id)
            .filter(|id| seen.insert(*id))
            .collect();
        for id in ifaces {
            let types = &self.resolve.interfaces[id].types;
            // `T` and `D` are the generic parameters of `add_to_linker`.
            let mut scope =
                Scope::with(["Host", "HostWithStore", "Guest", "GuestIndices", "T", "D"]);
            if self.imports.iter().any(|i| i.id == id) && !self.iface_features(id).is_empty() {
                scope.try_claim(features::LINK_OPTIONS);
            }
            self.claim_type_names(&mut scope, types.values().copied());
        }
        let world_types = self.world_types();
        let name = names::camel(&world.name);
        let mut scope = Scope::with([
            "T",
            "D",
            name.as_str(),
            &format!("{name}Pre"),
            &format!("{name}Imports"),
            &format!("{name}ImportsWithStore"),
            &format!("{name}Indices"),
        ]);
        // (Renamed if a world-level resource's trait takes them.)
        let (w, pre, imports) = self.world_names();
        for taken in [w, pre, imports] {
            scope.try_claim(&taken.to_string());
        }
        if !self.world_features().is_empty() {
            scope.try_claim(&self.world_link_options_name().to_string());
        }
        self.claim_type_names(&mut scope, world_types.into_iter());
    }

    fn claim_type_names(&mut self, scope: &mut Scope, types: impl Iterator<Item = TypeId> + Clone) {
        // The traits and structs generated for resources come first.
        for id in types.clone() {
            if let TypeDefKind::Resource = self.resolve.types[id].kind {
                let name = names::camel(self.type_def_name(id));
                scope.try_claim(&format!("Host{name}"));
                scope.try_claim(&format!("Host{name}WithStore"));
                scope.try_claim(&format!("Guest{name}"));
                scope.try_claim(&format!("Guest{name}Indices"));
            }
        }
        for id in types {
            let name = names::camel(self.type_def_name(id));
            let ident = scope.claim_ident(&name);
            self.type_names.insert(id, ident);
        }
    }

    pub(super) fn type_def_name(&self, id: TypeId) -> &str {
        self.resolve.types[id]
            .name
            .as_deref()
            .unwrap_or("anonymous")
    }

    /// Marks the types used as a `result`'s error.
    fn find_error_types(&mut self) {
        for (_, def) in self.resolve.types.iter() {
            if let TypeDefKind::Result(r) = &def.kind
                && let Some(Type::Id(err)) = r.err
            {
                let err = self.dealias(err);
                self.error_types.insert(err);
            }
        }
    }

    /// `id` with `type x = y` aliases followed to the type they name.
    pub fn dealias(&self, mut id: TypeId) -> TypeId {
        while let TypeDefKind::Type(Type::Id(next)) = self.resolve.types[id].kind {
            id = next;
        }
        id
    }

    /// The Rust name of named type `id`.
    pub fn type_name(&self, id: TypeId) -> Ident {
        self.type_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| names::ident(&names::camel(self.type_def_name(id))))
    }

    /// The module type `id` is defined in, seen from `cx`, and its side.
    pub fn type_module(&self, id: TypeId, cx: &Cx) -> (&[Ident], Side) {
        match self.resolve.types[id].owner {
            TypeOwner::Interface(i) => match self.iface_module(i, cx) {
                Some(found) => found,
                None => {
                    self.error(format!(
                        "internal: interface `{}` of type `{}` is not in the world",
                        self.resolve.interfaces[i].name.as_deref().unwrap_or("?"),
                        self.type_def_name(id)
                    ));
                    (&[], Side::Import)
                }
            },
            TypeOwner::World(_) | TypeOwner::None => (&[], Side::Import),
        }
    }

    /// Where interface `i`'s items are, seen from `cx`: inside an exported
    /// interface, the interfaces exported so far are the exported ones
    /// (as wasmtime's bindgen does), others the imported ones.
    pub fn iface_module(&self, i: InterfaceId, cx: &Cx) -> Option<(&[Ident], Side)> {
        if let Some(pos) = cx.export
            && let Some(e) = self.exports[..=pos].iter().rev().find(|e| e.id == i)
        {
            return Some((&e.module, Side::Export));
        }
        if let Some(m) = self.imports.iter().find(|m| m.id == i) {
            return Some((&m.module, Side::Import));
        }
        self.exports
            .iter()
            .find(|e| e.id == i)
            .map(|e| (&e.module[..], Side::Export))
    }

    /// A path from `cx`'s module to item `name` of module `target`.
    pub fn path(&self, cx: &Cx, target: &[Ident], name: &Ident) -> TokenStream {
        relative(&cx.module, target, quote!(#name))
    }

    /// The path to named type `id` from `cx`.
    pub fn type_path(&self, cx: &Cx, id: TypeId) -> TokenStream {
        let (module, _) = self.type_module(id, cx);
        let name = self.type_name(id);
        self.path(cx, module, &name)
    }
}

/// A path from module `from` to `item` in module `to` (both relative to the
/// macro's module): up to their common ancestor, then down.
pub fn relative(from: &[Ident], to: &[Ident], item: TokenStream) -> TokenStream {
    let common = from.iter().zip(to).take_while(|(a, b)| a == b).count();
    let down = &to[common..];
    let up = if common == from.len() {
        if down.is_empty() {
            return item;
        }
        // `self::` keeps a module named like a crate from being ambiguous.
        quote!(self::)
    } else {
        let supers = from[common..].iter().map(|_| quote!(super::));
        quote!(#(#supers)*)
    };
    quote!(#up #(#down::)* #item)
}

/// Rustdoc attributes for WIT docs.
pub fn docs(docs: &Docs) -> TokenStream {
    let Some(contents) = &docs.contents else {
        return TokenStream::new();
    };
    let lines = contents.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `WIT_HOST_BINDGEN_DUMP=file.wit cargo test -p wit-host-macro dump -- --nocapture`
    /// prints what `bindgen!` generates for a file (unformatted; pipe it
    /// through `rustfmt`).
    #[test]
    fn dump() {
        let Some(path) = std::env::var_os("WIT_HOST_BINDGEN_DUMP") else {
            return;
        };
        let mut resolve = Resolve::new();
        let (pkg, _) = resolve.push_path(path).unwrap();
        let world = std::env::var("WIT_HOST_BINDGEN_WORLD").ok();
        let world = resolve
            .select_world(&[pkg], world.as_deref().filter(|w| !w.is_empty()))
            .unwrap();
        let code = generate(&resolve, world, &Opts::default()).unwrap();
        println!("{code}");
    }
}
