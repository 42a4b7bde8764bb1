//! The desk's first page: the cases the signed-in person owns and those nobody owns yet, each
//! row saying what the customer is waiting for and by when they need it.

use super::session::DeskStaff;
use crate::pages::Pages;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::unavailable;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_catalogue::Messages;
use redress_domain::Status;
use redress_store::{CasePage, CaseQuery};
use time::OffsetDateTime;

/// One case in a queue.
pub(crate) struct QueueRow {
    pub reference: String,
    pub customer: String,
    pub excerpt: String,
    pub kind: String,
    pub waiting_for: String,
    pub needed_by: Option<String>,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "desk_queue.html")]
pub(crate) struct QueuePage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: super::session::DeskNav,
    pub done: Option<String>,
    pub sections: Vec<QueueSection>,
}

/// One queue on the page.
pub(crate) struct QueueSection {
    pub id: &'static str,
    pub heading: String,
    pub empty: String,
    pub rows: Vec<QueueRow>,
}

const EXCERPT_CHARS: usize = 140;

fn rows(t: &Messages, page: CasePage) -> Vec<QueueRow> {
    let today = OffsetDateTime::now_utc().date();
    page.cases
        .into_iter()
        .map(|item| {
            let case = item.case;
            let excerpt = case.words.excerpt(EXCERPT_CHARS);
            QueueRow {
                reference: case.reference.to_string(),
                customer: item
                    .customer_name
                    .unwrap_or_else(|| t.get("desk-customer-unnamed")),
                excerpt,
                kind: t.get(&format!("desk-kind-{}", case.kind)),
                waiting_for: t.get(&format!("desk-waiting-{}", case.status)),
                needed_by: case.needed_by.map(|d| t.date(d)),
                overdue: case.is_overdue(today),
            }
        })
        .collect()
}

/// GET /desk
pub(crate) async fn show(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let open: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(Status::is_open)
        .collect();
    let mine = CaseQuery {
        statuses: open.clone(),
        owner: Some(desk.staff.id),
        limit: 50,
        ..CaseQuery::default()
    };
    let unassigned = CaseQuery {
        statuses: open,
        unassigned: true,
        limit: 50,
        ..CaseQuery::default()
    };
    let (mine, unassigned) = match (
        pages.app.list_cases(&desk.staff, &mine).await,
        pages.app.list_cases(&desk.staff, &unassigned).await,
    ) {
        (Ok(m), Ok(u)) => (m, u),
        (Err(e), _) | (_, Err(e)) => return unavailable(&pages, &headers, &uri, &e),
    };
    let (layout, csrf, cookies) = match pages.form_frame(&headers, &uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let t = &layout.t;
    let page = QueuePage {
        done: query_param(&uri, "done")
            .filter(|d| d == "password")
            .map(|_| t.get("desk-password-changed")),
        sections: vec![
            QueueSection {
                id: "mine",
                heading: t.get("desk-queue-mine"),
                empty: t.get("desk-queue-mine-empty"),
                rows: rows(t, mine),
            },
            QueueSection {
                id: "unassigned",
                heading: t.get("desk-queue-unassigned"),
                empty: t.get("desk-queue-unassigned-empty"),
                rows: rows(t, unassigned),
            },
        ],
        csrf,
        nav: desk.nav(),
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}
