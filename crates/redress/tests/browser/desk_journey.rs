//! A complaint worked at the desk in a real browser, from the queue to its root cause: an agent
//! picks it up, replies, asks operations and records their answer, commits to a date, offers
//! restitution and a goodwill gesture beyond their authority; a supervisor finds it in their
//! queue and approves it; the agent, told so in "waiting for you", proposes a resolution; the
//! customer accepts through the API; the agent closes it with a root cause and hands it over to
//! a colleague, who reads the handover note and the whole story. Every page is checked with axe
//! and the queue and case pages are photographed.

use crate::browser::{Browser, origin};
use crate::helpers::{TestApp, today_plus};
use fantoccini::key::Key;
use reqwest::StatusCode;
use serde_json::json;

const PASSWORD: &str = "correct horse battery staple";

async fn staff(app: &TestApp, name: &str, role: &str, limit: Option<&str>) -> String {
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let (member, _) = app
        .app()
        .add_staff(name, &email, role, Some("Care"), limit.map(|l| (l, "EUR")))
        .await
        .expect("add staff");
    app.app()
        .set_password_for(member.id, PASSWORD)
        .await
        .expect("password");
    email
}

async fn sign_in(browser: &Browser, app: &TestApp, email: &str, ready: &str) {
    browser.goto(&format!("{}/desk", origin(app))).await;
    browser.wait_for("form[action='/desk/sign-in']").await;
    browser.fill_labelled("Email address", email).await;
    browser.fill_labelled("Password", PASSWORD).await;
    browser.click_button_to("Sign in", ready).await;
}

async fn sign_out(browser: &Browser) {
    browser
        .click_button_to("Sign out", "form[action='/desk/sign-in']")
        .await;
}

