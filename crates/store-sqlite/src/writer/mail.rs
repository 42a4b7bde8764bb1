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
    },
    Settle {
        id: Uuid,
        outcome: &'static str,
        case_id: Option<Uuid>,
        detail: Option<String>,
    },
}

pub(super) async fn run(w: &mut Writer, write: MailWrite) -> Result<(), StoreError> {
    match write {
        MailWrite::Keep {
            id,
            source,
            received_at,
            raw,
        } => {
            // The same message kept twice (a retried fetch) is kept once.
            sqlx::query(
                "INSERT INTO mail_messages (id, source, received_at, raw) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(source)
            .bind(received_at)
            .bind(raw)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            Ok(())
        }
        MailWrite::Settle {
            id,
            outcome,
            case_id,
            detail,
        } => {
            let done = sqlx::query(
                "UPDATE mail_messages SET outcome = ?, case_id = ?, detail = ? WHERE id = ?",
            )
            .bind(outcome)
            .bind(case_id)
            .bind(detail)
            .bind(id)
            .execute(&mut w.conn)
            .await
            .map_err(backend)?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound { what: "mail" });
            }
            Ok(())
        }
    }
}
