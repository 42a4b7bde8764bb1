//! Drafts of how a case ends: the proposed resolution, the customer's answer to it and to the
//! follow-up, and the close with its root cause.

use super::{finish, optional, required};
use redress_domain::{Action, FollowUp, Invalid, RootCauseCode, Text};
use serde::Deserialize;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
