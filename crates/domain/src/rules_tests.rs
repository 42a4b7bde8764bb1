//! The rules of a case, action by action.

use crate::action::RemedyAuthority;
use crate::*;
use time::OffsetDateTime;
use time::macros::{date, datetime};

const NOW: OffsetDateTime = datetime!(2026-03-01 10:00 UTC);

fn text(s: &str) -> Text {
    Text::trusted(s)
}

fn agent() -> Actor {
    Actor::Staff(StaffRef {
        id: StaffId::new(),
        name: "Ana".into(),
    })
}

fn new_case() -> Case {
    received().0
}

/// A new case with its `Received` event.
fn received() -> (Case, Event) {
    let draft = IntakeDraft {
        what_happened: Some("The heater broke.".into()),
        email: Some("zoe@example.com".into()),
        ..IntakeDraft::default()
    };
    let intake = Intake::parse(&draft, Channel::Web, NOW.date()).expect("valid");
    Case::receive(
        &intake,
        CaseId::new(),
        CaseRef::generate(),
        CustomerId::new(),
        Actor::Customer,
        NOW,
    )
}

fn run(case: &mut Case, action: Action) -> Vec<Event> {
    case.execute(action, &agent(), NOW)
        .unwrap_or_else(|e| panic!("refused: {e}"))
}

fn refused(case: &mut Case, action: Action) -> CaseError {
    let before = case.clone();
    let err = case
        .execute(action, &agent(), NOW)
        .expect_err("should be refused");
    assert_eq!(*case, before, "a refused action changed the case");
    err
}

fn names(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.kind.name()).collect()
}

#[test]
fn events_are_numbered_and_the_state_is_their_fold() {
    let (mut case, received) = received();
    let reference = case.reference.clone();
    let customer = case.customer_id;
    let mut timeline = vec![];
    timeline.push(received);
    timeline.extend(run(&mut case, Action::Investigate));
    timeline.extend(run(
        &mut case,
        Action::MakeCommitment {
            what: text("Refund"),
            how: text("To the card"),
            due: date!(2026 - 03 - 05),
        },
    ));
    timeline.extend(run(
        &mut case,
        Action::AddNote {
            body: text("internal"),
        },
    ));
    let seqs: Vec<u32> = timeline.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    assert_eq!(case.version, 4);
    let replayed = Case::replay(reference, customer, &timeline).expect("replay");
    assert_eq!(replayed, case);
}

#[test]
fn the_first_answer_acknowledges_a_new_case() {
    let mut case = new_case();
    let events = run(
        &mut case,
        Action::MessageToCustomer {
            body: text("I'm Ana, I'll sort this by Friday."),
            await_customer: false,
        },
    );
    assert_eq!(names(&events), ["message_to_customer", "status_changed"]);
    assert_eq!(case.status, Status::Acknowledged);
    // Acknowledging again is refused with an explanation.
    let err = refused(
        &mut case,
        Action::Acknowledge {
            message: text("again"),
            respond_by: None,
        },
    );
    assert!(err.to_string().contains("only a new case"), "{err}");
}

#[test]
fn invalid_transitions_explain_the_allowed_moves() {
    let mut case = new_case();
    let err = refused(&mut case, Action::AcceptResolution);
    let msg = err.to_string();
    assert!(
        msg.contains("new") && msg.contains("acknowledged, investigating, declined, withdrawn"),
        "{msg}"
    );
    refused(
        &mut case,
        Action::Close {
            root_cause: RootCauseCode::parse("product_defect").expect("code"),
            lesson: None,
        },
    );
}

#[test]
fn a_customer_reply_moves_the_case_on() {
    let mut case = new_case();
    run(&mut case, Action::Investigate);
    run(
        &mut case,
        Action::MessageToCustomer {
            body: text("Which room?"),
            await_customer: true,
        },
    );
    assert_eq!(case.status, Status::AwaitingCustomer);
    run(
        &mut case,
        Action::MessageFromCustomer {
            body: text("Room 12"),
            message_id: None,
            attachments: Vec::new(),
        },
    );
    assert_eq!(case.status, Status::Investigating);
    // Writing again after the case was declined reopens it: nobody goes unheard.
    run(
        &mut case,
        Action::Decline {
            reason: text("Not ours"),
        },
    );
    let events = run(
        &mut case,
        Action::MessageFromCustomer {
            body: text("But…"),
            message_id: None,
            attachments: Vec::new(),
        },
    );
    assert_eq!(names(&events), ["message_from_customer", "status_changed"]);
    assert_eq!(case.status, Status::Reopened);
    assert_eq!(case.reopened_count, 1);
}

