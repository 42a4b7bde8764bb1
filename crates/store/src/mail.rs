//! Mail as it arrived, kept before anything reads it: a parser bug can never lose a message.
//! Each message is later settled: it opened a case, was added to one, was recorded and left
//! unanswered (machine mail), or could not be handled (and says why). Unsettled messages are
//! picked up again after a crash.

use crate::StoreError;
use async_trait::async_trait;
use redress_domain::{CaseId, MailId};
use time::OffsetDateTime;

/// One message, as it came off the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivedMail {
    pub id: MailId,
    /// Where it came from, e.g. "imap:care@example.com/INBOX" or "smtp".
    pub source: String,
    pub received_at: OffsetDateTime,
    /// The raw message, byte for byte.
    pub raw: Vec<u8>,
}

/// What became of a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailOutcome {
    /// Kept, not yet handled.
    Pending,
    OpenedCase(CaseId),
    AddedToCase(CaseId),
    /// Recorded but not turned into anything, and why (e.g. an autoresponder's reply).
    Ignored(String),
    /// Handling it failed, and why; it stays kept for someone to look at.
    Failed(String),
}

/// A kept message and what became of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredMail {
    pub mail: ArrivedMail,
    pub outcome: MailOutcome,
}

#[async_trait]
pub trait MailStore: Send + Sync {
    /// Keeps a message durably, as `Pending`; `false` (and nothing changes) when it was kept
    /// already: the same id, or the same `message_id` (its Message-ID header) from the same
    /// source.
    async fn keep_mail(
        &self,
        mail: &ArrivedMail,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError>;

    /// Records what became of a kept message.
    async fn settle_mail(&self, id: MailId, outcome: &MailOutcome) -> Result<(), StoreError>;

    /// Kept messages still `Pending`, oldest first.
    async fn pending_mail(&self, limit: u32) -> Result<Vec<ArrivedMail>, StoreError>;

    async fn mail(&self, id: MailId) -> Result<StoredMail, StoreError>;
}

impl MailOutcome {
    /// The outcome as stored: its name, the case it names, its explanation.
    pub fn to_parts(&self) -> (&'static str, Option<CaseId>, Option<&str>) {
        match self {
            MailOutcome::Pending => ("pending", None, None),
            MailOutcome::OpenedCase(id) => ("opened_case", Some(*id), None),
            MailOutcome::AddedToCase(id) => ("added_to_case", Some(*id), None),
            MailOutcome::Ignored(why) => ("ignored", None, Some(why)),
            MailOutcome::Failed(why) => ("failed", None, Some(why)),
        }
    }

    /// The outcome from its stored parts; `None` if they do not make one.
    pub fn from_parts(name: &str, case: Option<CaseId>, detail: Option<String>) -> Option<Self> {
        Some(match (name, case, detail) {
            ("pending", _, _) => MailOutcome::Pending,
            ("opened_case", Some(id), _) => MailOutcome::OpenedCase(id),
            ("added_to_case", Some(id), _) => MailOutcome::AddedToCase(id),
            ("ignored", _, Some(why)) => MailOutcome::Ignored(why),
            ("failed", _, Some(why)) => MailOutcome::Failed(why),
            _ => return None,
        })
    }
}
