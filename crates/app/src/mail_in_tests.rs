//! Mail arriving, on a real SQLite store: kept first, a new message opens a case, replies thread
//! by tracking link, by our Message-ID or by reference from the case's own customer (never by
//! the subject's words, never for a stranger), machine mail is recorded and not answered, mail
//! that cannot become anything is kept and says why, and pending mail is handled after a crash.

use crate::{App, Settings};
use redress_domain::{CaseId, Channel, EventKind, MailId};
use redress_store::{ArrivedMail, MailOutcome, Store, TimelineView};
use redress_store_sqlite::SqliteStore;
use std::sync::Arc;

struct Fixture {
    app: App,
    store: Arc<dyn Store>,
    _dir: tempfile::TempDir,
}

async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
    let store: Arc<dyn Store> = Arc::new(
        SqliteStore::open(&dir.path().join("redress.db"))
            .await
            .unwrap_or_else(|e| panic!("open store: {e}")),
    );
    Fixture {
        app: App::new(store.clone(), Settings::default()),
        store,
        _dir: dir,
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn mail(from: &str, subject: &str, extra_headers: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: care@example.com\r\nSubject: {subject}\r\n\
         Message-ID: <{}@mail.example.com>\r\n{extra_headers}\r\n{body}\r\n",
        MailId::new()
    )
    .into_bytes()
}

impl Fixture {
    async fn receive(&self, raw: Vec<u8>) -> (MailId, MailOutcome) {
        self.app
            .receive_mail("imap:care@example.com/INBOX", raw)
            .await
            .unwrap_or_else(|e| panic!("receive_mail: {e}"))
    }

    async fn opened(&self, raw: Vec<u8>) -> CaseId {
        match self.receive(raw).await.1 {
            MailOutcome::OpenedCase(id) => id,
            other => panic!("expected a new case, got {other:?}"),
        }
    }

    async fn customer_words(&self, case: CaseId) -> Vec<String> {
        self.store
            .timeline(case, TimelineView::All)
            .await
            .unwrap_or_else(|e| panic!("timeline: {e}"))
            .into_iter()
            .filter_map(|e| match e.kind {
                EventKind::MessageFromCustomer { body, .. } => Some(body.as_str().to_owned()),
                _ => None,
            })
            .collect()
    }
}

