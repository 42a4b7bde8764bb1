//! The whole life of a complaint, through the API, as customer and staff live it.

use crate::helpers::{TestApp, event_types, today_plus};
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(
    complaint_from_first_word_to_lesson,
    rejected_resolution_reopens,
    follow_up_no_reopens
);

async fn complaint_from_first_word_to_lesson(app: TestApp) {
    let (agent_id, agent) = app.staff("Ana Agent", "agent", Some("50")).await;
    let (_, supervisor) = app.staff("Sam Supervisor", "supervisor", None).await;

    // The customer tells us what happened, in their own words (kept exactly).
    let words = "The heater in room 12 broke on day two.\nNobody came. 😤 <b>Not OK</b>";
    let sub = app
        .complain(json!({
            "what_happened": words,
            "what_would_make_it_right": "A refund for the two cold nights",
            "needed_by": today_plus(7),
            "product": "Hotel stay",
            "name": "Zoë Müller",
            "email": "zoe@example.com",
            "preferred_channel": "email",
            "language": "de",
        }))
        .await;
    assert_eq!(sub["kind"], "complaint");
    assert_eq!(sub["status"], "new");
    let ack = &sub["acknowledgement"];
    assert_eq!(ack["what_you_told_us"], words);
    assert_eq!(ack["respond_by"], today_plus(2));
    let message = ack["message"].as_str().expect("message");
    assert!(message.contains(words), "{message}");
    assert!(!message.to_lowercase().contains("inquiry"), "{message}");
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    assert!(token.len() >= 43);
    assert_eq!(sub["tracking_url"], format!("/track/{token}"));

    let id = app.case_id(&sub, &agent).await;
    let case_path = |p: &str| format!("/cases/{id}{p}");

    // The agent picks it up and answers personally.
    let (s, case) = app
        .post(
            &case_path("/assign"),
            Some(&agent),
            json!({ "owner_id": agent_id }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["owner"]["name"], "Ana Agent");
    let (s, case) = app
        .post(
            &case_path("/acknowledge"),
            Some(&agent),
            json!({ "message": "You told us the heater broke and nobody came. I'm Ana and I'll sort this.", "respond_by": today_plus(1) }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "acknowledged");
    let (s, case) = app
        .post(&case_path("/investigate"), Some(&agent), json!({}))
        .await;
    assert_eq!(
        (s, case["status"].as_str()),
        (StatusCode::OK, Some("investigating"))
    );

    // An internal note the customer must never see.
    let (s, _) = app
        .post(
            &case_path("/notes"),
            Some(&agent),
            json!({ "body": "SECRET: boiler logs show a fault since May" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Operations' view.
    let (s, case) = app
        .post(
            &case_path("/operations-views"),
            Some(&agent),
            json!({ "department": "Maintenance", "question": "Was the heater in room 12 reported?" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "awaiting_operations");
    let view_id = case["operations_views"][0]["id"]
        .as_str()
        .expect("view")
        .to_owned();
    let (s, case) = app
        .post(
            &case_path(&format!("/operations-views/{view_id}/answer")),
            Some(&agent),
            json!({ "answer": "Yes, twice; the part was on order." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "investigating");
    assert_eq!(
        case["operations_views"][0]["answer"],
        "Yes, twice; the part was on order."
    );

    // A commitment: what, how, by when; then kept.
    let (s, case) = app
        .post(
            &case_path("/commitments"),
            Some(&agent),
            json!({ "what": "Refund two nights", "how": "To the card used for booking", "due": today_plus(3) }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    let commitment = case["commitments"][0]["id"]
        .as_str()
        .expect("commitment")
        .to_owned();
    assert_eq!(case["commitments"][0]["state"], "open");

    // Restitution within authority is granted; goodwill above it waits for a supervisor.
    let (s, case) = app
        .post(
            &case_path("/remedies"),
            Some(&agent),
            json!({ "kind": "restitution", "description": "Refund of two nights", "amount": "40.00", "currency": "EUR" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["remedies"][0]["status"], "granted");
    let (s, case) = app
        .post(
            &case_path("/remedies"),
            Some(&agent),
            json!({ "kind": "goodwill", "description": "A free weekend", "amount": "300", "currency": "EUR" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["remedies"][1]["status"], "pending_approval");
    assert_eq!(
        case["remedies"][1]["amount"],
        json!({ "amount": "300.00", "currency": "EUR" })
    );
    let goodwill = case["remedies"][1]["id"]
        .as_str()
        .expect("remedy")
        .to_owned();

    // The customer sees the granted restitution but not the pending goodwill, nor the note.
    let (s, view) = app.get(&format!("/track/{token}"), None).await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["remedies"].as_array().map(Vec::len), Some(1));
    let raw = view.to_string();
    assert!(!raw.contains("SECRET"), "internal note leaked: {raw}");
    assert!(
        !raw.contains("Maintenance"),
        "operations' view leaked: {raw}"
    );
    assert!(
        !raw.contains("A free weekend"),
        "pending remedy leaked: {raw}"
    );
    assert!(!raw.contains(&agent_id), "staff id leaked: {raw}");
    assert_eq!(view["what_happened"], words);
    assert_eq!(view["looked_after_by"], "Ana Agent");

    // An agent cannot approve; the supervisor can.
    let approve = case_path(&format!("/remedies/{goodwill}/approve"));
    let (s, _) = app.post(&approve, Some(&agent), json!({})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, case) = app
        .post(
            &approve,
            Some(&supervisor),
            json!({ "note": "internal: regular guest" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["remedies"][1]["status"], "granted");
    let (_, view) = app.get(&format!("/track/{token}"), None).await;
    assert_eq!(view["remedies"].as_array().map(Vec::len), Some(2));
    assert!(
        !view.to_string().contains("regular guest"),
        "approval note leaked"
    );

    let (s, case) = app
        .post(
            &case_path(&format!("/commitments/{commitment}/kept")),
            Some(&agent),
            json!({ "note": "refund issued" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["commitments"][0]["state"], "kept");

    // The customer writes; we answer.
    let (s, view) = app
        .post(
            &format!("/track/{token}/messages"),
            None,
            json!({ "body": "Thank you Ana — when will I see the refund?" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    let (s, _) = app
        .post(
            &case_path("/messages"),
            Some(&agent),
            json!({ "body": "Within 3 working days." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    // Propose, accept, follow up with all yes, close with a root cause.
    let (s, case) = app
        .post(
            &case_path("/resolution"),
            Some(&agent),
            json!({ "summary": "Refund of two nights and a free weekend." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "resolution_proposed");
    let (_, view) = app.get(&format!("/track/{token}"), None).await;
    assert_eq!(view["can_answer_resolution"], true);
    assert_eq!(
        view["proposed_resolution"],
        "Refund of two nights and a free weekend."
    );
    let (s, view) = app
        .post(&format!("/track/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "resolved");
    assert_eq!(view["can_answer_follow_up"], true);
    let (s, view) = app
        .post(
            &format!("/track/{token}/follow-up"),
            None,
            json!({ "went_as_expected": true, "delivered_as_promised": true, "met_expectations": true, "satisfaction": 5, "comments": "Danke!" }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "resolved");
    assert_eq!(view["can_answer_follow_up"], false);

    let (s, case) = app
        .post(
            &case_path("/close"),
            Some(&agent),
            json!({ "root_cause": "product_defect", "lesson": "Check heaters before winter." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{case}");
    assert_eq!(case["status"], "closed");
    assert_eq!(case["root_cause"], "product_defect");

    // The whole story is there for whoever reads it next, in order.
    let (s, detail) = app.get(&case_path(""), Some(&agent)).await;
    assert_eq!(s, StatusCode::OK, "{detail}");
    let types = event_types(&detail["timeline"]);
    for expected in [
        "received",
        "assigned",
        "acknowledged",
        "note_added",
        "operations_view_requested",
        "operations_view_given",
        "commitment_made",
        "remedy_offered",
        "remedy_approved",
        "commitment_kept",
        "message_from_customer",
        "message_to_customer",
        "resolution_proposed",
        "resolution_accepted",
        "follow_up_answered",
        "root_cause_recorded",
    ] {
        assert!(
            types.iter().any(|t| t == expected),
            "{expected} missing from {types:?}"
        );
    }
    let seqs: Vec<u64> = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["seq"].as_u64().unwrap_or(0))
        .collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    assert_eq!(detail["case"]["version"].as_u64(), Some(seqs.len() as u64));
    let reply = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["type"] == "message_to_customer")
        .expect("reply");
    assert_eq!(reply["actor"]["name"], "Ana Agent");
    assert_eq!(reply["visibility"], "customer");
    assert_eq!(detail["customer"]["name"], "Zoë Müller");
    assert_eq!(detail["customer"]["language"], "de");

    // The customer's timeline never shows internal events.
    let (_, view) = app.get(&format!("/track/{token}"), None).await;
    let customer_types = event_types(&view["timeline"]);
    for internal in [
        "note_added",
        "assigned",
        "operations_view_requested",
        "root_cause_recorded",
    ] {
        assert!(
            !customer_types.iter().any(|t| t == internal),
            "{internal} shown to customer"
        );
    }
    assert!(customer_types.iter().any(|t| t == "message_to_customer"));
    let staff_msg = view["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["type"] == "message_to_customer")
        .expect("reply");
    assert_eq!(staff_msg["by"], "staff");
    assert_eq!(staff_msg["by_name"], "Ana Agent");
}

async fn rejected_resolution_reopens(app: TestApp) {
    let (_, agent) = app.staff("Bo", "agent", None).await;
    let sub = app
        .complain_as("rej@example.com", "My parcel arrived crushed.")
        .await;
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let id = app.case_id(&sub, &agent).await;
    let (s, _) = app
        .post(
            &format!("/cases/{id}/resolution"),
            Some(&agent),
            json!({ "summary": "A 10% voucher." }),
        )
        .await;
    assert_eq!(
        s,
        StatusCode::CONFLICT,
        "a new case cannot jump to a proposal"
    );
    app.post(&format!("/cases/{id}/investigate"), Some(&agent), json!({}))
        .await;
    let (s, _) = app
        .post(
            &format!("/cases/{id}/resolution"),
            Some(&agent),
            json!({ "summary": "A 10% voucher." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK);

    let (s, err) = app
        .post(&format!("/track/{token}/reject"), None, json!({}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let (s, view) = app
        .post(
            &format!("/track/{token}/reject"),
            None,
            json!({ "what_would_make_it_right": "A replacement, not a voucher." }),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "reopened");
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    let rejection = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["type"] == "resolution_rejected")
        .expect("rejection");
    assert_eq!(
        rejection["what_would_make_it_right"],
        "A replacement, not a voucher."
    );
    // Accepting after rejecting is no longer possible.
    let (s, _) = app
        .post(&format!("/track/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
}

async fn follow_up_no_reopens(app: TestApp) {
    let (_, agent) = app.staff("Cy", "agent", None).await;
    let sub = app.complain_as("fu@example.com", "Billed twice.").await;
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let id = app.case_id(&sub, &agent).await;
    // The follow-up is not open before resolution.
    let answers = json!({ "went_as_expected": true, "delivered_as_promised": false, "met_expectations": true, "satisfaction": 2 });
    let (s, _) = app
        .post(&format!("/track/{token}/follow-up"), None, answers.clone())
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    app.post(&format!("/cases/{id}/investigate"), Some(&agent), json!({}))
        .await;
    app.post(
        &format!("/cases/{id}/resolution"),
        Some(&agent),
        json!({ "summary": "Refunded the second charge." }),
    )
    .await;
    let (s, _) = app
        .post(&format!("/track/{token}/accept"), None, json!({}))
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, err) = app
        .post(
            &format!("/track/{token}/follow-up"),
            None,
            json!({ "went_as_expected": true, "satisfaction": 9 }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let named = crate::helpers::fields(&err);
    assert_eq!(
        named,
        ["delivered_as_promised", "met_expectations", "satisfaction"],
        "{err}"
    );
    let (s, view) = app
        .post(&format!("/track/{token}/follow-up"), None, answers)
        .await;
    assert_eq!(s, StatusCode::OK, "{view}");
    assert_eq!(view["status"], "reopened", "a no reopens the case");
    let (_, case) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    assert_eq!(case["case"]["status"], "reopened");
    assert_eq!(case["case"]["reopened_count"], 1);
}
