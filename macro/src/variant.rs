//! Derives for variants (`#[component(variant)]` enums), following
//! CanonicalABI.md: a case index of `discriminant_size(n)` bytes, then the
//! payload at the discriminant's end aligned for the widest payload. Flat,
//! an `i32` case index and then as many values as the widest payload needs,
//! the unused ones zero.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::LitInt;

use crate::codegen::{
    Sigs, Trait, ct_const, discriminant_type, impl_header, join, param, typecheck_sig,
};
use crate::input::{Case, Item};

/// The impl of `tr` for a variant with `cases`.
pub fn expand(item: &Item<'_>, cases: &[Case<'_>], tr: Trait) -> TokenStream {
    match tr {
        Trait::ComponentType => component_type(item, cases),
        Trait::Lower => lower(item, cases),
        Trait::Lift => lift(item, cases),
    }
}

/// The payload types, in case order.
fn payloads<'a>(cases: &[Case<'a>]) -> Vec<&'a syn::Type> {
    cases.iter().filter_map(|c| c.payload).collect()
}

/// `ComponentType`: the layout constants and the check of names, then of
/// each case's payload.
fn component_type(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::ComponentType);
    let n = Literal::usize_unsuffixed(cases.len());
    let payloads = payloads(cases);
    let size_aligns = payloads.iter().map(|ty| {
        let (size, align) = (ct_const(ty, "SIZE32"), ct_const(ty, "ALIGN32"));
        quote!((#size, #align))
    });
    let aligns = payloads.iter().map(|ty| ct_const(ty, "ALIGN32"));
    let flat_counts = payloads.iter().map(|ty| ct_const(ty, "FLAT_COUNT"));
    let has_handles = (!payloads.is_empty()).then(|| {
        let any = join(
            payloads.iter().map(|ty| ct_const(ty, "HAS_HANDLES")),
            quote!(||),
            quote!(false),
        );
        quote!(const HAS_HANDLES: bool = #any;)
    });
    let names = cases.iter().map(|c| &c.name.label);
    let checks = cases.iter().enumerate().map(|(i, c)| {
        let i = Literal::usize_unsuffixed(i);
        let check = match c.payload {
            Some(ty) => quote!(Some(<#ty as ::wit_host::typed::ComponentType>::typecheck)),
            None => quote!(None),
        };
        quote!(::wit_host::typed::internal::check_payload(ty, &cases[#i], #check)?;)
    });
    let typecheck = typecheck_sig();
    quote! {
        #header {
            const SIZE32: u32 = ::wit_host::typed::internal::variant_size(#n, &[#(#size_aligns),*]);
            const ALIGN32: u32 = ::wit_host::typed::internal::variant_align(#n, &[#(#aligns),*]);
            const FLAT_COUNT: usize = 1 + ::wit_host::typed::internal::max_count(&[#(#flat_counts),*]);
            #has_handles

            #typecheck {
                let cases = ::wit_host::typed::internal::variant_cases::<Self>(ty, &[#(#names),*])?;
                #(#checks)*
                Ok(())
            }
        }
    }
}

/// `Self::Case(payload)` or `Self::Case` (as written), as a pattern or a
/// constructor.
fn case_path(case: &Case<'_>, payload: TokenStream) -> TokenStream {
    let (ident, empty) = (case.ident, &case.empty);
    match case.payload {
        Some(_) => quote!(Self::#ident(#payload)),
        None => quote!(Self::#ident #empty),
    }
}

/// `case_payload(ty, i)?`: case `i`'s payload type from the checked type.
fn payload_type(i: usize) -> TokenStream {
    let i = Literal::usize_unsuffixed(i);
    quote!(::wit_host::typed::internal::case_payload(ty, #i)?)
}

/// The index of case `i` as a suffixed literal of the discriminant's type,
/// for `to_le_bytes`.
fn discriminant(i: usize, cases: usize) -> LitInt {
    LitInt::new(
        &format!("{i}{}", discriminant_type(cases)),
        proc_macro2::Span::call_site(),
    )
}

/// `let payload_ptr = ...;`, where some case has a payload.
fn payload_ptr(cases: &[Case<'_>]) -> Option<TokenStream> {
    let n = Literal::usize_unsuffixed(cases.len());
    cases.iter().any(|c| c.payload.is_some()).then(|| {
        quote!(let payload_ptr = ::wit_host::typed::internal::part_at(
            ptr,
            ::wit_host::typed::internal::payload_offset(#n, <Self as ::wit_host::typed::ComponentType>::ALIGN32),
        )?;)
    })
}

/// `Lower`: the case index, then the payload (with its type from `ty`),
/// then zeros up to the joined width.
fn lower(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lower);
    let sigs = Sigs::new(item);
    let n = cases.len();
    let any_payload = cases.iter().any(|c| c.payload.is_some());
    let lower_flat = sigs.lower_flat(
        param("cx", any_payload),
        param("ty", any_payload),
        param("dst", true),
    );
    let store = sigs.store(
        param("cx", true),
        param("ty", any_payload),
        param("ptr", true),
    );
    let flat_arms = cases.iter().enumerate().map(|(i, case)| {
        let pattern = case_path(case, quote!(payload));
        let index = Literal::usize_unsuffixed(i);
        match case.payload {
            Some(ty) => {
                let payload_ty = payload_type(i);
                let count = ct_const(ty, "FLAT_COUNT");
                quote! {
                    #pattern => {
                        dst.push_i32(#index)?;
                        <#ty as ::wit_host::typed::Lower>::lower_flat(payload, cx, #payload_ty, dst)?;
                        dst.pad(<Self as ::wit_host::typed::ComponentType>::FLAT_COUNT - 1 - #count)
                    }
                }
            }
            None => quote! {
                #pattern => {
                    dst.push_i32(#index)?;
                    dst.pad(<Self as ::wit_host::typed::ComponentType>::FLAT_COUNT - 1)
                }
            },
        }
    });
    let store_arms = cases.iter().enumerate().map(|(i, case)| {
        let pattern = case_path(case, quote!(payload));
        let index = discriminant(i, n);
        match case.payload {
            Some(ty) => {
                let payload_ty = payload_type(i);
                quote! {
                    #pattern => {
                        cx.write(ptr, &#index.to_le_bytes())?;
                        <#ty as ::wit_host::typed::Lower>::store(payload, cx, #payload_ty, payload_ptr)
                    }
                }
            }
            None => quote!(#pattern => cx.write(ptr, &#index.to_le_bytes()),),
        }
    });
    let payload_ptr = payload_ptr(cases);
    quote! {
        #header {
            #lower_flat {
                match self {
                    #(#flat_arms)*
                }
            }

            #store {
                #payload_ptr
                match self {
                    #(#store_arms)*
                }
            }
        }
    }
}

/// `Lift`: the case index (an unknown one is an error), then the payload
/// (with its type from `ty`), skipping the rest of the joined width. In
/// memory, `load` takes the variant's bytes with one range check and
/// `load_from` reads the index and the payload from them.
fn lift(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lift);
    let sigs = Sigs::new(item);
    let n = Literal::usize_unsuffixed(cases.len());
    let any_payload = cases.iter().any(|c| c.payload.is_some());
    let lift_flat = sigs.lift_flat(
        param("cx", any_payload),
        param("ty", true),
        param("src", true),
    );
    let load = sigs.load(param("cx", true), param("ty", true), param("ptr", true));
    let load_from = sigs.load_from(
        param("cx", any_payload),
        param("ty", true),
        param("ptr", true),
        param("bytes", true),
    );
    let flat_arms = cases.iter().enumerate().map(|(i, case)| {
        let value = case_path(case, quote!(payload));
        let index = Literal::usize_unsuffixed(i);
        match case.payload {
            Some(ty) => {
                let payload_ty = payload_type(i);
                let count = ct_const(ty, "FLAT_COUNT");
                quote! {
                    #index => {
                        let payload = <#ty as ::wit_host::typed::Lift>::lift_flat(cx, #payload_ty, src)?;
                        src.skip(<Self as ::wit_host::typed::ComponentType>::FLAT_COUNT - 1 - #count)?;
                        Ok(#value)
                    }
                }
            }
            None => quote! {
                #index => {
                    src.skip(<Self as ::wit_host::typed::ComponentType>::FLAT_COUNT - 1)?;
                    Ok(#value)
                }
            },
        }
    });
    let load_arms = cases.iter().enumerate().map(|(i, case)| {
        let index = Literal::usize_unsuffixed(i);
        let value = match case.payload {
            Some(ty) => {
                let payload_ty = payload_type(i);
                case_path(
                    case,
                    quote!(<#ty as ::wit_host::typed::Lift>::load_from(cx, #payload_ty, payload_ptr, payload)?),
                )
            }
            None => case_path(case, quote!()),
        };
        quote!(#index => Ok(#value),)
    });
    let disc = discriminant_type(cases.len());
    let payload_window = any_payload.then(|| {
        quote! {
            let (payload_ptr, payload) = ::wit_host::typed::internal::payload_bytes(
                ptr,
                bytes,
                ::wit_host::typed::internal::payload_offset(#n, <Self as ::wit_host::typed::ComponentType>::ALIGN32),
            )?;
        }
    });
    quote! {
        #header {
            #lift_flat {
                let index = src.next_i32()? as u32;
                match index {
                    #(#flat_arms)*
                    _ => Err(::wit_host::typed::internal::invalid_discriminant(index, #n, ty)),
                }
            }

            #load {
                ::wit_host::typed::internal::load_in_window(cx, ty, ptr)
            }

            #load_from {
                let bytes = ::wit_host::typed::internal::value_bytes::<Self>(bytes, ptr)?;
                let index = u32::from(#disc::from_le_bytes(
                    ::wit_host::typed::internal::fixed_bytes(bytes, ptr)?,
                ));
                #payload_window
                match index {
                    #(#load_arms)*
                    _ => Err(::wit_host::typed::internal::invalid_discriminant(index, #n, ty)),
                }
            }
        }
    }
}
