//! Intake: turning what a customer sent (through any channel) into a valid new case, or a list
//! of every field at fault. Nothing is stored until the whole intake is valid.

use crate::attachment::Attachment;
use crate::case::Subject;
use crate::contact::{EmailAddress, PhoneNumber};
use crate::customer::{ContactChannel, NewCustomer};
use crate::kinds::{CaseKind, Channel};
use crate::text::{Language, Text};
use crate::validation::Invalid;
use serde::Deserialize;
use time::Date;
use time::macros::format_description;

/// A submission as received, before validation. Every field is optional here so that all
/// problems are reported together, each naming its field.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct IntakeDraft {
    /// complaint (the default), inquiry, compliment or suggestion.
    pub kind: Option<String>,
    /// What happened, in the customer's own words. Required.
    pub what_happened: Option<String>,
    /// What would make it right, in the customer's words.
    pub what_would_make_it_right: Option<String>,
    /// The date (YYYY-MM-DD) the customer needs this resolved by.
    pub needed_by: Option<String>,
    pub product: Option<String>,
    pub service: Option<String>,
    pub location: Option<String>,
    pub name: Option<String>,
    /// One way to reach the customer is required: email or phone.
    pub email: Option<String>,
    pub phone: Option<String>,
    /// email, phone, sms or post.
    pub preferred_channel: Option<String>,
    /// A language tag such as en or fr.
    pub language: Option<String>,
}

/// A valid new case, ready to be stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Intake {
    pub kind: CaseKind,
    pub channel: Channel,
    pub words: Text,
    pub desired_outcome: Option<Text>,
    pub needed_by: Option<Date>,
    pub subject: Subject,
    pub customer: NewCustomer,
    /// When the customer will hear back from us: set by the organisation's service standard,
    /// not by the customer.
    pub respond_by: Option<Date>,
    /// The files sent with it, each checked (`Attachment::check`); the channel adds them.
    pub attachments: Vec<Attachment>,
}

/// Parses a `YYYY-MM-DD` date for `field`.
pub(crate) fn parse_date(errors: &mut Invalid, field: &str, value: &str) -> Option<Date> {
    match Date::parse(value.trim(), format_description!("[year]-[month]-[day]")) {
        Ok(d) if (1..=9999).contains(&d.year()) => Some(d),
        _ => {
            errors.add(field, "must be a date written YYYY-MM-DD");
            None
        }
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|s| !s.trim().is_empty())
}

impl Intake {
    /// Validates a draft arriving through `channel` on `today`.
    pub fn parse(draft: &IntakeDraft, channel: Channel, today: Date) -> Result<Intake, Invalid> {
        let mut errors = Invalid::default();

        let kind = match given(&draft.kind) {
            None => Some(CaseKind::Complaint),
            Some(k) => CaseKind::parse(k).or_else(|| {
                errors.add("kind", format!("must be one of: {}", CaseKind::choices()));
                None
            }),
        };

        let words = match given(&draft.what_happened) {
            Some(w) => Text::check(&mut errors, "what_happened", w, Text::LONG),
            None => {
                errors.add("what_happened", "tell us what happened");
                None
            }
        };
        let desired_outcome = Text::optional(
            &mut errors,
            "what_would_make_it_right",
            draft.what_would_make_it_right.as_deref(),
            Text::LONG,
        );

        let needed_by =
            given(&draft.needed_by).and_then(|d| parse_date(&mut errors, "needed_by", d));
        // Imported history legitimately has dates in the past; a customer asking today does not.
        // `today` is the server's (UTC) date: west of Greenwich the customer's today can still
        // be the day before, so that day is allowed too.
        let earliest = today.previous_day().unwrap_or(today);
        if channel != Channel::Import && needed_by.is_some_and(|d| d < earliest) {
            errors.add("needed_by", "must be today or later");
        }

        let subject = Subject {
            product: Text::optional(
                &mut errors,
                "product",
                draft.product.as_deref(),
                Text::SHORT,
            ),
            service: Text::optional(
                &mut errors,
                "service",
                draft.service.as_deref(),
                Text::SHORT,
            ),
            location: Text::optional(
                &mut errors,
                "location",
                draft.location.as_deref(),
                Text::SHORT,
            ),
        };

        let name = Text::optional(&mut errors, "name", draft.name.as_deref(), Text::SHORT);
        let email = given(&draft.email).and_then(|e| {
            EmailAddress::parse(e)
                .map_err(|m| errors.add("email", m))
                .ok()
        });
        let phone = given(&draft.phone).and_then(|p| {
            PhoneNumber::parse(p)
                .map_err(|m| errors.add("phone", m))
                .ok()
        });
        if given(&draft.email).is_none() && given(&draft.phone).is_none() {
            errors.add(
                "email",
                "give an email address or a phone number so we can reach you",
            );
        }
        let preferred_channel = given(&draft.preferred_channel).and_then(|c| {
            ContactChannel::parse(c).or_else(|| {
                errors.add(
                    "preferred_channel",
                    format!("must be one of: {}", ContactChannel::choices()),
                );
                None
            })
        });
        let language =
            given(&draft.language).and_then(|l| Language::parse(&mut errors, "language", l));

        let (Some(kind), Some(words)) = (kind, words) else {
            return Err(errors);
        };
        errors.or(Intake {
            kind,
            channel,
            words,
            desired_outcome,
            needed_by,
            subject,
            customer: NewCustomer {
                name,
                emails: email.into_iter().collect(),
                phones: phone.into_iter().collect(),
                preferred_channel,
                language,
            },
            respond_by: None,
            attachments: Vec::new(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> IntakeDraft {
        IntakeDraft {
            what_happened: Some("  The heater broke on day two.\n".into()),
            email: Some("ana@example.com".into()),
            ..IntakeDraft::default()
        }
    }

    #[test]
    fn keeps_words_exactly() {
        let i = Intake::parse(&draft(), Channel::Api, date!(2026 - 01 - 01)).expect("valid");
        assert_eq!(i.words.as_str(), "  The heater broke on day two.\n");
        assert_eq!(i.kind, CaseKind::Complaint);
    }

    #[test]
    fn names_every_field_at_fault() {
        let d = IntakeDraft {
            kind: Some("rant".into()),
            needed_by: Some("tomorrow".into()),
            ..IntakeDraft::default()
        };
        let err = Intake::parse(&d, Channel::Api, date!(2026 - 01 - 01)).expect_err("invalid");
        let fields: Vec<&str> = err.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kind", "what_happened", "needed_by", "email"]);
    }

    #[test]
    fn past_dates_only_for_imports() {
        let d = IntakeDraft {
            needed_by: Some("2025-12-31".into()),
            ..draft()
        };
        assert!(Intake::parse(&d, Channel::Web, date!(2026 - 01 - 02)).is_err());
        assert!(Intake::parse(&d, Channel::Import, date!(2026 - 01 - 02)).is_ok());
        // The day before the server's (UTC) today is still today somewhere.
        assert!(Intake::parse(&d, Channel::Web, date!(2026 - 01 - 01)).is_ok());
    }
}
