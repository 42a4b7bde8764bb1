//! Mail over TLS with real servers on loopback: a mailbox read over IMAPS (Dovecot) trusting its
//! certificate from a CA file, and refused, losing nothing, when the certificate is not trusted;
//! a relay (aiosmtpd) reached over STARTTLS or TLS from the first byte, with a login, where
//! refusals of our login or our TLS are for now and a refused address is still for good.

use crate::helpers::TestApp;
use crate::mail_in::fetch;
use crate::mail_out::message;
use crate::mail_servers::{Mailbox, Relay, RelayMode};
use redress_mail::{FetchError, ImapAccount, RelayTls, SmtpRelay, Trust, fetch_unseen, send};
use redress_store::MailOutcome;
use std::time::Duration;

const COMPLAINT: &[u8] = b"From: Kim Lee <kim@example.com>\r\nTo: care@redress.test\r\n\
    Subject: Room 12\r\nMessage-ID: <tls-1@mail.example.com>\r\n\r\n\
    The heater in room 12 broke on Monday and nobody came.\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mailbox_is_read_over_tls_and_an_untrusted_certificate_loses_nothing() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let app = TestApp::sqlite().await;
    mailbox.deliver(COMPLAINT);
    let account = |trust| {
        ImapAccount::tls(
            "127.0.0.1",
            mailbox.tls_port(),
            mailbox.user(),
            mailbox.password(),
            trust,
        )
    };

    // The self-signed certificate is no public CA's: refused before the password is sent.
    let mut handed_over = 0;
    let refused = fetch_unseen(&account(Trust::public()), |_raw| {
        handed_over += 1;
        async { Ok::<(), String>(()) }
    })
    .await
    .expect_err("an untrusted certificate");
    assert!(matches!(refused, FetchError::Tls(_)), "{refused:?}");
    assert!(
        refused.to_string().to_lowercase().contains("certificate"),
        "{refused}"
    );
    assert_eq!(handed_over, 0);

    // Trusting it (ca_file), the message is still unseen and becomes a case.
    let trust = Trust::with_ca_file(&mailbox.certificate_pem()).expect("the harness's CA");
    let outcomes = fetch(&app, &account(trust.clone())).await;
    let [MailOutcome::OpenedCase(case_id)] = outcomes.as_slice() else {
        panic!("{outcomes:?}\n{}", mailbox.log())
    };
    let case = app
        .app()
        .store()
        .case(*case_id)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        case.words.as_str(),
        "The heater in room 12 broke on Monday and nobody came."
    );
    // Marked seen once kept, over TLS as over plain IMAP.
    assert!(fetch(&app, &account(trust)).await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_reads_a_tls_mailbox_trusting_its_configured_ca() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let config = format!(
        "[mail]\npoll_seconds = 1\n[[mail.mailboxes]]\nhost = \"127.0.0.1\"\nport = {}\n\
         ca_file = \"{}\"\nuser = \"{}\"\npassword = \"{}\"\n",
        mailbox.tls_port(),
        mailbox.certificate_pem().display(),
        mailbox.user(),
        mailbox.password()
    );
    let app = TestApp::sqlite_with(&config).await;
    let (_, staff) = app.staff("Ana Agent", "agent", None).await;
    mailbox.deliver(COMPLAINT);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while app.count_cases(&staff).await == 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the TLS mailbox was not read in 20 s: {}",
            mailbox.log()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn relay_at(relay: &Relay, tls: RelayTls, trust: Trust, login: Option<&str>) -> SmtpRelay {
    SmtpRelay {
        host: "127.0.0.1".to_owned(),
        port: relay.port(),
        tls,
        trust,
        credentials: login.map(|password| (Relay::USER.to_owned(), password.to_owned())),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_out_over_starttls_with_a_login() {
    let Some(relay) = Relay::start_tls(RelayMode::StartTls) else {
        return;
    };
    let trust = Trust::with_ca_file(&relay.certificate_pem()).expect("the relay's CA");
    let good = relay_at(
        &relay,
        RelayTls::StartTls,
        trust.clone(),
        Some(Relay::PASSWORD),
    );
    let raw = message("kim@customer.test");
    send(&good, "care@riverside.test", "kim@customer.test", &raw)
        .await
        .unwrap_or_else(|e| panic!("send: {e}\n{}", relay.log()));
    let received = relay.wait_for(1, Duration::from_secs(10)).await;
    assert!(received[0].raw.starts_with(&raw), "{}", received[0].text());

    // An address refused is still refused for good over TLS; refusals of us (our login, our
    // TLS) are for now, so the outbox tries again once the configuration is fixed.
    let attempts = [
        ("a refused address", good.clone(), "reject-kim", true),
        (
            "a wrong password",
            relay_at(&relay, RelayTls::StartTls, trust.clone(), Some("wrong")),
            "kim",
            false,
        ),
        (
            "no login",
            relay_at(&relay, RelayTls::StartTls, trust.clone(), None),
            "kim",
            false,
        ),
        (
            "no STARTTLS",
            relay_at(&relay, RelayTls::None, trust.clone(), None),
            "kim",
            false,
        ),
        (
            "an untrusted certificate",
            relay_at(
                &relay,
                RelayTls::StartTls,
                Trust::public(),
                Some(Relay::PASSWORD),
            ),
            "kim",
            false,
        ),
    ];
    for (what, smtp, local, permanent) in attempts {
        let to = format!("{local}@customer.test");
        let err = send(&smtp, "care@riverside.test", &to, &message(&to))
            .await
            .expect_err(what);
        assert_eq!(err.permanent, permanent, "{what}: {err}");
    }
    assert_eq!(relay.received().len(), 1, "only the good one arrived");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_goes_out_over_tls_from_the_first_byte() {
    let Some(relay) = Relay::start_tls(RelayMode::Tls) else {
        return;
    };
    let trust = Trust::with_ca_file(&relay.certificate_pem()).expect("the relay's CA");
    let smtp = relay_at(&relay, RelayTls::Tls, trust, Some(Relay::PASSWORD));
    send(
        &smtp,
        "care@riverside.test",
        "kim@customer.test",
        &message("kim@customer.test"),
    )
    .await
    .unwrap_or_else(|e| panic!("send: {e}\n{}", relay.log()));
    let received = relay.wait_for(1, Duration::from_secs(10)).await;
    let raw = message("kim@customer.test");
    assert!(received[0].raw.starts_with(&raw), "{}", received[0].text());
}
