//! Ways to reach a customer. Each has a matching key, so a returning customer who writes
//! `Ana@Example.com` or `+44 20 7946 0000` is recognised as the same person.

use serde::{Deserialize, Serialize};

/// An email address as the customer wrote it; matched case-insensitively.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, format = Email))]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim();
        const MSG: &str = "must be an email address such as name@example.com";
        if v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(MSG);
        }
        let Some((local, domain)) = v.rsplit_once('@') else {
            return Err(MSG);
        };
        if local.is_empty()
            || local.len() > 64
            || domain.is_empty()
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || domain.contains('@')
            || local.contains(['<', '>', '"'])
            || domain.contains(['<', '>', '"', '[', ']'])
        {
            return Err(MSG);
        }
        Ok(Self(v.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key a returning customer is recognised by.
    pub fn match_key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for EmailAddress {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<EmailAddress> for String {
    fn from(e: EmailAddress) -> Self {
        e.0
    }
}

/// A phone number as the customer wrote it; matched by its digits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "+44 20 7946 0000"))]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        let v = value.trim();
        const MSG: &str = "must be a phone number of 6 to 20 digits, such as +44 20 7946 0000";
        let allowed = v.chars().enumerate().all(|(i, c)| {
            c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')' | '.') || (c == '+' && i == 0)
        });
        let digits = v.chars().filter(char::is_ascii_digit).count();
        if !allowed || !(6..=20).contains(&digits) {
            return Err(MSG);
        }
        Ok(Self(v.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits only, with a leading `+` kept when the number was written in international form.
    pub fn match_key(&self) -> String {
        let digits: String = self.0.chars().filter(char::is_ascii_digit).collect();
        if self.0.starts_with('+') {
            format!("+{digits}")
        } else {
            digits
        }
    }
}

impl TryFrom<String> for PhoneNumber {
    type Error = &'static str;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<PhoneNumber> for String {
    fn from(p: PhoneNumber) -> Self {
        p.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(EmailAddress::parse("ana@example.com").is_ok());
        assert_eq!(
            EmailAddress::parse(" Ana@Example.COM ").map(|e| e.match_key()),
            Ok("ana@example.com".to_owned())
        );
        for bad in [
            "",
            "ana",
            "@x.org",
            "ana@",
            "a b@x.org",
            "ana@x..org",
            "<a@x.org>",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn phones() {
        let p = PhoneNumber::parse("+44 (20) 7946-0000").expect("valid");
        assert_eq!(p.match_key(), "+442079460000");
        assert!(PhoneNumber::parse("12345").is_err());
        assert!(PhoneNumber::parse("call me").is_err());
        assert!(PhoneNumber::parse("1+2345678").is_err());
    }
}
