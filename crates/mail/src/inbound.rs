//! Reading one raw message: who sent it, what they newly wrote, what they attached, what it
//! answers, and whether a machine wrote it. Reading never fails: a message the parser cannot
//! make sense of still yields its raw text, with the problem said, so a parser bug never loses
//! a customer's words.

use crate::automatic::{Automatic, detect};
use crate::quoting::{Folded, fold_quoted};
use crate::threading::{ThreadKeys, message_ids, references_in, tracking_tokens_in};
use mail_parser::{HeaderValue, MessageParser, MimeHeaders};

/// Who sent a message, as its From header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sender {
    pub address: String,
    pub name: Option<String>,
}

/// A file that came with a message (or an image inside its text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundAttachment {
    /// The name the sender's program gave it, if any (never used to store it).
    pub name: Option<String>,
    /// As declared, e.g. "image/png"; the content is checked before anything keeps it.
    pub content_type: String,
    pub bytes: Vec<u8>,
    /// Shown inside the message's text rather than attached to it.
    pub inline: bool,
}

/// One message, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMail {
    pub from: Option<Sender>,
    /// Decoded (encoded words and charsets), possibly empty.
    pub subject: String,
    /// Without angle brackets.
    pub message_id: Option<String>,
    /// Every text part, in order, HTML turned into text: nothing the sender wrote is missing.
    pub text: String,
    /// What the sender newly wrote, quoted history folded away.
    pub folded: Folded,
    pub attachments: Vec<InboundAttachment>,
    pub thread: ThreadKeys,
    /// Written by a machine: recorded, never answered.
    pub automatic: Option<Automatic>,
    /// The parser could not read the message: `text` is then its raw source.
    pub unreadable: Option<String>,
    /// The language the sender says they wrote in (Content-Language), e.g. "es".
    pub language: Option<String>,
}

fn header_list(value: &HeaderValue<'_>) -> Vec<String> {
    match value {
        HeaderValue::Text(t) => t.split_whitespace().map(str::to_owned).collect(),
        HeaderValue::TextList(list) => list.iter().map(|t| t.to_string()).collect(),
        _ => Vec::new(),
    }
}

impl InboundMail {
    /// The new case this message would open (when it threads onto none): the sender's new
    /// words (the subject when the body says nothing), their address and name, and the kind
    /// detected from the words, with why.
    pub fn intake_draft(&self) -> (redress_domain::IntakeDraft, crate::Detected) {
        let detected = crate::detect_kind(&self.subject, &self.folded.new);
        let words = Some(self.folded.new.trim())
            .filter(|w| !w.is_empty())
            .or_else(|| Some(self.subject.trim()).filter(|s| !s.is_empty()))
            .map(str::to_owned);
        let draft = redress_domain::IntakeDraft {
            kind: Some(detected.kind.as_str().to_owned()),
            what_happened: words,
            email: self.from.as_ref().map(|f| f.address.clone()),
            name: self.from.as_ref().and_then(|f| f.name.clone()),
            preferred_channel: Some("email".to_owned()),
            // A tag the case would refuse is dropped rather than refusing the customer's case.
            language: self.language.clone().filter(|tag| {
                let mut ignored = redress_domain::Invalid::default();
                redress_domain::Language::parse(&mut ignored, "language", tag).is_some()
            }),
            ..redress_domain::IntakeDraft::default()
        };
        (draft, detected)
    }
}

