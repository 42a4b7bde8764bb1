//! The staff desk's queues: what waits for an owner, remedies waiting for a supervisor, requests
//! for a supervisor to step in, overdue under the service standard, channel, product, age, and
//! oldest first; each alone, together, and paged through in both orders.
//!
//! Every check compares the store's answer with `expected`, this file's reading of
//! `CaseQuery`'s doc comments over the cases as recorded; a few answers are also spelled out,
//! so that a wrong reading cannot pass unnoticed.

use super::fixtures::*;
use crate::{CaseQuery, Store};
use redress_domain::{
    Action, Actor, Attention, Case, CaseId, CaseKind, Channel, Currency, IntakeDraft,
    RemedyAuthority, RemedyKind, Role, StaffId, Status, TrackingToken,
};
use redress_domain::{Intake, Money};
use std::sync::Arc;
use time::{Date, Duration};

/// The cases of the desk, in creation order and as recorded, and who works on them.
struct Desk {
    cases: Vec<Case>,
    bea: StaffId,
    cal: StaffId,
}

/// Whether `case` belongs in the answer to `q` (all but `text`, `after` and `limit`).
fn matches(q: &CaseQuery, c: &Case) -> bool {
    let overdue = |day: Date| {
        c.status.is_open()
            && match (c.needed_by, q.standard_days) {
                (Some(needed_by), _) => needed_by < day,
                (None, Some(days)) => day
                    .checked_sub(Duration::days(i64::from(days)))
                    .is_some_and(|since| c.created_at.date() < since),
                (None, None) => false,
            }
    };
    let awaiting = |day: Date| {
        c.status.is_open()
            && (!c.awaiting_owner.is_empty()
                || c.escalation.is_some()
                || c.next_commitment_due().is_some_and(|due| due <= day))
    };
    (q.statuses.is_empty() || q.statuses.contains(&c.status))
        && q.kind.is_none_or(|k| c.kind == k)
        && q.owner
            .is_none_or(|o| c.owner.as_ref().is_some_and(|x| x.id == o))
        && (!q.unassigned || c.owner.is_none())
        && q.team
            .as_ref()
            .is_none_or(|t| c.team.as_ref().is_some_and(|x| x.as_str() == t))
        && q.customer.is_none_or(|id| c.customer_id == id)
        && q.channel.is_none_or(|ch| c.channel == ch)
        && q.product
            .as_ref()
            .is_none_or(|p| c.subject.product.as_ref().is_some_and(|x| x.as_str() == p))
        && q.received_before.is_none_or(|t| c.created_at < t)
        && q.overdue_on.is_none_or(overdue)
        && q.awaiting_owner_on.is_none_or(awaiting)
        && (!q.pending_approval || c.pending_approvals().next().is_some())
        && (!q.escalated || c.escalation.is_some())
}

impl Desk {
    /// Ids of the cases matching `q`, in its order.
    fn expected(&self, q: &CaseQuery) -> Vec<CaseId> {
        let mut ids: Vec<CaseId> = self
            .cases
            .iter()
            .filter(|c| matches(q, c))
            .map(|c| c.id)
            .collect();
        ids.sort();
        if !q.oldest_first {
            ids.reverse();
        }
        ids
    }

    fn ids(&self, which: &[usize]) -> Vec<CaseId> {
        which.iter().map(|&i| self.cases[i].id).collect()
    }
}

/// A case received on `channel`, about `product`, needed by `needed_by` days from today.
fn receive(
    words: &str,
    email: &str,
    channel: Channel,
    product: Option<&str>,
    needed_by: Option<i64>,
) -> crate::NewCase {
    let draft = IntakeDraft {
        what_happened: Some(words.to_owned()),
        email: Some(email.to_owned()),
        product: product.map(str::to_owned),
        needed_by: needed_by.map(|d| days_from_today(d).to_string()),
        ..IntakeDraft::default()
    };
    let intake = Intake::parse(&draft, channel, today())
        .unwrap_or_else(|e| panic!("fixture draft must be valid: {e}"));
    crate::NewCase::receive(&intake, &TrackingToken::generate(), Actor::Customer, now())
}

