//! The single writer: one thread owns the one write connection. Every write is a job sent over
//! a channel; the writer takes every pending job (up to `MAX_BATCH`) into one `BEGIN IMMEDIATE`
//! transaction, commits once (one fsync for the whole batch), and only then answers each job.
//! A job that fails is rolled back alone (to its savepoint) and gets its own error; the others
//! still commit.
//!
//! Throughput comes from doing little per job:
//! - callers prepare everything they can before sending (JSON, timestamps, keys, see
//!   `prepare`), so the writer only binds and executes;
//! - intakes from customers we have never met, the common case, are written as a group with
//!   one statement per table (see `group`); everything else runs one job at a time in its own
//!   savepoint (see `jobs`);
//! - each round trip to SQLite carries several statements (sqlx's SQLite driver runs every
//!   statement of a query text, binding the arguments in order), so a job costs one or two
//!   round trips;
//! - new cases are indexed for search once per batch (FTS5 would write a segment at every
//!   savepoint otherwise);
//! - a checkpointer copies the WAL back into the database on its own connection, so commits
//!   never wait for it.

mod admin;
mod group;
mod jobs;
mod mail;
mod outbox;
mod prepare;
mod sign_in;

pub(crate) use admin::AdminWrite;
pub(crate) use mail::MailWrite;
pub(crate) use outbox::OutboxWrite;
pub(crate) use prepare::{AddStaff, CreateCase, Record, UpdateCustomer};
pub(crate) use sign_in::{SignInDone, SignInWrite};

use crate::codec::Unstorable;
use redress_store::{CreatedCase, StoreError};
use sqlx::sqlite::SqliteConnection;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most jobs one transaction takes.
pub(crate) const MAX_BATCH: usize = 512;

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// A write waiting for the writer.
pub(crate) enum Job {
    CreateCase(Box<CreateCase>, Reply<CreatedCase>),
    Record(Box<Record>, Reply<()>),
    UpdateCustomer(Box<UpdateCustomer>, Reply<()>),
    AddStaff(Box<AddStaff>, Reply<()>),
    /// Stores the site secret unless one is stored already.
    KeepSiteSecret(Box<[u8; 32]>, Reply<()>),
    /// Password hashes, failed attempts, sessions and setup tokens.
    SignIn(Box<SignInWrite>, Reply<SignInDone>),
    /// Staff members' role, team and authority, API tokens, teams, root causes, the
    /// organisation's texts.
    Admin(Box<AdminWrite>, Reply<()>),
    /// Arrived mail kept or settled.
    Mail(Box<MailWrite>, Reply<bool>),
    /// Mail to send queued, or a delivery attempt recorded.
    Outbox(Box<OutboxWrite>, Reply<bool>),
    /// Test hook: a job that fails inside its savepoint after writing something.
    #[cfg(test)]
    Fail(Reply<()>),
}

/// A job run, waiting for the commit before its answer is sent. Kept inline (not boxed): the
/// writer reuses one buffer of these across batches.
#[allow(clippy::large_enum_variant)]
enum Done {
    Created(Reply<CreatedCase>, Result<CreatedCase, StoreError>),
    Unit(Reply<()>, Result<(), StoreError>),
    SignIn(Reply<SignInDone>, Result<SignInDone, StoreError>),
    Flag(Reply<bool>, Result<bool, StoreError>),
}

impl Done {
    fn is_ok(&self) -> bool {
        match self {
            Done::Created(_, r) => r.is_ok(),
            Done::Unit(_, r) => r.is_ok(),
            Done::SignIn(_, r) => r.is_ok(),
            Done::Flag(_, r) => r.is_ok(),
        }
    }

    /// The batch did not commit: whatever this job did is gone.
    fn fail(self, why: &str) -> Done {
        let err = || StoreError::backend(BatchFailed(why.to_owned()));
        match self {
            Done::Created(reply, Ok(_)) => Done::Created(reply, Err(err())),
            Done::Unit(reply, Ok(())) => Done::Unit(reply, Err(err())),
            Done::SignIn(reply, Ok(_)) => Done::SignIn(reply, Err(err())),
            Done::Flag(reply, Ok(_)) => Done::Flag(reply, Err(err())),
            failed => failed,
        }
    }

    fn send(self) {
        // A caller who stopped waiting (e.g. a dropped HTTP request) still had its write made.
        match self {
            Done::Created(reply, result) => drop(reply.send(result)),
            Done::Unit(reply, result) => drop(reply.send(result)),
            Done::SignIn(reply, result) => drop(reply.send(result)),
            Done::Flag(reply, result) => drop(reply.send(result)),
        }
    }
}

