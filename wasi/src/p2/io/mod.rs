//! `wasi:io`: streams, pollables and errors, the plumbing every other WASI
//! package builds on. One module per interface ([`streams`], [`poll`],
//! `error`), and [`pipe`]: the streams a host hands a guest.

mod error;
pub mod pipe;
pub mod poll;
pub mod streams;
