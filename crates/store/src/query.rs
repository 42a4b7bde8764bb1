//! Questions asked of the store about many cases at once.

use redress_domain::{Case, CaseId, CaseKind, Channel, CustomerId, StaffId, Status};
use time::{Date, OffsetDateTime};

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
    /// With `overdue_on`: a case without the customer's date is overdue once it was received
    /// more than this many days before that date (the configured service standard).
    pub standard_days: Option<u32>,
    pub channel: Option<Channel>,
    /// Cases about this product or service, exactly as recorded.
    pub product: Option<String>,
    /// Only cases received before this moment (how old a case is).
    pub received_before: Option<OffsetDateTime>,
    /// Only open cases waiting for their owner: something they have not answered
    /// (`Case::awaiting_owner`), an open request for a supervisor, or an open commitment due on
    /// or before this date. Usually with `owner`.
    pub awaiting_owner_on: Option<Date>,
    /// Only cases with a remedy waiting for a supervisor's approval.
    pub pending_approval: bool,
    /// Only cases where a supervisor was asked to step in and has not answered.
    pub escalated: bool,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
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

/// A page of cases, in the order the query asked for.
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
