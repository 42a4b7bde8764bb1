//! End-to-end tests in real headless Chromium: the harness ([`Browser`]) and the page tests.
//!
//! A test starts a server as every integration test does, then drives a browser at it:
//!
//! ```ignore
//! let app = TestApp::sqlite().await;
//! let Some(browser) = Browser::desktop().await else { return }; // None: skipped, see below
//! browser.goto(&format!("{}/complain", origin(&app))).await;
//! browser.fill_labelled("What happened?", "The heater broke.").await;
//! browser.click_button_to("Send", "#reference").await; // clicks, waits for the next page
//! browser.wait_for_text("We have your complaint").await;
//! browser.screenshot("complain-sent").await;
//! browser.check_accessibility("complain-sent").await;
//! browser.close().await;
//! ```
//!
//! After a click that leads to another page, wait with [`Browser::click_to`] or
//! [`Browser::click_button_to`] (or [`Browser::mark_leaving`] before and
//! [`Browser::wait_for_next_page`] after): a plain `find` or `wait_for` may still see the page
//! being left.
//!
//! The harness is in `session.rs` (launch, capabilities, navigation, the end of a session),
//! `finding.rs` (finding and waiting), `interact.rs` (typing and clicking), `capture.rs`
//! (screenshots, axe-core), `cdp.rs` (DevTools commands) and `driver.rs` (what a test needs
//! to run or be skipped, the shared chromedriver, the cap on sessions).
//!
//! Every helper panics with a message that says what it was doing, on which page; anything
//! else goes through [`Browser::client`], the raw fantoccini client.
//!
//! Needs Chromium (`/usr/bin/chromium` or `REDRESS_CHROMIUM`), chromedriver
//! (`/usr/bin/chromedriver` or `CHROMEDRIVER`) and axe-core's `axe.min.js`
//! (`npm ci --prefix crates/redress/tests/browser`, or `REDRESS_AXE_JS`). When one is missing a
//! browser test prints one line saying what and passes, unless `REDRESS_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), which makes it fail. One chromedriver serves the whole test binary and at
//! most two browser sessions run at once. Screenshots and chromedriver's log land in
//! `target/test-artifacts/`.
//!
//! Close the browser with [`Browser::close`] at the end of a test. If the test panics first,
//! dropping the `Browser` ends the session (synchronously, so that it happens even while the
//! test's runtime shuts down) and Chromium does not outlive the test.

mod admin;
mod axe;
mod capture;
mod cdp;
mod desk;
mod desk_journey;
mod driver;
mod finding;
mod interact;
mod journeys;
mod session;
mod smoke;

pub use axe::Violation;
pub use session::Browser;

use crate::helpers::TestApp;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the `wait_for…` helpers wait by default: generous, since two Chromiums and the
/// servers share 2 cores in CI.
pub const WAIT: Duration = Duration::from_secs(10);

/// The desktop viewport.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// The phone viewport in CSS pixels (an iPhone 12–15 sized screen, at 3 device pixels each).
pub const PHONE: (u32, u32) = (390, 844);

/// The address of a test server's pages (TestApp's `base` is its API root).
pub fn origin(app: &TestApp) -> String {
    app.base
        .strip_suffix("/api/v1")
        .unwrap_or(&app.base)
        .to_owned()
}

/// `target/test-artifacts`, created if needed. Derived from the target directory Cargo built
/// this binary in, so it is right under a custom `CARGO_TARGET_DIR` too.
pub fn artifacts_dir() -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is <target dir>/tmp");
    let dir = target.join("test-artifacts");
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
    dir
}

/// A `data:` URL for an HTML document, for testing the harness without a server page.
pub fn data_url(html: &str) -> String {
    let mut url = String::from("data:text/html;charset=utf-8,");
    for byte in html.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// URLs in messages: a `data:` URL carries a whole page, which would drown the message.
fn shorten(url: &str) -> String {
    if url.len() > 120 {
        format!("{}…", &url[..url.floor_char_boundary(100)])
    } else {
        url.to_owned()
    }
}
