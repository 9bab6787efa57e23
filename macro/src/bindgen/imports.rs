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
//! host methods return plain values, `wit_host::Result` when flagged
//! `trappable` (resource destructors always do). Flags come from
//! `imports: { ... }` ([`super::func_flags`]).
//!
//! Functions flagged `store` (a resource's `drop` too) move from `Trait`
//! to `TraitWithStore<T>: HasData`, implemented on `D` rather than on
//! the host, whose methods take the store and the getter as a
//! `wit_host::Access<'_, T, Self>` instead of `&mut self`:
//!
//! ```text
//! pub trait HostWithStore<T: 'static>: HasData {
//!     fn add(host: Access<'_, T, Self>, x: u32) -> u32;
//! }
//! // add_to_linker: … where D: HostWithStore<T>
//! ```
//!
//! With `require_store_data_send`, every `add_to_linker` requires
//! `T: Send`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, Stability, TypeDefKind};

use super::features;
use super::func_flags::Flags;
use super::names::{self, Scope};
use super::tracing::in_span;
use super::types::Mode;
use super::{Cx, Gen, Iface, Side, docs, relative};

/// The longest tuple the typed API implements its traits for.
pub const MAX_TUPLE: usize = 32;

/// Names generated code uses next to a function's parameters.
const RESERVED_PARAMS: &[&str] = &["store", "host", "getter", "ret", "rep", "func", "inst"];

/// `#[allow(clippy::too_many_arguments)]` for a function with `n`
/// arguments, if it has more than clippy allows.
pub fn many_arguments(n: usize) -> Option<TokenStream> {
    (n > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]))
}

/// The trait of the functions of host trait `name` flagged `store`.
pub fn with_store_name(name: &Ident) -> Ident {
    names::ident(&format!("{name}WithStore"))
}

