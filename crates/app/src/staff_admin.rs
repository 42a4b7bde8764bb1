//! Managing staff: creating members (from the command line, or by an administrator, who hands
//! the new member a one-time link to set their password), changing their role, team and
//! authority limit, deactivating and reactivating them. Every administrator's use case takes the
//! staff member acting and refuses anyone but an active administrator.
//!
//! Two rules keep the desk administrable: an administrator cannot demote or deactivate
//! themselves, and the last active administrator cannot be removed (the store checks this
//! atomically, so two administrators demoting each other at once leave one).

use crate::password_links::PasswordLink;
use crate::{App, AppError, now};
use redress_domain::{
    ApiToken, EmailAddress, Invalid, Money, NewStaff, Role, Staff, StaffId, Text,
};
use redress_store::{StoreError, Team};
use serde::Deserialize;

/// Refuses anyone but an active administrator.
pub(crate) fn require_admin(by: &Staff) -> Result<(), AppError> {
    if by.role == Role::Admin && by.active {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "only an administrator may do this".to_owned(),
        ))
    }
}

/// A new staff member, as an administrator describes them.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffDraft {
    pub name: Option<String>,
    pub email: Option<String>,
    /// agent, supervisor or admin.
    pub role: Option<String>,
    /// The name of one of the active teams; absent or empty for none.
    pub team: Option<String>,
    /// The largest remedy they may grant without a supervisor's approval, e.g. "50" or
    /// "12.50"; absent or empty for none (every remedy with an amount then waits for approval).
    pub authority_amount: Option<String>,
    /// ISO 4217 code, required with an amount.
    pub authority_currency: Option<String>,
}

/// Changes to a staff member. A field left out keeps its value.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffChangeDraft {
    /// agent, supervisor or admin.
    pub role: Option<String>,
    /// The name of one of the active teams (or their current one); empty for none.
    pub team: Option<String>,
    /// With `authority_currency`; both empty for no limit.
    pub authority_amount: Option<String>,
    pub authority_currency: Option<String>,
    /// false deactivates them: their sessions end, their API token and password link stop
    /// working, and they cannot sign in; true lets them sign in again.
    pub active: Option<bool>,
}

/// An authority limit from an amount and a currency: `Some(None)` for none given.
fn authority(
    errors: &mut Invalid,
    amount: Option<&str>,
    currency: Option<&str>,
) -> Option<Option<Money>> {
    let amount = amount.map(str::trim).filter(|a| !a.is_empty());
    let currency = currency.map(str::trim).filter(|c| !c.is_empty());
    match (amount, currency) {
        (None, None) => Some(None),
        (Some(a), Some(c)) => match Money::parse(a, c) {
            Ok(m) => Some(Some(m)),
            Err((field, msg)) => {
                errors.add(format!("authority_{field}"), msg);
                None
            }
        },
        (Some(_), None) => {
            errors.add("authority_currency", "is required with an amount");
            None
        }
        (None, Some(_)) => {
            errors.add("authority_amount", "is required with a currency");
            None
        }
    }
}

fn role(errors: &mut Invalid, value: &str) -> Option<Role> {
    Role::parse(value.trim()).or_else(|| {
        errors.add("role", format!("must be one of: {}", Role::choices()));
        None
    })
}

/// The team named `name` (compared without regard to case): one of the active teams, or
/// `current` (someone keeps the team they are in, even once it is inactive).
fn team_named(
    errors: &mut Invalid,
    teams: &[Team],
    name: &str,
    current: Option<&Text>,
) -> Option<Text> {
    let name = name.trim();
    if let Some(current) = current.filter(|c| c.as_str().eq_ignore_ascii_case(name)) {
        return Some(current.clone());
    }
    let found = teams
        .iter()
        .filter(|t| t.active)
        .find(|t| t.name.as_str() == name)
        .or_else(|| {
            teams
                .iter()
                .filter(|t| t.active)
                .find(|t| t.name.as_str().to_lowercase() == name.to_lowercase())
        });
    match found {
        Some(t) => Some(t.name.clone()),
        None => {
            errors.add("team", "must be one of the teams on the list");
            None
        }
    }
}

