//! What every derive's output shares: the trait paths, the `impl` header
//! with the bounds a generic type needs, the method signatures and the
//! spelling of associated constants.
//!
//! Generated code names everything by absolute path (`::wit_host::...`),
//! so that it means the same wherever it is expanded, and brings no names
//! into scope that could shadow the user's.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{format_ident, quote};
use syn::{GenericParam, Type, WherePredicate, parse_quote};

use crate::input::{Body, Item};

/// One of the three derivable traits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Trait {
    /// `wit_host::typed::ComponentType`.
    ComponentType,
    /// `wit_host::typed::Lower`.
    Lower,
    /// `wit_host::typed::Lift`.
    Lift,
}

impl Trait {
    /// The trait's absolute path.
    pub fn path(self) -> TokenStream {
        match self {
            Trait::ComponentType => quote!(::wit_host::typed::ComponentType),
            Trait::Lower => quote!(::wit_host::typed::Lower),
            Trait::Lift => quote!(::wit_host::typed::Lift),
        }
    }
}

/// `<ty as ComponentType>::NAME`: an associated constant of a member's
/// type.
pub fn ct_const(ty: &Type, name: &str) -> TokenStream {
    let name = format_ident!("{name}");
    quote!(<#ty as ::wit_host::typed::ComponentType>::#name)
}

/// `a + b + ...` (`zero` if there is none).
pub fn join(
    items: impl IntoIterator<Item = TokenStream>,
    op: TokenStream,
    zero: TokenStream,
) -> TokenStream {
    let mut items = items.into_iter();
    match items.next() {
        None => zero,
        Some(first) => items.fold(first, |acc, item| quote!(#acc #op #item)),
    }
}

/// `#[automatically_derived] impl<..> Trait for Name<..> where ..`: the
/// type's own bounds, plus `Member: Trait` for each field or payload type
/// that mentions a type parameter (so `Wrapper<T>` needs `T: Lower` to be
/// `Lower`, and a concrete type needs nothing).
pub fn impl_header(item: &Item<'_>, tr: Trait) -> TokenStream {
    let path = tr.path();
    let ident = item.ident;
    let (impl_generics, ty_generics, where_clause) = item.generics.split_for_impl();
    let mut predicates: Vec<WherePredicate> = where_clause
        .map(|w| w.predicates.iter().cloned().collect())
        .unwrap_or_default();
    let params: Vec<&Ident> = item
        .generics
        .params
        .iter()
        .filter_map(|p| match p {
            GenericParam::Type(t) => Some(&t.ident),
            _ => None,
        })
        .collect();
    let mut bounded: Vec<String> = Vec::new();
    for ty in member_types(item) {
        let text = quote!(#ty).to_string();
        if mentions(quote!(#ty), &params) && !bounded.contains(&text) {
            predicates.push(parse_quote!(#ty: #path));
            bounded.push(text);
        }
    }
    let where_clause = if predicates.is_empty() {
        quote!()
    } else {
        quote!(where #(#predicates),*)
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #path for #ident #ty_generics #where_clause
    }
}

/// The Rust types of the item's fields or payloads, in order.
fn member_types<'a>(item: &Item<'a>) -> Vec<&'a Type> {
    match &item.body {
        Body::Record(fields) => fields.iter().map(|f| f.ty).collect(),
        Body::Variant(cases) | Body::Enum(cases) => {
            cases.iter().filter_map(|c| c.payload).collect()
        }
    }
}

/// Whether `tokens` name one of `params`.
fn mentions(tokens: TokenStream, params: &[&Ident]) -> bool {
    tokens.into_iter().any(|tt| match tt {
        TokenTree::Ident(ident) => params.contains(&&ident),
        TokenTree::Group(group) => mentions(group.stream(), params),
        _ => false,
    })
}

/// The method signatures of `Lower` and `Lift`. The store-data type
/// parameter is `T` as in the traits, unless the item has a generic
/// parameter of that name.
pub struct Sigs {
    /// The store-data type parameter's name.
    t: Ident,
}

/// A parameter's name: `name`, or `_name` where the body does not use it.
pub fn param(name: &str, used: bool) -> Ident {
    if used {
        format_ident!("{name}")
    } else {
        format_ident!("_{name}")
    }
}

impl Sigs {
    /// Signatures for `item`'s impls.
    pub fn new(item: &Item<'_>) -> Sigs {
        let taken: Vec<String> = item
            .generics
            .params
            .iter()
            .filter_map(|p| match p {
                GenericParam::Type(t) => Some(t.ident.to_string()),
                GenericParam::Const(c) => Some(c.ident.to_string()),
                GenericParam::Lifetime(_) => None,
            })
            .collect();
        let t = ["T", "D", "S", "StoreData"]
            .into_iter()
            .find(|t| !taken.iter().any(|p| p == t))
            .unwrap_or("__WitHostStoreData");
        Sigs {
            t: format_ident!("{t}"),
        }
    }

    /// `fn lower_flat<T>(&self, cx, ty, dst) -> Result<()>`.
    pub fn lower_flat(&self, cx: Ident, ty: Ident, dst: Ident) -> TokenStream {
        let t = &self.t;
        quote! {
            #[inline]
            fn lower_flat<#t: 'static>(
                &self,
                #cx: &mut ::wit_host::typed::LowerCx<'_, '_, #t>,
                #ty: &::wit_host::types::Type,
                #dst: &mut ::wit_host::typed::FlatWriter<'_>,
            ) -> ::wit_host::Result<()>
        }
    }

    /// `fn store<T>(&self, cx, ty, ptr) -> Result<()>`.
    pub fn store(&self, cx: Ident, ty: Ident, ptr: Ident) -> TokenStream {
        let t = &self.t;
        quote! {
            #[inline]
            fn store<#t: 'static>(
                &self,
                #cx: &mut ::wit_host::typed::LowerCx<'_, '_, #t>,
                #ty: &::wit_host::types::Type,
                #ptr: u32,
            ) -> ::wit_host::Result<()>
        }
    }

    /// `fn lift_flat<T>(cx, ty, src) -> Result<Self>`.
    pub fn lift_flat(&self, cx: Ident, ty: Ident, src: Ident) -> TokenStream {
        let t = &self.t;
        quote! {
            #[inline]
            fn lift_flat<#t: 'static>(
                #cx: &mut ::wit_host::typed::LiftCx<'_, '_, #t>,
                #ty: &::wit_host::types::Type,
                #src: &mut ::wit_host::typed::FlatReader<'_>,
            ) -> ::wit_host::Result<Self>
        }
    }

    /// `fn load_from<T>(cx, ty, ptr, bytes) -> Result<Self>`.
    pub fn load_from(&self, cx: Ident, ty: Ident, ptr: Ident, bytes: Ident) -> TokenStream {
        let t = &self.t;
        quote! {
            #[inline]
            fn load_from<#t: 'static>(
                #cx: &mut ::wit_host::typed::LiftCx<'_, '_, #t>,
                #ty: &::wit_host::types::Type,
                #ptr: u32,
                #bytes: &[u8],
            ) -> ::wit_host::Result<Self>
        }
    }

    /// `fn load<T>(cx, ty, ptr) -> Result<Self>`.
    pub fn load(&self, cx: Ident, ty: Ident, ptr: Ident) -> TokenStream {
        let t = &self.t;
        quote! {
            #[inline]
            fn load<#t: 'static>(
                #cx: &mut ::wit_host::typed::LiftCx<'_, '_, #t>,
                #ty: &::wit_host::types::Type,
                #ptr: u32,
            ) -> ::wit_host::Result<Self>
        }
    }
}

/// `fn typecheck(ty: &Type) -> Result<()>`.
pub fn typecheck_sig() -> TokenStream {
    quote!(fn typecheck(ty: &::wit_host::types::Type) -> ::wit_host::Result<()>)
}

/// The little-endian integer type of a case index for `cases` cases
/// (`discriminant_type`: the same sizes as the runtime's
/// `discriminant_size`).
pub fn discriminant_type(cases: usize) -> Ident {
    match cases {
        0..=0x100 => format_ident!("u8"),
        0x101..=0x1_0000 => format_ident!("u16"),
        _ => format_ident!("u32"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::DeriveInput;

    fn header(input: DeriveInput, tr: Trait) -> String {
        let item = Item::parse(&input).unwrap();
        impl_header(&item, tr).to_string()
    }

    #[test]
    fn concrete_types_get_no_bounds() {
        let h = header(
            parse_quote!(
                #[component(record)]
                struct P {
                    x: u32,
                }
            ),
            Trait::Lower,
        );
        assert_eq!(
            h,
            quote!(#[automatically_derived] impl ::wit_host::typed::Lower for P).to_string()
        );
    }

    #[test]
    fn generic_members_are_bounded_once() {
        let h = header(
            parse_quote!(
                #[component(record)]
                struct P<T: Copy>
                where
                    T: Eq,
                {
                    a: T,
                    b: Vec<T>,
                    c: T,
                    d: u8,
                }
            ),
            Trait::Lift,
        );
        let want = quote! {
            #[automatically_derived]
            impl<T: Copy> ::wit_host::typed::Lift for P<T>
            where T: Eq, T: ::wit_host::typed::Lift, Vec<T>: ::wit_host::typed::Lift
        };
        assert_eq!(h, want.to_string());
    }

    #[test]
    fn store_data_parameter_avoids_the_items() {
        let t = |input: DeriveInput| Sigs::new(&Item::parse(&input).unwrap()).t.to_string();
        assert_eq!(
            t(parse_quote!(
                #[component(record)]
                struct P {
                    x: u32,
                }
            )),
            "T"
        );
        assert_eq!(
            t(parse_quote!(
                #[component(record)]
                struct P<T, const D: u8> {
                    x: T,
                }
            )),
            "S"
        );
    }

    #[test]
    fn discriminant_types_follow_the_case_count() {
        let d = |n| discriminant_type(n).to_string();
        assert_eq!(
            [d(1), d(256), d(257), d(65536), d(65537)],
            ["u8", "u8", "u16", "u16", "u32"]
        );
    }
}
