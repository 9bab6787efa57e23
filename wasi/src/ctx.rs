//! [`WasiCtx`]: one store's WASI configuration and state.

use crate::clock::{HostMonotonicClock, HostWallClock};
use crate::limits::Limits;
use crate::net::SocketPolicy;
use crate::p2::cli::{StdinStream, StdoutStream};
use crate::p2::filesystem::Preopen;
use crate::rng::RngCore;

/// What one store's guests may see and do through WASI: arguments,
/// environment, standard streams, preopened directories, clocks, random
/// sources, network policy and limits. Made by a
/// [`WasiCtxBuilder`](crate::WasiCtxBuilder); a new context grants nothing.
///
/// ```
/// use wit_host_wasi::WasiCtx;
///
/// let ctx = WasiCtx::builder().arg("app").env("LANG", "C").inherit_stdout().build();
/// # let _ = ctx;
/// ```
pub struct WasiCtx {
    pub(crate) args: Vec<String>,
    pub(crate) env: Vec<(String, String)>,
    pub(crate) initial_cwd: Option<String>,
    pub(crate) stdin: Box<dyn StdinStream>,
    pub(crate) stdout: Box<dyn StdoutStream>,
    pub(crate) stderr: Box<dyn StdoutStream>,
    pub(crate) preopens: Vec<Preopen>,
    pub(crate) wall_clock: Box<dyn HostWallClock>,
    pub(crate) monotonic_clock: Box<dyn HostMonotonicClock>,
    pub(crate) secure_random: Box<dyn RngCore + Send + Sync>,
    pub(crate) insecure_random: Box<dyn RngCore + Send + Sync>,
    pub(crate) insecure_random_seed: u128,
    pub(crate) network: SocketPolicy,
    pub(crate) limits: Limits,
}

impl WasiCtx {
    /// A builder of a context, which starts granting nothing.
    pub fn builder() -> crate::WasiCtxBuilder {
        crate::WasiCtxBuilder::new()
    }
}

impl Default for WasiCtx {
    /// A context that grants nothing: no arguments, environment,
    /// directories or network; empty stdin; stdout and stderr discarded.
    fn default() -> WasiCtx {
        WasiCtx::builder().build()
    }
}

impl std::fmt::Debug for WasiCtx {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WasiCtx")
            .field("args", &self.args)
            .field("env", &self.env.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field(
                "preopens",
                &self
                    .preopens
                    .iter()
                    .map(|p| &p.guest_path)
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}
