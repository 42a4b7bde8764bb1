//! Attachments: written in the transaction of the intake or change they came with, read back only under their own case and
//! checked against their stored digest.

use crate::PgStore;
use crate::error::map_err;
use redress_domain::{Attachment, AttachmentId, CaseId};
use redress_store::{NewCase, StoreError, StoredAttachment};
use sqlx::{PgExecutor, Row};

/// Writes the attachments of `new` (inside the transaction that writes the case).
pub(crate) async fn insert(
    exec: &mut sqlx::PgConnection,
    new: &NewCase,
) -> Result<(), sqlx::Error> {
    insert_for(exec, new.case.id, new.case.created_at, &new.attachments).await
}

/// Writes `attachments` of case `case` (inside the transaction that writes what they came
/// with): one statement each, as there are only a few and each may be megabytes.
pub(crate) async fn insert_for(
    exec: &mut sqlx::PgConnection,
    case: CaseId,
    created_at: time::OffsetDateTime,
    attachments: &[Attachment],
) -> Result<(), sqlx::Error> {
    for a in attachments {
        // A Vec's length is at most isize::MAX, so it always fits.
        let size = i64::try_from(a.bytes.len()).unwrap_or(i64::MAX);
        sqlx::query(
            "INSERT INTO attachments \
             (id, case_id, name, content_type, size, sha256, content, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(a.info.id.as_uuid())
        .bind(case.as_uuid())
        .bind(a.info.name.as_str())
        .bind(a.info.content_type.mime())
        .bind(size)
        .bind(a.sha256().as_slice())
        .bind(a.bytes.as_slice())
        .bind(created_at)
        .execute(&mut *exec)
        .await?;
    }
    Ok(())
}

async fn read<'e>(
    exec: impl PgExecutor<'e>,
    case: CaseId,
    id: AttachmentId,
) -> Result<Option<Attachment>, StoreError> {
    let row = sqlx::query(
        "SELECT name, content_type, size, sha256, content FROM attachments \
         WHERE id = $1 AND case_id = $2",
    )
    .bind(id.as_uuid())
    .bind(case.as_uuid())
    .fetch_optional(exec)
    .await
    .map_err(map_err)?;
    let Some(row) = row else { return Ok(None) };
    StoredAttachment {
        id,
        name: row.try_get("name").map_err(map_err)?,
        content_type: row.try_get("content_type").map_err(map_err)?,
        size: row.try_get("size").map_err(map_err)?,
        sha256: row.try_get("sha256").map_err(map_err)?,
        content: row.try_get("content").map_err(map_err)?,
    }
    .into_attachment()
    .map(Some)
}

impl PgStore {
    /// `CaseStore::attachment`.
    pub(crate) async fn read_attachment(
        &self,
        case: CaseId,
        id: AttachmentId,
    ) -> Result<Option<Attachment>, StoreError> {
        read(&self.pool, case, id).await
    }
}
