//! The customer: one person across all their cases, with what staff should notice about them.

use crate::contact::{EmailAddress, PhoneNumber};
use crate::ids::CustomerId;
use crate::kinds::string_enum;
use crate::text::{Language, Text};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

string_enum!(
    /// How the customer prefers to be contacted.
    ContactChannel {
        Email => "email",
        Phone => "phone",
        Sms => "sms",
        Post => "post",
    }
);

/// A date that matters to the customer: a birthday, when they became a customer, an anniversary.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportantDate {
    /// What the date is, e.g. "birthday" or "customer since".
    pub label: Text,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub date: Date,
}

impl ImportantDate {
    /// Whether the date falls on `today`'s day and month (a birthday recurs every year).
    pub fn recurs_on(&self, today: Date) -> bool {
        self.date.month() == today.month() && self.date.day() == today.day()
    }
}

/// The parts of a customer staff may change.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CustomerProfile {
    pub name: Option<Text>,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneNumber>,
    pub preferred_channel: Option<ContactChannel>,
    pub language: Option<Language>,
    pub important_dates: Vec<ImportantDate>,
    pub preferences: Vec<Text>,
    pub dislikes: Vec<Text>,
    pub external_ref: Option<Text>,
}

/// A customer as first met through an intake; matched to an existing customer by email or phone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: Option<Text>,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneNumber>,
    pub preferred_channel: Option<ContactChannel>,
    pub language: Option<Language>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: CustomerId,
    pub name: Option<Text>,
    pub emails: Vec<EmailAddress>,
    pub phones: Vec<PhoneNumber>,
    pub preferred_channel: Option<ContactChannel>,
    pub language: Option<Language>,
    pub important_dates: Vec<ImportantDate>,
    /// Free-form things the customer likes, e.g. "window seat".
    pub preferences: Vec<Text>,
    /// Free-form things to avoid, e.g. "does not drink".
    pub dislikes: Vec<Text>,
    /// The customer's account number or id in the organisation's other systems.
    pub external_ref: Option<Text>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub updated_at: OffsetDateTime,
}

impl Customer {
    pub fn from_new(id: CustomerId, new: NewCustomer, now: OffsetDateTime) -> Self {
        Customer {
            id,
            name: new.name,
            emails: new.emails,
            phones: new.phones,
            preferred_channel: new.preferred_channel,
            language: new.language,
            important_dates: Vec::new(),
            preferences: Vec::new(),
            dislikes: Vec::new(),
            external_ref: None,
            created_at: now,
            updated_at: now,
        }
    }

    /// Applies a staff edit of the profile.
    pub fn update(&mut self, profile: CustomerProfile, now: OffsetDateTime) {
        self.name = profile.name;
        self.emails = profile.emails;
        self.phones = profile.phones;
        self.preferred_channel = profile.preferred_channel;
        self.language = profile.language;
        self.important_dates = profile.important_dates;
        self.preferences = profile.preferences;
        self.dislikes = profile.dislikes;
        self.external_ref = profile.external_ref;
        self.updated_at = now;
    }

    /// Adds contact details a returning customer gave that we did not know yet; fills in a name
    /// we never had. What staff recorded is never overwritten by an intake.
    pub fn merge_intake(&mut self, new: &NewCustomer) {
        for e in &new.emails {
            if !self.emails.iter().any(|k| k.match_key() == e.match_key()) {
                self.emails.push(e.clone());
            }
        }
        for p in &new.phones {
            if !self.phones.iter().any(|k| k.match_key() == p.match_key()) {
                self.phones.push(p.clone());
            }
        }
        if self.name.is_none() {
            self.name = new.name.clone();
        }
        if self.preferred_channel.is_none() {
            self.preferred_channel = new.preferred_channel;
        }
        if self.language.is_none() {
            self.language = new.language.clone();
        }
    }

    /// The important dates that fall today, e.g. a birthday, for staff to notice.
    pub fn dates_today(&self, today: Date) -> impl Iterator<Item = &ImportantDate> {
        self.important_dates
            .iter()
            .filter(move |d| d.recurs_on(today))
    }
}
