//! Intake: storing a new case under the customer it came from, recognised by an email address or
//! phone number, or new.
//!
//! Each intake costs two statements in the usual case: one look-up (who holds the given contact
//! keys, and that customer's row), then one statement that writes everything at once (customer,
//! contacts, case, events), so it is atomic without an explicit transaction. The races are
//! settled by the database:
//! - two intakes from one new customer both insert its contact key; the unique constraint makes
//!   the second fail as a whole, and it is tried again as a returning customer;
//! - an intake that adds details to a returning customer updates the customer only if it is
//!   still at the version it read (`customers.version`); otherwise it is tried again.
//!
//! After two such retries, an intake locks the customer's row instead (a transaction with
//! `SELECT ... FOR UPDATE`), so it cannot starve however busy that customer is.
//!
//! An intake with attachments writes them in a transaction with that statement.

use crate::attachments;
use crate::cases::{EventArrays, QueueColumns, events_from};
use crate::customers::{
    Contact, bind_customer_fields, contacts, customer_columns, customer_from_row,
};
use crate::error::{is_contact_taken, is_retryable, map_err};
use crate::{MAX_ATTEMPTS, PgStore};
use redress_domain::{Case, Customer, NewCustomer, Text};
use redress_store::{CreatedCase, NewCase, StoreError};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{PgExecutor, Postgres, Row};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Attempts that rely on the customer's version before an intake locks the customer instead.
const OPTIMISTIC_ATTEMPTS: u32 = 2;

/// Why one attempt ended early.
enum Attempt {
    /// It lost a race (a contact key taken meanwhile, the customer changed, a deadlock): run it
    /// again.
    Retry,
    Fail(StoreError),
}

impl From<sqlx::Error> for Attempt {
    fn from(e: sqlx::Error) -> Self {
        if is_retryable(&e) || is_contact_taken(&e) {
            Attempt::Retry
        } else {
            Attempt::Fail(map_err(e))
        }
    }
}

impl From<StoreError> for Attempt {
    fn from(e: StoreError) -> Self {
        Attempt::Fail(e)
    }
}

/// An intake's contact keys in matching order: emails first, each as given.
struct GivenKeys {
    kinds: Vec<&'static str>,
    keys: Vec<String>,
}

impl GivenKeys {
    fn of(customer: &NewCustomer) -> Self {
        let given: Vec<Contact> = customer
            .emails
            .iter()
            .map(Contact::email)
            .chain(customer.phones.iter().map(Contact::phone))
            .collect();
        GivenKeys {
            kinds: given.iter().map(|c| c.kind).collect(),
            keys: given.into_iter().map(|c| c.key).collect(),
        }
    }

    fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// The returning customer an intake names, as read: the holder of its first known key.
struct Seen {
    customer: Customer,
    version: i64,
    /// Who holds each of the intake's keys, by (kind, match key).
    holders: HashMap<(&'static str, String), Uuid>,
}

/// The holder of each given key (`$1` kinds, `$2` match keys) that anyone holds, as
/// `(n, customer_id)` with `n` the key's position from 1. One index probe per key, whatever the
/// planner believes about the table's size (a join could become a hash join over every contact).
macro_rules! holders_of_given {
    () => {
        "SELECT g.n, cc.customer_id \
         FROM UNNEST($1::text[], $2::text[]) WITH ORDINALITY AS g(kind, match_key, n) \
         CROSS JOIN LATERAL (\
             SELECT c.customer_id FROM customer_contacts c \
             WHERE c.kind = g.kind AND c.match_key = g.match_key \
             LIMIT 1) AS cc"
    };
}

/// Reads the holder of the first given key that anyone holds (`None`: a new customer), with
/// the holders of all given keys, in one snapshot.
const SEE: &str = concat!(
    "WITH h AS (",
    holders_of_given!(),
    ") \
     SELECT ",
    customer_columns!(),
    ", version, \
         ARRAY(SELECT h.n FROM h ORDER BY h.n) AS held_n, \
         ARRAY(SELECT h.customer_id FROM h ORDER BY h.n) AS held_by \
     FROM customers \
     WHERE id = (SELECT h.customer_id FROM h ORDER BY h.n LIMIT 1)"
);

async fn see<'e>(exec: impl PgExecutor<'e>, given: &GivenKeys) -> Result<Option<Seen>, Attempt> {
    if given.is_empty() {
        return Ok(None);
    }
    let Some(row) = sqlx::query(SEE)
        .bind(&given.kinds)
        .bind(&given.keys)
        .fetch_optional(exec)
        .await?
    else {
        return Ok(None);
    };
    let held_n: Vec<i64> = row.try_get("held_n")?;
    let held_by: Vec<Uuid> = row.try_get("held_by")?;
    let holders = held_n
        .iter()
        .zip(held_by)
        .filter_map(|(n, by)| {
            let i = usize::try_from(*n).ok()?.checked_sub(1)?;
            Some(((*given.kinds.get(i)?, given.keys.get(i)?.clone()), by))
        })
        .collect();
    Ok(Some(Seen {
        customer: customer_from_row(&row)?,
        version: row.try_get("version")?,
        holders,
    }))
}

/// Locks the holder of the first given key (in `tx`), returning its id.
const LOCK_FIRST_HOLDER: &str = concat!(
    "WITH h AS (",
    holders_of_given!(),
    ") \
     SELECT id FROM customers WHERE id = (SELECT h.customer_id FROM h ORDER BY h.n LIMIT 1) \
     FOR UPDATE"
);

/// The statement that stores an intake. `$cu` is a CTE yielding the customer's id (`$4`) once if
/// the intake may go ahead: inserting a new customer, updating a returning one if still at the
/// version read, or only naming it. Parameters: the case `$1..$15` and its queue columns
/// `$16..$20`, its events `$21..$26`, the customer's new contacts `$27..$29`, then the
/// customer's fields `$30..$40` and the version read `$41` where `$cu` uses them. The contacts
/// are inserted without `ON CONFLICT`: a key someone took meanwhile fails the whole statement
/// with a unique violation. Returns how many cases were stored (0: the customer changed since
/// it was read).
macro_rules! store_intake_sql {
    ($cu:literal) => {
        concat!(
            "WITH cu AS (",
            $cu,
            "), \
             ct AS (\
                 INSERT INTO customer_contacts (customer_id, kind, value, match_key) \
                 SELECT cu.id, t.k, t.v, t.m \
                 FROM cu, UNNEST($27::text[], $28::text[], $29::text[]) \
                     WITH ORDINALITY AS t(k, v, m, n) \
                 ORDER BY t.n), \
             c AS (\
                 INSERT INTO cases (id, reference, token_digest, customer_id, kind, channel, \
                     status, owner_id, team, needed_by, created_at, updated_at, version, words, \
                     state, awaiting_owner, next_due, pending_approval, escalated, product) \
                 SELECT $1, $2, $3, cu.id, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, \
                     $16, $17, $18, $19, $20 \
                 FROM cu \
                 RETURNING id), \
             ev AS (\
                 INSERT INTO case_events (case_id, seq, at, actor, visibility, type, payload) \
                 SELECT c.id, e.seq, e.at, e.actor, e.visibility, e.type, e.payload FROM c, ",
            events_from!("21", "22", "23", "24", "25", "26"),
            ") \
             SELECT count(*) FROM c"
        )
    };
}

const STORE_FOR_NEW_CUSTOMER: &str = store_intake_sql!(
    "INSERT INTO customers (id, name, emails, phones, preferred_channel, language, \
         important_dates, preferences, dislikes, external_ref, created_at, updated_at) \
     VALUES ($4, $30, $31, $32, $33, $34, $35, $36, $37, $38, $39, $40) \
     RETURNING id"
);
const STORE_UPDATING_CUSTOMER: &str = store_intake_sql!(
    "UPDATE customers SET name = $30, emails = $31, phones = $32, preferred_channel = $33, \
         language = $34, important_dates = $35, preferences = $36, dislikes = $37, \
         external_ref = $38, created_at = $39, updated_at = $40, version = version + 1 \
     WHERE id = $4 AND version = $41 \
     RETURNING id"
);
const STORE_FOR_CUSTOMER: &str = store_intake_sql!("SELECT $4::uuid AS id");

/// How an intake writes its customer.
enum CustomerWrite {
    Insert,
    /// Merged details, if the customer is still at this version.
    Update {
        version: i64,
    },
    /// Nothing new to record about the customer.
    Unchanged,
}

/// What one attempt will write.
struct Plan {
    case: Case,
    customer: Customer,
    added: Vec<Contact>,
    write: CustomerWrite,
}

/// `new` with each contact key once (the first spelling kept).
fn without_repeats(mut new: NewCustomer) -> NewCustomer {
    let mut seen = HashSet::new();
    new.emails.retain(|e| seen.insert(("email", e.match_key())));
    new.phones.retain(|p| seen.insert(("phone", p.match_key())));
    new
}

impl Plan {
    fn new_customer(new: &NewCase) -> Plan {
        let intake = without_repeats(new.customer.clone());
        // What is returned is what is stored: timestamptz keeps microseconds.
        let now = new.case.created_at.truncate_to_microsecond();
        let customer = Customer::from_new(new.case.customer_id, intake, now);
        Plan {
            case: new.case.clone(),
            added: contacts(&customer.emails, &customer.phones),
            customer,
            write: CustomerWrite::Insert,
        }
    }

