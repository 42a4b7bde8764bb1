//! The administration in a real browser: an administrator goes through every part (a mail
//! template refused among them), adds a staff member (after a refused form), and that person
//! sets their password from the link; an agent meets the plain 403 page. axe-core checks each page, refused forms included, and each
//! part gets a screenshot.

use crate::browser::{Browser, origin};
use crate::helpers::TestApp;

const PASSWORD: &str = "correct horse battery staple";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_administration_passes_axe_on_every_page() {
    let app = TestApp::sqlite().await;
    let (admin_id, _) = app.staff("Ada Admin", "admin", None).await;
    let (agent_id, _) = app.staff("Ann Agent", "agent", None).await;
    for id in [&admin_id, &agent_id] {
        app.app()
            .set_password_for(id.parse().expect("id"), PASSWORD)
            .await
            .expect("password");
    }
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    let site = origin(&app);
    browser.goto(&format!("{site}/desk/sign-in")).await;
    browser
        .fill_labelled("Email address", "ada.admin@staff.example")
        .await;
    browser.fill_labelled("Password", PASSWORD).await;
    browser.click_button_to("Sign in", ".desk-nav").await;

    browser
        .click_to(
            "a[href='/desk/admin']",
            "a[href='/desk/admin/organisation']",
        )
        .await;
    browser.wait_for_text("active staff members").await;
    browser.check_accessibility("administration overview").await;
    browser.screenshot("admin-overview-desktop").await;

    // Staff: a refused form, then someone added and their link shown once.
    browser
        .click_to(
            ".tabs a[href='/desk/admin/staff']",
            "form[action='/desk/admin/staff']",
        )
        .await;
    browser.check_accessibility("staff").await;
    browser.fill_labelled("Name", "Eve Lopez").await;
    browser
        .fill_labelled("Email address", "eve at example")
        .await;
    browser.select("#team", "Care").await;
    browser.fill_labelled("Authority limit", "12.345").await;
    browser.fill_labelled("Currency of the limit", "EUR").await;
    browser
        .click_button_to("Add them to the staff", "#problems")
        .await;
    browser.wait_for_text("Please check 2 things").await;
    browser.check_accessibility("staff, form refused").await;
    browser.screenshot("admin-staff-refused-desktop").await;
    browser
        .fill_labelled("Email address", "eve@staff.example")
        .await;
    browser.fill_labelled("Authority limit", "50").await;
    browser
        .click_button_to("Add them to the staff", "#shown-value")
        .await;
    browser.wait_for_text("Eve Lopez is on the staff.").await;
    browser
        .check_accessibility("staff member, password link shown")
        .await;
    browser.screenshot("admin-staff-member-desktop").await;
    let link = browser
        .find("#shown-value")
        .await
        .text()
        .await
        .expect("the link");

    browser
        .click_to(
            ".tabs a[href='/desk/admin/teams']",
            "form[action='/desk/admin/teams']",
        )
        .await;
    browser.check_accessibility("teams").await;
    browser.screenshot("admin-teams-desktop").await;

    browser
        .click_to(
            ".tabs a[href='/desk/admin/root-causes']",
            "form[action='/desk/admin/root-causes']",
        )
        .await;
    browser.check_accessibility("root causes").await;
    browser.screenshot("admin-root-causes-desktop").await;

    browser
        .click_to(
            ".tabs a[href='/desk/admin/organisation']",
            "form[action='/desk/admin/organisation']",
        )
        .await;
    browser.check_accessibility("organisation").await;
    browser
        .fill_labelled(
            "Within how many days every customer hears from a person",
            "soon",
        )
        .await;
    browser.click_button_to("Save the texts", "#problems").await;
    browser.wait_for_text("whole number of days").await;
    browser
        .check_accessibility("organisation, form refused")
        .await;
    browser.screenshot("admin-organisation-desktop").await;

    // The mail to customers: a text with a variable the mail is not given is refused.
    browser
        .click_to(
            ".tabs a[href='/desk/admin/mail']",
            "#mail-acknowledgement-en",
        )
        .await;
    browser.check_accessibility("mail to customers").await;
    browser
        .fill("#mail-acknowledgement-en", "{ $greeting } { $proposal }")
        .await;
    browser
        .click_button_to("Save “The acknowledgement” (English)", "#problems")
        .await;
    browser.wait_for_text("is not given { $proposal }").await;
    browser
        .check_accessibility("mail to customers, text refused")
        .await;
    browser.screenshot("admin-mail-desktop").await;

    // Eve sets her password from the link (a fresh browser: nobody signed in).
    browser.close().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    browser.goto(&link).await;
    browser.wait_for_text("Welcome, Eve Lopez.").await;
    browser.check_accessibility("set your password").await;
    browser.screenshot("admin-set-password-desktop").await;
    browser.fill("#password", PASSWORD).await;
    browser.fill("#confirm_password", PASSWORD).await;
    browser
        .click_button_to("Save my password and sign in", ".desk-nav")
        .await;
    browser.wait_for_text("Eve Lopez").await;

    // An agent asking for the administration: a plain 403 page.
    browser.goto(&format!("{site}/desk/admin/staff")).await;
    browser
        .wait_for_text("Only administrators can open this page")
        .await;
    browser.check_accessibility("administration refused").await;
    browser.close().await;
}
