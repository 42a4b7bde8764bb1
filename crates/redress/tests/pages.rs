//! The customer pages over plain HTTP, as a browser without JavaScript uses them: the form's
//! protections (CSRF, honeypot, rate limit, content-checked uploads), a double post taken once,
//! typed words kept on every refusal, escaping, the tracking link as the only key, and the
//! customer's language remembered on the case. The same pages in a real browser are in
//! `browser/journeys.rs`.

use crate::helpers::{TestApp, today_plus};
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Client, StatusCode, multipart};
use serde_json::json;

crate::on_both_backends!(
    a_complaint_with_a_photo_becomes_a_case_once,
    the_tracking_link_is_the_only_key,
    the_case_page_shows_the_customer_side_only
);

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub struct Visitor {
    client: Client,
    site: String,
    cookies: Vec<(String, String)>,
    pub language: Option<&'static str>,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub html: String,
}

impl Page {
    /// The value of a form field (`name="x" ... value="v"`) as the page holds it.
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\"");
        let at = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.html));
        let rest = &self.html[at..];
        let start = rest.find("value=\"").expect("a value") + 7;
        let len = rest[start..].find('"').expect("closing quote");
        rest[start..start + len].to_owned()
    }

    pub fn location(&self) -> String {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("no Location ({}): {}", self.status, self.html))
            .to_owned()
    }
}

