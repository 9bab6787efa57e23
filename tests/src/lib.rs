//! End-to-end tests of wit-host: real components driven through the public API.
