//! The single writer: one task owns the one write connection. Every write is a job sent over a
//! channel; the writer takes every pending job (up to `MAX_BATCH`) into one `BEGIN IMMEDIATE`
//! transaction, runs each inside its own savepoint (a failing job is rolled back alone and gets
//! its own error), commits once (one fsync for the whole batch), and only then answers each job.
//!
//! Callers prepare everything they can before sending (JSON, timestamps, keys), so the writer
//! only binds and executes.

use crate::codec::{
    Unstorable, backend, case_conflict, corrupt, date, db_error, timestamp, to_json,
};
use crate::read;
use redress_domain::{Case, Customer, EmailAddress, Event, NewCustomer, PhoneNumber, Staff};
use redress_store::{CaseChange, CreatedCase, NewCase, StoreError};
use sqlx::sqlite::SqliteConnection;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// The most jobs one transaction takes.
pub(crate) const MAX_BATCH: usize = 512;

type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// A write waiting for the writer.
pub(crate) enum Job {
    CreateCase(Box<CreateCase>, Reply<CreatedCase>),
    Record(Box<Record>, Reply<()>),
    UpdateCustomer(Box<UpdateCustomer>, Reply<()>),
    AddStaff(Box<AddStaff>, Reply<()>),
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
}

impl Done {
    fn is_ok(&self) -> bool {
        match self {
            Done::Created(_, r) => r.is_ok(),
            Done::Unit(_, r) => r.is_ok(),
        }
    }

    /// The batch did not commit: whatever this job did is gone.
    fn fail(self, why: &str) -> Done {
        let err = || StoreError::backend(BatchFailed(why.to_owned()));
        match self {
            Done::Created(reply, Ok(_)) => Done::Created(reply, Err(err())),
            Done::Unit(reply, Ok(())) => Done::Unit(reply, Err(err())),
            failed => failed,
        }
    }

    fn send(self) {
        // A caller who stopped waiting (e.g. a dropped HTTP request) still had its write made.
        match self {
            Done::Created(reply, result) => drop(reply.send(result)),
            Done::Unit(reply, result) => drop(reply.send(result)),
        }
    }
}

impl Job {
    fn skipped(self, why: &str) -> Done {
        let err = || StoreError::backend(BatchFailed(why.to_owned()));
        match self {
            Job::CreateCase(_, reply) => Done::Created(reply, Err(err())),
            Job::Record(_, reply) | Job::UpdateCustomer(_, reply) | Job::AddStaff(_, reply) => {
                Done::Unit(reply, Err(err()))
            }
            #[cfg(test)]
            Job::Fail(reply) => Done::Unit(reply, Err(err())),
        }
    }

