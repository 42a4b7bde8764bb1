//! Teams keep their cases, through the API as through the pages: anyone on the staff reads any
//! case (nobody asks the customer to repeat), but only the case's team, its owner and admins act
//! on it; approvals and answers to a request to step in are for supervisors; a case follows its
//! owner into their team.

use crate::helpers::{TestApp, today_plus};
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    another_teams_agent_reads_but_cannot_act,
    supervisors_decide_and_the_owner_keeps_the_case
);

/// A staff member of `team`: their id and API token.
async fn member(app: &TestApp, name: &str, role: &str, team: &str) -> (String, String) {
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let (staff, token) = app
        .app()
        .add_staff(name, &email, role, Some(team), Some(("20", "EUR")))
        .await
        .expect("add staff");
    (staff.id.to_string(), token.reveal().to_owned())
}

async fn another_teams_agent_reads_but_cannot_act(app: TestApp) {
    let (ana_id, ana) = member(&app, "Ana", "agent", "Care").await;
    let (_, raj) = member(&app, "Raj", "agent", "Rooms").await;
    let (_, ada) = member(&app, "Ada", "admin", "Head office").await;
    let sub = app.complain_as("kim@example.com", "Dirty towels.").await;
    let id = app.case_id(&sub, &ana).await;
    let (s, case) = app
        .post(
            &format!("/cases/{id}/assign"),
            Some(&ana),
            json!({ "owner_id": ana_id }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(
        case["team"], "Care",
        "the case follows its owner into their team"
    );

    let (s, _) = app.get(&format!("/cases/{id}"), Some(&raj)).await;
    assert_eq!(s, StatusCode::OK, "reading is open");
    let attempts = [
        ("/notes", json!({ "body": "sneaky" })),
        ("/messages", json!({ "body": "Hello from Rooms" })),
        (
            "/assign",
            json!({ "owner_id": ana_id, "handover_note": "mine now" }),
        ),
        ("/decline", json!({ "reason": "Not ours" })),
        (
            "/remedies",
            json!({ "kind": "goodwill", "description": "A towel" }),
        ),
        ("/close", json!({ "root_cause": "no_fault_found" })),
    ];
    for (path, body) in &attempts {
        let (s, res) = app
            .post(&format!("/cases/{id}{path}"), Some(&raj), body.clone())
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{path}: {res}");
        assert_eq!(res["error"]["code"], "forbidden", "{path}");
    }
    let (_, case) = app.get(&format!("/cases/{id}"), Some(&ana)).await;
    let types = crate::helpers::event_types(&case["timeline"]);
    assert_eq!(types, ["received", "assigned"], "nothing was changed");
    // An admin acts on every case.
    let (s, res) = app
        .post(
            &format!("/cases/{id}/notes"),
            Some(&ada),
            json!({ "body": "Checked." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{res}");
}

async fn supervisors_decide_and_the_owner_keeps_the_case(app: TestApp) {
    let (ana_id, ana) = member(&app, "Ana", "agent", "Care").await;
    let (_, sue) = member(&app, "Sue", "supervisor", "Care").await;
    let (_, rob) = member(&app, "Rob", "supervisor", "Rooms").await;
    let sub = app.complain_as("kim@example.com", "Cold room.").await;
    let id = app.case_id(&sub, &ana).await;
    let post = |path: &str, token: &str, body: serde_json::Value| {
        let path = format!("/cases/{id}{path}");
        let (app, token) = (&app, token.to_owned());
        async move { app.post(&path, Some(&token), body).await }
    };
    let (s, _) = post("/assign", &ana, json!({ "owner_id": ana_id })).await;
    assert_eq!(s, StatusCode::OK);
    let (s, case) = post(
        "/remedies",
        &ana,
        json!({ "kind": "goodwill", "description": "Dinner", "amount": "60", "currency": "EUR" }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    let remedy = case["remedies"][0]["id"]
        .as_str()
        .expect("remedy")
        .to_owned();
    assert_eq!(case["remedies"][0]["status"], "pending_approval");
    let approve = json!({});
    let path = format!("/remedies/{remedy}/approve");
    let (s, _) = post(&path, &ana, approve.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an agent does not approve");
    let (s, _) = post(&path, &rob, approve.clone()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "another team's supervisor does not either"
    );
    let (s, case) = post(&path, &sue, approve.clone()).await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["remedies"][0]["status"], "granted");
    assert_eq!(case["awaiting_owner"], json!(["remedy_decided"]));

    // A promise due soon, a customer who writes: the owner's queue has it.
    let (s, _) = post(
        "/commitments",
        &ana,
        json!({ "what": "Call", "how": "Phone", "due": today_plus(1) }),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let (_, case) = app.get(&format!("/cases/{id}"), Some(&ana)).await;
    assert_eq!(case["case"]["owner"]["name"], "Ana");
    assert_eq!(
        case["case"]["awaiting_owner"],
        json!([]),
        "acting answers what waited"
    );

    // Asked to step in, the supervisor answers; the owner keeps the case and sees both.
    let (_, ben) = member(&app, "Ben", "agent", "Care").await;
    let (s, case) = post(
        "/escalation",
        &ben,
        json!({ "reason": "Kim asks for a manager." }),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["escalation"]["reason"], "Kim asks for a manager.");
    assert_eq!(case["awaiting_owner"], json!(["supervisor_asked"]));
    let (s, again) = post("/escalation", &ben, json!({ "reason": "Again" })).await;
    assert_eq!(s, StatusCode::CONFLICT, "{again}");
    let advice = json!({ "advice": "Your call, Ana; offer a call back." });
    let (s, _) = post("/escalation/answer", &ana, advice.clone()).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "agents do not answer for supervisors"
    );
    let (s, case) = post("/escalation/answer", &sue, advice).await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert!(case["escalation"].is_null());
    assert_eq!(case["owner"]["name"], "Ana");
    assert_eq!(
        case["awaiting_owner"],
        json!(["supervisor_asked", "supervisor_answered"])
    );
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&ana)).await;
    let types = crate::helpers::event_types(&detail["timeline"]);
    assert!(types.ends_with(&["escalation_requested".into(), "escalation_answered".into()]));
    for e in detail["timeline"].as_array().expect("timeline") {
        if e["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("escalation"))
        {
            assert_eq!(e["visibility"], "internal");
        }
    }
    let (_, view) = app
        .get(
            &format!("/track/{}", sub["tracking_token"].as_str().expect("token")),
            None,
        )
        .await;
    assert!(!view.to_string().contains("manager"), "internal: {view}");
}
