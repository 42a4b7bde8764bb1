//! What each write does on the write connection. A job opens its savepoint in its first round
//! trip (`w.savepoint = true` before sending) and releases it in its last (`false` after
//! success); if it fails with the savepoint open, the batch loop rolls it back.
//!
//! Note on multi-statement query texts: sqlx's SQLite driver runs each statement of the text
//! in turn, binding the arguments in order, and stops at the first error. Per-statement
//! `rows_affected` is not reliable there (SQLite's change counter is per connection), so these
//! texts report what they did through `RETURNING` rows instead.

use super::Writer;
use super::prepare::{
    AddStaff, AttachmentRow, CaseInsert, Contact, CreateCase, EventRow, Record, UpdateCustomer,
};
use crate::codec::{backend, case_state, db_error, timestamp};
use crate::read;
use redress_domain::{Case, Customer, EmailAddress, NewCustomer, PhoneNumber};
use redress_store::{CreatedCase, StoreError};
use sqlx::Row;
use sqlx::sqlite::{Sqlite, SqliteArguments};
use std::fmt::Write as _;
use uuid::Uuid;

type Query<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments>;

/// The shape of a multi-statement query text: what varies is how many contact details and
/// events it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Shape {
    /// Open the savepoint; the customer holding one of `contacts` contact details.
    Lookup { contacts: usize },
    /// A first-time customer, their contact details, the case, its events and attachments;
    /// release. `savepoint`: open the savepoint first (when there was no lookup).
    FirstCase {
        savepoint: bool,
        contacts: usize,
        events: usize,
        attachments: usize,
    },
    /// Contact details a returning customer added (`RETURNING` those nobody else held), the
    /// customer's row if it changed, the case, its events and attachments; release.
    ReturningCase {
        contacts: usize,
        update: bool,
        events: usize,
        attachments: usize,
    },
    /// Open the savepoint; the case's new state if still at the expected version (`RETURNING`
    /// a row if so), its events and attachments if so; release.
    Record { events: usize, attachments: usize },
    /// A group of intakes, each with one event and at most one email and one phone: see
    /// `group`.
    Group { jobs: usize },
}

/// The columns of a case row, in the order `bind_case_row` binds them.
pub(super) const CASE_COLUMNS: &str = "cases (id, reference, token_digest, customer_id, kind, \
    channel, status, is_open, owner_id, team, needed_by, created_at, updated_at, version, words, \
    state, awaiting_owner, next_due, pending_approval, escalated, product)";
/// How many columns `CASE_COLUMNS` names.
pub(super) const CASE_COLUMN_COUNT: usize = 21;
const EVENT_COLUMNS: &str = "case_events (case_id, seq, at, actor, visibility, type, payload)";
const CONTACT_COLUMNS: &str = "customer_contacts (kind, match_key, customer_id, position, value)";
const ATTACHMENT_COLUMNS: &str =
    "attachments (id, case_id, name, content_type, size, sha256, content, created_at)";

/// `(?, ?), (?, ?)`: `rows` tuples of `columns` placeholders.
fn tuples(sql: &mut String, rows: usize, columns: usize) {
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            sql.push_str(if c == 0 { "?" } else { ", ?" });
        }
        sql.push(')');
    }
}

