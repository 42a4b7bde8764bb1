//! What signing staff in needs stored: password hashes, counts of failed attempts, sessions, the
//! first run's setup tokens and the password links an administrator hands to a staff member. The policy (how long sessions last, when an account is locked)
//! is the app's; the store keeps the values and makes the racy parts atomic.

use crate::StoreError;
use async_trait::async_trait;
use redress_domain::{EmailAddress, PasswordHash, Staff, StaffId, TokenDigest};
use time::{Duration, OffsetDateTime};

/// A staff member as signing in sees them: with their password hash (if they have set one) and
/// their record of failed attempts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInRecord {
    pub staff: Staff,
    pub password_hash: Option<PasswordHash>,
    pub failures: SignInFailures,
}

/// Consecutive failed sign-ins since the last success, and until when further attempts are
/// refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignInFailures {
    pub count: u32,
    pub locked_until: Option<OffsetDateTime>,
}

/// How long further attempts are refused after `count` consecutive failures (`None`: not
/// locked). A plain function, so the store can apply it atomically with the count.
pub type LockPolicy = fn(count: u32) -> Option<Duration>;

/// A session to store (the token itself is never stored, only its digest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub digest: TokenDigest,
    pub staff: StaffId,
    pub created_at: OffsetDateTime,
    /// When it ends unless touched; `last_seen_at` starts as `created_at`.
    pub expires_at: OffsetDateTime,
}

/// A stored, unexpired session and whose it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub staff: Staff,
    pub created_at: OffsetDateTime,
    pub last_seen_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

/// A one-time link with which one staff member sets their password (the token itself is never
/// stored, only its digest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPasswordLink {
    pub digest: TokenDigest,
    pub staff: StaffId,
    pub created_at: OffsetDateTime,
    pub expires_at: OffsetDateTime,
}

#[async_trait]
pub trait SignInStore: Send + Sync {
    /// The staff member with this email (compared as `EmailAddress::match_key`), with their
    /// password hash and failed attempts; `None` if nobody has it.
    async fn sign_in_record(
        &self,
        email: &EmailAddress,
    ) -> Result<Option<SignInRecord>, StoreError>;

    /// The staff member's password hash (`None` until one is set). `NotFound` if there is no
    /// such staff member.
    async fn password_hash(&self, staff: StaffId) -> Result<Option<PasswordHash>, StoreError>;

    /// Sets (or replaces) the staff member's password hash. `NotFound` if there is no such staff
    /// member.
    async fn set_password_hash(
        &self,
        staff: StaffId,
        hash: &PasswordHash,
    ) -> Result<(), StoreError>;

    /// Counts one more consecutive failure at `at`, atomically with every other caller (no
    /// failure is lost to a race), and locks further attempts until `at + lock(count)` if the
    /// policy says so (an unlocked policy answer clears any lock). Returns the new record.
    /// `NotFound` if there is no such staff member.
    async fn record_sign_in_failure(
        &self,
        staff: StaffId,
        at: OffsetDateTime,
        lock: LockPolicy,
    ) -> Result<SignInFailures, StoreError>;

    /// Forgets the failures (after a success, or a new password). `NotFound` if there is no such
    /// staff member.
    async fn reset_sign_in_failures(&self, staff: StaffId) -> Result<(), StoreError>;

    /// Stores a new session, and deletes every session that expired by its `created_at`.
    /// `Conflict` ("token") if the digest is taken; `NotFound` if there is no such staff member.
    async fn create_session(&self, session: &NewSession) -> Result<(), StoreError>;

    /// The session with this digest, if it has not expired by `now`; an expired one is deleted.
    async fn session(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<Session>, StoreError>;

    /// Records that the session was used at `last_seen_at` and now ends at `expires_at`. Does
    /// nothing if there is no such session.
    async fn touch_session(
        &self,
        digest: &TokenDigest,
        last_seen_at: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Ends one session. Does nothing if there is no such session.
    async fn delete_session(&self, digest: &TokenDigest) -> Result<(), StoreError>;

    /// Ends every session of `staff` except `keep` (all of them with `None`). Returns how many
    /// ended.
    async fn delete_sessions_of(
        &self,
        staff: StaffId,
        keep: Option<&TokenDigest>,
    ) -> Result<u64, StoreError>;

    /// Stores a one-time setup token valid until `expires_at`, and deletes the expired ones.
    /// `Conflict` ("token") if the digest is taken.
    async fn create_setup_token(
        &self,
        digest: &TokenDigest,
        expires_at: OffsetDateTime,
    ) -> Result<(), StoreError>;

    /// Whether a setup token is stored and unexpired at `now` (without taking it).
    async fn setup_token_valid(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError>;

    /// Takes a setup token: deletes it and returns when it was to expire, if it was stored and
    /// unexpired at `now`. However many callers race for one token, exactly one gets it.
    async fn take_setup_token(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<OffsetDateTime>, StoreError>;

    /// Whether an active administrator has a password (then the first run is over).
    async fn any_admin_has_password(&self) -> Result<bool, StoreError>;

    /// Stores a password link, deleting every earlier link of the same staff member (only the
    /// newest works) and every link expired by its `created_at`. `Conflict` ("token") if the
    /// digest is taken; `NotFound` if there is no such staff member.
    async fn create_password_link(&self, link: &NewPasswordLink) -> Result<(), StoreError>;

    /// Whose password link this is, if it is stored and unexpired at `now` (without taking it).
    async fn password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError>;

    /// Takes a password link: deletes it and returns whose it was, if it was stored and
    /// unexpired at `now`. However many callers race for one link, exactly one gets it.
    async fn take_password_link(
        &self,
        digest: &TokenDigest,
        now: OffsetDateTime,
    ) -> Result<Option<StaffId>, StoreError>;
}
