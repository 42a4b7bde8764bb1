//! A built-in SMTP listener, for sites whose mail server pipes mail in rather than leaving it in
//! a mailbox. It accepts mail only for the configured domains and never relays: everything it
//! accepts is inbound mail, handed to `keep` (which stores it durably) before the sender hears
//! 250; when keeping fails the sender hears 451 and tries again, so nothing is lost.
//!
//! The accept loop lives here (a cap on concurrent connections, each on its own task, all
//! stopped with the loop); the conversation itself is in `session`.

mod session;

use std::fmt;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

/// How the listener behaves.
#[derive(Clone, Debug)]
pub struct ListenerSettings {
    /// The name it greets with.
    pub hostname: String,
    /// The largest message accepted (advertised as SIZE; bigger ones get 552).
    pub max_bytes: usize,
    /// The domains accepted in RCPT TO (lower case); any other gets 550.
    pub accept_for: Vec<String>,
    /// How long a client may stay silent before it is disconnected.
    pub idle: Duration,
    /// Connections served at once; more are told 421 (try later) and closed.
    pub max_connections: usize,
}

impl ListenerSettings {
    /// 25 MiB, what most mail servers accept.
    pub const DEFAULT_MAX_BYTES: usize = 25 * 1024 * 1024;

    /// Accepting mail for `accept_for`, with the defaults for the rest.
    pub fn new(accept_for: Vec<String>) -> ListenerSettings {
        let accept_for: Vec<String> = accept_for
            .into_iter()
            .map(|d| d.trim().trim_end_matches('.').to_ascii_lowercase())
            .collect();
        ListenerSettings {
            hostname: accept_for
                .first()
                .cloned()
                .unwrap_or_else(|| "redress".to_owned()),
            max_bytes: Self::DEFAULT_MAX_BYTES,
            accept_for,
            // RFC 5321 4.5.3.2.7: a server waits at least 5 minutes for the next command.
            idle: Duration::from_secs(300),
            max_connections: 32,
        }
    }
}

/// One message accepted: who sent it over what, and the message as received (after
/// dot-unstuffing), with a `Return-Path` naming the envelope sender added on top, as the
/// final delivery does (an empty one marks a bounce).
#[derive(Clone, Debug)]
pub struct Delivery {
    pub peer: IpAddr,
    /// The envelope sender (`MAIL FROM`), empty for the null sender.
    pub from: String,
    /// The accepted recipients (`RCPT TO`).
    pub to: Vec<String>,
    pub raw: Vec<u8>,
}

/// A bound listener, ready to run.
pub struct SmtpListener {
    listener: TcpListener,
    settings: Arc<ListenerSettings>,
}

impl SmtpListener {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, settings: ListenerSettings) -> std::io::Result<Self> {
        Ok(SmtpListener {
            listener: TcpListener::bind(addr).await?,
            settings: Arc::new(settings),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until dropped (dropping also ends every open conversation). `keep` is called once
    /// per accepted message and must store it durably before returning Ok.
    pub async fn run<K, Fut, E>(self, keep: K)
    where
        K: Fn(Delivery) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), E>> + Send + 'static,
        E: fmt::Display + Send + 'static,
    {
        let keep = Arc::new(keep);
        let slots = Arc::new(Semaphore::new(self.settings.max_connections.max(1)));
        let mut conversations = JoinSet::new();
        loop {
            while conversations.try_join_next().is_some() {}
            let (stream, peer) = match self.listener.accept().await {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most often: wait rather than spin.
                    tracing::warn!(error = %e, "the mail listener cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            };
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                // Best effort, never waiting on a client that does not read.
                let _ = stream.try_write(b"421 4.3.2 Too busy, try again later\r\n");
                tracing::warn!(%peer, "mail listener: too many connections, one turned away");
                continue;
            };
            let (settings, keep) = (self.settings.clone(), keep.clone());
            conversations.spawn(async move {
                let ip = peer.ip();
                if let Err(e) = session::converse(stream, ip, &settings, &*keep).await {
                    tracing::debug!(%peer, error = %e, "mail listener: conversation ended");
                }
                drop(slot);
            });
        }
    }
}
