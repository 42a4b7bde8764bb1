//! The lists an administrator keeps: the teams staff and cases belong to, and the root causes
//! a case is closed with. Nothing is ever deleted from them: an entry is deactivated, so what
//! already names it (a staff member's team, a closed case's cause) keeps its meaning.

use crate::staff_admin::require_admin;
use crate::{App, AppError};
use redress_domain::{Invalid, RootCause, RootCauseCode, Staff, Text};
use redress_store::{StoreError, Team};
use serde::Deserialize;

/// A new team.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TeamDraft {
    /// How staff and cases name the team; it cannot change later.
    pub name: Option<String>,
    pub description: Option<String>,
}

/// A new root cause.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RootCauseDraft {
    /// What staff read when they close a case.
    pub label: Option<String>,
    /// A stable code of lower-case letters, digits and `_` (at most 64); made from the label
    /// when left out.
    pub code: Option<String>,
}

/// Changes to a root cause. A field left out keeps its value.
#[derive(Clone, Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RootCauseChangeDraft {
    pub label: Option<String>,
    /// false: no longer offered when closing a case (cases closed with it keep it).
    pub active: Option<bool>,
}

/// A root cause's code made from its label: lower-case ASCII letters and digits, everything
/// else one `_`. Empty when the label has no ASCII letter or digit.
pub fn code_from_label(label: &str) -> String {
    let mut code = String::new();
    for c in label.chars() {
        if c.is_ascii_alphanumeric() {
            code.push(c.to_ascii_lowercase());
        } else if !code.is_empty() && !code.ends_with('_') {
            code.push('_');
        }
    }
    code.truncate(64);
    code.trim_end_matches('_').to_owned()
}

impl App {
    /// Every team, active or not, by name (any staff member may read them).
    pub async fn teams(&self, _by: &Staff) -> Result<Vec<Team>, AppError> {
        Ok(self.store.teams().await?)
    }

    /// Adds a team. `Invalid` on "name" if it is missing, too long, or taken (whatever its
    /// case), on "description" if too long.
    pub async fn add_team(&self, by: &Staff, draft: &TeamDraft) -> Result<Team, AppError> {
        require_admin(by)?;
        let mut errors = Invalid::default();
        let name = match draft.name.as_deref() {
            Some(n) => Text::check(&mut errors, "name", n.trim(), Text::SHORT),
            None => {
                errors.add("name", "is required");
                None
            }
        };
        let description = Text::optional(
            &mut errors,
            "description",
            draft.description.as_deref().map(str::trim),
            Text::SHORT,
        );
        let Some(name) = name.filter(|_| errors.is_empty()) else {
            return Err(errors.into());
        };
        let taken = || Invalid::field("name", "a team with this name exists already");
        let lower = name.as_str().to_lowercase();
        if self
            .store
            .teams()
            .await?
            .iter()
            .any(|t| t.name.as_str().to_lowercase() == lower)
        {
            return Err(taken().into());
        }
        let team = Team {
            name,
            description,
            active: true,
            created_at: self.now(),
        };
        match self.store.add_team(&team).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => return Err(taken().into()),
            Err(e) => return Err(e.into()),
        }
        tracing::info!(by = %by.id, team = team.name.as_str(), "team added");
        Ok(team)
    }

    /// Deactivates a team (no longer offered for staff; whoever is in it stays) or reactivates
    /// it. `NotFound` if there is no team of this name.
    pub async fn set_team_active(
        &self,
        by: &Staff,
        name: &str,
        active: bool,
    ) -> Result<(), AppError> {
        require_admin(by)?;
        self.store.set_team_active(name, active).await?;
        tracing::info!(by = %by.id, team = name, active, "team changed");
        Ok(())
    }

    /// Adds a root cause at the end of the list. `Invalid` on "label" or "code" (a code taken
    /// already, or none to be made from the label).
    pub async fn add_root_cause(
        &self,
        by: &Staff,
        draft: &RootCauseDraft,
    ) -> Result<RootCause, AppError> {
        require_admin(by)?;
        let mut errors = Invalid::default();
        let label = match draft.label.as_deref() {
            Some(l) => Text::check(&mut errors, "label", l.trim(), Text::SHORT),
            None => {
                errors.add("label", "is required");
                None
            }
        };
        let given = draft
            .code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        let code = match (given, &label) {
            (Some(c), _) => RootCauseCode::parse(c)
                .map_err(|m| errors.add("code", m))
                .ok(),
            (None, Some(l)) => RootCauseCode::parse(&code_from_label(l.as_str()))
                .map_err(|_| {
                    errors.add(
                        "code",
                        "cannot be made from this label: give one of lower-case letters, digits \
                         and _",
                    )
                })
                .ok(),
            (None, None) => None,
        };
        let (Some(label), Some(code)) = (label, code) else {
            return Err(errors.into());
        };
        if !errors.is_empty() {
            return Err(errors.into());
        }
        let cause = RootCause {
            code,
            label: label.as_str().to_owned(),
            active: true,
        };
        match self.store.add_root_cause(&cause).await {
            Ok(()) => {}
            Err(StoreError::Conflict { .. }) => {
                return Err(Invalid::field("code", "a root cause has this code already").into());
            }
            Err(e) => return Err(e.into()),
        }
        tracing::info!(by = %by.id, code = cause.code.as_str(), "root cause added");
        Ok(cause)
    }

    /// Relabels, deactivates or reactivates a root cause. `NotFound` if there is no root cause
    /// with this code; `Invalid` on "label".
    pub async fn change_root_cause(
        &self,
        by: &Staff,
        code: &str,
        draft: &RootCauseChangeDraft,
    ) -> Result<RootCause, AppError> {
        require_admin(by)?;
        const NONE: AppError = AppError::NotFound("root cause");
        let code = RootCauseCode::parse(code).map_err(|_| NONE)?;
        let mut cause = self.store.root_cause(&code).await?.ok_or(NONE)?;
        let mut errors = Invalid::default();
        if let Some(l) = draft.label.as_deref()
            && let Some(label) = Text::check(&mut errors, "label", l.trim(), Text::SHORT)
        {
            cause.label = label.as_str().to_owned();
        }
        if let Some(active) = draft.active {
            cause.active = active;
        }
        if !errors.is_empty() {
            return Err(errors.into());
        }
        self.store.update_root_cause(&cause).await?;
        tracing::info!(by = %by.id, code = cause.code.as_str(), active = cause.active, "root cause changed");
        Ok(cause)
    }
}

#[cfg(test)]
mod tests {
    use super::code_from_label;

    #[test]
    fn codes_are_made_from_labels() {
        assert_eq!(code_from_label("Signage unclear"), "signage_unclear");
        assert_eq!(code_from_label("  Wi-Fi: too slow!! "), "wi_fi_too_slow");
        assert_eq!(code_from_label("Café 24/7"), "caf_24_7");
        assert_eq!(code_from_label("¿¡"), "");
        assert_eq!(code_from_label(&"a".repeat(80)).len(), 64);
    }
}