impl App {
    /// Creates a staff member and their first API token, which is returned once (for
    /// `redress user add`, run by whoever runs the server). A team not yet on the list is added
    /// to it.
    pub async fn add_staff(
        &self,
        name: &str,
        email: &str,
        role: &str,
        team: Option<&str>,
        authority_limit: Option<(&str, &str)>,
    ) -> Result<(Staff, ApiToken), AppError> {
        let mut errors = Invalid::default();
        let name = Text::check(&mut errors, "name", name, Text::SHORT);
        let email = EmailAddress::parse(email)
            .map_err(|m| errors.add("email", m))
            .ok();
        let role = Role::parse(role).or_else(|| {
            errors.add("role", format!("must be one of: {}", Role::choices()));
            None
        });
        let team = Text::optional(&mut errors, "team", team, Text::SHORT);
        let authority_limit = match authority_limit {
            None => None,
            Some((amount, currency)) => match Money::parse(amount, currency) {
                Ok(m) => Some(m),
                Err((field, msg)) => {
                    errors.add(format!("authority_limit.{field}"), msg);
                    None
                }
            },
        };
        let (Some(name), Some(email), Some(role)) = (name, email, role) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let team = match team {
            Some(team) => Some(self.team_on_the_list(team).await?),
            None => None,
        };
        let staff = NewStaff {
            name,
            email,
            role,
            team,
            authority_limit,
        }
        .into_staff(now());
        let token = ApiToken::generate();
        self.store.add_staff(&staff, &token.digest()).await?;
        tracing::info!(staff = %staff.id, role = %staff.role, "staff member added");
        Ok((staff, token))
    }

    /// The team of this name on the list (compared without regard to case), added if missing.
    async fn team_on_the_list(&self, name: Text) -> Result<Text, AppError> {
        let teams = self.store.teams().await?;
        if let Some(t) = teams
            .iter()
            .find(|t| t.name.as_str().to_lowercase() == name.as_str().to_lowercase())
        {
            return Ok(t.name.clone());
        }
        let team = Team {
            name: name.clone(),
            description: None,
            active: true,
            created_at: self.now(),
        };
        match self.store.add_team(&team).await {
            Ok(()) | Err(StoreError::Conflict { .. }) => Ok(name),
            Err(e) => Err(e.into()),
        }
    }

    /// Every staff member, active or not, by name (for an administrator).
    pub async fn staff_for_admin(&self, by: &Staff) -> Result<Vec<Staff>, AppError> {
        require_admin(by)?;
        Ok(self.store.list_staff().await?)
    }

    /// One staff member (for an administrator). `NotFound` if there is no such staff member.
    pub async fn staff_member(&self, by: &Staff, id: StaffId) -> Result<Staff, AppError> {
        require_admin(by)?;
        Ok(self.store.staff(id).await?)
    }

