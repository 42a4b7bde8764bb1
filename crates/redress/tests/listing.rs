//! Finding cases: filters, full-text search in the customer's words, and pages.

use crate::helpers::{TestApp, today_plus};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;

crate::on_both_backends!(filters_and_pages);

async fn filters_and_pages(app: TestApp) {
    let (agent_id, agent) = app.staff("Jo", "agent", None).await;
    let mut refs = Vec::new();
    for i in 0..7 {
        let sub = app
            .complain(json!({ "what_happened": format!("Complaint number {i} about the blue kettle"), "email": format!("c{i}@example.com") }))
            .await;
        refs.push(sub["reference"].as_str().expect("ref").to_owned());
    }
    let question = app
        .complain(json!({ "kind": "inquiry", "what_happened": "Do you ship to Norway?", "email": "q@example.com" }))
        .await;
    // One case assigned; one needed today (not yet overdue). Past dates are covered by the
    // store's conformance suite, since the API refuses them from customers.
    let first = app.case_id(&json!({ "reference": refs[0] }), &agent).await;
    app.post(
        &format!("/cases/{first}/assign"),
        Some(&agent),
        json!({ "owner_id": agent_id }),
    )
    .await;
    app.complain(json!({ "what_happened": "Due today", "email": "due@example.com", "needed_by": today_plus(0) })).await;

    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["reference"].as_str().unwrap_or("").to_owned())
            .collect()
    };

    let (s, all) = app.get("/cases", Some(&agent)).await;
    assert_eq!(s, StatusCode::OK, "{all}");
    assert_eq!(ids(&all).len(), 9);
    // Newest first.
    assert_eq!(ids(&all)[8], refs[0]);

    let (_, inquiries) = app.get("/cases?kind=inquiry", Some(&agent)).await;
    assert_eq!(
        ids(&inquiries),
        [question["reference"].as_str().expect("ref")]
    );
    let (_, mine) = app.get("/cases?owner=me", Some(&agent)).await;
    assert_eq!(ids(&mine), [refs[0].clone()]);
    assert_eq!(mine["cases"][0]["owner"]["name"], "Jo");
    let (_, unassigned) = app.get("/cases?owner=none", Some(&agent)).await;
    assert_eq!(ids(&unassigned).len(), 8);
    let (_, kettles) = app.get("/cases?q=BLUE%20kettle", Some(&agent)).await;
    assert_eq!(ids(&kettles).len(), 7);
    let (_, kettle3) = app.get("/cases?q=kettle%20number%203", Some(&agent)).await;
    assert_eq!(ids(&kettle3), [refs[3].clone()]);
    let (s, odd) = app
        .get("/cases?q=%22kettle%20*%20-(%3A", Some(&agent))
        .await;
    assert_eq!(
        s,
        StatusCode::OK,
        "search syntax in user input must not error: {odd}"
    );
    let (_, news) = app
        .get("/cases?status=new,acknowledged", Some(&agent))
        .await;
    assert_eq!(ids(&news).len(), 9);
    let (_, overdue) = app.get("/cases?overdue=true", Some(&agent)).await;
    assert_eq!(ids(&overdue).len(), 0, "due today is not overdue");

    // Pages of 4 visit every case exactly once.
    let mut seen = Vec::new();
    let mut after = String::new();
    loop {
        let (s, page) = app
            .get(&format!("/cases?limit=4&after={after}"), Some(&agent))
            .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        seen.extend(ids(&page));
        match page["next"].as_str() {
            Some(next) => after = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen.len(), 9);
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), 9);

    for bad in [
        "/cases?status=lost",
        "/cases?limit=0",
        "/cases?limit=1000",
        "/cases?owner=someone",
        "/cases?after=xyz",
        "/cases?colour=red",
    ] {
        let (s, err) = app.get(bad, Some(&agent)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {err}");
    }
}
