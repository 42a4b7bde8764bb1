//! Files a customer sends with their case: photos and PDFs only, recognised by what they contain
//! (never by their name or the type a browser claimed), under a name that is safe to show.

use crate::ids::AttachmentId;
use crate::text::Text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// What a file is, as its content shows. Serialised as its MIME type (`image/jpeg`...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AttachmentType {
    #[serde(rename = "image/jpeg")]
    Jpeg,
    #[serde(rename = "image/png")]
    Png,
    #[serde(rename = "image/gif")]
    Gif,
    #[serde(rename = "image/webp")]
    Webp,
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl AttachmentType {
    pub const ALL: &'static [AttachmentType] = &[
        AttachmentType::Jpeg,
        AttachmentType::Png,
        AttachmentType::Gif,
        AttachmentType::Webp,
        AttachmentType::Pdf,
    ];

    /// The MIME type, as served in `Content-Type` and as stored.
    pub fn mime(&self) -> &'static str {
        match self {
            AttachmentType::Jpeg => "image/jpeg",
            AttachmentType::Png => "image/png",
            AttachmentType::Gif => "image/gif",
            AttachmentType::Webp => "image/webp",
            AttachmentType::Pdf => "application/pdf",
        }
    }

    /// The type named by a MIME type as `mime` writes it.
    pub fn parse(mime: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|t| t.mime() == mime)
    }

    /// The file name extensions this type goes by, the usual one first.
    pub fn extensions(&self) -> &'static [&'static str] {
        match self {
            AttachmentType::Jpeg => &["jpg", "jpeg", "jpe", "jfif"],
            AttachmentType::Png => &["png"],
            AttachmentType::Gif => &["gif"],
            AttachmentType::Webp => &["webp"],
            AttachmentType::Pdf => &["pdf"],
        }
    }

    /// What `bytes` are, by the signature they start with; `None` for anything else.
    ///
    /// Each signature must stand at the very start: a PDF reader would also take "%PDF" found
    /// later in the first kilobyte, but then an HTML page with "%PDF" in a comment would pass
    /// as a PDF, and a file must be exactly what its first bytes say.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(AttachmentType::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(AttachmentType::Png)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(AttachmentType::Gif)
        } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
            Some(AttachmentType::Webp)
        } else if bytes.starts_with(b"%PDF-") {
            Some(AttachmentType::Pdf)
        } else {
            None
        }
    }
}

impl fmt::Display for AttachmentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// What is known about an attachment besides its bytes: what the timeline records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttachmentInfo {
    pub id: AttachmentId,
    /// The customer's file name, made safe to show (see `AttachmentInfo::safe_name`).
    pub name: Text,
    /// What the file is, by its content.
    pub content_type: AttachmentType,
    /// Its size in bytes.
    pub size: u64,
}

/// Longest file name kept, in characters.
const MAX_NAME_CHARS: usize = 200;

/// Characters that reorder the text around them: "photo\u{202E}gpj.exe" shows as "photoexe.jpg".
fn reorders_text(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

impl AttachmentInfo {
    /// A file name as a customer's device sent it, made safe to show: only its last path
    /// component (browsers used to send whole paths), no control or reordering characters, at
    /// most 200 characters, and never empty ("attachment" then).
    pub fn safe_name(file_name: &str) -> Text {
        let last = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
        let cleaned: String = last
            .chars()
            .filter(|c| !c.is_control() && !reorders_text(*c))
            .collect();
        let name: String = cleaned.trim().chars().take(MAX_NAME_CHARS).collect();
        let name = name.trim();
        if name.is_empty() || name == "." || name == ".." {
            Text::trusted("attachment")
        } else {
            Text::trusted(name)
        }
    }

    /// The name to save the file under: its shown name, with the extension of what it really is
    /// added when it has another, so that a download opens as what it is ("page.html" holding a
    /// PNG saves as "page.html.png", never as a web page).
    pub fn download_name(&self) -> String {
        let name = self.name.as_str();
        let extension = name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase());
        let fits = extension.is_some_and(|ext| self.content_type.extensions().contains(&&*ext));
        if fits {
            name.to_owned()
        } else {
            format!("{name}.{}", self.content_type.extensions()[0])
        }
    }
}

/// A checked file and its bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    pub info: AttachmentInfo,
    pub bytes: Vec<u8>,
}

impl Attachment {
    /// Checks a file as a customer sent it, recording a problem on `field` that names the file:
    /// empty, larger than `max_bytes`, or neither a photo (JPEG, PNG, GIF, WebP) nor a PDF.
    pub fn check(
        errors: &mut Invalid,
        field: &str,
        file_name: &str,
        bytes: Vec<u8>,
        max_bytes: u64,
    ) -> Option<Attachment> {
        let name = AttachmentInfo::safe_name(file_name);
        let size = bytes.len() as u64;
        let quoted = format!("\u{201c}{}\u{201d}", name.as_str());
        if bytes.is_empty() {
            errors.add(field, format!("{quoted} is empty"));
            return None;
        }
        if size > max_bytes {
            errors.add(
                field,
                format!("{quoted} is larger than {}", size_in_words(max_bytes)),
            );
            return None;
        }
        let Some(content_type) = AttachmentType::sniff(&bytes) else {
            errors.add(field, format!("{quoted} is not a photo or a PDF"));
            return None;
        };
        Some(Attachment {
            info: AttachmentInfo {
                id: AttachmentId::new(),
                name,
                content_type,
                size,
            },
            bytes,
        })
    }

    /// The SHA-256 digest of the bytes: stored beside them, so that damage is noticed on reading.
    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.bytes).into()
    }
}

