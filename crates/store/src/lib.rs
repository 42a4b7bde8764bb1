//! The storage interface of Redress: one `Store` trait, implemented once per database
//! (`redress-store-sqlite`, `redress-store-postgres`), and the conformance suite both pass.
//! Nothing above this crate sees a database type; backends translate their errors into
//! `StoreError`'s domain terms.

mod admin;
#[cfg(feature = "conformance")]
pub mod conformance;
mod error;
mod mail;
mod outbox;
mod query;
mod sign_in;
mod stored;

pub use admin::{AdminStore, SavedMailTemplate, SavedOrganisation, Team};
pub use error::StoreError;
pub use mail::{
    ArrivedMail, MAIL_HEAD_BYTES, MailFilter, MailListing, MailOutcome, MailQuery, MailStore,
    MailSummary, StoredMail,
};
pub use outbox::{Delivery, OutboxStore, OutgoingMail};
pub use query::{CaseListItem, CasePage, CaseQuery, TimelineView};
pub use sign_in::{
    LockPolicy, NewPasswordLink, NewSession, Session, SignInFailures, SignInRecord, SignInStore,
};
pub use stored::StoredAttachment;

use async_trait::async_trait;
use redress_domain::{
    Actor, Attachment, AttachmentId, Case, CaseId, CaseRef, Customer, CustomerId, Event, Intake,
    NewCustomer, RootCause, Staff, StaffId, TokenDigest, TrackingToken,
};
use time::OffsetDateTime;

/// A case about to be stored for the first time.
#[derive(Clone, Debug)]
pub struct NewCase {
    /// The case as received. Its `customer_id` is a proposal: when the customer is recognised
    /// by an email address or phone number, the store files the case under that customer instead.
    pub case: Case,
    /// The case's first events (at least `Received`).
    pub events: Vec<Event>,
    /// Digest of the customer's tracking token.
    pub token: TokenDigest,
    /// Who the customer says they are.
    pub customer: NewCustomer,
    /// The files sent with the case, stored with it; the `Received` event lists them.
    pub attachments: Vec<Attachment>,
}

impl NewCase {
    /// A case just received from `actor`: a fresh id and reference, a proposed customer id, its
    /// `Received` event, and the digest of the customer's tracking token.
    pub fn receive(
        intake: &Intake,
        token: &TrackingToken,
        actor: Actor,
        now: OffsetDateTime,
    ) -> NewCase {
        let (case, received) = Case::receive(
            intake,
            CaseId::new(),
            CaseRef::generate(),
            CustomerId::new(),
            actor,
            now,
        );
        NewCase {
            case,
            events: vec![received],
            token: token.digest(),
            customer: intake.customer.clone(),
            attachments: intake.attachments.clone(),
        }
    }
}

/// A stored new case and the customer it was filed under.
#[derive(Clone, Debug)]
pub struct CreatedCase {
    pub case: Case,
    pub customer: Customer,
    /// The customer had written to us before.
    pub returning_customer: bool,
}

/// Events to append to a case, with the state they lead to.
#[derive(Clone, Debug)]
pub struct CaseChange {
    /// The case after the events (its `version` is the last event's `seq`).
    pub case: Case,
    /// The version the change was decided on; if the stored case moved on since, the change is
    /// refused with `StoreError::Conflict` and nothing is written.
    pub expected_version: u32,
    pub events: Vec<Event>,
    /// Files that came with the change (a customer's emailed reply with a photo), written with
    /// it or not at all; the events name them.
    pub attachments: Vec<Attachment>,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Stores a new case, its first events, its attachments and its customer (matched or
    /// created) in one durable transaction: when this returns Ok, the case survives a crash.
    /// `Conflict` if the reference or token is already taken.
    async fn create_case(&self, new: NewCase) -> Result<CreatedCase, StoreError>;

    /// `NotFound` if there is no such case.
    async fn case(&self, id: CaseId) -> Result<Case, StoreError>;

    async fn case_by_token(&self, token: &TokenDigest) -> Result<Option<Case>, StoreError>;

    async fn case_by_reference(&self, reference: &CaseRef) -> Result<Option<Case>, StoreError>;

    /// Appends events and stores the resulting state atomically, if the case is still at
    /// `expected_version`.
    async fn record(&self, change: CaseChange) -> Result<(), StoreError>;

    /// The case's events in order. `NotFound` if there is no such case.
    async fn timeline(&self, id: CaseId, view: TimelineView) -> Result<Vec<Event>, StoreError>;

    /// Cases matching the query, newest first (or oldest first, as asked), one page at a time.
    async fn list_cases(&self, query: &CaseQuery) -> Result<CasePage, StoreError>;

    /// An attachment of `case`, with its bytes exactly as stored; `None` if that case has no
    /// attachment `id` (whether or not another case has).
    async fn attachment(
        &self,
        case: CaseId,
        id: AttachmentId,
    ) -> Result<Option<Attachment>, StoreError>;
}

#[async_trait]
pub trait CustomerStore: Send + Sync {
    /// `NotFound` if there is no such customer.
    async fn customer(&self, id: CustomerId) -> Result<Customer, StoreError>;

    /// Replaces the stored customer with `customer`. `Conflict` if one of its email addresses or
    /// phone numbers belongs to another customer; `NotFound` if there is no such customer.
    async fn update_customer(&self, customer: &Customer) -> Result<(), StoreError>;
}

#[async_trait]
pub trait StaffStore: Send + Sync {
    /// Adds a staff member with their first API token. `Conflict` if the email is taken.
    async fn add_staff(&self, staff: &Staff, token: &TokenDigest) -> Result<(), StoreError>;

    /// `NotFound` if there is no such staff member.
    async fn staff(&self, id: StaffId) -> Result<Staff, StoreError>;

    /// The staff member holding this API token, if any.
    async fn staff_by_token(&self, token: &TokenDigest) -> Result<Option<Staff>, StoreError>;

    async fn list_staff(&self) -> Result<Vec<Staff>, StoreError>;
}

#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The root causes to choose from when closing a case (seeded with the defaults).
    async fn root_causes(&self) -> Result<Vec<RootCause>, StoreError>;

    /// The site's secret, shared by every node: stores `fresh` if no secret is stored yet, and
    /// returns the stored one. Nodes asking at the same time all get the same secret.
    async fn site_secret(&self, fresh: [u8; 32]) -> Result<[u8; 32], StoreError>;
}

/// Everything Redress stores. Chosen at start from the database URL as `Arc<dyn Store>`.
#[async_trait]
pub trait Store:
    CaseStore
    + CustomerStore
    + StaffStore
    + SignInStore
    + SettingsStore
    + AdminStore
    + MailStore
    + OutboxStore
{
    /// Whether the database answers (for `/readyz`).
    async fn ping(&self) -> Result<(), StoreError>;

    /// The backend's name, for logs and benchmarks: "sqlite" or "postgres".
    fn backend(&self) -> &'static str;
}
