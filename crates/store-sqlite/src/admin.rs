//! Administering the organisation: reads through the read pool, writes through the writer
//! (`writer::admin`).

use crate::SqliteStore;
use crate::codec::{backend, corrupt, from_json, parse_timestamp};
use crate::read::get;
use crate::writer::{AdminWrite, Job, submit};
use async_trait::async_trait;
use redress_domain::{RootCause, RootCauseCode, Staff, StaffId, Text, TokenDigest};
use redress_store::{AdminStore, SavedMailTemplate, SavedOrganisation, StoreError, Team};
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

impl SqliteStore {
    async fn admin_write(&self, write: AdminWrite) -> Result<(), StoreError> {
        submit(&self.writer, |reply| Job::Admin(Box::new(write), reply)).await
    }
}

fn team_from_row(row: &SqliteRow) -> Result<Team, StoreError> {
    Ok(Team {
        name: Text::trusted(get::<String>(row, "name")?),
        description: get::<Option<String>>(row, "description")?.map(Text::trusted),
        active: get(row, "active")?,
        created_at: parse_timestamp(get(row, "created_at")?)?,
    })
}

fn organisation_from_row(row: &SqliteRow) -> Result<SavedOrganisation, StoreError> {
    let days: i64 = get(row, "first_response_days")?;
    let version: i64 = get(row, "version")?;
    Ok(SavedOrganisation {
        name: get(row, "name")?,
        care_team: get(row, "care_team")?,
        first_response_days: u32::try_from(days)
            .map_err(|_| corrupt(format!("first_response_days {days}")))?,
        email: get(row, "email")?,
        phone: get(row, "phone")?,
        opening_hours: from_json("opening_hours", get(row, "opening_hours")?)?,
        postal_address: get(row, "postal_address")?,
        products: from_json("products", get(row, "products")?)?,
        locations: from_json("locations", get(row, "locations")?)?,
        version: u32::try_from(version)
            .map_err(|_| corrupt(format!("organisation version {version}")))?,
        updated_at: parse_timestamp(get(row, "updated_at")?)?,
        updated_by: get::<Option<uuid::Uuid>>(row, "updated_by")?.map(StaffId::from_uuid),
    })
}

fn mail_template_from_row(row: &SqliteRow) -> Result<SavedMailTemplate, StoreError> {
    Ok(SavedMailTemplate {
        language: get(row, "language")?,
        message: get(row, "message")?,
        text: get(row, "text")?,
        updated_at: parse_timestamp(get(row, "updated_at")?)?,
        updated_by: get::<Option<uuid::Uuid>>(row, "updated_by")?.map(StaffId::from_uuid),
    })
}

#[async_trait]
impl AdminStore for SqliteStore {
    async fn update_staff(&self, staff: &Staff) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::update_staff(staff)).await
    }

    async fn replace_api_token(
        &self,
        staff: StaffId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::replace_api_token(staff, token, at)?)
            .await
    }

    async fn teams(&self) -> Result<Vec<Team>, StoreError> {
        let rows =
            sqlx::query("SELECT name, description, active, created_at FROM teams ORDER BY name")
                .fetch_all(&self.readers)
                .await
                .map_err(backend)?;
        rows.iter().map(team_from_row).collect()
    }

    async fn add_team(&self, team: &Team) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::add_team(team)?).await
    }

    async fn set_team_active(&self, name: &str, active: bool) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::SetTeamActive {
            name: name.to_owned(),
            active,
        })
        .await
    }

    async fn add_root_cause(&self, cause: &RootCause) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::add_root_cause(cause)).await
    }

    async fn update_root_cause(&self, cause: &RootCause) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::update_root_cause(cause)).await
    }

    async fn root_cause(&self, code: &RootCauseCode) -> Result<Option<RootCause>, StoreError> {
        let row: Option<(String, bool)> =
            sqlx::query_as("SELECT label, active FROM root_causes WHERE code = ?")
                .bind(code.as_str())
                .fetch_optional(&self.readers)
                .await
                .map_err(backend)?;
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
        .fetch_optional(&self.readers)
        .await
        .map_err(backend)?;
        row.as_ref().map(organisation_from_row).transpose()
    }

    async fn save_organisation(&self, saved: &SavedOrganisation) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::save_organisation(saved)?)
            .await
    }

    async fn mail_templates(&self) -> Result<Vec<SavedMailTemplate>, StoreError> {
        let rows = sqlx::query(
            "SELECT language, message, text, updated_at, updated_by FROM mail_templates \
             ORDER BY language, message",
        )
        .fetch_all(&self.readers)
        .await
        .map_err(backend)?;
        rows.iter().map(mail_template_from_row).collect()
    }

    async fn save_mail_template(&self, template: &SavedMailTemplate) -> Result<(), StoreError> {
        self.admin_write(AdminWrite::save_mail_template(template)?)
            .await
    }

    async fn reset_mail_template(&self, language: &str, message: &str) -> Result<bool, StoreError> {
        let write = AdminWrite::ResetMailTemplate {
            language: language.to_owned(),
            message: message.to_owned(),
        };
        match self.admin_write(write).await {
            Ok(()) => Ok(true),
            Err(StoreError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}
