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
use wit_parser::{Function, TypeDefKind, WorldItem};

use super::exports::{ExportFunc, Part, TypedStruct, export_helper};
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

        let world_types = self.world_types();
        let helper = export_helper();
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
            let link_options = self.world_link_options();
            quote! {
                #link_options
                #types
                #imports_items
                #world_struct
                #helper
            }
        };
        out.extend(tree.render_contents());
        let mut code = self.path_aliases();
        code.extend(out);
        code
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

    /// `<World>Indices`, the world's checked export indices.
    pub(super) fn world_indices_name(&self) -> Ident {
        let name = names::camel(&self.resolve.worlds[self.world].name);
        names::ident(&format!("{name}Indices"))
    }

    pub(super) fn world_names(&self) -> (Ident, Ident, Ident) {
        let world = &self.resolve.worlds[self.world];
        let mut name = names::camel(&world.name);
        // A world-level resource's `Host<Resource>` trait may be named like
        // them (world `host`, resource `imports`): then they take `World`.
        let resource_traits: Vec<String> = world
            .imports
            .values()
            .filter_map(|item| match item {
                WorldItem::Type { id, .. }
                    if matches!(self.resolve.types[*id].kind, TypeDefKind::Resource) =>
                {
                    Some(format!("Host{}", names::camel(self.type_def_name(*id))))
                }
                _ => None,
            })
            .collect();
        let clash = |base: &str| {
            ["", "Pre", "Imports"]
                .iter()
                .any(|suffix| resource_traits.contains(&format!("{base}{suffix}")))
        };
        if clash(&name) {
            name.push_str("World");
        }
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
        let freestanding: Vec<&Function> = self.freestanding(funcs.iter().copied()).collect();
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
            registrations.push(self.gated_register(cx, &trait_path, m));
        }
        let link_options = self.world_link_options_name();
        let world_gate = &self.resolve.worlds[self.world].stability;
        let has_features = !self.world_features().is_empty();
        let add = self.add_to_linker_fn(
            &names::ident("add_to_linker_imports"),
            &format!(
                " Defines the world-level imports in `linker`: every function calls the `{trait_name}` that `getter` returns for the store's data."
            ),
            None,
            quote!(#trait_name),
            has_features.then_some((&link_options, world_gate)),
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
            "instantiate_async",
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

        let parts = ifaces
            .iter()
            .map(|(iface, field, _, guest)| {
                let indices = relative(&cx.module, &iface.module, quote!(GuestIndices));
                Part {
                    field: field.clone(),
                    ty: guest.clone(),
                    new: quote!(#indices::new(component)?),
                    indices,
                }
            })
            .collect();
        let i_accessors = ifaces.iter().map(|(iface, f, a, g)| {
            let doc = format!(" The exported interface `{}`.", iface.name);
            quote! {
                #[doc = #doc]
                pub fn #a(&self) -> &#g {
                    &self.#f
                }
            }
        });
        let indices = self.world_indices_name();
        let wit_name = &world_def.name;
        let typed = self.typed_struct(
            cx,
            TypedStruct {
                name: world.clone(),
                indices: indices.clone(),
                doc: format!(
                    " The exports of one instance of a component of world `{wit_name}`, typed: `call_…` for its functions, an accessor per exported interface."
                ),
                funcs: &funcs,
                parts,
                new_params: quote!(component: &::wit_host::Component),
                new_prelude: TokenStream::new(),
                parent: quote!(::core::option::Option::None),
                methods: quote!(#(#i_accessors)*),
            },
        );

        // `add_to_linker`: every imported interface, then the world's own.
        let mut bounds = Vec::new();
        let mut adds = Vec::new();
        // (Unstable imports: `options` passed on and gates, see
        // `super::features`.)
        let has_features = !self.world_features().is_empty();
        let options_arg = has_features.then(|| quote!(options,));
        for iface in &self.imports {
            let host = relative(&cx.module, &iface.module, quote!(Host));
            let add = relative(&cx.module, &iface.module, quote!(add_to_linker));
            bounds.push(host);
            let options_arg = (!self.iface_features(iface.id).is_empty())
                .then(|| quote!(&::core::convert::Into::into(options),));
            let call = quote!(#add::<T, D>(linker, #options_arg getter)?;);
            adds.push(self.gate(&self.import_stability(iface.id), call));
        }
        if let Some(t) = imports_trait {
            bounds.push(quote!(#t));
            adds.push(quote!(Self::add_to_linker_imports::<T, D>(linker, #options_arg getter)?;));
        }
        let link_options = self.world_link_options_name();
        let options_param = has_features.then(|| quote!(options: &#link_options,));
        let adds = self.gate(
            &world_def.stability,
            quote! {
                let _ = (&linker, getter, #options_arg);
                #(#adds)*
            },
        );
        if bounds.is_empty() {
            bounds.push(quote!(::core::marker::Sized));
        }

        // (`store` functions' traits, `T: Send`: see `super::imports`.)
        let linker_bounds = self.world_linker_bounds();
        let world_docs = docs(&world_def.docs);
        let sep = world_def
            .docs
            .contents
            .is_some()
            .then(|| quote!(#[doc = ""]));
        let pre_doc = format!(
            " A component of world `{wit_name}` with its imports resolved against a linker and its exports type-checked, once: instantiates cheaply, any number of times."
        );
        let add_doc = format!(
            " Defines every import of world `{wit_name}` in `linker`: each function calls the host traits' implementation that `getter` returns for the store's data (use `wit_host::HasSelf<U>` for `|data| data`)."
        );
        quote! {
            #world_docs
            #sep
            #typed

            #[doc = #pre_doc]
            pub struct #pre<T: 'static> {
                instance_pre: ::wit_host::InstancePre<T>,
                indices: #indices,
            }

            impl<T: 'static> ::core::clone::Clone for #pre<T> {
                fn clone(&self) -> Self {
                    #pre {
                        instance_pre: self.instance_pre.clone(),
                        indices: self.indices.clone(),
                    }
                }
            }

            impl<T: 'static> #pre<T> {
                /// Looks up the component's exports and checks their
                /// types against the world's, once; the error names the
                /// first export that is missing or has another type.
                pub fn new(instance_pre: ::wit_host::InstancePre<T>) -> ::wit_host::Result<Self> {
                    let indices = #indices::new(instance_pre.component())?;
                    ::core::result::Result::Ok(#pre { instance_pre, indices })
                }

                /// The `InstancePre` this wraps.
                pub fn instance_pre(&self) -> &::wit_host::InstancePre<T> {
                    &self.instance_pre
                }

                /// The exports' indices, checked.
                pub fn indices(&self) -> &#indices {
                    &self.indices
                }

                /// The engine the component was compiled for.
                pub fn engine(&self) -> &::wit_host::Engine {
                    self.instance_pre.component().engine()
                }

                /// Instantiates the component in `store`: no name lookups,
                /// no type checks.
                pub fn instantiate(
                    &self,
                    mut store: impl ::wit_host::AsContextMut<Data = T>,
                ) -> ::wit_host::Result<#world> {
                    let instance = self.instance_pre.instantiate(&mut store)?;
                    self.indices.load(&mut store, &instance)
                }
            }

            ::wit_host::__if_async! {
                impl<T: ::core::marker::Send + 'static> #pre<T> {
                    /// [`Self::instantiate`] for asynchronous stores (the
                    /// component imports `async` functions, or the store
                    /// yields on epochs or fuel): instantiates with
                    /// `InstancePre::instantiate_async`.
                    pub async fn instantiate_async(
                        &self,
                        mut store: impl ::wit_host::AsContextMut<Data = T>,
                    ) -> ::wit_host::Result<#world> {
                        let instance = self.instance_pre.instantiate_async(&mut store).await?;
                        self.indices.load(&mut store, &instance)
                    }
                }

                impl #world {
                    /// [`Self::instantiate`] for asynchronous stores (see
                    /// the `…Pre`'s `instantiate_async`).
                    pub async fn instantiate_async<T: ::core::marker::Send + 'static>(
                        store: impl ::wit_host::AsContextMut<Data = T>,
                        component: &::wit_host::Component,
                        linker: &::wit_host::Linker<T>,
                    ) -> ::wit_host::Result<#world> {
                        #pre::new(linker.instantiate_pre(component)?)?.instantiate_async(store).await
                    }
                }
            }

            impl #world {
                /// Instantiates `component` with `linker`'s definitions and
                /// looks up its exports. (To instantiate a component many
                /// times, make its `…Pre` once.)
                pub fn instantiate<T: 'static>(
                    store: impl ::wit_host::AsContextMut<Data = T>,
                    component: &::wit_host::Component,
                    linker: &::wit_host::Linker<T>,
                ) -> ::wit_host::Result<#world> {
                    #pre::new(linker.instantiate_pre(component)?)?.instantiate(store)
                }

                /// Looks up and type-checks the exports of `instance`; the
                /// error names the first export that is missing or has
                /// another type.
                pub fn new(
                    mut store: impl ::wit_host::AsContextMut,
                    instance: &::wit_host::Instance,
                ) -> ::wit_host::Result<#world> {
                    let component = instance.component(&mut store)?;
                    #indices::new(&component)?.load(&mut store, instance)
                }

                #[doc = #add_doc]
                pub fn add_to_linker<T, D>(
                    linker: &mut ::wit_host::Linker<T>,
                    #options_param
                    getter: fn(&mut T) -> D::Data<'_>,
                ) -> ::wit_host::Result<()>
                where
                    T: 'static,
                    D: ::wit_host::HasData,
                    for<'a> D::Data<'a>: #(#bounds)+*,
                    #linker_bounds
                {
                    #adds
                    ::core::result::Result::Ok(())
                }

            }
        }
    }
}