/// Fifteen cases, each in a state some queue cares about (see the comment on each).
async fn desk(store: &Shared) -> Desk {
    let bea = new_staff("Bea", "bea@example.org", Role::Agent, Some("billing"));
    let cal = new_staff("Cal", "cal@example.org", Role::Agent, Some("care"));
    let sue = new_staff("Sue", "sue@example.org", Role::Supervisor, None);
    let (bea_a, cal_a, sue_a) = (staff_actor(&bea), staff_actor(&cal), staff_actor(&sue));
    let customer = Actor::Customer;

    let specs: [(&str, Channel, Option<&str>, Option<i64>); 15] = [
        ("Heater broken in room 12", Channel::Web, Some("Room"), None),
        (
            "Charged twice for the spa",
            Channel::Email,
            Some("Spa"),
            None,
        ),
        (
            "Breakfast was cold",
            Channel::Phone,
            Some("Restaurant"),
            None,
        ),
        ("Lift out of order", Channel::Web, Some("Room"), None),
        ("Staff were rude at reception", Channel::Social, None, None),
        (
            "Refund for the cancelled booking",
            Channel::Email,
            Some("Room"),
            None,
        ),
        (
            "Overcharged for the minibar",
            Channel::Web,
            Some("room"),
            None,
        ),
        (
            "Noisy neighbours all night",
            Channel::Phone,
            Some("Room"),
            None,
        ),
        ("Where is my lost umbrella?", Channel::Api, None, None),
        (
            "The pool was closed without notice",
            Channel::Web,
            Some("Spa"),
            None,
        ),
        (
            "Parking barrier broke my mirror",
            Channel::Email,
            None,
            None,
        ),
        (
            "Wedding dinner was late",
            Channel::Import,
            Some("Restaurant"),
            Some(-3),
        ),
        (
            "Conference room not ready",
            Channel::Import,
            Some("Room"),
            Some(-1),
        ),
        (
            "Birthday cake never came",
            Channel::Import,
            Some("Restaurant"),
            Some(5),
        ),
        ("Towels missing", Channel::Web, Some("SPA"), None),
    ];
    let mut cases = Vec::new();
    for (i, (words, channel, product, needed_by)) in specs.into_iter().enumerate() {
        let new = receive(
            words,
            &format!("guest{i}@example.com"),
            channel,
            product,
            needed_by,
        );
        cases.push(create(store, new).await.case);
    }

    let assign = |who: &redress_domain::Staff, team: &str| Action::Assign {
        owner: Some(who.as_ref()),
        team: Some(text(team)),
        handover_note: None,
    };
    let wrote = |body: &str| Action::MessageFromCustomer {
        body: text(body),
        message_id: None,
        attachments: Vec::new(),
    };
    let commit = |days: i64| Action::MakeCommitment {
        what: text("Call back"),
        how: text("By phone"),
        due: days_from_today(days),
    };
    let remedy = || Action::OfferRemedy {
        kind: RemedyKind::Goodwill,
        description: text("A dinner for two"),
        amount: Some(Money::new(
            9000,
            Currency::parse("EUR").unwrap_or_else(|e| panic!("{e}")),
        )),
        authority: RemedyAuthority::UpTo(None),
    };

    // 0: new, nobody owns it; nothing waits.
    // 1: Bea's; the customer wrote since: waits for Bea.
    act(store, &mut cases[1], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[1], wrote("Any news?"), &customer).await;
    // 2: Bea's; she promised a call in 3 days.
    act(store, &mut cases[2], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[2], commit(3), &bea_a).await;
    // 3: Bea's; a promise due tomorrow kept, another due in 10 days open.
    act(store, &mut cases[3], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[3], commit(1), &bea_a).await;
    let kept = cases[3].commitments[0].id;
    act(
        store,
        &mut cases[3],
        Action::KeepCommitment {
            commitment_id: kept,
            note: None,
        },
        &bea_a,
    )
    .await;
    act(store, &mut cases[3], commit(10), &bea_a).await;
    // 4: Cal's; he asked a supervisor to step in (his own request waits on nobody's answer
    // but the supervisor's: the case is escalated, and waits for its owner).
    act(store, &mut cases[4], assign(&cal, "care"), &cal_a).await;
    act(
        store,
        &mut cases[4],
        Action::RequestEscalation {
            reason: text("Threatens to go to the press"),
        },
        &cal_a,
    )
    .await;
    // 5: Cal's; a remedy above his authority waits for a supervisor.
    act(store, &mut cases[5], assign(&cal, "care"), &cal_a).await;
    act(store, &mut cases[5], remedy(), &cal_a).await;
    // 6: Bea's; a remedy waits for approval, and the case was resolved meanwhile.
    act(store, &mut cases[6], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[6], remedy(), &bea_a).await;
    act(store, &mut cases[6], Action::Investigate, &bea_a).await;
    act(
        store,
        &mut cases[6],
        Action::ProposeResolution {
            summary: text("Minibar charge removed"),
        },
        &bea_a,
    )
    .await;
    act(store, &mut cases[6], Action::AcceptResolution, &customer).await;
    // 7: Bea's; the customer wrote and Bea answered: nothing waits.
    act(store, &mut cases[7], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[7], wrote("Still noisy"), &customer).await;
    act(
        store,
        &mut cases[7],
        Action::MessageToCustomer {
            body: text("We moved you to a quiet room."),
            await_customer: false,
        },
        &bea_a,
    )
    .await;
    // 8: nobody owns it; the customer wrote again: it waits for whoever takes it.
    act(store, &mut cases[8], wrote("Hello?"), &customer).await;
    // 9: Cal's; his request for a supervisor was answered: waits for Cal, no longer escalated.
    act(store, &mut cases[9], assign(&cal, "care"), &cal_a).await;
    act(
        store,
        &mut cases[9],
        Action::RequestEscalation {
            reason: text("Asks for a full refund"),
        },
        &cal_a,
    )
    .await;
    act(
        store,
        &mut cases[9],
        Action::AnswerEscalation {
            advice: text("Offer half"),
        },
        &sue_a,
    )
    .await;
    // 10: Bea's; the customer wrote, then withdrew: finished, so it waits for nobody.
    act(store, &mut cases[10], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[10], commit(2), &bea_a).await;
    act(store, &mut cases[10], wrote("Never mind"), &customer).await;
    act(
        store,
        &mut cases[10],
        Action::Withdraw { reason: None },
        &customer,
    )
    .await;
    // 11: needed 3 days ago, Cal's, with a promise due today.
    act(store, &mut cases[11], assign(&cal, "care"), &cal_a).await;
    act(store, &mut cases[11], commit(0), &cal_a).await;
    // 12: needed yesterday, a team's, nobody owns it; a supervisor was asked (by the team
    // lead, not an owner) and has not answered.
    act(
        store,
        &mut cases[12],
        Action::Assign {
            owner: None,
            team: Some(text("care")),
            handover_note: None,
        },
        &sue_a,
    )
    .await;
    act(
        store,
        &mut cases[12],
        Action::RequestEscalation {
            reason: text("VIP guest"),
        },
        &sue_a,
    )
    .await;
    // 13: needed in 5 days, Bea's; the remedy she offered was approved: waits for Bea.
    act(store, &mut cases[13], assign(&bea, "billing"), &bea_a).await;
    act(store, &mut cases[13], remedy(), &bea_a).await;
    let offered = cases[13].remedies[0].id;
    act(
        store,
        &mut cases[13],
        Action::ApproveRemedy {
            remedy_id: offered,
            note: None,
        },
        &sue_a,
    )
    .await;
    // 14: Cal's, resolved; its product "SPA" is not "Spa".
    act(store, &mut cases[14], assign(&cal, "care"), &cal_a).await;
    act(store, &mut cases[14], Action::Investigate, &cal_a).await;
    act(
        store,
        &mut cases[14],
        Action::ProposeResolution {
            summary: text("Towels delivered"),
        },
        &cal_a,
    )
    .await;
    act(store, &mut cases[14], Action::AcceptResolution, &customer).await;

    // The states the checks rely on.
    assert_eq!(cases[1].awaiting_owner, [Attention::CustomerWrote]);
    assert!(cases[4].awaiting_owner.is_empty() && cases[4].escalation.is_some());
    assert_eq!(cases[5].pending_approvals().count(), 1);
    assert_eq!(cases[6].status, Status::Resolved);
    assert_eq!(cases[6].pending_approvals().count(), 1);
    assert!(cases[7].awaiting_owner.is_empty());
    assert!(cases[8].owner.is_none() && !cases[8].awaiting_owner.is_empty());
    assert_eq!(cases[9].awaiting_owner, [Attention::SupervisorAnswered]);
    assert!(cases[9].escalation.is_none());
    assert_eq!(cases[10].status, Status::Withdrawn);
    assert!(!cases[10].awaiting_owner.is_empty());
    assert_eq!(cases[3].next_commitment_due(), Some(days_from_today(10)));
    assert_eq!(cases[13].awaiting_owner, [Attention::RemedyDecided]);
    assert_eq!(cases[14].status, Status::Resolved);
    for case in &cases {
        assert_eq!(
            &case_of(store, case.id).await,
            case,
            "fixture case recorded"
        );
    }

    Desk {
        cases,
        bea: bea.id,
        cal: cal.id,
    }
}

