//! `wasi:cli/terminal-*`: whether each standard stream is a terminal. The
//! answer comes from the stream the host configured (`isatty`); the
//! terminal resources carry nothing else yet, as in WASI 0.2.

use wit_host::{Resource, Result};

use crate::p2::bindings::wasi::cli::{
    terminal_input, terminal_output, terminal_stderr, terminal_stdin, terminal_stdout,
};
use crate::view::WasiCtxView;

/// The host side of a `terminal-input`.
#[derive(Debug)]
pub struct TerminalInput;

/// The host side of a `terminal-output`.
#[derive(Debug)]
pub struct TerminalOutput;

impl terminal_input::Host for WasiCtxView<'_> {}

impl terminal_input::HostTerminalInput for WasiCtxView<'_> {
    fn drop(&mut self, rep: Resource<TerminalInput>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl terminal_output::Host for WasiCtxView<'_> {}

impl terminal_output::HostTerminalOutput for WasiCtxView<'_> {
    fn drop(&mut self, rep: Resource<TerminalOutput>) -> Result<()> {
        self.table.delete(rep)?;
        Ok(())
    }
}

impl terminal_stdin::Host for WasiCtxView<'_> {
    fn get_terminal_stdin(&mut self) -> Result<Option<Resource<TerminalInput>>> {
        if !self.ctx.stdin.isatty() {
            return Ok(None);
        }
        Ok(Some(self.push(TerminalInput)?))
    }
}

impl terminal_stdout::Host for WasiCtxView<'_> {
    fn get_terminal_stdout(&mut self) -> Result<Option<Resource<TerminalOutput>>> {
        if !self.ctx.stdout.isatty() {
            return Ok(None);
        }
        Ok(Some(self.push(TerminalOutput)?))
    }
}

impl terminal_stderr::Host for WasiCtxView<'_> {
    fn get_terminal_stderr(&mut self) -> Result<Option<Resource<TerminalOutput>>> {
        if !self.ctx.stderr.isatty() {
            return Ok(None);
        }
        Ok(Some(self.push(TerminalOutput)?))
    }
}
