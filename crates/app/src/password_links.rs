//! One-time links with which a staff member sets their password: made when an administrator
//! adds them, or again when they forgot it. The administrator passes the link on; it works
//! once, for [`PASSWORD_LINK_LIFETIME`], only for an active staff member, and a newer link for
//! the same person replaces it. Like the first run's setup link, its token carries 256 random
//! bits and only its digest is stored.

use crate::passwords::{self, check_new_password};
use crate::sign_in::SignedIn;
use crate::staff_admin::{inactive, require_admin};
use crate::{App, AppError};
use redress_domain::{Invalid, SetupToken, Staff, StaffId};
use redress_store::NewPasswordLink;
use time::{Duration, OffsetDateTime};

/// How long a password link works.
pub const PASSWORD_LINK_LIFETIME: Duration = Duration::hours(72);

/// A password link just made: the token goes into the link, shown once to the administrator.
#[derive(Debug)]
pub struct PasswordLink {
    pub staff: Staff,
    pub token: SetupToken,
    pub expires_at: OffsetDateTime,
}

const NO_LINK: AppError = AppError::NotFound("password link");

impl App {
    /// Makes a link for `staff`, replacing any earlier one.
    pub(crate) async fn new_password_link(&self, staff: &Staff) -> Result<PasswordLink, AppError> {
        let token = SetupToken::generate();
        let created_at = self.now();
        let expires_at = created_at + PASSWORD_LINK_LIFETIME;
        self.store
            .create_password_link(&NewPasswordLink {
                digest: token.digest(),
                staff: staff.id,
                created_at,
                expires_at,
            })
            .await?;
        Ok(PasswordLink {
            staff: staff.clone(),
            token,
            expires_at,
        })
    }

    /// A new password link for a staff member who forgot their password (or never set one);
    /// their earlier link stops working, their password works until they set a new one.
    /// `Conflict` if they are inactive; `NotFound` if there is no such staff member.
    pub async fn issue_password_link(
        &self,
        by: &Staff,
        id: StaffId,
    ) -> Result<PasswordLink, AppError> {
        require_admin(by)?;
        let staff = self.store.staff(id).await?;
        if !staff.active {
            return Err(inactive());
        }
        let link = self.new_password_link(&staff).await?;
        tracing::info!(staff = %id, by = %by.id, "a password link was made");
        Ok(link)
    }

    /// Whose password link this is, if it still works (without using it): for showing the
    /// form. `None` for a link used, replaced, expired or unknown, or whose holder is inactive.
    pub async fn password_link_holder(&self, token: &str) -> Result<Option<Staff>, AppError> {
        let digest = SetupToken::presented(token).digest();
        let Some(id) = self.store.password_link(&digest, self.now()).await? else {
            return Ok(None);
        };
        Ok(Some(self.store.staff(id).await?).filter(|s| s.active))
    }

    /// Uses a password link: sets its holder's password, ends every session they had, and signs
    /// them in. `NotFound` if the link does not work (see `password_link_holder`); `Invalid` on
    /// "password" if it breaks the rules, and then the link still works.
    pub async fn use_password_link(
        &self,
        token: &str,
        password: &str,
    ) -> Result<SignedIn, AppError> {
        let Some(holder) = self.password_link_holder(token).await? else {
            return Err(NO_LINK);
        };
        let mut errors = Invalid::default();
        check_new_password(&mut errors, "password", password, holder.email.as_str());
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let hash = passwords::hash(password).await?;
        // Taking the link is the one step that decides, whoever else uses it at the same time.
        let digest = SetupToken::presented(token).digest();
        let Some(id) = self.store.take_password_link(&digest, self.now()).await? else {
            return Err(NO_LINK);
        };
        let staff = self.store.staff(id).await?;
        if !staff.active {
            return Err(NO_LINK);
        }
        self.store.set_password_hash(id, &hash).await?;
        self.store.reset_sign_in_failures(id).await?;
        self.store.delete_sessions_of(id, None).await?;
        tracing::info!(staff = %id, "password set with a password link");
        self.start_session(staff).await
    }
}
