//! The writes of signing staff in: password hashes, failed attempts, sessions, setup tokens and
//! password links. All small and rare next to intakes, so they share one kind of job. Each is
//! one statement (atomic on its own) except counting a failure and storing a password link,
//! which run in their savepoint.

use super::Writer;
use super::jobs::open_savepoint;
use crate::codec::{backend, db_error, parse_timestamp, timestamp};
use redress_domain::{PasswordHash, StaffId, TokenDigest};
use redress_store::{LockPolicy, NewPasswordLink, NewSession, SignInFailures, StoreError};
use time::OffsetDateTime;
use uuid::Uuid;

const NO_STAFF: StoreError = StoreError::NotFound {
    what: "staff member",
};

/// A sign-in write, its values prepared by the caller.
pub(crate) enum SignInWrite {
    SetPasswordHash {
        staff: Uuid,
        phc: String,
    },
    RecordFailure {
        staff: Uuid,
        at: OffsetDateTime,
        lock: LockPolicy,
    },
    ResetFailures {
        staff: Uuid,
    },
    /// Also deletes the sessions expired by `created_at`.
    CreateSession {
        digest: Vec<u8>,
        staff: Uuid,
        created_at: String,
        expires_at: String,
    },
    TouchSession {
        digest: Vec<u8>,
        last_seen_at: String,
        expires_at: String,
    },
    /// Deletes the session; only if it expired by `expired_by`, when given.
    DeleteSession {
        digest: Vec<u8>,
        expired_by: Option<String>,
    },
    DeleteSessionsOf {
        staff: Uuid,
        keep: Option<Vec<u8>>,
    },
    /// Also deletes the setup tokens expired by `now`.
    CreateSetupToken {
        digest: Vec<u8>,
        expires_at: String,
        now: String,
    },
    TakeSetupToken {
        digest: Vec<u8>,
    },
    /// Also deletes the staff member's earlier links, and the links expired by `created_at`.
    CreatePasswordLink {
        digest: Vec<u8>,
        staff: Uuid,
        created_at: String,
        expires_at: String,
    },
    TakePasswordLink {
        digest: Vec<u8>,
    },
}

/// What a sign-in write answers.
#[derive(Debug)]
pub(crate) enum SignInDone {
    Done,
    Failures(SignInFailures),
    Deleted(u64),
    /// The setup token taken, with its expiry (checked by the caller).
    Taken(Option<OffsetDateTime>),
    /// The password link taken: whose it was and its expiry (checked by the caller).
    TakenLink(Option<(StaffId, OffsetDateTime)>),
}

fn digest(d: &TokenDigest) -> Vec<u8> {
    d.as_bytes().to_vec()
}

impl SignInWrite {
    pub(crate) fn set_password_hash(staff: StaffId, hash: &PasswordHash) -> Self {
        SignInWrite::SetPasswordHash {
            staff: staff.as_uuid(),
            phc: hash.as_phc().to_owned(),
        }
    }

    pub(crate) fn create_session(s: &NewSession) -> Result<Self, StoreError> {
        Ok(SignInWrite::CreateSession {
            digest: digest(&s.digest),
            staff: s.staff.as_uuid(),
            created_at: timestamp(s.created_at)?,
            expires_at: timestamp(s.expires_at)?,
        })
    }

