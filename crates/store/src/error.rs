//! Storage failures in domain terms. Backends map their database errors here once.

/// Why a storage operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("{what} not found")]
    NotFound { what: &'static str },
    /// The write would break a rule the database keeps: a unique value already taken, or the
    /// case changed since the caller read it (`what` = "version").
    #[error("conflict: {what}")]
    Conflict { what: String },
    /// Stored data could not be read back (a bug or a manual edit); never caused by input.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The database failed or could not be reached.
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        StoreError::Backend(Box::new(e))
    }

    pub fn conflict(what: impl Into<String>) -> Self {
        StoreError::Conflict { what: what.into() }
    }

    /// A concurrent change to the same case: the caller may re-read and try again.
    pub fn is_version_conflict(&self) -> bool {
        matches!(self, StoreError::Conflict { what } if what == "version")
    }
}
