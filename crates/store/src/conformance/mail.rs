//! Arrived mail: kept byte for byte before anything reads it, settled once handled, and what is
//! still pending found again (after a crash, say).

use super::fixtures::*;
use crate::{ArrivedMail, MailOutcome, Store};
use redress_domain::{CaseId, MailId};
use std::sync::Arc;

fn arrived(raw: &[u8]) -> ArrivedMail {
    ArrivedMail {
        id: MailId::new(),
        source: "imap:care@example.com/INBOX".to_owned(),
        received_at: now(),
        raw: raw.to_vec(),
    }
}

/// A message is kept exactly (any bytes, not only UTF-8), listed as pending oldest first, and
/// keeping it again changes nothing.
pub async fn mail_is_kept_byte_for_byte(store: Arc<dyn Store>) {
    let odd =
        b"From: k@example.com\r\nSubject: \xff\xfe caf\xe9\r\n\r\nNo UTF-8 here: \x80\x00.\r\n";
    let first = arrived(odd);
    let second = arrived(b"From: l@example.com\r\n\r\nSecond.\r\n");
    for m in [&first, &second] {
        assert!(
            store
                .keep_mail(m, None)
                .await
                .unwrap_or_else(|e| panic!("keep_mail failed: {e}"))
        );
    }
    assert!(
        !store
            .keep_mail(&first, None)
            .await
            .unwrap_or_else(|e| panic!("keeping the same message again failed: {e}")),
        "kept once"
    );
    let pending = store
        .pending_mail(10)
        .await
        .unwrap_or_else(|e| panic!("pending_mail failed: {e}"));
    assert_eq!(
        pending,
        vec![first.clone(), second.clone()],
        "oldest first, once each"
    );
    let stored = store
        .mail(first.id)
        .await
        .unwrap_or_else(|e| panic!("mail failed: {e}"));
    assert_eq!(stored.mail.raw, odd.to_vec(), "byte for byte");
    assert_eq!(stored.outcome, MailOutcome::Pending);
    let one = store
        .pending_mail(1)
        .await
        .unwrap_or_else(|e| panic!("pending_mail failed: {e}"));
    assert_eq!(one, vec![first]);
}

/// Settled mail leaves the pending list and says what became of it; an unknown id is not found.
pub async fn settled_mail_says_what_became_of_it(store: Arc<dyn Store>) {
    let messages: Vec<ArrivedMail> = (0..4)
        .map(|i| arrived(format!("Subject: {i}\r\n\r\nBody {i}\r\n").as_bytes()))
        .collect();
    for m in &messages {
        store
            .keep_mail(m, None)
            .await
            .unwrap_or_else(|e| panic!("keep_mail failed: {e}"));
    }
    let case = CaseId::new();
    let outcomes = [
        MailOutcome::OpenedCase(case),
        MailOutcome::AddedToCase(case),
        MailOutcome::Ignored("an autoresponder's reply (auto-replied)".to_owned()),
        MailOutcome::Failed("the database was away".to_owned()),
    ];
    for (m, outcome) in messages.iter().zip(&outcomes) {
        store
            .settle_mail(m.id, outcome)
            .await
            .unwrap_or_else(|e| panic!("settle_mail failed: {e}"));
        let stored = store
            .mail(m.id)
            .await
            .unwrap_or_else(|e| panic!("mail failed: {e}"));
        assert_eq!(&stored.outcome, outcome);
    }
    let pending = store
        .pending_mail(10)
        .await
        .unwrap_or_else(|e| panic!("pending_mail failed: {e}"));
    assert!(pending.is_empty(), "settled mail is no longer pending");
    assert!(
        store.mail(MailId::new()).await.is_err(),
        "an unknown message is not found"
    );
    assert!(
        store
            .settle_mail(MailId::new(), &MailOutcome::Pending)
            .await
            .is_err(),
        "settling an unknown message is refused"
    );
}

/// The same Message-ID from the same source is kept once, whatever id it was given (fetched
/// again after a crash, or by two nodes at once); from another source, or without a Message-ID,
/// each message is kept.
pub async fn mail_is_kept_once_per_source_and_message_id(store: Arc<dyn Store>) {
    let raw = b"Message-ID: <a@b>\r\n\r\nHello\r\n";
    let first = arrived(raw);
    let refetched = arrived(raw);
    let mut elsewhere = arrived(raw);
    elsewhere.source = "smtp:192.0.2.1".to_owned();
    let keep = |m: ArrivedMail, id: Option<&'static str>| {
        let store = store.clone();
        async move {
            store
                .keep_mail(&m, id)
                .await
                .unwrap_or_else(|e| panic!("keep_mail failed: {e}"))
        }
    };
    assert!(keep(first.clone(), Some("a@b")).await);
    assert!(!keep(refetched.clone(), Some("a@b")).await, "kept once");
    assert!(keep(elsewhere.clone(), Some("a@b")).await, "another source");
    assert!(
        keep(arrived(raw), None).await,
        "no Message-ID: no way to tell"
    );
    assert!(keep(arrived(raw), None).await);
    let pending = store
        .pending_mail(10)
        .await
        .unwrap_or_else(|e| panic!("pending_mail failed: {e}"));
    assert_eq!(pending.len(), 4);
    assert!(pending.iter().all(|m| m.id != refetched.id));
}