#[tokio::test]
async fn a_new_message_is_kept_and_opens_a_case_from_its_sender() {
    let f = fixture().await;
    let raw = mail(
        "Kim Lee <kim@example.com>",
        "Room 12",
        "",
        "The heater broke on Monday and nobody came.",
    );
    let (id, outcome) = f.receive(raw.clone()).await;
    let MailOutcome::OpenedCase(case_id) = outcome else {
        panic!("{outcome:?}")
    };
    let stored = f.store.mail(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.mail.raw, raw, "kept byte for byte");
    assert_eq!(stored.outcome, MailOutcome::OpenedCase(case_id));
    let case = f
        .store
        .case(case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(case.channel, Channel::Email);
    assert_eq!(
        case.words.as_str(),
        "The heater broke on Monday and nobody came."
    );
    let customer = f
        .store
        .customer(case.customer_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(customer.name.as_ref().map(|n| n.as_str()), Some("Kim Lee"));
    assert_eq!(customer.emails[0].as_str(), "kim@example.com");
}

#[tokio::test]
async fn replies_thread_by_link_message_id_or_the_customers_own_reference() {
    let f = fixture().await;
    let case_id = f
        .opened(mail("kim@example.com", "Room 12", "", "The heater broke."))
        .await;
    let case = f
        .store
        .case(case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let reference = case.reference.to_string();

    // By a Message-ID of ours in In-Reply-To, with the history folded away.
    let reply = mail(
        "kim@example.com",
        "Re: your case",
        &format!("In-Reply-To: <{reference}.3@redress>\r\n"),
        "Still cold.\r\n\r\nOn Mon, 23 Nov 2026, Ana wrote:\r\n> We are on it.",
    );
    assert_eq!(f.receive(reply).await.1, MailOutcome::AddedToCase(case_id));
    // By the reference in the subject, from the case's own customer (any capitals).
    let by_reference = mail(
        "KIM@example.com",
        &format!("Re: [{reference}] heater"),
        "",
        "And the window sticks.",
    );
    assert_eq!(
        f.receive(by_reference).await.1,
        MailOutcome::AddedToCase(case_id)
    );
    assert_eq!(
        f.customer_words(case_id).await,
        ["Still cold.", "And the window sticks."]
    );

    // The same reference from a stranger opens their own case instead.
    let stranger = mail(
        "eve@example.com",
        &format!("Re: [{reference}]"),
        "",
        "Let me in.",
    );
    let other = f.opened(stranger).await;
    assert_ne!(other, case_id);
    // The same subject words alone never thread.
    let same_subject = f
        .opened(mail(
            "kim@example.com",
            "Room 12",
            "",
            "Another thing: the lift.",
        ))
        .await;
    assert_ne!(same_subject, case_id);
}

#[tokio::test]
async fn machine_mail_is_recorded_and_never_turned_into_anything() {
    let f = fixture().await;
    let away = mail(
        "kim@example.com",
        "Out of office",
        "Auto-Submitted: auto-replied\r\n",
        "I am away until Monday.",
    );
    let (id, outcome) = f.receive(away).await;
    assert!(matches!(outcome, MailOutcome::Ignored(_)), "{outcome:?}");
    assert!(f.store.mail(id).await.is_ok(), "kept all the same");
    let bounce = mail(
        "MAILER-DAEMON@example.com",
        "Undelivered",
        "Return-Path: <>\r\n",
        "Delivery failed.",
    );
    assert!(matches!(f.receive(bounce).await.1, MailOutcome::Ignored(_)));
}

#[tokio::test]
async fn mail_that_cannot_become_a_case_is_kept_and_says_why() {
    let f = fixture().await;
    let (id, outcome) = f
        .receive(b"\xff\xfe garbage without a sender".to_vec())
        .await;
    let MailOutcome::Failed(why) = &outcome else {
        panic!("{outcome:?}")
    };
    assert!(why.contains("no case could be opened"), "{why}");
    let stored = f.store.mail(id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.outcome, outcome);
}

#[tokio::test]
async fn files_we_keep_come_with_the_case_and_others_stay_in_the_message() {
    let f = fixture().await;
    let raw = format!(
        "From: kim@example.com\r\nSubject: Photos\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nThe stain on the carpet.\r\n\
         --b\r\nContent-Type: image/png\r\nContent-Disposition: attachment; filename=\"stain.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{}\r\n\
         --b\r\nContent-Type: application/x-msdownload\r\nContent-Disposition: attachment; filename=\"run.exe\"\r\n\r\nMZ...\r\n\
         --b--\r\n",
        data_encoding::BASE64.encode(PNG)
    );
    let case_id = f.opened(raw.into_bytes()).await;
    let timeline = f
        .store
        .timeline(case_id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let EventKind::Received { attachments, .. } = &timeline[0].kind else {
        panic!("received first")
    };
    assert_eq!(attachments.len(), 1, "the PNG, not the program");
    assert_eq!(attachments[0].name.as_str(), "stain.png");
}

#[tokio::test]
async fn mail_kept_before_a_crash_is_handled_afterwards() {
    let f = fixture().await;
    let kept = |minutes_ago: i64, from: &str| ArrivedMail {
        id: MailId::new(),
        source: "smtp".to_owned(),
        received_at: time::OffsetDateTime::now_utc() - time::Duration::minutes(minutes_ago),
        raw: mail(from, "Noise", "", "Drilling at 6 am."),
    };
    let arrived = kept(10, "kim@example.com");
    // Kept a moment ago: another node may be handling it right now.
    let in_hand = kept(0, "lou@example.com");
    // Taken by another node starting at the same time: not handled twice.
    let taken = kept(10, "max@example.com");
    for m in [&arrived, &in_hand, &taken] {
        f.store
            .keep_mail(m, None)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let other_node = MailOutcome::Failed("taken by another node".to_owned());
    assert!(
        f.store
            .settle_mail_if(taken.id, &MailOutcome::Pending, &other_node)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    );
    let handled = f
        .app
        .handle_pending_mail()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(handled, 1);
    let outcome = |id| {
        let store = f.store.clone();
        async move {
            store
                .mail(id)
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .outcome
        }
    };
    assert_eq!(outcome(in_hand.id).await, MailOutcome::Pending);
    assert_eq!(outcome(taken.id).await, other_node);
    let stored = f
        .store
        .mail(arrived.id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(stored.outcome, MailOutcome::OpenedCase(_)),
        "{stored:?}"
    );
    assert_eq!(
        f.app
            .handle_pending_mail()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
}

#[tokio::test]
async fn the_same_message_fetched_again_opens_no_second_case() {
    let f = fixture().await;
    let raw = mail("kim@example.com", "Noise", "", "Drilling at 6 am.");
    let first = f.opened(raw.clone()).await;
    let (_, again) = f.receive(raw).await;
    assert!(
        matches!(&again, MailOutcome::Ignored(why) if why.contains("received already")),
        "{again:?}"
    );
    let cases = f
        .store
        .list_cases(&redress_store::CaseQuery::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        cases.cases.iter().map(|c| c.case.id).collect::<Vec<_>>(),
        [first]
    );
}

#[tokio::test]
async fn a_flood_from_one_sender_is_kept_but_stops_making_work() {
    let f = fixture().await;
    let mut outcomes = Vec::new();
    for i in 0..25 {
        let raw = mail("loop@example.com", &format!("Alert {i}"), "", "Disk full.");
        outcomes.push(f.receive(raw).await);
    }
    let handled = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, MailOutcome::OpenedCase(_)))
        .count();
    assert_eq!(handled, 20);
    let (last, outcome) = outcomes.last().cloned().unwrap_or_else(|| panic!("none"));
    assert!(
        matches!(&outcome, MailOutcome::Failed(why) if why.contains("loop@example.com")),
        "{outcome:?}"
    );
    // Kept all the same, and listed as needing someone to look at it.
    let stored = f.store.mail(last).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored.outcome, outcome);
    // Another sender is not held up by it.
    f.opened(mail("kim@example.com", "Noise", "", "Drilling at 6 am."))
        .await;
}
