//! [`WasiCtxBuilder`]: what a host grants its guests, one call at a time.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use wit_host::{Context, Result};

use crate::clock::{HostMonotonicClock, HostWallClock, SystemMonotonicClock, SystemWallClock};
use crate::limits::Limits;
use crate::net::{SocketAddrUse, SocketPolicy};
use crate::p2::cli::{Stderr, Stdin, StdinStream, Stdout, StdoutStream};
use crate::p2::filesystem::Preopen;
use crate::p2::pipe::{ClosedInputStream, SinkOutputStream};
use crate::rng::{InsecureRandom, OsRandom, RngCore};
use crate::{DirPerms, FilePerms, WasiCtx};

/// Builds a [`WasiCtx`]. It starts from nothing: no arguments, no
/// environment, no directories, no network, an empty stdin and discarded
/// stdout and stderr; each method grants one thing.
///
/// ```no_run
/// use wit_host_wasi::{DirPerms, FilePerms, WasiCtx};
/// use wit_host_wasi::p2::pipe::MemoryOutputPipe;
///
/// # fn main() -> wit_host::Result<()> {
/// let stdout = MemoryOutputPipe::new(1 << 20);
/// let ctx = WasiCtx::builder()
///     .args(&["app", "--verbose"])
///     .env("HOME", "/data")
///     .stdout(stdout.clone())
///     .preopened_dir("./data", "/data", DirPerms::READ, FilePerms::READ)?
///     .build();
/// # let _ = ctx; Ok(()) }
/// ```
pub struct WasiCtxBuilder {
    args: Vec<String>,
    env: Vec<(String, String)>,
    initial_cwd: Option<String>,
    stdin: Box<dyn StdinStream>,
    stdout: Box<dyn StdoutStream>,
    stderr: Box<dyn StdoutStream>,
    preopens: Vec<Preopen>,
    wall_clock: Box<dyn HostWallClock>,
    monotonic_clock: Box<dyn HostMonotonicClock>,
    secure_random: Box<dyn RngCore + Send + Sync>,
    insecure_random: Box<dyn RngCore + Send + Sync>,
    insecure_random_seed: u128,
    network: SocketPolicy,
    limits: Limits,
}

impl Default for WasiCtxBuilder {
    fn default() -> WasiCtxBuilder {
        WasiCtxBuilder::new()
    }
}

impl WasiCtxBuilder {
    /// A builder that grants nothing yet.
    pub fn new() -> WasiCtxBuilder {
        let seed = (u128::from(OsRandom.next_u64()) << 64) | u128::from(OsRandom.next_u64());
        WasiCtxBuilder {
            args: Vec::new(),
            env: Vec::new(),
            initial_cwd: None,
            stdin: Box::new(ClosedInputStream),
            stdout: Box::new(SinkOutputStream),
            stderr: Box::new(SinkOutputStream),
            preopens: Vec::new(),
            wall_clock: Box::new(SystemWallClock),
            monotonic_clock: Box::new(SystemMonotonicClock::default()),
            secure_random: Box::new(OsRandom),
            insecure_random: Box::new(InsecureRandom::from_os()),
            insecure_random_seed: seed,
            network: SocketPolicy::default(),
            limits: Limits::default(),
        }
    }

    /// The guest's stdin.
    pub fn stdin(&mut self, stdin: impl StdinStream + 'static) -> &mut Self {
        self.stdin = Box::new(stdin);
        self
    }

    /// The guest's stdout.
    pub fn stdout(&mut self, stdout: impl StdoutStream + 'static) -> &mut Self {
        self.stdout = Box::new(stdout);
        self
    }

    /// The guest's stderr.
    pub fn stderr(&mut self, stderr: impl StdoutStream + 'static) -> &mut Self {
        self.stderr = Box::new(stderr);
        self
    }

    /// The host process's stdin becomes the guest's.
    pub fn inherit_stdin(&mut self) -> &mut Self {
        self.stdin(Stdin)
    }

    /// The host process's stdout becomes the guest's.
    pub fn inherit_stdout(&mut self) -> &mut Self {
        self.stdout(Stdout)
    }

    /// The host process's stderr becomes the guest's.
    pub fn inherit_stderr(&mut self) -> &mut Self {
        self.stderr(Stderr)
    }

    /// All three standard streams of the host process become the guest's.
    pub fn inherit_stdio(&mut self) -> &mut Self {
        self.inherit_stdin().inherit_stdout().inherit_stderr()
    }

