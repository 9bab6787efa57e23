//! [`HasData`]: how `bindgen!`'s `add_to_linker` functions reach the host's
//! implementation of an interface from the store's data.

use std::marker::PhantomData;

/// A family of types `Data<'a>`, one per lifetime: what a generated
/// `add_to_linker`'s getter returns when it borrows the store's data for
/// `'a`.
///
/// Each generated `add_to_linker` takes a `getter: fn(&mut T) -> D::Data<'_>`
/// and needs `D::Data<'a>` to implement the interface's host trait. The
/// getter's result may borrow the store's data `T` for the duration of one
/// host call: it can be `&mut T` itself, `&mut` one field of `T`, or a view
/// struct that borrows several fields of `T` at once (what WASI-like hosts
/// need, whose state is spread over a table, a context and more).
///
/// `D` is a type-level name for that family of types, since Rust cannot be
/// generic over "a type with a lifetime parameter" directly. [`HasSelf<U>`]
/// is the common case, `Data<'a> = &'a mut U`; for views, write a marker
/// type:
///
/// ```
/// use wit_host::HasData;
///
/// struct Ctx { table: wit_host::ResourceTable, log: Vec<String> }
///
/// /// What the host traits are implemented on: borrows of two fields.
/// struct View<'a> { table: &'a mut wit_host::ResourceTable, log: &'a mut Vec<String> }
///
/// /// The marker naming `View<'a>` for every `'a`.
/// struct ViewData;
/// impl HasData for ViewData {
///     type Data<'a> = View<'a>;
/// }
///
/// fn view(ctx: &mut Ctx) -> View<'_> {
///     View { table: &mut ctx.table, log: &mut ctx.log }
/// }
/// // `my_world::add_to_linker::<Ctx, ViewData>(&mut linker, view)`
/// # let _: fn(&mut Ctx) -> <ViewData as HasData>::Data<'_> = view;
/// ```
pub trait HasData: 'static {
    /// The type the host traits are implemented on, borrowing the store's
    /// data for `'a`.
    type Data<'a>;
}

/// The [`HasData`] whose `Data<'a>` is `&'a mut U`: for getters that return
/// the store's data (`|data| data`) or one field of it.
///
/// ```
/// use wit_host::{HasData, HasSelf};
/// struct MyHost { calls: u32 }
/// let getter: fn(&mut MyHost) -> <HasSelf<MyHost> as HasData>::Data<'_> = |host| host;
/// # let _ = getter;
/// ```
pub struct HasSelf<U: ?Sized>(PhantomData<fn() -> *const U>);

impl<U: ?Sized + 'static> HasData for HasSelf<U> {
    type Data<'a> = &'a mut U;
}
