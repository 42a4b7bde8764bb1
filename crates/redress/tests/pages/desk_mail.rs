//! Mail at the desk over plain HTTP: machine mail and mail that failed are listed and read with
//! their raw source (escaped) and downloaded exactly as they came; a frontline agent cannot
//! have a message handled again, a supervisor can and it becomes a case; a case opened from an
//! email that could not be read says so; a reply the relay refused for good shows on its case.

use super::visitor::{PASSWORD, Visitor, escaped};
use crate::helpers::TestApp;
use crate::mail_servers::Relay;
use redress_domain::MailId;
use redress_store::{ArrivedMail, MailOutcome};
use reqwest::StatusCode;
use std::time::Duration;

/// A staff member with `role`, signed in at the desk; returns their browser and API token.
async fn signed_in(app: &TestApp, name: &str, role: &str) -> (Visitor, String) {
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let (staff, token) = app
        .app()
        .add_staff(name, &email, role, None, None)
        .await
        .expect("add staff");
    app.app()
        .set_password_for(staff.id, PASSWORD)
        .await
        .expect("password");
    let visitor = Visitor::signed_in(app, &email).await;
    (visitor, token.reveal().to_owned())
}

async fn receive(app: &TestApp, raw: &[u8]) -> (MailId, MailOutcome) {
    app.app()
        .receive_mail("imap:care@riverside.test/INBOX", raw.to_vec())
        .await
        .unwrap_or_else(|e| panic!("receive_mail: {e}"))
}

