//! The rules of a case: given its state and an action, which events happen, or why not.
//! Who may take an action is the app's concern; whether the case allows it now is decided here.

use crate::action::{Action, RemedyAuthority};
use crate::case::{Case, CommitmentState, RemedyStatus};
use crate::event::{Actor, Event, EventKind};
use crate::ids::{CommitmentId, RemedyId, ViewId};
use crate::status::Status;
use crate::text::Text;
use crate::validation::Invalid;
use time::{Date, OffsetDateTime};

/// Why the case's state refuses an action, as a stable code each channel words for its reader
/// (the explanation in `CaseError::NotNow` is the English one, for the API and the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The status cannot move where the action leads.
    NoSuchMove,
    /// The case is finished: reopen it first.
    ReopenFirst,
    /// Only a new case is acknowledged.
    NotNew,
    /// The case is not waiting on the customer.
    NotAwaitingCustomer,
    /// No resolution has been proposed.
    NoProposal,
    /// The follow-up comes after resolution.
    NotResolved,
    /// The follow-up was already answered.
    FollowUpAnswered,
    /// A supervisor has already been asked to step in.
    AlreadyEscalated,
    /// Nobody has asked a supervisor to step in.
    NotEscalated,
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::NoSuchMove => "no_such_move",
            Refusal::ReopenFirst => "reopen_first",
            Refusal::NotNew => "not_new",
            Refusal::NotAwaitingCustomer => "not_awaiting_customer",
            Refusal::NoProposal => "no_proposal",
            Refusal::NotResolved => "not_resolved",
            Refusal::FollowUpAnswered => "follow_up_answered",
            Refusal::AlreadyEscalated => "already_escalated",
            Refusal::NotEscalated => "not_escalated",
        }
    }
}

/// Why an action was refused.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// The input itself is at fault (a field is missing or names nothing on this case).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The case's current state does not allow the action (e.g. an invalid status transition).
    #[error("cannot {action} while the case is {status}: {explanation}")]
    NotNow {
        action: &'static str,
        status: Status,
        refusal: Refusal,
        explanation: String,
    },
}

