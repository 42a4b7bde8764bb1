//! The staff desk's first pages in a real browser: the sign-in page, a wrong password, signing
//! in, the queues, a case's page, with the accessibility check and a screenshot of each.

use crate::browser::{Browser, origin};
use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_signs_in_and_sees_the_queues() {
    let app = TestApp::sqlite().await;
    let (id, _) = app.staff("Ana Agent", "agent", None).await;
    let password = "correct horse battery staple";
    app.app()
        .set_password_for(id.parse().expect("id"), password)
        .await
        .expect("password");
    app.complain_as("kim@example.com", "The lift is broken again")
        .await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    browser.goto(&format!("{}/desk", origin(&app))).await;
    browser.wait_for("form[action='/desk/sign-in']").await;
    browser.check_accessibility("desk sign-in").await;
    browser.screenshot("desk-sign-in-desktop").await;

    browser
        .fill_labelled("Email address", "ana.agent@staff.example")
        .await;
    browser.fill_labelled("Password", "not the password").await;
    browser.click_button_to("Sign in", "#problems").await;
    browser.wait_for_text("do not match an account").await;
    browser.check_accessibility("desk sign-in refused").await;

    browser.fill_labelled("Password", password).await;
    browser.click_button_to("Sign in", "#unassigned").await;
    browser.wait_for_text("The lift is broken again").await;
    browser.check_accessibility("desk queues").await;
    browser.screenshot("desk-queues-desktop").await;

    // The case page, from the queue.
    browser.click_to("#unassigned a", "#timeline").await;
    browser.wait_for_text("The lift is broken again").await;
    browser.check_accessibility("desk case").await;
    browser.screenshot("desk-case-desktop").await;
    browser.close().await;
}
