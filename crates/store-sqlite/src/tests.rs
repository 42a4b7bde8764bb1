//! SQLite-specific tests: the writer's batches, durability settings, reopening, and a micro
//! benchmark of intake (`cargo test --release -p redress-store-sqlite -- --ignored --nocapture`).

use super::*;
use redress_domain::{Actor, Channel, Intake, IntakeDraft, TrackingToken};
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;
use tokio::sync::oneshot;

fn new_case(words: &str, email: &str) -> NewCase {
    let now = OffsetDateTime::now_utc();
    let draft = IntakeDraft {
        what_happened: Some(words.into()),
        email: Some(email.into()),
        name: Some("Ana".into()),
        ..IntakeDraft::default()
    };
    let intake = Intake::parse(&draft, Channel::Web, now.date())
        .unwrap_or_else(|e| panic!("valid draft: {e}"));
    NewCase::receive(&intake, &TrackingToken::generate(), Actor::Customer, now)
}

fn temp_db() -> std::path::PathBuf {
    tempfile::tempdir()
        .unwrap_or_else(|e| panic!("temp dir: {e}"))
        .keep()
        .join("nested")
        .join("redress.db")
}

type Answer<T> = oneshot::Receiver<Result<T, StoreError>>;

/// Queues a create_case job without waiting for it.
fn queue_create(store: &SqliteStore, new: NewCase) -> Answer<CreatedCase> {
    let (reply, answer) = oneshot::channel();
    let job = writer::CreateCase::prepare(new).unwrap_or_else(|e| panic!("prepare: {e}"));
    store
        .writer
        .try_send(Job::CreateCase(Box::new(job), reply))
        .unwrap_or_else(|_| panic!("queue full"));
    answer
}

async fn answer<T>(answer: Answer<T>) -> Result<T, StoreError> {
    answer
        .await
        .unwrap_or_else(|_| panic!("the writer dropped a job"))
}

#[tokio::test]
async fn durability_settings_are_on() {
    let (_store, mut conn, _jobs) = SqliteStore::open_unstarted(&temp_db())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    let journal: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(journal, "wal");
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous")
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(synchronous, 2, "synchronous=FULL");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(foreign_keys, 1);
}

/// One batch of good and failing jobs: each failing job gets its own error, the good ones are
/// committed, and what a failing job wrote before failing is undone.
#[tokio::test]
async fn a_batch_commits_its_good_jobs_only() {
    let path = temp_db();
    let (store, conn, jobs) = SqliteStore::open_unstarted(&path)
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));

    let first = new_case("First.", "first@example.com");
    let mut clash = new_case("Clash.", "clash@example.com");
    clash.case.reference = first.case.reference.clone();
    let clash_id = clash.case.id;
    let second = new_case("Second.", "first@example.com");

    let a = queue_create(&store, first.clone());
    let b = queue_create(&store, clash);
    let (reply, c) = oneshot::channel();
    store
        .writer
        .try_send(Job::Fail(reply))
        .unwrap_or_else(|_| panic!("queue full"));
    let d = queue_create(&store, second.clone());
    // All four are pending: the writer takes them as one batch.
    let checkpointer = SqliteStore::options(&path)
        .connect()
        .await
        .unwrap_or_else(|e| panic!("checkpointer: {e}"));
    writer::start(conn, jobs, checkpointer).unwrap_or_else(|e| panic!("start: {e}"));

    let a = answer(a)
        .await
        .unwrap_or_else(|e| panic!("first must commit: {e}"));
    assert!(!a.returning_customer);
    match answer(b).await {
        Err(StoreError::Conflict { what }) => assert_eq!(what, "reference"),
        other => panic!("the clash must be a reference conflict, got {other:?}"),
    }
    assert!(
        answer(c).await.is_err(),
        "the failing job reports its error"
    );
    let d = answer(d)
        .await
        .unwrap_or_else(|e| panic!("second must commit: {e}"));
    assert!(
        d.returning_customer,
        "a job sees the earlier jobs of its batch"
    );
    assert_eq!(d.customer.id, a.customer.id);

    assert_eq!(store.case(first.case.id).await.ok(), Some(first.case));
    assert!(store.case(second.case.id).await.is_ok());
    assert!(matches!(
        store.case(clash_id).await,
        Err(StoreError::NotFound { .. })
    ));
    let causes = store
        .root_causes()
        .await
        .unwrap_or_else(|e| panic!("root causes: {e}"));
    assert_eq!(
        causes.len(),
        RootCause::DEFAULTS.len(),
        "the failing job's write was rolled back"
    );
    // The customer was not created twice, nor by the clashing job.
    let page = store
        .list_cases(&CaseQuery {
            limit: 10,
            ..CaseQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("list: {e}"));
    assert_eq!(page.cases.len(), 2);
}

