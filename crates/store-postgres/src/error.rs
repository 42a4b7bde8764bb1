//! PostgreSQL errors in domain terms, translated once.

use redress_store::StoreError;

/// SQLSTATE of a unique violation.
const UNIQUE_VIOLATION: &str = "23505";
/// SQLSTATEs of a transaction that lost a race and may simply be tried again.
const SERIALIZATION_FAILURE: &str = "40001";
const DEADLOCK_DETECTED: &str = "40P01";
/// The unique constraint on customer contact keys.
const CONTACT_KEY: &str = "customer_contacts_match_key_key";

/// What a unique constraint protects, as `StoreError::Conflict` names it.
fn constraint_meaning(constraint: &str) -> &'static str {
    match constraint {
        "cases_reference_key" => "reference",
        "cases_token_digest_key"
        | "api_tokens_pkey"
        | "staff_sessions_pkey"
        | "setup_tokens_pkey"
        | "password_links_pkey" => "token",
        "teams_pkey" => "team",
        "root_causes_pkey" => "code",
        "organisation_pkey" => "version",
        "staff_email_key" => "email",
        CONTACT_KEY => "contact",
        "case_events_pkey" => "version",
        "cases_pkey" => "case",
        "customers_pkey" => "customer",
        "staff_pkey" => "staff",
        "attachments_pkey" => "attachment",
        _ => "unique",
    }
}

/// Translates a database error: unique violation -> `Conflict`, undecodable data -> `Corrupt`,
/// everything else (connection, timeouts, server errors) -> `Backend`.
pub(crate) fn map_err(e: sqlx::Error) -> StoreError {
    match &e {
        sqlx::Error::Database(db) if db.code().as_deref() == Some(UNIQUE_VIOLATION) => {
            StoreError::conflict(constraint_meaning(db.constraint().unwrap_or_default()))
        }
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => {
            StoreError::Corrupt(e.to_string())
        }
        _ => StoreError::backend(e),
    }
}

/// Whether the error means "this transaction lost a race; run it again".
pub(crate) fn is_retryable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => matches!(
            db.code().as_deref(),
            Some(SERIALIZATION_FAILURE | DEADLOCK_DETECTED)
        ),
        _ => false,
    }
}

/// Whether the error is a unique violation on a customer's contact key.
pub(crate) fn is_contact_taken(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some(UNIQUE_VIOLATION) && db.constraint() == Some(CONTACT_KEY)
        }
        _ => false,
    }
}

pub(crate) fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {detail}"))
}
