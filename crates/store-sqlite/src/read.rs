//! Reads: through the pool of read connections (or the writer's connection inside a job).
//! Cases are read from their `state` JSON; the other columns exist for filtering and ordering.

use crate::codec::{backend, corrupt, date, from_json, parse_timestamp, timestamp};
use redress_domain::{
    Actor, Attachment, AttachmentId, Case, CaseId, ContactChannel, Currency, Customer, CustomerId,
    EmailAddress, Event, EventKind, Invalid, Language, Money, PhoneNumber, Role, RootCause,
    RootCauseCode, Staff, StaffId, Status, Text, Visibility,
};
use redress_store::{
    CaseListItem, CasePage, CaseQuery, StoreError, StoredAttachment, TimelineView,
};
use sqlx::sqlite::{Sqlite, SqliteArguments, SqlitePool, SqliteRow};
use sqlx::{Arguments, Row};
use uuid::Uuid;

pub(crate) fn get<'r, T>(row: &'r SqliteRow, column: &str) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(column)
        .map_err(|e| corrupt(format!("column {column}: {e}")))
}

/// A case from its stored state and words (the state is stored without the words, which the
/// `words` column already holds: see `codec::case_state`).
fn case_from_state(state: &str, words: String) -> Result<Case, StoreError> {
    let mut case: Case = from_json("case state", state)?;
    case.words = redress_domain::Text::trusted(words);
    Ok(case)
}

/// The case whose `column` (id, reference or token_digest) equals `value`.
pub(crate) async fn case_where<'e, E, V>(
    ex: E,
    sql: &'static str,
    value: V,
) -> Result<Option<Case>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
    V: for<'q> sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite> + Send + 'e,
{
    let row: Option<(String, String)> = sqlx::query_as(sql)
        .bind(value)
        .fetch_optional(ex)
        .await
        .map_err(backend)?;
    row.map(|(state, words)| case_from_state(&state, words))
        .transpose()
}

pub(crate) async fn timeline<'e, E>(
    ex: E,
    id: CaseId,
    view: TimelineView,
) -> Result<Vec<Event>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let sql = match view {
        TimelineView::All => {
            "SELECT seq, at, actor, visibility, payload FROM case_events \
             WHERE case_id = ? ORDER BY seq"
        }
        TimelineView::CustomerVisible => {
            "SELECT seq, at, actor, visibility, payload FROM case_events \
             WHERE case_id = ? AND visibility = 'customer' ORDER BY seq"
        }
    };
    let rows = sqlx::query(sql)
        .bind(id.as_uuid())
        .fetch_all(ex)
        .await
        .map_err(backend)?;
    rows.iter().map(|row| event_from_row(id, row)).collect()
}

fn event_from_row(case_id: CaseId, row: &SqliteRow) -> Result<Event, StoreError> {
    let seq: i64 = get(row, "seq")?;
    let visibility = match get::<&str>(row, "visibility")? {
        "customer" => Visibility::Customer,
        "internal" => Visibility::Internal,
        other => return Err(corrupt(format!("event visibility {other:?}"))),
    };
    Ok(Event {
        case_id,
        seq: u32::try_from(seq).map_err(|_| corrupt(format!("event seq {seq}")))?,
        at: parse_timestamp(get(row, "at")?)?,
        actor: from_json::<Actor>("event actor", get(row, "actor")?)?,
        visibility,
        kind: from_json::<EventKind>("event payload", get(row, "payload")?)?,
    })
}

/// Selects a customer row (`FROM customers c`), contact details included, for
/// `customer_from_row`: one statement, so one snapshot. (Without `INDEXED BY`, SQLite may walk
/// every contact of a kind through the primary key instead.)
macro_rules! customer_select {
    () => {
        "SELECT c.id, c.name, c.preferred_channel, c.language, c.important_dates, \
         c.preferences, c.dislikes, c.external_ref, c.created_at, c.updated_at, \
         (SELECT json_group_array(value ORDER BY position) \
           FROM customer_contacts INDEXED BY customer_contacts_by_customer \
           WHERE customer_id = c.id AND kind = 'email') AS emails, \
         (SELECT json_group_array(value ORDER BY position) \
           FROM customer_contacts INDEXED BY customer_contacts_by_customer \
           WHERE customer_id = c.id AND kind = 'phone') AS phones \
         FROM customers c"
    };
}
pub(crate) const CUSTOMER_SELECT: &str = customer_select!();