#[test]
fn a_transfer_needs_a_handover_note() {
    let mut case = new_case();
    let ana = StaffRef {
        id: StaffId::new(),
        name: "Ana".into(),
    };
    let ben = StaffRef {
        id: StaffId::new(),
        name: "Ben".into(),
    };
    let events = run(
        &mut case,
        Action::Assign {
            owner: Some(ana.clone()),
            team: None,
            handover_note: None,
        },
    );
    assert_eq!(names(&events), ["assigned"]);
    let err = refused(
        &mut case,
        Action::Assign {
            owner: Some(ben.clone()),
            team: None,
            handover_note: None,
        },
    );
    assert!(
        matches!(&err, CaseError::Invalid(i) if i.errors[0].field == "handover_note"),
        "{err}"
    );
    refused(
        &mut case,
        Action::Assign {
            owner: Some(ana),
            team: None,
            handover_note: Some(text("same")),
        },
    );
    let events = run(
        &mut case,
        Action::Assign {
            owner: Some(ben.clone()),
            team: None,
            handover_note: Some(text("Wants a call, not email")),
        },
    );
    assert_eq!(names(&events), ["transferred"]);
    assert_eq!(case.owner, Some(ben));
    assert_eq!(events[0].visibility, Visibility::Internal);
}

#[test]
fn remedies_above_the_limit_wait_for_approval() {
    let mut case = new_case();
    let limit = Money::parse("50", "EUR").expect("money");
    let offer = |amount: &str, currency: &str, authority: RemedyAuthority| Action::OfferRemedy {
        kind: RemedyKind::Goodwill,
        description: text("Voucher"),
        amount: Some(Money::parse(amount, currency).expect("money")),
        authority,
    };
    run(
        &mut case,
        offer("50", "EUR", RemedyAuthority::UpTo(Some(limit.clone()))),
    );
    run(
        &mut case,
        offer("50.01", "EUR", RemedyAuthority::UpTo(Some(limit.clone()))),
    );
    run(
        &mut case,
        offer("1", "USD", RemedyAuthority::UpTo(Some(limit))),
    );
    run(&mut case, offer("1", "EUR", RemedyAuthority::UpTo(None)));
    run(&mut case, offer("5000", "EUR", RemedyAuthority::Unlimited));
    let statuses: Vec<RemedyStatus> = case.remedies.iter().map(|r| r.status).collect();
    use RemedyStatus::*;
    assert_eq!(
        statuses,
        [
            Granted,
            PendingApproval,
            PendingApproval,
            PendingApproval,
            Granted
        ]
    );
    // A pending remedy is internal until approved; approval repeats what was granted.
    let pending = case.remedies[1].id;
    let events = run(
        &mut case,
        Action::ApproveRemedy {
            remedy_id: pending,
            note: Some(text("ok")),
        },
    );
    assert_eq!(events[0].visibility, Visibility::Customer);
    assert_eq!(
        events[0]
            .kind
            .for_customer()
            .map(|k| matches!(k, EventKind::RemedyApproved { note: None, .. })),
        Some(true)
    );
    assert_eq!(case.remedies[1].status, Granted);
    refused(
        &mut case,
        Action::ApproveRemedy {
            remedy_id: pending,
            note: None,
        },
    );
    refused(
        &mut case,
        Action::RefuseRemedy {
            remedy_id: RemedyId::new(),
            reason: text("no"),
        },
    );
}

#[test]
fn any_no_in_the_follow_up_reopens() {
    for (went, delivered, met, reopens) in [
        (true, true, true, false),
        (false, true, true, true),
        (true, false, true, true),
        (true, true, false, true),
    ] {
        let mut case = new_case();
        run(&mut case, Action::Investigate);
        run(
            &mut case,
            Action::ProposeResolution {
                summary: text("Refund"),
            },
        );
        run(&mut case, Action::AcceptResolution);
        assert_eq!(case.status, Status::Resolved);
        let answer = FollowUp {
            went_as_expected: went,
            delivered_as_promised: delivered,
            met_expectations: met,
            satisfaction: 3,
            comments: None,
        };
        run(&mut case, Action::AnswerFollowUp(answer.clone()));
        assert_eq!(case.status == Status::Reopened, reopens);
        if !reopens {
            // Answered once per resolution.
            refused(&mut case, Action::AnswerFollowUp(answer));
        }
    }
}

