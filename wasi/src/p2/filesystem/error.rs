//! [`FsError`], what the `descriptor` methods fail with: an `error-code`
//! for the guest, or a trap (a stale handle, a full table). Host I/O errors
//! become error codes through [`error_code`], which maps `errno` values
//! (and, for errors without one, such as cap-std's refusal of a path that
//! escapes its directory, the [`std::io::ErrorKind`]). The `types` host
//! functions `convert-error-code` and `filesystem-error-code` live here.

use std::io;

use rustix::io::Errno;
use wit_host::{Resource, ResourceTableError, Result};

use crate::p2::IoError;
use crate::p2::bindings::wasi::filesystem::types::{ErrorCode, Host};
use crate::view::WasiCtxView;

/// Why a filesystem operation failed: an error code the guest sees, or an
/// error that traps it.
///
/// ```
/// use wit_host_wasi::p2::FsError;
/// use wit_host_wasi::p2::bindings::wasi::filesystem::types::ErrorCode;
///
/// let e = FsError::from(std::io::Error::from(std::io::ErrorKind::NotFound));
/// assert_eq!(e.code(), Some(ErrorCode::NoEntry));
/// ```
#[derive(Debug)]
pub struct FsError(Repr);

#[derive(Debug)]
enum Repr {
    Code(ErrorCode),
    Trap(wit_host::Error),
}

impl FsError {
    /// An error that traps the guest.
    pub fn trap(error: impl Into<wit_host::Error>) -> FsError {
        FsError(Repr::Trap(error.into()))
    }

    /// The error code, unless this error traps.
    pub fn code(&self) -> Option<ErrorCode> {
        match &self.0 {
            Repr::Code(code) => Some(*code),
            Repr::Trap(_) => None,
        }
    }

    /// The error code, or the trap.
    pub fn into_result(self) -> Result<ErrorCode> {
        match self.0 {
            Repr::Code(code) => Ok(code),
            Repr::Trap(e) => Err(e),
        }
    }
}

impl std::fmt::Display for FsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            Repr::Code(code) => write!(f, "filesystem error: {code}"),
            Repr::Trap(e) => write!(f, "trap: {e}"),
        }
    }
}

impl std::error::Error for FsError {}

impl From<ErrorCode> for FsError {
    fn from(code: ErrorCode) -> FsError {
        FsError(Repr::Code(code))
    }
}

impl From<io::Error> for FsError {
    fn from(e: io::Error) -> FsError {
        FsError(Repr::Code(error_code(&e)))
    }
}

impl From<ResourceTableError> for FsError {
    fn from(e: ResourceTableError) -> FsError {
        FsError::trap(e)
    }
}

impl From<wit_host::Error> for FsError {
    fn from(e: wit_host::Error) -> FsError {
        FsError::trap(e)
    }
}

/// The error code of a host I/O error.
pub fn error_code(e: &io::Error) -> ErrorCode {
    match e.raw_os_error() {
        Some(raw) => errno_code(Errno::from_raw_os_error(raw)),
        None => kind_code(e.kind()),
    }
}

/// The error code of an `errno` value.
fn errno_code(errno: Errno) -> ErrorCode {
    use ErrorCode as E;
    match errno {
        Errno::ACCESS => E::Access,
        Errno::AGAIN => E::WouldBlock,
        Errno::ALREADY => E::Already,
        Errno::BADF => E::BadDescriptor,
        Errno::BUSY => E::Busy,
        Errno::DEADLK => E::Deadlock,
        Errno::DQUOT => E::Quota,
        Errno::EXIST => E::Exist,
        Errno::FBIG => E::FileTooLarge,
        Errno::ILSEQ => E::IllegalByteSequence,
        Errno::INPROGRESS => E::InProgress,
        Errno::INTR => E::Interrupted,
        Errno::INVAL => E::Invalid,
        Errno::IO => E::Io,
        Errno::ISDIR => E::IsDirectory,
        Errno::LOOP => E::Loop,
        Errno::MLINK => E::TooManyLinks,
        Errno::MSGSIZE => E::MessageSize,
        Errno::NAMETOOLONG => E::NameTooLong,
        Errno::NODEV => E::NoDevice,
        Errno::NOENT => E::NoEntry,
        Errno::NOLCK => E::NoLock,
        Errno::NOMEM => E::InsufficientMemory,
        Errno::NOSPC => E::InsufficientSpace,
        Errno::NOTDIR => E::NotDirectory,
        Errno::NOTEMPTY => E::NotEmpty,
        Errno::NOTRECOVERABLE => E::NotRecoverable,
        Errno::NOTSUP | Errno::NOSYS => E::Unsupported,
        Errno::NOTTY => E::NoTty,
        Errno::NXIO => E::NoSuchDevice,
        Errno::OVERFLOW => E::Overflow,
        Errno::PERM => E::NotPermitted,
        Errno::PIPE => E::Pipe,
        Errno::ROFS => E::ReadOnly,
        Errno::SPIPE => E::InvalidSeek,
        Errno::TXTBSY => E::TextFileBusy,
        Errno::XDEV => E::CrossDevice,
        // `EOPNOTSUPP` equals `ENOTSUP` on Linux but not everywhere.
        e if e == Errno::OPNOTSUPP => E::Unsupported,
        // Out of file descriptors, and anything WASI has no code for.
        _ => E::Io,
    }
}

