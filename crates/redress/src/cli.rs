//! The command line: `redress serve` and `redress user add|list`.

use crate::config::{FileConfig, Overrides, ServeConfig};
use crate::startup::{Application, open_store, shutdown_signal};
use crate::telemetry;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use redress_app::{App, AppError};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "redress",
    version,
    about = "Complaint management and customer care"
)]
pub struct Cli {
    /// A TOML configuration file (flags and environment variables take precedence over it).
    #[arg(long, env = "REDRESS_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server. With nothing configured: SQLite under ./redress-data, on 127.0.0.1:8080.
    Serve(Location),
    /// Manage staff members.
    #[command(subcommand)]
    User(UserCommand),
}

/// Where to listen and where the data lives.
#[derive(Debug, Args)]
pub struct Location {
    /// Address to listen on.
    #[arg(long, env = "REDRESS_BIND")]
    pub bind: Option<String>,
    /// Directory for the embedded database (default ./redress-data).
    #[arg(long, env = "REDRESS_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// postgres://user:password@host/db to use PostgreSQL instead of the embedded database.
    #[arg(long, env = "REDRESS_DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a staff member and print their API token (shown once).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long)]
        email: String,
        /// agent, supervisor or admin.
        #[arg(long, default_value = "agent")]
        role: String,
        #[arg(long)]
        team: Option<String>,
        /// The largest remedy they may grant without approval, e.g. 50 or 49.99.
        #[arg(long, requires = "currency")]
        authority_limit: Option<String>,
        /// Currency of the authority limit, e.g. EUR.
        #[arg(long, requires = "authority_limit")]
        currency: Option<String>,
        #[command(flatten)]
        location: Location,
    },
    /// List staff members.
    List {
        #[command(flatten)]
        location: Location,
    },
}

fn resolve(config: &Option<PathBuf>, location: Location) -> anyhow::Result<ServeConfig> {
    let file = match config {
        Some(path) => FileConfig::load(path)?,
        None => FileConfig::default(),
    };
    ServeConfig::resolve(
        Overrides {
            bind: location.bind,
            data_dir: location.data_dir,
            database_url: location.database_url,
        },
        file,
    )
}

async fn open_app(config: &ServeConfig) -> anyhow::Result<App> {
    let store = open_store(&config.database, 2).await?;
    Ok(App::new(store, config.settings.clone()))
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init();
    match cli.command {
        Command::Serve(location) => {
            let config = resolve(&cli.config, location)?;
            let application = Application::build(&config).await?;
            let addr = application.local_addr()?;
            tracing::info!(%addr, database = %config.database.describe(), "Redress is ready");
            // Printed on stdout so scripts (and the benchmark) learn the address, e.g. with port 0.
            println!(
                "Redress is listening on http://{addr} (database: {})",
                config.database.describe()
            );
            application.run_until(shutdown_signal()).await
        }
        Command::User(UserCommand::Add {
            name,
            email,
            role,
            team,
            authority_limit,
            currency,
            location,
        }) => {
            let config = resolve(&cli.config, location)?;
            let app = open_app(&config).await?;
            let limit = authority_limit.as_deref().zip(currency.as_deref());
            match app
                .add_staff(&name, &email, &role, team.as_deref(), limit)
                .await
            {
                Ok((staff, token)) => {
                    println!(
                        "Added {} <{}> as {} (id {}).",
                        staff.name.as_str(),
                        staff.email.as_str(),
                        staff.role,
                        staff.id
                    );
                    println!("API token (shown once, keep it secret):");
                    println!("{}", token.reveal());
                    Ok(())
                }
                Err(AppError::Invalid(invalid)) => {
                    let lines: Vec<String> = invalid
                        .errors
                        .iter()
                        .map(|e| format!("  --{}: {}", e.field.replace('_', "-"), e.message))
                        .collect();
                    anyhow::bail!("cannot add this staff member:\n{}", lines.join("\n"))
                }
                Err(AppError::Conflict(_)) => {
                    anyhow::bail!("a staff member with the email {email} already exists")
                }
                Err(e) => Err(e).context("cannot add the staff member"),
            }
        }
        Command::User(UserCommand::List { location }) => {
            let config = resolve(&cli.config, location)?;
            let app = open_app(&config).await?;
            for s in app.store().list_staff().await? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    s.id,
                    s.role,
                    s.email.as_str(),
                    s.name.as_str(),
                    s.team.as_ref().map(|t| t.as_str()).unwrap_or("-")
                );
            }
            Ok(())
        }
    }
}
