//! Listing cases: order, every filter, full-text search and pagination.

use super::fixtures::*;
use crate::{CaseQuery, Store};
use redress_domain::{
    Action, Actor, Case, CaseId, CaseKind, CustomerId, IntakeDraft, Role, StaffRef, Status,
};
use std::collections::HashMap;
use std::sync::Arc;
use time::Date;

/// Nine cases over four customers, in every kind of state a filter cares about.
struct Fixture {
    /// In creation order, as recorded.
    cases: Vec<Case>,
    names: HashMap<CustomerId, Option<String>>,
    ana: CustomerId,
    cy: CustomerId,
    bea: StaffRef,
}

impl Fixture {
    /// Ids of the fixture's cases matching `pred`, newest first.
    fn expect(&self, pred: impl Fn(&Case) -> bool) -> Vec<CaseId> {
        let mut ids: Vec<CaseId> = self
            .cases
            .iter()
            .filter(|c| pred(c))
            .map(|c| c.id)
            .collect();
        ids.sort_by(|a, b| b.cmp(a));
        ids
    }

    fn case(&self, i: usize) -> CaseId {
        self.cases[i].id
    }
}

struct Spec {
    kind: &'static str,
    words: &'static str,
    name: Option<&'static str>,
    email: &'static str,
    needed_by: Option<i64>,
}

async fn fixture(store: &Shared) -> Fixture {
    let specs = [
        // 0: new, overdue.
        (
            "complaint",
            "The heater broke on day two",
            Some("Ana"),
            "ana@example.com",
            Some(-10),
        ),
        // 1
        (
            "inquiry",
            "Where is my refund for the heater?",
            Some("Bo"),
            "bo@example.com",
            None,
        ),
        // 2: resolved, past its date (not overdue: resolved).
        (
            "complaint",
            "Heater noisy at night",
            Some("Ana"),
            "ana@example.com",
            Some(-5),
        ),
        // 3: needed in the future.
        (
            "suggestion",
            "Offer a vegan breakfast",
            Some("Cy"),
            "cy@example.com",
            Some(10),
        ),
        // 4: owned by Bea, team billing.
        (
            "complaint",
            "Charged twice for parking",
            Some("Bo"),
            "bo@example.com",
            None,
        ),
        // 5: team field, nobody owns it.
        (
            "complaint",
            "Rude reception staff",
            Some("Cy"),
            "cy@example.com",
            None,
        ),
        // 6: withdrawn, past its date (not overdue: withdrawn).
        (
            "complaint",
            "Lift out of order",
            Some("Ana"),
            "ana@example.com",
            Some(-1),
        ),
        // 7: a customer without a name.
        (
            "compliment",
            "Lovely staff at the spa",
            None,
            "dee@example.com",
            None,
        ),
        // 8: investigating, owned by Cal, overdue.
        (
            "complaint",
            "Breakfast cold again",
            Some("Cy"),
            "cy@example.com",
            Some(-2),
        ),
    ]
    .map(|(kind, words, name, email, needed_by)| Spec {
        kind,
        words,
        name,
        email,
        needed_by,
    });

    let bea = new_staff("Bea", "bea@example.org", Role::Agent, Some("billing"));
    let cal = new_staff("Cal", "cal@example.org", Role::Agent, Some("care"));
    let bea_actor = staff_actor(&bea);
    let cal_actor = staff_actor(&cal);

    let mut cases = Vec::new();
    let mut names = HashMap::new();
    for spec in &specs {
        let new = new_case(&IntakeDraft {
            kind: Some(spec.kind.into()),
            what_happened: Some(spec.words.into()),
            name: spec.name.map(str::to_owned),
            email: Some(spec.email.into()),
            needed_by: spec.needed_by.map(|d| days_from_today(d).to_string()),
            ..IntakeDraft::default()
        });
        let created = create(store, new).await;
        names
            .entry(created.customer.id)
            .or_insert_with(|| spec.name.map(str::to_owned));
        cases.push(created.case);
    }

    let ack = |who: &str| Action::Acknowledge {
        message: text(&format!("Thank you. {who} will look into it.")),
        respond_by: None,
    };
    // 2: resolved.
    act(store, &mut cases[2], ack("Bea"), &bea_actor).await;
    act(
        store,
        &mut cases[2],
        Action::ProposeResolution {
            summary: text("Fan replaced."),
        },
        &bea_actor,
    )
    .await;
    act(
        store,
        &mut cases[2],
        Action::AcceptResolution,
        &Actor::Customer,
    )
    .await;
    // 4: owned by Bea, team billing.
    act(
        store,
        &mut cases[4],
        Action::Assign {
            owner: Some(bea.as_ref()),
            team: Some(text("billing")),
            handover_note: None,
        },
        &bea_actor,
    )
    .await;
    // 5: team field, no owner.
    act(
        store,
        &mut cases[5],
        Action::Assign {
            owner: None,
            team: Some(text("field")),
            handover_note: None,
        },
        &bea_actor,
    )
    .await;
    // 6: withdrawn.
    act(
        store,
        &mut cases[6],
        Action::Withdraw { reason: None },
        &Actor::Customer,
    )
    .await;
    // 8: investigating, owned by Cal.
    act(store, &mut cases[8], ack("Cal"), &cal_actor).await;
    act(store, &mut cases[8], Action::Investigate, &cal_actor).await;
    act(
        store,
        &mut cases[8],
        Action::Assign {
            owner: Some(cal.as_ref()),
            team: Some(text("care")),
            handover_note: None,
        },
        &cal_actor,
    )
    .await;

    let statuses: Vec<Status> = cases.iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            Status::New,
            Status::New,
            Status::Resolved,
            Status::New,
            Status::New,
            Status::New,
            Status::Withdrawn,
            Status::New,
            Status::Investigating
        ],
        "fixture statuses"
    );

    Fixture {
        ana: cases[0].customer_id,
        cy: cases[3].customer_id,
        cases,
        names,
        bea: bea.as_ref(),
    }
}

