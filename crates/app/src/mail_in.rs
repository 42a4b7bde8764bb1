//! Mail that arrives: kept as it came (durably, before anything reads it), then read, threaded
//! onto its case or opening a new one, and settled with what became of it. Machine mail is
//! recorded and never answered. Threading is by a tracking link, by a Message-ID of ours, or by
//! a case reference in the subject from the case's own customer; never by the subject's words.

use crate::{App, AppError, Upload};
use redress_domain::{
    Action, Actor, Attachment, AttachmentType, Case, CaseRef, Channel, MailId, Text, TrackingToken,
};
use redress_mail::{InboundMail, read};
use redress_store::{ArrivedMail, MailOutcome};

/// The domain of the Message-IDs Redress writes: `<{reference}.{n}@redress>` names the case.
pub const MESSAGE_ID_DOMAIN: &str = "redress";

/// The case a Message-ID of ours names, e.g. "K7M3-9QXA-2BTR.4@redress".
fn reference_in_message_id(id: &str) -> Option<CaseRef> {
    let (local, domain) = id.rsplit_once('@')?;
    if domain != MESSAGE_ID_DOMAIN {
        return None;
    }
    local.split('.').next()?.parse().ok()
}

/// A Message-ID worth keeping to answer under: one line of printable ASCII of sane length
/// (it goes back out in our In-Reply-To header).
fn reasonable_message_id(id: &str) -> bool {
    (3..=250).contains(&id.len()) && id.contains('@') && id.bytes().all(|b| b.is_ascii_graphic())
}

/// How often noting what became of a handled message is tried.
const SETTLE_ATTEMPTS: u32 = 5;

/// Handling a message takes moments: pending for longer than this, it was cut short.
pub const STUCK_AFTER: time::Duration = time::Duration::minutes(2);

/// How a message is handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Handling {
    /// As it arrived: machine mail is recorded and not answered.
    AsItCame,
    /// Again, because a supervisor asked: they judged it a person's, whatever its headers say.
    ByAPersonsDecision,
}

/// Why mail from this sender is not handled now, if it is over their limit.
fn over_limit(app: &App, mail: &InboundMail) -> Option<String> {
    let sender = &mail.from.as_ref()?.address;
    (!app.sender_limits.allow(sender)).then(|| {
        format!("{sender} sent more mail at once than a person writes; kept for someone to look at")
    })
}