#[test]
fn a_rejected_resolution_reopens_with_what_would_make_it_right() {
    let mut case = new_case();
    run(&mut case, Action::Investigate);
    run(
        &mut case,
        Action::ProposeResolution {
            summary: text("Voucher"),
        },
    );
    let events = run(
        &mut case,
        Action::RejectResolution {
            what_would_make_it_right: text("A refund"),
        },
    );
    assert_eq!(names(&events), ["resolution_rejected", "status_changed"]);
    assert_eq!(case.status, Status::Reopened);
    assert_eq!(case.proposed_resolution, None);
}

#[test]
fn operations_views_and_commitments() {
    let mut case = new_case();
    run(&mut case, Action::Investigate);
    run(
        &mut case,
        Action::RequestOperationsView {
            department: text("Kitchen"),
            question: text("Why cold?"),
        },
    );
    run(
        &mut case,
        Action::RequestOperationsView {
            department: text("Billing"),
            question: text("Charged twice?"),
        },
    );
    assert_eq!(case.status, Status::AwaitingOperations);
    let first = case.operations_views[0].id;
    let second = case.operations_views[1].id;
    run(
        &mut case,
        Action::GiveOperationsView {
            view_id: first,
            answer: text("Broken oven"),
        },
    );
    assert_eq!(
        case.status,
        Status::AwaitingOperations,
        "one answer still pending"
    );
    refused(
        &mut case,
        Action::GiveOperationsView {
            view_id: first,
            answer: text("again"),
        },
    );
    run(
        &mut case,
        Action::GiveOperationsView {
            view_id: second,
            answer: text("Yes"),
        },
    );
    assert_eq!(case.status, Status::Investigating);

    let err = refused(
        &mut case,
        Action::MakeCommitment {
            what: text("x"),
            how: text("y"),
            due: date!(2026 - 02 - 28),
        },
    );
    assert!(matches!(&err, CaseError::Invalid(i) if i.errors[0].field == "due"));
    run(
        &mut case,
        Action::MakeCommitment {
            what: text("Refund"),
            how: text("Card"),
            due: date!(2026 - 03 - 01),
        },
    );
    let id = case.commitments[0].id;
    run(
        &mut case,
        Action::MissCommitment {
            commitment_id: id,
            note: Some(text("bank delay")),
        },
    );
    assert_eq!(case.commitments[0].state, CommitmentState::Missed);
    refused(
        &mut case,
        Action::KeepCommitment {
            commitment_id: id,
            note: None,
        },
    );
}

#[test]
fn closing_records_the_root_cause_and_reopening_clears_it() {
    let mut case = new_case();
    run(
        &mut case,
        Action::Decline {
            reason: text("We do not sell cars"),
        },
    );
    let code = RootCauseCode::parse("outside_offering").expect("code");
    let events = run(
        &mut case,
        Action::Close {
            root_cause: code.clone(),
            lesson: Some(text("Say so on the site")),
        },
    );
    assert_eq!(names(&events), ["root_cause_recorded", "status_changed"]);
    assert_eq!(case.root_cause, Some(code));
    assert!(case.closed_at.is_some());
    run(
        &mut case,
        Action::Reopen {
            reason: text("New facts"),
        },
    );
    assert_eq!(case.root_cause, None);
    assert_eq!(case.closed_at, None);
}

#[test]
fn overdue_is_measured_against_the_customers_date() {
    let draft = IntakeDraft {
        what_happened: Some("Late".into()),
        email: Some("a@b.example".into()),
        needed_by: Some("2026-03-03".into()),
        ..IntakeDraft::default()
    };
    let intake = Intake::parse(&draft, Channel::Web, NOW.date()).expect("valid");
    let (mut case, _) = Case::receive(
        &intake,
        CaseId::new(),
        CaseRef::generate(),
        CustomerId::new(),
        Actor::Customer,
        NOW,
    );
    assert!(!case.is_overdue(date!(2026 - 03 - 03)));
    assert!(case.is_overdue(date!(2026 - 03 - 04)));
    run(&mut case, Action::Withdraw { reason: None });
    assert!(
        !case.is_overdue(date!(2026 - 03 - 04)),
        "a finished case is not overdue"
    );
}

