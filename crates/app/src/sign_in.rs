//! Staff signing in with an email and a password: sessions, lock-out after repeated failures,
//! password changes, and the first run's one-time setup link that creates the first
//! administrator.
//!
//! The policy, in one place:
//! - a session ends [`SESSION_LIFETIME`] after sign-in however busy, and sooner after
//!   [`SESSION_IDLE_TIMEOUT`] unused; its last use is written at most every
//!   [`SESSION_TOUCH_EVERY`], not on every request;
//! - after [`FREE_FAILURES`] consecutive failed sign-ins an account refuses every further
//!   attempt for [`FIRST_LOCK`], doubling with each further failure up to [`MAX_LOCK`] (see
//!   [`lock_for`]); a refused attempt does not even check the password; a success forgets the
//!   failures. On one node, attempts on one account take turns, so a burst of parallel guesses
//!   cannot slip past the count;
//! - an unknown email and a wrong password get the same answer after the same work (a dummy
//!   hash is checked). Only a locked account answers differently, with `TooManyAttempts`;
//! - session and setup tokens carry 256 random bits and are stored as SHA-256 digests;
//!   passwords as argon2id hashes (see `passwords`).

use crate::passwords::{self, check_new_password};
use crate::{App, AppError};
use redress_domain::{
    ApiToken, EmailAddress, Invalid, NewStaff, Role, SessionToken, SetupToken, Staff, StaffId, Text,
};
use redress_store::{NewSession, StoreError};
use std::hash::{Hash, Hasher};
use time::{Duration, OffsetDateTime};

/// A session ends this long after sign-in, however busy.
pub const SESSION_LIFETIME: Duration = Duration::hours(12);
/// A session ends after this long unused.
pub const SESSION_IDLE_TIMEOUT: Duration = Duration::hours(2);
/// A session's use is recorded (moving its idle timeout on) at most this often.
pub const SESSION_TOUCH_EVERY: Duration = Duration::minutes(1);
/// Consecutive failed sign-ins an account takes before it starts refusing attempts.
pub const FREE_FAILURES: u32 = 5;
/// How long attempts are refused after the `FREE_FAILURES`th failure in a row.
pub const FIRST_LOCK: Duration = Duration::minutes(1);
/// The longest attempts are refused (the lock doubles with each failure up to this).
pub const MAX_LOCK: Duration = Duration::minutes(30);
/// How long the first run's setup link works.
pub const SETUP_LINK_LIFETIME: Duration = Duration::hours(24);

pub use crate::passwords::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

/// How long further attempts are refused after `failures` consecutive failed sign-ins: nothing
/// before the `FREE_FAILURES`th, then `FIRST_LOCK`, doubling with each further failure, at most
/// `MAX_LOCK`.
pub fn lock_for(failures: u32) -> Option<Duration> {
    let beyond = failures.checked_sub(FREE_FAILURES)?;
    // 2^5 minutes is past the maximum already: no need to shift further.
    let lock = FIRST_LOCK * (1_i32 << beyond.min(5));
    Some(lock.min(MAX_LOCK))
}

/// A staff member just signed in: the token goes into their session cookie.
#[derive(Debug)]
pub struct SignedIn {
    pub staff: Staff,
    pub token: SessionToken,
    /// When the session ends at the latest (`SESSION_LIFETIME` after sign-in): what a cookie's
    /// `Expires` should say. It ends sooner if unused for `SESSION_IDLE_TIMEOUT`.
    pub expires_at: OffsetDateTime,
}

/// Whole seconds until `until`, rounded up (at least 1).
fn seconds_until(until: OffsetDateTime, now: OffsetDateTime) -> u64 {
    let d = until - now;
    let secs = d.whole_seconds() + i64::from(d.subsec_nanoseconds() > 0);
    u64::try_from(secs.max(1)).unwrap_or(1)
}

/// Which turn an attempt on this email waits for (see `CaseLocks`).
fn turn_key(email_key: &str) -> u128 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    email_key.hash(&mut h);
    u128::from(h.finish())
}