async fn check(store: &Shared, f: &Fixture, query: CaseQuery, pred: impl Fn(&Case) -> bool) {
    let got = all_ids(store, &query).await;
    assert_eq!(got, f.expect(pred), "list_cases({query:?})");
}

/// No filter: every case, newest first, each with its customer's name and stored state.
pub async fn list_cases_newest_first_with_names(store: Arc<dyn Store>) {
    let empty = list(&store, &CaseQuery::default()).await;
    assert!(
        empty.cases.is_empty() && empty.next.is_none(),
        "an empty store lists nothing"
    );

    let f = fixture(&store).await;
    let page = list(
        &store,
        &CaseQuery {
            limit: 50,
            ..CaseQuery::default()
        },
    )
    .await;
    assert_eq!(page.next, None, "everything fits on one page");
    let ids: Vec<CaseId> = page.cases.iter().map(|i| i.case.id).collect();
    assert_eq!(ids, f.expect(|_| true), "newest first");
    for item in &page.cases {
        let recorded = f
            .cases
            .iter()
            .find(|c| c.id == item.case.id)
            .unwrap_or_else(|| panic!("listed an unknown case {}", item.case.id));
        assert_eq!(&item.case, recorded, "a listed case is the stored state");
        assert_eq!(
            Some(&item.customer_name),
            f.names.get(&recorded.customer_id),
            "customer_name of {}",
            recorded.id
        );
    }
}

