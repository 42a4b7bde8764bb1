//! The customer hears by mail at every change that matters to them, through a real relay
//! (aiosmtpd on loopback): the acknowledgement restating their words with the owner and the
//! date, each reply, the proposed resolution with a link to accept it, the follow-up questions
//! once resolved. Every mail carries a private link that opens their case; machine-written ones
//! say so (Auto-Submitted); an emailed complaint's acknowledgement answers that email; a
//! Spanish-speaking customer is written to in Spanish.

use crate::helpers::TestApp;
use crate::mail_servers::{ReceivedMail, Relay};
use redress_mail::{InboundMail, SmtpRelay};
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

pub(crate) const CONFIG: &str =
    "[organisation]\nname = \"Riverside\"\nemail = \"care@riverside.test\"\n";

pub(crate) async fn deliver(app: &TestApp, relay: &Relay, expected: usize) -> Vec<ReceivedMail> {
    let smtp = SmtpRelay::plain("127.0.0.1", relay.port());
    app.app()
        .deliver_due_mail(&smtp)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    relay.wait_for(expected, Duration::from_secs(10)).await
}

/// The private link in a mail, and the token in it.
fn link_in(mail: &InboundMail) -> (String, String) {
    let start = mail
        .text
        .find("http://")
        .unwrap_or_else(|| panic!("no link in {}", mail.text));
    let link: String = mail.text[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    let token = link
        .rsplit_once("/track/")
        .map(|(_, t)| t.to_owned())
        .unwrap_or_else(|| panic!("not a tracking link: {link}"));
    (link, token)
}

fn header<'a>(raw: &'a str, name: &str) -> Option<&'a str> {
    raw.lines()
        .take_while(|l| !l.is_empty())
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(": "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_hears_at_every_change_that_matters() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let (_, agent) = app.staff("Ana Costa", "agent", None).await;
    let sub = app
        .complain(json!({
            "what_happened": "The heater in room 12 broke on Monday.",
            "what_would_make_it_right": "A working heater tonight.",
            "email": "kim@customer.test",
            "name": "Kim Lee",
        }))
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let id = app.case_id(&sub, &agent).await;

    // The acknowledgement: their words, what would make it right, who answers and by when.
    let received = deliver(&app, &relay, 1).await;
    let ack = redress_mail::read(&received[0].raw);
    assert_eq!(received[0].to, ["kim@customer.test"]);
    assert!(ack.subject.contains(&reference), "{}", ack.subject);
    assert!(ack.text.starts_with("Dear Kim Lee,"), "{}", ack.text);
    assert!(
        ack.text
            .contains("“The heater in room 12 broke on Monday.”"),
        "{}",
        ack.text
    );
    assert!(ack.text.contains("“A working heater tonight.”"));
    assert!(
        ack.text.contains("answer you personally by"),
        "{}",
        ack.text
    );
    assert!(!ack.text.to_lowercase().contains("inquiry"));
    assert_eq!(
        header(&received[0].text(), "Auto-Submitted"),
        Some("auto-generated")
    );
    // Its link opens the customer's case page.
    let (link, _) = link_in(&ack);
    let page = app.client.get(&link).send().await.expect("open the link");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("page").contains("room 12"));

    // A reply from the desk, in the writer's name, with a link of its own.
    let (s, _) = app
        .post(
            &format!("/cases/{id}/messages"),
            Some(&agent),
            json!({ "body": "Kim, an engineer comes at 6 tonight. Ana" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let received = deliver(&app, &relay, 2).await;
    let reply = redress_mail::read(&received[1].raw);
    assert!(
        reply
            .text
            .starts_with("Kim, an engineer comes at 6 tonight.")
    );
    assert_eq!(
        reply.from.as_ref().and_then(|f| f.name.as_deref()),
        Some("Ana Costa, Riverside")
    );
    assert_eq!(header(&received[1].text(), "Auto-Submitted"), None);
    let (reply_link, _) = link_in(&reply);
    assert_ne!(reply_link, link, "each mail has a link of its own");
    let page = app.client.get(&reply_link).send().await.expect("open");
    assert_eq!(page.status(), StatusCode::OK);

    // The proposed resolution, with the link to accept it.
    let (s, case) = app
        .post(
            &format!("/cases/{id}/resolution"),
            Some(&agent),
            json!({ "summary": "A new heater fitted tonight and the night refunded." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    let received = deliver(&app, &relay, 3).await;
    let proposal = redress_mail::read(&received[2].raw);
    assert!(
        proposal
            .text
            .contains("A new heater fitted tonight and the night refunded."),
        "{}",
        proposal.text
    );
    let (_, token) = link_in(&proposal);
    let (s, view) = app
        .post(&format!("/track/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "resolved");

    // Resolved: the three follow-up questions.
    let received = deliver(&app, &relay, 4).await;
    let follow_up = redress_mail::read(&received[3].raw);
    for question in [
        "Did everything go as expected?",
        "Have we delivered as promised?",
        "Have we met your expectations?",
    ] {
        assert!(follow_up.text.contains(question), "{}", follow_up.text);
    }
    assert_eq!(
        header(&received[3].text(), "Auto-Submitted"),
        Some("auto-generated")
    );
    // Nothing is mailed twice, however often the outbox is delivered.
    let again = deliver(&app, &relay, 4).await;
    assert_eq!(again.len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_emailed_complaint_is_acknowledged_in_its_thread_and_language() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let (_, outcome) = app
        .app()
        .receive_mail(
            "test",
            "From: =?UTF-8?Q?Luc=C3=ADa_P=C3=A9rez?= <lucia@cliente.test>\r\n\
             To: care@riverside.test\r\nSubject: Calefacción\r\n\
             Message-ID: <primero@cliente.test>\r\nContent-Language: es\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\r\n\
             La calefacción de la habitación 12 no funciona desde el lunes.\r\n"
                .as_bytes()
                .to_vec(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(outcome, redress_store::MailOutcome::OpenedCase(_)),
        "{outcome:?}"
    );
    let received = deliver(&app, &relay, 1).await;
    let ack = redress_mail::read(&received[0].raw);
    assert_eq!(received[0].to, ["lucia@cliente.test"]);
    assert_eq!(ack.thread.answers, ["primero@cliente.test"]);
    assert!(
        ack.text.starts_with("Estimado/a Lucía Pérez:"),
        "{}",
        ack.text
    );
    assert_eq!(
        header(&received[0].text(), "Auto-Submitted"),
        Some("auto-replied")
    );
    assert!(
        ack.text
            .contains("La calefacción de la habitación 12 no funciona desde el lunes."),
        "{}",
        ack.text
    );
    // An autoresponder answering our acknowledgement is recorded and never answered.
    let (_, outcome) = app
        .app()
        .receive_mail(
            "test",
            format!(
                "From: lucia@cliente.test\r\nTo: care@riverside.test\r\n\
                 Subject: Fuera de la oficina\r\nAuto-Submitted: auto-replied\r\n\
                 In-Reply-To: <{}>\r\n\r\nEstoy fuera hasta el lunes.\r\n",
                ack.message_id.clone().expect("a Message-ID")
            )
            .into_bytes(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(outcome, redress_store::MailOutcome::Ignored(_)),
        "{outcome:?}"
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        deliver(&app, &relay, 1).await.len(),
        1,
        "nothing answers it"
    );
}

/// A case stored without its acknowledgement queued (the queueing failed right after intake):
/// the catch-up the server runs every few minutes queues it, with a link that opens the case,
/// and queues nothing twice; a case older than a day is left alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledgement_whose_queueing_failed_is_caught_up() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let stored_without_mail = |words: &str, email: &str, days_ago: i64| {
        let draft = redress_domain::IntakeDraft {
            what_happened: Some(words.to_owned()),
            email: Some(email.to_owned()),
            ..redress_domain::IntakeDraft::default()
        };
        let now = time::OffsetDateTime::now_utc() - time::Duration::days(days_ago);
        let intake =
            redress_domain::Intake::parse(&draft, redress_domain::Channel::Web, now.date())
                .expect("a valid intake");
        let token = redress_domain::TrackingToken::generate();
        redress_store::NewCase::receive(&intake, &token, redress_domain::Actor::Customer, now)
    };
    let recent = stored_without_mail("The shower was cold all week.", "kim@customer.test", 0);
    let old = stored_without_mail("The lift was broken.", "lou@customer.test", 3);
    for new in [recent.clone(), old] {
        app.store.create_case(new).await.expect("stored");
    }

    let queued = app
        .app()
        .catch_up_customer_mail()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(queued, 1, "the recent case's acknowledgement only");
    let received = deliver(&app, &relay, 1).await;
    assert_eq!(received[0].to, ["kim@customer.test"]);
    let ack = redress_mail::read(&received[0].raw);
    assert!(
        ack.text.contains("“The shower was cold all week.”"),
        "{}",
        ack.text
    );
    let (link, _) = link_in(&ack);
    let page = reqwest::get(&link).await.expect("the link");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .expect("page")
            .contains("The shower was cold all week.")
    );

    let again = app
        .app()
        .catch_up_customer_mail()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0, "nothing twice");
    assert_eq!(
        app.app()
            .queue_customer_mail(recent.case.id)
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
}

/// The acknowledgement restates the start of long words only (the link shows them whole), so it
/// cannot carry a stranger's long text to an address they typed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_complaint_is_restated_in_part() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let words = format!(
        "The heater broke. {} THE-TAIL-END",
        "It was cold. ".repeat(60)
    );
    app.complain(json!({ "what_happened": words, "email": "kim@customer.test" }))
        .await;
    let received = deliver(&app, &relay, 1).await;
    let ack = redress_mail::read(&received[0].raw);
    assert!(
        ack.text.contains("“The heater broke. It was cold."),
        "{}",
        ack.text
    );
    assert!(ack.text.contains("…”"), "{}", ack.text);
    assert!(!ack.text.contains("THE-TAIL-END"), "{}", ack.text);
    let (link, _) = link_in(&ack);
    let page = reqwest::get(&link).await.expect("the link");
    assert!(page.text().await.expect("page").contains("THE-TAIL-END"));
}

/// Someone filing case after case with one address typed in: the first five are acknowledged by
/// mail, then no more (the cases are all kept); each one not mailed says so on the case, and no
/// catch-up sends it later.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledgements_to_one_address_are_capped() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let mut references = Vec::new();
    for i in 0..7 {
        let submitted = app
            .complain(json!({
                "what_happened": format!("Complaint number {i} about the noise."),
                "email": "victim@customer.test",
            }))
            .await;
        references.push(submitted["reference"].as_str().expect("ref").to_owned());
    }
    let received = deliver(&app, &relay, 5).await;
    assert_eq!(received.len(), 5);
    assert_eq!(
        app.app()
            .catch_up_customer_mail()
            .await
            .unwrap_or_else(|e| panic!("{e}")),
        0,
        "none sent later"
    );
    let (_, token) = app.staff("Ana Agent", "agent", None).await;
    let (status, case) = app
        .get(
            &format!("/cases/by-reference/{}", references[6]),
            Some(&token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    let id = case["id"].as_str().expect("id").to_owned();
    let mail = app
        .store
        .case_mail(id.parse().expect("case id"))
        .await
        .expect("case mail");
    assert_eq!(mail.len(), 1);
    assert!(
        matches!(&mail[0].1, redress_store::Delivery::Failed(why) if why.contains("more acknowledgements")),
        "{mail:?}"
    );
}
