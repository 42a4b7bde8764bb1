//! Arrived mail, kept as it came and settled once handled.

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId};
use redress_store::{
    ArrivedMail, MAIL_HEAD_BYTES, MailFilter, MailListing, MailOutcome, MailQuery, MailStore,
    MailSummary, StoreError, StoredMail,
};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};

fn arrived_from_row(row: &PgRow) -> Result<ArrivedMail, StoreError> {
    Ok(ArrivedMail {
        id: MailId::from_uuid(row.try_get("id").map_err(map_err)?),
        source: row.try_get("source").map_err(map_err)?,
        received_at: row.try_get("received_at").map_err(map_err)?,
        raw: row.try_get("raw").map_err(map_err)?,
    })
}

fn outcome_from_row(row: &PgRow) -> Result<MailOutcome, StoreError> {
    let name: String = row.try_get("outcome").map_err(map_err)?;
    let case: Option<uuid::Uuid> = row.try_get("case_id").map_err(map_err)?;
    let detail: Option<String> = row.try_get("detail").map_err(map_err)?;
    MailOutcome::from_parts(&name, case.map(CaseId::from_uuid), detail)
        .ok_or_else(|| corrupt("mail outcome", &name))
}

fn stored_from_row(row: &PgRow) -> Result<StoredMail, StoreError> {
    Ok(StoredMail {
        mail: arrived_from_row(row)?,
        outcome: outcome_from_row(row)?,
    })
}

fn summary_from_row(row: &PgRow) -> Result<MailSummary, StoreError> {
    let size: i32 = row.try_get("size").map_err(map_err)?;
    Ok(MailSummary {
        id: MailId::from_uuid(row.try_get("id").map_err(map_err)?),
        source: row.try_get("source").map_err(map_err)?,
        received_at: row.try_get("received_at").map_err(map_err)?,
        outcome: outcome_from_row(row)?,
        head: row.try_get("head").map_err(map_err)?,
        size: u64::try_from(size).map_err(|_| corrupt("mail size", size))?,
    })
}

/// The listing's statement, newest first as the (outcome, received_at, id) and
/// (received_at, id) indexes give it (`migrations/0011_mail_listing.sql`).
fn list_statement(query: &MailQuery) -> QueryBuilder<Postgres> {
    let head = i32::try_from(MAIL_HEAD_BYTES).unwrap_or(i32::MAX);
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT id, source, received_at, outcome, case_id, detail, substring(raw from 1 for ",
    );
    q.push_bind(head)
        .push(") AS head, octet_length(raw) AS size FROM mail_messages WHERE TRUE");
    match query.filter {
        MailFilter::NeedsALook { pending_before } => {
            q.push(" AND (outcome = 'failed' OR (outcome = 'pending' AND received_at < ")
                .push_bind(pending_before)
                .push("))");
        }
        MailFilter::Failed => {
            q.push(" AND outcome = 'failed'");
        }
        MailFilter::Ignored => {
            q.push(" AND outcome = 'ignored'");
        }
        MailFilter::Pending => {
            q.push(" AND outcome = 'pending'");
        }
        MailFilter::All => {}
    }
    if let Some(after) = query.after {
        q.push(" AND (received_at, id) < (SELECT received_at, id FROM mail_messages WHERE id = ")
            .push_bind(after.as_uuid())
            .push(")");
    }
    // One more than the page, to know whether another page follows.
    q.push(" ORDER BY received_at DESC, id DESC LIMIT ")
        .push_bind(i64::from(query.limit) + 1);
    q
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

    async fn settle_mail_if(
        &self,
        id: MailId,
        expected: &MailOutcome,
        outcome: &MailOutcome,
    ) -> Result<bool, StoreError> {
        let (name, case, detail) = outcome.to_parts();
        let (was, was_case, was_detail) = expected.to_parts();
        let done = sqlx::query(
            "UPDATE mail_messages SET outcome = $1, case_id = $2, detail = $3 \
             WHERE id = $4 AND outcome = $5 AND case_id IS NOT DISTINCT FROM $6 \
             AND detail IS NOT DISTINCT FROM $7",
        )
        .bind(name)
        .bind(case.map(|c| c.as_uuid()))
        .bind(detail)
        .bind(id.as_uuid())
        .bind(was)
        .bind(was_case.map(|c| c.as_uuid()))
        .bind(was_detail)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 1 {
            return Ok(true);
        }
        self.mail(id).await.map(|_| false)
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
        stored_from_row(&row)
    }

    async fn list_mail(&self, query: &MailQuery) -> Result<MailListing, StoreError> {
        let rows = list_statement(query)
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
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
             WHERE case_id = $1 AND outcome IN ('opened_case', 'added_to_case') \
             ORDER BY received_at, id",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter().map(stored_from_row).collect()
    }
}