/// The store's answer to `q`, all pages, against `expected`.
async fn check(store: &Shared, d: &Desk, q: CaseQuery) {
    assert_eq!(
        all_ids(store, &q).await,
        d.expected(&q),
        "list_cases({q:?})"
    );
}

fn open() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(Status::is_open)
        .collect()
}

/// What waits for an owner: something unanswered, an open request for a supervisor, or an open
/// commitment due by the day asked about; open cases only.
pub async fn list_cases_awaiting_owner(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    let on = |days: i64| CaseQuery {
        awaiting_owner_on: Some(days_from_today(days)),
        ..CaseQuery::default()
    };
    // Spelled out: today, the promise due today (11), what customers, operations or
    // supervisors did (1, 8, 9, 13) and open requests for a supervisor (4, 12); not the
    // withdrawn case the customer wrote on (10), nor promises due later (2, 3).
    assert_eq!(
        all_ids(&store, &on(0)).await,
        d.ids(&[13, 12, 11, 9, 8, 4, 1]),
        "awaiting an owner today"
    );
    assert_eq!(
        all_ids(
            &store,
            &CaseQuery {
                owner: Some(d.bea),
                ..on(2)
            }
        )
        .await,
        d.ids(&[13, 1]),
        "awaiting Bea within two days: her promise in 3 days is not yet due"
    );
    assert_eq!(
        all_ids(
            &store,
            &CaseQuery {
                owner: Some(d.bea),
                ..on(3)
            }
        )
        .await,
        d.ids(&[13, 2, 1]),
        "awaiting Bea within three days: the promise due then is"
    );
    for days in [-30, -1, 0, 1, 2, 3, 9, 10, 11, 365] {
        check(&store, &d, on(days)).await;
        for owner in [d.bea, d.cal, StaffId::new()] {
            check(
                &store,
                &d,
                CaseQuery {
                    owner: Some(owner),
                    ..on(days)
                },
            )
            .await;
        }
        check(
            &store,
            &d,
            CaseQuery {
                unassigned: true,
                ..on(days)
            },
        )
        .await;
    }
}

