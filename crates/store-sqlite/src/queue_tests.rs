//! The query plans of the desk's queues: each is read from the index made for it, in the list's
//! order, without sorting (SQLite plans without statistics, so the plan on an empty database is
//! the plan on a large one: `ANALYZE` is never run).

use super::*;
use read::{Search, list_statement};
use redress_domain::{Channel, StaffId, Status};
use sqlx::Row;
use time::{Duration, OffsetDateTime};

fn temp_db() -> std::path::PathBuf {
    tempfile::tempdir()
        .unwrap_or_else(|e| panic!("temp dir: {e}"))
        .keep()
        .join("redress.db")
}

/// The plan's steps, one line each (`EXPLAIN QUERY PLAN`'s details).
async fn plan(store: &SqliteStore, q: &CaseQuery, search: &Search) -> Vec<String> {
    let (sql, args) = list_statement(q, search).unwrap_or_else(|e| panic!("statement: {e}"));
    let rows = sqlx::query_with(
        sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")),
        args,
    )
    .fetch_all(&store.readers)
    .await
    .unwrap_or_else(|e| panic!("explain {sql}: {e}"));
    rows.iter()
        .map(|r| r.try_get::<String, _>("detail").unwrap_or_default())
        .collect()
}

fn open() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(Status::is_open)
        .collect()
}

