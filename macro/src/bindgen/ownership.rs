//! `ownership`: whether types passed to exports borrow their data.
//!
//! With `Owning` (the default) every named type owns its data (`String`,
//! `Vec<T>`), and exports' `call_…` methods borrow only at the top
//! (`&str`, `&[T]`, `&Record`).
//!
//! With `Borrowing { duplicate_if_necessary }`, as in wasmtime's
//! `bindgen!`, a named type holding a string or a list (directly or
//! deeper) that is passed to an export gets a *borrowing form*, a
//! `Name<'a>` whose strings are `&'a str`, lists `&'a [T]` (of borrowing
//! elements) and named types their own borrowing form (or `&'a Name`
//! when they have none). Lists in `call_…` parameters borrow all the way
//! down too: `list<string>` is `&[&str]`.
//!
//! Which forms a type gets depends on where it is used (what it reaches
//! from functions' parameters and results, through fields and payloads):
//!
//! | used | `duplicate_if_necessary: false` | `true` |
//! |---|---|---|
//! | only in exports' parameters | `Name<'a>` | `Name<'a>` |
//! | there and elsewhere (results, imports) | `Name`, passed as `&Name` | `NameResult` and `NameParam<'a>` |
//! | elsewhere only | `Name` | `Name` |
//!
//! Types without strings and lists are never duplicated. Types no function
//! reaches are owned (wasmtime writes them borrowing, without a lifetime,
//! which does not compile), and so is everything they hold; types given by
//! `with` are never borrowed.

use std::collections::{HashMap, HashSet};

use proc_macro2::Ident;
use wit_parser::{Function, LiveTypes, Type, TypeDefKind, TypeId, TypeOwner, WorldItem};

use super::Gen;
use super::names;

/// `ownership: …`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Ownership {
    /// Generated types own their data.
    #[default]
    Owning,
    /// Types passed to exports borrow theirs; `duplicate_if_necessary`:
    /// a type also used elsewhere gets both forms.
    Borrowing { duplicate_if_necessary: bool },
}

/// Where a named type is used.
#[derive(Clone, Copy, Default, Debug)]
struct Use {
    /// In a parameter of an exported function.
    borrowed: bool,
    /// In a result, or a parameter of an imported function.
    owned: bool,
}

/// The forms of the named types, decided once.
#[derive(Default)]
pub struct Forms {
    /// Types with a borrowing form, and its name.
    borrowing: HashMap<TypeId, Ident>,
    /// Types with only a borrowing form.
    no_owned: HashSet<TypeId>,
}

