//! The outbox: one message per case and purpose (never mailed twice for one event), due mail
//! oldest first, retries that wait, and the record of what was sent or failed for good.

use super::fixtures::*;
use crate::{Delivery, OutgoingMail, Store};
use redress_domain::{CaseId, MailId, TrackingToken};
use std::sync::Arc;
use time::Duration;

fn outgoing(case: CaseId, purpose: &str) -> OutgoingMail {
    OutgoingMail {
        id: MailId::new(),
        case_id: case,
        purpose: purpose.to_owned(),
        to: "kim@example.com".to_owned(),
        raw: format!("Subject: {purpose}\r\n\r\nBody \u{e9}\r\n").into_bytes(),
        not_before: now(),
        attempts: 0,
    }
}

/// Queued once per purpose; due mail comes oldest first and not before its time.
pub async fn outbox_queues_each_purpose_once(store: Arc<dyn Store>) {
    let case = CaseId::new();
    let first = outgoing(case, "event:2");
    assert!(
        store
            .queue_mail(&first)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let again = outgoing(case, "event:2");
    assert!(
        !store
            .queue_mail(&again)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        "the same event is queued once"
    );
    let mut later = outgoing(case, "event:3");
    later.not_before = now() + Duration::minutes(5);
    assert!(
        store
            .queue_mail(&later)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let other_case = outgoing(CaseId::new(), "event:2");
    assert!(
        store
            .queue_mail(&other_case)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );

    let lease = now() + Duration::minutes(10);
    let due = store
        .claim_due_mail(now(), lease, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due, vec![first.clone(), other_case.clone()]);
    assert!(
        store
            .claim_due_mail(now(), lease, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty(),
        "claimed mail is not due to a second sender"
    );
    let later_due = store
        .claim_due_mail(now() + Duration::minutes(6), lease, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(later_due, vec![later.clone()]);
    // The claimer never said how it went: once the lease ends the mail is due again.
    let after_lease = now() + Duration::minutes(11);
    let again = store
        .claim_due_mail(after_lease, after_lease + Duration::minutes(10), 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.len(), 3);
}

/// Senders claiming at the same moment share the due mail out: each message to one of them.
pub async fn outbox_claims_are_disjoint(store: Arc<dyn Store>) {
    let case = CaseId::new();
    let mut queued = Vec::new();
    for i in 0..24 {
        let mail = outgoing(case, &format!("event:{i}"));
        store
            .queue_mail(&mail)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        queued.push(mail.id);
    }
    let lease = now() + Duration::minutes(10);
    let claims = (0..4).map(|_| {
        let store = store.clone();
        tokio::spawn(async move { store.claim_due_mail(now(), lease, 8).await })
    });
    let mut claimed = Vec::new();
    for claim in claims {
        let got = claim
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"));
        claimed.extend(got.into_iter().map(|m| m.id));
    }
    claimed.sort();
    let mut unique = claimed.clone();
    unique.dedup();
    assert_eq!(claimed, unique, "no message went to two senders");
    let rest = store
        .claim_due_mail(now(), lease, 100)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(claimed.len() + rest.len(), queued.len(), "none was lost");
}

/// A deferred message waits and counts its attempts; a delivered or failed one leaves the
/// queue and stays on the case's record.
pub async fn outbox_records_every_attempt(store: Arc<dyn Store>) {
    let case = CaseId::new();
    let sent = outgoing(case, "event:2");
    let refused = outgoing(case, "event:3");
    for m in [&sent, &refused] {
        store.queue_mail(m).await.unwrap_or_else(|e| panic!("{e}"));
    }
    let retry_at = now() + Duration::seconds(30);
    store
        .mail_deferred(sent.id, retry_at, "connection refused")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let lease = now() + Duration::hours(1);
    let due = store
        .claim_due_mail(now(), lease, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(due.iter().map(|m| m.id).collect::<Vec<_>>(), [refused.id]);
    let due = store
        .claim_due_mail(retry_at, lease, 10)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let retried = due
        .iter()
        .find(|m| m.id == sent.id)
        .unwrap_or_else(|| panic!("due again"));
    assert_eq!(retried.attempts, 1);
    assert_eq!(retried.not_before, retry_at);

    let at = now();
    store
        .mail_done(sent.id, &Delivery::Sent(at))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    store
        .mail_done(refused.id, &Delivery::Failed("550 no such user".to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        store
            .claim_due_mail(lease + Duration::hours(1), lease, 10)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    let record = store
        .case_mail(case)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(record.len(), 2);
    assert_eq!(record[0].1, Delivery::Sent(at));
    assert_eq!(record[0].0.raw, sent.raw, "byte for byte");
    assert_eq!(record[1].1, Delivery::Failed("550 no such user".to_owned()));
    assert!(
        store.mail_done(sent.id, &Delivery::Sent(at)).await.is_err(),
        "a message is sent once"
    );
}

/// A further link mailed to the customer finds the case as the first one does; an unknown link
/// finds nothing.
pub async fn mailed_links_find_their_case(store: Arc<dyn Store>) {
    let new = new_case(&draft("The heater broke.", Some("kim@example.com"), None));
    let first = new.token;
    let created = create(&store, new).await;
    let mailed = TrackingToken::generate();
    store
        .add_case_link(created.case.id, &mailed.digest(), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Keeping the same link again changes nothing.
    store
        .add_case_link(created.case.id, &mailed.digest(), now())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    for token in [&first, &mailed.digest()] {
        let found = store
            .case_by_token(token)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found.map(|c| c.id), Some(created.case.id));
    }
    let unknown = store
        .case_by_token(&TrackingToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(unknown, None);
}
