//! Imports: what the host implements.
//!
//! Each imported interface gets a module with its types, a `Host` trait
//! with a method per function (and `Host<Resource>` traits, see
//! [`super::resources`]), forwarding impls for `&mut T` (so that
//! `HasSelf<U>`'s `&mut U` implements the traits when `U` does), and
//!
//! ```text
//! pub fn add_to_linker<T, D>(linker: &mut Linker<T>, getter: fn(&mut T) -> D::Data<'_>)
//!     -> Result<()>
//! where T: 'static, D: HasData, for<'a> D::Data<'a>: Host
//! ```
//!
//! which registers each function with `LinkerInstance::func_wrap`: typed,
//! checked against the component's import when it is instantiated. The
//! host methods return plain values (phase 1: no trapping from a host
//! method; resource destructors return `wit_host::Result`).

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, TypeDefKind};

use super::names::{self, Scope};
use super::types::Mode;
use super::{Cx, Gen, Iface, docs};

/// The longest tuple the typed API implements its traits for.
pub const MAX_TUPLE: usize = 16;

/// Names generated code uses next to a function's parameters.
const RESERVED_PARAMS: &[&str] = &["store", "host", "getter", "ret", "rep", "func", "inst"];

/// `#[allow(clippy::too_many_arguments)]` for a function with `n`
/// arguments, if it has more than clippy allows.
pub fn many_arguments(n: usize) -> Option<TokenStream> {
    (n > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// One method of a host trait.
pub struct HostMethod<'a> {
    pub name: Ident,
    pub func: &'a Function,
    /// Whether it returns `wit_host::Result` (`imports: { ... trappable }`).
    pub trappable: bool,
}

impl Gen<'_> {
    /// The Rust names of `func`'s parameters.
    pub fn param_names(&self, func: &Function) -> Vec<Ident> {
        let mut scope = Scope::with(RESERVED_PARAMS.iter().copied());
        func.params
            .iter()
            .map(|p| scope.claim_ident(&names::snake(&p.name)))
            .collect()
    }

    /// Reports functions the runtime cannot host yet.
    pub fn check_function(&self, func: &Function) -> bool {
        if func.params.len() > MAX_TUPLE {
            self.error(format!(
                "`{}`: functions with more than {MAX_TUPLE} parameters are not supported (the typed API takes parameters as a tuple of at most {MAX_TUPLE})",
                func.name
            ));
            return false;
        }
        match func.kind {
            FunctionKind::Freestanding
            | FunctionKind::Method(_)
            | FunctionKind::Static(_)
            | FunctionKind::Constructor(_) => true,
            FunctionKind::AsyncFreestanding
            | FunctionKind::AsyncMethod(_)
            | FunctionKind::AsyncStatic(_) => {
                self.error(format!(
                    "`{}`: async functions are not supported yet by wit_host::bindgen!",
                    func.name
                ));
                false
            }
            _ => {
                self.error(format!(
                    "`{}`: getters and setters are not supported yet by wit_host::bindgen!",
                    func.name
                ));
                false
            }
        }
    }

    /// A host trait: `pub trait Name: supertraits { methods }` and its
    /// forwarding impl for `&mut T`. `extra` are more (declaration,
    /// forwarding) pairs, such as a resource's `drop`.
    pub fn host_trait(
        &self,
        cx: &Cx,
        name: &Ident,
        supertraits: &[TokenStream],
        trait_docs: TokenStream,
        methods: &[HostMethod<'_>],
        extra: &[(TokenStream, TokenStream)],
    ) -> TokenStream {
        let mut decls = Vec::new();
        let mut forwards = Vec::new();
        for m in methods {
            let params = self.param_names(m.func);
            let types = m
                .func
                .params
                .iter()
                .map(|p| self.ty(cx, &p.ty, Mode::Owned))
                .collect::<Vec<_>>();
            let trappable_error = self.trappable_error(m.func);
            let ret = match (&m.func.result, m.trappable) {
                _ if trappable_error.is_some() => {
                    let (err, ok) = trappable_error.expect("checked");
                    let r = self.trappable_error_ret(cx, err, ok.as_ref());
                    Some(quote!(-> #r))
                }
                (Some(t), false) => {
                    let t = self.ty(cx, t, Mode::Owned);
                    Some(quote!(-> #t))
                }
                (None, false) => None,
                (t, true) => {
                    let t = self.result_ty(cx, t.as_ref());
                    Some(quote!(-> ::wit_host::Result<#t>))
                }
            };
            let method = &m.name;
            let docs = docs(&m.func.docs);
            let allow = many_arguments(params.len() + 1);
            decls.push(quote! {
                #docs
                #allow
                fn #method(&mut self, #(#params: #types),*) #ret;
            });
            forwards.push(quote! {
                #allow
                fn #method(&mut self, #(#params: #types),*) #ret {
                    #name::#method(*self, #(#params),*)
                }
            });
        }
        for (decl, forward) in extra {
            decls.push(decl.clone());
            forwards.push(forward.clone());
        }
        let bounds = (!supertraits.is_empty()).then(|| quote!(: #(#supertraits)+*));
        quote! {
            #trait_docs
            pub trait #name #bounds {
                #(#decls)*
            }

            impl<_T: #name + ?::core::marker::Sized> #name for &mut _T {
                #(#forwards)*
            }
        }
    }

    /// `inst.func_wrap(...)` for `func`, calling `trait_::method` on what
    /// the getter returns.
    pub fn register(&self, cx: &Cx, trait_: &TokenStream, m: &HostMethod<'_>) -> TokenStream {
        let (method, func) = (&m.name, m.func);
        let wit_name = &func.name;
        let params = self.param_names(func);
        let types = func.params.iter().map(|p| self.ty(cx, &p.ty, Mode::Owned));
        let question = m.trappable.then(|| quote!(?));
        let call = quote!(#trait_::#method(&mut host, #(#params),*) #question);
        let body = match &func.result {
            Some(_) if let Some((err, _)) = self.trappable_error(func) => {
                let convert = self.convert_call(cx, err);
                let call = quote!(#trait_::#method(&mut host, #(#params),*));
                quote! {
                    let ret = match #call {
                        ::core::result::Result::Ok(ok) => ::core::result::Result::Ok(ok),
                        ::core::result::Result::Err(e) => ::core::result::Result::Err(#convert),
                    };
                    ::core::result::Result::Ok((ret,))
                }
            }
            Some(_) => quote! {
                let ret = #call;
                ::core::result::Result::Ok((ret,))
            },
            None => quote! {
                #call;
                ::core::result::Result::Ok(())
            },
        };
        quote! {
            inst.func_wrap(
                #wit_name,
                move |mut store: ::wit_host::StoreContextMut<'_, T>, (#(#params,)*): (#(#types,)*)| {
                    let mut host = getter(store.data_mut());
                    #body
                },
            )?;
        }
    }

    /// `pub fn add_to_linker` registering `registrations` in the linker
    /// instance `instance` (`None`: the root), for getters whose data
    /// implements `bound`.
    pub fn add_to_linker_fn(
        &self,
        name: &Ident,
        fn_docs: &str,
        instance: Option<&str>,
        bound: TokenStream,
        registrations: Vec<TokenStream>,
    ) -> TokenStream {
        let inst = match instance {
            Some(name) => quote!(linker.instance(#name)?),
            None => quote!(linker.root()),
        };
        let body = if registrations.is_empty() {
            quote! {
                let _ = getter;
                #inst;
            }
        } else {
            quote! {
                let mut inst = #inst;
                #(#registrations)*
            }
        };
        quote! {
            #[doc = #fn_docs]
            pub fn #name<T, D>(
                linker: &mut ::wit_host::Linker<T>,
                getter: fn(&mut T) -> D::Data<'_>,
            ) -> ::wit_host::Result<()>
            where
                T: 'static,
                D: ::wit_host::HasData,
                for<'a> D::Data<'a>: #bound,
            {
                #body
                ::core::result::Result::Ok(())
            }
        }
    }

    /// The module of an imported interface (its contents; the caller nests
    /// them).
    pub fn import_interface(&self, iface: &Iface) -> TokenStream {
        let cx = Cx {
            module: iface.module.clone(),
            export: None,
        };
        if let Some(path) = self.with_iface(&cx, iface.id) {
            return quote!(pub use #path::*;);
        }
        let def = &self.resolve.interfaces[iface.id];
        let types = self.typedefs(&cx, def.types.values().copied());
        let resources: Vec<_> = def
            .types
            .values()
            .copied()
            .filter(|id| matches!(self.resolve.types[*id].kind, TypeDefKind::Resource))
            .collect();
        let mut resource_items = TokenStream::new();
        let mut supertraits = Vec::new();
        let mut registrations = Vec::new();
        for &r in &resources {
            let host = self.host_resource(&cx, Some(iface), r, def.functions.values());
            resource_items.extend(host.items);
            let trait_name = host.trait_name;
            supertraits.push(quote!(#trait_name));
            registrations.extend(host.registrations);
        }
        let mut scope = Scope::default();
        let methods: Vec<HostMethod<'_>> = def
            .functions
            .values()
            .filter(|f| {
                matches!(
                    f.kind,
                    FunctionKind::Freestanding | FunctionKind::AsyncFreestanding
                )
            })
            .filter(|f| self.check_function(f))
            .map(|func| HostMethod {
                name: scope.claim_ident(&names::snake(&func.name)),
                func,
                trappable: self.trappable(Some(iface), func),
            })
            .collect();
        let host = names::ident("Host");
        let trait_docs = format!(
            " The host's implementation of `{}`'s functions.",
            iface.name
        );
        supertraits.extend(self.convert_supertraits(&cx, Some(iface.id), def.functions.values()));
        let host_trait = self.host_trait(
            &cx,
            &host,
            &supertraits,
            quote!(#[doc = #trait_docs]),
            &methods,
            &self.convert_methods(&cx, Some(iface.id), &host),
        );
        for m in &methods {
            registrations.push(self.register(&cx, &quote!(Host), m));
        }
        let add = self.add_to_linker_fn(
            &names::ident("add_to_linker"),
            &format!(
                " Defines `{}` in `linker`: every function calls the `Host` that `getter` returns for the store's data.",
                iface.name
            ),
            Some(&iface.name),
            quote!(Host),
            registrations,
        );
        quote! {
            #types
            #resource_items
            #host_trait
            #add
        }
    }
}
