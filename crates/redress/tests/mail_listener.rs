//! The built-in SMTP listener: through the server, mail sent by a real SMTP client (lettre)
//! opens a case, and mail for another domain is refused; through the library, the protocol
//! by hand: dot-unstuffing byte for byte, a message too big refused (552) and not kept, 451
//! when keeping fails, the order of commands, long lines, idle clients and a full house.

use crate::mail_servers::Client;
use redress::config::{FileConfig, Overrides, ServeConfig};
use redress::startup::Application;
use redress_mail::{Delivery, ListenerSettings, SmtpListener, SmtpRelay, send};
use redress_store::CaseQuery;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_piped_into_the_server_opens_a_case() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = FileConfig::from_toml(
        "[organisation]\nemail = \"care@care.example.com\"\n[mail]\nlisten = \"127.0.0.1:0\"\n",
    )
    .expect("a valid configuration");
    let overrides = Overrides {
        bind: Some("127.0.0.1:0".into()),
        database_url: Some(format!(
            "sqlite:{}",
            dir.path().join("redress.db").display()
        )),
        ..Overrides::default()
    };
    let config = ServeConfig::resolve(overrides, file).expect("config");
    let application = Application::build(&config).await.expect("build");
    let smtp = application.smtp_addr().expect("the listener is on");
    let app = application.app().clone();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(application.run_until(async {
        let _ = stopped.await;
    }));

    let relay = SmtpRelay::plain("127.0.0.1", smtp.port());
    let raw = b"From: Kim Lee <kim@example.com>\r\nTo: care@care.example.com\r\n\
        Subject: Room 12\r\nMessage-ID: <piped-1@mail.example.com>\r\n\r\n\
        The heater in room 12 broke on Monday and nobody came.\r\n\
        .Dots at the start of a line stay.\r\n";
    send(&relay, "kim@example.com", "care@care.example.com", raw)
        .await
        .unwrap_or_else(|e| panic!("send: {e}"));
    // 250 came only once the message was kept and handled: the case is there now.
    let store = app.store().clone();
    let cases = store
        .list_cases(&CaseQuery {
            limit: 10,
            ..CaseQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cases.cases.len(), 1, "{cases:?}");
    let case = &cases.cases[0].case;
    assert_eq!(
        case.words.as_str(),
        "The heater in room 12 broke on Monday and nobody came.\n\
         .Dots at the start of a line stay."
    );

    let foreign = send(&relay, "kim@example.com", "someone@elsewhere.example", raw)
        .await
        .expect_err("not a domain it takes mail for");
    assert!(foreign.permanent, "{foreign}");
    assert!(foreign.to_string().contains("550"), "{foreign}");

    let _ = stop.send(());
    server
        .await
        .expect("the server task")
        .expect("a clean stop");
}

/// A listener on a free port whose `keep` records each message, failing for any that says
/// FAIL-KEEP.
async fn listener(settings: ListenerSettings) -> (SocketAddr, Arc<Mutex<Vec<Delivery>>>) {
    let kept = Arc::new(Mutex::new(Vec::new()));
    let listener = SmtpListener::bind("127.0.0.1:0".parse().expect("addr"), settings)
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let record = kept.clone();
    tokio::spawn(listener.run(move |delivery: Delivery| {
        let record = record.clone();
        async move {
            if String::from_utf8_lossy(&delivery.raw).contains("FAIL-KEEP") {
                return Err("the disk is full");
            }
            record
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(delivery);
            Ok(())
        }
    }));
    (addr, kept)
}

fn kept_count(kept: &Mutex<Vec<Delivery>>) -> usize {
    kept.lock().unwrap_or_else(|e| e.into_inner()).len()
}

async fn expect(client: &mut Client, command: &str, code: &str) -> String {
    let reply = client.smtp(command).await;
    assert!(reply.starts_with(code), "{command} -> {reply}");
    reply
}

/// Each command in turn, each answered with its code.
async fn dialogue(client: &mut Client, steps: &[(&str, &str)]) {
    for (command, code) in steps {
        expect(client, command, code).await;
    }
}

