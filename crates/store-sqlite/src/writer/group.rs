//! The fast path for intakes from customers we have never met, the common case: a group of
//! them is written in one round trip with one statement per table, instead of a handful of
//! statements (and a savepoint) per intake.
//!
//! Every row is guarded so the group writes exactly what the one-job path would:
//! - a customer is created only if none of its contact details is known yet (`RETURNING` the
//!   ids created);
//! - contact details, the case and its event are written only for the customers just created.
//!
//! A job whose customer turned out to be known (a returning customer, or one met earlier in the
//! same group) wrote nothing, and goes through the one-job path afterwards. If any statement of
//! the group fails (a reference or token already taken...), the group is rolled back to its
//! savepoint and every job runs alone in its own savepoint, so each failure is reported by the
//! job that caused it and the others still commit.

use super::jobs::{CASE_COLUMN_COUNT, CASE_COLUMNS, bind_case_row, bind_event};
use super::prepare::{Contact, CreateCase, Shared};
use super::{Done, Job, Reply, Writer, run_one};
use redress_domain::Customer;
use redress_store::CreatedCase;
use sqlx::Row;
use std::fmt::Write as _;
use uuid::Uuid;

/// The most intakes one group statement writes.
pub(super) const MAX_GROUP: usize = 32;

/// Intakes waiting to be written together.
#[derive(Default)]
pub(super) struct Group {
    jobs: Vec<(Box<CreateCase>, Reply<CreatedCase>)>,
    /// The contact details in the group: two jobs sharing one are never in the same group.
    keys: Vec<(&'static str, Shared)>,
}

/// The job's email and phone, if it has the shape a group takes: at least one contact detail,
/// at most one of each kind, one event and no attachments (rare, and large: they go one by one).
fn shape(job: &CreateCase) -> Option<(Option<&Contact>, Option<&Contact>)> {
    if job.insert.events.len() != 1
        || job.contacts.is_empty()
        || job.contacts.len() > 2
        || !job.attachments.is_empty()
    {
        return None;
    }
    let email = job.contacts.iter().find(|c| c.kind == "email");
    let phone = job.contacts.iter().find(|c| c.kind == "phone");
    let counted = usize::from(email.is_some()) + usize::from(phone.is_some());
    (counted == job.contacts.len()).then_some((email, phone))
}

impl Group {
    pub(super) fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// Whether `job` can join this group (or a new one, if this one cannot take it).
    pub(super) fn fits(job: &CreateCase) -> bool {
        shape(job).is_some()
    }

    /// Whether `job` can join this group now.
    pub(super) fn accepts(&self, job: &CreateCase) -> bool {
        self.jobs.len() < MAX_GROUP
            && job
                .contacts
                .iter()
                .all(|c| !self.keys.iter().any(|(k, v)| *k == c.kind && *v == c.key))
    }

    /// Answers every job of the group with the batch's failure.
    pub(super) fn skip(&mut self, why: &str, done: &mut Vec<Done>) {
        self.keys.clear();
        for (job, reply) in self.jobs.drain(..) {
            done.push(Job::CreateCase(job, reply).skipped(why));
        }
    }