    /// Appends arguments (the first is, by convention, the program's name).
    pub fn args(&mut self, args: &[impl AsRef<str>]) -> &mut Self {
        self.args.extend(args.iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Appends one argument.
    pub fn arg(&mut self, arg: impl AsRef<str>) -> &mut Self {
        self.args.push(arg.as_ref().to_owned());
        self
    }

    /// The host process's arguments become the guest's (those that are
    /// valid UTF-8).
    pub fn inherit_args(&mut self) -> &mut Self {
        self.args = std::env::args_os()
            .filter_map(|a| a.into_string().ok())
            .collect();
        self
    }

    /// Sets environment variables.
    pub fn envs(&mut self, env: &[(impl AsRef<str>, impl AsRef<str>)]) -> &mut Self {
        for (k, v) in env {
            self.env(k, v);
        }
        self
    }

    /// Sets one environment variable (replacing an earlier value).
    pub fn env(&mut self, key: impl AsRef<str>, value: impl AsRef<str>) -> &mut Self {
        let (key, value) = (key.as_ref().to_owned(), value.as_ref().to_owned());
        match self.env.iter_mut().find(|(k, _)| *k == key) {
            Some(entry) => entry.1 = value,
            None => self.env.push((key, value)),
        }
        self
    }

    /// The host process's environment becomes the guest's (the variables
    /// that are valid UTF-8).
    pub fn inherit_env(&mut self) -> &mut Self {
        self.env = std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
            .collect();
        self
    }

    /// What `wasi:cli/environment.initial-cwd` answers (`None` by default).
    pub fn initial_cwd(&mut self, cwd: impl AsRef<str>) -> &mut Self {
        self.initial_cwd = Some(cwd.as_ref().to_owned());
        self
    }

    /// Grants the host directory `host_path` to the guest as `guest_path`.
    /// Paths the guest opens resolve beneath it and never escape it (`..`,
    /// absolute symlinks and symlinks out of it are refused). `dir_perms`
    /// governs the directories beneath it, `file_perms` its files. Errors
    /// if the host directory cannot be opened.
    pub fn preopened_dir(
        &mut self,
        host_path: impl AsRef<Path>,
        guest_path: impl AsRef<str>,
        dir_perms: DirPerms,
        file_perms: FilePerms,
    ) -> Result<&mut Self> {
        let host_path = host_path.as_ref();
        let dir = cap_std::fs::Dir::open_ambient_dir(host_path, cap_std::ambient_authority())
            .with_context(|| format!("cannot open `{}` to preopen it", host_path.display()))?;
        self.preopens.push(Preopen {
            dir: Arc::new(dir),
            dir_perms,
            file_perms,
            guest_path: guest_path.as_ref().to_owned(),
        });
        Ok(self)
    }

    /// The wall clock (the system's by default).
    pub fn wall_clock(&mut self, clock: impl HostWallClock + 'static) -> &mut Self {
        self.wall_clock = Box::new(clock);
        self
    }

    /// The monotonic clock (the system's by default).
    pub fn monotonic_clock(&mut self, clock: impl HostMonotonicClock + 'static) -> &mut Self {
        self.monotonic_clock = Box::new(clock);
        self
    }

    /// The source of `wasi:random/random` (the OS's by default). Give a
    /// seeded generator only for deterministic tests.
    pub fn secure_random(&mut self, random: impl RngCore + Send + Sync + 'static) -> &mut Self {
        self.secure_random = Box::new(random);
        self
    }

    /// The source of `wasi:random/insecure` (by default a fast generator
    /// seeded from the OS).
    pub fn insecure_random(&mut self, random: impl RngCore + Send + Sync + 'static) -> &mut Self {
        self.insecure_random = Box::new(random);
        self
    }

    /// What `wasi:random/insecure-seed` answers (random by default).
    pub fn insecure_random_seed(&mut self, seed: u128) -> &mut Self {
        self.insecure_random_seed = seed;
        self
    }

    /// Whether the guest may create TCP sockets (yes by default; what they
    /// may reach is [`Self::socket_addr_check`]'s).
    pub fn allow_tcp(&mut self, allow: bool) -> &mut Self {
        self.network.allow_tcp = allow;
        self
    }

    /// Whether the guest may create UDP sockets (yes by default; what they
    /// may reach is [`Self::socket_addr_check`]'s).
    pub fn allow_udp(&mut self, allow: bool) -> &mut Self {
        self.network.allow_udp = allow;
        self
    }

    /// Whether the guest may resolve host names (no by default).
    pub fn allow_ip_name_lookup(&mut self, allow: bool) -> &mut Self {
        self.network.allow_ip_name_lookup = allow;
        self
    }

    /// Which addresses the guest may bind, connect and send to. By default
    /// none: every bind and connect is refused (`access-denied`).
    ///
    /// ```
    /// use wit_host_wasi::{SocketAddrUse, WasiCtx};
    /// let ctx = WasiCtx::builder()
    ///     .socket_addr_check(|addr, _use: SocketAddrUse| addr.ip().is_loopback())
    ///     .build();
    /// # let _ = ctx;
    /// ```
    pub fn socket_addr_check(
        &mut self,
        check: impl Fn(SocketAddr, SocketAddrUse) -> bool + Send + Sync + 'static,
    ) -> &mut Self {
        self.network.addr_check = Some(Arc::new(check));
        self
    }

    /// The guest may use every address (as the host process can).
    pub fn inherit_network(&mut self) -> &mut Self {
        self.socket_addr_check(|_, _| true)
    }

    /// The most resources the guest may hold in the table through WASI
    /// (100 000 by default); past it, the call traps.
    pub fn max_resources(&mut self, max: usize) -> &mut Self {
        self.limits.max_resources = max;
        self
    }

    /// The most bytes one `get-random-bytes` may ask for (64 MiB by
    /// default); more traps.
    pub fn max_random_size(&mut self, max: u64) -> &mut Self {
        self.limits.max_random_size = max;
        self
    }

    /// The context. The builder is left as new, granting nothing.
    pub fn build(&mut self) -> WasiCtx {
        let b = std::mem::take(self);
        WasiCtx {
            args: b.args,
            env: b.env,
            initial_cwd: b.initial_cwd,
            stdin: b.stdin,
            stdout: b.stdout,
            stderr: b.stderr,
            preopens: b.preopens,
            wall_clock: b.wall_clock,
            monotonic_clock: b.monotonic_clock,
            secure_random: b.secure_random,
            insecure_random: b.insecure_random,
            insecure_random_seed: b.insecure_random_seed,
            network: b.network,
            limits: b.limits,
        }
    }
}
