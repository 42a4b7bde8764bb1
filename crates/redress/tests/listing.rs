//! Finding cases: filters, full-text search in the customer's words, and pages.

use crate::helpers::{TestApp, fields, today_plus};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashSet;

crate::on_both_backends!(filters_and_pages, queues_and_order);

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

/// The references of a list's cases, in order.
fn references(list: &serde_json::Value) -> Vec<String> {
    list["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|c| c["reference"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// The desk's queues through the API: what waits for me, oldest first, paged both ways, the
/// other queue filters, and each bad value refused by name.
async fn queues_and_order(app: TestApp) {
    let (jo_id, jo) = app.staff("Jo", "agent", None).await;
    let mut subs = Vec::new();
    for (i, product) in ["Room", "Spa", "Room", "Room", "Spa"].iter().enumerate() {
        subs.push(
            app.complain(json!({
                "what_happened": format!("Problem number {i}"),
                "email": format!("q{i}@example.com"),
                "product": product,
            }))
            .await,
        );
    }
    let reference = |i: usize| subs[i]["reference"].as_str().expect("ref").to_owned();
    let mut ids = Vec::new();
    for sub in &subs {
        ids.push(app.case_id(sub, &jo).await);
    }
    // 1 to 4 are Jo's; 0 nobody's.
    for id in &ids[1..] {
        let (s, case) = app
            .post(
                &format!("/cases/{id}/assign"),
                Some(&jo),
                json!({ "owner_id": jo_id }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
    }
    // 1: the customer wrote since; 2: a promise due tomorrow; 3: one due in five days;
    // 4: nothing waits.
    let token = subs[1]["tracking_token"].as_str().expect("token");
    let (s, view) = app
        .post(
            &format!("/track/{token}/messages"),
            None,
            json!({ "body": "Any news?" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    for (i, days) in [(2, 1), (3, 5)] {
        let (s, case) = app
            .post(
                &format!("/cases/{}/commitments", ids[i]),
                Some(&jo),
                json!({ "what": "Call back", "how": "By phone", "due": today_plus(days) }),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
    }

    let list = |path: String| {
        let app = &app;
        let jo = &jo;
        async move {
            let (s, body) = app.get(&path, Some(jo)).await;
            assert_eq!(s, StatusCode::OK, "{path}: {body}");
            body
        }
    };
    let awaiting = list("/cases?owner=me&awaiting_owner=true".into()).await;
    assert_eq!(
        references(&awaiting),
        [reference(2), reference(1)],
        "waiting for Jo: the customer's message, the promise due tomorrow"
    );
    let awaiting = list("/cases?owner=me&awaiting_owner=true&order=oldest".into()).await;
    assert_eq!(references(&awaiting), [reference(1), reference(2)]);
    let everyone = list("/cases?awaiting_owner=true".into()).await;
    assert_eq!(references(&everyone), [reference(2), reference(1)]);
    let not_asked = list("/cases?owner=me&awaiting_owner=false".into()).await;
    assert_eq!(references(&not_asked).len(), 4);

    // Oldest first, paged: every case once, in order, and the reverse of newest first.
    let newest: Vec<String> = (0..5).rev().map(reference).collect();
    let all = list("/cases?order=newest".into()).await;
    assert_eq!(references(&all), newest);
    for order in ["oldest", "newest"] {
        let mut seen = Vec::new();
        let mut after = String::new();
        loop {
            let page = list(format!("/cases?order={order}&limit=2&after={after}")).await;
            seen.extend(references(&page));
            match page["next"].as_str() {
                Some(next) => after = next.to_owned(),
                None => break,
            }
        }
        let mut expected = newest.clone();
        if order == "oldest" {
            expected.reverse();
        }
        assert_eq!(seen, expected, "pages of 2, {order} first");
    }

    // The other queue filters.
    let spa = list("/cases?product=Spa&order=oldest".into()).await;
    assert_eq!(references(&spa), [reference(1), reference(4)]);
    let web = list("/cases?channel=api&product=Room&owner=me".into()).await;
    assert_eq!(references(&web), [reference(3), reference(2)]);
    let (_, phone) = app.get("/cases?channel=web", Some(&jo)).await;
    assert_eq!(references(&phone).len(), 0);
    let (_, case_2) = app.get(&format!("/cases/{}", ids[2]), Some(&jo)).await;
    let before_2 = case_2["case"]["created_at"]
        .as_str()
        .expect("created_at")
        .to_owned();
    let older = list(format!(
        "/cases?received_before={}",
        before_2.replace('+', "%2B")
    ))
    .await;
    assert_eq!(
        references(&older),
        [reference(1), reference(0)],
        "{before_2}"
    );
    for flag in ["pending_approval", "escalated", "overdue"] {
        let none = list(format!("/cases?{flag}=true")).await;
        assert_eq!(references(&none).len(), 0, "{flag}");
    }
    // Overdue under the service standard: a case received long ago without a date of its own.
    let now = time::OffsetDateTime::now_utc().truncate_to_microsecond();
    let draft = redress_domain::IntakeDraft {
        what_happened: Some("Received long ago".into()),
        email: Some("old@example.com".into()),
        ..redress_domain::IntakeDraft::default()
    };
    let long_ago = now - time::Duration::days(30);
    let intake =
        redress_domain::Intake::parse(&draft, redress_domain::Channel::Web, long_ago.date())
            .expect("a valid intake");
    let old = app
        .store
        .create_case(redress_store::NewCase::receive(
            &intake,
            &redress_domain::TrackingToken::generate(),
            redress_domain::Actor::Customer,
            long_ago,
        ))
        .await
        .expect("an old case");
    let overdue = list("/cases?overdue=true".into()).await;
    assert_eq!(references(&overdue), [old.case.reference.to_string()]);

    for (bad, field) in [
        ("/cases?awaiting_owner=maybe", "awaiting_owner"),
        ("/cases?pending_approval=1", "pending_approval"),
        ("/cases?escalated=yes", "escalated"),
        ("/cases?overdue=no", "overdue"),
        ("/cases?order=sideways", "order"),
        ("/cases?channel=fax", "channel"),
        ("/cases?received_before=yesterday", "received_before"),
        ("/cases?received_before=2026-11-01", "received_before"),
    ] {
        let (s, err) = app.get(bad, Some(&jo)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {err}");
        assert_eq!(fields(&err), [field], "{bad}: {err}");
    }
}