impl Gen<'_> {
    /// Decides the forms of every named type under `ownership`, renaming
    /// the owned form `NameResult` where a type gets two.
    pub(super) fn plan_ownership(&mut self, ownership: Ownership) {
        let Ownership::Borrowing {
            duplicate_if_necessary,
        } = ownership
        else {
            return;
        };
        let uses = self.type_uses();
        let mut lists = HashMap::new();
        let mut forms = Forms::default();
        let mut ids: Vec<TypeId> = uses.keys().copied().collect();
        ids.sort_by_key(|id| id.index());
        for id in ids {
            let used = uses[&id];
            if !used.borrowed || !self.has_list(&Type::Id(id), &mut lists) || self.is_with(id) {
                continue;
            }
            let Some(name) = self.type_names.get(&id).cloned() else {
                continue;
            };
            if !used.owned {
                forms.borrowing.insert(id, name);
                forms.no_owned.insert(id);
            } else if duplicate_if_necessary {
                let (param, result) = (format!("{name}Param"), format!("{name}Result"));
                for taken in [&param, &result] {
                    if let Some(other) = self.same_owner_named(id, taken) {
                        self.error(format!(
                            "`ownership: Borrowing {{ duplicate_if_necessary: true }}` names the forms of `{}` `{param}` and `{result}`, but `{}` is named `{taken}` already: rename one of them in the WIT, or use `duplicate_if_necessary: false`",
                            self.type_def_name(id),
                            self.type_def_name(other)
                        ));
                    }
                }
                forms.borrowing.insert(id, names::ident(&param));
                self.type_names.insert(id, names::ident(&result));
            }
        }
        self.forms = forms;
    }

    /// The name of `id`'s borrowing form, if it has one.
    pub fn borrowing_form(&self, id: TypeId) -> Option<&Ident> {
        self.forms.borrowing.get(&id)
    }

    /// Whether `id` has an owned form.
    pub fn has_owned_form(&self, id: TypeId) -> bool {
        !self.forms.no_owned.contains(&id)
    }

    /// Whether `Borrowing` is on (lists in borrowed places borrow their
    /// elements too).
    pub fn deep_borrows(&self) -> bool {
        !matches!(self.ownership, Ownership::Owning)
    }

    /// Another type of `id`'s interface (or world) whose Rust name is
    /// `name`.
    fn same_owner_named(&self, id: TypeId, name: &str) -> Option<TypeId> {
        let owner = self.resolve.types[id].owner;
        self.type_names
            .iter()
            .find(|(other, ident)| {
                **other != id && self.resolve.types[**other].owner == owner && *ident == name
            })
            .map(|(other, _)| *other)
    }

    /// Whether `id` is (in) something given by `with`.
    fn is_with(&self, id: TypeId) -> bool {
        if self.with_types.contains_key(&id) {
            return true;
        }
        match self.resolve.types[id].owner {
            TypeOwner::Interface(i) => self.with_ifaces.contains_key(&i),
            _ => false,
        }
    }

    /// Where each named type of the world is used: what functions'
    /// parameters and results reach (exports' parameters borrowed, the
    /// rest owned); types no function reaches are owned, with all they
    /// reach.
    fn type_uses(&self) -> HashMap<TypeId, Use> {
        let mut uses: HashMap<TypeId, Use> = HashMap::new();
        let world = &self.resolve.worlds[self.world];
        let mut named = Vec::new();
        let sides = [(true, &world.imports), (false, &world.exports)];
        for (import, items) in sides {
            for item in items.values() {
                match item {
                    WorldItem::Function(f) => self.func_uses(f, import, &mut uses),
                    WorldItem::Interface { id, .. } => {
                        let iface = &self.resolve.interfaces[*id];
                        named.extend(iface.types.values().copied());
                        for f in iface.functions.values() {
                            self.func_uses(f, import, &mut uses);
                        }
                    }
                    WorldItem::Type { id, .. } => named.push(*id),
                }
            }
        }
        for id in named {
            if uses.get(&id).is_none_or(|u| !u.borrowed && !u.owned) {
                let mut live = LiveTypes::default();
                live.add_type_id(self.resolve, id);
                self.mark(&live, |u| u.owned = true, &mut uses);
            }
        }
        uses
    }

    fn func_uses(&self, func: &Function, import: bool, uses: &mut HashMap<TypeId, Use>) {
        let mut params = LiveTypes::default();
        for p in &func.params {
            params.add_type(self.resolve, &p.ty);
        }
        if import {
            self.mark(&params, |u| u.owned = true, uses);
        } else {
            self.mark(&params, |u| u.borrowed = true, uses);
        }
        let mut results = LiveTypes::default();
        if let Some(t) = &func.result {
            results.add_type(self.resolve, t);
        }
        self.mark(&results, |u| u.owned = true, uses);
    }

    fn mark(&self, live: &LiveTypes, f: impl Fn(&mut Use), uses: &mut HashMap<TypeId, Use>) {
        for id in live.iter() {
            if self.resolve.types[id].name.is_some() {
                f(uses.entry(id).or_default());
            }
        }
    }

    /// Whether values of `ty` hold a string or a list.
    fn has_list(&self, ty: &Type, memo: &mut HashMap<TypeId, bool>) -> bool {
        let id = match ty {
            Type::String => return true,
            Type::Id(id) => *id,
            _ => return false,
        };
        if let Some(known) = memo.get(&id) {
            return *known;
        }
        // (WIT types are not recursive; this only guards against cycles.)
        memo.insert(id, false);
        let mut any = |types: &mut dyn Iterator<Item = &Type>| {
            let types: Vec<&Type> = types.collect();
            types.into_iter().any(|t| self.has_list(t, memo))
        };
        let found = match &self.resolve.types[id].kind {
            TypeDefKind::List(_) | TypeDefKind::Map(..) => true,
            TypeDefKind::Record(r) => any(&mut r.fields.iter().map(|f| &f.ty)),
            TypeDefKind::Variant(v) => any(&mut v.cases.iter().filter_map(|c| c.ty.as_ref())),
            TypeDefKind::Tuple(t) => any(&mut t.types.iter()),
            TypeDefKind::Option(t) | TypeDefKind::Type(t) => any(&mut std::iter::once(t)),
            TypeDefKind::FixedLengthList(t, _) => any(&mut std::iter::once(t)),
            TypeDefKind::Result(r) => any(&mut r.ok.iter().chain(&r.err)),
            _ => false,
        };
        memo.insert(id, found);
        found
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::super::{Opts, generate, load};

    /// The pretty-printed bindings of `codegen/ownership.wit` under
    /// `ownership: Borrowing { duplicate_if_necessary: duplicate }`.
    fn expand(duplicate: bool) -> String {
        let opts = Opts::parse(quote!({
            path: "../tests/codegen/ownership.wit",
            ownership: Borrowing { duplicate_if_necessary: #duplicate },
        }))
        .unwrap();
        let loaded = load::load(&opts).unwrap();
        let code = generate(&loaded.resolve, loaded.world, &opts).unwrap();
        prettyplease::unparse(&syn::parse2(code).unwrap())
    }

    fn has(code: &str, what: &str) {
        assert!(code.contains(what), "missing `{what}` in:\n{code}");
    }

    #[test]
    fn borrowing_forms() {
        let code = expand(false);
        has(&code, "pub struct Item<'a> {");
        has(&code, "pub tags: &'a [&'a str],");
        has(&code, "Many(&'a [Item<'a>]),");
        has(&code, "pub type Names<'a> = &'a [&'a str];");
        // Used elsewhere too: owned, passed by reference.
        has(&code, "pub struct Both {");
        has(&code, "b: &Both,");
        has(&code, "items: &[Item<'_>],");
        has(&code, "labels: &[::core::option::Option<&str>],");
        has(&code, "type Params<'a> = (Shape<'a>,);");
        // Never borrowing: no strings, no lists.
        has(&code, "pub struct Point {");
        assert!(!code.contains("pub struct BothParam"), "{code}");
    }

    #[test]
    fn duplicated_forms() {
        let code = expand(true);
        has(&code, "pub struct BothResult {");
        has(&code, "pub struct BothParam<'a> {");
        has(&code, "b: BothParam<'_>,");
        has(&code, ") -> ::wit_host::Result<BothResult> {");
        // The import's alias is owned only: one name.
        has(&code, "pub type Both = super::types::BothResult;");
        has(&code, "pub struct Item<'a> {");
        assert!(!code.contains("ItemParam"), "{code}");
    }

    #[test]
    fn duplicate_names_clash() {
        let opts = Opts::parse(quote!({
            inline: "
                package t:clash;
                interface api {
                    record a { s: string }
                    record a-param { x: u32 }
                    f: func(a: a) -> a;
                }
                world w { export api; }
            ",
            ownership: Borrowing { duplicate_if_necessary: true },
        }))
        .unwrap();
        let loaded = load::load(&opts).unwrap();
        let e = generate(&loaded.resolve, loaded.world, &opts)
            .unwrap_err()
            .to_string();
        assert!(e.contains("but `a-param` is named `AParam` already"), "{e}");
    }
}
