//! The case aggregate: its current state, always the fold of its timeline.

use crate::action::FollowUp;
use crate::event::{Event, EventKind, StaffRef};
use crate::ids::{CaseId, CommitmentId, CustomerId, RemedyId, ViewId};
use crate::intake::Intake;
use crate::kinds::{CaseKind, Channel, string_enum};
use crate::money::Money;
use crate::root_cause::RootCauseCode;
use crate::secret::CaseRef;
use crate::status::Status;
use crate::text::{Language, Text};
use crate::{Actor, Visibility};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// What the case concerns, in the organisation's own terms.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Subject {
    pub product: Option<Text>,
    pub service: Option<Text>,
    pub location: Option<Text>,
}

string_enum!(
    /// Whether a commitment is still owed.
    CommitmentState {
        Open => "open",
        Kept => "kept",
        Missed => "missed",
    }
);

/// A promise made to the customer: what, how and by when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Commitment {
    pub id: CommitmentId,
    pub what: Text,
    pub how: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub due: Date,
    pub state: CommitmentState,
}

string_enum!(
    /// Restitution replaces what was lost; goodwill is a gesture beyond that. Kept apart on purpose.
    RemedyKind {
        Restitution => "restitution",
        Goodwill => "goodwill",
    }
);

string_enum!(
    /// Whether a remedy stands. Above the offerer's authority it waits for a supervisor.
    RemedyStatus {
        Granted => "granted",
        PendingApproval => "pending_approval",
        Refused => "refused",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Remedy {
    pub id: RemedyId,
    pub kind: RemedyKind,
    pub description: Text,
    pub amount: Option<Money>,
    pub status: RemedyStatus,
    pub offered_by: Option<StaffRef>,
}

/// A question put to operations (another department) and their answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OperationsView {
    pub id: ViewId,
    pub department: Text,
    pub question: Text,
    pub answer: Option<Text>,
}

string_enum!(
    /// Why a case waits for its owner: something happened since they last acted on it.
    Attention {
        CustomerWrote => "customer_wrote",
        OperationsAnswered => "operations_answered",
        RemedyDecided => "remedy_decided",
        ResolutionRejected => "resolution_rejected",
        FollowUpUnhappy => "follow_up_unhappy",
        SupervisorAsked => "supervisor_asked",
        SupervisorAnswered => "supervisor_answered",
    }
);

/// An open request for a supervisor to step in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Escalation {
    pub reason: Text,
    pub requested_by: Actor,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub at: OffsetDateTime,
}

/// A case's current state. Never edited directly: it changes only by applying events.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: CaseId,
    pub reference: CaseRef,
    pub customer_id: CustomerId,
    pub kind: CaseKind,
    pub channel: Channel,
    pub status: Status,
    /// The customer's own words, exactly as written.
    pub words: Text,
    /// What the customer said would make it right.
    pub desired_outcome: Option<Text>,
    /// The date the customer needs this resolved by: the customer's yardstick.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub needed_by: Option<Date>,
    pub subject: Subject,
    pub language: Option<Language>,
    pub owner: Option<StaffRef>,
    pub team: Option<Text>,
    /// The date we told the customer they would hear back by.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub respond_by: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub resolved_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = DateTime))]
    pub closed_at: Option<OffsetDateTime>,
    pub proposed_resolution: Option<Text>,
    pub commitments: Vec<Commitment>,
    pub remedies: Vec<Remedy>,
    pub operations_views: Vec<OperationsView>,
    pub root_cause: Option<RootCauseCode>,
    pub lesson: Option<Text>,
    pub follow_up: Option<FollowUp>,
    pub reopened_count: u32,
    /// What happened since the owner last acted that they have not answered (oldest first).
    #[serde(default)]
    pub awaiting_owner: Vec<Attention>,
    /// A supervisor has been asked to step in and has not answered yet.
    #[serde(default)]
    pub escalation: Option<Escalation>,
    /// The number of events on the timeline; guards against two writers changing one case.
    pub version: u32,
}

