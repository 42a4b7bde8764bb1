//! Cases: creation, reading back, the timeline, optimistic concurrency and atomicity.

use super::fixtures::*;
use crate::{CaseChange, CaseQuery, Store, TimelineView};
use redress_domain::{
    Action, Actor, Case, CaseId, CaseRef, Currency, FollowUp, IntakeDraft, Money, RemedyAuthority,
    RemedyKind, Role, Status, TrackingToken, Visibility,
};
use std::sync::Arc;

/// `ping()` answers and `backend()` names the backend.
pub async fn ping_answers(store: Arc<dyn Store>) {
    store
        .ping()
        .await
        .unwrap_or_else(|e| panic!("ping failed: {e}"));
    assert!(
        !store.backend().is_empty(),
        "backend() must name the backend"
    );
}

/// A new case reads back exactly as stored: by id, by token digest and by reference.
pub async fn case_round_trips_by_id_token_and_reference(store: Arc<dyn Store>) {
    let new = new_case(&IntakeDraft {
        kind: Some("inquiry".into()),
        what_happened: Some("My order #1234 never arrived.".into()),
        what_would_make_it_right: Some("Send it, or refund me.".into()),
        needed_by: Some(days_from_today(14).to_string()),
        product: Some("Kettle".into()),
        service: Some("Delivery".into()),
        location: Some("Leeds".into()),
        name: Some("Ana Souza".into()),
        email: Some("ana@example.com".into()),
        phone: Some("+44 20 7946 0000".into()),
        preferred_channel: Some("email".into()),
        language: Some("pt-BR".into()),
    });
    let token = new.token;
    let expected = new.case.clone();
    let created = create(&store, new.clone()).await;

    assert_eq!(
        created.case, expected,
        "create_case must return the case as given (new customer)"
    );
    assert!(
        !created.returning_customer,
        "a first intake is not a returning customer"
    );
    assert_eq!(
        created.customer.id, expected.customer_id,
        "a new customer gets the proposed customer id"
    );
    assert_eq!(created.customer.name, new.customer.name);
    assert_eq!(created.customer.emails, new.customer.emails);
    assert_eq!(created.customer.phones, new.customer.phones);
    assert_eq!(
        created.customer.preferred_channel,
        new.customer.preferred_channel
    );
    assert_eq!(created.customer.language, new.customer.language);

    assert_eq!(case_of(&store, expected.id).await, expected, "case(id)");
    let by_token = store
        .case_by_token(&token)
        .await
        .unwrap_or_else(|e| panic!("case_by_token failed: {e}"));
    assert_eq!(by_token, Some(expected.clone()), "case_by_token");
    let by_ref = store
        .case_by_reference(&expected.reference)
        .await
        .unwrap_or_else(|e| panic!("case_by_reference failed: {e}"));
    assert_eq!(by_ref, Some(expected.clone()), "case_by_reference");

    let customer = store
        .customer(expected.customer_id)
        .await
        .unwrap_or_else(|e| panic!("customer() failed: {e}"));
    assert_eq!(
        customer, created.customer,
        "the stored customer equals the one create_case returned"
    );

    let timeline = store
        .timeline(expected.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    assert_eq!(timeline, new.events, "the first events are stored as given");
}

/// `record` appends events in order; the customer's view leaves out internal events; the state
/// read back is the state recorded.
pub async fn record_appends_events_in_order(store: Arc<dyn Store>) {
    let created = intake(&store, "The heater broke on day two.", "ana@example.com").await;
    let agent = new_staff("Bea", "bea@example.org", Role::Agent, Some("care"));
    let actor = staff_actor(&agent);
    let mut case = created.case;

    act(
        &store,
        &mut case,
        Action::Acknowledge {
            message: text("Thank you, Ana. We are on it."),
            respond_by: Some(days_from_today(2)),
        },
        &actor,
    )
    .await;
    act(
        &store,
        &mut case,
        Action::AddNote {
            body: text("Internal: supplier batch 7 again."),
        },
        &actor,
    )
    .await;
    act(
        &store,
        &mut case,
        Action::MessageToCustomer {
            body: text("A technician will call tomorrow."),
            await_customer: false,
        },
        &actor,
    )
    .await;

    let all = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline(All) failed: {e}"));
    let seqs: Vec<u32> = all.iter().map(|e| e.seq).collect();
    let expected_seqs: Vec<u32> = (1..=case.version).collect();
    assert_eq!(seqs, expected_seqs, "timeline(All) in seq order, none lost");
    assert!(
        all.iter()
            .any(|e| e.kind.name() == "note_added" && e.visibility == Visibility::Internal),
        "the note is on the staff timeline"
    );

    let visible = store
        .timeline(case.id, TimelineView::CustomerVisible)
        .await
        .unwrap_or_else(|e| panic!("timeline(CustomerVisible) failed: {e}"));
    let expected_visible: Vec<_> = all
        .iter()
        .filter(|e| e.visibility == Visibility::Customer)
        .cloned()
        .collect();
    assert_eq!(
        visible, expected_visible,
        "the customer's view is the staff view without internal events"
    );
    assert!(
        visible.iter().all(|e| e.kind.name() != "note_added"),
        "internal notes never reach the customer"
    );

    assert_eq!(case_of(&store, case.id).await, case, "state read back");
    let replayed = Case::replay(case.reference.clone(), case.customer_id, &all);
    assert_eq!(
        replayed.as_ref(),
        Some(&case),
        "replay of the stored timeline"
    );
}

/// A change decided on an old version is refused with a version conflict, and nothing is
/// written.
pub async fn stale_version_is_refused_and_nothing_written(store: Arc<dyn Store>) {
    let created = intake(&store, "Charged twice for one ticket.", "ana@example.com").await;
    let actor = Actor::System;
    let stale = created.case.clone();
    let mut case = created.case;
    act(
        &store,
        &mut case,
        Action::AddNote {
            body: text("first writer"),
        },
        &actor,
    )
    .await;
    let before = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));

    // A second writer decided on version 1, too.
    let mut late = stale.clone();
    let events = late
        .execute(
            Action::AddNote {
                body: text("second writer"),
            },
            &actor,
            now(),
        )
        .unwrap_or_else(|e| panic!("fixture action: {e}"));
    let result = store
        .record(CaseChange {
            attachments: Vec::new(),
            case: late,
            expected_version: stale.version,
            events,
        })
        .await;
    match &result {
        Err(e) if e.is_version_conflict() => {}
        other => panic!("a stale record must be a version conflict, got {other:?}"),
    }

    let after = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    assert_eq!(after, before, "a refused change writes no event");
    assert_eq!(
        case_of(&store, case.id).await,
        case,
        "a refused change leaves the case as it was"
    );
}

