//! Fetching mail from a mailbox over IMAP. Each unseen message is handed over to be kept
//! durably and only then marked seen, so a crash between the two fetches it again rather than
//! losing it (keeping is idempotent per message on the caller's side).

use async_imap::Client;
use futures_util::{StreamExt, TryStreamExt};
use std::fmt;
use std::future::Future;
use tokio::net::TcpStream;

/// One mailbox to read.
#[derive(Clone)]
pub struct ImapAccount {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// Usually "INBOX".
    pub folder: String,
}

impl fmt::Debug for ImapAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The password never prints.
        write!(
            f,
            "ImapAccount({}@{}:{}/{})",
            self.user, self.host, self.port, self.folder
        )
    }
}

impl ImapAccount {
    /// How kept mail names where it came from.
    pub fn source(&self) -> String {
        format!("imap:{}@{}/{}", self.user, self.host, self.folder)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("cannot reach the mailbox: {0}")]
    Connect(#[from] std::io::Error),
    #[error("the mailbox refused: {0}")]
    Imap(#[from] async_imap::error::Error),
    #[error("the mailbox closed the connection before greeting")]
    NoGreeting,
    #[error("a fetched message could not be kept: {0}")]
    Keep(String),
}

/// Fetches every unseen message of `account`, hands each to `keep` (which must store it durably
/// before returning), then marks it seen. Returns how many were kept.
pub async fn fetch_unseen<F, Fut, E>(
    account: &ImapAccount,
    mut keep: F,
) -> Result<usize, FetchError>
where
    F: FnMut(Vec<u8>) -> Fut,
    Fut: Future<Output = Result<(), E>>,
    E: fmt::Display,
{
    let stream = TcpStream::connect((account.host.as_str(), account.port)).await?;
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
