//! PostgreSQL storage for Redress: `PgStore` implements `redress_store::Store` with native types
//! (uuid, timestamptz, date, jsonb, bytea), a `tsvector` column for full-text search, and plain-SQL
//! migrations (`migrations/`).
//!
//! Several `redress serve` processes may share one database: the store keeps no state of its own
//! besides the connection pool. Every multi-row change is one transaction; a case is changed only
//! if it is still at the version the change was decided on (optimistic concurrency), and a
//! returning customer is recognised through the unique `customer_contacts` keys, so concurrent
//! intakes from one new customer create that customer once.
//!
//! A case is read back from `cases.state`, the whole serialized `Case`: the other columns of
//! `cases` exist to filter and order by. Timestamps round-trip at microsecond precision (what
//! PostgreSQL keeps).

mod admin;
mod attachments;
mod cases;
mod customers;
mod error;
mod intake;
mod mail;
mod outbox;
mod sign_in;
mod staff;

use async_trait::async_trait;
use redress_domain::{RootCause, RootCauseCode};
use redress_store::{SettingsStore, Store, StoreError};
use sqlx::Row;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use std::str::FromStr;

use error::map_err;

/// How often a transaction that lost a race (a contact key taken meanwhile, a deadlock, a
/// serialization failure) is tried again before giving up.
const MAX_ATTEMPTS: u32 = 8;

/// The PostgreSQL store. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects a pool of at most `max_connections` to the database at `url`
    /// (`postgres://user:password@host:port/database?sslmode=...`) and brings its schema up to date.
    ///
    /// Migrations run under PostgreSQL's advisory lock (taken by sqlx's migrator), so several
    /// nodes starting together on one database are safe.
    pub async fn connect(url: &str, max_connections: u32) -> Result<PgStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(StoreError::backend)?
            .application_name("redress");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .connect_with(options)
            .await
            .map_err(StoreError::backend)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(StoreError::backend)?;
        Ok(PgStore { pool })
    }

    /// Closes the pool: waits for connections in use to be returned, then closes them all.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[async_trait]
impl SettingsStore for PgStore {
    async fn root_causes(&self) -> Result<Vec<RootCause>, StoreError> {
        let rows =
            sqlx::query("SELECT code, label, active FROM root_causes ORDER BY position, code")
                .fetch_all(&self.pool)
                .await
                .map_err(map_err)?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("code").map_err(map_err)?;
                Ok(RootCause {
                    code: RootCauseCode::parse(&code).map_err(|e| {
                        StoreError::Corrupt(format!("root cause code {code:?}: {e}"))
                    })?,
                    label: row.try_get("label").map_err(map_err)?,
                    active: row.try_get("active").map_err(map_err)?,
                })
            })
            .collect()
    }

    async fn site_secret(&self, fresh: [u8; 32]) -> Result<[u8; 32], StoreError> {
        // Two statements, not one: a statement's snapshot would not see the secret another
        // node committed while this insert waited on it; the next statement does.
        sqlx::query(
            "INSERT INTO site_secrets (name, value) VALUES ('site', $1) \
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(fresh.as_slice())
        .execute(&self.pool)
        .await
        .map_err(map_err)?;
        let stored: Vec<u8> =
            sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = 'site'")
                .fetch_one(&self.pool)
                .await
                .map_err(map_err)?;
        <[u8; 32]>::try_from(stored.as_slice())
            .map_err(|_| StoreError::Corrupt(format!("site secret of {} bytes", stored.len())))
    }
}

#[async_trait]
impl Store for PgStore {
    async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map_err(map_err)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}
