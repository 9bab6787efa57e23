//! Resources, on both sides.
//!
//! An imported (host) resource `r` gets an uninhabited marker type `R`
//! (handles are `wit_host::Resource<R>`, whose representation the host
//! chooses, typically a `ResourceTable` slot) and a `HostR` trait with
//! `new` for the constructor, a method per method and static function, and
//! `drop`, which runs when a guest drops the last handle. `add_to_linker`
//! defines the resource type (`ResourceType::host::<R>()`) with `drop` as
//! its destructor.
//!
//! An exported (guest) resource `r` gets an owned handle type `R`, a
//! `#[must_use]` wrapper of `wit_host::typed::GuestHandle` that is not
//! `Clone`: `resource_drop(self, store)` runs the guest's destructor,
//! `with(self, store, f)` drops it after `f` whatever `f` returns, passing
//! it as an `own` moves it into the guest (the handle records that), and
//! dropping it otherwise warns in debug builds (the resource then lives
//! until the store is dropped). A `GuestR` struct (and its
//! `GuestRIndices`, see [`super::exports`]) has `call_constructor`,
//! `call_<method>` (taking the handle as `&R`) and `call_<static>`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, Type, TypeId};

use super::exports::{ExportFunc, TypedStruct};
use super::imports::{HostMethod, host_return};
use super::names::{self, Scope};
use super::tracing::{in_span, trace_span};
use super::{Cx, Gen, Iface, Side, docs};

/// What an imported resource adds to its module.
pub struct HostResource {
    /// The marker type and the `HostR` trait.
    pub items: TokenStream,
    pub trait_name: Ident,
    /// For `add_to_linker`: the resource type and its functions.
    pub registrations: Vec<TokenStream>,
}

/// What an exported resource adds to its module.
pub struct GuestResource {
    /// The handle type, the `GuestR` struct and its indices.
    pub items: TokenStream,
    pub struct_name: Ident,
    pub indices_name: Ident,
}

/// The functions of `resource` among `funcs`, the constructor first (so
/// that it gets its generated name even if a method is called `new` or
/// `constructor`).
fn functions_of<'f>(
    resource: TypeId,
    funcs: impl Iterator<Item = &'f Function>,
) -> Vec<&'f Function> {
    let mut funcs: Vec<&Function> = funcs
        .filter(|f| match f.kind {
            FunctionKind::Constructor(r)
            | FunctionKind::Method(r)
            | FunctionKind::Static(r)
            | FunctionKind::AsyncMethod(r)
            | FunctionKind::AsyncStatic(r) => r == resource,
            _ => false,
        })
        .collect();
    funcs.sort_by_key(|f| !matches!(f.kind, FunctionKind::Constructor(_)));
    funcs
}

