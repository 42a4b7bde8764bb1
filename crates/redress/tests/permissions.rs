//! Who may do what: staff need a valid token; customers reach only their own case; a wrong
//! tracking token reveals nothing.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    staff_endpoints_need_a_valid_token,
    tracking_tokens_reveal_nothing
);

async fn staff_endpoints_need_a_valid_token(app: TestApp) {
    let sub = app.complain_as("p@example.com", "Broken zip.").await;
    let token = sub["tracking_token"].as_str().expect("token");
    for path in ["/cases", "/me", "/staff", "/root-causes"] {
        let (s, body) = app.get(path, None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(body["error"]["code"], "unauthenticated");
        let (s, _) = app.get(path, Some("rdx_wrong")).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
        // A customer's tracking token is not a staff token.
        let (s, _) = app.get(path, Some(token)).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{path}");
    }
    let res = app
        .client
        .get(format!("{}/cases", app.base))
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    let (_, agent) = app.staff("Ivy", "agent", None).await;
    let (s, me) = app.get("/me", Some(&agent)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["role"], "agent");
    let (s, causes) = app.get("/root-causes", Some(&agent)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(causes.as_array().map(Vec::len), Some(10));
}

async fn tracking_tokens_reveal_nothing(app: TestApp) {
    let a = app.complain_as("a@example.com", "Case A").await;
    let b = app.complain_as("b@example.com", "Case B").await;
    let ta = a["tracking_token"].as_str().expect("token");
    let tb = b["tracking_token"].as_str().expect("token");
    assert_ne!(ta, tb);
    assert_ne!(a["reference"], b["reference"]);
    let (_, va) = app.get(&format!("/track/{ta}"), None).await;
    assert_eq!(va["what_happened"], "Case A");

    // A wrong token, a near miss, the reference itself: all the same plain 404.
    let last = if ta.ends_with('A') { 'E' } else { 'A' };
    let near_miss = format!("{}{last}", &ta[..ta.len() - 1]);
    assert_ne!(near_miss, ta);
    let reference = a["reference"].as_str().expect("reference").to_owned();
    let mut bodies = Vec::new();
    for wrong in ["nope", near_miss.as_str(), reference.as_str()] {
        let (s, body) = app.get(&format!("/track/{wrong}"), None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{wrong}");
        bodies.push(body);
        let (s, _) = app
            .post(
                &format!("/track/{wrong}/messages"),
                None,
                json!({ "body": "hi" }),
            )
            .await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "404 bodies differ: {bodies:?}"
    );

    // Replying on one case never touches the other.
    let (s, _) = app
        .post(
            &format!("/track/{tb}/messages"),
            None,
            json!({ "body": "Only for B" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, va) = app.get(&format!("/track/{ta}"), None).await;
    assert!(!va.to_string().contains("Only for B"));
    // A customer may not slip in a staff-only flag.
    let (s, _) = app
        .post(
            &format!("/track/{ta}/messages"),
            None,
            json!({ "body": "x", "await_customer": true }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}
