//! Derives for records (`#[component(record)]` structs), following
//! CanonicalABI.md: fields laid out in order, each aligned for its type;
//! the record's alignment is its fields' largest (at least 1) and its size
//! is rounded up to it; the flat form is the fields' flat forms in order.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::codegen::{Sigs, Trait, ct_const, impl_header, join, param, typecheck_sig};
use crate::input::{Field, Item};

/// The impl of `tr` for a record with `fields`.
pub fn expand(item: &Item<'_>, fields: &[Field<'_>], tr: Trait) -> TokenStream {
    match tr {
        Trait::ComponentType => component_type(item, fields),
        Trait::Lower => lower(item, fields),
        Trait::Lift => lift(item, fields),
    }
}

/// `ComponentType`: the layout constants and the check of names, then of
/// each field's type.
fn component_type(item: &Item<'_>, fields: &[Field<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::ComponentType);
    let size_aligns = fields.iter().map(|f| {
        let (size, align) = (ct_const(f.ty, "SIZE32"), ct_const(f.ty, "ALIGN32"));
        quote!((#size, #align))
    });
    let aligns = fields.iter().map(|f| ct_const(f.ty, "ALIGN32"));
    let flat_count = join(
        fields.iter().map(|f| ct_const(f.ty, "FLAT_COUNT")),
        quote!(+),
        quote!(0),
    );
    let has_handles = (!fields.is_empty()).then(|| {
        let any = join(
            fields.iter().map(|f| ct_const(f.ty, "HAS_HANDLES")),
            quote!(||),
            quote!(false),
        );
        quote!(const HAS_HANDLES: bool = #any;)
    });
    let names = fields.iter().map(|f| &f.name.label);
    let check = if fields.is_empty() {
        quote!(::wit_host::typed::internal::record_fields::<Self>(ty, &[])?;)
    } else {
        let checks = fields.iter().enumerate().map(|(i, f)| {
            let (ty, i) = (f.ty, Literal::usize_unsuffixed(i));
            quote!(<#ty as ::wit_host::typed::ComponentType>::typecheck(&fields[#i].ty)?;)
        });
        quote! {
            let fields = ::wit_host::typed::internal::record_fields::<Self>(ty, &[#(#names),*])?;
            #(#checks)*
        }
    };
    let typecheck = typecheck_sig();
    quote! {
        #header {
            const SIZE32: u32 = ::wit_host::typed::internal::record_size(&[#(#size_aligns),*]);
            const ALIGN32: u32 = ::wit_host::typed::internal::max_align(&[#(#aligns),*]);
            const FLAT_COUNT: usize = #flat_count;
            #has_handles

            #typecheck {
                #check
                Ok(())
            }
        }
    }
}

/// `let fields = fields_of::<N>(ty)?;` (an array: indexing it checks
/// nothing), if there are fields to use it.
fn fields_of(fields: &[Field<'_>]) -> TokenStream {
    if fields.is_empty() {
        quote!()
    } else {
        let n = Literal::usize_unsuffixed(fields.len());
        quote!(let fields = ::wit_host::typed::internal::fields_of::<#n>(ty)?;)
    }
}

/// `Lower`: each field in order, with its (checked) type from `ty`.
fn lower(item: &Item<'_>, fields: &[Field<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lower);
    let sigs = Sigs::new(item);
    let used = !fields.is_empty();
    let lower_flat = sigs.lower_flat(param("cx", used), param("ty", used), param("dst", used));
    let store = sigs.store(param("cx", used), param("ty", used), param("ptr", used));
    let fields_of = fields_of(fields);
    let flat = fields.iter().enumerate().map(|(i, f)| {
        let (ty, ident, i) = (f.ty, f.ident, Literal::usize_unsuffixed(i));
        quote!(<#ty as ::wit_host::typed::Lower>::lower_flat(&self.#ident, cx, &fields[#i].ty, dst)?;)
    });
    let stores = fields.iter().enumerate().map(|(i, f)| {
        let (ty, ident, i) = (f.ty, f.ident, Literal::usize_unsuffixed(i));
        quote! {
            <#ty as ::wit_host::typed::Lower>::store(
                &self.#ident,
                cx,
                &fields[#i].ty,
                ::wit_host::typed::internal::next_field::<#ty>(ptr, &mut offset)?,
            )?;
        }
    });
    let offset = used.then(|| quote!(let mut offset = 0u32;));
    quote! {
        #header {
            #lower_flat {
                #fields_of
                #(#flat)*
                Ok(())
            }

            #store {
                #fields_of
                #offset
                #(#stores)*
                Ok(())
            }
        }
    }
}

/// `Lift`: each field in order, with its (checked) type from `ty`. `load`
/// takes the record's bytes with one range check and hands them to
/// `load_from`, which reads each field from its window in them.
fn lift(item: &Item<'_>, fields: &[Field<'_>]) -> TokenStream {
    let header = impl_header(item, Trait::Lift);
    let sigs = Sigs::new(item);
    let used = !fields.is_empty();
    let lift_flat = sigs.lift_flat(param("cx", used), param("ty", used), param("src", used));
    let load = sigs.load(param("cx", used), param("ty", used), param("ptr", used));
    let load_from = sigs.load_from(
        param("cx", used),
        param("ty", used),
        param("ptr", used),
        param("bytes", used),
    );
    let fields_of = fields_of(fields);
    let flat = fields.iter().enumerate().map(|(i, f)| {
        let (ty, ident, i) = (f.ty, f.ident, Literal::usize_unsuffixed(i));
        quote!(#ident: <#ty as ::wit_host::typed::Lift>::lift_flat(cx, &fields[#i].ty, src)?,)
    });
    let loads = fields.iter().enumerate().map(|(i, f)| {
        let (ty, ident, i) = (f.ty, f.ident, Literal::usize_unsuffixed(i));
        quote! {
            #ident: {
                let (at, field) =
                    ::wit_host::typed::internal::next_field_bytes::<#ty>(ptr, bytes, &mut offset)?;
                <#ty as ::wit_host::typed::Lift>::load_from(cx, &fields[#i].ty, at, field)?
            },
        }
    });
    let window = used.then(|| {
        quote! {
            let bytes = ::wit_host::typed::internal::value_bytes::<Self>(bytes, ptr)?;
            let mut offset = 0u32;
        }
    });
    // A record without fields occupies no memory: nothing to check or
    // read; nor does one whose fields occupy none (no range to check).
    let load_body = if used {
        quote!(::wit_host::typed::internal::load_in_window(cx, ty, ptr))
    } else {
        quote!(Ok(Self {}))
    };
    quote! {
        #header {
            #lift_flat {
                #fields_of
                Ok(Self { #(#flat)* })
            }

            #load {
                #load_body
            }

            #load_from {
                #fields_of
                #window
                Ok(Self { #(#loads)* })
            }
        }
    }
}