pub(crate) async fn customer<'e, E>(ex: E, id: Uuid) -> Result<Option<Customer>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query(concat!(customer_select!(), " WHERE c.id = ?"))
        .bind(id)
        .fetch_optional(ex)
        .await
        .map_err(backend)?;
    row.as_ref().map(customer_from_row).transpose()
}

pub(crate) fn customer_from_row(row: &SqliteRow) -> Result<Customer, StoreError> {
    let preferred_channel = get::<Option<&str>>(row, "preferred_channel")?
        .map(|c| ContactChannel::parse(c).ok_or_else(|| corrupt(format!("contact channel {c:?}"))))
        .transpose()?;
    let language = get::<Option<&str>>(row, "language")?
        .map(|l| {
            Language::parse(&mut Invalid::default(), "language", l)
                .ok_or_else(|| corrupt(format!("language {l:?}")))
        })
        .transpose()?;
    Ok(Customer {
        id: CustomerId::from_uuid(get(row, "id")?),
        name: get::<Option<String>>(row, "name")?.map(Text::trusted),
        emails: from_json::<Vec<EmailAddress>>("customer emails", get(row, "emails")?)?,
        phones: from_json::<Vec<PhoneNumber>>("customer phones", get(row, "phones")?)?,
        preferred_channel,
        language,
        important_dates: from_json("important dates", get(row, "important_dates")?)?,
        preferences: from_json("preferences", get(row, "preferences")?)?,
        dislikes: from_json("dislikes", get(row, "dislikes")?)?,
        external_ref: get::<Option<String>>(row, "external_ref")?.map(Text::trusted),
        created_at: parse_timestamp(get(row, "created_at")?)?,
        updated_at: parse_timestamp(get(row, "updated_at")?)?,
    })
}

/// `SELECT <staff columns> <rest>`, for the few fixed staff queries.
macro_rules! staff_sql {
    ($rest:literal) => {
        concat!(
            "SELECT s.id, s.name, s.email, s.role, s.team, s.authority_minor, ",
            "s.authority_currency, s.active, s.created_at ",
            $rest
        )
    };
}
pub(crate) use staff_sql;

pub(crate) async fn staff<'e, E>(ex: E, id: StaffId) -> Result<Option<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query(staff_sql!("FROM staff s WHERE s.id = ?"))
        .bind(id.as_uuid())
        .fetch_optional(ex)
        .await
        .map_err(backend)?;
    row.as_ref().map(staff_from_row).transpose()
}

pub(crate) async fn staff_by_token<'e, E>(ex: E, digest: &[u8]) -> Result<Option<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let row = sqlx::query(staff_sql!(
        "FROM api_tokens t JOIN staff s ON s.id = t.staff_id WHERE t.digest = ?"
    ))
    .bind(digest.to_vec())
    .fetch_optional(ex)
    .await
    .map_err(backend)?;
    row.as_ref().map(staff_from_row).transpose()
}

pub(crate) async fn list_staff<'e, E>(ex: E) -> Result<Vec<Staff>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let rows = sqlx::query(staff_sql!("FROM staff s ORDER BY s.name, s.id"))
        .fetch_all(ex)
        .await
        .map_err(backend)?;
    rows.iter().map(staff_from_row).collect()
}

