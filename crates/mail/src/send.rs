//! Handing a message to the outbound relay over SMTP. A refusal is either for good (the
//! address does not exist: the outbox records it on the case) or for now (the relay is down or
//! busy: the outbox tries again later); the caller decides from `SendError::permanent`.

use crate::tls::Trust;
use lettre::address::Envelope;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::fmt;
use std::time::Duration;

/// How the connection to the relay is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelayTls {
    /// Plain, then STARTTLS, which must succeed before anything else is said (port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// Plain SMTP: for a relay on this machine only.
    None,
}

/// The relay outbound mail goes through.
#[derive(Clone)]
pub struct SmtpRelay {
    pub host: String,
    pub port: u16,
    pub tls: RelayTls,
    /// Whom the certificate of a TLS relay may be signed by.
    pub trust: Trust,
    /// A user name and password, for a relay that asks (AUTH).
    pub credentials: Option<(String, String)>,
}

impl SmtpRelay {
    /// A relay spoken to without TLS or authentication (one on this machine).
    pub fn plain(host: &str, port: u16) -> SmtpRelay {
        SmtpRelay {
            host: host.to_owned(),
            port,
            tls: RelayTls::None,
            trust: Trust::public(),
            credentials: None,
        }
    }
}

impl fmt::Debug for SmtpRelay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password never prints.
        let user = self.credentials.as_ref().map(|(user, _)| user.as_str());
        write!(
            f,
            "SmtpRelay({}:{}, {:?}, user {:?}, {:?})",
            self.host, self.port, self.tls, user, self.trust
        )
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// Refused for good: trying again will not help.
    pub permanent: bool,
    pub message: String,
}

/// Replies that refuse us, not the message: authentication required or failed (530, 534,
/// 535, 538). Fixing the configuration sends the message, so they are never for good.
const REFUSING_US: [u16; 4] = [530, 534, 535, 538];

/// Sends `raw` (a whole message, headers and body) from `from` to `to` through `relay`.
pub async fn send(relay: &SmtpRelay, from: &str, to: &str, raw: &[u8]) -> Result<(), SendError> {
    let address = |a: &str| {
        a.parse::<Address>().map_err(|e| SendError {
            permanent: true,
            message: format!("{a} is not a mail address: {e}"),
        })
    };
    let envelope =
        Envelope::new(Some(address(from)?), vec![address(to)?]).map_err(|e| SendError {
            permanent: true,
            message: e.to_string(),
        })?;
    let transport = transport(relay).map_err(|e| SendError {
        permanent: false,
        message: format!("cannot set up TLS to the relay: {e}"),
    })?;
    transport
        .send_raw(&envelope, raw)
        .await
        .map(drop)
        .map_err(|e| {
            let refusing_us = e
                .status()
                .is_some_and(|code| REFUSING_US.contains(&u16::from(code)));
            SendError {
                permanent: e.is_permanent() && !refusing_us,
                message: e.to_string(),
            }
        })
}

fn transport(
    relay: &SmtpRelay,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, lettre::transport::smtp::Error> {
    let tls = match relay.tls {
        RelayTls::None => Tls::None,
        RelayTls::StartTls => Tls::Required(parameters(relay)?),
        RelayTls::Tls => Tls::Wrapper(parameters(relay)?),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
        .port(relay.port)
        .tls(tls)
        .timeout(Some(Duration::from_secs(30)));
    if let Some((user, password)) = &relay.credentials {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// The public roots and the configured CA, checked against the relay's name.
fn parameters(relay: &SmtpRelay) -> Result<TlsParameters, lettre::transport::smtp::Error> {
    let mut parameters = TlsParameters::builder(relay.host.clone());
    for der in relay.trust.extra_der() {
        parameters = parameters.add_root_certificate(Certificate::from_der(der.to_vec())?);
    }
    parameters.build_rustls()
}
