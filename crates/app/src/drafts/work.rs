//! Drafts of the work staff do on a case: answering, assigning, asking operations,
//! committing, offering remedies, and the reasons for refusals and status moves.

use super::{date, finish, id, optional, required};
use redress_domain::{
    Action, CaseKind, CommitmentId, Invalid, Money, RemedyId, RemedyKind, Text, ViewId,
};
use serde::Deserialize;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The first personal answer: restate what the customer said, say who owns it and by when.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeDraft {
    pub message: Option<String>,
    /// YYYY-MM-DD: when the customer will hear back.
    pub respond_by: Option<String>,
}

impl AcknowledgeDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let message = required(&mut errors, "message", &self.message, Text::LONG);
        let respond_by = match &self.respond_by {
            Some(d) if !d.trim().is_empty() => date(&mut errors, "respond_by", d).map(Some),
            _ => Some(None),
        };
        finish!(errors, message, respond_by => Action::Acknowledge { message, respond_by })
    }
}

/// A message written to the customer (by staff) or received from them.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MessageDraft {
    pub body: Option<String>,
    /// For staff messages: the message asks the customer something, so the case waits for them.
    #[serde(default)]
    pub await_customer: bool,
}

impl MessageDraft {
    pub fn to_customer(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let body = required(&mut errors, "body", &self.body, Text::LONG);
        let await_customer = self.await_customer;
        finish!(errors, body => Action::MessageToCustomer { body, await_customer })
    }

    pub fn from_customer(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        if self.await_customer {
            errors.add(
                "await_customer",
                "only staff messages wait for the customer",
            );
        }
        let body = required(&mut errors, "body", &self.body, Text::LONG);
        finish!(errors, body => Action::MessageFromCustomer {
            body,
            message_id: None,
            attachments: Vec::new(),
        })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NoteDraft {
    pub body: Option<String>,
}

impl NoteDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let body = required(&mut errors, "body", &self.body, Text::LONG);
        finish!(errors, body => Action::AddNote { body })
    }
}

/// Give the case an owner and/or a team. Taking it from someone needs a handover note.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AssignDraft {
    /// The staff member who will own the case.
    pub owner_id: Option<String>,
    pub team: Option<String>,
    /// What the next owner needs to know, so the customer never has to repeat it.
    pub handover_note: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct KindDraft {
    /// complaint, inquiry, compliment or suggestion.
    pub kind: Option<String>,
}

impl KindDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let to = match self.kind.as_deref().map(CaseKind::parse) {
            Some(Some(k)) => Some(k),
            _ => {
                errors.add("kind", format!("must be one of: {}", CaseKind::choices()));
                None
            }
        };
        finish!(errors, to => Action::ChangeKind { to })
    }
}

/// Ask another department for their view.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OperationsQuestionDraft {
    pub department: Option<String>,
    pub question: Option<String>,
}

impl OperationsQuestionDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let department = required(&mut errors, "department", &self.department, Text::SHORT);
        let question = required(&mut errors, "question", &self.question, Text::LONG);
        finish!(errors, department, question => Action::RequestOperationsView { department, question })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OperationsAnswerDraft {
    pub answer: Option<String>,
}

impl OperationsAnswerDraft {
    pub fn parse(&self, view_id: &str) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let view_id: Option<ViewId> = id(&mut errors, "view_id", view_id);
        let answer = required(&mut errors, "answer", &self.answer, Text::LONG);
        finish!(errors, view_id, answer => Action::GiveOperationsView { view_id, answer })
    }
}

/// A promise to the customer: what, how and by when.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitmentDraft {
    pub what: Option<String>,
    pub how: Option<String>,
    /// YYYY-MM-DD.
    pub due: Option<String>,
}

impl CommitmentDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let what = required(&mut errors, "what", &self.what, Text::LONG);
        let how = required(&mut errors, "how", &self.how, Text::LONG);
        let due = match &self.due {
            Some(d) => date(&mut errors, "due", d),
            None => {
                errors.add("due", "is required");
                None
            }
        };
        finish!(errors, what, how, due => Action::MakeCommitment { what, how, due })
    }
}

/// Whether a commitment was kept or missed, with an optional note.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CommitmentOutcomeDraft {
    pub note: Option<String>,
}

