//! Derive macros and `flags!` for `wit-host`'s typed API.
//!
//! `#[derive(ComponentType, Lower, Lift)]` makes a Rust struct or enum a
//! component-model record, variant or enum; `flags!` declares a flags type.
//! The generated impls follow the canonical ABI (CanonicalABI.md in
//! WebAssembly/component-model) and use the helpers in
//! `wit_host::typed::internal`. Use them through `wit_host`, which
//! re-exports them next to the traits of the same names.
//!
//! Generated code names everything by absolute `::wit_host::...` paths.

mod attrs;
mod codegen;
mod enum_;
mod errors;
mod flags;
mod input;
mod names;
mod record;
mod variant;

use proc_macro::TokenStream;
use syn::{DeriveInput, parse_macro_input};

use crate::codegen::Trait;
use crate::input::{Body, Item};

/// Derives `wit_host::typed::ComponentType`: the canonical-ABI layout of
/// the type and the check that a component's type is this one.
///
/// The type says which interface type it is:
///
/// - `#[component(record)]` on a struct with named fields (or none): a
///   `record`, fields in declaration order;
/// - `#[component(variant)]` on an enum whose cases have no payload or one
///   unnamed one: a `variant`;
/// - `#[component(enum)]` on an enum of unit cases: an `enum` (Rust
///   discriminants, if any, do not matter: a case's index is its
///   position).
///
/// Field and case names are the Rust names in kebab-case (`y_coord` →
/// `y-coord`, `HttpError` → `http-error`) unless given with
/// `#[component(name = "...")]`. Generic types get a bound on each field
/// or payload type that uses a type parameter.
///
/// ```
/// use wit_host::{ComponentType, Lift, Lower};
///
/// /// `record point { x: u32, y-coord: u32 }`
/// #[derive(ComponentType, Lift, Lower, Debug, PartialEq)]
/// #[component(record)]
/// struct Point {
///     x: u32,
///     y_coord: u32,
/// }
///
/// /// `variant shape { circle(f32), none }`
/// #[derive(ComponentType, Lift, Lower)]
/// #[component(variant)]
/// enum Shape {
///     Circle(f32),
///     #[component(name = "none")]
///     Nothing,
/// }
///
/// /// `enum color { red, green }`
/// #[derive(ComponentType, Lift, Lower)]
/// #[component(enum)]
/// #[repr(u8)]
/// enum Color {
///     Red,
///     Green,
/// }
///
/// use wit_host::typed::ComponentType as _;
/// assert_eq!((Point::SIZE32, Point::ALIGN32, Point::FLAT_COUNT), (8, 4, 2));
/// assert_eq!((Shape::SIZE32, Shape::ALIGN32, Shape::FLAT_COUNT), (8, 4, 2));
/// assert_eq!((Color::SIZE32, Color::ALIGN32, Color::FLAT_COUNT), (1, 1, 1));
/// ```
#[proc_macro_derive(ComponentType, attributes(component))]
pub fn derive_component_type(input: TokenStream) -> TokenStream {
    derive(input, Trait::ComponentType)
}

/// Derives `wit_host::typed::Lower`, to pass values of the type to a
/// guest: `lower_flat` and `store` of each field in order, or of the case
/// index and the payload. Takes the same `#[component(...)]` options as
/// `#[derive(ComponentType)]`, which it needs beside it.
///
/// ```
/// use wit_host::{ComponentType, Lower};
///
/// #[derive(ComponentType, Lower)]
/// #[component(variant)]
/// enum Request {
///     Get(String),
///     Ping,
/// }
/// ```
#[proc_macro_derive(Lower, attributes(component))]
pub fn derive_lower(input: TokenStream) -> TokenStream {
    derive(input, Trait::Lower)
}

/// Derives `wit_host::typed::Lift`, to take values of the type from a
/// guest: `lift_flat` and `load` of each field in order, or of the case
/// index (an unknown one is an error) and the payload. Takes the same
/// `#[component(...)]` options as `#[derive(ComponentType)]`, which it
/// needs beside it.
///
/// ```
/// use wit_host::{ComponentType, Lift};
///
/// #[derive(ComponentType, Lift)]
/// #[component(record)]
/// struct Reply<T> {
///     status: u16,
///     body: Option<T>,
/// }
/// ```
#[proc_macro_derive(Lift, attributes(component))]
pub fn derive_lift(input: TokenStream) -> TokenStream {
    derive(input, Trait::Lift)
}

/// One derive: the impl of `tr`, or the input's errors. (Each of the three
/// derives checks the whole input; the compiler shows a repeated error
/// once.)
fn derive(input: TokenStream, tr: Trait) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let out = match Item::parse(&input) {
        Ok(item) => match &item.body {
            Body::Record(fields) => record::expand(&item, fields, tr),
            Body::Variant(cases) => variant::expand(&item, cases, tr),
            Body::Enum(cases) => enum_::expand(&item, cases, tr),
        },
        Err(e) => e.to_compile_error(),
    };
    out.into()
}

/// Declares a component-model `flags` type: a `Copy` set of named bits
/// with `ComponentType`, `Lower` and `Lift`.
///
/// Each flag is an associated constant; its interface name is given as a
/// string or defaults to the constant's name in kebab-case (`READ_ALL` →
/// `read-all`). The type is `pub` unless a visibility is written before
/// its name; attributes and doc comments on the type and the flags are
/// kept. Several types can be declared in one invocation.
///
/// The type has `empty()`, `all()`, `is_empty()`, `contains()`,
/// `insert()`, `remove()`, the operators `|`, `&`, `^` (and their
/// assignments) and `!` (which gives the known flags not set), `Default`
/// (empty), `Eq`, `Hash`, and a `Debug` that lists the flags set.
///
/// ```
/// wit_host::flags! {
///     /// `flags perms { read, write, exec }`
///     Perms {
///         const READ = "read";
///         const WRITE = "write";
///         /// Run it.
///         const EXEC;
///     }
/// }
///
/// let rw = Perms::READ | Perms::WRITE;
/// assert!(rw.contains(Perms::READ) && !rw.contains(Perms::EXEC));
/// assert_eq!(!rw, Perms::EXEC);
/// assert_eq!(format!("{rw:?}"), "Perms(READ | WRITE)");
/// ```
#[proc_macro]
pub fn flags(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as flags::FlagsInput);
    match input.expand() {
        Ok(out) => out.into(),
        Err(e) => e.to_compile_error().into(),
    }
}
