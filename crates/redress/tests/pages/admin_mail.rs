//! The mail templates reworded at `/desk/admin/mail`, over plain HTTP: an administrator's new
//! acknowledgement is what the next customer receives through a real relay (aiosmtpd on
//! loopback), and what another node writes within seconds; a text the mail cannot be worded
//! from (a variable it is not given, a brace left open) is refused beside its field with the
//! typed words kept; "back to the shipped text" brings the shipped words back. Agents and
//! supervisors are refused in `admin::agents_and_supervisors_get_403_from_every_page_and_form`.

use super::admin::member;
use super::visitor::{Page, Visitor, escaped};
use crate::customer_mail::{CONFIG, deliver};
use crate::helpers::TestApp;
use crate::mail_servers::Relay;
use reqwest::StatusCode;
use serde_json::json;
use std::time::Duration;

const PAGE: &str = "/desk/admin/mail";
const FIELD: &str = "mail-acknowledgement-en";

/// The text of the textarea with this id.
fn textarea(page: &Page, id: &str) -> String {
    let marker = format!("<textarea id=\"{id}\"");
    let at = page
        .html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} in {}", page.html));
    let start = at + page.html[at..].find(">\n").expect("tag end") + 2;
    let len = page.html[start..].find("</textarea>").expect("closing tag");
    page.html[start..start + len].to_owned()
}

async fn post(admin: &mut Visitor, csrf: &str, action: &str, text: &str) -> Page {
    let fields = [
        ("csrf", csrf),
        ("language", "en"),
        ("message", "mail-acknowledgement"),
        ("text", text),
        ("action", action),
    ];
    admin.post_form(PAGE, &fields).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_rewords_the_acknowledgement_the_next_customer_receives() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(CONFIG).await;
    let other = app.second_node().await;
    let (_, admin_email, _) = member(&app, "Ada Admin", "admin").await;
    let mut admin = Visitor::signed_in(&app, &admin_email).await;

    let organisation = admin.get("/desk/admin/organisation").await;
    assert!(
        organisation.html.contains("href=\"/desk/admin/mail\""),
        "in the admin's navigation"
    );
    let page = admin.get(PAGE).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let shipped = textarea(&page, FIELD);
    assert!(
        shipped.starts_with("{ $greeting }\n\n{ $acknowledgement }"),
        "{shipped}"
    );
    assert!(
        page.html.contains("<code>{ $acknowledgement }</code>"),
        "its variables"
    );
    assert!(
        page.html.contains("Sent as soon as a case arrives"),
        "when it is sent"
    );
    assert!(
        page.html.contains("Dear Kim Lee,"),
        "a preview with sample values"
    );
    assert!(textarea(&page, "mail-acknowledgement-es").contains("Su enlace privado"));
    let csrf = page.field("csrf");

    // A variable this mail is not given: refused beside the field, the typed words kept.
    let typed = "{ $greeting }\n\nThank you <b>&</b> { $proposal }\n\n{ $link }";
    let refused = post(&mut admin, &csrf, "save", typed).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains(&format!("id=\"{FIELD}-problem\"")),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("is not given { $proposal }"),
        "{}",
        refused.html
    );
    assert_eq!(
        textarea(&refused, FIELD),
        escaped(typed),
        "kept, and escaped"
    );
    assert!(
        refused.html.contains(&format!("href=\"#{FIELD}\"")),
        "the summary points at it"
    );
    // A brace left open.
    let typed = "{ $greeting\n\nThank you.";
    let refused = post(&mut admin, &csrf, "save", typed).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("needs its"), "{}", refused.html);
    assert_eq!(textarea(&refused, FIELD), escaped(typed));
    assert_eq!(app.store.mail_templates().await.expect("templates"), []);

    // Saved: the next customer's acknowledgement is worded with it.
    let words = "{ $greeting }\n\nWe at Riverside thank you for writing to us.\n\n\
                 { $acknowledgement }\n\nYour case: { $link }\n\n{ $signature }";
    let saved = post(&mut admin, &csrf, "save", words).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = admin.get(&saved.location()).await;
    assert!(
        page.html
            .contains("Mail in English is worded with the new text now.")
    );
    assert_eq!(textarea(&page, FIELD), words);
    assert!(page.html.contains("Changed on"));
    assert!(
        page.html.contains("We at Riverside thank you"),
        "the preview too"
    );
    assert!(
        textarea(&page, "mail-acknowledgement-es").contains("Su enlace privado"),
        "Spanish keeps its own"
    );

    app.complain(json!({
        "what_happened": "The heater in room 12 broke on Monday.",
        "email": "kim@customer.test",
        "name": "Kim Lee",
    }))
    .await;
    let received = deliver(&app, &relay, 1).await;
    let ack = redress_mail::read(&received[0].raw);
    assert!(
        ack.text
            .starts_with("Dear Kim Lee,\n\nWe at Riverside thank you for writing to us."),
        "{}",
        ack.text
    );
    assert!(
        ack.text
            .contains("“The heater in room 12 broke on Monday.”"),
        "{}",
        ack.text
    );
    assert!(ack.text.contains("Your case: http://"), "{}", ack.text);
    assert!(!ack.text.contains("Your private link"), "{}", ack.text);

    // Another node words its mail with it within seconds.
    let mut seen = false;
    for _ in 0..50 {
        Visitor::new(&other).get("/").await;
        let words = other
            .app()
            .customer_words(Some("en"))
            .format("mail-acknowledgement", &[]);
        if words.contains("We at Riverside") {
            seen = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen, "the second node serves the saved text");

    // Back to the shipped text.
    let reset = post(&mut admin, &csrf, "reset", "").await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.html);
    let page = admin.get(&reset.location()).await;
    assert!(
        page.html
            .contains("Mail in English is worded with the shipped text again.")
    );
    assert_eq!(textarea(&page, FIELD), shipped);
    assert_eq!(app.store.mail_templates().await.expect("templates"), []);
    app.complain(json!({
        "what_happened": "The lift was out of order all week.",
        "email": "lou@customer.test",
    }))
    .await;
    let received = deliver(&app, &relay, 2).await;
    let ack = redress_mail::read(&received[1].raw);
    assert!(ack.text.contains("Your private link"), "{}", ack.text);
    assert!(!ack.text.contains("We at Riverside"), "{}", ack.text);
}
