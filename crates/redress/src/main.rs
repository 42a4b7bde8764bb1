//! The `redress` command: `serve` runs the server; `user` manages staff.

use clap::Parser;
use redress::cli::{Cli, run};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    run(Cli::parse()).await
}