impl App {
    /// Signs a staff member in with their email and password. `Unauthenticated` for an unknown
    /// email, a wrong password, no password set, or an inactive account, all alike;
    /// `TooManyAttempts` while the account is locked after repeated failures.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<SignedIn, AppError> {
        let email = EmailAddress::parse(email.trim()).ok();
        let key = email
            .as_ref()
            .map(EmailAddress::match_key)
            .unwrap_or_default();
        let _turn = self.sign_in_turns.lock_key(turn_key(&key)).await;
        let record = match &email {
            Some(email) => self.store.sign_in_record(email).await?,
            None => None,
        };
        let Some(record) = record else {
            // The same work as a wrong password, and the same answer.
            passwords::verify(None, password).await;
            return Err(AppError::Unauthenticated);
        };
        let staff_id = record.staff.id;
        let now = self.now();
        if let Some(until) = record.failures.locked_until.filter(|until| *until > now) {
            tracing::info!(staff = %staff_id, "sign-in refused: locked after repeated failures");
            return Err(AppError::TooManyAttempts {
                retry_after_secs: seconds_until(until, now),
            });
        }
        let hash = record.password_hash.clone();
        if !passwords::verify(hash.clone(), password).await {
            let failures = self
                .store
                .record_sign_in_failure(staff_id, self.now(), lock_for)
                .await?;
            tracing::info!(staff = %staff_id, failures = failures.count, "sign-in failed");
            return Err(AppError::Unauthenticated);
        }
        if !record.staff.active {
            tracing::info!(staff = %staff_id, "sign-in refused: account inactive");
            return Err(AppError::Unauthenticated);
        }
        if record.failures.count > 0 || record.failures.locked_until.is_some() {
            self.store.reset_sign_in_failures(staff_id).await?;
        }
        if hash.as_ref().is_some_and(passwords::outdated) {
            // Made with older parameters: replaced now that the password is at hand.
            let fresh = passwords::hash(password).await?;
            self.store.set_password_hash(staff_id, &fresh).await?;
        }
        let signed_in = self.start_session(record.staff).await?;
        tracing::info!(staff = %staff_id, "signed in");
        Ok(signed_in)
    }

    /// Opens a session for `staff`.
    pub(crate) async fn start_session(&self, staff: Staff) -> Result<SignedIn, AppError> {
        let token = SessionToken::generate();
        let created_at = self.now();
        self.store
            .create_session(&NewSession {
                digest: token.digest(),
                staff: staff.id,
                created_at,
                expires_at: created_at + SESSION_IDLE_TIMEOUT.min(SESSION_LIFETIME),
            })
            .await?;
        Ok(SignedIn {
            staff,
            token,
            expires_at: created_at + SESSION_LIFETIME,
        })
    }

    /// The staff member signed in with this session token. `Unauthenticated` if the session is
    /// unknown, ended or expired, or its staff member is no longer active. Moves the idle timeout
    /// on (writing at most once every `SESSION_TOUCH_EVERY`).
    pub async fn staff_for_session(&self, token: &str) -> Result<Staff, AppError> {
        let digest = SessionToken::presented(token).digest();
        let now = self.now();
        let Some(session) = self.store.session(&digest, now).await? else {
            return Err(AppError::Unauthenticated);
        };
        if !session.staff.active {
            self.store.delete_session(&digest).await?;
            return Err(AppError::Unauthenticated);
        }
        if now - session.last_seen_at >= SESSION_TOUCH_EVERY {
            let expires_at =
                (now + SESSION_IDLE_TIMEOUT).min(session.created_at + SESSION_LIFETIME);
            self.store.touch_session(&digest, now, expires_at).await?;
        }
        Ok(session.staff)
    }

    /// Ends the session (signing out). Ending one that is already over is fine.
    pub async fn sign_out(&self, token: &str) -> Result<(), AppError> {
        let digest = SessionToken::presented(token).digest();
        self.store.delete_session(&digest).await?;
        Ok(())
    }

    /// Changes the password of `staff`, who is signed in with the session `session` (kept open:
    /// every other session of theirs ends). `Invalid` on "current_password" if `current` is not
    /// their password, on "new_password" if `new` breaks the rules (fewer than
    /// `MIN_PASSWORD_CHARS` characters, more than `MAX_PASSWORD_CHARS`, or their email);
    /// `Unauthenticated` if `session` is not a live session of `staff`; `TooManyAttempts` while
    /// locked (a wrong current password counts as a failed sign-in).
    pub async fn change_password(
        &self,
        staff: &Staff,
        session: &str,
        current: &str,
        new: &str,
    ) -> Result<(), AppError> {
        let digest = SessionToken::presented(session).digest();
        match self.store.session(&digest, self.now()).await? {
            Some(s) if s.staff.id == staff.id && s.staff.active => {}
            _ => return Err(AppError::Unauthenticated),
        }
        let mut errors = Invalid::default();
        check_new_password(&mut errors, "new_password", new, staff.email.as_str());

        let _turn = self
            .sign_in_turns
            .lock_key(turn_key(&staff.email.match_key()))
            .await;
        let record = self
            .store
            .sign_in_record(&staff.email)
            .await?
            .filter(|r| r.staff.id == staff.id)
            .ok_or(AppError::Unauthenticated)?;
        let now = self.now();
        if let Some(until) = record.failures.locked_until.filter(|until| *until > now) {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: seconds_until(until, now),
            });
        }
        if !passwords::verify(record.password_hash, current).await {
            self.store
                .record_sign_in_failure(staff.id, self.now(), lock_for)
                .await?;
            tracing::info!(staff = %staff.id, "password change refused: wrong current password");
            errors.add("current_password", "is not your current password");
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.replace_password(staff.id, new, Some(&digest)).await?;
        tracing::info!(staff = %staff.id, "password changed");
        Ok(())
    }

    /// Sets the password of a staff member (from `redress user add --password-stdin`, or an
    /// administrator) and ends every session they had. `Invalid` on "password" if it breaks the
    /// rules; `NotFound` if there is no such staff member.
    pub async fn set_password_for(&self, staff: StaffId, password: &str) -> Result<(), AppError> {
        let member = self.store.staff(staff).await?;
        let mut errors = Invalid::default();
        check_new_password(&mut errors, "password", password, member.email.as_str());
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.replace_password(staff, password, None).await?;
        tracing::info!(staff = %staff, "password set");
        Ok(())
    }

    /// Stores the hash of a checked new password, forgets failed attempts and ends every session
    /// but `keep`.
    async fn replace_password(
        &self,
        staff: StaffId,
        password: &str,
        keep: Option<&redress_domain::TokenDigest>,
    ) -> Result<(), AppError> {
        let hash = passwords::hash(password).await?;
        self.store.set_password_hash(staff, &hash).await?;
        self.store.reset_sign_in_failures(staff).await?;
        self.store.delete_sessions_of(staff, keep).await?;
        Ok(())
    }

    /// On the first run (no active administrator has a password yet): a fresh one-time setup
    /// token, valid for `SETUP_LINK_LIFETIME`, for the link that creates the first
    /// administrator. `None` once the first run is over.
    pub async fn setup_link_token(&self) -> Result<Option<SetupToken>, AppError> {
        if self.store.any_admin_has_password().await? {
            return Ok(None);
        }
        let token = SetupToken::generate();
        self.store
            .create_setup_token(&token.digest(), self.now() + SETUP_LINK_LIFETIME)
            .await?;
        tracing::info!("first run: a setup link was made");
        Ok(Some(token))
    }

    /// Whether a setup link still works (unused, unexpired, and the first run not over), without
    /// using it: for showing the setup form.
    pub async fn setup_link_valid(&self, token: &str) -> Result<bool, AppError> {
        let digest = SetupToken::presented(token).digest();
        Ok(self.store.setup_token_valid(&digest, self.now()).await?
            && !self.store.any_admin_has_password().await?)
    }

    /// Uses a setup link: creates the first administrator with this name, email and password,
    /// and signs them in. `NotFound` if the link is unknown, used or expired, or the first run
    /// is over; `Invalid` naming the fields at fault ("name", "email", "password"), and then the
    /// link still works.
    pub async fn complete_setup(
        &self,
        token: &str,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        const LINK: AppError = AppError::NotFound("setup link");
        let digest = SetupToken::presented(token).digest();
        if !self.setup_link_valid(token).await? {
            return Err(LINK);
        }
        let mut errors = Invalid::default();
        let name = Text::check(&mut errors, "name", name, Text::SHORT);
        let email = EmailAddress::parse(email.trim())
            .map_err(|m| errors.add("email", m))
            .ok();
        check_new_password(
            &mut errors,
            "password",
            password,
            email.as_ref().map_or("", EmailAddress::as_str),
        );
        let (Some(name), Some(email)) = (name, email) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = passwords::hash(password).await?;

        // Taking the token is the one step that decides, whoever else uses it at the same time.
        let now = self.now();
        let Some(expires_at) = self.store.take_setup_token(&digest, now).await? else {
            return Err(LINK);
        };
        let staff = NewStaff {
            name,
            email,
            role: Role::Admin,
            team: None,
            authority_limit: None,
        }
        .into_staff(now);
        // Their API token is never shown: `redress user add` makes staff who need one.
        match self
            .store
            .add_staff(&staff, &ApiToken::generate().digest())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict { what }) if what == "email" => {
                // Nothing was made: the link stays usable with another address.
                self.store.create_setup_token(&digest, expires_at).await?;
                return Err(Invalid::field(
                    "email",
                    "a staff member with this email already exists",
                )
                .into());
            }
            Err(e) => return Err(e.into()),
        }
        self.store.set_password_hash(staff.id, &hash).await?;
        tracing::info!(staff = %staff.id, "first run: the first administrator was created");
        self.start_session(staff).await
    }
}
