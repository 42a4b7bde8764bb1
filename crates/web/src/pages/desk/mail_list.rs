//! `/desk/mail`: kept mail newest first in three tabs: what needs a look (failed, or pending
//! for longer than handling takes), machine mail (recorded, never answered), and everything;
//! a page at a time.

use super::mail::{OutcomeWords, outcome_words, rfc3339};
use super::queue::Tab;
use super::session::{DeskNav, DeskStaff};
use super::story::when;
use crate::pages::Pages;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::unavailable;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_domain::MailId;
use redress_store::{MailFilter, MailQuery};
use time::OffsetDateTime;

/// Messages per page of a list.
const PAGE_ROWS: u32 = 50;

/// The tabs of the mail list.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MailTab {
    NeedsALook,
    Machine,
    All,
}

impl MailTab {
    const ALL: [MailTab; 3] = [MailTab::NeedsALook, MailTab::Machine, MailTab::All];

    fn name(self) -> &'static str {
        match self {
            MailTab::NeedsALook => "needs-a-look",
            MailTab::Machine => "machine",
            MailTab::All => "all",
        }
    }

    fn named(name: &str) -> Option<MailTab> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }

    fn filter(self, now: OffsetDateTime) -> MailFilter {
        match self {
            MailTab::NeedsALook => MailFilter::NeedsALook {
                // Pending longer than handling takes: cut short, and taken up again soon.
                pending_before: now - redress_app::STUCK_AFTER,
            },
            MailTab::Machine => MailFilter::Ignored,
            MailTab::All => MailFilter::All,
        }
    }

    fn href(self) -> String {
        format!("/desk/mail?tab={}", self.name())
    }
}

pub(crate) struct MailListRow {
    pub href: String,
    pub received: String,
    pub datetime: String,
    pub source: String,
    pub sender: String,
    pub subject: String,
    pub outcome: OutcomeWords,
}

#[derive(Template)]
#[template(path = "desk_mail_list.html")]
pub(crate) struct MailListPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub heading: String,
    pub tabs: Vec<Tab>,
    pub empty: String,
    pub rows: Vec<MailListRow>,
    pub next_page: Option<String>,
    pub first_page: Option<String>,
}

/// GET /desk/mail
pub(crate) async fn list(
    State(pages): State<Pages>,
    desk: DeskStaff,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let tab = query_param(&uri, "tab")
        .and_then(|t| MailTab::named(&t))
        .unwrap_or(MailTab::NeedsALook);
    let after = query_param(&uri, "after").and_then(|a| a.parse::<MailId>().ok());
    let query = MailQuery {
        filter: tab.filter(OffsetDateTime::now_utc()),
        after,
        limit: PAGE_ROWS,
    };
    let found = match pages.app.list_mail(&desk.staff, &query).await {
        Ok(found) => found,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let (layout, csrf, cookies) = match pages.form_frame(&headers, &uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    };
    let t = &layout.t;
    let rows = found
        .rows
        .iter()
        .map(|row| {
            let s = &row.summary;
            MailListRow {
                href: format!("/desk/mail/{}", s.id),
                received: when(t, s.received_at),
                datetime: rfc3339(s.received_at),
                source: s.source.clone(),
                sender: row
                    .sender
                    .clone()
                    .unwrap_or_else(|| t.get("desk-mail-no-sender")),
                subject: Some(row.subject.clone())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| t.get("desk-mail-no-subject")),
                outcome: outcome_words(t, &s.outcome, row.case.as_ref(), row.automatic.as_ref()),
            }
        })
        .collect();
    let page = MailListPage {
        heading: t.get("desk-mail"),
        tabs: MailTab::ALL
            .into_iter()
            .map(|m| Tab {
                href: m.href(),
                label: t.get(&format!("desk-mail-tab-{}", m.name())),
                current: m == tab,
            })
            .collect(),
        empty: t.get(&format!("desk-mail-tab-{}-empty", tab.name())),
        rows,
        next_page: found
            .next
            .map(|next| format!("{}&after={next}", tab.href())),
        first_page: after.map(|_| tab.href()),
        csrf,
        nav: desk.nav(),
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}
