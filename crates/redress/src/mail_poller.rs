//! The mail channel while the server runs: every `poll_every` each mailbox's unseen mail (each
//! message kept durably before it is marked seen) and the outbox's due mail to the relay; at the
//! first turn and every ten minutes, mail whose handling was cut short (a stop between keeping
//! and settling) and mail to customers whose queueing failed. A mailbox or relay that cannot be
//! reached is logged and tried again at the next turn; nothing else waits on it. Beside it, the
//! SMTP listener (when configured) keeps what is piped in the same way.

use crate::config::MailSettings;
use redress_app::{App, AppError};
use redress_mail::{Delivery, SmtpListener, fetch_unseen};

/// Keeps one raw message (stored durably before it is read) and handles it.
async fn receive(app: &App, source: &str, raw: Vec<u8>) -> Result<(), AppError> {
    let (id, outcome) = app.receive_mail(source, raw).await?;
    tracing::info!(mail = %id, source, ?outcome, "mail received");
    Ok(())
}

/// Where mail piped into the SMTP listener is recorded as coming from.
const LISTENER_SOURCE: &str = "smtp";

/// Serves the SMTP listener until dropped: a message is answered 250 only once kept.
pub async fn listen(app: App, listener: SmtpListener) {
    listener
        .run(move |delivery: Delivery| {
            let app = app.clone();
            async move {
                // One source for every peer: a message retried from another address of the
                // sending server (or a backup MX) is the same message, kept once.
                tracing::debug!(peer = %delivery.peer, "mail piped in");
                receive(&app, LISTENER_SOURCE, delivery.raw).await
            }
        })
        .await;
}

/// How often mail whose handling was cut short, and mail customers should have had and was not
/// queued, are looked for (at the first turn, then every ten minutes): both are rare, and a few
/// minutes late is fine.
const CATCH_UP_EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Mail left pending (its handling cut short), and mail to customers whose queueing failed.
async fn catch_up(app: &App) {
    match app.handle_pending_mail().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "handled mail left pending"),
        Err(e) => tracing::warn!(error = %e, "cannot handle the mail left pending"),
    }
    match app.catch_up_customer_mail().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "mail to customers caught up"),
        Err(e) => tracing::warn!(error = %e, "cannot catch up mail to customers"),
    }
}

/// Runs until dropped (the server aborts it when it stops).
pub async fn run(app: App, mail: MailSettings) {
    let mut every = tokio::time::interval(mail.poll_every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut last_catch_up: Option<tokio::time::Instant> = None;
    loop {
        every.tick().await;
        for account in &mail.mailboxes {
            let source = account.source();
            let fetched = fetch_unseen(account, |raw| receive(&app, &source, raw)).await;
            if let Err(e) = fetched {
                tracing::warn!(mailbox = ?account, error = %e, "cannot read the mailbox");
            }
        }
        if last_catch_up.is_none_or(|at| at.elapsed() >= CATCH_UP_EVERY) {
            last_catch_up = Some(tokio::time::Instant::now());
            catch_up(&app).await;
        }
        if let Some(relay) = &mail.relay {
            match app.deliver_due_mail(relay).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(messages = n, "mail delivered to the relay"),
                Err(e) => tracing::warn!(error = %e, "cannot deliver the outbox"),
            }
        }
    }
}
