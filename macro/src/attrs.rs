//! `#[component(...)]` options, parsed once into typed values: the kind of
//! interface type on the derived type, `name = "..."` on its fields and
//! cases. Errors go to the item's [`Errors`] so that all are reported.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Error, LitStr, Token};

use crate::errors::Errors;

/// The interface type a derived Rust type stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `#[component(record)]` on a struct with named fields.
    Record,
    /// `#[component(variant)]` on an enum whose cases have at most one
    /// payload.
    Variant,
    /// `#[component(enum)]` on an enum of unit cases.
    Enum,
}

impl Kind {
    /// The option's keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::Record => "record",
            Kind::Variant => "variant",
            Kind::Enum => "enum",
        }
    }

    /// The kind an option's path names, if it names one.
    fn from_meta(meta: &ParseNestedMeta<'_>) -> Option<Kind> {
        [Kind::Record, Kind::Variant, Kind::Enum]
            .into_iter()
            .find(|kind| meta.path.is_ident(kind.keyword()))
    }
}

/// Whether `attr` is one of ours.
fn is_component(attr: &Attribute) -> bool {
    attr.path().is_ident("component")
}

/// What the derived type's attributes say of its kind.
#[derive(Clone, Copy, Debug)]
pub enum KindAttr {
    /// A kind, with the span of its keyword.
    Given(Kind, Span),
    /// Nothing: the caller reports that the kind is missing.
    Missing,
    /// No valid kind, and the attributes' errors are reported already.
    Invalid,
}

/// The kind given on the derived type.
pub fn kind(attrs: &[Attribute], errors: &mut Errors) -> KindAttr {
    let mut kind = None;
    let mut failed = false;
    for attr in attrs.iter().filter(|a| is_component(a)) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(found) = Kind::from_meta(&meta) else {
                let msg = if meta.path.is_ident("name") {
                    "`name` goes on fields and cases; the type takes `record`, `variant` or `enum`"
                        .to_string()
                } else {
                    format!(
                        "unknown option `{}`: expected `record`, `variant` or `enum`",
                        path_text(&meta)
                    )
                };
                return Err(meta.error(msg));
            };
            match kind {
                Some((first, _)) => errors.push(Error::new_spanned(
                    &meta.path,
                    format!(
                        "the kind is given twice: already `{}`",
                        Kind::keyword(first)
                    ),
                )),
                None => kind = Some((found, span_of(&meta))),
            }
            Ok(())
        });
        failed |= errors.ok(result).is_none();
    }
    match kind {
        Some((kind, span)) => KindAttr::Given(kind, span),
        None if failed => KindAttr::Invalid,
        None => KindAttr::Missing,
    }
}

/// The options on a record field or a variant or enum case.
#[derive(Default)]
pub struct MemberAttrs {
    /// `name = "..."`: the interface name, instead of the kebab-case
    /// Rust name.
    pub name: Option<LitStr>,
}

/// Parses the options on a field or case.
pub fn member(attrs: &[Attribute], errors: &mut Errors) -> MemberAttrs {
    let mut out = MemberAttrs::default();
    for attr in attrs.iter().filter(|a| is_component(a)) {
        let result = attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("name") {
                let msg = match Kind::from_meta(&meta) {
                    Some(kind) => format!(
                        "`{}` goes on the type, not on a field or case",
                        kind.keyword()
                    ),
                    None => format!(
                        "unknown option `{}`: fields and cases take `name = \"...\"`",
                        path_text(&meta)
                    ),
                };
                return Err(meta.error(msg));
            }
            let value = meta.value()?;
            // Everything up to the next option, so that a wrong value is
            // reported whole (and parsing goes on after it).
            let mut tokens = TokenStream::new();
            while !value.is_empty() && !value.peek(Token![,]) {
                tokens.extend([value.parse::<proc_macro2::TokenTree>()?]);
            }
            let Ok(lit) = syn::parse2::<LitStr>(tokens.clone()) else {
                errors.push(Error::new_spanned(
                    tokens,
                    "`name` must be a string literal, like `name = \"y-coord\"`",
                ));
                return Ok(());
            };
            if out.name.is_some() {
                errors.push(Error::new(lit.span(), "`name` is given twice"));
            } else {
                out.name = Some(lit);
            }
            Ok(())
        });
        errors.ok(result);
    }
    out
}

