//! What callers send, before validation: one draft per action, shared by every channel (JSON
//! bodies and HTML forms deserialize into the same structs). Unknown fields are refused, so a
//! caller can never set what it has no business setting (no mass assignment). Each draft turns
//! into a domain `Action` or into a list of every field at fault.

use redress_domain::{
    Action, CaseKind, CommitmentId, ContactChannel, CustomerProfile, EmailAddress, FollowUp,
    ImportantDate, Invalid, Language, Money, PhoneNumber, RemedyId, RemedyKind, RootCauseCode,
    Text, ViewId,
};
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

fn required(errors: &mut Invalid, field: &str, value: &Option<String>, max: usize) -> Option<Text> {
    match value {
        Some(v) => Text::check(errors, field, v, max),
        None => {
            errors.add(field, "is required");
            None
        }
    }
}

fn optional(errors: &mut Invalid, field: &str, value: &Option<String>, max: usize) -> Option<Text> {
    Text::optional(errors, field, value.as_deref(), max)
}

pub(crate) fn date(errors: &mut Invalid, field: &str, value: &str) -> Option<Date> {
    match Date::parse(value.trim(), format_description!("[year]-[month]-[day]")) {
        Ok(d) if (1..=9999).contains(&d.year()) => Some(d),
        _ => {
            errors.add(field, "must be a date written YYYY-MM-DD");
            None
        }
    }
}

fn id<T: std::str::FromStr>(errors: &mut Invalid, field: &str, value: &str) -> Option<T> {
    value.trim().parse().ok().or_else(|| {
        errors.add(field, "must be an id as given by Redress");
        None
    })
}

/// Generates the boilerplate of a draft that maps to one action.
macro_rules! finish {
    ($errors:ident, $($binding:ident),+ => $action:expr) => {{
        #[allow(unused_parens)]
        match ($($binding),+) {
            ($(Some($binding)),+) if $errors.is_empty() => Ok($action),
            _ => Err($errors),
        }
    }};
}

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
        finish!(errors, body => Action::MessageFromCustomer { body })
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

    pub fn withdraw(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let reason = Some(optional(&mut errors, "reason", &self.reason, Text::LONG));
        finish!(errors, reason => Action::Withdraw { reason })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolutionDraft {
    /// What we propose, in words the customer can accept or reject.
    pub summary: Option<String>,
}

impl ResolutionDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let summary = required(&mut errors, "summary", &self.summary, Text::LONG);
        finish!(errors, summary => Action::ProposeResolution { summary })
    }
}

/// The customer says no to a proposed resolution, and what would make it right instead.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectionDraft {
    pub what_would_make_it_right: Option<String>,
}

impl RejectionDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let what = required(
            &mut errors,
            "what_would_make_it_right",
            &self.what_would_make_it_right,
            Text::LONG,
        );
        finish!(errors, what => Action::RejectResolution { what_would_make_it_right: what })
    }
}

/// The customer's answers after resolution.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpDraft {
    /// Did everything go as expected?
    pub went_as_expected: Option<bool>,
    /// Have we delivered as promised?
    pub delivered_as_promised: Option<bool>,
    /// Have we met your expectations?
    pub met_expectations: Option<bool>,
    /// 1 (very unhappy) to 5 (very happy).
    pub satisfaction: Option<i64>,
    pub comments: Option<String>,
}

impl FollowUpDraft {
    pub fn parse(&self) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let mut answer = |field: &str, v: Option<bool>| {
            if v.is_none() {
                errors.add(field, "answer yes (true) or no (false)");
            }
            v
        };
        let went = answer("went_as_expected", self.went_as_expected);
        let delivered = answer("delivered_as_promised", self.delivered_as_promised);
        let met = answer("met_expectations", self.met_expectations);
        let satisfaction = match self.satisfaction {
            Some(s @ 1..=5) => u8::try_from(s).ok(),
            _ => {
                errors.add("satisfaction", "must be a whole number from 1 to 5");
                None
            }
        };
        let comments = Some(optional(
            &mut errors,
            "comments",
            &self.comments,
            Text::LONG,
        ));
        finish!(errors, went, delivered, met, satisfaction, comments => Action::AnswerFollowUp(FollowUp {
            went_as_expected: went,
            delivered_as_promised: delivered,
            met_expectations: met,
            satisfaction,
            comments,
        }))
    }
}

/// Closing: why it happened (a root cause from the configured list) and what we learn.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloseDraft {
    pub root_cause: Option<String>,
    pub lesson: Option<String>,
}

