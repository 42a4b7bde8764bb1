//! The draft of a staff edit of a customer's profile.

use super::{date, optional, required};
use redress_domain::{
    ContactChannel, CustomerProfile, EmailAddress, ImportantDate, Invalid, Language, PhoneNumber,
    Text,
};
use serde::Deserialize;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

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
