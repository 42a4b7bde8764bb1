//! Every message of the mail corpus (CPython's email tests and the RFCs' examples, kept in
//! crates/mail/tests/corpus) through the real intake, on both backends: each is kept byte for
//! byte and becomes a case holding every word its sender wrote (the quoted history included),
//! unless a machine wrote it (recorded, never answered) or it names no sender to answer
//! (listed for a person to look at). Nothing panics, nothing is left pending.

use crate::helpers::TestApp;
use redress_app::{App, Settings};
use redress_store::MailOutcome;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn corpus() -> Vec<(String, Vec<u8>)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../mail/tests/corpus");
    let mut found = Vec::new();
    for dir in ["cpython", "rfc"] {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("the corpus is in the repository")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "eml"))
            .collect();
        paths.sort();
        for path in paths {
            let name = format!("{dir}/{}", path.file_name().unwrap_or_default().display());
            found.push((name, std::fs::read(&path).expect("readable")));
        }
    }
    found
}

/// The words of a text worth checking for (punctuation aside, longer than two letters).
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().count() > 2)
}

async fn every_message_of_the_corpus_becomes_a_case_with_all_its_words(app: TestApp) {
    let corpus = corpus();
    assert!(corpus.len() >= 55, "{} messages", corpus.len());
    let mut outcomes: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, raw) in &corpus {
        // The corpus's messages come from a handful of made-up senders: a node of its own for
        // each message, so the per-sender limit (counted per node) does not stop them.
        let node = App::new(app.store.clone(), Settings::default());
        let (id, outcome) = node
            .receive_mail(&format!("corpus:{name}"), raw.clone())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let kept = app
            .store
            .mail(id)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&kept.mail.raw, raw, "{name}: kept byte for byte");
        assert_eq!(kept.outcome, outcome, "{name}: settled as answered");
        let mail = redress_mail::read(raw);
        match &outcome {
            MailOutcome::OpenedCase(case_id) => {
                let case = app
                    .store
                    .case(*case_id)
                    .await
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                let written = format!(
                    "{}\n{}",
                    mail.folded.new,
                    mail.folded.quoted.as_deref().unwrap_or_default()
                );
                let text = if written.trim().is_empty() {
                    mail.subject.as_str()
                } else {
                    written.as_str()
                };
                for word in words(text) {
                    assert!(
                        case.words.as_str().contains(word),
                        "{name}: {word:?} is not in the case's words:\n{}",
                        case.words.as_str()
                    );
                }
                *outcomes.entry("opened a case").or_default() += 1;
            }
            MailOutcome::Ignored(why) => {
                assert!(
                    mail.automatic.is_some(),
                    "{name}: ignored ({why}) though no machine wrote it"
                );
                *outcomes.entry("machine mail").or_default() += 1;
            }
            MailOutcome::Failed(why) => {
                assert!(
                    mail.from.is_none(),
                    "{name}: failed ({why}) though it names a sender: {:?}",
                    mail.from
                );
                *outcomes.entry("no sender").or_default() += 1;
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    println!("{} messages: {outcomes:?}", corpus.len());
    assert!(
        outcomes.get("opened a case").copied().unwrap_or_default() >= corpus.len() / 2,
        "{outcomes:?}"
    );
}

crate::on_both_backends!(every_message_of_the_corpus_becomes_a_case_with_all_its_words);