// The bytes would fill a log: show what they are instead.
impl fmt::Debug for Attachment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Attachment")
            .field("info", &self.info)
            .field("bytes", &format_args!("[{} bytes]", self.bytes.len()))
            .finish()
    }
}

/// A size limit in the words a customer reads: "10 MB", "1.5 MB", "512 KB", "100 bytes".
pub fn size_in_words(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    if bytes >= MB && bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else if bytes >= KB && bytes.is_multiple_of(KB) {
        format!("{} KB", bytes / KB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const MB: u64 = 1024 * 1024;

    fn check(name: &str, bytes: &[u8], max: u64) -> Result<Attachment, Invalid> {
        let mut errors = Invalid::default();
        let checked = Attachment::check(&mut errors, "attachments", name, bytes.to_vec(), max);
        match checked {
            Some(a) if errors.is_empty() => Ok(a),
            _ => Err(errors),
        }
    }

    fn message(e: Invalid) -> String {
        assert_eq!(e.errors.len(), 1, "{e}");
        assert_eq!(e.errors[0].field, "attachments");
        e.errors[0].message.clone()
    }

    #[test]
    fn recognised_by_content_not_by_name() {
        let png = check("holiday.jpg", PNG, 10 * MB).expect("a PNG is a photo");
        assert_eq!(png.info.content_type, AttachmentType::Png);
        assert_eq!(png.info.size, PNG.len() as u64);
        assert_eq!(png.info.download_name(), "holiday.jpg.png");
        let pdf = check("Bill.PDF", b"%PDF-1.7\n%...", 10 * MB).expect("a PDF");
        assert_eq!(pdf.info.content_type, AttachmentType::Pdf);
        assert_eq!(pdf.info.download_name(), "Bill.PDF");
        for (bytes, t) in [
            (&b"\xFF\xD8\xFF\xE0\0\x10JFIF"[..], AttachmentType::Jpeg),
            (b"GIF89a\x01\0\x01\0", AttachmentType::Gif),
            (b"RIFF\x24\0\0\0WEBPVP8 ", AttachmentType::Webp),
        ] {
            assert_eq!(AttachmentType::sniff(bytes), Some(t));
        }

        let exe = check("photo.jpg", b"MZ\x90\0\x03\0\0\0", 10 * MB).expect_err("not a photo");
        assert_eq!(
            message(exe),
            "\u{201c}photo.jpg\u{201d} is not a photo or a PDF"
        );
        let html = b"<html><!-- %PDF-1.4 --><script>alert(1)</script>";
        assert!(
            check("x.pdf", html, 10 * MB).is_err(),
            "%PDF must come first"
        );
        assert!(AttachmentType::sniff(b"RIFF\0\0\0\0WAVEfmt ").is_none());
    }

    #[test]
    fn empty_and_too_large_are_refused_by_name() {
        let empty = check("x.pdf", b"", 10 * MB).expect_err("empty");
        assert_eq!(message(empty), "\u{201c}x.pdf\u{201d} is empty");
        let big = check("x.pdf", b"%PDF-1.7 and more", 10).expect_err("too large");
        assert_eq!(
            message(big),
            "\u{201c}x.pdf\u{201d} is larger than 10 bytes"
        );
        assert_eq!(size_in_words(10 * MB), "10 MB");
        assert_eq!(size_in_words(3 * MB / 2), "1.5 MB");
        assert_eq!(size_in_words(512 * 1024), "512 KB");
    }

    #[test]
    fn names_are_made_safe_to_show() {
        let safe = |n: &str| AttachmentInfo::safe_name(n).as_str().to_owned();
        assert_eq!(safe("C:\\Users\\ana\\Desktop\\bill.pdf"), "bill.pdf");
        assert_eq!(safe("../../etc/passwd"), "passwd");
        assert_eq!(safe("a\0b\r\nc\u{7f}.png"), "abc.png");
        assert_eq!(safe("photo\u{202E}gpj.exe"), "photogpj.exe");
        assert_eq!(safe("  "), "attachment");
        assert_eq!(safe("dir/"), "attachment");
        assert_eq!(safe(".."), "attachment");
        assert_eq!(safe(""), "attachment");
        assert_eq!(safe("Zoë 🙂.jpg"), "Zoë 🙂.jpg");
        assert_eq!(safe(&"é".repeat(300)).chars().count(), 200);
    }

    #[test]
    fn serialised_as_mime_types_and_never_printing_bytes() {
        let a = check("p.png", PNG, MB).expect("valid");
        let json = serde_json::to_value(&a.info).expect("serialise");
        assert_eq!(json["content_type"], "image/png");
        assert_eq!(json["name"], "p.png");
        let back: AttachmentInfo = serde_json::from_value(json).expect("read back");
        assert_eq!(back, a.info);
        assert!(format!("{a:?}").contains("[16 bytes]"));
        for t in AttachmentType::ALL {
            assert_eq!(AttachmentType::parse(t.mime()), Some(*t));
        }
    }

    #[test]
    fn received_events_stored_before_attachments_still_read() {
        let old = serde_json::json!({
            "type": "received", "kind": "complaint", "channel": "web", "words": "Cold room.",
            "desired_outcome": null, "needed_by": null,
            "subject": {"product": null, "service": null, "location": null},
            "language": null, "respond_by": null
        });
        let kind: crate::EventKind = serde_json::from_value(old.clone()).expect("reads");
        assert!(matches!(
            &kind,
            crate::EventKind::Received { attachments, .. } if attachments.is_empty()
        ));
        let written = serde_json::to_value(&kind).expect("writes");
        assert_eq!(written, old, "no attachments: written as before");
    }
}