pub(crate) fn staff_from_row(row: &SqliteRow) -> Result<Staff, StoreError> {
    let email: &str = get(row, "email")?;
    let role: &str = get(row, "role")?;
    let authority_limit = match (
        get::<Option<i64>>(row, "authority_minor")?,
        get::<Option<&str>>(row, "authority_currency")?,
    ) {
        (Some(minor), Some(currency)) => Some(Money::new(
            minor,
            Currency::parse(currency)
                .map_err(|e| corrupt(format!("currency {currency:?}: {e}")))?,
        )),
        _ => None,
    };
    Ok(Staff {
        id: StaffId::from_uuid(get(row, "id")?),
        name: Text::trusted(get::<String>(row, "name")?),
        email: EmailAddress::parse(email)
            .map_err(|e| corrupt(format!("staff email {email:?}: {e}")))?,
        role: Role::parse(role).ok_or_else(|| corrupt(format!("role {role:?}")))?,
        team: get::<Option<String>>(row, "team")?.map(Text::trusted),
        authority_limit,
        active: get(row, "active")?,
        created_at: parse_timestamp(get(row, "created_at")?)?,
    })
}

/// An attachment of `case`, checked against its stored digest.
pub(crate) async fn attachment(
    pool: &SqlitePool,
    case: CaseId,
    id: AttachmentId,
) -> Result<Option<Attachment>, StoreError> {
    let row = sqlx::query(
        "SELECT name, content_type, size, sha256, content FROM attachments \
         WHERE id = ? AND case_id = ?",
    )
    .bind(id.as_uuid())
    .bind(case.as_uuid())
    .fetch_optional(pool)
    .await
    .map_err(backend)?;
    let Some(row) = row else { return Ok(None) };
    StoredAttachment {
        id,
        name: get(&row, "name")?,
        content_type: get(&row, "content_type")?,
        size: get(&row, "size")?,
        sha256: get(&row, "sha256")?,
        content: get(&row, "content")?,
    }
    .into_attachment()
    .map(Some)
}

/// The stored site secret, if there is one.
pub(crate) async fn site_secret(pool: &SqlitePool) -> Result<Option<[u8; 32]>, StoreError> {
    let value: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT value FROM site_secrets WHERE name = 'site'")
            .fetch_optional(pool)
            .await
            .map_err(backend)?;
    value
        .map(|v| {
            <[u8; 32]>::try_from(v.as_slice())
                .map_err(|_| corrupt(format!("site secret of {} bytes", v.len())))
        })
        .transpose()
}

pub(crate) async fn root_causes<'e, E>(ex: E) -> Result<Vec<RootCause>, StoreError>
where
    E: sqlx::Executor<'e, Database = Sqlite>,
{
    let rows = sqlx::query("SELECT code, label, active FROM root_causes ORDER BY position, code")
        .fetch_all(ex)
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|row| {
            let code: &str = get(row, "code")?;
            Ok(RootCause {
                code: RootCauseCode::parse(code)
                    .map_err(|e| corrupt(format!("root cause {code:?}: {e}")))?,
                label: get(row, "label")?,
                active: get(row, "active")?,
            })
        })
        .collect()
}

/// An FTS5 query where every word of the user's text must appear: each run of letters and
/// digits becomes a quoted string, so no operator or syntax reaches FTS5.
/// `None` if the text has no word to look for.
pub(crate) fn fts_query(text: &str) -> Option<String> {
    let mut query = String::new();
    // Terms are the tokenizer's tokens: runs of letters and digits (so "don't" is "don" and
    // "t", as in the index). Single-token terms are all an index without positions can answer;
    // everything else, a NUL among it, only separates them.
    for term in text.split(|c: char| !c.is_alphanumeric()) {
        if term.is_empty() {
            continue;
        }
        if !query.is_empty() {
            query.push(' ');
        }
        // Terms hold only letters and digits, so quoting them needs no escaping.
        query.push('"');
        query.push_str(term);
        query.push('"');
    }
    (!query.is_empty()).then_some(query)
}

pub(crate) fn add<'q, T>(args: &mut SqliteArguments, value: T) -> Result<(), StoreError>
where
    T: sqlx::Encode<'q, Sqlite> + sqlx::Type<Sqlite>,
{
    args.add(value).map_err(StoreError::Backend)
}

/// Above this many matching cases, a search walks the cases in the list's order and checks
/// each against the search index; below, it starts from the matches and sorts them.
const DENSE_SEARCH: i64 = 2_000;

/// How a list query uses the search index.
#[derive(Clone, Debug)]
pub(crate) enum Search {
    /// No words to look for.
    None,
    /// An FTS5 query (`fts_query`) matching many cases (`dense`) or few.
    Words { fts: String, dense: bool },
}

