//! WIT types in Rust: type expressions ([`Gen::ty`]) and the definitions
//! of named types ([`Gen::typedefs`]).
//!
//! | WIT | Rust |
//! |---|---|
//! | `record` | struct with `#[derive(ComponentType, Lift, Lower)]`, `#[component(record)]` |
//! | `variant` | enum, `#[component(variant)]` |
//! | `enum` | `#[repr(u8)]` enum, `#[component(enum)]` |
//! | `flags` | `wit_host::flags!` |
//! | `type x = y` | `pub type X = Y;` |
//! | `option`, `result`, `tuple`, `list`, `string` | `Option`, `Result`, tuples, `Vec`, `String` |
//! | `own<r>`, `borrow<r>` | `Resource<R>` (host resources), `R` / `&R` (guest resources) |
//!
//! Every type derives `Debug` and `PartialEq`, and `Clone`, `Copy` and
//! `Eq` where its fields allow; types used as a `result`'s error also get
//! `Display` and `std::error::Error`.
//!
//! Parameters of exported functions, which the host passes to the guest,
//! are borrowed where that saves a copy ([`Mode::Param`]): `&str`, `&[T]`,
//! `&Record` for records and variants that are not `Copy`. Under
//! `ownership: Borrowing`, types passed to exports also get a borrowing
//! form `Name<'a>` (see [`super::ownership`]), written in
//! [`Mode::Borrowed`].

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;
use wit_parser::{Handle, Type, TypeDefKind, TypeId};

use super::imports::MAX_TUPLE;
use super::names::{self, ident};
use super::{Cx, Gen, Side, docs};

/// How a type is passed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Owned: fields, results, host function parameters.
    Owned,
    /// Borrowed where possible: parameters of exported functions.
    /// `static_` writes the references as `&'static` (for the type of a
    /// stored `TypedFunc`).
    Param { static_: bool },
    /// Inside the borrowing form of a type (`ownership: Borrowing`): like
    /// `Param`, references for the form's lifetime `'a`.
    Borrowed,
}

/// What a type's Rust form can derive.
#[derive(Clone, Copy, Debug)]
pub struct Props {
    pub clone: bool,
    pub copy: bool,
    pub eq: bool,
    /// Whether values hold resource handles (which derive nothing but
    /// `Debug` and `PartialEq`, so `additional_derives` skip the type).
    pub handles: bool,
    /// Whether values hold a tuple longer than [`STD_TUPLE`], which has
    /// no `Debug` nor `PartialEq`: the type gets neither derived (nor
    /// `additional_derives`), but a `Debug` of its own that shows its name.
    pub wide: bool,
    /// Whether values hold a `map` (a `HashMap`, which has no `Hash`,
    /// `PartialOrd` nor `Ord`: `additional_derives` skip those).
    pub maps: bool,
    /// Whether values hold a fixed-length list longer than
    /// [`STD_ARRAY_DEFAULT`] (an array with no `Default`: skipped too).
    pub long_arrays: bool,
}

/// The longest array the standard library implements `Default` for.
pub const STD_ARRAY_DEFAULT: u32 = 32;

/// The longest tuple the standard library implements `Debug` and
/// `PartialEq` for.
pub const STD_TUPLE: usize = 12;

impl Props {
    const ALL: Props = Props {
        clone: true,
        copy: true,
        eq: true,
        handles: false,
        wide: false,
        maps: false,
        long_arrays: false,
    };
    const HANDLE: Props = Props {
        clone: false,
        copy: false,
        eq: false,
        handles: true,
        wide: false,
        maps: false,
        long_arrays: false,
    };

    fn and(self, other: Props) -> Props {
        Props {
            clone: self.clone && other.clone,
            copy: self.copy && other.copy,
            eq: self.eq && other.eq,
            handles: self.handles || other.handles,
            wide: self.wide || other.wide,
            maps: self.maps || other.maps,
            long_arrays: self.long_arrays || other.long_arrays,
        }
    }
}

