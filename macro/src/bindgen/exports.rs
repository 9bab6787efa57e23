//! Exports: typed wrappers for calling what the component exports.
//!
//! Every group of exports (the world's own functions, an exported
//! interface, an exported resource's functions) gets two structs:
//!
//! - `<S>Indices` (`<World>Indices`, `GuestIndices`,
//!   `Guest<Resource>Indices`): every function looked up by name in a
//!   `Component` and type-checked, once (`new`); `load` makes the typed
//!   struct for one instance from those indices, looking nothing up;
//! - `<S>` (the world struct, `Guest`, `Guest<Resource>`): one typed
//!   function per export and a `call_<func>` method each.
//!
//! The world's `…Pre` keeps the world's indices, so instantiating does no
//! lookups or type checks (see [`super::world`]).
//!
//! `call_<func>` takes the parameters borrowed where that saves a copy
//! (`&str`, `&[T]`, `&Record`). A function with such parameters is kept as
//! a `wit_host::typed::BorrowingFunc` over a marker type naming its
//! parameter tuple for every lifetime (`wit_host::typed::ParamsFamily`),
//! so that calls take borrows of any lifetime without `unsafe`.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};
use wit_parser::{Function, TypeDefKind};

use super::imports::many_arguments;
use super::names::{self, Scope};
use super::tracing::in_span;
use super::types::Mode;
use super::{Cx, Gen, Iface, docs, relative};

/// The root helper that finds one export by name, with a clear error (see
/// [`export_helper`]).
pub const EXPORT_HELPER: &str = "__wit_host_export";

/// One exported function, as a typed function in a struct.
pub struct ExportFunc<'a> {
    /// The struct field holding the typed function (and, in the indices,
    /// its index).
    pub field: Ident,
    /// The `call_…` method.
    pub method: Ident,
    pub func: &'a Function,
    /// The function's full name, for docs: `ns:pkg/iface#name`, or `name`
    /// at the world level.
    pub export_name: String,
}

/// A struct of typed exports nested in another (an interface's `Guest` in
/// the world struct, a resource's `Guest<R>` in `Guest`).
pub struct Part {
    pub field: Ident,
    /// The nested struct and its indices, as paths from the module.
    pub ty: TokenStream,
    pub indices: TokenStream,
    /// Makes the nested indices in the parent's `new`.
    pub new: TokenStream,
}

/// What [`Gen::typed_struct`] generates.
pub struct TypedStruct<'a> {
    pub name: Ident,
    pub indices: Ident,
    pub doc: String,
    pub funcs: &'a [ExportFunc<'a>],
    pub parts: Vec<Part>,
    /// The indices' `new`: its parameters, what it does first, and the
    /// exported instance the functions are in (an `Option` expression).
    pub new_params: TokenStream,
    pub new_prelude: TokenStream,
    pub parent: TokenStream,
    /// More methods of the typed struct.
    pub methods: TokenStream,
}

