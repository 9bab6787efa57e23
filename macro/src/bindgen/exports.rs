//! Exports: typed wrappers for calling what the component exports.
//!
//! Each exported interface gets a module under `exports::` with its types
//! and a `Guest` struct holding one `TypedFunc` per function (looked up
//! and type-checked when the struct is made), with a `call_<func>` method
//! per function; exported resources get a `Guest<Resource>` struct too
//! (see [`super::resources`]).
//!
//! `call_<func>` takes the parameters borrowed where that saves a copy
//! (`&str`, `&[T]`, `&Record`). A `TypedFunc` is stored with `'static`
//! borrows in its parameter type and used at the caller's lifetimes: its
//! parameter type only constrains what `call` accepts (it is phantom, and
//! `call` keeps nothing past the call), so the cast is sound; it is the one
//! `unsafe` in generated code.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, TypeDefKind};

use super::imports::many_arguments;
use super::names::{self, Scope};
use super::types::Mode;
use super::{Cx, Gen, Iface, docs, relative};

/// The root helper that checks one export's type against a component's
/// signature (see [`super::world`]).
pub const TYPECHECK: &str = "__wit_host_typecheck";

/// One exported function, as a typed function in a struct.
pub struct ExportFunc<'a> {
    /// The struct field holding the `TypedFunc`.
    pub field: Ident,
    /// The `call_…` method.
    pub method: Ident,
    pub func: &'a Function,
    /// The name `wit_host::Instance::get_func` takes:
    /// `ns:pkg/iface#name`, or `name` at the world level.
    pub export_name: String,
}