/// The statement of a case list (and its arguments), given how it searches: what `list_cases`
/// runs, and what the plan tests explain.
///
/// Each queue is spelled as its partial index's condition (see the migration `..._queues.sql`):
/// SQLite uses a partial index only when the query repeats the index's terms.
pub(crate) fn list_statement(
    q: &CaseQuery,
    search: &Search,
) -> Result<(String, SqliteArguments), StoreError> {
    let limit = q.effective_limit();
    let mut sql = String::from("SELECT c.state, c.words, cu.name FROM cases c");
    // The few queues whose index SQLite cannot tell apart without statistics (it would walk
    // every case of an owner or a team instead), named. Each index named here is usable
    // whenever it is named: the query below repeats its condition.
    if q.awaiting_owner_on.is_some() && (q.owner.is_some() || q.unassigned) {
        sql.push_str(" INDEXED BY cases_awaiting_owner");
    } else if q.pending_approval {
        sql.push_str(" INDEXED BY cases_pending_approval");
    } else if q.escalated {
        sql.push_str(" INDEXED BY cases_escalated");
    }
    sql.push_str(" JOIN customers cu ON cu.id = c.customer_id WHERE 1 = 1");
    let mut args = SqliteArguments::default();
    // Whether every listed case must be open: said once, as `is_open = 1`, which the partial
    // indexes of the open queues name.
    let mut open_only = false;

    if is_every_open_status(&q.statuses) {
        // What the desk's queues ask for: said as `is_open = 1`, which the open cases' indexes
        // name (a list of statuses would be read from the status index, then sorted).
        open_only = true;
    } else if !q.statuses.is_empty() {
        sql.push_str(" AND c.status IN (");
        for (i, s) in q.statuses.iter().enumerate() {
            sql.push_str(if i == 0 { "?" } else { ", ?" });
            add(&mut args, s.as_str())?;
        }
        sql.push(')');
        open_only |= q.statuses.iter().all(Status::is_open);
    }
    if let Some(kind) = q.kind {
        sql.push_str(" AND c.kind = ?");
        add(&mut args, kind.as_str())?;
    }
    if let Some(owner) = q.owner {
        sql.push_str(" AND c.owner_id = ?");
        add(&mut args, owner.as_uuid())?;
    }
    if q.unassigned {
        sql.push_str(" AND c.owner_id IS NULL");
    }
    if let Some(team) = &q.team {
        sql.push_str(" AND c.team = ?");
        add(&mut args, team.clone())?;
    }
    if let Some(customer) = q.customer {
        sql.push_str(" AND c.customer_id = ?");
        add(&mut args, customer.as_uuid())?;
    }
    if let Some(channel) = q.channel {
        sql.push_str(" AND c.channel = ?");
        add(&mut args, channel.as_str())?;
    }
    if let Some(product) = &q.product {
        sql.push_str(" AND c.product = ?");
        add(&mut args, product.clone())?;
    }
    if let Some(before) = q.received_before {
        sql.push_str(" AND c.created_at < ?");
        add(&mut args, timestamp(before)?)?;
    }
    if let Some(day) = q.overdue_on {
        open_only = true;
        add(&mut args, date(day)?)?;
        // Received on a day before `day - days`: before that day began (UTC). No case was
        // received before the year 1.
        let since = q.standard_days.map(|days| {
            day.checked_sub(time::Duration::days(i64::from(days)))
                .filter(|d| d.year() >= 1)
        });
        match since {
            // Spelled as the partial index's condition, so the index serves it.
            None | Some(None) => sql.push_str(" AND c.needed_by IS NOT NULL AND c.needed_by < ?"),
            Some(Some(since)) => {
                sql.push_str(
                    " AND (c.needed_by < ? OR (c.needed_by IS NULL AND c.created_at < ?))",
                );
                add(&mut args, timestamp(since.midnight().assume_utc())?)?;
            }
        }
    }
    if let Some(day) = q.awaiting_owner_on {
        open_only = true;
        sql.push_str(
            " AND (c.awaiting_owner = 1 OR c.next_due IS NOT NULL) \
             AND (c.awaiting_owner = 1 OR c.next_due <= ?)",
        );
        add(&mut args, date(day)?)?;
    }
    if q.pending_approval {
        sql.push_str(" AND c.pending_approval = 1");
    }
    if q.escalated {
        sql.push_str(" AND c.escalated = 1");
    }
    if open_only {
        sql.push_str(" AND c.is_open = 1");
    }
    if let Search::Words { fts, dense } = search {
        sql.push_str(if *dense {
            // Many matches: walk the cases in order, checking each against the matches
            // (`+c.pk` keeps SQLite from driving the query from the matches instead).
            " AND +c.pk IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)"
        } else {
            // Few: start from the matches and sort them.
            " AND c.pk IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)"
        });
        add(&mut args, fts.clone())?;
    }
    if let Some(after) = q.after {
        sql.push_str(if q.oldest_first {
            " AND c.id > ?"
        } else {
            " AND c.id < ?"
        });
        add(&mut args, after.as_uuid())?;
    }
    sql.push_str(if q.oldest_first {
        " ORDER BY c.id LIMIT ?"
    } else {
        " ORDER BY c.id DESC LIMIT ?"
    });
    // One more than the page, to know whether another page follows.
    add(&mut args, i64::from(limit) + 1)?;
    Ok((sql, args))
}

