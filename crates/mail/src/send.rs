//! Handing a message to the outbound relay over SMTP. A refusal is either for good (the
//! address does not exist: the outbox records it on the case) or for now (the relay is down or
//! busy: the outbox tries again later); the caller decides from `SendError::permanent`.

use lettre::address::Envelope;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::time::Duration;

/// The relay outbound mail goes through.
#[derive(Clone, Debug)]
pub struct SmtpRelay {
    pub host: String,
    pub port: u16,
}

#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// Refused for good: trying again will not help.
    pub permanent: bool,
    pub message: String,
}

/// Sends `raw` (a whole message, headers and body) from `from` to `to` through `relay`.
/// Plain SMTP (no TLS) for now: a relay on this machine or a trusted network.
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
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(relay.host.as_str())
        .port(relay.port)
        .timeout(Some(Duration::from_secs(30)))
        .build();
    transport
        .send_raw(&envelope, raw)
        .await
        .map(drop)
        .map_err(|e| SendError {
            permanent: e.is_permanent(),
            message: e.to_string(),
        })
}