    async fn run(self, conn: &mut SqliteConnection) -> Done {
        match self {
            Job::CreateCase(job, reply) => Done::Created(reply, create_case(conn, *job).await),
            Job::Record(job, reply) => Done::Unit(reply, record(conn, *job).await),
            Job::UpdateCustomer(job, reply) => Done::Unit(reply, update_customer(conn, *job).await),
            Job::AddStaff(job, reply) => Done::Unit(reply, add_staff(conn, *job).await),
            #[cfg(test)]
            Job::Fail(reply) => Done::Unit(reply, fail_after_writing(conn).await),
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

/// The writer task: runs until every sender is dropped.
pub(crate) async fn run(mut conn: SqliteConnection, mut jobs: mpsc::Receiver<Job>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    let mut done = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        run_batch(&mut conn, &mut batch, &mut done).await;
        for d in done.drain(..) {
            d.send();
        }
    }
}

async fn exec(conn: &mut SqliteConnection, sql: &'static str) -> Result<(), String> {
    sqlx::query(sql)
        .execute(&mut *conn)
        .await
        .map(drop)
        .map_err(|e| format!("{sql}: {e}"))
}

async fn run_batch(conn: &mut SqliteConnection, batch: &mut Vec<Job>, done: &mut Vec<Done>) {
    if let Err(why) = exec(conn, "BEGIN IMMEDIATE").await {
        tracing::error!(error = %why, jobs = batch.len(), "sqlite writer could not begin a batch");
        done.extend(batch.drain(..).map(|job| job.skipped(&why)));
        return;
    }
    // Set when the transaction itself is broken: no later job runs and nothing commits.
    let mut fatal: Option<String> = None;
    for job in batch.drain(..) {
        if let Some(why) = &fatal {
            done.push(job.skipped(why));
            continue;
        }
        if let Err(why) = exec(conn, "SAVEPOINT job").await {
            done.push(job.skipped(&why));
            fatal = Some(why);
            continue;
        }
        let outcome = job.run(conn).await;
        let closed = if outcome.is_ok() {
            exec(conn, "RELEASE job").await
        } else {
            match exec(conn, "ROLLBACK TO job").await {
                Ok(()) => exec(conn, "RELEASE job").await,
                Err(e) => Err(e),
            }
        };
        done.push(outcome);
        if let Err(why) = closed {
            fatal = Some(why);
        }
    }
    if fatal.is_none()
        && let Err(why) = exec(conn, "COMMIT").await
    {
        fatal = Some(why);
    }
    if let Some(why) = fatal {
        tracing::error!(error = %why, jobs = done.len(), "sqlite writer batch rolled back");
        if let Err(e) = exec(conn, "ROLLBACK").await {
            tracing::debug!(error = %e, "rollback after a failed batch");
        }
        let failed: Vec<Done> = done.drain(..).map(|d| d.fail(&why)).collect();
        done.extend(failed);
    }
}

/// A contact detail ready to store: ("email" | "phone", match key, as written).
pub(crate) struct Contact {
    kind: &'static str,
    key: String,
    value: String,
}

fn contacts_of(emails: &[EmailAddress], phones: &[PhoneNumber]) -> Vec<Contact> {
    let emails = emails.iter().map(|e| Contact {
        kind: "email",
        key: e.match_key(),
        value: e.as_str().to_owned(),
    });
    let phones = phones.iter().map(|p| Contact {
        kind: "phone",
        key: p.match_key(),
        value: p.as_str().to_owned(),
    });
    emails.chain(phones).collect()
}

/// The columns of a case row, computed by the caller.
pub(crate) struct CaseRow {
    id: Uuid,
    kind: &'static str,
    status: &'static str,
    is_open: bool,
    owner_id: Option<Uuid>,
    team: Option<String>,
    needed_by: Option<String>,
    updated_at: String,
    version: i64,
    state: String,
}

impl CaseRow {
    fn of(case: &Case) -> Result<Self, StoreError> {
        Ok(CaseRow {
            id: case.id.as_uuid(),
            kind: case.kind.as_str(),
            status: case.status.as_str(),
            is_open: case.status.is_open(),
            owner_id: case.owner.as_ref().map(|o| o.id.as_uuid()),
            team: case.team.as_ref().map(|t| t.as_str().to_owned()),
            needed_by: case.needed_by.map(date).transpose()?,
            updated_at: timestamp(case.updated_at)?,
            version: i64::from(case.version),
            state: to_json(case)?,
        })
    }
}

pub(crate) struct EventRow {
    seq: i64,
    at: String,
    actor: String,
    visibility: &'static str,
    kind: &'static str,
    payload: String,
}

impl EventRow {
    fn of(event: &Event) -> Result<Self, StoreError> {
        Ok(EventRow {
            seq: i64::from(event.seq),
            at: timestamp(event.at)?,
            actor: to_json(&event.actor)?,
            visibility: event.visibility.as_str(),
            kind: event.kind.name(),
            payload: to_json(&event.kind)?,
        })
    }
}

fn event_rows(case: &Case, events: &[Event]) -> Result<Vec<EventRow>, StoreError> {
    if let Some(e) = events.iter().find(|e| e.case_id != case.id) {
        return Err(StoreError::backend(Unstorable(format!(
            "event {} belongs to case {}, not {}",
            e.seq, e.case_id, case.id
        ))));
    }
    events.iter().map(EventRow::of).collect()
}

pub(crate) struct CreateCase {
    case: Case,
    customer: NewCustomer,
    /// The customer's contact details, emails first: how they are recognised.
    contacts: Vec<Contact>,
    row: CaseRow,
    reference: String,
    token: Vec<u8>,
    channel: &'static str,
    created_at: String,
    words: String,
    events: Vec<EventRow>,
}

impl CreateCase {
    pub(crate) fn prepare(new: NewCase) -> Result<Self, StoreError> {
        let NewCase {
            case,
            events,
            token,
            customer,
        } = new;
        if events.is_empty() {
            return Err(StoreError::backend(Unstorable(
                "a new case needs its first event".into(),
            )));
        }
        Ok(CreateCase {
            contacts: contacts_of(&customer.emails, &customer.phones),
            row: CaseRow::of(&case)?,
            reference: case.reference.as_str().to_owned(),
            token: token.as_bytes().to_vec(),
            channel: case.channel.as_str(),
            created_at: timestamp(case.created_at)?,
            words: case.words.as_str().to_owned(),
            events: event_rows(&case, &events)?,
            customer,
            case,
        })
    }
}

pub(crate) struct Record {
    row: CaseRow,
    expected_version: i64,
    events: Vec<EventRow>,
}

impl Record {
    pub(crate) fn prepare(change: CaseChange) -> Result<Self, StoreError> {
        let CaseChange {
            case,
            expected_version,
            events,
        } = change;
        let in_order = events
            .iter()
            .enumerate()
            .all(|(i, e)| u64::from(e.seq) == u64::from(expected_version) + 1 + i as u64);
        let last = events.last().map(|e| e.seq);
        if events.is_empty() || !in_order || last != Some(case.version) {
            return Err(StoreError::backend(Unstorable(format!(
                "a change from version {expected_version} must bring events numbered from {} up to the case's version {}",
                u64::from(expected_version) + 1,
                case.version
            ))));
        }
        Ok(Record {
            row: CaseRow::of(&case)?,
            expected_version: i64::from(expected_version),
            events: event_rows(&case, &events)?,
        })
    }
}

pub(crate) struct UpdateCustomer {
    id: Uuid,
    name: Option<String>,
    preferred_channel: Option<&'static str>,
    language: Option<String>,
    important_dates: String,
    preferences: String,
    dislikes: String,
    external_ref: Option<String>,
    created_at: String,
    updated_at: String,
    contacts: Vec<Contact>,
}

impl UpdateCustomer {
    pub(crate) fn prepare(c: &Customer) -> Result<Self, StoreError> {
        Ok(UpdateCustomer {
            id: c.id.as_uuid(),
            name: c.name.as_ref().map(|n| n.as_str().to_owned()),
            preferred_channel: c.preferred_channel.map(|p| p.as_str()),
            language: c.language.as_ref().map(|l| l.as_str().to_owned()),
            important_dates: to_json(&c.important_dates)?,
            preferences: to_json(&c.preferences)?,
            dislikes: to_json(&c.dislikes)?,
            external_ref: c.external_ref.as_ref().map(|r| r.as_str().to_owned()),
            created_at: timestamp(c.created_at)?,
            updated_at: timestamp(c.updated_at)?,
            contacts: contacts_of(&c.emails, &c.phones),
        })
    }
}

pub(crate) struct AddStaff {
    id: Uuid,
    name: String,
    email: String,
    email_key: String,
    role: &'static str,
    team: Option<String>,
    authority_minor: Option<i64>,
    authority_currency: Option<String>,
    active: bool,
    created_at: String,
    token: Vec<u8>,
}

impl AddStaff {
    pub(crate) fn prepare(
        s: &Staff,
        token: &redress_domain::TokenDigest,
    ) -> Result<Self, StoreError> {
        Ok(AddStaff {
            id: s.id.as_uuid(),
            name: s.name.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            email_key: s.email.match_key(),
            role: s.role.as_str(),
            team: s.team.as_ref().map(|t| t.as_str().to_owned()),
            authority_minor: s.authority_limit.as_ref().map(|m| m.minor),
            authority_currency: s
                .authority_limit
                .as_ref()
                .map(|m| m.currency.as_str().to_owned()),
            active: s.active,
            created_at: timestamp(s.created_at)?,
            token: token.as_bytes().to_vec(),
        })
    }
}

async fn insert_events(
    conn: &mut SqliteConnection,
    case_id: Uuid,
    events: Vec<EventRow>,
) -> Result<(), StoreError> {
    for e in events {
        sqlx::query(
            "INSERT INTO case_events (case_id, seq, at, actor, visibility, type, payload) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(case_id)
        .bind(e.seq)
        .bind(e.at)
        .bind(e.actor)
        .bind(e.visibility)
        .bind(e.kind)
        .bind(e.payload)
        .execute(&mut *conn)
        .await
        .map_err(|e| db_error(e, case_conflict))?;
    }
    Ok(())
}

/// Inserts a contact detail; `false` if it already belongs to someone.
async fn insert_contact(
    conn: &mut SqliteConnection,
    customer: Uuid,
    position: usize,
    c: &Contact,
    or_ignore: bool,
) -> Result<bool, StoreError> {
    let sql = if or_ignore {
        "INSERT OR IGNORE INTO customer_contacts (kind, match_key, customer_id, position, value) \
         VALUES (?, ?, ?, ?, ?)"
    } else {
        "INSERT INTO customer_contacts (kind, match_key, customer_id, position, value) \
         VALUES (?, ?, ?, ?, ?)"
    };
    let done = sqlx::query(sql)
        .bind(c.kind)
        .bind(c.key.as_str())
        .bind(customer)
        .bind(position as i64)
        .bind(c.value.as_str())
        .execute(&mut *conn)
        .await
        .map_err(|e| db_error(e, |_| c.kind))?;
    Ok(done.rows_affected() == 1)
}

/// Replaces a customer's contact details (positions follow the lists' order).
async fn insert_contacts(
    conn: &mut SqliteConnection,
    customer: Uuid,
    contacts: &[Contact],
) -> Result<(), StoreError> {
    let mut emails = 0;
    let mut phones = 0;
    for c in contacts {
        let position = if c.kind == "email" {
            &mut emails
        } else {
            &mut phones
        };
        insert_contact(conn, customer, *position, c, false).await?;
        *position += 1;
    }
    Ok(())
}

/// The customer one of these contact details belongs to (the first that matches, emails first).
async fn find_customer(
    conn: &mut SqliteConnection,
    contacts: &[Contact],
) -> Result<Option<Uuid>, StoreError> {
    for c in contacts {
        let found: Option<Uuid> = sqlx::query_scalar(
            "SELECT customer_id FROM customer_contacts WHERE kind = ? AND match_key = ?",
        )
        .bind(c.kind)
        .bind(c.key.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(backend)?;
        if found.is_some() {
            return Ok(found);
        }
    }
    Ok(None)
}

async fn create_case(
    conn: &mut SqliteConnection,
    job: CreateCase,
) -> Result<CreatedCase, StoreError> {
    let CreateCase {
        mut case,
        customer: new_customer,
        contacts,
        mut row,
        reference,
        token,
        channel,
        created_at,
        words,
        events,
    } = job;

    let (customer, returning_customer) = match find_customer(conn, &contacts).await? {
        Some(id) => (merge_customer(conn, id, &new_customer, &case).await?, true),
        None => (
            insert_customer(conn, new_customer, &contacts, &case).await?,
            false,
        ),
    };
    if customer.id != case.customer_id {
        case.customer_id = customer.id;
        row.state = to_json(&case)?;
    }

    sqlx::query(
        "INSERT INTO cases (id, reference, token_digest, customer_id, kind, channel, status, \
         is_open, owner_id, team, needed_by, created_at, updated_at, version, words, state) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id)
    .bind(reference)
    .bind(token)
    .bind(customer.id.as_uuid())
    .bind(row.kind)
    .bind(channel)
    .bind(row.status)
    .bind(row.is_open)
    .bind(row.owner_id)
    .bind(row.team)
    .bind(row.needed_by)
    .bind(created_at)
    .bind(row.updated_at)
    .bind(row.version)
    .bind(words)
    .bind(row.state)
    .execute(&mut *conn)
    .await
    .map_err(|e| db_error(e, case_conflict))?;

    insert_events(conn, row.id, events).await?;
    Ok(CreatedCase {
        case,
        customer,
        returning_customer,
    })
}

/// A first-time customer, under the case's proposed customer id.
async fn insert_customer(
    conn: &mut SqliteConnection,
    new: NewCustomer,
    contacts: &[Contact],
    case: &Case,
) -> Result<Customer, StoreError> {
    let mut customer = Customer::from_new(case.customer_id, new, case.created_at);
    // The same address written twice is one contact detail.
    dedup_by_key(&mut customer.emails, EmailAddress::match_key);
    dedup_by_key(&mut customer.phones, PhoneNumber::match_key);
    let mut kept: Vec<&Contact> = Vec::with_capacity(contacts.len());
    for c in contacts {
        if !kept.iter().any(|k| k.kind == c.kind && k.key == c.key) {
            kept.push(c);
        }
    }
    let at = timestamp(case.created_at)?;
    sqlx::query(
        "INSERT INTO customers (id, name, preferred_channel, language, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(customer.id.as_uuid())
    .bind(customer.name.as_ref().map(|n| n.as_str()))
    .bind(customer.preferred_channel.map(|c| c.as_str()))
    .bind(customer.language.as_ref().map(|l| l.as_str()))
    .bind(at.as_str())
    .bind(at.as_str())
    .execute(&mut *conn)
    .await
    .map_err(|e| db_error(e, |_| "customer"))?;
    let mut positions = (0, 0);
    for c in kept {
        let position = if c.kind == "email" {
            &mut positions.0
        } else {
            &mut positions.1
        };
        insert_contact(conn, customer.id.as_uuid(), *position, c, false).await?;
        *position += 1;
    }
    Ok(customer)
}

fn dedup_by_key<T>(list: &mut Vec<T>, key: impl Fn(&T) -> String) {
    let mut seen: Vec<String> = Vec::with_capacity(list.len());
    list.retain(|item| {
        let k = key(item);
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
}

/// A returning customer: adds what the intake told us that we did not know (contact details
/// nobody else holds, a name, a channel, a language).
async fn merge_customer(
    conn: &mut SqliteConnection,
    id: Uuid,
    new: &NewCustomer,
    case: &Case,
) -> Result<Customer, StoreError> {
    let mut customer = read::customer(&mut *conn, id).await?.ok_or_else(|| {
        corrupt(format!(
            "contact details name customer {id}, who is missing"
        ))
    })?;
    let known_emails = customer.emails.len();
    let known_phones = customer.phones.len();
    let had = (
        customer.name.is_some(),
        customer.preferred_channel.is_some(),
        customer.language.is_some(),
    );
    customer.merge_intake(new);

    let mut changed = had
        != (
            customer.name.is_some(),
            customer.preferred_channel.is_some(),
            customer.language.is_some(),
        );
    let added_emails = customer.emails.split_off(known_emails);
    for e in added_emails {
        let c = Contact {
            kind: "email",
            key: e.match_key(),
            value: e.as_str().to_owned(),
        };
        // Someone else's address stays theirs.
        if insert_contact(conn, id, customer.emails.len(), &c, true).await? {
            customer.emails.push(e);
            changed = true;
        }
    }
    let added_phones = customer.phones.split_off(known_phones);
    for p in added_phones {
        let c = Contact {
            kind: "phone",
            key: p.match_key(),
            value: p.as_str().to_owned(),
        };
        if insert_contact(conn, id, customer.phones.len(), &c, true).await? {
            customer.phones.push(p);
            changed = true;
        }
    }

    if changed {
        customer.updated_at = customer.updated_at.max(case.created_at);
        sqlx::query(
            "UPDATE customers SET name = ?, preferred_channel = ?, language = ?, updated_at = ? \
             WHERE id = ?",
        )
        .bind(customer.name.as_ref().map(|n| n.as_str()))
        .bind(customer.preferred_channel.map(|c| c.as_str()))
        .bind(customer.language.as_ref().map(|l| l.as_str()))
        .bind(timestamp(customer.updated_at)?)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    }
    Ok(customer)
}

async fn record(conn: &mut SqliteConnection, job: Record) -> Result<(), StoreError> {
    let Record {
        row,
        expected_version,
        events,
    } = job;
    let updated = sqlx::query(
        "UPDATE cases SET kind = ?, status = ?, is_open = ?, owner_id = ?, team = ?, \
         needed_by = ?, updated_at = ?, version = ?, state = ? WHERE id = ? AND version = ?",
    )
    .bind(row.kind)
    .bind(row.status)
    .bind(row.is_open)
    .bind(row.owner_id)
    .bind(row.team)
    .bind(row.needed_by)
    .bind(row.updated_at)
    .bind(row.version)
    .bind(row.state)
    .bind(row.id)
    .bind(expected_version)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    if updated.rows_affected() == 0 {
        let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = ?")
            .bind(row.id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
        return Err(match exists {
            Some(_) => StoreError::conflict("version"),
            None => StoreError::NotFound { what: "case" },
        });
    }
    insert_events(conn, row.id, events).await
}

async fn update_customer(
    conn: &mut SqliteConnection,
    job: UpdateCustomer,
) -> Result<(), StoreError> {
    let updated = sqlx::query(
        "UPDATE customers SET name = ?, preferred_channel = ?, language = ?, \
         important_dates = ?, preferences = ?, dislikes = ?, external_ref = ?, \
         created_at = ?, updated_at = ? WHERE id = ?",
    )
    .bind(job.name)
    .bind(job.preferred_channel)
    .bind(job.language)
    .bind(job.important_dates)
    .bind(job.preferences)
    .bind(job.dislikes)
    .bind(job.external_ref)
    .bind(job.created_at)
    .bind(job.updated_at)
    .bind(job.id)
    .execute(&mut *conn)
    .await
    .map_err(backend)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound { what: "customer" });
    }
    sqlx::query("DELETE FROM customer_contacts WHERE customer_id = ?")
        .bind(job.id)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    insert_contacts(conn, job.id, &job.contacts).await
}

async fn add_staff(conn: &mut SqliteConnection, job: AddStaff) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO staff (id, name, email, email_key, role, team, authority_minor, \
         authority_currency, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(job.id)
    .bind(job.name)
    .bind(job.email)
    .bind(job.email_key)
    .bind(job.role)
    .bind(job.team)
    .bind(job.authority_minor)
    .bind(job.authority_currency)
    .bind(job.active)
    .bind(job.created_at.as_str())
    .execute(&mut *conn)
    .await
    .map_err(|e| {
        db_error(e, |columns| match columns {
            "staff.email_key" => "email",
            _ => "staff",
        })
    })?;
    sqlx::query("INSERT INTO api_tokens (digest, staff_id, created_at) VALUES (?, ?, ?)")
        .bind(job.token)
        .bind(job.id)
        .bind(job.created_at)
        .execute(&mut *conn)
        .await
        .map_err(|e| db_error(e, |_| "token"))?;
    Ok(())
}

/// Test hook: writes a root cause, then fails, so its savepoint must undo the write.
#[cfg(test)]
async fn fail_after_writing(conn: &mut SqliteConnection) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO root_causes (code, label, position) VALUES ('failed_job', 'x', 99)")
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
    Err(StoreError::conflict("test"))
}
