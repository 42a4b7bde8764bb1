//! The forms on a staff member's case page: what each one sends, and the use case it runs.
//! Field names are unique across the page (several forms ask for "a reason"), so a form that
//! comes back shows each problem beside the right box.

use redress_app::{
    AdviceDraft, App, AppError, ApprovalDraft, AssignDraft, CloseDraft, CommitmentDraft,
    CommitmentOutcomeDraft, CustomerProfileDraft, ImportantDateDraft, KindDraft, MessageDraft,
    NoteDraft, OperationsAnswerDraft, OperationsQuestionDraft, ReasonDraft, RemedyDraft,
    ResolutionDraft,
};
use redress_domain::{Case, Invalid, Staff};

/// Which form on the case page was sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CaseForm {
    PickUp,
    Reply,
    Note,
    Assign,
    AskOperations,
    RecordAnswer,
    Commit,
    Kept,
    Missed,
    Remedy,
    Approve,
    Refuse,
    Escalate,
    Advise,
    Propose,
    Decline,
    Close,
    Reopen,
    /// What we know of the customer (not an action on the case, but made from its page).
    Customer,
    /// What kind of case this is (a complaint, a question…), e.g. when detected wrongly.
    Kind,
}

impl CaseForm {
    pub(crate) const ALL: &'static [CaseForm] = &[
        CaseForm::PickUp,
        CaseForm::Reply,
        CaseForm::Note,
        CaseForm::Assign,
        CaseForm::AskOperations,
        CaseForm::RecordAnswer,
        CaseForm::Commit,
        CaseForm::Kept,
        CaseForm::Missed,
        CaseForm::Remedy,
        CaseForm::Approve,
        CaseForm::Refuse,
        CaseForm::Escalate,
        CaseForm::Advise,
        CaseForm::Propose,
        CaseForm::Decline,
        CaseForm::Close,
        CaseForm::Reopen,
        CaseForm::Customer,
        CaseForm::Kind,
    ];

    /// The last part of the form's address, and the key of its confirmation.
    pub(crate) fn name(self) -> &'static str {
        match self {
            CaseForm::PickUp => "pick-up",
            CaseForm::Reply => "reply",
            CaseForm::Note => "note",
            CaseForm::Assign => "assign",
            CaseForm::AskOperations => "ask-operations",
            CaseForm::RecordAnswer => "record-answer",
            CaseForm::Commit => "commit",
            CaseForm::Kept => "kept",
            CaseForm::Missed => "missed",
            CaseForm::Remedy => "remedy",
            CaseForm::Approve => "approve",
            CaseForm::Refuse => "refuse",
            CaseForm::Escalate => "escalate",
            CaseForm::Advise => "advise",
            CaseForm::Propose => "propose",
            CaseForm::Decline => "decline",
            CaseForm::Close => "close",
            CaseForm::Reopen => "reopen",
            CaseForm::Customer => "customer",
            CaseForm::Kind => "kind",
        }
    }

    pub(crate) fn named(name: &str) -> Option<CaseForm> {
        Self::ALL.iter().copied().find(|f| f.name() == name)
    }

    /// The page's name for a field the use case names.
    fn page_field(self, field: &str) -> String {
        let renamed = match (self, field) {
            (CaseForm::Note, "body") => "note",
            (CaseForm::Kept | CaseForm::Missed, "note") => "outcome_note",
            (CaseForm::Approve, "note") => "approval_note",
            (CaseForm::Refuse, "reason") => "refuse_reason",
            (CaseForm::Escalate, "reason") => "escalation_reason",
            (CaseForm::Decline, "reason") => "decline_reason",
            (CaseForm::Reopen, "reason") => "reopen_reason",
            (CaseForm::Remedy, "kind") => "remedy_kind",
            (CaseForm::Remedy, f) if f.starts_with("amount") => "amount",
            (CaseForm::Customer, "name") => "customer_name",
            (CaseForm::Customer, f) if f.starts_with("important_dates") => "important_dates",
            (CaseForm::Customer, f) if f.starts_with("preferences") => "preferences",
            (CaseForm::Customer, f) if f.starts_with("dislikes") => "dislikes",
            (CaseForm::Customer, "emails" | "phones") => "customer_name",
            (CaseForm::Kind, "kind") => "case_kind",
            (_, f) => f,
        };
        renamed.to_owned()
    }

    /// The catalogue's message for a problem with `field` (already the page's name).
    fn problem_message(field: &str) -> &'static str {
        match field {
            "due" => "desk-problem-due",
            "amount" | "currency" => "desk-problem-amount",
            "owner_id" | "team" | "root_cause" | "remedy_kind" => "desk-problem-choose",
            "handover_note" => "desk-problem-handover",
            "important_dates" => "desk-problem-dates",
            "preferred_channel" | "language" | "case_kind" => "desk-problem-choose",
            _ => "desk-problem-write-something",
        }
    }
}

