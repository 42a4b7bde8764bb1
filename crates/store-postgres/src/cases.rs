//! Cases: reading them back, version-guarded changes, timelines and lists (intake is in `intake`).

use crate::PgStore;
use crate::error::{corrupt, map_err};
use async_trait::async_trait;
use redress_domain::{
    Actor, Attachment, AttachmentId, Case, CaseId, CaseRef, Event, EventKind, Status, Text,
    TokenDigest, Visibility,
};
use redress_store::{
    CaseChange, CaseListItem, CasePage, CaseQuery, CaseStore, CreatedCase, NewCase, StoreError,
    TimelineView,
};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::types::Json;
use sqlx::{Postgres, QueryBuilder, Row};
use time::{Date, OffsetDateTime};

/// The statuses in which a case is no longer open (`!Status::is_open`), as the SQL below and the
/// partial index `cases_overdue_idx` write them. A unit test keeps the two in step.
const NOT_OPEN_SQL: &str = "('resolved', 'closed', 'declined', 'withdrawn')";

/// The timeline columns of some events, as arrays for `UNNEST`.
pub(crate) struct EventArrays<'a> {
    seq: Vec<i64>,
    at: Vec<OffsetDateTime>,
    actor: Vec<Json<&'a Actor>>,
    visibility: Vec<&'static str>,
    kind: Vec<&'static str>,
    payload: Vec<Json<&'a EventKind>>,
}

impl<'a> EventArrays<'a> {
    pub(crate) fn of(events: &'a [Event]) -> Self {
        EventArrays {
            seq: events.iter().map(|e| i64::from(e.seq)).collect(),
            at: events.iter().map(|e| e.at).collect(),
            actor: events.iter().map(|e| Json(&e.actor)).collect(),
            visibility: events.iter().map(|e| e.visibility.as_str()).collect(),
            kind: events.iter().map(|e| e.kind.name()).collect(),
            payload: events.iter().map(|e| Json(&e.kind)).collect(),
        }
    }

    /// Binds the arrays as the next six parameters.
    pub(crate) fn bind(
        self,
        q: Query<'a, Postgres, PgArguments>,
    ) -> Query<'a, Postgres, PgArguments> {
        q.bind(self.seq)
            .bind(self.at)
            .bind(self.actor)
            .bind(self.visibility)
            .bind(self.kind)
            .bind(self.payload)
    }
}

/// The columns the desk's queues filter on, derived from the case's state on every write (see
/// `migrations/0005_queues.sql`, which fills them for cases stored before).
pub(crate) struct QueueColumns<'a> {
    awaiting_owner: bool,
    next_due: Option<Date>,
    pending_approval: bool,
    escalated: bool,
    product: Option<&'a str>,
}

impl<'a> QueueColumns<'a> {
    pub(crate) fn of(case: &'a Case) -> Self {
        QueueColumns {
            awaiting_owner: !case.awaiting_owner.is_empty() || case.escalation.is_some(),
            next_due: case.next_commitment_due(),
            pending_approval: case.pending_approvals().next().is_some(),
            escalated: case.escalation.is_some(),
            product: case.subject.product.as_ref().map(Text::as_str),
        }
    }

    /// Binds the columns as the next five parameters (awaiting_owner, next_due,
    /// pending_approval, escalated, product).
    pub(crate) fn bind(
        self,
        q: Query<'a, Postgres, PgArguments>,
    ) -> Query<'a, Postgres, PgArguments> {
        q.bind(self.awaiting_owner)
            .bind(self.next_due)
            .bind(self.pending_approval)
            .bind(self.escalated)
            .bind(self.product)
    }
}

/// The `UNNEST` of `EventArrays` bound from parameter `$n` on, as `e(seq, at, actor, visibility,
/// type, payload)`.
macro_rules! events_from {
    ($first:literal, $second:literal, $third:literal, $fourth:literal, $fifth:literal, $sixth:literal) => {
        concat!(
            "UNNEST($",
            $first,
            "::bigint[], $",
            $second,
            "::timestamptz[], $",
            $third,
            "::jsonb[], $",
            $fourth,
            "::text[], $",
            $fifth,
            "::text[], $",
            $sixth,
            "::jsonb[]) AS e(seq, at, actor, visibility, type, payload)"
        )
    };
}
pub(crate) use events_from;

fn case_from_row(row: &PgRow) -> Result<Case, StoreError> {
    let Json(case): Json<Case> = row.try_get("state").map_err(map_err)?;
    Ok(case)
}

