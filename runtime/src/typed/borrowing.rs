//! [`BorrowingFunc`]: a typed exported function whose parameters borrow
//! (`&str`, `&[T]`, `&Record`) for whatever lifetime each call has.
//!
//! A [`TypedFunc<P, R>`] names its parameter types, lifetimes included, so
//! one that is kept (in a struct, across calls) can only take `'static`
//! borrows. A `BorrowingFunc<F, R>` names a *family* of parameter types
//! instead, `F::Params<'a>` for every `'a` ([`ParamsFamily`]), and its
//! `call` takes the family's member for the caller's lifetime. Lifetimes
//! are erased before code runs and a trait impl cannot depend on them, so
//! the type check of `F::Params<'static>` holds for every member: no
//! `unsafe` is needed anywhere.

use std::marker::PhantomData;

use crate::Result;
use crate::func::Func;
use crate::store::AsContextMut;
use crate::typed::func::RawFunc;
use crate::typed::{LiftList, LowerList, TypedFunc};

/// A family of parameter tuples, one per lifetime: `Params<'a>` borrows
/// for `'a`. `bindgen!` writes one marker type per exported function with
/// borrowed parameters:
///
/// ```
/// struct GreetParams;
/// impl wit_host::typed::ParamsFamily for GreetParams {
///     type Params<'a> = (&'a str, &'a [u32]);
/// }
/// ```
pub trait ParamsFamily: 'static {
    /// The parameters, borrowing for `'a`.
    type Params<'a>: LowerList;
}

/// An exported function with parameters `F::Params<'a>` for any `'a`, and
/// results `R`: what a [`TypedFunc`] of borrowed parameters becomes when
/// it is kept.
///
/// ```
/// # fn main() -> wit_host::Result<()> {
/// use wit_host::typed::{BorrowingFunc, ParamsFamily};
/// use wit_host::{Component, Engine, Linker, Store};
/// # let engine = Engine::default();
/// # let component = Component::new(&engine, r#"
/// #     (component
/// #         (core module $m
/// #             (memory (export "mem") 1)
/// #             (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 64)
/// #             (func (export "len") (param i32 i32) (result i32) local.get 1))
/// #         (core instance $i (instantiate $m))
/// #         (func (export "len") (param "s" string) (result u32)
/// #             (canon lift (core func $i "len") (memory (core memory $i "mem"))
/// #                 (realloc (core func $i "realloc")))))
/// # "#)?;
/// struct LenParams;
/// impl ParamsFamily for LenParams {
///     type Params<'a> = (&'a str,);
/// }
/// let mut store = Store::new(&engine, ());
/// let instance = Linker::new(&engine).instantiate(&mut store, &component)?;
/// let typed = instance.get_typed_func::<(&'static str,), (u32,)>(&mut store, "len")?;
/// let len = BorrowingFunc::<LenParams, (u32,)>::new(typed);
/// let name = String::from("hello");
/// assert_eq!(len.call(&mut store, (&name,))?, (5,));
/// # Ok(()) }
/// ```
pub struct BorrowingFunc<F, R> {
    raw: RawFunc,
    _types: PhantomData<fn(F) -> R>,
}

impl<F, R> Clone for BorrowingFunc<F, R> {
    fn clone(&self) -> Self {
        BorrowingFunc {
            raw: self.raw.clone(),
            _types: PhantomData,
        }
    }
}

impl<F: ParamsFamily, R: LiftList> BorrowingFunc<F, R> {
    /// The function `typed` is, taking borrows of any lifetime.
    pub fn new(typed: TypedFunc<F::Params<'static>, R>) -> Self {
        BorrowingFunc {
            raw: typed.raw,
            _types: PhantomData,
        }
    }

    /// The untyped function.
    pub fn func(&self) -> &Func {
        self.raw.func()
    }

    /// Calls the function: lowers `params`, runs the guest, lifts the
    /// results, runs `post-return`.
    #[inline]
    pub fn call(&self, store: impl AsContextMut, params: F::Params<'_>) -> Result<R> {
        self.raw.call(store, params)
    }

    /// [`BorrowingFunc::call`] for an instance instantiated asynchronously
    /// (see [`crate::Func::call_async`]).
    #[cfg(feature = "async")]
    pub async fn call_async<S>(&self, store: S, params: F::Params<'_>) -> Result<R>
    where
        S: AsContextMut,
        S::Data: Send,
    {
        self.raw.call_async(store, params).await
    }
}
