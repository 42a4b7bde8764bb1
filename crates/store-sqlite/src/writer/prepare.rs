//! What callers prepare before handing a write to the writer: every column value, JSON
//! serialized and timestamps formatted on the caller's task, so the writer only binds and
//! executes.

use crate::codec::{Unstorable, case_state, date, timestamp, to_json};
use redress_domain::{
    Attachment, Case, Customer, EmailAddress, Event, NewCustomer, PhoneNumber, Staff,
};
use redress_store::{CaseChange, NewCase, StoreError};
use std::sync::Arc;
use uuid::Uuid;

/// Text bound to a statement: an `Arc` so binding it again (e.g. when a group of jobs is
/// re-run one by one) copies nothing.
pub(crate) type Shared = Arc<str>;

/// A contact detail ready to store: ("email" | "phone", match key, as written).
pub(crate) struct Contact {
    pub(super) kind: &'static str,
    pub(super) key: Shared,
    pub(super) value: Shared,
}

pub(super) fn contacts_of(emails: &[EmailAddress], phones: &[PhoneNumber]) -> Vec<Contact> {
    let emails = emails.iter().map(|e| Contact {
        kind: "email",
        key: e.match_key().into(),
        value: e.as_str().into(),
    });
    let phones = phones.iter().map(|p| Contact {
        kind: "phone",
        key: p.match_key().into(),
        value: p.as_str().into(),
    });
    emails.chain(phones).collect()
}

/// The columns of a case row, computed by the caller.
pub(crate) struct CaseRow {
    pub(super) id: Uuid,
    pub(super) kind: &'static str,
    pub(super) status: &'static str,
    pub(super) is_open: bool,
    pub(super) owner_id: Option<Uuid>,
    pub(super) team: Option<Shared>,
    pub(super) needed_by: Option<Shared>,
    pub(super) updated_at: Shared,
    pub(super) version: i64,
    pub(super) state: Shared,
    /// The queues' columns (see the migration `..._queues.sql`).
    pub(super) awaiting_owner: bool,
    pub(super) next_due: Option<Shared>,
    pub(super) pending_approval: bool,
    pub(super) escalated: bool,
    pub(super) product: Option<Shared>,
}

impl CaseRow {
    pub(super) fn of(case: &Case) -> Result<Self, StoreError> {
        Ok(CaseRow {
            id: case.id.as_uuid(),
            kind: case.kind.as_str(),
            status: case.status.as_str(),
            is_open: case.status.is_open(),
            owner_id: case.owner.as_ref().map(|o| o.id.as_uuid()),
            team: case.team.as_ref().map(|t| t.as_str().into()),
            needed_by: case.needed_by.map(date).transpose()?.map(Shared::from),
            updated_at: timestamp(case.updated_at)?.into(),
            version: i64::from(case.version),
            state: case_state(case)?.into(),
            awaiting_owner: !case.awaiting_owner.is_empty() || case.escalation.is_some(),
            next_due: case
                .next_commitment_due()
                .map(date)
                .transpose()?
                .map(Shared::from),
            pending_approval: case.pending_approvals().next().is_some(),
            escalated: case.escalation.is_some(),
            product: case.subject.product.as_ref().map(|p| p.as_str().into()),
        })
    }
}

pub(crate) struct EventRow {
    pub(super) seq: i64,
    pub(super) at: Shared,
    pub(super) actor: Shared,
    pub(super) visibility: &'static str,
    pub(super) kind: &'static str,
    pub(super) payload: Shared,
}

impl EventRow {
    fn of(event: &Event) -> Result<Self, StoreError> {
        Ok(EventRow {
            seq: i64::from(event.seq),
            at: timestamp(event.at)?.into(),
            actor: to_json(&event.actor)?.into(),
            visibility: event.visibility.as_str(),
            kind: event.kind.name(),
            payload: to_json(&event.kind)?.into(),
        })
    }
}

fn event_rows(case: &Case, events: &[Event]) -> Result<Vec<EventRow>, StoreError> {
    if let Some(e) = events.iter().find(|e| e.case_id != case.id) {
        return Err(StoreError::backend(Unstorable(format!(
            "event {} belongs to case {}, not {}",
            e.seq, e.case_id, case.id
        ))));
    }
    events.iter().map(EventRow::of).collect()
}

pub(crate) struct CreateCase {
    pub(super) case: Case,
    pub(super) customer: NewCustomer,
    /// The customer's contact details, emails first: how they are recognised.
    pub(super) contacts: Vec<Contact>,
    pub(super) insert: CaseInsert,
    pub(super) attachments: Vec<AttachmentRow>,
}

/// An attachment's row. Its bytes are moved into the statement when bound, never copied.
pub(crate) struct AttachmentRow {
    pub(super) id: Uuid,
    pub(super) name: Shared,
    pub(super) content_type: &'static str,
    pub(super) size: i64,
    pub(super) sha256: Vec<u8>,
    pub(super) content: Vec<u8>,
}

impl AttachmentRow {
    fn of(a: Attachment) -> Result<Self, StoreError> {
        let size = i64::try_from(a.info.size).map_err(|_| {
            StoreError::backend(Unstorable(format!("attachment of {} bytes", a.info.size)))
        })?;
        Ok(AttachmentRow {
            id: a.info.id.as_uuid(),
            name: a.info.name.as_str().into(),
            content_type: a.info.content_type.mime(),
            size,
            sha256: a.sha256().to_vec(),
            content: a.bytes,
        })
    }
}

