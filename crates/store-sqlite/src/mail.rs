//! Arrived mail: reads through the read pool, writes through the writer (`writer::mail`).

use crate::SqliteStore;
use crate::codec::{backend, corrupt, parse_timestamp, timestamp};
use crate::read::get;
use crate::writer::{Job, MailWrite, submit};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId};
use redress_store::{ArrivedMail, MailOutcome, MailStore, StoreError, StoredMail};
use sqlx::sqlite::SqliteRow;

fn arrived_from_row(row: &SqliteRow) -> Result<ArrivedMail, StoreError> {
    Ok(ArrivedMail {
        id: MailId::from_uuid(get(row, "id")?),
        source: get(row, "source")?,
        received_at: parse_timestamp(get(row, "received_at")?)?,
        raw: get(row, "raw")?,
    })
}

impl SqliteStore {
    async fn mail_write(&self, write: MailWrite) -> Result<bool, StoreError> {
        submit(&self.writer, |reply| Job::Mail(Box::new(write), reply)).await
    }
}

#[async_trait]
impl MailStore for SqliteStore {
    async fn keep_mail(
        &self,
        mail: &ArrivedMail,
        message_id: Option<&str>,
    ) -> Result<bool, StoreError> {
        self.mail_write(MailWrite::Keep {
            id: mail.id.as_uuid(),
            source: mail.source.clone(),
            received_at: timestamp(mail.received_at)?,
            raw: mail.raw.clone(),
            message_id: message_id.map(str::to_owned),
        })
        .await
    }

    async fn settle_mail(&self, id: MailId, outcome: &MailOutcome) -> Result<(), StoreError> {
        let (name, case, detail) = outcome.to_parts();
        self.mail_write(MailWrite::Settle {
            id: id.as_uuid(),
            outcome: name,
            case_id: case.map(|c| c.as_uuid()),
            detail: detail.map(str::to_owned),
        })
        .await
        .map(drop)
    }

    async fn pending_mail(&self, limit: u32) -> Result<Vec<ArrivedMail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, raw FROM mail_messages \
             WHERE outcome = 'pending' ORDER BY id LIMIT ?",
        )
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(backend)?;
        rows.iter().map(arrived_from_row).collect()
    }

    async fn mail(&self, id: MailId) -> Result<StoredMail, StoreError> {
        let row = sqlx::query(
            "SELECT id, source, received_at, raw, outcome, case_id, detail FROM mail_messages \
             WHERE id = ?",
        )
        .bind(id.as_uuid())
        .fetch_optional(&self.readers)
        .await
        .map_err(backend)?
        .ok_or(StoreError::NotFound { what: "mail" })?;
        let name: String = get(&row, "outcome")?;
        let case: Option<uuid::Uuid> = get(&row, "case_id")?;
        let outcome =
            MailOutcome::from_parts(&name, case.map(CaseId::from_uuid), get(&row, "detail")?)
                .ok_or_else(|| corrupt(format!("mail outcome {name}")))?;
        Ok(StoredMail {
            mail: arrived_from_row(&row)?,
            outcome,
        })
    }
}
