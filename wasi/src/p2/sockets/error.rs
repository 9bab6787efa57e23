//! [`SocketError`]: what a `wasi:sockets` host function fails with, either
//! an `error-code` the guest gets or a trap, and the mapping of the OS's
//! errors (`errno`) to WASI's error codes.
//!
//! The mapping is the general one of `wasi:sockets/network.error-code`;
//! functions whose WIT documents another meaning for an `errno` (bind's
//! `EADDRNOTAVAIL`, connect's `EADDRNOTAVAIL`, ...) adjust it where they
//! call the OS.

use std::io;

use rustix::io::Errno;
use wit_host::{Resource, Result};

use crate::p2::IoError;
use crate::p2::bindings::wasi::sockets::network::{self, ErrorCode};
use crate::view::WasiCtxView;

/// Why a `wasi:sockets` operation did not happen: an [`ErrorCode`] the
/// guest receives, or a trap (a stale handle, a broken contract, a full
/// resource table).
#[derive(Debug)]
pub enum SocketError {
    /// The guest gets this `error-code`.
    Code(ErrorCode),
    /// The guest traps with this error.
    Trap(wit_host::Error),
}

impl SocketError {
    /// A [`SocketError::Trap`] with a message.
    pub fn trap(msg: impl std::fmt::Display) -> SocketError {
        SocketError::Trap(wit_host::Error::msg(msg.to_string()))
    }

    /// The error code, if this is not a trap.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            SocketError::Code(code) => Some(*code),
            SocketError::Trap(_) => None,
        }
    }
}

impl std::fmt::Display for SocketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SocketError::Code(code) => write!(f, "socket error: {code:?}"),
            SocketError::Trap(e) => write!(f, "trap: {e}"),
        }
    }
}

impl std::error::Error for SocketError {}

impl From<ErrorCode> for SocketError {
    fn from(code: ErrorCode) -> SocketError {
        SocketError::Code(code)
    }
}

impl From<io::Error> for SocketError {
    fn from(e: io::Error) -> SocketError {
        SocketError::Code(error_code(&e))
    }
}

impl From<Errno> for SocketError {
    fn from(e: Errno) -> SocketError {
        SocketError::Code(errno_code(e))
    }
}

impl From<wit_host::ResourceTableError> for SocketError {
    fn from(e: wit_host::ResourceTableError) -> SocketError {
        SocketError::Trap(e.into())
    }
}

impl From<wit_host::Error> for SocketError {
    fn from(e: wit_host::Error) -> SocketError {
        SocketError::Trap(e)
    }
}

/// What socket operations return.
pub type SocketResult<T> = Result<T, SocketError>;

/// The `error-code` of an I/O error of the OS.
pub(crate) fn error_code(e: &io::Error) -> ErrorCode {
    if let Some(errno) = Errno::from_io_error(e) {
        return errno_code(errno);
    }
    match e.kind() {
        io::ErrorKind::PermissionDenied => ErrorCode::AccessDenied,
        io::ErrorKind::Unsupported => ErrorCode::NotSupported,
        io::ErrorKind::InvalidInput => ErrorCode::InvalidArgument,
        io::ErrorKind::OutOfMemory => ErrorCode::OutOfMemory,
        io::ErrorKind::TimedOut => ErrorCode::Timeout,
        io::ErrorKind::WouldBlock => ErrorCode::WouldBlock,
        io::ErrorKind::AddrInUse => ErrorCode::AddressInUse,
        io::ErrorKind::AddrNotAvailable => ErrorCode::AddressNotBindable,
        io::ErrorKind::ConnectionRefused => ErrorCode::ConnectionRefused,
        io::ErrorKind::ConnectionReset => ErrorCode::ConnectionReset,
        io::ErrorKind::ConnectionAborted => ErrorCode::ConnectionAborted,
        io::ErrorKind::NotConnected => ErrorCode::InvalidState,
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
            ErrorCode::RemoteUnreachable
        }
        _ => ErrorCode::Unknown,
    }
}

