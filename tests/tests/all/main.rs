//! wit-host's end-to-end tests, in one test binary.
//!
//! Every file here is a module of one binary rather than its own test
//! target: each binary links all of wasmtime, so one binary instead of
//! thirty keeps a clean build small enough for CI's disk and fast to link.
//! Run one file's tests with `cargo test -p wit-host-tests --test all
//! resources_guest::`. Files too long for one concept are directories
//! (`values/`, `typed_values/`, ...), one file per concept.

mod common;
mod guests_common;
mod resources_common;
mod roundtrip_common;
mod typed_common;

mod async_calls;
mod compose;
mod embedder_api;
mod entry_checks;
mod errors;
mod exceptions;
mod guests_compose;
mod guests_resources;
mod guests_traps;
mod guests_values;
mod lift_budget;
mod linker;
mod lockdown;
mod memory64;
mod nested_entries;
mod pooling;
mod precompiled;
mod reexports;
mod resource_table;
mod resources_any;
mod resources_borrows;
mod resources_compose;
mod resources_guest;
mod resources_host;
mod strings;
mod traps;
mod traps_realloc;
mod typed_derives;
mod typed_flat_counts;
mod typed_flattening;
mod typed_resources;
mod typed_traps;
mod typed_typecheck;
mod typed_values;
mod values;
mod wasi;
mod wast;
mod zero_copy;
