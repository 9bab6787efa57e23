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
//! `#[must_use]` wrapper of `ResourceAny` that is not `Clone` and whose
//! `resource_drop(self, store)` runs the guest's destructor, and a
//! `GuestR` struct with `call_constructor`, `call_<method>` (taking the
//! handle as `&R`) and `call_<static>`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, TypeId};

use super::exports::ExportFunc;
use super::imports::HostMethod;
use super::names::{self, Scope};
use super::{Cx, Gen, Iface, docs};

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
    /// The handle type and the `GuestR` struct.
    pub items: TokenStream,
    pub struct_name: Ident,
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
            | FunctionKind::AsyncStatic(r)
            | FunctionKind::MethodGetter(r)
            | FunctionKind::MethodSetter(r)
            | FunctionKind::StaticGetter(r)
            | FunctionKind::StaticSetter(r) => r == resource,
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
        let drop_decl = quote! {
            /// Drops the resource: a guest dropped its last handle.
            /// An `Err` traps the guest.
            fn drop(&mut self, rep: #handle) -> ::wit_host::Result<()>;
        };
        let drop_forward = quote! {
            fn drop(&mut self, rep: #handle) -> ::wit_host::Result<()> {
                #trait_name::drop(*self, rep)
            }
        };
        let trait_doc = format!(" The host's implementation of resource `{wit_name}`.");
        let host_trait = self.host_trait(
            cx,
            &trait_name,
            &[],
            quote!(#[doc = #trait_doc]),
            &methods,
            &[(drop_decl, drop_forward)],
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
        let mut registrations = vec![quote! {
            inst.resource(
                #wit_name,
                ::wit_host::ResourceType::host::<#marker>(),
                move |mut store: ::wit_host::StoreContextMut<'_, T>, rep: u32| {
                    let mut host = getter(store.data_mut());
                    #trait_name::drop(&mut host, ::wit_host::Resource::new_own(rep))
                },
            )?;
        }];
        let trait_path = quote!(#trait_name);
        for m in &methods {
            registrations.push(self.register(cx, &trait_path, m));
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
        let mut fields = Scope::default();
        let mut methods = Scope::with(["new", "typecheck"]);
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
        let field_decls = funcs.iter().map(|f| self.typed_field(cx, f));
        let lookups = funcs.iter().map(|f| self.typed_lookup(cx, f));
        let checks = funcs.iter().map(|f| self.typed_check(cx, f));
        let calls = funcs.iter().map(|f| self.call_method(cx, f));

        let docs = docs(&def.docs);
        let sep = def.docs.contents.is_some().then(|| quote!(#[doc = ""]));
        let handle_doc = format!(
            " An owned handle to a `{wit_name}`, a resource of the guest. Pass it back to the guest or drop it with [`{handle}::resource_drop`], which runs the guest's destructor; letting it go out of scope leaks the resource until the instance's store is dropped."
        );
        let must_use = format!(
            "a `{wit_name}` handle must be passed to the guest or dropped with `resource_drop`"
        );
        let struct_doc =
            format!(" The constructor, methods and static functions of resource `{wit_name}`.");
        let items = quote! {
            #docs
            #sep
            #[doc = #handle_doc]
            #[derive(::core::fmt::Debug, ::core::cmp::PartialEq)]
            #[must_use = #must_use]
            pub struct #handle(::wit_host::ResourceAny);

            impl #handle {
                /// Drops the handle and runs the guest's destructor.
                pub fn resource_drop(self, store: impl ::wit_host::AsContextMut) -> ::wit_host::Result<()> {
                    self.0.resource_drop(store)
                }

                /// The handle as a `ResourceAny`, for the dynamic API.
                pub fn into_resource_any(self) -> ::wit_host::ResourceAny {
                    self.0
                }

                /// A handle from a `ResourceAny`; its type is checked when
                /// it is passed to the guest.
                pub fn from_resource_any(any: ::wit_host::ResourceAny) -> Self {
                    #handle(any)
                }

                /// The underlying `ResourceAny`.
                pub fn as_resource_any(&self) -> &::wit_host::ResourceAny {
                    &self.0
                }
            }

            impl ::wit_host::ComponentType for #handle {
                const SIZE32: u32 = <::wit_host::ResourceAny as ::wit_host::ComponentType>::SIZE32;
                const ALIGN32: u32 = <::wit_host::ResourceAny as ::wit_host::ComponentType>::ALIGN32;
                const FLAT_COUNT: usize = <::wit_host::ResourceAny as ::wit_host::ComponentType>::FLAT_COUNT;
                const HAS_HANDLES: bool = true;

                fn typecheck(ty: &::wit_host::types::Type) -> ::wit_host::Result<()> {
                    <::wit_host::ResourceAny as ::wit_host::ComponentType>::typecheck(ty)
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
                    <::wit_host::ResourceAny as ::wit_host::Lift>::lift_flat(cx, ty, src).map(#handle)
                }

                fn load<T: 'static>(
                    cx: &mut ::wit_host::typed::LiftCx<'_, '_, T>,
                    ty: &::wit_host::types::Type,
                    ptr: u32,
                ) -> ::wit_host::Result<Self> {
                    <::wit_host::ResourceAny as ::wit_host::Lift>::load(cx, ty, ptr).map(#handle)
                }
            }

            #[doc = #struct_doc]
            pub struct #struct_name {
                #(#field_decls)*
            }

            impl #struct_name {
                /// Looks up and type-checks the resource's functions in
                /// `instance`.
                pub fn new(
                    mut store: impl ::wit_host::AsContextMut,
                    instance: &::wit_host::Instance,
                ) -> ::wit_host::Result<Self> {
                    let _ = (&mut store, instance);
                    ::core::result::Result::Ok(#struct_name {
                        #(#lookups)*
                    })
                }

                /// Checks the resource's function types against a
                /// component's signature.
                #[doc(hidden)]
                pub fn typecheck(sig: &::wit_host::ComponentSignature) -> ::wit_host::Result<()> {
                    let _ = sig;
                    #(#checks)*
                    ::core::result::Result::Ok(())
                }

                #(#calls)*
            }
        };
        GuestResource { items, struct_name }
    }
}
