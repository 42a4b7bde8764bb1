//! End-to-end tests in real headless Chromium: the harness ([`Browser`]) and the page tests.
//!
//! A test starts a server as every integration test does, then drives a browser at it:
//!
//! ```ignore
//! let app = TestApp::sqlite().await;
//! let Some(browser) = Browser::desktop().await else { return }; // None: skipped, see below
//! browser.goto(&format!("{}/complain", origin(&app))).await;
//! browser.fill_labelled("What happened?", "The heater broke.").await;
//! browser.click_button("Send").await;
//! browser.wait_for_text("We have your complaint").await;
//! browser.screenshot("complain-sent").await;
//! browser.check_accessibility("complain-sent").await;
//! browser.close().await;
//! ```
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

mod axe;
mod driver;
mod journeys;
mod smoke;

pub use axe::Violation;

use crate::helpers::TestApp;
use base64::Engine as _;
use driver::Driver;
use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::CmdError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, Locator};
use serde_json::{Value as Json, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use tempfile::TempDir;
use tokio::sync::SemaphorePermit;

/// How long the `wait_for…` helpers wait by default: generous, since two Chromiums and the
/// servers share 2 cores in CI.
pub const WAIT: Duration = Duration::from_secs(10);

/// The desktop viewport.
pub const DESKTOP: (u32, u32) = (1280, 900);
/// The phone viewport in CSS pixels (an iPhone 12–15 sized screen, at 3 device pixels each).
pub const PHONE: (u32, u32) = (390, 844);

/// What the phone's browser calls itself (Chrome on Android; the version is what Chrome's
/// reduced user agent says).
const PHONE_USER_AGENT: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 \
    (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36";

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
    client: Client,
    session_id: String,
    driver: &'static Driver,
    axe_js: &'static Path,
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

    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("read the current URL")
            .to_string()
    }

    /// The page's visible text (`innerText` of the body).
    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("find the page's body")
            .text()
            .await
            .expect("read the page's text")
    }

    /// The one element matching `css`, now.
    pub async fn find(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("find {css:?} on {}: {e}", self.where_().await),
        }
    }

    /// Waits until an element matches `css` ([`WAIT`] at most) and returns it.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_within(css, WAIT).await
    }

    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Element {
        let found = self
            .client
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!(
                "no element matched {css:?} within {timeout:?} on {} ({e})\npage text:\n{}",
                self.where_().await,
                self.text().await
            ),
        }
    }

    /// Waits until the page's visible text contains `needle` ([`WAIT`] at most).
    pub async fn wait_for_text(&self, needle: &str) {
        let started = Instant::now();
        loop {
            let text = self.text().await;
            if text.contains(needle) {
                return;
            }
            if started.elapsed() > WAIT {
                panic!(
                    "the text {needle:?} did not appear within {WAIT:?} on {}\npage text:\n{text}",
                    self.where_().await
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types `value` into the field matching `css`, replacing what was there. Date, time, colour
    /// and range inputs get their value set directly (with `input` and `change` events), since
    /// typing into them depends on the browser's locale. Emoji and other characters beyond the
    /// Basic Multilingual Plane are entered too.
    pub async fn fill(&self, css: &str, value: &str) {
        let field = self.find(css).await;
        self.fill_element(&field, value, css).await;
    }

    /// Fills the field whose `<label>` (or `aria-label`) reads `label`: the exact text after
    /// collapsing white space, else the one label containing it.
    pub async fn fill_labelled(&self, label: &str, value: &str) {
        let field = self.labelled(label).await;
        self.fill_element(&field, value, &format!("the field labelled {label:?}"))
            .await;
    }

    /// The form control labelled `label` (see [`Browser::fill_labelled`]).
    pub async fn labelled(&self, label: &str) -> Element {
        const FIND: &str = r#"
            const [wanted] = arguments;
            const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
            const labels = [...document.querySelectorAll("label")];
            const named = [...document.querySelectorAll("[aria-label]")];
            const pick = (test) => [...new Set([
                ...labels.filter((l) => test(norm(l.textContent))).map((l) => l.control),
                ...named.filter((e) => test(norm(e.getAttribute("aria-label")))),
            ].filter(Boolean))];
            let found = pick((t) => t === wanted);
            if (found.length === 0) found = pick((t) => t.includes(wanted));
            return {
                found: found.length === 1 ? found[0] : null,
                count: found.length,
                labels: labels.map((l) => norm(l.textContent)),
            };
        "#;
        let result = self.execute(FIND, vec![json!(label)]).await;
        match element_in(&result["found"]) {
            Some(id) => Element::from_element_id(self.client.clone(), id),
            None => panic!(
                "{} form controls are labelled {label:?} on {}; the labels are {}",
                result["count"],
                self.where_().await,
                result["labels"]
            ),
        }
    }

    async fn fill_element(&self, field: &Element, value: &str, what: &str) {
        const TYPED_BY_LOCALE: [&str; 7] = [
            "date",
            "time",
            "datetime-local",
            "month",
            "week",
            "color",
            "range",
        ];
        let kind = field
            .attr("type")
            .await
            .unwrap_or_else(|e| panic!("read the type of {what}: {e}"))
            .unwrap_or_default();
        if TYPED_BY_LOCALE.contains(&kind.as_str()) {
            const SET: &str = r#"
                const [field, value] = arguments;
                field.value = value;
                field.dispatchEvent(new Event("input", { bubbles: true }));
                field.dispatchEvent(new Event("change", { bubbles: true }));
            "#;
            let element = serde_json::to_value(field).expect("an element serialises");
            self.execute(SET, vec![element, json!(value)]).await;
            return;
        }
        field
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear {what}: {e}"));
        // chromedriver types only characters of the Basic Multilingual Plane. The others (most
        // emoji) go in as an emoji keyboard or an input method puts them, through DevTools'
        // Input.insertText at the caret, which fires the same input events.
        let element = serde_json::to_value(field).expect("an element serialises");
        self.execute("arguments[0].focus();", vec![element]).await;
        let mut rest = value;
        while !rest.is_empty() {
            let typed = rest.find(|c| c > '\u{ffff}').unwrap_or(rest.len());
            let (bmp, tail) = rest.split_at(typed);
            if !bmp.is_empty() {
                field
                    .send_keys(bmp)
                    .await
                    .unwrap_or_else(|e| panic!("type into {what}: {e}"));
            }
            let inserted = tail.find(|c| c <= '\u{ffff}').unwrap_or(tail.len());
            let (astral, tail) = tail.split_at(inserted);
            if !astral.is_empty() {
                self.cdp("Input.insertText", json!({ "text": astral }))
                    .await
                    .unwrap_or_else(|e| panic!("type {astral:?} into {what}: {e}"));
            }
            rest = tail;
        }
    }

    /// Picks the option whose visible text is `option` in the `<select>` matching `css`.
    pub async fn select(&self, css: &str, option: &str) {
        self.find(css)
            .await
            .select_by_label(option)
            .await
            .unwrap_or_else(|e| panic!("select {option:?} in {css:?}: {e}"));
    }

    /// Chooses `file` (an existing file, given by absolute path since the browser is another
    /// process with another working directory) in the `<input type=file>` matching `css`.
    pub async fn choose_file(&self, css: &str, file: &Path) {
        assert!(
            file.is_absolute() && file.is_file(),
            "choose_file needs an existing file's absolute path, not {}",
            file.display()
        );
        let path = file.to_str().expect("a UTF-8 file path");
        self.find(css)
            .await
            .send_keys(path)
            .await
            .unwrap_or_else(|e| panic!("choose {path} in {css:?}: {e}"));
    }

    /// Clicks the element matching `css`, as a user would (it must be visible and enabled).
    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("click {css:?}: {e}"));
    }

    /// Clicks the button or link whose visible text (or a submit input's value) is `text`:
    /// exactly after collapsing white space, else the one containing it.
    pub async fn click_button(&self, text: &str) {
        const FIND: &str = r#"
            const [wanted] = arguments;
            const norm = (s) => (s || "").replace(/\s+/g, " ").trim();
            const all = [...document.querySelectorAll(
                "button, a[href], [role=button], input[type=submit], input[type=button]")];
            const name = (e) => norm(e.tagName === "INPUT" ? e.value : e.innerText);
            let found = all.filter((e) => name(e) === wanted);
            if (found.length === 0) found = all.filter((e) => name(e).includes(wanted));
            return {
                found: found.length === 1 ? found[0] : null,
                count: found.length,
                names: all.map(name),
            };
        "#;
        let result = self.execute(FIND, vec![json!(text)]).await;
        let Some(id) = element_in(&result["found"]) else {
            panic!(
                "{} buttons or links read {text:?} on {}; there are {}",
                result["count"],
                self.where_().await,
                result["names"]
            )
        };
        Element::from_element_id(self.client.clone(), id)
            .click()
            .await
            .unwrap_or_else(|e| panic!("click the button {text:?}: {e}"));
    }

    /// Runs `script` (a function body: `arguments` holds `args`, `return` gives the result).
    pub async fn execute(&self, script: &str, args: Vec<Json>) -> Json {
        match self.client.execute(script, args).await {
            Ok(value) => value,
            Err(e) => panic!(
                "run a script on {}: {e}\nscript: {}",
                self.where_().await,
                script.trim()
            ),
        }
    }

    /// Saves a PNG of the whole page (beyond the viewport, through Chromium's DevTools
    /// protocol; the viewport only if that fails) as `target/test-artifacts/screenshots/
    /// <name>.png`, and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = match self.full_page_png().await {
            Ok(png) => png,
            Err(e) => {
                eprintln!("full-page screenshot failed ({e}); taking the viewport instead");
                match self.client.screenshot().await {
                    Ok(png) => png,
                    Err(e) => panic!("take a screenshot of {}: {e}", self.where_().await),
                }
            }
        };
        let dir = artifacts_dir().join("screenshots");
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        let file: String = name
            .chars()
            .map(|c| match c {
                'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c,
                _ => '-',
            })
            .collect();
        let path = dir.join(format!("{file}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
        path
    }

    async fn full_page_png(&self) -> Result<Vec<u8>, String> {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await?;
        let (content, viewport) = (&metrics["cssContentSize"], &metrics["cssLayoutViewport"]);
        let (Some(width), Some(content_height), Some(viewport_height)) = (
            content["width"].as_f64(),
            content["height"].as_f64(),
            viewport["clientHeight"].as_f64(),
        ) else {
            return Err(format!("no page or viewport size in {metrics}"));
        };
        // A short page is still photographed down to the bottom of the window.
        let height = content_height.max(viewport_height);
        let shot = self
            .cdp(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width.ceil(), "height": height.ceil(), "scale": 1 },
                }),
            )
            .await?;
        let data = shot["data"]
            .as_str()
            .ok_or_else(|| format!("no data in {shot}"))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| e.to_string())
    }

    /// A Chrome DevTools Protocol command, through chromedriver's `goog/cdp/execute`.
    async fn cdp(&self, command: &'static str, params: Json) -> Result<Json, String> {
        self.client
            .issue_cmd(Cdp { command, params })
            .await
            .map_err(|e: CmdError| format!("{command}: {e}"))
    }

    /// Runs axe-core on the current page and panics, listing each violation (rule, impact,
    /// help, and each failing element's selector and HTML), if there is any.
    /// `page` names the page in the message.
    pub async fn check_accessibility(&self, page: &str) {
        let (version, violations) = self.run_axe().await;
        if !violations.is_empty() {
            let url = shorten(&self.current_url().await);
            panic!("{}", axe::report(page, &url, &version, &violations));
        }
    }

    /// The axe-core violations on the current page (empty when it passes), without panicking.
    pub async fn accessibility_violations(&self) -> Vec<Violation> {
        self.run_axe().await.1
    }

    async fn run_axe(&self) -> (String, Vec<Violation>) {
        // Injected once per page: a navigation gives a fresh window without `axe`.
        let injected = self.execute("return typeof window.axe;", vec![]).await;
        if injected != "object" {
            let source = std::fs::read_to_string(self.axe_js)
                .unwrap_or_else(|e| panic!("read {}: {e}", self.axe_js.display()));
            self.execute(&source, vec![]).await;
        }
        let outcome = self
            .client
            .execute_async(axe::RUN, vec![json!(axe::TAGS)])
            .await
            .unwrap_or_else(|e| panic!("run axe-core: {e}"));
        let outcome: axe::Outcome = serde_json::from_value(outcome.clone())
            .unwrap_or_else(|e| panic!("read axe-core's results ({e}): {outcome}"));
        if let Some(error) = outcome.error {
            panic!("axe-core failed on {}: {error}", self.where_().await);
        }
        (outcome.version.unwrap_or_default(), outcome.violations)
    }

    /// The current URL for messages, never failing (it is called while failing already).
    async fn where_(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => shorten(url.as_str()),
            Err(e) => format!("(unknown page: {e})"),
        }
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

/// The WebDriver reference to an element in a script's result, if it is one.
fn element_in(value: &Json) -> Option<ElementRef> {
    // The W3C WebDriver element identifier key.
    let id = value.get("element-6066-11e4-a52e-4f735466cecf")?.as_str()?;
    Some(ElementRef::from(id.to_owned()))
}

/// URLs in messages: a `data:` URL carries a whole page, which would drown the message.
fn shorten(url: &str) -> String {
    if url.len() > 120 {
        format!("{}…", &url[..url.floor_char_boundary(100)])
    } else {
        url.to_owned()
    }
}

/// A Chrome DevTools Protocol command sent through chromedriver.
#[derive(Debug)]
struct Cdp {
    command: &'static str,
    params: Json,
}

impl WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}
