//! The queues' migration (`0005_queues.sql`) fills its columns for the cases stored before it,
//! from their state, as the store computes them on every write.

use crate::support;
use redress_domain::{
    Action, Actor, Case, CaseId, CaseRef, Channel, Currency, CustomerId, EmailAddress, Intake,
    IntakeDraft, Money, NewStaff, RemedyAuthority, RemedyKind, Role, Text,
};
use redress_store_postgres::PgStore;
use sqlx::{Connection, PgConnection};
use time::{Date, Duration, OffsetDateTime};

const QUEUES: &str = "0005_queues.sql";

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc().truncate_to_microsecond()
}

fn received(words: &str, product: Option<&str>) -> Case {
    let draft = IntakeDraft {
        what_happened: Some(words.into()),
        email: Some("ana@example.com".into()),
        product: product.map(str::to_owned),
        ..IntakeDraft::default()
    };
    let intake = Intake::parse(&draft, Channel::Web, now().date()).expect("a valid draft");
    Case::receive(
        &intake,
        CaseId::new(),
        CaseRef::generate(),
        CustomerId::new(),
        Actor::Customer,
        now(),
    )
    .0
}

fn run(case: &mut Case, action: Action, actor: &Actor) {
    let what = action.describe();
    case.execute(action, actor, now())
        .unwrap_or_else(|e| panic!("{what}: {e}"));
}

type Columns = (bool, Option<Date>, bool, bool, Option<String>);

/// The queues' columns as the store computes them from `case`.
fn columns(case: &Case) -> Columns {
    (
        !case.awaiting_owner.is_empty() || case.escalation.is_some(),
        case.next_commitment_due(),
        case.pending_approvals().next().is_some(),
        case.escalation.is_some(),
        case.subject.product.as_ref().map(|p| p.as_str().to_owned()),
    )
}

/// Cases in every state the columns tell apart, each with its state as stored (older rows have
/// no `awaiting_owner` or `escalation` at all).
fn cases() -> Vec<(Case, serde_json::Value)> {
    let bea = NewStaff {
        name: Text::trusted("Bea"),
        email: EmailAddress::parse("bea@example.org").expect("an email"),
        role: Role::Agent,
        team: None,
        authority_limit: None,
    }
    .into_staff(now());
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
                due: now().date() + Duration::days(days),
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
            amount: Some(Money::new(1000, Currency::parse("EUR").expect("EUR"))),
            authority: RemedyAuthority::UpTo(None),
        },
        &by_bea,
    );

    let mut stored: Vec<(Case, serde_json::Value)> =
        [plain, wrote_to_bea, promised, escalated, pending]
            .into_iter()
            .map(|c| {
                let state = serde_json::to_value(&c).expect("a case serializes");
                (c, state)
            })
            .collect();
    // Stored before the domain knew of attention and escalations: neither field.
    let mut old = received("An old row", Some("Room"));
    take(&mut old);
    run(&mut old, wrote, &Actor::Customer);
    let mut json = serde_json::to_value(&old).expect("a case serializes");
    if let Some(fields) = json.as_object_mut() {
        fields.remove("awaiting_owner");
        fields.remove("escalation");
    }
    stored.push((old, json));
    // An explicit null.
    let mut null = received("Escalation null", None);
    take(&mut null);
    let mut json = serde_json::to_value(&null).expect("a case serializes");
    json["escalation"] = serde_json::Value::Null;
    stored.push((null, json));
    stored
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn existing_cases_get_their_queue_columns() {
    if support::skip() {
        return;
    }
    let url = support::fresh_database().await;

    // The schema as it was before the queues' migration.
    let dir = std::env::temp_dir().join(format!("redress-migrations-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir(&dir).expect("a temp dir");
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for entry in std::fs::read_dir(&shipped).expect("migrations") {
        let entry = entry.expect("a migration");
        let name = entry.file_name();
        if name.to_string_lossy().as_ref() < QUEUES {
            std::fs::copy(entry.path(), dir.join(&name)).expect("copy a migration");
        }
    }
    let mut conn = PgConnection::connect(&url).await.expect("connect");
    sqlx::migrate::Migrator::new(dir.as_path())
        .await
        .expect("earlier migrations")
        .run(&mut conn)
        .await
        .expect("migrate");
    let _ = std::fs::remove_dir_all(&dir);

    let cases = cases();
    for (case, state) in &cases {
        sqlx::query("INSERT INTO customers (id, created_at, updated_at) VALUES ($1, $2, $2)")
            .bind(case.customer_id.as_uuid())
            .bind(case.created_at)
            .execute(&mut conn)
            .await
            .expect("a customer");
        sqlx::query(
            "INSERT INTO cases (id, reference, token_digest, customer_id, kind, channel, status, \
             owner_id, created_at, updated_at, version, words, state) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(case.id.as_uuid())
        .bind(case.reference.as_str())
        .bind(case.id.as_uuid().as_bytes().as_slice())
        .bind(case.customer_id.as_uuid())
        .bind(case.kind.as_str())
        .bind(case.channel.as_str())
        .bind(case.status.as_str())
        .bind(case.owner.as_ref().map(|o| o.id.as_uuid()))
        .bind(case.created_at)
        .bind(case.updated_at)
        .bind(i64::from(case.version))
        .bind(case.words.as_str())
        .bind(state)
        .execute(&mut conn)
        .await
        .expect("a case");
    }
    conn.close().await.expect("close");

    // Connecting runs the queues' migration.
    let store = PgStore::connect(&url, 2).await.expect("connect the store");
    store.close().await;
    let mut conn = PgConnection::connect(&url).await.expect("connect");
    for (case, state) in &cases {
        let stored: Columns = sqlx::query_as(
            "SELECT awaiting_owner, next_due, pending_approval, escalated, product \
             FROM cases WHERE id = $1",
        )
        .bind(case.id.as_uuid())
        .fetch_one(&mut conn)
        .await
        .expect("read the columns");
        // What the stored state says, as the store would compute it.
        let as_stored: Case = serde_json::from_value(state.clone()).expect("a stored case");
        assert_eq!(
            stored,
            columns(&as_stored),
            "columns of {:?}",
            case.words.as_str()
        );
    }
    let awaiting: Vec<bool> = cases.iter().map(|(c, _)| columns(c).0).collect();
    assert_eq!(
        awaiting,
        [false, true, false, true, false, true, false],
        "fixture: the old row waited for its owner, but its state does not say so"
    );
    assert_eq!(
        columns(&cases[2].0).1,
        Some(now().date() + Duration::days(2))
    );
    let _ = conn.close().await;
    support::drop_database(&url).await;
}
