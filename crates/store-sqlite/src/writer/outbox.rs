//! The writes of the outbox: queueing a message once per case and purpose, leasing due mail to
//! one sender, and recording each delivery attempt.

use super::Writer;
use crate::codec::backend;
use redress_store::StoreError;
use uuid::Uuid;

pub(crate) enum OutboxWrite {
    Queue {
        id: Uuid,
        case_id: Uuid,
        purpose: String,
        to: String,
        raw: Vec<u8>,
        not_before: String,
        attempts: i64,
    },
    /// A further private link to a case.
    Link {
        digest: Vec<u8>,
        case_id: Uuid,
        created_at: String,
    },
    /// Holds a due message until `lease_until`, if it is still queued and due as it was read.
    Lease {
        id: Uuid,
        was_due: String,
        lease_until: String,
    },
    Deferred {
        id: Uuid,
        retry_at: String,
        error: String,
    },
    Done {
        id: Uuid,
        status: &'static str,
        sent_at: Option<String>,
        error: Option<String>,
    },
}

const NOT_QUEUED: StoreError = StoreError::NotFound {
    what: "queued mail",
};

/// Runs `write`; `true` when it changed something (a queued message is new).
pub(super) async fn run(w: &mut Writer, write: OutboxWrite) -> Result<bool, StoreError> {
    match write {
        OutboxWrite::Queue {
            id,
            case_id,
            purpose,
            to,
            raw,
            not_before,
            attempts,
        } => {
            let done = sqlx::query(
                "INSERT INTO outbox (id, case_id, purpose, to_address, raw, not_before, attempts) \
                 VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id, purpose) DO NOTHING",
            )
            .bind(id)
            .bind(case_id)
            .bind(purpose)
            .bind(to)
            .bind(raw)
            .bind(not_before)
            .bind(attempts)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(done.rows_affected() == 1)
        }
        OutboxWrite::Link {
            digest,
            case_id,
            created_at,
        } => {
            let done = sqlx::query(
                "INSERT INTO case_links (digest, case_id, created_at) VALUES (?, ?, ?) \
                 ON CONFLICT (digest) DO NOTHING",
            )
            .bind(digest)
            .bind(case_id)
            .bind(created_at)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(done.rows_affected() == 1)
        }
        OutboxWrite::Lease {
            id,
            was_due,
            lease_until,
        } => {
            let done = sqlx::query(
                "UPDATE outbox SET not_before = ? \
                 WHERE id = ? AND status = 'queued' AND not_before = ?",
            )
            .bind(lease_until)
            .bind(id)
            .bind(was_due)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(done.rows_affected() == 1)
        }
        OutboxWrite::Deferred {
            id,
            retry_at,
            error,
        } => {
            let done = sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ? \
                 WHERE id = ? AND status = 'queued'",
            )
            .bind(retry_at)
            .bind(error)
            .bind(id)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(NOT_QUEUED);
            }
            Ok(true)
        }
        OutboxWrite::Done {
            id,
            status,
            sent_at,
            error,
        } => {
            let done = sqlx::query(
                "UPDATE outbox SET status = ?, sent_at = ?, last_error = coalesce(?, last_error), \
                 attempts = attempts + 1 WHERE id = ? AND status = 'queued'",
            )
            .bind(status)
            .bind(sent_at)
            .bind(error)
            .bind(id)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(NOT_QUEUED);
            }
            Ok(true)
        }
    }
}
