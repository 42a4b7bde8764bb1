//! Settings, from (highest precedence first) command-line flags, environment variables, an
//! optional TOML file (`--config FILE` / `REDRESS_CONFIG`), and defaults that need nothing
//! configured: an SQLite database under `./redress-data`, listening on 127.0.0.1:8080.

use anyhow::Context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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

/// `[mail]`: the mailboxes complaints arrive in, the listener mail can be piped into, and the
/// relay replies go out through.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailFileConfig {
    /// How often each mailbox is checked, in seconds (default 60).
    pub poll_seconds: Option<u64>,
    /// `[[mail.mailboxes]]`, each read over IMAP.
    #[serde(default)]
    pub mailboxes: Vec<MailboxConfig>,
    /// The SMTP relay outgoing mail goes through, as host:port. Without it nothing is mailed;
    /// replies still reach the customer's page.
    pub relay: Option<String>,
    /// "starttls" (default), "tls" (from the first byte) or "none" (this machine only).
    pub relay_tls: Option<String>,
    /// For a relay that asks for a login: the user, and the password or the name of an
    /// environment variable holding it.
    pub relay_user: Option<String>,
    pub relay_password: Option<String>,
    pub relay_password_env: Option<String>,
    /// A PEM file of a CA (or the relay's own certificate) to trust beside the public ones.
    pub relay_ca_file: Option<PathBuf>,
    /// Where the built-in SMTP listener listens, e.g. 127.0.0.1:2525 (absent: no listener).
    pub listen: Option<String>,
    /// The largest message the listener accepts, in bytes (default 25 MiB).
    pub listen_max_bytes: Option<usize>,
    /// The domains the listener takes mail for (default: that of `[organisation] email`).
    pub accept_for: Option<Vec<String>>,
}

/// One `[[mail.mailboxes]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailboxConfig {
    pub host: String,
    /// 993 with TLS, 143 without.
    pub port: Option<u16>,
    /// IMAP over TLS (default); plain IMAP only to this machine.
    pub tls: Option<bool>,
    /// A PEM file of a CA (or the server's own certificate) to trust beside the public ones.
    pub ca_file: Option<PathBuf>,
    pub user: String,
    /// The password, or the name of an environment variable holding it (`password_env`).
    pub password: Option<String>,
    pub password_env: Option<String>,
    /// "INBOX" by default.
    pub folder: Option<String>,
}

/// The mailboxes to read and how often, resolved.
#[derive(Clone, Debug, Default)]
pub struct MailSettings {
    pub mailboxes: Vec<redress_mail::ImapAccount>,
    pub poll_every: std::time::Duration,
    pub relay: Option<redress_mail::SmtpRelay>,
    pub listener: Option<ListenerConfig>,
}

/// The built-in SMTP listener, resolved.
#[derive(Clone, Debug)]
pub struct ListenerConfig {
    pub bind: SocketAddr,
    pub settings: redress_mail::ListenerSettings,
}

/// A password given in the file (`<field>`) or in an environment variable (`<field>_env`):
/// exactly one of the two.
fn secret(
    field: &str,
    password: Option<String>,
    password_env: Option<String>,
) -> anyhow::Result<String> {
    match (password, password_env) {
        (Some(p), None) => Ok(p),
        (None, Some(var)) => {
            std::env::var(&var).with_context(|| format!("{field}_env: {var} is not set"))
        }
        _ => anyhow::bail!("{field}: give either {field} or {field}_env"),
    }
}

/// The extra CA named by `field`, if any.
fn trust(field: &str, ca_file: Option<&Path>) -> anyhow::Result<redress_mail::Trust> {
    match ca_file {
        None => Ok(redress_mail::Trust::public()),
        Some(path) => redress_mail::Trust::with_ca_file(path).with_context(|| field.to_owned()),
    }
}

/// Refuses a connection without TLS to another machine: the password and the mail would cross
/// the network for anyone on the way to read.
fn plain_only_on_loopback(field: &str, host: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        redress_mail::is_loopback_host(host),
        "{field}: without TLS only to this machine (localhost, 127.0.0.1, ::1), not {host}: \
         the password and the mail would cross the network readable"
    );
    Ok(())
}

