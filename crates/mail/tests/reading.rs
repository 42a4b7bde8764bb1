//! Every message of the corpus (CPython's email tests and the RFCs' examples) is read without a
//! crash or a lost word, and arbitrary bytes never make reading panic.

use mail_parser::MessageParser;
use proptest::prelude::*;
use redress_mail::read;
use std::path::PathBuf;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut found = Vec::new();
    for dir in ["cpython", "rfc"] {
        let mut entries: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("the corpus is in the repository")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "eml"))
            .filter(|p| {
                !p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("-2.0"))
            })
            .collect();
        entries.sort();
        for path in entries {
            let bytes = std::fs::read(&path).expect("readable");
            found.push((path.display().to_string(), bytes));
        }
    }
    found
}

fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() > 2)
}

#[test]
fn every_message_of_the_corpus_is_read_with_all_its_words() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 55,
        "the corpus has {} messages",
        corpus.len()
    );
    for (name, raw) in &corpus {
        let mail = read(raw);
        let kept = format!(
            "{}\n{}\n{}",
            mail.subject,
            mail.folded.new,
            mail.folded.quoted.as_deref().unwrap_or_default()
        );
        // Every word of every text part, as the parser reads it, reaches the case (folding
        // hides nothing: what is not new is in the quoted history).
        if let Some(message) = MessageParser::default().parse(raw.as_slice()) {
            for i in 0..message.text_body_count() {
                let part = message.body_text(i).unwrap_or_default();
                for word in words(&part) {
                    assert!(
                        mail.text.contains(word),
                        "{name}: {word:?} lost from the text"
                    );
                    assert!(kept.contains(word), "{name}: {word:?} lost in folding");
                }
            }
        }
        // Where the message is one plain, unencoded text part, its body's words are checked
        // against the raw bytes themselves, not the parser's reading.
        let source = String::from_utf8_lossy(raw);
        let (head, body) = source.split_once("\n\n").unwrap_or((source.as_ref(), ""));
        let head = head.to_ascii_lowercase();
        let plain = !head.contains("content-type") || head.contains("content-type: text/plain");
        let unencoded = !head.contains("content-transfer-encoding")
            || head.contains("content-transfer-encoding: 7bit");
        if plain && unencoded && !head.contains("multipart") && mail.unreadable.is_none() {
            for word in words(body) {
                assert!(mail.text.contains(word), "{name}: raw word {word:?} lost");
            }
        }
        if mail.unreadable.is_some() {
            assert!(!mail.text.is_empty(), "{name}: unreadable and empty");
        }
    }
}

#[test]
fn attachments_of_the_corpus_come_through() {
    let corpus = corpus();
    let with_files = corpus
        .iter()
        .filter(|(_, raw)| !read(raw).attachments.is_empty())
        .count();
    assert!(with_files >= 5, "{with_files} messages with attachments");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn arbitrary_bytes_never_make_reading_panic(raw in proptest::collection::vec(any::<u8>(), 0..2_048)) {
        let mail = read(&raw);
        // Whatever it was, something of it is kept unless it was nothing.
        if raw.iter().any(|b| b.is_ascii_alphanumeric()) {
            prop_assert!(
                !mail.text.is_empty() || !mail.subject.is_empty() || mail.from.is_some()
                    || !mail.attachments.is_empty() || mail.message_id.is_some()
                    || !mail.thread.answers.is_empty()
            );
        }
    }

    #[test]
    fn message_shaped_bytes_never_make_reading_panic(
        headers in proptest::collection::vec("[A-Za-z-]{1,20}: [ -~]{0,60}", 0..8),
        body in "[ -~\n]{0,500}",
    ) {
        let raw = format!("{}\r\n\r\n{}", headers.join("\r\n"), body);
        let mail = read(raw.as_bytes());
        for word in body.split_whitespace().filter(|w| w.chars().all(|c| c.is_ascii_alphanumeric()) && w.len() > 3) {
            prop_assert!(mail.text.contains(word) || mail.unreadable.is_some(), "{word} lost");
        }
    }
}
