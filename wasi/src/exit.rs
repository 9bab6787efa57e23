//! [`I32Exit`]: how a guest's `exit` reaches the embedder.

/// The error a call returns when the guest called `wasi:cli/exit`'s `exit`
/// or `exit-with-code`: the instance stops there and the embedder gets the
/// exit code by downcasting the error.
///
/// ```
/// use wit_host_wasi::I32Exit;
///
/// let err = wit_host::Error::new(I32Exit(3));
/// assert_eq!(err.downcast_ref::<I32Exit>(), Some(&I32Exit(3)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct I32Exit(pub i32);

impl std::fmt::Display for I32Exit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the guest exited with code {}", self.0)
    }
}

impl std::error::Error for I32Exit {}
