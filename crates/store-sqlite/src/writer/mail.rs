//! The writes of arrived mail: keeping a message as it came, and settling it.

use super::Writer;
use crate::codec::backend;
use redress_store::StoreError;
use uuid::Uuid;

pub(crate) enum MailWrite {
    Keep {
        id: Uuid,
        source: String,
        received_at: String,
        raw: Vec<u8>,
        message_id: Option<String>,
    },
    Settle {
        id: Uuid,
        outcome: &'static str,
        case_id: Option<Uuid>,
        detail: Option<String>,
        /// Only if the outcome is still this one (name, case, detail).
        expected: Option<(&'static str, Option<Uuid>, Option<String>)>,
    },
}

/// Runs `write`; `true` when it changed something (a kept message is new).
pub(super) async fn run(w: &mut Writer, write: MailWrite) -> Result<bool, StoreError> {
    match write {
        MailWrite::Keep {
            id,
            source,
            received_at,
            raw,
            message_id,
        } => {
            // The same message kept twice (a retried fetch) is kept once: no conflict target,
            // so the id and the (source, Message-ID) index both count.
            let done = sqlx::query(
                "INSERT INTO mail_messages (id, source, received_at, raw, message_id) \
                 VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(source)
            .bind(received_at)
            .bind(raw)
            .bind(message_id)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(done.rows_affected() == 1)
        }
        MailWrite::Settle {
            id,
            outcome,
            case_id,
            detail,
            expected,
        } => {
            let query = match expected {
                None => sqlx::query(
                    "UPDATE mail_messages SET outcome = ?, case_id = ?, detail = ? WHERE id = ?",
                )
                .bind(outcome)
                .bind(case_id)
                .bind(detail)
                .bind(id),
                Some((was, was_case, was_detail)) => sqlx::query(
                    "UPDATE mail_messages SET outcome = ?, case_id = ?, detail = ? \
                     WHERE id = ? AND outcome = ? AND case_id IS ? AND detail IS ?",
                )
                .bind(outcome)
                .bind(case_id)
                .bind(detail)
                .bind(id)
                .bind(was)
                .bind(was_case)
                .bind(was_detail),
            };
            let done = query.execute(&mut w.conn).await.map_err(backend)?;
            if done.rows_affected() == 1 {
                return Ok(true);
            }
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT 1 FROM mail_messages WHERE id = ?")
                    .bind(id)
                    .fetch_optional(&mut w.conn)
                    .await
                    .map_err(backend)?;
            match exists {
                Some(_) => Ok(false),
                None => Err(StoreError::NotFound { what: "mail" }),
            }
        }
    }
}
