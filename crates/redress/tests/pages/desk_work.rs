//! Working a case at the desk over plain HTTP, as a browser without JavaScript does: every
//! action's form, what waits for whom (the owner's "waiting for you", the supervisor's
//! approvals, a request to step in routed back to the owner), refusals that name the box and
//! keep the words, a stale page that cannot apply what is no longer valid, teams that keep
//! their cases, and queues that filter, sort and page.

use super::visitor::{PASSWORD, Page, Visitor};
use crate::helpers::{TestApp, today_plus};
use reqwest::StatusCode;

/// A staff member of `team`, signed in; returns their browser and their staff id.
async fn signed_in(
    app: &TestApp,
    name: &str,
    role: &str,
    team: &str,
    limit: Option<&str>,
) -> (Visitor, String) {
    let email = format!("{}@staff.example", name.to_lowercase().replace(' ', "."));
    let (staff, _) = app
        .app()
        .add_staff(name, &email, role, Some(team), limit.map(|l| (l, "EUR")))
        .await
        .expect("add staff");
    app.app()
        .set_password_for(staff.id, PASSWORD)
        .await
        .expect("password");
    let visitor = Visitor::signed_in(app, &email).await;
    (visitor, staff.id.to_string())
}

/// Sends one of the case page's forms, as read from the page now.
async fn act(visitor: &mut Visitor, reference: &str, form: &str, fields: &[(&str, &str)]) -> Page {
    let page = visitor.get(&format!("/desk/cases/{reference}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.html);
    let csrf = page.field("csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    visitor
        .post_form(&format!("/desk/cases/{reference}/{form}"), &all)
        .await
}

/// `act`, expecting it recorded.
async fn done(visitor: &mut Visitor, reference: &str, form: &str, fields: &[(&str, &str)]) {
    let page = act(visitor, reference, form, fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{form}: {}", page.html);
    assert_eq!(
        page.location(),
        format!("/desk/cases/{reference}?done={form}#done")
    );
}

fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html
        .find(start)
        .unwrap_or_else(|| panic!("{start} in {html}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_worked_from_first_word_to_root_cause_and_waits_for_the_right_person() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", Some("50")).await;
    let (mut sue, _) = signed_in(&app, "Sue Super", "supervisor", "Care", None).await;
    let sub = app
        .complain_as("kim@example.com", "The heater broke and nobody came.")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let token = sub["tracking_token"].as_str().expect("token").to_owned();

    done(&mut ana, &reference, "pick-up", &[]).await;
    done(
        &mut ana,
        &reference,
        "reply",
        &[(
            "body",
            "You told us the heater broke. I, Ana, will fix this by Friday.",
        )],
    )
    .await;
    done(
        &mut ana,
        &reference,
        "ask-operations",
        &[
            ("department", "Maintenance"),
            ("question", "Why was nobody sent?"),
        ],
    )
    .await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let view_id = page.field("view_id");
    // Operations answer (recorded by a colleague): it now waits for the owner.
    let (mut ben, ben_id) = signed_in(&app, "Ben Colleague", "agent", "Care", None).await;
    done(
        &mut ben,
        &reference,
        "record-answer",
        &[("view_id", &view_id), ("answer", "The booking was lost.")],
    )
    .await;
    let desk = ana.get("/desk").await;
    let waiting = between(&desk.html, "id=\"awaiting\"", "</section>");
    assert!(waiting.contains(&reference), "{waiting}");
    assert!(waiting.contains("Operations answered."), "{waiting}");
    // The same answer again, from a page that is now stale: refused, nothing changed.
    let again = act(
        &mut ben,
        &reference,
        "record-answer",
        &[("view_id", &view_id), ("answer", "Second thoughts.")],
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.html.contains("already been dealt with"),
        "{}",
        again.html
    );
    assert!(!again.html.contains("Second thoughts.</blockquote>"));

    // A promise in the past is refused beside its box, the words kept.
    let past = act(
        &mut ana,
        &reference,
        "commit",
        &[
            ("what", "Send an engineer"),
            ("how", "A visit"),
            ("due", &today_plus(-3)),
        ],
    )
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.html.contains("id=\"due-problem\""), "{}", past.html);
    assert!(past.html.contains("value=\"Send an engineer\""));
    assert!(past.html.contains("id=\"commit-box\" open"));
    done(
        &mut ana,
        &reference,
        "commit",
        &[
            ("what", "Send an engineer"),
            ("how", "A visit"),
            ("due", &today_plus(1)),
        ],
    )
    .await;
    // A promise due tomorrow is a reminder in the owner's queue.
    let desk = ana.get("/desk").await;
    assert!(desk.html.contains("A promise is due"), "{}", desk.html);

    done(
        &mut ana,
        &reference,
        "remedy",
        &[
            ("remedy_kind", "restitution"),
            ("description", "A new heater"),
            ("amount", "40"),
            ("currency", "EUR"),
        ],
    )
    .await;
    done(
        &mut ana,
        &reference,
        "remedy",
        &[
            ("remedy_kind", "goodwill"),
            ("description", "A voucher for the trouble"),
            ("amount", "80"),
            ("currency", "eur"),
        ],
    )
    .await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let remedies = between(&page.html, "id=\"remedies\"", "</ul>");
    assert!(remedies.contains("granted") && remedies.contains("waiting for approval"));
    assert!(
        !remedies.contains(">Approve<"),
        "an agent is not offered approval"
    );
    // An agent cannot approve, even by sending the form the supervisor sees.
    let sues = sue.get(&format!("/desk/cases/{reference}")).await;
    let remedy_id = Page {
        status: StatusCode::OK,
        headers: Default::default(),
        html: between(
            between(&sues.html, "id=\"remedies\"", "</ul>"),
            "A voucher for the trouble",
            "</li>",
        )
        .to_owned(),
    }
    .field("remedy_id");
    let refused = act(
        &mut ana,
        &reference,
        "approve",
        &[("remedy_id", &remedy_id)],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // The supervisor sees it in their queue and approves it.
    let desk = sue.get("/desk").await;
    let approvals = between(&desk.html, "id=\"approvals\"", "</section>");
    assert!(approvals.contains(&reference), "{}", desk.html);
    done(
        &mut sue,
        &reference,
        "approve",
        &[("remedy_id", &remedy_id)],
    )
    .await;
    let twice = act(
        &mut sue,
        &reference,
        "approve",
        &[("remedy_id", &remedy_id)],
    )
    .await;
    assert_eq!(
        twice.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "stale approval"
    );
    let desk = ana.get("/desk").await;
    assert!(desk.html.contains("A supervisor decided on a remedy."));

    // Asked to step in, the supervisor answers the owner, who keeps the case.
    done(
        &mut ben,
        &reference,
        "escalate",
        &[("escalation_reason", "The customer asks for a manager.")],
    )
    .await;
    let desk = sue.get("/desk").await;
    assert!(between(&desk.html, "id=\"escalated\"", "</section>").contains(&reference));
    done(
        &mut sue,
        &reference,
        "advise",
        &[("advice", "Ana decides; offer a call.")],
    )
    .await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    assert!(between(&page.html, "id=\"owner\"", "</dd>").contains("Ana Agent"));
    assert!(page.html.contains("The supervisor answered."));
    assert!(page.html.contains("Ana decides; offer a call."));

    let commitment = page.field("commitment_id");
    done(
        &mut ana,
        &reference,
        "kept",
        &[("commitment_id", &commitment)],
    )
    .await;
    done(
        &mut ana,
        &reference,
        "propose",
        &[("summary", "A new heater fitted, and a voucher.")],
    )
    .await;
    let (s, body) = app
        .post(
            &format!("/track/{token}/accept"),
            None,
            serde_json::json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let no_cause = act(
        &mut ana,
        &reference,
        "close",
        &[("lesson", "Check bookings.")],
    )
    .await;
    assert_eq!(no_cause.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_cause.html.contains("id=\"root_cause-problem\""));
    assert!(no_cause.html.contains("Check bookings."));
    done(
        &mut ana,
        &reference,
        "close",
        &[
            ("root_cause", "procedure_causes_pain"),
            ("lesson", "Check bookings daily."),
        ],
    )
    .await;

    // Handing over needs a note; the next owner reads it with the whole story.
    let bare = act(&mut ana, &reference, "assign", &[("owner_id", &ben_id)]).await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bare.html.contains("id=\"handover_note-problem\""),
        "{}",
        bare.html
    );
    done(
        &mut ana,
        &reference,
        "assign",
        &[
            ("owner_id", &ben_id),
            (
                "handover_note",
                "Kim had a lost booking; heater replaced; voucher sent.",
            ),
        ],
    )
    .await;
    let page = ben.get(&format!("/desk/cases/{reference}")).await;
    assert!(between(&page.html, "id=\"owner\"", "</dd>").contains("Ben Colleague"));
    let story = between(&page.html, "id=\"timeline\"", "</ol>");
    for expected in [
        "Handed over from Ana Agent to Ben Colleague",
        "Kim had a lost booking; heater replaced; voucher sent.",
        "You told us the heater broke.",
        "Why was nobody sent?",
        "The booking was lost.",
        "Promised Send an engineer",
        "A new heater",
        "A voucher for the trouble",
        "Ana decides; offer a call.",
        "A new heater fitted, and a voucher.",
        "Check bookings daily.",
    ] {
        assert!(story.contains(expected), "{expected} missing: {story}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_teams_case_can_be_read_but_not_acted_on() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", None).await;
    let (mut raj, _) = signed_in(&app, "Raj Rooms", "agent", "Rooms", None).await;
    let sub = app.complain_as("kim@example.com", "Dirty towels.").await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    // Picked up by Ana, the case joins her team.
    done(&mut ana, &reference, "pick-up", &[]).await;
    let page = raj.get(&format!("/desk/cases/{reference}")).await;
    assert_eq!(
        page.status,
        StatusCode::OK,
        "reading is open: nobody asks twice"
    );
    for (form, fields) in [
        ("note", vec![("note", "sneaky")]),
        ("pick-up", vec![]),
        ("reply", vec![("body", "Hello from Rooms")]),
        ("decline", vec![("decline_reason", "Not ours")]),
    ] {
        let refused = act(&mut raj, &reference, form, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{form}");
        assert!(
            refused.html.contains("belongs to the Care team"),
            "{}",
            refused.html
        );
    }
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let story = between(&page.html, "id=\"timeline\"", "</ol>");
    assert!(!story.contains("sneaky") && !story.contains("Hello from Rooms"));
    assert!(between(&page.html, "id=\"owner\"", "</dd>").contains("Ana Agent"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn queues_filter_sort_and_page() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", None).await;
    let mut references = Vec::new();
    for i in 0..55 {
        let words = if i % 5 == 0 {
            format!("Case {i}: the shower is cold")
        } else {
            format!("Case {i}: the bill is wrong")
        };
        let sub = app.complain_as(&format!("c{i}@example.com"), &words).await;
        references.push(sub["reference"].as_str().expect("reference").to_owned());
    }
    let first = ana.get("/desk/queues/unassigned").await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.html.contains(&references[54]), "newest first");
    assert!(
        !first.html.contains(&format!(">{}<", references[0])),
        "a page holds 50"
    );
    let next = first.field_href("next-page");
    let second = ana.get(&next).await;
    assert!(
        second.html.contains(&references[0]),
        "{next}: {}",
        second.html
    );
    assert!(!second.html.contains(&references[54]));
    assert!(
        !second.html.contains("id=\"next-page\""),
        "the last page says so"
    );

    let oldest = ana.get("/desk/queues/unassigned?order=oldest").await;
    let at = |r: &str| oldest.html.find(r).expect("listed");
    assert!(at(&references[0]) < at(&references[1]));
    let shower = ana.get("/desk/queues/all?q=shower").await;
    for (i, r) in references.iter().enumerate() {
        assert_eq!(shower.html.contains(r.as_str()), i % 5 == 0, "case {i}");
    }
    let questions = ana.get("/desk/queues/all?kind=inquiry").await;
    assert!(questions.html.contains("No open case matches."));
    let unknown = ana.get("/desk/queues/approvals").await;
    assert_eq!(
        unknown.status,
        StatusCode::NOT_FOUND,
        "approvals are for supervisors"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_we_learn_of_the_customer_is_kept_and_shown_where_staff_act() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", None).await;
    let sub = app.complain_as("kim@example.com", "Noisy room.").await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let today = time::OffsetDateTime::now_utc().date();
    let birthday = today.replace_year(1980).unwrap_or(today);

    let wrong = act(
        &mut ana,
        &reference,
        "customer",
        &[
            ("customer_name", "Kim Lee"),
            ("preferences", "quiet rooms\nearly check-in"),
            ("important_dates", "birthday 1980"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong.html.contains("id=\"important_dates-problem\""),
        "{}",
        wrong.html
    );
    assert!(
        wrong.html.contains("quiet rooms\nearly check-in"),
        "words kept"
    );
    assert!(wrong.html.contains("id=\"customer-box\" open"));

    done(
        &mut ana,
        &reference,
        "customer",
        &[
            ("customer_name", "Kim Lee"),
            ("preferred_channel", "phone"),
            ("language", "es"),
            ("preferences", "quiet rooms\nearly check-in"),
            ("dislikes", "calls before 10:00"),
            ("important_dates", &format!("birthday: {birthday}")),
        ],
    )
    .await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let panel = between(&page.html, "id=\"customer\"", "id=\"customer-box\"");
    for expected in [
        "Kim Lee",
        "Today is their birthday.",
        "quiet rooms; early check-in",
        "calls before 10:00",
        "By phone",
        "Español",
    ] {
        assert!(panel.contains(expected), "{expected} missing: {panel}");
    }
    // Another case of theirs shows the same person.
    let other = app
        .complain_as("kim@example.com", "The minibar charge.")
        .await;
    let other_ref = other["reference"].as_str().expect("reference");
    let page = ana.get(&format!("/desk/cases/{other_ref}")).await;
    assert!(page.html.contains("Today is their birthday."));
    assert!(
        page.html
            .contains(&format!("href=\"/desk/cases/{reference}\""))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_answer_starts_from_the_customers_own_words_in_their_language() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", None).await;
    let sub = app
        .complain(serde_json::json!({
            "what_happened": "La habitación olía a humo.",
            "email": "lucia@example.com",
            "name": "Lucía",
            "language": "es",
        }))
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let draft = between(&page.html, "id=\"body\"", "</textarea>");
    for expected in [
        "Estimado/a Lucía:",
        "Nos contó: «La habitación olía a humo.»",
        "Soy Ana Agent",
        "Le responderé antes del",
    ] {
        assert!(draft.contains(expected), "{expected} missing: {draft}");
    }
    assert!(!draft.to_lowercase().contains("inquiry"));
    // Once answered, the box is empty again: the draft is only for the first answer.
    done(&mut ana, &reference, "reply", &[("body", "Hola Lucía, …")]).await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    let box_ = between(&page.html, "id=\"body\"", "</textarea>");
    assert!(!box_.contains("Nos contó"), "{box_}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kind_of_case_is_changed_from_its_page() {
    let app = TestApp::sqlite().await;
    let (mut ana, _) = signed_in(&app, "Ana Agent", "agent", "Care", None).await;
    let sub = app
        .complain_as("kim@example.com", "What time is breakfast?")
        .await;
    let reference = sub["reference"].as_str().expect("reference").to_owned();
    done(&mut ana, &reference, "kind", &[("case_kind", "inquiry")]).await;
    let page = ana.get(&format!("/desk/cases/{reference}")).await;
    assert!(
        between(&page.html, "id=\"timeline\"", "</ol>")
            .contains("Changed from Complaint to Question.")
    );
    let same = act(&mut ana, &reference, "kind", &[("case_kind", "inquiry")]).await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(same.html.contains("id=\"case_kind-problem\""));
}
