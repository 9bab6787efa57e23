//! What the build scripts of `tests/` and `bench/` share to turn C sources
//! into WASI components, the way a C developer does: find a clang that
//! targets `wasm32-wasi` with wasi-libc ([`find_compiler`]), run it and
//! report its failures ([`run_command`]), and encode the core module it
//! links into a component through a preview1 adapter ([`wasi_component`]).
//!
//! What each script builds (which guests, their WIT worlds, the checks on
//! their imports, where the outputs go) stays in the script. Without a
//! compiler, [`find_compiler`] says why, and the script records the reason
//! for its consumers (to skip, or to fail under `WIT_HOST_REQUIRE_GUESTS=1`).
//!
//! Errors are plain messages for the developer ([`Error`]): a build script
//! prints them and fails.

mod command;
mod compiler;
mod component;

pub use command::{run_command, show};
pub use compiler::{
    CC_VAR, CFLAGS_VAR, Compiler, INSTALL_HINT, REACTOR_FLAGS, REQUIRE_VAR, find_compiler,
    guests_required, rerun_if_env_changed,
};
pub use component::{Adapter, PREVIEW1_MODULE, wasi_component};

/// A build error: a message for the developer, with its causes.
pub type Error = String;
