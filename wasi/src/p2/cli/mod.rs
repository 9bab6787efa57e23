//! `wasi:cli`: the command-line world's interfaces. [`environment`]
//! (arguments, variables, initial directory), `exit`, [`stdio`] (the three
//! standard streams and the host's traits to provide them) and `terminal`
//! (whether each standard stream is a terminal).

pub mod environment;
mod exit;
pub mod stdio;
mod terminal;

pub use stdio::{IsTerminal, Stderr, Stdin, StdinStream, Stdout, StdoutStream};
pub use terminal::{TerminalInput, TerminalOutput};
