//! Benchmarks, ignored by default. Run in release mode:
//! `REDRESS_TEST_DATABASE_URL=... cargo test -p redress-store-postgres --release --test conformance
//!  -- --ignored --nocapture bench_`

use super::{new_case, new_case_from, now};
use crate::support;
use redress_domain::{
    Action, Actor, CaseKind, Channel, CustomerId, IntakeDraft, RootCauseCode, StaffId, StaffRef,
    Status, Text,
};
use redress_store::{CaseQuery, CaseStore, NewCase};
use redress_store_postgres::PgStore;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use time::Duration as Days;

/// Runs `total` intakes from `tasks` concurrent tasks, `make(i)` building the i-th; returns the
/// intakes per second.
async fn intakes(
    store: &Arc<PgStore>,
    total: usize,
    tasks: usize,
    make: impl Fn(usize) -> NewCase + Send + Sync + 'static,
) -> f64 {
    let make = Arc::new(make);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (store, next, make) = (store.clone(), next.clone(), make.clone());
        handles.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= total {
                    break;
                }
                store.create_case(make(i)).await.expect("create_case");
            }
        }));
    }
    for h in handles {
        h.await.expect("intake task");
    }
    total as f64 / started.elapsed().as_secs_f64()
}

/// create_case/s: 20,000 intakes from 64 concurrent tasks; half of them from returning
/// customers (10,000 distinct email addresses).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture, in release mode"]
async fn bench_create_case() {
    if support::skip() {
        return;
    }
    for pool in [8, 16, 32] {
        let url = support::fresh_database().await;
        let store = Arc::new(PgStore::connect(&url, pool).await.expect("connect"));
        let rate = intakes(&store, 20_000, 64, |i| {
            new_case(
                &format!("The heater in room {i} broke on day two and nobody came."),
                Some(&format!("guest{}@example.com", i % 10_000)),
                None,
            )
        })
        .await;
        println!(
            "bench_create_case: {rate:.0} create_case/s (20,000 intakes, 64 tasks, pool {pool}, \
             10,000 customers)"
        );
        store.close().await;
        support::drop_database(&url).await;
    }
}

/// A tiny deterministic generator (SplitMix64), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const COMMON: &[&str] = &[
    "the",
    "room",
    "was",
    "and",
    "heater",
    "refund",
    "staff",
    "order",
    "late",
    "broken",
    "my",
    "never",
    "arrived",
    "charged",
    "twice",
    "cold",
    "breakfast",
    "noisy",
    "rude",
    "delivery",
];
const TEAMS: &[&str] = &["billing", "care", "field", "kitchen", "front desk"];

fn words(rng: &mut Rng) -> String {
    let n = 8 + rng.below(40);
    let mut out = Vec::new();
    for _ in 0..n {
        // Mostly common words; one in five from a long tail of 50,000 rare ones.
        if rng.below(5) == 0 {
            out.push(format!("rare{}", rng.below(50_000)));
        } else {
            out.push(COMMON[rng.below(COMMON.len() as u64) as usize].to_owned());
        }
    }
    out.join(" ")
}

/// A case in one of many states, as a store would hold it after its story so far.
fn varied_case(i: usize, staff: &[StaffRef]) -> NewCase {
    let mut rng = Rng(i as u64);
    let kind = match rng.below(10) {
        0..=5 => "complaint",
        6 | 7 => "inquiry",
        8 => "compliment",
        _ => "suggestion",
    };
    let needed_by = (rng.below(10) < 3)
        .then(|| (now().date() + Days::days(rng.below(120) as i64 - 60)).to_string());
    let draft = IntakeDraft {
        kind: Some(kind.into()),
        what_happened: Some(words(&mut rng)),
        email: Some(format!("c{}@example.com", rng.below(30_000))),
        needed_by,
        ..IntakeDraft::default()
    };
    let mut new = new_case_from(&draft, Channel::Import);
    let owner = &staff[rng.below(staff.len() as u64) as usize];
    let actor = Actor::Staff(owner.clone());
    let team = Some(Text::trusted(TEAMS[rng.below(TEAMS.len() as u64) as usize]));
    let ack = Action::Acknowledge {
        message: Text::trusted("Thank you."),
        respond_by: None,
    };
    let assign = Action::Assign {
        owner: Some(owner.clone()),
        team: team.clone(),
        handover_note: None,
    };
    let resolve = [
        Action::ProposeResolution {
            summary: Text::trusted("Done."),
        },
        Action::AcceptResolution,
    ];
    let mut actions: Vec<Action> = match rng.below(10) {
        0..=2 => vec![],
        3 => vec![ack],
        4 => vec![Action::Assign {
            owner: None,
            team,
            handover_note: None,
        }],
        5 | 6 => vec![ack, Action::Investigate, assign],
        7 => [vec![ack, assign], resolve.to_vec()].concat(),
        8 => [
            vec![ack, assign],
            resolve.to_vec(),
            vec![Action::Close {
                root_cause: RootCauseCode::parse("product_defect").expect("code"),
                lesson: None,
            }],
        ]
        .concat(),
        _ => vec![Action::Withdraw { reason: None }],
    };
    let at = now();
    for action in actions.drain(..) {
        let events = new.case.execute(action, &actor, at).expect("bench action");
        new.events.extend(events);
    }
    new
}

