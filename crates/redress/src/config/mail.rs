//! `[mail]`: the mailboxes read over IMAP, the relay replies go out through, and the built-in
//! SMTP listener, resolved and checked: TLS unless on this machine, each refusal naming its
//! setting.

use anyhow::Context;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

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
    pub(super) fn resolve(self, organisation_email: Option<&str>) -> anyhow::Result<MailSettings> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{FileConfig, Overrides, ServeConfig};

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
}
