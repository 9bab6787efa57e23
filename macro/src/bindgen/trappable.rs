//! Host functions that can trap the guest.
//!
//! - `imports: { default: trappable, "ns:pkg/iface.func": trappable }`:
//!   the host method returns `wit_host::Result<T>`; an `Err` traps the
//!   guest.
//! - `trappable_error_type: { "ns:pkg/iface/error-code" => MyError }`:
//!   host methods whose result is `result<T, error-code>` return
//!   `Result<T, MyError>`, and the `Host` trait of the interface that
//!   defines `error-code` gets `convert_error_code(&mut self, MyError) ->
//!   wit_host::Result<ErrorCode>`, which turns an error into the WIT error
//!   the guest receives (`Ok`) or a trap (`Err`). Interfaces (and the
//!   world) whose functions use another interface's trappable error type
//!   get that interface's `Host` as a supertrait.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, Type, TypeDefKind, TypeId, TypeOwner};

use super::names;
use super::opts::With;
use super::{Cx, Gen, Iface, Side, relative};

impl Gen<'_> {
    /// Whether host function `func` of imported interface `iface` (`None`:
    /// the world's own) is trappable.
    pub fn trappable(&self, iface: Option<&Iface>, func: &Function) -> bool {
        self.func_flags(Side::Import, iface, &func.name).trappable
    }

    /// Resolves the `trappable_error_type` keys.
    pub(super) fn resolve_trappable_errors(&mut self, entries: &[With]) {
        for entry in entries {
            match self.type_named(&entry.key.value) {
                Some(id) => {
                    let id = self.dealias(id);
                    self.trappable_errors.insert(id, entry.path.clone());
                }
                None => self.error_at(
                    entry.key.span,
                    format!(
                        "`trappable_error_type` key `{}` names no imported type (write `ns:pkg/iface/type`, `ns:pkg/iface.type` or a world-level type's name)",
                        entry.key.value
                    ),
                ),
            }
        }
    }

    /// If `func` returns `result<T, E>` with a trappable error type `E`:
    /// `E` (dealiased) and `T`.
    pub fn trappable_error(&self, func: &Function) -> Option<(TypeId, Option<Type>)> {
        let Some(Type::Id(result)) = func.result else {
            return None;
        };
        let TypeDefKind::Result(r) = &self.resolve.types[self.dealias(result)].kind else {
            return None;
        };
        let Some(Type::Id(err)) = r.err else {
            return None;
        };
        let err = self.dealias(err);
        self.trappable_errors
            .contains_key(&err)
            .then_some((err, r.ok))
    }

    /// The host method's return type for `func` with trappable error
    /// `err`: `Result<T, MyError>`.
    pub fn trappable_error_ret(&self, cx: &Cx, err: TypeId, ok: Option<&Type>) -> TokenStream {
        let ok = self.result_ty(cx, ok);
        let path = super::with::user_path(cx, &self.trappable_errors[&err]);
        quote!(::core::result::Result<#ok, #path>)
    }

    /// The name of the conversion method of trappable error `err`.
    fn convert_name(&self, err: TypeId) -> Ident {
        let name = self.resolve.types[err].name.as_deref().unwrap_or("error");
        names::ident(&format!(
            "convert_{}",
            names::snake(name).trim_end_matches('_')
        ))
    }

    /// The path of the trait with `err`'s conversion method, seen from
    /// `cx`: the defining interface's `Host`, or the world's imports trait.
    fn convert_trait(&self, cx: &Cx, err: TypeId) -> TokenStream {
        match self.resolve.types[err].owner {
            TypeOwner::Interface(i) => {
                let module = self
                    .imports
                    .iter()
                    .find(|m| m.id == i)
                    .map(|m| m.module.clone())
                    .unwrap_or_default();
                relative(&cx.module, &module, quote!(Host))
            }
            _ => {
                let (_, _, imports) = self.world_names();
                relative(&cx.module, &[], quote!(#imports))
            }
        }
    }

    /// `Trait::convert_e(&mut host, e)?`, the call that turns a host error
    /// into `err` or a trap.
    pub fn convert_call(&self, cx: &Cx, err: TypeId) -> TokenStream {
        let t = self.convert_trait(cx, err);
        let convert = self.convert_name(err);
        quote!(#t::#convert(&mut host, e)?)
    }

    /// The conversion methods (declaration, forwarding) of the trappable
    /// error types that `owner` (an interface, or `None` for the world)
    /// defines, for its host trait named `trait_name`.
    pub fn convert_methods(
        &self,
        cx: &Cx,
        owner: Option<wit_parser::InterfaceId>,
        trait_name: &Ident,
    ) -> Vec<(TokenStream, TokenStream)> {
        let mut ids: Vec<TypeId> = self
            .trappable_errors
            .keys()
            .copied()
            .filter(|id| match (self.resolve.types[*id].owner, owner) {
                (TypeOwner::Interface(i), Some(o)) => i == o,
                (TypeOwner::World(_), None) => true,
                _ => false,
            })
            .collect();
        ids.sort_by_key(|id| id.index());
        ids.into_iter()
            .map(|id| {
                let convert = self.convert_name(id);
                let wit = self.type_path(cx, id);
                let host = super::with::user_path(cx, &self.trappable_errors[&id]);
                let doc = format!(
                    " Converts the host's error into the `{}` the guest gets (`Ok`), or into a trap (`Err`).",
                    self.resolve.types[id].name.as_deref().unwrap_or_default()
                );
                (
                    quote! {
                        #[doc = #doc]
                        fn #convert(&mut self, err: #host) -> ::wit_host::Result<#wit>;
                    },
                    quote! {
                        fn #convert(&mut self, err: #host) -> ::wit_host::Result<#wit> {
                            #trait_name::#convert(*self, err)
                        }
                    },
                )
            })
            .collect()
    }

    /// The traits whose conversion methods `funcs` need, other than the
    /// one of `owner` itself: supertraits for `owner`'s host trait.
    pub fn convert_supertraits<'f>(
        &self,
        cx: &Cx,
        owner: Option<wit_parser::InterfaceId>,
        funcs: impl Iterator<Item = &'f Function>,
    ) -> Vec<TokenStream> {
        let mut out: Vec<TokenStream> = Vec::new();
        for func in funcs {
            let Some((err, _)) = self.trappable_error(func) else {
                continue;
            };
            let own = match (self.resolve.types[err].owner, owner) {
                (TypeOwner::Interface(i), Some(o)) => i == o,
                (TypeOwner::World(_), None) => true,
                _ => false,
            };
            let t = self.convert_trait(cx, err);
            if !own && !out.iter().any(|o| o.to_string() == t.to_string()) {
                out.push(t);
            }
        }
        out
    }
}