async fn case(app: &TestApp, id: redress_domain::CaseId) -> redress_domain::Case {
    app.app()
        .store()
        .case(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn outcome(app: &TestApp, id: MailId) -> MailOutcome {
    app.app()
        .store()
        .mail(id)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .outcome
}

/// The raw download, byte for byte, with its headers.
async fn download(visitor: &Visitor, id: MailId) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let res = visitor
        .client
        .get(format!("{}/desk/mail/{id}/raw", visitor.site))
        .header("cookie", visitor.cookie_header())
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    let headers = res.headers().clone();
    (headers, res.bytes().await.expect("body").to_vec())
}

const MACHINE: &[u8] = b"From: Kim <kim@example.com>\r\nTo: care@riverside.test\r\n\
    Subject: Away <b>until Monday</b>\r\nAuto-Submitted: auto-replied\r\n\r\n\
    I am away. <script>alert(1)</script>\r\n";

const NO_SENDER: &[u8] = b"\xff\xfe garbage <script>alert(2)</script> without a sender";

const GOOD: &[u8] = b"From: Lucia Perez <lucia@example.com>\r\nTo: care@riverside.test\r\n\
    Subject: Room 12\r\nMessage-ID: <good@mail.example.com>\r\n\r\n\
    The heater in room 12 broke on Monday and nobody came.\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn machine_mail_and_failed_mail_are_listed_and_read_with_their_raw_source() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent").await;
    let (machine, ignored) = receive(&app, MACHINE).await;
    assert!(matches!(ignored, MailOutcome::Ignored(_)), "{ignored:?}");
    let (failed, went_wrong) = receive(&app, NO_SENDER).await;
    assert!(
        matches!(went_wrong, MailOutcome::Failed(_)),
        "{went_wrong:?}"
    );
    let (good, opened) = receive(&app, GOOD).await;
    let MailOutcome::OpenedCase(case_id) = opened else {
        panic!("{opened:?}")
    };
    let reference = case(&app, case_id).await.reference.to_string();

    let desk = ana.get("/desk").await;
    assert!(
        desk.html.contains("href=\"/desk/mail\""),
        "the desk links to the mail"
    );

    // Needs a look: what failed, nothing else.
    let look = ana.get("/desk/mail").await;
    assert_eq!(look.status, StatusCode::OK, "{}", look.html);
    assert!(
        look.html.contains(&format!("/desk/mail/{failed}")),
        "{}",
        look.html
    );
    assert!(!look.html.contains(&format!("/desk/mail/{machine}")));
    assert!(!look.html.contains(&format!("/desk/mail/{good}")));
    assert!(look.html.contains("Could not be handled"), "{}", look.html);

    let machines = ana.get("/desk/mail?tab=machine").await;
    assert!(machines.html.contains(&format!("/desk/mail/{machine}")));
    assert!(!machines.html.contains(&format!("/desk/mail/{failed}")));
    assert!(
        machines.html.contains(&escaped("Away <b>until Monday</b>")),
        "the subject, escaped: {}",
        machines.html
    );
    assert!(!machines.html.contains("<b>until"));
    assert!(machines.html.contains("an automatic reply (auto-replied)"));

    let all = ana.get("/desk/mail?tab=all").await;
    for id in [machine, failed, good] {
        assert!(
            all.html.contains(&format!("/desk/mail/{id}")),
            "{id} in all"
        );
    }
    assert!(
        all.html
            .contains(&format!("href=\"/desk/cases/{reference}\"")),
        "the case the good one opened: {}",
        all.html
    );
    assert!(all.html.contains("Lucia Perez &#60;lucia@example.com&#62;"));

    // Read: what we read, and the raw source escaped.
    let page = ana.get(&format!("/desk/mail/{machine}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    assert!(page.html.contains("Written by a machine"), "{}", page.html);
    assert!(page.html.contains(&escaped("<script>alert(1)</script>")));
    assert!(!page.html.contains("<script>alert(1)"), "never markup");
    assert!(
        page.html.contains("Auto-Submitted: auto-replied"),
        "the raw source"
    );
    assert!(page.html.contains(&format!("/desk/mail/{machine}/raw")));

    let page = ana.get(&format!("/desk/mail/{failed}")).await;
    assert!(
        page.html.contains("no case could be opened"),
        "{}",
        page.html
    );
    assert!(page.html.contains(&escaped("<script>alert(2)</script>")));
    assert!(!page.html.contains("<script>alert(2)"));
    assert!(
        page.html
            .contains("A supervisor or an administrator can have this email handled again"),
        "an agent sees who can: {}",
        page.html
    );
    assert!(!page.html.contains("id=\"handle-again\""), "but no button");

    // The download: the bytes as they came, never shown by the browser.
    let (headers, bytes) = download(&ana, failed).await;
    assert_eq!(bytes, NO_SENDER, "byte for byte");
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert!(
        header("content-disposition").starts_with("attachment;"),
        "{headers:?}"
    );
    assert!(header("content-disposition").contains(".eml"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert_eq!(header("content-type"), "message/rfc822");
    assert!(header("content-security-policy").contains("sandbox"));

    // An agent cannot have it handled again, even by posting the form.
    let csrf = page.field("csrf");
    let refused = ana
        .post_form(
            &format!("/desk/mail/{failed}/handle-again"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.html);
    assert!(
        refused
            .html
            .contains("Only a supervisor or an administrator")
    );
    assert!(matches!(
        outcome(&app, failed).await,
        MailOutcome::Failed(_)
    ));

    // Unknown and malformed ids: not found.
    let unknown = ana.get(&format!("/desk/mail/{}", MailId::new())).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let malformed = ana.get("/desk/mail/not-an-id").await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);

    // Signed out: to the sign-in page.
    let mut stranger = Visitor::new(&app);
    let away = stranger.get(&format!("/desk/mail/{failed}/raw")).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(away.location(), "/desk/sign-in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_has_failed_mail_handled_again_and_it_becomes_a_case() {
    let app = TestApp::sqlite().await;
    let (mut sue, _) = signed_in(&app, "Sue Super", "supervisor").await;
    // Kept, then the database was away while it was handled.
    let kept = ArrivedMail {
        id: MailId::new(),
        source: "imap:care@riverside.test/INBOX".to_owned(),
        received_at: time::OffsetDateTime::now_utc(),
        raw: GOOD.to_vec(),
    };
    let store = app.app().store().clone();
    store
        .keep_mail(&kept, None)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let failed = MailOutcome::Failed("storage failed".to_owned());
    store
        .settle_mail(kept.id, &failed)
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let page = sue.get(&format!("/desk/mail/{}", kept.id)).await;
    assert!(page.html.contains("id=\"handle-again\""), "{}", page.html);
    assert!(
        page.html.contains("Its words make it a complaint"),
        "the kind it would be filed as: {}",
        page.html
    );
    // A form without its token changes nothing.
    let forged = sue
        .post_form(
            &format!("/desk/mail/{}/handle-again", kept.id),
            &[("csrf", "forged")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(outcome(&app, kept.id).await, failed);

    let csrf = page.field("csrf");
    let handled = sue
        .post_form(
            &format!("/desk/mail/{}/handle-again", kept.id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(handled.status, StatusCode::SEE_OTHER, "{}", handled.html);
    assert_eq!(
        handled.location(),
        format!("/desk/mail/{}?done=handled#done", kept.id)
    );
    let MailOutcome::OpenedCase(case_id) = outcome(&app, kept.id).await else {
        panic!("not a case")
    };
    let case = store.case(case_id).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        case.words.as_str(),
        "The heater in room 12 broke on Monday and nobody came."
    );
    let page = sue.get(&handled.location()).await;
    assert!(page.html.contains("The email was handled again"));
    assert!(
        page.html
            .contains(&format!("href=\"/desk/cases/{}\"", case.reference))
    );
    assert!(!page.html.contains("id=\"handle-again\""), "done once");
    let look = sue.get("/desk/mail").await;
    assert!(
        !look.html.contains(&format!("/desk/mail/{}", kept.id)),
        "no longer needs a look"
    );

    // Again: refused, and still one case.
    let again = sue
        .post_form(
            &format!("/desk/mail/{}/handle-again", kept.id),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.html);
    assert_eq!(
        outcome(&app, kept.id).await,
        MailOutcome::OpenedCase(case_id)
    );

    // The case says where it came from and how it was filed.
    let case_page = sue.get(&format!("/desk/cases/{}", case.reference)).await;
    assert!(
        case_page.html.contains("Opened from an email"),
        "{}",
        case_page.html
    );
    assert!(
        case_page
            .html
            .contains(&format!("href=\"/desk/mail/{}\"", kept.id))
    );
    assert!(
        case_page
            .html
            .contains("Filed as a complaint: nothing in it says it is plainly a question"),
        "{}",
        case_page.html
    );
    assert!(!case_page.html.contains("id=\"unreadable-mail\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_opened_from_an_unreadable_email_says_its_words_are_the_raw_source() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent").await;
    let raw = b"From: Kim <kim@example.com>\r\nSubject: Heater\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
        The heater <i>broke</i> again\r\n--b--\r\n";
    let (id, opened) = receive(&app, raw).await;
    let MailOutcome::OpenedCase(case_id) = opened else {
        panic!("{opened:?}")
    };
    let case = case(&app, case_id).await;
    let page = ana.get(&format!("/desk/cases/{}", case.reference)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let warning_at = page
        .html
        .find("id=\"unreadable-mail\"")
        .unwrap_or_else(|| panic!("a warning: {}", page.html));
    let warning = &page.html[warning_at..];
    let warning = &warning[..warning.find("</p>").expect("end")];
    assert!(warning.contains("could not be read"), "{warning}");
    assert!(warning.contains("raw source"), "{warning}");
    assert!(
        warning.contains(&format!("href=\"/desk/mail/{id}\"")),
        "{warning}"
    );
    assert!(
        page.html
            .contains(&escaped("The heater <i>broke</i> again")),
        "the raw source is the case's words, escaped"
    );
    assert!(!page.html.contains("<i>broke"));

    let mail = ana.get(&format!("/desk/mail/{id}")).await;
    assert!(
        mail.html.contains("Redress could not read this email"),
        "{}",
        mail.html
    );
    assert!(
        mail.html
            .contains(&format!("href=\"/desk/cases/{}\"", case.reference))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reply_the_relay_refused_for_good_shows_on_the_case() {
    let Some(relay) = Relay::start() else {
        return;
    };
    let app = TestApp::sqlite_with(
        "[organisation]\nname = \"Riverside\"\nemail = \"care@riverside.test\"\n",
    )
    .await;
    let (mut ana, token) = signed_in(&app, "Ana Agent", "agent").await;
    let refused = app
        .complain_as("reject-kim@customer.test", "The heater broke.")
        .await;
    let delivered = app
        .complain_as("lucia@customer.test", "The spa was closed.")
        .await;
    for sub in [&refused, &delivered] {
        let id = app.case_id(sub, &token).await;
        let (status, body) = app
            .post(
                &format!("/cases/{id}/messages"),
                Some(&token),
                serde_json::json!({ "body": "We are on it. Ana" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let reference = |sub: &serde_json::Value| sub["reference"].as_str().expect("ref").to_owned();
    let waiting = ana
        .get(&format!("/desk/cases/{}", reference(&delivered)))
        .await;
    assert!(
        waiting
            .html
            .contains("Waiting to be emailed to lucia@customer.test"),
        "{}",
        waiting.html
    );

    let smtp = redress_mail::SmtpRelay::plain("127.0.0.1", relay.port());
    let sent = app
        .app()
        .deliver_due_mail(&smtp)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sent, 2,
        "Lucia's acknowledgement and reply delivered; both to Kim refused for good"
    );
    relay.wait_for(2, Duration::from_secs(10)).await;

    let page = ana
        .get(&format!("/desk/cases/{}", reference(&refused)))
        .await;
    let warning_at = page
        .html
        .find("id=\"undelivered\"")
        .unwrap_or_else(|| panic!("a warning at the top: {}", page.html));
    let story_at = page.html.find("id=\"timeline\"").expect("the story");
    assert!(warning_at < story_at, "near the top");
    let warning = &page.html[warning_at..];
    let warning = &warning[..warning.find("</div>").expect("end")];
    assert!(
        warning.contains("A message could not be delivered to reject-kim@customer.test"),
        "{warning}"
    );
    assert!(
        warning.contains("Reach the customer another way"),
        "{warning}"
    );
    assert!(
        page.html[story_at..].contains("Could not be delivered to reject-kim@customer.test"),
        "the message in the story says so: {}",
        page.html
    );

    let page = ana
        .get(&format!("/desk/cases/{}", reference(&delivered)))
        .await;
    assert!(
        page.html.contains("Emailed to lucia@customer.test on"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("id=\"undelivered\""));
}

/// A reply by email with a photo: the photo is kept with the case (a PNG, named as sent), listed
/// with the message in the story for staff and downloadable from the desk byte for byte, and
/// shown to the customer among the files they sent; a file that is no photo or PDF stays in the
/// kept email only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_emailed_in_a_reply_is_kept_with_the_case() {
    use base64::Engine as _;
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent").await;
    let submitted = app
        .complain_as("kim@customer.test", "The heater in room 12 broke.")
        .await;
    let reference = submitted["reference"].as_str().expect("reference");
    let token = submitted["tracking_token"].as_str().expect("token");
    let mut photo = b"\x89PNG\r\n\x1a\n".to_vec();
    photo.extend((0..5000u32).map(|i| (i * 7 % 251) as u8));
    let encoded = base64::engine::general_purpose::STANDARD.encode(&photo);
    let raw = format!(
        "From: Kim <kim@customer.test>\r\nTo: care@riverside.test\r\n\
         Subject: Re: Your case [{reference}]\r\nMessage-ID: <photo@customer.test>\r\n\
         Content-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nHere is the broken heater.\r\n\
         --b\r\nContent-Type: image/png\r\n\
         Content-Disposition: attachment; filename=\"heater photo.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n\
         --b\r\nContent-Type: text/html\r\n\
         Content-Disposition: attachment; filename=\"page.html\"\r\n\r\n\
         <p>not a photo</p>\r\n--b--\r\n"
    );
    let (_, outcome) = receive(&app, raw.as_bytes()).await;
    assert!(
        matches!(outcome, MailOutcome::AddedToCase(_)),
        "{outcome:?}"
    );

    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let story_at = page.html.find("id=\"timeline\"").expect("the story");
    let story = &page.html[story_at..];
    assert!(story.contains("Here is the broken heater."), "{story}");
    let link_at = story
        .find("/files/")
        .unwrap_or_else(|| panic!("the photo in the story: {story}"));
    let href_start = story[..link_at].rfind("href=\"").expect("href") + 6;
    let href_end = link_at + story[link_at..].find('"').expect("end");
    let href = &story[href_start..href_end];
    assert!(href.starts_with(&format!("/desk/cases/{reference}/files/")));
    assert!(story.contains("heater photo.png"), "{story}");
    assert!(
        !story.contains("page.html"),
        "only photos and PDFs are kept"
    );

    let res = ana
        .client
        .get(format!("{}{href}", ana.site))
        .header("cookie", ana.cookie_header())
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert!(
        res.headers()
            .get("content-disposition")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|d| d.starts_with("attachment;")),
        "a download"
    );
    assert_eq!(res.bytes().await.expect("body").to_vec(), photo);

    // Another case's reference with this file's id: not found.
    let other = app
        .complain_as("lou@customer.test", "The lift was out of order.")
        .await;
    let other_ref = other["reference"].as_str().expect("reference");
    let file_id = href.rsplit('/').next().expect("id");
    let elsewhere = ana
        .get(&format!("/desk/cases/{other_ref}/files/{file_id}"))
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    // Signed out: to the sign-in page.
    let away = Visitor::new(&app).get(href).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);

    // The customer sees it among the files they sent.
    let track = Visitor::new(&app).get(&format!("/track/{token}")).await;
    assert!(track.html.contains("heater photo.png"), "{}", track.html);

    // A case opened by an email with a PDF: listed under the customer's words.
    let bill = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4\n the bill\n%%EOF");
    let raw = format!(
        "From: Bea <bea@customer.test>\r\nSubject: Wrong bill\r\n\
         Content-Type: multipart/mixed; boundary=b\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nI was charged twice.\r\n\
         --b\r\nContent-Type: application/pdf\r\n\
         Content-Disposition: attachment; filename=\"bill.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{bill}\r\n--b--\r\n"
    );
    let (_, opened) = receive(&app, raw.as_bytes()).await;
    let MailOutcome::OpenedCase(case_id) = opened else {
        panic!("{opened:?}")
    };
    let case = case(&app, case_id).await;
    let page = ana.get(&format!("/desk/cases/{}", case.reference)).await;
    let files_at = page
        .html
        .find("id=\"files\"")
        .unwrap_or_else(|| panic!("the files under the words: {}", page.html));
    let files = &page.html[files_at..];
    let files = &files[..files.find("</ul>").expect("end")];
    assert!(files.contains("bill.pdf"), "{files}");
    assert!(files.contains(&format!("/desk/cases/{}/files/", case.reference)));
}

/// A message taken for machine mail that a person wrote after all: a supervisor has it handled
/// again, and it becomes a case (their judgement over the headers); a flood from one sender is
/// listed as needing a look, not hidden among machine mail.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_overrules_the_machine_mail_verdict() {
    let app = TestApp::sqlite().await;
    let (mut sue, _) = signed_in(&app, "Sue Super", "supervisor").await;
    let (machine, ignored) = receive(&app, MACHINE).await;
    assert!(matches!(ignored, MailOutcome::Ignored(_)), "{ignored:?}");
    let page = sue.get(&format!("/desk/mail/{machine}")).await;
    assert!(
        page.html.contains("as written by a person"),
        "{}",
        page.html
    );
    let csrf = page.field("csrf");
    let handled = sue
        .post_form(
            &format!("/desk/mail/{machine}/handle-again"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(handled.status, StatusCode::SEE_OTHER, "{}", handled.html);
    let MailOutcome::OpenedCase(case_id) = outcome(&app, machine).await else {
        panic!("not a case")
    };
    let case = case(&app, case_id).await;
    assert!(case.words.as_str().contains("I am away."));

    // 25 messages at once from one sender: the ones past the limit need a look.
    let mut last = None;
    for i in 0..25 {
        let raw = format!(
            "From: flood@example.com\r\nSubject: Alert {i}\r\nMessage-ID: <{i}@flood>\r\n\r\nDisk full.\r\n"
        );
        last = Some(receive(&app, raw.as_bytes()).await);
    }
    let (flooded, why) = last.expect("received");
    assert!(matches!(why, MailOutcome::Failed(_)), "{why:?}");
    let look = sue.get("/desk/mail").await;
    assert!(
        look.html.contains(&format!("/desk/mail/{flooded}")),
        "{}",
        look.html
    );
    assert!(look.html.contains("more mail at once than a person writes"));
}