impl MailboxConfig {
    fn resolve(self, i: usize) -> anyhow::Result<redress_mail::ImapAccount> {
        let field = format!("mail.mailboxes[{i}]");
        let password = secret(
            &format!("{field}.password"),
            self.password,
            self.password_env,
        )?;
        let tls = self.tls.unwrap_or(true);
        let tls = if tls {
            Some(trust(&format!("{field}.ca_file"), self.ca_file.as_deref())?)
        } else {
            plain_only_on_loopback(&format!("{field}.tls"), &self.host)?;
            anyhow::ensure!(
                self.ca_file.is_none(),
                "{field}.ca_file: only with tls = true"
            );
            None
        };
        let port = self.port.unwrap_or(if tls.is_some() {
            redress_mail::ImapAccount::TLS_PORT
        } else {
            redress_mail::ImapAccount::PLAIN_PORT
        });
        Ok(redress_mail::ImapAccount {
            host: self.host,
            port,
            user: self.user,
            password,
            folder: self.folder.unwrap_or_else(|| "INBOX".to_owned()),
            tls,
        })
    }
}

impl MailFileConfig {
    /// `organisation_email` gives the listener's default domain.
    fn resolve(self, organisation_email: Option<&str>) -> anyhow::Result<MailSettings> {
        let mailboxes = self
            .mailboxes
            .into_iter()
            .enumerate()
            .map(|(i, m)| m.resolve(i))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let relay = match self.relay {
            None => {
                anyhow::ensure!(
                    self.relay_tls.is_none()
                        && self.relay_user.is_none()
                        && self.relay_ca_file.is_none(),
                    "mail.relay: the relay's settings are given but not the relay (host:port)"
                );
                None
            }
            Some(relay) => Some(resolve_relay(
                &relay,
                self.relay_tls.as_deref(),
                self.relay_user,
                (self.relay_password, self.relay_password_env),
                self.relay_ca_file.as_deref(),
            )?),
        };
        let listener = match self.listen {
            None => None,
            Some(listen) => Some(resolve_listener(
                &listen,
                self.listen_max_bytes,
                self.accept_for,
                organisation_email,
            )?),
        };
        Ok(MailSettings {
            relay,
            mailboxes,
            listener,
            poll_every: std::time::Duration::from_secs(self.poll_seconds.unwrap_or(60).max(1)),
        })
    }
}

fn resolve_relay(
    relay: &str,
    tls: Option<&str>,
    user: Option<String>,
    (password, password_env): (Option<String>, Option<String>),
    ca_file: Option<&Path>,
) -> anyhow::Result<redress_mail::SmtpRelay> {
    let (host, port) = relay
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h, p.parse::<u16>().ok()?)))
        .with_context(|| format!("mail.relay: not host:port, such as 127.0.0.1:25: {relay}"))?;
    // [::1]:25 names the host ::1.
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let tls = match tls.unwrap_or("starttls") {
        "starttls" => redress_mail::RelayTls::StartTls,
        "tls" => redress_mail::RelayTls::Tls,
        "none" => {
            plain_only_on_loopback("mail.relay_tls", &host)?;
            redress_mail::RelayTls::None
        }
        other => {
            anyhow::bail!("mail.relay_tls: \"starttls\", \"tls\" or \"none\", not {other:?}")
        }
    };
    anyhow::ensure!(
        ca_file.is_none() || tls != redress_mail::RelayTls::None,
        "mail.relay_ca_file: only with relay_tls = \"starttls\" or \"tls\""
    );
    let credentials = match user {
        Some(user) => Some((user, secret("mail.relay_password", password, password_env)?)),
        None => {
            anyhow::ensure!(
                password.is_none() && password_env.is_none(),
                "mail.relay_user: a relay password is given but no user"
            );
            None
        }
    };
    Ok(redress_mail::SmtpRelay {
        host,
        port,
        tls,
        trust: trust("mail.relay_ca_file", ca_file)?,
        credentials,
    })
}