    /// Files the case under `seen`'s customer, adding the intake's details that nobody else
    /// holds (`Customer::merge_intake`); a contact key of another customer stays theirs.
    fn returning_customer(new: &NewCase, seen: Seen) -> Plan {
        let id = seen.customer.id.as_uuid();
        let holder = |c: Contact| seen.holders.get(&(c.kind, c.key)).copied();
        let mut intake = without_repeats(new.customer.clone());
        intake
            .emails
            .retain(|e| holder(Contact::email(e)).is_none_or(|h| h == id));
        intake
            .phones
            .retain(|p| holder(Contact::phone(p)).is_none_or(|h| h == id));
        let added: Vec<Contact> = contacts(&intake.emails, &intake.phones)
            .into_iter()
            .filter(|c| holder(c.clone()).is_none())
            .collect();
        let mut customer = seen.customer.clone();
        customer.merge_intake(&intake);
        let write = if customer == seen.customer && added.is_empty() {
            CustomerWrite::Unchanged
        } else {
            // Learning something about the customer updates them (as the SQLite store does).
            customer.updated_at = customer
                .updated_at
                .max(new.case.created_at.truncate_to_microsecond());
            CustomerWrite::Update {
                version: seen.version,
            }
        };
        let mut case = new.case.clone();
        case.customer_id = customer.id;
        Plan {
            case,
            customer,
            added,
            write,
        }
    }

    /// Writes the plan in one statement; `Retry` if the customer changed since it was read.
    async fn store<'e>(
        self,
        new: &NewCase,
        exec: impl PgExecutor<'e>,
    ) -> Result<CreatedCase, Attempt> {
        let sql = match self.write {
            CustomerWrite::Insert => STORE_FOR_NEW_CUSTOMER,
            CustomerWrite::Update { .. } => STORE_UPDATING_CUSTOMER,
            CustomerWrite::Unchanged => STORE_FOR_CUSTOMER,
        };
        let query = bind_case(sqlx::query(sql), &self.case, new, &self.added);
        let query = match self.write {
            CustomerWrite::Insert => bind_customer_fields(query, &self.customer),
            CustomerWrite::Update { version } => {
                bind_customer_fields(query, &self.customer).bind(version)
            }
            CustomerWrite::Unchanged => query,
        };
        let stored: i64 = query.fetch_one(exec).await?.try_get(0)?;
        if stored != 1 {
            return Err(Attempt::Retry);
        }
        Ok(CreatedCase {
            returning_customer: !matches!(self.write, CustomerWrite::Insert),
            case: self.case,
            customer: self.customer,
        })
    }
}

