//! Functions flagged `tracing` or `verbose_tracing` (see
//! [`super::func_flags`]): a `tracing` span around every call, entered for
//! its duration, with an event for the call (its arguments) and one for
//! its return (its result).
//!
//! ```text
//! span  "wit-bindgen import" (host functions) or "wit-bindgen export"
//!       (calls of the guest's), fields `module` (the interface, as the
//!       component names it, or the world) and `function` (WIT name)
//! event "call",   a field per argument
//! event "return", field `result`
//! ```
//!
//! (The names are those of wasmtime's `bindgen!`, so that filters carry
//! over.) Values are recorded with `Debug`; with `tracing` a value whose
//! type holds a list is recorded as `"..."`, with `verbose_tracing` in
//! full. Generated code reaches `tracing` through `wit_host::__private`,
//! so the user's crate does not depend on it.

use proc_macro2::{Ident, TokenStream};
use quote::quote;
use wit_parser::{Function, Type, TypeDefKind};

use super::imports::HostMethod;
use super::{Gen, Iface, Side};

impl Gen<'_> {
    /// The span expression and the body of traced host function `m` (see
    /// [`Gen::register`]): `prelude` runs first, `call` calls the host
    /// (awaited when async), `convert_arm` turns a trappable error `e`
    /// into the guest's.
    pub fn traced_register(
        &self,
        m: &HostMethod<'_>,
        prelude: TokenStream,
        call: TokenStream,
        convert_arm: Option<TokenStream>,
    ) -> (TokenStream, TokenStream) {
        let func = m.func;
        let params = self.param_names(func);
        let flags = self.method_flags(func);
        let args: Vec<(&Ident, &Type)> = params
            .iter()
            .zip(func.params.iter().map(|p| &p.ty))
            .collect();
        let module = self.func_module_name(func);
        let span = trace_span("wit-bindgen import", &module, &func.name);
        let event = self.trace_call_event(&args, flags.verbose);
        let returned = self.trace_return(func.result.as_ref(), flags.verbose);
        let finish = match (&func.result, convert_arm) {
            (Some(_), Some(err_arm)) => quote! {
                let ret = match ret {
                    ::core::result::Result::Ok(ok) => ::core::result::Result::Ok(ok),
                    ::core::result::Result::Err(e) => #err_arm,
                };
                ::core::result::Result::Ok((ret,))
            },
            (Some(_), None) if m.trappable => quote!(::core::result::Result::Ok((ret?,))),
            (Some(_), None) => quote!(::core::result::Result::Ok((ret,))),
            (None, _) if m.trappable => quote!(ret),
            (None, _) => quote! {
                let () = ret;
                ::core::result::Result::Ok(())
            },
        };
        let body = quote! {
            #event
            #prelude
            let ret = #call;
            #returned
            #finish
        };
        (span, body)
    }

    /// For a `call_…` method of exported function `func` flagged
    /// `tracing`: its span (an expression), the statement that records the
    /// call (with the parameters `params`), and the one that records the
    /// return (of `ret`). `None` when it is not traced.
    pub fn export_tracing(
        &self,
        func: &Function,
        params: &[Ident],
    ) -> Option<(TokenStream, TokenStream, TokenStream)> {
        let owner = self.export_owner(func);
        let flags = self.export_flags_of(func);
        if !flags.tracing {
            return None;
        }
        let module = match owner {
            Some(iface) => iface.name.clone(),
            None => self.resolve.worlds[self.world].name.clone(),
        };
        let args: Vec<(&Ident, &Type)> = params
            .iter()
            .zip(func.params.iter().map(|p| &p.ty))
            .collect();
        let span = trace_span("wit-bindgen export", &module, &func.name);
        let event = self.trace_call_event(&args, flags.verbose);
        let returned = self.trace_return(func.result.as_ref(), flags.verbose);
        Some((span, event, returned))
    }

    /// The export flags of `func`.
    pub fn export_flags_of(&self, func: &Function) -> super::func_flags::Flags {
        self.func_flags(Side::Export, self.export_owner(func), &func.name)
    }

    /// The exported interface `func` belongs to (`None`: the world).
    fn export_owner(&self, func: &Function) -> Option<&Iface> {
        self.exports.iter().find(|i| {
            self.resolve.interfaces[i.id]
                .functions
                .get(&func.name)
                .is_some_and(|f| std::ptr::eq(f, func))
        })
    }

    /// Records the call's event with `args`.
    pub fn trace_call_event(&self, args: &[(&Ident, &Type)], verbose: bool) -> TokenStream {
        let fields = args.iter().map(|(name, ty)| {
            let value = self.traced_value(quote!(#name), ty, verbose);
            quote!(#name = #value,)
        });
        quote! {
            ::wit_host::__private::tracing::event!(
                ::wit_host::__private::tracing::Level::TRACE,
                #(#fields)*
                "call"
            );
        }
    }

    /// Records the return event of a call whose result is in `ret`
    /// (`()` when the function returns nothing).
    pub fn trace_return(&self, result: Option<&Type>, verbose: bool) -> TokenStream {
        let value = match result {
            Some(ty) => self.traced_value(quote!(ret), ty, verbose),
            None => quote!(::wit_host::__private::tracing::field::debug(&ret)),
        };
        quote! {
            ::wit_host::__private::tracing::event!(
                ::wit_host::__private::tracing::Level::TRACE,
                result = #value,
                "return"
            );
        }
    }

    /// The field value of `expr`, of WIT type `ty`.
    fn traced_value(&self, expr: TokenStream, ty: &Type, verbose: bool) -> TokenStream {
        // (A tuple longer than `STD_TUPLE` has no `Debug`.)
        if (!verbose && self.holds_list(ty)) || self.props(ty).wide {
            quote!(::wit_host::__private::tracing::field::debug(&"..."))
        } else {
            quote!(::wit_host::__private::tracing::field::debug(&#expr))
        }
    }

    /// Whether a value of `ty` may hold a list (a `string` is not one).
    fn holds_list(&self, ty: &Type) -> bool {
        let Type::Id(id) = ty else {
            return false;
        };
        match &self.resolve.types[*id].kind {
            TypeDefKind::List(_) | TypeDefKind::FixedLengthList(..) | TypeDefKind::Map(..) => true,
            TypeDefKind::Type(t) | TypeDefKind::Option(t) => self.holds_list(t),
            TypeDefKind::Result(r) => {
                r.ok.as_ref().is_some_and(|t| self.holds_list(t))
                    || r.err.as_ref().is_some_and(|t| self.holds_list(t))
            }
            TypeDefKind::Record(r) => r.fields.iter().any(|f| self.holds_list(&f.ty)),
            TypeDefKind::Tuple(t) => t.types.iter().any(|t| self.holds_list(t)),
            TypeDefKind::Variant(v) => v
                .cases
                .iter()
                .any(|c| c.ty.as_ref().is_some_and(|t| self.holds_list(t))),
            _ => false,
        }
    }

    /// The `module` field of the spans of imported function `func`: its
    /// interface's name in the component, or the world's name.
    pub fn func_module_name(&self, func: &Function) -> String {
        match self.import_owner(func) {
            Some(iface) => iface.name.clone(),
            None => self.resolve.worlds[self.world].name.clone(),
        }
    }
}

/// The span (an expression) of a call of `function` of `module`.
pub fn trace_span(span_name: &str, module: &str, function: &str) -> TokenStream {
    quote! {
        ::wit_host::__private::tracing::span!(
            ::wit_host::__private::tracing::Level::TRACE,
            #span_name,
            module = #module,
            function = #function,
        )
    }
}

/// `body` (statements ending in an expression) as an expression: a block,
/// or with `async_` a future (`async move`). With a `span`, the block runs
/// in the span entered, the future is instrumented with it (so the span is
/// entered at every poll, never held across an await).
pub fn in_span(span: Option<TokenStream>, body: TokenStream, async_: bool) -> TokenStream {
    match (span, async_) {
        (None, false) => quote!({ #body }),
        (None, true) => quote!(async move { #body }),
        (Some(span), false) => quote!({
            let _span = #span;
            let _enter = _span.enter();
            #body
        }),
        (Some(span), true) => quote!(::wit_host::__private::tracing::Instrument::instrument(
            async move { #body },
            #span,
        )),
    }
}
