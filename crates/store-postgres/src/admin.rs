//! Administering the organisation: staff members' role, team, authority and whether active, API
//! tokens, teams, root causes, the organisation's texts and the mail templates.

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{RootCause, RootCauseCode, Staff, StaffId, Text, TokenDigest};
use redress_store::{AdminStore, SavedMailTemplate, SavedOrganisation, StoreError, Team};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use time::OffsetDateTime;

/// SQLSTATE of a foreign key violation.
const FOREIGN_KEY_VIOLATION: &str = "23503";

/// Every change that could take the last administrator away holds this transaction-level
/// advisory lock, so the check that another administrator remains and the change are atomic
/// across nodes. (The value is arbitrary; only Redress takes it.)
const ADMINS_LOCK: i64 = 0x5245_4452_4144_4d4e; // "REDRADMN"

const NO_STAFF: StoreError = StoreError::NotFound {
    what: "staff member",
};

fn team_from_row(row: &PgRow) -> Result<Team, StoreError> {
    let name: String = row.try_get("name").map_err(map_err)?;
    let description: Option<String> = row.try_get("description").map_err(map_err)?;
    Ok(Team {
        name: Text::trusted(name),
        description: description.map(Text::trusted),
        active: row.try_get("active").map_err(map_err)?,
        created_at: row.try_get("created_at").map_err(map_err)?,
    })
}

fn organisation_from_row(row: &PgRow) -> Result<SavedOrganisation, StoreError> {
    let days: i32 = row.try_get("first_response_days").map_err(map_err)?;
    let version: i32 = row.try_get("version").map_err(map_err)?;
    let list = |column: &str| -> Result<Vec<String>, StoreError> {
        let Json(v): Json<Vec<String>> = row.try_get(column).map_err(map_err)?;
        Ok(v)
    };
    let updated_by: Option<uuid::Uuid> = row.try_get("updated_by").map_err(map_err)?;
    Ok(SavedOrganisation {
        name: row.try_get("name").map_err(map_err)?,
        care_team: row.try_get("care_team").map_err(map_err)?,
        first_response_days: u32::try_from(days)
            .map_err(|_| corrupt("first_response_days", days))?,
        email: row.try_get("email").map_err(map_err)?,
        phone: row.try_get("phone").map_err(map_err)?,
        opening_hours: list("opening_hours")?,
        postal_address: row.try_get("postal_address").map_err(map_err)?,
        products: list("products")?,
        locations: list("locations")?,
        version: u32::try_from(version).map_err(|_| corrupt("organisation version", version))?,
        updated_at: row.try_get("updated_at").map_err(map_err)?,
        updated_by: updated_by.map(StaffId::from_uuid),
    })
}

fn mail_template_from_row(row: &PgRow) -> Result<SavedMailTemplate, StoreError> {
    let updated_by: Option<uuid::Uuid> = row.try_get("updated_by").map_err(map_err)?;
    Ok(SavedMailTemplate {
        language: row.try_get("language").map_err(map_err)?,
        message: row.try_get("message").map_err(map_err)?,
        text: row.try_get("text").map_err(map_err)?,
        updated_at: row.try_get("updated_at").map_err(map_err)?,
        updated_by: updated_by.map(StaffId::from_uuid),
    })
}

fn int(value: u32, what: &str) -> Result<i32, StoreError> {
    i32::try_from(value).map_err(|_| corrupt(what, value))
}

#[async_trait]
impl AdminStore for PgStore {
    async fn update_staff(&self, staff: &Staff) -> Result<(), StoreError> {
        let id = staff.id.as_uuid();
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ADMINS_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        let before: Option<(String, bool)> =
            sqlx::query_as("SELECT role, active FROM staff WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await
                .map_err(map_err)?;
        let (was_role, was_active) = before.ok_or(NO_STAFF)?;
        let role = staff.role.as_str();
        if was_role == "admin" && was_active && (role != "admin" || !staff.active) {
            // Under the lock, every other change of this kind has committed or waits.
            let others: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM staff WHERE role = 'admin' AND active AND id <> $1)",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await
            .map_err(map_err)?;
            if !others {
                return Err(StoreError::conflict("last admin"));
            }
        }
        sqlx::query(
            "UPDATE staff SET role = $2, team = $3, authority_limit = $4, active = $5 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(role)
        .bind(staff.team.as_ref().map(Text::as_str))
        .bind(staff.authority_limit.as_ref().map(Json))
        .bind(staff.active)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        if !staff.active {
            for sql in [
                "DELETE FROM staff_sessions WHERE staff_id = $1",
                "DELETE FROM api_tokens WHERE staff_id = $1",
                "DELETE FROM password_links WHERE staff_id = $1",
            ] {
                sqlx::query(sql)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_err)?;
            }
        }
        tx.commit().await.map_err(map_err)
    }

