//! Redress on SQLite: one file, durable and fast.
//!
//! - **Durable**: WAL journal with `synchronous=FULL`: when a write returns Ok, its commit has
//!   been fsynced.
//! - **Fast through group commit**: one writer thread owns the only write connection; every
//!   write is a job it takes in batches, each batch one transaction and one fsync (see `writer`).
//!   Micro benchmark (`bench_create_case`, release, 2 cores): about 6,500 durable intakes a
//!   second from 64 concurrent tasks, p99 about 25 ms.
//! - **Concurrent reads**: a pool of read connections sees every commit the writer answered.
//! - Cases are read from their `state` JSON (the whole `Case`); the other columns exist for
//!   filtering and ordering. Full-text search over the customer's words uses FTS5.

mod admin;
mod codec;
mod mail;
mod outbox;
mod read;
mod sign_in;
mod writer;

use async_trait::async_trait;
use redress_domain::{
    Attachment, AttachmentId, Case, CaseId, CaseRef, Customer, CustomerId, Event, RootCause, Staff,
    StaffId, TokenDigest,
};
use redress_store::{
    CaseChange, CasePage, CaseQuery, CaseStore, CreatedCase, CustomerStore, NewCase, SettingsStore,
    StaffStore, Store, StoreError, TimelineView,
};
use sqlx::ConnectOptions as _;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use std::path::Path;
use std::time::Duration;
use tokio::sync::mpsc;
use writer::{Job, submit};

/// How many read connections the pool keeps at most.
const READERS: u32 = 4;
/// How many writes may wait for the writer before callers wait to send (back-pressure).
const QUEUE: usize = 8 * writer::MAX_BATCH;

/// The SQLite store. Cheap to share behind an `Arc`; writes are serialised by its writer task.
pub struct SqliteStore {
    readers: SqlitePool,
    writer: mpsc::Sender<Job>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if missing, with its parent directory) the database at `path`, brings
    /// its schema up to date and starts the writer. Must be called inside a Tokio runtime.
    pub async fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let (store, conn, jobs) = Self::open_unstarted(path).await?;
        let checkpointer = Self::options(path)
            .connect()
            .await
            .map_err(StoreError::backend)?;
        writer::start(conn, jobs, checkpointer)?;
        Ok(store)
    }

    /// What every connection shares.
    fn options(path: &Path) -> SqliteConnectOptions {
        SqliteConnectOptions::new()
            .filename(path)
            .foreign_keys(true)
            // Durable: a commit returns once fsynced (and checkpoints fsync the database).
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32768") // 32 MiB
            // The WAL file is truncated back to this after a checkpoint lets it restart.
            .pragma("journal_size_limit", "67108864")
    }

    /// The store, its write connection and the writer's queue, before the writer starts.
    async fn open_unstarted(
        path: &Path,
    ) -> Result<(SqliteStore, SqliteConnection, mpsc::Receiver<Job>), StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(StoreError::backend)?;
        }
        let mut conn = Self::options(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // Savepoint journals (one per job) in memory, not in temporary files.
            .pragma("temp_store", "MEMORY")
            // The checkpointer copies the WAL back; this is only a backstop (64 MiB).
            .pragma("wal_autocheckpoint", "16384")
            .statement_cache_capacity(256)
            .connect()
            .await
            .map_err(StoreError::backend)?;
        sqlx::migrate!("./migrations")
            .run(&mut conn)
            .await
            .map_err(StoreError::backend)?;

        let readers = SqlitePoolOptions::new()
            .max_connections(READERS)
            .min_connections(1)
            .connect_with(Self::options(path).pragma("query_only", "ON"))
            .await
            .map_err(StoreError::backend)?;

        let (writer, jobs) = mpsc::channel(QUEUE);
        Ok((SqliteStore { readers, writer }, conn, jobs))
    }
}

#[async_trait]
impl CaseStore for SqliteStore {
    async fn create_case(&self, new: NewCase) -> Result<CreatedCase, StoreError> {
        let job = Box::new(writer::CreateCase::prepare(new)?);
        submit(&self.writer, |reply| Job::CreateCase(job, reply)).await
    }

    async fn case(&self, id: CaseId) -> Result<Case, StoreError> {
        read::case_where(
            &self.readers,
            "SELECT state, words FROM cases WHERE id = ?",
            id.as_uuid(),
        )
        .await?
        .ok_or(StoreError::NotFound { what: "case" })
    }

