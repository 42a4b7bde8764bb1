//! Staff signing in, below the pages: `redress user add --password-stdin`, the first run's setup
//! link printed by `redress serve`, and sign-in, sessions, lock-out and password changes through
//! the App on both backends, with two nodes sharing one database.

use crate::helpers::TestApp;
use redress_app::{App, AppError, FREE_FAILURES, Settings};
use redress_store::Store;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;

const PASSWORD: &str = "correct horse battery staple";

fn redress(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redress"));
    cmd.env_remove("REDRESS_DATABASE_URL")
        .env_remove("REDRESS_BIND")
        .env_remove("REDRESS_DATA_DIR")
        .env_remove("REDRESS_CONFIG")
        .env("RUST_LOG", "warn")
        .current_dir(dir);
    cmd
}

/// Runs `redress user add <args> --password-stdin` with `stdin` as its input.
fn user_add_with_password(
    dir: &std::path::Path,
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    let mut child = redress(dir)
        .args(["user", "add"])
        .args(args)
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start redress user add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write the password");
    child.wait_with_output().expect("user add")
}

/// The App on the SQLite database `redress` made in `dir`.
async fn app_in(dir: &std::path::Path) -> App {
    let store: Arc<dyn Store> = Arc::new(
        redress_store_sqlite::SqliteStore::open(&dir.join("redress-data/redress.db"))
            .await
            .expect("open the database"),
    );
    App::new(store, Settings::default())
}

/// Starts `redress serve` in `dir`, waits until it answers, stops it, and returns what it
/// printed.
async fn serve_and_stop(dir: &std::path::Path) -> String {
    let mut child = redress(dir)
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start redress serve");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).expect("read") == 1 && byte[0] != b'\n' {
        first.push(byte[0]);
    }
    let first = String::from_utf8(first).expect("utf-8");
    let base = first
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    let health = reqwest::get(format!("http://{base}/healthz"))
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).expect("read the rest");
    let exit = child.wait().expect("wait");
    assert!(exit.success(), "redress serve exited with {exit}");
    format!("{first}\n{rest}")
}