/// An option's path as written, for messages.
fn path_text(meta: &ParseNestedMeta<'_>) -> String {
    let path = &meta.path;
    quote::quote!(#path).to_string().replace(' ', "")
}

/// The span of an option's path.
fn span_of(meta: &ParseNestedMeta<'_>) -> Span {
    syn::spanned::Spanned::span(&meta.path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    fn kind_of(attrs: &[Attribute]) -> Result<Option<Kind>, String> {
        let mut errors = Errors::default();
        let found = kind(attrs, &mut errors);
        let result = errors.finish(()).map_err(|e| all_messages(&e));
        match found {
            KindAttr::Given(kind, _) => result.map(|()| Some(kind)),
            KindAttr::Missing => result.map(|()| None),
            KindAttr::Invalid => {
                assert!(result.is_err(), "invalid without an error");
                result.map(|()| None)
            }
        }
    }

    fn name_of(attrs: &[Attribute]) -> Result<Option<String>, String> {
        let mut errors = Errors::default();
        let name = member(attrs, &mut errors).name.map(|n| n.value());
        errors.finish(name).map_err(|e| all_messages(&e))
    }

    fn all_messages(e: &Error) -> String {
        e.clone()
            .into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    #[test]
    fn kinds() {
        assert_eq!(
            kind_of(&[parse_quote!(#[component(record)])]),
            Ok(Some(Kind::Record))
        );
        assert_eq!(
            kind_of(&[parse_quote!(#[component(variant)])]),
            Ok(Some(Kind::Variant))
        );
        assert_eq!(
            kind_of(&[parse_quote!(#[component(enum)])]),
            Ok(Some(Kind::Enum))
        );
        assert_eq!(kind_of(&[parse_quote!(#[repr(u8)])]), Ok(None));
        assert_eq!(kind_of(&[]), Ok(None));
        assert_eq!(kind_of(&[parse_quote!(#[component()])]), Ok(None));
    }

    #[test]
    fn kind_errors() {
        assert_eq!(
            kind_of(&[parse_quote!(#[component(struct)])]),
            Err("unknown option `struct`: expected `record`, `variant` or `enum`".into())
        );
        assert_eq!(
            kind_of(&[parse_quote!(#[component(record, variant)])]),
            Err("the kind is given twice: already `record`".into())
        );
        assert_eq!(
            kind_of(&[parse_quote!(#[component(name = "x")])]),
            Err(
                "`name` goes on fields and cases; the type takes `record`, `variant` or `enum`"
                    .into()
            )
        );
        assert_eq!(
            kind_of(&[parse_quote!(#[component])]),
            Err("expected attribute arguments in parentheses: #[component(...)]".into())
        );
    }

    #[test]
    fn names() {
        assert_eq!(
            name_of(&[parse_quote!(#[component(name = "y-coord")])]),
            Ok(Some("y-coord".into()))
        );
        assert_eq!(name_of(&[parse_quote!(#[doc = "x"])]), Ok(None));
    }

    #[test]
    fn name_errors_are_all_reported() {
        assert_eq!(
            name_of(&[parse_quote!(#[component(name = 1 + 2, name = "a", name = "b")])]),
            Err("`name` must be a string literal, like `name = \"y-coord\"` / `name` is given twice"
                .into())
        );
        assert_eq!(
            name_of(&[parse_quote!(#[component(record)])]),
            Err("`record` goes on the type, not on a field or case".into())
        );
        assert_eq!(
            name_of(&[parse_quote!(#[component(rename = "a")])]),
            Err("unknown option `rename`: fields and cases take `name = \"...\"`".into())
        );
    }
}
