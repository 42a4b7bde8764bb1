//! Mail as it arrived, kept before anything reads it: a parser bug can never lose a message.
//! Each message is later settled: it opened a case, was added to one, was recorded and left
//! unanswered (machine mail), or could not be handled (and says why). Unsettled messages are
//! picked up again after a crash. Staff list kept mail (what failed, machine mail, everything),
//! newest first, and read each message as it came.

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

    /// Records `outcome` only if the message's outcome is still `expected` (exactly, reason
    /// included); `false`, with nothing changed, if someone else settled it first. `NotFound` if
    /// there is no such message.
    async fn settle_mail_if(
        &self,
        id: MailId,
        expected: &MailOutcome,
        outcome: &MailOutcome,
    ) -> Result<bool, StoreError>;

    /// Kept messages still `Pending`, oldest first.
    async fn pending_mail(&self, limit: u32) -> Result<Vec<ArrivedMail>, StoreError>;

    async fn mail(&self, id: MailId) -> Result<StoredMail, StoreError>;

    /// Kept messages that `query.filter` lets through, newest first (by `received_at`, then
    /// id), each with only the head of its source; paged by keyset: the page after
    /// `query.after`. `next` is `None` on the last page.
    async fn list_mail(&self, query: &MailQuery) -> Result<MailListing, StoreError>;

    /// The messages that opened case `case` or were added to it, oldest first.
    async fn case_arrivals(&self, case: CaseId) -> Result<Vec<StoredMail>, StoreError>;
}

/// How much of a message's source a listing carries: enough for the headers of nearly any
/// message (sender and subject), without taking every attachment along.
pub const MAIL_HEAD_BYTES: usize = 32 * 1024;

/// Which kept messages a listing shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailFilter {
    /// What someone should look at: failed, and still pending since before `pending_before`
    /// (handling takes moments, so such a message is stuck).
    NeedsALook {
        pending_before: OffsetDateTime,
    },
    Failed,
    /// Machine mail, recorded and left unanswered.
    Ignored,
    Pending,
    All,
}

/// A page of kept mail to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailQuery {
    pub filter: MailFilter,
    /// The page after this message (the `next` of the page before).
    pub after: Option<MailId>,
    pub limit: u32,
}

/// A kept message as a listing shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailSummary {
    pub id: MailId,
    pub source: String,
    pub received_at: OffsetDateTime,
    pub outcome: MailOutcome,
    /// The first `MAIL_HEAD_BYTES` of the source (all of it when shorter).
    pub head: Vec<u8>,
    /// The whole source's size in bytes.
    pub size: u64,
}

/// One page of kept mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailListing {
    pub mail: Vec<MailSummary>,
    /// Where the next page starts (`MailQuery::after`), if there is one.
    pub next: Option<MailId>,
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