/// Binds a new case (`$1..$15`), its queue columns (`$16..$20`), its events (`$21..$26`) and
/// the customer's new contacts (`$27..$29`), for `store_intake_sql!`.
fn bind_case<'a>(
    q: Query<'a, Postgres, PgArguments>,
    case: &'a Case,
    new: &'a NewCase,
    added: &[Contact],
) -> Query<'a, Postgres, PgArguments> {
    let q = q
        .bind(case.id.as_uuid())
        .bind(case.reference.as_str())
        .bind(new.token.as_bytes().as_slice())
        .bind(case.customer_id.as_uuid())
        .bind(case.kind.as_str())
        .bind(case.channel.as_str())
        .bind(case.status.as_str())
        .bind(case.owner.as_ref().map(|o| o.id.as_uuid()))
        .bind(case.team.as_ref().map(Text::as_str))
        .bind(case.needed_by)
        .bind(case.created_at)
        .bind(case.updated_at)
        .bind(i64::from(case.version))
        .bind(case.words.as_str())
        .bind(Json(case));
    let q = QueueColumns::of(case).bind(q);
    EventArrays::of(&new.events)
        .bind(q)
        .bind(added.iter().map(|c| c.kind).collect::<Vec<_>>())
        .bind(added.iter().map(|c| c.value.clone()).collect::<Vec<_>>())
        .bind(added.iter().map(|c| c.key.clone()).collect::<Vec<_>>())
}

impl PgStore {
    /// `CaseStore::create_case`.
    pub(crate) async fn intake(&self, new: &NewCase) -> Result<CreatedCase, StoreError> {
        let given = GivenKeys::of(&new.customer);
        for attempt in 0..MAX_ATTEMPTS {
            let result = if attempt < OPTIMISTIC_ATTEMPTS {
                self.intake_optimistic(new, &given).await
            } else {
                self.intake_locked(new, &given).await
            };
            match result {
                Ok(created) => return Ok(created),
                Err(Attempt::Fail(e)) => return Err(e),
                Err(Attempt::Retry) => {}
            }
        }
        Err(StoreError::Backend(
            format!("intake {} kept losing races; try again", new.case.id).into(),
        ))
    }

    async fn intake_optimistic(
        &self,
        new: &NewCase,
        given: &GivenKeys,
    ) -> Result<CreatedCase, Attempt> {
        let plan = match see(&self.pool, given).await? {
            None => Plan::new_customer(new),
            Some(seen) => Plan::returning_customer(new, seen),
        };
        self.store_alone(plan, new).await
    }

    /// Writes the plan: in one statement, or with its attachments in one transaction.
    async fn store_alone(&self, plan: Plan, new: &NewCase) -> Result<CreatedCase, Attempt> {
        if new.attachments.is_empty() {
            return plan.store(new, &self.pool).await;
        }
        let mut tx = self.pool.begin().await?;
        let created = plan.store(new, &mut *tx).await?;
        attachments::insert(&mut tx, new).await?;
        tx.commit().await?;
        Ok(created)
    }

    /// Like `intake_optimistic`, but holding the returning customer's row lock from the read to
    /// the write, so the write cannot find the customer changed.
    async fn intake_locked(
        &self,
        new: &NewCase,
        given: &GivenKeys,
    ) -> Result<CreatedCase, Attempt> {
        if given.is_empty() {
            return self.store_alone(Plan::new_customer(new), new).await;
        }
        let mut tx = self.pool.begin().await?;
        let locked: Option<Uuid> = sqlx::query_scalar(LOCK_FIRST_HOLDER)
            .bind(&given.kinds)
            .bind(&given.keys)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(locked) = locked else {
            drop(tx);
            return self.store_alone(Plan::new_customer(new), new).await;
        };
        // Read again now that the lock is held: in READ COMMITTED each statement sees what was
        // committed before it began, including while this one waited for the lock.
        let Some(seen) = see(&mut *tx, given).await? else {
            return Err(Attempt::Retry);
        };
        if seen.customer.id.as_uuid() != locked {
            // A staff edit moved the key while we waited: decide again.
            return Err(Attempt::Retry);
        }
        let created = Plan::returning_customer(new, seen)
            .store(new, &mut *tx)
            .await?;
        attachments::insert(&mut tx, new).await?;
        tx.commit().await?;
        Ok(created)
    }
}
