//! The mail channel while the server runs: first whatever was kept but not handled before a
//! stop, then every `poll_every` each mailbox's unseen mail (each message kept durably before
//! it is marked seen) and the outbox's due mail to the relay. A mailbox or relay that cannot be
//! reached is logged and tried again at the next turn; nothing else waits on it.

use crate::config::MailSettings;
use redress_app::App;
use redress_mail::fetch_unseen;

/// Runs until dropped (the server aborts it when it stops).
pub async fn run(app: App, mail: MailSettings) {
    match app.handle_pending_mail().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(messages = n, "handled mail kept before the last stop"),
        Err(e) => tracing::error!(error = %e, "cannot handle the mail kept before the last stop"),
    }
    let mut every = tokio::time::interval(mail.poll_every);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        for account in &mail.mailboxes {
            let source = account.source();
            let fetched = fetch_unseen(account, |raw| {
                let (app, source) = (&app, source.as_str());
                async move {
                    let (id, outcome) = app.receive_mail(source, raw).await?;
                    tracing::info!(mail = %id, ?outcome, "mail received");
                    Ok::<(), redress_app::AppError>(())
                }
            })
            .await;
            if let Err(e) = fetched {
                tracing::warn!(mailbox = ?account, error = %e, "cannot read the mailbox");
            }
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
