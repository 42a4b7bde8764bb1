//! The timeline: an append-only story of everything that happened on a case, so whoever picks it
//! up never asks the customer to repeat themselves. The case's current state is the fold of its
//! events (`Case::apply`).

use crate::action::FollowUp;
use crate::attachment::AttachmentInfo;
use crate::case::{RemedyKind, RemedyStatus, Subject};
use crate::ids::{CaseId, CommitmentId, RemedyId, StaffId, ViewId};
use crate::kinds::{CaseKind, Channel};
use crate::money::Money;
use crate::root_cause::RootCauseCode;
use crate::status::Status;
use crate::text::{Language, Text};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// A staff member as recorded on the timeline: their name at the time, so history reads true.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffRef {
    pub id: StaffId,
    pub name: String,
}

/// Who did something.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Actor {
    Customer,
    Staff(StaffRef),
    System,
}

/// Whether the customer sees an event on their page. Internal events never leave the staff side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    Customer,
    Internal,
}

impl Visibility {
    pub fn as_str(&self) -> &'static str {
        match self {
            Visibility::Customer => "customer",
            Visibility::Internal => "internal",
        }
    }
}

/// One entry of a case's timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Event {
    pub case_id: CaseId,
    /// Position in the case's timeline, from 1; also the case's version after this event.
    pub seq: u32,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
    pub actor: Actor,
    pub visibility: Visibility,
    #[serde(flatten)]
    pub kind: EventKind,
}

/// What happened. Each variant keeps what a later reader needs, without looking anywhere else.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// The case arrived, with the customer's own words.
    Received {
        kind: CaseKind,
        channel: Channel,
        words: Text,
        desired_outcome: Option<Text>,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        needed_by: Option<Date>,
        subject: Subject,
        language: Option<Language>,
        /// The date the customer was told they would hear back by.
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        respond_by: Option<Date>,
        /// The files sent with the case (their bytes are stored apart). Absent when none, so
        /// events stored before attachments existed read the same.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<AttachmentInfo>,
    },
    /// The first answer: restates what the customer said, names who owns it and by when.
    Acknowledged {
        message: Text,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
        respond_by: Option<Date>,
    },
    StatusChanged {
        from: Status,
        to: Status,
        reason: Option<Text>,
    },
    MessageFromCustomer {
        body: Text,
        /// The Message-ID (without angle brackets) of the email it came in, so that our answer
        /// threads under it in the customer's mail program.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_id: Option<String>,
        /// The files that came with it (their bytes are stored apart). Absent when none, so
        /// events stored before replies had files read the same.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        attachments: Vec<AttachmentInfo>,
    },
    MessageToCustomer {
        body: Text,
    },
    NoteAdded {
        body: Text,
    },
    Assigned {
        owner: Option<StaffRef>,
        team: Option<Text>,
    },
    /// Ownership moved from one person to another, with what the next owner needs to know.
    Transferred {
        from: Option<StaffRef>,
        to: Option<StaffRef>,
        team: Option<Text>,
        handover_note: Text,
    },
    KindChanged {
        from: CaseKind,
        to: CaseKind,
    },
    OperationsViewRequested {
        view_id: ViewId,
        department: Text,
        question: Text,
    },
    OperationsViewGiven {
        view_id: ViewId,
        answer: Text,
    },
    CommitmentMade {
        commitment_id: CommitmentId,
        what: Text,
        how: Text,
        #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
        due: Date,
    },
    CommitmentKept {
        commitment_id: CommitmentId,
        note: Option<Text>,
    },
    CommitmentMissed {
        commitment_id: CommitmentId,
        note: Option<Text>,
    },
    /// A remedy: restitution (replacing what was lost) or a goodwill gesture, kept apart.
    RemedyOffered {
        remedy_id: RemedyId,
        remedy: RemedyKind,
        description: Text,
        amount: Option<Money>,
        status: RemedyStatus,
    },
    RemedyApproved {
        remedy_id: RemedyId,
        remedy: RemedyKind,
        description: Text,
        amount: Option<Money>,
        note: Option<Text>,
    },
    RemedyRefused {
        remedy_id: RemedyId,
        reason: Text,
    },
    ResolutionProposed {
        summary: Text,
    },
    ResolutionAccepted,
    /// The customer said no, and what would make it right instead.
    ResolutionRejected {
        what_would_make_it_right: Text,
    },
    FollowUpAnswered(FollowUp),
    RootCauseRecorded {
        root_cause: RootCauseCode,
        lesson: Option<Text>,
    },
    /// A supervisor was asked to step in. The case stays with its owner, who sees the request.
    EscalationRequested {
        reason: Text,
    },
    /// A supervisor's answer to the request: advice or a decision, routed back to the owner.
    EscalationAnswered {
        advice: Text,
    },
}

impl EventKind {
    /// Whether the customer sees this kind of event.
    pub fn visibility(&self) -> Visibility {
        use EventKind::*;
        match self {
            NoteAdded { .. }
            | Assigned { .. }
            | Transferred { .. }
            | KindChanged { .. }
            | OperationsViewRequested { .. }
            | OperationsViewGiven { .. }
            | RemedyRefused { .. }
            | RootCauseRecorded { .. }
            | EscalationRequested { .. }
            | EscalationAnswered { .. } => Visibility::Internal,
            RemedyOffered { status, .. } => match status {
                RemedyStatus::Granted => Visibility::Customer,
                _ => Visibility::Internal,
            },
            _ => Visibility::Customer,
        }
    }

    /// The event as its customer may see it: `None` for internal events, and customer-visible
    /// events without the fields only staff should read (approval and commitment notes).
    pub fn for_customer(&self) -> Option<EventKind> {
        if self.visibility() == Visibility::Internal {
            return None;
        }
        let mut kind = self.clone();
        match &mut kind {
            EventKind::RemedyApproved { note, .. }
            | EventKind::CommitmentKept { note, .. }
            | EventKind::CommitmentMissed { note, .. } => *note = None,
            _ => {}
        }
        Some(kind)
    }

    /// The event's name, as stored and as the API's `type` field writes it.
    pub fn name(&self) -> &'static str {
        use EventKind::*;
        match self {
            Received { .. } => "received",
            Acknowledged { .. } => "acknowledged",
            StatusChanged { .. } => "status_changed",
            MessageFromCustomer { .. } => "message_from_customer",
            MessageToCustomer { .. } => "message_to_customer",
            NoteAdded { .. } => "note_added",
            Assigned { .. } => "assigned",
            Transferred { .. } => "transferred",
            KindChanged { .. } => "kind_changed",
            OperationsViewRequested { .. } => "operations_view_requested",
            OperationsViewGiven { .. } => "operations_view_given",
            CommitmentMade { .. } => "commitment_made",
            CommitmentKept { .. } => "commitment_kept",
            CommitmentMissed { .. } => "commitment_missed",
            RemedyOffered { .. } => "remedy_offered",
            RemedyApproved { .. } => "remedy_approved",
            RemedyRefused { .. } => "remedy_refused",
            ResolutionProposed { .. } => "resolution_proposed",
            ResolutionAccepted => "resolution_accepted",
            ResolutionRejected { .. } => "resolution_rejected",
            FollowUpAnswered(_) => "follow_up_answered",
            RootCauseRecorded { .. } => "root_cause_recorded",
            EscalationRequested { .. } => "escalation_requested",
            EscalationAnswered { .. } => "escalation_answered",
        }
    }
}