impl Gen<'_> {
    /// The Rust type of `ty`, seen from `cx`.
    pub fn ty(&self, cx: &Cx, ty: &Type, mode: Mode) -> TokenStream {
        match ty {
            Type::Bool => quote!(bool),
            Type::U8 => quote!(u8),
            Type::U16 => quote!(u16),
            Type::U32 => quote!(u32),
            Type::U64 => quote!(u64),
            Type::S8 => quote!(i8),
            Type::S16 => quote!(i16),
            Type::S32 => quote!(i32),
            Type::S64 => quote!(i64),
            Type::F32 => quote!(f32),
            Type::F64 => quote!(f64),
            Type::Char => quote!(char),
            Type::String => match mode {
                Mode::Owned => quote!(::std::string::String),
                Mode::Param { .. } | Mode::Borrowed => {
                    let lt = lifetime(mode);
                    quote!(&#lt str)
                }
            },
            Type::ErrorContext => {
                self.error("`error-context` is not supported");
                quote!(())
            }
            Type::Id(id) => self.ty_id(cx, *id, mode),
        }
    }

    /// The Rust type of `result` as a function's return value (`()` for
    /// none).
    pub fn result_ty(&self, cx: &Cx, result: Option<&Type>) -> TokenStream {
        match result {
            Some(ty) => self.ty(cx, ty, Mode::Owned),
            None => quote!(()),
        }
    }

    fn ty_id(&self, cx: &Cx, id: TypeId, mode: Mode) -> TokenStream {
        let def = &self.resolve.types[id];
        let target = self.dealias(id);
        // A resource's name in a type position is `own<resource>`.
        if let TypeDefKind::Resource = self.resolve.types[target].kind {
            return self.handle(cx, target, true, mode);
        }
        if def.name.is_some() {
            if mode != Mode::Owned
                && let Some(name) = self.borrowing_form(id)
            {
                let (module, _) = self.type_module(id, cx);
                let path = self.path(cx, module, name);
                let lt = generic_lifetime(mode);
                return quote!(#path<#lt>);
            }
            let path = self.type_path(cx, id);
            return match mode {
                Mode::Owned => path,
                _ if self.props(&Type::Id(id)).copy => path,
                Mode::Param { .. } | Mode::Borrowed => match &self.resolve.types[target].kind {
                    TypeDefKind::Record(_)
                    | TypeDefKind::Variant(_)
                    | TypeDefKind::Enum(_)
                    | TypeDefKind::Flags(_) => {
                        let lt = lifetime(mode);
                        quote!(&#lt #path)
                    }
                    // An alias of an anonymous type is passed as that type.
                    kind => self.kind(cx, kind, mode),
                },
            };
        }
        self.kind(cx, &def.kind, mode)
    }

    /// The Rust type of an anonymous type (or of the right-hand side of a
    /// named alias).
    fn kind(&self, cx: &Cx, kind: &TypeDefKind, mode: Mode) -> TokenStream {
        match kind {
            TypeDefKind::Type(t) => self.ty(cx, t, mode),
            TypeDefKind::List(t) => {
                let elem = self.ty(cx, t, self.element_mode(mode));
                match mode {
                    Mode::Owned => quote!(::std::vec::Vec<#elem>),
                    Mode::Param { .. } | Mode::Borrowed => {
                        let lt = lifetime(mode);
                        quote!(&#lt [#elem])
                    }
                }
            }
            TypeDefKind::Option(t) => {
                let t = self.ty(cx, t, mode);
                quote!(::core::option::Option<#t>)
            }
            TypeDefKind::Result(r) => {
                let ok = r.ok.as_ref().map_or(quote!(()), |t| self.ty(cx, t, mode));
                let err = r.err.as_ref().map_or(quote!(()), |t| self.ty(cx, t, mode));
                quote!(::core::result::Result<#ok, #err>)
            }
            TypeDefKind::Tuple(t) => {
                if t.types.len() > MAX_TUPLE {
                    self.error(format!(
                        "tuples of more than {MAX_TUPLE} types are not supported (the typed API implements tuples up to {MAX_TUPLE})"
                    ));
                }
                let types = t.types.iter().map(|t| self.ty(cx, t, mode));
                quote!((#(#types,)*))
            }
            TypeDefKind::Handle(Handle::Own(r)) => self.handle(cx, self.dealias(*r), true, mode),
            TypeDefKind::Handle(Handle::Borrow(r)) => {
                self.handle(cx, self.dealias(*r), false, mode)
            }
            // `HashMap<K, V>` (the typed API also takes `BTreeMap`); its
            // parameter form is borrowed, like a list's.
            TypeDefKind::Map(key, value) => {
                let elem_mode = self.element_mode(mode);
                let key = self.ty(cx, key, elem_mode);
                let value = self.ty(cx, value, elem_mode);
                let map = quote!(::std::collections::HashMap<#key, #value>);
                match mode {
                    Mode::Owned => map,
                    Mode::Param { .. } | Mode::Borrowed => {
                        let lt = lifetime(mode);
                        quote!(&#lt #map)
                    }
                }
            }
            // `[T; N]` in every position, as an array is a value.
            TypeDefKind::FixedLengthList(elem, len) => {
                let elem = self.ty(cx, elem, self.element_mode(mode));
                let len = proc_macro2::Literal::usize_unsuffixed(*len as usize);
                quote!([#elem; #len])
            }
            TypeDefKind::Future(_) | TypeDefKind::Stream(_) => {
                self.unsupported("`future` and `stream` types")
            }
            TypeDefKind::Record(_)
            | TypeDefKind::Variant(_)
            | TypeDefKind::Enum(_)
            | TypeDefKind::Flags(_)
            | TypeDefKind::Resource
            | TypeDefKind::Unknown => {
                self.error("internal: anonymous nominal type");
                quote!(())
            }
        }
    }

    /// The mode of the elements of a list, map or fixed-length list in
    /// `mode`: `Borrowing` borrows them too (`&[&str]`), otherwise they
    /// are owned.
    fn element_mode(&self, mode: Mode) -> Mode {
        if self.deep_borrows() {
            mode
        } else {
            Mode::Owned
        }
    }

    fn unsupported(&self, what: &str) -> TokenStream {
        self.error(format!(
            "{what} are not supported yet by wit_host::bindgen! (nor by the wit-host runtime)"
        ));
        quote!(())
    }

    /// A handle to `resource`: `Resource<R>` for host resources (imported
    /// ones), the guest resource type `R` (or `&R` when borrowed as a
    /// parameter) for exported ones.
    pub fn handle(&self, cx: &Cx, resource: TypeId, own: bool, mode: Mode) -> TokenStream {
        let path = self.type_path(cx, resource);
        match self.type_module(resource, cx).1 {
            Side::Import => quote!(::wit_host::Resource<#path>),
            Side::Export => match (own, mode) {
                (false, Mode::Param { .. }) => {
                    let lt = lifetime(mode);
                    quote!(&#lt #path)
                }
                _ => path,
            },
        }
    }

    /// Whether the parameter form of `ty` borrows.
    pub fn borrows(&self, cx: &Cx, ty: &Type) -> bool {
        let a = self.ty(cx, ty, Mode::Param { static_: false }).to_string();
        let b = self.ty(cx, ty, Mode::Param { static_: true }).to_string();
        a != b
    }

    /// What `ty`'s Rust form can derive.
    pub fn props(&self, ty: &Type) -> Props {
        match ty {
            Type::F32 | Type::F64 => Props {
                eq: false,
                ..Props::ALL
            },
            Type::String => Props {
                copy: false,
                ..Props::ALL
            },
            Type::Id(id) => self.props_id(*id),
            _ => Props::ALL,
        }
    }

    fn props_id(&self, id: TypeId) -> Props {
        let all = |types: &mut dyn Iterator<Item = &Type>| {
            types.fold(Props::ALL, |p, t| p.and(self.props(t)))
        };
        match &self.resolve.types[id].kind {
            TypeDefKind::Record(r) => all(&mut r.fields.iter().map(|f| &f.ty)),
            TypeDefKind::Variant(v) => all(&mut v.cases.iter().filter_map(|c| c.ty.as_ref())),
            TypeDefKind::Tuple(t) if t.types.len() > STD_TUPLE => Props {
                eq: false,
                wide: true,
                ..all(&mut t.types.iter())
            },
            TypeDefKind::Tuple(t) => all(&mut t.types.iter()),
            TypeDefKind::Option(t) | TypeDefKind::Type(t) => self.props(t),
            TypeDefKind::Result(r) => all(&mut r.ok.iter().chain(&r.err)),
            TypeDefKind::List(t) => Props {
                copy: false,
                ..self.props(t)
            },
            TypeDefKind::Map(k, v) => Props {
                copy: false,
                maps: true,
                ..all(&mut [k, v].into_iter())
            },
            TypeDefKind::FixedLengthList(t, len) => {
                let elem = self.props(t);
                Props {
                    long_arrays: elem.long_arrays || *len > STD_ARRAY_DEFAULT,
                    ..elem
                }
            }
            TypeDefKind::Enum(_) | TypeDefKind::Flags(_) => Props::ALL,
            TypeDefKind::Handle(_) | TypeDefKind::Resource => Props::HANDLE,
            // Unsupported (reported elsewhere).
            _ => Props::ALL,
        }
    }

    /// The definitions of the named types `ids`, written in `cx`'s module
    /// (resources excepted: see [`super::resources`]).
    pub fn typedefs(&self, cx: &Cx, ids: impl IntoIterator<Item = TypeId>) -> TokenStream {
        ids.into_iter().map(|id| self.typedef(cx, id)).collect()
    }

    /// The owned form of `id` and its borrowing form (see
    /// [`super::ownership`]), those it has.
    fn typedef(&self, cx: &Cx, id: TypeId) -> TokenStream {
        let mut out = TokenStream::new();
        if self.has_owned_form(id) {
            out.extend(self.typedef_form(cx, id, None));
        }
        if let Some(name) = self.borrowing_form(id) {
            out.extend(self.typedef_form(cx, id, Some(name)));
        }
        out
    }

    /// One form of `id`: the owned one, or the borrowing one named
    /// `borrowing`.
    fn typedef_form(&self, cx: &Cx, id: TypeId, borrowing: Option<&Ident>) -> TokenStream {
        let def = &self.resolve.types[id];
        let name = borrowing.cloned().unwrap_or_else(|| self.type_name(id));
        let type_docs = docs(&def.docs);
        let mut props = self.props(&Type::Id(id));
        // A borrowing form holds references: it lowers only, and copies
        // where it clones (unless it holds handles).
        let (mode, generics) = match borrowing {
            Some(_) => {
                props.copy = props.clone;
                (Mode::Borrowed, quote!(<'a>))
            }
            None => (Mode::Owned, TokenStream::new()),
        };
        let mut derives = vec![quote!(::wit_host::ComponentType)];
        if borrowing.is_none() {
            derives.push(quote!(::wit_host::Lift));
        }
        derives.push(quote!(::wit_host::Lower));
        if !props.wide {
            derives.push(quote!(::core::fmt::Debug));
        }
        if props.clone {
            derives.push(quote!(::core::clone::Clone));
        }
        if props.copy {
            derives.push(quote!(::core::marker::Copy));
        }
        if !props.wide {
            derives.push(quote!(::core::cmp::PartialEq));
        }
        if props.eq {
            derives.push(quote!(::core::cmp::Eq));
        }
        // `additional_derives`, but not those derived already (by the
        // above, or by `flags!`), nor on types with handles.
        let given: &[&str] = match def.kind {
            TypeDefKind::Flags(_) => &[
                "Clone",
                "Copy",
                "PartialEq",
                "Eq",
                "Hash",
                "Debug",
                "Default",
            ],
            _ => &["Clone", "Copy", "PartialEq", "Eq", "Debug"],
        };
        let last = |p: &syn::Path| p.segments.last().map(|s| s.ident.to_string());
        // A derived `Default` of an enum is its first case, which must have
        // no payload.
        let default_case = match &def.kind {
            TypeDefKind::Enum(_) => true,
            TypeDefKind::Variant(v) => v.cases.first().is_some_and(|c| c.ty.is_none()),
            _ => false,
        };
        let enum_like = matches!(def.kind, TypeDefKind::Enum(_) | TypeDefKind::Variant(_));
        let extra: Vec<&syn::Path> = self
            .additional_derives
            .iter()
            .filter(|_| !props.handles && !props.wide)
            .filter(|p| !given.contains(&last(p).as_deref().unwrap_or_default()))
            .filter(|p| !(enum_like && !default_case && last(p).as_deref() == Some("Default")))
            .filter(|p| {
                let name = last(p);
                let name = name.as_deref().unwrap_or_default();
                !(props.maps && ["Hash", "PartialOrd", "Ord"].contains(&name)
                    || props.long_arrays && name == "Default")
            })
            .collect();
        let default_attr = (enum_like
            && extra.iter().any(|p| last(p).as_deref() == Some("Default")))
        .then(|| quote!(#[default]));
        derives.extend(extra.iter().map(|p| quote!(#p)));
        let derive = quote!(#[derive(#(#derives),*)]);
        let flags_derive = (!extra.is_empty()).then(|| quote!(#[derive(#(#extra),*)]));
        if let Some(path) = self.with_type(cx, id)
            && !matches!(def.kind, TypeDefKind::Resource)
            && borrowing.is_none()
        {
            return quote! {
                #type_docs
                pub type #name = #path;
            };
        }
        let def_tokens = match &def.kind {
            TypeDefKind::Record(r) => {
                let fields = r.fields.iter().map(|f| {
                    let field = ident(&names::snake(&f.name));
                    let label = &f.name;
                    let ty = self.ty(cx, &f.ty, mode);
                    let docs = docs(&f.docs);
                    quote! {
                        #docs
                        #[component(name = #label)]
                        pub #field: #ty,
                    }
                });
                quote! {
                    #type_docs
                    #derive
                    #[component(record)]
                    pub struct #name #generics {
                        #(#fields)*
                    }
                }
            }
            TypeDefKind::Variant(v) => {
                let cases = v.cases.iter().enumerate().map(|(i, c)| {
                    let case = ident(&names::camel(&c.name));
                    let label = &c.name;
                    let docs = docs(&c.docs);
                    let payload = c.ty.as_ref().map(|t| {
                        let t = self.ty(cx, t, mode);
                        quote!((#t))
                    });
                    let default = default_attr.as_ref().filter(|_| i == 0);
                    quote! {
                        #docs
                        #default
                        #[component(name = #label)]
                        #case #payload,
                    }
                });
                quote! {
                    #type_docs
                    #derive
                    #[component(variant)]
                    pub enum #name #generics {
                        #(#cases)*
                    }
                }
            }
            TypeDefKind::Enum(e) => {
                let repr = match e.cases.len() {
                    0..=256 => quote!(u8),
                    257..=65536 => quote!(u16),
                    _ => quote!(u32),
                };
                let cases = e.cases.iter().enumerate().map(|(i, c)| {
                    let case = ident(&names::camel(&c.name));
                    let label = &c.name;
                    let docs = docs(&c.docs);
                    let default = default_attr.as_ref().filter(|_| i == 0);
                    quote! {
                        #docs
                        #default
                        #[component(name = #label)]
                        #case,
                    }
                });
                quote! {
                    #type_docs
                    #derive
                    #[component(enum)]
                    #[repr(#repr)]
                    pub enum #name {
                        #(#cases)*
                    }
                }
            }
            TypeDefKind::Flags(f) => {
                let flags = f.flags.iter().map(|flag| {
                    let constant = ident(&names::shouty(&flag.name));
                    let label = Literal::string(&flag.name);
                    let docs = docs(&flag.docs);
                    quote! {
                        #docs
                        const #constant = #label;
                    }
                });
                quote! {
                    ::wit_host::flags! {
                        #type_docs
                        #flags_derive
                        pub #name {
                            #(#flags)*
                        }
                    }
                }
            }
            TypeDefKind::Resource => return TokenStream::new(),
            // `use` and `type x = y` of a named type: the same Rust type.
            TypeDefKind::Type(Type::Id(target)) if self.resolve.types[*target].name.is_some() => {
                let path = match borrowing {
                    None => self.type_path(cx, *target),
                    Some(_) => self.ty(cx, &Type::Id(*target), mode),
                };
                return quote! {
                    #type_docs
                    pub type #name #generics = #path;
                };
            }
            kind => {
                let ty = self.kind(cx, kind, mode);
                return quote! {
                    #type_docs
                    pub type #name #generics = #ty;
                };
            }
        };
        let error =
            (self.error_types.contains(&id) && borrowing.is_none()).then(|| error_impls(&name));
        let debug = props.wide.then(|| {
            let shown = name.to_string();
            quote! {
                impl #generics ::core::fmt::Debug for #name #generics {
                    fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                        f.debug_struct(#shown).finish_non_exhaustive()
                    }
                }
            }
        });
        quote!(#def_tokens #debug #error)
    }
}

/// `Display` (as `Debug`) and `Error` for a type used as an error.
fn error_impls(name: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(self, f)
            }
        }
        impl ::std::error::Error for #name {}
    }
}

/// The lifetime references are written with in `mode`.
fn lifetime(mode: Mode) -> TokenStream {
    match mode {
        Mode::Param { static_: true } => quote!('static),
        Mode::Borrowed => quote!('a),
        _ => TokenStream::new(),
    }
}

/// The lifetime argument of a borrowing form in `mode`.
fn generic_lifetime(mode: Mode) -> TokenStream {
    match mode {
        Mode::Param { static_: false } => quote!('_),
        _ => lifetime(mode),
    }
}