/// The columns of a new case's row, and its events.
pub(crate) struct CaseInsert {
    pub(super) row: CaseRow,
    pub(super) reference: Shared,
    pub(super) token: Vec<u8>,
    pub(super) channel: &'static str,
    pub(super) created_at: Shared,
    pub(super) words: Shared,
    pub(super) events: Vec<EventRow>,
}

impl CreateCase {
    pub(crate) fn prepare(new: NewCase) -> Result<Self, StoreError> {
        let NewCase {
            case,
            events,
            token,
            customer,
            attachments,
        } = new;
        if events.is_empty() {
            return Err(StoreError::backend(Unstorable(
                "a new case needs its first event".into(),
            )));
        }
        Ok(CreateCase {
            contacts: contacts_of(&customer.emails, &customer.phones),
            insert: CaseInsert {
                row: CaseRow::of(&case)?,
                reference: case.reference.as_str().into(),
                token: token.as_bytes().to_vec(),
                channel: case.channel.as_str(),
                created_at: timestamp(case.created_at)?.into(),
                words: case.words.as_str().into(),
                events: event_rows(&case, &events)?,
            },
            customer,
            case,
            attachments: attachments
                .into_iter()
                .map(AttachmentRow::of)
                .collect::<Result<_, _>>()?,
        })
    }
}

pub(crate) struct Record {
    pub(super) row: CaseRow,
    pub(super) expected_version: i64,
    pub(super) events: Vec<EventRow>,
    pub(super) attachments: Vec<AttachmentRow>,
}

impl Record {
    pub(crate) fn prepare(change: CaseChange) -> Result<Self, StoreError> {
        let CaseChange {
            case,
            expected_version,
            events,
            attachments,
        } = change;
        let in_order = events
            .iter()
            .enumerate()
            .all(|(i, e)| u64::from(e.seq) == u64::from(expected_version) + 1 + i as u64);
        let last = events.last().map(|e| e.seq);
        if events.is_empty() || !in_order || last != Some(case.version) {
            return Err(StoreError::backend(Unstorable(format!(
                "a change from version {expected_version} must bring events numbered from {} up to the case's version {}",
                u64::from(expected_version) + 1,
                case.version
            ))));
        }
        Ok(Record {
            row: CaseRow::of(&case)?,
            expected_version: i64::from(expected_version),
            events: event_rows(&case, &events)?,
            attachments: attachments
                .into_iter()
                .map(AttachmentRow::of)
                .collect::<Result<_, _>>()?,
        })
    }
}

pub(crate) struct UpdateCustomer {
    pub(super) id: Uuid,
    pub(super) name: Option<String>,
    pub(super) preferred_channel: Option<&'static str>,
    pub(super) language: Option<String>,
    pub(super) important_dates: String,
    pub(super) preferences: String,
    pub(super) dislikes: String,
    pub(super) external_ref: Option<String>,
    pub(super) created_at: String,
    pub(super) updated_at: String,
    pub(super) contacts: Vec<Contact>,
}

impl UpdateCustomer {
    pub(crate) fn prepare(c: &Customer) -> Result<Self, StoreError> {
        Ok(UpdateCustomer {
            id: c.id.as_uuid(),
            name: c.name.as_ref().map(|n| n.as_str().to_owned()),
            preferred_channel: c.preferred_channel.map(|p| p.as_str()),
            language: c.language.as_ref().map(|l| l.as_str().to_owned()),
            important_dates: to_json(&c.important_dates)?,
            preferences: to_json(&c.preferences)?,
            dislikes: to_json(&c.dislikes)?,
            external_ref: c.external_ref.as_ref().map(|r| r.as_str().to_owned()),
            created_at: timestamp(c.created_at)?,
            updated_at: timestamp(c.updated_at)?,
            contacts: contacts_of(&c.emails, &c.phones),
        })
    }
}

pub(crate) struct AddStaff {
    pub(super) id: Uuid,
    pub(super) name: String,
    pub(super) email: String,
    pub(super) email_key: String,
    pub(super) role: &'static str,
    pub(super) team: Option<String>,
    pub(super) authority_minor: Option<i64>,
    pub(super) authority_currency: Option<String>,
    pub(super) active: bool,
    pub(super) created_at: String,
    pub(super) token: Vec<u8>,
}

impl AddStaff {
    pub(crate) fn prepare(
        s: &Staff,
        token: &redress_domain::TokenDigest,
    ) -> Result<Self, StoreError> {
        Ok(AddStaff {
            id: s.id.as_uuid(),
            name: s.name.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            email_key: s.email.match_key(),
            role: s.role.as_str(),
            team: s.team.as_ref().map(|t| t.as_str().to_owned()),
            authority_minor: s.authority_limit.as_ref().map(|m| m.minor),
            authority_currency: s
                .authority_limit
                .as_ref()
                .map(|m| m.currency.as_str().to_owned()),
            active: s.active,
            created_at: timestamp(s.created_at)?,
            token: token.as_bytes().to_vec(),
        })
    }
}