/// Remedies waiting for a supervisor, whatever the case's status; requests for a supervisor
/// that nobody has answered.
pub async fn list_cases_pending_approval_and_escalated(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    let pending = CaseQuery {
        pending_approval: true,
        ..CaseQuery::default()
    };
    assert_eq!(
        all_ids(&store, &pending).await,
        d.ids(&[6, 5]),
        "pending approval: the resolved case too; not the approved remedy (13)"
    );
    let escalated = CaseQuery {
        escalated: true,
        ..CaseQuery::default()
    };
    assert_eq!(
        all_ids(&store, &escalated).await,
        d.ids(&[12, 4]),
        "escalated: not the answered request (9)"
    );
    for q in [pending, escalated] {
        check(&store, &d, q.clone()).await;
        check(
            &store,
            &d,
            CaseQuery {
                statuses: open(),
                ..q.clone()
            },
        )
        .await;
        check(
            &store,
            &d,
            CaseQuery {
                owner: Some(d.cal),
                ..q.clone()
            },
        )
        .await;
        check(
            &store,
            &d,
            CaseQuery {
                team: Some("care".into()),
                ..q.clone()
            },
        )
        .await;
        check(
            &store,
            &d,
            CaseQuery {
                oldest_first: true,
                ..q
            },
        )
        .await;
    }
}

