//! The form's protections, each refusal keeping the customer's words: CSRF (another site,
//! another browser's token, no cookie), the honeypot, the rate limit, and the limits on
//! attached files.

use super::visitor::{PNG, Visitor};
use crate::helpers::TestApp;
use reqwest::{StatusCode, multipart};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_refuse_other_sites_stale_tokens_and_bots_but_keep_the_words() {
    let app = TestApp::sqlite().await;
    let (_, agent) = app.staff("Ana Agent", "agent", None).await;
    let mut visitor = Visitor::new(&app);
    let form = visitor.get("/complain").await;
    let nonce = form.field("form");

    // A token from another browser (another cookie) is refused, the words kept.
    let mut other = Visitor::new(&app);
    let foreign = other.get("/complain").await.field("csrf");
    let page = visitor
        .post_multipart(
            "/complain",
            &[
                ("csrf", &foreign),
                ("form", &nonce),
                ("what_happened", "Forged?"),
                ("email", "a@example.com"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("This form had expired"));
    assert!(page.html.contains("Forged?"));

    // No cookie at all: explained, words kept.
    let mut cookieless = Visitor::new(&app);
    let page = cookieless
        .post_multipart(
            "/complain",
            &[
                ("csrf", &foreign),
                ("form", &nonce),
                ("what_happened", "No cookies here"),
                ("email", "a@example.com"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.html.contains("safety cookie"));
    assert!(page.html.contains("No cookies here"));

    // A post from another site is refused outright.
    let csrf = visitor.get("/complain").await.field("csrf");
    let res = visitor
        .client
        .post(format!("{}/complain", visitor.site))
        .header("cookie", visitor.cookie_header())
        .header("origin", "https://evil.example")
        .multipart(
            multipart::Form::new()
                .text("csrf", csrf.clone())
                .text("form", nonce.clone())
                .text("what_happened", "cross-site")
                .text("email", "a@example.com"),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Nothing is taken, but a person who somehow got here still has their words.
    assert!(res.text().await.expect("page").contains("cross-site"));

    // The honeypot: a human is told what happened, with the words kept; nothing is stored.
    let page = visitor
        .post_multipart(
            "/complain",
            &[
                ("csrf", &csrf),
                ("form", &nonce),
                ("what_happened", "Filled by autofill"),
                ("email", "a@example.com"),
                ("website", "http://spam.example"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("A field that should stay empty was filled in")
    );
    assert!(page.html.contains("Filled by autofill"));
    assert!(!page.html.contains("http://spam.example"));
    assert_eq!(app.count_cases(&agent).await, 0, "nothing stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_many_forms_from_one_address_are_paused_with_the_words_kept() {
    let app = TestApp::sqlite_with("[web]\nform_posts_per_minute = 2\n").await;
    let mut visitor = Visitor::new(&app);
    for i in 0..2 {
        let page = visitor
            .complain(
                &[
                    ("what_happened", &format!("complaint {i}")),
                    ("email", "a@example.com"),
                ],
                &[],
            )
            .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    }
    let page = visitor
        .complain(
            &[("what_happened", "the third"), ("email", "a@example.com")],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.html.contains("wait a minute"), "{}", page.html);
    assert!(page.html.contains("the third"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn files_too_large_or_too_many_are_named_and_the_words_kept() {
    let app =
        TestApp::sqlite_with("[organisation]\nmax_attachment_bytes = 1000\nmax_attachments = 2\n")
            .await;
    let (_, agent) = app.staff("Ana Agent", "agent", None).await;
    let mut visitor = Visitor::new(&app);
    let fields = [
        ("what_happened", "Scans attached"),
        ("email", "a@example.com"),
    ];

    // One file over the limit: named, the words kept, nothing stored.
    let mut big = PNG.to_vec();
    big.resize(5_000, 0);
    let page = visitor
        .complain(&fields, &[("small.png", PNG), ("scan.png", &big)])
        .await;
    assert_eq!(page.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        page.html.contains("“scan.png” is larger than"),
        "{}",
        page.html
    );
    assert!(page.html.contains("Scans attached"));

    // More files than allowed.
    let page = visitor
        .complain(&fields, &[("a.png", PNG), ("b.png", PNG), ("c.png", PNG)])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html.contains("Attach at most 2 files"),
        "{}",
        page.html
    );

    // A refused form whose files were fine says they must be chosen again.
    let page = visitor
        .complain(
            &[("what_happened", "x"), ("email", "nope")],
            &[("a.png", PNG)],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.html
            .contains("files are not kept when the form comes back")
    );
    assert_eq!(app.count_cases(&agent).await, 0);

    // Within the limits: taken.
    let page = visitor
        .complain(&fields, &[("a.png", PNG), ("b.png", PNG)])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(app.count_cases(&agent).await, 1);
}
