//! Real mail servers on loopback for the email channel's tests: a private Dovecot as the mailbox
//! Redress polls over IMAP ([`Mailbox`]), and a private aiosmtpd as the relay it sends through
//! ([`Relay`]). Every test starts its own instances on free ports with everything (config, mail,
//! logs) in a temp dir, so tests stay independent and run in parallel; nothing system-wide is
//! started. `.ci/run` installs both from Debian's packages (`dovecot-imapd`, `python3-aiosmtpd`).
//!
//! Without them `start()` prints one line saying what is missing and returns None, so the test
//! can return early; with `REDRESS_REQUIRE_MAIL=1` (CI) that is a failure instead. A server that
//! is installed but does not come up always fails, with its log.
//!
//! Each server is a child of the test binary that holds its stdin: dropping the handle, or the
//! test binary ending however it ends, closes that stdin and the server goes at once.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

/// How long a server gets to answer on its port after being started.
const STARTUP: Duration = Duration::from_secs(20);

/// None with one printed line, or a panic under `REDRESS_REQUIRE_MAIL=1`.
fn unavailable<T>(what: &str, missing: &str) -> Option<T> {
    if std::env::var_os("REDRESS_REQUIRE_MAIL").is_some_and(|v| v == "1") {
        panic!("REDRESS_REQUIRE_MAIL=1 but {missing}");
    }
    eprintln!("mail test skipped: {what}: {missing} (set REDRESS_REQUIRE_MAIL=1 to fail)");
    None
}

/// A port nobody listens on right now; the window before the server takes it is tiny.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("find a free loopback port")
        .port()
}

fn read_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("({}: {e})", path.display()))
}

fn find_executable(candidates: &[&str]) -> Option<PathBuf> {
    candidates.iter().find_map(|name| {
        let path = Path::new(name);
        if path.is_absolute() {
            return path.is_file().then(|| path.to_path_buf());
        }
        std::env::var_os("PATH").and_then(|dirs| {
            std::env::split_paths(&dirs)
                .map(|dir| dir.join(name))
                .find(|candidate| candidate.is_file())
        })
    })
}

/// Writes into `dir` a private CA (`ca.pem`, what a client trusts) and a server certificate it
/// signed for `localhost` and 127.0.0.1 (`cert.pem`, `key.pem`, what the server presents). Not
/// one self-signed certificate: rustls (webpki) refuses a CA certificate as the server's own.
fn test_certificates(openssl: &Path, dir: &Path) -> Result<(PathBuf, PathBuf), String> {
    let run = |args: &[&str]| {
        let made = Command::new(openssl)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run openssl");
        if made.status.success() {
            Ok(())
        } else {
            Err(format!(
                "openssl {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&made.stderr)
            ))
        }
    };
    std::fs::write(
        dir.join("server.ext"),
        "basicConstraints = CA:FALSE\nsubjectAltName = DNS:localhost, IP:127.0.0.1\n",
    )
    .expect("write server.ext");
    let key = ["-newkey", "rsa:2048", "-nodes"];
    run(&[
        &["req", "-x509"][..],
        &key,
        &["-days", "2", "-subj", "/CN=Redress test CA"],
        &["-keyout", "ca-key.pem", "-out", "ca.pem"],
    ]
    .concat())?;
    run(&[
        &["req"][..],
        &key,
        &["-subj", "/CN=localhost"],
        &["-keyout", "key.pem", "-out", "server.csr"],
    ]
    .concat())?;
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca-key.pem",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "cert.pem",
    ])?;
    Ok((dir.join("cert.pem"), dir.join("key.pem")))
}

// ---------------------------------------------------------------------------------------------
// The mailbox: Dovecot over IMAP.