impl Gen<'_> {
    /// The host side of resource `id`, defined in `cx`'s module.
    pub fn host_resource<'f>(
        &self,
        cx: &Cx,
        iface: Option<&Iface>,
        id: TypeId,
        funcs: impl Iterator<Item = &'f Function>,
    ) -> HostResource {
        let def = &self.resolve.types[id];
        let wit_name = def.name.as_deref().unwrap_or_default();
        let marker = self.type_name(id);
        let trait_name = names::ident(&format!("Host{}", names::camel(wit_name)));
        let funcs = functions_of(id, funcs);
        let mut scope = Scope::with(["drop"]);
        let methods: Vec<HostMethod<'_>> = funcs
            .into_iter()
            .filter(|f| self.check_function(f))
            .map(|func| {
                let name = match func.kind {
                    FunctionKind::Constructor(_) => "new".to_string(),
                    _ => names::snake(func.item_name()),
                };
                HostMethod {
                    name: scope.claim_ident(&name),
                    func,
                    trappable: self.trappable(iface, func),
                }
            })
            .collect();
        let handle = quote!(::wit_host::Resource<#marker>);
        // `imports: { "…[drop]r": async | store | tracing }` (`trappable`
        // does not apply: the destructor returns `wit_host::Result`
        // already).
        let drop_name = format!("[drop]{wit_name}");
        let flags = self.func_flags(Side::Import, iface, &drop_name);
        let ret = host_return(Some(quote!(::wit_host::Result<()>)), flags.async_);
        let drop_doc = quote! {
            /// Drops the resource: a guest dropped its last handle.
            /// An `Err` traps the guest.
        };
        let (extra, store_extra) = if flags.store {
            let decl = quote! {
                #drop_doc
                fn drop(host: ::wit_host::Access<'_, T, Self>, rep: #handle) #ret;
            };
            (Vec::new(), vec![decl])
        } else {
            let decl = quote! {
                #drop_doc
                fn drop(&mut self, rep: #handle) #ret;
            };
            let forward = quote! {
                fn drop(&mut self, rep: #handle) #ret {
                    #trait_name::drop(*self, rep)
                }
            };
            (vec![(decl, forward)], Vec::new())
        };
        let trait_doc = format!(" The host's implementation of resource `{wit_name}`.");
        let host_trait = self.host_traits(
            cx,
            &trait_name,
            &[],
            quote!(#[doc = #trait_doc]),
            &methods,
            &extra,
            flags.async_ && !flags.store,
            store_extra,
        );
        let docs = docs(&def.docs);
        let marker_doc = format!(
            " The resource `{wit_name}`, implemented by the host (see [`{trait_name}`]); handles are `wit_host::Resource<{marker}>`."
        );
        let sep = def.docs.contents.is_some().then(|| quote!(#[doc = ""]));
        let marker_def = match self.with_type(cx, id) {
            Some(path) => quote!(pub type #marker = #path;),
            None => quote!(pub enum #marker {}),
        };
        let items = quote! {
            #docs
            #sep
            #[doc = #marker_doc]
            #marker_def

            #host_trait
        };
        let await_ = flags.async_.then(|| quote!(.await));
        let drop_call = if flags.store {
            let store_trait = super::imports::with_store_name(&trait_name);
            quote! {
                <D as #store_trait<T>>::drop(
                    ::wit_host::Access::<T, D>::new(::wit_host::AsContextMut::as_context_mut(&mut store), getter),
                    ::wit_host::Resource::new_own(rep),
                ) #await_
            }
        } else {
            quote! {
                let mut host = getter(store.data_mut());
                #trait_name::drop(&mut host, ::wit_host::Resource::new_own(rep)) #await_
            }
        };
        let (span, drop_call) = if flags.tracing {
            let module = match iface {
                Some(i) => i.name.clone(),
                None => self.resolve.worlds[self.world].name.clone(),
            };
            let rep = names::ident("rep");
            let span = trace_span("wit-bindgen import", &module, &drop_name);
            let event = self.trace_call_event(&[(&rep, &Type::U32)], flags.verbose);
            let returned = self.trace_return(None, flags.verbose);
            let body = quote! {
                #event
                let ret = { #drop_call };
                #returned
                ret
            };
            (Some(span), body)
        } else {
            (None, drop_call)
        };
        let drop_call = in_span(span, drop_call, flags.async_);
        let (define, drop_call) = if flags.async_ {
            (
                quote!(resource_async),
                quote!(::std::boxed::Box::new(#drop_call)),
            )
        } else {
            (quote!(resource), drop_call)
        };
        let define = quote! {
            inst.#define(
                #wit_name,
                ::wit_host::ResourceType::host::<#marker>(),
                move |mut store: ::wit_host::StoreContextMut<'_, T>, rep: u32| {
                    #drop_call
                },
            )?;
        };
        let mut registrations = vec![self.gate(&def.stability, define)];
        let trait_path = quote!(#trait_name);
        for m in &methods {
            registrations.push(self.gated_register(cx, &trait_path, m));
        }
        HostResource {
            items,
            trait_name,
            registrations,
        }
    }

    /// The guest side of resource `id` of exported interface `iface`.
    pub fn guest_resource<'f>(
        &self,
        cx: &Cx,
        iface: &Iface,
        id: TypeId,
        funcs: impl Iterator<Item = &'f Function>,
    ) -> GuestResource {
        let def = &self.resolve.types[id];
        let wit_name = def.name.as_deref().unwrap_or_default();
        let handle = self.type_name(id);
        let struct_name = names::ident(&format!("Guest{}", names::camel(wit_name)));
        let indices_name = names::ident(&format!("Guest{}Indices", names::camel(wit_name)));
        let mut fields = Scope::default();
        let mut methods = Scope::with(["new", "load"]);
        let funcs: Vec<ExportFunc<'_>> = functions_of(id, funcs)
            .into_iter()
            .filter(|f| self.check_function(f))
            .map(|func| {
                let name = match func.kind {
                    FunctionKind::Constructor(_) => "constructor".to_string(),
                    _ => names::snake(func.item_name()),
                };
                ExportFunc {
                    field: fields.claim_ident(&name),
                    method: methods.claim_ident(&format!("call_{name}")),
                    func,
                    export_name: format!("{}#{}", iface.name, func.name),
                }
            })
            .collect();
        let functions = self.typed_struct(
            cx,
            TypedStruct {
                name: struct_name.clone(),
                indices: indices_name.clone(),
                doc: format!(
                    " The constructor, methods and static functions of resource `{wit_name}` of one instance. Methods take the handle as `&{handle}` (the guest gets a `borrow`); functions that take an `own<{wit_name}>` take the `{handle}` by value."
                ),
                funcs: &funcs,
                parts: Vec::new(),
                new_params: quote! {
                    component: &::wit_host::Component,
                    instance: &::wit_host::ComponentExportIndex,
                },
                new_prelude: TokenStream::new(),
                parent: quote!(::core::option::Option::Some(instance)),
                methods: TokenStream::new(),
            },
        );

        let docs = docs(&def.docs);
        let sep = def.docs.contents.is_some().then(|| quote!(#[doc = ""]));
        let full_name = format!("{}#{wit_name}", iface.name);
        let handle_doc = format!(
            " An owned handle to a `{wit_name}`, a resource of the guest (`{full_name}`).\n\n\
             A handle ends in one of three ways:\n\n\
             - passed back to the guest as an `own<{wit_name}>` (by value, or inside a value), which moves the resource into the guest;\n\
             - [`{handle}::resource_drop`], which runs the guest's destructor (or [`{handle}::with`], which drops it after a closure, even when the closure fails);\n\
             - [`{handle}::into_resource_any`], for the dynamic API.\n\n\
             Methods borrow it (`&{handle}`). Letting it go out of scope cannot run the destructor, which needs the store: the resource stays in the store until the store is dropped, and debug builds print a warning naming the resource. Using a handle that was moved into the guest or dropped (through a `ResourceAny` copy) is an error, not a panic."
        );
        let must_use = format!(
            "a `{wit_name}` handle must be passed to the guest or dropped with `resource_drop(&mut store)`; otherwise the guest's destructor never runs"
        );
        let items = quote! {
            #docs
            #sep
            #[doc = #handle_doc]
            #[derive(::core::fmt::Debug, ::core::cmp::PartialEq)]
            #[must_use = #must_use]
            pub struct #handle(::wit_host::typed::GuestHandle);

            impl #handle {
                /// Runs the guest's destructor and gives up the handle; an
                /// error if the handle was moved into the guest already or
                /// belongs to another store.
                pub fn resource_drop(self, store: impl ::wit_host::AsContextMut) -> ::wit_host::Result<()> {
                    self.0.resource_drop(store)
                }

                ::wit_host::__if_async! {
                    /// [`Self::resource_drop`] for asynchronous stores: the
                    /// guest's destructor runs with `call_async`.
                    pub async fn resource_drop_async<S>(self, store: S) -> ::wit_host::Result<()>
                    where
                        S: ::wit_host::AsContextMut,
                        S::Data: ::core::marker::Send,
                    {
                        self.0.resource_drop_async(store).await
                    }
                }

                /// Runs `f` with the handle, then drops it (running the
                /// guest's destructor) whatever `f` returns, unless `f`
                /// moved it into the guest. `f`'s error comes first.
                pub fn with<S, R>(
                    self,
                    mut store: S,
                    f: impl ::core::ops::FnOnce(&mut S, &Self) -> ::wit_host::Result<R>,
                ) -> ::wit_host::Result<R>
                where
                    S: ::wit_host::AsContextMut,
                {
                    let out = f(&mut store, &self);
                    let dropped = if self.0.moved() {
                        ::core::result::Result::Ok(())
                    } else {
                        self.resource_drop(&mut store)
                    };
                    let out = out?;
                    dropped?;
                    ::core::result::Result::Ok(out)
                }

                /// Whether the handle was moved into the guest (passed as
                /// an `own`): it names nothing any more.
                pub fn moved(&self) -> bool {
                    self.0.moved()
                }

                /// Gives up the handle as a `ResourceAny`, for the dynamic
                /// API; drop that with `ResourceAny::resource_drop`.
                pub fn into_resource_any(self) -> ::wit_host::ResourceAny {
                    self.0.into_resource_any()
                }

                /// A handle from a `ResourceAny`; its type is checked when
                /// it is passed to the guest.
                pub fn from_resource_any(any: ::wit_host::ResourceAny) -> Self {
                    #handle(::wit_host::typed::GuestHandle::new(any, #full_name))
                }

                /// The underlying `ResourceAny`.
                pub fn as_resource_any(&self) -> &::wit_host::ResourceAny {
                    self.0.as_resource_any()
                }
            }

            impl ::wit_host::ComponentType for #handle {
                const SIZE32: u32 = <::wit_host::typed::GuestHandle as ::wit_host::ComponentType>::SIZE32;
                const ALIGN32: u32 = <::wit_host::typed::GuestHandle as ::wit_host::ComponentType>::ALIGN32;
                const FLAT_COUNT: usize = <::wit_host::typed::GuestHandle as ::wit_host::ComponentType>::FLAT_COUNT;
                const HAS_HANDLES: bool = true;

                fn typecheck(ty: &::wit_host::types::Type) -> ::wit_host::Result<()> {
                    <::wit_host::typed::GuestHandle as ::wit_host::ComponentType>::typecheck(ty)
                }
            }

            impl ::wit_host::Lower for #handle {
                fn lower_flat<T: 'static>(
                    &self,
                    cx: &mut ::wit_host::typed::LowerCx<'_, '_, T>,
                    ty: &::wit_host::types::Type,
                    dst: &mut ::wit_host::typed::FlatWriter<'_>,
                ) -> ::wit_host::Result<()> {
                    ::wit_host::Lower::lower_flat(&self.0, cx, ty, dst)
                }

                fn store<T: 'static>(
                    &self,
                    cx: &mut ::wit_host::typed::LowerCx<'_, '_, T>,
                    ty: &::wit_host::types::Type,
                    ptr: u32,
                ) -> ::wit_host::Result<()> {
                    ::wit_host::Lower::store(&self.0, cx, ty, ptr)
                }
            }

            impl ::wit_host::Lift for #handle {
                fn lift_flat<T: 'static>(
                    cx: &mut ::wit_host::typed::LiftCx<'_, '_, T>,
                    ty: &::wit_host::types::Type,
                    src: &mut ::wit_host::typed::FlatReader<'_>,
                ) -> ::wit_host::Result<Self> {
                    ::wit_host::typed::GuestHandle::lift_flat(cx, ty, src, #full_name).map(#handle)
                }

                fn load<T: 'static>(
                    cx: &mut ::wit_host::typed::LiftCx<'_, '_, T>,
                    ty: &::wit_host::types::Type,
                    ptr: u32,
                ) -> ::wit_host::Result<Self> {
                    ::wit_host::typed::GuestHandle::load(cx, ty, ptr, #full_name).map(#handle)
                }
            }

            #functions
        };
        GuestResource {
            items,
            struct_name,
            indices_name,
        }
    }
}