/// What was typed into the case page's forms, kept when one comes back.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub(crate) struct ActionTyped {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub await_customer: Option<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub owner_id: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub handover_note: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub question: String,
    #[serde(default)]
    pub view_id: String,
    #[serde(default)]
    pub answer: String,
    #[serde(default)]
    pub what: String,
    #[serde(default)]
    pub how: String,
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub commitment_id: String,
    #[serde(default)]
    pub outcome_note: String,
    #[serde(default)]
    pub remedy_kind: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub currency: String,
    #[serde(default)]
    pub remedy_id: String,
    #[serde(default)]
    pub approval_note: String,
    #[serde(default)]
    pub refuse_reason: String,
    #[serde(default)]
    pub escalation_reason: String,
    #[serde(default)]
    pub advice: String,
    #[serde(default)]
    pub decline_reason: String,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub lesson: String,
    #[serde(default)]
    pub reopen_reason: String,
    #[serde(default)]
    pub customer_name: String,
    #[serde(default)]
    pub preferred_channel: String,
    #[serde(default)]
    pub language: String,
    /// One per line.
    #[serde(default)]
    pub preferences: String,
    /// One per line.
    #[serde(default)]
    pub dislikes: String,
    /// One per line: "label: YYYY-MM-DD".
    #[serde(default)]
    pub important_dates: String,
    #[serde(default)]
    pub case_kind: String,
}

