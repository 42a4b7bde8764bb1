//! The harness itself, end to end, before there are pages to test: a real test server, then a
//! small form served as a `data:` URL, filled, photographed and checked by axe-core; the check
//! must also catch a violation. SQLite only: nothing here depends on the store.

use super::{Browser, DESKTOP, PHONE, axe, data_url, origin};
use crate::helpers::TestApp;
use serde_json::json;
use std::path::Path;
use std::time::Instant;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A minimal page that passes every rule the harness checks: a language, a title, a main
/// landmark with one h1, and a label for every field.
const FORM: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tell us what happened</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 40rem; padding: 1rem; }
  label { display: block; margin-top: 1rem; font-weight: 600; }
  input, textarea, select { width: 100%; box-sizing: border-box; font: inherit; }
  button { margin-top: 1.5rem; font: inherit; padding: .5rem 1.5rem; }
</style>
</head>
<body>
<main>
<h1>Tell us what happened</h1>
<form id="complaint">
  <label for="what">What happened?</label>
  <textarea id="what" name="what" rows="4"></textarea>
  <label for="email">Your email</label>
  <input id="email" name="email" type="email" autocomplete="email">
  <label for="needed">Needed by <span>(optional)</span></label>
  <input id="needed" name="needed" type="date">
  <label for="kind">This is a</label>
  <select id="kind" name="kind"><option>Complaint</option><option>Question</option></select>
  <label for="photo">A photo (optional)</label>
  <input id="photo" name="photo" type="file">
  <button type="submit">Send</button>
</form>
<p id="result" role="status"></p>
</main>
<script>
  document.getElementById("complaint").addEventListener("submit", (event) => {
    event.preventDefault();
    const f = event.target;
    const photo = f.photo.files[0] ? f.photo.files[0].name : "none";
    document.getElementById("result").textContent =
      `Sent: ${f.what.value} | ${f.email.value} | ${f.needed.value} | ${f.kind.value} | ${photo}`;
  });