/// An intake whose reference is taken fails as a whole: no case, no customer.
pub async fn duplicate_reference_writes_nothing(store: Arc<dyn Store>) {
    let first = intake(&store, "First complaint.", "first@example.com").await;
    let mut clash = new_case(&draft(
        "Second complaint.",
        Some("only-in-failed@example.com"),
        None,
    ));
    clash.case.reference = first.case.reference.clone();
    refused_intake_writes_nothing(&store, clash, "reference", &first.case).await;
}

/// An intake whose tracking token is taken fails as a whole: no case, no customer.
pub async fn duplicate_token_writes_nothing(store: Arc<dyn Store>) {
    let first_new = new_case(&draft("First complaint.", Some("first@example.com"), None));
    let token = first_new.token;
    let first = create(&store, first_new).await;
    let mut clash = new_case(&draft(
        "Second complaint.",
        Some("only-in-failed@example.com"),
        None,
    ));
    clash.token = token;
    refused_intake_writes_nothing(&store, clash, "token", &first.case).await;
}

async fn refused_intake_writes_nothing(
    store: &Shared,
    clash: crate::NewCase,
    what: &str,
    first: &Case,
) {
    let clash_id = clash.case.id;
    let clash_ref = clash.case.reference.clone();
    let clash_token = clash.token;
    assert_conflict(
        store.create_case(clash).await,
        what,
        &format!("an intake with a {what} already taken"),
    );

    assert_not_found(store.case(clash_id).await, "the refused case");
    let all = all_ids(store, &CaseQuery::default()).await;
    assert_eq!(all, vec![first.id], "only the first case exists");
    assert_eq!(
        case_of(store, first.id).await,
        *first,
        "the first case is untouched"
    );
    if what == "token" {
        let by_token = store
            .case_by_token(&clash_token)
            .await
            .unwrap_or_else(|e| panic!("case_by_token failed: {e}"));
        assert_eq!(
            by_token.as_ref(),
            Some(first),
            "the token still finds the first case"
        );
    } else {
        let by_ref = store
            .case_by_reference(&clash_ref)
            .await
            .unwrap_or_else(|e| panic!("case_by_reference failed: {e}"));
        assert_eq!(
            by_ref.as_ref(),
            Some(first),
            "the reference still finds the first case"
        );
    }

    // The failed intake's customer must not have been kept.
    let later = intake(store, "Trying again.", "only-in-failed@example.com").await;
    assert!(
        !later.returning_customer,
        "a customer from a refused intake must not exist afterwards"
    );
}

