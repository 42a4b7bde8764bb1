//! The staff desk's first pages in a real browser: the sign-in page, a wrong password, signing
//! in, the queues, a case's page, the kept mail and one message with its raw source, with the
//! accessibility check and a screenshot of each.

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

    // The kept mail: machine mail and a message that could not be handled.
    for raw in [
        &b"From: Kim <kim@example.com>\r\nSubject: Away until Monday\r\n\
           Auto-Submitted: auto-replied\r\n\r\nI am away.\r\n"[..],
        &b"\xff\xfe no sender at all"[..],
    ] {
        app.app()
            .receive_mail("imap:care@example.com/INBOX", raw.to_vec())
            .await
            .expect("kept");
    }
    browser.click_to("a[href='/desk/mail']", "#mail-list").await;
    browser
        .check_accessibility("desk mail needing a look")
        .await;
    browser
        .click_to("a[href='/desk/mail?tab=all']", "#mail-list")
        .await;
    browser.wait_for_text("Away until Monday").await;
    browser.check_accessibility("desk mail, all").await;
    browser.screenshot("desk-mail-desktop").await;
    browser.click_to("#mail-list td a", "#raw").await;
    browser.check_accessibility("desk mail message").await;
    browser.screenshot("desk-mail-message-desktop").await;
    browser.close().await;
}