impl Job {
    fn skipped(self, why: &str) -> Done {
        let err = || StoreError::backend(BatchFailed(why.to_owned()));
        match self {
            Job::CreateCase(_, reply) => Done::Created(reply, Err(err())),
            Job::Record(_, reply)
            | Job::UpdateCustomer(_, reply)
            | Job::AddStaff(_, reply)
            | Job::KeepSiteSecret(_, reply)
            | Job::Admin(_, reply) => Done::Unit(reply, Err(err())),
            Job::Mail(_, reply) => Done::Flag(reply, Err(err())),
            Job::SignIn(_, reply) => Done::SignIn(reply, Err(err())),
            Job::Outbox(_, reply) => Done::Flag(reply, Err(err())),
            #[cfg(test)]
            Job::Fail(reply) => Done::Unit(reply, Err(err())),
        }
    }

    async fn run(self, w: &mut Writer) -> Done {
        match self {
            Job::CreateCase(job, reply) => Done::Created(reply, jobs::create_case(w, *job).await),
            Job::Record(job, reply) => Done::Unit(reply, jobs::record(w, *job).await),
            Job::UpdateCustomer(job, reply) => {
                Done::Unit(reply, jobs::update_customer(w, *job).await)
            }
            Job::AddStaff(job, reply) => Done::Unit(reply, jobs::add_staff(w, *job).await),
            Job::KeepSiteSecret(fresh, reply) => {
                Done::Unit(reply, jobs::keep_site_secret(w, *fresh).await)
            }
            Job::SignIn(write, reply) => Done::SignIn(reply, sign_in::run(w, *write).await),
            Job::Admin(write, reply) => Done::Unit(reply, admin::run(w, *write).await),
            Job::Mail(write, reply) => Done::Flag(reply, mail::run(w, *write).await),
            Job::Outbox(write, reply) => Done::Flag(reply, outbox::run(w, *write).await),
            #[cfg(test)]
            Job::Fail(reply) => Done::Unit(reply, jobs::fail_after_writing(w).await),
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("the write was rolled back with its batch: {0}")]
struct BatchFailed(String);

/// Sends `job` (built around the reply channel) to the writer and waits for its answer.
pub(crate) async fn submit<T>(
    writer: &mpsc::Sender<Job>,
    job: impl FnOnce(Reply<T>) -> Job,
) -> Result<T, StoreError> {
    let (reply, answer) = oneshot::channel();
    writer
        .send(job(reply))
        .await
        .map_err(|_| StoreError::backend(Unstorable("the SQLite writer has stopped".into())))?;
    answer.await.map_err(|_| {
        StoreError::backend(Unstorable(
            "the SQLite writer stopped before answering".into(),
        ))
    })?
}

/// Starts the writer on a thread of its own, so that its many short waits on SQLite are never
/// queued behind the application's tasks, with the checkpointer beside it. Both stop when every
/// sender is dropped.
pub(crate) fn start(
    conn: SqliteConnection,
    jobs: mpsc::Receiver<Job>,
    checkpointer: SqliteConnection,
) -> Result<(), StoreError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(StoreError::backend)?;
    std::thread::Builder::new()
        .name("redress-sqlite-writer".into())
        .spawn(move || {
            runtime.block_on(async move {
                tokio::spawn(checkpoints(checkpointer));
                run(conn, jobs).await;
            })
        })
        .map_err(StoreError::backend)?;
    Ok(())
}

/// How often the WAL is copied back into the database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// Copies the WAL back into the database on a connection of its own, so that commits never
/// wait for it (the writer's automatic checkpoint is only a backstop). A passive checkpoint
/// runs alongside the writer and the readers.
async fn checkpoints(mut conn: SqliteConnection) {
    let mut every = tokio::time::interval(CHECKPOINT_EVERY);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
            .execute(&mut conn)
            .await
        {
            tracing::warn!(error = %e, "sqlite checkpoint failed");
        }
    }
}

/// The write connection as jobs see it.
pub(crate) struct Writer {
    conn: SqliteConnection,
    /// The current job's savepoint is open: a job that fails while it is open is rolled back
    /// to it. Jobs open it in their first round trip and release it in their last.
    savepoint: bool,
    /// Query texts built once per shape (the statement cache is keyed by the text).
    sql: HashMap<jobs::Shape, Arc<str>>,
}