/// Each filter alone and a few together.
pub async fn list_cases_filters(store: Arc<dyn Store>) {
    let f = fixture(&store).await;
    let q = CaseQuery::default;
    let bea = f.bea.id;

    check(
        &store,
        &f,
        CaseQuery {
            statuses: vec![Status::New],
            ..q()
        },
        |c| c.status == Status::New,
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            statuses: vec![Status::Resolved, Status::Withdrawn, Status::Investigating],
            ..q()
        },
        |c| {
            matches!(
                c.status,
                Status::Resolved | Status::Withdrawn | Status::Investigating
            )
        },
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            statuses: vec![Status::Closed],
            ..q()
        },
        |_| false,
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            kind: Some(CaseKind::Inquiry),
            ..q()
        },
        |c| c.kind == CaseKind::Inquiry,
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            kind: Some(CaseKind::Complaint),
            ..q()
        },
        |c| c.kind == CaseKind::Complaint,
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            owner: Some(bea),
            ..q()
        },
        |c| c.owner.as_ref().is_some_and(|o| o.id == bea),
    )
    .await;
    assert_eq!(f.expect(|c| c.owner.is_some()).len(), 2, "fixture owners");
    check(
        &store,
        &f,
        CaseQuery {
            unassigned: true,
            ..q()
        },
        |c| c.owner.is_none(),
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            team: Some("billing".into()),
            ..q()
        },
        |c| c.team.as_ref().is_some_and(|t| t.as_str() == "billing"),
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            team: Some("field".into()),
            unassigned: true,
            ..q()
        },
        |c| c.team.as_ref().is_some_and(|t| t.as_str() == "field") && c.owner.is_none(),
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            customer: Some(f.ana),
            ..q()
        },
        |c| c.customer_id == f.ana,
    )
    .await;
    assert_eq!(f.expect(|c| c.customer_id == f.ana).len(), 3);
    check(
        &store,
        &f,
        CaseQuery {
            customer: Some(f.cy),
            kind: Some(CaseKind::Complaint),
            statuses: vec![Status::New, Status::Acknowledged],
            ..q()
        },
        |c| {
            c.customer_id == f.cy
                && c.kind == CaseKind::Complaint
                && matches!(c.status, Status::New | Status::Acknowledged)
        },
    )
    .await;
    check(
        &store,
        &f,
        CaseQuery {
            customer: Some(CustomerId::new()),
            ..q()
        },
        |_| false,
    )
    .await;
}

/// Overdue: open cases whose needed-by date is before the day asked about.
pub async fn list_cases_overdue(store: Arc<dyn Store>) {
    let f = fixture(&store).await;
    let on = |date: Date| CaseQuery {
        overdue_on: Some(date),
        ..CaseQuery::default()
    };
    let today = today();
    assert_eq!(
        all_ids(&store, &on(today)).await,
        vec![f.case(8), f.case(0)],
        "overdue today: open cases past their date, not the resolved or withdrawn ones"
    );
    for days in [-20, -10, -9, -2, -1, 0, 1, 10, 11, 30] {
        let date = days_from_today(days);
        check(&store, &f, on(date), |c| c.is_overdue(date)).await;
    }
    check(
        &store,
        &f,
        CaseQuery {
            overdue_on: Some(today),
            customer: Some(f.ana),
            ..CaseQuery::default()
        },
        |c| c.is_overdue(today) && c.customer_id == f.ana,
    )
    .await;
}

fn search(text: &str) -> CaseQuery {
    CaseQuery {
        text: Some(text.into()),
        ..CaseQuery::default()
    }
}

/// Full-text search in the customer's words: whole words, any case, every term must match.
pub async fn list_cases_text_search(store: Arc<dyn Store>) {
    let f = fixture(&store).await;
    let heater = vec![f.case(2), f.case(1), f.case(0)];
    for (text, expected) in [
        ("heater", heater.clone()),
        ("HEATER", heater.clone()),
        ("Heater", heater.clone()),
        ("heater broke", vec![f.case(0)]),
        ("broke   heater", vec![f.case(0)]),
        ("heater refund", vec![f.case(1)]),
        ("heater parking", vec![]),
        ("lift", vec![f.case(6)]),
        ("breakfast", vec![f.case(8), f.case(3)]),
        ("umbrella", vec![]),
    ] {
        assert_eq!(
            all_ids(&store, &search(text)).await,
            expected,
            "search {text:?}"
        );
    }
    // Search narrows the other filters.
    let query = CaseQuery {
        kind: Some(CaseKind::Complaint),
        ..search("heater")
    };
    assert_eq!(
        all_ids(&store, &query).await,
        vec![f.case(2), f.case(0)],
        "search with a kind"
    );
    // Blank text is no filter.
    for blank in ["", "   "] {
        assert_eq!(
            all_ids(&store, &search(blank)).await,
            f.expect(|_| true),
            "blank search {blank:?} filters nothing"
        );
    }
}

