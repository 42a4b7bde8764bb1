//! Free text written by people. It is kept exactly as written (never trimmed, rewritten or
//! interpreted as markup); validation only refuses what is empty or unreasonably long.

use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

/// Text that is not blank and within a length limit, stored exactly as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String))]
#[serde(transparent)]
pub struct Text(String);

impl Text {
    /// The first `max` characters, with an ellipsis when there was more (for lists).
    pub fn excerpt(&self, max: usize) -> String {
        let mut excerpt: String = self.0.chars().take(max).collect();
        if self.0.chars().nth(max).is_some() {
            excerpt.push('…');
        }
        excerpt
    }

    /// Limits, in characters, for the kinds of text Redress takes.
    pub const SHORT: usize = 200;
    pub const LONG: usize = 20_000;

    /// Checks `value` for `field`, recording a problem in `errors`.
    pub fn check(errors: &mut Invalid, field: &str, value: &str, max_chars: usize) -> Option<Text> {
        if value.trim().is_empty() {
            errors.add(field, "must not be empty");
            return None;
        }
        if value.chars().count() > max_chars {
            errors.add(field, format!("must be at most {max_chars} characters"));
            return None;
        }
        if value.contains('\0') {
            errors.add(field, "must not contain NUL characters");
            return None;
        }
        Some(Text(value.to_owned()))
    }

    /// Like `check`, but absent or blank input means "not given".
    pub fn optional(
        errors: &mut Invalid,
        field: &str,
        value: Option<&str>,
        max_chars: usize,
    ) -> Option<Text> {
        match value {
            Some(v) if !v.trim().is_empty() => Self::check(errors, field, v, max_chars),
            _ => None,
        }
    }

    /// Wraps text already known to be valid (read back from storage, or written by Redress).
    pub fn trusted(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A language tag the customer prefers (BCP 47, e.g. `en`, `fr`, `pt-BR`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "en"))]
#[serde(transparent)]
pub struct Language(String);

impl Language {
    pub fn parse(errors: &mut Invalid, field: &str, value: &str) -> Option<Language> {
        let ok = !value.is_empty()
            && value.len() <= 35
            && value.split('-').all(|part| {
                !part.is_empty()
                    && part.len() <= 8
                    && part.chars().all(|c| c.is_ascii_alphanumeric())
            });
        if ok {
            Some(Language(value.to_owned()))
        } else {
            errors.add(field, "must be a language tag such as en, fr or pt-BR");
            None
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}
