//! Mail written by a machine: autoresponders, mailing lists, bulk mail and bounces. Redress
//! records it but never answers it (RFC 3834), so it cannot start a loop with another system.

use mail_parser::{HeaderValue, Message, MimeHeaders};

/// Why a message is machine mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Automatic {
    /// `Auto-Submitted` other than `no` (RFC 3834), or an autoresponder's own marker.
    AutoSubmitted(String),
    /// `Precedence: bulk`, `list` or `junk`.
    Bulk(String),
    /// A mailing list (`List-Id` or `List-Unsubscribe`).
    MailingList,
    /// A delivery report or a bounce (`multipart/report`, or an empty return path).
    Bounce,
}

fn text<'a>(message: &'a Message<'_>, name: &'static str) -> Option<&'a str> {
    match message.header(name)? {
        HeaderValue::Text(t) => Some(t.as_ref()),
        _ => message.header_raw(name),
    }
    .map(str::trim)
}

/// Whether `message` was written by a machine, and how we can tell.
pub(crate) fn detect(message: &Message<'_>) -> Option<Automatic> {
    if let Some(value) = text(message, "Auto-Submitted") {
        let kind = value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if !kind.is_empty() && kind != "no" {
            return Some(Automatic::AutoSubmitted(kind));
        }
    }
    for marker in ["X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"] {
        if message.header_raw(marker).is_some() {
            return Some(Automatic::AutoSubmitted(marker.to_ascii_lowercase()));
        }
    }
    if let Some(value) = text(message, "Precedence") {
        let value = value.to_ascii_lowercase();
        if matches!(value.as_str(), "bulk" | "list" | "junk") {
            return Some(Automatic::Bulk(value));
        }
    }
    if message.header_raw("List-Id").is_some() || message.header_raw("List-Unsubscribe").is_some() {
        return Some(Automatic::MailingList);
    }
    let is_report = message.root_part().content_type().is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case("multipart")
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case("report"))
    });
    let null_sender = message
        .header_raw("Return-Path")
        .is_some_and(|r| r.trim() == "<>");
    if is_report || null_sender {
        return Some(Automatic::Bounce);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MessageParser;

    fn detect_in(raw: &str) -> Option<Automatic> {
        let message = MessageParser::default().parse(raw).expect("parses");
        detect(&message)
    }

    #[test]
    fn machines_are_recognised_and_people_are_not() {
        let person = "From: kim@example.com\r\nSubject: Cold room\r\n\r\nThe heater broke.\r\n";
        assert_eq!(detect_in(person), None);
        let said_no = "Auto-Submitted: no\r\nFrom: kim@example.com\r\n\r\nHello\r\n";
        assert_eq!(detect_in(said_no), None);
        let auto =
            "Auto-Submitted: auto-replied; owner=kim\r\nFrom: kim@example.com\r\n\r\nAway\r\n";
        assert_eq!(
            detect_in(auto),
            Some(Automatic::AutoSubmitted("auto-replied".into()))
        );
        let bulk = "Precedence: Bulk\r\nFrom: news@example.com\r\n\r\nOffers\r\n";
        assert_eq!(detect_in(bulk), Some(Automatic::Bulk("bulk".into())));
        let list = "List-Id: <care.lists.example.com>\r\nFrom: a@example.com\r\n\r\nHi\r\n";
        assert_eq!(detect_in(list), Some(Automatic::MailingList));
        let bounce = "Return-Path: <>\r\nFrom: MAILER-DAEMON@example.com\r\n\r\nFailed\r\n";
        assert_eq!(detect_in(bounce), Some(Automatic::Bounce));
        let report = "From: postmaster@example.com\r\nContent-Type: multipart/report; \
                      report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\n\r\nx\r\n--b--\r\n";
        assert_eq!(detect_in(report), Some(Automatic::Bounce));
        let exchange = "X-Auto-Response-Suppress: All\r\nFrom: a@example.com\r\n\r\nOOO\r\n";
        assert!(detect_in(exchange).is_some());
    }
}
