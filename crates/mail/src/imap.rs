//! Fetching mail from a mailbox over IMAP. Each unseen message is handed over to be kept
//! durably and only then marked seen, so a crash between the two fetches it again rather than
//! losing it (keeping is idempotent per message on the caller's side). Over implicit TLS
//! (IMAPS), or plain for a mailbox on this machine; the session is the same either way.

use crate::tls::Trust;
use async_imap::Client;
use futures_util::{StreamExt, TryStreamExt};
use std::fmt;
use std::future::Future;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;

/// One mailbox to read.
#[derive(Clone)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// Usually "INBOX".
    pub folder: String,
    /// TLS from the first byte (trusting these roots), or None for plain IMAP.
    pub tls: Option<Trust>,
}

impl fmt::Debug for ImapAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password never prints.
        write!(
            f,
            "ImapAccount({}@{}:{}/{}, {})",
            self.user,
            self.host,
            self.port,
            self.folder,
            if self.tls.is_some() { "TLS" } else { "plain" }
        )
    }
}

impl ImapAccount {
    /// The standard port for IMAP over TLS.
    pub const TLS_PORT: u16 = 993;
    /// The standard port for plain IMAP.
    pub const PLAIN_PORT: u16 = 143;

    /// A mailbox read over TLS, trusting `trust`, in INBOX.
    pub fn tls(host: &str, port: u16, user: &str, password: &str, trust: Trust) -> ImapAccount {
        ImapAccount {
            tls: Some(trust),
            ..ImapAccount::plain(host, port, user, password)
        }
    }

    /// A mailbox read over plain IMAP (only sensible on this machine), in INBOX.
    pub fn plain(host: &str, port: u16, user: &str, password: &str) -> ImapAccount {
        ImapAccount {
            host: host.to_owned(),
            port,
            user: user.to_owned(),
            password: password.to_owned(),
            folder: "INBOX".to_owned(),
            tls: None,
        }
    }

    /// How kept mail names where it came from.
    pub fn source(&self) -> String {
        format!("imap:{}@{}/{}", self.user, self.host, self.folder)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot reach the mailbox: {0}")]
    Connect(#[from] std::io::Error),
    /// The handshake failed: most often a certificate not trusted (see `ca_file`).
    #[error("no TLS with the mailbox: {0}")]
    Tls(std::io::Error),
    #[error("cannot set up TLS: {0}")]
    TlsSetup(String),
    #[error("the mailbox refused: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("the mailbox closed the connection before greeting")]
    NoGreeting,
    #[error("a fetched message could not be kept: {0}")]
    Keep(String),
}

/// Fetches every unseen message of `account`, hands each to `keep` (which must store it durably
/// before returning), then marks it seen. Returns how many were kept.
pub async fn fetch_unseen<F, Fut, E>(account: &ImapAccount, keep: F) -> Result<usize, FetchError>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    // A server that never answers must not hold up the other mailboxes for ever.
    let timed_out = || std::io::Error::new(std::io::ErrorKind::TimedOut, "no answer in 30 s");
    let connect = TcpStream::connect((account.host.as_str(), account.port));
    let tcp = tokio::time::timeout(CONNECT_TIMEOUT, connect)
        .await
        .map_err(|_| timed_out())??;
    match &account.tls {
        None => fetch_over(tcp, account, keep).await,
        Some(trust) => {
            let config = trust
                .client_config()
                .map_err(|e| FetchError::TlsSetup(e.to_string()))?;
            let name = ServerName::try_from(account.host.clone())
                .map_err(|e| FetchError::TlsSetup(format!("{}: {e}", account.host)))?;
            let handshake = TlsConnector::from(config).connect(name, tcp);
            let stream = tokio::time::timeout(CONNECT_TIMEOUT, handshake)
                .await
                .map_err(|_| FetchError::Tls(timed_out()))?
                .map_err(FetchError::Tls)?;
            fetch_over(stream, account, keep).await
        }
    }
}

/// How long connecting, and the TLS handshake, may take.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// The IMAP session itself, over whichever stream connects to the server.
async fn fetch_over<S, F, Fut, E>(
    stream: S,
    account: &ImapAccount,
    mut keep: F,
) -> Result<usize, FetchError>
where
    S: AsyncRead + AsyncWrite + Unpin + fmt::Debug + Send,
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    let mut client = Client::new(stream);
    client
        .read_response()
        .await?
        .ok_or(FetchError::NoGreeting)?;
    let mut session = client
        .login(&account.user, &account.password)
        .await
        .map_err(|(e, _)| e)?;
    session.select(&account.folder).await?;
    let mut uids: Vec<u32> = session.uid_search("UNSEEN").await?.into_iter().collect();
    uids.sort_unstable();
    let mut kept = 0;
    for uid in uids {
        let raw: Option<Vec<u8>> = {
            let fetches: Vec<_> = session
                .uid_fetch(uid.to_string(), "BODY.PEEK[]")
                .await?
                .try_collect()
                .await?;
            fetches.iter().find_map(|f| f.body().map(<[u8]>::to_vec))
        };
        let Some(raw) = raw else { continue };
        keep(raw)
            .await
            .map_err(|e| FetchError::Keep(e.to_string()))?;
        kept += 1;
        let mut stored = session
            .uid_store(uid.to_string(), "+FLAGS.SILENT (\\Seen)")
            .await?;
        while let Some(done) = stored.next().await {
            done?;
        }
    }
    session.logout().await?;
    Ok(kept)
}
