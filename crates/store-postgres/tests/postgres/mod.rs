//! Checks particular to PostgreSQL (several nodes, races on contact keys), and benchmarks
//! (`cargo test -p redress-store-postgres --release -- --ignored --nocapture bench_`).

mod bench;
mod queues;

use crate::support;
use redress_domain::{Actor, Channel, Intake, IntakeDraft, TrackingToken};
use redress_store::{
    CaseChange, CaseQuery, CaseStore, CustomerStore, NewCase, SettingsStore, StoreError,
    TimelineView,
};
use redress_store_postgres::PgStore;
use std::collections::HashSet;
use time::OffsetDateTime;

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().truncate_to_microsecond()
}

pub fn new_case(words: &str, email: Option<&str>, phone: Option<&str>) -> NewCase {
    let draft = IntakeDraft {
        what_happened: Some(words.to_owned()),
        email: email.map(str::to_owned),
        phone: phone.map(str::to_owned),
        ..IntakeDraft::default()
    };
    new_case_from(&draft, Channel::Web)
}

pub fn new_case_from(draft: &IntakeDraft, channel: Channel) -> NewCase {
    let now = now();
    let intake = Intake::parse(draft, channel, now.date()).expect("a valid test intake");
    NewCase::receive(&intake, &TrackingToken::generate(), Actor::Customer, now)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_nodes_migrate_one_database_at_once() {
    if support::skip() {
        return;
    }
    let url = support::fresh_database().await;
    let mut nodes = Vec::new();
    for _ in 0..4 {
        let url = url.clone();
        nodes.push(tokio::spawn(async move { PgStore::connect(&url, 2).await }));
    }
    for node in nodes {
        let store = node
            .await
            .expect("connect task")
            .expect("every node connects and migrates");
        let causes = store.root_causes().await.expect("root causes");
        assert_eq!(causes.len(), redress_domain::RootCause::DEFAULTS.len());
    }
}

/// Email matches first; a phone number that belongs to someone else stays theirs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn email_match_wins_and_others_contacts_stay_theirs() {
    if support::skip() {
        return;
    }
    let store = support::fresh_store().await;
    let ana = store
        .create_case(new_case("Ana.", Some("ana@example.com"), None))
        .await
        .expect("ana");
    let bo = store
        .create_case(new_case("Bo.", None, Some("+44 20 7946 1111")))
        .await
        .expect("bo");
    let both = store
        .create_case(new_case(
            "Ana, with Bo's phone.",
            Some("ANA@example.com"),
            Some("+442079461111"),
        ))
        .await
        .expect("both");
    assert!(both.returning_customer);
    assert_eq!(both.customer.id, ana.customer.id, "the email wins");
    assert!(
        both.customer.phones.is_empty(),
        "Bo's phone is not copied to Ana"
    );
    assert_eq!(
        store.customer(ana.customer.id).await.expect("ana"),
        both.customer
    );
    let bo_again = store
        .create_case(new_case("Bo again.", None, Some("+44 20 7946 1111")))
        .await
        .expect("bo again");
    assert_eq!(
        bo_again.customer.id, bo.customer.id,
        "the phone is still Bo's"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_on_unknown_case_is_not_found_and_empty_changes_are_guarded() {
    if support::skip() {
        return;
    }
    let store = support::fresh_store().await;
    let ghost = new_case("Ghost.", Some("ghost@example.com"), None);
    let result = store
        .record(CaseChange {
            attachments: Vec::new(),
            case: ghost.case.clone(),
            expected_version: 1,
            events: Vec::new(),
        })
        .await;
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "{result:?}"
    );
    let result = store
        .record(CaseChange {
            attachments: Vec::new(),
            case: ghost.case.clone(),
            expected_version: 1,
            events: ghost.events.clone(),
        })
        .await;
    assert!(
        matches!(result, Err(StoreError::NotFound { .. })),
        "{result:?}"
    );

    let created = store.create_case(ghost).await.expect("create");
    let result = store
        .record(CaseChange {
            attachments: Vec::new(),
            case: created.case.clone(),
            expected_version: 7,
            events: Vec::new(),
        })
        .await;
    assert!(
        result.as_ref().is_err_and(StoreError::is_version_conflict),
        "{result:?}"
    );
    let timeline = store
        .timeline(created.case.id, TimelineView::CustomerVisible)
        .await
        .expect("timeline");
    assert_eq!(timeline.len(), 1);
}

/// Many intakes at once from a few customers, each under several spellings of one address:
/// one customer per address, no case lost, no intake failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_intakes_from_several_customers() {
    if support::skip() {
        return;
    }
    let store = std::sync::Arc::new(support::fresh_store().await);
    let mut tasks = Vec::new();
    for i in 0..200 {
        let store = store.clone();
        let email = match i % 3 {
            0 => format!("person{}@example.com", i % 10),
            1 => format!("Person{}@Example.com", i % 10),
            _ => format!("PERSON{}@EXAMPLE.COM", i % 10),
        };
        let new = new_case(&format!("Complaint {i}."), Some(&email), None);
        tasks.push(tokio::spawn(async move { store.create_case(new).await }));
    }
    let mut customers = HashSet::new();
    let mut firsts = 0;
    for task in tasks {
        let created = task.await.expect("task").expect("create_case");
        customers.insert(created.customer.id);
        firsts += usize::from(!created.returning_customer);
    }
    assert_eq!(customers.len(), 10);
    assert_eq!(firsts, 10);
    let mut total = 0;
    let mut query = CaseQuery {
        limit: 200,
        ..CaseQuery::default()
    };
    loop {
        let page = store.list_cases(&query).await.expect("list");
        total += page.cases.len();
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }
    assert_eq!(total, 200);
}