impl Case {
    /// A new case from an accepted intake, with its first event.
    pub fn receive(
        intake: &Intake,
        id: CaseId,
        reference: CaseRef,
        customer_id: CustomerId,
        actor: Actor,
        now: OffsetDateTime,
    ) -> (Case, Event) {
        let event = Event {
            case_id: id,
            seq: 1,
            at: now,
            actor,
            visibility: Visibility::Customer,
            kind: EventKind::Received {
                kind: intake.kind,
                channel: intake.channel,
                words: intake.words.clone(),
                desired_outcome: intake.desired_outcome.clone(),
                needed_by: intake.needed_by,
                subject: intake.subject.clone(),
                language: intake.customer.language.clone(),
                respond_by: intake.respond_by,
                attachments: intake.attachments.iter().map(|a| a.info.clone()).collect(),
            },
        };
        let case = Case {
            id,
            reference,
            customer_id,
            kind: intake.kind,
            channel: intake.channel,
            status: Status::New,
            words: intake.words.clone(),
            desired_outcome: intake.desired_outcome.clone(),
            needed_by: intake.needed_by,
            subject: intake.subject.clone(),
            language: intake.customer.language.clone(),
            owner: None,
            team: None,
            respond_by: intake.respond_by,
            created_at: now,
            updated_at: now,
            resolved_at: None,
            closed_at: None,
            proposed_resolution: None,
            commitments: Vec::new(),
            remedies: Vec::new(),
            operations_views: Vec::new(),
            root_cause: None,
            lesson: None,
            follow_up: None,
            reopened_count: 0,
            awaiting_owner: Vec::new(),
            escalation: None,
            version: 1,
        };
        (case, event)
    }

    /// Rebuilds a case from its whole timeline (the first event must be `Received`).
    pub fn replay(reference: CaseRef, customer_id: CustomerId, events: &[Event]) -> Option<Case> {
        let first = events.first()?;
        let EventKind::Received {
            kind,
            channel,
            words,
            desired_outcome,
            needed_by,
            subject,
            language,
            respond_by,
            attachments: _,
        } = &first.kind
        else {
            return None;
        };
        let intake = Intake {
            kind: *kind,
            channel: *channel,
            words: words.clone(),
            desired_outcome: desired_outcome.clone(),
            needed_by: *needed_by,
            subject: subject.clone(),
            customer: crate::NewCustomer {
                language: language.clone(),
                ..crate::NewCustomer::default()
            },
            respond_by: *respond_by,
            // The state does not hold attachments: the Received event does.
            attachments: Vec::new(),
        };
        let (mut case, _) = Case::receive(
            &intake,
            first.case_id,
            reference,
            customer_id,
            first.actor.clone(),
            first.at,
        );
        for e in &events[1..] {
            case.apply(e);
        }
        Some(case)
    }