/// Builds the i-th query of a series.
type MakeQuery = Box<dyn Fn(usize) -> CaseQuery>;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// One page of 50 with each single filter, on 100,000 cases: p50 and p99 latency.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "benchmark: run with --ignored --nocapture, in release mode"]
async fn bench_list_cases() {
    if support::skip() {
        return;
    }
    let url = support::fresh_database().await;
    let store = Arc::new(PgStore::connect(&url, 16).await.expect("connect"));
    let staff: Vec<StaffRef> = (0..10)
        .map(|i| StaffRef {
            id: StaffId::new(),
            name: format!("Agent {i}"),
        })
        .collect();
    let owners = staff.clone();
    let rate = intakes(&store, 100_000, 64, move |i| varied_case(i, &owners)).await;
    println!("bench_list_cases: loaded 100,000 varied cases at {rate:.0} create_case/s");
    support::analyze(&url).await;

    let some = store
        .list_cases(&CaseQuery {
            limit: 200,
            ..CaseQuery::default()
        })
        .await
        .expect("list");
    let customers: Vec<CustomerId> = some.cases.iter().map(|c| c.case.customer_id).collect();
    let middle = store
        .list_cases(&CaseQuery {
            limit: 200,
            after: some.next,
            ..CaseQuery::default()
        })
        .await
        .expect("list")
        .next;
    let today = now().date();
    let base = || CaseQuery {
        limit: 50,
        ..CaseQuery::default()
    };
    let queries: Vec<(&str, MakeQuery)> = vec![
        ("no filter", Box::new(move |_| base())),
        (
            "status new",
            Box::new(move |_| CaseQuery {
                statuses: vec![Status::New],
                ..base()
            }),
        ),
        (
            "status closed",
            Box::new(move |_| CaseQuery {
                statuses: vec![Status::Closed],
                ..base()
            }),
        ),
        (
            "status none match",
            Box::new(move |_| CaseQuery {
                statuses: vec![Status::AwaitingOperations],
                ..base()
            }),
        ),
        (
            "statuses open (4)",
            Box::new(move |_| CaseQuery {
                statuses: vec![
                    Status::New,
                    Status::Acknowledged,
                    Status::Investigating,
                    Status::Reopened,
                ],
                ..base()
            }),
        ),
        (
            "statuses rare (2)",
            Box::new(move |_| CaseQuery {
                statuses: vec![Status::Withdrawn, Status::AwaitingCustomer],
                ..base()
            }),
        ),
        (
            "kind suggestion",
            Box::new(move |_| CaseQuery {
                kind: Some(CaseKind::Suggestion),
                ..base()
            }),
        ),
        (
            "owner",
            Box::new({
                let staff = staff.clone();
                move |i| CaseQuery {
                    owner: Some(staff[i % staff.len()].id),
                    ..base()
                }
            }),
        ),
        (
            "owner unknown",
            Box::new(move |_| CaseQuery {
                owner: Some(StaffId::new()),
                ..base()
            }),
        ),
        (
            "unassigned",
            Box::new(move |_| CaseQuery {
                unassigned: true,
                ..base()
            }),
        ),
        (
            "team",
            Box::new(move |i| CaseQuery {
                team: Some(TEAMS[i % TEAMS.len()].into()),
                ..base()
            }),
        ),
        (
            "team unknown",
            Box::new(move |_| CaseQuery {
                team: Some("nobody".into()),
                ..base()
            }),
        ),
        (
            "customer",
            Box::new(move |i| CaseQuery {
                customer: Some(customers[i % customers.len()]),
                ..base()
            }),
        ),
        (
            "overdue today",
            Box::new(move |_| CaseQuery {
                overdue_on: Some(today),
                ..base()
            }),
        ),
        (
            "overdue long ago",
            Box::new(move |_| CaseQuery {
                overdue_on: Some(today - Days::days(55)),
                ..base()
            }),
        ),
        (
            "text common",
            Box::new(move |_| CaseQuery {
                text: Some("heater".into()),
                ..base()
            }),
        ),
        (
            "text two common",
            Box::new(move |_| CaseQuery {
                text: Some("cold breakfast".into()),
                ..base()
            }),
        ),
        (
            "text rare",
            Box::new(move |i| CaseQuery {
                text: Some(format!("rare{}", i * 97 % 50_000)),
                ..base()
            }),
        ),
        (
            "text absent",
            Box::new(move |_| CaseQuery {
                text: Some("umbrella".into()),
                ..base()
            }),
        ),
        (
            "after (page 5)",
            Box::new(move |_| CaseQuery {
                after: middle,
                ..base()
            }),
        ),
    ];
    let mut worst = Duration::ZERO;
    for (name, make) in &queries {
        let mut times = Vec::new();
        for i in 0..200 {
            let query = make(i);
            let started = Instant::now();
            let page = store.list_cases(&query).await.expect("list");
            times.push(started.elapsed());
            assert!(page.cases.len() <= 50);
        }
        times.sort();
        let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
        worst = worst.max(p99);
        println!(
            "bench_list_cases: {name:<20} p50 {:>6.2} ms  p99 {:>6.2} ms",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3
        );
    }
    println!(
        "bench_list_cases: worst p99 {:.2} ms",
        worst.as_secs_f64() * 1e3
    );
    store.close().await;
    if std::env::var_os("REDRESS_BENCH_KEEP").is_some() {
        println!("bench_list_cases: kept the database at {url}");
    } else {
        support::drop_database(&url).await;
    }
}