/// Many intakes at once from one customer, each bringing a phone number we did not know: every
/// number is merged (none lost to a concurrent merge), and each recognises the customer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_merges_into_one_customer_lose_nothing() {
    if support::skip() {
        return;
    }
    let store = std::sync::Arc::new(support::fresh_store().await);
    let first = store
        .create_case(new_case("First.", Some("busy@example.com"), None))
        .await
        .expect("first");
    let phone = |i: usize| format!("+44 20 7946 {i:04}");
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = store.clone();
        let new = new_case(
            &format!("Call {i}."),
            Some("busy@example.com"),
            Some(&phone(i)),
        );
        tasks.push(tokio::spawn(async move { store.create_case(new).await }));
    }
    for task in tasks {
        let created = task.await.expect("task").expect("create_case");
        assert_eq!(created.customer.id, first.customer.id);
        assert!(created.returning_customer);
    }
    let customer = store.customer(first.customer.id).await.expect("customer");
    let mut phones: Vec<String> = customer
        .phones
        .iter()
        .map(|p| p.as_str().to_owned())
        .collect();
    phones.sort();
    let mut expected: Vec<String> = (0..40).map(phone).collect();
    expected.sort();
    assert_eq!(phones, expected, "every phone merged once");
    for i in [0, 17, 39] {
        let again = store
            .create_case(new_case("Again.", None, Some(&phone(i))))
            .await
            .expect("again");
        assert_eq!(again.customer.id, first.customer.id, "phone {i} recognises");
    }
}

/// Times finer than PostgreSQL keeps: the customer create_case returns is the one stored, and
/// the case reads back exactly (its state keeps every digit).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nanoseconds_do_not_split_returned_from_stored() {
    if support::skip() {
        return;
    }
    let store = support::fresh_store().await;
    for (i, phone) in [None, Some("+44 20 7946 5555")].into_iter().enumerate() {
        let mut new = new_case(&format!("Case {i}."), Some("nano@example.com"), phone);
        let at = new.case.created_at + time::Duration::nanoseconds(123);
        new.case.created_at = at;
        new.case.updated_at = at;
        let created = store.create_case(new).await.expect("create");
        assert_eq!(
            store.customer(created.customer.id).await.expect("customer"),
            created.customer
        );
        assert_eq!(
            store.case(created.case.id).await.expect("case"),
            created.case
        );
    }
}