    async fn replace_api_token(
        &self,
        staff: StaffId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query("DELETE FROM api_tokens WHERE staff_id = $1")
            .bind(staff.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        sqlx::query("INSERT INTO api_tokens (digest, staff_id, created_at) VALUES ($1, $2, $3)")
            .bind(token.as_bytes().as_slice())
            .bind(staff.as_uuid())
            .bind(at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(db)
                    if db.code().as_deref() == Some(FOREIGN_KEY_VIOLATION) =>
                {
                    NO_STAFF
                }
                _ => map_err(e),
            })?;
        tx.commit().await.map_err(map_err)
    }

    async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows = sqlx::query(
            "SELECT name, description, active, created_at FROM teams ORDER BY name COLLATE \"C\"",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(team_from_row).collect()
    }

    async fn add_team(&self, team: &Team) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO teams (name, description, active, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(team.name.as_str())
        .bind(team.description.as_ref().map(Text::as_str))
        .bind(team.active)
        .bind(team.created_at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn set_team_active(&self, name: &str, active: bool) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE teams SET active = $2 WHERE name = $1")
            .bind(name)
            .bind(active)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "team" });
        }
        Ok(())
    }

    async fn add_root_cause(&self, cause: &RootCause) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO root_causes (code, label, active, position) \
             SELECT $1, $2, $3, coalesce(max(position), 0) + 1 FROM root_causes",
        )
        .bind(cause.code.as_str())
        .bind(&cause.label)
        .bind(cause.active)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn update_root_cause(&self, cause: &RootCause) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE root_causes SET label = $2, active = $3 WHERE code = $1")
            .bind(cause.code.as_str())
            .bind(&cause.label)
            .bind(cause.active)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "root cause" });
        }
        Ok(())
    }

    async fn root_cause(&self, code: &RootCauseCode) -> Result<Option<RootCause>, StoreError> {
        let row: Option<(String, bool)> =
            sqlx::query_as("SELECT label, active FROM root_causes WHERE code = $1")
                .bind(code.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(map_err)?;
        Ok(row.map(|(label, active)| RootCause {
            code: code.clone(),
            label,
            active,
        }))
    }

    async fn organisation(&self) -> Result<Option<SavedOrganisation>, StoreError> {
        let row = sqlx::query(
            "SELECT name, care_team, first_response_days, email, phone, opening_hours, \
             postal_address, products, locations, version, updated_at, updated_by \
             FROM organisation WHERE id = 1",
        )
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn save_organisation(&self, o: &SavedOrganisation) -> Result<(), StoreError> {
        let version = int(o.version, "organisation version")?;
        let days = int(o.first_response_days, "first_response_days")?;
        // The first save inserts (a second first save meets the primary key: "version");
        // later ones update the row only if it is still at the version before.
        let sql = if version == 1 {
            "INSERT INTO organisation (id, name, care_team, first_response_days, email, phone, \
             opening_hours, postal_address, products, locations, version, updated_at, \
             updated_by) VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        } else {
            "UPDATE organisation SET name = $1, care_team = $2, first_response_days = $3, \
             email = $4, phone = $5, opening_hours = $6, postal_address = $7, products = $8, \
             locations = $9, version = $10, updated_at = $11, updated_by = $12 \
             WHERE id = 1 AND version = $10 - 1"
        };
        let done = sqlx::query(sql)
            .bind(&o.name)
            .bind(o.care_team.as_deref())
            .bind(days)
            .bind(o.email.as_deref())
            .bind(o.phone.as_deref())
            .bind(Json(&o.opening_hours))
            .bind(o.postal_address.as_deref())
            .bind(Json(&o.products))
            .bind(Json(&o.locations))
            .bind(version)
            .bind(o.updated_at)
            .bind(o.updated_by.map(|s| s.as_uuid()))
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::conflict("version"));
        }
        Ok(())
    }

    async fn mail_templates(&self) -> Result<Vec<SavedMailTemplate>, StoreError> {
        let rows = sqlx::query(
            "SELECT language, message, text, updated_at, updated_by FROM mail_templates \
             ORDER BY language, message",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(mail_template_from_row).collect()
    }

    async fn save_mail_template(&self, t: &SavedMailTemplate) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO mail_templates (language, message, text, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (language, message) DO UPDATE SET text = excluded.text, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(&t.language)
        .bind(&t.message)
        .bind(&t.text)
        .bind(t.updated_at)
        .bind(t.updated_by.map(|s| s.as_uuid()))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn reset_mail_template(&self, language: &str, message: &str) -> Result<bool, StoreError> {
        let done = sqlx::query("DELETE FROM mail_templates WHERE language = $1 AND message = $2")
            .bind(language)
            .bind(message)
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(done.rows_affected() > 0)
    }
}
