//! What can go wrong in a use case, in terms a caller can act on. The web layer maps these to
//! HTTP once (`redress-web`'s error module).

use redress_domain::{CaseError, Invalid, Refusal};
use redress_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// One or more fields at fault; each is named.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// No such thing, or the caller may not know whether it exists (a wrong tracking token).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// No credentials, or credentials that match nobody.
    #[error("authentication required")]
    Unauthenticated,
    /// Too many failed sign-ins in a row for this account: attempts are refused, without
    /// checking the password, for this many more seconds.
    #[error("too many failed attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Known caller, not allowed to do this.
    #[error("not allowed: {0}")]
    Forbidden(String),
    /// The case's state does not allow this now, or a unique value is taken. Nothing changed.
    #[error("{0}")]
    Conflict(String),
    /// The case's current state does not allow this action (e.g. it is already closed): a
    /// stable reason for channels to word, and the English explanation. Nothing changed.
    #[error("{message}")]
    NotNow { refusal: Refusal, message: String },
    /// Storage failed; the details are for the log, not for the caller.
    #[error("storage failed")]
    Store(#[source] StoreError),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { what } => AppError::NotFound(what),
            StoreError::Conflict { what } if what == "version" => AppError::Conflict(
                "the case changed while this was being done; reload it and try again".to_owned(),
            ),
            StoreError::Conflict { what } => AppError::Conflict(format!("{what} is already taken")),
            other => AppError::Store(other),
        }
    }
}

impl From<CaseError> for AppError {
    fn from(e: CaseError) -> Self {
        match e {
            CaseError::Invalid(i) => AppError::Invalid(i),
            not_now @ CaseError::NotNow { refusal, .. } => AppError::NotNow {
                refusal,
                message: not_now.to_string(),
            },
        }
    }
}