impl Visitor {
    pub fn new(app: &TestApp) -> Visitor {
        Visitor {
            client: Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            site: app.site(),
            cookies: Vec::new(),
            language: None,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn finish(&mut self, req: reqwest::RequestBuilder) -> Page {
        let mut req = req.header("cookie", self.cookie_header());
        if let Some(lang) = self.language {
            req = req.header("accept-language", lang);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let headers = res.headers().clone();
        for c in headers.get_all(SET_COOKIE) {
            let c = c.to_str().expect("cookie");
            let (pair, _) = c.split_once(';').unwrap_or((c, ""));
            let (k, v) = pair.split_once('=').expect("name=value");
            self.cookies.retain(|(name, _)| name != k);
            self.cookies.push((k.to_owned(), v.to_owned()));
        }
        let html = res.text().await.expect("body");
        Page {
            status,
            headers,
            html,
        }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let req = self.client.get(format!("{}{path}", self.site));
        self.finish(req).await
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let req = self
            .client
            .post(format!("{}{path}", self.site))
            .header("origin", self.site.clone())
            .form(fields);
        self.finish(req).await
    }

    pub async fn post_multipart(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &[u8])],
    ) -> Page {
        let mut form = multipart::Form::new();
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        for (name, bytes) in files {
            form = form.part(
                "attachments",
                multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
            );
        }
        let req = self
            .client
            .post(format!("{}{path}", self.site))
            .header("origin", self.site.clone())
            .multipart(form);
        self.finish(req).await
    }

    /// Opens the form and sends it with `fields` (plus the form's own hidden fields).
    pub async fn complain(&mut self, fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> Page {
        let form = self.get("/complain").await;
        assert_eq!(form.status, StatusCode::OK);
        let csrf = form.field("csrf");
        let nonce = form.field("form");
        let mut all = vec![("csrf", csrf.as_str()), ("form", nonce.as_str())];
        all.extend_from_slice(fields);
        self.post_multipart("/complain", &all, files).await
    }
}

/// Text as the pages write it into HTML: every markup character escaped.
pub fn escaped(text: &str) -> String {
    text.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

/// A 1×1 PNG.
pub const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

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

async fn the_tracking_link_is_the_only_key(app: TestApp) {
    let sub = app.complain_as("lee@example.com", "Lost my parcel").await;
    let token = sub["tracking_token"].as_str().expect("token");
    let mut visitor = Visitor::new(&app);
    let page = visitor.get(&format!("/track/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("Lost my parcel"));

    // A well-formed unknown token, a malformed one and a truncated one look exactly alike.
    let unknown = visitor
        .get("/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        .await;
    let malformed = visitor.get("/track/%3Cscript%3E").await;
    let truncated = visitor.get(&format!("/track/{}", &token[..20])).await;
    for p in [&unknown, &malformed, &truncated] {
        assert_eq!(p.status, StatusCode::NOT_FOUND);
        assert_eq!(p.html, unknown.html, "a wrong link reveals nothing");
        assert!(!p.html.contains("<script>"));
    }
    // The path is never echoed into a link: //elsewhere cannot become an off-site link.
    let odd = visitor.get("//evil.example/x").await;
    assert_eq!(odd.status, StatusCode::NOT_FOUND);
    assert!(!odd.html.contains("evil.example"), "{}", odd.html);
    let reply = visitor
        .post_form(
            "/track/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/reply",
            &[("csrf", &page.field("csrf")), ("body", "hello")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
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
    assert!(page.html.contains("see photo"));
}

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
async fn the_front_door_lists_every_channel_and_the_promise_from_configuration() {
    let app = TestApp::sqlite_with(
        r#"
[organisation]
name = "Northwind Rail"
care_team = "the Northwind care team"
first_response_days = 3
email = "care@northwind.example"
phone = "+44 20 7946 0000"
opening_hours = ["Monday to Friday, 8:00 to 20:00", "Saturday, 9:00 to 13:00"]
postal_address = "Northwind Rail\n1 Station Road\nYork"
products = ["Season ticket", "Delay repay"]
"#,
    )
    .await;
    let mut visitor = Visitor::new(&app);
    let page = visitor.get("/").await;
    assert_eq!(page.status, StatusCode::OK);
    for expected in [
        "Northwind Rail",
        "href=\"/complain\"",
        "mailto:care@northwind.example",
        "tel:+442079460000",
        "Monday to Friday, 8:00 to 20:00",
        "1 Station Road",
        "The Northwind care team reads what you send and answers you personally within 3 days",
    ] {
        assert!(
            page.html.contains(expected),
            "{expected} missing: {}",
            page.html
        );
    }
    // The form offers the configured list.
    let form = visitor.get("/complain").await;
    assert!(
        form.html
            .contains("<option value=\"Delay repay\">Delay repay</option>")
    );

    // In Spanish when the browser asks for it; the choice of the switch is remembered.
    visitor.language = Some("es-ES,es;q=0.9");
    let page = visitor.get("/").await;
    assert!(page.html.contains("<html lang=\"es\">"));
    assert!(page.html.contains("Cómo contactarnos"));
    visitor.language = None;
    let page = visitor.get("/?lang=es").await;
    assert!(page.html.contains("Cómo contactarnos"));
    let page = visitor.get("/complain").await;
    assert!(page.html.contains("Cuéntenos qué pasó"));

    // Unknown pages are pages; unknown API paths stay JSON.
    let missing = visitor.get("/no-such-page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.html.contains("<html"));
    let (status, body) = app.get("/no-such-endpoint", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_customer_language_is_remembered_on_the_case() {
    let app = TestApp::sqlite().await;
    let mut visitor = Visitor::new(&app);
    visitor.language = Some("es");
    let page = visitor
        .complain(
            &[
                ("what_happened", "El tren llegó tarde"),
                ("email", "ana@example.com"),
            ],
            &[],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    let received_path = page.location();
    let track_path = received_path
        .split("/received")
        .next()
        .expect("path")
        .to_owned();

    // Another browser with no preference of its own opens the link: Spanish, from the case.
    let mut elsewhere = Visitor::new(&app);
    let page = elsewhere.get(&track_path).await;
    assert!(page.html.contains("<html lang=\"es\">"), "{}", page.html);
    assert!(page.html.contains("Lo hemos recibido"));

    // The customer replies from the page; the reply is on the timeline.
    let csrf = page.field("csrf");
    let res = elsewhere
        .post_form(
            &format!("{track_path}/reply"),
            &[("csrf", &csrf), ("body", "¿Alguna novedad?")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.html);
    let page = elsewhere.get(&res.location()).await;
    assert!(page.html.contains("Su mensaje está en su caso"));
    assert!(page.html.contains("¿Alguna novedad?"));

    // An empty reply comes back with the problem beside the box.
    let res = elsewhere
        .post_form(
            &format!("{track_path}/reply"),
            &[("csrf", &csrf), ("body", "  ")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.html.contains("id=\"body-problem\""));

    // The API's acknowledgement speaks the customer's language too, from the same catalogue.
    let sub = app
        .complain(json!({ "what_happened": "Mi maleta no llegó", "email": "ana@example.com", "language": "es" }))
        .await;
    let message = sub["acknowledgement"]["message"].as_str().expect("message");
    assert!(message.starts_with("Hemos recibido su queja"), "{message}");
    assert!(
        message.contains("Nos contó: «Mi maleta no llegó»"),
        "{message}"
    );
    assert!(
        message.contains("El equipo de atención al cliente lo estudiará"),
        "{message}"
    );
}

async fn the_case_page_shows_the_customer_side_only(app: TestApp) {
    let (agent_id, agent) = app.staff("Ana Agent", "agent", Some("100")).await;
    let sub = app.complain_as("lee@example.com", "The heater broke").await;
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let id = app.case_id(&sub, &agent).await;
    let act = |path: &str, body: serde_json::Value| {
        let path = format!("/cases/{id}{path}");
        let agent = agent.clone();
        let app = &app;
        async move {
            let (s, res) = app.post(&path, Some(&agent), body).await;
            assert_eq!(s, StatusCode::OK, "{path}: {res}");
        }
    };
    act("/assign", json!({ "owner_id": agent_id })).await;
    act(
        "/acknowledge",
        json!({ "message": "I'm Ana; I will get the heater fixed.", "respond_by": today_plus(1) }),
    )
    .await;
    act("/notes", json!({ "body": "SECRET-NOTE boiler logs" })).await;
    act(
        "/operations-views",
        json!({ "department": "Maintenance", "question": "SECRET-QUESTION was it reported?" }),
    )
    .await;
    act(
        "/commitments",
        json!({ "what": "Send an engineer", "how": "Booked for the morning", "due": today_plus(2) }),
    )
    .await;
    act(
        "/remedies",
        json!({ "kind": "goodwill", "description": "A free breakfast", "amount": "12.00", "currency": "EUR" }),
    )
    .await;

    let mut visitor = Visitor::new(&app);
    let page = visitor.get(&format!("/track/{token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    for shown in [
        "Looked after by Ana Agent",
        "I&#39;m Ana; I will get the heater fixed.",
        "Send an engineer",
        "As a gesture of goodwill",
        "A free breakfast",
    ] {
        assert!(page.html.contains(shown), "{shown} missing: {}", page.html);
    }
    for hidden in ["SECRET-NOTE", "SECRET-QUESTION", "Maintenance"] {
        assert!(
            !page.html.contains(hidden),
            "{hidden} leaked to the customer"
        );
    }
    // The page needs its HTML, one stylesheet and one small script: nothing else.
    assert_eq!(page.html.matches("<link rel=\"stylesheet\"").count(), 1);
    assert_eq!(page.html.matches("<script").count(), 1);
    assert!(!page.html.contains("<img"));
    assert!(
        !page.html.contains(" style=\""),
        "no inline styles (the CSP forbids them)"
    );
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
