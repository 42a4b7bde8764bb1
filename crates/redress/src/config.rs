//! Settings, from (highest precedence first) command-line flags, environment variables, an
//! optional TOML file (`--config FILE` / `REDRESS_CONFIG`), and defaults that need nothing
//! configured: an SQLite database under `./redress-data`, listening on 127.0.0.1:8080.

use anyhow::Context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

mod mail;

pub use mail::{ListenerConfig, MailFileConfig, MailSettings, MailboxConfig};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "./redress-data";

/// The TOML file's shape. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub database_max_connections: Option<u32>,
    #[serde(default)]
    pub organisation: OrganisationConfig,
    #[serde(default)]
    pub web: WebFileConfig,
    #[serde(default)]
    pub mail: MailFileConfig,
}

/// `[web]`: how the site meets the outside world.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebFileConfig {
    /// The address customers reach the site at, e.g. https://care.example.com.
    pub public_url: Option<String>,
    /// Form posts one address may make per minute (default 10).
    pub form_posts_per_minute: Option<u32>,
    /// Posts to the public JSON API one address may make per minute (default 120).
    pub api_posts_per_minute: Option<u32>,
    /// A header in which a trusted reverse proxy passes the client's address, e.g. X-Real-IP.
    pub client_ip_header: Option<String>,
    /// A folder of Fluent files (`<dir>/<language>/*.ftl`) rewording the shipped texts.
    pub messages_dir: Option<PathBuf>,
}

/// The web settings, resolved.
#[derive(Clone, Debug, Default)]
pub struct WebSettings {
    pub public_url: Option<String>,
    pub form_posts_per_minute: Option<u32>,
    pub api_posts_per_minute: Option<u32>,
    pub client_ip_header: Option<String>,
    pub messages_dir: Option<PathBuf>,
}

impl WebSettings {
    /// The web layer's configuration, with the message catalogue loaded.
    pub fn build(&self) -> anyhow::Result<redress_web::WebConfig> {
        let mut web = redress_web::WebConfig::default();
        if let Some(dir) = &self.messages_dir {
            web.catalogue = std::sync::Arc::new(
                redress_catalogue::Catalogue::with_overrides(dir)
                    .with_context(|| format!("cannot load the messages in {}", dir.display()))?,
            );
        }
        if let Some(url) = &self.public_url {
            anyhow::ensure!(
                url.starts_with("http://") || url.starts_with("https://"),
                "web.public_url must start with http:// or https://: {url}"
            );
            web.public_url = Some(url.clone());
        }
        if let Some(n) = self.form_posts_per_minute {
            anyhow::ensure!(n > 0, "web.form_posts_per_minute must be at least 1");
            web.posts_per_minute = n;
        }
        if let Some(n) = self.api_posts_per_minute {
            anyhow::ensure!(n > 0, "web.api_posts_per_minute must be at least 1");
            web.api_posts_per_minute = n;
        }
        if let Some(h) = &self.client_ip_header {
            web.client_ip_header = Some(
                h.parse()
                    .with_context(|| format!("web.client_ip_header is not a header name: {h}"))?,
            );
        }
        Ok(web)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationConfig {
    /// The organisation's name, as customers know it.
    pub name: Option<String>,
    /// Who answers new cases until a person owns them, e.g. "the customer care team".
    pub care_team: Option<String>,
    /// Days within which every customer hears from a person.
    pub first_response_days: Option<u32>,
    /// The address customers can write to.
    pub email: Option<String>,
    /// The number customers can call.
    pub phone: Option<String>,
    /// When the phone is answered, one line each, e.g. "Monday to Friday, 8:00 to 18:00".
    pub opening_hours: Option<Vec<String>>,
    pub postal_address: Option<String>,
    /// What a case can be about (offered as a list on the form; free text when absent).
    pub products: Option<Vec<String>>,
    /// Where it can have happened (offered as a list; free text when absent).
    pub locations: Option<Vec<String>>,
    /// Largest attachment accepted, in bytes (default 10 MiB).
    pub max_attachment_bytes: Option<usize>,
    /// Most attachments on one submission (default 5).
    pub max_attachments: Option<usize>,
}

impl OrganisationConfig {
    fn into_settings(self) -> redress_app::Settings {
        let mut settings = redress_app::Settings::default();
        let o = self;
        if let Some(v) = o.name {
            settings.organisation = v;
        }
        if let Some(v) = o.care_team {
            settings.care_team = Some(v);
        }
        if let Some(v) = o.first_response_days {
            settings.first_response_days = v;
        }
        settings.contact = redress_app::ContactPoints {
            email: o.email,
            phone: o.phone,
            opening_hours: o.opening_hours.unwrap_or_default(),
            postal_address: o.postal_address,
        };
        settings.products = o.products.unwrap_or_default();
        settings.locations = o.locations.unwrap_or_default();
        if let Some(v) = o.max_attachment_bytes {
            settings.max_attachment_bytes = v;
        }
        if let Some(v) = o.max_attachments {
            settings.max_attachments = v;
        }
        settings
    }
}

impl FileConfig {
    pub fn load(path: &Path) -> anyhow::Result<FileConfig> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
        Self::from_toml(&text)
            .with_context(|| format!("the configuration file {} is not valid", path.display()))
    }

    pub fn from_toml(text: &str) -> anyhow::Result<FileConfig> {
        Ok(toml::from_str(text)?)
    }
}

/// Where the data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Database {
    /// From a database URL: `postgres://…` / `postgresql://…`, or `sqlite:PATH` / `sqlite://PATH`.
    pub fn from_url(url: &str) -> anyhow::Result<Database> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Database::Postgres(url.to_owned()))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            let path = path.split('?').next().unwrap_or(path);
            anyhow::ensure!(!path.is_empty(), "the SQLite URL names no file: {url}");
            Ok(Database::Sqlite(PathBuf::from(path)))
        } else {
            anyhow::bail!(
                "unsupported database URL (expected postgres://… or sqlite:PATH): {}",
                redact(url)
            )
        }
    }

    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("SQLite at {}", path.display()),
            Database::Postgres(url) => format!("PostgreSQL at {}", redact(url)),
        }
    }
}

