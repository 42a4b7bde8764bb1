//! Arrived mail: reads through the read pool, writes through the writer (`writer::mail`).

use crate::SqliteStore;
use crate::codec::{backend, corrupt, parse_timestamp, timestamp};
use crate::read::{add, get};
use crate::writer::{Job, MailWrite, submit};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId};
use redress_store::{
    ArrivedMail, MAIL_HEAD_BYTES, MailFilter, MailListing, MailOutcome, MailQuery, MailStore,
    MailSummary, StoreError, StoredMail,
};
use sqlx::sqlite::{SqliteArguments, SqliteRow};

fn arrived_from_row(row: &SqliteRow) -> Result<ArrivedMail, StoreError> {
    Ok(ArrivedMail {
        id: MailId::from_uuid(get(row, "id")?),
        source: get(row, "source")?,
        received_at: parse_timestamp(get(row, "received_at")?)?,
        raw: get(row, "raw")?,
    })
}

fn outcome_from_row(row: &SqliteRow) -> Result<MailOutcome, StoreError> {
    let name: String = get(row, "outcome")?;
    let case: Option<uuid::Uuid> = get(row, "case_id")?;
    MailOutcome::from_parts(&name, case.map(CaseId::from_uuid), get(row, "detail")?)
        .ok_or_else(|| corrupt(format!("mail outcome {name}")))
}

fn stored_from_row(row: &SqliteRow) -> Result<StoredMail, StoreError> {
    Ok(StoredMail {
        mail: arrived_from_row(row)?,
        outcome: outcome_from_row(row)?,
    })
}

fn summary_from_row(row: &SqliteRow) -> Result<MailSummary, StoreError> {
    let size: i64 = get(row, "size")?;
    Ok(MailSummary {
        id: MailId::from_uuid(get(row, "id")?),
        source: get(row, "source")?,
        received_at: parse_timestamp(get(row, "received_at")?)?,
        outcome: outcome_from_row(row)?,
        head: get(row, "head")?,
        size: u64::try_from(size).map_err(|_| corrupt(format!("mail size {size}")))?,
    })
}

/// The listing's statement: only fixed SQL, every value bound.
fn list_statement(q: &MailQuery) -> Result<(String, SqliteArguments), StoreError> {
    let mut args = SqliteArguments::default();
    let mut sql = String::from(
        "SELECT id, source, received_at, outcome, case_id, detail, \
         substr(raw, 1, ?) AS head, length(raw) AS size FROM mail_messages WHERE 1 = 1",
    );
    add(&mut args, MAIL_HEAD_BYTES as i64)?;
    match q.filter {
        MailFilter::NeedsALook { pending_before } => {
            sql.push_str(" AND (outcome = 'failed' OR (outcome = 'pending' AND received_at < ?))");
            add(&mut args, timestamp(pending_before)?)?;
        }
        MailFilter::Failed => sql.push_str(" AND outcome = 'failed'"),
        MailFilter::Ignored => sql.push_str(" AND outcome = 'ignored'"),
        MailFilter::Pending => sql.push_str(" AND outcome = 'pending'"),
        MailFilter::All => {}
    }
    if let Some(after) = q.after {
        sql.push_str(
            " AND (received_at, id) < \
             (SELECT received_at, id FROM mail_messages WHERE id = ?)",
        );
        add(&mut args, after.as_uuid())?;
    }
    // One more than the page, to know whether another page follows.
    sql.push_str(" ORDER BY received_at DESC, id DESC LIMIT ?");
    add(&mut args, i64::from(q.limit) + 1)?;
    Ok((sql, args))
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
            expected: None,
        })
        .await
        .map(drop)
    }

    async fn settle_mail_if(
        &self,
        id: MailId,
        expected: &MailOutcome,
        outcome: &MailOutcome,
    ) -> Result<bool, StoreError> {
        let (name, case, detail) = outcome.to_parts();
        let (was, was_case, was_detail) = expected.to_parts();
        self.mail_write(MailWrite::Settle {
            id: id.as_uuid(),
            outcome: name,
            case_id: case.map(|c| c.as_uuid()),
            detail: detail.map(str::to_owned),
            expected: Some((
                was,
                was_case.map(|c| c.as_uuid()),
                was_detail.map(str::to_owned),
            )),
        })
        .await
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
        stored_from_row(&row)
    }

    async fn list_mail(&self, query: &MailQuery) -> Result<MailListing, StoreError> {
        let (sql, args) = list_statement(query)?;
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
            .fetch_all(&self.readers)
            .await
            .map_err(backend)?;
        let limit = query.limit as usize;
        let mail = rows
            .iter()
            .take(limit)
            .map(summary_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        let next = (rows.len() > limit)
            .then(|| mail.last().map(|m| m.id))
            .flatten();
        Ok(MailListing { mail, next })
    }

    async fn case_arrivals(&self, case: CaseId) -> Result<Vec<StoredMail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, source, received_at, raw, outcome, case_id, detail FROM mail_messages \
             WHERE case_id = ? AND outcome IN ('opened_case', 'added_to_case') \
             ORDER BY received_at, id",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.readers)
        .await
        .map_err(backend)?;
        rows.iter().map(stored_from_row).collect()
    }
}