    pub(super) fn push(&mut self, job: Box<CreateCase>, reply: Reply<CreatedCase>) {
        self.keys
            .extend(job.contacts.iter().map(|c| (c.kind, c.key.clone())));
        self.jobs.push((job, reply));
    }
}

/// The group's query text for `jobs` intakes.
pub(super) fn build(sql: &mut String, jobs: usize) {
    let rows = |sql: &mut String, n: usize, columns: usize| {
        for r in 0..n {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for c in 0..columns {
                sql.push_str(if c == 0 { "?" } else { ", ?" });
            }
            sql.push(')');
        }
    };
    sql.push_str("SAVEPOINT grp;\n");
    // (id, name, preferred_channel, language, created_at, email key, phone key)
    sql.push_str(
        "INSERT INTO customers (id, name, preferred_channel, language, created_at, updated_at) \
         SELECT column1, column2, column3, column4, column5, column5 FROM (VALUES ",
    );
    rows(sql, jobs, 7);
    sql.push_str(
        ") AS v WHERE NOT EXISTS (SELECT 1 FROM customer_contacts cc \
         WHERE (cc.kind = 'email' AND cc.match_key = v.column6) \
         OR (cc.kind = 'phone' AND cc.match_key = v.column7)) RETURNING id;\n",
    );
    // (kind, match key or NULL, customer id, value): an email row and a phone row per job.
    sql.push_str(
        "INSERT INTO customer_contacts (kind, match_key, customer_id, position, value) \
         SELECT column1, column2, column3, 0, column4 FROM (VALUES ",
    );
    rows(sql, 2 * jobs, 4);
    sql.push_str(
        ") AS v WHERE v.column2 IS NOT NULL \
         AND EXISTS (SELECT 1 FROM customers c WHERE c.id = v.column3);\n",
    );
    let _ = write!(sql, "INSERT INTO {CASE_COLUMNS} SELECT * FROM (VALUES ");
    rows(sql, jobs, CASE_COLUMN_COUNT);
    sql.push_str(") AS v WHERE EXISTS (SELECT 1 FROM customers c WHERE c.id = v.column4);\n");
    sql.push_str(
        "INSERT INTO case_events (case_id, seq, at, actor, visibility, type, payload) \
         SELECT * FROM (VALUES ",
    );
    rows(sql, jobs, 7);
    sql.push_str(") AS v WHERE EXISTS (SELECT 1 FROM cases c WHERE c.id = v.column1);\n");
    sql.push_str("RELEASE grp");
}

/// Writes the group; jobs it could not write go through the one-job path. Every job of the
/// group is answered in `done`; `Err` if the transaction itself is broken.
pub(super) async fn run(
    w: &mut Writer,
    group: &mut Group,
    done: &mut Vec<Done>,
) -> Result<(), String> {
    group.keys.clear();
    let created = if group.jobs.len() == 1 {
        // Nothing to share a round trip with.
        Vec::new()
    } else {
        write(w, group).await?
    };
    let mut fatal: Result<(), String> = Ok(());
    for (job, reply) in group.jobs.drain(..) {
        if let Err(why) = &fatal {
            done.push(Job::CreateCase(job, reply).skipped(why));
        } else if created.contains(&job.case.customer_id.as_uuid()) {
            let CreateCase { case, customer, .. } = *job;
            let customer = Customer::from_new(case.customer_id, customer, case.created_at);
            let created = CreatedCase {
                case,
                customer,
                returning_customer: false,
            };
            done.push(Done::Created(reply, Ok(created)));
        } else {
            let (outcome, closed) = run_one(w, Job::CreateCase(job, reply)).await;
            done.push(outcome);
            fatal = closed;
        }
    }
    fatal
}

/// The group statement: the ids of the customers it created (none if it was rolled back).
async fn write(w: &mut Writer, group: &mut Group) -> Result<Vec<Uuid>, String> {
    let sql = w.sql(super::jobs::Shape::Group {
        jobs: group.jobs.len(),
    });
    let mut q = sqlx::query(sql);
    for (job, _) in &group.jobs {
        let (email, phone) = shape(job).unwrap_or_default();
        let new = &job.customer;
        q = q
            .bind(job.case.customer_id.as_uuid())
            .bind(new.name.as_ref().map(|n| Shared::from(n.as_str())))
            .bind(new.preferred_channel.map(|c| c.as_str()))
            .bind(new.language.as_ref().map(|l| Shared::from(l.as_str())))
            .bind(job.insert.created_at.clone())
            .bind(email.map(|c| c.key.clone()))
            .bind(phone.map(|c| c.key.clone()));
    }
    for (job, _) in &group.jobs {
        let (email, phone) = shape(job).unwrap_or_default();
        let customer = job.case.customer_id.as_uuid();
        for (kind, contact) in [("email", email), ("phone", phone)] {
            q = q
                .bind(kind)
                .bind(contact.map(|c| c.key.clone()))
                .bind(customer)
                .bind(contact.map(|c| c.value.clone()));
        }
    }
    for (job, _) in &group.jobs {
        q = bind_case_row(q, &job.insert, job.case.customer_id.as_uuid());
    }
    for (job, _) in &group.jobs {
        if let Some(event) = job.insert.events.first() {
            q = bind_event(q, job.insert.row.id, event);
        }
    }
    match q.fetch_all(&mut w.conn).await {
        Ok(rows) => Ok(rows
            .iter()
            .filter_map(|row| row.try_get::<Uuid, _>(0).ok())
            .collect()),
        Err(e) => {
            tracing::debug!(error = %e, jobs = group.jobs.len(), "group rolled back; one by one");
            // Undo the group; if that fails the transaction is broken.
            w.exec("ROLLBACK TO grp; RELEASE grp").await?;
            Ok(Vec::new())
        }
    }
}
