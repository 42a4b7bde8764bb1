//! The command line: `redress serve` and `redress user add|list`.

use crate::config::{FileConfig, Overrides, ServeConfig};
use crate::startup::{Application, open_store, shutdown_signal};
use crate::telemetry;
use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use redress_app::{App, AppError};
use std::io::Write as _;
use std::net::SocketAddr;
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
        /// Read their sign-in password from the first line of standard input (at least 12
        /// characters), e.g. `printf '%s\n' "$PASSWORD" | redress user add ... --password-stdin`.
        #[arg(long)]
        password_stdin: bool,
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

/// Each field at fault as the flag that gave it (the password came from `--password-stdin`).
fn flag_errors<'a>(errors: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let lines: Vec<String> = errors
        .into_iter()
        .map(|(field, message)| {
            let flag = match field {
                "password" => "password-stdin".to_owned(),
                field => field.replace('_', "-"),
            };
            format!("  --{flag}: {message}")
        })
        .collect();
    lines.join("\n")
}

/// The first line of `input`, without its line ending: a password, which may hold spaces.
fn read_password_line(mut input: impl std::io::BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line
        .strip_suffix('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .unwrap_or(&line);
    anyhow::ensure!(
        !password.is_empty(),
        "--password-stdin: no password on standard input"
    );
    Ok(password.to_owned())
}

/// On the first run, the line giving the one-time link that creates the first administrator.
/// It goes only to stdout, for whoever started the server: the link makes an administrator.
async fn setup_link_line(
    application: &Application,
    config: &ServeConfig,
    addr: SocketAddr,
) -> Option<String> {
    match application.app().setup_link_token().await {
        Ok(Some(token)) => {
            let base = match &config.web.public_url {
                Some(url) => url.trim_end_matches('/').to_owned(),
                None => format!("http://{addr}"),
            };
            Some(format!(
                "First run: create the first administrator at {base}/setup/{} (valid 24 hours)\n",
                token.reveal()
            ))
        }
        Ok(None) => None,
        Err(e) => {
            tracing::error!(error = %e, "cannot make the first run's setup link");
            None
        }
    }
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
            // Both lines in one write: a reader that takes the first line and closes the pipe
            // must not make a later write fail.
            let mut lines = format!(
                "Redress is listening on http://{addr} (database: {})\n",
                config.database.describe()
            );
            lines.extend(setup_link_line(&application, &config, addr).await);
            let mut stdout = std::io::stdout().lock();
            if let Err(e) = stdout
                .write_all(lines.as_bytes())
                .and_then(|()| stdout.flush())
            {
                tracing::warn!(error = %e, "cannot write the address to stdout");
            }
            drop(stdout);
            application.run_until(shutdown_signal()).await
        }
        Command::User(UserCommand::Add {
            name,
            email,
            role,
            team,
            authority_limit,
            currency,
            password_stdin,
            location,
        }) => {
            // The password is read and checked before anything is written.
            let password = if password_stdin {
                let password = read_password_line(std::io::stdin().lock())?;
                if let Err(invalid) = redress_app::check_password("password", &password, &email) {
                    anyhow::bail!(
                        "cannot add this staff member:\n{}",
                        flag_errors(
                            invalid
                                .errors
                                .iter()
                                .map(|e| (e.field.as_str(), e.message.as_str()))
                        )
                    );
                }
                Some(password)
            } else {
                None
            };
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
                    if let Some(password) = password {
                        app.set_password_for(staff.id, &password)
                            .await
                            .context("added, but cannot set the password")?;
                        println!("Their password is set: they can sign in at /desk/sign-in.");
                    }
                    println!("API token (shown once, keep it secret):");
                    println!("{}", token.reveal());
                    Ok(())
                }
                Err(AppError::Invalid(invalid)) => {
                    anyhow::bail!(
                        "cannot add this staff member:\n{}",
                        flag_errors(
                            invalid
                                .errors
                                .iter()
                                .map(|e| (e.field.as_str(), e.message.as_str()))
                        )
                    )
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
