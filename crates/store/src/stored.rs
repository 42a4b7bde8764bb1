//! Checks on what backends read back, shared so both judge stored data alike.

use crate::StoreError;
use redress_domain::{Attachment, AttachmentId, AttachmentInfo, AttachmentType, Text};

/// The columns of a stored attachment, as a backend read them.
#[derive(Debug)]
pub struct StoredAttachment {
    pub id: AttachmentId,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: Vec<u8>,
    pub content: Vec<u8>,
}

impl StoredAttachment {
    /// The attachment, if its bytes are still what was stored: their size and SHA-256 digest
    /// must match the ones stored beside them (`Corrupt` otherwise, never wrong bytes served).
    pub fn into_attachment(self) -> Result<Attachment, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("attachment {}: {what}", self.id));
        let content_type = AttachmentType::parse(&self.content_type)
            .ok_or_else(|| corrupt(&format!("unknown content type {:?}", self.content_type)))?;
        let size = u64::try_from(self.size).map_err(|_| corrupt("negative size"))?;
        if size != self.content.len() as u64 {
            return Err(corrupt("its size does not match its content"));
        }
        if self.name.trim().is_empty() {
            return Err(corrupt("empty name"));
        }
        let attachment = Attachment {
            info: AttachmentInfo {
                id: self.id,
                name: Text::trusted(self.name),
                content_type,
                size,
            },
            bytes: self.content,
        };
        if attachment.sha256().as_slice() != self.sha256.as_slice() {
            return Err(corrupt("its content does not match its digest"));
        }
        Ok(attachment)
    }
}
