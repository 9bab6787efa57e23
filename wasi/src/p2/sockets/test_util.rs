//! Helpers of the sockets tests: a store's worth of WASI state to call the
//! host traits on, borrowed handles, waiting on pollables.

use std::net::SocketAddr;

use wit_host::{Resource, ResourceTable};

use crate::p2::DynPollable;
use crate::p2::bindings::wasi::io::poll::HostPollable;
use crate::p2::bindings::wasi::sockets::instance_network::Host as _;
use crate::p2::bindings::wasi::sockets::network::{ErrorCode, IpSocketAddress};
use crate::p2::sockets::{Network, SocketResult};
use crate::{WasiCtx, WasiCtxView};

/// A context and a table, as a store's data holds them.
pub(crate) struct TestHost {
    ctx: WasiCtx,
    table: ResourceTable,
}

impl TestHost {
    /// A host with the context `ctx`.
    pub(crate) fn new(ctx: WasiCtx) -> TestHost {
        TestHost {
            ctx,
            table: ResourceTable::new(),
        }
    }

    /// A host whose guest may use any address.
    pub(crate) fn inherit_network() -> TestHost {
        TestHost::new(WasiCtx::builder().inherit_network().build())
    }

    /// The view the host functions take.
    pub(crate) fn view(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.ctx,
            table: &mut self.table,
        }
    }
}

/// A borrowed handle to the same resource (handles are not `Clone`).
pub(crate) fn b<T: 'static>(r: &Resource<T>) -> Resource<T> {
    Resource::new_borrow(r.rep())
}

/// The instance's network.
pub(crate) fn network(v: &mut WasiCtxView<'_>) -> Resource<Network> {
    v.instance_network().unwrap()
}

/// Blocks on `pollable`, then drops it.
pub(crate) fn block(v: &mut WasiCtxView<'_>, pollable: Resource<DynPollable>) {
    HostPollable::block(v, b(&pollable)).unwrap();
    HostPollable::drop(v, pollable).unwrap();
}

/// The error code of a result (`None` if it is a success or a trap).
pub(crate) fn code<T>(r: SocketResult<T>) -> Option<ErrorCode> {
    r.err().and_then(|e| e.code())
}

/// `text` (`"127.0.0.1:80"`) as a WIT socket address.
pub(crate) fn addr(text: &str) -> IpSocketAddress {
    text.parse::<SocketAddr>().unwrap().into()
}

/// Whether the host can create IPv6 sockets on `::1`.
pub(crate) fn has_ipv6() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}
