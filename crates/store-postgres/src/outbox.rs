//! Mail waiting to go out, one row per case and purpose.

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId, TokenDigest};
use redress_store::{Delivery, OutboxStore, OutgoingMail, StoreError};
use sqlx::Row;
use sqlx::postgres::PgRow;
use time::OffsetDateTime;

fn outgoing_from_row(row: &PgRow) -> Result<OutgoingMail, StoreError> {
    let attempts: i32 = row.try_get("attempts").map_err(map_err)?;
    Ok(OutgoingMail {
        id: MailId::from_uuid(row.try_get("id").map_err(map_err)?),
        case_id: CaseId::from_uuid(row.try_get("case_id").map_err(map_err)?),
        purpose: row.try_get("purpose").map_err(map_err)?,
        to: row.try_get("to_address").map_err(map_err)?,
        raw: row.try_get("raw").map_err(map_err)?,
        not_before: row.try_get("not_before").map_err(map_err)?,
        attempts: u32::try_from(attempts).map_err(|_| corrupt("attempts", attempts))?,
    })
}

fn delivery_from_row(row: &PgRow) -> Result<Delivery, StoreError> {
    let status: String = row.try_get("status").map_err(map_err)?;
    let sent_at: Option<OffsetDateTime> = row.try_get("sent_at").map_err(map_err)?;
    let error: Option<String> = row.try_get("last_error").map_err(map_err)?;
    match (status.as_str(), sent_at) {
        ("queued", _) => Ok(Delivery::Queued),
        ("sent", Some(at)) => Ok(Delivery::Sent(at)),
        ("failed", _) => Ok(Delivery::Failed(error.unwrap_or_default())),
        _ => Err(corrupt("outbox status", status)),
    }
}

#[async_trait]
impl OutboxStore for PgStore {
    async fn queue_mail(&self, mail: &OutgoingMail) -> Result<bool, StoreError> {
        let done = sqlx::query(
            "INSERT INTO outbox (id, case_id, purpose, to_address, raw, not_before, attempts) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id, purpose) DO NOTHING",
        )
        .bind(mail.id.as_uuid())
        .bind(mail.case_id.as_uuid())
        .bind(&mail.purpose)
        .bind(&mail.to)
        .bind(&mail.raw)
        .bind(mail.not_before)
        .bind(i32::try_from(mail.attempts).unwrap_or(i32::MAX))
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(done.rows_affected() == 1)
    }

    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutgoingMail>, StoreError> {
        // SKIP LOCKED: another node claiming at the same moment takes other rows instead of
        // waiting for these (and then finding them leased).
        let rows = sqlx::query(
            "WITH due AS (SELECT id, not_before AS was_due FROM outbox \
             WHERE status = 'queued' AND not_before <= $1 \
             ORDER BY not_before, id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             UPDATE outbox SET not_before = $2 FROM due WHERE outbox.id = due.id \
             RETURNING outbox.id, case_id, purpose, to_address, raw, due.was_due AS not_before, \
             attempts",
        )
        .bind(now)
        .bind(lease_until)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        let mut claimed = rows
            .iter()
            .map(outgoing_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        claimed.sort_by_key(|m| (m.not_before, m.id.as_uuid()));
        Ok(claimed)
    }

    async fn mail_deferred(
        &self,
        id: MailId,
        retry_at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, not_before = $1, last_error = $2 \
             WHERE id = $3 AND status = 'queued'",
        )
        .bind(retry_at)
        .bind(error)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "queued mail",
            });
        }
        Ok(())
    }

    async fn mail_done(&self, id: MailId, delivery: &Delivery) -> Result<(), StoreError> {
        let (status, sent_at, error) = match delivery {
            Delivery::Queued => return Ok(()),
            Delivery::Sent(at) => ("sent", Some(*at), None),
            Delivery::Failed(why) => ("failed", None, Some(why.as_str())),
        };
        let done = sqlx::query(
            "UPDATE outbox SET status = $1, sent_at = $2, \
             last_error = coalesce($3, last_error), attempts = attempts + 1 \
             WHERE id = $4 AND status = 'queued'",
        )
        .bind(status)
        .bind(sent_at)
        .bind(error)
        .bind(id.as_uuid())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: "queued mail",
            });
        }
        Ok(())
    }

    async fn add_case_link(
        &self,
        case: CaseId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO case_links (digest, case_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (digest) DO NOTHING",
        )
        .bind(token.as_bytes().to_vec())
        .bind(case.as_uuid())
        .bind(at)
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        Ok(())
    }

    async fn case_mail(&self, case: CaseId) -> Result<Vec<(OutgoingMail, Delivery)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, purpose, to_address, raw, not_before, attempts, status, \
             sent_at, last_error FROM outbox WHERE case_id = $1 ORDER BY id",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(map_err)?;
        rows.iter()
            .map(|r| Ok((outgoing_from_row(r)?, delivery_from_row(r)?)))
            .collect()
    }
}