impl Shape {
    pub(super) fn build(self) -> String {
        let mut sql = String::with_capacity(1024);
        match self {
            Shape::Lookup { contacts } => {
                sql.push_str("SAVEPOINT job;\n");
                sql.push_str(read::CUSTOMER_SELECT);
                sql.push_str(" WHERE c.id = (SELECT cc.customer_id FROM (VALUES ");
                for i in 0..contacts {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(sql, "{sep}({i}, ?, ?)");
                }
                sql.push_str(
                    ") AS k JOIN customer_contacts cc \
                     ON cc.kind = k.column2 AND cc.match_key = k.column3 \
                     ORDER BY k.column1 LIMIT 1)",
                );
            }
            Shape::FirstCase {
                savepoint,
                contacts,
                events,
                attachments,
            } => {
                if savepoint {
                    sql.push_str("SAVEPOINT job;\n");
                }
                sql.push_str(
                    "INSERT INTO customers (id, name, preferred_channel, language, created_at, \
                     updated_at) VALUES (?, ?, ?, ?, ?, ?);\n",
                );
                if contacts > 0 {
                    let _ = write!(sql, "INSERT INTO {CONTACT_COLUMNS} VALUES ");
                    tuples(&mut sql, contacts, 5);
                    sql.push_str(";\n");
                }
                insert_case(&mut sql);
                let _ = write!(sql, "INSERT INTO {EVENT_COLUMNS} VALUES ");
                tuples(&mut sql, events, 7);
                sql.push_str(";\n");
                insert_attachments(&mut sql, attachments);
                sql.push_str("RELEASE job");
            }
            Shape::ReturningCase {
                contacts,
                update,
                events,
                attachments,
            } => {
                if contacts > 0 {
                    let _ = write!(sql, "INSERT OR IGNORE INTO {CONTACT_COLUMNS} VALUES ");
                    tuples(&mut sql, contacts, 5);
                    sql.push_str(" RETURNING kind, match_key;\n");
                }
                if update {
                    sql.push_str(
                        "UPDATE customers SET name = ?, preferred_channel = ?, language = ?, \
                         updated_at = ? WHERE id = ?;\n",
                    );
                }
                insert_case(&mut sql);
                let _ = write!(sql, "INSERT INTO {EVENT_COLUMNS} VALUES ");
                tuples(&mut sql, events, 7);
                sql.push_str(";\n");
                insert_attachments(&mut sql, attachments);
                sql.push_str("RELEASE job");
            }
            Shape::Record {
                events,
                attachments,
            } => {
                sql.push_str(
                    "SAVEPOINT job;\n\
                     UPDATE cases SET kind = ?, status = ?, is_open = ?, owner_id = ?, team = ?, \
                     needed_by = ?, updated_at = ?, version = ?, state = ?, awaiting_owner = ?, \
                     next_due = ?, pending_approval = ?, escalated = ?, product = ? \
                     WHERE id = ? AND version = ? RETURNING 1;\n",
                );
                // Only if the update above changed the case.
                let _ = write!(sql, "INSERT INTO {EVENT_COLUMNS} SELECT * FROM (VALUES ");
                tuples(&mut sql, events, 7);
                sql.push_str(") WHERE changes() = 1;\n");
                if attachments > 0 {
                    // Only if the events above were written (all of them: the update matched).
                    let _ = write!(
                        sql,
                        "INSERT INTO {ATTACHMENT_COLUMNS} SELECT * FROM (VALUES "
                    );
                    tuples(&mut sql, attachments, 8);
                    let _ = writeln!(sql, ") WHERE changes() = {events};");
                }
                sql.push_str("RELEASE job");
            }
            Shape::Group { jobs } => super::group::build(&mut sql, jobs),
        }
        sql
    }
}

fn insert_case(sql: &mut String) {
    let _ = write!(sql, "INSERT INTO {CASE_COLUMNS} VALUES ");
    tuples(sql, 1, CASE_COLUMN_COUNT);
    sql.push_str(";\n");
}

fn insert_attachments(sql: &mut String, attachments: usize) {
    if attachments > 0 {
        let _ = write!(sql, "INSERT INTO {ATTACHMENT_COLUMNS} VALUES ");
        tuples(sql, attachments, 8);
        sql.push_str(";\n");
    }
}

/// Binds the attachments of the case `case_id`, moving their bytes into the query.
fn bind_attachments<'q>(
    mut q: Query<'q>,
    case_id: Uuid,
    created_at: &super::prepare::Shared,
    attachments: Vec<AttachmentRow>,
) -> Query<'q> {
    for a in attachments {
        q = q
            .bind(a.id)
            .bind(case_id)
            .bind(a.name)
            .bind(a.content_type)
            .bind(a.size)
            .bind(a.sha256)
            .bind(a.content)
            .bind(created_at.clone());
    }
    q
}

pub(super) fn bind_event<'q>(q: Query<'q>, case_id: Uuid, e: &EventRow) -> Query<'q> {
    q.bind(case_id)
        .bind(e.seq)
        .bind(e.at.clone())
        .bind(e.actor.clone())
        .bind(e.visibility)
        .bind(e.kind)
        .bind(e.payload.clone())
}