impl Gen<'_> {
    /// `(P, R)` of `func`'s `TypedFunc`; parameters borrowed, `'static` if
    /// `static_`.
    fn typed_func_types(
        &self,
        cx: &Cx,
        func: &Function,
        static_: bool,
    ) -> (TokenStream, TokenStream) {
        let params = func
            .params
            .iter()
            .map(|p| self.ty(cx, &p.ty, Mode::Param { static_ }));
        let results = match &func.result {
            Some(t) => {
                let t = self.ty(cx, t, Mode::Owned);
                quote!((#t,))
            }
            None => quote!(()),
        };
        (quote!((#(#params,)*)), results)
    }

    /// `field: TypedFunc<P, R>,`
    pub fn typed_field(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func, true);
        let field = &f.field;
        quote!(#field: ::wit_host::TypedFunc<#p, #r>,)
    }

    /// `field: instance.get_typed_func::<P, R>(&mut store, "name")?,`
    pub fn typed_lookup(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func, true);
        let (field, name) = (&f.field, &f.export_name);
        quote!(#field: instance.get_typed_func::<#p, #r>(&mut store, #name)?,)
    }

    /// The check of `f`'s type against a component signature `sig`.
    pub fn typed_check(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let (p, r) = self.typed_func_types(cx, f.func, true);
        let name = &f.export_name;
        let helper = relative(&cx.module, &[], {
            let helper = names::ident(TYPECHECK);
            quote!(#helper)
        });
        quote!(#helper::<#p, #r>(sig, #name)?;)
    }

    /// `pub fn call_…(&self, store, params…) -> Result<R>`.
    pub fn call_method(&self, cx: &Cx, f: &ExportFunc<'_>) -> TokenStream {
        let params = self.param_names(f.func);
        let types = f
            .func
            .params
            .iter()
            .map(|p| self.ty(cx, &p.ty, Mode::Param { static_: false }));
        let ret = self.result_ty(cx, f.func.result.as_ref());
        let borrows = f.func.params.iter().any(|p| self.borrows(cx, &p.ty));
        let field = &f.field;
        let (func, allow) = if borrows {
            let (p, r) = self.typed_func_types(cx, f.func, false);
            (
                quote! {
                    // SAFETY: a `TypedFunc`'s parameter type only constrains
                    // what `call` accepts; the function is the same for any
                    // lifetime of the borrows, and `call` keeps none of them.
                    let func = unsafe {
                        &*(&raw const self.#field).cast::<::wit_host::TypedFunc<#p, #r>>()
                    };
                },
                quote!(#[allow(unsafe_code)]),
            )
        } else {
            (quote!(let func = &self.#field;), TokenStream::new())
        };
        let call = quote!(func.call(store, (#(#params,)*))?);
        let body = match &f.func.result {
            Some(_) => quote! {
                let (ret,) = #call;
                ::core::result::Result::Ok(ret)
            },
            None => quote! {
                #call;
                ::core::result::Result::Ok(())
            },
        };
        let method = &f.method;
        let docs = docs(&f.func.docs);
        let many = many_arguments(params.len() + 2);
        let about = format!(" Calls the guest's `{}`.", f.export_name);
        let sep = (!f.func.docs.is_empty()).then(|| quote!(#[doc = ""]));
        quote! {
            #docs
            #sep
            #[doc = #about]
            #allow
            #many
            pub fn #method(
                &self,
                store: impl ::wit_host::AsContextMut,
                #(#params: #types),*
            ) -> ::wit_host::Result<#ret> {
                #func
                #body
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
        let mut methods = Scope::with(["new", "typecheck"]);
        let funcs: Vec<ExportFunc<'_>> = def
            .functions
            .values()
            .filter(|f| {
                matches!(
                    f.kind,
                    FunctionKind::Freestanding | FunctionKind::AsyncFreestanding
                )
            })
            .filter(|f| self.check_function(f))
            .map(|func| ExportFunc {
                field: fields.claim_ident(&names::snake(&func.name)),
                method: methods.claim_ident(&format!("call_{}", names::snake(&func.name))),
                func,
                export_name: format!("{}#{}", iface.name, func.name),
            })
            .collect();

        let mut resource_items = TokenStream::new();
        let mut resource_fields = Vec::new();
        for id in def.types.values().copied() {
            if !matches!(self.resolve.types[id].kind, TypeDefKind::Resource) {
                continue;
            }
            let guest = self.guest_resource(&cx, iface, id, def.functions.values());
            resource_items.extend(guest.items);
            let wit_name = self.resolve.types[id].name.as_deref().unwrap_or_default();
            let field = fields.claim_ident(&names::snake(wit_name));
            let accessor = methods.claim_ident(&names::snake(wit_name));
            resource_fields.push((field, accessor, guest.struct_name, wit_name));
        }

        let field_decls = funcs.iter().map(|f| self.typed_field(&cx, f));
        let lookups = funcs.iter().map(|f| self.typed_lookup(&cx, f));
        let checks = funcs.iter().map(|f| self.typed_check(&cx, f));
        let calls = funcs.iter().map(|f| self.call_method(&cx, f));
        let r_decls = resource_fields.iter().map(|(f, _, s, _)| quote!(#f: #s,));
        let r_news = resource_fields
            .iter()
            .map(|(f, _, s, _)| quote!(#f: #s::new(&mut store, instance)?,));
        let r_checks = resource_fields
            .iter()
            .map(|(_, _, s, _)| quote!(#s::typecheck(sig)?;));
        let r_accessors = resource_fields.iter().map(|(f, a, s, wit_name)| {
            let doc =
                format!(" The constructor, methods and static functions of resource `{wit_name}`.");
            quote! {
                #[doc = #doc]
                pub fn #a(&self) -> &#s {
                    &self.#f
                }
            }
        });
        let struct_doc = format!(
            " The functions of the exported interface `{}` of one instance.",
            iface.name
        );
        quote! {
            #types
            #resource_items

            #[doc = #struct_doc]
            pub struct Guest {
                #(#field_decls)*
                #(#r_decls)*
            }

            impl Guest {
                /// Looks up and type-checks the interface's functions in
                /// `instance`.
                pub fn new(
                    mut store: impl ::wit_host::AsContextMut,
                    instance: &::wit_host::Instance,
                ) -> ::wit_host::Result<Guest> {
                    let _ = (&mut store, instance);
                    ::core::result::Result::Ok(Guest {
                        #(#lookups)*
                        #(#r_news)*
                    })
                }

                /// Checks the interface's function types against a
                /// component's signature.
                #[doc(hidden)]
                pub fn typecheck(sig: &::wit_host::ComponentSignature) -> ::wit_host::Result<()> {
                    let _ = sig;
                    #(#checks)*
                    #(#r_checks)*
                    ::core::result::Result::Ok(())
                }

                #(#calls)*
                #(#r_accessors)*
            }
        }
    }
}