/// Each queue, the index that must serve it (`None`: the primary order, by id), and whether it
/// may sort (only a sparse search, which starts from its few matches).
fn queues() -> Vec<(&'static str, CaseQuery, Search, &'static str)> {
    let me = StaffId::new();
    let today = OffsetDateTime::now_utc().date();
    let page = |q: CaseQuery| CaseQuery { limit: 50, ..q };
    let words = |dense| Search::Words {
        fts: "\"heater\"".into(),
        dense,
    };
    vec![
        (
            "mine",
            page(CaseQuery {
                statuses: open(),
                owner: Some(me),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_by_owner",
        ),
        (
            "team's",
            page(CaseQuery {
                statuses: open(),
                team: Some("care".into()),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_by_team",
        ),
        (
            "unassigned",
            page(CaseQuery {
                statuses: open(),
                unassigned: true,
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_by_owner",
        ),
        (
            "awaiting me",
            page(CaseQuery {
                owner: Some(me),
                awaiting_owner_on: Some(today + Duration::days(2)),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_awaiting_owner",
        ),
        (
            "awaiting me, open statuses asked",
            page(CaseQuery {
                statuses: open(),
                owner: Some(me),
                awaiting_owner_on: Some(today + Duration::days(2)),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_awaiting_owner",
        ),
        (
            "overdue with a standard",
            page(CaseQuery {
                overdue_on: Some(today),
                standard_days: Some(2),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_due",
        ),
        (
            "overdue by the customer's date",
            page(CaseQuery {
                overdue_on: Some(today),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_needed",
        ),
        (
            "pending approval",
            page(CaseQuery {
                pending_approval: true,
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_pending_approval",
        ),
        (
            "escalated",
            page(CaseQuery {
                escalated: true,
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_escalated",
        ),
        (
            "product",
            page(CaseQuery {
                product: Some("Room".into()),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_by_product",
        ),
        (
            "mine, page 2, oldest first",
            page(CaseQuery {
                statuses: open(),
                owner: Some(me),
                oldest_first: true,
                after: Some(redress_domain::CaseId::new()),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_open_by_owner",
        ),
        (
            "a frequent word in open cases",
            page(CaseQuery {
                statuses: open(),
                text: Some("heater".into()),
                ..CaseQuery::default()
            }),
            words(true),
            "cases_open_due",
        ),
        (
            "a team's remedies waiting for approval",
            page(CaseQuery {
                pending_approval: true,
                team: Some("care".into()),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_pending_approval",
        ),
        (
            "a team's open requests for a supervisor",
            page(CaseQuery {
                statuses: open(),
                escalated: true,
                team: Some("care".into()),
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_escalated",
        ),
        (
            "my remedies waiting, oldest first",
            page(CaseQuery {
                pending_approval: true,
                owner: Some(me),
                oldest_first: true,
                ..CaseQuery::default()
            }),
            Search::None,
            "cases_pending_approval",
        ),
        (
            "awaiting anyone",
            page(CaseQuery {
                awaiting_owner_on: Some(today),
                ..CaseQuery::default()
            }),
            Search::None,
            "",
        ),
        (
            "a team's cases awaiting an owner",
            page(CaseQuery {
                team: Some("care".into()),
                awaiting_owner_on: Some(today),
                ..CaseQuery::default()
            }),
            Search::None,
            "",
        ),
        (
            "mine, a rare word",
            page(CaseQuery {
                statuses: open(),
                owner: Some(me),
                text: Some("heater".into()),
                ..CaseQuery::default()
            }),
            words(false),
            "",
        ),
        (
            "channel, received before",
            page(CaseQuery {
                channel: Some(Channel::Email),
                received_before: Some(OffsetDateTime::now_utc()),
                ..CaseQuery::default()
            }),
            Search::None,
            "",
        ),
    ]
}

#[tokio::test]
async fn each_queue_reads_its_index_in_order() {
    let store = SqliteStore::open(&temp_db())
        .await
        .unwrap_or_else(|e| panic!("open: {e}"));
    for (name, q, search, index) in queues() {
        let steps = plan(&store, &q, &search).await;
        println!("{name}:\n  {}", steps.join("\n  "));
        if !index.is_empty() {
            assert!(
                steps
                    .iter()
                    .any(|s| s.split_whitespace().any(|word| word == index)),
                "{name}: expected {index}, got {steps:#?}"
            );
        }
        assert!(
            !steps.iter().any(|s| s.contains("TEMP B-TREE")),
            "{name}: must not sort, got {steps:#?}"
        );
    }
}

mod backfill {
    //! The queues' migration fills its columns for the cases stored before it, from their state.

    use crate::SqliteStore;
    use crate::codec::{case_state, date, timestamp};
    use redress_domain::{
        Action, Actor, Case, CaseId, CaseRef, Channel, Currency, CustomerId, Intake, IntakeDraft,
        Money, NewStaff, RemedyAuthority, RemedyKind, Role, Text,
    };
    use sqlx::Connection;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    use time::{Duration, OffsetDateTime};

    const QUEUES: &str = "20261123000003_queues.sql";

    fn received(words: &str, product: Option<&str>) -> Case {
        let now = OffsetDateTime::now_utc();
        let draft = IntakeDraft {
            what_happened: Some(words.into()),
            email: Some("ana@example.com".into()),
            product: product.map(str::to_owned),
            ..IntakeDraft::default()
        };
        let intake = Intake::parse(&draft, Channel::Web, now.date())
            .unwrap_or_else(|e| panic!("valid draft: {e}"));
        Case::receive(
            &intake,
            CaseId::new(),
            CaseRef::generate(),
            CustomerId::new(),
            Actor::Customer,
            now,
        )
        .0
    }

    fn run(case: &mut Case, action: Action, actor: &Actor) {
        let what = action.describe();
        case.execute(action, actor, OffsetDateTime::now_utc())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }

    /// The queues' columns as the writer computes them from `case`.
    fn columns(case: &Case) -> (bool, Option<String>, bool, bool, Option<String>) {
        (
            !case.awaiting_owner.is_empty() || case.escalation.is_some(),
            case.next_commitment_due()
                .map(|d| date(d).unwrap_or_else(|e| panic!("{e}"))),
            case.pending_approvals().next().is_some(),
            case.escalation.is_some(),
            case.subject.product.as_ref().map(|p| p.as_str().to_owned()),
        )
    }

    /// Cases in every state the columns tell apart, each with its state as stored (older rows
    /// have no `awaiting_owner` or `escalation` at all).
    fn cases() -> Vec<(Case, String)> {
        let bea = NewStaff {
            name: Text::trusted("Bea"),
            email: redress_domain::EmailAddress::parse("bea@example.org")
                .unwrap_or_else(|e| panic!("{e}")),
            role: Role::Agent,
            team: None,
            authority_limit: None,
        }
        .into_staff(OffsetDateTime::now_utc());
        let by_bea = Actor::Staff(bea.as_ref());
        let take = |case: &mut Case| {
            run(
                case,
                Action::Assign {
                    owner: Some(bea.as_ref()),
                    team: None,
                    handover_note: None,
                },
                &by_bea,
            )
        };
        let promise = |case: &mut Case, days: i64| {
            run(
                case,
                Action::MakeCommitment {
                    what: Text::trusted("Call back"),
                    how: Text::trusted("By phone"),
                    due: OffsetDateTime::now_utc().date() + Duration::days(days),
                },
                &by_bea,
            )
        };
        let wrote = Action::MessageFromCustomer {
            body: Text::trusted("Any news?"),
            message_id: None,
            attachments: Vec::new(),
        };

        let plain = received("Nothing special", Some("Room"));
        let mut wrote_to_bea = received("The customer wrote", None);
        take(&mut wrote_to_bea);
        run(&mut wrote_to_bea, wrote.clone(), &Actor::Customer);
        let mut promised = received("Promises", Some("Spa"));
        take(&mut promised);
        promise(&mut promised, 1);
        let kept = promised.commitments[0].id;
        run(
            &mut promised,
            Action::KeepCommitment {
                commitment_id: kept,
                note: None,
            },
            &by_bea,
        );
        promise(&mut promised, 4);
        promise(&mut promised, 2);
        let mut escalated = received("Escalated", None);
        take(&mut escalated);
        run(
            &mut escalated,
            Action::RequestEscalation {
                reason: Text::trusted("Help"),
            },
            &by_bea,
        );
        let mut pending = received("A remedy waits", None);
        take(&mut pending);
        run(
            &mut pending,
            Action::OfferRemedy {
                kind: RemedyKind::Restitution,
                description: Text::trusted("Refund"),
                amount: Some(Money::new(
                    1000,
                    Currency::parse("EUR").unwrap_or_else(|e| panic!("{e}")),
                )),
                authority: RemedyAuthority::UpTo(None),
            },
            &by_bea,
        );

        let mut stored: Vec<(Case, String)> = [plain, wrote_to_bea, promised, escalated, pending]
            .into_iter()
            .map(|c| {
                let state = case_state(&c).unwrap_or_else(|e| panic!("{e}"));
                (c, state)
            })
            .collect();
        // Stored before the domain knew of attention and escalations: neither field.
        let mut old = received("An old row", Some("Room"));
        take(&mut old);
        run(&mut old, wrote, &Actor::Customer);
        let mut json: serde_json::Value =
            serde_json::from_str(&case_state(&old).unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|e| panic!("{e}"));
        if let Some(fields) = json.as_object_mut() {
            fields.remove("awaiting_owner");
            fields.remove("escalation");
        }
        stored.push((old, json.to_string()));
        // An explicit null.
        let mut null = received("Escalation null", None);
        take(&mut null);
        let mut json: serde_json::Value =
            serde_json::from_str(&case_state(&null).unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_else(|e| panic!("{e}"));
        json["escalation"] = serde_json::Value::Null;
        json["awaiting_owner"] = serde_json::json!([]);
        stored.push((null, json.to_string()));
        stored
    }

    #[tokio::test]
    async fn existing_cases_get_their_queue_columns() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let path = dir.path().join("redress.db");

        // The schema as it was before the queues' migration.
        let earlier = dir.path().join("earlier-migrations");
        std::fs::create_dir(&earlier).unwrap_or_else(|e| panic!("{e}"));
        let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for entry in std::fs::read_dir(&shipped).unwrap_or_else(|e| panic!("{e}")) {
            let entry = entry.unwrap_or_else(|e| panic!("{e}"));
            let name = entry.file_name();
            if name.to_string_lossy().as_ref() < QUEUES {
                std::fs::copy(entry.path(), earlier.join(&name)).unwrap_or_else(|e| panic!("{e}"));
            }
        }
        let mut conn = SqliteConnection::connect_with(
            &SqliteConnectOptions::new()
                .filename(&path)
                .create_if_missing(true),
        )
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
        sqlx::migrate::Migrator::new(earlier.as_path())
            .await
            .unwrap_or_else(|e| panic!("earlier migrations: {e}"))
            .run(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("migrate: {e}"));

        let cases = cases();
        for (case, state) in &cases {
            let customer = case.customer_id.as_uuid();
            let created = timestamp(case.created_at).unwrap_or_else(|e| panic!("{e}"));
            sqlx::query("INSERT INTO customers (id, created_at, updated_at) VALUES (?, ?, ?)")
                .bind(customer)
                .bind(&created)
                .bind(&created)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("customer: {e}"));
            sqlx::query(
                "INSERT INTO cases (id, reference, token_digest, customer_id, kind, channel, \
                 status, is_open, owner_id, team, needed_by, created_at, updated_at, version, \
                 words, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?)",
            )
            .bind(case.id.as_uuid())
            .bind(case.reference.as_str())
            .bind(case.id.as_uuid().as_bytes().to_vec())
            .bind(customer)
            .bind(case.kind.as_str())
            .bind(case.channel.as_str())
            .bind(case.status.as_str())
            .bind(case.status.is_open())
            .bind(case.owner.as_ref().map(|o| o.id.as_uuid()))
            .bind(&created)
            .bind(timestamp(case.updated_at).unwrap_or_else(|e| panic!("{e}")))
            .bind(i64::from(case.version))
            .bind(case.words.as_str())
            .bind(state)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("case: {e}"));
        }
        conn.close().await.unwrap_or_else(|e| panic!("close: {e}"));

        // Opening the store runs the queues' migration.
        let store = SqliteStore::open(&path)
            .await
            .unwrap_or_else(|e| panic!("open: {e}"));
        for (case, state) in &cases {
            let (awaiting, next_due, pending, escalated, product): (
                bool,
                Option<String>,
                bool,
                bool,
                Option<String>,
            ) = sqlx::query_as(
                "SELECT awaiting_owner, next_due, pending_approval, escalated, product \
                 FROM cases WHERE id = ?",
            )
            .bind(case.id.as_uuid())
            .fetch_one(&store.readers)
            .await
            .unwrap_or_else(|e| panic!("read: {e}"));
            // What the stored state says, as the writer would compute it.
            let as_stored: Case =
                serde_json::from_str(state).unwrap_or_else(|e| panic!("state: {e}"));
            assert_eq!(
                (awaiting, next_due, pending, escalated, product),
                columns(&as_stored),
                "columns of {:?}",
                case.words.as_str()
            );
        }
        let trues: Vec<bool> = cases.iter().map(|(c, _)| columns(c).0).collect();
        assert_eq!(
            trues,
            [false, true, false, true, false, true, false],
            "fixture: the old row waited for its owner, but its state does not say so"
        );
    }
}