impl CloseDraft {
    /// `known` is the configured list of active root cause codes.
    pub fn parse(&self, known: &[RootCauseCode]) -> Result<Action, Invalid> {
        let mut errors = Invalid::default();
        let root_cause = match self.root_cause.as_deref().map(RootCauseCode::parse) {
            Some(Ok(code)) if known.contains(&code) => Some(code),
            _ => {
                let codes: Vec<&str> = known.iter().map(|c| c.as_str()).collect();
                errors.add(
                    "root_cause",
                    format!("must be one of: {}", codes.join(", ")),
                );
                None
            }
        };
        let lesson = Some(optional(&mut errors, "lesson", &self.lesson, Text::LONG));
        finish!(errors, root_cause, lesson => Action::Close { root_cause, lesson })
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportantDateDraft {
    /// e.g. "birthday" or "customer since".
    pub label: Option<String>,
    /// YYYY-MM-DD.
    pub date: Option<String>,
}

/// A staff edit of a customer's profile. Lists replace the stored lists; omitted fields keep
/// their stored value.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerProfileDraft {
    pub name: Option<String>,
    pub emails: Option<Vec<String>>,
    pub phones: Option<Vec<String>>,
    /// email, phone, sms or post.
    pub preferred_channel: Option<String>,
    pub language: Option<String>,
    pub important_dates: Option<Vec<ImportantDateDraft>>,
    /// Free-form, e.g. "window seat".
    pub preferences: Option<Vec<String>>,
    /// Free-form, e.g. "does not drink".
    pub dislikes: Option<Vec<String>>,
    pub external_ref: Option<String>,
}

impl CustomerProfileDraft {
    /// Applies the draft over `current`, validating every given field.
    pub fn parse(&self, current: &redress_domain::Customer) -> Result<CustomerProfile, Invalid> {
        let mut errors = Invalid::default();
        let name = match &self.name {
            Some(n) => optional(&mut errors, "name", &Some(n.clone()), Text::SHORT),
            None => current.name.clone(),
        };
        let emails = match &self.emails {
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(i, e)| {
                    EmailAddress::parse(e)
                        .map_err(|m| errors.add(format!("emails[{i}]"), m))
                        .ok()
                })
                .collect(),
            None => current.emails.clone(),
        };
        let phones = match &self.phones {
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    PhoneNumber::parse(p)
                        .map_err(|m| errors.add(format!("phones[{i}]"), m))
                        .ok()
                })
                .collect::<Vec<_>>(),
            None => current.phones.clone(),
        };
        // The same address twice (however capitalised) is one address.
        let mut emails: Vec<EmailAddress> = emails;
        let mut seen = std::collections::HashSet::new();
        emails.retain(|e| seen.insert(e.match_key()));
        let mut phones = phones;
        let mut seen = std::collections::HashSet::new();
        phones.retain(|p| seen.insert(p.match_key()));
        if errors.is_empty() && emails.is_empty() && phones.is_empty() {
            errors.add("emails", "keep at least one email address or phone number");
        }
        let preferred_channel = match self.preferred_channel.as_deref() {
            None => current.preferred_channel,
            Some("") => None,
            Some(c) => ContactChannel::parse(c).or_else(|| {
                errors.add(
                    "preferred_channel",
                    format!("must be one of: {}", ContactChannel::choices()),
                );
                None
            }),
        };
        let language = match self.language.as_deref() {
            None => current.language.clone(),
            Some("") => None,
            Some(l) => Language::parse(&mut errors, "language", l),
        };
        let important_dates = match &self.important_dates {
            None => current.important_dates.clone(),
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(i, d)| {
                    let label = required(
                        &mut errors,
                        &format!("important_dates[{i}].label"),
                        &d.label,
                        Text::SHORT,
                    );
                    let field = format!("important_dates[{i}].date");
                    let date = match &d.date {
                        Some(v) => date(&mut errors, &field, v),
                        None => {
                            errors.add(field, "is required");
                            None
                        }
                    };
                    Some(ImportantDate {
                        label: label?,
                        date: date?,
                    })
                })
                .collect(),
        };
        let mut tags = |field: &str, given: &Option<Vec<String>>, current: &Vec<Text>| match given {
            None => current.clone(),
            Some(list) => list
                .iter()
                .enumerate()
                .filter_map(|(i, t)| {
                    Text::check(&mut errors, &format!("{field}[{i}]"), t, Text::SHORT)
                })
                .collect(),
        };
        let preferences = tags("preferences", &self.preferences, &current.preferences);
        let dislikes = tags("dislikes", &self.dislikes, &current.dislikes);
        let external_ref = match &self.external_ref {
            Some(r) => optional(&mut errors, "external_ref", &Some(r.clone()), Text::SHORT),
            None => current.external_ref.clone(),
        };
        errors.or(CustomerProfile {
            name,
            emails,
            phones,
            preferred_channel,
            language,
            important_dates,
            preferences,
            dislikes,
            external_ref,
        })
    }
}
