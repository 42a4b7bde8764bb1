//! The `redress` binary's parts, as a library so that tests and benchmarks start the very same
//! application: configuration, logging, opening the store and serving HTTP.

pub mod cli;
pub mod config;
pub mod startup;
pub mod telemetry;
