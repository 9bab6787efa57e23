//! Derives for enums (`#[component(enum)]`): a variant without payloads,
//! so a case index of `discriminant_size(n)` bytes in memory and one `i32`
//! flat. The index is the case's position, whatever Rust discriminants the
//! enum declares.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::codegen::{Sigs, Trait, discriminant_type, impl_header, param, typecheck_sig};
use crate::input::{Case, Item};

/// The impl of `tr` for an enum with `cases`.
pub fn expand(item: &Item<'_>, cases: &[Case<'_>], tr: Trait) -> TokenStream {
    match tr {
        Trait::ComponentType => component_type(item, cases),
        Trait::Lower => lower(item, cases),
        Trait::Lift => lift(item, cases),
    }
}

/// `ComponentType`: the discriminant's layout and the check of names.
fn component_type(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::ComponentType);
    let n = Literal::usize_unsuffixed(cases.len());
    let names = cases.iter().map(|c| &c.name.label);
    let typecheck = typecheck_sig();
    quote! {
        #header {
            const SIZE32: u32 = ::wit_host::typed::internal::discriminant_size(#n);
            const ALIGN32: u32 = ::wit_host::typed::internal::discriminant_size(#n);
            const FLAT_COUNT: usize = 1;

            #typecheck {
                ::wit_host::typed::internal::enum_cases::<Self>(ty, &[#(#names),*])
            }
        }
    }
}

/// `match self { Self::A => 0, .. }`: the case index of `self`.
fn index_of_self(cases: &[Case<'_>]) -> TokenStream {
    let arms = cases.iter().enumerate().map(|(i, c)| {
        let (ident, empty, i) = (c.ident, &c.empty, Literal::usize_unsuffixed(i));
        quote!(Self::#ident #empty => #i,)
    });
    quote!(match self { #(#arms)* })
}

/// `Lower`: the case index.
fn lower(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lower);
    let sigs = Sigs::new(item);
    let lower_flat = sigs.lower_flat(param("cx", false), param("ty", false), param("dst", true));
    let store = sigs.store(param("cx", true), param("ty", false), param("ptr", true));
    let index = index_of_self(cases);
    let disc = discriminant_type(cases.len());
    quote! {
        #header {
            #lower_flat {
                dst.push_i32(#index)
            }

            #store {
                let index: #disc = #index;
                cx.write(ptr, &index.to_le_bytes())
            }
        }
    }
}

/// `Lift`: the case at the index; an unknown index is an error.
fn lift(item: &Item<'_>, cases: &[Case<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lift);
    let sigs = Sigs::new(item);
    let lift_flat = sigs.lift_flat(param("cx", false), param("ty", true), param("src", true));
    let load = sigs.load(param("cx", true), param("ty", true), param("ptr", true));
    let load_from = sigs.load_from(
        param("cx", false),
        param("ty", true),
        param("ptr", true),
        param("bytes", true),
    );
    let n = Literal::usize_unsuffixed(cases.len());
    let arms: Vec<TokenStream> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (ident, empty, i) = (c.ident, &c.empty, Literal::usize_unsuffixed(i));
            quote!(#i => Ok(Self::#ident #empty),)
        })
        .collect();
    let disc = discriminant_type(cases.len());
    quote! {
        #header {
            #lift_flat {
                let index = src.next_i32()? as u32;
                match index {
                    #(#arms)*
                    _ => Err(::wit_host::typed::internal::invalid_discriminant(index, #n, ty)),
                }
            }

            #load {
                let index = u32::from(#disc::from_le_bytes(cx.read(ptr)?));
                match index {
                    #(#arms)*
                    _ => Err(::wit_host::typed::internal::invalid_discriminant(index, #n, ty)),
                }
            }

            #load_from {
                let index = u32::from(#disc::from_le_bytes(
                    ::wit_host::typed::internal::fixed_bytes(bytes, ptr)?,
                ));
                match index {
                    #(#arms)*
                    _ => Err(::wit_host::typed::internal::invalid_discriminant(index, #n, ty)),
                }
            }
        }
    }
}
