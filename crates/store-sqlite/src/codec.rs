//! How domain values are written to and read from SQLite columns, and how SQLite's errors
//! become `StoreError`s.

use redress_store::StoreError;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// UTC with nine fraction digits: exact, and text order is time order.
const TIMESTAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:9]Z");
const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

pub(crate) fn timestamp(t: OffsetDateTime) -> Result<String, StoreError> {
    t.to_offset(UtcOffset::UTC)
        .format(TIMESTAMP)
        .map_err(|e| StoreError::backend(Unstorable(format!("timestamp {t}: {e}"))))
}

pub(crate) fn parse_timestamp(s: &str) -> Result<OffsetDateTime, StoreError> {
    PrimitiveDateTime::parse(s, TIMESTAMP)
        .map(PrimitiveDateTime::assume_utc)
        .map_err(|e| corrupt(format!("timestamp {s:?}: {e}")))
}

pub(crate) fn date(d: Date) -> Result<String, StoreError> {
    d.format(DATE)
        .map_err(|e| StoreError::backend(Unstorable(format!("date {d}: {e}"))))
}

pub(crate) fn corrupt(msg: impl Into<String>) -> StoreError {
    StoreError::Corrupt(msg.into())
}

pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::backend(Unstorable(format!("cannot serialize: {e}"))))
}

/// A case's state as stored: without the customer's words, which the `words` column holds
/// (they are often the largest part of a case, and written once per change is enough).
pub(crate) fn case_state(case: &redress_domain::Case) -> Result<String, StoreError> {
    let mut stored = case.clone();
    stored.words = redress_domain::Text::trusted(String::new());
    to_json(&stored)
}

pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    what: &str,
    json: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|e| corrupt(format!("{what}: {e}")))
}

/// A value the database cannot hold, or a change that breaks the store's invariants: a bug in
/// the caller, never something a customer typed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct Unstorable(pub(crate) String);

/// Translates a database error. A unique violation becomes `Conflict` named by `conflict`,
/// given the constraint's columns (e.g. "cases.reference").
pub(crate) fn db_error(e: sqlx::Error, conflict: impl Fn(&str) -> &'static str) -> StoreError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        let message = db.message();
        let columns = message
            .strip_prefix("UNIQUE constraint failed: ")
            .unwrap_or(message);
        return StoreError::conflict(conflict(columns));
    }
    if let sqlx::Error::RowNotFound = e {
        return StoreError::NotFound { what: "row" };
    }
    StoreError::backend(e)
}

/// For statements that never violate a unique constraint the caller could cause.
pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    db_error(e, |_| "unique")
}