/// After a whole lifecycle, the stored state is the fold of the stored timeline.
pub async fn state_agrees_with_timeline(store: Arc<dyn Store>) {
    let created = create(
        &store,
        new_case(&draft(
            "The room was cold all week.",
            Some("ana@example.com"),
            Some("+44 20 7946 0000"),
        )),
    )
    .await;
    let agent = new_staff("Bea", "bea@example.org", Role::Supervisor, Some("care"));
    let staff = staff_actor(&agent);
    let mut case = created.case;
    let steps = vec![
        (
            Action::Acknowledge {
                message: text("We are sorry. Bea owns this now."),
                respond_by: Some(days_from_today(3)),
            },
            staff.clone(),
        ),
        (
            Action::Assign {
                owner: Some(agent.as_ref()),
                team: Some(text("care")),
                handover_note: None,
            },
            staff.clone(),
        ),
        (
            Action::AddNote {
                body: text("Boiler in wing B is faulty."),
            },
            staff.clone(),
        ),
        (
            Action::MakeCommitment {
                what: text("Fix the heating"),
                how: text("Engineer visit"),
                due: days_from_today(5),
            },
            staff.clone(),
        ),
        (
            Action::OfferRemedy {
                kind: RemedyKind::Goodwill,
                description: text("One night refunded"),
                amount: Some(Money::new(
                    12_050,
                    Currency::parse("EUR").unwrap_or_else(|e| panic!("{e}")),
                )),
                authority: RemedyAuthority::Unlimited,
            },
            staff.clone(),
        ),
        (
            Action::ProposeResolution {
                summary: text("Heating fixed and one night refunded."),
            },
            staff.clone(),
        ),
        (Action::AcceptResolution, Actor::Customer),
        (
            Action::AnswerFollowUp(FollowUp {
                went_as_expected: true,
                delivered_as_promised: false,
                met_expectations: true,
                satisfaction: 2,
                comments: Some(text("The refund never came.")),
            }),
            Actor::Customer,
        ),
    ];
    for (action, actor) in steps {
        act(&store, &mut case, action, &actor).await;
    }
    assert_eq!(
        case.status,
        Status::Reopened,
        "fixture: a 'no' reopens the case"
    );

    let stored = case_of(&store, case.id).await;
    assert_eq!(stored, case, "stored state equals the state recorded");
    let timeline = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    assert_eq!(timeline.len() as u32, case.version, "one event per version");
    let replayed = Case::replay(case.reference.clone(), case.customer_id, &timeline);
    assert_eq!(
        replayed,
        Some(stored),
        "the stored state is the fold of the stored timeline"
    );
}

