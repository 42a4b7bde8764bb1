//! Mail waiting to go out: written once per event (so nothing is sent twice for one event),
//! taken by a sender, and kept until it was delivered, or failed for good and says why. A mail
//! server that is down delays mail, never loses it.

use crate::StoreError;
use async_trait::async_trait;
use redress_domain::{CaseId, MailId, TokenDigest};
use time::OffsetDateTime;

/// One message to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutgoingMail {
    pub id: MailId,
    pub case_id: CaseId,
    /// What it is for, unique per case: e.g. "event:7" for the seventh event of the case.
    /// Queueing the same purpose twice queues it once.
    pub purpose: String,
    pub to: String,
    /// The whole message as it goes on the wire (headers and body).
    pub raw: Vec<u8>,
    /// Not before this moment (retries wait).
    pub not_before: OffsetDateTime,
    pub attempts: u32,
}

/// Where an outgoing message stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    Queued,
    Sent(OffsetDateTime),
    /// Refused for good (e.g. the address does not exist), and why.
    Failed(String),
}

#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Queues a message; `false` when one for the same case and purpose is already queued or
    /// sent (nothing changes then).
    async fn queue_mail(&self, mail: &OutgoingMail) -> Result<bool, StoreError>;

    /// Claims up to `limit` queued messages due at `now`, oldest first: each is held (not due
    /// to anyone else) until `lease_until`, so two senders sharing the store never take the same
    /// message; if the claimer dies before saying how it went, the message is due again once
    /// the lease ends.
    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutgoingMail>, StoreError>;

    /// A delivery attempt failed for now: try again not before `retry_at`.
    async fn mail_deferred(
        &self,
        id: MailId,
        retry_at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError>;

    /// The message was delivered, or failed for good.
    async fn mail_done(&self, id: MailId, delivery: &Delivery) -> Result<(), StoreError>;

    /// Keeps a further private link to case `case` (the digest of the token a mail carries);
    /// `case_by_token` finds the case by it from then on.
    async fn add_case_link(
        &self,
        case: CaseId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Every message of a case and where it stands, oldest first.
    async fn case_mail(&self, case: CaseId) -> Result<Vec<(OutgoingMail, Delivery)>, StoreError>;
}
