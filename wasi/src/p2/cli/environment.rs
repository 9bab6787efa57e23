//! `wasi:cli/environment`: what the host chose to give of its arguments,
//! environment variables and working directory; nothing by default.

use wit_host::Result;

use crate::p2::bindings::wasi::cli::environment::Host;
use crate::view::WasiCtxView;

impl Host for WasiCtxView<'_> {
    fn get_environment(&mut self) -> Result<Vec<(String, String)>> {
        Ok(self.ctx.env.clone())
    }

    fn get_arguments(&mut self) -> Result<Vec<String>> {
        Ok(self.ctx.args.clone())
    }

    fn initial_cwd(&mut self) -> Result<Option<String>> {
        Ok(self.ctx.initial_cwd.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::WasiCtx;
    use wit_host::ResourceTable;

    #[test]
    fn a_new_context_grants_no_arguments_environment_or_directory() {
        let (mut ctx, mut table) = (WasiCtx::default(), ResourceTable::new());
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        assert!(view.get_arguments().unwrap().is_empty());
        assert!(view.get_environment().unwrap().is_empty());
        assert_eq!(view.initial_cwd().unwrap(), None);
    }

    #[test]
    fn what_the_builder_grants_is_what_the_guest_sees() {
        let mut ctx = WasiCtx::builder()
            .args(&["app", "-v"])
            .env("A", "1")
            .envs(&[("B", "2"), ("A", "3")])
            .initial_cwd("/work")
            .build();
        let mut table = ResourceTable::new();
        let mut view = WasiCtxView {
            ctx: &mut ctx,
            table: &mut table,
        };
        assert_eq!(view.get_arguments().unwrap(), ["app", "-v"]);
        assert_eq!(
            view.get_environment().unwrap(),
            [("A".to_string(), "3".to_string()), ("B".into(), "2".into())]
        );
        assert_eq!(view.initial_cwd().unwrap().as_deref(), Some("/work"));
    }
}
