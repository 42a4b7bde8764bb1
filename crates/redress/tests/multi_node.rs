//! Several servers on one database, as several `redress serve` nodes share PostgreSQL: concurrent
//! changes to one case are all kept, in one consistent order, with none lost.

use crate::helpers::{TestApp, event_types};
use reqwest::StatusCode;
use serde_json::json;

crate::on_both_backends!(concurrent_changes_from_two_nodes);

async fn concurrent_changes_from_two_nodes(app: TestApp) {
    let node2 = app.second_node().await;
    let (_, agent) = app.staff("Lu", "agent", None).await;
    let sub = app.complain_as("mn@example.com", "Lost luggage.").await;
    let id = app.case_id(&sub, &agent).await;

    let mut tasks = Vec::new();
    for i in 0..20 {
        let (base, client, agent) = (
            if i % 2 == 0 {
                app.base.clone()
            } else {
                node2.base.clone()
            },
            app.client.clone(),
            agent.clone(),
        );
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(format!("{base}/cases/{id}/notes"))
                .bearer_auth(agent)
                .json(&json!({ "body": format!("note {i}") }))
                .send()
                .await
                .expect("send");
            let status = res.status();
            (status, res.text().await.unwrap_or_default())
        }));
    }
    for t in tasks {
        let (status, body) = t.await.expect("join");
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    // Node 2 sees everything node 1 wrote, and the other way round.
    for node in [&app, &node2] {
        let (_, detail) = node.get(&format!("/cases/{id}"), Some(&agent)).await;
        let types = event_types(&detail["timeline"]);
        assert_eq!(types.iter().filter(|t| *t == "note_added").count(), 20);
        let seqs: Vec<u64> = detail["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .map(|e| e["seq"].as_u64().unwrap_or(0))
            .collect();
        assert_eq!(seqs, (1..=21).collect::<Vec<_>>());
        assert_eq!(detail["case"]["version"], 21);
    }
    // A case submitted on one node is tracked on the other.
    let token = sub["tracking_token"].as_str().expect("token");
    let (s, _) = node2.get(&format!("/track/{token}"), None).await;
    assert_eq!(s, StatusCode::OK);
}