/// Overdue under the service standard: past the customer's date, or, without one, received
/// more than the standard's days before the day asked about.
pub async fn list_cases_overdue_with_standard(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    let overdue = |days: i64, standard: Option<u32>| CaseQuery {
        overdue_on: Some(days_from_today(days)),
        standard_days: standard,
        ..CaseQuery::default()
    };
    assert_eq!(
        all_ids(&store, &overdue(0, Some(2))).await,
        d.ids(&[12, 11]),
        "today, 2 days' standard: only the cases past the customer's date"
    );
    assert_eq!(
        all_ids(&store, &overdue(0, None)).await,
        d.ids(&[12, 11]),
        "without a standard, only the customer's dates count"
    );
    let all_open_without_date_or_past = d.expected(&overdue(3, Some(2)));
    assert_eq!(
        all_open_without_date_or_past.len(),
        11,
        "in 3 days with a 2 days' standard: every open case but the one needed in 5 days"
    );
    assert_eq!(
        all_ids(&store, &overdue(3, Some(2))).await,
        all_open_without_date_or_past
    );
    assert_eq!(
        all_ids(&store, &overdue(2, Some(2))).await,
        d.ids(&[12, 11]),
        "received today is not overdue on the standard's last day"
    );
    for days in [-5, -1, 0, 1, 2, 3, 5, 6, 30] {
        for standard in [None, Some(0), Some(1), Some(2), Some(5), Some(u32::MAX)] {
            check(&store, &d, overdue(days, standard)).await;
            check(
                &store,
                &d,
                CaseQuery {
                    owner: Some(d.bea),
                    ..overdue(days, standard)
                },
            )
            .await;
            check(
                &store,
                &d,
                CaseQuery {
                    oldest_first: true,
                    ..overdue(days, standard)
                },
            )
            .await;
        }
    }
    // A standard alone filters nothing.
    check(
        &store,
        &d,
        CaseQuery {
            standard_days: Some(0),
            ..CaseQuery::default()
        },
    )
    .await;
    assert_eq!(
        all_ids(
            &store,
            &CaseQuery {
                standard_days: Some(0),
                ..CaseQuery::default()
            }
        )
        .await
        .len(),
        15
    );
}