#[tokio::test]
async fn user_add_with_a_password_then_sign_in() {
    let dir = tempfile::tempdir().expect("dir");
    // Too short: refused, naming the flag, and nobody is added.
    let out = user_add_with_password(
        dir.path(),
        &[
            "--name",
            "Mo Admin",
            "--email",
            "mo@example.com",
            "--role",
            "admin",
        ],
        "short\n",
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--password-stdin") && err.contains("12"),
        "{err}"
    );
    let out = user_add_with_password(
        dir.path(),
        &["--name", "Mo Admin", "--email", "mo@example.com"],
        "",
    );
    assert!(!out.status.success(), "no password given");

    // One line, spaces kept, the line ending (also \r\n) dropped; the API token is still printed.
    let out = user_add_with_password(
        dir.path(),
        &[
            "--name",
            "Mo Admin",
            "--email",
            "mo@example.com",
            "--role",
            "admin",
        ],
        &format!("{PASSWORD}\r\nnot read\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().expect("token line").trim();
    assert!(token.starts_with("rdx_"), "{stdout}");
    assert!(!stdout.contains(PASSWORD), "the password is never printed");

    let app = app_in(dir.path()).await;
    let signed_in = app
        .sign_in("mo@example.com", PASSWORD)
        .await
        .expect("sign in with the password given to user add");
    assert_eq!(signed_in.staff.name.as_str(), "Mo Admin");
    let staff = app
        .staff_for_session(signed_in.token.reveal())
        .await
        .expect("the session works");
    assert_eq!(staff.id, signed_in.staff.id);
    assert_eq!(
        app.authenticate(token)
            .await
            .expect("the API token works")
            .id,
        staff.id
    );
    assert!(matches!(
        app.sign_in("mo@example.com", &format!("{PASSWORD}\r"))
            .await,
        Err(AppError::Unauthenticated)
    ));
    // An admin with a password: the first run is over.
    assert!(app.setup_link_token().await.expect("setup link").is_none());
}

#[tokio::test]
async fn serve_prints_a_setup_link_until_an_admin_has_a_password() {
    let dir = tempfile::tempdir().expect("dir");
    let printed = serve_and_stop(dir.path()).await;
    let lines: Vec<&str> = printed.lines().collect();
    assert!(
        lines[0].starts_with("Redress is listening on http://127.0.0.1:"),
        "{printed}"
    );
    let addr = lines[0]
        .trim_start_matches("Redress is listening on http://")
        .split_whitespace()
        .next()
        .expect("addr");
    let prefix = format!("First run: create the first administrator at http://{addr}/setup/");
    let link = lines
        .get(1)
        .unwrap_or_else(|| panic!("no setup link in {printed:?}"));
    let token = link
        .strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(" (valid 24 hours)"))
        .unwrap_or_else(|| panic!("unexpected setup line {link:?}"));
    assert!(token.len() >= 43, "{token}");

    // Each start of the first run prints a new link; every one works until used.
    let printed_again = serve_and_stop(dir.path()).await;
    assert!(printed_again.contains("First run:"), "{printed_again}");
    assert!(!printed_again.contains(token), "a new link each start");

    let app = app_in(dir.path()).await;
    assert!(app.setup_link_valid(token).await.expect("valid"));
    let admin = app
        .complete_setup(token, "Mo Admin", "mo@example.com", PASSWORD)
        .await
        .expect("complete setup");
    assert_eq!(admin.staff.role.as_str(), "admin");
    app.staff_for_session(admin.token.reveal())
        .await
        .expect("the first admin is signed in");
    assert!(matches!(
        app.complete_setup(token, "Again", "again@example.com", PASSWORD)
            .await,
        Err(AppError::NotFound(_))
    ));
    drop(app);

    let printed = serve_and_stop(dir.path()).await;
    assert!(
        !printed.contains("First run"),
        "no setup link once an admin has a password: {printed}"
    );
}

/// Sign-in on two nodes sharing one database: sessions, lock-out and password changes are
/// seen by both.
async fn sessions_and_lock_out_across_nodes(test: TestApp) {
    let one = App::new(test.store.clone(), Settings::default());
    let second = test.second_node().await;
    let two = App::new(second.store.clone(), Settings::default());

    let token = one
        .setup_link_token()
        .await
        .expect("setup link")
        .expect("the first run");
    let admin = two
        .complete_setup(token.reveal(), "Mo Admin", "mo@example.com", PASSWORD)
        .await
        .expect("complete setup on the other node");
    assert!(one.setup_link_token().await.expect("setup").is_none());
    one.staff_for_session(admin.token.reveal())
        .await
        .expect("a session made on one node works on the other");

    let (agent, _) = one
        .add_staff("Ana Costa", "ana@example.com", "agent", Some("Care"), None)
        .await
        .expect("add staff");
    two.set_password_for(agent.id, PASSWORD)
        .await
        .expect("set password");
    let ana = one
        .sign_in("ANA@example.com", PASSWORD)
        .await
        .expect("sign in");
    let ana_elsewhere = two
        .sign_in("ana@example.com", PASSWORD)
        .await
        .expect("sign in");

    // Failures on either node count together.
    for i in 0..FREE_FAILURES {
        let node = if i % 2 == 0 { &one } else { &two };
        assert!(matches!(
            node.sign_in("ana@example.com", "wrong password").await,
            Err(AppError::Unauthenticated)
        ));
    }
    for node in [&one, &two] {
        match node.sign_in("ana@example.com", PASSWORD).await {
            Err(AppError::TooManyAttempts { retry_after_secs }) => {
                assert!((1..=60).contains(&retry_after_secs), "{retry_after_secs}");
            }
            other => panic!("expected TooManyAttempts, got {other:?}"),
        }
    }
    // Sessions already open go on.
    two.staff_for_session(ana.token.reveal())
        .await
        .expect("an open session outlives a lock");

    let new = "another long passphrase";
    two.change_password(&agent, ana.token.reveal(), PASSWORD, new)
        .await
        .expect_err("locked: the current password is not even checked");
    // An admin resets the password: every session of hers ends, and the lock with it.
    one.set_password_for(agent.id, new)
        .await
        .expect("set password");
    for (node, session) in [(&one, &ana), (&two, &ana_elsewhere)] {
        assert!(matches!(
            node.staff_for_session(session.token.reveal()).await,
            Err(AppError::Unauthenticated)
        ));
    }
    let ana = two.sign_in("ana@example.com", new).await.expect("sign in");
    let ana_elsewhere = one.sign_in("ana@example.com", new).await.expect("sign in");
    one.change_password(&agent, ana.token.reveal(), new, PASSWORD)
        .await
        .expect("change password");
    two.staff_for_session(ana.token.reveal())
        .await
        .expect("the session that changed it goes on");
    assert!(matches!(
        two.staff_for_session(ana_elsewhere.token.reveal()).await,
        Err(AppError::Unauthenticated)
    ));

    two.sign_out(ana.token.reveal()).await.expect("sign out");
    one.sign_out(ana.token.reveal())
        .await
        .expect("signing out twice is fine");
    assert!(matches!(
        one.staff_for_session(ana.token.reveal()).await,
        Err(AppError::Unauthenticated)
    ));
    one.staff_for_session(admin.token.reveal())
        .await
        .expect("other staff are not signed out");
}

crate::on_both_backends!(sessions_and_lock_out_across_nodes);
