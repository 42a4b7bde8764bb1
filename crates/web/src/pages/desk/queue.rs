//! The desk's queues. `/desk` is the overview: what waits for the signed-in person (and, for
//! supervisors, the approvals and requests to step in of their team), their cases and the cases
//! nobody owns, a few rows each. `/desk/queues/{queue}` is one queue in full: filtered by
//! status, kind, channel, product and age, searched in the customer's words, sorted, and paged
//! by keyset so that a queue of 100,000 cases reads as fast as one of ten. Each row says what
//! the customer is waiting for and why the case waits for us.

use super::due::REMINDER_DAYS;
use super::session::DeskStaff;
use crate::pages::Pages;
use crate::pages::complain::Choice;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::unavailable;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use redress_catalogue::Messages;
use redress_domain::{Attention, CaseId, CaseKind, Channel, Staff, Status};
use redress_store::{CasePage, CaseQuery};
use time::{Date, Duration, OffsetDateTime};

/// One of the desk's queues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Queue {
    /// The signed-in person's cases where something waits for them, or a promise is near.
    Awaiting,
    Mine,
    Team,
    Unassigned,
    /// Past the customer's date, or past the service standard where they gave none.
    Overdue,
    /// Remedies beyond someone's authority, for supervisors.
    Approvals,
    /// Supervisors asked to step in.
    Escalated,
    /// Every open case.
    All,
}

impl Queue {
    const ALL: &'static [Queue] = &[
        Queue::Awaiting,
        Queue::Mine,
        Queue::Team,
        Queue::Unassigned,
        Queue::Overdue,
        Queue::Approvals,
        Queue::Escalated,
        Queue::All,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Queue::Awaiting => "awaiting",
            Queue::Mine => "mine",
            Queue::Team => "team",
            Queue::Unassigned => "unassigned",
            Queue::Overdue => "overdue",
            Queue::Approvals => "approvals",
            Queue::Escalated => "escalated",
            Queue::All => "all",
        }
    }

    fn named(name: &str) -> Option<Queue> {
        Self::ALL.iter().copied().find(|q| q.name() == name)
    }

    /// The queues this person works from.
    fn for_staff(staff: &Staff) -> Vec<Queue> {
        Self::ALL
            .iter()
            .copied()
            .filter(|q| match q {
                Queue::Team => staff.team.is_some(),
                Queue::Approvals | Queue::Escalated => staff.role.approves_remedies(),
                _ => true,
            })
            .collect()
    }

    /// The question this queue asks of the store, before any filter.
    fn query(self, staff: &Staff, today: Date, standard_days: u32) -> CaseQuery {
        let open: Vec<Status> = Status::ALL
            .iter()
            .copied()
            .filter(Status::is_open)
            .collect();
        // A supervisor of a team decides for that team; admins and supervisors without a team
        // for everyone.
        let supervised_team = match staff.role {
            redress_domain::Role::Admin => None,
            _ => staff.team.as_ref().map(|t| t.as_str().to_owned()),
        };
        let base = CaseQuery {
            statuses: open,
            ..CaseQuery::default()
        };
        match self {
            Queue::Awaiting => CaseQuery {
                owner: Some(staff.id),
                awaiting_owner_on: Some(today + Duration::days(REMINDER_DAYS)),
                ..base
            },
            Queue::Mine => CaseQuery {
                owner: Some(staff.id),
                ..base
            },
            Queue::Team => CaseQuery {
                team: staff.team.as_ref().map(|t| t.as_str().to_owned()),
                ..base
            },
            Queue::Unassigned => CaseQuery {
                unassigned: true,
                ..base
            },
            Queue::Overdue => CaseQuery {
                overdue_on: Some(today),
                standard_days: Some(standard_days),
                ..base
            },
            Queue::Approvals => CaseQuery {
                statuses: Vec::new(),
                pending_approval: true,
                team: supervised_team,
                ..base
            },
            Queue::Escalated => CaseQuery {
                escalated: true,
                team: supervised_team,
                ..base
            },
            Queue::All => base,
        }
    }
}

/// The filters of a queue, as the address carries them.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub(crate) struct Filters {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub channel: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub product: String,
    /// Received more than this many days ago.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub older_than: String,
    /// Words the customer wrote.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub q: String,
    /// "oldest" or "newest" (the default).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub order: String,
    /// The page after this case.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub after: String,
}

impl Filters {
    fn apply(&self, query: &mut CaseQuery, now: OffsetDateTime) {
        if let Some(status) = Status::parse(&self.status) {
            query.statuses = vec![status];
        }
        query.kind = CaseKind::parse(&self.kind);
        query.channel = Channel::parse(&self.channel);
        let product = self.product.trim();
        query.product = (!product.is_empty()).then(|| product.to_owned());
        if let Ok(days) = self.older_than.trim().parse::<u16>() {
            query.received_before = Some(now - Duration::days(i64::from(days)));
        }
        let words = self.q.trim();
        query.text = (!words.is_empty()).then(|| words.to_owned());
        query.oldest_first = self.order == "oldest";
        query.after = self.after.parse::<CaseId>().ok();
    }

