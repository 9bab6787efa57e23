//! The fuzz targets, one per file, each a `run(seed, max_cases, batch)`.

pub mod bad_guests;
pub mod binaries;
pub mod resources;
pub mod values;