/// The `-> …` of a host method returning `ret` (`None`: nothing);
/// `async` methods return a `Send` future of it.
pub fn host_return(ret: Option<TokenStream>, async_: bool) -> Option<TokenStream> {
    match (ret, async_) {
        (ret, true) => {
            let ret = ret.unwrap_or_else(|| quote!(()));
            Some(quote!(-> impl ::core::future::Future<Output = #ret> + ::core::marker::Send))
        }
        (Some(ret), false) => Some(quote!(-> #ret)),
        (None, false) => None,
    }
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

    /// The freestanding functions of `funcs` (not a resource's), async
    /// ones included so that [`Gen::check_function`] reports them; those it
    /// rejects are left out.
    pub fn freestanding<'f>(
        &self,
        funcs: impl IntoIterator<Item = &'f Function>,
    ) -> impl Iterator<Item = &'f Function> {
        funcs
            .into_iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    FunctionKind::Freestanding | FunctionKind::AsyncFreestanding
                )
            })
            .filter(|f| self.check_function(f))
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
                    "`{}`: WIT `async func` (the component model's async ABI) is not supported yet by wit_host::bindgen! (to implement or call a synchronous WIT function with Rust `async`, flag it `async` in `imports` or `exports`)",
                    func.name
                ));
                false
            }
        }
    }

    /// A host trait: `pub trait Name: supertraits { methods }` and its
    /// forwarding impl for `&mut T`, and `NameWithStore<T>` for the
    /// methods flagged `store`. `extra` are more (declaration,
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
        self.host_traits(
            cx,
            name,
            supertraits,
            trait_docs,
            methods,
            extra,
            false,
            Vec::new(),
        )
    }

    /// [`Gen::host_trait`] with `store_decls`, more declarations for
    /// `NameWithStore<T>` (a resource's `drop` flagged `store`), and
    /// `extra_async` when an `extra` method is async (the trait is then
    /// `Send`).
    #[allow(clippy::too_many_arguments)]
    pub fn host_traits(
        &self,
        cx: &Cx,
        name: &Ident,
        supertraits: &[TokenStream],
        trait_docs: TokenStream,
        methods: &[HostMethod<'_>],
        extra: &[(TokenStream, TokenStream)],
        extra_async: bool,
        mut store_decls: Vec<TokenStream>,
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
                    Some(self.trappable_error_ret(cx, err, ok.as_ref()))
                }
                (Some(t), false) => Some(self.ty(cx, t, Mode::Owned)),
                (None, false) => None,
                (t, true) => {
                    let t = self.result_ty(cx, t.as_ref());
                    Some(quote!(::wit_host::Result<#t>))
                }
            };
            let flags = self.method_flags(m.func);
            let ret = host_return(ret, flags.async_);
            let method = &m.name;
            let docs = docs(&m.func.docs);
            let allow = many_arguments(params.len() + 1);
            if flags.store {
                store_decls.push(quote! {
                    #docs
                    #allow
                    fn #method(host: ::wit_host::Access<'_, T, Self>, #(#params: #types),*) #ret;
                });
                continue;
            }
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
        // An async method's future holds the host across its awaits, and
        // must be `Send`.
        let mut supertraits = supertraits.to_vec();
        if methods.iter().any(|m| {
            let flags = self.method_flags(m.func);
            flags.async_ && !flags.store
        }) || extra_async
        {
            supertraits.push(quote!(::core::marker::Send));
        }
        let bounds = (!supertraits.is_empty()).then(|| quote!(: #(#supertraits)+*));
        let with_store = (!store_decls.is_empty()).then(|| {
            let store_trait = with_store_name(name);
            let doc = format!(
                " The functions of [`{name}`] flagged `store`: implemented on the `wit_host::HasData` type `D` given to `add_to_linker` (for example `impl<T: 'static> {store_trait}<T> for wit_host::HasSelf<MyHost>`), they get a `wit_host::Access` to the store of the call."
            );
            quote! {
                #[doc = #doc]
                pub trait #store_trait<T: 'static>: ::wit_host::HasData {
                    #(#store_decls)*
                }
            }
        });
        quote! {
            #trait_docs
            pub trait #name #bounds {
                #(#decls)*
            }

            impl<_T: #name + ?::core::marker::Sized> #name for &mut _T {
                #(#forwards)*
            }

            #with_store
        }
    }

    /// `inst.func_wrap(...)` for `func`, calling `trait_::method` on what
    /// the getter returns (or, flagged `store`, `<D as
    /// trait_WithStore<T>>::method` with the store).
    pub fn register(&self, cx: &Cx, trait_: &TokenStream, m: &HostMethod<'_>) -> TokenStream {
        let (method, func) = (&m.name, m.func);
        let wit_name = &func.name;
        let params = self.param_names(func);
        let types = func.params.iter().map(|p| self.ty(cx, &p.ty, Mode::Owned));
        let flags = self.method_flags(func);
        // `host`: what the getter gives, for the `Host` method and the
        // conversion of a trappable error.
        let get_host = quote!(let mut host = getter(store.data_mut()););
        let (prelude, call) = if flags.store {
            let store_trait = with_store_name(&names::ident(&trait_.to_string()));
            let call = quote! {
                <D as #store_trait<T>>::#method(
                    ::wit_host::Access::<T, D>::new(::wit_host::AsContextMut::as_context_mut(&mut store), getter),
                    #(#params),*
                )
            };
            (TokenStream::new(), call)
        } else {
            let call = quote!(#trait_::#method(&mut host, #(#params),*));
            (get_host.clone(), call)
        };
        let err_arm = |convert: TokenStream| {
            if flags.store {
                quote!({
                    #get_host
                    ::core::result::Result::Err(#convert)
                })
            } else {
                quote!(::core::result::Result::Err(#convert))
            }
        };
        let convert_arm = match (&func.result, self.trappable_error(func)) {
            (Some(_), Some((err, _))) => Some(err_arm(self.convert_call(cx, err))),
            _ => None,
        };
        let call = if flags.async_ {
            quote!(#call.await)
        } else {
            call
        };
        let (span, body) = if flags.tracing {
            let (span, body) = self.traced_register(m, prelude, call, convert_arm);
            (Some(span), body)
        } else {
            let question = m.trappable.then(|| quote!(?));
            let body = match &func.result {
                Some(_) if let Some(err_arm) = convert_arm => {
                    quote! {
                        let ret = match #call {
                            ::core::result::Result::Ok(ok) => ::core::result::Result::Ok(ok),
                            ::core::result::Result::Err(e) => #err_arm,
                        };
                        ::core::result::Result::Ok((ret,))
                    }
                }
                Some(_) => quote! {
                    let ret = #call #question;
                    ::core::result::Result::Ok((ret,))
                },
                None => quote! {
                    #call #question;
                    ::core::result::Result::Ok(())
                },
            };
            (None, quote!(#prelude #body))
        };
        let body = in_span(span, body, flags.async_);
        let (wrap, body) = if flags.async_ {
            (
                quote!(func_wrap_async),
                quote!(::std::boxed::Box::new(#body)),
            )
        } else {
            (quote!(func_wrap), body)
        };
        quote! {
            inst.#wrap(
                #wit_name,
                move |mut store: ::wit_host::StoreContextMut<'_, T>, (#(#params,)*): (#(#types,)*)| {
                    #body
                },
            )?;
        }
    }

    /// `pub fn add_to_linker` registering `registrations` in the linker
    /// instance `instance` (`None`: the root), for getters whose data
    /// implements `bound`. With `options`, it takes `options:
    /// &LinkOptions` and defines nothing unless the gate `options` gives
    /// is open (see [`super::features`]).
    pub fn add_to_linker_fn(
        &self,
        name: &Ident,
        fn_docs: &str,
        instance: Option<&str>,
        bound: TokenStream,
        options: Option<(&Ident, &Stability)>,
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
        let owner = instance.and_then(|n| self.imports.iter().find(|i| i.name == n));
        let module = owner.map(|i| &i.module[..]).unwrap_or_default();
        let extra_bounds = self.linker_bounds(module, [owner]);
        let (options_param, body) = match options {
            Some((link_options, gate)) => {
                let gated = self.gate(gate, body);
                (
                    quote!(options: &#link_options,),
                    quote! {
                        let _ = options;
                        #gated
                    },
                )
            }
            None => (TokenStream::new(), body),
        };
        quote! {
            #[doc = #fn_docs]
            pub fn #name<T, D>(
                linker: &mut ::wit_host::Linker<T>,
                #options_param
                getter: fn(&mut T) -> D::Data<'_>,
            ) -> ::wit_host::Result<()>
            where
                T: 'static,
                D: ::wit_host::HasData,
                for<'a> D::Data<'a>: #bound,
                #extra_bounds
            {
                #body
                ::core::result::Result::Ok(())
            }
        }
    }

    /// The flags of every function of `owner` (an imported interface,
    /// `None`: the world's own), and of every resource's destructor, each
    /// with the host trait it belongs to.
    fn import_flags(&self, owner: Option<&Iface>) -> Vec<(Flags, Ident)> {
        let (funcs, own_trait): (Vec<&Function>, Ident) = match owner {
            Some(iface) => (
                self.resolve.interfaces[iface.id]
                    .functions
                    .values()
                    .collect(),
                names::ident("Host"),
            ),
            None => {
                let world = &self.resolve.worlds[self.world];
                let funcs = world
                    .imports
                    .values()
                    .filter_map(|item| match item {
                        wit_parser::WorldItem::Function(f) => Some(f),
                        _ => None,
                    })
                    .collect();
                (funcs, self.world_names().2)
            }
        };
        let resource_trait = |wit: &str| names::ident(&format!("Host{}", names::camel(wit)));
        let mut out = Vec::new();
        let types: Vec<wit_parser::TypeId> = match owner {
            Some(iface) => self.resolve.interfaces[iface.id]
                .types
                .values()
                .copied()
                .collect(),
            None => self.resolve.worlds[self.world]
                .imports
                .values()
                .filter_map(|item| match item {
                    wit_parser::WorldItem::Type { id, .. } => Some(*id),
                    _ => None,
                })
                .collect(),
        };
        for id in types {
            let def = &self.resolve.types[id];
            let wit = def.name.as_deref().unwrap_or_default();
            if matches!(def.kind, TypeDefKind::Resource) {
                let flags = self.func_flags(Side::Import, owner, &format!("[drop]{wit}"));
                out.push((flags, resource_trait(wit)));
            }
        }
        for func in funcs {
            let flags = self.func_flags(Side::Import, owner, &func.name);
            let name = match func.kind.resource() {
                Some(r) => {
                    resource_trait(self.resolve.types[r].name.as_deref().unwrap_or_default())
                }
                None => own_trait.clone(),
            };
            out.push((flags, name));
        }
        out
    }

    /// The `…WithStore<T>` traits of the functions of `owner` (an imported
    /// interface, `None`: the world's own) flagged `store`, as paths from
    /// module `from`.
    pub fn with_store_traits(&self, from: &[Ident], owner: Option<&Iface>) -> Vec<TokenStream> {
        let module: &[Ident] = owner.map(|i| &i.module[..]).unwrap_or_default();
        let mut out: Vec<Ident> = Vec::new();
        for (flags, name) in self.import_flags(owner) {
            let name = with_store_name(&name);
            if flags.store && !out.contains(&name) {
                out.push(name);
            }
        }
        out.into_iter()
            .map(|name| relative(from, module, quote!(#name)))
            .collect()
    }

    /// The `where` clauses an `add_to_linker` in module `from` adds for
    /// the imports of `owners` (an interface, or `None` for the world's
    /// own): `D: …WithStore<T>` for functions flagged `store`, `T: Send`
    /// with `require_store_data_send` or when a function is `async` (its
    /// future holds the store).
    pub fn linker_bounds<'i>(
        &self,
        from: &[Ident],
        owners: impl IntoIterator<Item = Option<&'i Iface>>,
    ) -> TokenStream {
        let owners: Vec<Option<&Iface>> = owners.into_iter().collect();
        let traits: Vec<TokenStream> = owners
            .iter()
            .flat_map(|owner| self.with_store_traits(from, *owner))
            .collect();
        let store = (!traits.is_empty()).then(|| quote!(D: #(#traits<T>)+*,));
        let any_async = owners.iter().any(|owner| {
            self.import_flags(*owner)
                .iter()
                .any(|(flags, _)| flags.async_)
        });
        let send = (self.store_data_send || any_async).then(|| quote!(T: ::core::marker::Send,));
        quote!(#store #send)
    }

    /// The `where` clauses of the world's `add_to_linker` (in the macro's
    /// module): [`Gen::linker_bounds`] of every import.
    pub fn world_linker_bounds(&self) -> TokenStream {
        let owners = self.imports.iter().map(Some).chain([None]);
        self.linker_bounds(&[], owners)
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
        let methods: Vec<HostMethod<'_>> = self
            .freestanding(def.functions.values())
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
            registrations.push(self.gated_register(&cx, &quote!(Host), m));
        }
        let link_options = names::ident(features::LINK_OPTIONS);
        let has_features = !self.iface_features(iface.id).is_empty();
        let add = self.add_to_linker_fn(
            &names::ident("add_to_linker"),
            &format!(
                " Defines `{}` in `linker`: every function calls the `Host` that `getter` returns for the store's data.",
                iface.name
            ),
            Some(&iface.name),
            quote!(Host),
            has_features.then_some((&link_options, &def.stability)),
            registrations,
        );
        let link_options = self.iface_link_options(iface);
        quote! {
            #link_options
            #types
            #resource_items
            #host_trait
            #add
        }
    }
}