/// Text is kept byte for byte: emoji, right-to-left text, combining marks, markup, whitespace.
pub async fn text_round_trips_exactly(store: Arc<dyn Store>) {
    let words = "  \n\tIt broke 😡🔥 twice.\r\n\
                 שלום, זה לא עבד. مرحبا\u{200F}\n\
                 Cafe\u{301} vs Café; Z\u{0351}\u{0362}algo\n\
                 <script>alert(1)</script> & \"quotes\" 'single' \\backslash\\ %_ ; DROP TABLE cases; --\n\
                 trailing spaces   \n\n";
    let name = " Zoë 🙂 O'Brien-Łukasz ";
    let new = new_case(&IntakeDraft {
        what_happened: Some(words.into()),
        what_would_make_it_right: Some("<b>refund</b> \u{FEFF}zero-width".into()),
        name: Some(name.into()),
        product: Some("ＦＵＬＬＷＩＤＴＨ™".into()),
        email: Some("zoe@example.com".into()),
        ..IntakeDraft::default()
    });
    let expected = new.case.clone();
    let created = create(&store, new).await;
    let stored = case_of(&store, expected.id).await;
    assert_eq!(stored, expected, "case with unusual text");
    assert_eq!(stored.words.as_str(), words, "words byte for byte");
    assert_eq!(
        created.customer.name.as_ref().map(|n| n.as_str()),
        Some(name),
        "customer name byte for byte"
    );
    let customer = store
        .customer(created.customer.id)
        .await
        .unwrap_or_else(|e| panic!("customer() failed: {e}"));
    assert_eq!(
        customer.name.as_ref().map(|n| n.as_str()),
        Some(name),
        "stored customer name byte for byte"
    );

    let mut case = stored;
    let note = "\u{202E}desrever\u{202C} 👩‍👩‍👧 <img src=x onerror=alert(1)>\n  ";
    act(
        &store,
        &mut case,
        Action::AddNote { body: text(note) },
        &Actor::System,
    )
    .await;
    let timeline = store
        .timeline(case.id, TimelineView::All)
        .await
        .unwrap_or_else(|e| panic!("timeline failed: {e}"));
    let last = timeline.last().map(|e| &e.kind);
    match last {
        Some(redress_domain::EventKind::NoteAdded { body }) => {
            assert_eq!(body.as_str(), note, "note byte for byte")
        }
        other => panic!("expected the note last, got {other:?}"),
    }
    assert_eq!(case_of(&store, case.id).await, case);

    let found = all_ids(
        &store,
        &CaseQuery {
            text: Some("alert".into()),
            ..CaseQuery::default()
        },
    )
    .await;
    assert_eq!(found, vec![case.id], "search finds a word inside markup");
}

/// Unknown ids: NotFound for things that must exist, None for lookups.
pub async fn unknown_ids_are_not_found(store: Arc<dyn Store>) {
    // Something stored, so the store is not trivially empty.
    intake(&store, "Known case.", "known@example.com").await;

    let unknown = CaseId::new();
    assert_not_found(store.case(unknown).await, "case(unknown)");
    assert_not_found(
        store.timeline(unknown, TimelineView::All).await,
        "timeline(unknown, All)",
    );
    assert_not_found(
        store.timeline(unknown, TimelineView::CustomerVisible).await,
        "timeline(unknown, CustomerVisible)",
    );

    let mut ghost = new_case(&draft("Never stored.", Some("ghost@example.com"), None)).case;
    let events = ghost
        .execute(
            Action::AddNote {
                body: text("note on a ghost"),
            },
            &Actor::System,
            now(),
        )
        .unwrap_or_else(|e| panic!("fixture action: {e}"));
    let ghost_id = ghost.id;
    assert_not_found(
        store
            .record(CaseChange {
                attachments: Vec::new(),
                case: ghost,
                expected_version: 1,
                events,
            })
            .await,
        "record(unknown case)",
    );
    assert_not_found(store.case(ghost_id).await, "record must not create a case");

    let by_token = store
        .case_by_token(&TrackingToken::generate().digest())
        .await
        .unwrap_or_else(|e| panic!("case_by_token failed: {e}"));
    assert_eq!(by_token, None, "case_by_token(unknown)");
    let by_ref = store
        .case_by_reference(&CaseRef::generate())
        .await
        .unwrap_or_else(|e| panic!("case_by_reference failed: {e}"));
    assert_eq!(by_ref, None, "case_by_reference(unknown)");
}