    /// Creates a staff member, with a one-time link (valid `PASSWORD_LINK_LIFETIME`) with which
    /// they set their password; the administrator passes it on. `Invalid` naming each field at
    /// fault ("email" when the address belongs to someone already).
    pub async fn create_staff(
        &self,
        by: &Staff,
        draft: &StaffDraft,
    ) -> Result<(Staff, PasswordLink), AppError> {
        require_admin(by)?;
        let mut errors = Invalid::default();
        let name = match draft.name.as_deref() {
            Some(n) => Text::check(&mut errors, "name", n.trim(), Text::SHORT),
            None => {
                errors.add("name", "is required");
                None
            }
        };
        let email = match draft.email.as_deref().map(str::trim) {
            Some(e) if !e.is_empty() => EmailAddress::parse(e)
                .map_err(|m| errors.add("email", m))
                .ok(),
            _ => {
                errors.add("email", "is required");
                None
            }
        };
        let role = match draft.role.as_deref() {
            Some(r) => role(&mut errors, r),
            None => {
                errors.add("role", format!("is required: one of {}", Role::choices()));
                None
            }
        };
        let teams = self.store.teams().await?;
        let team = match draft.team.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => team_named(&mut errors, &teams, t, None).map(Some),
            _ => Some(None),
        };
        let limit = authority(
            &mut errors,
            draft.authority_amount.as_deref(),
            draft.authority_currency.as_deref(),
        );
        let (Some(name), Some(email), Some(role), Some(team), Some(authority_limit)) =
            (name, email, role, team, limit)
        else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let staff = NewStaff {
            name,
            email,
            role,
            team,
            authority_limit,
        }
        .into_staff(self.now());
        // Their API token is never shown: an administrator issues one when they need it.
        match self
            .store
            .add_staff(&staff, &ApiToken::generate().digest())
            .await
        {
            Ok(()) => {}
            Err(StoreError::Conflict { what }) if what == "email" => {
                return Err(Invalid::field(
                    "email",
                    "a staff member with this email already exists",
                )
                .into());
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(staff = %staff.id, by = %by.id, role = %staff.role, "staff member added");
        let link = self.new_password_link(&staff).await?;
        Ok((staff, link))
    }

    /// Changes a staff member's role, team, authority limit or whether they are active.
    /// `Invalid` naming each field at fault (an administrator changing their own role or
    /// deactivating themselves is refused on "role" or "active"); `Conflict` if it would leave
    /// no active administrator; `NotFound` if there is no such staff member.
    pub async fn change_staff(
        &self,
        by: &Staff,
        id: StaffId,
        draft: &StaffChangeDraft,
    ) -> Result<Staff, AppError> {
        require_admin(by)?;
        let before = self.store.staff(id).await?;
        let mut errors = Invalid::default();
        let mut after = before.clone();
        if let Some(r) = draft.role.as_deref().and_then(|r| role(&mut errors, r)) {
            after.role = r;
        }
        if let Some(t) = draft.team.as_deref() {
            if t.trim().is_empty() {
                after.team = None;
            } else {
                let teams = self.store.teams().await?;
                if let Some(team) = team_named(&mut errors, &teams, t, before.team.as_ref()) {
                    after.team = Some(team);
                }
            }
        }
        if (draft.authority_amount.is_some() || draft.authority_currency.is_some())
            && let Some(limit) = authority(
                &mut errors,
                draft.authority_amount.as_deref(),
                draft.authority_currency.as_deref(),
            )
        {
            after.authority_limit = limit;
        }
        if let Some(active) = draft.active {
            after.active = active;
        }
        if id == by.id {
            if after.role != Role::Admin {
                errors.add(
                    "role",
                    "you cannot give up your own administrator role: another administrator can",
                );
            }
            if !after.active {
                errors.add(
                    "active",
                    "you cannot deactivate yourself: another administrator can",
                );
            }
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        if after == before {
            return Ok(after);
        }
        match self.store.update_staff(&after).await {
            Ok(()) => {}
            Err(StoreError::Conflict { what }) if what == "last admin" => {
                return Err(AppError::Conflict(
                    "this would leave no active administrator: make someone else an \
                     administrator first"
                        .to_owned(),
                ));
            }
            Err(e) => return Err(e.into()),
        }
        if before.active && !after.active {
            tracing::info!(staff = %id, by = %by.id, "staff member deactivated: sessions ended");
        } else {
            tracing::info!(staff = %id, by = %by.id, role = %after.role, "staff member changed");
        }
        Ok(after)
    }

    /// A new API token for an active staff member, returned once; their earlier tokens stop
    /// working. `Conflict` if they are inactive.
    pub async fn issue_api_token(&self, by: &Staff, id: StaffId) -> Result<ApiToken, AppError> {
        require_admin(by)?;
        let staff = self.store.staff(id).await?;
        if !staff.active {
            return Err(inactive());
        }
        let token = ApiToken::generate();
        self.store
            .replace_api_token(id, &token.digest(), self.now())
            .await?;
        tracing::info!(staff = %id, by = %by.id, "a new API token was issued");
        Ok(token)
    }
}

pub(crate) fn inactive() -> AppError {
    AppError::Conflict("this staff member is inactive: reactivate them first".to_owned())
}
