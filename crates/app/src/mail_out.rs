//! Mail that goes out. A reply a staff member writes to the customer is queued in the outbox
//! once (one message per event), From the organisation in the writer's name, with the case's
//! reference in the subject and a Message-ID naming the case, so that their answer threads
//! back. A sender takes due mail to the relay: delivered,
//! refused for good (recorded), or tried again later with a growing wait.

use crate::mail_in::MESSAGE_ID_DOMAIN;
use crate::{App, AppError};
use redress_domain::{Actor, CaseId, EventKind, MailId};
use redress_mail::{Composed, SmtpRelay, compose, send};
use redress_store::{Delivery, OutgoingMail, TimelineView};
use time::Duration;

/// How many messages one turn claims, and how long they are held: a batch must be through well
/// within its lease (each attempt times out after 30 s), or another node could take a message
/// still being sent.
const CLAIM_BATCH: u32 = 10;
const CLAIM_LEASE: Duration = Duration::minutes(15);
const MAX_BATCHES_PER_TURN: usize = 20;

/// The longest wait between two attempts at one message.
const MAX_BACKOFF: Duration = Duration::hours(1);

/// Waits between attempts: 1, 2, 4 … minutes, at most `MAX_BACKOFF`.
fn backoff(attempts: u32) -> Duration {
    let minutes = 1_i64 << attempts.min(6);
    Duration::minutes(minutes).min(MAX_BACKOFF)
}

impl App {
    /// Queues by email every message to the customer on case `id` not queued yet, when the
    /// customer has an address and the organisation one to send from. Returns how many.
    pub async fn queue_replies(&self, id: CaseId) -> Result<usize, AppError> {
        let settings = self.settings();
        let Some(from_address) = settings.contact.email.clone() else {
            return Ok(0);
        };
        let case = self.store.case(id).await?;
        let customer = self.store.customer(case.customer_id).await?;
        let Some(to) = customer.emails.first() else {
            return Ok(0);
        };
        let timeline = self.store.timeline(id, TimelineView::All).await?;
        // Earlier replies are in the outbox already: only the new ones are written and queued.
        let already: std::collections::HashSet<String> = self
            .store
            .case_mail(id)
            .await?
            .into_iter()
            .map(|(mail, _)| mail.purpose)
            .collect();
        let mut queued = 0;
        // The customer's latest email before each reply: the reply answers it.
        let mut answers: Option<&str> = None;
        for event in &timeline {
            if let EventKind::MessageFromCustomer {
                message_id: Some(id),
                ..
            } = &event.kind
            {
                answers = Some(id);
            }
            let (EventKind::MessageToCustomer { body }, Actor::Staff(writer)) =
                (&event.kind, &event.actor)
            else {
                continue;
            };
            let purpose = format!("event:{}", event.seq);
            if already.contains(&purpose) {
                continue;
            }
            let composed = Composed {
                from_name: format!("{}, {}", writer.name, settings.organisation),
                from_address: from_address.clone(),
                to_name: customer.name.as_ref().map(|n| n.as_str().to_owned()),
                to_address: to.as_str().to_owned(),
                subject: format!("{} [{}]", settings.organisation, case.reference),
                body: body.as_str().to_owned(),
                message_id: format!("{}.{}@{MESSAGE_ID_DOMAIN}", case.reference, event.seq),
                in_reply_to: answers.map(str::to_owned),
            };
            let raw = match compose(&composed) {
                Ok(raw) => raw,
                Err(e) => {
                    tracing::warn!(case = %id, error = %e, "a reply cannot be mailed");
                    continue;
                }
            };
            let mail = OutgoingMail {
                id: MailId::new(),
                case_id: id,
                purpose,
                to: to.as_str().to_owned(),
                raw,
                not_before: self.now(),
                attempts: 0,
            };
            if self.store.queue_mail(&mail).await? {
                queued += 1;
            }
        }
        Ok(queued)
    }

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
            let mut taken = 0;
            for mail in due {
                match send(relay, &from, &mail.to, &mail.raw).await {
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