/// Whether something on `port` answers with a first line starting with `greeting`.
fn greets(port: u16, greeting: &[u8]) -> bool {
    let Ok(stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut line = Vec::new();
    BufReader::new(stream)
        .read_until(b'\n', &mut line)
        .is_ok_and(|_| line.starts_with(greeting))
}

mod client;
mod mailbox;
mod relay;

pub use client::Client;
use client::send_by_smtp;
pub use mailbox::Mailbox;
pub use relay::{ReceivedMail, Relay, RelayMode};

// ---------------------------------------------------------------------------------------------
// The harness's own tests: each server spoken to over its real protocol, with plain TCP.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_serves_delivered_mail_over_imap() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    mailbox.deliver(
        b"From: Ada <ada@customer.test>\r\nTo: care@redress.test\r\nSubject: Cold soup\r\n\
          Message-ID: <soup-1@customer.test>\r\n\r\nThe soup arrived cold, twice.\r\n",
    );
    assert_eq!(mailbox.messages_in("INBOX").len(), 1);

    let mut imap = Client::connect(mailbox.port()).await.expect("connect");
    let greeting = imap.read_until(|line| line.starts_with("* OK")).await;
    assert!(greeting.contains("* OK"), "{greeting}");

    let login = imap
        .imap(
            "b",
            &format!("LOGIN {} {}", mailbox.user(), mailbox.password()),
        )
        .await;
    assert!(login.contains("b OK"), "{login}\n{}", mailbox.log());

    let select = imap.imap("c", "SELECT INBOX").await;
    assert!(select.contains("* 1 EXISTS"), "{select}");
    assert!(select.contains("c OK"), "{select}");

    let fetch = imap.imap("d", "FETCH 1 BODY[]").await;
    assert!(fetch.contains("The soup arrived cold, twice."), "{fetch}");
    assert!(fetch.contains("<soup-1@customer.test>"), "{fetch}");
    assert!(fetch.contains("d OK"), "{fetch}");

    // Mail delivered while a client is connected shows up on its next look.
    mailbox.deliver(b"From: bob@customer.test\r\nSubject: And the bread\r\n\r\nStale.\r\n");
    let noop = imap.imap("e", "NOOP").await;
    assert!(noop.contains("* 2 EXISTS"), "{noop}");

    // What the client does is visible in the Maildir: a message moved to another folder.
    assert!(imap.imap("f", "CREATE Processed").await.contains("f OK"));
    let copy = imap.imap("g", "COPY 1 Processed").await;
    assert!(copy.contains("g OK"), "{copy}");
    imap.imap("h", "STORE 1 +FLAGS (\\Deleted)").await;
    assert!(imap.imap("i", "EXPUNGE").await.contains("* 1 EXPUNGE"));
    imap.imap("j", "LOGOUT").await;

    // Last, since Dovecot slows down logins after a failed one.
    let mut wrong = Client::connect(mailbox.port()).await.expect("connect");
    wrong.read_until(|line| line.starts_with("* OK")).await;
    let refused = wrong
        .imap("a", &format!("LOGIN {} wrong-password", mailbox.user()))
        .await;
    assert!(refused.contains("a NO"), "{refused}");

    let processed = mailbox.messages_in("Processed");
    assert_eq!(processed.len(), 1);
    assert!(String::from_utf8_lossy(&processed[0]).contains("cold, twice"));
    let inbox = mailbox.messages_in("INBOX");
    assert_eq!(inbox.len(), 1);
    assert!(String::from_utf8_lossy(&inbox[0]).contains("Stale."));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mailbox_speaks_tls_with_its_certificate() {
    let Some(mailbox) = Mailbox::start() else {
        return;
    };
    let openssl = find_executable(&["openssl", "/usr/bin/openssl"]).expect("openssl");
    // openssl's client verifies the chain and the address against the harness's certificate.
    let mut client = Command::new(openssl)
        .args(["s_client", "-quiet", "-verify_return_error", "-verify_ip"])
        .arg("127.0.0.1")
        .arg("-CAfile")
        .arg(mailbox.certificate_pem())
        .arg("-connect")
        .arg(format!("127.0.0.1:{}", mailbox.tls_port()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run openssl s_client");
    let mut stdin = client.stdin.take().expect("piped");
    let login = format!(
        "a LOGIN {} {}\r\nb SELECT INBOX\r\nc LOGOUT\r\n",
        mailbox.user(),
        mailbox.password()
    );
    let output = tokio::task::spawn_blocking(move || {
        // Give the handshake and greeting time before the commands, then wait for the end.
        std::thread::sleep(Duration::from_millis(300));
        let _ = stdin.write_all(login.as_bytes());
        let mut out = String::new();
        let mut stdout = client.stdout.take().expect("piped");
        let _ = stdout.read_to_string(&mut out);
        drop(stdin);
        let mut err = String::new();
        let _ = client
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut err);
        let _ = client.wait();
        (out, err)
    })
    .await
    .expect("s_client thread");
    let (out, err) = output;
    assert!(out.contains("* OK"), "out: {out}\nerr: {err}");
    assert!(out.contains("a OK"), "out: {out}\nerr: {err}");
    assert!(out.contains("* 0 EXISTS"), "out: {out}\nerr: {err}");
    assert!(out.contains("c OK"), "out: {out}\nerr: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_relay_keeps_what_it_is_sent_and_comes_back_after_a_stop() {
    let Some(mut relay) = Relay::start() else {
        return;
    };
    let port = relay.port();
    let reply = send_by_smtp(
        port,
        "care@redress.test",
        "ada@customer.test",
        "From: care@redress.test\r\nTo: ada@customer.test\r\nSubject: [RD-1] Your soup\r\n\
         In-Reply-To: <soup-1@customer.test>\r\n\r\nWe are sorry.\r\n..Dot-stuffed line.",
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");
    let received = relay.wait_for(1, Duration::from_secs(5)).await;
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].from, "care@redress.test");
    assert_eq!(received[0].to, vec!["ada@customer.test".to_owned()]);
    let text = received[0].text();
    assert!(
        text.contains("In-Reply-To: <soup-1@customer.test>"),
        "{text}"
    );
    // Kept as the message was, line ends and all, with the leading dot unstuffed.
    assert!(
        text.contains("\r\nWe are sorry.\r\n.Dot-stuffed line."),
        "{text}"
    );

    // Refusals for good and for now, as a real server gives them.
    let mut client = Client::connect(port).await.expect("connect");
    client.smtp_reply().await;
    client.smtp("EHLO redress.test").await;
    client.smtp("MAIL FROM:<care@redress.test>").await;
    let rejected = client.smtp("RCPT TO:<reject-me@customer.test>").await;
    assert!(rejected.starts_with("550"), "{rejected}");
    let deferred = client.smtp("RCPT TO:<defer-me@customer.test>").await;
    assert!(deferred.starts_with("451"), "{deferred}");
    client.smtp("QUIT").await;

    relay.stop();
    let refused = tokio::net::TcpStream::connect(("127.0.0.1", port)).await;
    assert!(
        refused
            .as_ref()
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused),
        "a stopped relay still answers: {refused:?}"
    );

    relay.restart();
    assert_eq!(relay.port(), port);
    let reply = send_by_smtp(
        port,
        "",
        "bob@customer.test",
        "Subject: after the restart\r\n\r\nStill here.",
    )
    .await;
    assert!(reply.starts_with("250"), "{reply}");
    let received = relay.wait_for(2, Duration::from_secs(5)).await;
    assert_eq!(
        received.len(),
        2,
        "the first message is kept across a restart"
    );
    assert_eq!(received[1].from, "");
    assert_eq!(received[1].to, vec!["bob@customer.test".to_owned()]);
    assert!(received[1].text().contains("Still here."));
}
