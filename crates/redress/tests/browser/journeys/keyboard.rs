//! The pages by keyboard: the first Tab reaches the skip link, focus is visible, and following
//! the link puts the keyboard at the start of the main content.

use super::active_element_id;
use crate::browser::{Browser, origin};
use crate::helpers::TestApp;
use fantoccini::key::Key;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_tab_reaches_the_skip_link_and_focus_is_visible() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    browser.goto(&format!("{}/complain", origin(&app))).await;
    // As for a customer looking at the page: without this, the Tab below would also be what
    // gives the page focus (and once in ~10 full runs focus stayed on the body).
    browser.focus_page().await;
    browser.press(Key::Tab).await;
    let focused = browser
        .execute(
            r#"const e = document.activeElement;
               const style = getComputedStyle(e);
               const box = e.getBoundingClientRect();
               return {
                 text: e.textContent.trim(),
                 href: e.getAttribute("href"),
                 focusVisible: e.matches(":focus-visible"),
                 outline: style.outlineStyle,
                 onScreen: box.left >= 0 && box.top >= 0 && box.width > 0,
               };"#,
            vec![],
        )
        .await;
    assert_eq!(focused["text"], "Skip to the main content", "{focused}");
    assert_eq!(focused["href"], "#main", "{focused}");
    assert_eq!(focused["focusVisible"], true, "{focused}");
    assert_ne!(
        focused["outline"], "none",
        "focus must be visible: {focused}"
    );
    // Hidden until focused, then on screen.
    assert_eq!(focused["onScreen"], true, "{focused}");
    browser.screenshot("skip-link-focused-desktop").await;

    // Following it puts the keyboard at the start of the main content.
    browser.press(Key::Enter).await;
    assert_eq!(active_element_id(&browser).await, "main");
    browser.close().await;
}
