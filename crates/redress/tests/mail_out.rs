//! Mail handed to a real SMTP relay on loopback (aiosmtpd): delivered byte for byte with its
//! envelope; a recipient refused for good is a permanent error (recorded, not retried); a
//! relay that is down, or defers, is an error for now (tried again later).

use crate::mail_servers::Relay;
use redress_mail::{SmtpRelay, send};
use std::time::Duration;

fn message(to: &str) -> Vec<u8> {
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
    let smtp = SmtpRelay {
        host: "127.0.0.1".to_owned(),
        port: relay.port(),
    };
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