    /// The address of this queue with these filters.
    fn href(&self, queue: Queue) -> String {
        let query = serde_urlencoded::to_string(self).unwrap_or_default();
        format!("/desk/queues/{}?{query}", queue.name())
    }
}

/// One case in a queue.
pub(crate) struct QueueRow {
    pub reference: String,
    pub customer: String,
    pub excerpt: String,
    pub kind: String,
    pub waiting_for: String,
    /// The customer's date, else the day our service standard runs out.
    pub needed_by: String,
    /// `needed_by` is our standard, not the customer's date.
    pub by_standard: bool,
    pub overdue: bool,
    pub age: String,
    /// Why the case waits for us: what happened, a promise near its date, a request.
    pub reasons: Vec<String>,
}

/// One queue on a page.
pub(crate) struct QueueSection {
    pub id: &'static str,
    pub heading: String,
    pub empty: String,
    pub rows: Vec<QueueRow>,
    /// On the overview: the way to the whole queue.
    pub more: Option<String>,
}

pub(crate) struct Tab {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "desk_queue.html")]
pub(crate) struct QueuePage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: super::session::DeskNav,
    pub heading: String,
    pub done: Option<String>,
    pub tabs: Vec<Tab>,
    /// On a single queue: its filters, and where the next page is.
    pub filters: Option<FilterForm>,
    pub sections: Vec<QueueSection>,
    pub next_page: Option<String>,
    pub first_page: Option<String>,
}

/// The filter form of a single queue.
pub(crate) struct FilterForm {
    pub action: String,
    pub statuses: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub channels: Vec<Choice>,
    pub ages: Vec<Choice>,
    pub orders: Vec<Choice>,
    pub products: Vec<Choice>,
    pub product: String,
    pub q: String,
}

const EXCERPT_CHARS: usize = 140;
/// Rows per queue on the overview.
const OVERVIEW_ROWS: u32 = 10;
/// Rows per page of a single queue.
const PAGE_ROWS: u32 = 50;

fn rows(t: &Messages, page: &CasePage, today: Date, standard_days: u32) -> Vec<QueueRow> {
    let soon = today + Duration::days(REMINDER_DAYS);
    page.cases
        .iter()
        .map(|item| {
            let case = &item.case;
            let mut reasons: Vec<String> = case
                .awaiting_owner
                .iter()
                .map(|a| t.get(&format!("desk-attention-{a}")))
                .collect();
            if let Some(due) = case.next_commitment_due().filter(|d| *d <= soon) {
                reasons.push(t.format("desk-reason-promise", &[("date", t.date(due).into())]));
            }
            // An open request says so once, whoever asked.
            if case.escalation.is_some()
                && !case.awaiting_owner.contains(&Attention::SupervisorAsked)
            {
                reasons.push(t.get("desk-attention-supervisor_asked"));
            }
            if case.pending_approvals().next().is_some() {
                reasons.push(t.get("desk-reason-approval"));
            }
            let days = (today - case.created_at.date()).whole_days().max(0);
            QueueRow {
                reference: case.reference.to_string(),
                customer: item
                    .customer_name
                    .clone()
                    .unwrap_or_else(|| t.get("desk-customer-unnamed")),
                excerpt: case.words.excerpt(EXCERPT_CHARS),
                kind: t.get(&format!("desk-kind-{}", case.kind)),
                waiting_for: t.get(&format!("desk-waiting-{}", case.status)),
                needed_by: t.date(case.due_by(standard_days)),
                by_standard: case.needed_by.is_none(),
                overdue: case.is_overdue_against(today, standard_days),
                age: t.format("desk-age", &[("days", days.into())]),
                reasons,
            }
        })
        .collect()
}

fn tabs(t: &Messages, staff: &Staff, current: Option<Queue>) -> Vec<Tab> {
    let mut tabs = vec![Tab {
        href: "/desk".to_owned(),
        label: t.get("desk-queue-overview"),
        current: current.is_none(),
    }];
    tabs.extend(Queue::for_staff(staff).into_iter().map(|q| Tab {
        href: format!("/desk/queues/{}", q.name()),
        label: t.get(&format!("desk-queue-{}", q.name())),
        current: current == Some(q),
    }));
    tabs
}

fn options<'a>(
    values: impl IntoIterator<Item = (&'a str, String)>,
    chosen: &str,
    any: String,
) -> Vec<Choice> {
    let mut list = vec![Choice {
        value: String::new(),
        label: any,
        selected: chosen.is_empty(),
    }];
    list.extend(values.into_iter().map(|(value, label)| Choice {
        selected: value == chosen,
        value: value.to_owned(),
        label,
    }));
    list
}