</script>
</body>
</html>"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_browser_fills_a_form_photographs_it_and_checks_its_accessibility() {
    let app = TestApp::sqlite().await;
    let started = Instant::now();
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    eprintln!("desktop browser session started in {:?}", started.elapsed());

    // The browser reaches the real server.
    browser.goto(&format!("{}/healthz", origin(&app))).await;
    assert_eq!(browser.text().await.trim(), "ok");
    assert_eq!(
        accept_language(&browser).await,
        "en-GB,en;q=0.9",
        "English unless asked otherwise"
    );

    browser.goto(&data_url(FORM)).await;
    assert!(browser.current_url().await.starts_with("data:text/html"));
    let viewport = browser
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await;
    assert_eq!(viewport, json!([DESKTOP.0, DESKTOP.1]));

    let photo = tempfile::Builder::new()
        .prefix("heater-")
        .suffix(".jpg")
        .tempfile()
        .expect("a file to upload");
    let photo_name = photo
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("a UTF-8 file name")
        .to_owned();
    browser
        .fill_labelled("What happened?", "The heater broke on day two.")
        .await;
    // Clicking a label focuses its field, as for a user.
    browser.click("label[for=email]").await;
    let focused = browser
        .execute("return document.activeElement.id;", vec![])
        .await;
    assert_eq!(focused, "email");
    browser.fill("#email", "zoe@example.com").await;
    // "Needed by (optional)": found by the label's start; a date input is set, not typed.
    browser.fill_labelled("Needed by", "2026-12-01").await;
    browser.select("#kind", "Question").await;
    browser.choose_file("#photo", photo.path()).await;
    browser.click_button("Send").await;
    browser
        .wait_for_text(&format!(
            "Sent: The heater broke on day two. | zoe@example.com | 2026-12-01 | Question | {photo_name}"
        ))
        .await;
    let result = browser.wait_for("#result:not(:empty)").await;
    assert_eq!(
        result.attr("role").await.expect("role"),
        Some("status".into())
    );
    let form = browser
        .client()
        .form(fantoccini::Locator::Id("complaint"))
        .await;
    assert!(form.is_ok(), "the raw client reaches the page too");

    let png = browser.screenshot("browser-smoke-desktop").await;
    let (png_width, png_height) = png_size(&png);
    eprintln!("screenshot {} is {png_width}x{png_height}", png.display());
    assert_eq!(png_width, DESKTOP.0, "one device pixel per CSS pixel");
    assert!(
        png_height >= DESKTOP.1,
        "down to the window's bottom at least"
    );

    browser.check_accessibility("the smoke-test form").await;

    // A field without a label must be caught, with enough detail to find and fix it.
    browser
        .execute(
            r#"document.querySelector("main").insertAdjacentHTML("beforeend", '<input id="unlabelled">');"#,
            vec![],
        )
        .await;
    let violations = browser.accessibility_violations().await;
    let label = violations
        .iter()
        .find(|v| v.id == "label")
        .unwrap_or_else(|| panic!("axe missed the unlabelled input: {violations:?}"));
    assert_eq!(label.impact.as_deref(), Some("critical"));
    assert_eq!(label.nodes.len(), 1, "{label}");
    assert_eq!(label.nodes[0].target, "#unlabelled");
    // What check_accessibility would panic with.
    let report = axe::report("the smoke-test form", "data:…", "4", &violations);
    eprintln!("{report}");
    for needle in [
        "- label (critical)",
        "at #unlabelled: <input id=\"unlabelled\">",
    ] {
        assert!(
            report.contains(needle),
            "{needle:?} missing from:\n{report}"
        );
    }

    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_browser_has_a_phone_viewport() {
    let started = Instant::now();
    let Some(browser) = Browser::phone().await else {
        return;
    };
    eprintln!("phone browser session started in {:?}", started.elapsed());

    browser.goto(&data_url(FORM)).await;
    let screen = browser
        .execute(
            "return [window.innerWidth, window.devicePixelRatio, navigator.maxTouchPoints > 0,
                     matchMedia('(pointer: coarse)').matches, /Mobile/.test(navigator.userAgent)];",
            vec![],
        )
        .await;
    assert_eq!(screen, json!([PHONE.0, 3, true, true, true]));
    let height = browser.execute("return window.innerHeight;", vec![]).await;
    assert_eq!(height, json!(PHONE.1));
    let png = browser.screenshot("browser-smoke-phone").await;
    let (png_width, png_height) = png_size(&png);
    eprintln!("screenshot {} is {png_width}x{png_height}", png.display());
    assert_eq!(png_width, PHONE.0 * 3, "three device pixels per CSS pixel");
    browser
        .check_accessibility("the smoke-test form on a phone")
        .await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_asks_for_the_language_it_is_given() {
    let Some(browser) = Browser::with_language("es").desktop().await else {
        return;
    };
    assert_eq!(accept_language(&browser).await, "es");
    let languages = browser.execute("return navigator.languages;", vec![]).await;
    assert_eq!(languages, json!(["es"]));
    browser.close().await;
}

/// What a test that panics relies on: dropping a browser ends its session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_browser_dropped_without_closing_ends_its_session() {
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    let session = format!(
        "http://{}/session/{}/url",
        browser.driver.addr, browser.session_id
    );
    let alive = reqwest::get(&session).await.expect("ask chromedriver");
    assert_eq!(alive.status(), 200);
    drop(browser);
    let gone = reqwest::get(&session).await.expect("ask chromedriver");
    assert_eq!(gone.status(), 404, "the session outlived its Browser");
}

/// The Accept-Language the browser sends, seen by a one-page server that echoes it (the test
/// server has no page that shows request headers).
async fn accept_language(browser: &Browser) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let echo = tokio::spawn(async move {
        // Chromium may also ask for /favicon.ico: answer every request the same way.
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let mut request = vec![0; 16 * 1024];
            let n = socket.read(&mut request).await.unwrap_or(0);
            let request = String::from_utf8_lossy(&request[..n]).into_owned();
            let value = request
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("accept-language")
                        .then(|| value.trim().to_owned())
                })
                .unwrap_or_else(|| "(none)".into());
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{value}",
                value.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    browser.goto(&format!("http://{addr}/")).await;
    let seen = browser.text().await.trim().to_owned();
    echo.abort();
    seen
}

/// A PNG's width and height, from its IHDR chunk.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).expect("read the screenshot");
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 24,
        "{} is not a PNG",
        path.display()
    );
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word(16), word(20))
}