/// Reads a raw message as it came off the wire.
pub fn read(raw: &[u8]) -> InboundMail {
    let Some(message) = MessageParser::default().parse(raw) else {
        return unreadable(raw, "the message has no headers or body that can be read");
    };
    let from = message.from().and_then(|a| a.first()).and_then(|addr| {
        let address = addr.address()?.trim().to_owned();
        (!address.is_empty()).then(|| Sender {
            address,
            name: addr
                .name()
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
        })
    });
    let subject = message.subject().unwrap_or_default().trim().to_owned();
    let text_parts: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .map(|t| t.replace("\r\n", "\n"))
        .filter(|t| !t.trim().is_empty())
        .collect();
    // A message with only an HTML body has no text body; mail-parser lists HTML parts apart.
    let text = if text_parts.is_empty() {
        (0..message.html_body_count())
            .filter_map(|i| message.body_text(i))
            .map(|t| t.replace("\r\n", "\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        text_parts.join("\n\n")
    };
    let mut answers = message_ids(&header_list(message.in_reply_to()));
    let mut references = message_ids(&header_list(message.references()));
    references.reverse();
    for id in references {
        if !answers.contains(&id) {
            answers.push(id);
        }
    }
    let attachments = message
        .attachments()
        .map(|part| InboundAttachment {
            name: part.attachment_name().map(str::to_owned),
            content_type: part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_owned(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_owned())
                .to_ascii_lowercase(),
            bytes: part.contents().to_vec(),
            inline: part
                .content_disposition()
                .is_some_and(|d| d.ctype().eq_ignore_ascii_case("inline")),
        })
        .collect();
    let thread = ThreadKeys {
        answers,
        references: references_in(&subject),
        tracking_tokens: tracking_tokens_in(&text),
    };
    let automatic = detect(&message);
    let message_id = message
        .message_id()
        .map(|id| {
            id.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_owned()
        })
        .filter(|id| !id.is_empty());
    let language = header_list(message.content_language())
        .into_iter()
        .next()
        .map(|tag| tag.trim_end_matches(',').to_owned());
    let nothing_read = text.trim().is_empty() && message.attachment_count() == 0;
    if nothing_read && (raw_has_body(raw) || (from.is_none() && subject.is_empty())) {
        // No part could be read (or nothing looked like a message at all): keep the source as
        // the text.
        let mut mail = unreadable(raw, "the message's body could not be read as text");
        mail.from = from;
        mail.subject = subject;
        mail.message_id = message_id;
        mail.thread.answers = thread.answers;
        mail.thread.references = thread.references;
        mail.automatic = automatic;
        return mail;
    }
    InboundMail {
        from,
        subject,
        message_id,
        folded: fold_quoted(&text),
        text,
        attachments,
        thread,
        automatic,
        unreadable: None,
        language,
    }
}

/// Whether anything follows the headers (a blank line, then content).
fn raw_has_body(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let body = text
        .split_once("\r\n\r\n")
        .or_else(|| text.split_once("\n\n"))
        .map(|(_, b)| b)
        .unwrap_or_default();
    !body.trim().is_empty()
}

/// A message that could not be read: its raw source, as text, is what the sender said.
fn unreadable(raw: &[u8], why: &str) -> InboundMail {
    let text = String::from_utf8_lossy(raw).replace("\r\n", "\n");
    InboundMail {
        from: None,
        subject: String::new(),
        message_id: None,
        folded: Folded {
            new: text.trim_end().to_owned(),
            quoted: None,
        },
        thread: ThreadKeys {
            tracking_tokens: tracking_tokens_in(&text),
            ..ThreadKeys::default()
        },
        text,
        attachments: Vec::new(),
        automatic: None,
        unreadable: Some(why.to_owned()),
        language: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_gives_its_sender_new_words_and_what_it_answers() {
        let raw = "From: =?UTF-8?Q?Luc=C3=ADa_P=C3=A9rez?= <lucia@example.com>\r\n\
                   Subject: =?UTF-8?Q?Re:_Su_caso?= [K7M3-9QXA-2BTR]\r\n\
                   Message-ID: <abc@mail.example.com>\r\n\
                   In-Reply-To: <case.1@care.example.com>\r\n\
                   References: <case.0@care.example.com> <case.1@care.example.com>\r\n\
                   Content-Type: text/plain; charset=utf-8\r\n\r\n\
                   Sigue haciendo frío.\r\n\r\nEl lun, 23 nov 2026, Ana escribió:\r\n> Hola\r\n";
        let mail = read(raw.as_bytes());
        assert_eq!(mail.unreadable, None);
        let from = mail.from.expect("a sender");
        assert_eq!(from.address, "lucia@example.com");
        assert_eq!(from.name.as_deref(), Some("Lucía Pérez"));
        assert_eq!(mail.subject, "Re: Su caso [K7M3-9QXA-2BTR]");
        assert_eq!(mail.message_id.as_deref(), Some("abc@mail.example.com"));
        assert_eq!(
            mail.thread.answers,
            ["case.1@care.example.com", "case.0@care.example.com"]
        );
        assert_eq!(mail.thread.references.len(), 1);
        assert_eq!(mail.folded.new, "Sigue haciendo frío.");
        assert!(mail.text.contains("> Hola"));
        assert_eq!(mail.automatic, None);
    }

    #[test]
    fn a_new_message_becomes_a_valid_intake_from_its_sender() {
        let raw = "From: Kim Lee <kim@example.com>\r\nSubject: Room 12\r\n\r\n\
                   The heater broke on Monday and nobody came.\r\n";
        let (draft, detected) = read(raw.as_bytes()).intake_draft();
        assert_eq!(detected.kind, redress_domain::CaseKind::Complaint);
        assert_eq!(draft.email.as_deref(), Some("kim@example.com"));
        assert_eq!(draft.name.as_deref(), Some("Kim Lee"));
        let today = time::OffsetDateTime::now_utc().date();
        let intake = redress_domain::Intake::parse(&draft, redress_domain::Channel::Email, today)
            .expect("a valid intake");
        assert_eq!(
            intake.words.as_str(),
            "The heater broke on Monday and nobody came."
        );
        // Only a subject: the subject is what they said.
        let bare = "From: kim@example.com\r\nSubject: No hot water in room 4\r\n\r\n";
        let (draft, _) = read(bare.as_bytes()).intake_draft();
        assert_eq!(
            draft.what_happened.as_deref(),
            Some("No hot water in room 4")
        );
    }

    #[test]
    fn html_only_mail_is_read_as_text_without_its_markup() {
        let raw = "From: kim@example.com\r\nSubject: Cold\r\nContent-Type: text/html\r\n\r\n\
                   <html><body><p>The heater <b>broke</b>.</p><script>alert(1)</script></body></html>\r\n";
        let mail = read(raw.as_bytes());
        assert!(mail.text.contains("The heater broke."), "{}", mail.text);
        assert!(!mail.text.contains("<b>"));
    }

    #[test]
    fn what_cannot_be_read_is_kept_as_it_came() {
        let mail = read(b"\xff\xfe this is not a message at all");
        assert!(
            mail.text.contains("this is not a message at all"),
            "{mail:?}"
        );
        let empty = read(b"");
        assert!(empty.unreadable.is_some());
    }
}
