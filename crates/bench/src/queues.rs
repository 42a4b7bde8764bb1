//! `redress-bench --queues`: the staff desk's queues with many cases stored. No server: it fills
//! a store directly (SQLite in a temporary directory, or the PostgreSQL database of
//! `--database-url`, which should be empty) with `--cases` cases received over the past year,
//! worked on as a desk would (most old cases resolved or closed; open ones owned by 40 agents in
//! 5 teams, some with a customer's unanswered message, promises, remedies waiting for approval
//! or a request for a supervisor), then times `list_cases` for each queue a desk shows: p50 and
//! p99 over `--list-requests` pages of 50.

use crate::stats::Latencies;
use redress_domain::{
    Action, Actor, Case, CaseId, CaseRef, Channel, Currency, CustomerId, Intake, IntakeDraft,
    Money, NewStaff, RemedyAuthority, RemedyKind, Role, RootCauseCode, Staff, Status, Text,
    TrackingToken,
};
use redress_store::{CaseChange, CaseQuery, NewCase, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use time::{Duration, OffsetDateTime};

const AGENTS: usize = 40;
const TEAMS: [&str; 5] = ["billing", "care", "field", "kitchen", "front desk"];
const PRODUCTS: [&str; 6] = ["Room", "Restaurant", "Spa", "Parking", "Events", "Bar"];
/// How far ahead "awaiting me" looks for promises coming due (as the desk does).
const REMINDER_DAYS: i64 = 2;
/// The service standard for overdue cases without a customer's date.
const STANDARD_DAYS: u32 = 2;
const TASKS: usize = 64;

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
    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

struct Desk {
    agents: Vec<Staff>,
    supervisor: Staff,
    now: OffsetDateTime,
    total: usize,
    texts: Arc<Vec<String>>,
}

fn text(s: &str) -> Text {
    Text::trusted(s)
}

impl Desk {
    /// The i-th case as received (`i` in creation order, over the past year), with an id of its
    /// moment so that id order is time order.
    fn receive(&self, i: usize, rng: &mut Rng) -> NewCase {
        let year = Duration::days(365).whole_seconds() as f64;
        let age = Duration::seconds_f64(year * (self.total - i) as f64 / self.total as f64);
        let at = (self.now - age).truncate_to_microsecond();
        let channel = match rng.below(20) {
            0..10 => Channel::Web,
            10..15 => Channel::Email,
            15..18 => Channel::Phone,
            _ => Channel::Api,
        };
        let draft = IntakeDraft {
            kind: Some(
                if i.is_multiple_of(11) {
                    "inquiry"
                } else {
                    "complaint"
                }
                .into(),
            ),
            what_happened: Some(self.texts[i % self.texts.len()].clone()),
            email: Some(format!("guest{}@example.com", rng.below(60_000))),
            product: (!rng.chance(10))
                .then(|| PRODUCTS[rng.below(PRODUCTS.len() as u64) as usize].to_owned()),
            needed_by: rng
                .chance(20)
                .then(|| (at.date() + Duration::days(1 + rng.below(30) as i64)).to_string()),
            ..IntakeDraft::default()
        };
        let intake = Intake::parse(&draft, channel, at.date()).unwrap_or_else(|e| {
            panic!("a generated intake is valid: {e}");
        });
        let unix = at.unix_timestamp_nanos();
        let ts = uuid::Timestamp::from_unix(
            uuid::NoContext,
            (unix / 1_000_000_000) as u64,
            (unix % 1_000_000_000) as u32,
        );
        let (case, received) = Case::receive(
            &intake,
            CaseId::from_uuid(uuid::Uuid::new_v7(ts)),
            CaseRef::generate(),
            CustomerId::new(),
            Actor::Customer,
            at,
        );
        NewCase {
            case,
            events: vec![received],
            token: TrackingToken::generate().digest(),
            customer: intake.customer.clone(),
            attachments: Vec::new(),
        }
    }

    /// What the desk did with the case since: the change to record, if any.
    fn work(&self, mut case: Case, rng: &mut Rng) -> Option<CaseChange> {
        let expected_version = case.version;
        let age_days = (self.now - case.created_at).whole_days();
        let mut at = case.created_at;
        let mut events = Vec::new();
        let mut act = |case: &mut Case, action: Action, actor: &Actor, after: Duration| {
            at = (at + after).min(self.now);
            let what = action.describe();
            let done = case
                .execute(action, actor, at)
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            events.extend(done);
        };
        let customer = Actor::Customer;
        let supervisor = Actor::Staff(self.supervisor.as_ref());
        let finished = match age_days {
            0..=3 => false,
            4..=14 => rng.chance(40),
            _ => rng.chance(95),
        };
        // New cases wait a little for someone to pick them up.
        if !finished && age_days <= 1 && rng.chance(60) {
            return None;
        }
        let agent = &self.agents[rng.below(AGENTS as u64) as usize];
        let by_agent = Actor::Staff(agent.as_ref());
        let team = agent.team.clone();
        if !finished && rng.chance(5) {
            // Given to a team; nobody in it has taken it yet.
            act(
                &mut case,
                Action::Assign {
                    owner: None,
                    team,
                    handover_note: None,
                },
                &supervisor,
                Duration::minutes(30),
            );
            return Some(CaseChange {
                attachments: Vec::new(),
                case,
                expected_version,
                events,
            });
        }
        act(
            &mut case,
            Action::Assign {
                owner: Some(agent.as_ref()),
                team,
                handover_note: None,
            },
            &by_agent,
            Duration::minutes(30),
        );
        act(
            &mut case,
            Action::Acknowledge {
                message: text("Thank you for telling us. I am looking into it."),
                respond_by: None,
            },
            &by_agent,
            Duration::minutes(10),
        );
        if finished {
            if rng.chance(3) {
                // Above the agent's authority: a supervisor approved it.
                act(&mut case, remedy(), &by_agent, Duration::hours(2));
                let offered = case.remedies[0].id;
                act(
                    &mut case,
                    Action::ApproveRemedy {
                        remedy_id: offered,
                        note: None,
                    },
                    &supervisor,
                    Duration::hours(3),
                );
            }
            act(
                &mut case,
                Action::Investigate,
                &by_agent,
                Duration::hours(1),
            );
            act(
                &mut case,
                Action::ProposeResolution {
                    summary: text("We refunded the charge."),
                },
                &by_agent,
                Duration::hours(20),
            );
            act(
                &mut case,
                Action::AcceptResolution,
                &customer,
                Duration::hours(5),
            );
            if rng.chance(50) {
                act(
                    &mut case,
                    Action::Close {
                        root_cause: RootCauseCode::parse("product_defect")
                            .unwrap_or_else(|e| panic!("{e}")),
                        lesson: None,
                    },
                    &by_agent,
                    Duration::days(3),
                );
            }
        } else {
            if rng.chance(15) {
                // Made an hour after the last event (see `act`), due within 20 days of then.
                let made = (case.updated_at + Duration::hours(1)).min(self.now);
                let due = made.date() + Duration::days(rng.below(20) as i64);
                act(
                    &mut case,
                    Action::MakeCommitment {
                        what: text("Call back with the refund's date"),
                        how: text("By phone"),
                        due,
                    },
                    &by_agent,
                    Duration::hours(1),
                );
            }
            if rng.chance(3) {
                act(&mut case, remedy(), &by_agent, Duration::hours(1));
            }
            match rng.below(100) {
                0..25 => act(
                    &mut case,
                    Action::MessageFromCustomer {
                        body: text("Any news?"),
                        message_id: None,
                        attachments: Vec::new(),
                    },
                    &customer,
                    Duration::hours(6),
                ),
                25..28 => act(
                    &mut case,
                    Action::RequestEscalation {
                        reason: text("Asks for more than I may give"),
                    },
                    &by_agent,
                    Duration::hours(2),
                ),
                28..30 => {
                    act(
                        &mut case,
                        Action::RequestEscalation {
                            reason: text("Asks for more than I may give"),
                        },
                        &by_agent,
                        Duration::hours(2),
                    );
                    act(
                        &mut case,
                        Action::AnswerEscalation {
                            advice: text("Offer half"),
                        },
                        &supervisor,
                        Duration::hours(3),
                    );
                }
                _ => {}
            }
        }
        Some(CaseChange {
            attachments: Vec::new(),
            case,
            expected_version,
            events,
        })
    }
}

fn remedy() -> Action {
    Action::OfferRemedy {
        kind: RemedyKind::Goodwill,
        description: text("A dinner for two"),
        amount: Some(Money::new(
            9000,
            Currency::parse("EUR").unwrap_or_else(|e| panic!("{e}")),
        )),
        authority: RemedyAuthority::UpTo(None),
    }
}

fn staff(i: usize, role: Role, team: Option<&str>, now: OffsetDateTime) -> Staff {
    NewStaff {
        name: text(&format!("Agent {i}")),
        email: redress_domain::EmailAddress::parse(&format!("agent{i}@example.org"))
            .unwrap_or_else(|e| panic!("{e}")),
        role,
        team: team.map(text),
        authority_limit: None,
    }
    .into_staff(now)
}

/// How many cases each queue holds (counted as the cases are stored).
#[derive(Default)]
struct Counts {
    open: usize,
    unassigned: usize,
    mine: usize,
    awaiting_me: usize,
    my_team: usize,
    overdue: usize,
    pending_approval: usize,
    escalated: usize,
}

impl Counts {
    fn add(&mut self, desk: &Desk, case: &Case) {
        let open = case.status.is_open();
        let me = &desk.agents[0];
        let mine = open && case.owner.as_ref().is_some_and(|o| o.id == me.id);
        let today = desk.now.date();
        self.open += usize::from(open);
        self.unassigned += usize::from(open && case.owner.is_none());
        self.mine += usize::from(mine);
        self.awaiting_me += usize::from(
            mine && (!case.awaiting_owner.is_empty()
                || case.escalation.is_some()
                || case
                    .next_commitment_due()
                    .is_some_and(|d| d <= today + Duration::days(REMINDER_DAYS))),
        );
        self.my_team += usize::from(open && case.team.is_some() && case.team == me.team);
        self.overdue += usize::from(
            open && match case.needed_by {
                Some(d) => d < today,
                None => case.created_at.date() < today - Duration::days(i64::from(STANDARD_DAYS)),
            },
        );
        self.pending_approval += usize::from(case.pending_approvals().next().is_some());
        self.escalated += usize::from(open && case.escalation.is_some());
    }
}

/// Files and works `total` cases from `TASKS` concurrent tasks.
async fn fill(store: &Arc<dyn Store>, desk: &Arc<Desk>) -> anyhow::Result<()> {
    let next = Arc::new(AtomicUsize::new(0));
    let counts = Arc::new(std::sync::Mutex::new(Counts::default()));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..TASKS {
        let (store, desk, next, counts) =
            (store.clone(), desk.clone(), next.clone(), counts.clone());
        tasks.push(tokio::spawn(async move {
            let mut changes = 0usize;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= desk.total {
                    return Ok::<_, anyhow::Error>(changes);
                }
                let mut rng = Rng(i as u64);
                let created = store.create_case(desk.receive(i, &mut rng)).await?;
                let case = match desk.work(created.case.clone(), &mut rng) {
                    Some(change) => {
                        let case = change.case.clone();
                        store.record(change).await?;
                        changes += 1;
                        case
                    }
                    None => created.case,
                };
                if let Ok(mut counts) = counts.lock() {
                    counts.add(&desk, &case);
                }
            }
        }));
    }
    let mut changes = 0;
    for t in tasks {
        changes += t.await??;
    }
    println!(
        "filled {} cases ({changes} worked on) in {:.1} s",
        desk.total,
        started.elapsed().as_secs_f64()
    );
    if let Ok(c) = counts.lock() {
        println!(
            "  {} open ({} unassigned); agent 0: {} open, {} awaiting them, {} in their team; \
             {} overdue under the standard; {} remedies pending approval; {} escalated",
            c.open,
            c.unassigned,
            c.mine,
            c.awaiting_me,
            c.my_team,
            c.overdue,
            c.pending_approval,
            c.escalated
        );
    }
    Ok(())
}

