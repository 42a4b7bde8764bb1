//! The writes of administering the organisation: staff members' role, team, authority and
//! whether active, API tokens, teams, root causes, the organisation's texts and the mail
//! templates. Rare next to
//! intakes, so they share one kind of job. The writer runs one job at a time, so a check and
//! the write it guards (the last administrator, the organisation's version) are atomic.

use super::Writer;
use super::jobs::open_savepoint;
use crate::codec::{backend, db_error, timestamp, to_json};
use redress_domain::{RootCause, Staff, StaffId, TokenDigest};
use redress_store::{SavedMailTemplate, SavedOrganisation, StoreError, Team};
use time::OffsetDateTime;
use uuid::Uuid;

const NO_STAFF: StoreError = StoreError::NotFound {
    what: "staff member",
};

/// An administration write, its values prepared by the caller.
pub(crate) enum AdminWrite {
    UpdateStaff {
        id: Uuid,
        role: &'static str,
        team: Option<String>,
        authority_minor: Option<i64>,
        authority_currency: Option<String>,
        active: bool,
    },
    ReplaceApiToken {
        staff: Uuid,
        digest: Vec<u8>,
        at: String,
    },
    AddTeam {
        name: String,
        description: Option<String>,
        active: bool,
        created_at: String,
    },
    SetTeamActive {
        name: String,
        active: bool,
    },
    AddRootCause {
        code: String,
        label: String,
        active: bool,
    },
    UpdateRootCause {
        code: String,
        label: String,
        active: bool,
    },
    SaveOrganisation(Box<PreparedOrganisation>),
    SaveMailTemplate {
        language: String,
        message: String,
        text: String,
        updated_at: String,
        updated_by: Option<Uuid>,
    },
    /// `NotFound` when there was no saved text to delete.
    ResetMailTemplate {
        language: String,
        message: String,
    },
}

/// The organisation's texts as their columns hold them.
pub(crate) struct PreparedOrganisation {
    name: String,
    care_team: Option<String>,
    first_response_days: i64,
    email: Option<String>,
    phone: Option<String>,
    opening_hours: String,
    postal_address: Option<String>,
    products: String,
    locations: String,
    version: i64,
    updated_at: String,
    updated_by: Option<Uuid>,
}

impl AdminWrite {
    pub(crate) fn update_staff(s: &Staff) -> Self {
        AdminWrite::UpdateStaff {
            id: s.id.as_uuid(),
            role: s.role.as_str(),
            team: s.team.as_ref().map(|t| t.as_str().to_owned()),
            authority_minor: s.authority_limit.as_ref().map(|m| m.minor),
            authority_currency: s
                .authority_limit
                .as_ref()
                .map(|m| m.currency.as_str().to_owned()),
            active: s.active,
        }
    }

