//! The real `redress` binary: `user add`, `serve` with nothing configured, health checks, the
//! OpenAPI document, durability across a crash, and a graceful stop.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};

fn redress() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_redress"));
    cmd.env_remove("REDRESS_DATABASE_URL")
        .env_remove("REDRESS_BIND")
        .env_remove("REDRESS_DATA_DIR")
        .env_remove("REDRESS_CONFIG")
        .env("RUST_LOG", "warn");
    cmd
}

/// Starts `redress serve` on a free port in `dir`; returns the process and its base URL.
fn serve(dir: &std::path::Path) -> (Child, String) {
    let mut child = redress()
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start redress serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).expect("read");
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_owned();
    (child, format!("http://{addr}"))
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

#[tokio::test]
async fn user_add_serve_crash_and_graceful_stop() {
    let dir = tempfile::tempdir().expect("dir");
    let out = redress()
        .args([
            "user",
            "add",
            "--name",
            "Mo Admin",
            "--email",
            "mo@example.com",
            "--role",
            "admin",
        ])
        .current_dir(dir.path())
        .output()
        .expect("user add");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let token = stdout.lines().last().expect("token line").trim().to_owned();
    assert!(token.starts_with("rdx_"), "{stdout}");
    // The data directory was created with nothing configured.
    assert!(dir.path().join("redress-data/redress.db").exists());

    // Bad input to the CLI names the flag and writes nothing.
    let out = redress()
        .args([
            "user", "add", "--name", "X", "--email", "nope", "--role", "boss",
        ])
        .current_dir(dir.path())
        .output()
        .expect("user add");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--email") && err.contains("--role"), "{err}");
    let out = redress()
        .args([
            "user",
            "add",
            "--name",
            "Again",
            "--email",
            "MO@example.com",
        ])
        .current_dir(dir.path())
        .output()
        .expect("user add");
    assert!(!out.status.success(), "duplicate email accepted");

    let (child, base) = serve(dir.path());
    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .expect("healthz")
            .status(),
        200
    );
    assert_eq!(
        client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .expect("readyz")
            .status(),
        200
    );
    let doc: Value = client
        .get(format!("{base}/api/v1/openapi.json"))
        .send()
        .await
        .expect("openapi")
        .json()
        .await
        .expect("json");
    assert!(doc["openapi"].as_str().unwrap_or("").starts_with("3."));
    for path in [
        "/cases",
        "/track/{token}",
        "/cases/{id}/close",
        "/customers/{id}",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} not documented");
    }

    // Every 201 survives a crash (SIGKILL right after the answers).
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (client, base) = (client.clone(), base.clone());
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(format!("{base}/api/v1/cases"))
                .json(&json!({ "what_happened": format!("crash test {i}"), "email": format!("crash{i}@example.com") }))
                .send()
                .await
                .expect("send");
            assert_eq!(res.status(), 201);
            let body: Value = res.json().await.expect("json");
            body["reference"].as_str().expect("reference").to_owned()
        }));
    }
    let mut references = Vec::new();
    for t in tasks {
        references.push(t.await.expect("join"));
    }
    let mut child = child;
    signal(&child, "-KILL");
    let _ = child.wait();

    let (mut child, base) = serve(dir.path());
    for reference in &references {
        let res = client
            .get(format!("{base}/api/v1/cases/by-reference/{reference}"))
            .bearer_auth(&token)
            .send()
            .await
            .expect("send");
        assert_eq!(res.status(), 200, "case {reference} lost in the crash");
    }

    // SIGTERM while a request is in flight (its body still arriving): the request is finished
    // and answered, then the server stops cleanly.
    let body = json!({ "what_happened": "Sent while the server was stopping", "email": "term@example.com" })
        .to_string();
    let addr = base.trim_start_matches("http://").to_owned();
    let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stream,
        "POST /api/v1/cases HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .expect("write headers");
    stream.write_all(&body.as_bytes()[..10]).expect("write");
    stream.flush().expect("flush");
    std::thread::sleep(std::time::Duration::from_millis(300));
    signal(&child, "-TERM");
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream
        .write_all(&body.as_bytes()[10..])
        .expect("write the rest");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    assert!(
        response.starts_with("HTTP/1.1 201"),
        "in-flight request dropped: {response}"
    );
    let status = child.wait().expect("wait");
    assert!(status.success(), "graceful stop exited with {status}");
    let reference = response
        .split("\"reference\":\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("reference in the answer")
        .to_owned();
    let (mut child, base) = serve(dir.path());
    let res = client
        .get(format!("{base}/api/v1/cases/by-reference/{reference}"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), 200, "the in-flight case was lost");
    signal(&child, "-TERM");
    let _ = child.wait();
}
