//! `flags!`: a set of named bits as a Rust type with `bitflags`-like
//! operations, and its `ComponentType`, `Lower` and `Lift` impls.
//!
//! The bits are `[u32; W]`, `W = ceil(n / 32)`, flag `i` being bit `i % 32`
//! of word `i / 32`; bits past the last flag are always zero. In memory a
//! flags value takes 0 bytes with no flags, 1 byte up to 8, 2 up to 16 and
//! else 4 per word; flat, one `i32` per word. Lifting ignores bits past
//! the last flag (CanonicalABI.md: `lift_flat_flags`, `load_flags`).

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Error, Ident, LitStr, Token, Visibility, braced};

use crate::errors::Errors;
use crate::names::{self, Name};

/// The input of `flags!`: one or more flags types.
pub struct FlagsInput(Vec<FlagsType>);

/// `#[attrs] vis Name { flags }`.
struct FlagsType {
    attrs: Vec<Attribute>,
    vis: Visibility,
    ident: Ident,
    flags: Vec<Flag>,
}

/// `#[attrs] const NAME = "label";` or `const NAME;` (label from the name).
struct Flag {
    attrs: Vec<Attribute>,
    ident: Ident,
    /// The label as written, or what was written instead of one.
    label: Option<Result<LitStr, Error>>,
}

impl Parse for FlagsInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut types = Vec::new();
        while !input.is_empty() {
            types.push(input.parse()?);
        }
        Ok(FlagsInput(types))
    }
}

impl Parse for FlagsType {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let ident = input.parse()?;
        let content;
        braced!(content in input);
        let mut flags = Vec::new();
        while !content.is_empty() {
            flags.push(content.parse()?);
        }
        Ok(FlagsType {
            attrs,
            vis,
            ident,
            flags,
        })
    }
}

impl Parse for Flag {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        input.parse::<Token![const]>()?;
        let ident = input.parse()?;
        let label = if input.parse::<Option<Token![=]>>()?.is_some() {
            // Everything up to the `;`, so that a wrong value is reported
            // whole (and the other flags are still checked).
            let mut tokens = TokenStream::new();
            while !input.is_empty() && !input.peek(Token![;]) {
                tokens.extend([input.parse::<proc_macro2::TokenTree>()?]);
            }
            Some(syn::parse2::<LitStr>(tokens.clone()).map_err(|_| {
                Error::new_spanned(
                    tokens,
                    "a flag's name is a string literal, like `const READ = \"read\";`",
                )
            }))
        } else {
            None
        };
        input.parse::<Token![;]>()?;
        Ok(Flag {
            attrs,
            ident,
            label,
        })
    }
}

impl FlagsInput {
    /// The types and their impls, or every error in the input.
    pub fn expand(self) -> syn::Result<TokenStream> {
        let mut errors = Errors::default();
        let mut out = TokenStream::new();
        for ty in &self.0 {
            let mut names = Vec::new();
            for flag in &ty.flags {
                let label = match &flag.label {
                    Some(Err(e)) => {
                        errors.push(e.clone());
                        continue;
                    }
                    Some(Ok(lit)) => Some(lit),
                    None => None,
                };
                names.extend(errors.ok(Name::resolve(
                    &flag.ident,
                    label,
                    &format!("const {} = \"...\";", flag.ident),
                )));
            }
            errors.extend(names::duplicates(&names, "flag"));
            if names.len() == ty.flags.len() {
                out.extend(ty.expand(&names));
            }
        }
        errors.finish(out)
    }
}

/// Number of `u32` words that hold `n` flags.
fn words(n: usize) -> usize {
    n.div_ceil(32)
}

