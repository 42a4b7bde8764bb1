//! Customers, and the contact keys that recognise them.

use crate::error::{corrupt, is_retryable, map_err};
use crate::{MAX_ATTEMPTS, PgStore};
use async_trait::async_trait;
use redress_domain::{
    ContactChannel, Customer, CustomerId, EmailAddress, ImportantDate, Language, PhoneNumber, Text,
};
use redress_store::{CustomerStore, StoreError};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{PgConnection, Postgres, Row};
use uuid::Uuid;

/// The columns `customer_from_row` reads, as a literal for `concat!`.
macro_rules! customer_columns {
    () => {
        "id, name, emails, phones, preferred_channel, language, important_dates, preferences, \
         dislikes, external_ref, created_at, updated_at"
    };
}
pub(crate) use customer_columns;

/// One row of `customer_contacts`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Contact {
    pub kind: &'static str,
    pub value: String,
    pub key: String,
}

impl Contact {
    pub fn email(e: &EmailAddress) -> Self {
        Contact {
            kind: "email",
            value: e.as_str().to_owned(),
            key: e.match_key(),
        }
    }

    pub fn phone(p: &PhoneNumber) -> Self {
        Contact {
            kind: "phone",
            value: p.as_str().to_owned(),
            key: p.match_key(),
        }
    }
}

/// The contacts of a customer, one per key, in a fixed order (kind, then key): transactions that
/// insert overlapping keys then wait for each other instead of deadlocking.
pub(crate) fn contacts(emails: &[EmailAddress], phones: &[PhoneNumber]) -> Vec<Contact> {
    let mut all: Vec<Contact> = emails
        .iter()
        .map(Contact::email)
        .chain(phones.iter().map(Contact::phone))
        .collect();
    // A stable sort keeps the first spelling of a key, which dedup_by then keeps.
    all.sort_by(|a, b| (a.kind, &a.key).cmp(&(b.kind, &b.key)));
    all.dedup_by(|later, earlier| later.kind == earlier.kind && later.key == earlier.key);
    all
}

/// Inserts contacts for `customer`, skipping keys someone else holds; returns the (kind, key)
/// pairs actually inserted.
async fn insert_contacts(
    conn: &mut PgConnection,
    customer: Uuid,
    contacts: &[Contact],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    if contacts.is_empty() {
        return Ok(Vec::new());
    }
    let kinds: Vec<&str> = contacts.iter().map(|c| c.kind).collect();
    let values: Vec<&str> = contacts.iter().map(|c| c.value.as_str()).collect();
    let keys: Vec<&str> = contacts.iter().map(|c| c.key.as_str()).collect();
    let rows = sqlx::query(
        "INSERT INTO customer_contacts (customer_id, kind, value, match_key) \
         SELECT $1, k, v, m FROM UNNEST($2::text[], $3::text[], $4::text[]) \
             WITH ORDINALITY AS t(k, v, m, n) ORDER BY n \
         ON CONFLICT (kind, match_key) DO NOTHING \
         RETURNING kind, match_key",
    )
    .bind(customer)
    .bind(&kinds)
    .bind(&values)
    .bind(&keys)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get("match_key")?)))
        .collect()
}

/// Binds every column of `customer` but its id, in `customer_columns!` order, as the next 11
/// parameters.
pub(crate) fn bind_customer_fields<'q>(
    query: Query<'q, Postgres, PgArguments>,
    c: &'q Customer,
) -> Query<'q, Postgres, PgArguments> {
    query
        .bind(c.name.as_ref().map(Text::as_str))
        .bind(Json(&c.emails))
        .bind(Json(&c.phones))
        .bind(c.preferred_channel.map(|p| p.as_str()))
        .bind(c.language.as_ref().map(Language::as_str))
        .bind(Json(&c.important_dates))
        .bind(Json(&c.preferences))
        .bind(Json(&c.dislikes))
        .bind(c.external_ref.as_ref().map(Text::as_str))
        .bind(c.created_at)
        .bind(c.updated_at)
}

