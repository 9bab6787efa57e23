//! The typed API's built-in impls through real components, in both
//! directions: [`scalars`] (every primitive), [`strings_and_lists`]
//! (`String` and `&str`, `Vec<T>` and `&[T]` up to 1 MiB),
//! [`options_and_results`] (`Box<T>`, options, results in all four
//! shapes), [`maps_and_arrays`] (`HashMap`, `BTreeMap`, `[T; N]`),
//! [`tuples`] (2 and 16 elements, `()`, several parameters) and
//! [`calls`] (post-return, one definition serving several stores, nested
//! components).
//!
//! Each round trip (see `typed_common`) calls a `TypedFunc` that echoes
//! the value through guest memory (host → guest → host) and a guest export
//! that passes the value to a `func_wrap` host import and returns the
//! host's reply (guest → host → guest), asserting what the host received.

mod calls;
mod maps_and_arrays;
mod options_and_results;
mod scalars;
mod strings_and_lists;
mod tuples;