/// `[w0, w1, ..]` with the bits `f` gives for each word.
fn word_array(n: usize, f: impl Fn(usize) -> TokenStream) -> TokenStream {
    let words = (0..words(n)).map(f);
    quote!([#(#words),*])
}

impl FlagsType {
    /// The struct, its operations and its trait impls; `names` are the
    /// flags' labels.
    fn expand(&self, names: &[Name]) -> TokenStream {
        let n = self.flags.len();
        let w = words(n);
        let ident = &self.ident;
        let attrs = &self.attrs;
        let vis = match &self.vis {
            Visibility::Inherited => quote!(pub),
            vis => quote!(#vis),
        };
        let consts = self
            .flags
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, (flag, name))| {
                let bits = word_array(n, |word| {
                    if word == i / 32 {
                        let bit = Literal::usize_unsuffixed(i % 32);
                        quote!(1 << #bit)
                    } else {
                        quote!(0)
                    }
                });
                let doc = (!flag.attrs.iter().any(|a| a.path().is_ident("doc"))).then(|| {
                    let doc = format!(" The `{}` flag.", name.label);
                    quote!(#[doc = #doc])
                });
                let (attrs, ident) = (&flag.attrs, &flag.ident);
                quote! {
                    #doc
                    #(#attrs)*
                    pub const #ident: Self = Self { bits: #bits };
                }
            });
        let all = word_array(n, |word| match n - 32 * word {
            32.. => quote!(u32::MAX),
            set => {
                let mask = syn::LitInt::new(&format!("{:#x}", (1u32 << set) - 1), ident.span());
                quote!(#mask)
            }
        });
        let w_lit = Literal::usize_unsuffixed(w);
        let debug_names = self.flags.iter().map(|f| {
            let (ident, text) = (&f.ident, f.ident.to_string());
            quote!((#text, Self::#ident))
        });
        let n_lit = Literal::usize_unsuffixed(n);
        let open = format!("{ident}(");
        let ops = ops(ident);
        let traits = traits(ident, n, names);
        quote! {
            #(#attrs)*
            #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
            #vis struct #ident {
                bits: [u32; #w_lit],
            }

            impl #ident {
                #(#consts)*

                /// No flag set.
                pub const fn empty() -> Self {
                    Self { bits: [0; #w_lit] }
                }

                /// Every flag set.
                pub const fn all() -> Self {
                    Self { bits: #all }
                }

                /// Whether no flag is set.
                pub const fn is_empty(&self) -> bool {
                    let mut i = 0;
                    while i < #w_lit {
                        if self.bits[i] != 0 {
                            return false;
                        }
                        i += 1;
                    }
                    true
                }

                /// Whether every flag set in `other` is set in `self`.
                pub const fn contains(&self, other: Self) -> bool {
                    let mut i = 0;
                    while i < #w_lit {
                        if self.bits[i] & other.bits[i] != other.bits[i] {
                            return false;
                        }
                        i += 1;
                    }
                    true
                }

                /// Sets the flags set in `other`.
                pub fn insert(&mut self, other: Self) {
                    *self |= other;
                }

                /// Clears the flags set in `other`.
                pub fn remove(&mut self, other: Self) {
                    *self &= !other;
                }
            }

            impl ::core::fmt::Debug for #ident {
                /// The names of the flags set: `Name(A | B)`.
                fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    let flags: [(&str, Self); #n_lit] = [#(#debug_names),*];
                    f.write_str(#open)?;
                    let mut first = true;
                    for (name, flag) in flags {
                        if self.contains(flag) {
                            if !first {
                                f.write_str(" | ")?;
                            }
                            f.write_str(name)?;
                            first = false;
                        }
                    }
                    f.write_str(")")
                }
            }

            #ops
            #traits
        }
    }
}

/// The bitwise operators: `|`, `&`, `^` and their assignments, and `!`
/// (within the known flags).
fn ops(ident: &Ident) -> TokenStream {
    let binary = [
        ("BitOr", "bitor", quote!(|), quote!(|=)),
        ("BitAnd", "bitand", quote!(&), quote!(&=)),
        ("BitXor", "bitxor", quote!(^), quote!(^=)),
    ]
    .map(|(tr, method, op, op_assign)| {
        let (tr_assign, method_assign) = (
            format_ident!("{tr}Assign"),
            format_ident!("{method}_assign"),
        );
        let (tr, method) = (format_ident!("{tr}"), format_ident!("{method}"));
        quote! {
            impl ::core::ops::#tr for #ident {
                type Output = Self;

                fn #method(self, rhs: Self) -> Self {
                    Self {
                        bits: ::core::array::from_fn(|i| self.bits[i] #op rhs.bits[i]),
                    }
                }
            }

            impl ::core::ops::#tr_assign for #ident {
                fn #method_assign(&mut self, rhs: Self) {
                    for (bits, rhs) in self.bits.iter_mut().zip(rhs.bits) {
                        *bits #op_assign rhs;
                    }
                }
            }
        }
    });
    quote! {
        #(#binary)*

        impl ::core::ops::Not for #ident {
            type Output = Self;

            /// The known flags not set in `self`.
            fn not(self) -> Self {
                let all = Self::all();
                Self {
                    bits: ::core::array::from_fn(|i| !self.bits[i] & all.bits[i]),
                }
            }
        }
    }
}

/// `ComponentType`, `Lower` and `Lift` for a flags type with `n` flags.
fn traits(ident: &Ident, n: usize, names: &[Name]) -> TokenStream {
    let w = words(n);
    let (size, align): (u32, u32) = match n {
        0 => (0, 1),
        1..=8 => (1, 1),
        9..=16 => (2, 2),
        _ => (4 * w as u32, 4),
    };
    let (size, align) = (
        Literal::u32_unsuffixed(size),
        Literal::u32_unsuffixed(align),
    );
    let w_lit = Literal::usize_unsuffixed(w);
    let labels = names.iter().map(|name| &name.label);
    let indices: Vec<Literal> = (0..w).map(Literal::usize_unsuffixed).collect();
    let used = n > 0;
    let (cx, ptr, dst, src) = (
        crate::codegen::param("cx", used),
        crate::codegen::param("ptr", used),
        crate::codegen::param("dst", used),
        crate::codegen::param("src", used),
    );
    // In memory: one byte or one `u16` for up to 16 flags, else whole words.
    let (store, load) = match n {
        0 => (quote!(Ok(())), quote!(Ok(Self { bits: [] }))),
        1..=16 => {
            let small = if n <= 8 { quote!(u8) } else { quote!(u16) };
            (
                quote!(cx.write(ptr, &(self.bits[0] as #small).to_le_bytes())),
                quote! {
                    let bits = u32::from(#small::from_le_bytes(cx.read(ptr)?));
                    Ok(Self { bits: [bits & Self::all().bits[0]] })
                },
            )
        }
        _ => {
            let at: Vec<TokenStream> = (0..w)
                .map(|i| match i {
                    0 => quote!(ptr),
                    _ => {
                        let offset = Literal::usize_unsuffixed(4 * i);
                        quote!(::wit_host::typed::internal::part_at(ptr, #offset)?)
                    }
                })
                .collect();
            (
                quote! {
                    #(cx.write(#at, &self.bits[#indices].to_le_bytes())?;)*
                    Ok(())
                },
                quote! {
                    Ok(Self {
                        bits: [#(u32::from_le_bytes(cx.read(#at)?) & Self::all().bits[#indices]),*],
                    })
                },
            )
        }
    };
    quote! {
        impl ::wit_host::typed::ComponentType for #ident {
            const SIZE32: u32 = #size;
            const ALIGN32: u32 = #align;
            const FLAT_COUNT: usize = #w_lit;

            fn typecheck(ty: &::wit_host::types::Type) -> ::wit_host::Result<()> {
                ::wit_host::typed::internal::flags_names::<Self>(ty, &[#(#labels),*])
            }
        }

        impl ::wit_host::typed::Lower for #ident {
            fn lower_flat<T: 'static>(
                &self,
                _cx: &mut ::wit_host::typed::LowerCx<'_, '_, T>,
                _ty: &::wit_host::types::Type,
                #dst: &mut ::wit_host::typed::FlatWriter<'_>,
            ) -> ::wit_host::Result<()> {
                #(dst.push_i32(self.bits[#indices] as i32)?;)*
                Ok(())
            }

            fn store<T: 'static>(
                &self,
                #cx: &mut ::wit_host::typed::LowerCx<'_, '_, T>,
                _ty: &::wit_host::types::Type,
                #ptr: u32,
            ) -> ::wit_host::Result<()> {
                #store
            }
        }

        impl ::wit_host::typed::Lift for #ident {
            fn lift_flat<T: 'static>(
                _cx: &mut ::wit_host::typed::LiftCx<'_, '_, T>,
                _ty: &::wit_host::types::Type,
                #src: &mut ::wit_host::typed::FlatReader<'_>,
            ) -> ::wit_host::Result<Self> {
                Ok(Self {
                    bits: [#(src.next_i32()? as u32 & Self::all().bits[#indices]),*],
                })
            }

            fn load<T: 'static>(
                #cx: &mut ::wit_host::typed::LiftCx<'_, '_, T>,
                _ty: &::wit_host::types::Type,
                #ptr: u32,
            ) -> ::wit_host::Result<Self> {
                #load
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand(input: TokenStream) -> Result<String, Vec<String>> {
        syn::parse2::<FlagsInput>(input)
            .and_then(FlagsInput::expand)
            .map(|t| t.to_string())
            .map_err(|e| e.into_iter().map(|e| e.to_string()).collect())
    }

    #[test]
    fn labels_default_to_kebab_case() {
        let out = expand(quote!(P { const READ_ALL; const WRITE = "w"; })).unwrap();
        assert!(out.contains(r#"& ["read-all" , "w"]"#), "{out}");
    }

    #[test]
    fn word_masks() {
        let out = expand(quote!(P { const A; const B; })).unwrap();
        assert!(out.contains("Self { bits : [0x3] }"), "{out}");
        let flags: TokenStream = (0..33)
            .map(|i| {
                let id = format_ident!("F{i}");
                quote!(const #id;)
            })
            .collect();
        let out = expand(quote!(Big { #flags })).unwrap();
        assert!(out.contains("Self { bits : [u32 :: MAX , 0x1] }"), "{out}");
        assert!(
            out.contains("pub const F32 : Self = Self { bits : [0 , 1 << 0] }"),
            "{out}"
        );
        assert!(out.contains("const SIZE32 : u32 = 8"), "{out}");
    }

    #[test]
    fn errors_are_all_reported() {
        let errors = expand(quote! {
            P { const A = 1; const B = "Bad Name"; const C = "a"; const D = "A"; }
        })
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "a flag's name is a string literal, like `const READ = \"read\";`",
                "`Bad Name` is not a valid component-model name (kebab-case words, each all \
                 lower- or all upper-case, the first starting with a letter)",
                "duplicate flag name `A`: names differing only in case clash with `a`",
            ]
        );
    }

    #[test]
    fn syntax_errors() {
        assert!(expand(quote!(P { READ; })).is_err());
        assert!(expand(quote!(P { const READ })).is_err());
    }
}