/// Intakes from new customers are written as a group; a returning customer, a customer met
/// earlier in the group and a clash inside a group all end as the one-job path would have it.
#[tokio::test]
async fn groups_of_intakes_match_the_one_job_path() {
    let path = temp_db();
    let (store, conn, jobs) = SqliteStore::open_unstarted(&path)
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    let news: Vec<NewCase> = (0..10)
        .map(|i| {
            new_case(
                &format!("Complaint groupword{i}."),
                &format!("n{i}@example.com"),
            )
        })
        .collect();
    let answers: Vec<_> = news
        .iter()
        .map(|n| queue_create(&store, n.clone()))
        .collect();
    // Shares n3's address: ends the first group, and is recognised.
    let returning = queue_create(&store, new_case("Again.", "N3@example.com"));
    // Clashes with the first intake's reference: its group is redone one job at a time.
    let mut clash = new_case("Clash.", "z@example.com");
    clash.case.reference = news[0].case.reference.clone();
    let clash_id = clash.case.id;
    let clash = queue_create(&store, clash);
    let mut with_phone = new_case("With a phone.", "p@example.com");
    with_phone.customer.phones = vec![
        redress_domain::PhoneNumber::parse("+44 20 7946 0000").unwrap_or_else(|e| panic!("{e}")),
    ];
    let with_phone = queue_create(&store, with_phone);
    let checkpointer = SqliteStore::options(&path)
        .connect()
        .await
        .unwrap_or_else(|e| panic!("checkpointer: {e}"));
    writer::start(conn, jobs, checkpointer).unwrap_or_else(|e| panic!("start: {e}"));

    let mut created = Vec::new();
    for (new, a) in news.iter().zip(answers) {
        let c = answer(a)
            .await
            .unwrap_or_else(|e| panic!("a new customer's intake: {e}"));
        assert!(!c.returning_customer);
        assert_eq!(c.case, new.case, "the case as given");
        assert_eq!(c.customer.id, new.case.customer_id);
        assert_eq!(
            store.customer(c.customer.id).await.ok(),
            Some(c.customer.clone()),
            "the customer as returned"
        );
        created.push(c);
    }
    let again = answer(returning)
        .await
        .unwrap_or_else(|e| panic!("returning: {e}"));
    assert!(again.returning_customer);
    assert_eq!(again.customer.id, created[3].customer.id);
    assert_eq!(
        store.case(again.case.id).await.ok().map(|c| c.customer_id),
        Some(created[3].customer.id)
    );
    match answer(clash).await {
        Err(StoreError::Conflict { what }) => assert_eq!(what, "reference"),
        other => panic!("the clash must be a reference conflict, got {other:?}"),
    }
    assert!(matches!(
        store.case(clash_id).await,
        Err(StoreError::NotFound { .. })
    ));
    let phoned = answer(with_phone)
        .await
        .unwrap_or_else(|e| panic!("with a phone: {e}"));
    assert_eq!(phoned.customer.phones.len(), 1);
    assert_eq!(
        store.customer(phoned.customer.id).await.ok(),
        Some(phoned.customer.clone())
    );

    let found = store
        .list_cases(&CaseQuery {
            text: Some("groupword5".into()),
            limit: 10,
            ..CaseQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("search: {e}"));
    let ids: Vec<CaseId> = found.cases.iter().map(|i| i.case.id).collect();
    assert_eq!(
        ids,
        vec![news[5].case.id],
        "group-written cases are searchable"
    );
    let all = store
        .list_cases(&CaseQuery {
            limit: 50,
            ..CaseQuery::default()
        })
        .await
        .unwrap_or_else(|e| panic!("list: {e}"));
    assert_eq!(all.cases.len(), 12);
    // A customer met in the group is recognised by a later intake, by phone too.
    let by_phone = store
        .create_case({
            let mut n = new_case("By phone.", "other@example.com");
            n.customer.emails.clear();
            n.customer.phones = vec![
                redress_domain::PhoneNumber::parse("+442079460000")
                    .unwrap_or_else(|e| panic!("{e}")),
            ];
            n
        })
        .await
        .unwrap_or_else(|e| panic!("by phone: {e}"));
    assert!(by_phone.returning_customer);
    assert_eq!(by_phone.customer.id, phoned.customer.id);
}

/// The writer goes on after failing jobs.
#[tokio::test]
async fn the_writer_survives_failing_jobs() {
    let store = SqliteStore::open(&temp_db())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    let first = new_case("First.", "a@example.com");
    store
        .create_case(first.clone())
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    for _ in 0..3 {
        let (reply, failed) = oneshot::channel();
        store
            .writer
            .send(Job::Fail(reply))
            .await
            .unwrap_or_else(|_| panic!("writer gone"));
        assert!(answer(failed).await.is_err());
        assert!(
            store.create_case(first.clone()).await.is_err(),
            "duplicate refused"
        );
    }
    store
        .create_case(new_case("Later.", "b@example.com"))
        .await
        .unwrap_or_else(|e| panic!("the writer must still work: {e}"));
    store.ping().await.unwrap_or_else(|e| panic!("ping: {e}"));
}

/// What was committed is there after reopening; reopening migrates nothing twice.
#[tokio::test]
async fn reopening_keeps_everything() {
    let path = temp_db();
    let new = new_case("Kept across restarts.", "a@example.com");
    {
        let store = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("open: {e}"));
        store
            .create_case(new.clone())
            .await
            .unwrap_or_else(|e| panic!("create: {e}"));
    }
    let store = SqliteStore::open(&path)
        .await
        .unwrap_or_else(|e| panic!("reopen: {e}"));
    assert_eq!(store.case(new.case.id).await.ok(), Some(new.case));
    let again = store
        .create_case(new_case("Back again.", "A@example.com"))
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    assert!(again.returning_customer);
}