fn event_from_row(case_id: CaseId, row: &PgRow) -> Result<Event, StoreError> {
    let seq: i64 = row.try_get("seq").map_err(map_err)?;
    let visibility: String = row.try_get("visibility").map_err(map_err)?;
    let Json(actor): Json<Actor> = row.try_get("actor").map_err(map_err)?;
    let Json(kind): Json<EventKind> = row.try_get("payload").map_err(map_err)?;
    Ok(Event {
        case_id,
        seq: u32::try_from(seq).map_err(|e| corrupt("event seq", e))?,
        at: row.try_get("at").map_err(map_err)?,
        actor,
        visibility: match visibility.as_str() {
            "customer" => Visibility::Customer,
            "internal" => Visibility::Internal,
            other => return Err(corrupt("event visibility", other)),
        },
        kind,
    })
}

impl PgStore {
    async fn fetch_case(
        &self,
        sql: &'static str,
        bind: impl FnOnce(Query<'_, Postgres, PgArguments>) -> Query<'_, Postgres, PgArguments>,
    ) -> Result<Option<Case>, StoreError> {
        bind(sqlx::query(sql))
            .fetch_optional(&self.pool)
            .await
            .map_err(map_err)?
            .map(|row| case_from_row(&row))
            .transpose()
    }

    async fn case_exists(&self, id: CaseId) -> Result<bool, StoreError> {
        sqlx::query_scalar::<_, bool>("SELECT EXISTS (SELECT 1 FROM cases WHERE id = $1)")
            .bind(id.as_uuid())
            .fetch_one(&self.pool)
            .await
            .map_err(map_err)
    }
}

#[async_trait]
impl CaseStore for PgStore {
    async fn create_case(&self, new: NewCase) -> Result<CreatedCase, StoreError> {
        self.intake(&new).await
    }

    async fn case(&self, id: CaseId) -> Result<Case, StoreError> {
        self.fetch_case("SELECT state FROM cases WHERE id = $1", |q| {
            q.bind(id.as_uuid())
        })
        .await?
        .ok_or(StoreError::NotFound { what: "case" })
    }

    async fn case_by_token(&self, token: &TokenDigest) -> Result<Option<Case>, StoreError> {
        let digest = token.as_bytes().to_vec();
        self.fetch_case(
            "SELECT state FROM cases WHERE token_digest = $1 \
             OR id = (SELECT case_id FROM case_links WHERE digest = $1)",
            |q| q.bind(digest),
        )
        .await
    }

    async fn case_by_reference(&self, reference: &CaseRef) -> Result<Option<Case>, StoreError> {
        let reference = reference.as_str().to_owned();
        self.fetch_case("SELECT state FROM cases WHERE reference = $1", |q| {
            q.bind(reference)
        })
        .await
    }

    async fn record(&self, change: CaseChange) -> Result<(), StoreError> {
        let case = &change.case;
        // One statement, so one transaction: the version-guarded update and the new events are
        // written together or not at all. A concurrent writer holding the row makes this wait,
        // then see the new version and match nothing.
        let sql = if change.events.is_empty() {
            // Nothing to append: the update alone, through the same guard.
            "UPDATE cases SET kind = $3, status = $4, owner_id = $5, team = $6, \
                 needed_by = $7, updated_at = $8, version = $9, words = $10, state = $11, \
                 awaiting_owner = $12, next_due = $13, pending_approval = $14, escalated = $15, \
                 product = $16 \
             WHERE id = $1 AND version = $2"
        } else {
            concat!(
                "WITH u AS (\
                     UPDATE cases SET kind = $3, status = $4, owner_id = $5, team = $6, \
                         needed_by = $7, updated_at = $8, version = $9, words = $10, \
                         state = $11, awaiting_owner = $12, next_due = $13, \
                         pending_approval = $14, escalated = $15, product = $16 \
                     WHERE id = $1 AND version = $2 \
                     RETURNING id) \
                 INSERT INTO case_events (case_id, seq, at, actor, visibility, type, payload) \
                 SELECT u.id, e.seq, e.at, e.actor, e.visibility, e.type, e.payload \
                 FROM u, ",
                events_from!("17", "18", "19", "20", "21", "22")
            )
        };
        let update = sqlx::query(sql)
            .bind(case.id.as_uuid())
            .bind(i64::from(change.expected_version))
            .bind(case.kind.as_str())
            .bind(case.status.as_str())
            .bind(case.owner.as_ref().map(|o| o.id.as_uuid()))
            .bind(case.team.as_ref().map(Text::as_str))
            .bind(case.needed_by)
            .bind(case.updated_at)
            .bind(i64::from(case.version))
            .bind(case.words.as_str())
            .bind(Json(case));
        let update = QueueColumns::of(case).bind(update);
        let update = if change.events.is_empty() {
            update
        } else {
            EventArrays::of(&change.events).bind(update)
        };
        let written = if change.attachments.is_empty() {
            update
                .execute(&self.pool)
                .await
                .map_err(map_err)?
                .rows_affected()
        } else {
            // Files come with the change or not at all.
            let mut tx = self.pool.begin().await.map_err(map_err)?;
            let written = update
                .execute(&mut *tx)
                .await
                .map_err(map_err)?
                .rows_affected();
            if written > 0 {
                crate::attachments::insert_for(
                    &mut tx,
                    case.id,
                    case.updated_at,
                    &change.attachments,
                )
                .await
                .map_err(map_err)?;
                tx.commit().await.map_err(map_err)?;
            }
            written
        };
        if written > 0 {
            return Ok(());
        }
        if self.case_exists(case.id).await? {
            Err(StoreError::conflict("version"))
        } else {
            Err(StoreError::NotFound { what: "case" })
        }
    }

