//! The `redress` binary's parts, as a library so that tests and benchmarks start the very same
//! application: configuration, logging, opening the store, serving HTTP and reading mailboxes.

pub mod cli;
pub mod config;
pub mod mail_poller;
pub mod startup;
pub mod telemetry;