/// MAIL, RCPT and DATA, each accepted: the message may follow.
async fn start_message(client: &mut Client, from: &str, to: &str) {
    expect(client, &format!("MAIL FROM:<{from}>"), "250").await;
    expect(client, &format!("RCPT TO:<{to}>"), "250").await;
    expect(client, "DATA", "354").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listener_speaks_smtp_and_keeps_before_it_says_yes() {
    let mut settings = ListenerSettings::new(vec!["care.example.com".into()]);
    settings.max_bytes = 2000;
    let (addr, kept) = listener(settings).await;
    let mut c = Client::connect(addr.port()).await.expect("connect");
    assert!(c.smtp_reply().await.starts_with("220 care.example.com"));

    expect(&mut c, "MAIL FROM:<ada@customer.test>", "503").await;
    let hello = expect(&mut c, "EHLO client.test", "250").await;
    assert!(hello.contains("SIZE 2000"), "{hello}");
    dialogue(
        &mut c,
        &[
            ("RCPT TO:<care@care.example.com>", "503"),
            ("DATA", "503"),
            ("MAIL FROM:<ada@customer.test> SIZE=5000", "552"),
            ("MAIL FROM:<ada@customer.test> SIZE=100", "250"),
            ("RCPT TO:<someone@elsewhere.example>", "550"),
            ("RCPT TO:<care@sub.care.example.com>", "550"),
            ("RCPT TO:<Care@CARE.example.com>", "250"),
            ("DATA", "354"),
        ],
    )
    .await;
    let body = "Subject: Dots\r\n\r\n..A stuffed dot.\r\n...Two of them.\r\nEnd.";
    expect(&mut c, &format!("{body}\r\n."), "250").await;
    {
        let kept = kept.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].from, "ada@customer.test");
        assert_eq!(kept[0].to, ["Care@CARE.example.com"]);
        assert_eq!(kept[0].peer.to_string(), "127.0.0.1");
        assert_eq!(
            String::from_utf8_lossy(&kept[0].raw),
            "Return-Path: <ada@customer.test>\r\nSubject: Dots\r\n\r\n\
             .A stuffed dot.\r\n..Two of them.\r\nEnd.\r\n"
        );
    }

    // Too big (without a SIZE declared): read to its end, refused, nothing kept, and the
    // conversation goes on.
    start_message(&mut c, "", "care@care.example.com").await;
    let big = "x".repeat(70);
    let lines = vec![big.as_str(); 40].join("\r\n");
    expect(&mut c, &format!("Subject: big\r\n\r\n{lines}\r\n."), "552").await;
    assert_eq!(kept_count(&kept), 1);

    // Keeping failed: 451, so the sender tries again; nothing was kept.
    start_message(&mut c, "", "postmaster").await;
    expect(&mut c, "Subject: FAIL-KEEP\r\n\r\nHello.\r\n.", "451").await;
    assert_eq!(kept_count(&kept), 1);

    // RSET forgets the envelope; commands it does not do, or know, are refused.
    let long = format!("NOOP {}", "y".repeat(5000));
    dialogue(
        &mut c,
        &[
            ("MAIL FROM:<>", "250"),
            ("RCPT TO:<care@care.example.com>", "250"),
            ("RSET", "250"),
            ("DATA", "503"),
            ("NOOP", "250"),
            ("VRFY care", "502"),
            ("STARTTLS", "502"),
            ("FROBNICATE", "500"),
            (&long, "500"),
        ],
    )
    .await;
    // A bounce: the null sender stays visible to the reader as an empty Return-Path.
    start_message(&mut c, "", "care@care.example.com").await;
    expect(&mut c, "Subject: Undelivered\r\n\r\nReturned.\r\n.", "250").await;
    {
        let kept = kept.lock().unwrap_or_else(|e| e.into_inner());
        assert_eq!(kept.len(), 2);
        assert!(kept[1].raw.starts_with(b"Return-Path: <>\r\n"));
        assert!(redress_mail::read(&kept[1].raw).automatic.is_some());
    }
    expect(&mut c, "QUIT", "221").await;
    assert!(c.closed().await, "closed after QUIT");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_listener_drops_idle_clients_and_turns_away_a_full_house() {
    let mut settings = ListenerSettings::new(vec!["care.example.com".into()]);
    settings.idle = Duration::from_millis(500);
    settings.max_connections = 1;
    let (addr, _) = listener(settings).await;
    let mut first = Client::connect(addr.port()).await.expect("connect");
    assert!(first.smtp_reply().await.starts_with("220"));
    let mut second = Client::connect(addr.port()).await.expect("connect");
    assert!(second.smtp_reply().await.starts_with("421"));
    assert!(second.closed().await, "turned away");
    // The first says nothing for longer than allowed.
    assert!(first.smtp_reply().await.starts_with("421"));
    assert!(first.closed().await, "dropped when idle");
    // Its place is free again (once its task has ended, a moment after the close).
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let mut third = Client::connect(addr.port()).await.expect("connect");
        let greeting = third.smtp_reply().await;
        if greeting.starts_with("220") {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{greeting}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
