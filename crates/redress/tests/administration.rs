//! The administration through the API, on both backends: an administrator adds a staff member
//! (whose password link works) and sets the authority limit that decides which of their remedies
//! wait for a supervisor; deactivating someone revokes their token; a root cause added is
//! offered at closing and one deactivated is refused; the organisation's texts saved reach the
//! front page; and an agent or a supervisor gets 403 `forbidden` from every administration
//! endpoint, with nothing changed. The pages of the administration are in `pages/admin.rs`.

use crate::helpers::TestApp;
use reqwest::StatusCode;
use serde_json::{Value, json};

crate::on_both_backends!(
    the_authority_limit_set_by_an_admin_decides_approval,
    a_root_cause_added_is_offered_and_one_deactivated_refused,
    the_organisation_texts_saved_through_the_api_reach_the_front_page,
    agents_and_supervisors_get_403_from_every_administration_endpoint,
);

async fn patch(app: &TestApp, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    app.request(reqwest::Method::PATCH, path, Some(token), Some(&body))
        .await
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
    app.request(reqwest::Method::PUT, path, Some(token), Some(&body))
        .await
}

fn fields(error: &Value) -> Vec<String> {
    error["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .map(|e| e["field"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A new case's id, and its tracking token.
async fn case(app: &TestApp, token: &str, words: &str) -> (String, String) {
    let sub = app.complain_as("kim@example.com", words).await;
    let id = app.case_id(&sub, token).await;
    (
        id,
        sub["tracking_token"].as_str().expect("token").to_owned(),
    )
}

async fn close(app: &TestApp, id: &str, token: &str, code: &str) -> (StatusCode, Value) {
    app.post(
        &format!("/cases/{id}/close"),
        Some(token),
        json!({ "root_cause": code, "lesson": "Signs in three languages." }),
    )
    .await
}

async fn the_authority_limit_set_by_an_admin_decides_approval(app: TestApp) {
    let (admin_id, admin) = app.staff("Ada Admin", "admin", None).await;
    let (s, added) = app
        .post(
            "/staff",
            Some(&admin),
            json!({
                "name": "Eve Lopez", "email": "eve@staff.example", "role": "agent",
                "team": "care", "authority_amount": "50", "authority_currency": "EUR",
            }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{added}");
    let eve_id = added["staff"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        added["staff"]["team"], "Care",
        "the team as the list names it"
    );
    assert_eq!(
        added["staff"]["authority_limit"],
        json!({ "amount": "50.00", "currency": "EUR" })
    );
    let link = added["password_link"]["path"].as_str().expect("a link");
    assert!(link.starts_with("/desk/set-password/"), "{link}");
    let page = app
        .client
        .get(format!("{}{link}", app.site()))
        .send()
        .await
        .expect("the link");
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.expect("page").contains("Eve Lopez"));

    let (s, refused) = app
        .post(
            "/staff",
            Some(&admin),
            json!({ "name": "Twin", "email": "EVE@staff.example", "role": "chief" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["role"], "a role that does not exist");
    let (s, refused) = app
        .post(
            "/staff",
            Some(&admin),
            json!({ "name": "Twin", "email": "EVE@staff.example", "role": "agent" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["email"], "the address is taken");

    let (s, token) = app
        .post(
            &format!("/staff/{eve_id}/api-token"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{token}");
    let eve = token["token"].as_str().expect("token").to_owned();
    let (s, me) = app.get("/me", Some(&eve)).await;
    assert_eq!(s, StatusCode::OK, "{me}");
    assert_eq!(me["name"], "Eve Lopez");

    // Within her limit a remedy is granted; above it, it waits for a supervisor.
    let (id, _) = case(&app, &eve, "The minibar charged twice").await;
    let remedy = |amount: &str| json!({ "kind": "goodwill", "description": "A dinner on us", "amount": amount, "currency": "EUR" });
    let (s, c) = app
        .post(&format!("/cases/{id}/remedies"), Some(&eve), remedy("80"))
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["remedies"][0]["status"], "pending_approval");
    let (s, changed) = patch(
        &app,
        &format!("/staff/{eve_id}"),
        &admin,
        json!({ "authority_amount": "100", "authority_currency": "EUR" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    assert_eq!(changed["authority_limit"]["amount"], "100.00");
    assert_eq!(changed["role"], "agent", "what was left out stays");
    let (s, c) = app
        .post(&format!("/cases/{id}/remedies"), Some(&eve), remedy("80"))
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["remedies"][1]["status"], "granted");
    let (s, c) = app
        .post(
            &format!("/cases/{id}/remedies"),
            Some(&eve),
            remedy("100.01"),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    assert_eq!(c["remedies"][2]["status"], "pending_approval");

    // Deactivated, her token stops working; an admin can neither demote nor deactivate
    // themselves.
    let (s, changed) = patch(
        &app,
        &format!("/staff/{eve_id}"),
        &admin,
        json!({ "active": false }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    assert_eq!(changed["active"], false);
    let (s, _) = app.get("/me", Some(&eve)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    let (s, link) = app
        .post(
            &format!("/staff/{eve_id}/password-link"),
            Some(&admin),
            json!({}),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "no link for someone inactive: {link}"
    );
    let (s, refused) = patch(
        &app,
        &format!("/staff/{admin_id}"),
        &admin,
        json!({ "role": "supervisor", "active": false }),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["role", "active"]);
    let (s, me) = app.get("/me", Some(&admin)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(me["role"], "admin");
    let (s, _) = patch(&app, "/staff/not-an-id", &admin, json!({ "active": true })).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn a_root_cause_added_is_offered_and_one_deactivated_refused(app: TestApp) {
    let (_, admin) = app.staff("Ada Admin", "admin", None).await;
    let (_, agent) = app.staff("Ann Agent", "agent", None).await;
    let (s, cause) = app
        .post(
            "/root-causes",
            Some(&admin),
            json!({ "label": "Signage that confuses guests" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{cause}");
    assert_eq!(cause["code"], "signage_that_confuses_guests");
    assert_eq!(cause["active"], true);
    let (s, listed) = app.get("/root-causes", Some(&agent)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        listed
            .as_array()
            .expect("causes")
            .iter()
            .any(|c| c["code"] == "signage_that_confuses_guests"),
        "offered: {listed}"
    );

    // A withdrawn case is closed with a root cause like any other.
    let (first, tracking) = case(&app, &agent, "I could not find the spa").await;
    let (s, w) = app
        .post(
            &format!("/track/{tracking}/withdraw"),
            None,
            json!({ "reason": "Found it in the end" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{w}");
    let (s, closed) = close(&app, &first, &agent, "signage_that_confuses_guests").await;
    assert_eq!(s, StatusCode::OK, "{closed}");
    assert_eq!(closed["root_cause"], "signage_that_confuses_guests");

    let (s, changed) = patch(
        &app,
        "/root-causes/signage_that_confuses_guests",
        &admin,
        json!({ "active": false, "label": "Signs that confuse guests" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{changed}");
    assert_eq!(changed["active"], false);
    assert_eq!(changed["label"], "Signs that confuse guests");
    let (second, tracking) = case(&app, &agent, "The lift signs are wrong").await;
    let (s, _) = app
        .post(
            &format!("/track/{tracking}/withdraw"),
            None,
            json!({ "reason": "Never mind" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, refused) = close(&app, &second, &agent, "signage_that_confuses_guests").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["root_cause"]);
    let (s, still) = app.get(&format!("/cases/{second}"), Some(&agent)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(still["case"]["status"], "withdrawn", "nothing changed");
    // The case closed with it keeps it.
    let (_, kept) = app.get(&format!("/cases/{first}"), Some(&agent)).await;
    assert_eq!(kept["case"]["root_cause"], "signage_that_confuses_guests");

    let (s, refused) = app
        .post(
            "/root-causes",
            Some(&admin),
            json!({ "label": "Again", "code": "product_defect" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["code"]);
    let (s, _) = patch(
        &app,
        "/root-causes/no_such_cause",
        &admin,
        json!({ "active": true }),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

async fn front_page(app: &TestApp) -> String {
    app.client
        .get(format!("{}/", app.site()))
        .send()
        .await
        .expect("front page")
        .text()
        .await
        .expect("html")
}

async fn the_organisation_texts_saved_through_the_api_reach_the_front_page(app: TestApp) {
    let (_, admin) = app.staff("Ada Admin", "admin", None).await;
    // Another node, running before the texts are saved.
    let other = app.second_node().await;
    assert!(!front_page(&other).await.contains("Riverside Hotel"));
    let (s, texts) = app.get("/organisation", Some(&admin)).await;
    assert_eq!(s, StatusCode::OK, "{texts}");
    assert_eq!(texts["version"], 0, "the configuration's texts");
    let body = json!({
        "name": "Riverside Hotel",
        "care_team": "the Riverside guest team",
        "first_response_days": 1,
        "email": "care@riverside.example",
        "phone": "+44 20 7946 0000",
        "opening_hours": ["Every day, 7:00 to 23:00"],
        "postal_address": "Riverside Hotel\n1 Quay Street\nBristol",
        "products": ["Room", "Restaurant", "Spa"],
        "version": 0,
    });
    let (s, saved) = put(&app, "/organisation", &admin, body.clone()).await;
    assert_eq!(s, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 1);
    assert_eq!(saved["locations"], json!([]), "left out: cleared");
    let front = front_page(&app).await;
    assert!(
        front.contains("Riverside Hotel"),
        "at once on this node: {front}"
    );
    assert!(front.contains("Every day, 7:00 to 23:00"));
    // A new case is answered within the saved number of days.
    let sub = app.complain_as("kim@example.com", "Cold soup").await;
    assert_eq!(
        sub["acknowledgement"]["respond_by"],
        crate::helpers::today_plus(1)
    );
    assert!(
        sub["acknowledgement"]["who_will_answer"]
            .as_str()
            .unwrap_or_default()
            .contains("Riverside guest team")
    );

    let mut seen = false;
    for _ in 0..50 {
        if front_page(&other).await.contains("Riverside Hotel") {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "the other node serves the saved texts within seconds");

    let (s, stale) = put(&app, "/organisation", &admin, body).await;
    assert_eq!(s, StatusCode::CONFLICT, "saved meanwhile: {stale}");
    let (s, refused) = put(
        &app,
        "/organisation",
        &admin,
        json!({ "name": "", "first_response_days": 0, "email": "nope" }),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(fields(&refused), ["name", "first_response_days", "email"]);
    let (_, texts) = app.get("/organisation", Some(&admin)).await;
    assert_eq!(texts["name"], "Riverside Hotel", "nothing changed");
}

async fn agents_and_supervisors_get_403_from_every_administration_endpoint(app: TestApp) {
    let (admin_id, admin) = app.staff("Ada Admin", "admin", None).await;
    let (agent_id, agent) = app.staff("Ann Agent", "agent", Some("10")).await;
    let (sup_id, supervisor) = app.staff("Sam Supervisor", "supervisor", None).await;
    let staff_before = app.store.list_staff().await.expect("staff");
    let teams_before = app.store.teams().await.expect("teams");
    let causes_before = app.app().root_causes().await.expect("causes");

    for (token, own) in [(&agent, &agent_id), (&supervisor, &sup_id)] {
        let calls: Vec<(reqwest::Method, String, Option<Value>)> = vec![
            (
                reqwest::Method::POST,
                "/staff".into(),
                Some(json!({ "name": "Mallory", "email": "m@staff.example", "role": "admin" })),
            ),
            (reqwest::Method::GET, format!("/staff/{admin_id}"), None),
            (
                reqwest::Method::PATCH,
                format!("/staff/{own}"),
                Some(
                    json!({ "role": "admin", "authority_amount": "99999", "authority_currency": "EUR" }),
                ),
            ),
            (
                reqwest::Method::PATCH,
                format!("/staff/{admin_id}"),
                Some(json!({ "active": false })),
            ),
            (
                reqwest::Method::POST,
                format!("/staff/{admin_id}/password-link"),
                Some(json!({})),
            ),
            (
                reqwest::Method::POST,
                format!("/staff/{own}/api-token"),
                Some(json!({})),
            ),
            (
                reqwest::Method::POST,
                "/teams".into(),
                Some(json!({ "name": "Rogue" })),
            ),
            (
                reqwest::Method::PATCH,
                "/teams/Care".into(),
                Some(json!({ "active": false })),
            ),
            (
                reqwest::Method::POST,
                "/root-causes".into(),
                Some(json!({ "label": "Rogue" })),
            ),
            (
                reqwest::Method::PATCH,
                "/root-causes/product_defect".into(),
                Some(json!({ "active": false })),
            ),
            (reqwest::Method::GET, "/organisation".into(), None),
            (
                reqwest::Method::PUT,
                "/organisation".into(),
                Some(json!({ "name": "Taken over", "first_response_days": 9 })),
            ),
            // Even a malformed body gets the same answer.
            (
                reqwest::Method::POST,
                "/staff".into(),
                Some(json!({ "nonsense": true })),
            ),
        ];
        for (method, path, body) in calls {
            let (s, error) = app
                .request(method.clone(), &path, Some(token), body.as_ref())
                .await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{method} {path}: {error}");
            assert_eq!(error["error"]["code"], "forbidden", "{method} {path}");
        }
    }
    assert_eq!(app.store.list_staff().await.expect("staff"), staff_before);
    assert_eq!(app.store.teams().await.expect("teams"), teams_before);
    assert_eq!(
        app.app().root_causes().await.expect("causes"),
        causes_before
    );
    assert!(
        app.store
            .organisation()
            .await
            .expect("organisation")
            .is_none()
    );
    // Their tokens are untouched; and the lists staff choose from stay open to them.
    for token in [&agent, &supervisor] {
        let (s, _) = app.get("/me", Some(token)).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = app.get("/teams", Some(token)).await;
        assert_eq!(s, StatusCode::OK);
    }
    let (s, _) = app.get("/organisation", Some(&admin)).await;
    assert_eq!(s, StatusCode::OK, "the administrator may");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_describes_the_administration() {
    let app = TestApp::sqlite().await;
    let (s, doc) = app.get("/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    for (path, method) in [
        ("/staff", "post"),
        ("/staff/{id}", "get"),
        ("/staff/{id}", "patch"),
        ("/staff/{id}/password-link", "post"),
        ("/staff/{id}/api-token", "post"),
        ("/teams", "get"),
        ("/teams", "post"),
        ("/teams/{name}", "patch"),
        ("/root-causes", "post"),
        ("/root-causes/{code}", "patch"),
        ("/organisation", "get"),
        ("/organisation", "put"),
    ] {
        let op = &doc["paths"][path][method];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(
            op["security"].is_array(),
            "{method} {path} names its security"
        );
        assert!(op["responses"]["401"].is_object(), "{method} {path}: 401");
        if path != "/teams" || method != "get" {
            assert!(op["responses"]["403"].is_object(), "{method} {path}: 403");
        }
    }
    // Every schema referred to is defined.
    let schemas = &doc["components"]["schemas"];
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("an unexpected reference {r}"));
        assert!(schemas[name].is_object(), "{r} is not defined");
    }
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => refs.push(r.clone()),
                    _ => collect_refs(v, refs),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, refs)),
        _ => {}
    }
}
