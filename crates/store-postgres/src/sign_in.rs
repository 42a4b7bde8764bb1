//! Signing staff in: password hashes, failed attempts, sessions, setup tokens and password
//! links.

use crate::PgStore;
use crate::error::map_err;
use crate::staff::{staff_columns, staff_from_row};
use async_trait::async_trait;
use redress_domain::{EmailAddress, PasswordHash, StaffId, TokenDigest};
use redress_store::{
    LockPolicy, NewPasswordLink, NewSession, Session, SignInFailures, SignInRecord, SignInStore,
    StoreError,
};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

/// SQLSTATE of a foreign key violation: here, a session of a staff member who does not exist.
const FOREIGN_KEY_VIOLATION: &str = "23503";

const NO_STAFF: StoreError = StoreError::NotFound {
    what: "staff member",
};

fn failures_from_row(row: &PgRow) -> Result<SignInFailures, StoreError> {
    let count: i32 = row.try_get("failed_sign_ins").map_err(map_err)?;
    Ok(SignInFailures {
        count: u32::try_from(count)
            .map_err(|_| StoreError::Corrupt(format!("failed_sign_ins {count}")))?,
        locked_until: row.try_get("locked_until").map_err(map_err)?,
    })
}

#[async_trait]
impl SignInStore for PgStore {
    async fn sign_in_record(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<SignInRecord>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            staff_columns!(""),
            ", password_hash, failed_sign_ins, locked_until FROM staff WHERE email_key = $1"
        ))
        .bind(email.match_key())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let hash: Option<String> = row.try_get("password_hash").map_err(map_err)?;
        Ok(Some(SignInRecord {
            staff: staff_from_row(&row)?,
            password_hash: hash.map(PasswordHash::from_phc),
            failures: failures_from_row(&row)?,
        }))
    }

    async fn password_hash(&self, staff: StaffId) -> Result<Option<PasswordHash>, StoreError> {
        let hash: Option<Option<String>> =
            sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = $1")
                .bind(staff.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(hash.ok_or(NO_STAFF)?.map(PasswordHash::from_phc))
    }

    async fn set_password_hash(
        &self,
        staff: StaffId,
        hash: &PasswordHash,
    ) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE staff SET password_hash = $2 WHERE id = $1")
            .bind(staff.as_uuid())
            .bind(hash.as_phc())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(NO_STAFF);
        }
        Ok(())
    }

    async fn record_sign_in_failure(
        &self,
        staff: StaffId,
        at: OffsetDateTime,
        lock: LockPolicy,
    ) -> Result<SignInFailures, StoreError> {
        // The first update locks the row until the commit: concurrent failures queue there, and
        // each sees the count the one before it left.
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        let count: Option<i32> = sqlx::query_scalar(
            "UPDATE staff SET failed_sign_ins = failed_sign_ins + 1 WHERE id = $1 \
             RETURNING failed_sign_ins",
        )
        .bind(staff.as_uuid())
        .fetch_optional(&mut *tx)
        .await
        .map_err(map_err)?;
        let count = count.ok_or(NO_STAFF)?;
        let count = u32::try_from(count)
            .map_err(|_| StoreError::Corrupt(format!("failed_sign_ins {count}")))?;
        let locked_until = lock(count).map(|d| at + d);
        sqlx::query("UPDATE staff SET locked_until = $2 WHERE id = $1")
            .bind(staff.as_uuid())
            .bind(locked_until)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)?;
        Ok(SignInFailures {
            count,
            locked_until,
        })
    }

    async fn reset_sign_in_failures(&self, staff: StaffId) -> Result<(), StoreError> {
        let done =
            sqlx::query("UPDATE staff SET failed_sign_ins = 0, locked_until = NULL WHERE id = $1")
                .bind(staff.as_uuid())
                .execute(&self.pool)
                .await
                .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(NO_STAFF);
        }
        Ok(())
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE expires_at <= $1")
            .bind(session.created_at)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO staff_sessions (digest, staff_id, created_at, last_seen_at, expires_at) \
             VALUES ($1, $2, $3, $3, $4)",
        )
        .bind(session.digest.as_bytes().as_slice())
        .bind(session.staff.as_uuid())
        .bind(session.created_at)
        .bind(session.expires_at)
        .execute(&self.pool)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.code().as_deref() == Some(FOREIGN_KEY_VIOLATION) => {
                NO_STAFF
            }
            _ => map_err(e),
        })?;
        Ok(())
    }

    async fn session(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            staff_columns!("s."),
            ", x.created_at AS session_created_at, x.last_seen_at, x.expires_at \
             FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.digest = $1"
        ))
        .bind(digest.as_bytes().as_slice())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: OffsetDateTime = row.try_get("expires_at").map_err(map_err)?;
        if expires_at <= now {
            sqlx::query("DELETE FROM staff_sessions WHERE digest = $1 AND expires_at <= $2")
                .bind(digest.as_bytes().as_slice())
                .bind(now)
                .execute(&self.pool)
                .await
                .map_err(map_err)?;
            return Ok(None);
        }
        Ok(Some(Session {
            staff: staff_from_row(&row)?,
            created_at: row.try_get("session_created_at").map_err(map_err)?,
            last_seen_at: row.try_get("last_seen_at").map_err(map_err)?,
            expires_at,
        }))
    }

    async fn touch_session(
        &self,
        digest: &TokenDigest,
        last_seen_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE staff_sessions SET last_seen_at = $2, expires_at = $3 WHERE digest = $1",
        )
        .bind(digest.as_bytes().as_slice())
        .bind(last_seen_at)
        .bind(expires_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn delete_session(&self, digest: &TokenDigest) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM staff_sessions WHERE digest = $1")
            .bind(digest.as_bytes().as_slice())
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn delete_sessions_of(
        &self,
        staff: StaffId,
        keep: Option<&TokenDigest>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query(
            "DELETE FROM staff_sessions WHERE staff_id = $1 \
             AND ($2::bytea IS NULL OR digest <> $2)",
        )
        .bind(staff.as_uuid())
        .bind(keep.map(|d| d.as_bytes().as_slice()))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected())
    }

    async fn create_setup_token(
        &self,
        digest: &TokenDigest,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM setup_tokens WHERE expires_at <= now()")
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        sqlx::query("INSERT INTO setup_tokens (digest, expires_at) VALUES ($1, $2)")
            .bind(digest.as_bytes().as_slice())
            .bind(expires_at)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    async fn setup_token_valid(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE digest = $1 AND expires_at > $2)",
        )
        .bind(digest.as_bytes().as_slice())
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)
    }

    async fn take_setup_token(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        // Deleting is taking: of racing callers, only one deletes the row and gets it back.
        let expires_at: Option<OffsetDateTime> =
            sqlx::query_scalar("DELETE FROM setup_tokens WHERE digest = $1 RETURNING expires_at")
                .bind(digest.as_bytes().as_slice())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(expires_at.filter(|at| *at > now))
    }

    async fn any_admin_has_password(&self) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM staff \
             WHERE role = 'admin' AND active AND password_hash IS NOT NULL)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(map_err)
    }

    async fn create_password_link(&self, link: &NewPasswordLink) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query("DELETE FROM password_links WHERE expires_at <= $1 OR staff_id = $2")
            .bind(link.created_at)
            .bind(link.staff.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query(
            "INSERT INTO password_links (digest, staff_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(link.digest.as_bytes().as_slice())
        .bind(link.staff.as_uuid())
        .bind(link.created_at)
        .bind(link.expires_at)
        .execute(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(db) if db.code().as_deref() == Some(FOREIGN_KEY_VIOLATION) => {
                NO_STAFF
            }
            _ => map_err(e),
        })?;
        tx.commit().await.map_err(map_err)
    }

    async fn password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError> {
        let staff: Option<uuid::Uuid> = sqlx::query_scalar(
            "SELECT staff_id FROM password_links WHERE digest = $1 AND expires_at > $2",
        )
        .bind(digest.as_bytes().as_slice())
        .bind(now)
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(staff.map(StaffId::from_uuid))
    }

    async fn take_password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError> {
        // Deleting is taking: of racing callers, only one deletes the row and gets it back.
        let taken: Option<(uuid::Uuid, OffsetDateTime)> = sqlx::query_as(
            "DELETE FROM password_links WHERE digest = $1 RETURNING staff_id, expires_at",
        )
        .bind(digest.as_bytes().as_slice())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(taken
            .filter(|(_, expires_at)| *expires_at > now)
            .map(|(staff, _)| StaffId::from_uuid(staff)))
    }
}
