//! Mail from a real mailbox (a private Dovecot on loopback): a message dropped into the inbox
//! becomes a case; it is marked seen only once kept, so a second fetch takes nothing; a reply
//! to one of our messages threads onto its case with only what the customer newly wrote; an
//! autoresponder's reply is kept and turns into nothing.

use crate::helpers::TestApp;
use crate::mail_servers::Mailbox;
use redress_mail::{ImapAccount, fetch_unseen};
use redress_store::{CaseQuery, MailOutcome, TimelineView};

pub(crate) async fn fetch(app: &TestApp, account: &ImapAccount) -> Vec<MailOutcome> {
    let outcomes = std::sync::Mutex::new(Vec::new());
    let source = account.source();
    fetch_unseen(account, |raw| {
        let (app, source, outcomes) = (app.app(), source.clone(), &outcomes);
        async move {
            let (_, outcome) = app.receive_mail(&source, raw).await?;
            outcomes
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(outcome);
            Ok::<(), redress_app::AppError>(())
        }
    })
    .await
    .unwrap_or_else(|e| panic!("fetch: {e}"));
    outcomes.into_inner().unwrap_or_else(|e| e.into_inner())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_from_a_real_mailbox_opens_and_threads_cases() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let app = TestApp::sqlite().await;
    let account = ImapAccount::plain(
        "127.0.0.1",
        mailbox.port(),
        mailbox.user(),
        mailbox.password(),
    );
    mailbox.deliver(
        b"From: Kim Lee <kim@example.com>\r\nTo: care@redress.test\r\nSubject: Room 12\r\n\
          Message-ID: <first@mail.example.com>\r\n\r\n\
          The heater in room 12 broke on Monday and nobody came.\r\n",
    );
    let outcomes = fetch(&app, &account).await;
    let [MailOutcome::OpenedCase(case_id)] = outcomes.as_slice() else {
        panic!("{outcomes:?}")
    };
    let store = app.app().store().clone();
    let case = store.case(*case_id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        case.words.as_str(),
        "The heater in room 12 broke on Monday and nobody came."
    );
    // Seen once kept: nothing the second time.
    assert!(fetch(&app, &account).await.is_empty());

    mailbox.deliver(
        format!(
            "From: kim@example.com\r\nTo: care@redress.test\r\nSubject: Re: Room 12\r\n\
             In-Reply-To: <{}.2@redress>\r\n\r\n\
             Still cold tonight.\r\n\r\nOn Mon, 23 Nov 2026, Care wrote:\r\n> We are on it.\r\n",
            case.reference
        )
        .as_bytes(),
    );
    mailbox.deliver(
        b"From: kim@example.com\r\nTo: care@redress.test\r\nSubject: Away\r\n\
          Auto-Submitted: auto-replied\r\n\r\nI am away until Monday.\r\n",
    );
    let outcomes = fetch(&app, &account).await;
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    assert_eq!(outcomes[0], MailOutcome::AddedToCase(*case_id));
    assert!(
        matches!(outcomes[1], MailOutcome::Ignored(_)),
        "{outcomes:?}"
    );
    let said: Vec<String> = store
        .timeline(*case_id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter_map(|e| match e.kind {
            redress_domain::EventKind::MessageFromCustomer { body, .. } => {
                Some(body.as_str().to_owned())
            }
            _ => None,
        })
        .collect();
    assert_eq!(said, ["Still cold tonight."]);
    let all = store
        .list_cases(&CaseQuery {
            limit: 10,
            ..CaseQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(all.cases.len(), 1, "the autoresponder opened nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reads_its_configured_mailbox() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let config = format!(
        "[mail]\npoll_seconds = 1\n[[mail.mailboxes]]\nhost = \"127.0.0.1\"\nport = {}\ntls = false\n\
         user = \"{}\"\npassword = \"{}\"\n",
        mailbox.port(),
        mailbox.user(),
        mailbox.password()
    );
    let app = TestApp::sqlite_with(&config).await;
    let (_, staff) = app.staff("Ana Agent", "agent", None).await;
    mailbox.deliver(
        b"From: Lucia <lucia@example.com>\r\nTo: care@redress.test\r\nSubject: Spa\r\n\r\n\
          The spa was closed all weekend without notice.\r\n",
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, list) = app.get("/cases?q=spa", Some(&staff)).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{list}");
        if let Some(case) = list["cases"].as_array().and_then(|c| c.first()) {
            assert_eq!(case["channel"], "email");
            assert_eq!(
                case["excerpt"],
                "The spa was closed all weekend without notice."
            );
            assert_eq!(case["customer_name"], "Lucia");
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the mailbox was not read in 20 s: {}",
            mailbox.log()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}