/// Channel, product (exactly as recorded) and age.
pub async fn list_cases_channel_product_and_age(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    assert_eq!(
        all_ids(
            &store,
            &CaseQuery {
                product: Some("Spa".into()),
                ..CaseQuery::default()
            }
        )
        .await,
        d.ids(&[9, 1]),
        "product Spa: not SPA (14)"
    );
    assert_eq!(
        all_ids(
            &store,
            &CaseQuery {
                channel: Some(Channel::Phone),
                ..CaseQuery::default()
            }
        )
        .await,
        d.ids(&[7, 2])
    );
    for product in ["Room", "room", "Restaurant", "SPA", "Gym", ""] {
        check(
            &store,
            &d,
            CaseQuery {
                product: Some(product.into()),
                ..CaseQuery::default()
            },
        )
        .await;
    }
    for channel in Channel::ALL.iter().copied() {
        check(
            &store,
            &d,
            CaseQuery {
                channel: Some(channel),
                ..CaseQuery::default()
            },
        )
        .await;
        check(
            &store,
            &d,
            CaseQuery {
                channel: Some(channel),
                statuses: open(),
                oldest_first: true,
                ..CaseQuery::default()
            },
        )
        .await;
    }
    // Received before each case (so not it), and before the first and after the last.
    let mut moments: Vec<_> = d.cases.iter().map(|c| c.created_at).collect();
    moments.push(d.cases[0].created_at - Duration::seconds(1));
    moments.push(now() + Duration::seconds(1));
    for t in moments {
        check(
            &store,
            &d,
            CaseQuery {
                received_before: Some(t),
                ..CaseQuery::default()
            },
        )
        .await;
    }
    let before_5 = CaseQuery {
        received_before: Some(d.cases[5].created_at),
        ..CaseQuery::default()
    };
    assert_eq!(
        all_ids(&store, &before_5).await,
        d.ids(&[4, 3, 2, 1, 0]),
        "received before case 5"
    );
}

/// The filters together, as the desk combines them.
pub async fn list_cases_queue_combinations(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    let today = today();
    let owners = [
        (None, false),
        (Some(d.bea), false),
        (Some(d.cal), false),
        (None, true),
    ];
    let mut queries = Vec::new();
    for (owner, unassigned) in owners {
        for statuses in [Vec::new(), open(), vec![Status::Resolved]] {
            for team in [None, Some("care"), Some("billing")] {
                for extra in 0..8 {
                    let base = CaseQuery {
                        owner,
                        unassigned,
                        statuses: statuses.clone(),
                        team: team.map(str::to_owned),
                        ..CaseQuery::default()
                    };
                    queries.push(match extra {
                        0 => base,
                        1 => CaseQuery {
                            awaiting_owner_on: Some(today + Duration::days(2)),
                            ..base
                        },
                        2 => CaseQuery {
                            pending_approval: true,
                            ..base
                        },
                        3 => CaseQuery {
                            escalated: true,
                            awaiting_owner_on: Some(today),
                            ..base
                        },
                        4 => CaseQuery {
                            overdue_on: Some(today + Duration::days(1)),
                            standard_days: Some(0),
                            ..base
                        },
                        5 => CaseQuery {
                            product: Some("Room".into()),
                            channel: Some(Channel::Web),
                            ..base
                        },
                        6 => CaseQuery {
                            received_before: Some(d.cases[9].created_at),
                            kind: Some(CaseKind::Complaint),
                            ..base
                        },
                        _ => CaseQuery {
                            awaiting_owner_on: Some(today + Duration::days(30)),
                            overdue_on: Some(today + Duration::days(4)),
                            standard_days: Some(3),
                            ..base
                        },
                    });
                }
            }
        }
    }
    let mut nonempty = 0;
    for q in queries {
        for oldest_first in [false, true] {
            let q = CaseQuery {
                oldest_first,
                ..q.clone()
            };
            nonempty += usize::from(!d.expected(&q).is_empty());
            check(&store, &d, q).await;
        }
    }
    assert!(
        nonempty > 200,
        "the combinations must mostly find something, found {nonempty}"
    );

    // Search narrows a queue.
    let q = CaseQuery {
        text: Some("room".into()),
        statuses: open(),
        ..CaseQuery::default()
    };
    assert_eq!(
        all_ids(&store, &q).await,
        d.ids(&[12, 0]),
        "search in open cases"
    );
    let q = CaseQuery {
        oldest_first: true,
        ..q
    };
    assert_eq!(all_ids(&store, &q).await, d.ids(&[0, 12]), "oldest first");
}

