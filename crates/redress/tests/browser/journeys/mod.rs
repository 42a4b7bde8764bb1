//! The customer's journeys through the real pages in headless Chromium, end to end:
//!
//! - the whole life of a complaint, in English on a desktop and in Spanish on a phone: the front
//!   door, the form (multi-line words with markup characters and an emoji, a date, a real PNG),
//!   the Received page restating the words, the case page, a reply, a resolution proposed by
//!   staff through the API and accepted on the page, then a follow-up with a "no" that reopens
//!   the case;
//! - a refused form: every typed word back in its field, the message beside the email field, a
//!   summary at the top linking to it; then corrected and sent;
//! - a double click on Send: one case;
//! - the keyboard: the first Tab reaches the skip link, and focus is visible.
//!
//! Every page visited is checked with axe-core and photographed into
//! `target/test-artifacts/screenshots/`. The texts asserted are the catalogue's
//! (`crates/catalogue/locales/{en,es}/redress.ftl`), so a page that says something else fails.
//! SQLite only: nothing here depends on the store, and the HTTP-level page tests
//! (`pages/`) already run on both backends.

//!
//! Here are the steps the journeys share (reading the page, the photo to attach); the journeys
//! are in `complaint.rs` (the whole life of a complaint), `form.rs` (the refused form, the
//! double click) and `keyboard.rs`, the texts they expect in `texts.rs`.

mod complaint;
mod form;
mod keyboard;
mod texts;

use super::Browser;
use crate::helpers::TestApp;
use crate::pages::PNG;
use reqwest::StatusCode;
use serde_json::{Value as Json, json};
use std::path::PathBuf;
use tempfile::TempDir;

/// A PNG on disk under `name`, for the file chooser (which needs a real file).
struct PhotoFile {
    path: PathBuf,
    _dir: TempDir,
}

fn photo_file(name: &str) -> PhotoFile {
    let dir = tempfile::tempdir().expect("a directory for the photo");
    let path = dir.path().join(name);
    std::fs::write(&path, PNG).expect("write the photo");
    PhotoFile { path, _dir: dir }
}

/// A reference reads XXXX-XXXX-XXXX: capital letters and digits in three groups of four.
fn assert_reference(reference: &str) {
    let groups: Vec<&str> = reference.split('-').collect();
    assert!(
        groups.len() == 3
            && groups.iter().all(|g| g.len() == 4
                && g.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())),
        "{reference:?} is not a reference like K7M3-9QXA-2BTR"
    );
}

/// The case behind a reference, as staff see it.
async fn staff_case(app: &TestApp, reference: &str, staff: &str) -> Json {
    let (status, case) = app
        .get(&format!("/cases/by-reference/{reference}"), Some(staff))
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    case
}

/// The visible text of the one element matching `css` (as rendered: trimmed, white space
/// collapsed where the CSS collapses it).
async fn shown(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .text()
        .await
        .unwrap_or_else(|e| panic!("read the text of {css:?}: {e}"))
}

/// The visible texts of every element matching `css`.
async fn texts(browser: &Browser, css: &str) -> Vec<String> {
    let found = browser
        .execute(
            "return [...document.querySelectorAll(arguments[0])].map((e) => e.innerText.trim());",
            vec![json!(css)],
        )
        .await;
    serde_json::from_value(found).expect("a list of texts")
}

/// The exact text the element matching `css` holds (`textContent`: every character and new
/// line, whatever the CSS does with them).
async fn text_content(browser: &Browser, css: &str) -> String {
    let found = browser
        .execute(
            "const e = document.querySelector(arguments[0]); return e && e.textContent;",
            vec![json!(css)],
        )
        .await;
    match found {
        Json::String(text) => text,
        _ => panic!("no {css:?} on {}", browser.current_url().await),
    }
}

/// What a form field holds now (its `value` property, not the attribute it was served with).
async fn value(browser: &Browser, css: &str) -> String {
    browser
        .find(css)
        .await
        .prop("value")
        .await
        .unwrap_or_else(|e| panic!("read the value of {css:?}: {e}"))
        .unwrap_or_default()
}

async fn attribute(browser: &Browser, css: &str, name: &str) -> String {
    browser
        .find(css)
        .await
        .attr(name)
        .await
        .unwrap_or_else(|e| panic!("read {name} of {css:?}: {e}"))
        .unwrap_or_else(|| panic!("{css:?} has no {name}"))
}

async fn active_element_id(browser: &Browser) -> String {
    let id = browser
        .execute("return document.activeElement.id;", vec![])
        .await;
    id.as_str().unwrap_or_default().to_owned()
}

/// The case's story as the page tells it: (who, what happened, what was said).
async fn timeline(browser: &Browser) -> Vec<(String, String, Option<String>)> {
    let items = browser
        .execute(
            r##"return [...document.querySelectorAll("#timeline > li")].map((li) => {
                 const said = li.querySelector("blockquote");
                 return [
                   li.querySelector(".who").textContent,
                   li.querySelector(".meta + p").textContent,
                   said ? said.textContent : null,
                 ];
               });"##,
            vec![],
        )
        .await;
    serde_json::from_value(items).expect("timeline items")
}