fn bind_events<'q>(mut q: Query<'q>, case_id: Uuid, events: &[EventRow]) -> Query<'q> {
    for e in events {
        q = bind_event(q, case_id, e);
    }
    q
}

fn bind_contact<'q>(q: Query<'q>, customer: Uuid, position: usize, c: &Contact) -> Query<'q> {
    q.bind(c.kind)
        .bind(c.key.clone())
        .bind(customer)
        .bind(position as i64)
        .bind(c.value.clone())
}

/// Names the clash when storing a new case breaks a unique constraint.
fn create_conflict(columns: &str) -> &'static str {
    match columns {
        "cases.reference" => "reference",
        "cases.token_digest" => "token",
        "cases.id" => "case",
        "customers.id" => "customer",
        "attachments.id" => "attachment",
        c if c.starts_with("customer_contacts.") => "contact",
        _ => "event",
    }
}

pub(super) async fn create_case(
    w: &mut Writer,
    job: CreateCase,
) -> Result<CreatedCase, StoreError> {
    let CreateCase {
        case,
        customer: new_customer,
        contacts,
        insert,
        attachments,
    } = job;
    // Round trip 1: open the savepoint and look the customer up by every contact detail given
    // (emails first, in order).
    let known = if contacts.is_empty() {
        None
    } else {
        let mut q = sqlx::query(w.sql(Shape::Lookup {
            contacts: contacts.len(),
        }));
        for c in &contacts {
            q = q.bind(c.kind).bind(c.key.clone());
        }
        w.savepoint = true;
        let row = q.fetch_optional(&mut w.conn).await.map_err(backend)?;
        row.as_ref().map(read::customer_from_row).transpose()?
    };
    // Round trip 2: write everything and release the savepoint.
    match known {
        Some(customer) => {
            returning_customer(w, case, &new_customer, insert, attachments, customer).await
        }
        None => first_time_customer(w, case, new_customer, &contacts, insert, attachments).await,
    }
}

/// Binds the columns of the case row (`CASE_COLUMNS`), filed under `customer`.
pub(super) fn bind_case_row<'q>(q: Query<'q>, insert: &CaseInsert, customer: Uuid) -> Query<'q> {
    let row = &insert.row;
    q.bind(row.id)
        .bind(insert.reference.clone())
        .bind(insert.token.clone())
        .bind(customer)
        .bind(row.kind)
        .bind(insert.channel)
        .bind(row.status)
        .bind(row.is_open)
        .bind(row.owner_id)
        .bind(row.team.clone())
        .bind(row.needed_by.clone())
        .bind(insert.created_at.clone())
        .bind(row.updated_at.clone())
        .bind(row.version)
        .bind(insert.words.clone())
        .bind(row.state.clone())
        .bind(row.awaiting_owner)
        .bind(row.next_due.clone())
        .bind(row.pending_approval)
        .bind(row.escalated)
        .bind(row.product.clone())
}

/// Binds the case row, filed under `customer`, and its events.
fn bind_case<'q>(q: Query<'q>, insert: &CaseInsert, customer: Uuid) -> Query<'q> {
    let q = bind_case_row(q, insert, customer);
    bind_events(q, insert.row.id, &insert.events)
}

/// A customer we never met: filed under the case's proposed customer id.
async fn first_time_customer(
    w: &mut Writer,
    case: Case,
    new: NewCustomer,
    contacts: &[Contact],
    insert: CaseInsert,
    attachments: Vec<AttachmentRow>,
) -> Result<CreatedCase, StoreError> {
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

    let id = customer.id.as_uuid();
    let sql = w.sql(Shape::FirstCase {
        savepoint: !w.savepoint,
        contacts: kept.len(),
        events: insert.events.len(),
        attachments: attachments.len(),
    });
    let mut q = sqlx::query(sql)
        .bind(id)
        .bind(customer.name.as_ref().map(|n| n.as_str().to_owned()))
        .bind(customer.preferred_channel.map(|c| c.as_str()))
        .bind(customer.language.as_ref().map(|l| l.as_str().to_owned()))
        .bind(insert.created_at.clone())
        .bind(insert.created_at.clone());
    let (mut emails, mut phones) = (0, 0);
    for c in kept {
        let position = if c.kind == "email" {
            &mut emails
        } else {
            &mut phones
        };
        q = bind_contact(q, id, *position, c);
        *position += 1;
    }
    let q = bind_case(q, &insert, id);
    let q = bind_attachments(q, insert.row.id, &insert.created_at, attachments);
    w.savepoint = true;
    q.execute(&mut w.conn)
        .await
        .map_err(|e| db_error(e, create_conflict))?;
    w.savepoint = false;
    Ok(CreatedCase {
        case,
        customer,
        returning_customer: false,
    })
}

