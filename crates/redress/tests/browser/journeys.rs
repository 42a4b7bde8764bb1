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
//! (`pages.rs`) already run on both backends.

use super::{Browser, origin};
use crate::helpers::{TestApp, today_plus};
use crate::pages::PNG;
use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::key::Key;
use reqwest::StatusCode;
use serde_json::{Value as Json, json};
use std::path::PathBuf;
use tempfile::TempDir;

/// What the pages say in one language, word for word from its catalogue, and the words the
/// customer types in it.
struct Texts {
    /// The case's language as the API records it.
    lang: &'static str,
    /// Appended to screenshot names: which device, which language.
    suffix: &'static str,
    months: [&'static str; 12],
    /// `date` in the catalogue, with `{d}`, `{m}` and `{y}`.
    date: &'static str,
    reach_title: &'static str,
    complain_title: &'static str,
    what_happened_label: &'static str,
    make_it_right_label: &'static str,
    needed_by_label: &'static str,
    email_label: &'static str,
    send: &'static str,
    received_title: &'static str,
    /// `received-needed-by`, with `{date}`.
    received_needed_by: &'static str,
    /// `received-who-team` for the default care team, with `{date}`.
    received_who: &'static str,
    track_title: &'static str,
    status_new: &'static str,
    reply_label: &'static str,
    by_you: &'static str,
    event_message_from_customer: &'static str,
    done_reply: &'static str,
    resolution_heading: &'static str,
    status_proposed: &'static str,
    done_accept: &'static str,
    status_resolved: &'static str,
    follow_up_heading: &'static str,
    event_follow_up_answered: &'static str,
    done_reopened: &'static str,
    status_reopened: &'static str,
    // What the customer and staff write.
    words: &'static str,
    make_it_right: &'static str,
    reply: &'static str,
    proposal: &'static str,
    comment: &'static str,
}

const ENGLISH: Texts = Texts {
    lang: "en",
    suffix: "desktop",
    months: [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    date: "{d} {m} {y}",
    reach_title: "How to reach us",
    complain_title: "Tell us what happened",
    what_happened_label: "What happened?",
    make_it_right_label: "What would make it right for you?",
    needed_by_label: "When do you need this resolved by?",
    email_label: "Email address",
    send: "Send",
    received_title: "We have your complaint, and we are sorry this happened",
    received_needed_by: "You need this resolved by {date}. We have noted that date and we work to it.",
    received_who: "The customer care team will look into it and answer you personally by {date}.",
    track_title: "Your case",
    status_new: "We have received it",
    reply_label: "Your message",
    by_you: "You",
    event_message_from_customer: "You wrote to us.",
    done_reply: "Your message is on your case. We will answer you personally.",
    resolution_heading: "What we propose",
    status_proposed: "We have proposed a way to put it right",
    done_accept: "Thank you. Your case is resolved; we will ask you shortly how it went.",
    status_resolved: "Resolved",
    follow_up_heading: "How did it go?",
    event_follow_up_answered: "You told us how it went.",
    done_reopened: "Thank you for telling us. We have reopened your case and will put it right.",
    status_reopened: "Reopened: we are working on it again",
    words: "The kettle I bought on Monday leaks from the base.\n\
            Water <everywhere> & the plug sparked 😱\n\
            \n\
            It is the second one this month.",
    make_it_right: "A kettle that works, & an apology <please>",
    reply: "The plug is black now too.\nShould I stop using the socket?",
    proposal: "A new kettle of a different model, delivered on Thursday, and a refund of the first.",
    comment: "The new kettle came a week late, but it works.",
};

const SPANISH: Texts = Texts {
    lang: "es",
    suffix: "phone-es",
    months: [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
    date: "{d} de {m} de {y}",
    reach_title: "Cómo contactarnos",
    complain_title: "Cuéntenos qué pasó",
    what_happened_label: "¿Qué pasó?",
    make_it_right_label: "¿Qué lo arreglaría para usted?",
    needed_by_label: "¿Para cuándo necesita que esté resuelto?",
    email_label: "Correo electrónico",
    send: "Enviar",
    received_title: "Hemos recibido su queja, y lamentamos lo ocurrido",
    received_needed_by: "Necesita que esté resuelto para el {date}. Hemos anotado esa fecha y trabajamos con ella.",
    // Left unconfigured, the team is named in the page's language.
    received_who: "El equipo de atención al cliente lo estudiará y le responderá personalmente antes del {date}.",
    track_title: "Su caso",
    status_new: "Lo hemos recibido",
    reply_label: "Su mensaje",
    by_you: "Usted",
    event_message_from_customer: "Nos escribió.",
    done_reply: "Su mensaje está en su caso. Le responderemos personalmente.",
    resolution_heading: "Lo que le proponemos",
    status_proposed: "Le hemos propuesto una forma de arreglarlo",
    done_accept: "Gracias. Su caso está resuelto; pronto le preguntaremos cómo fue.",
    status_resolved: "Resuelto",
    follow_up_heading: "¿Cómo fue?",
    event_follow_up_answered: "Nos contó cómo fue.",
    done_reopened: "Gracias por decírnoslo. Hemos vuelto a abrir su caso y lo arreglaremos.",
    status_reopened: "Reabierto: volvemos a trabajar en ello",
    words: "El hervidor que compré el lunes gotea por la base.\n\
            Agua <por todas partes> & el enchufe echó chispas 😱\n\
            \n\
            Es el segundo este mes. ¿Qué hago?",
    make_it_right: "Un hervidor que funcione, & una disculpa <por favor>",
    reply: "El enchufe también está negro.\n¿Dejo de usar la toma?",
    proposal: "Un hervidor nuevo de otro modelo, entregado el jueves, y el reembolso del primero.",
    comment: "El hervidor nuevo llegó una semana tarde, pero funciona.",
};

impl Texts {
    /// An ISO date (`2026-12-03`) as the pages write it (`3 December 2026`).
    fn date(&self, iso: &str) -> String {
        let date = time::Date::parse(
            iso,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .unwrap_or_else(|e| panic!("{iso:?} is not a date: {e}"));
        self.date
            .replace("{d}", &date.day().to_string())
            .replace("{m}", self.months[usize::from(u8::from(date.month())) - 1])
            .replace("{y}", &date.year().to_string())
    }
}

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
        .click("section[aria-labelledby=form-heading] a")
        .await;
    browser.wait_for("form[action='/complain']").await;
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
    browser.click_button(t.send).await;

    // The Received page: a personal acknowledgement, not a ticket number.
    browser.wait_for("#reference").await;
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
    browser.click("#tracking-link").await;
    browser.wait_for("#reply").await;
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
    browser.click("#send-reply").await;
    browser.wait_for("#done").await;
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
    browser.click("#accept").await;

    // Accepted: resolved, and the follow-up questions are asked.
    browser.wait_for("#follow-up").await;
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
    browser.click("#send-follow-up").await;
    browser.wait_for("#done").await;
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
    browser.click_button("Send").await;

    browser.wait_for("#problems").await;
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
    browser.click_button("Send").await;
    browser.wait_for("#reference").await;
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
    browser
        .client()
        .perform_actions(mouse)
        .await
        .expect("double-click Send");

    browser.wait_for("#reference").await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_tab_reaches_the_skip_link_and_focus_is_visible() {
    let app = TestApp::sqlite().await;
    let Some(browser) = Browser::desktop().await else {
        return;
    };
    browser.goto(&format!("{}/complain", origin(&app))).await;
    press(&browser, Key::Tab).await;
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
    press(&browser, Key::Enter).await;
    assert_eq!(active_element_id(&browser).await, "main");
    browser.close().await;
}

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

/// One key pressed and released, sent to whatever has focus (as a keyboard would).
async fn press(browser: &Browser, key: Key) {
    let key = char::from(key);
    let keyboard = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key });
    browser
        .client()
        .perform_actions(keyboard)
        .await
        .unwrap_or_else(|e| panic!("press a key: {e}"));
}