    /// Past the date the customer needs it by, and still not put right.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.needed_by.is_some_and(|d| d < today)
    }

    /// The date it should be put right by: the customer's own date, else the day the service
    /// standard (`standard_days` after it arrived) runs out.
    pub fn due_by(&self, standard_days: u32) -> Date {
        self.needed_by.unwrap_or_else(|| {
            self.created_at.date() + time::Duration::days(i64::from(standard_days))
        })
    }

    /// `is_overdue`, with the service standard standing in where the customer gave no date.
    pub fn is_overdue_against(&self, today: Date, standard_days: u32) -> bool {
        self.status.is_open() && self.due_by(standard_days) < today
    }

    pub fn pending_views(&self) -> impl Iterator<Item = &OperationsView> {
        self.operations_views.iter().filter(|v| v.answer.is_none())
    }

    pub fn open_commitments(&self) -> impl Iterator<Item = &Commitment> {
        self.commitments
            .iter()
            .filter(|c| c.state == CommitmentState::Open)
    }

    /// The earliest date an open commitment is due, for reminders.
    pub fn next_commitment_due(&self) -> Option<Date> {
        self.open_commitments().map(|c| c.due).min()
    }

    pub fn pending_approvals(&self) -> impl Iterator<Item = &Remedy> {
        self.remedies
            .iter()
            .filter(|r| r.status == RemedyStatus::PendingApproval)
    }

    /// Folds one event into the state. Events were validated when decided, so this never fails;
    /// an event naming something unknown (which `decide` never produces) changes nothing.
    pub fn apply(&mut self, event: &Event) {
        use EventKind::*;
        self.version = event.seq;
        self.updated_at = event.at;
        self.note_attention(event);
        match &event.kind {
            Received { .. } => {}
            Acknowledged { respond_by, .. } => self.respond_by = *respond_by,
            StatusChanged { to, .. } => {
                self.status = *to;
                match to {
                    Status::Resolved => self.resolved_at = Some(event.at),
                    Status::Closed => self.closed_at = Some(event.at),
                    Status::Reopened => {
                        self.reopened_count += 1;
                        self.resolved_at = None;
                        self.closed_at = None;
                        self.proposed_resolution = None;
                        self.follow_up = None;
                        self.root_cause = None;
                        self.lesson = None;
                    }
                    _ => {}
                }
            }
            MessageFromCustomer { .. } | MessageToCustomer { .. } | NoteAdded { .. } => {}
            Assigned { owner, team } => {
                self.owner = owner.clone();
                if team.is_some() {
                    self.team = team.clone();
                }
            }
            Transferred { to, team, .. } => {
                self.owner = to.clone();
                if team.is_some() {
                    self.team = team.clone();
                }
            }
            KindChanged { to, .. } => self.kind = *to,
            OperationsViewRequested {
                view_id,
                department,
                question,
            } => self.operations_views.push(OperationsView {
                id: *view_id,
                department: department.clone(),
                question: question.clone(),
                answer: None,
            }),
            OperationsViewGiven { view_id, answer } => {
                if let Some(v) = self.operations_views.iter_mut().find(|v| v.id == *view_id) {
                    v.answer = Some(answer.clone());
                }
            }
            CommitmentMade {
                commitment_id,
                what,
                how,
                due,
            } => self.commitments.push(Commitment {
                id: *commitment_id,
                what: what.clone(),
                how: how.clone(),
                due: *due,
                state: CommitmentState::Open,
            }),
            CommitmentKept { commitment_id, .. } => {
                self.set_commitment(*commitment_id, CommitmentState::Kept)
            }
            CommitmentMissed { commitment_id, .. } => {
                self.set_commitment(*commitment_id, CommitmentState::Missed)
            }
            RemedyOffered {
                remedy_id,
                remedy,
                description,
                amount,
                status,
            } => self.remedies.push(Remedy {
                id: *remedy_id,
                kind: *remedy,
                description: description.clone(),
                amount: amount.clone(),
                status: *status,
                offered_by: match &event.actor {
                    Actor::Staff(s) => Some(s.clone()),
                    _ => None,
                },
            }),
            RemedyApproved { remedy_id, .. } => self.set_remedy(*remedy_id, RemedyStatus::Granted),
            RemedyRefused { remedy_id, .. } => self.set_remedy(*remedy_id, RemedyStatus::Refused),
            ResolutionProposed { summary } => self.proposed_resolution = Some(summary.clone()),
            ResolutionAccepted => {}
            ResolutionRejected { .. } => {}
            FollowUpAnswered(answer) => self.follow_up = Some(answer.clone()),
            RootCauseRecorded { root_cause, lesson } => {
                self.root_cause = Some(root_cause.clone());
                self.lesson = lesson.clone();
            }
            EscalationRequested { reason } => {
                self.escalation = Some(Escalation {
                    reason: reason.clone(),
                    requested_by: event.actor.clone(),
                    at: event.at,
                })
            }
            EscalationAnswered { .. } => self.escalation = None,
        }
    }

    /// Keeps `awaiting_owner`: whatever the owner does answers what was waiting for them (handing
    /// the case over does not: the next owner still has it to answer); what others do that the
    /// owner must answer is added. Nobody has to remember to look.
    fn note_attention(&mut self, event: &Event) {
        use EventKind::*;
        let by_owner = match (&event.actor, &self.owner) {
            (Actor::Staff(s), Some(o)) => s.id == o.id,
            _ => false,
        };
        if by_owner {
            if !matches!(event.kind, Assigned { .. } | Transferred { .. }) {
                self.awaiting_owner.clear();
            }
            return;
        }
        let attention = match &event.kind {
            MessageFromCustomer { .. } => Attention::CustomerWrote,
            OperationsViewGiven { .. } => Attention::OperationsAnswered,
            RemedyApproved { .. } | RemedyRefused { .. } => Attention::RemedyDecided,
            ResolutionRejected { .. } => Attention::ResolutionRejected,
            FollowUpAnswered(answer) if !answer.all_yes() => Attention::FollowUpUnhappy,
            EscalationRequested { .. } => Attention::SupervisorAsked,
            EscalationAnswered { .. } => Attention::SupervisorAnswered,
            _ => return,
        };
        if !self.awaiting_owner.contains(&attention) {
            self.awaiting_owner.push(attention);
        }
    }

    fn set_commitment(&mut self, id: CommitmentId, state: CommitmentState) {
        if let Some(c) = self.commitments.iter_mut().find(|c| c.id == id) {
            c.state = state;
        }
    }

    fn set_remedy(&mut self, id: RemedyId, status: RemedyStatus) {
        if let Some(r) = self.remedies.iter_mut().find(|r| r.id == id) {
            r.status = status;
        }
    }
}