    async fn case_by_token(&self, token: &TokenDigest) -> Result<Option<Case>, StoreError> {
        read::case_where(
            &self.readers,
            "SELECT state, words FROM cases WHERE token_digest = ?1 \
             OR id = (SELECT case_id FROM case_links WHERE digest = ?1)",
            token.as_bytes().to_vec(),
        )
        .await
    }

    async fn case_by_reference(&self, reference: &CaseRef) -> Result<Option<Case>, StoreError> {
        read::case_where(
            &self.readers,
            "SELECT state, words FROM cases WHERE reference = ?",
            reference.as_str().to_owned(),
        )
        .await
    }

    async fn record(&self, change: CaseChange) -> Result<(), StoreError> {
        let job = Box::new(writer::Record::prepare(change)?);
        submit(&self.writer, |reply| Job::Record(job, reply)).await
    }

    async fn timeline(&self, id: CaseId, view: TimelineView) -> Result<Vec<Event>, StoreError> {
        let events = read::timeline(&self.readers, id, view).await?;
        if events.is_empty() {
            // Every stored case has its Received event, which the customer sees: no events
            // means no case (checked, in case that ever changes).
            let exists: Option<i64> = sqlx::query_scalar("SELECT 1 FROM cases WHERE id = ?")
                .bind(id.as_uuid())
                .fetch_optional(&self.readers)
                .await
                .map_err(codec::backend)?;
            if exists.is_none() {
                return Err(StoreError::NotFound { what: "case" });
            }
        }
        Ok(events)
    }

    async fn list_cases(&self, query: &CaseQuery) -> Result<CasePage, StoreError> {
        read::list_cases(&self.readers, query).await
    }

    async fn attachment(
        &self,
        case: CaseId,
        id: AttachmentId,
    ) -> Result<Option<Attachment>, StoreError> {
        read::attachment(&self.readers, case, id).await
    }
}

#[async_trait]
impl CustomerStore for SqliteStore {
    async fn customer(&self, id: CustomerId) -> Result<Customer, StoreError> {
        read::customer(&self.readers, id.as_uuid())
            .await?
            .ok_or(StoreError::NotFound { what: "customer" })
    }

    async fn update_customer(&self, customer: &Customer) -> Result<(), StoreError> {
        let job = Box::new(writer::UpdateCustomer::prepare(customer)?);
        submit(&self.writer, |reply| Job::UpdateCustomer(job, reply)).await
    }
}

#[async_trait]
impl StaffStore for SqliteStore {
    async fn add_staff(&self, staff: &Staff, token: &TokenDigest) -> Result<(), StoreError> {
        let job = Box::new(writer::AddStaff::prepare(staff, token)?);
        submit(&self.writer, |reply| Job::AddStaff(job, reply)).await
    }

    async fn staff(&self, id: StaffId) -> Result<Staff, StoreError> {
        read::staff(&self.readers, id)
            .await?
            .ok_or(StoreError::NotFound {
                what: "staff member",
            })
    }

    async fn staff_by_token(&self, token: &TokenDigest) -> Result<Option<Staff>, StoreError> {
        read::staff_by_token(&self.readers, token.as_bytes()).await
    }

    async fn list_staff(&self) -> Result<Vec<Staff>, StoreError> {
        read::list_staff(&self.readers).await
    }
}

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn root_causes(&self) -> Result<Vec<RootCause>, StoreError> {
        read::root_causes(&self.readers).await
    }

    async fn site_secret(&self, fresh: [u8; 32]) -> Result<[u8; 32], StoreError> {
        if let Some(stored) = read::site_secret(&self.readers).await? {
            return Ok(stored);
        }
        // The writer keeps the first secret offered; once it answers, the readers see it.
        submit(&self.writer, |reply| {
            Job::KeepSiteSecret(Box::new(fresh), reply)
        })
        .await?;
        read::site_secret(&self.readers)
            .await?
            .ok_or_else(|| codec::corrupt("the site secret was kept but cannot be read"))
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn ping(&self) -> Result<(), StoreError> {
        if self.writer.is_closed() {
            return Err(StoreError::backend(codec::Unstorable(
                "the SQLite writer has stopped".into(),
            )));
        }
        sqlx::query("SELECT 1")
            .execute(&self.readers)
            .await
            .map_err(codec::backend)?;
        Ok(())
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }
}

#[cfg(test)]
mod queue_tests;
#[cfg(test)]
mod tests;
