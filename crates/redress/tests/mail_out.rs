//! Mail handed to a real SMTP relay on loopback (aiosmtpd): delivered byte for byte with its
//! envelope; a recipient refused for good is a permanent error (recorded, not retried); a
//! relay that is down, or defers, is an error for now (tried again later).

use crate::mail_servers::Relay;
use redress_mail::{SmtpRelay, send};
use std::time::Duration;

pub(crate) fn message(to: &str) -> Vec<u8> {
    format!(
        "From: Riverside care <care@riverside.test>\r\nTo: {to}\r\nSubject: Your case\r\n\
         Message-ID: <K7M3-9QXA-2BTR.2@redress>\r\n\r\nKim, the engineer comes on Friday.\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_reaches_the_relay_and_refusals_say_whether_to_try_again() {
    let Some(mut relay) = Relay::start() else {
        return;
    };
    let smtp = SmtpRelay::plain("127.0.0.1", relay.port());
    let raw = message("kim@customer.test");
    send(&smtp, "care@riverside.test", "kim@customer.test", &raw)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    let received = relay.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(received[0].from, "care@riverside.test");
    assert_eq!(received[0].to, ["kim@customer.test"]);
    assert!(
        received[0]
            .text()
            .contains("Kim, the engineer comes on Friday.")
    );
    assert!(
        received[0]
            .text()
            .contains("Message-ID: <K7M3-9QXA-2BTR.2@redress>")
    );

    let refused = send(
        &smtp,
        "care@riverside.test",
        "reject-kim@customer.test",
        &raw,
    )
    .await
    .expect_err("refused");
    assert!(refused.permanent, "{refused}");
    let deferred = send(
        &smtp,
        "care@riverside.test",
        "defer-kim@customer.test",
        &raw,
    )
    .await
    .expect_err("deferred");
    assert!(!deferred.permanent, "{deferred}");

    relay.stop();
    let down = send(&smtp, "care@riverside.test", "kim@customer.test", &raw)
        .await
        .expect_err("the relay is down");
    assert!(
        !down.permanent,
        "a relay that is down is tried again: {down}"
    );
    relay.restart();
    send(&smtp, "care@riverside.test", "kim@customer.test", &raw)
        .await
        .unwrap_or_else(|e| panic!("after the restart: {e}"));
    relay.wait_for(2, Duration::from_secs(10)).await;
}

/// The whole round: a staff reply goes out through the relay with the case's reference and a
/// Message-ID naming the case; the customer's answer to it, dropped into the mailbox, threads
/// back onto the case; the reply is never sent twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_reply_goes_out_and_the_customers_answer_threads_back() {
    let (Some(relay), Some(mailbox)) = (Relay::start(), crate::mail_servers::Mailbox::start())
    else {
        return;
    };
    let app = crate::helpers::TestApp::sqlite_with(
        "[organisation]\nname = \"Riverside\"\nemail = \"care@riverside.test\"\n",
    )
    .await;
    let (_, staff) = app.staff("Ana Costa", "agent", None).await;
    let sub = app
        .complain(serde_json::json!({
            "what_happened": "The heater broke.",
            "email": "kim@customer.test",
            "name": "Kim Lee",
        }))
        .await;
    let id = app.case_id(&sub, &staff).await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let (status, _) = app
        .post(
            &format!("/cases/{id}/messages"),
            Some(&staff),
            serde_json::json!({ "body": "Kim, the engineer comes on Friday. Ana" }),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let smtp = SmtpRelay::plain("127.0.0.1", relay.port());
    let delivered = app
        .app()
        .deliver_due_mail(&smtp)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(delivered, 2, "the acknowledgement and the reply");
    let received = relay.wait_for(2, Duration::from_secs(10)).await;
    let reply = received
        .iter()
        .find(|m| {
            redress_mail::read(&m.raw)
                .text
                .contains("the engineer comes on Friday")
        })
        .expect("the reply reached the relay");
    let sent = redress_mail::read(&reply.raw);
    assert_eq!(reply.to, ["kim@customer.test"]);
    assert!(sent.subject.contains(&reference), "{}", sent.subject);
    assert_eq!(
        sent.from.as_ref().and_then(|f| f.name.as_deref()),
        Some("Ana Costa, Riverside")
    );
    assert!(sent.text.contains("Kim, the engineer comes on Friday."));
    let message_id = sent.message_id.clone().expect("a Message-ID");
    assert!(message_id.starts_with(&reference), "{message_id}");
    // Not twice.
    assert_eq!(
        app.app()
            .deliver_due_mail(&smtp)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );

    mailbox.deliver(
        format!(
            "From: Kim Lee <kim@customer.test>\r\nTo: care@riverside.test\r\n\
             Subject: Re: {}\r\nMessage-ID: <kim-2@customer.test>\r\n\
             In-Reply-To: <{message_id}>\r\n\r\n\
             Friday is fine, thank you.\r\n\r\nOn Mon, Ana Costa wrote:\r\n> Kim, the engineer...\r\n",
            sent.subject
        )
        .as_bytes(),
    );
    let account = redress_mail::ImapAccount::plain(
        "127.0.0.1",
        mailbox.port(),
        mailbox.user(),
        mailbox.password(),
    );
    let source = account.source();
    let fetched = redress_mail::fetch_unseen(&account, |raw| {
        let (app, source) = (app.app(), source.clone());
        async move {
            let (_, outcome) = app.receive_mail(&source, raw).await?;
            assert!(
                matches!(outcome, redress_store::MailOutcome::AddedToCase(_)),
                "{outcome:?}"
            );
            Ok::<(), redress_app::AppError>(())
        }
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fetched, 1);
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&staff)).await;
    let said: Vec<&str> = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["type"] == "message_from_customer")
        .filter_map(|e| e["body"].as_str())
        .collect();
    assert_eq!(said, ["Friday is fine, thank you."]);

    // The next reply answers the customer's email, so their mail program threads it under it.
    let (status, _) = app
        .post(
            &format!("/cases/{id}/messages"),
            Some(&staff),
            serde_json::json!({ "body": "See you on Friday, Kim. Ana" }),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    app.app()
        .deliver_due_mail(&smtp)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let received = relay.wait_for(3, Duration::from_secs(10)).await;
    let next = redress_mail::read(&received[2].raw);
    assert!(next.text.contains("See you on Friday"), "{}", next.text);
    assert_eq!(next.thread.answers, ["kim-2@customer.test"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_delivers_its_outbox_to_the_configured_relay() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = crate::helpers::TestApp::sqlite_with(&format!(
        "[organisation]\nname = \"Riverside\"\nemail = \"care@riverside.test\"\n\
         [mail]\npoll_seconds = 1\nrelay = \"127.0.0.1:{}\"\nrelay_tls = \"none\"\n",
        relay.port()
    ))
    .await;
    let (_, staff) = app.staff("Ana Costa", "agent", None).await;
    let sub = app
        .complain_as("kim@customer.test", "The heater broke.")
        .await;
    let id = app.case_id(&sub, &staff).await;
    let (status, _) = app
        .post(
            &format!("/cases/{id}/messages"),
            Some(&staff),
            serde_json::json!({ "body": "Kim, we are on it. Ana" }),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    let received = relay.wait_for(2, Duration::from_secs(20)).await;
    assert!(
        received.iter().any(|m| redress_mail::read(&m.raw)
            .text
            .contains("Kim, we are on it.")),
        "the reply reached the relay"
    );
}

/// The relay goes down with mail waiting: the attempt is recorded and the mail waits; once the
/// relay is back and the wait is over, it is delivered, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_is_down_delays_mail_and_never_loses_it() {
    let Some(mut relay) = Relay::start() else {
        return;
    };
    let app = crate::helpers::TestApp::sqlite_with(
        "[organisation]\nname = \"Riverside\"\nemail = \"care@riverside.test\"\n",
    )
    .await;
    let smtp = SmtpRelay::plain("127.0.0.1", relay.port());
    let sub = app
        .complain_as("kim@customer.test", "The heater broke.")
        .await;
    relay.stop();
    assert_eq!(
        app.app()
            .deliver_due_mail(&smtp)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    let (_, staff) = app.staff("Ana Costa", "agent", None).await;
    let id = app.case_id(&sub, &staff).await;
    let case_id: redress_domain::CaseId = id.parse().unwrap_or_else(|e| panic!("{e:?}"));
    let record = app
        .store
        .case_mail(case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(record.len(), 1);
    assert_eq!(record[0].1, redress_store::Delivery::Queued);
    assert_eq!(record[0].0.attempts, 1, "the failed attempt is counted");

    relay.restart();
    // Not before its wait is over...
    assert_eq!(
        app.app()
            .deliver_due_mail(&smtp)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    // ...then delivered (another node whose clock is two minutes on, sharing the store).
    let settings = redress_app::Settings {
        contact: redress_app::ContactPoints {
            email: Some("care@riverside.test".to_owned()),
            ..Default::default()
        },
        ..Default::default()
    };
    let later =
        redress_app::App::new(app.store.clone(), settings).with_clock(std::sync::Arc::new(|| {
            time::OffsetDateTime::now_utc() + time::Duration::minutes(2)
        }));
    assert_eq!(
        later
            .deliver_due_mail(&smtp)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
    let received = relay.wait_for(1, Duration::from_secs(10)).await;
    assert!(
        redress_mail::read(&received[0].raw)
            .text
            .contains("The heater broke.")
    );
    assert_eq!(
        later
            .deliver_due_mail(&smtp)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
        "delivered once"
    );
}