#[test]
fn what_others_do_waits_for_the_owner_until_the_owner_acts() {
    let mut case = new_case();
    let owner = StaffRef {
        id: StaffId::new(),
        name: "Ana".into(),
    };
    let ana = Actor::Staff(owner.clone());
    let colleague = agent();
    let act = |case: &mut Case, action: Action, actor: &Actor| {
        case.execute(action, actor, NOW)
            .unwrap_or_else(|e| panic!("refused: {e}"))
    };
    act(
        &mut case,
        Action::Assign {
            owner: Some(owner.clone()),
            team: None,
            handover_note: None,
        },
        &ana,
    );
    assert!(case.awaiting_owner.is_empty());
    act(
        &mut case,
        Action::MessageFromCustomer {
            body: text("Any news?"),
            message_id: None,
            attachments: Vec::new(),
        },
        &Actor::Customer,
    );
    let events = act(
        &mut case,
        Action::RequestOperationsView {
            department: text("Kitchen"),
            question: text("What happened?"),
        },
        &colleague,
    );
    let EventKind::OperationsViewRequested { view_id, .. } = events[0].kind else {
        panic!("asked");
    };
    act(
        &mut case,
        Action::GiveOperationsView {
            view_id,
            answer: text("The oven failed."),
        },
        &colleague,
    );
    assert_eq!(
        case.awaiting_owner,
        [Attention::CustomerWrote, Attention::OperationsAnswered]
    );
    // Handing over keeps it waiting, for the next owner.
    let next = StaffRef {
        id: StaffId::new(),
        name: "Ben".into(),
    };
    act(
        &mut case,
        Action::Assign {
            owner: Some(next.clone()),
            team: None,
            handover_note: Some(text("Oven failed; customer waiting.")),
        },
        &ana,
    );
    assert_eq!(case.awaiting_owner.len(), 2);
    // The previous owner's note is not the new owner's answer.
    act(&mut case, Action::AddNote { body: text("fyi") }, &ana);
    assert_eq!(case.awaiting_owner.len(), 2);
    act(
        &mut case,
        Action::MessageToCustomer {
            body: text("We found the cause."),
            await_customer: false,
        },
        &Actor::Staff(next),
    );
    assert!(case.awaiting_owner.is_empty());
}

#[test]
fn a_supervisor_asked_to_step_in_answers_the_owner_who_keeps_the_case() {
    let mut case = new_case();
    let owner = StaffRef {
        id: StaffId::new(),
        name: "Ana".into(),
    };
    run(
        &mut case,
        Action::Assign {
            owner: Some(owner.clone()),
            team: None,
            handover_note: None,
        },
    );
    let supervisor = agent();
    case.execute(
        Action::RequestEscalation {
            reason: text("The customer asks for a manager."),
        },
        &Actor::Customer,
        NOW,
    )
    .expect("asked");
    assert!(case.escalation.is_some());
    assert_eq!(case.owner.as_ref().map(|o| o.id), Some(owner.id));
    assert_eq!(case.awaiting_owner, [Attention::SupervisorAsked]);
    let again = refused(
        &mut case,
        Action::RequestEscalation {
            reason: text("again"),
        },
    );
    assert!(matches!(again, CaseError::NotNow { .. }), "{again}");
    let events = case
        .execute(
            Action::AnswerEscalation {
                advice: text("Offer the full refund; you have my support."),
            },
            &supervisor,
            NOW,
        )
        .expect("answered");
    assert_eq!(events[0].visibility, Visibility::Internal);
    assert!(case.escalation.is_none());
    assert_eq!(case.owner.as_ref().map(|o| o.id), Some(owner.id));
    assert_eq!(
        case.awaiting_owner,
        [Attention::SupervisorAsked, Attention::SupervisorAnswered]
    );
    let none = refused(
        &mut case,
        Action::AnswerEscalation {
            advice: text("late"),
        },
    );
    assert!(matches!(none, CaseError::NotNow { .. }), "{none}");
}

#[test]
fn without_the_customers_date_the_service_standard_measures_overdue() {
    let case = new_case();
    assert_eq!(case.needed_by, None);
    assert_eq!(case.due_by(2), date!(2026 - 03 - 03));
    assert!(!case.is_overdue(date!(2026 - 03 - 10)), "no date of theirs");
    assert!(!case.is_overdue_against(date!(2026 - 03 - 03), 2));
    assert!(case.is_overdue_against(date!(2026 - 03 - 04), 2));
}
