//! Arrived mail: kept byte for byte before anything reads it, settled once handled, and what is
//! still pending found again (after a crash, say); listed newest first by what became of it,
//! and found again from the case it opened or joined.

use super::fixtures::*;
use crate::{ArrivedMail, MAIL_HEAD_BYTES, MailFilter, MailListing, MailOutcome, MailQuery, Store};
use redress_domain::{CaseId, MailId};
use std::sync::Arc;
use time::Duration;

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

async fn keep_settled(store: &Arc<dyn Store>, mail: &ArrivedMail, outcome: &MailOutcome) {
    store
        .keep_mail(mail, None)
        .await
        .unwrap_or_else(|e| panic!("keep_mail failed: {e}"));
    store
        .settle_mail(mail.id, outcome)
        .await
        .unwrap_or_else(|e| panic!("settle_mail failed: {e}"));
}

async fn listed(store: &Arc<dyn Store>, filter: MailFilter, limit: u32) -> MailListing {
    store
        .list_mail(&MailQuery {
            filter,
            after: None,
            limit,
        })
        .await
        .unwrap_or_else(|e| panic!("list_mail failed: {e}"))
}

fn ids(listing: &MailListing) -> Vec<MailId> {
    listing.mail.iter().map(|m| m.id).collect()
}

/// Kept mail is listed newest first (by arrival, then id), filtered by what became of it, with
/// the head of its source and its size; "needs a look" is what failed and what has been pending
/// too long; pages follow one another without repeats or gaps.
pub async fn mail_is_listed_newest_first_by_outcome(store: Arc<dyn Store>) {
    let start = now();
    let at = |minutes: i64, raw: &[u8]| ArrivedMail {
        received_at: start - Duration::minutes(minutes),
        ..arrived(raw)
    };
    let mut big = b"From: big@example.com\r\nSubject: Photos\r\n\r\n".to_vec();
    big.resize(MAIL_HEAD_BYTES + 1000, b'x');
    let failed_old = at(50, b"Subject: failed long ago\r\n\r\nA\r\n");
    let ignored = at(
        40,
        b"Subject: away\r\nAuto-Submitted: auto-replied\r\n\r\nB\r\n",
    );
    let pending_old = at(30, b"Subject: stuck\r\n\r\nC\r\n");
    let opened = at(20, &big);
    // Two at the same moment: the later id first.
    let failed_new = at(10, b"Subject: failed\r\n\r\nD\r\n");
    let same_moment = ArrivedMail {
        received_at: failed_new.received_at,
        ..arrived(b"Subject: same moment\r\n\r\nE\r\n")
    };
    let pending_new = at(0, b"Subject: just now\r\n\r\nF\r\n");
    let case = CaseId::new();
    for (mail, outcome) in [
        (&failed_old, MailOutcome::Failed("no sender".to_owned())),
        (&ignored, MailOutcome::Ignored("machine".to_owned())),
        (&pending_old, MailOutcome::Pending),
        (&opened, MailOutcome::OpenedCase(case)),
        (
            &failed_new,
            MailOutcome::Failed("the database was away".to_owned()),
        ),
        (&same_moment, MailOutcome::AddedToCase(case)),
        (&pending_new, MailOutcome::Pending),
    ] {
        keep_settled(&store, mail, &outcome).await;
    }

    let all = listed(&store, MailFilter::All, 50).await;
    assert_eq!(
        ids(&all),
        [
            pending_new.id,
            same_moment.id,
            failed_new.id,
            opened.id,
            pending_old.id,
            ignored.id,
            failed_old.id
        ],
        "newest first, the later id first at the same moment"
    );
    assert_eq!(all.next, None, "one page holds them all");
    let first = &all.mail[0];
    assert_eq!(first.source, pending_new.source);
    assert_eq!(first.received_at, pending_new.received_at);
    assert_eq!(first.outcome, MailOutcome::Pending);
    assert_eq!(first.head, pending_new.raw, "a short source is all head");
    assert_eq!(first.size, pending_new.raw.len() as u64);
    let large = &all.mail[3];
    assert_eq!(large.head, big[..MAIL_HEAD_BYTES].to_vec(), "only the head");
    assert_eq!(large.size, big.len() as u64);
    assert_eq!(large.outcome, MailOutcome::OpenedCase(case));
    assert_eq!(
        all.mail[2].outcome,
        MailOutcome::Failed("the database was away".to_owned())
    );

    let failed = listed(&store, MailFilter::Failed, 50).await;
    assert_eq!(ids(&failed), [failed_new.id, failed_old.id]);
    let machine = listed(&store, MailFilter::Ignored, 50).await;
    assert_eq!(ids(&machine), [ignored.id]);
    let pending = listed(&store, MailFilter::Pending, 50).await;
    assert_eq!(ids(&pending), [pending_new.id, pending_old.id]);
    let look = listed(
        &store,
        MailFilter::NeedsALook {
            pending_before: start - Duration::minutes(5),
        },
        50,
    )
    .await;
    assert_eq!(
        ids(&look),
        [failed_new.id, pending_old.id, failed_old.id],
        "failed, and pending for too long; not what just arrived"
    );

    // Page by page, two at a time: every message once, in order, and no empty last page.
    let mut walked = Vec::new();
    let mut after = None;
    let mut pages = 0;
    loop {
        let page = store
            .list_mail(&MailQuery {
                filter: MailFilter::All,
                after,
                limit: 2,
            })
            .await
            .unwrap_or_else(|e| panic!("list_mail failed: {e}"));
        pages += 1;
        assert!(!page.mail.is_empty(), "page {pages} is empty");
        walked.extend(ids(&page));
        match page.next {
            Some(next) => {
                assert_eq!(Some(next), page.mail.last().map(|m| m.id));
                after = Some(next);
            }
            None => break,
        }
    }
    assert_eq!(walked, ids(&all));
    assert_eq!(pages, 4);
    let failed_pages = store
        .list_mail(&MailQuery {
            filter: MailFilter::Failed,
            after: Some(failed_new.id),
            limit: 1,
        })
        .await
        .unwrap_or_else(|e| panic!("list_mail failed: {e}"));
    assert_eq!(ids(&failed_pages), [failed_old.id]);
    assert_eq!(failed_pages.next, None);
}

