//! Kept mail as staff see it: the messages that failed, the machine mail that was recorded and
//! left unanswered, everything that arrived; each message read as Redress read it (sender,
//! subject, the new words and the quoted part, files, why it is machine mail, whether it could
//! be read at all, the kind it would file), next to its raw source. A supervisor or an admin
//! may have a failed or ignored message handled again. On a case: the mail that opened it or
//! was added to it, and where each message to the customer stands.

use crate::{App, AppError};
use redress_domain::{CaseId, CaseRef, MailId, Staff};
use redress_mail::{InboundMail, read};
use redress_store::{Delivery, MailOutcome, MailQuery, MailSummary, OutgoingMail, StoredMail};
use std::collections::HashMap;

pub use redress_mail::{Automatic, Detected};

/// One kept message in a list: its sender and subject read from the head of its source, and
/// the reference of the case it opened or joined.
#[derive(Clone, Debug)]
pub struct MailRow {
    pub summary: MailSummary,
    pub sender: Option<String>,
    pub subject: String,
    /// Written by a machine, and how we can tell (from the headers).
    pub automatic: Option<Automatic>,
    pub case: Option<CaseRef>,
}

/// One page of kept mail.
#[derive(Clone, Debug)]
pub struct MailRows {
    pub rows: Vec<MailRow>,
    pub next: Option<MailId>,
}

/// A file that came with a message, as the message declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailFile {
    pub name: Option<String>,
    pub content_type: String,
    pub size: usize,
    /// Shown inside the text rather than attached.
    pub inline: bool,
}

/// A kept message, read.
#[derive(Clone, Debug)]
pub struct MailReading {
    pub stored: StoredMail,
    /// "Name <address>", or the address.
    pub sender: Option<String>,
    pub subject: String,
    /// What the sender newly wrote (the raw source when it could not be read).
    pub new_words: String,
    /// The quoted history, folded away.
    pub quoted: Option<String>,
    pub files: Vec<MailFile>,
    /// Written by a machine, and how we can tell.
    pub automatic: Option<Automatic>,
    /// The message could not be read, and why.
    pub unreadable: Option<String>,
    /// The kind of case it files (or filed), and why.
    pub detected: Detected,
    /// The case it opened or joined.
    pub case: Option<CaseRef>,
}

/// Where one message to the customer stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyDelivery {
    pub to: String,
    pub attempts: u32,
    pub delivery: Delivery,
}

/// A message that opened a case or was added to it.
#[derive(Clone, Debug)]
pub struct Arrival {
    pub id: MailId,
    pub received_at: time::OffsetDateTime,
    pub opened: bool,
    /// It opened the case and could not be read: the case holds its raw source.
    pub unreadable: Option<String>,
}

/// A case's mail: what arrived, how the case was filed, where each reply stands.
#[derive(Clone, Debug, Default)]
pub struct CaseMail {
    /// Oldest first.
    pub arrivals: Vec<Arrival>,
    /// For a case opened from an email: the kind its words filed it as, and why.
    pub detected: Option<Detected>,
    /// Each message to the customer, by the seq of its event.
    pub replies: HashMap<u32, ReplyDelivery>,
    /// Messages refused for good: to whom, and why (oldest first).
    pub undelivered: Vec<(String, String)>,
}

/// The headers of a source (a message read from them alone never decodes its body).
fn headers_of(head: &[u8]) -> &[u8] {
    let end = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| head.windows(2).position(|w| w == b"\n\n").map(|i| i + 2));
    &head[..end.unwrap_or(head.len())]
}

fn sender_of(mail: &InboundMail) -> Option<String> {
    mail.from.as_ref().map(|f| match &f.name {
        Some(name) => format!("{name} <{}>", f.address),
        None => f.address.clone(),
    })
}

fn case_of(outcome: &MailOutcome) -> Option<CaseId> {
    match outcome {
        MailOutcome::OpenedCase(id) | MailOutcome::AddedToCase(id) => Some(*id),
        _ => None,
    }
}

/// The seq of the event a message to the customer was written for ("event:7").
fn reply_seq(mail: &OutgoingMail) -> Option<u32> {
    mail.purpose.strip_prefix("event:")?.parse().ok()
}

impl App {
    /// Kept mail, newest first, a page at a time (any staff member).
    pub async fn list_mail(&self, _by: &Staff, query: &MailQuery) -> Result<MailRows, AppError> {
        let listing = self.store.list_mail(query).await?;
        let mut references: HashMap<CaseId, Option<CaseRef>> = HashMap::new();
        let mut rows = Vec::with_capacity(listing.mail.len());
        for summary in listing.mail {
            let read = read(headers_of(&summary.head));
            let case = match case_of(&summary.outcome) {
                Some(id) => match references.get(&id) {
                    Some(known) => known.clone(),
                    None => {
                        let reference = self.reference_of(id).await?;
                        references.insert(id, reference.clone());
                        reference
                    }
                },
                None => None,
            };
            rows.push(MailRow {
                sender: sender_of(&read),
                subject: read.subject,
                automatic: read.automatic,
                case,
                summary,
            });
        }
        Ok(MailRows {
            rows,
            next: listing.next,
        })
    }