impl App {
    /// Keeps a message that arrived from `source`, then handles it; returns its id and what
    /// became of it. Only a failure to keep it is an error: once kept, a message that cannot be
    /// handled is settled as failed, with why, for staff to see (and nothing is lost).
    pub async fn receive_mail(
        &self,
        source: &str,
        raw: Vec<u8>,
    ) -> Result<(MailId, MailOutcome), AppError> {
        let arrived = ArrivedMail {
            id: MailId::new(),
            source: source.to_owned(),
            received_at: self.now(),
            raw,
        };
        let message_id = redress_mail::message_id_of(&arrived.raw);
        if !self
            .store
            .keep_mail(&arrived, message_id.as_deref())
            .await?
        {
            // Fetched again (a crash before it was marked seen, or another node at the same
            // moment): it was kept, and is handled, once.
            return Ok((
                arrived.id,
                MailOutcome::Ignored("the same message was received already".to_owned()),
            ));
        }
        // Over the limit it is not turned into work, but listed for a person to look at (it
        // may be a customer's real reply among forged ones).
        let mail = read(&arrived.raw);
        let outcome = match over_limit(self, &mail) {
            Some(why) => MailOutcome::Failed(why),
            None => self.handle_mail(&mail, Handling::AsItCame).await,
        };
        // The message is kept and handled: failing to note how must not make its sender send it
        // again (a second case), and left pending it would be handled again; so try a few
        // times (a database that blinked), then leave it for a person to see.
        for attempt in 1..=SETTLE_ATTEMPTS {
            match self.store.settle_mail(arrived.id, &outcome).await {
                Ok(()) => break,
                Err(e) if attempt == SETTLE_ATTEMPTS => {
                    tracing::error!(mail = %arrived.id, ?outcome, error = %e, "handled mail could not be settled");
                }
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(200 * u64::from(attempt)))
                        .await;
                }
            }
        }
        Ok((arrived.id, outcome))
    }

    /// Handles kept mail left pending for longer than handling takes (a crash between keeping
    /// and settling). Each message is first marked as taken, which only one node can do, so
    /// nodes starting together, or one still handling it, never handle it twice; a node that
    /// dies while handling it leaves it failed, with why, for a person to have handled again.
    pub async fn handle_pending_mail(&self) -> Result<usize, AppError> {
        let before = self.now() - STUCK_AFTER;
        let pending = self.store.pending_mail(100).await?;
        let taken = MailOutcome::Failed(
            "handling it again after a stop was cut short; nothing was lost".to_owned(),
        );
        let mut handled = 0;
        for mail in pending.iter().filter(|m| m.received_at < before) {
            if !self
                .store
                .settle_mail_if(mail.id, &MailOutcome::Pending, &taken)
                .await?
            {
                continue;
            }
            let outcome = self.handle_mail(&read(&mail.raw), Handling::AsItCame).await;
            self.store.settle_mail_if(mail.id, &taken, &outcome).await?;
            handled += 1;
        }
        Ok(handled)
    }

    /// What becomes of a kept message, read: machine mail is recorded, anything else threads
    /// onto its case or opens one.
    pub(crate) async fn handle_mail(&self, mail: &InboundMail, how: Handling) -> MailOutcome {
        if let (Some(machine), Handling::AsItCame) = (&mail.automatic, how) {
            return MailOutcome::Ignored(format!("written by a machine ({machine:?})"));
        }
        match self.thread(mail).await {
            Ok(Some(case)) => self.add_to_case(&case, mail).await,
            Ok(None) => self.open_case(mail).await,
            Err(e) => MailOutcome::Failed(e.to_string()),
        }
    }

    /// The case `mail` belongs to, if any.
    async fn thread(&self, mail: &InboundMail) -> Result<Option<Case>, AppError> {
        for token in &mail.thread.tracking_tokens {
            let digest = TrackingToken::presented(token).digest();
            if let Some(case) = self.store.case_by_token(&digest).await? {
                return Ok(Some(case));
            }
        }
        let from_ours = mail
            .thread
            .answers
            .iter()
            .filter_map(|id| reference_in_message_id(id));
        let references: Vec<CaseRef> = from_ours
            .chain(mail.thread.references.iter().cloned())
            .collect();
        let Some(sender) = &mail.from else {
            return Ok(None);
        };
        let sender = redress_domain::EmailAddress::parse(&sender.address).ok();
        for reference in references {
            let Some(case) = self.store.case_by_reference(&reference).await? else {
                continue;
            };
            // A reference is not a secret: only the case's own customer threads by it.
            let customer = self.store.customer(case.customer_id).await?;
            let theirs = sender.as_ref().is_some_and(|s| {
                customer
                    .emails
                    .iter()
                    .any(|e| e.match_key() == s.match_key())
            });
            if theirs {
                return Ok(Some(case));
            }
        }
        Ok(None)
    }

    async fn add_to_case(&self, case: &Case, mail: &InboundMail) -> MailOutcome {
        let words = mail.case_words(false).unwrap_or_default();
        let mut errors = redress_domain::Invalid::default();
        let Some(body) = Text::check(&mut errors, "body", &words, Text::LONG) else {
            return MailOutcome::Failed(format!("the reply could not be added: {errors}"));
        };
        let mut refused = redress_domain::Invalid::default();
        let files: Vec<Attachment> = self
            .files_to_keep(mail)
            .into_iter()
            .filter_map(|u| {
                Attachment::check(&mut refused, "files", &u.file_name, u.bytes, u64::MAX)
            })
            .collect();
        let action = Action::MessageFromCustomer {
            body,
            message_id: mail
                .message_id
                .clone()
                .filter(|id| reasonable_message_id(id)),
            attachments: files.iter().map(|f| f.info.clone()).collect(),
        };
        let customer = &Actor::Customer;
        match self
            .change_case_with_files(case.id, customer, action, |_| Ok(()), &files)
            .await
        {
            Ok(_) => MailOutcome::AddedToCase(case.id),
            Err(e) => MailOutcome::Failed(e.to_string()),
        }
    }

    /// The files of `mail` kept with the case: photos and PDFs within the size limit, as many
    /// as a case takes at once. Others, not of a kind we keep or too large, stay in the raw
    /// message (kept with it) rather than refusing the customer's case or message.
    fn files_to_keep(&self, mail: &InboundMail) -> Vec<Upload> {
        let settings = self.settings();
        mail.attachments
            .iter()
            .filter(|a| {
                AttachmentType::sniff(&a.bytes).is_some()
                    && a.bytes.len() <= settings.max_attachment_bytes
            })
            .take(settings.max_attachments)
            .enumerate()
            .map(|(i, a)| Upload {
                file_name: a
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("attachment-{}", i + 1)),
                bytes: a.bytes.clone(),
            })
            .collect()
    }

    async fn open_case(&self, mail: &InboundMail) -> MailOutcome {
        let (draft, _detected) = mail.intake_draft();
        let uploads = self.files_to_keep(mail);
        let answers = mail
            .message_id
            .as_deref()
            .filter(|id| reasonable_message_id(id));
        match self
            .submit_answering(&draft, Channel::Email, uploads, answers)
            .await
        {
            Ok(submitted) => MailOutcome::OpenedCase(submitted.case.id),
            Err(e) => MailOutcome::Failed(format!("no case could be opened: {e}")),
        }
    }
}