/// The non-empty lines of a box, trimmed.
fn lines(s: &str) -> Vec<String> {
    s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// "birthday: 1980-05-02" lines as the use case takes them (the date after the last colon).
fn important_dates(s: &str) -> Vec<ImportantDateDraft> {
    lines(s)
        .into_iter()
        .map(|line| match line.rsplit_once(':') {
            Some((label, date)) => ImportantDateDraft {
                label: Some(label.trim().to_owned()),
                date: Some(date.trim().to_owned()),
            },
            None => ImportantDateDraft {
                label: Some(line),
                date: None,
            },
        })
        .collect()
}

/// What was typed into a box, with the customer-side pages' handling of line breaks; `None`
/// when nothing but spaces was typed.
fn given(s: &str) -> Option<String> {
    Some(crate::pages::complain::plain_line_breaks(s)).filter(|s| !s.trim().is_empty())
}

/// Runs the use case behind `form` for `by` on `case`.
pub(crate) async fn run(
    app: &App,
    by: &Staff,
    case: &Case,
    form: CaseForm,
    typed: &ActionTyped,
) -> Result<Case, AppError> {
    let act = |action: Result<redress_domain::Action, Invalid>| async move {
        match action {
            Ok(action) => app.staff_act(by, case.id, action).await,
            Err(invalid) => Err(invalid.into()),
        }
    };
    match form {
        CaseForm::PickUp => {
            let draft = AssignDraft {
                owner_id: Some(by.id.to_string()),
                team: None,
                handover_note: None,
            };
            app.assign(by, case.id, &draft).await
        }
        CaseForm::Assign => {
            let draft = AssignDraft {
                owner_id: given(&typed.owner_id),
                team: given(&typed.team),
                handover_note: given(&typed.handover_note),
            };
            app.assign(by, case.id, &draft).await
        }
        CaseForm::Reply => {
            act(MessageDraft {
                body: given(&typed.body),
                await_customer: typed.await_customer.is_some(),
            }
            .to_customer())
            .await
        }
        CaseForm::Note => {
            act(NoteDraft {
                body: given(&typed.note),
            }
            .parse())
            .await
        }
        CaseForm::AskOperations => {
            act(OperationsQuestionDraft {
                department: given(&typed.department),
                question: given(&typed.question),
            }
            .parse())
            .await
        }
        CaseForm::RecordAnswer => {
            act(OperationsAnswerDraft {
                answer: given(&typed.answer),
            }
            .parse(&typed.view_id))
            .await
        }
        CaseForm::Commit => {
            act(CommitmentDraft {
                what: given(&typed.what),
                how: given(&typed.how),
                due: given(&typed.due),
            }
            .parse())
            .await
        }
        CaseForm::Kept | CaseForm::Missed => {
            act(CommitmentOutcomeDraft {
                note: given(&typed.outcome_note),
            }
            .parse(&typed.commitment_id, form == CaseForm::Kept))
            .await
        }
        CaseForm::Remedy => {
            let draft = RemedyDraft {
                kind: given(&typed.remedy_kind),
                description: given(&typed.description),
                amount: given(&typed.amount),
                currency: given(&typed.currency).map(|c| c.trim().to_uppercase()),
            };
            app.offer_remedy(by, case.id, &draft).await
        }
        CaseForm::Approve => {
            act(ApprovalDraft {
                note: given(&typed.approval_note),
            }
            .parse(&typed.remedy_id))
            .await
        }
        CaseForm::Refuse => {
            act(ReasonDraft {
                reason: given(&typed.refuse_reason),
            }
            .refuse_remedy(&typed.remedy_id))
            .await
        }
        CaseForm::Escalate => {
            act(ReasonDraft {
                reason: given(&typed.escalation_reason),
            }
            .escalate())
            .await
        }
        CaseForm::Advise => {
            act(AdviceDraft {
                advice: given(&typed.advice),
            }
            .parse())
            .await
        }
        CaseForm::Propose => {
            act(ResolutionDraft {
                summary: given(&typed.summary),
            }
            .parse())
            .await
        }
        CaseForm::Decline => {
            act(ReasonDraft {
                reason: given(&typed.decline_reason),
            }
            .decline())
            .await
        }
        CaseForm::Close => {
            let draft = CloseDraft {
                root_cause: given(&typed.root_cause),
                lesson: given(&typed.lesson),
            };
            app.close(by, case.id, &draft).await
        }
        CaseForm::Reopen => {
            act(ReasonDraft {
                reason: given(&typed.reopen_reason),
            }
            .reopen())
            .await
        }
        CaseForm::Kind => {
            act(KindDraft {
                kind: given(&typed.case_kind),
            }
            .parse())
            .await
        }
        CaseForm::Customer => {
            let draft = CustomerProfileDraft {
                name: Some(typed.customer_name.trim().to_owned()),
                preferred_channel: Some(typed.preferred_channel.clone()),
                language: Some(typed.language.clone()),
                preferences: Some(lines(&typed.preferences)),
                dislikes: Some(lines(&typed.dislikes)),
                important_dates: Some(important_dates(&typed.important_dates)),
                ..CustomerProfileDraft::default()
            };
            app.update_customer(by, case.customer_id, &draft).await?;
            Ok(case.clone())
        }
    }
}

/// One problem with what was sent, for the page: the box it belongs to (`None`: the page as a
/// whole, e.g. the thing it acted on is no longer there) and the catalogue's message id.
pub(crate) struct FieldProblem {
    pub field: Option<String>,
    pub message_id: &'static str,
}

/// The page's problems for what the use case refused as invalid.
pub(crate) fn field_problems(form: CaseForm, invalid: &Invalid) -> Vec<FieldProblem> {
    invalid
        .errors
        .iter()
        .map(|e| {
            let field = form.page_field(&e.field);
            match field.as_str() {
                // The promise, remedy or question the form named is gone or already settled:
                // the page was older than the case.
                "view_id" | "commitment_id" | "remedy_id" => FieldProblem {
                    field: None,
                    message_id: "desk-problem-stale",
                },
                _ => FieldProblem {
                    message_id: CaseForm::problem_message(&field),
                    field: Some(field),
                },
            }
        })
        .collect()
}
