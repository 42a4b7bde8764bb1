//! The keys that thread a message onto its case: a case reference in the subject, the
//! Message-IDs it answers (In-Reply-To, References), a tracking link in its text. Never the
//! subject's words alone: two customers can both write "Broken heater".

use redress_domain::CaseRef;

/// Everything in a message that can name its case, strongest first when used.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThreadKeys {
    /// Message-IDs this message answers (In-Reply-To first, then References, newest first),
    /// without angle brackets.
    pub answers: Vec<String>,
    /// Case references written in the subject, e.g. "[K7M3-9QXA-2BTR]".
    pub references: Vec<CaseRef>,
    /// Tracking tokens from case links in the text (`…/track/<token>`).
    pub tracking_tokens: Vec<String>,
}

/// Case references in a subject: any run of letters, digits and hyphens that reads as one.
pub(crate) fn references_in(subject: &str) -> Vec<CaseRef> {
    let mut found: Vec<CaseRef> = Vec::new();
    for word in subject.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-')) {
        // A reference is 12 characters in three groups of four; anything else is a word.
        if word.len() != 14 || word.matches('-').count() != 2 {
            continue;
        }
        if let Ok(reference) = word.parse::<CaseRef>()
            && !found.contains(&reference)
        {
            found.push(reference);
        }
    }
    found
}

/// The length of a tracking token as Redress writes them (32 bytes, base64url, no padding).
const TOKEN_CHARS: usize = 43;

/// Tracking tokens in case links within `text`.
pub(crate) fn tracking_tokens_in(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for (at, _) in text.match_indices("/track/") {
        let rest = &text[at + "/track/".len()..];
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        if token.len() == TOKEN_CHARS && !found.contains(&token) {
            found.push(token);
        }
    }
    found
}

/// Message-IDs in a header value, without their angle brackets.
pub(crate) fn message_ids(values: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for value in values {
        let id = value.trim().trim_start_matches('<').trim_end_matches('>');
        if !id.is_empty() && !ids.iter().any(|i| i == id) {
            ids.push(id.to_owned());
        }
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_found_in_a_subject_and_words_are_not() {
        let reference = CaseRef::generate();
        let subject = format!("Re: Your case [{reference}] — still cold");
        assert_eq!(references_in(&subject), vec![reference.clone()]);
        assert!(references_in("Re: Broken heater in room twelve-b").is_empty());
        assert!(references_in("ABCD-EFGH-IJKLM long-words-here").is_empty());
        // Lower case, as a person retyping it might.
        let lower = reference.to_string().to_lowercase();
        assert_eq!(references_in(&format!("about {lower}")), vec![reference]);
    }

    #[test]
    fn tracking_links_are_found_in_text() {
        let token = "a".repeat(43);
        let text = format!("See https://care.example.com/track/{token}?lang=es for more.");
        assert_eq!(tracking_tokens_in(&text), vec![token]);
        assert!(tracking_tokens_in("https://care.example.com/track/short").is_empty());
    }
}

/// The Message-ID of a raw message, found by a plain scan of its header lines (no parsing, so
/// it can run before the message is kept): without angle brackets, `None` when absent or odd.
pub fn message_id_of(raw: &[u8]) -> Option<String> {
    let mut lines = raw
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    while let Some(line) = lines.next() {
        if line.is_empty() {
            return None; // the end of the headers
        }
        let Some(colon) = line.iter().position(|b| *b == b':') else {
            continue;
        };
        if !line[..colon].eq_ignore_ascii_case(b"message-id") {
            continue;
        }
        let mut value = String::from_utf8_lossy(&line[colon + 1..]).into_owned();
        // A folded header goes on in lines that start with white space.
        for more in lines.by_ref() {
            match more.first() {
                Some(b' ' | b'\t') => value.push_str(&String::from_utf8_lossy(more)),
                _ => break,
            }
        }
        let id = value
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim();
        let sane = (3..=250).contains(&id.len())
            && id.contains('@')
            && id.bytes().all(|b| b.is_ascii_graphic());
        return sane.then(|| id.to_owned());
    }
    None
}

#[cfg(test)]
mod message_id_tests {
    use super::message_id_of;

    #[test]
    fn found_by_a_scan_of_the_headers_only() {
        assert_eq!(
            message_id_of(
                b"From: a@b\r\nmessage-id:\r\n <x.1@mail.example>\r\nSubject: s\r\n\r\nBody"
            ),
            Some("x.1@mail.example".to_owned())
        );
        assert_eq!(
            message_id_of(b"From: a@b\r\n\r\nMessage-ID: <in@body>\r\n"),
            None
        );
        assert_eq!(message_id_of(b"Message-ID: <no at sign>\r\n\r\n"), None);
        assert_eq!(message_id_of(b"\xff\xfe"), None);
        assert_eq!(message_id_of(b""), None);
    }
}
