//! The derive input checked and resolved into what the code generators
//! need: the kind, and each field or case with its interface name and
//! type. Every misuse found in one item is reported together.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DataEnum, DataStruct, DeriveInput, Error, Fields, Generics, Ident, Type};

use crate::attrs::{self, Kind, KindAttr};
use crate::errors::Errors;
use crate::names::{self, Name};

/// How to give a field or case its interface name, for error messages.
const RENAME: &str = "#[component(name = \"...\")]";

/// A derived type, checked.
pub struct Item<'a> {
    /// The Rust type's name.
    pub ident: &'a Ident,
    /// The Rust type's generics.
    pub generics: &'a Generics,
    /// What it is, with its fields or cases.
    pub body: Body<'a>,
}

/// The interface type of an [`Item`].
pub enum Body<'a> {
    /// A record: named fields in order.
    Record(Vec<Field<'a>>),
    /// A variant: cases in order, each with at most one payload.
    Variant(Vec<Case<'a>>),
    /// An enum: cases in order, none with a payload.
    Enum(Vec<Case<'a>>),
}

/// A record field.
pub struct Field<'a> {
    /// The Rust field.
    pub ident: &'a Ident,
    /// The Rust field's type.
    pub ty: &'a Type,
    /// The interface name.
    pub name: Name,
}

/// A variant or enum case.
pub struct Case<'a> {
    /// The Rust enum variant.
    pub ident: &'a Ident,
    /// How the Rust variant is written when it has no payload: nothing
    /// (`A`), `()` (`A()`) or `{}` (`A {}`), for patterns and constructors.
    pub empty: TokenStream,
    /// The payload's Rust type, if the case has one.
    pub payload: Option<&'a Type>,
    /// The interface name.
    pub name: Name,
}

