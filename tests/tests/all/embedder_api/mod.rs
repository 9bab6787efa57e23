//! The embedder API a `wasmtime::component` host reaches for (issue 11,
//! item 6), one concept per file: the linker's
//! `define_unknown_imports_as_traps`, `Clone` and
//! `substituted_component_type`, and `func_new`'s function type
//! ([`linker`]); exports looked up by index, as resources and as modules,
//! and `Component::image_range` ([`exports`]); `Func::typed` and the
//! pointer types of the typed API ([`typed`]); the `ResourceTable`
//! additions ([`resource_table`]); dynamic host resource types
//! ([`resource_dynamic`]).

mod exports;
mod linker;
mod resource_dynamic;
mod resource_table;
mod typed;