/// A change whose events do not follow the expected version is refused before it is queued.
#[tokio::test]
async fn malformed_changes_are_refused() {
    let store = SqliteStore::open(&temp_db())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    let new = new_case("Case.", "a@example.com");
    let case = new.case.clone();
    store
        .create_case(new)
        .await
        .unwrap_or_else(|e| panic!("create: {e}"));
    let empty = CaseChange {
        attachments: Vec::new(),
        case: case.clone(),
        expected_version: 1,
        events: Vec::new(),
    };
    assert!(matches!(
        store.record(empty).await,
        Err(StoreError::Backend(_))
    ));
    assert_eq!(store.case(case.id).await.ok(), Some(case));
}

/// Intake throughput: 20,000 new complaints from 64 concurrent tasks, durable.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
async fn bench_create_case() {
    const TOTAL: usize = 20_000;
    const TASKS: usize = 64;
    let store = Arc::new(
        SqliteStore::open(&temp_db())
            .await
            .unwrap_or_else(|e| panic!("open: {e}")),
    );
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..TASKS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(TOTAL / TASKS + 1);
            for i in (t..TOTAL).step_by(TASKS) {
                // One in ten is a returning customer.
                let email = if i % 10 == 9 {
                    format!("customer{}@example.com", i - 9)
                } else {
                    format!("customer{i}@example.com")
                };
                let new = new_case(
                    "The heater in room 12 broke on the second day and nobody came to fix it.",
                    &email,
                );
                let begun = Instant::now();
                store
                    .create_case(new)
                    .await
                    .unwrap_or_else(|e| panic!("create: {e}"));
                latencies.push(begun.elapsed());
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(TOTAL);
    for task in tasks {
        latencies.extend(task.await.unwrap_or_else(|e| panic!("task: {e}")));
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "create_case: {TOTAL} durable intakes from {TASKS} tasks in {:.2?}: {:.0}/s; \
         latency p50 {:.2?}, p99 {:.2?}, max {:.2?}",
        elapsed,
        TOTAL as f64 / elapsed.as_secs_f64(),
        pct(0.50),
        pct(0.99),
        pct(1.0),
    );
}

/// Listing speed: pages of 50 newest-first under each filter, with 100,000 cases.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run with --release -- --ignored --nocapture"]
async fn bench_list_cases() {
    use redress_domain::{Action, Role, Status};
    const TOTAL: usize = 100_000;
    let store = Arc::new(
        SqliteStore::open(&temp_db())
            .await
            .unwrap_or_else(|e| panic!("open: {e}")),
    );
    let words = [
        "heater broke",
        "refund missing",
        "rude staff",
        "lift broken",
        "cold breakfast",
    ];
    let kinds = [
        "complaint",
        "complaint",
        "inquiry",
        "suggestion",
        "compliment",
    ];
    let started = Instant::now();
    let mut tasks = Vec::new();
    for t in 0..32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in (t..TOTAL).step_by(32) {
                let now = OffsetDateTime::now_utc();
                let draft = IntakeDraft {
                    kind: Some(kinds[i % 5].into()),
                    what_happened: Some(format!("The {} in room {i}.", words[i % 5])),
                    email: Some(format!("c{}@example.com", i % 20_000)),
                    needed_by: (i % 7 == 0).then(|| {
                        (now.date() + time::Duration::days((i % 30) as i64 - 15)).to_string()
                    }),
                    ..IntakeDraft::default()
                };
                let channel = if draft.needed_by.is_some() {
                    Channel::Import
                } else {
                    Channel::Web
                };
                let intake = Intake::parse(&draft, channel, now.date())
                    .unwrap_or_else(|e| panic!("valid: {e}"));
                let (case, received) = Case::receive(
                    &intake,
                    CaseId::new(),
                    CaseRef::generate(),
                    CustomerId::new(),
                    Actor::Customer,
                    now,
                );
                let created = store
                    .create_case(NewCase {
                        case,
                        events: vec![received],
                        token: TrackingToken::generate().digest(),
                        customer: intake.customer,
                        attachments: Vec::new(),
                    })
                    .await
                    .unwrap_or_else(|e| panic!("create: {e}"));
                ids.push(created.case);
            }
            ids
        }));
    }
    let mut cases = Vec::new();
    for task in tasks {
        cases.extend(task.await.unwrap_or_else(|e| panic!("task: {e}")));
    }
    println!("{TOTAL} cases in {:.1?}", started.elapsed());
    let staff: Vec<redress_domain::Staff> = (0..10)
        .map(|i| {
            redress_domain::NewStaff {
                name: redress_domain::Text::trusted(format!("Agent {i}")),
                email: redress_domain::EmailAddress::parse(&format!("a{i}@example.org"))
                    .unwrap_or_else(|e| panic!("{e}")),
                role: Role::Agent,
                team: None,
                authority_limit: None,
            }
            .into_staff(OffsetDateTime::now_utc())
        })
        .collect();
    let teams = ["billing", "care", "field"];
    for (i, case) in cases.iter_mut().enumerate().filter(|(i, _)| i % 10 == 0) {
        let agent = &staff[i % 10];
        let expected_version = case.version;
        let events = case
            .execute(
                Action::Assign {
                    owner: Some(agent.as_ref()),
                    team: Some(redress_domain::Text::trusted(teams[i % 3])),
                    handover_note: None,
                },
                &Actor::Staff(agent.as_ref()),
                OffsetDateTime::now_utc(),
            )
            .unwrap_or_else(|e| panic!("assign: {e}"));
        let _ = i;
        store
            .record(CaseChange {
                attachments: Vec::new(),
                case: case.clone(),
                expected_version,
                events,
            })
            .await
            .unwrap_or_else(|e| panic!("record: {e}"));
    }
    println!("assigned a tenth in {:.1?}", started.elapsed());
    let today = OffsetDateTime::now_utc().date();
    let customer = cases[12_345].customer_id;
    let queries: Vec<(&str, CaseQuery)> = vec![
        ("all", CaseQuery::default()),
        (
            "status new",
            CaseQuery {
                statuses: vec![Status::New],
                ..CaseQuery::default()
            },
        ),
        (
            "status acknowledged (none)",
            CaseQuery {
                statuses: vec![Status::Acknowledged],
                ..CaseQuery::default()
            },
        ),
        (
            "kind inquiry",
            CaseQuery {
                kind: Some(redress_domain::CaseKind::Inquiry),
                ..CaseQuery::default()
            },
        ),
        (
            "owner",
            CaseQuery {
                owner: Some(staff[3].id),
                ..CaseQuery::default()
            },
        ),
        (
            "unassigned",
            CaseQuery {
                unassigned: true,
                ..CaseQuery::default()
            },
        ),
        (
            "team",
            CaseQuery {
                team: Some("care".into()),
                ..CaseQuery::default()
            },
        ),
        (
            "customer",
            CaseQuery {
                customer: Some(customer),
                ..CaseQuery::default()
            },
        ),
        (
            "overdue",
            CaseQuery {
                overdue_on: Some(today),
                ..CaseQuery::default()
            },
        ),
        (
            "text common",
            CaseQuery {
                text: Some("heater".into()),
                ..CaseQuery::default()
            },
        ),
        (
            "text rare",
            CaseQuery {
                text: Some("room 4242".into()),
                ..CaseQuery::default()
            },
        ),
        (
            "text + kind",
            CaseQuery {
                text: Some("refund".into()),
                kind: Some(redress_domain::CaseKind::Inquiry),
                ..CaseQuery::default()
            },
        ),
    ];
    for (name, mut query) in queries {
        query.limit = 50;
        let mut times = Vec::new();
        let mut after = None;
        for round in 0..100 {
            // Half the rounds on the first page, half deeper.
            query.after = if round % 2 == 0 { None } else { after };
            let begun = Instant::now();
            let page = store
                .list_cases(&query)
                .await
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            times.push(begun.elapsed());
            if round % 2 == 0 {
                after = page.next;
            }
        }
        times.sort();
        println!(
            "list {name:28} p50 {:>9.2?} p99 {:>9.2?}",
            times[50], times[98]
        );
    }
}