impl Case {
    /// Decides `action`, applies the resulting events and returns them, numbered from the case's
    /// current version. On error the case is unchanged.
    pub fn execute(
        &mut self,
        action: Action,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Vec<Event>, CaseError> {
        let kinds = self.decide(&action, now.date())?;
        let mut events = Vec::with_capacity(kinds.len());
        for kind in kinds {
            let event = Event {
                case_id: self.id,
                seq: self.version + 1,
                at: now,
                actor: actor.clone(),
                visibility: kind.visibility(),
                kind,
            };
            self.apply(&event);
            events.push(event);
        }
        Ok(events)
    }

    fn not_now(
        &self,
        action: &Action,
        refusal: Refusal,
        explanation: impl Into<String>,
    ) -> CaseError {
        CaseError::NotNow {
            action: action.describe(),
            status: self.status,
            refusal,
            explanation: explanation.into(),
        }
    }

    /// The status change to `to`, or an explanation of why the case cannot move there.
    fn move_to(
        &self,
        action: &Action,
        to: Status,
        reason: Option<Text>,
    ) -> Result<EventKind, CaseError> {
        if self.status.can_move_to(to) {
            Ok(EventKind::StatusChanged {
                from: self.status,
                to,
                reason,
            })
        } else {
            let allowed: Vec<&str> = self.status.next().iter().map(|s| s.as_str()).collect();
            Err(self.not_now(
                action,
                Refusal::NoSuchMove,
                format!(
                    "a {} case can only move to: {}",
                    self.status,
                    allowed.join(", ")
                ),
            ))
        }
    }

    fn require_not_finished(&self, action: &Action) -> Result<(), CaseError> {
        if self.status.is_finished() {
            Err(self.not_now(action, Refusal::ReopenFirst, "reopen the case first"))
        } else {
            Ok(())
        }
    }

    fn decide(&self, action: &Action, today: Date) -> Result<Vec<EventKind>, CaseError> {
        use Action::*;
        let mut events = Vec::new();
        match action {
            Acknowledge {
                message,
                respond_by,
            } => {
                if self.status != Status::New {
                    return Err(self.not_now(
                        action,
                        Refusal::NotNew,
                        "only a new case is acknowledged",
                    ));
                }
                if respond_by.is_some_and(|d| d < today) {
                    return Err(Invalid::field("respond_by", "must not be in the past").into());
                }
                events.push(EventKind::Acknowledged {
                    message: message.clone(),
                    respond_by: *respond_by,
                });
                events.push(self.move_to(action, Status::Acknowledged, None)?);
            }
            Investigate => events.push(self.move_to(action, Status::Investigating, None)?),
            MessageToCustomer {
                body,
                await_customer,
            } => {
                events.push(EventKind::MessageToCustomer { body: body.clone() });
                // The first answer to a new case is its acknowledgement.
                let mut status = self.status;
                if status == Status::New {
                    events.push(self.move_to(action, Status::Acknowledged, None)?);
                    status = Status::Acknowledged;
                }
                if *await_customer && status != Status::AwaitingCustomer {
                    if !status.can_move_to(Status::AwaitingCustomer) {
                        return Err(self.not_now(
                            action,
                            Refusal::NotAwaitingCustomer,
                            "the case is not waiting on the customer",
                        ));
                    }
                    events.push(EventKind::StatusChanged {
                        from: status,
                        to: Status::AwaitingCustomer,
                        reason: None,
                    });
                }
            }
            MessageFromCustomer {
                body,
                message_id,
                attachments,
            } => {
                events.push(EventKind::MessageFromCustomer {
                    body: body.clone(),
                    message_id: message_id.clone(),
                    attachments: attachments.clone(),
                });
                match self.status {
                    Status::AwaitingCustomer => {
                        events.push(self.move_to(action, Status::Investigating, None)?)
                    }
                    // A customer who writes again after we finished is not finished with us.
                    Status::Resolved | Status::Closed | Status::Declined | Status::Withdrawn => {
                        events.push(self.move_to(
                            action,
                            Status::Reopened,
                            Some(Text::trusted("the customer wrote again")),
                        )?)
                    }
                    _ => {}
                }
            }
            AddNote { body } => events.push(EventKind::NoteAdded { body: body.clone() }),
            Assign {
                owner,
                team,
                handover_note,
            } => {
                let same_owner = owner.as_ref().map(|o| o.id) == self.owner.as_ref().map(|o| o.id);
                let same_team = team.is_none() || *team == self.team;
                if same_owner && same_team {
                    return Err(Invalid::field("owner_id", "the case is already there").into());
                }
                // Taking over from someone (or from another team) is a transfer: the next owner
                // gets the story in a handover note, so the customer never has to repeat it.
                let moves_team = team.is_some() && self.team.is_some() && *team != self.team;
                if self.owner.is_some() || moves_team {
                    let Some(note) = handover_note else {
                        return Err(Invalid::field(
                            "handover_note",
                            "say what the next owner needs to know, so the customer never has to repeat it",
                        )
                        .into());
                    };
                    events.push(EventKind::Transferred {
                        from: self.owner.clone(),
                        to: owner.clone(),
                        team: team.clone(),
                        handover_note: note.clone(),
                    });
                } else {
                    events.push(EventKind::Assigned {
                        owner: owner.clone(),
                        team: team.clone(),
                    });
                    if let Some(note) = handover_note {
                        events.push(EventKind::NoteAdded { body: note.clone() });
                    }
                }
            }
            ChangeKind { to } => {
                if *to == self.kind {
                    return Err(
                        Invalid::field("kind", format!("the case is already a {to}")).into(),
                    );
                }
                events.push(EventKind::KindChanged {
                    from: self.kind,
                    to: *to,
                });
            }
            RequestOperationsView {
                department,
                question,
            } => {
                self.require_not_finished(action)?;
                events.push(EventKind::OperationsViewRequested {
                    view_id: ViewId::new(),
                    department: department.clone(),
                    question: question.clone(),
                });
                if self.status != Status::AwaitingOperations
                    && self.status.can_move_to(Status::AwaitingOperations)
                {
                    events.push(self.move_to(action, Status::AwaitingOperations, None)?);
                }
            }
            GiveOperationsView { view_id, answer } => {
                let Some(view) = self.operations_views.iter().find(|v| v.id == *view_id) else {
                    return Err(Invalid::field("view_id", "no such request on this case").into());
                };
                if view.answer.is_some() {
                    return Err(Invalid::field("view_id", "operations already answered").into());
                }
                events.push(EventKind::OperationsViewGiven {
                    view_id: *view_id,
                    answer: answer.clone(),
                });
                let others_pending = self.pending_views().any(|v| v.id != *view_id);
                if self.status == Status::AwaitingOperations && !others_pending {
                    events.push(self.move_to(action, Status::Investigating, None)?);
                }
            }
            MakeCommitment { what, how, due } => {
                self.require_not_finished(action)?;
                if *due < today {
                    return Err(Invalid::field("due", "must not be in the past").into());
                }
                events.push(EventKind::CommitmentMade {
                    commitment_id: CommitmentId::new(),
                    what: what.clone(),
                    how: how.clone(),
                    due: *due,
                });
            }
            KeepCommitment {
                commitment_id,
                note,
            }
            | MissCommitment {
                commitment_id,
                note,
            } => {
                let Some(c) = self.commitments.iter().find(|c| c.id == *commitment_id) else {
                    return Err(
                        Invalid::field("commitment_id", "no such commitment on this case").into(),
                    );
                };
                if c.state != CommitmentState::Open {
                    return Err(Invalid::field(
                        "commitment_id",
                        format!("the commitment is already {}", c.state),
                    )
                    .into());
                }
                events.push(if matches!(action, KeepCommitment { .. }) {
                    EventKind::CommitmentKept {
                        commitment_id: *commitment_id,
                        note: note.clone(),
                    }
                } else {
                    EventKind::CommitmentMissed {
                        commitment_id: *commitment_id,
                        note: note.clone(),
                    }
                });
            }
            OfferRemedy {
                kind,
                description,
                amount,
                authority,
            } => {
                self.require_not_finished(action)?;
                let needs_approval = match (amount, authority) {
                    (None, _) | (_, RemedyAuthority::Unlimited) => false,
                    (Some(_), RemedyAuthority::UpTo(None)) => true,
                    (Some(a), RemedyAuthority::UpTo(Some(limit))) => a.exceeds(limit),
                };
                events.push(EventKind::RemedyOffered {
                    remedy_id: RemedyId::new(),
                    remedy: *kind,
                    description: description.clone(),
                    amount: amount.clone(),
                    status: if needs_approval {
                        RemedyStatus::PendingApproval
                    } else {
                        RemedyStatus::Granted
                    },
                });
            }
            ApproveRemedy { remedy_id, note } => {
                let remedy = self.pending_remedy(*remedy_id)?;
                events.push(EventKind::RemedyApproved {
                    remedy_id: *remedy_id,
                    remedy: remedy.kind,
                    description: remedy.description.clone(),
                    amount: remedy.amount.clone(),
                    note: note.clone(),
                });
            }
            RefuseRemedy { remedy_id, reason } => {
                self.pending_remedy(*remedy_id)?;
                events.push(EventKind::RemedyRefused {
                    remedy_id: *remedy_id,
                    reason: reason.clone(),
                });
            }
            ProposeResolution { summary } => {
                let status = self.move_to(action, Status::ResolutionProposed, None)?;
                events.push(EventKind::ResolutionProposed {
                    summary: summary.clone(),
                });
                events.push(status);
            }
            AcceptResolution => {
                let status = self.move_to(action, Status::Resolved, None)?;
                events.push(EventKind::ResolutionAccepted);
                events.push(status);
            }
            RejectResolution {
                what_would_make_it_right,
            } => {
                if self.status != Status::ResolutionProposed {
                    return Err(self.not_now(
                        action,
                        Refusal::NoProposal,
                        "no resolution has been proposed",
                    ));
                }
                events.push(EventKind::ResolutionRejected {
                    what_would_make_it_right: what_would_make_it_right.clone(),
                });
                events.push(self.move_to(
                    action,
                    Status::Reopened,
                    Some(Text::trusted(
                        "the customer rejected the proposed resolution",
                    )),
                )?);
            }
            AnswerFollowUp(answer) => {
                if !matches!(self.status, Status::Resolved | Status::Closed) {
                    return Err(self.not_now(
                        action,
                        Refusal::NotResolved,
                        "the follow-up comes after resolution",
                    ));
                }
                if self.follow_up.is_some() {
                    return Err(self.not_now(
                        action,
                        Refusal::FollowUpAnswered,
                        "the follow-up was already answered",
                    ));
                }
                events.push(EventKind::FollowUpAnswered(answer.clone()));
                if !answer.all_yes() {
                    events.push(self.move_to(
                        action,
                        Status::Reopened,
                        Some(Text::trusted(
                            "the customer said not everything went as expected",
                        )),
                    )?);
                }
            }
            Close { root_cause, lesson } => {
                let status = self.move_to(action, Status::Closed, None)?;
                events.push(EventKind::RootCauseRecorded {
                    root_cause: root_cause.clone(),
                    lesson: lesson.clone(),
                });
                events.push(status);
            }
            Reopen { reason } => {
                events.push(self.move_to(action, Status::Reopened, Some(reason.clone()))?)
            }
            Decline { reason } => {
                events.push(self.move_to(action, Status::Declined, Some(reason.clone()))?)
            }
            Withdraw { reason } => {
                events.push(self.move_to(action, Status::Withdrawn, reason.clone())?)
            }
            RequestEscalation { reason } => {
                self.require_not_finished(action)?;
                if self.escalation.is_some() {
                    return Err(self.not_now(
                        action,
                        Refusal::AlreadyEscalated,
                        "a supervisor has already been asked",
                    ));
                }
                events.push(EventKind::EscalationRequested {
                    reason: reason.clone(),
                });
            }
            AnswerEscalation { advice } => {
                if self.escalation.is_none() {
                    return Err(self.not_now(
                        action,
                        Refusal::NotEscalated,
                        "nobody has asked a supervisor to step in",
                    ));
                }
                events.push(EventKind::EscalationAnswered {
                    advice: advice.clone(),
                });
            }
        }
        Ok(events)
    }

    fn pending_remedy(&self, id: RemedyId) -> Result<&crate::case::Remedy, CaseError> {
        let Some(r) = self.remedies.iter().find(|r| r.id == id) else {
            return Err(Invalid::field("remedy_id", "no such remedy on this case").into());
        };
        if r.status != RemedyStatus::PendingApproval {
            return Err(Invalid::field(
                "remedy_id",
                format!("the remedy is {}, not awaiting approval", r.status),
            )
            .into());
        }
        Ok(r)
    }
}
