//! `wasi:cli/exit`: the guest stops; the embedder's call returns an error
//! that downcasts to [`I32Exit`] with the code.

use wit_host::Result;

use crate::I32Exit;
use crate::p2::bindings::wasi::cli::exit::Host;
use crate::view::WasiCtxView;

impl Host for WasiCtxView<'_> {
    fn exit(&mut self, status: std::result::Result<(), ()>) -> Result<()> {
        let code = if status.is_ok() { 0 } else { 1 };
        Err(I32Exit(code).into())
    }

    fn exit_with_code(&mut self, status_code: u8) -> Result<()> {
        Err(I32Exit(i32::from(status_code)).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtx;
    use wit_host::ResourceTable;

    #[test]
    fn exit_is_an_error_carrying_the_code() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        let code = |e: wit_host::Error| e.downcast_ref::<I32Exit>().map(|e| e.0);
        assert_eq!(code(view.exit(Ok(())).unwrap_err()), Some(0));
        assert_eq!(code(view.exit(Err(())).unwrap_err()), Some(1));
        assert_eq!(code(view.exit_with_code(42).unwrap_err()), Some(42));
    }
}