/// GET /desk: the overview.
pub(crate) async fn show(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let standard = pages.app.settings().first_response_days;
    let mut wanted = vec![Queue::Awaiting];
    if desk.staff.role.approves_remedies() {
        wanted.extend([Queue::Approvals, Queue::Escalated]);
    }
    wanted.extend([Queue::Mine, Queue::Unassigned]);
    let mut pages_found = Vec::with_capacity(wanted.len());
    for queue in &wanted {
        let query = CaseQuery {
            limit: OVERVIEW_ROWS,
            ..queue.query(&desk.staff, today, standard)
        };
        match pages.app.list_cases(&desk.staff, &query).await {
            Ok(page) => pages_found.push((*queue, page)),
            Err(e) => return unavailable(&pages, &headers, &uri, &e),
        }
    }
    let (layout, csrf, cookies) = match pages.form_frame(&headers, &uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let t = &layout.t;
    let sections = pages_found
        .iter()
        // Approvals and requests to step in show only when there are some.
        .filter(|(q, page)| {
            !matches!(q, Queue::Approvals | Queue::Escalated) || !page.cases.is_empty()
        })
        .map(|(q, page)| QueueSection {
            id: q.name(),
            heading: t.get(&format!("desk-queue-{}", q.name())),
            empty: t.get(&format!("desk-queue-{}-empty", q.name())),
            rows: rows(t, page, today, standard),
            more: page.next.map(|_| format!("/desk/queues/{}", q.name())),
        })
        .collect();
    let page = QueuePage {
        heading: t.get("desk-queues"),
        done: query_param(&uri, "done")
            .filter(|d| d == "password")
            .map(|_| t.get("desk-password-changed")),
        tabs: tabs(t, &desk.staff, None),
        filters: None,
        sections,
        next_page: None,
        first_page: None,
        csrf,
        nav: desk.nav(),
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}

/// GET /desk/queues/{queue}: one queue, filtered, sorted and paged.
pub(crate) async fn show_queue(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path(name): Path<String>,
    filters: Result<Query<Filters>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Some(queue) = Queue::named(&name).filter(|q| Queue::for_staff(&desk.staff).contains(q))
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let filters = filters.map(|Query(f)| f).unwrap_or_default();
    let now = OffsetDateTime::now_utc();
    let today = now.date();
    let settings = pages.app.settings();
    let mut query = CaseQuery {
        limit: PAGE_ROWS,
        ..queue.query(&desk.staff, today, settings.first_response_days)
    };
    filters.apply(&mut query, now);
    let found = match pages.app.list_cases(&desk.staff, &query).await {
        Ok(page) => page,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let (layout, csrf, cookies) = match pages.form_frame(&headers, &uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let t = &layout.t;
    let next_page = found.next.map(|next| {
        Filters {
            after: next.to_string(),
            ..filters.clone()
        }
        .href(queue)
    });
    let first_page = (!filters.after.is_empty()).then(|| {
        Filters {
            after: String::new(),
            ..filters.clone()
        }
        .href(queue)
    });
    let form = FilterForm {
        action: format!("/desk/queues/{}", queue.name()),
        statuses: options(
            Status::ALL
                .iter()
                .map(|s| (s.as_str(), t.get(&format!("desk-status-{s}")))),
            &filters.status,
            t.get("desk-filter-any"),
        ),
        kinds: options(
            CaseKind::ALL
                .iter()
                .map(|k| (k.as_str(), t.get(&format!("desk-kind-{k}")))),
            &filters.kind,
            t.get("desk-filter-any"),
        ),
        channels: options(
            Channel::ALL
                .iter()
                .map(|c| (c.as_str(), t.get(&format!("desk-channel-{c}")))),
            &filters.channel,
            t.get("desk-filter-any"),
        ),
        ages: options(
            [("1", 1), ("3", 3), ("7", 7), ("14", 14), ("30", 30)]
                .into_iter()
                .map(|(v, d)| (v, t.format("desk-filter-older", &[("days", d.into())]))),
            &filters.older_than,
            t.get("desk-filter-any-age"),
        ),
        orders: vec![
            Choice {
                value: "newest".to_owned(),
                label: t.get("desk-order-newest"),
                selected: filters.order != "oldest",
            },
            Choice {
                value: "oldest".to_owned(),
                label: t.get("desk-order-oldest"),
                selected: filters.order == "oldest",
            },
        ],
        products: settings
            .products
            .iter()
            .map(|p| Choice {
                value: p.clone(),
                label: p.clone(),
                selected: filters.product == *p,
            })
            .collect(),
        product: filters.product.clone(),
        q: filters.q.clone(),
    };
    let section = QueueSection {
        id: queue.name(),
        heading: t.get(&format!("desk-queue-{}", queue.name())),
        empty: t.get(&format!("desk-queue-{}-empty", queue.name())),
        rows: rows(t, &found, today, settings.first_response_days),
        more: None,
    };
    let page = QueuePage {
        heading: section.heading.clone(),
        done: None,
        tabs: tabs(t, &desk.staff, Some(queue)),
        filters: Some(form),
        sections: vec![section],
        next_page,
        first_page,
        csrf,
        nav: desk.nav(),
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}
