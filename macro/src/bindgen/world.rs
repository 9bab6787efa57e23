//! The world: what `bindgen!` expands to at the top.
//!
//! - the world's own types, and its world-level resources (host side);
//! - `<World>Imports`, the trait of world-level imported functions (and
//!   `Host<Resource>` traits as supertraits);
//! - the world struct, holding the typed exports of one instance:
//!   `instantiate`, `new`, `add_to_linker` (every import),
//!   `add_to_linker_imports` (world-level ones), `call_<func>` per
//!   world-level export and an accessor per exported interface's `Guest`;
//! - `<World>Pre<T>`: an `InstancePre<T>` whose exports were type-checked
//!   once, instantiating cheaply;
//! - the module tree: `ns::pkg::iface` per imported interface,
//!   `exports::ns::pkg::iface` per exported one.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, FunctionKind, TypeDefKind, WorldItem};

use super::exports::{ExportFunc, TYPECHECK};
use super::imports::HostMethod;
use super::names::{self, Scope};
use super::{Cx, Gen, docs, relative};

/// A tree of generated modules.
#[derive(Default)]
struct ModTree {
    docs: TokenStream,
    items: TokenStream,
    children: Vec<(Ident, ModTree)>,
}

impl ModTree {
    fn insert(&mut self, path: &[Ident], docs: TokenStream, items: TokenStream) {
        match path.split_first() {
            None => {
                self.docs.extend(docs);
                self.items.extend(items);
            }
            Some((first, rest)) => {
                let child = match self.children.iter().position(|(n, _)| n == first) {
                    Some(i) => &mut self.children[i].1,
                    None => {
                        self.children.push((first.clone(), ModTree::default()));
                        &mut self.children.last_mut().expect("just pushed").1
                    }
                };
                child.insert(rest, docs, items);
            }
        }
    }

    /// The items and the child modules, without the module itself.
    fn render_contents(self) -> TokenStream {
        let mut out = self.items;
        for (name, child) in self.children {
            let docs = child.docs.clone();
            let contents = child.render_contents();
            out.extend(quote! {
                #docs
                pub mod #name {
                    #contents
                }
            });
        }
        out
    }
}