impl<'a> Item<'a> {
    /// Checks `input` and resolves its names.
    pub fn parse(input: &'a DeriveInput) -> syn::Result<Item<'a>> {
        let mut errors = Errors::default();
        let kind = attrs::kind(&input.attrs, &mut errors);
        let ident = &input.ident;
        let body = match (&input.data, kind) {
            (Data::Union(u), _) => {
                errors.push(Error::new_spanned(
                    u.union_token,
                    "a union cannot be a component type: use a struct with \
                     `#[component(record)]`, or an enum with `#[component(variant)]` \
                     or `#[component(enum)]`",
                ));
                None
            }
            (Data::Struct(s), KindAttr::Given(Kind::Record, _)) => {
                Some(Body::Record(fields(s, &mut errors)))
            }
            (Data::Struct(s), other) => {
                match other {
                    KindAttr::Given(kind, span) => errors.push(Error::new(
                        span,
                        format!(
                            "`#[component({})]` needs an enum; a struct is a \
                             `#[component(record)]`",
                            kind.keyword()
                        ),
                    )),
                    KindAttr::Missing => errors.push(Error::new(
                        ident.span(),
                        format!(
                            "missing `#[component(record)]` on `{ident}`: say which interface \
                             type it is"
                        ),
                    )),
                    KindAttr::Invalid => {}
                }
                fields(s, &mut errors);
                None
            }
            (Data::Enum(e), KindAttr::Given(Kind::Variant, _)) => Some(Body::Variant(cases(
                ident,
                e,
                Some(Kind::Variant),
                &mut errors,
            ))),
            (Data::Enum(e), KindAttr::Given(Kind::Enum, _)) => {
                Some(Body::Enum(cases(ident, e, Some(Kind::Enum), &mut errors)))
            }
            (Data::Enum(e), other) => {
                match other {
                    KindAttr::Given(kind, span) => errors.push(Error::new(
                        span,
                        format!(
                            "`#[component({})]` needs a struct with named fields; an enum is a \
                             `#[component(variant)]` or a `#[component(enum)]`",
                            kind.keyword()
                        ),
                    )),
                    KindAttr::Missing => errors.push(Error::new(
                        ident.span(),
                        format!(
                            "missing `#[component(variant)]` or `#[component(enum)]` on \
                             `{ident}`: say which interface type it is"
                        ),
                    )),
                    KindAttr::Invalid => {}
                }
                cases(ident, e, None, &mut errors);
                None
            }
        };
        // Every path without a body recorded an error.
        let item = body.map(|body| Item {
            ident,
            generics: &input.generics,
            body,
        });
        errors
            .finish(item)
            .map(|item| item.expect("no body without an error"))
    }
}

/// The fields of a record, with their names resolved and checked.
fn fields<'a>(s: &'a DataStruct, errors: &mut Errors) -> Vec<Field<'a>> {
    let named = match &s.fields {
        Fields::Named(named) => &named.named,
        Fields::Unit => return Vec::new(),
        Fields::Unnamed(unnamed) => {
            errors.push(Error::new_spanned(
                unnamed,
                "a record's fields have names: write `struct Name { field: Type, .. }`",
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for field in named {
        let ident = field.ident.as_ref().expect("named field");
        let attrs = attrs::member(&field.attrs, errors);
        if let Some(name) = errors.ok(Name::resolve(ident, attrs.name.as_ref(), RENAME)) {
            out.push(Field {
                ident,
                ty: &field.ty,
                name,
            });
        }
    }
    let names: Vec<Name> = out.iter().map(|f| f.name.clone()).collect();
    errors.extend(names::duplicates(&names, "field"));
    out
}

/// The cases of a variant or enum, with their names resolved and checked,
/// and their payloads checked against `kind` (not when the kind is
/// unknown).
fn cases<'a>(
    ident: &Ident,
    e: &'a DataEnum,
    kind: Option<Kind>,
    errors: &mut Errors,
) -> Vec<Case<'a>> {
    let mut out = Vec::new();
    for variant in &e.variants {
        let attrs = attrs::member(&variant.attrs, errors);
        let name = errors.ok(Name::resolve(&variant.ident, attrs.name.as_ref(), RENAME));
        let (empty, payload) = match (&variant.fields, kind) {
            (Fields::Unit, _) => (quote!(), None),
            (Fields::Unnamed(f), _) if f.unnamed.is_empty() => (quote!(()), None),
            (Fields::Named(f), _) if f.named.is_empty() => (quote!({}), None),
            (Fields::Unnamed(f), Some(Kind::Variant)) if f.unnamed.len() == 1 => {
                (quote!(), Some(&f.unnamed[0].ty))
            }
            (Fields::Unnamed(f), Some(Kind::Variant)) => {
                errors.push(Error::new_spanned(
                    f,
                    "a variant case carries at most one payload: for several values use a \
                     tuple `(A, B)` or a record as the payload",
                ));
                (quote!(), None)
            }
            (Fields::Named(f), Some(Kind::Variant)) => {
                errors.push(Error::new_spanned(
                    f,
                    "a variant case's payload is unnamed, like `Circle(f32)`: for named values \
                     use a record as the payload",
                ));
                (quote!(), None)
            }
            (fields, Some(_)) => {
                errors.push(Error::new_spanned(
                    fields,
                    "enum cases have no payload: a type whose cases carry values is a \
                     `#[component(variant)]`",
                ));
                (quote!(), None)
            }
            (_, None) => (quote!(), None),
        };
        if let Some(name) = name {
            out.push(Case {
                ident: &variant.ident,
                empty,
                payload,
                name,
            });
        }
    }
    if let (Some(kind), true) = (kind, e.variants.is_empty()) {
        errors.push(Error::new(
            ident.span(),
            format!("a component {} needs at least one case", kind.keyword()),
        ));
    }
    let names: Vec<Name> = out.iter().map(|c| c.name.clone()).collect();
    errors.extend(names::duplicates(&names, "case"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use syn::parse_quote;

    /// Every message the item's errors give, in order.
    fn errors_of(input: DeriveInput) -> Vec<String> {
        match Item::parse(&input) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }

    #[test]
    fn record_names() {
        let input: DeriveInput = parse_quote! {
            #[component(record)]
            struct Point { x: u32, #[component(name = "why")] y_coord: u32, r#type: u8 }
        };
        let item = Item::parse(&input).unwrap();
        let Body::Record(fields) = &item.body else {
            panic!("not a record")
        };
        let names: Vec<&str> = fields.iter().map(|f| f.name.label.as_str()).collect();
        assert_eq!(names, ["x", "why", "type"]);
    }

    #[test]
    fn empty_records() {
        for input in [
            parse_quote!(
                #[component(record)]
                struct E {}
            ),
            parse_quote!(
                #[component(record)]
                struct E;
            ),
        ] {
            let item = Item::parse(&input).unwrap();
            assert!(matches!(&item.body, Body::Record(f) if f.is_empty()));
        }
    }

    #[test]
    fn variant_cases() {
        let input: DeriveInput = parse_quote! {
            #[component(variant)]
            enum Shape { Circle(f32), #[component(name = "none")] Nothing, Empty(), Braces {} }
        };
        let item = Item::parse(&input).unwrap();
        let Body::Variant(cases) = &item.body else {
            panic!("not a variant")
        };
        let names: Vec<&str> = cases.iter().map(|c| c.name.label.as_str()).collect();
        assert_eq!(names, ["circle", "none", "empty", "braces"]);
        let payloads: Vec<bool> = cases.iter().map(|c| c.payload.is_some()).collect();
        assert_eq!(payloads, [true, false, false, false]);
    }

    #[test]
    fn kind_errors() {
        assert_eq!(
            errors_of(parse_quote!(
                struct P {
                    x: u32,
                }
            )),
            ["missing `#[component(record)]` on `P`: say which interface type it is"]
        );
        assert_eq!(
            errors_of(parse_quote!(
                enum E {
                    A,
                }
            )),
            [
                "missing `#[component(variant)]` or `#[component(enum)]` on `E`: say which \
              interface type it is"
            ]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(enum)]
                struct P {
                    x: u32,
                }
            )),
            ["`#[component(enum)]` needs an enum; a struct is a `#[component(record)]`"]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(record)]
                enum E {
                    A,
                }
            )),
            [
                "`#[component(record)]` needs a struct with named fields; an enum is a \
              `#[component(variant)]` or a `#[component(enum)]`"
            ]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(struct)]
                struct P {
                    x: u32,
                }
            )),
            ["unknown option `struct`: expected `record`, `variant` or `enum`"]
        );
        assert!(
            errors_of(parse_quote!(#[component(record)] union U { a: u32 }))[0]
                .starts_with("a union cannot be a component type")
        );
    }

    #[test]
    fn shape_errors() {
        assert_eq!(
            errors_of(parse_quote!(
                #[component(record)]
                struct P(u32);
            )),
            ["a record's fields have names: write `struct Name { field: Type, .. }`"]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(variant)]
                enum V {
                    A(u8, u8),
                    B { x: u8 },
                }
            )),
            [
                "a variant case carries at most one payload: for several values use a tuple \
                 `(A, B)` or a record as the payload",
                "a variant case's payload is unnamed, like `Circle(f32)`: for named values use \
                 a record as the payload",
            ]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(enum)]
                enum E {
                    A(u8),
                }
            )),
            [
                "enum cases have no payload: a type whose cases carry values is a \
              `#[component(variant)]`"
            ]
        );
        assert_eq!(
            errors_of(parse_quote!(
                #[component(variant)]
                enum V {}
            )),
            ["a component variant needs at least one case"]
        );
    }

    #[test]
    fn all_errors_of_an_item_are_reported() {
        let errors = errors_of(parse_quote! {
            #[component(record)]
            struct P {
                foo_bar: u32,
                #[component(name = 3)] a: u32,
                #[component(name = "foo-bar")] b: u32,
                #[component(name = "Not Kebab")] c: u32,
            }
        });
        assert_eq!(
            errors,
            [
                "`name` must be a string literal, like `name = \"y-coord\"`",
                "`Not Kebab` is not a valid component-model name (kebab-case words, each all \
                 lower- or all upper-case, the first starting with a letter)",
                "duplicate field name `foo-bar`",
            ]
        );
        // Field errors are reported with a missing kind too.
        let errors = errors_of(parse_quote!(
            struct P {
                #[component(nme = "a")]
                a: u32,
            }
        ));
        assert_eq!(errors.len(), 2, "{errors:?}");
    }

    #[test]
    fn case_names_clash_after_conversion() {
        assert_eq!(
            errors_of(parse_quote!(
                #[component(enum)]
                enum E {
                    FooBar,
                    #[component(name = "FOO-BAR")]
                    Other,
                }
            )),
            ["duplicate case name `FOO-BAR`: names differing only in case clash with `foo-bar`"]
        );
    }
}
