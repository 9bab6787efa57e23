//! `wasi:filesystem` (`types` and `preopens`): files and directories
//! beneath the directories a host preopened, synchronously.
//!
//! Every path a guest names is resolved by cap-std beneath the directory
//! descriptor it is relative to, which is the sandbox: `..` past that
//! directory, absolute paths, and symlinks that are absolute or lead out
//! of it fail with `not-permitted`, symlink loops with `loop`, and the host
//! never walks paths itself. A preopen's [`DirPerms`](crate::DirPerms) and
//! [`FilePerms`](crate::FilePerms) bound everything opened beneath it
//! (breaking them: `not-permitted`); a descriptor's own flags bound what it
//! may do (a file opened without `write` refuses writes with
//! `bad-descriptor`). Failures a guest can cause are error codes; stale
//! handles and a full resource table trap.
//!
//! One module per concern: `descriptor` ([`Descriptor`] and its
//! permissions), `host` (the methods of the resource, delegating to the
//! others), `open` (`open-at`), `file` (contents), `streams` (the file
//! streams), `dir` (entries), `stat` (metadata), `readdir`
//! ([`ReaddirIterator`]), `error` ([`FsError`], [`error_code`]) and
//! `preopens`.

mod descriptor;
mod dir;
mod error;
mod file;
mod host;
mod open;
mod preopens;
mod readdir;
mod stat;
mod streams;

#[cfg(test)]
mod tests;

pub use descriptor::Descriptor;
pub use error::{FsError, error_code};
pub(crate) use preopens::Preopen;
pub use readdir::ReaddirIterator;

use crate::p2::bindings::wasi::filesystem::{preopens as preopens_iface, types};
use crate::view::{HasWasi, WasiView};

/// Defines `wasi:filesystem/types` and `wasi:filesystem/preopens` in
/// `linker`.
pub(crate) fn add_to_linker<T: WasiView + 'static>(
    linker: &mut wit_host::Linker<T>,
) -> wit_host::Result<()> {
    types::add_to_linker::<T, HasWasi>(linker, T::ctx)?;
    preopens_iface::add_to_linker::<T, HasWasi>(linker, T::ctx)?;
    Ok(())
}
