//! The form in a real browser when things go wrong: a refused form keeps every word and points
//! at the field to fix, and a double click on Send files one case.

use super::{active_element_id, attribute, shown, text_content, texts, value};
use crate::browser::{Browser, origin};
use crate::helpers::TestApp;
use fantoccini::actions::{InputSource, MouseActions, PointerAction};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_keeps_every_word_and_points_at_the_field_to_fix() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    let (_, staff) = app.staff("Ana Agent", "agent", None).await;
    let words =
        "My bill doubled in March.\nI was charged <twice> for the same line & nobody answered.";
    browser.goto(&format!("{}/complain", origin(&app))).await;
    browser.fill_labelled("What happened?", words).await;
    browser.fill_labelled("Your name", "Ada O'Neil").await;
    browser
        .fill_labelled("Email address", "ada at example")
        .await;
    browser.click_button_to("Send", "#problems").await;

    // Every typed word is back in its field (read from the DOM, as the customer sees them).
    assert_eq!(value(&browser, "#what_happened").await, words);
    assert_eq!(value(&browser, "#name").await, "Ada O'Neil");
    assert_eq!(value(&browser, "#email").await, "ada at example");
    // The message beside the field, tied to it for screen readers.
    let problem = "This does not look like an email address. It should look like name@example.com.";
    assert_eq!(shown(&browser, "#email-problem").await, problem);
    assert_eq!(attribute(&browser, "#email", "aria-invalid").await, "true");
    assert_eq!(
        attribute(&browser, "#email", "aria-describedby").await,
        "email-problem"
    );
    // The summary at the top says how many things to check and links to each.
    let summary = shown(&browser, "#problems").await;
    assert!(
        summary.starts_with("Please check one thing below. Everything you typed is still here."),
        "{summary}"
    );
    assert_eq!(texts(&browser, "#problems a").await, [problem]);
    assert_eq!(attribute(&browser, "#problems a", "href").await, "#email");
    // The page's script moves focus to the summary, so a screen reader reads it first.
    assert_eq!(active_element_id(&browser).await, "problems");
    browser.check_accessibility("the refused form").await;
    browser.screenshot("complain-error-desktop").await;

    // The summary's link takes the customer to the field.
    browser.click("#problems a").await;
    assert_eq!(active_element_id(&browser).await, "email");

    browser.fill("#email", "ada@example.com").await;
    browser.click_button_to("Send", "#reference").await;
    assert_eq!(text_content(&browser, "#words").await, words);
    assert_eq!(app.count_cases(&staff).await, 1);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_on_send_files_one_case() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    let (_, staff) = app.staff("Ana Agent", "agent", None).await;
    browser.goto(&format!("{}/complain", origin(&app))).await;
    browser
        .fill_labelled(
            "What happened?",
            "The train was cancelled and nobody told us.",
        )
        .await;
    browser
        .fill_labelled("Email address", "kim@example.com")
        .await;

    // A real double click: two presses of the mouse on Send, as fast as the browser takes them.
    let send = browser
        .find("form[action='/complain'] button[type=submit]")
        .await;
    // Actions do not scroll by themselves: the button must be on screen to be pressed.
    let element = serde_json::to_value(&send).expect("an element serialises");
    browser
        .execute(
            "arguments[0].scrollIntoView({ block: 'center' });",
            vec![element],
        )
        .await;
    let press = PointerAction::Down {
        button: fantoccini::actions::MOUSE_BUTTON_LEFT,
    };
    let release = PointerAction::Up {
        button: fantoccini::actions::MOUSE_BUTTON_LEFT,
    };
    let mouse = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement {
            element: send,
            duration: None,
            x: 0.0,
            y: 0.0,
        })
        .then(press.clone())
        .then(release.clone())
        .then(press)
        .then(release);
    browser.mark_leaving().await;
    browser
        .client()
        .perform_actions(mouse)
        .await
        .expect("double-click Send");

    browser.wait_for_next_page("#reference").await;
    assert_eq!(
        app.count_cases(&staff).await,
        1,
        "one case for a double click"
    );
    // The page's script kept the second click from sending at all: had it reached the server,
    // the server would have taken it once and said so ("You had already sent this").
    assert!(
        browser
            .client()
            .find(fantoccini::Locator::Css("main .notice"))
            .await
            .is_err(),
        "the second click was sent: {}",
        browser.text().await
    );
    browser
        .screenshot("received-after-double-click-desktop")
        .await;
    browser.close().await;
}
