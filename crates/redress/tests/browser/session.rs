//! Starting and ending a browser: the launch options (language, desktop or phone), the
//! Chromium session through chromedriver with its capabilities, navigation, and the session's
//! end when the test is over or has panicked.

use super::driver::{self, Driver};
use super::{DESKTOP, PHONE, WAIT, artifacts_dir, shorten};
use fantoccini::Client;
use serde_json::{Value as Json, json};
use std::path::Path;
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::sync::SemaphorePermit;

/// What the phone's browser calls itself (Chrome on Android; the version is what Chrome's
/// reduced user agent says).
const PHONE_USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36";

/// How a browser is started: its language, then [`Launch::desktop`] or [`Launch::phone`].
#[derive(Debug, Clone)]
pub struct Launch {
    accept_language: String,
}

impl Default for Launch {
    fn default() -> Self {
        Launch {
            accept_language: "en-GB,en".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Device {
    Desktop,
    Phone,
}

impl Launch {
    /// A desktop: a 1280×900 viewport at one device pixel per CSS pixel, mouse, no touch.
    pub async fn desktop(self) -> Option<Browser> {
        Browser::start(self, Device::Desktop).await
    }

    /// A phone: 390×844 CSS pixels at pixel ratio 3, touch, mobile (Chromium's device
    /// emulation), so that the pages' small-screen CSS is what renders.
    pub async fn phone(self) -> Option<Browser> {
        Browser::start(self, Device::Phone).await
    }
}

/// A headless Chromium session (its own fresh profile) driven through chromedriver.
pub struct Browser {
    pub(super) client: Client,
    pub(super) session_id: String,
    pub(super) driver: &'static Driver,
    pub(super) axe_js: &'static Path,
    closed: bool,
    // Dropped after the session has ended (see Drop), in this order.
    _profile: TempDir,
    _slot: SemaphorePermit<'static>,
}

impl Browser {
    /// A desktop browser asking for English (`Accept-Language: en-GB,en`), or None when the
    /// test should be skipped because Chromium, chromedriver or axe-core is missing.
    pub async fn desktop() -> Option<Browser> {
        Launch::default().desktop().await
    }

    /// A phone-sized browser asking for English; None as for [`Browser::desktop`].
    pub async fn phone() -> Option<Browser> {
        Launch::default().phone().await
    }

    /// A browser that asks for other languages: `accept_language` is what Chromium puts in
    /// `Accept-Language` (it adds the q-values), e.g. `"es"` or `"pt-PT,pt,en"`.
    pub fn with_language(accept_language: &str) -> Launch {
        Launch {
            accept_language: accept_language.to_owned(),
        }
    }

    async fn start(launch: Launch, device: Device) -> Option<Browser> {
        let prerequisites = driver::prerequisites()?;
        let slot = driver::session_slot().await;
        let driver = driver::driver(&prerequisites.chromedriver).await;
        let profile = tempfile::Builder::new()
            .prefix("redress-chromium-")
            .tempdir()
            .expect("create a temporary Chromium profile directory");
        let capabilities = capabilities(
            &prerequisites.chromium,
            profile.path(),
            &launch.accept_language,
            device,
        );
        let client = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(capabilities)
        .connect(&driver.url())
        .await
        .unwrap_or_else(|e| {
            panic!(
                "start a Chromium session through chromedriver at {}: {e}\n(see {})",
                driver.url(),
                artifacts_dir().join("chromedriver.log").display()
            )
        });
        let session_id = client
            .session_id()
            .await
            .expect("read the WebDriver session id")
            .expect("a new WebDriver session has an id");
        let browser = Browser {
            client,
            session_id,
            driver,
            axe_js: &prerequisites.axe_js,
            closed: false,
            _profile: profile,
            _slot: slot,
        };
        // chromedriver applies the device emulation without waiting for it: the first page a
        // session loads could still see `navigator.maxTouchPoints == 0` on a phone (5 runs in 6 did).
        // A first navigation of our own lets it settle before the test's.
        browser.goto("about:blank").await;
        Some(browser)
    }

    /// The fantoccini client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Ends the session and Chromium. Call it at the end of every test (Drop is the fallback).
    pub async fn close(mut self) {
        self.closed = true;
        self.client
            .clone()
            .close()
            .await
            .expect("close the browser session");
    }

    /// Loads `url` and waits for the page's load event.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("load {}: {e}", shorten(url)));
    }

    /// Gives the page keyboard focus, as the window a user is looking at has, and waits until it
    /// has it ([`WAIT`] at most). Headless Chromium gives a loaded page no focus until the first
    /// key arrives, which then both focuses the page and is a key for the page: a test of what
    /// the first key does should focus the page first.
    pub async fn focus_page(&self) {
        if let Err(e) = self.cdp("Page.bringToFront", json!({})).await {
            panic!("bring {} to the front: {e}", self.where_().await);
        }
        let started = Instant::now();
        while self.execute("return document.hasFocus();", vec![]).await != true {
            if started.elapsed() > WAIT {
                panic!("{} did not get focus within {WAIT:?}", self.where_().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("read the current URL")
            .to_string()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.closed {
            driver::delete_session_blocking(self.driver.addr, &self.session_id);
        }
    }
}

/// The WebDriver capabilities for a fresh Chromium.
fn capabilities(
    chromium: &Path,
    profile: &Path,
    accept_language: &str,
    device: Device,
) -> fantoccini::wd::Capabilities {
    let lang = accept_language.split(',').next().unwrap_or("en-GB").trim();
    let args = vec![
        "--headless=new".to_owned(),
        // Running as root in CI containers, where Chromium's sandbox cannot start.
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        // /dev/shm is tiny in containers; Chromium falls back to /tmp.
        "--disable-dev-shm-usage".into(),
        // Without these Chromium keeps calling Google's services (updates, sync, field trials,
        // safe browsing lists), which on a closed network is a stream of refused connections
        // and wasted CPU.
        "--disable-quic".into(),
        "--no-first-run".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--disable-default-apps".into(),
        // No desktop keyring to talk to.
        "--password-store=basic".into(),
        format!("--user-data-dir={}", profile.display()),
        // The pages pick their language from Accept-Language, which comes from these.
        format!("--lang={lang}"),
        format!("--accept-lang={accept_language}"),
        // No smooth scrolling (the pages ask for it unless the user prefers reduced motion):
        // chromedriver scrolls an element into view and clicks at once, so mid-animation a click
        // lands on whatever is passing under the pointer ("element click intercepted").
        "--force-prefers-reduced-motion".into(),
        // Room for the emulated viewport.
        format!("--window-size={},{}", DESKTOP.0, DESKTOP.1 + 200),
    ];
    let mut options = json!({
        "binary": chromium,
        "prefs": { "intl.accept_languages": accept_language },
    });
    // The viewport is set through device emulation on both: a headless window of a given size
    // still loses ~140 px of height to the browser's (invisible) toolbars.
    options["mobileEmulation"] = match device {
        Device::Desktop => json!({
            "deviceMetrics": {
                "width": DESKTOP.0,
                "height": DESKTOP.1,
                "pixelRatio": 1.0,
                "touch": false,
                "mobile": false,
            },
        }),
        Device::Phone => json!({
            // A phone's Chrome, not "X11; Linux x86_64", in case a page looks.
            "userAgent": PHONE_USER_AGENT,
            "deviceMetrics": {
                "width": PHONE.0,
                "height": PHONE.1,
                "pixelRatio": 3.0,
                "touch": true,
                "mobile": true,
            },
        }),
    };
    options["args"] = json!(args);
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": options,
        // A page that has not loaded in 30 s is a failure to report, not to wait 5 minutes for.
        "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
    });
    match capabilities {
        Json::Object(map) => map,
        _ => unreachable!("json!({{…}}) is an object"),
    }
}
