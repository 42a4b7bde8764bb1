//! Serving an attachment: always as a download of the type its content showed, never rendered
//! by the browser, never cached (shared by the staff API and the customer pages).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_domain::Attachment;
use std::fmt::Write as _;

/// The response carrying `att`'s bytes: `Content-Type` the type its content showed,
/// `Content-Disposition: attachment` with its name (ASCII and UTF-8 forms), `nosniff` so the
/// browser never second-guesses the type, and `no-store` as it is the customer's private file.
pub fn attachment_response(att: &Attachment) -> Response {
    let name = att.info.download_name();
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_fallback(&name),
        percent_encoded(&name)
    );
    let mut response = (StatusCode::OK, Body::from(att.bytes.clone())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(att.info.content_type.mime()),
    );
    headers.insert(
        header::CONTENT_DISPOSITION,
        // Both forms are visible ASCII by construction; should that ever fail, the download
        // still happens, under a name the browser picks.
        HeaderValue::from_str(&disposition)
            .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

/// The name for clients that ignore `filename*`: printable ASCII only, without the quote and
/// backslash that would end or escape the quoted string.
fn ascii_fallback(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect()
}

/// RFC 5987 `value-chars`: UTF-8 bytes, those outside `attr-char` as `%XX`.
fn percent_encoded(name: &str) -> String {
    let mut out = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        let plain = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
            );
        if plain {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use redress_domain::{AttachmentId, AttachmentInfo, AttachmentType, Text};

    fn attachment(name: &str, content_type: AttachmentType) -> Attachment {
        Attachment {
            info: AttachmentInfo {
                id: AttachmentId::new(),
                name: Text::trusted(name),
                content_type,
                size: 4,
            },
            bytes: b"%PDF".to_vec(),
        }
    }

    fn header(r: &Response, name: header::HeaderName) -> &str {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    #[test]
    fn a_download_of_the_real_type_under_a_safe_name() {
        let r = attachment_response(&attachment("Zoë \"bill\".pdf", AttachmentType::Pdf));
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(header(&r, header::CONTENT_TYPE), "application/pdf");
        assert_eq!(
            header(&r, header::CONTENT_DISPOSITION),
            "attachment; filename=\"Zo_ _bill_.pdf\"; \
             filename*=UTF-8''Zo%C3%AB%20%22bill%22.pdf"
        );
        assert_eq!(header(&r, header::X_CONTENT_TYPE_OPTIONS), "nosniff");
        assert_eq!(header(&r, header::CACHE_CONTROL), "private, no-store");

        let r = attachment_response(&attachment("page.html", AttachmentType::Png));
        assert_eq!(header(&r, header::CONTENT_TYPE), "image/png");
        assert!(
            header(&r, header::CONTENT_DISPOSITION).contains("filename=\"page.html.png\""),
            "saved as what it is"
        );
    }
}
