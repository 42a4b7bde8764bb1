//! Attachments over HTTP: staff download a customer's file exactly as sent, as a download with
//! safe headers, and only under its own case. (Files arrive through the pages' form, which has no
//! JSON endpoint: the cases here are submitted through the app on the server's own store.)

use crate::helpers::TestApp;
use redress_app::{App, Settings, Upload};
use redress_domain::{Channel, IntakeDraft};
use reqwest::StatusCode;
use serde_json::Value;

crate::on_both_backends!(staff_download_attachments);

const PNG: &[u8] =
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

/// Submits a case with `files` as the pages would; returns its id and tracking token.
async fn submit_with_files(app: &TestApp, email: &str, files: Vec<Upload>) -> (String, String) {
    let same_store = App::new(app.store.clone(), Settings::default());
    let draft = IntakeDraft {
        what_happened: Some("The parcel arrived wet, photos attached.".into()),
        email: Some(email.into()),
        ..IntakeDraft::default()
    };
    let submitted = same_store
        .submit(&draft, Channel::Web, files)
        .await
        .expect("submit with files");
    (
        submitted.case.id.to_string(),
        submitted.token.reveal().to_owned(),
    )
}

fn upload(name: &str, bytes: &[u8]) -> Upload {
    Upload {
        file_name: name.into(),
        bytes: bytes.to_vec(),
    }
}

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(format!("{}{path}", app.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    req.send().await.expect("request")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn staff_download_attachments(app: TestApp) {
    let (_, staff) = app.staff("Bea Agent", "agent", None).await;
    // Every byte value, behind a PDF signature.
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.extend((0..=255u8).cycle().take(70_000));
    let (case_id, tracking) = submit_with_files(
        &app,
        "zoe@example.com",
        vec![
            upload("Zoë's \"photo\".png", PNG),
            upload("receipt.PDF", &pdf),
        ],
    )
    .await;
    let (other_case, _) = submit_with_files(&app, "max@example.com", Vec::new()).await;

    // The timeline's received event lists the files, for staff and for the customer.
    let (status, detail) = app.get(&format!("/cases/{case_id}"), Some(&staff)).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let files = detail["timeline"][0]["attachments"].clone();
    let names: Vec<&str> = files
        .as_array()
        .expect("attachments")
        .iter()
        .map(|f| f["name"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Zoë's \"photo\".png", "receipt.PDF"]);
    assert_eq!(files[1]["content_type"], "application/pdf");
    assert_eq!(files[1]["size"], pdf.len());
    let (status, mine) = app.get(&format!("/track/{tracking}"), None).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["attachments"], files, "the customer sees their files");
    let id = |f: &Value| f["id"].as_str().expect("attachment id").to_owned();
    let (photo, receipt) = (id(&files[0]), id(&files[1]));

    let res = download(
        &app,
        &format!("/cases/{case_id}/attachments/{photo}"),
        Some(&staff),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "image/png");
    assert_eq!(
        header(&res, "content-disposition"),
        "attachment; filename=\"Zo_'s _photo_.png\"; \
         filename*=UTF-8''Zo%C3%AB%27s%20%22photo%22.png"
    );
    assert_eq!(header(&res, "x-content-type-options"), "nosniff");
    assert_eq!(header(&res, "cache-control"), "private, no-store");
    assert_eq!(res.bytes().await.expect("body").as_ref(), PNG);

    let res = download(
        &app,
        &format!("/cases/{case_id}/attachments/{receipt}"),
        Some(&staff),
    )
    .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "application/pdf");
    assert_eq!(res.bytes().await.expect("body").as_ref(), pdf.as_slice());

    // Under another case, an unknown id, a malformed one or an unknown case: a plain 404.
    for path in [
        format!("/cases/{other_case}/attachments/{photo}"),
        format!("/cases/{case_id}/attachments/{case_id}"),
        format!("/cases/{case_id}/attachments/not-an-id"),
        format!("/cases/{photo}/attachments/{photo}"),
    ] {
        let (status, body) = app.get(&path, Some(&staff)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {body}");
        assert_eq!(body["error"]["code"], "not_found", "{path}: {body}");
    }
    // Staff only.
    let res = download(&app, &format!("/cases/{case_id}/attachments/{photo}"), None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