impl Writer {
    fn sql(&mut self, shape: jobs::Shape) -> sqlx::AssertSqlSafe<Arc<str>> {
        let text = self
            .sql
            .entry(shape)
            .or_insert_with(|| shape.build().into());
        sqlx::AssertSqlSafe(text.clone())
    }

    async fn exec(&mut self, sql: &'static str) -> Result<(), String> {
        sqlx::query(sql)
            .execute(&mut self.conn)
            .await
            .map(drop)
            .map_err(|e| format!("{sql}: {e}"))
    }
}

/// Runs one job in its own savepoint. The job's answer, and `Err` if its savepoint could not be
/// closed: then the transaction is broken and the whole batch fails.
async fn run_one(w: &mut Writer, job: Job) -> (Done, Result<(), String>) {
    w.savepoint = false;
    let outcome = job.run(w).await;
    let closed = match (outcome.is_ok(), w.savepoint) {
        (_, false) => Ok(()),
        (true, true) => w.exec("RELEASE job").await,
        (false, true) => w.exec("ROLLBACK TO job; RELEASE job").await,
    };
    w.savepoint = false;
    (outcome, closed)
}

/// The writer loop: runs until every sender is dropped.
async fn run(conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut w = Writer {
        conn,
        savepoint: false,
        sql: HashMap::new(),
    };
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut done = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        run_batch(&mut w, &mut batch, &mut done).await;
        for d in done.drain(..) {
            d.send();
        }
    }
}

async fn run_batch(w: &mut Writer, batch: &mut Vec<Job>, done: &mut Vec<Done>) {
    // Cases created in this batch get rows after `last_pk`; they are indexed for search at
    // the end, in the same transaction.
    let begun =
        sqlx::query_scalar::<_, i64>("BEGIN IMMEDIATE; SELECT coalesce(max(pk), 0) FROM cases")
            .fetch_one(&mut w.conn)
            .await;
    let last_pk = match begun {
        Ok(pk) => pk,
        Err(e) => {
            let why = format!("begin: {e}");
            tracing::error!(error = %why, jobs = batch.len(), "sqlite writer could not begin a batch");
            // In case BEGIN itself went through.
            let _ = w.exec("ROLLBACK").await;
            done.extend(batch.drain(..).map(|job| job.skipped(&why)));
            return;
        }
    };

    // Set when the transaction itself is broken: no later job runs and nothing commits.
    let mut fatal: Option<String> = None;
    let mut group = group::Group::default();
    for job in batch.drain(..) {
        if let Some(why) = &fatal {
            done.push(job.skipped(why));
            continue;
        }
        // Intakes that fit a group wait to be written together.
        let job = match job {
            Job::CreateCase(new, reply) if group::Group::fits(&new) => {
                if !group.accepts(&new) {
                    fatal = group::run(w, &mut group, done).await.err();
                }
                group.push(new, reply);
                continue;
            }
            other => other,
        };
        if !group.is_empty() {
            fatal = group::run(w, &mut group, done).await.err();
            if let Some(why) = &fatal {
                done.push(job.skipped(why));
                continue;
            }
        }
        let (outcome, closed) = run_one(w, job).await;
        done.push(outcome);
        fatal = closed.err();
    }
    if !group.is_empty() {
        if let Some(why) = &fatal {
            group.skip(why, done);
        } else {
            fatal = group::run(w, &mut group, done).await.err();
        }
    }
    let created = done.iter().any(|d| matches!(d, Done::Created(_, Ok(_))));

    if fatal.is_none() {
        let end = if created {
            sqlx::query(
                "INSERT INTO case_search (rowid, words) SELECT pk, words FROM cases WHERE pk > ?; \
                 COMMIT",
            )
            .bind(last_pk)
            .execute(&mut w.conn)
            .await
        } else {
            sqlx::query("COMMIT").execute(&mut w.conn).await
        };
        if let Err(e) = end {
            fatal = Some(format!("commit: {e}"));
        }
    }
    if let Some(why) = fatal {
        tracing::error!(error = %why, jobs = done.len(), "sqlite writer batch rolled back");
        if let Err(e) = w.exec("ROLLBACK").await {
            tracing::debug!(error = %e, "rollback after a failed batch");
        }
        for d in done.iter_mut() {
            if d.is_ok() {
                // Swap in the failure without reallocating the buffer.
                let placeholder = Done::Unit(oneshot::channel().0, Ok(()));
                let ok = std::mem::replace(d, placeholder);
                *d = ok.fail(&why);
            }
        }
    }
}