    async fn timeline(&self, id: CaseId, view: TimelineView) -> Result<Vec<Event>, StoreError> {
        let sql = match view {
            TimelineView::All => {
                "SELECT seq, at, actor, visibility, payload FROM case_events \
                 WHERE case_id = $1 ORDER BY seq"
            }
            TimelineView::CustomerVisible => {
                "SELECT seq, at, actor, visibility, payload FROM case_events \
                 WHERE case_id = $1 AND visibility = 'customer' ORDER BY seq"
            }
        };
        let rows = sqlx::query(sql)
            .bind(id.as_uuid())
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        // Every case has its Received event, so no rows (for all events) means no case; the
        // customer's view may be empty for a case that exists.
        if rows.is_empty() && (view == TimelineView::All || !self.case_exists(id).await?) {
            return Err(StoreError::NotFound { what: "case" });
        }
        rows.iter().map(|row| event_from_row(id, row)).collect()
    }

    async fn attachment(
        &self,
        case: CaseId,
        id: AttachmentId,
    ) -> Result<Option<Attachment>, StoreError> {
        self.read_attachment(case, id).await
    }

    async fn list_cases(&self, query: &CaseQuery) -> Result<CasePage, StoreError> {
        let limit = query.effective_limit() as usize;
        let mut q = list_statement(query);
        // An unnamed statement is planned with the actual values each time: how selective a
        // status, team or search word is decides between indexes.
        let rows = q
            .build()
            .persistent(false)
            .fetch_all(&self.pool)
            .await
            .map_err(map_err)?;
        let more = rows.len() > limit;
        let cases = rows
            .iter()
            .take(limit)
            .map(|row| {
                Ok(CaseListItem {
                    case: case_from_row(row)?,
                    customer_name: row.try_get("customer_name").map_err(map_err)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(CasePage::new(cases, more))
    }
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

/// The statement of a case list: first the page's ids, from the filter columns alone (an
/// index-only scan of one of the (column, id) indexes when the visibility map allows), then the
/// state and the customer's name of those few cases only.
///
/// Open cases are asked for as `status NOT IN NOT_OPEN_SQL`, and each queue as its partial
/// index's condition (see `migrations/0005_queues.sql`), so the planner can prove the partial
/// indexes usable.
pub(crate) fn list_statement(query: &CaseQuery) -> QueryBuilder<Postgres> {
    let limit = query.effective_limit() as usize;
    let mut q = QueryBuilder::<Postgres>::new(
        "SELECT c.state, cu.name AS customer_name \
             FROM (SELECT c.id FROM cases c WHERE TRUE",
    );
    // Whether every listed case must be open: said once.
    let mut open_only = false;
    match query.statuses.as_slice() {
        [] => {}
        // The desk's queues: as the open queues' partial indexes say it.
        every_open if is_every_open_status(every_open) => open_only = true,
        [one] => {
            q.push(" AND c.status = ").push_bind(one.as_str());
        }
        many => {
            let many: Vec<&'static str> = many.iter().map(Status::as_str).collect();
            q.push(" AND c.status = ANY(").push_bind(many).push(")");
        }
    }
    if let Some(kind) = query.kind {
        q.push(" AND c.kind = ").push_bind(kind.as_str());
    }
    if let Some(owner) = query.owner {
        q.push(" AND c.owner_id = ").push_bind(owner.as_uuid());
    }
    if query.unassigned {
        q.push(" AND c.owner_id IS NULL");
    }
    if let Some(team) = &query.team {
        q.push(" AND c.team = ").push_bind(team.clone());
    }
    if let Some(customer) = query.customer {
        q.push(" AND c.customer_id = ")
            .push_bind(customer.as_uuid());
    }
    if let Some(channel) = query.channel {
        q.push(" AND c.channel = ").push_bind(channel.as_str());
    }
    if let Some(product) = &query.product {
        q.push(" AND c.product = ").push_bind(product.clone());
    }
    if let Some(before) = query.received_before {
        q.push(" AND c.created_at < ").push_bind(before);
    }
    if let Some(date) = query.overdue_on {
        open_only = true;
        match query.standard_days {
            // Written as the partial index cases_overdue_idx is, so the planner can use it.
            None => {
                q.push(" AND c.needed_by < ").push_bind(date);
            }
            Some(days) => {
                q.push(" AND (c.needed_by < ").push_bind(date);
                // Received on a day before `date - days`: before that day began (UTC). No case
                // was received before the year 1.
                if let Some(since) = date
                    .checked_sub(time::Duration::days(i64::from(days)))
                    .filter(|d| d.year() >= 1)
                {
                    q.push(" OR (c.needed_by IS NULL AND c.created_at < ")
                        .push_bind(since.midnight().assume_utc())
                        .push(")");
                }
                q.push(")");
            }
        }
    }
    if let Some(date) = query.awaiting_owner_on {
        open_only = true;
        q.push(
            " AND (c.awaiting_owner OR c.next_due IS NOT NULL) \
             AND (c.awaiting_owner OR c.next_due <= ",
        )
        .push_bind(date)
        .push(")");
    }
    if query.pending_approval {
        q.push(" AND c.pending_approval");
    }
    if query.escalated {
        q.push(" AND c.escalated");
    }
    if open_only {
        q.push(" AND c.status NOT IN ").push(NOT_OPEN_SQL);
    }
    // Text with no word in it searches for nothing in particular: no filter. Otherwise every
    // word must appear: punctuation becomes space, as in `words_tsv`, and plainto_tsquery
    // reads what is left as plain words, never as syntax. PostgreSQL text cannot hold NUL,
    // which is no word character anyway.
    if let Some(text) = query
        .text
        .as_deref()
        .filter(|t| t.chars().any(char::is_alphanumeric))
    {
        q.push(
            " AND c.words_tsv @@ plainto_tsquery('simple', \
             regexp_replace(",
        )
        .push_bind(text.replace('\0', " "))
        .push(", '[[:punct:]]+', ' ', 'g'))");
    }
    let order = if query.oldest_first { "ASC" } else { "DESC" };
    if let Some(after) = query.after {
        q.push(if query.oldest_first {
            " AND c.id > "
        } else {
            " AND c.id < "
        })
        .push_bind(after.as_uuid());
    }
    q.push(" ORDER BY c.id ")
        .push(order)
        .push(" LIMIT ")
        .push_bind(i64::try_from(limit + 1).unwrap_or(i64::MAX))
        .push(
            ") AS page \
             JOIN cases c ON c.id = page.id \
             LEFT JOIN customers cu ON cu.id = c.customer_id \
             ORDER BY c.id ",
        )
        .push(order);
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_open_sql_agrees_with_the_domain() {
        let not_open: Vec<String> = Status::ALL
            .iter()
            .filter(|s| !s.is_open())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        assert_eq!(NOT_OPEN_SQL, format!("({})", not_open.join(", ")));
    }

    #[test]
    fn partial_indexes_say_open_as_the_queries_do() {
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0005_queues.sql"),
        ] {
            let said = sql.matches("status NOT IN ").count();
            assert!(said > 0);
            assert_eq!(
                sql.matches(&format!("status NOT IN {NOT_OPEN_SQL}"))
                    .count(),
                said,
                "every partial index names the open statuses as NOT_OPEN_SQL"
            );
        }
    }

    #[test]
    fn migration_seeds_the_default_root_causes_in_order() {
        let sql = include_str!("../migrations/0001_initial.sql");
        let seeded: Vec<(String, String)> = sql
            .lines()
            .filter_map(|l| {
                let l = l.trim().strip_prefix("('")?;
                let (code, rest) = l.split_once("', '")?;
                let (label, _) = rest.rsplit_once("', ")?;
                Some((code.to_owned(), label.replace("''", "'")))
            })
            .collect();
        let defaults: Vec<(String, String)> = redress_domain::RootCause::DEFAULTS
            .iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect();
        assert_eq!(seeded, defaults);
    }
}
