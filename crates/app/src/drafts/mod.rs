//! What callers send, before validation: one draft per action, shared by every channel (JSON
//! bodies and HTML forms deserialize into the same structs). Unknown fields are refused, so a
//! caller can never set what it has no business setting (no mass assignment). Each draft turns
//! into a domain `Action` or into a list of every field at fault.

mod customer;
mod resolution;
mod work;

pub use customer::{CustomerProfileDraft, ImportantDateDraft};
pub use resolution::{CloseDraft, FollowUpDraft, RejectionDraft, ResolutionDraft};
pub use work::{
    AcknowledgeDraft, AdviceDraft, ApprovalDraft, AssignDraft, CommitmentDraft,
    CommitmentOutcomeDraft, KindDraft, MessageDraft, NoteDraft, OperationsAnswerDraft,
    OperationsQuestionDraft, ReasonDraft, RemedyDraft,
};

use redress_domain::{Invalid, Text};
use time::Date;
use time::macros::format_description;

pub(super) fn required(
    errors: &mut Invalid,
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Option<Text> {
    match value {
        Some(v) => Text::check(errors, field, v, max),
        None => {
            errors.add(field, "is required");
            None
        }
    }
}

pub(super) fn optional(
    errors: &mut Invalid,
    field: &str,
    value: &Option<String>,
    max: usize,
) -> Option<Text> {
    Text::optional(errors, field, value.as_deref(), max)
}

pub(super) fn date(errors: &mut Invalid, field: &str, value: &str) -> Option<Date> {
    match Date::parse(value.trim(), format_description!("[year]-[month]-[day]")) {
        Ok(d) if (1..=9999).contains(&d.year()) => Some(d),
        _ => {
            errors.add(field, "must be a date written YYYY-MM-DD");
            None
        }
    }
}

pub(super) fn id<T: std::str::FromStr>(
    errors: &mut Invalid,
    field: &str,
    value: &str,
) -> Option<T> {
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

pub(super) use finish;