pub async fn run(args: &crate::Args) -> anyhow::Result<()> {
    let now = OffsetDateTime::now_utc();
    let total = usize::try_from(args.cases)?;
    let dir = tempfile::tempdir()?;
    let store: Arc<dyn Store> = match &args.database_url {
        Some(url) => Arc::new(redress_store_postgres::PgStore::connect(url, 16).await?),
        None => {
            Arc::new(redress_store_sqlite::SqliteStore::open(&dir.path().join("redress.db")).await?)
        }
    };
    println!(
        "redress-bench --queues: backend {}, {total} cases over a year, {AGENTS} agents in {} teams",
        store.backend(),
        TEAMS.len()
    );
    let agents: Vec<Staff> = (0..AGENTS)
        .map(|i| staff(i, Role::Agent, Some(TEAMS[i % TEAMS.len()]), now))
        .collect();
    let supervisor = staff(AGENTS, Role::Supervisor, None, now);
    for s in agents.iter().chain([&supervisor]) {
        store
            .add_staff(s, &redress_domain::ApiToken::generate().digest())
            .await?;
    }
    let desk = Arc::new(Desk {
        agents,
        supervisor,
        now,
        total,
        texts: Arc::new(crate::corpus::load(&args.corpus)),
    });
    fill(&store, &desk).await?;
    if let Some(url) = &args.database_url {
        // As autovacuum would soon after a bulk load.
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(url).await?;
        sqlx::query("VACUUM ANALYZE").execute(&mut conn).await?;
    }
    time_queues(&store, &desk, args.list_requests).await
}

