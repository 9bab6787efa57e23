//! `wasi:sockets/ip-name-lookup`: [`ResolveAddressStream`], the addresses
//! of a host name, resolved by the OS (`getaddrinfo`, through std's
//! `ToSocketAddrs`) without blocking the guest.
//!
//! `resolve-addresses` never blocks: an IP address is answered at once; a
//! name is checked (and converted to ASCII, see `idna`) and queued for a
//! small pool of worker threads shared by the process (at most
//! [`MAX_WORKERS`], started on demand, ending when idle). A worker stores
//! the result and writes a byte into a socket pair whose other end is the
//! stream's pollable, so `wasi:io/poll` wakes without polling. Until then
//! `resolve-next-address` answers `would-block`; then it returns the
//! addresses one by one (IPv4-mapped IPv6 addresses as IPv4, duplicates
//! removed), then `none`.
//!
//! Lookups are refused (`access-denied`) unless the host allowed them
//! ([`allow_ip_name_lookup`](crate::WasiCtxBuilder::allow_ip_name_lookup)).

use std::collections::VecDeque;
use std::io::{self, Write as _};
use std::net::{IpAddr, Ipv6Addr, ToSocketAddrs};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use wit_host::{Resource, Result};

use crate::p2::DynPollable;
use crate::p2::bindings::wasi::sockets::ip_name_lookup::{self, HostResolveAddressStream};
use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpAddress};
use crate::p2::io::poll::{self, Interest, Pollable, Readiness};
use crate::p2::sockets::{Network, SocketError, SocketResult, idna};
use crate::view::WasiCtxView;

/// The most worker threads resolving names at once, process-wide; more
/// lookups wait in a queue.
pub const MAX_WORKERS: usize = 4;

/// How long an idle worker waits for a lookup before it ends.
const WORKER_IDLE: Duration = Duration::from_secs(10);

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // The state is a queue and results; a panic elsewhere leaves it usable.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The host side of a `resolve-address-stream`.
pub struct ResolveAddressStream {
    state: Resolution,
}

enum Resolution {
    /// A worker resolves the name; `wake` becomes readable when it is done.
    Pending {
        lookup: Arc<Lookup>,
        wake: Arc<UnixStream>,
    },
    /// The addresses not returned yet.
    Done(std::vec::IntoIter<IpAddr>),
    /// The lookup failed.
    Failed(ErrorCode),
}

/// One name to resolve, shared by its stream and the worker.
struct Lookup {
    name: String,
    result: Mutex<Option<Result<Vec<IpAddr>, ErrorCode>>>,
    /// The stream was dropped: the result is not wanted.
    cancelled: AtomicBool,
    /// Written to once the result is stored.
    notify: UnixStream,
}

impl Lookup {
    fn run(&self) {
        if self.cancelled.load(Ordering::SeqCst) {
            return;
        }
        let result = resolve(&self.name);
        *lock(&self.result) = Some(result);
        // The stream may be gone; then no one waits for the byte.
        let _ = (&self.notify).write(&[1]);
    }
}

/// The addresses of `name`, by the OS's resolver (blocking).
fn resolve(name: &str) -> Result<Vec<IpAddr>, ErrorCode> {
    let found = (name, 0u16)
        .to_socket_addrs()
        .map_err(|e| lookup_error(&e))?;
    let mut ips = Vec::new();
    for addr in found {
        let ip = match addr.ip() {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
            ip => ip,
        };
        if !ips.contains(&ip) {
            ips.push(ip);
        }
    }
    if ips.is_empty() {
        return Err(ErrorCode::NameUnresolvable);
    }
    Ok(ips)
}

/// The `error-code` of a failed `getaddrinfo`. std gives its
/// `gai_strerror` text, not its code, so the text tells `EAI_AGAIN`
/// ("temporary failure") and `EAI_FAIL` ("non-recoverable") apart from
/// the rest (`name-unresolvable`).
fn lookup_error(e: &io::Error) -> ErrorCode {
    let text = e.to_string().to_ascii_lowercase();
    if text.contains("temporary failure") || text.contains("try again") {
        ErrorCode::TemporaryResolverFailure
    } else if text.contains("non-recoverable") || e.raw_os_error().is_some() {
        // EAI_FAIL, or EAI_SYSTEM: the resolver itself failed.
        ErrorCode::PermanentResolverFailure
    } else {
        ErrorCode::NameUnresolvable
    }
}

/// The queue of lookups and the workers serving it.
struct Pool {
    state: Mutex<PoolState>,
    wake: Condvar,
}

struct PoolState {
    queue: VecDeque<Arc<Lookup>>,
    workers: usize,
    idle: usize,
}

static POOL: Pool = Pool {
    state: Mutex::new(PoolState {
        queue: VecDeque::new(),
        workers: 0,
        idle: 0,
    }),
    wake: Condvar::new(),
};

