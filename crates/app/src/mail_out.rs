//! Mail that goes out: what `customer_mail` queued in the outbox, taken to the relay. Each turn
//! claims due mail (so nodes sharing the store never send one message twice), and each message
//! is delivered, refused for good (recorded on the case), or tried again later with a growing
//! wait: a mail server that is down delays mail, never loses it.

use crate::{App, AppError};
use redress_mail::{SmtpRelay, send};
use redress_store::Delivery;
use time::Duration;

/// How many messages one turn claims, and how long they are held: a message is only sent well
/// within its lease, or another node could take it while it is still being sent.
const CLAIM_BATCH: u32 = 10;
const CLAIM_LEASE: Duration = Duration::minutes(15);
const MAX_BATCHES_PER_TURN: usize = 20;
/// The longest one attempt may take, whatever the relay does (each SMTP step has its own
/// timeout, but a slow relay could stretch a message over many steps).
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);
/// No attempt starts later than this after the claim, so each ends within the lease; the rest
/// of the batch stays claimed until the lease ends, then is due again.
const START_WITHIN: std::time::Duration = std::time::Duration::from_secs(12 * 60);

/// The longest wait between two attempts at one message.
const MAX_BACKOFF: Duration = Duration::hours(1);

/// Waits between attempts: 1, 2, 4 … minutes, at most `MAX_BACKOFF`.
fn backoff(attempts: u32) -> Duration {
    let minutes = 1_i64 << attempts.min(6);
    Duration::minutes(minutes).min(MAX_BACKOFF)
}

impl App {
    /// Takes due mail to `relay`. Returns how many were delivered.
    pub async fn deliver_due_mail(&self, relay: &SmtpRelay) -> Result<usize, AppError> {
        let Some(from) = self.settings().contact.email.clone() else {
            return Ok(0);
        };
        let mut delivered = 0;
        // A full batch means more may be waiting: claim again, as long as the relay takes mail.
        for _ in 0..MAX_BATCHES_PER_TURN {
            let now = self.now();
            let due = self
                .store
                .claim_due_mail(now, now + CLAIM_LEASE, CLAIM_BATCH)
                .await?;
            let claimed = due.len();
            let claimed_at = std::time::Instant::now();
            let mut taken = 0;
            for mail in due {
                if claimed_at.elapsed() > START_WITHIN {
                    tracing::warn!(
                        "the relay is slow: the rest of the batch waits for its lease to end"
                    );
                    return Ok(delivered + taken);
                }
                let sent =
                    tokio::time::timeout(SEND_TIMEOUT, send(relay, &from, &mail.to, &mail.raw))
                        .await
                        .unwrap_or_else(|_| {
                            Err(redress_mail::SendError {
                                permanent: false,
                                message: format!(
                                    "the relay took longer than {} s",
                                    SEND_TIMEOUT.as_secs()
                                ),
                            })
                        });
                match sent {
                    Ok(()) => {
                        self.store
                            .mail_done(mail.id, &Delivery::Sent(self.now()))
                            .await?;
                        taken += 1;
                    }
                    Err(e) if e.permanent => {
                        self.store
                            .mail_done(mail.id, &Delivery::Failed(e.message))
                            .await?;
                    }
                    Err(e) => {
                        let retry_at = self.now() + backoff(mail.attempts);
                        self.store
                            .mail_deferred(mail.id, retry_at, &e.message)
                            .await?;
                    }
                }
            }
            delivered += taken;
            if claimed < CLAIM_BATCH as usize || taken == 0 {
                break;
            }
        }
        Ok(delivered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_stop_at_an_hour() {
        assert_eq!(backoff(0), Duration::minutes(1));
        assert_eq!(backoff(1), Duration::minutes(2));
        assert_eq!(backoff(5), Duration::minutes(32));
        assert_eq!(backoff(6), Duration::hours(1));
        assert_eq!(backoff(40), Duration::hours(1));
    }
}