/// A customer who wrote before: adds what the intake told us that we did not know (contact
/// details nobody else holds, a name, a channel, a language), and files the case under them.
async fn returning_customer(
    w: &mut Writer,
    mut case: Case,
    new: &NewCustomer,
    mut insert: CaseInsert,
    attachments: Vec<AttachmentRow>,
    mut customer: Customer,
) -> Result<CreatedCase, StoreError> {
    let id = customer.id.as_uuid();
    let (known_emails, known_phones) = (customer.emails.len(), customer.phones.len());
    let had = (
        customer.name.is_some(),
        customer.preferred_channel.is_some(),
        customer.language.is_some(),
    );
    customer.merge_intake(new);
    let filled = had
        != (
            customer.name.is_some(),
            customer.preferred_channel.is_some(),
            customer.language.is_some(),
        );
    let added_emails = customer.emails.split_off(known_emails);
    let added_phones = customer.phones.split_off(known_phones);
    let added = super::prepare::contacts_of(&added_emails, &added_phones);
    let update = filled || !added.is_empty();
    if update {
        customer.updated_at = customer.updated_at.max(case.created_at);
    }
    if case.customer_id != customer.id {
        case.customer_id = customer.id;
        insert.row.state = case_state(&case)?.into();
    }

    let sql = w.sql(Shape::ReturningCase {
        contacts: added.len(),
        update,
        events: insert.events.len(),
        attachments: attachments.len(),
    });
    let mut q = sqlx::query(sql);
    let (mut emails, mut phones) = (known_emails, known_phones);
    for c in &added {
        let position = if c.kind == "email" {
            &mut emails
        } else {
            &mut phones
        };
        q = bind_contact(q, id, *position, c);
        *position += 1;
    }
    if update {
        q = q
            .bind(customer.name.as_ref().map(|n| n.as_str().to_owned()))
            .bind(customer.preferred_channel.map(|c| c.as_str()))
            .bind(customer.language.as_ref().map(|l| l.as_str().to_owned()))
            .bind(timestamp(customer.updated_at)?)
            .bind(id);
    }
    let q = bind_case(q, &insert, id);
    let q = bind_attachments(q, insert.row.id, &insert.created_at, attachments);
    let inserted = q
        .fetch_all(&mut w.conn)
        .await
        .map_err(|e| db_error(e, create_conflict))?;
    w.savepoint = false;

    // Contact details someone else already holds stay theirs.
    let was_inserted = |kind: &str, key: &str| {
        inserted.iter().any(|row| {
            row.try_get::<&str, _>("kind").is_ok_and(|k| k == kind)
                && row.try_get::<&str, _>("match_key").is_ok_and(|k| k == key)
        })
    };
    customer.emails.extend(
        added_emails
            .into_iter()
            .filter(|e| was_inserted("email", &e.match_key())),
    );
    customer.phones.extend(
        added_phones
            .into_iter()
            .filter(|p| was_inserted("phone", &p.match_key())),
    );
    Ok(CreatedCase {
        case,
        customer,
        returning_customer: true,
    })
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

pub(super) async fn record(w: &mut Writer, job: Record) -> Result<(), StoreError> {
    let Record {
        row,
        expected_version,
        events,
        attachments,
    } = job;
    let id = row.id;
    // The files arrived with the change.
    let created_at = row.updated_at.clone();
    let q = sqlx::query(w.sql(Shape::Record {
        events: events.len(),
        attachments: attachments.len(),
    }))
    .bind(row.kind)
    .bind(row.status)
    .bind(row.is_open)
    .bind(row.owner_id)
    .bind(row.team)
    .bind(row.needed_by)
    .bind(row.updated_at)
    .bind(row.version)
    .bind(row.state)
    .bind(row.awaiting_owner)
    .bind(row.next_due)
    .bind(row.pending_approval)
    .bind(row.escalated)
    .bind(row.product)
    .bind(id)
    .bind(expected_version);
    let q = bind_events(q, id, &events);
    let q = bind_attachments(q, id, &created_at, attachments);
    w.savepoint = true;
    let updated = q.fetch_all(&mut w.conn).await.map_err(|e| {
        db_error(e, |columns| {
            if columns.starts_with("case_events.") {
                "version"
            } else {
                "case"
            }
        })
    })?;
    // Nothing was written if the case was not at the expected version: the savepoint is
    // released either way.
    w.savepoint = false;
    if updated.is_empty() {
        let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM cases WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut w.conn)
            .await
            .map_err(backend)?;
        return Err(match exists {
            Some(_) => StoreError::conflict("version"),
            None => StoreError::NotFound { what: "case" },
        });
    }
    Ok(())
}

