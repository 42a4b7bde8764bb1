//! Questions asked of the store about many cases at once.

use redress_domain::{Case, CaseId, CaseKind, CustomerId, StaffId, Status};
use time::Date;

/// Which events of a timeline to return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineView {
    /// Everything: for staff.
    All,
    /// Only what the customer may see: for the customer's own page.
    CustomerVisible,
}

/// Filters for listing cases. Empty filters match everything.
#[derive(Clone, Debug, Default)]
pub struct CaseQuery {
    /// Any of these statuses (empty = any status).
    pub statuses: Vec<Status>,
    pub kind: Option<CaseKind>,
    pub owner: Option<StaffId>,
    /// Only cases nobody owns.
    pub unassigned: bool,
    pub team: Option<String>,
    pub customer: Option<CustomerId>,
    /// Only open cases whose customer needed them resolved before this date.
    pub overdue_on: Option<Date>,
    /// Words that must all appear in the customer's words (full-text search).
    pub text: Option<String>,
    /// Continue after this case (the previous page's `next`).
    pub after: Option<CaseId>,
    /// Page size; backends cap it at `CaseQuery::MAX_LIMIT`.
    pub limit: u32,
}

impl CaseQuery {
    pub const MAX_LIMIT: u32 = 200;

    pub fn effective_limit(&self) -> u32 {
        self.limit.clamp(1, Self::MAX_LIMIT)
    }
}

/// One row of a case list.
#[derive(Clone, Debug)]
pub struct CaseListItem {
    pub case: Case,
    pub customer_name: Option<String>,
}

/// A page of cases, newest first.
#[derive(Clone, Debug)]
pub struct CasePage {
    pub cases: Vec<CaseListItem>,
    /// Pass as `CaseQuery::after` for the next page; `None` on the last page.
    pub next: Option<CaseId>,
}

impl CasePage {
    /// A page of `cases`; `more` when the query found cases beyond it (backends fetch one row
    /// more than the page holds, so that a last page is known as such: no empty page after it).
    pub fn new(cases: Vec<CaseListItem>, more: bool) -> CasePage {
        let next = if more {
            cases.last().map(|item| item.case.id)
        } else {
            None
        };
        CasePage { cases, next }
    }
}
