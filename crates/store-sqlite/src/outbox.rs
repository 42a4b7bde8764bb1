//! Mail waiting to go out: reads through the read pool, writes through the writer
//! (`writer::outbox`).

use crate::SqliteStore;
use crate::codec::{backend, corrupt, parse_timestamp, timestamp};
use crate::read::get;
use crate::writer::{Job, OutboxWrite, submit};
use async_trait::async_trait;
use redress_domain::{CaseId, MailId, TokenDigest};
use redress_store::{Delivery, OutboxStore, OutgoingMail, StoreError};
use sqlx::sqlite::SqliteRow;
use time::OffsetDateTime;

fn outgoing_from_row(row: &SqliteRow) -> Result<OutgoingMail, StoreError> {
    let attempts: i64 = get(row, "attempts")?;
    Ok(OutgoingMail {
        id: MailId::from_uuid(get(row, "id")?),
        case_id: CaseId::from_uuid(get(row, "case_id")?),
        purpose: get(row, "purpose")?,
        to: get(row, "to_address")?,
        raw: get(row, "raw")?,
        not_before: parse_timestamp(get(row, "not_before")?)?,
        attempts: u32::try_from(attempts).map_err(|_| corrupt(format!("attempts {attempts}")))?,
    })
}

fn delivery_from_row(row: &SqliteRow) -> Result<Delivery, StoreError> {
    let status: String = get(row, "status")?;
    let sent_at: Option<String> = get(row, "sent_at")?;
    match (status.as_str(), sent_at) {
        ("queued", _) => Ok(Delivery::Queued),
        ("sent", Some(at)) => Ok(Delivery::Sent(parse_timestamp(&at)?)),
        ("failed", _) => Ok(Delivery::Failed(
            get::<Option<String>>(row, "last_error")?.unwrap_or_default(),
        )),
        _ => Err(corrupt(format!("outbox status {status}"))),
    }
}

impl SqliteStore {
    async fn outbox_write(&self, write: OutboxWrite) -> Result<bool, StoreError> {
        submit(&self.writer, |reply| Job::Outbox(Box::new(write), reply)).await
    }
}

#[async_trait]
impl OutboxStore for SqliteStore {
    async fn queue_mail(&self, mail: &OutgoingMail) -> Result<bool, StoreError> {
        self.outbox_write(OutboxWrite::Queue {
            id: mail.id.as_uuid(),
            case_id: mail.case_id.as_uuid(),
            purpose: mail.purpose.clone(),
            to: mail.to.clone(),
            raw: mail.raw.clone(),
            not_before: timestamp(mail.not_before)?,
            attempts: i64::from(mail.attempts),
        })
        .await
    }

    async fn claim_due_mail(
        &self,
        now: OffsetDateTime,
        lease_until: OffsetDateTime,
        limit: u32,
    ) -> Result<Vec<OutgoingMail>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, purpose, to_address, raw, not_before, attempts FROM outbox \
             WHERE status = 'queued' AND not_before <= ? ORDER BY not_before, id LIMIT ?",
        )
        .bind(timestamp(now)?)
        .bind(i64::from(limit))
        .fetch_all(&self.readers)
        .await
        .map_err(backend)?;
        let lease_until = timestamp(lease_until)?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in &rows {
            let mail = outgoing_from_row(row)?;
            // Held only if nobody claimed it since it was read: the writer runs one write at
            // a time, so the check and the lease are one step.
            let held = self
                .outbox_write(OutboxWrite::Lease {
                    id: mail.id.as_uuid(),
                    was_due: timestamp(mail.not_before)?,
                    lease_until: lease_until.clone(),
                })
                .await?;
            if held {
                claimed.push(mail);
            }
        }
        Ok(claimed)
    }

    async fn mail_deferred(
        &self,
        id: MailId,
        retry_at: OffsetDateTime,
        error: &str,
    ) -> Result<(), StoreError> {
        self.outbox_write(OutboxWrite::Deferred {
            id: id.as_uuid(),
            retry_at: timestamp(retry_at)?,
            error: error.to_owned(),
        })
        .await
        .map(drop)
    }

    async fn mail_done(&self, id: MailId, delivery: &Delivery) -> Result<(), StoreError> {
        let (status, sent_at, error) = match delivery {
            Delivery::Queued => return Ok(()),
            Delivery::Sent(at) => ("sent", Some(timestamp(*at)?), None),
            Delivery::Failed(why) => ("failed", None, Some(why.clone())),
        };
        self.outbox_write(OutboxWrite::Done {
            id: id.as_uuid(),
            status,
            sent_at,
            error,
        })
        .await
        .map(drop)
    }

    async fn add_case_link(
        &self,
        case: CaseId,
        token: &TokenDigest,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        self.outbox_write(OutboxWrite::Link {
            digest: token.as_bytes().to_vec(),
            case_id: case.as_uuid(),
            created_at: timestamp(at)?,
        })
        .await
        .map(drop)
    }

    async fn case_mail(&self, case: CaseId) -> Result<Vec<(OutgoingMail, Delivery)>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, case_id, purpose, to_address, raw, not_before, attempts, status, \
             sent_at, last_error FROM outbox WHERE case_id = ? ORDER BY id",
        )
        .bind(case.as_uuid())
        .fetch_all(&self.readers)
        .await
        .map_err(backend)?;
        rows.iter()
            .map(|r| Ok((outgoing_from_row(r)?, delivery_from_row(r)?)))
            .collect()
    }
}