/// The mail that opened a case or was added to it is found from the case, oldest first, whole;
/// mail of other cases, and mail that failed or was ignored, is not.
pub async fn case_arrivals_are_the_mail_of_the_case(store: Arc<dyn Store>) {
    let start = now();
    let at = |minutes: i64, raw: &[u8]| ArrivedMail {
        received_at: start - Duration::minutes(minutes),
        ..arrived(raw)
    };
    let (case, other) = (CaseId::new(), CaseId::new());
    let opening = at(30, b"From: k@example.com\r\n\r\nThe heater broke.\r\n");
    let answer = at(20, b"From: k@example.com\r\n\r\nStill cold.\r\n");
    let elsewhere = at(15, b"From: l@example.com\r\n\r\nOther.\r\n");
    let failed = at(10, b"\xff no sender\r\n");
    let later = at(5, b"From: k@example.com\r\n\r\nFixed, thanks.\r\n");
    for (mail, outcome) in [
        (&later, MailOutcome::AddedToCase(case)),
        (&opening, MailOutcome::OpenedCase(case)),
        (&answer, MailOutcome::AddedToCase(case)),
        (&elsewhere, MailOutcome::OpenedCase(other)),
        (
            &failed,
            MailOutcome::Failed("no case could be opened".to_owned()),
        ),
    ] {
        keep_settled(&store, mail, &outcome).await;
    }
    let arrivals = store
        .case_arrivals(case)
        .await
        .unwrap_or_else(|e| panic!("case_arrivals failed: {e}"));
    let got: Vec<(&ArrivedMail, &MailOutcome)> =
        arrivals.iter().map(|s| (&s.mail, &s.outcome)).collect();
    assert_eq!(
        got,
        [
            (&opening, &MailOutcome::OpenedCase(case)),
            (&answer, &MailOutcome::AddedToCase(case)),
            (&later, &MailOutcome::AddedToCase(case)),
        ],
        "oldest first, whole"
    );
    let none = store
        .case_arrivals(CaseId::new())
        .await
        .unwrap_or_else(|e| panic!("case_arrivals failed: {e}"));
    assert!(none.is_empty(), "a case no mail opened has no arrivals");
}

/// A message is settled only if it is still as expected: of two nodes handling one failed
/// message again, one takes it (back to pending) and the other is told no; a reason that
/// differs is not the same outcome; an unknown message is `NotFound`.
pub async fn mail_is_settled_only_from_the_expected_outcome(store: Arc<dyn Store>) {
    let mail = arrived(b"Subject: handled twice?\r\n\r\nA\r\n");
    let failed = MailOutcome::Failed("the database was away".to_owned());
    keep_settled(&store, &mail, &failed).await;
    let settle_if = |expected: MailOutcome, outcome: MailOutcome| {
        let store = store.clone();
        async move {
            store
                .settle_mail_if(mail.id, &expected, &outcome)
                .await
                .unwrap_or_else(|e| panic!("settle_mail_if failed: {e}"))
        }
    };
    assert!(
        !settle_if(
            MailOutcome::Failed("another reason".to_owned()),
            MailOutcome::Pending
        )
        .await,
        "another reason is another outcome"
    );
    assert!(
        settle_if(failed.clone(), MailOutcome::Pending).await,
        "the first takes it"
    );
    assert!(
        !settle_if(failed.clone(), MailOutcome::Pending).await,
        "the second is told no"
    );
    let case = CaseId::new();
    assert!(settle_if(MailOutcome::Pending, MailOutcome::OpenedCase(case)).await);
    let stored = store
        .mail(mail.id)
        .await
        .unwrap_or_else(|e| panic!("mail failed: {e}"));
    assert_eq!(stored.outcome, MailOutcome::OpenedCase(case));
    assert!(
        !settle_if(MailOutcome::Pending, MailOutcome::Failed("late".to_owned())).await,
        "a settled message is not overwritten"
    );
    assert!(matches!(
        store
            .settle_mail_if(MailId::new(), &MailOutcome::Pending, &MailOutcome::Pending)
            .await,
        Err(crate::StoreError::NotFound { .. })
    ));
}
