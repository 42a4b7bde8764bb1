//! Finding things on the page and waiting for them: an element now, an element or a text
//! within a time, an element on the next page after a navigation (never on the page being
//! left), and scripts run in the page.

use super::{Browser, WAIT, shorten};
use fantoccini::Locator;
use fantoccini::elements::Element;
use serde_json::{Value as Json, json};
use std::time::{Duration, Instant};

/// The attribute [`Browser::mark_leaving`] puts on the page being left. A new page never has it.
const LEAVING: &str = "data-redress-leaving";

impl Browser {
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

    /// The one element matching `css`, now. Right after a click or a submit that leads to another
    /// page, wait for that page first ([`Browser::wait_for_next_page`]): now may still be the
    /// page being left.
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

    /// Marks the page shown now as the one being left, so that [`Browser::wait_for_next_page`]
    /// can tell the next page from it. Call it just before whatever navigates.
    pub async fn mark_leaving(&self) {
        self.execute(
            "document.documentElement.setAttribute(arguments[0], '');",
            vec![json!(LEAVING)],
        )
        .await;
    }

    /// Waits until the next page has come (after [`Browser::mark_leaving`] and a navigation) and
    /// an element on it matches `css` ([`WAIT`] at most), and returns it. The page being left
    /// never matches, even when it has such an element too: a submitted form leaves the old page
    /// up until the answer comes, which under load can be a while, and an element found there
    /// goes stale as soon as the new page replaces it. `css` is one selector, not a list.
    pub async fn wait_for_next_page(&self, css: &str) -> Element {
        assert!(
            !css.contains(','),
            "wait_for_next_page takes one selector, not a list: {css:?}"
        );
        self.wait_for(&format!("html:not([{LEAVING}]) {css}")).await
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

    /// The current URL for messages, never failing (it is called while failing already).
    pub(super) async fn where_(&self) -> String {
        match self.client.current_url().await {
            Ok(url) => shorten(url.as_str()),
            Err(e) => format!("(unknown page: {e})"),
        }
    }
}