/// A URL without its password, for messages and logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Everything `redress serve` needs, resolved.
#[derive(Clone, Debug)]
pub struct ServeConfig {
    pub bind: SocketAddr,
    pub database: Database,
    pub database_max_connections: u32,
    pub settings: redress_app::Settings,
    pub web: WebSettings,
    pub mail: MailSettings,
}

/// Values given on the command line or in the environment (clap merges the two).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub bind: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
}

impl ServeConfig {
    pub fn resolve(overrides: Overrides, file: FileConfig) -> anyhow::Result<ServeConfig> {
        let bind = overrides
            .bind
            .or(file.bind)
            .unwrap_or_else(|| DEFAULT_BIND.to_owned());
        let bind: SocketAddr = bind
            .parse()
            .with_context(|| format!("--bind: not an address such as 127.0.0.1:8080: {bind}"))?;
        let data_dir = overrides
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database = match overrides.database_url.or(file.database_url) {
            Some(url) if !url.is_empty() => Database::from_url(&url)?,
            _ => Database::Sqlite(data_dir.join("redress.db")),
        };
        let mail = file.mail.resolve(file.organisation.email.as_deref())?;
        let settings = file.organisation.into_settings();
        let web = WebSettings {
            public_url: file.web.public_url,
            form_posts_per_minute: file.web.form_posts_per_minute,
            api_posts_per_minute: file.web.api_posts_per_minute,
            client_ip_header: file.web.client_ip_header,
            messages_dir: file.web.messages_dir,
        };
        Ok(ServeConfig {
            bind,
            database,
            database_max_connections: file.database_max_connections.unwrap_or(16),
            settings,
            web,
            mail,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_need_nothing() {
        let c = ServeConfig::resolve(Overrides::default(), FileConfig::default()).expect("valid");
        assert_eq!(c.bind.to_string(), DEFAULT_BIND);
        assert_eq!(
            c.database,
            Database::Sqlite(PathBuf::from("./redress-data/redress.db"))
        );
    }

    #[test]
    fn flags_beat_the_file() {
        let file: FileConfig =
            toml::from_str("bind = \"127.0.0.1:9000\"\ndata_dir = \"/srv/r\"").expect("toml");
        let c = ServeConfig::resolve(
            Overrides {
                bind: Some("0.0.0.0:8081".into()),
                ..Overrides::default()
            },
            file,
        )
        .expect("valid");
        assert_eq!(c.bind.to_string(), "0.0.0.0:8081");
        assert_eq!(
            c.database,
            Database::Sqlite(PathBuf::from("/srv/r/redress.db"))
        );
    }

    #[test]
    fn database_urls() {
        assert_eq!(
            Database::from_url("sqlite:///tmp/x.db").expect("ok"),
            Database::Sqlite(PathBuf::from("/tmp/x.db"))
        );
        assert!(matches!(
            Database::from_url("postgres://u:secret@h/db").expect("ok"),
            Database::Postgres(_)
        ));
        let err = Database::from_url("mysql://u:secret@h/db").expect_err("unsupported");
        assert!(!err.to_string().contains("secret"));
    }
}