/// Times each queue; prints p50 and p99 of a page of 50, and how many cases the page held.
async fn time_queues(store: &Arc<dyn Store>, desk: &Desk, requests: usize) -> anyhow::Result<()> {
    let me = &desk.agents[0];
    let today = desk.now.date();
    let open: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(Status::is_open)
        .collect();
    let page = |q: CaseQuery| CaseQuery { limit: 50, ..q };
    let mine = page(CaseQuery {
        statuses: open.clone(),
        owner: Some(me.id),
        ..CaseQuery::default()
    });
    let first = store.list_cases(&mine).await?;
    // Where page 2 starts (on a small store there may be none: then page 1 again).
    let after = first.next;
    let all_open = page(CaseQuery {
        statuses: open.clone(),
        ..CaseQuery::default()
    });
    let queues: Vec<(&str, CaseQuery)> = vec![
        ("mine (open, newest first)", mine.clone()),
        (
            "mine, page 2 (after)",
            CaseQuery {
                after,
                ..mine.clone()
            },
        ),
        (
            "mine, oldest first",
            CaseQuery {
                oldest_first: true,
                ..mine.clone()
            },
        ),
        (
            "awaiting me (+2 days)",
            page(CaseQuery {
                statuses: open.clone(),
                owner: Some(me.id),
                awaiting_owner_on: Some(today + Duration::days(REMINDER_DAYS)),
                ..CaseQuery::default()
            }),
        ),
        (
            "my team's (open)",
            page(CaseQuery {
                statuses: open.clone(),
                team: me.team.as_ref().map(|t| t.as_str().to_owned()),
                ..CaseQuery::default()
            }),
        ),
        (
            "unassigned (open)",
            page(CaseQuery {
                statuses: open.clone(),
                unassigned: true,
                ..CaseQuery::default()
            }),
        ),
        (
            "unassigned, oldest first",
            page(CaseQuery {
                statuses: open.clone(),
                unassigned: true,
                oldest_first: true,
                ..CaseQuery::default()
            }),
        ),
        (
            "overdue (standard 2 days)",
            page(CaseQuery {
                statuses: open.clone(),
                overdue_on: Some(today),
                standard_days: Some(STANDARD_DAYS),
                ..CaseQuery::default()
            }),
        ),
        (
            "overdue, oldest first",
            page(CaseQuery {
                statuses: open.clone(),
                overdue_on: Some(today),
                standard_days: Some(STANDARD_DAYS),
                oldest_first: true,
                ..CaseQuery::default()
            }),
        ),
        (
            "pending approval",
            page(CaseQuery {
                pending_approval: true,
                ..CaseQuery::default()
            }),
        ),
        (
            "pending approval, a team",
            page(CaseQuery {
                pending_approval: true,
                team: Some(TEAMS[1].to_owned()),
                ..CaseQuery::default()
            }),
        ),
        (
            "escalated (open)",
            page(CaseQuery {
                statuses: open.clone(),
                escalated: true,
                ..CaseQuery::default()
            }),
        ),
        (
            "all open, oldest first",
            CaseQuery {
                oldest_first: true,
                ..all_open.clone()
            },
        ),
        (
            "open, product Spa, email",
            CaseQuery {
                product: Some("Spa".into()),
                channel: Some(Channel::Email),
                ..all_open.clone()
            },
        ),
        (
            "open, received > 30 days ago",
            CaseQuery {
                received_before: Some(desk.now - Duration::days(30)),
                ..all_open.clone()
            },
        ),
        (
            "search 'credit report'",
            page(CaseQuery {
                text: Some("credit report".into()),
                ..CaseQuery::default()
            }),
        ),
        (
            "search 'credit report', open",
            CaseQuery {
                text: Some("credit report".into()),
                ..all_open.clone()
            },
        ),
    ];
    println!("\ndesk queues ({requests} pages of 50 each; rows = cases on the page):");
    let mut overall = Latencies::default();
    for (name, query) in queues {
        let mut lat = Latencies::default();
        let mut rows = 0;
        for _ in 0..requests {
            let t = Instant::now();
            let page = store.list_cases(&query).await?;
            lat.record(t.elapsed());
            rows = page.cases.len();
        }
        println!("  {name:<32} rows {rows:>2}  {}", lat.summary());
        overall.merge(lat);
    }
    println!(
        "  {:<32}           {}",
        "all queue pages",
        overall.summary()
    );
    Ok(())
}