/// Opens the job's savepoint on its own (for the rare writes that take several round trips).
pub(super) async fn open_savepoint(w: &mut Writer) -> Result<(), StoreError> {
    w.savepoint = true;
    sqlx::query("SAVEPOINT job")
        .execute(&mut w.conn)
        .await
        .map_err(backend)?;
    Ok(())
}

pub(super) async fn update_customer(w: &mut Writer, job: UpdateCustomer) -> Result<(), StoreError> {
    open_savepoint(w).await?;
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
    .execute(&mut w.conn)
    .await
    .map_err(backend)?;
    if updated.rows_affected() == 0 {
        return Err(StoreError::NotFound { what: "customer" });
    }
    sqlx::query("DELETE FROM customer_contacts WHERE customer_id = ?")
        .bind(job.id)
        .execute(&mut w.conn)
        .await
        .map_err(backend)?;
    // One statement per contact detail, so a clash names its kind.
    let (mut emails, mut phones) = (0, 0);
    for c in &job.contacts {
        let position = if c.kind == "email" {
            &mut emails
        } else {
            &mut phones
        };
        let insert = sqlx::query(
            "INSERT INTO customer_contacts (kind, match_key, customer_id, position, value) \
             VALUES (?, ?, ?, ?, ?)",
        );
        bind_contact(insert, job.id, *position, c)
            .execute(&mut w.conn)
            .await
            .map_err(|e| db_error(e, |_| c.kind))?;
        *position += 1;
    }
    Ok(())
}

pub(super) async fn add_staff(w: &mut Writer, job: AddStaff) -> Result<(), StoreError> {
    open_savepoint(w).await?;
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
    .bind(job.created_at.clone())
    .execute(&mut w.conn)
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
        .execute(&mut w.conn)
        .await
        .map_err(|e| db_error(e, |_| "token"))?;
    Ok(())
}

/// Stores `fresh` as the site secret unless one is stored already (in one round trip).
pub(super) async fn keep_site_secret(w: &mut Writer, fresh: [u8; 32]) -> Result<(), StoreError> {
    w.savepoint = true;
    sqlx::query(
        "SAVEPOINT job; \
         INSERT OR IGNORE INTO site_secrets (name, value) VALUES ('site', ?); \
         RELEASE job",
    )
    .bind(fresh.to_vec())
    .execute(&mut w.conn)
    .await
    .map_err(backend)?;
    w.savepoint = false;
    Ok(())
}

/// Test hook: writes a root cause, then fails, so its savepoint must undo the write.
#[cfg(test)]
pub(super) async fn fail_after_writing(w: &mut Writer) -> Result<(), StoreError> {
    open_savepoint(w).await?;
    sqlx::query("INSERT INTO root_causes (code, label, position) VALUES ('failed_job', 'x', 99)")
        .execute(&mut w.conn)
        .await
        .map_err(backend)?;
    Err(StoreError::conflict("test"))
}
