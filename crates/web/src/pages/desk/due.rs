//! What is due next on a case, each item with what can be done about it where it is shown: open
//! promises (kept or missed), questions to operations (their answer), remedies waiting for a
//! supervisor (approve or refuse), a supervisor asked to step in (their answer), and why the
//! case waits for its owner. Nothing depends on someone remembering.

use super::story::when;
use crate::pages::timeline::remedy_words;
use redress_catalogue::Messages;
use redress_domain::{Actor, Case, RemedyStatus};
use time::{Date, Duration};

/// How many days ahead a promise counts as near.
pub(crate) const REMINDER_DAYS: i64 = 2;

pub(crate) struct OpenCommitment {
    pub id: String,
    pub text: String,
    /// Past its date, or due within `REMINDER_DAYS`.
    pub urgent: bool,
    pub late: bool,
}

pub(crate) struct PendingView {
    pub id: String,
    pub department: String,
    pub question: String,
}

pub(crate) struct RemedyLine {
    pub id: String,
    pub kind: String,
    pub words: String,
    pub status: String,
    pub pending: bool,
    pub offered_by: Option<String>,
}

pub(crate) struct EscalationLine {
    pub reason: String,
    pub asked: String,
}

/// Everything due next on one case.
pub(crate) struct Due {
    pub commitments: Vec<OpenCommitment>,
    pub views: Vec<PendingView>,
    pub remedies: Vec<RemedyLine>,
    pub escalation: Option<EscalationLine>,
    /// Why the case waits for its owner, in words.
    pub attention: Vec<String>,
}

impl Due {
    pub(crate) fn of(t: &Messages, case: &Case, today: Date) -> Due {
        let soon = today + Duration::days(REMINDER_DAYS);
        Due {
            commitments: case
                .open_commitments()
                .map(|c| OpenCommitment {
                    id: c.id.to_string(),
                    text: t.format(
                        "desk-due-commitment",
                        &[
                            ("what", c.what.as_str().into()),
                            ("date", t.date(c.due).into()),
                            ("how", c.how.as_str().into()),
                        ],
                    ),
                    urgent: c.due <= soon,
                    late: c.due < today,
                })
                .collect(),
            views: case
                .pending_views()
                .map(|v| PendingView {
                    id: v.id.to_string(),
                    department: v.department.as_str().to_owned(),
                    question: v.question.as_str().to_owned(),
                })
                .collect(),
            remedies: case
                .remedies
                .iter()
                .map(|r| RemedyLine {
                    id: r.id.to_string(),
                    kind: t.get(&format!("desk-remedy-kind-{}", r.kind)),
                    words: remedy_words(&r.description, r.amount.as_ref()),
                    status: t.get(&format!("desk-remedy-{}", r.status)),
                    pending: r.status == RemedyStatus::PendingApproval,
                    offered_by: r.offered_by.as_ref().map(|s| s.name.clone()),
                })
                .collect(),
            escalation: case.escalation.as_ref().map(|e| EscalationLine {
                reason: e.reason.as_str().to_owned(),
                asked: t.format(
                    "desk-escalation-asked",
                    &[
                        (
                            "who",
                            match &e.requested_by {
                                Actor::Staff(s) => s.name.clone(),
                                Actor::Customer => t.get("desk-actor-customer"),
                                Actor::System => t.get("desk-actor-system"),
                            }
                            .into(),
                        ),
                        ("when", when(t, e.at).into()),
                    ],
                ),
            }),
            attention: case
                .awaiting_owner
                .iter()
                .map(|a| t.get(&format!("desk-attention-{a}")))
                .collect(),
        }
    }

    pub(crate) fn pending_approvals(&self) -> bool {
        self.remedies.iter().any(|r| r.pending)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.commitments.is_empty()
            && self.views.is_empty()
            && !self.pending_approvals()
            && self.escalation.is_none()
            && self.attention.is_empty()
    }
}