/// The error code of an error that carries no `errno`.
fn kind_code(kind: io::ErrorKind) -> ErrorCode {
    use ErrorCode as E;
    use io::ErrorKind as K;
    match kind {
        K::NotFound => E::NoEntry,
        // cap-std's refusal of a path that leads out of its directory
        // (`..` past the root, an absolute path or symlink).
        K::PermissionDenied => E::NotPermitted,
        K::AlreadyExists => E::Exist,
        K::WouldBlock => E::WouldBlock,
        K::InvalidInput | K::InvalidFilename => E::Invalid,
        K::InvalidData => E::IllegalByteSequence,
        K::Interrupted => E::Interrupted,
        K::Unsupported => E::Unsupported,
        K::OutOfMemory => E::InsufficientMemory,
        K::NotADirectory => E::NotDirectory,
        K::IsADirectory => E::IsDirectory,
        K::DirectoryNotEmpty => E::NotEmpty,
        K::ReadOnlyFilesystem => E::ReadOnly,
        K::StorageFull => E::InsufficientSpace,
        K::FileTooLarge => E::FileTooLarge,
        K::NotSeekable => E::InvalidSeek,
        K::ResourceBusy => E::Busy,
        K::ExecutableFileBusy => E::TextFileBusy,
        K::CrossesDevices => E::CrossDevice,
        K::TooManyLinks => E::TooManyLinks,
        K::Deadlock => E::Deadlock,
        K::QuotaExceeded => E::Quota,
        K::BrokenPipe => E::Pipe,
        _ => E::Io,
    }
}

impl Host for WasiCtxView<'_> {
    fn convert_error_code(&mut self, err: FsError) -> Result<ErrorCode> {
        err.into_result()
    }

    fn filesystem_error_code(&mut self, err: Resource<IoError>) -> Result<Option<ErrorCode>> {
        let err = self.table.get(&err)?;
        if let Some(e) = err.downcast_ref::<io::Error>() {
            return Ok(Some(error_code(e)));
        }
        if let Some(code) = err.downcast_ref::<ErrorCode>() {
            return Ok(Some(*code));
        }
        Ok(err.downcast_ref::<FsError>().and_then(FsError::code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errno_values_map_to_their_codes() {
        let code = |errno: Errno| error_code(&io::Error::from(errno));
        assert_eq!(code(Errno::NOENT), ErrorCode::NoEntry);
        assert_eq!(code(Errno::ACCESS), ErrorCode::Access);
        assert_eq!(code(Errno::PERM), ErrorCode::NotPermitted);
        assert_eq!(code(Errno::LOOP), ErrorCode::Loop);
        assert_eq!(code(Errno::NOTEMPTY), ErrorCode::NotEmpty);
        assert_eq!(code(Errno::ROFS), ErrorCode::ReadOnly);
        assert_eq!(code(Errno::MFILE), ErrorCode::Io);
    }

    #[test]
    fn errors_without_errno_map_by_kind() {
        let escape = io::Error::new(io::ErrorKind::PermissionDenied, "escape");
        assert_eq!(error_code(&escape), ErrorCode::NotPermitted);
        let other = io::Error::other("?");
        assert_eq!(error_code(&other), ErrorCode::Io);
    }

    #[test]
    fn traps_are_not_codes() {
        let e = FsError::from(ResourceTableError::NotPresent);
        assert_eq!(e.code(), None);
        assert!(e.into_result().is_err());
    }
}