impl Gen<'_> {
    /// Everything `bindgen!` generates.
    pub fn world(&self) -> TokenStream {
        let world = &self.resolve.worlds[self.world];
        let cx = Cx::root();
        let mut tree = ModTree::default();
        for iface in &self.imports {
            let items = self.import_interface(iface);
            tree.insert(&iface.module, docs(&iface.docs), items);
        }
        for (pos, iface) in self.exports.iter().enumerate() {
            let items = self.export_interface(iface, pos);
            tree.insert(&iface.module, docs(&iface.docs), items);
        }
        if let Some((_, exports)) = tree.children.iter_mut().find(|(name, _)| name == "exports")
            && !self.exports.is_empty()
        {
            exports
                .docs
                .extend(quote!(#[doc = " The world's exported interfaces."]));
        }

        let world_types: Vec<_> = world
            .imports
            .values()
            .filter_map(|item| match item {
                WorldItem::Type { id, .. } => Some(*id),
                _ => None,
            })
            .collect();
        let helper = typecheck_helper();
        let mut out = if self.interfaces_only {
            let functions = self.world_funcs(false).len() + self.world_funcs(true).len();
            if functions + world_types.len() > 0 {
                self.error(
                    "`interfaces` takes `import` and `export` of interfaces only (no functions or types)",
                );
            }
            helper
        } else {
            let types = self.typedefs(&cx, world_types.iter().copied());
            let imports = self.world_imports(&cx, &world_types);
            let world_struct = self.world_struct(&cx, imports.trait_name.as_ref());
            let imports_items = imports.items;
            quote! {
                #types
                #imports_items
                #world_struct
                #helper
            }
        };
        out.extend(tree.render_contents());
        out
    }
}

/// The world-level imports: resources and the `<World>Imports` trait.
struct WorldImports {
    items: TokenStream,
    /// `None` when the world imports no functions or resources itself.
    trait_name: Option<Ident>,
}

impl Gen<'_> {
    fn world_funcs(&self, exports: bool) -> Vec<&Function> {
        let world = &self.resolve.worlds[self.world];
        let items = if exports {
            &world.exports
        } else {
            &world.imports
        };
        items
            .values()
            .filter_map(|item| match item {
                WorldItem::Function(f) => Some(f),
                _ => None,
            })
            .collect()
    }

    pub(super) fn world_names(&self) -> (Ident, Ident, Ident) {
        let name = names::camel(&self.resolve.worlds[self.world].name);
        (
            names::ident(&name),
            names::ident(&format!("{name}Pre")),
            names::ident(&format!("{name}Imports")),
        )
    }

    fn world_imports(&self, cx: &Cx, world_types: &[wit_parser::TypeId]) -> WorldImports {
        let funcs = self.world_funcs(false);
        let resources: Vec<_> = world_types
            .iter()
            .copied()
            .filter(|id| matches!(self.resolve.types[*id].kind, TypeDefKind::Resource))
            .collect();
        let freestanding: Vec<&Function> = funcs
            .iter()
            .copied()
            .filter(|f| {
                matches!(
                    f.kind,
                    FunctionKind::Freestanding | FunctionKind::AsyncFreestanding
                )
            })
            .filter(|f| self.check_function(f))
            .collect();
        if resources.is_empty() && freestanding.is_empty() {
            return WorldImports {
                items: TokenStream::new(),
                trait_name: None,
            };
        }
        let (world, _, trait_name) = self.world_names();
        let mut items = TokenStream::new();
        let mut supertraits = Vec::new();
        let mut registrations = Vec::new();
        for &r in &resources {
            let host = self.host_resource(cx, None, r, funcs.iter().copied());
            items.extend(host.items);
            let t = host.trait_name;
            supertraits.push(quote!(#t));
            registrations.extend(host.registrations);
        }
        supertraits.extend(self.convert_supertraits(cx, None, funcs.iter().copied()));
        let mut scope = Scope::default();
        let methods: Vec<HostMethod<'_>> = freestanding
            .into_iter()
            .map(|func| HostMethod {
                name: scope.claim_ident(&names::snake(&func.name)),
                func,
                trappable: self.trappable(None, func),
            })
            .collect();
        let doc = format!(
            " The host's implementation of the functions world `{}` imports itself.",
            self.resolve.worlds[self.world].name
        );
        items.extend(self.host_trait(
            cx,
            &trait_name,
            &supertraits,
            quote!(#[doc = #doc]),
            &methods,
            &self.convert_methods(cx, None, &trait_name),
        ));
        let trait_path = quote!(#trait_name);
        for m in &methods {
            registrations.push(self.register(cx, &trait_path, m));
        }
        let add = self.add_to_linker_fn(
            &names::ident("add_to_linker_imports"),
            &format!(
                " Defines the world-level imports in `linker`: every function calls the `{trait_name}` that `getter` returns for the store's data."
            ),
            None,
            quote!(#trait_name),
            registrations,
        );
        items.extend(quote! {
            impl #world {
                #add
            }
        });
        WorldImports {
            items,
            trait_name: Some(trait_name),
        }
    }

    /// The world struct, its `…Pre`, and their impls.
    fn world_struct(&self, cx: &Cx, imports_trait: Option<&Ident>) -> TokenStream {
        let world_def = &self.resolve.worlds[self.world];
        let (world, pre, _) = self.world_names();
        let mut fields = Scope::default();
        let mut methods = Scope::with([
            "new",
            "instantiate",
            "add_to_linker",
            "add_to_linker_imports",
            "typecheck",
        ]);
        let funcs: Vec<ExportFunc<'_>> = self
            .world_funcs(true)
            .into_iter()
            .filter(|f| self.check_function(f))
            .map(|func| ExportFunc {
                field: fields.claim_ident(&names::snake(&func.name)),
                method: methods.claim_ident(&format!("call_{}", names::snake(&func.name))),
                func,
                export_name: func.name.clone(),
            })
            .collect();
        let ifaces: Vec<_> = self
            .exports
            .iter()
            .map(|iface| {
                let base = iface.accessor.to_string();
                let field = fields.claim_ident(&base);
                let accessor = methods.claim_ident(&base);
                let guest = relative(&cx.module, &iface.module, quote!(Guest));
                (iface, field, accessor, guest)
            })
            .collect();

        let field_decls = funcs.iter().map(|f| self.typed_field(cx, f));
        let lookups = funcs.iter().map(|f| self.typed_lookup(cx, f));
        let checks = funcs.iter().map(|f| self.typed_check(cx, f));
        let calls = funcs.iter().map(|f| self.call_method(cx, f));
        let i_decls = ifaces.iter().map(|(_, f, _, g)| quote!(#f: #g,));
        let i_news = ifaces
            .iter()
            .map(|(_, f, _, g)| quote!(#f: #g::new(&mut store, instance)?,));
        let i_checks = ifaces
            .iter()
            .map(|(_, _, _, g)| quote!(#g::typecheck(sig)?;));
        let i_accessors = ifaces.iter().map(|(iface, f, a, g)| {
            let doc = format!(" The exported interface `{}`.", iface.name);
            quote! {
                #[doc = #doc]
                pub fn #a(&self) -> &#g {
                    &self.#f
                }
            }
        });

        // `add_to_linker`: every imported interface, then the world's own.
        let mut bounds = Vec::new();
        let mut adds = Vec::new();
        for iface in &self.imports {
            let host = relative(&cx.module, &iface.module, quote!(Host));
            let add = relative(&cx.module, &iface.module, quote!(add_to_linker));
            bounds.push(host);
            adds.push(quote!(#add::<T, D>(linker, getter)?;));
        }
        if let Some(t) = imports_trait {
            bounds.push(quote!(#t));
            adds.push(quote!(Self::add_to_linker_imports::<T, D>(linker, getter)?;));
        }
        if bounds.is_empty() {
            bounds.push(quote!(::core::marker::Sized));
        }

        let wit_name = &world_def.name;
        let world_docs = docs(&world_def.docs);
        let sep = world_def
            .docs
            .contents
            .is_some()
            .then(|| quote!(#[doc = ""]));
        let struct_doc = format!(
            " The exports of one instance of a component of world `{wit_name}`, typed: `call_…` for its functions, an accessor per exported interface."
        );
        let pre_doc = format!(
            " A component of world `{wit_name}` with its imports resolved against a linker and its exports type-checked, once: instantiates cheaply, any number of times."
        );
        let add_doc = format!(
            " Defines every import of world `{wit_name}` in `linker`: each function calls the host traits' implementation that `getter` returns for the store's data (use `wit_host::HasSelf<U>` for `|data| data`)."
        );
        quote! {
            #world_docs
            #sep
            #[doc = #struct_doc]
            pub struct #world {
                #(#field_decls)*
                #(#i_decls)*
            }

            #[doc = #pre_doc]
            pub struct #pre<T: 'static> {
                instance_pre: ::wit_host::InstancePre<T>,
            }

            impl<T: 'static> ::core::clone::Clone for #pre<T> {
                fn clone(&self) -> Self {
                    #pre {
                        instance_pre: self.instance_pre.clone(),
                    }
                }
            }

            impl<T: 'static> #pre<T> {
                /// Checks the types of the component's exports against the
                /// world's.
                pub fn new(instance_pre: ::wit_host::InstancePre<T>) -> ::wit_host::Result<Self> {
                    #world::typecheck(&instance_pre.component().component_type())?;
                    ::core::result::Result::Ok(#pre { instance_pre })
                }

                /// The `InstancePre` this wraps.
                pub fn instance_pre(&self) -> &::wit_host::InstancePre<T> {
                    &self.instance_pre
                }

                /// The engine the component was compiled for.
                pub fn engine(&self) -> &::wit_host::Engine {
                    self.instance_pre.component().engine()
                }

                /// Instantiates the component in `store`.
                pub fn instantiate(
                    &self,
                    mut store: impl ::wit_host::AsContextMut<Data = T>,
                ) -> ::wit_host::Result<#world> {
                    let instance = self.instance_pre.instantiate(&mut store)?;
                    #world::new(&mut store, &instance)
                }
            }

            impl #world {
                /// Instantiates `component` with `linker`'s definitions and
                /// looks up its exports.
                pub fn instantiate<T: 'static>(
                    store: impl ::wit_host::AsContextMut<Data = T>,
                    component: &::wit_host::Component,
                    linker: &::wit_host::Linker<T>,
                ) -> ::wit_host::Result<#world> {
                    #pre::new(linker.instantiate_pre(component)?)?.instantiate(store)
                }

                /// Looks up and type-checks the exports of `instance`.
                pub fn new(
                    mut store: impl ::wit_host::AsContextMut,
                    instance: &::wit_host::Instance,
                ) -> ::wit_host::Result<#world> {
                    let _ = (&mut store, instance);
                    ::core::result::Result::Ok(#world {
                        #(#lookups)*
                        #(#i_news)*
                    })
                }

                /// Checks the world's export types against a component's
                /// signature.
                #[doc(hidden)]
                pub fn typecheck(sig: &::wit_host::ComponentSignature) -> ::wit_host::Result<()> {
                    let _ = sig;
                    #(#checks)*
                    #(#i_checks)*
                    ::core::result::Result::Ok(())
                }

                #[doc = #add_doc]
                pub fn add_to_linker<T, D>(
                    linker: &mut ::wit_host::Linker<T>,
                    getter: fn(&mut T) -> D::Data<'_>,
                ) -> ::wit_host::Result<()>
                where
                    T: 'static,
                    D: ::wit_host::HasData,
                    for<'a> D::Data<'a>: #(#bounds)+*,
                {
                    let _ = (&linker, getter);
                    #(#adds)*
                    ::core::result::Result::Ok(())
                }

                #(#calls)*
                #(#i_accessors)*
            }
        }
    }
}

/// The helper every `typecheck` calls: finds export `name` (`a#b` inside
/// instance `a`) in a component's signature and checks it is a function of
/// type `P -> R`.
fn typecheck_helper() -> TokenStream {
    let name = names::ident(TYPECHECK);
    quote! {
        #[allow(dead_code)]
        fn #name<P, R>(sig: &::wit_host::ComponentSignature, name: &str) -> ::wit_host::Result<()>
        where
            P: ::wit_host::typed::ComponentList,
            R: ::wit_host::typed::ComponentList,
        {
            let mut path = name.split('#');
            let first = path.next().unwrap_or_default();
            let mut item = sig.exports().find(|(n, _)| *n == first).map(|(_, item)| item);
            for segment in path {
                item = match item {
                    ::core::option::Option::Some(::wit_host::ComponentItem::Instance(items)) => items
                        .iter()
                        .find(|(n, _)| n == segment)
                        .map(|(_, item)| item),
                    _ => ::core::option::Option::None,
                };
            }
            match item {
                ::core::option::Option::Some(::wit_host::ComponentItem::Func(ty)) => {
                    let params: ::std::vec::Vec<::wit_host::types::Type> =
                        ty.params().iter().map(|(_, t)| t.clone()).collect();
                    P::typecheck_list(&params)
                        .and_then(|()| R::typecheck_list(ty.results()))
                        .map_err(|e| {
                            ::wit_host::Error::msg(::std::format!(
                                "export `{name}` does not have the type the bindings expect: {e}"
                            ))
                        })
                }
                ::core::option::Option::Some(other) => ::core::result::Result::Err(
                    ::wit_host::Error::msg(::std::format!(
                        "export `{name}` is not a function: {other}"
                    )),
                ),
                ::core::option::Option::None => ::core::result::Result::Err(
                    ::wit_host::Error::msg(::std::format!(
                        "the component exports no function `{name}`"
                    )),
                ),
            }
        }
    }
}
