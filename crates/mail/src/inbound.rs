//! Reading one raw message: who sent it, what they newly wrote, what they attached, what it
//! answers, and whether a machine wrote it. Reading never fails: a message the parser cannot
//! make sense of still yields its raw text, with the problem said, so a parser bug never loses
//! a customer's words.

use crate::automatic::{Automatic, detect};
use crate::quoting::FORWARDED;
use crate::quoting::{Folded, fold_quoted};
use crate::threading::{ThreadKeys, message_ids, references_in, tracking_tokens_in};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders};

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
    /// What the sender wrote, as the words of a case or of a message on one: their new words,
    /// then (`with_quoted`, for a message that opens a case) the quoted history, which is
    /// context nobody has yet (a forwarded bill, an earlier letter); the subject when the body
    /// says nothing, the names of its files when that is all it has. Cut, and marked, to what a
    /// case holds: the email keeps the rest.
    pub fn case_words(&self, with_quoted: bool) -> Option<String> {
        let new = self.folded.new.trim();
        let quoted = with_quoted
            .then(|| self.folded.quoted.as_deref().map(str::trim))
            .flatten()
            .filter(|q| !q.is_empty());
        let words = match (new.is_empty(), quoted) {
            (false, Some(q)) => format!("{new}\n\n{q}"),
            (false, None) => new.to_owned(),
            (true, Some(q)) => q.to_owned(),
            (true, None) if !self.subject.trim().is_empty() => self.subject.trim().to_owned(),
            // Only files (a photo of the damage): their names, so the case says what came.
            (true, None) => {
                let names: Vec<&str> = self
                    .attachments
                    .iter()
                    .map(|a| a.name.as_deref().unwrap_or(a.content_type.as_str()))
                    .collect();
                if names.is_empty() {
                    return None;
                }
                format!("[{}]", names.join(", "))
            }
        };
        // A NUL is no word, and no case takes one.
        Some(fit(words.replace('\0', ""), redress_domain::Text::LONG))
    }

    /// The new case this message would open (when it threads onto none): the sender's words
    /// (see [`InboundMail::case_words`]), their address and name, and the kind detected from
    /// their new words, with why.
    pub fn intake_draft(&self) -> (redress_domain::IntakeDraft, crate::Detected) {
        let detected = crate::detect_kind(&self.subject, &self.folded.new);
        let words = self.case_words(true);
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

/// What is cut from words too long for a case (the email keeps them whole).
const CUT_MARK: &str = "\n\n[…]";

/// `words` cut on a character to at most `max` characters, the cut marked.
fn fit(words: String, max: usize) -> String {
    if words.chars().count() <= max {
        return words;
    }
    let keep = max - CUT_MARK.chars().count();
    let end = words
        .char_indices()
        .nth(keep)
        .map_or(words.len(), |(at, _)| at);
    format!("{}{CUT_MARK}", words[..end].trim_end())
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
    let text = std::iter::once(body_text(&message))
        .chain(forwarded(&message, 0))
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
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

/// Every text part of `message`, in order. A message with only an HTML body has no text body
/// (mail-parser lists HTML parts apart): its HTML, as text, then.
fn body_text(message: &Message<'_>) -> String {
    let text_parts: Vec<String> = (0..message.text_body_count())
        .filter_map(|i| message.body_text(i))
        .map(|t| t.replace("\r\n", "\n"))
        .filter(|t| !t.trim().is_empty())
        .collect();
    if text_parts.is_empty() {
        (0..message.html_body_count())
            .filter_map(|i| message.body_text(i))
            .map(|t| t.replace("\r\n", "\n"))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        text_parts.join("\n\n")
    }
}

/// How deep messages attached to attached messages are read.
const FORWARDED_DEPTH: usize = 3;

/// The messages attached to `message` (forwarded as attachments: the bill, the earlier
/// letter), each as a forwarded block with who wrote it, when and about what, then its text.
fn forwarded(message: &Message<'_>, depth: usize) -> Vec<String> {
    if depth >= FORWARDED_DEPTH {
        return Vec::new();
    }
    message
        .attachments()
        .filter_map(|part| part.message())
        .map(|inner| {
            let mut block = String::from(FORWARDED);
            let from =
                inner
                    .from()
                    .and_then(|a| a.first())
                    .map(|a| match (a.name(), a.address()) {
                        (Some(name), Some(address)) => format!("{name} <{address}>"),
                        (None, Some(address)) => address.to_owned(),
                        (Some(name), None) => name.to_owned(),
                        (None, None) => String::new(),
                    });
            let date = inner.date().map(|d| d.to_rfc822());
            for (label, value) in [
                ("From", from),
                ("Date", date),
                ("Subject", inner.subject().map(str::to_owned)),
            ] {
                if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
                    block.push_str(&format!("\n{label}: {}", value.trim()));
                }
            }
            block.push_str("\n\n");
            block.push_str(body_text(inner).trim());
            for deeper in forwarded(inner, depth + 1) {
                block.push_str("\n\n");
                block.push_str(&deeper);
            }
            block
        })
        .collect()
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
    fn a_case_keeps_the_quoted_history_it_opens_with_and_a_reply_its_new_words() {
        let raw = "From: kim@example.com\r\nSubject: Fwd: your bill\r\n\r\n\
                   This bill is wrong.\r\n\r\nOn Mon, 2 Nov 2026, Billing wrote:\r\n\
                   > You owe 900 euros.\r\n";
        let mail = read(raw.as_bytes());
        assert_eq!(mail.folded.new, "This bill is wrong.");
        let opening = mail.case_words(true).expect("words");
        assert!(opening.starts_with("This bill is wrong.\n\n"), "{opening}");
        assert!(opening.contains("You owe 900 euros."), "{opening}");
        assert_eq!(
            mail.case_words(false).as_deref(),
            Some("This bill is wrong.")
        );
        let (draft, _) = mail.intake_draft();
        assert_eq!(draft.what_happened, Some(opening));

        let empty = read(b"From: kim@example.com\r\nSubject: Heater broken\r\n\r\n\r\n");
        assert_eq!(empty.case_words(true).as_deref(), Some("Heater broken"));
        assert_eq!(
            read(b"From: kim@example.com\r\n\r\n").case_words(true),
            None
        );
    }

    #[test]
    fn a_message_forwarded_as_an_attachment_is_read_into_the_case() {
        let raw = "From: kim@example.com\r\nSubject: See below\r\n\
                   Content-Type: multipart/mixed; boundary=b\r\n\r\n\
                   --b\r\nContent-Type: text/plain\r\n\r\nThis is what they told me.\r\n\
                   --b\r\nContent-Type: message/rfc822\r\n\r\n\
                   From: Sales <sales@shop.example>\r\nSubject: Your order\r\n\
                   Date: Mon, 2 Nov 2026 10:00:00 +0000\r\n\r\n\
                   Delivery on Tuesday, guaranteed.\r\n--b--\r\n";
        let mail = read(raw.as_bytes());
        assert_eq!(mail.folded.new, "This is what they told me.");
        let words = mail.case_words(true).expect("words");
        assert!(
            words.contains(
                "---------- Forwarded message ----------\nFrom: Sales <sales@shop.example>"
            ),
            "{words}"
        );
        assert!(words.contains("Subject: Your order"), "{words}");
        assert!(
            words.ends_with("Delivery on Tuesday, guaranteed."),
            "{words}"
        );
    }

    #[test]
    fn a_message_of_files_alone_names_them() {
        let raw = "From: kim@example.com\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n\
                   --b\r\nContent-Type: image/png; name=damage.png\r\n\
                   Content-Disposition: attachment; filename=damage.png\r\n\
                   Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n";
        let mail = read(raw.as_bytes());
        assert_eq!(mail.case_words(true).as_deref(), Some("[damage.png]"));
    }

    #[test]
    fn words_too_long_for_a_case_are_cut_on_a_character_and_marked() {
        let long = format!("From: kim@example.com\r\n\r\n{}\0\r\n", "é".repeat(30_000));
        let words = read(long.as_bytes()).case_words(true).expect("words");
        assert_eq!(words.chars().count(), redress_domain::Text::LONG);
        assert!(words.ends_with("é\n\n[…]"), "cut and marked");
        assert!(!words.contains('\0'));
        let short = "a".repeat(redress_domain::Text::LONG);
        assert_eq!(fit(short.clone(), redress_domain::Text::LONG), short);
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
