//! `wasi:io/error`: the `error` resource a failed stream operation hands
//! the guest. Its only method renders the host error for debugging.

use wit_host::{Resource, Result};

use crate::p2::IoError;
use crate::p2::bindings::wasi::io::error::{Host, HostError};
use crate::view::WasiCtxView;

impl Host for WasiCtxView<'_> {}

impl HostError for WasiCtxView<'_> {
    fn to_debug_string(&mut self, self_: Resource<IoError>) -> Result<String> {
        Ok(format!("{:#}", self.table.get(&self_)?))
    }

    fn drop(&mut self, rep: Resource<IoError>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}