impl Gen<'_> {
    /// `(P, R)` of `func`'s typed function; parameters borrowed for
    /// `'static`.
    fn typed_func_types(&self, cx: &Cx, func: &Function) -> (TokenStream, TokenStream) {
        let params = func
            .params
            .iter()
            .map(|p| self.ty(cx, &p.ty, Mode::Param { static_: true }));
        let results = match &func.result {
            Some(t) => {
                let t = self.ty(cx, t, Mode::Owned);
                quote!((#t,))
            }
            None => quote!(()),
        };
        (quote!((#(#params,)*)), results)
    }

    /// Whether `func` takes a parameter by reference.
    fn borrows_params(&self, cx: &Cx, func: &Function) -> bool {
        func.params.iter().any(|p| self.borrows(cx, &p.ty))
    }

    /// The marker type naming a borrowing function's parameters.
    fn family_name(owner: &Ident, f: &ExportFunc<'_>) -> Ident {
        format_ident!("__{}_{}_params", owner, f.field)
    }

    /// The `ParamsFamily` marker of a borrowing function (nothing for
    /// others).
    fn family_item(&self, cx: &Cx, owner: &Ident, f: &ExportFunc<'_>) -> TokenStream {
        if !self.borrows_params(cx, f.func) {
            return TokenStream::new();
        }
        let name = Self::family_name(owner, f);
        let (p, _) = self.typed_func_types(cx, f.func);
        let p = with_lifetime_a(p);
        let doc = format!(
            " The parameters of `{}`, borrowing for `'a`.",
            f.export_name
        );
        quote! {
            #[doc = #doc]
            #[doc(hidden)]
            #[allow(non_camel_case_types)]
            pub enum #name {}

            impl ::wit_host::typed::ParamsFamily for #name {
                type Params<'a> = #p;
            }
        }
    }

    /// `field: TypedFuncIndex<P, R>,`
    fn index_field(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func);
        let field = &f.field;
        quote!(#field: ::wit_host::typed::TypedFuncIndex<#p, #r>,)
    }

    /// `field: TypedFunc<P, R>,` or `field: BorrowingFunc<F, R>,`
    fn func_field(&self, cx: &Cx, owner: &Ident, f: &ExportFunc<'_>) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func);
        let field = &f.field;
        if self.borrows_params(cx, f.func) {
            let family = Self::family_name(owner, f);
            quote!(#field: ::wit_host::typed::BorrowingFunc<#family, #r>,)
        } else {
            quote!(#field: ::wit_host::TypedFunc<#p, #r>,)
        }
    }

    /// `field: helper(component, parent, "name")?.typed::<P, R>()?,`
    fn index_lookup(&self, cx: &Cx, f: &ExportFunc<'_>, parent: &TokenStream) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func);
        let field = &f.field;
        let name = &f.func.name;
        let helper = relative(&cx.module, &[], {
            let helper = names::ident(EXPORT_HELPER);
            quote!(#helper)
        });
        quote!(#field: #helper(component, #parent, #name, false)?.typed::<#p, #r>()?,)
    }

    /// `field: self.field.load(&mut store, instance)?,`
    fn func_load(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let field = &f.field;
        let load = quote!(self.#field.load(&mut store, instance)?);
        if self.borrows_params(cx, f.func) {
            quote!(#field: ::wit_host::typed::BorrowingFunc::new(#load),)
        } else {
            quote!(#field: #load,)
        }
    }

    /// `pub fn call_…(&self, store, params…) -> Result<R>`, or, flagged
    /// `async`, `pub async fn call_…` calling with `call_async`.
    fn call_method(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let params = self.param_names(f.func);
        let types = f
            .func
            .params
            .iter()
            .map(|p| self.ty(cx, &p.ty, Mode::Param { static_: false }));
        let ret = self.result_ty(cx, f.func.result.as_ref());
        let field = &f.field;
        let async_ = self.export_flags_of(f.func).async_;
        let call = if async_ {
            quote!(self.#field.call_async(store, (#(#params,)*)).await?)
        } else {
            quote!(self.#field.call(store, (#(#params,)*))?)
        };
        let bind = match &f.func.result {
            Some(_) => quote!(let (ret,) = #call;),
            None => quote!(let ret: () = #call;),
        };
        // `exports: { …: tracing }`: a span and events (see
        // `super::tracing`).
        let (span, event, returned) = match self.export_tracing(f.func, &params) {
            Some((span, event, returned)) => (Some(span), event, returned),
            None => (None, TokenStream::new(), TokenStream::new()),
        };
        // (An `async fn` needs a future of its own only for its span.)
        let awaited = (async_ && span.is_some()).then(|| quote!(.await));
        let body = in_span(
            span,
            quote! {
                #event
                #bind
                #returned
                ::core::result::Result::Ok(ret)
            },
            awaited.is_some(),
        );
        let method = &f.method;
        let docs = docs(&f.func.docs);
        let many = many_arguments(params.len() + 2);
        let about = format!(" Calls the guest's `{}`.", f.export_name);
        let sep = (!f.func.docs.is_empty()).then(|| quote!(#[doc = ""]));
        if async_ {
            return quote! {
                #docs
                #sep
                #[doc = #about]
                #many
                pub async fn #method<S>(
                    &self,
                    store: S,
                    #(#params: #types),*
                ) -> ::wit_host::Result<#ret>
                where
                    S: ::wit_host::AsContextMut,
                    S::Data: ::core::marker::Send,
                {
                    #body #awaited
                }
            };
        }
        quote! {
            #docs
            #sep
            #[doc = #about]
            #many
            pub fn #method(
                &self,
                store: impl ::wit_host::AsContextMut,
                #(#params: #types),*
            ) -> ::wit_host::Result<#ret> {
                #body
            }
        }
    }

    /// A typed struct of exports, its indices, and their impls.
    pub fn typed_struct(&self, cx: &Cx, s: TypedStruct<'_>) -> TokenStream {
        let TypedStruct {
            name,
            indices,
            doc,
            funcs,
            parts,
            new_params,
            new_prelude,
            parent,
            methods,
        } = s;
        let families = funcs.iter().map(|f| self.family_item(cx, &name, f));
        let func_fields = funcs.iter().map(|f| self.func_field(cx, &name, f));
        let index_fields = funcs.iter().map(|f| self.index_field(cx, f));
        let lookups = funcs.iter().map(|f| self.index_lookup(cx, f, &parent));
        let loads = funcs.iter().map(|f| self.func_load(cx, f));
        let calls = funcs.iter().map(|f| self.call_method(cx, f));
        let part_fields = parts.iter().map(|p| {
            let (field, ty) = (&p.field, &p.ty);
            quote!(#field: #ty,)
        });
        let part_index_fields = parts.iter().map(|p| {
            let (field, ty) = (&p.field, &p.indices);
            quote!(#field: #ty,)
        });
        let part_news = parts.iter().map(|p| {
            let (field, new) = (&p.field, &p.new);
            quote!(#field: #new,)
        });
        let part_loads = parts.iter().map(|p| {
            let field = &p.field;
            quote!(#field: self.#field.load(&mut store, instance)?,)
        });
        let indices_doc = format!(
            " The exports of [`{name}`] found in a component and type-checked, once: [`{indices}::load`] makes the `{name}` of any instance of the component without looking anything up."
        );
        quote! {
            #(#families)*

            #[doc = #doc]
            pub struct #name {
                #(#func_fields)*
                #(#part_fields)*
            }

            #[doc = #indices_doc]
            #[derive(::core::clone::Clone)]
            pub struct #indices {
                #(#index_fields)*
                #(#part_index_fields)*
            }

            impl #indices {
                /// Looks up the exports in `component` and checks their
                /// types; the error names the first export that is missing
                /// or has another type.
                #[allow(unused_variables)]
                pub fn new(#new_params) -> ::wit_host::Result<#indices> {
                    #new_prelude
                    ::core::result::Result::Ok(#indices {
                        #(#lookups)*
                        #(#part_news)*
                    })
                }

                /// The typed exports of `instance`, an instance of the
                /// component these indices were made from.
                pub fn load(
                    &self,
                    mut store: impl ::wit_host::AsContextMut,
                    instance: &::wit_host::Instance,
                ) -> ::wit_host::Result<#name> {
                    let _ = (&mut store, instance);
                    ::core::result::Result::Ok(#name {
                        #(#loads)*
                        #(#part_loads)*
                    })
                }
            }

            impl #name {
                #(#calls)*
                #methods
            }
        }
    }

    /// The contents of an exported interface's module.
    pub fn export_interface(&self, iface: &Iface, pos: usize) -> TokenStream {
        let cx = Cx {
            module: iface.module.clone(),
            export: Some(pos),
        };
        let def = &self.resolve.interfaces[iface.id];
        let types = self.typedefs(&cx, def.types.values().copied());

        let mut fields = Scope::default();
        let mut methods = Scope::with(["new", "load"]);
        let funcs: Vec<ExportFunc<'_>> = self
            .freestanding(def.functions.values())
            .map(|func| ExportFunc {
                field: fields.claim_ident(&names::snake(&func.name)),
                method: methods.claim_ident(&format!("call_{}", names::snake(&func.name))),
                func,
                export_name: format!("{}#{}", iface.name, func.name),
            })
            .collect();

        let mut resource_items = TokenStream::new();
        let mut parts = Vec::new();
        let mut accessors = TokenStream::new();
        for id in def.types.values().copied() {
            if !matches!(self.resolve.types[id].kind, TypeDefKind::Resource) {
                continue;
            }
            let guest = self.guest_resource(&cx, iface, id, def.functions.values());
            resource_items.extend(guest.items);
            let wit_name = self.resolve.types[id].name.as_deref().unwrap_or_default();
            let field = fields.claim_ident(&names::snake(wit_name));
            let accessor = methods.claim_ident(&names::snake(wit_name));
            let (s, indices) = (&guest.struct_name, &guest.indices_name);
            let doc =
                format!(" The constructor, methods and static functions of resource `{wit_name}`.");
            accessors.extend(quote! {
                #[doc = #doc]
                pub fn #accessor(&self) -> &#s {
                    &self.#field
                }
            });
            parts.push(Part {
                field,
                ty: quote!(#s),
                indices: quote!(#indices),
                new: quote!(#indices::new(component, &instance)?),
            });
        }

        let helper = relative(&cx.module, &[], {
            let helper = names::ident(EXPORT_HELPER);
            quote!(#helper)
        });
        let name = &iface.name;
        let code = self.typed_struct(
            &cx,
            TypedStruct {
                name: names::ident("Guest"),
                indices: names::ident("GuestIndices"),
                doc: format!(
                    " The functions of the exported interface `{}` of one instance.",
                    iface.name
                ),
                funcs: &funcs,
                parts,
                new_params: quote!(component: &::wit_host::Component),
                new_prelude: quote! {
                    let instance = #helper(component, ::core::option::Option::None, #name, true)?;
                },
                parent: quote!(::core::option::Option::Some(&instance)),
                methods: accessors,
            },
        );
        quote! {
            #types
            #resource_items
            #code
        }
    }
}

/// `tokens` with every `'static` lifetime written `'a`.
fn with_lifetime_a(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut after_quote = false;
    for tree in tokens {
        let tree = match tree {
            TokenTree::Ident(i) if after_quote && i == "static" => {
                TokenTree::Ident(Ident::new("a", i.span()))
            }
            TokenTree::Group(g) => {
                let mut inner = proc_macro2::Group::new(g.delimiter(), with_lifetime_a(g.stream()));
                inner.set_span(g.span());
                TokenTree::Group(inner)
            }
            other => other,
        };
        after_quote = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '\'');
        out.push(tree);
    }
    out.into_iter().collect()
}

/// The helper every `…Indices::new` calls: finds export `name` (at the
/// root, or in `parent`) and checks that it is an instance or a function,
/// with an error that names it.
pub fn export_helper() -> TokenStream {
    let name = names::ident(EXPORT_HELPER);
    quote! {
        #[allow(dead_code)]
        fn #name(
            component: &::wit_host::Component,
            parent: ::core::option::Option<&::wit_host::ComponentExportIndex>,
            name: &str,
            instance: bool,
        ) -> ::wit_host::Result<::wit_host::ComponentExportIndex> {
            let what = if instance { "instance" } else { "function" };
            let full = match parent {
                ::core::option::Option::Some(p) => ::std::format!("{}#{name}", p.name()),
                ::core::option::Option::None => ::std::string::ToString::to_string(name),
            };
            let index = component.get_export_index(parent, name).ok_or_else(|| {
                ::wit_host::Error::msg(::std::format!(
                    "the component exports no {what} `{full}`"
                ))
            })?;
            let kind_matches = if instance { index.is_instance() } else { index.is_func() };
            if !kind_matches {
                return ::core::result::Result::Err(::wit_host::Error::msg(::std::format!(
                    "export `{full}` is not {} {what}", if instance { "an" } else { "a" }
                )));
            }
            ::core::result::Result::Ok(index)
        }
    }
}
