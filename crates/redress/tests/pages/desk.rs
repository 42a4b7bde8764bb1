//! The staff desk's door over plain HTTP: signing in (one answer for a wrong email or a wrong
//! password, a pause after repeated failures), the session cookie, signing out (the session is
//! ended on the server, not only forgotten by the browser), the first run's one-time setup
//! link, and changing one's password.

use super::visitor::Visitor;
use crate::helpers::TestApp;
use reqwest::StatusCode;

const PASSWORD: &str = "correct horse battery staple";

/// A staff member who can sign in with `PASSWORD`.
async fn staff_with_password(app: &TestApp, name: &str) -> String {
    let (id, _) = app.staff(name, "agent", None).await;
    let id = id.parse().expect("a staff id");
    app.app()
        .set_password_for(id, PASSWORD)
        .await
        .expect("set the password");
    format!("{}@staff.example", name.to_lowercase().replace(' ', "."))
}

async fn sign_in(visitor: &mut Visitor, email: &str, password: &str) -> super::visitor::Page {
    let form = visitor.get("/desk/sign-in").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.field("csrf");
    visitor
        .post_form(
            "/desk/sign-in",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_see_their_queues_and_sign_out() {
    let app = TestApp::sqlite().await;
    let email = staff_with_password(&app, "Ana Agent").await;
    let sub = app
        .complain_as("kim@example.com", "The lift is broken again")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();

    let mut visitor = Visitor::new(&app);
    // The desk needs a session.
    let page = visitor.get("/desk").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/desk/sign-in");

    // A wrong password and an unknown email get the very same answer.
    let wrong = sign_in(&mut visitor, &email, "not the password at all").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let unknown = sign_in(&mut visitor, "nobody@staff.example", PASSWORD).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    let message = |html: &str| {
        let start = html.find("<div class=\"problems\"").expect("a problem");
        html[start..start + html[start..].find("</div>").expect("end")].to_owned()
    };
    assert_eq!(message(&wrong.html), message(&unknown.html));
    assert!(wrong.html.contains("do not match an account"));
    assert!(
        wrong.html.contains(&format!("value=\"{email}\"")),
        "the email is kept"
    );

    // The right one: a session cookie that scripts cannot read, then the desk.
    let page = sign_in(&mut visitor, &email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/desk");
    let set_cookie = page
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("redress_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax"));
    let desk = visitor.get("/desk").await;
    assert_eq!(desk.status, StatusCode::OK);
    assert!(
        desk.html
            .contains("Signed in as <strong>Ana Agent</strong>")
    );
    assert!(
        desk.html.contains(&reference),
        "the new case waits in the unowned queue"
    );
    assert!(desk.html.contains("The lift is broken again"));
    assert!(desk.html.contains("a first answer"));

    // Signing out ends the session on the server: the old cookie no longer opens the desk.
    let session = visitor
        .cookies
        .iter()
        .find(|(k, _)| k == "redress_session")
        .expect("session cookie")
        .1
        .clone();
    let csrf = desk.field("csrf");
    let out = visitor
        .post_form("/desk/sign-out", &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), "/desk/sign-in");
    visitor.cookies.retain(|(k, _)| k != "redress_session");
    visitor
        .cookies
        .push(("redress_session".to_owned(), session));
    let page = visitor.get("/desk").await;
    assert_eq!(
        page.status,
        StatusCode::SEE_OTHER,
        "an ended session opens nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_failures_pause_the_account_and_say_for_how_long() {
    let app = TestApp::sqlite().await;
    let email = staff_with_password(&app, "Ana Agent").await;
    let mut visitor = Visitor::new(&app);
    for _ in 0..5 {
        let page = sign_in(&mut visitor, &email, "guess guess guess").await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED);
    }
    // Now even the right password waits.
    let page = sign_in(&mut visitor, &email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "{}", page.html);
    assert!(page.html.contains("Too many attempts"), "{}", page.html);
    assert!(page.html.contains("wait a minute"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_run_setup_link_creates_the_first_admin_once() {
    let app = TestApp::sqlite().await;
    let token = app
        .app()
        .setup_link_token()
        .await
        .expect("setup link")
        .expect("no admin yet, so a link");
    let path = format!("/setup/{}", token.reveal());
    let mut visitor = Visitor::new(&app);
    let form = visitor.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.field("csrf");

    // Two different passwords: the form comes back with the name and email kept.
    let page = visitor
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("name", "Ada Admin"),
                ("email", "ada@staff.example"),
                ("password", PASSWORD),
                ("confirm_password", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("value=\"Ada Admin\""));
    assert!(page.html.contains("The two passwords are not the same."));

    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Ada Admin"),
        ("email", "ada@staff.example"),
        ("password", PASSWORD),
        ("confirm_password", PASSWORD),
    ];
    let page = visitor.post_form(&path, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/desk");
    let desk = visitor.get("/desk").await;
    assert!(
        desk.html
            .contains("Signed in as <strong>Ada Admin</strong>")
    );

    // The link works once; and with an admin in place no new link is offered.
    let again = visitor.post_form(&path, &fields).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert!(again.html.contains("This setup link cannot be used"));
    assert!(app.app().setup_link_token().await.expect("ok").is_none());
    let used = visitor.get(&path).await;
    assert_eq!(
        used.status,
        StatusCode::NOT_FOUND,
        "a used link shows no form"
    );
    assert!(!used.html.contains("name=\"password\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_change_their_password() {
    let app = TestApp::sqlite().await;
    let email = staff_with_password(&app, "Ana Agent").await;
    let mut visitor = Visitor::new(&app);
    assert_eq!(
        sign_in(&mut visitor, &email, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let form = visitor.get("/desk/password").await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.field("csrf");
    let new = "a brand new passphrase here";

    let page = visitor
        .post_form(
            "/desk/password",
            &[
                ("csrf", &csrf),
                ("current_password", "wrong current one"),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("This is not your current password."));

    let page = visitor
        .post_form(
            "/desk/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", "short"),
                ("confirm_password", "short"),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.html.contains("id=\"new_password-problem\""));

    let page = visitor
        .post_form(
            "/desk/password",
            &[
                ("csrf", &csrf),
                ("current_password", PASSWORD),
                ("new_password", new),
                ("confirm_password", new),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.html);
    assert_eq!(page.location(), "/desk?done=password");
    let desk = visitor.get("/desk?done=password").await;
    assert!(desk.html.contains("Your password is changed"));

    // Another browser: the old password no longer works, the new one does.
    let mut other = Visitor::new(&app);
    assert_eq!(
        sign_in(&mut other, &email, PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(&mut other, &email, new).await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_page_shows_the_words_what_is_due_the_customer_and_the_whole_story() {
    let app = TestApp::sqlite().await;
    let email = staff_with_password(&app, "Ana Agent").await;
    let (_, agent) = app.staff("Sam Helper", "agent", None).await;
    let sub = app
        .complain_as("lee@example.com", "Cold soup, twice.\nNobody came.")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let id = app.case_id(&sub, &agent).await;
    let (_, detail) = app.get(&format!("/cases/{id}"), Some(&agent)).await;
    let customer = detail["customer"]["id"]
        .as_str()
        .expect("customer")
        .to_owned();
    let today = time::OffsetDateTime::now_utc().date();
    let birthday = today.replace_year(1980).unwrap_or(today).to_string();
    let (s, _) = app
        .request(
            reqwest::Method::PATCH,
            &format!("/customers/{customer}"),
            Some(&agent),
            Some(&serde_json::json!({
                "name": "Lee Wong",
                "important_dates": [{ "label": "birthday", "date": birthday }],
                "preferences": ["window seat"],
                "dislikes": ["does not drink"],
            })),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let post = |path: &str, body: serde_json::Value| {
        let path = format!("/cases/{id}{path}");
        let (app, agent) = (&app, agent.clone());
        async move {
            let (s, res) = app.post(&path, Some(&agent), body).await;
            assert_eq!(s, StatusCode::OK, "{path}: {res}");
        }
    };
    post(
        "/notes",
        serde_json::json!({ "body": "Kitchen says the heater failed" }),
    )
    .await;
    post(
        "/commitments",
        serde_json::json!({ "what": "Call back", "how": "By phone", "due": today.to_string() }),
    )
    .await;
    post(
        "/operations-views",
        serde_json::json!({ "department": "Kitchen", "question": "What happened on Tuesday?" }),
    )
    .await;

    let mut visitor = Visitor::new(&app);
    assert_eq!(
        sign_in(&mut visitor, &email, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let desk = visitor.get("/desk").await;
    assert!(
        desk.html
            .contains(&format!("href=\"/desk/cases/{reference}\""))
    );
    let page = visitor.get(&format!("/desk/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    for expected in [
        "Cold soup, twice.\nNobody came.",
        "Promised: Call back, by",
        "Soon:",
        "Waiting for Kitchen",
        "What happened on Tuesday?",
        "Record their answer",
        "Lee Wong",
        "Today is their birthday.",
        "window seat",
        "does not drink",
        "Internal note.",
        "Kitchen says the heater failed",
        "<strong>internal</strong>",
        "Sam Helper",
    ] {
        assert!(
            page.html.contains(expected),
            "{expected} missing: {}",
            page.html
        );
    }
    let missing = visitor.get("/desk/cases/AAAA-AAAA-AAAA").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Without a session, nothing.
    let mut stranger = Visitor::new(&app);
    let page = stranger.get(&format!("/desk/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agent_picks_up_replies_notes_and_proposes_from_the_case_page() {
    let app = TestApp::sqlite().await;
    let email = staff_with_password(&app, "Ana Agent").await;
    let sub = app
        .complain_as("lee@example.com", "My parcel never came")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let token = sub["tracking_token"].as_str().expect("token").to_owned();
    let path = format!("/desk/cases/{reference}");

    let mut visitor = Visitor::new(&app);
    assert_eq!(
        sign_in(&mut visitor, &email, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    let page = visitor.get(&path).await;
    let csrf = page.field("csrf");
    let post = |action: &'static str, fields: Vec<(&'static str, String)>| {
        let mut all = vec![("csrf", csrf.clone())];
        all.extend(fields);
        (format!("{path}/{action}"), all)
    };

    // Pick it up.
    let (to, fields) = post("pick-up", vec![]);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = visitor.post_form(&to, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.html);
    let page = visitor.get(&res.location()).await;
    assert!(page.html.contains("The case is yours."));
    assert!(
        !page.html.contains("id=\"pick-up\""),
        "no pick-up button on my own case"
    );

    // An empty reply comes back with the problem beside the box; a real one is sent.
    let (to, fields) = post("reply", vec![("body", "  ".to_owned())]);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = visitor.post_form(&to, &fields).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.html.contains("id=\"body-problem\""));
    let reply = "You told us your parcel never came. I am Ana; I have asked the courier and will write by Friday.";
    let (to, fields) = post("reply", vec![("body", reply.to_owned())]);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = visitor.post_form(&to, &fields).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.html);

    // A note the customer never sees.
    let (to, fields) = post("note", vec![("note", "Courier ref 44-1".to_owned())]);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        visitor.post_form(&to, &fields).await.status,
        StatusCode::SEE_OTHER
    );

    // A proposal; proposing again while the first waits is refused with the reason.
    let (to, fields) = post(
        "propose",
        vec![("summary", "A new parcel by Friday".to_owned())],
    );
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        visitor.post_form(&to, &fields).await.status,
        StatusCode::SEE_OTHER
    );
    let again = visitor.post_form(&to, &fields).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.html);
    assert!(again.html.contains("This could not be done"));
    assert!(
        again.html.contains("A new parcel by Friday"),
        "the typed words are kept"
    );

    let page = visitor.get(&path).await;
    for expected in [
        reply,
        "Courier ref 44-1",
        "Resolution proposed:",
        "Ana Agent",
    ] {
        assert!(page.html.contains(expected), "{expected} missing");
    }
    // The customer sees the reply and the proposal, not the note.
    let (_, view) = app.get(&format!("/track/{token}"), None).await;
    let seen = view.to_string();
    assert!(seen.contains("I am Ana") && seen.contains("A new parcel by Friday"));
    assert!(!seen.contains("Courier ref"));
}
