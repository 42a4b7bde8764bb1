//! Staff members and their API tokens.

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{EmailAddress, Money, Role, Staff, StaffId, Text, TokenDigest};
use redress_store::{StaffStore, StoreError};
use sqlx::Row;
use sqlx::postgres::PgRow;
use sqlx::types::Json;
use uuid::Uuid;

macro_rules! staff_columns {
    ($prefix:literal) => {
        concat!(
            $prefix,
            "id, ",
            $prefix,
            "name, ",
            $prefix,
            "email, ",
            $prefix,
            "role, ",
            $prefix,
            "team, ",
            $prefix,
            "authority_limit, ",
            $prefix,
            "active, ",
            $prefix,
            "created_at"
        )
    };
}
pub(crate) use staff_columns;

pub(crate) fn staff_from_row(row: &PgRow) -> Result<Staff, StoreError> {
    let id: Uuid = row.try_get("id").map_err(map_err)?;
    let name: String = row.try_get("name").map_err(map_err)?;
    let email: String = row.try_get("email").map_err(map_err)?;
    let role: String = row.try_get("role").map_err(map_err)?;
    let team: Option<String> = row.try_get("team").map_err(map_err)?;
    let authority_limit: Option<Json<Money>> = row.try_get("authority_limit").map_err(map_err)?;
    Ok(Staff {
        id: StaffId::from_uuid(id),
        name: Text::trusted(name),
        email: EmailAddress::parse(&email).map_err(|e| corrupt("staff email", e))?,
        role: Role::parse(&role).ok_or_else(|| corrupt("staff role", role))?,
        team: team.map(Text::trusted),
        authority_limit: authority_limit.map(|Json(m)| m),
        active: row.try_get("active").map_err(map_err)?,
        created_at: row.try_get("created_at").map_err(map_err)?,
    })
}

#[async_trait]
impl StaffStore for PgStore {
    async fn add_staff(&self, staff: &Staff, token: &TokenDigest) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(map_err)?;
        sqlx::query(
            "INSERT INTO staff (id, name, email, email_key, role, team, authority_limit, active, \
                 created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(staff.id.as_uuid())
        .bind(staff.name.as_str())
        .bind(staff.email.as_str())
        .bind(staff.email.match_key())
        .bind(staff.role.as_str())
        .bind(staff.team.as_ref().map(Text::as_str))
        .bind(staff.authority_limit.as_ref().map(Json))
        .bind(staff.active)
        .bind(staff.created_at)
        .execute(&mut *tx)
        .await
        .map_err(map_err)?;
        sqlx::query("INSERT INTO api_tokens (digest, staff_id, created_at) VALUES ($1, $2, $3)")
            .bind(token.as_bytes().as_slice())
            .bind(staff.id.as_uuid())
            .bind(staff.created_at)
            .execute(&mut *tx)
            .await
            .map_err(map_err)?;
        tx.commit().await.map_err(map_err)
    }

    async fn staff(&self, id: StaffId) -> Result<Staff, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            staff_columns!(""),
            " FROM staff WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound { what: "staff" })?;
        staff_from_row(&row)
    }

    async fn staff_by_token(&self, token: &TokenDigest) -> Result<Option<Staff>, StoreError> {
        sqlx::query(concat!(
            "SELECT ",
            staff_columns!("s."),
            " FROM api_tokens t JOIN staff s ON s.id = t.staff_id WHERE t.digest = $1"
        ))
        .bind(token.as_bytes().as_slice())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .map(|row| staff_from_row(&row))
        .transpose()
    }

    async fn list_staff(&self) -> Result<Vec<Staff>, StoreError> {
        let rows = sqlx::query(concat!(
            "SELECT ",
            staff_columns!(""),
            " FROM staff ORDER BY name, id"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(staff_from_row).collect()
    }
}
