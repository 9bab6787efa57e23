//! [`WasiView`]: how the WASI host functions reach their state in the
//! store's data.

use wit_host::{HasData, ResourceTable};

use crate::WasiCtx;

/// The store data of a host that runs WASI components implements this, to
/// lend the WASI functions its [`WasiCtx`] and its [`ResourceTable`].
///
/// ```
/// use wit_host::ResourceTable;
/// use wit_host_wasi::{WasiCtx, WasiCtxView, WasiView};
///
/// struct Host {
///     wasi: WasiCtx,
///     table: ResourceTable,
/// }
///
/// impl WasiView for Host {
///     fn ctx(&mut self) -> WasiCtxView<'_> {
///         WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
///     }
/// }
/// ```
pub trait WasiView: Send {
    /// The context and the table, borrowed for one host call.
    fn ctx(&mut self) -> WasiCtxView<'_>;
}

/// What the WASI host functions work on: the per-store configuration and
/// state, and the table holding the guest's WASI resources.
pub struct WasiCtxView<'a> {
    /// The configuration (sandbox, stdio, clocks, random) and its state.
    pub ctx: &'a mut WasiCtx,
    /// The table where streams, descriptors, sockets and pollables live.
    pub table: &'a mut ResourceTable,
}

impl WasiCtxView<'_> {
    /// Pushes `value` into the table, within the context's `max_resources`.
    pub(crate) fn push<T: Send + 'static>(
        &mut self,
        value: T,
    ) -> wit_host::Result<wit_host::Resource<T>> {
        self.ctx.limits.check_table(self.table)?;
        Ok(self.table.push(value)?)
    }

    /// Pushes `value` as a child of `parent`, within `max_resources`.
    pub(crate) fn push_child<T: Send + 'static, U: 'static>(
        &mut self,
        value: T,
        parent: &wit_host::Resource<U>,
    ) -> wit_host::Result<wit_host::Resource<T>> {
        self.ctx.limits.check_table(self.table)?;
        Ok(self.table.push_child(value, parent)?)
    }
}

/// The [`HasData`] whose data is a [`WasiCtxView`]: what the generated
/// `add_to_linker` functions of the WASI interfaces are given.
pub struct HasWasi;

impl HasData for HasWasi {
    type Data<'a> = WasiCtxView<'a>;
}