    pub(crate) fn replace_api_token(
        staff: StaffId,
        digest: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<Self, StoreError> {
        Ok(AdminWrite::ReplaceApiToken {
            staff: staff.as_uuid(),
            digest: digest.as_bytes().to_vec(),
            at: timestamp(at)?,
        })
    }

    pub(crate) fn add_team(team: &Team) -> Result<Self, StoreError> {
        Ok(AdminWrite::AddTeam {
            name: team.name.as_str().to_owned(),
            description: team.description.as_ref().map(|d| d.as_str().to_owned()),
            active: team.active,
            created_at: timestamp(team.created_at)?,
        })
    }

    pub(crate) fn add_root_cause(cause: &RootCause) -> Self {
        AdminWrite::AddRootCause {
            code: cause.code.as_str().to_owned(),
            label: cause.label.clone(),
            active: cause.active,
        }
    }

    pub(crate) fn update_root_cause(cause: &RootCause) -> Self {
        AdminWrite::UpdateRootCause {
            code: cause.code.as_str().to_owned(),
            label: cause.label.clone(),
            active: cause.active,
        }
    }

    pub(crate) fn save_organisation(o: &SavedOrganisation) -> Result<Self, StoreError> {
        Ok(AdminWrite::SaveOrganisation(Box::new(
            PreparedOrganisation {
                name: o.name.clone(),
                care_team: o.care_team.clone(),
                first_response_days: i64::from(o.first_response_days),
                email: o.email.clone(),
                phone: o.phone.clone(),
                opening_hours: to_json(&o.opening_hours)?,
                postal_address: o.postal_address.clone(),
                products: to_json(&o.products)?,
                locations: to_json(&o.locations)?,
                version: i64::from(o.version),
                updated_at: timestamp(o.updated_at)?,
                updated_by: o.updated_by.map(|s| s.as_uuid()),
            },
        )))
    }

    pub(crate) fn save_mail_template(t: &SavedMailTemplate) -> Result<Self, StoreError> {
        Ok(AdminWrite::SaveMailTemplate {
            language: t.language.clone(),
            message: t.message.clone(),
            text: t.text.clone(),
            updated_at: timestamp(t.updated_at)?,
            updated_by: t.updated_by.map(|s| s.as_uuid()),
        })
    }
}

pub(super) async fn run(w: &mut Writer, write: AdminWrite) -> Result<(), StoreError> {
    match write {
        AdminWrite::UpdateStaff {
            id,
            role,
            team,
            authority_minor,
            authority_currency,
            active,
        } => {
            open_savepoint(w).await?;
            let before: Option<(String, bool)> =
                sqlx::query_as("SELECT role, active FROM staff WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&mut w.conn)
                    .await
                    .map_err(backend)?;
            let (was_role, was_active) = before.ok_or(NO_STAFF)?;
            if was_role == "admin" && was_active && (role != "admin" || !active) {
                let others: bool = sqlx::query_scalar(
                    "SELECT EXISTS (SELECT 1 FROM staff \
                     WHERE role = 'admin' AND active AND id <> ?)",
                )
                .bind(id)
                .fetch_one(&mut w.conn)
                .await
                .map_err(backend)?;
                if !others {
                    return Err(StoreError::conflict("last admin"));
                }
            }
            sqlx::query(
                "UPDATE staff SET role = ?, team = ?, authority_minor = ?, \
                 authority_currency = ?, active = ? WHERE id = ?",
            )
            .bind(role)
            .bind(team)
            .bind(authority_minor)
            .bind(authority_currency)
            .bind(active)
            .bind(id)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            if !active {
                sqlx::query(
                    "DELETE FROM staff_sessions WHERE staff_id = ?1; \
                     DELETE FROM api_tokens WHERE staff_id = ?1; \
                     DELETE FROM password_links WHERE staff_id = ?1",
                )
                .bind(id)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            }
            Ok(())
        }
        AdminWrite::ReplaceApiToken { staff, digest, at } => {
            open_savepoint(w).await?;
            sqlx::query("DELETE FROM api_tokens WHERE staff_id = ?")
                .bind(staff)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            sqlx::query("INSERT INTO api_tokens (digest, staff_id, created_at) VALUES (?, ?, ?)")
                .bind(digest)
                .bind(staff)
                .bind(at)
                .execute(&mut w.conn)
                .await
                .map_err(|e| match &e {
                    sqlx::Error::Database(db) if db.is_foreign_key_violation() => NO_STAFF,
                    _ => db_error(e, |_| "token"),
                })?;
            Ok(())
        }
        AdminWrite::AddTeam {
            name,
            description,
            active,
            created_at,
        } => {
            sqlx::query(
                "INSERT INTO teams (name, description, active, created_at) VALUES (?, ?, ?, ?)",
            )
            .bind(name)
            .bind(description)
            .bind(active)
            .bind(created_at)
            .execute(&mut w.conn)
            .await
            .map_err(|e| db_error(e, |_| "team"))?;
            Ok(())
        }
        AdminWrite::SetTeamActive { name, active } => {
            let done = sqlx::query("UPDATE teams SET active = ? WHERE name = ?")
                .bind(active)
                .bind(name)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound { what: "team" });
            }
            Ok(())
        }
        AdminWrite::AddRootCause {
            code,
            label,
            active,
        } => {
            sqlx::query(
                "INSERT INTO root_causes (code, label, active, position) \
                 SELECT ?, ?, ?, coalesce(max(position), 0) + 1 FROM root_causes",
            )
            .bind(code)
            .bind(label)
            .bind(active)
            .execute(&mut w.conn)
            .await
            .map_err(|e| db_error(e, |_| "code"))?;
            Ok(())
        }
        AdminWrite::UpdateRootCause {
            code,
            label,
            active,
        } => {
            let done = sqlx::query("UPDATE root_causes SET label = ?, active = ? WHERE code = ?")
                .bind(label)
                .bind(active)
                .bind(code)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound { what: "root cause" });
            }
            Ok(())
        }
        AdminWrite::SaveOrganisation(o) => save_organisation(w, *o).await,
        AdminWrite::SaveMailTemplate {
            language,
            message,
            text,
            updated_at,
            updated_by,
        } => {
            sqlx::query(
                "INSERT INTO mail_templates (language, message, text, updated_at, updated_by) \
                 VALUES (?, ?, ?, ?, ?) \
                 ON CONFLICT (language, message) DO UPDATE SET text = excluded.text, \
                 updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            )
            .bind(language)
            .bind(message)
            .bind(text)
            .bind(updated_at)
            .bind(updated_by)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(())
        }
        AdminWrite::ResetMailTemplate { language, message } => {
            let done = sqlx::query("DELETE FROM mail_templates WHERE language = ? AND message = ?")
                .bind(language)
                .bind(message)
                .execute(&mut w.conn)
                .await
                .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound {
                    what: "mail template",
                });
            }
            Ok(())
        }
    }
}

async fn save_organisation(w: &mut Writer, o: PreparedOrganisation) -> Result<(), StoreError> {
    open_savepoint(w).await?;
    let stored: Option<i64> = sqlx::query_scalar("SELECT version FROM organisation WHERE id = 1")
        .fetch_optional(&mut w.conn)
        .await
        .map_err(backend)?;
    if stored.unwrap_or(0) + 1 != o.version {
        return Err(StoreError::conflict("version"));
    }
    sqlx::query(
        "INSERT INTO organisation (id, name, care_team, first_response_days, email, phone, \
         opening_hours, postal_address, products, locations, version, updated_at, updated_by) \
         VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, care_team = excluded.care_team, \
         first_response_days = excluded.first_response_days, email = excluded.email, \
         phone = excluded.phone, opening_hours = excluded.opening_hours, \
         postal_address = excluded.postal_address, products = excluded.products, \
         locations = excluded.locations, version = excluded.version, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(o.name)
    .bind(o.care_team)
    .bind(o.first_response_days)
    .bind(o.email)
    .bind(o.phone)
    .bind(o.opening_hours)
    .bind(o.postal_address)
    .bind(o.products)
    .bind(o.locations)
    .bind(o.version)
    .bind(o.updated_at)
    .bind(o.updated_by)
    .execute(&mut w.conn)
    .await
    .map_err(backend)?;
    Ok(())
}