/// Opens the action box `id` (a `<details>`), fills it and sends it.
async fn send(browser: &Browser, box_id: &str, fields: &[(&str, &str)], button: &str) {
    browser.click(&format!("#{box_id} summary")).await;
    for (css, value) in fields {
        browser.fill(css, value).await;
    }
    browser.click_button_to(button, "#done").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_owns_a_complaint_from_the_queue_to_its_root_cause() {
    let app = TestApp::sqlite().await;
    let ana = staff(&app, "Ana Agent", "agent", Some("50")).await;
    let sue = staff(&app, "Sue Super", "supervisor", None).await;
    let ben = staff(&app, "Ben Colleague", "agent", None).await;
    let sub = app
        .complain(json!({
            "what_happened": "The heater in room 12 broke on Monday and nobody came, twice.",
            "what_would_make_it_right": "A working heater and something for the cold nights.",
            "needed_by": today_plus(5),
            "email": "kim@example.com",
            "name": "Kim Lee",
        }))
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let Some(browser) = Browser::desktop().await else {
        return;
    };

    // The agent finds it among the cases nobody owns and picks it up.
    sign_in(&browser, &app, &ana, "#unassigned").await;
    browser.wait_for_text(&reference).await;
    browser
        .click_to(&format!("#unassigned a[href$='{reference}']"), "#timeline")
        .await;
    browser
        .click_button_to("Pick up this case: I will own it", "#done")
        .await;
    browser.wait_for_text("The case is yours.").await;

    browser
        .fill_labelled(
            "Reply to the customer",
            "Kim, you told us the heater in room 12 broke and nobody came, twice. I am Ana, \
             I own your case now, and I will have it working by Friday.",
        )
        .await;
    browser.click_button_to("Send the reply", "#done").await;

    send(
        &browser,
        "operations-box",
        &[
            ("#department", "Maintenance"),
            ("#question", "Why did nobody come to room 12 on Monday?"),
        ],
        "Ask them",
    )
    .await;
    browser
        .fill(
            "#due-next textarea[name=answer]",
            "The job ticket was closed by mistake.",
        )
        .await;
    browser
        .click_button_to("Record their answer", "#done")
        .await;

    send(
        &browser,
        "commit-box",
        &[
            ("#what", "Fit a new heater in room 12"),
            ("#how", "Our engineer, with a call to Kim before"),
            ("#due", &today_plus(2)),
        ],
        "Make the commitment",
    )
    .await;
    browser.click("#remedy-box summary").await;
    browser.click("#remedy-restitution").await;
    browser.fill("#description", "A new heater").await;
    browser.fill("#amount", "40").await;
    browser.fill("#currency", "EUR").await;
    browser.click_button_to("Offer it", "#done").await;
    browser.click("#remedy-box summary").await;
    browser.click("#remedy-goodwill").await;
    browser
        .fill("#description", "Two nights' stay for the cold ones")
        .await;
    browser.fill("#amount", "180").await;
    browser.fill("#currency", "EUR").await;
    browser.click_button_to("Offer it", "#done").await;
    browser.wait_for_text("waiting for approval").await;
    browser.check_accessibility("desk case being worked").await;
    browser.screenshot("desk-case-worked-desktop").await;
    sign_out(&browser).await;

    // The supervisor finds the approval in their queue.
    sign_in(&browser, &app, &sue, "#approvals").await;
    browser
        .wait_for_text("Remedies waiting for your approval")
        .await;
    browser.check_accessibility("desk supervisor queues").await;
    browser.screenshot("desk-queue-supervisor-desktop").await;
    browser
        .click_to(&format!("#approvals a[href$='{reference}']"), "#timeline")
        .await;
    browser.click_button_to("Approve", "#done").await;
    browser
        .wait_for_text("The remedy is approved, and the customer can see it.")
        .await;
    sign_out(&browser).await;

    // Back to the owner, told that the supervisor decided.
    sign_in(&browser, &app, &ana, "#awaiting").await;
    browser
        .wait_for_text("A supervisor decided on a remedy.")
        .await;
    browser.check_accessibility("desk agent queues").await;
    browser.screenshot("desk-queue-agent-desktop").await;
    browser
        .click_to(&format!("#awaiting a[href$='{reference}']"), "#timeline")
        .await;
    send(
        &browser,
        "propose-box",
        &[(
            "#summary",
            "A new heater fitted on Wednesday, and two nights' stay on us.",
        )],
        "Propose it to the customer",
    )
    .await;

    // The customer accepts, through the API.
    let (status, body) = app
        .post(&format!("/track/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    browser
        .goto(&format!("{}/desk/cases/{reference}", origin(&app)))
        .await;
    browser.wait_for("#close-box[open]").await;
    browser
        .select("#root_cause", "A procedure that causes pain")
        .await;
    browser
        .fill(
            "#lesson",
            "A closed job ticket hides a guest still waiting: check reopened rooms daily.",
        )
        .await;
    browser.click_button_to("Close the case", "#done").await;
    browser
        .wait_for_text("The case is closed, with its root cause.")
        .await;

    // Handed over to a colleague, with a note.
    browser.click("#assign-box summary").await;
    browser.select("#owner_id", "Ben Colleague (Care)").await;
    browser
        .fill(
            "#handover_note",
            "Kim had two missed visits; heater replaced, stay granted. Call if she writes.",
        )
        .await;
    browser.click_button_to("Assign", "#done").await;
    sign_out(&browser).await;

    sign_in(&browser, &app, &ben, "#mine").await;
    browser
        .goto(&format!("{}/desk/cases/{reference}", origin(&app)))
        .await;
    browser.wait_for("#timeline").await;
    let story = browser.find("#timeline").await.text().await.expect("story");
    for expected in [
        "Handed over from Ana Agent to Ben Colleague",
        "Kim had two missed visits; heater replaced, stay granted.",
        "I am Ana, I own your case now",
        "Why did nobody come to room 12 on Monday?",
        "The job ticket was closed by mistake.",
        "Fit a new heater in room 12",
        "Two nights' stay for the cold ones",
        "Remedy approved",
        "A new heater fitted on Wednesday",
        "The customer accepted the resolution.",
        "check reopened rooms daily",
    ] {
        assert!(story.contains(expected), "{expected} missing from: {story}");
    }
    let owner = browser.find("#owner").await.text().await.expect("owner");
    assert_eq!(owner.trim(), "Ben Colleague");
    browser.check_accessibility("desk case handed over").await;
    browser.screenshot("desk-case-handed-over-desktop").await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_worked_by_keyboard_alone() {
    let app = TestApp::sqlite().await;
    let ana = staff(&app, "Ana Agent", "agent", None).await;
    let sub = app
        .complain_as("kim@example.com", "The lift is stuck.")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    sign_in(&browser, &app, &ana, "#unassigned").await;
    browser
        .goto(&format!("{}/desk/cases/{reference}", origin(&app)))
        .await;
    browser.wait_for("#timeline").await;
    browser.focus_page().await;
    // Tab along the page to the internal note's box, open it with Enter, write, send.
    let mut reached = false;
    for _ in 0..80 {
        browser.press(Key::Tab).await;
        let here = browser
            .execute(
                "const e = document.activeElement; \
                 return e.tagName === 'SUMMARY' ? e.parentElement.id : '';",
                vec![],
            )
            .await;
        if here == "note-box" {
            reached = true;
            break;
        }
    }
    assert!(reached, "the note's box is reached by Tab");
    browser.press(Key::Enter).await;
    browser.wait_for("#note-box[open]").await;
    browser.press(Key::Tab).await;
    browser.type_here("Engineer booked for 14:00.").await;
    browser.press(Key::Tab).await;
    browser.mark_leaving().await;
    browser.press(Key::Enter).await;
    browser.wait_for_next_page("#done").await;
    browser.wait_for_text("The note is on the case.").await;
    let story = browser.find("#timeline").await.text().await.expect("story");
    assert!(story.contains("Engineer booked for 14:00."), "{story}");
    browser.close().await;
}
