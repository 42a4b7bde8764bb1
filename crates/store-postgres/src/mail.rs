//! Arrived mail, kept as it came and settled once handled.

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId};
use redress_store::{ArrivedMail, MailOutcome, MailStore, StoreError, StoredMail};
use sqlx::Row;
use sqlx::postgres::PgRow;

fn arrived_from_row(row: &PgRow) -> Result<ArrivedMail, StoreError> {
    Ok(ArrivedMail {
        id: MailId::from_uuid(row.try_get("id").map_err(map_err)?),
        source: row.try_get("source").map_err(map_err)?,
        received_at: row.try_get("received_at").map_err(map_err)?,
        raw: row.try_get("raw").map_err(map_err)?,
    })
}

#[async_trait]
impl MailStore for PgStore {
    async fn keep_mail(
        &self,
        mail: &ArrivedMail,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        // The same message kept twice (a retried fetch, two nodes) is kept once: no conflict
        // target, so the id and the (source, Message-ID) index both count.
        let done = sqlx::query(
            "INSERT INTO mail_messages (id, source, received_at, raw, message_id) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(mail.id.as_uuid())
        .bind(&mail.source)
        .bind(mail.received_at)
        .bind(&mail.raw)
        .bind(message_id)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn settle_mail(&self, id: MailId, outcome: &MailOutcome) -> Result<(), StoreError> {
        let (name, case, detail) = outcome.to_parts();
        let done = sqlx::query(
            "UPDATE mail_messages SET outcome = $1, case_id = $2, detail = $3 WHERE id = $4",
        )
        .bind(name)
        .bind(case.map(|c| c.as_uuid()))
        .bind(detail)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound { what: "mail" });
        }
        Ok(())
    }

    async fn pending_mail(&self, limit: u32) -> Result<Vec<ArrivedMail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, raw FROM mail_messages \
             WHERE outcome = 'pending' ORDER BY id LIMIT $1",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(arrived_from_row).collect()
    }

    async fn mail(&self, id: MailId) -> Result<StoredMail, StoreError> {
        let row = sqlx::query(
            "SELECT id, source, received_at, raw, outcome, case_id, detail FROM mail_messages \
             WHERE id = $1",
        )
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound { what: "mail" })?;
        let name: String = row.try_get("outcome").map_err(map_err)?;
        let case: Option<uuid::Uuid> = row.try_get("case_id").map_err(map_err)?;
        let detail: Option<String> = row.try_get("detail").map_err(map_err)?;
        let outcome = MailOutcome::from_parts(&name, case.map(CaseId::from_uuid), detail)
            .ok_or_else(|| corrupt("mail outcome", &name))?;
        Ok(StoredMail {
            mail: arrived_from_row(&row)?,
            outcome,
        })
    }
}