/// The `error-code` of an `errno`.
pub(crate) fn errno_code(e: Errno) -> ErrorCode {
    match e {
        Errno::ACCESS | Errno::PERM => ErrorCode::AccessDenied,
        Errno::OPNOTSUPP | Errno::AFNOSUPPORT | Errno::PROTONOSUPPORT | Errno::NOPROTOOPT => {
            ErrorCode::NotSupported
        }
        Errno::INVAL => ErrorCode::InvalidArgument,
        Errno::NOMEM | Errno::NOBUFS => ErrorCode::OutOfMemory,
        Errno::TIMEDOUT => ErrorCode::Timeout,
        Errno::ALREADY => ErrorCode::ConcurrencyConflict,
        Errno::AGAIN | Errno::INPROGRESS => ErrorCode::WouldBlock,
        Errno::ISCONN | Errno::NOTCONN | Errno::DESTADDRREQ => ErrorCode::InvalidState,
        Errno::MFILE | Errno::NFILE => ErrorCode::NewSocketLimit,
        Errno::ADDRNOTAVAIL => ErrorCode::AddressNotBindable,
        Errno::ADDRINUSE => ErrorCode::AddressInUse,
        Errno::HOSTUNREACH | Errno::HOSTDOWN | Errno::NETUNREACH | Errno::NETDOWN => {
            ErrorCode::RemoteUnreachable
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Errno::NONET => ErrorCode::RemoteUnreachable,
        Errno::CONNREFUSED => ErrorCode::ConnectionRefused,
        Errno::CONNRESET | Errno::PIPE => ErrorCode::ConnectionReset,
        Errno::CONNABORTED => ErrorCode::ConnectionAborted,
        Errno::MSGSIZE => ErrorCode::DatagramTooLarge,
        _ => ErrorCode::Unknown,
    }
}

impl network::Host for WasiCtxView<'_> {
    fn convert_error_code(&mut self, err: SocketError) -> Result<ErrorCode> {
        match err {
            SocketError::Code(code) => Ok(code),
            SocketError::Trap(e) => Err(e),
        }
    }

    fn network_error_code(&mut self, err: Resource<IoError>) -> Result<Option<ErrorCode>> {
        let err = self.table.get(&err)?;
        Ok(if let Some(e) = err.downcast_ref::<io::Error>() {
            Some(error_code(e))
        } else {
            err.downcast_ref::<SocketError>()
                .and_then(SocketError::code)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtx;
    use network::Host as _;
    use wit_host::ResourceTable;

    #[test]
    fn network_error_code_reads_the_code_of_an_io_error() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let refused = io::Error::from_raw_os_error(Errno::CONNREFUSED.raw_os_error());
        let refused = view.push(IoError::from(refused)).unwrap();
        let other = view.push(IoError::msg("not a socket error")).unwrap();
        assert_eq!(
            view.network_error_code(Resource::new_borrow(refused.rep()))
                .unwrap(),
            Some(ErrorCode::ConnectionRefused)
        );
        assert_eq!(
            view.network_error_code(Resource::new_borrow(other.rep()))
                .unwrap(),
            None
        );
    }

    #[test]
    fn errno_mapping() {
        assert_eq!(errno_code(Errno::CONNREFUSED), ErrorCode::ConnectionRefused);
        assert_eq!(errno_code(Errno::ADDRINUSE), ErrorCode::AddressInUse);
        assert_eq!(errno_code(Errno::AGAIN), ErrorCode::WouldBlock);
        assert_eq!(errno_code(Errno::MFILE), ErrorCode::NewSocketLimit);
        assert_eq!(errno_code(Errno::NOTCONN), ErrorCode::InvalidState);
        let e = io::Error::from_raw_os_error(Errno::HOSTUNREACH.raw_os_error());
        assert_eq!(error_code(&e), ErrorCode::RemoteUnreachable);
        let e = io::Error::new(io::ErrorKind::TimedOut, "slow");
        assert_eq!(error_code(&e), ErrorCode::Timeout);
    }

    #[test]
    fn convert_traps_or_returns_the_code() {
        let mut ctx = crate::WasiCtx::builder().build();
        let mut table = wit_host::ResourceTable::new();
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let code = network::Host::convert_error_code(&mut view, ErrorCode::Timeout.into());
        assert_eq!(code.unwrap(), ErrorCode::Timeout);
        let trap = network::Host::convert_error_code(&mut view, SocketError::trap("bad"));
        assert!(trap.unwrap_err().to_string().contains("bad"));
    }
}
