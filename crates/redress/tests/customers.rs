//! The customer panel: preferences, dislikes and important dates staff should notice.

use crate::helpers::TestApp;
use reqwest::{Method, StatusCode};
use serde_json::json;

crate::on_both_backends!(profile_updates_and_dates_today);

async fn profile_updates_and_dates_today(app: TestApp) {
    let (_, agent) = app.staff("Kim", "agent", None).await;
    let sub = app.complain_as("lee@example.com", "Cold soup.").await;
    let id = app.case_id(&sub, &agent).await;
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    let customer = detail["customer"]["id"]
        .as_str()
        .expect("customer")
        .to_owned();
    let path = format!("/customers/{customer}");

    let today = time::OffsetDateTime::now_utc().date();
    let birthday = today.replace_year(1980).unwrap_or(today).to_string();
    let update = json!({
        "name": "Lee Wong",
        "preferred_channel": "phone",
        "phones": ["+44 20 7946 0001"],
        "important_dates": [
            { "label": "birthday", "date": birthday },
            { "label": "customer since", "date": "2015-03-01" }
        ],
        "preferences": ["window seat"],
        "dislikes": ["does not drink"],
        "external_ref": "ACC-1234",
    });
    let (s, c) = app
        .request(Method::PATCH, &path, Some(&agent), Some(&update))
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    let (s, c) = app.get(&path, Some(&agent)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(c["name"], "Lee Wong");
    assert_eq!(
        c["emails"],
        json!(["lee@example.com"]),
        "omitted fields keep their value"
    );
    assert_eq!(c["dislikes"], json!(["does not drink"]));
    assert_eq!(c["preferences"], json!(["window seat"]));
    assert_eq!(c["external_ref"], "ACC-1234");
    assert_eq!(c["important_dates"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        c["dates_today"],
        json!([{ "label": "birthday", "date": birthday }])
    );
    // The case page shows the same panel.
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    assert_eq!(detail["customer"]["dislikes"], json!(["does not drink"]));
    assert_eq!(detail["customer"]["dates_today"][0]["label"], "birthday");

    // Bad input names the field; nothing changes.
    let (s, err) = app
        .request(Method::PATCH, &path, Some(&agent), Some(&json!({ "important_dates": [{ "label": "x", "date": "31/12/1980" }], "preferred_channel": "fax" })))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        crate::helpers::fields(&err),
        ["preferred_channel", "important_dates[0].date"]
    );
    let (s, err) = app
        .request(
            Method::PATCH,
            &path,
            Some(&agent),
            Some(&json!({ "emails": [], "phones": [] })),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");

    // An email belonging to another customer is a conflict.
    app.complain_as("other@example.com", "Another person").await;
    let (s, err) = app
        .request(
            Method::PATCH,
            &path,
            Some(&agent),
            Some(&json!({ "emails": ["lee@example.com", "OTHER@example.com"] })),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{err}");
    let (_, c) = app.get(&path, Some(&agent)).await;
    assert_eq!(c["emails"], json!(["lee@example.com"]));
    assert_eq!(c["name"], "Lee Wong");

    let (s, _) = app
        .get(
            "/customers/00000000-0000-7000-8000-000000000000",
            Some(&agent),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
