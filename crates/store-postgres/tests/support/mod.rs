//! Fresh PostgreSQL databases for tests.

use redress_store_postgres::PgStore;
use sqlx::{Connection, PgConnection};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};
use uuid::Uuid;

const URL_VAR: &str = "REDRESS_TEST_DATABASE_URL";
const REQUIRE_VAR: &str = "REDRESS_REQUIRE_POSTGRES";
/// Test databases are named `redress_test_<UUIDv7>`, so their age can be read from the name.
const PREFIX: &str = "redress_test_";
/// Test databases older than this are dropped when the next test run starts.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// The server to test against, if one is configured.
pub fn admin_url() -> Option<String> {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var_os(REQUIRE_VAR).is_none(),
                "{REQUIRE_VAR} is set, so PostgreSQL tests must run: set {URL_VAR} \
                 (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres)"
            );
            None
        }
    }
}

/// Whether to skip a PostgreSQL test (nothing configured). Says so once per test binary, on
/// stderr itself so that the test harness does not swallow it.
pub fn skip() -> bool {
    if admin_url().is_some() {
        return false;
    }
    static SAID: AtomicBool = AtomicBool::new(false);
    if !SAID.swap(true, Ordering::SeqCst) {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: set {URL_VAR} (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres) \
             to run the PostgreSQL tests of redress-store-postgres"
        );
    }
    true
}

/// `url` with its database replaced by `database` (query parameters are kept).
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority..].find('/') {
        Some(i) => &base[..authority + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

async fn admin() -> PgConnection {
    let url = admin_url().unwrap_or_else(|| panic!("{URL_VAR} is not set"));
    PgConnection::connect(&url)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR}: {e}"))
}

/// Drops test databases left by runs more than an hour old (once per test binary).
async fn drop_stale(conn: &mut PgConnection) {
    static DONE: AtomicBool = AtomicBool::new(false);
    if DONE.swap(true, Ordering::SeqCst) {
        return;
    }
    let names: Vec<String> = match sqlx::query_scalar(
        "SELECT datname FROM pg_database WHERE datname LIKE 'redress\\_test\\_%'",
    )
    .fetch_all(&mut *conn)
    .await
    {
        Ok(names) => names,
        Err(_) => return,
    };
    let now = SystemTime::now();
    for name in names {
        let Some(created) = name
            .strip_prefix(PREFIX)
            .and_then(|id| Uuid::try_parse(id).ok())
            .and_then(|id| id.get_timestamp())
            .map(|ts| {
                let (secs, nanos) = ts.to_unix();
                SystemTime::UNIX_EPOCH + Duration::new(secs, nanos)
            })
        else {
            continue;
        };
        if now
            .duration_since(created)
            .is_ok_and(|age| age > STALE_AFTER)
        {
            // Best effort: another run may be dropping it too.
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
            )))
            .execute(&mut *conn)
            .await;
        }
    }
}

/// Creates a brand-new, empty database and returns its URL.
pub async fn fresh_database() -> String {
    let mut conn = admin().await;
    drop_stale(&mut conn).await;
    let name = format!("{PREFIX}{}", Uuid::now_v7().simple());
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    let _ = conn.close().await;
    let url = admin_url().unwrap_or_else(|| panic!("{URL_VAR} is not set"));
    with_database(&url, &name)
}

/// Drops a database `fresh_database` made (best effort).
#[allow(dead_code)]
pub async fn drop_database(url: &str) {
    let Some(name) = url
        .split('?')
        .next()
        .and_then(|base| base.rsplit('/').next())
        .filter(|name| name.starts_with(PREFIX))
    else {
        return;
    };
    let mut conn = admin().await;
    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
    )))
    .execute(&mut conn)
    .await;
}

/// Refreshes the planner's statistics after a bulk load, as autovacuum would soon.
#[allow(dead_code)]
pub async fn analyze(url: &str) {
    let mut conn = PgConnection::connect(url).await.expect("connect");
    sqlx::query("VACUUM ANALYZE")
        .execute(&mut conn)
        .await
        .expect("VACUUM ANALYZE");
}

/// A `PgStore` on a brand-new database.
pub async fn fresh_store() -> PgStore {
    let url = fresh_database().await;
    PgStore::connect(&url, 8)
        .await
        .unwrap_or_else(|e| panic!("PgStore::connect on a fresh database: {e}"))
}

#[test]
fn database_is_replaced_in_urls() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h/postgres?sslmode=require", "x"),
        "postgres://u:p@h/x?sslmode=require"
    );
    assert_eq!(with_database("postgres://h", "x"), "postgres://h/x");
    assert_eq!(
        with_database("postgres:///db?host=/run/postgresql", "x"),
        "postgres:///x?host=/run/postgresql"
    );
}