impl CommitmentOutcomeDraft {
    pub fn parse(&self, commitment_id: &str, kept: bool) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let commitment_id: Option<CommitmentId> = id(&mut errors, "commitment_id", commitment_id);
        let note = Some(optional(&mut errors, "note", &self.note, Text::LONG));
        finish!(errors, commitment_id, note => if kept {
            Action::KeepCommitment { commitment_id, note }
        } else {
            Action::MissCommitment { commitment_id, note }
        })
    }
}

/// A remedy: restitution (replacing what was lost) or goodwill (a gesture beyond that).
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemedyDraft {
    /// restitution or goodwill.
    pub kind: Option<String>,
    pub description: Option<String>,
    /// Where money is involved: a decimal amount such as "40.00".
    pub amount: Option<String>,
    /// ISO 4217 code, required with an amount.
    pub currency: Option<String>,
}

impl RemedyDraft {
    /// The remedy's parts; the authority to grant it is added by the app.
    pub fn parse(&self) -> Result<(RemedyKind, Text, Option<Money>), Invalid> {
        let mut errors = Invalid::default();
        let kind = match self.kind.as_deref().map(RemedyKind::parse) {
            Some(Some(k)) => Some(k),
            _ => {
                errors.add("kind", format!("must be one of: {}", RemedyKind::choices()));
                None
            }
        };
        let description = required(&mut errors, "description", &self.description, Text::LONG);
        let amount = match (self.amount.as_deref(), self.currency.as_deref()) {
            (None | Some(""), None | Some("")) => Some(None),
            (Some(a), Some(c)) if !a.is_empty() => match Money::parse(a, c) {
                Ok(m) => Some(Some(m)),
                Err((field, msg)) => {
                    errors.add(field, msg);
                    None
                }
            },
            (Some(a), _) if !a.is_empty() => {
                errors.add("currency", "is required with an amount");
                None
            }
            _ => {
                errors.add("amount", "is required with a currency");
                None
            }
        };
        finish!(errors, kind, description, amount => (kind, description, amount))
    }
}

/// A supervisor's decision on a remedy awaiting approval.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ApprovalDraft {
    pub note: Option<String>,
}

impl ApprovalDraft {
    pub fn parse(&self, remedy_id: &str) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let remedy_id: Option<RemedyId> = id(&mut errors, "remedy_id", remedy_id);
        let note = Some(optional(&mut errors, "note", &self.note, Text::LONG));
        finish!(errors, remedy_id, note => Action::ApproveRemedy { remedy_id, note })
    }
}

/// A reason: for refusing a remedy, reopening, declining or withdrawing.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonDraft {
    pub reason: Option<String>,
}

impl ReasonDraft {
    pub fn refuse_remedy(&self, remedy_id: &str) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let remedy_id: Option<RemedyId> = id(&mut errors, "remedy_id", remedy_id);
        let reason = required(&mut errors, "reason", &self.reason, Text::LONG);
        finish!(errors, remedy_id, reason => Action::RefuseRemedy { remedy_id, reason })
    }

    pub fn reopen(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let reason = required(&mut errors, "reason", &self.reason, Text::LONG);
        finish!(errors, reason => Action::Reopen { reason })
    }

    /// Declining: the service asked for is not one we provide, and the customer is told why.
    pub fn decline(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let reason = required(&mut errors, "reason", &self.reason, Text::LONG);
        finish!(errors, reason => Action::Decline { reason })
    }

    /// Asking a supervisor to step in; the case stays with its owner.
    pub fn escalate(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let reason = required(&mut errors, "reason", &self.reason, Text::LONG);
        finish!(errors, reason => Action::RequestEscalation { reason })
    }

    pub fn withdraw(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let reason = Some(optional(&mut errors, "reason", &self.reason, Text::LONG));
        finish!(errors, reason => Action::Withdraw { reason })
    }
}

/// A supervisor's answer to a request to step in: advice or a decision for the owner.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AdviceDraft {
    pub advice: Option<String>,
}

impl AdviceDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let advice = required(&mut errors, "advice", &self.advice, Text::LONG);
        finish!(errors, advice => Action::AnswerEscalation { advice })
    }
}