/// Queues `lookup`, starting a worker if none is idle and there is room.
fn submit(lookup: Arc<Lookup>) {
    let mut state = lock(&POOL.state);
    state.queue.push_back(lookup);
    if state.idle == 0 && state.workers < MAX_WORKERS {
        let spawned = std::thread::Builder::new()
            .name("wasi-ip-name-lookup".into())
            .spawn(worker);
        match spawned {
            Ok(_) => state.workers += 1,
            // No thread and no worker to take it: resolve here, blocking.
            Err(_) if state.workers == 0 => {
                let job = state.queue.pop_back();
                drop(state);
                if let Some(job) = job {
                    job.run();
                }
                return;
            }
            Err(_) => {}
        }
    }
    drop(state);
    POOL.wake.notify_one();
}

/// A worker: runs queued lookups; ends after [`WORKER_IDLE`] without one.
fn worker() {
    let mut state = lock(&POOL.state);
    loop {
        if let Some(job) = state.queue.pop_front() {
            drop(state);
            job.run();
            state = lock(&POOL.state);
            continue;
        }
        state.idle += 1;
        let (guard, waited) = POOL
            .wake
            .wait_timeout(state, WORKER_IDLE)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state = guard;
        state.idle -= 1;
        if waited.timed_out() && state.queue.is_empty() {
            state.workers -= 1;
            return;
        }
    }
}

/// The IP address `name` spells, if it is one (IPv6 maybe in brackets).
fn parse_ip(name: &str) -> Option<IpAddr> {
    if let Ok(ip) = name.parse::<IpAddr>() {
        return Some(ip);
    }
    let inner = name.strip_prefix('[')?.strip_suffix(']')?;
    inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6)
}

impl ResolveAddressStream {
    /// A stream over the addresses of `name`: at once for an IP address,
    /// else from a worker.
    fn start(name: &str) -> SocketResult<ResolveAddressStream> {
        if let Some(ip) = parse_ip(name) {
            return Ok(ResolveAddressStream {
                state: Resolution::Done(vec![ip].into_iter()),
            });
        }
        let name = idna::to_ascii(name).ok_or(ErrorCode::InvalidArgument)?;
        let (wake, notify) = UnixStream::pair()?;
        let lookup = Arc::new(Lookup {
            name,
            result: Mutex::new(None),
            cancelled: AtomicBool::new(false),
            notify,
        });
        submit(lookup.clone());
        Ok(ResolveAddressStream {
            state: Resolution::Pending {
                lookup,
                wake: Arc::new(wake),
            },
        })
    }

    /// The next address; `would-block` while the lookup runs.
    fn next(&mut self) -> SocketResult<Option<IpAddr>> {
        if let Resolution::Pending { lookup, .. } = &self.state {
            let Some(result) = lock(&lookup.result).take() else {
                return Err(ErrorCode::WouldBlock.into());
            };
            self.state = match result {
                Ok(ips) => Resolution::Done(ips.into_iter()),
                Err(code) => Resolution::Failed(code),
            };
        }
        match &mut self.state {
            Resolution::Done(ips) => Ok(ips.next()),
            Resolution::Failed(code) => Err((*code).into()),
            Resolution::Pending { .. } => Err(ErrorCode::WouldBlock.into()),
        }
    }
}

impl Drop for ResolveAddressStream {
    fn drop(&mut self) {
        if let Resolution::Pending { lookup, .. } = &self.state {
            lookup.cancelled.store(true, Ordering::SeqCst);
        }
    }
}

impl Pollable for ResolveAddressStream {
    fn readiness(&mut self) -> Readiness {
        match &self.state {
            Resolution::Pending { lookup, wake } if lock(&lookup.result).is_none() => {
                Readiness::Fd(wake.clone(), Interest::Read)
            }
            _ => Readiness::Ready,
        }
    }
}

impl ip_name_lookup::Host for WasiCtxView<'_> {
    fn resolve_addresses(
        &mut self,
        network: Resource<Network>,
        name: String,
    ) -> SocketResult<Resource<ResolveAddressStream>> {
        if !self.table.get(&network)?.policy().allow_ip_name_lookup {
            return Err(ErrorCode::AccessDenied.into());
        }
        let stream = ResolveAddressStream::start(&name)?;
        Ok(self.push(stream)?)
    }
}