    pub(crate) fn touch_session(
        d: &TokenDigest,
        last_seen_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<Self, StoreError> {
        Ok(SignInWrite::TouchSession {
            digest: digest(d),
            last_seen_at: timestamp(last_seen_at)?,
            expires_at: timestamp(expires_at)?,
        })
    }

    pub(crate) fn delete_session(
        d: &TokenDigest,
        expired_by: Option<OffsetDateTime>,
    ) -> Result<Self, StoreError> {
        Ok(SignInWrite::DeleteSession {
            digest: digest(d),
            expired_by: expired_by.map(timestamp).transpose()?,
        })
    }

    pub(crate) fn delete_sessions_of(staff: StaffId, keep: Option<&TokenDigest>) -> Self {
        SignInWrite::DeleteSessionsOf {
            staff: staff.as_uuid(),
            keep: keep.map(digest),
        }
    }

    pub(crate) fn create_setup_token(
        d: &TokenDigest,
        expires_at: OffsetDateTime,
    ) -> Result<Self, StoreError> {
        Ok(SignInWrite::CreateSetupToken {
            digest: digest(d),
            expires_at: timestamp(expires_at)?,
            now: timestamp(OffsetDateTime::now_utc())?,
        })
    }

    pub(crate) fn take_setup_token(d: &TokenDigest) -> Self {
        SignInWrite::TakeSetupToken { digest: digest(d) }
    }

    pub(crate) fn create_password_link(link: &NewPasswordLink) -> Result<Self, StoreError> {
        Ok(SignInWrite::CreatePasswordLink {
            digest: digest(&link.digest),
            staff: link.staff.as_uuid(),
            created_at: timestamp(link.created_at)?,
            expires_at: timestamp(link.expires_at)?,
        })
    }

    pub(crate) fn take_password_link(d: &TokenDigest) -> Self {
        SignInWrite::TakePasswordLink { digest: digest(d) }
    }
}

fn found(rows: u64) -> Result<SignInDone, StoreError> {
    if rows == 0 {
        Err(NO_STAFF)
    } else {
        Ok(SignInDone::Done)
    }
}

pub(super) async fn run(w: &mut Writer, write: SignInWrite) -> Result<SignInDone, StoreError> {
    match write {
        SignInWrite::SetPasswordHash { staff, phc } => {
            let done = sqlx::query("UPDATE staff SET password_hash = ? WHERE id = ?")
                .bind(phc)
                .bind(staff)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            found(done.rows_affected())
        }
        SignInWrite::RecordFailure { staff, at, lock } => {
            open_savepoint(w).await?;
            let count: Option<i64> = sqlx::query_scalar(
                "UPDATE staff SET failed_sign_ins = failed_sign_ins + 1 WHERE id = ? \
                 RETURNING failed_sign_ins",
            )
            .bind(staff)
            .fetch_optional(&mut w.conn)
            .await
            .map_err(backend)?;
            let count = count.ok_or(NO_STAFF)?;
            let count = u32::try_from(count)
                .map_err(|_| StoreError::Corrupt(format!("failed_sign_ins {count}")))?;
            let locked_until = lock(count).map(|d| at + d);
            sqlx::query("UPDATE staff SET locked_until = ? WHERE id = ?")
                .bind(locked_until.map(timestamp).transpose()?)
                .bind(staff)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            Ok(SignInDone::Failures(SignInFailures {
                count,
                locked_until,
            }))
        }
        SignInWrite::ResetFailures { staff } => {
            let done = sqlx::query(
                "UPDATE staff SET failed_sign_ins = 0, locked_until = NULL WHERE id = ?",
            )
            .bind(staff)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            found(done.rows_affected())
        }
        SignInWrite::CreateSession {
            digest,
            staff,
            created_at,
            expires_at,
        } => {
            sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= ?")
                .bind(created_at.clone())
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            sqlx::query(
                "INSERT INTO staff_sessions (digest, staff_id, created_at, last_seen_at, \
                 expires_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(digest)
            .bind(staff)
            .bind(created_at.clone())
            .bind(created_at)
            .bind(expires_at)
            .execute(&mut w.conn)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => NO_STAFF,
                _ => db_error(e, |_| "token"),
            })?;
            Ok(SignInDone::Done)
        }
        SignInWrite::TouchSession {
            digest,
            last_seen_at,
            expires_at,
        } => {
            sqlx::query(
                "UPDATE staff_sessions SET last_seen_at = ?, expires_at = ? WHERE digest = ?",
            )
            .bind(last_seen_at)
            .bind(expires_at)
            .bind(digest)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(SignInDone::Done)
        }
        SignInWrite::DeleteSession { digest, expired_by } => {
            sqlx::query(
                "DELETE FROM staff_sessions WHERE digest = ? AND (? IS NULL OR expires_at <= ?)",
            )
            .bind(digest)
            .bind(expired_by.clone())
            .bind(expired_by)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(SignInDone::Done)
        }
        SignInWrite::DeleteSessionsOf { staff, keep } => {
            let done = sqlx::query(
                "DELETE FROM staff_sessions WHERE staff_id = ? AND (? IS NULL OR digest <> ?)",
            )
            .bind(staff)
            .bind(keep.clone())
            .bind(keep)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(SignInDone::Deleted(done.rows_affected()))
        }
        SignInWrite::CreateSetupToken {
            digest,
            expires_at,
            now,
        } => {
            sqlx::query("DELETE FROM setup_tokens WHERE expires_at <= ?")
                .bind(now)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            sqlx::query("INSERT INTO setup_tokens (digest, expires_at) VALUES (?, ?)")
                .bind(digest)
                .bind(expires_at)
                .execute(&mut w.conn)
                .await
                .map_err(|e| db_error(e, |_| "token"))?;
            Ok(SignInDone::Done)
        }
        SignInWrite::TakeSetupToken { digest } => {
            // The writer runs one job at a time: the first taker deletes the row, later ones
            // find nothing.
            let expires_at: Option<String> = sqlx::query_scalar(
                "DELETE FROM setup_tokens WHERE digest = ? RETURNING expires_at",
            )
            .bind(digest)
            .fetch_optional(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(SignInDone::Taken(
                expires_at.as_deref().map(parse_timestamp).transpose()?,
            ))
        }
        SignInWrite::CreatePasswordLink {
            digest,
            staff,
            created_at,
            expires_at,
        } => {
            open_savepoint(w).await?;
            sqlx::query(
                "DELETE FROM password_links WHERE expires_at <= ?; \
                 DELETE FROM password_links WHERE staff_id = ?",
            )
            .bind(created_at.clone())
            .bind(staff)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            sqlx::query(
                "INSERT INTO password_links (digest, staff_id, created_at, expires_at) \
                 VALUES (?, ?, ?, ?)",
            )
            .bind(digest)
            .bind(staff)
            .bind(created_at)
            .bind(expires_at)
            .execute(&mut w.conn)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db) if db.is_foreign_key_violation() => NO_STAFF,
                _ => db_error(e, |_| "token"),
            })?;
            Ok(SignInDone::Done)
        }
        SignInWrite::TakePasswordLink { digest } => {
            // As with setup tokens: the first taker deletes the row, later ones find nothing.
            let taken: Option<(Uuid, String)> = sqlx::query_as(
                "DELETE FROM password_links WHERE digest = ? RETURNING staff_id, expires_at",
            )
            .bind(digest)
            .fetch_optional(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(SignInDone::TakenLink(
                taken
                    .map(|(staff, expires_at)| {
                        parse_timestamp(&expires_at).map(|at| (StaffId::from_uuid(staff), at))
                    })
                    .transpose()?,
            ))
        }
    }
}
