//! The front door and language: every channel and the promise from configuration, pages in
//! the language the browser asks for or the switch chose, and the customer's language
//! remembered on the case for every later page and message.

use super::visitor::Visitor;
use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_front_door_lists_every_channel_and_the_promise_from_configuration() {
    let app = TestApp::sqlite_with(
        r#"
[organisation]
name = "Northwind Rail"
care_team = "the Northwind care team"
first_response_days = 3
email = "care@northwind.example"
phone = "+44 20 7946 0000"
opening_hours = ["Monday to Friday, 8:00 to 20:00", "Saturday, 9:00 to 13:00"]
postal_address = "Northwind Rail\n1 Station Road\nYork"
products = ["Season ticket", "Delay repay"]
"#,
    )
    .await;
    let mut visitor = Visitor::new(&app);
    let page = visitor.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Northwind Rail",
        "href=\"/complain\"",
        "mailto:care@northwind.example",
        "tel:+442079460000",
        "Monday to Friday, 8:00 to 20:00",
        "1 Station Road",
        "The Northwind care team reads what you send and answers you personally within 3 days",
    ] {
        assert!(
            page.html.contains(expected),
            "{expected} missing: {}",
            page.html
        );
    }
    // The form offers the configured list.
    let form = visitor.get("/complain").await;
    assert!(
        form.html
            .contains("<option value=\"Delay repay\">Delay repay</option>")
    );

    // In Spanish when the browser asks for it; the choice of the switch is remembered.
    visitor.language = Some("es-ES,es;q=0.9");
    let page = visitor.get("/").await;
    assert!(page.html.contains("<html lang=\"es\">"));
    assert!(page.html.contains("Cómo contactarnos"));
    visitor.language = None;
    let page = visitor.get("/?lang=es").await;
    assert!(page.html.contains("Cómo contactarnos"));
    let page = visitor.get("/complain").await;
    assert!(page.html.contains("Cuéntenos qué pasó"));

    // Unknown pages are pages; unknown API paths stay JSON.
    let missing = visitor.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("<html"));
    let (status, body) = app.get("/no-such-endpoint", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_language_is_remembered_on_the_case() {
    let app = TestApp::sqlite().await;
    let mut visitor = Visitor::new(&app);
    visitor.language = Some("es");
    let page = visitor
        .complain(
            &[
                ("what_happened", "El tren llegó tarde"),
                ("email", "ana@example.com"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let received_path = page.location();
    let track_path = received_path
        .split("/received")
        .next()
        .expect("path")
        .to_owned();

    // Another browser with no preference of its own opens the link: Spanish, from the case.
    let mut elsewhere = Visitor::new(&app);
    let page = elsewhere.get(&track_path).await;
    assert!(page.html.contains("<html lang=\"es\">"), "{}", page.html);
    assert!(page.html.contains("Lo hemos recibido"));

    // The customer replies from the page; the reply is on the timeline.
    let csrf = page.field("csrf");
    let res = elsewhere
        .post_form(
            &format!("{track_path}/reply"),
            &[("csrf", &csrf), ("body", "¿Alguna novedad?")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.html);
    let page = elsewhere.get(&res.location()).await;
    assert!(page.html.contains("Su mensaje está en su caso"));
    assert!(page.html.contains("¿Alguna novedad?"));

    // An empty reply comes back with the problem beside the box.
    let res = elsewhere
        .post_form(
            &format!("{track_path}/reply"),
            &[("csrf", &csrf), ("body", "  ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.html.contains("id=\"body-problem\""));

    // The API's acknowledgement speaks the customer's language too, from the same catalogue.
    let sub = app
        .complain(json!({ "what_happened": "Mi maleta no llegó", "email": "ana@example.com", "language": "es" }))
        .await;
    let message = sub["acknowledgement"]["message"].as_str().expect("message");
    assert!(message.starts_with("Hemos recibido su queja"), "{message}");
    assert!(
        message.contains("Nos contó: «Mi maleta no llegó»"),
        "{message}"
    );
    assert!(
        message.contains("El equipo de atención al cliente lo estudiará"),
        "{message}"
    );
}