/// Whether `statuses` are exactly the open ones (in any order, repeats allowed).
fn is_every_open_status(statuses: &[Status]) -> bool {
    !statuses.is_empty()
        && statuses.iter().all(Status::is_open)
        && Status::ALL
            .iter()
            .filter(|s| s.is_open())
            .all(|s| statuses.contains(s))
}

/// How a list query searches (`None` as the outer option: its text can match nothing).
async fn search_of(pool: &SqlitePool, q: &CaseQuery) -> Result<Option<Search>, StoreError> {
    let Some(text) = q.text.as_deref().filter(|t| !t.trim().is_empty()) else {
        return Ok(Some(Search::None));
    };
    let Some(fts) = fts_query(text) else {
        // Only punctuation: no word can match it.
        return Ok(None);
    };
    // How many cases match, counting no further than what decides the plan.
    let matches: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM (SELECT 1 FROM case_search WHERE case_search MATCH ? LIMIT ?)",
    )
    .bind(fts.clone())
    .bind(DENSE_SEARCH + 1)
    .fetch_one(pool)
    .await
    .map_err(backend)?;
    Ok((matches > 0).then_some(Search::Words {
        fts,
        dense: matches > DENSE_SEARCH,
    }))
}

pub(crate) async fn list_cases(pool: &SqlitePool, q: &CaseQuery) -> Result<CasePage, StoreError> {
    let Some(search) = search_of(pool, q).await? else {
        return Ok(CasePage {
            cases: Vec::new(),
            next: None,
        });
    };
    let limit = q.effective_limit() as usize;
    let (sql, args) = list_statement(q, &search)?;
    let rows = sqlx::query_with(sqlx::AssertSqlSafe(sql), args)
        .fetch_all(pool)
        .await
        .map_err(backend)?;
    let more = rows.len() > limit;
    let mut cases = Vec::with_capacity(rows.len().min(limit));
    for row in rows.iter().take(limit) {
        cases.push(CaseListItem {
            case: case_from_state(get(row, "state")?, get(row, "words")?)?,
            customer_name: get(row, "name")?,
        });
    }
    Ok(CasePage::new(cases, more))
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn fts_terms_are_quoted() {
        assert_eq!(fts_query("heater"), Some("\"heater\"".into()));
        assert_eq!(
            fts_query(" heater  \"broke "),
            Some("\"heater\" \"broke\"".into())
        );
        assert_eq!(fts_query("NEAR(a b)"), Some("\"NEAR\" \"a\" \"b\"".into()));
        assert_eq!(
            fts_query("don't\0café"),
            Some("\"don\" \"t\" \"café\"".into())
        );
        assert_eq!(fts_query("* - : ()"), None);
        assert_eq!(fts_query(""), None);
    }
}