    /// The reference of case `id`, `None` if there is no such case (any more).
    async fn reference_of(&self, id: CaseId) -> Result<Option<CaseRef>, AppError> {
        match self.store.case(id).await {
            Ok(case) => Ok(Some(case.reference)),
            Err(redress_store::StoreError::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// One kept message exactly as it came, unread (any staff member).
    pub async fn kept_mail(&self, _by: &Staff, id: MailId) -> Result<StoredMail, AppError> {
        Ok(self.store.mail(id).await?)
    }

    /// One kept message with its raw source, read (any staff member).
    pub async fn read_mail(&self, _by: &Staff, id: MailId) -> Result<MailReading, AppError> {
        let stored = self.store.mail(id).await?;
        let mail = read(&stored.mail.raw);
        let detected = redress_mail::detect_kind(&mail.subject, &mail.folded.new);
        let case = match case_of(&stored.outcome) {
            Some(id) => self.reference_of(id).await?,
            None => None,
        };
        Ok(MailReading {
            sender: sender_of(&mail),
            files: mail
                .attachments
                .iter()
                .map(|a| MailFile {
                    name: a.name.clone(),
                    content_type: a.content_type.clone(),
                    size: a.bytes.len(),
                    inline: a.inline,
                })
                .collect(),
            subject: mail.subject,
            new_words: mail.folded.new,
            quoted: mail.folded.quoted,
            automatic: mail.automatic,
            unreadable: mail.unreadable,
            detected,
            case,
            stored,
        })
    }

    /// Handles a failed or ignored message again (after a fix, say) and settles it with what
    /// became of it this time. For supervisors and admins.
    pub async fn handle_mail_again(&self, by: &Staff, id: MailId) -> Result<MailOutcome, AppError> {
        if !by.role.approves_remedies() {
            return Err(AppError::Forbidden(
                "only a supervisor or an admin can have a message handled again".to_owned(),
            ));
        }
        let stored = self.store.mail(id).await?;
        if !matches!(
            stored.outcome,
            MailOutcome::Failed(_) | MailOutcome::Ignored(_)
        ) {
            return Err(AppError::Conflict(
                "only a message that failed or was ignored can be handled again".to_owned(),
            ));
        }
        // Taken only by whoever gets there first, on any node: one press, one case. Should this
        // node stop now, the message stays failed, saying so, for another press.
        let taken = MailOutcome::Failed(format!(
            "being handled again at {}'s request (if this stays, it was cut short)",
            by.name.as_str()
        ));
        if !self
            .store
            .settle_mail_if(id, &stored.outcome, &taken)
            .await?
        {
            return Err(AppError::Conflict(
                "this message is being handled again already".to_owned(),
            ));
        }
        let outcome = self
            .handle_mail(
                &read(&stored.mail.raw),
                crate::mail_in::Handling::ByAPersonsDecision,
            )
            .await;
        self.store.settle_mail_if(id, &taken, &outcome).await?;
        tracing::info!(mail = %id, staff = %by.id, ?outcome, "mail handled again");
        Ok(outcome)
    }

    /// The mail of case `id`: what arrived, how it was filed, where each reply stands.
    pub async fn case_mail(&self, _by: &Staff, id: CaseId) -> Result<CaseMail, AppError> {
        let arrived = self.store.case_arrivals(id).await?;
        let mut detected = None;
        let arrivals = arrived
            .iter()
            .map(|stored| {
                let opened = matches!(stored.outcome, MailOutcome::OpenedCase(_));
                // Only the message that opened the case is read (every page view): how it was
                // filed, and whether it could be read at all.
                let mut unreadable = None;
                if opened {
                    let mail = read(&stored.mail.raw);
                    detected = Some(redress_mail::detect_kind(&mail.subject, &mail.folded.new));
                    unreadable = mail.unreadable;
                }
                Arrival {
                    id: stored.mail.id,
                    received_at: stored.mail.received_at,
                    opened,
                    unreadable,
                }
            })
            .collect();
        let mut replies = HashMap::new();
        let mut undelivered = Vec::new();
        for (mail, delivery) in self.store.case_mail(id).await? {
            if let Delivery::Failed(why) = &delivery {
                undelivered.push((mail.to.clone(), why.clone()));
            }
            if let Some(seq) = reply_seq(&mail) {
                replies.insert(
                    seq,
                    ReplyDelivery {
                        to: mail.to,
                        attempts: mail.attempts,
                        delivery,
                    },
                );
            }
        }
        Ok(CaseMail {
            arrivals,
            detected,
            replies,
            undelivered,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_end_at_the_first_blank_line() {
        assert_eq!(
            headers_of(b"Subject: a\r\n\r\nbody\r\n\r\nmore"),
            b"Subject: a\r\n\r\n"
        );
        assert_eq!(headers_of(b"Subject: a\n\nbody"), b"Subject: a\n\n");
        assert_eq!(headers_of(b"Subject: cut sho"), b"Subject: cut sho");
    }
}