/// Search text is user input: operators and punctuation of any search syntax must not cause an
/// error, and punctuation around a word does not stop it matching.
pub async fn list_cases_text_search_odd_input(store: Arc<dyn Store>) {
    let f = fixture(&store).await;
    let heater = vec![f.case(2), f.case(1), f.case(0)];
    for text in ["(heater)", "\"heater\"", "heater,", "heater?"] {
        assert_eq!(
            all_ids(&store, &search(text)).await,
            heater,
            "search {text:?} matches the word heater"
        );
    }
    for text in [
        "\"heater",
        "heater\"",
        "\"heater broke\"",
        "heater*",
        "*",
        "-heater",
        "heater -broke",
        "heater:",
        "words:heater",
        ":",
        "heater OR refund",
        "heater AND",
        "NOT heater",
        "AND",
        "NEAR(heater broke)",
        "^heater",
        "'",
        "\"",
        "\"\"",
        "'; DROP TABLE cases; --",
        "\\",
        "%",
        "_",
        "heater's",
        "{heater}",
        "[",
        "+heater",
        "heater & broke",
        "heater | refund",
        "!heater",
        "heater <-> broke",
        "heater:*",
        "(",
        ")",
        "heater)",
        "\u{0}",
        "🙂",
        "ÿ\u{301}",
    ] {
        store
            .list_cases(&search(text))
            .await
            .unwrap_or_else(|e| panic!("search {text:?} must not fail: {e}"));
    }
}

/// Walking pages with `after = next` visits every matching case once, in order; the last page
/// has no `next` (so no page after the first is empty).
pub async fn list_cases_pagination(store: Arc<dyn Store>) {
    let f = fixture(&store).await;
    for (query, pred) in [
        (CaseQuery::default(), (|_: &Case| true) as fn(&Case) -> bool),
        (
            CaseQuery {
                kind: Some(CaseKind::Complaint),
                ..CaseQuery::default()
            },
            |c: &Case| c.kind == CaseKind::Complaint,
        ),
        (
            CaseQuery {
                unassigned: true,
                ..CaseQuery::default()
            },
            |c: &Case| c.owner.is_none(),
        ),
    ] {
        let expected = f.expect(pred);
        let mut query = CaseQuery { limit: 3, ..query };
        let mut seen = Vec::new();
        let mut pages = 0;
        loop {
            let page = list(&store, &query).await;
            pages += 1;
            assert!(
                page.cases.len() <= 3,
                "a page holds at most `limit` cases: {query:?}"
            );
            assert!(
                !page.cases.is_empty(),
                "no empty page after a page with a next: {query:?}"
            );
            seen.extend(page.cases.iter().map(|i| i.case.id));
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
            assert!(pages < 100, "pagination never ends: {query:?}");
        }
        assert_eq!(seen, expected, "pages of 3 visit every case once, in order");
        assert_eq!(pages, expected.len().div_ceil(3), "no extra pages");
    }
    assert_eq!(
        f.expect(|c| c.kind == CaseKind::Complaint).len(),
        6,
        "fixture: a filter with exactly two full pages"
    );

    // The page size is capped.
    let big = list(
        &store,
        &CaseQuery {
            limit: u32::MAX,
            ..CaseQuery::default()
        },
    )
    .await;
    assert_eq!(big.cases.len(), 9, "a huge limit is capped, not an error");
    let zero = list(
        &store,
        &CaseQuery {
            limit: 0,
            ..CaseQuery::default()
        },
    )
    .await;
    assert_eq!(zero.cases.len(), 1, "limit 0 means the smallest page (1)");
    assert!(zero.next.is_some());
}
