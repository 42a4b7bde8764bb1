//! The whole life of a complaint in a real browser, in English on a desktop and in Spanish on a
//! phone: the front door, the form, the Received page, the case page, a reply, a proposal
//! accepted, and a follow-up whose "no" reopens the case.

use super::texts::{ENGLISH, SPANISH, Texts};
use super::{
    assert_reference, attribute, photo_file, shown, staff_case, text_content, texts, timeline,
    value,
};
use crate::browser::{Browser, origin};
use crate::helpers::{TestApp, today_plus};
use crate::pages::PNG;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_from_the_front_door_to_a_reopened_case_in_english_on_a_desktop() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    complaint_journey(&app, &browser, &ENGLISH).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complaint_from_the_front_door_to_a_reopened_case_in_spanish_on_a_phone() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::with_language("es").phone().await else {
        return;
    };
    complaint_journey(&app, &browser, &SPANISH).await;
    browser.close().await;
}

/// The whole journey, with every text in `t`'s language.
async fn complaint_journey(app: &TestApp, browser: &Browser, t: &Texts) {
    let (_, staff) = app.staff("Ana Agent", "agent", None).await;
    let shot = |page: &str| format!("{page}-{}", t.suffix);

    // The front door.
    browser.goto(&format!("{}/", origin(app))).await;
    assert_eq!(shown(browser, "h1").await, t.reach_title);
    browser.check_accessibility("how to reach us").await;
    browser.screenshot(&shot("reach-us")).await;

    // Its main call to action leads to the form (the footer links there too: the card's button
    // is the one a customer sees first).
    browser
        .click_to(
            "section[aria-labelledby=form-heading] a",
            "form[action='/complain']",
        )
        .await;
    assert!(browser.current_url().await.ends_with("/complain"));
    assert_eq!(shown(browser, "h1").await, t.complain_title);
    browser.check_accessibility("the form").await;

    let needed_by = today_plus(20);
    let photo = photo_file("broken-kettle.png");
    browser.fill_labelled(t.what_happened_label, t.words).await;
    browser
        .fill_labelled(t.make_it_right_label, t.make_it_right)
        .await;
    browser.fill_labelled(t.needed_by_label, &needed_by).await;
    browser
        .fill_labelled(t.email_label, "zoe@example.com")
        .await;
    browser.choose_file("#attachments", &photo.path).await;
    // What was typed is what the fields hold (an emoji or a new line lost in typing would make
    // every later comparison meaningless).
    assert_eq!(value(browser, "#what_happened").await, t.words);
    assert_eq!(value(browser, "#needed_by").await, needed_by);
    browser.screenshot(&shot("complain-filled")).await;

    // The Received page: a personal acknowledgement, not a ticket number.
    browser.click_button_to(t.send, "#reference").await;
    assert!(
        browser.current_url().await.contains("/received"),
        "{}",
        browser.current_url().await
    );
    assert_eq!(shown(browser, "h1").await, t.received_title);
    let reference = shown(browser, "#reference").await;
    assert_reference(&reference);
    // The customer's own words, exactly: the markup characters as text, the new lines kept.
    assert_eq!(text_content(browser, "#words").await, t.words);
    assert_eq!(text_content(browser, "#desired").await, t.make_it_right);
    assert_eq!(
        shown(browser, "#needed-by").await,
        t.received_needed_by.replace("{date}", &t.date(&needed_by))
    );
    let case = staff_case(app, &reference, &staff).await;
    let respond_by = case["respond_by"].as_str().expect("a date to answer by");
    assert_eq!(
        shown(browser, "#who").await,
        t.received_who.replace("{date}", &t.date(respond_by))
    );
    let files = texts(browser, ".acknowledgement .files a").await;
    assert_eq!(files, ["broken-kettle.png"]);
    let page = browser.text().await;
    assert!(
        !page.to_lowercase().contains("inquiry"),
        "a complaint is never an inquiry:\n{page}"
    );
    browser.check_accessibility("received").await;
    browser.screenshot(&shot("received")).await;

    // What the browser sent is what the case holds: the words as typed, the date, the language,
    // the photo byte for byte. Browsers send a textarea's new lines as CR LF; the form handler
    // turns them back into the customer's plain new lines, as the API and email keep them.
    assert_eq!(case["words"], t.words, "{case}");
    assert_eq!(case["needed_by"], needed_by.as_str());
    assert_eq!(case["language"], t.lang, "{case}");
    let id = case["id"].as_str().expect("id").to_owned();
    let (status, detail) = app.get(&format!("/cases/{id}"), Some(&staff)).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["case"]["language"], t.lang, "{detail}");
    let file_href = attribute(browser, ".acknowledgement .files a", "href").await;
    let download = reqwest::get(format!("{}{file_href}", origin(app)))
        .await
        .expect("download the photo");
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PNG);

    // The private link leads to the case page.
    browser.click_to("#tracking-link", "#reply").await;
    let track_url = browser.current_url().await;
    assert!(
        track_url.contains("/track/") && !track_url.contains("/received"),
        "{track_url}"
    );
    assert_eq!(
        shown(browser, "h1").await,
        format!("{} {reference}", t.track_title)
    );
    assert_eq!(shown(browser, "#status").await, t.status_new);
    assert_eq!(text_content(browser, "#words").await, t.words);
    browser.check_accessibility("the case page").await;
    browser.screenshot(&shot("track")).await;

    // A reply through the box lands on the case's story.
    browser.fill_labelled(t.reply_label, t.reply).await;
    browser.click_to("#send-reply", "#done").await;
    assert_eq!(shown(browser, "#done").await, t.done_reply);
    let story = timeline(browser).await;
    assert!(
        story.contains(&(
            t.by_you.to_owned(),
            t.event_message_from_customer.to_owned(),
            Some(t.reply.to_owned())
        )),
        "the reply is not on the timeline: {story:?}"
    );
    browser
        .check_accessibility("the case page after a reply")
        .await;
    browser.screenshot(&shot("track-replied")).await;

    // Staff look into it and propose a resolution (a new case must be investigated first).
    for (action, body) in [
        ("investigate", json!({})),
        ("resolution", json!({ "summary": t.proposal })),
    ] {
        let (status, answer) = app
            .post(&format!("/cases/{id}/{action}"), Some(&staff), body)
            .await;
        assert_eq!(status, StatusCode::OK, "{action}: {answer}");
    }

    // The customer reloads their page: the proposal, and a way to answer it.
    browser.goto(&track_url).await;
    browser.wait_for("#resolution").await;
    assert_eq!(
        shown(browser, "#resolution-heading").await,
        t.resolution_heading
    );
    assert_eq!(
        text_content(browser, "#resolution blockquote").await,
        t.proposal
    );
    assert_eq!(shown(browser, "#status").await, t.status_proposed);
    browser
        .check_accessibility("the case page with a proposal")
        .await;
    browser.screenshot(&shot("proposal")).await;

    // Accepted: resolved, and the follow-up questions are asked.
    browser.click_to("#accept", "#follow-up").await;
    assert_eq!(shown(browser, "#done").await, t.done_accept);
    assert_eq!(shown(browser, "#status").await, t.status_resolved);
    assert_eq!(
        shown(browser, "#follow-up-heading").await,
        t.follow_up_heading
    );
    assert!(
        browser
            .client()
            .find(fantoccini::Locator::Css("#resolution"))
            .await
            .is_err(),
        "an accepted proposal is not asked about again"
    );
    browser.check_accessibility("the follow-up").await;
    browser.screenshot(&shot("follow-up")).await;

    // A "no" to one question reopens the case.
    browser.click("#went_as_expected-yes").await;
    browser.click("#delivered_as_promised-no").await;
    browser.click("#met_expectations-yes").await;
    browser.click("#satisfaction-2").await;
    browser.fill("#comments", t.comment).await;
    // The page being left says "done" too (the acceptance): only the next page's counts.
    browser.click_to("#send-follow-up", "#done").await;
    assert_eq!(shown(browser, "#done").await, t.done_reopened);
    assert_eq!(shown(browser, "#status").await, t.status_reopened);
    let story = timeline(browser).await;
    assert!(
        story.contains(&(
            t.by_you.to_owned(),
            t.event_follow_up_answered.to_owned(),
            Some(t.comment.to_owned())
        )),
        "the follow-up is not on the timeline: {story:?}"
    );
    browser.check_accessibility("the reopened case").await;
    browser.screenshot(&shot("reopened")).await;

    // And staff see exactly what was answered.
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&staff)).await;
    assert_eq!(detail["case"]["status"], "reopened", "{detail}");
    let answered = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["type"] == "follow_up_answered")
        .unwrap_or_else(|| panic!("no follow-up on the timeline: {detail}"));
    assert_eq!(answered["went_as_expected"], true, "{answered}");
    assert_eq!(answered["delivered_as_promised"], false, "{answered}");
    assert_eq!(answered["met_expectations"], true, "{answered}");
    assert_eq!(answered["satisfaction"], 2, "{answered}");
    assert_eq!(answered["comments"], t.comment, "{answered}");
}