impl HostResolveAddressStream for WasiCtxView<'_> {
    fn resolve_next_address(
        &mut self,
        self_: Resource<ResolveAddressStream>,
    ) -> SocketResult<Option<IpAddress>> {
        let stream = self.table.get_mut(&self_).map_err(SocketError::from)?;
        Ok(stream.next()?.map(IpAddress::from))
    }

    fn subscribe(
        &mut self,
        self_: Resource<ResolveAddressStream>,
    ) -> Result<Resource<DynPollable>> {
        poll::subscribe(self, &self_)
    }

    fn drop(&mut self, rep: Resource<ResolveAddressStream>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use super::*;
    use crate::WasiCtx;
    use crate::p2::bindings::wasi::sockets::ip_name_lookup::Host as _;
    use crate::p2::sockets::test_util::{TestHost, b, block, code, network};

    fn lookup_host() -> TestHost {
        TestHost::new(WasiCtx::builder().allow_ip_name_lookup(true).build())
    }

    /// Every address of `name`, waiting on the stream's pollable.
    fn resolve_all(v: &mut WasiCtxView<'_>, name: &str) -> SocketResult<Vec<IpAddr>> {
        let net = network(v);
        let stream = v.resolve_addresses(b(&net), name.into())?;
        let mut ips = Vec::new();
        let result = loop {
            match HostResolveAddressStream::resolve_next_address(v, b(&stream)) {
                Ok(Some(ip)) => ips.push(IpAddr::from(ip)),
                Ok(None) => break Ok(ips),
                Err(e) if e.code() == Some(ErrorCode::WouldBlock) => {
                    let pollable = HostResolveAddressStream::subscribe(v, b(&stream)).unwrap();
                    block(v, pollable);
                }
                Err(e) => break Err(e),
            }
        };
        HostResolveAddressStream::drop(v, stream).unwrap();
        result
    }

    #[test]
    fn resolver_errors() {
        let gai =
            |text: &str| io::Error::other(format!("failed to lookup address information: {text}"));
        let temporary = gai("Temporary failure in name resolution");
        assert_eq!(
            lookup_error(&temporary),
            ErrorCode::TemporaryResolverFailure
        );
        let permanent = gai("Non-recoverable failure in name resolution");
        assert_eq!(
            lookup_error(&permanent),
            ErrorCode::PermanentResolverFailure
        );
        let unknown = gai("Name or service not known");
        assert_eq!(lookup_error(&unknown), ErrorCode::NameUnresolvable);
        let system = io::Error::from_raw_os_error(rustix::io::Errno::MFILE.raw_os_error());
        assert_eq!(lookup_error(&system), ErrorCode::PermanentResolverFailure);
    }

    #[test]
    fn localhost_resolves_to_loopback() {
        let mut host = lookup_host();
        let ips = resolve_all(&mut host.view(), "localhost").unwrap();
        assert!(!ips.is_empty());
        assert!(ips.iter().all(IpAddr::is_loopback), "{ips:?}");
    }

    #[test]
    fn addresses_are_returned_as_is() {
        let mut host = lookup_host();
        let mut v = host.view();
        assert_eq!(
            resolve_all(&mut v, "192.0.2.7").unwrap(),
            [IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))]
        );
        assert_eq!(
            resolve_all(&mut v, "::1").unwrap(),
            [IpAddr::V6(Ipv6Addr::LOCALHOST)]
        );
        assert_eq!(
            resolve_all(&mut v, "[::1]").unwrap(),
            [IpAddr::V6(Ipv6Addr::LOCALHOST)]
        );
    }

    #[test]
    fn refused_by_default() {
        let mut host = TestHost::new(WasiCtx::builder().inherit_network().build());
        let mut v = host.view();
        let net = network(&mut v);
        let denied = v.resolve_addresses(b(&net), "localhost".into());
        assert_eq!(code(denied), Some(ErrorCode::AccessDenied));
        let denied = v.resolve_addresses(b(&net), "127.0.0.1".into());
        assert_eq!(code(denied), Some(ErrorCode::AccessDenied));
    }

    #[test]
    fn bad_names_are_invalid_arguments() {
        let mut host = lookup_host();
        let mut v = host.view();
        let net = network(&mut v);
        let long = "a".repeat(1000);
        for name in [
            "",
            " ",
            "a.b<&>",
            "exa mple.com",
            "[::1",
            "host:80",
            long.as_str(),
            "a\0b",
        ] {
            let result = v.resolve_addresses(b(&net), name.into());
            assert_eq!(code(result), Some(ErrorCode::InvalidArgument), "{name:?}");
        }
    }

    #[test]
    fn unknown_names_fail_and_lookups_run_concurrently() {
        let mut host = lookup_host();
        let mut v = host.view();
        let net = network(&mut v);
        // More lookups than workers: all complete. `.invalid` never
        // resolves (RFC 6761).
        let streams: Vec<_> = (0..2 * MAX_WORKERS)
            .map(|i| {
                v.resolve_addresses(b(&net), format!("no-such-host-{i}.invalid"))
                    .unwrap()
            })
            .collect();
        for stream in streams {
            let result = loop {
                match HostResolveAddressStream::resolve_next_address(&mut v, b(&stream)) {
                    Err(e) if e.code() == Some(ErrorCode::WouldBlock) => {
                        let pollable =
                            HostResolveAddressStream::subscribe(&mut v, b(&stream)).unwrap();
                        block(&mut v, pollable);
                    }
                    other => break other,
                }
            };
            let failure = code(result).expect("a failure");
            assert!(
                matches!(
                    failure,
                    ErrorCode::NameUnresolvable
                        | ErrorCode::TemporaryResolverFailure
                        | ErrorCode::PermanentResolverFailure
                ),
                "{failure:?}"
            );
            HostResolveAddressStream::drop(&mut v, stream).unwrap();
        }
        // A stream dropped before its lookup ends is fine.
        let stream = v.resolve_addresses(b(&net), "localhost".into()).unwrap();
        HostResolveAddressStream::drop(&mut v, stream).unwrap();
    }
}
