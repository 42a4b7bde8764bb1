//! Money, for remedies and authority limits: exact minor units (cents), never floating point.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// An ISO 4217 currency code such as `EUR`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Currency(String);

impl Currency {
    pub fn parse(code: &str) -> Result<Self, &'static str> {
        if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            Ok(Self(code.to_ascii_uppercase()))
        } else {
            Err("must be a three-letter currency code such as EUR or USD")
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An amount of money. Written in JSON as `{"amount": "12.50", "currency": "EUR"}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Money {
    /// Hundredths of the currency's unit.
    pub minor: i64,
    pub currency: Currency,
}

/// Largest amount accepted, in minor units: far above any remedy, far below overflow.
const MAX_MINOR: i64 = 1_000_000_000_000;

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a non-negative decimal amount with at most two decimal places.
    pub fn parse(amount: &str, currency: &str) -> Result<Self, (&'static str, &'static str)> {
        let currency = Currency::parse(currency).map_err(|m| ("currency", m))?;
        const MSG: &str = "must be a non-negative amount such as 25 or 12.50";
        let (whole, frac) = amount.trim().split_once('.').unwrap_or((amount.trim(), ""));
        if whole.is_empty()
            || !whole.chars().all(|c| c.is_ascii_digit())
            || frac.len() > 2
            || !frac.chars().all(|c| c.is_ascii_digit())
            || whole.len() > 12
        {
            return Err(("amount", MSG));
        }
        let whole: i64 = whole.parse().map_err(|_| ("amount", MSG))?;
        let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| ("amount", MSG))?;
        let minor = whole * 100 + frac;
        if minor > MAX_MINOR {
            return Err(("amount", "is too large"));
        }
        Ok(Self { minor, currency })
    }

    /// The amount as a decimal string, e.g. `12.50`.
    pub fn amount_string(&self) -> String {
        format!("{}.{:02}", self.minor / 100, self.minor % 100)
    }

    /// Whether granting `self` needs more authority than `limit` gives. Amounts in another
    /// currency than the limit cannot be compared, so they always need approval.
    pub fn exceeds(&self, limit: &Money) -> bool {
        self.currency != limit.currency || self.minor > limit.minor
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount_string(), self.currency.as_str())
    }
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(as = Money))]
struct MoneyRepr {
    /// A decimal amount with at most two decimal places, e.g. "12.50".
    amount: String,
    /// ISO 4217 currency code, e.g. "EUR".
    currency: String,
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        MoneyRepr {
            amount: self.amount_string(),
            currency: self.currency.0.clone(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let repr = MoneyRepr::deserialize(d)?;
        Money::parse(&repr.amount, &repr.currency)
            .map_err(|(field, msg)| serde::de::Error::custom(format!("{field} {msg}")))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <MoneyRepr as utoipa::PartialSchema>::schema()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Money {
    fn name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_amounts_exactly() {
        assert_eq!(Money::parse("12.5", "eur").map(|m| m.minor), Ok(1250));
        assert_eq!(
            Money::parse("0.07", "EUR").map(|m| m.amount_string()),
            Ok("0.07".into())
        );
        assert_eq!(Money::parse("40", "USD").map(|m| m.minor), Ok(4000));
        for bad in ["", "-1", "1.234", "1,5", "abc", ".5", "9999999999999"] {
            assert!(Money::parse(bad, "EUR").is_err(), "{bad}");
        }
        assert_eq!(
            Money::parse("1", "EURO").err().map(|e| e.0),
            Some("currency")
        );
    }

    #[test]
    fn authority_comparison() {
        let limit = Money::parse("50", "EUR").expect("valid");
        assert!(!Money::parse("50", "EUR").expect("valid").exceeds(&limit));
        assert!(Money::parse("50.01", "EUR").expect("valid").exceeds(&limit));
        assert!(Money::parse("1", "USD").expect("valid").exceeds(&limit));
    }
}
