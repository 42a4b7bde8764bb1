//! Sending the form: a complaint with a photo becomes one case however often it is posted, a
//! question and a compliment are filed as what they are, and a refused form comes back with
//! every typed word.

use super::visitor::{PNG, Visitor, escaped};
use crate::helpers::{TestApp, today_plus};
use reqwest::StatusCode;

crate::on_both_backends!(a_complaint_with_a_photo_becomes_a_case_once);

async fn a_complaint_with_a_photo_becomes_a_case_once(app: TestApp) {
    let (_, agent) = app.staff("Ana Agent", "agent", None).await;
    let mut visitor = Visitor::new(&app);
    let form = visitor.get("/complain").await;
    let csrf = form.field("csrf");
    let nonce = form.field("form");
    let words = "The kettle <script>alert(1)</script> arrived broken & \"dented\".\nSecond line.";
    // As a browser sends a text area: line breaks as CR LF.
    let as_sent = words.replace('\n', "\r\n");
    let fields = [
        ("csrf", csrf.as_str()),
        ("form", nonce.as_str()),
        ("kind", "complaint"),
        ("what_happened", as_sent.as_str()),
        ("what_would_make_it_right", "A new kettle"),
        ("needed_by", &today_plus(5)),
        ("email", "kim@example.com"),
        ("website", ""),
    ];
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, *v)).collect();
    let files: &[(&str, &[u8])] = &[("kettle.png", PNG)];

    // A double click: the same form sent twice, the second before the first's answer is read.
    let (first, second) = {
        let mut twin = Visitor {
            client: visitor.client.clone(),
            site: visitor.site.clone(),
            cookies: visitor.cookies.clone(),
            language: None,
        };
        tokio::join!(
            visitor.post_multipart("/complain", &fields, files),
            twin.post_multipart("/complain", &fields, files)
        )
    };
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.html);
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.html);
    let (a, b) = (first.location(), second.location());
    let strip = |l: &str| l.split('?').next().unwrap_or(l).to_owned();
    assert_eq!(strip(&a), strip(&b), "both posts lead to the same case");
    assert_eq!(app.count_cases(&agent).await, 1, "one case for two posts");
    assert!(a.starts_with("/track/") && a.contains("/received"), "{a}");

    // The Received page restates the customer's words, escaped, and says who answers by when.
    let received = visitor.get(&strip(&a)).await;
    assert_eq!(received.status, StatusCode::OK);
    assert!(received.html.contains(&escaped(words)), "{}", received.html);
    assert!(!received.html.contains("<script>alert"), "never executed");
    assert!(
        received
            .html
            .contains("will look into it and answer you personally by")
    );
    assert!(!received.html.to_lowercase().contains("inquiry"));
    assert!(received.html.contains("kettle.png"));
    let csp = received
        .headers
        .get("content-security-policy")
        .expect("a CSP")
        .to_str()
        .expect("ascii");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(received.headers["referrer-policy"], "no-referrer");
    assert_eq!(received.headers["cache-control"], "no-store");

    // The case holds the words exactly, the customer's date, the language, and the photo.
    let reference_start = received.html.find("id=\"reference\">").expect("reference") + 15;
    let reference = &received.html[reference_start..reference_start + 14];
    let (status, case) = app
        .get(&format!("/cases/by-reference/{reference}"), Some(&agent))
        .await;
    assert_eq!(status, StatusCode::OK, "{case}");
    assert_eq!(case["words"], words, "the customer's new lines: {case}");
    assert_eq!(case["channel"], "web");
    assert_eq!(case["needed_by"], today_plus(5));
    assert_eq!(case["language"], "en");

    // The photo comes back byte for byte, as a download, from the customer's link.
    let file_at = received.html.find("/files/").expect("a file link");
    let href_start = received.html[..file_at].rfind('"').expect("href") + 1;
    let href_end = file_at + received.html[file_at..].find('"').expect("end");
    let href = received.html[href_start..href_end].to_owned();
    let res = visitor
        .client
        .get(format!("{}{href}", visitor.site))
        .send()
        .await
        .expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "image/png");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .expect("ascii")
            .starts_with("attachment")
    );
    assert_eq!(res.bytes().await.expect("bytes").as_ref(), PNG);

    // The form sent again later with other words (Back, edit, send) is a new case.
    let mut edited = fields.clone();
    edited[3] = ("what_happened", "And the lid is missing too.");
    let third = visitor.post_multipart("/complain", &edited, &[]).await;
    assert_eq!(third.status, StatusCode::SEE_OTHER, "{}", third.html);
    assert_ne!(strip(&third.location()), strip(&a));
    assert_eq!(app.count_cases(&agent).await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_and_a_compliment_are_never_taken_for_complaints() {
    let app = TestApp::sqlite().await;
    let (_, agent) = app.staff("Ana Agent", "agent", None).await;
    let mut visitor = Visitor::new(&app);

    let form = visitor.get("/complain?kind=inquiry").await;
    assert!(form.html.contains("What would you like to know?"));
    assert!(form.html.contains("value=\"inquiry\" checked"));
    for (kind, words, title) in [
        (
            "inquiry",
            "Do you deliver on Sundays?",
            "We have your question",
        ),
        (
            "compliment",
            "Priya at the desk was wonderful",
            "We have your kind words",
        ),
    ] {
        let page = visitor
            .complain(
                &[
                    ("kind", kind),
                    ("what_happened", words),
                    ("phone", "+44 7700 900123"),
                ],
                &[],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
        let received = visitor.get(&page.location()).await;
        assert!(received.html.contains(title), "{}", received.html);
        assert!(
            !received.html.contains("sorry"),
            "not an apology for a {kind}"
        );
        assert!(!received.html.to_lowercase().contains("inquiry"));
        let (_, list) = app.get(&format!("/cases?kind={kind}"), Some(&agent)).await;
        assert_eq!(list["cases"][0]["excerpt"], words, "{list}");
    }
    let (_, complaints) = app.get("/cases?kind=complaint", Some(&agent)).await;
    assert_eq!(complaints["cases"].as_array().map(Vec::len), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_comes_back_with_every_typed_word() {
    let app = TestApp::sqlite().await;
    let mut visitor = Visitor::new(&app);
    let words = "My bill doubled — “why?” 日本語 <i>twice</i>";
    let typed = [
        ("what_happened", words),
        ("what_would_make_it_right", "Refund the difference"),
        ("name", "Ada O'Neil"),
        ("email", "not-an-address"),
        ("phone", ""),
    ];
    let page = visitor.complain(&typed, &[]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("Please check one thing below."),
        "{}",
        page.html
    );
    assert!(page.html.contains("id=\"email-problem\""));
    assert!(page.html.contains("aria-invalid=\"true\""));
    assert!(page.html.contains(&escaped(words)), "{}", page.html);
    assert!(page.html.contains("Refund the difference"));
    assert!(
        page.html
            .contains(&format!("value=\"{}\"", escaped("Ada O'Neil")))
    );
    assert!(page.html.contains("value=\"not-an-address\""));

    // Nothing to reach the customer by: one message names the need, beside the email field.
    let page = visitor.complain(&[("what_happened", "x")], &[]).await;
    assert!(
        page.html
            .contains("Give us an email address or a phone number")
    );

    // A program pretending to be a photo is refused by its content, naming the file.
    let page = visitor
        .complain(
            &[("what_happened", "see photo"), ("email", "a@example.com")],
            &[("photo.png", b"MZ\x90\x00 this is a program")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("“photo.png” is not a photo or a PDF"),
        "{}",
        page.html
    );

    // A refused file and a faulty field are named together, each beside its own field.
    let page = visitor
        .complain(
            &[("what_happened", "see photo"), ("email", "not-an-address")],
            &[("photo.png", b"MZ\x90\x00 this is a program")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("id=\"attachments-problem\""),
        "{}",
        page.html
    );
    assert!(page.html.contains("id=\"email-problem\""), "{}", page.html);
    assert!(page.html.contains("Please check 2 things below."));
    assert!(page.html.contains("see photo"));
}
