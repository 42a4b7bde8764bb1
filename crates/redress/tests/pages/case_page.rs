//! The customer's case page: the tracking link as the only key to it, a wrong link revealing
//! nothing, and only the customer's side of the case shown.

use super::visitor::Visitor;
use crate::helpers::{TestApp, today_plus};
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    the_tracking_link_is_the_only_key,
    the_case_page_shows_the_customer_side_only
);

async fn the_tracking_link_is_the_only_key(app: TestApp) {
    let sub = app.complain_as("lee@example.com", "Lost my parcel").await;
    let token = sub["tracking_token"].as_str().expect("token");
    let mut visitor = Visitor::new(&app);
    let page = visitor.get(&format!("/track/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Lost my parcel"));

    // A well-formed unknown token, a malformed one and a truncated one look exactly alike.
    let unknown = visitor
        .get("/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    let malformed = visitor.get("/track/%3Cscript%3E").await;
    let truncated = visitor.get(&format!("/track/{}", &token[..20])).await;
    for p in [&unknown, &malformed, &truncated] {
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        assert_eq!(p.html, unknown.html, "a wrong link reveals nothing");
        assert!(!p.html.contains("<script>"));
    }
    // The path is never echoed into a link: //elsewhere cannot become an off-site link.
    let odd = visitor.get("//evil.example/x").await;
    assert_eq!(odd.status, StatusCode::NOT_FOUND);
    assert!(!odd.html.contains("evil.example"), "{}", odd.html);
    let reply = visitor
        .post_form(
            "/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/reply",
            &[("csrf", &page.field("csrf")), ("body", "hello")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

async fn the_case_page_shows_the_customer_side_only(app: TestApp) {
    let (agent_id, agent) = app.staff("Ana Agent", "agent", Some("100")).await;
    let sub = app.complain_as("lee@example.com", "The heater broke").await;
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let id = app.case_id(&sub, &agent).await;
    let act = |path: &str, body: serde_json::Value| {
        let path = format!("/cases/{id}{path}");
        let agent = agent.clone();
        let app = &app;
        async move {
            let (s, res) = app.post(&path, Some(&agent), body).await;
            assert_eq!(s, StatusCode::OK, "{path}: {res}");
        }
    };
    act("/assign", json!({ "owner_id": agent_id })).await;
    act(
        "/acknowledge",
        json!({ "message": "I'm Ana; I will get the heater fixed.", "respond_by": today_plus(1) }),
    )
    .await;
    act("/notes", json!({ "body": "SECRET-NOTE boiler logs" })).await;
    act(
        "/operations-views",
        json!({ "department": "Maintenance", "question": "SECRET-QUESTION was it reported?" }),
    )
    .await;
    act(
        "/commitments",
        json!({ "what": "Send an engineer", "how": "Booked for the morning", "due": today_plus(2) }),
    )
    .await;
    act(
        "/remedies",
        json!({ "kind": "goodwill", "description": "A free breakfast", "amount": "12.00", "currency": "EUR" }),
    )
    .await;

    let mut visitor = Visitor::new(&app);
    let page = visitor.get(&format!("/track/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Looked after by Ana Agent",
        "I&#39;m Ana; I will get the heater fixed.",
        "Send an engineer",
        "As a gesture of goodwill",
        "A free breakfast",
    ] {
        assert!(page.html.contains(shown), "{shown} missing: {}", page.html);
    }
    for hidden in ["SECRET-NOTE", "SECRET-QUESTION", "Maintenance"] {
        assert!(
            !page.html.contains(hidden),
            "{hidden} leaked to the customer"
        );
    }
    // The page needs its HTML, one stylesheet and one small script: nothing else.
    assert_eq!(page.html.matches("<link rel=\"stylesheet\"").count(), 1);
    assert_eq!(page.html.matches("<script").count(), 1);
    assert!(!page.html.contains("<img"));
    assert!(
        !page.html.contains(" style=\""),
        "no inline styles (the CSP forbids them)"
    );
}
