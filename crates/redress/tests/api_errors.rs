//! Bad input gets a clear error naming the field, and nothing is written.

use crate::helpers::{TestApp, fields, today_plus};
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    invalid_intake_names_each_field_and_writes_nothing,
    malformed_and_oversize_bodies,
    text_is_stored_exactly_and_never_interpreted,
    invalid_transitions_are_explained,
    returning_customer_is_recognised,
    inputs_found_by_fuzzing,
);

async fn invalid_intake_names_each_field_and_writes_nothing(app: TestApp) {
    let (_, agent) = app.staff("Di", "agent", None).await;
    let (s, err) = app
        .post(
            "/cases",
            None,
            json!({ "kind": "rant", "what_happened": "   ", "needed_by": "next week", "email": "not-an-email", "preferred_channel": "pigeon" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(err["error"]["code"], "invalid_input");
    assert_eq!(
        fields(&err),
        [
            "kind",
            "what_happened",
            "needed_by",
            "email",
            "preferred_channel"
        ],
        "{err}"
    );
    // No way to reach the customer.
    let (s, err) = app
        .post("/cases", None, json!({ "what_happened": "x" }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&err), ["email"]);
    // A date in the past (yesterday in UTC may still be today somewhere: see below).
    let (s, err) = app
        .post("/cases", None, json!({ "what_happened": "x", "phone": "+44 20 7946 0000", "needed_by": today_plus(-2) }))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&err), ["needed_by"]);
    // Fields that do not exist are refused by name (no mass assignment of status, owner...).
    let (s, err) = app
        .post(
            "/cases",
            None,
            json!({ "what_happened": "x", "email": "a@b.example", "status": "closed" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(fields(&err), ["status"]);
    // A wrong JSON type names the field.
    let (s, err) = app
        .post(
            "/cases",
            None,
            json!({ "what_happened": 42, "email": "a@b.example" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    assert_eq!(fields(&err), ["what_happened"]);

    assert_eq!(
        app.count_cases(&agent).await,
        0,
        "a refused request wrote something"
    );
}

async fn malformed_and_oversize_bodies(app: TestApp) {
    let (_, agent) = app.staff("Ed", "agent", None).await;
    let url = format!("{}/cases", app.base);
    let res = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"what_happened\": \"unterminated")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "malformed_json");

    // Trailing data after the object is malformed too, not silently ignored.
    let res = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"what_happened": "x", "email": "t@example.com"} {"again": 1}"#)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    let res = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("what_happened=x")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let huge = "x".repeat(redress_web::MAX_BODY_BYTES + 10);
    let res = app
        .client
        .post(&url)
        .json(&json!({ "what_happened": huge, "email": "big@example.com" }))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);

    // Within the body limit but over the text limit: a field error.
    let long = "y".repeat(20_001);
    let (s, err) = app
        .post(
            "/cases",
            None,
            json!({ "what_happened": long, "email": "big@example.com" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&err), ["what_happened"]);

    assert_eq!(app.count_cases(&agent).await, 0);
}

async fn text_is_stored_exactly_and_never_interpreted(app: TestApp) {
    let (_, agent) = app.staff("Flo", "agent", None).await;
    let words = "  <script>alert('x')</script> &amp; \"quotes\"\r\nمرحبا 🙂 e\u{301}\u{200d}\t\n";
    let sub = app.complain_as("exact@example.com", words).await;
    let id = app.case_id(&sub, &agent).await;
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    assert_eq!(detail["case"]["words"], words);
    let token = sub["tracking_token"].as_str().expect("token");
    let (_, view) = app.get(&format!("/track/{token}"), None).await;
    assert_eq!(view["what_happened"], words);
    let res = app
        .client
        .get(format!("{}/track/{token}", app.base))
        .send()
        .await
        .expect("send");
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/json")
    );
}

async fn invalid_transitions_are_explained(app: TestApp) {
    let (_, agent) = app.staff("Gil", "agent", None).await;
    let sub = app
        .complain_as("tr@example.com", "Wrong size delivered.")
        .await;
    let id = app.case_id(&sub, &agent).await;
    let (s, err) = app
        .post(
            &format!("/cases/{id}/close"),
            Some(&agent),
            json!({ "root_cause": "product_defect" }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{err}");
    let msg = err["error"]["message"].as_str().expect("message");
    assert!(msg.contains("new") && msg.contains("acknowledged"), "{msg}");
    // An unknown root cause is a field error, listing the choices.
    app.post(
        &format!("/cases/{id}/decline"),
        Some(&agent),
        json!({ "reason": "We do not sell shoes." }),
    )
    .await;
    let (s, err) = app
        .post(
            &format!("/cases/{id}/close"),
            Some(&agent),
            json!({ "root_cause": "bad_luck" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        err["error"]["fields"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("outside_offering")
    );
    let (s, case) = app
        .post(
            &format!("/cases/{id}/close"),
            Some(&agent),
            json!({ "root_cause": "outside_offering" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    // Nothing changed by the refused attempts: received, declined, root cause, closed.
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    assert_eq!(
        detail["timeline"].as_array().map(Vec::len),
        Some(4),
        "{}",
        detail["timeline"]
    );
    // Unknown ids.
    let (s, _) = app
        .get("/cases/00000000-0000-7000-8000-000000000000", Some(&agent))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app.get("/cases/not-a-uuid", Some(&agent)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = app
        .post(
            &format!("/cases/{id}/commitments/not-an-id/kept"),
            Some(&agent),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn returning_customer_is_recognised(app: TestApp) {
    let (_, agent) = app.staff("Hal", "agent", None).await;
    let first = app.complain_as("Ret@Example.com", "First problem.").await;
    let second = app
        .complain(json!({ "what_happened": "Second problem.", "email": "ret@example.com", "phone": "+1 555 0100 200" }))
        .await;
    // The public answer never reveals that the address was known.
    assert_eq!(
        first.as_object().map(|o| o.len()),
        second.as_object().map(|o| o.len())
    );
    let id = app.case_id(&second, &agent).await;
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    let others = detail["other_cases"].as_array().expect("other cases");
    assert_eq!(others.len(), 1);
    assert_eq!(others[0]["reference"], first["reference"]);
    let phones = detail["customer"]["phones"].as_array().expect("phones");
    assert_eq!(phones.len(), 1, "the new phone joins the known customer");
    // Recognised by phone alone, written differently.
    let third = app
        .complain(json!({ "what_happened": "Third.", "phone": "+15550100200" }))
        .await;
    let id3 = app.case_id(&third, &agent).await;
    let (_, d3) = app.get(&format!("/cases/{id3}"), Some(&agent)).await;
    assert_eq!(d3["customer"]["id"], detail["customer"]["id"]);
    assert_eq!(d3["other_cases"].as_array().map(Vec::len), Some(2));
}

/// Regressions for what schemathesis and hand fuzzing found: every one is a clear JSON error
/// (or a correct success), never a 500 or an empty body.
async fn inputs_found_by_fuzzing(app: TestApp) {
    let (agent_id, agent) = app.staff("Nia", "agent", None).await;
    let sub = app.complain_as("fz@example.com", "The kettle leaks.").await;
    let id = app.case_id(&sub, &agent).await;

    // NUL in filters: a named field error, not a database error.
    for bad in ["/cases?q=kettle%00", "/cases?q=a%00b", "/cases?team=%00"] {
        let (s, err) = app.get(bad, Some(&agent)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {err}");
    }
    // A JSON array where an object belongs is refused, and writes nothing.
    let res = app
        .client
        .post(format!("{}/cases", app.base))
        .header("content-type", "application/json")
        .body(r#"[null,"My order never arrived",null,null,null,null,null,"A","arr@example.com",null,null,null]"#)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(fields(&body), ["body"]);
    assert_eq!(app.count_cases(&agent).await, 1);
    // A path segment that is not UTF-8 names nothing: a JSON 404.
    let res = app
        .client
        .get(format!("{}/cases/%FF", app.base))
        .bearer_auth(&agent)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(
        res.json::<serde_json::Value>().await.is_ok(),
        "404 without a JSON body"
    );
    // Unknown endpoints and methods answer in the same error shape.
    let (s, body) = app.get("/nope", None).await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::NOT_FOUND, Some("not_found"))
    );
    let (s, body) = app
        .request(
            reqwest::Method::DELETE,
            &format!("/cases/{id}"),
            Some(&agent),
            None,
        )
        .await;
    assert_eq!(
        (s, body["error"]["code"].as_str()),
        (StatusCode::METHOD_NOT_ALLOWED, Some("method_not_allowed"))
    );
    // An action without fields needs no body and no headers; the bearer scheme is any case.
    let res = app
        .client
        .post(format!("{}/cases/{id}/investigate", app.base))
        .header("authorization", format!("BEARER {agent}"))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::OK);
    // Re-assigning to the current owner names the request's own field.
    app.post(
        &format!("/cases/{id}/assign"),
        Some(&agent),
        json!({ "owner_id": agent_id }),
    )
    .await;
    let (s, err) = app
        .post(
            &format!("/cases/{id}/assign"),
            Some(&agent),
            json!({ "owner_id": agent_id }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&err), ["owner_id"]);
    // The same address twice is one address; impossible years are refused.
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    let customer = detail["customer"]["id"]
        .as_str()
        .expect("customer")
        .to_owned();
    let path = format!("/customers/{customer}");
    let (s, c) = app
        .request(
            reqwest::Method::PATCH,
            &path,
            Some(&agent),
            Some(&json!({ "emails": ["fz@example.com", "FZ@example.com", "x@example.com"] })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["emails"], json!(["fz@example.com", "x@example.com"]));
    for year in ["-9999-01-01", "0000-01-01"] {
        let (s, err) = app
            .request(
                reqwest::Method::PATCH,
                &path,
                Some(&agent),
                Some(&json!({ "important_dates": [{ "label": "bday", "date": year }] })),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{year}");
        assert_eq!(fields(&err), ["important_dates[0].date"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yesterday_in_utc_is_still_today_west_of_greenwich() {
    let app = TestApp::sqlite().await;
    let (s, case) = app
        .post(
            "/cases",
            None,
            json!({ "what_happened": "x", "phone": "+44 20 7946 0000", "needed_by": today_plus(-1) }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{case}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn public_posts_from_one_address_are_limited_staff_posts_are_not() {
    let app = TestApp::sqlite_with("[web]\napi_posts_per_minute = 3\n").await;
    let (_, agent) = app.staff("Ana Agent", "agent", None).await;
    let mut last = serde_json::Value::Null;
    for i in 0..3 {
        last = app
            .complain_as("flood@example.com", &format!("case {i}"))
            .await;
    }
    // A customer's answer counts too: the fourth public post is refused, before it is read.
    let token = last["tracking_token"].as_str().expect("token");
    let res = app
        .client
        .post(format!("{}/track/{token}/messages", app.base))
        .json(&json!({ "body": "hello?" }))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((60..=120).contains(&retry), "{retry}");
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "rate_limited");
    // Staff work is not limited by the public budget.
    let id = app.case_id(&last, &agent).await;
    let (s, _) = app
        .post(&format!("/cases/{id}/investigate"), Some(&agent), json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(app.count_cases(&agent).await, 3);
}