/// Paging through a queue with `after = next`, newest or oldest first, visits every case once,
/// in order, with no empty page and no page too many.
pub async fn list_cases_queue_pagination(store: Arc<dyn Store>) {
    let d = desk(&store).await;
    let today = today();
    let queries = [
        CaseQuery::default(),
        CaseQuery {
            statuses: open(),
            ..CaseQuery::default()
        },
        CaseQuery {
            statuses: open(),
            owner: Some(d.bea),
            ..CaseQuery::default()
        },
        CaseQuery {
            statuses: open(),
            unassigned: true,
            ..CaseQuery::default()
        },
        CaseQuery {
            statuses: open(),
            team: Some("care".into()),
            ..CaseQuery::default()
        },
        CaseQuery {
            awaiting_owner_on: Some(today + Duration::days(3)),
            ..CaseQuery::default()
        },
        CaseQuery {
            overdue_on: Some(today + Duration::days(1)),
            standard_days: Some(0),
            ..CaseQuery::default()
        },
        CaseQuery {
            received_before: Some(d.cases[12].created_at),
            channel: Some(Channel::Email),
            ..CaseQuery::default()
        },
        CaseQuery {
            text: Some("room".into()),
            ..CaseQuery::default()
        },
    ];
    for query in queries {
        for oldest_first in [false, true] {
            let query = CaseQuery {
                oldest_first,
                ..query.clone()
            };
            let mut expected = d.expected(&query);
            if query.text.is_some() {
                // The search's matches, from the whole list, in order.
                let words: Vec<CaseId> = d
                    .cases
                    .iter()
                    .filter(|c| c.words.as_str().to_lowercase().contains("room"))
                    .map(|c| c.id)
                    .collect();
                expected.retain(|id| words.contains(id));
            }
            assert!(
                expected.len() >= 2,
                "fixture: {query:?} should find several cases"
            );
            let mut reversed = expected.clone();
            reversed.reverse();
            for limit in [1, 2, 3] {
                let mut q = CaseQuery {
                    limit,
                    ..query.clone()
                };
                let mut seen = Vec::new();
                let mut pages = 0;
                loop {
                    let page = list(&store, &q).await;
                    pages += 1;
                    assert!(
                        !page.cases.is_empty() && page.cases.len() <= limit as usize,
                        "page {pages} of {q:?} holds {} cases",
                        page.cases.len()
                    );
                    seen.extend(page.cases.iter().map(|i| i.case.id));
                    match page.next {
                        Some(next) => q.after = Some(next),
                        None => break,
                    }
                    assert!(pages <= expected.len(), "paging never ends: {q:?}");
                }
                assert_eq!(seen, expected, "pages of {limit}: {query:?}");
                assert_eq!(
                    pages,
                    expected.len().div_ceil(limit as usize),
                    "no extra page"
                );
            }
            // The other order is the same cases backwards.
            let other = CaseQuery {
                oldest_first: !oldest_first,
                ..query.clone()
            };
            assert_eq!(all_ids(&store, &other).await, reversed, "{other:?}");
        }
    }
    // Continuing after a case the filter does not hold (e.g. one that left the queue since the
    // last page) goes on from where it stood in the order.
    let mine = CaseQuery {
        statuses: open(),
        owner: Some(d.bea),
        ..CaseQuery::default()
    };
    for oldest_first in [false, true] {
        let q = CaseQuery {
            after: Some(d.cases[6].id),
            oldest_first,
            ..mine.clone()
        };
        let expected: Vec<CaseId> = d
            .expected(&q)
            .into_iter()
            .filter(|id| {
                if oldest_first {
                    *id > d.cases[6].id
                } else {
                    *id < d.cases[6].id
                }
            })
            .collect();
        assert!(!expected.is_empty());
        assert_eq!(
            all_ids(&store, &q).await,
            expected,
            "after a case not in the queue"
        );
    }
}