fn resolve_listener(
    listen: &str,
    max_bytes: Option<usize>,
    accept_for: Option<Vec<String>>,
    organisation_email: Option<&str>,
) -> anyhow::Result<ListenerConfig> {
    let bind: SocketAddr = listen
        .parse()
        .with_context(|| format!("mail.listen: not an address such as 127.0.0.1:2525: {listen}"))?;
    let accept_for = match accept_for {
        Some(domains) => domains,
        None => {
            let domain = organisation_email
                .and_then(|email| email.rsplit_once('@'))
                .map(|(_, domain)| domain.trim().to_owned())
                .filter(|domain| !domain.is_empty());
            vec![domain.context(
                "mail.accept_for: the listener needs the domains it takes mail for, \
                 such as accept_for = [\"care.example.com\"] (or set [organisation] email)",
            )?]
        }
    };
    anyhow::ensure!(
        !accept_for.is_empty(),
        "mail.accept_for: name at least one domain"
    );
    for domain in &accept_for {
        anyhow::ensure!(
            !domain.trim().is_empty() && !domain.contains(['@', ' ', '<', '>']),
            "mail.accept_for: {domain:?} is not a domain such as care.example.com"
        );
    }
    let mut settings = redress_mail::ListenerSettings::new(accept_for);
    if let Some(max) = max_bytes {
        anyhow::ensure!(max > 0, "mail.listen_max_bytes must be at least 1");
        settings.max_bytes = max;
    }
    Ok(ListenerConfig { bind, settings })
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

    fn mail(toml_text: &str) -> anyhow::Result<MailSettings> {
        let file: FileConfig = toml::from_str(toml_text).expect("toml");
        ServeConfig::resolve(Overrides::default(), file).map(|c| c.mail)
    }

    fn refusal(toml_text: &str) -> String {
        format!("{:#}", mail(toml_text).expect_err("refused"))
    }

    #[test]
    fn mailboxes_need_a_password_one_way() {
        let m = mail(
            "[mail]\npoll_seconds = 5\n[[mail.mailboxes]]\nhost = \"127.0.0.1\"\nuser = \"care\"\npassword = \"pw\"",
        )
        .expect("valid");
        assert_eq!(m.mailboxes.len(), 1);
        assert_eq!(m.mailboxes[0].folder, "INBOX");
        assert_eq!(m.poll_every, std::time::Duration::from_secs(5));
        assert!(
            !format!("{:?}", m.mailboxes[0]).contains("pw"),
            "never printed"
        );
        let err = refusal("[[mail.mailboxes]]\nhost = \"h\"\nuser = \"u\"");
        assert!(err.contains("mail.mailboxes[0].password"), "{err}");
    }

    #[test]
    fn mailboxes_are_read_over_tls_unless_on_this_machine() {
        let box_at = |host: &str, extra: &str| {
            format!(
                "[[mail.mailboxes]]\nhost = \"{host}\"\nuser = \"u\"\npassword = \"p\"\n{extra}"
            )
        };
        let tls = mail(&box_at("imap.example.com", "")).expect("valid");
        assert!(tls.mailboxes[0].tls.is_some());
        assert_eq!(tls.mailboxes[0].port, 993);
        for host in ["127.0.0.1", "localhost", "::1"] {
            let plain = mail(&box_at(host, "tls = false")).expect("valid");
            assert!(plain.mailboxes[0].tls.is_none());
            assert_eq!(plain.mailboxes[0].port, 143);
        }
        let own_port = mail(&box_at("127.0.0.1", "tls = false\nport = 1143")).expect("valid");
        assert_eq!(own_port.mailboxes[0].port, 1143);

        let err = refusal(&box_at("imap.example.com", "tls = false"));
        assert!(err.contains("mail.mailboxes[0].tls"), "{err}");
        assert!(err.contains("imap.example.com"), "{err}");
        let err = refusal(&box_at(
            "imap.example.com",
            "ca_file = \"/nonexistent/ca.pem\"",
        ));
        assert!(err.contains("mail.mailboxes[0].ca_file"), "{err}");
        assert!(err.contains("/nonexistent/ca.pem"), "{err}");
        let err = refusal(&box_at(
            "127.0.0.1",
            "tls = false\nca_file = \"/nonexistent/ca.pem\"",
        ));
        assert!(err.contains("mail.mailboxes[0].ca_file"), "{err}");
    }

    #[test]
    fn the_relay_uses_tls_unless_on_this_machine() {
        let relay = |extra: &str| format!("[mail]\nrelay = \"smtp.example.com:587\"\n{extra}");
        let default = mail(&relay("")).expect("valid").relay.expect("a relay");
        assert_eq!(default.tls, redress_mail::RelayTls::StartTls);
        assert_eq!(
            (default.host.as_str(), default.port),
            ("smtp.example.com", 587)
        );
        assert!(default.credentials.is_none());
        let wrapped = mail(&relay("relay_tls = \"tls\"")).expect("valid");
        assert_eq!(
            wrapped.relay.expect("a relay").tls,
            redress_mail::RelayTls::Tls
        );
        let with_login = mail(&relay(
            "relay_user = \"care\"\nrelay_password = \"s3cret-word\"",
        ))
        .expect("valid")
        .relay
        .expect("a relay");
        assert_eq!(
            with_login.credentials,
            Some(("care".to_owned(), "s3cret-word".to_owned()))
        );
        assert!(!format!("{with_login:?}").contains("s3cret-word"));
        let local = mail("[mail]\nrelay = \"[::1]:25\"\nrelay_tls = \"none\"")
            .expect("valid")
            .relay
            .expect("a relay");
        assert_eq!(
            (local.host.as_str(), local.tls),
            ("::1", redress_mail::RelayTls::None)
        );

        let err = refusal(&relay("relay_tls = \"none\""));
        assert!(err.contains("mail.relay_tls"), "{err}");
        let err = refusal(&relay("relay_tls = \"ssl\""));
        assert!(err.contains("mail.relay_tls"), "{err}");
        let err = refusal(&relay("relay_user = \"care\""));
        assert!(err.contains("mail.relay_password"), "{err}");
        let err = refusal(&relay("relay_password = \"pw\""));
        assert!(err.contains("mail.relay_user"), "{err}");
        let err = refusal(&relay("relay_ca_file = \"/nonexistent/ca.pem\""));
        assert!(err.contains("mail.relay_ca_file"), "{err}");
        let err = refusal("[mail]\nrelay_tls = \"tls\"");
        assert!(err.contains("mail.relay"), "{err}");
    }

    #[test]
    fn the_listener_is_off_unless_asked_and_takes_mail_for_named_domains_only() {
        assert!(mail("[mail]\n").expect("valid").listener.is_none());
        let from_organisation = mail(
            "[organisation]\nemail = \"care@Care.Example.com\"\n[mail]\nlisten = \"127.0.0.1:2525\"",
        )
        .expect("valid")
        .listener
        .expect("a listener");
        assert_eq!(from_organisation.bind.to_string(), "127.0.0.1:2525");
        assert_eq!(from_organisation.settings.accept_for, ["care.example.com"]);
        assert_eq!(from_organisation.settings.max_bytes, 25 * 1024 * 1024);
        let named = mail(
            "[mail]\nlisten = \"0.0.0.0:25\"\nlisten_max_bytes = 1000\naccept_for = [\"a.example\", \"b.example\"]",
        )
        .expect("valid")
        .listener
        .expect("a listener");
        assert_eq!(named.settings.accept_for, ["a.example", "b.example"]);
        assert_eq!(named.settings.max_bytes, 1000);

        let err = refusal("[mail]\nlisten = \"127.0.0.1:2525\"");
        assert!(err.contains("mail.accept_for"), "{err}");
        let err = refusal("[mail]\nlisten = \"mail:25\"\naccept_for = [\"a.example\"]");
        assert!(err.contains("mail.listen"), "{err}");
        let err = refusal("[mail]\nlisten = \"127.0.0.1:25\"\naccept_for = [\"x@a.example\"]");
        assert!(err.contains("mail.accept_for"), "{err}");
        let err = refusal("[mail]\nlisten = \"127.0.0.1:25\"\naccept_for = []");
        assert!(err.contains("mail.accept_for"), "{err}");
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