/// Writes every field of `c` over the stored row; returns whether there was one.
async fn update_customer_row(conn: &mut PgConnection, c: &Customer) -> Result<bool, sqlx::Error> {
    let done = bind_customer_fields(
        sqlx::query(
            "UPDATE customers SET name = $2, emails = $3, phones = $4, preferred_channel = $5, \
                 language = $6, important_dates = $7, preferences = $8, dislikes = $9, \
                 external_ref = $10, created_at = $11, updated_at = $12, version = version + 1 \
             WHERE id = $1",
        )
        .bind(c.id.as_uuid()),
        c,
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub(crate) fn customer_from_row(row: &PgRow) -> Result<Customer, StoreError> {
    let id: Uuid = row.try_get("id").map_err(map_err)?;
    let name: Option<String> = row.try_get("name").map_err(map_err)?;
    let preferred_channel: Option<String> = row.try_get("preferred_channel").map_err(map_err)?;
    let language: Option<String> = row.try_get("language").map_err(map_err)?;
    let external_ref: Option<String> = row.try_get("external_ref").map_err(map_err)?;
    let Json(emails): Json<Vec<EmailAddress>> = row.try_get("emails").map_err(map_err)?;
    let Json(phones): Json<Vec<PhoneNumber>> = row.try_get("phones").map_err(map_err)?;
    let Json(important_dates): Json<Vec<ImportantDate>> =
        row.try_get("important_dates").map_err(map_err)?;
    let Json(preferences): Json<Vec<Text>> = row.try_get("preferences").map_err(map_err)?;
    let Json(dislikes): Json<Vec<Text>> = row.try_get("dislikes").map_err(map_err)?;
    Ok(Customer {
        id: CustomerId::from_uuid(id),
        name: name.map(Text::trusted),
        emails,
        phones,
        preferred_channel: preferred_channel
            .map(|p| {
                ContactChannel::parse(&p).ok_or_else(|| corrupt("customer preferred_channel", p))
            })
            .transpose()?,
        language: language
            .map(|l| {
                serde_json::from_value::<Language>(serde_json::Value::String(l))
                    .map_err(|e| corrupt("customer language", e))
            })
            .transpose()?,
        important_dates,
        preferences,
        dislikes,
        external_ref: external_ref.map(Text::trusted),
        created_at: row.try_get("created_at").map_err(map_err)?,
        updated_at: row.try_get("updated_at").map_err(map_err)?,
    })
}

#[async_trait]
impl CustomerStore for PgStore {
    async fn customer(&self, id: CustomerId) -> Result<Customer, StoreError> {
        let row = sqlx::query(concat!(
            "SELECT ",
            customer_columns!(),
            " FROM customers WHERE id = $1"
        ))
        .bind(id.as_uuid())
        .fetch_optional(&self.pool)
        .await
        .map_err(map_err)?
        .ok_or(StoreError::NotFound { what: "customer" })?;
        customer_from_row(&row)
    }

    async fn update_customer(&self, customer: &Customer) -> Result<(), StoreError> {
        let mut attempt = 1;
        loop {
            match self.update_customer_once(customer).await {
                Err(Ok(e)) if is_retryable(&e) && attempt < MAX_ATTEMPTS => attempt += 1,
                Err(Ok(e)) => return Err(map_err(e)),
                Err(Err(e)) => return Err(e),
                Ok(()) => return Ok(()),
            }
        }
    }
}

impl PgStore {
    /// One attempt at `update_customer`, in one transaction: the customer's row is locked first
    /// (as `create_case` does for a returning customer), then its contacts are replaced.
    /// `Err(Ok(_))` is a database error, which may be worth retrying.
    async fn update_customer_once(
        &self,
        customer: &Customer,
    ) -> Result<(), Result<sqlx::Error, StoreError>> {
        let wanted = contacts(&customer.emails, &customer.phones);
        let mut tx = self.pool.begin().await.map_err(Ok)?;
        if !update_customer_row(&mut tx, customer).await.map_err(Ok)? {
            return Err(Err(StoreError::NotFound { what: "customer" }));
        }
        sqlx::query("DELETE FROM customer_contacts WHERE customer_id = $1")
            .bind(customer.id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(Ok)?;
        let inserted = insert_contacts(&mut tx, customer.id.as_uuid(), &wanted)
            .await
            .map_err(Ok)?;
        if inserted.len() != wanted.len() {
            // A key another customer holds: name the first such one, emails before phones.
            let taken = wanted
                .iter()
                .find(|c| !inserted.iter().any(|(k, m)| k == c.kind && *m == c.key))
                .map_or("contact", |c| c.kind);
            return Err(Err(StoreError::conflict(taken)));
        }
        tx.commit().await.map_err(Ok)
    }
}
