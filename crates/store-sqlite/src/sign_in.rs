//! Signing staff in: reads through the read pool, writes through the writer
//! (`writer::sign_in`).

use crate::SqliteStore;
use crate::codec::{backend, corrupt, parse_timestamp, timestamp};
use crate::read::{get, staff_from_row, staff_sql};
use crate::writer::{Job, SignInDone, SignInWrite, submit};
use async_trait::async_trait;
use redress_domain::{EmailAddress, PasswordHash, StaffId, TokenDigest};
use redress_store::{
    LockPolicy, NewPasswordLink, NewSession, Session, SignInFailures, SignInRecord, SignInStore,
    StoreError,
};
use time::OffsetDateTime;

impl SqliteStore {
    async fn sign_in_write(&self, write: SignInWrite) -> Result<SignInDone, StoreError> {
        submit(&self.writer, |reply| Job::SignIn(Box::new(write), reply)).await
    }
}

fn unexpected(done: SignInDone) -> StoreError {
    corrupt(format!("the writer answered {done:?} to a sign-in write"))
}

#[async_trait]
impl SignInStore for SqliteStore {
    async fn sign_in_record(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<SignInRecord>, StoreError> {
        let row = sqlx::query(staff_sql!(
            ", s.password_hash, s.failed_sign_ins, s.locked_until FROM staff s \
             WHERE s.email_key = ?"
        ))
        .bind(email.match_key())
        .fetch_optional(&self.readers)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let count: i64 = get(&row, "failed_sign_ins")?;
        let locked_until: Option<&str> = get(&row, "locked_until")?;
        Ok(Some(SignInRecord {
            staff: staff_from_row(&row)?,
            password_hash: get::<Option<String>>(&row, "password_hash")?
                .map(PasswordHash::from_phc),
            failures: SignInFailures {
                count: u32::try_from(count)
                    .map_err(|_| corrupt(format!("failed_sign_ins {count}")))?,
                locked_until: locked_until.map(parse_timestamp).transpose()?,
            },
        }))
    }

    async fn password_hash(&self, staff: StaffId) -> Result<Option<PasswordHash>, StoreError> {
        let hash: Option<Option<String>> =
            sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = ?")
                .bind(staff.as_uuid())
                .fetch_optional(&self.readers)
                .await
                .map_err(backend)?;
        let hash = hash.ok_or(StoreError::NotFound {
            what: "staff member",
        })?;
        Ok(hash.map(PasswordHash::from_phc))
    }

    async fn set_password_hash(
        &self,
        staff: StaffId,
        hash: &PasswordHash,
    ) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::set_password_hash(staff, hash))
            .await
            .map(drop)
    }

    async fn record_sign_in_failure(
        &self,
        staff: StaffId,
        at: OffsetDateTime,
        lock: LockPolicy,
    ) -> Result<SignInFailures, StoreError> {
        let write = SignInWrite::RecordFailure {
            staff: staff.as_uuid(),
            at,
            lock,
        };
        match self.sign_in_write(write).await? {
            SignInDone::Failures(failures) => Ok(failures),
            other => Err(unexpected(other)),
        }
    }

    async fn reset_sign_in_failures(&self, staff: StaffId) -> Result<(), StoreError> {
        let write = SignInWrite::ResetFailures {
            staff: staff.as_uuid(),
        };
        self.sign_in_write(write).await.map(drop)
    }

    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::create_session(session)?)
            .await
            .map(drop)
    }

    async fn session(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(staff_sql!(
            ", x.created_at AS session_created_at, x.last_seen_at, x.expires_at \
             FROM staff_sessions x JOIN staff s ON s.id = x.staff_id WHERE x.digest = ?"
        ))
        .bind(digest.as_bytes().to_vec())
        .fetch_optional(&self.readers)
        .await
        .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let expires_at = parse_timestamp(get(&row, "expires_at")?)?;
        if expires_at <= now {
            self.sign_in_write(SignInWrite::delete_session(digest, Some(now))?)
                .await?;
            return Ok(None);
        }
        Ok(Some(Session {
            staff: staff_from_row(&row)?,
            created_at: parse_timestamp(get(&row, "session_created_at")?)?,
            last_seen_at: parse_timestamp(get(&row, "last_seen_at")?)?,
            expires_at,
        }))
    }

    async fn touch_session(
        &self,
        digest: &TokenDigest,
        last_seen_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::touch_session(
            digest,
            last_seen_at,
            expires_at,
        )?)
        .await
        .map(drop)
    }

    async fn delete_session(&self, digest: &TokenDigest) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::delete_session(digest, None)?)
            .await
            .map(drop)
    }

    async fn delete_sessions_of(
        &self,
        staff: StaffId,
        keep: Option<&TokenDigest>,
    ) -> Result<u64, StoreError> {
        match self
            .sign_in_write(SignInWrite::delete_sessions_of(staff, keep))
            .await?
        {
            SignInDone::Deleted(n) => Ok(n),
            other => Err(unexpected(other)),
        }
    }

    async fn create_setup_token(
        &self,
        digest: &TokenDigest,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::create_setup_token(digest, expires_at)?)
            .await
            .map(drop)
    }

    async fn setup_token_valid(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE digest = ? AND expires_at > ?)",
        )
        .bind(digest.as_bytes().to_vec())
        .bind(timestamp(now)?)
        .fetch_one(&self.readers)
        .await
        .map_err(backend)
    }

    async fn take_setup_token(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError> {
        match self
            .sign_in_write(SignInWrite::take_setup_token(digest))
            .await?
        {
            SignInDone::Taken(expires_at) => Ok(expires_at.filter(|at| *at > now)),
            other => Err(unexpected(other)),
        }
    }

    async fn any_admin_has_password(&self) -> Result<bool, StoreError> {
        sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM staff \
             WHERE role = 'admin' AND active AND password_hash IS NOT NULL)",
        )
        .fetch_one(&self.readers)
        .await
        .map_err(backend)
    }

    async fn create_password_link(&self, link: &NewPasswordLink) -> Result<(), StoreError> {
        self.sign_in_write(SignInWrite::create_password_link(link)?)
            .await
            .map(drop)
    }

    async fn password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError> {
        let staff: Option<uuid::Uuid> = sqlx::query_scalar(
            "SELECT staff_id FROM password_links WHERE digest = ? AND expires_at > ?",
        )
        .bind(digest.as_bytes().to_vec())
        .bind(timestamp(now)?)
        .fetch_optional(&self.readers)
        .await
        .map_err(backend)?;
        Ok(staff.map(StaffId::from_uuid))
    }

    async fn take_password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError> {
        match self
            .sign_in_write(SignInWrite::take_password_link(digest))
            .await?
        {
            SignInDone::TakenLink(taken) => Ok(taken
                .filter(|(_, expires_at)| *expires_at > now)
                .map(|(staff, _)| staff)),
            other => Err(unexpected(other)),
        }
    }
}
