//! The staff API for cases: find them, read their whole story, and act on them. Every action is
//! recorded on the case's timeline; the app checks permissions and the case's current state.

use super::dto::{CaseDetailView, CaseList, StaffCase};
use crate::attachment::attachment_response;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, StaffAuth};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Response;
use redress_app::{
    AcknowledgeDraft, AdviceDraft, App, AppError, ApprovalDraft, AssignDraft, CloseDraft,
    CommitmentDraft, CommitmentOutcomeDraft, KindDraft, MessageDraft, NoteDraft,
    OperationsAnswerDraft, OperationsQuestionDraft, ReasonDraft, RemedyDraft, ResolutionDraft,
};
use redress_domain::{Action, AttachmentId, CaseId, CaseKind, Channel, Invalid, Status};
use redress_store::CaseQuery;
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::IntoParams;

/// A body with nothing in it: `{}` or no body at all.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoFields {}

/// A case id from the path; anything that is not one names no case.
pub(crate) fn case_id(raw: &str) -> Result<CaseId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::App(AppError::NotFound("case")))
}

/// How many days ahead `awaiting_owner=true` looks for promises coming due (as the desk does).
const REMINDER_DAYS: i64 = 2;

/// Filters for the case list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CaseListParams {
    /// Comma-separated statuses, e.g. `new,acknowledged`.
    pub status: Option<String>,
    /// complaint, inquiry, compliment or suggestion.
    pub kind: Option<String>,
    /// A staff id, `me`, or `none` for unassigned cases.
    pub owner: Option<String>,
    pub team: Option<String>,
    /// A customer id: that customer's cases.
    pub customer: Option<String>,
    /// How the case reached us: web, email, api, phone, social or import.
    pub channel: Option<String>,
    /// Cases about this product or service, exactly as recorded.
    pub product: Option<String>,
    /// Only cases received before this moment (RFC 3339, e.g. `2026-11-01T00:00:00Z`).
    #[param(format = DateTime)]
    pub received_before: Option<String>,
    /// Only open cases past the date their customer needed them by or, where they gave none,
    /// received longer ago than the service standard (`first_response_days`).
    #[param(value_type = Option<bool>)]
    pub overdue: Option<String>,
    /// Only open cases waiting for their owner: something they have not answered, an open
    /// request for a supervisor, or a promise due within two days. Usually with `owner=me`.
    #[param(value_type = Option<bool>)]
    pub awaiting_owner: Option<String>,
    /// Only cases with a remedy waiting for a supervisor's approval (whatever their status).
    #[param(value_type = Option<bool>)]
    pub pending_approval: Option<String>,
    /// Only cases where a supervisor was asked to step in and has not answered.
    #[param(value_type = Option<bool>)]
    pub escalated: Option<String>,
    /// Words that must all appear in the customer's words.
    pub q: Option<String>,
    /// `newest` first (the default) or `oldest` first.
    #[param(value_type = Option<ListOrder>, inline)]
    pub order: Option<String>,
    /// The `next` value of the previous page (of the same filters and order).
    pub after: Option<String>,
    /// Page size, 1 to 200 (default 50).
    pub limit: Option<u32>,
}

/// The order of a case list.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)] // Documents the `order` parameter only.
pub enum ListOrder {
    Newest,
    Oldest,
}

/// A yes/no filter: `true` or `false` (absent or empty: `false`).
fn flag(errors: &mut Invalid, field: &str, value: Option<&str>) -> bool {
    match value {
        None | Some("" | "false") => false,
        Some("true") => true,
        Some(_) => {
            errors.add(field, "must be true or false");
            false
        }
    }
}

impl CaseListParams {
    /// The store's query for these filters, asked by `me` on `today`, with the service
    /// standard of `standard_days`.
    fn to_query(
        &self,
        me: redress_domain::StaffId,
        today: time::Date,
        standard_days: u32,
    ) -> Result<CaseQuery, Invalid> {
        let mut errors = Invalid::default();
        let mut query = CaseQuery {
            limit: self.limit.unwrap_or(50),
            ..CaseQuery::default()
        };
        if let Some(statuses) = self.status.as_deref().filter(|s| !s.is_empty()) {
            for s in statuses.split(',') {
                match Status::parse(s.trim()) {
                    Some(status) => query.statuses.push(status),
                    None => errors.add("status", format!("must be among: {}", Status::choices())),
                }
            }
        }
        if let Some(kind) = self.kind.as_deref().filter(|s| !s.is_empty()) {
            query.kind = CaseKind::parse(kind).or_else(|| {
                errors.add("kind", format!("must be one of: {}", CaseKind::choices()));
                None
            });
        }
        match self.owner.as_deref() {
            None | Some("") => {}
            Some("me") => query.owner = Some(me),
            Some("none") => query.unassigned = true,
            Some(id) => match id.parse() {
                Ok(id) => query.owner = Some(id),
                Err(_) => errors.add("owner", "must be a staff id, me or none"),
            },
        }
        query.team = redress_domain::Text::optional(
            &mut errors,
            "team",
            self.team.as_deref(),
            redress_domain::Text::SHORT,
        )
        .map(|t| t.as_str().to_owned());
        if let Some(c) = self.customer.as_deref().filter(|s| !s.is_empty()) {
            match c.parse() {
                Ok(id) => query.customer = Some(id),
                Err(_) => errors.add("customer", "must be a customer id"),
            }
        }
        if let Some(channel) = self.channel.as_deref().filter(|s| !s.is_empty()) {
            query.channel = Channel::parse(channel).or_else(|| {
                errors.add("channel", format!("must be one of: {}", Channel::choices()));
                None
            });
        }
        query.product = redress_domain::Text::optional(
            &mut errors,
            "product",
            self.product.as_deref(),
            redress_domain::Text::SHORT,
        )
        .map(|t| t.as_str().to_owned());
        if let Some(before) = self.received_before.as_deref().filter(|s| !s.is_empty()) {
            match OffsetDateTime::parse(before, &Rfc3339) {
                Ok(t) => query.received_before = Some(t),
                Err(_) => errors.add(
                    "received_before",
                    "must be a date and time such as 2026-11-01T00:00:00Z",
                ),
            }
        }
        if flag(&mut errors, "overdue", self.overdue.as_deref()) {
            query.overdue_on = Some(today);
            query.standard_days = Some(standard_days);
        }
        if flag(
            &mut errors,
            "awaiting_owner",
            self.awaiting_owner.as_deref(),
        ) {
            query.awaiting_owner_on = Some(today + time::Duration::days(REMINDER_DAYS));
        }
        query.pending_approval = flag(
            &mut errors,
            "pending_approval",
            self.pending_approval.as_deref(),
        );
        query.escalated = flag(&mut errors, "escalated", self.escalated.as_deref());
        query.text = redress_domain::Text::optional(
            &mut errors,
            "q",
            self.q.as_deref(),
            redress_domain::Text::SHORT,
        )
        .map(|t| t.as_str().to_owned());
        match self.order.as_deref() {
            None | Some("" | "newest") => {}
            Some("oldest") => query.oldest_first = true,
            Some(_) => errors.add("order", "must be newest or oldest"),
        }
        if let Some(after) = self.after.as_deref().filter(|s| !s.is_empty()) {
            match after.parse() {
                Ok(id) => query.after = Some(id),
                Err(_) => errors.add("after", "must be the next value of a previous page"),
            }
        }
        if !(1..=CaseQuery::MAX_LIMIT).contains(&query.limit) {
            errors.add(
                "limit",
                format!("must be from 1 to {}", CaseQuery::MAX_LIMIT),
            );
        }
        errors.or(query)
    }
}

/// List cases
///
/// Newest first (or oldest first), filtered, one page at a time. The queues of the staff desk
/// are these filters: `owner=me&awaiting_owner=true`, `owner=me&status=...`, `owner=none`,
/// `overdue=true`, `pending_approval=true`, `escalated=true`.
#[utoipa::path(
    get, path = "/cases", tag = "cases", operation_id = "list_cases",
    params(CaseListParams),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = CaseList),
        (status = 401, description = "Missing or wrong API token", body = ErrorBody), (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn list(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    params: Result<Query<CaseListParams>, QueryRejection>,
) -> Result<Json<CaseList>, ApiError> {
    let Query(params) = params.map_err(|e| Invalid::field("query", e.body_text()))?;
    let standard_days = app.settings().first_response_days;
    let query = params.to_query(staff.id, super::dto::today(), standard_days)?;
    Ok(Json(app.list_cases(&staff, &query).await?.into()))
}

/// Read a case with its whole story
///
/// The case, its whole timeline (internal events included), the customer with their
/// preferences and important dates, and the customer's other cases.
#[utoipa::path(
    get, path = "/cases/{id}", tag = "cases", operation_id = "read_case",
    params(("id" = String, Path, description = "The case id")),
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = CaseDetailView), (status = 401, description = "Missing or wrong API token", body = ErrorBody), (status = 404, description = "Not found", body = ErrorBody))
)]
pub async fn detail(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CaseDetailView>, ApiError> {
    let id = case_id(&id)?;
    Ok(Json(app.case_detail(&staff, id).await?.into()))
}

/// Download a file the customer sent with the case
///
/// The file exactly as received, as a download (`Content-Disposition: attachment`) of the type
/// its content showed, never cached. The timeline's `received` event lists a case's files.
#[utoipa::path(
    get, path = "/cases/{id}/attachments/{attachment_id}", tag = "cases",
    operation_id = "download_attachment",
    params(
        ("id" = String, Path, description = "The case id"),
        ("attachment_id" = String, Path, description = "The attachment id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The file",
            content(("image/jpeg"), ("image/png"), ("image/gif"), ("image/webp"), ("application/pdf")),
            headers(
                ("Content-Disposition" = String, description = "attachment, with the file's name"),
                ("X-Content-Type-Options" = String, description = "nosniff"),
                ("Cache-Control" = String, description = "private, no-store"),
            )),
        (status = 401, description = "Missing or wrong API token", body = ErrorBody),
        (status = 404, description = "No such case, or no such file on it", body = ErrorBody),
    )
)]
pub async fn attachment(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    ApiPath((id, attachment_id)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let id = case_id(&id)?;
    let attachment_id: AttachmentId = attachment_id
        .parse()
        .map_err(|_| ApiError::App(AppError::NotFound("attachment")))?;
    let file = app.staff_attachment(&staff, id, attachment_id).await?;
    Ok(attachment_response(&file))
}

/// Find a case by its public reference
#[utoipa::path(
    get, path = "/cases/by-reference/{reference}", tag = "cases",
    params(("reference" = String, Path, description = "e.g. K7M3-9QXA-2BTR")),
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = StaffCase), (status = 401, description = "Missing or wrong API token", body = ErrorBody), (status = 404, description = "Not found", body = ErrorBody))
)]
pub async fn by_reference(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    ApiPath(reference): ApiPath<String>,
) -> Result<Json<StaffCase>, ApiError> {
    let case = app
        .case_by_reference(&staff, &reference)
        .await
        .map_err(|e| match e {
            // A malformed reference names no case.
            AppError::Invalid(_) => AppError::NotFound("case"),
            other => other,
        })?;
    Ok(Json(case.into()))
}

/// Defines a staff action endpoint. The usual form turns the draft body into a domain action for
/// `App::staff_act`; the second takes one more path parameter (the commitment, remedy or
/// question acted on); the `via` form calls an app method of its own (for actions that need
/// facts only the app fills in: the owner, the authority, the root causes).
macro_rules! case_action {
    ($(#[$doc:meta])* $name:ident, $path:literal, $draft:ty,
        via |$app:ident, $staff:ident, $cid:ident, $d:ident| $call:expr) => {
        case_action!(@handler $(#[$doc])* $name, $path, $draft,
            [("id" = String, Path, description = "The case id")], id, id, String,
            |$app, $staff, $cid, $d| $call);
    };
    ($(#[$doc:meta])* $name:ident, $path:literal, $draft:ty, |$d:ident| $action:expr) => {
        case_action!(@emit $(#[$doc])* $name, $path, $draft,
            [("id" = String, Path, description = "The case id")], id, id, String, |$d| $action);
    };
    ($(#[$doc:meta])* $name:ident, $path:literal, $draft:ty,
        |$d:ident, $param:ident = $pname:literal| $action:expr) => {
        case_action!(@emit $(#[$doc])* $name, $path, $draft,
            [("id" = String, Path, description = "The case id"), ($pname = String, Path)],
            id, (id, $param), (String, String), |$d| $action);
    };
    (@emit $(#[$doc:meta])* $name:ident, $path:literal, $draft:ty, [$($params:tt)*],
        $id:ident, $pat:pat, $ty:ty, |$d:ident| $action:expr) => {
        case_action!(@handler $(#[$doc])* $name, $path, $draft, [$($params)*], $id, $pat, $ty,
            |app, staff, id, $d| {
                let action: Action = $action?;
                app.staff_act(&staff, id, action).await
            });
    };
    (@handler $(#[$doc:meta])* $name:ident, $path:literal, $draft:ty, [$($params:tt)*],
        $id:ident, $pat:pat, $ty:ty, |$app:ident, $staff:ident, $cid:ident, $d:ident| $call:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            post, path = $path, tag = "cases",
            params($($params)*),
            request_body = $draft,
            security(("bearer" = [])),
            responses(
                (status = 200, description = "Done, and recorded on the timeline", body = StaffCase),
                (status = 400, description = "Malformed JSON or request", body = ErrorBody), (status = 401, description = "Missing or wrong API token", body = ErrorBody),
                (status = 403, description = "Not allowed for this role", body = ErrorBody), (status = 404, description = "Not found", body = ErrorBody),
                (status = 409, description = "The case's current state does not allow this", body = ErrorBody),
                (status = 422, description = "Fields at fault, each named", body = ErrorBody),
            )
        )]
        pub async fn $name(
            State($app): State<App>,
            StaffAuth($staff): StaffAuth,
            ApiPath($pat): ApiPath<$ty>,
            ApiJson($d): ApiJson<$draft>,
        ) -> Result<Json<StaffCase>, ApiError> {
            let $cid = case_id(&$id)?;
            Ok(Json($call?.into()))
        }
    };
}

case_action!(
    /// Acknowledge a new case
    ///
    /// The first personal answer: restate what the customer said, name who owns it and by when.
    acknowledge, "/cases/{id}/acknowledge", AcknowledgeDraft, |d| d.parse()
);
case_action!(
    /// Start investigating
    investigate, "/cases/{id}/investigate", NoFields, |_d| Ok::<_, ApiError>(Action::Investigate)
);
case_action!(
    /// Write to the customer
    ///
    /// The message shows the writer's name. With `await_customer`, the case waits for their answer.
    message, "/cases/{id}/messages", MessageDraft, |d| d.to_customer()
);
case_action!(
    /// Add an internal note (never shown to the customer)
    note, "/cases/{id}/notes", NoteDraft, |d| d.parse()
);
case_action!(
    /// Change the kind of case (e.g. an inquiry that is really a complaint)
    change_kind, "/cases/{id}/kind", KindDraft, |d| d.parse()
);
case_action!(
    /// Ask operations for their view
    ask_operations, "/cases/{id}/operations-views", OperationsQuestionDraft, |d| d.parse()
);
case_action!(
    /// Record operations' answer
    answer_operations, "/cases/{id}/operations-views/{view_id}/answer", OperationsAnswerDraft,
    |d, view_id = "view_id"| d.parse(&view_id)
);
case_action!(
    /// Make a commitment: what, how and by when
    commit, "/cases/{id}/commitments", CommitmentDraft, |d| d.parse()
);
case_action!(
    /// Mark a commitment kept
    commitment_kept, "/cases/{id}/commitments/{commitment_id}/kept", CommitmentOutcomeDraft,
    |d, commitment_id = "commitment_id"| d.parse(&commitment_id, true)
);
case_action!(
    /// Mark a commitment missed
    commitment_missed, "/cases/{id}/commitments/{commitment_id}/missed", CommitmentOutcomeDraft,
    |d, commitment_id = "commitment_id"| d.parse(&commitment_id, false)
);
case_action!(
    /// Approve a remedy awaiting approval (supervisors and admins)
    approve_remedy, "/cases/{id}/remedies/{remedy_id}/approve", ApprovalDraft,
    |d, remedy_id = "remedy_id"| d.parse(&remedy_id)
);
case_action!(
    /// Refuse a remedy awaiting approval (supervisors and admins)
    refuse_remedy, "/cases/{id}/remedies/{remedy_id}/refuse", ReasonDraft,
    |d, remedy_id = "remedy_id"| d.refuse_remedy(&remedy_id)
);
case_action!(
    /// Propose a resolution for the customer to accept or reject
    propose_resolution, "/cases/{id}/resolution", ResolutionDraft, |d| d.parse()
);
case_action!(
    /// Reopen the case
    reopen, "/cases/{id}/reopen", ReasonDraft, |d| d.reopen()
);
case_action!(
    /// Decline politely: the service asked for is not one we provide
    decline, "/cases/{id}/decline", ReasonDraft, |d| d.decline()
);
case_action!(
    /// Withdraw the case on the customer's behalf
    withdraw, "/cases/{id}/withdraw", ReasonDraft, |d| d.withdraw()
);
case_action!(
    /// Ask a supervisor to step in. The case stays with its owner, who sees the request and the
    /// answer in their queue.
    escalate, "/cases/{id}/escalation", ReasonDraft, |d| d.escalate()
);
case_action!(
    /// A supervisor's answer to a request to step in, routed back to the case's owner
    /// (supervisors and admins only)
    answer_escalation, "/cases/{id}/escalation/answer", AdviceDraft, |d| d.parse()
);

case_action!(
    /// Record what the customer said through another channel (e.g. on the phone)
    customer_message, "/cases/{id}/customer-messages", MessageDraft,
    via |app, staff, id, d| app.record_customer_message(&staff, id, d.from_customer()?).await
);
case_action!(
    /// Assign or transfer the case
    ///
    /// Taking the case from another owner (or team) requires a handover note, so the next owner
    /// never asks the customer to repeat themselves.
    assign, "/cases/{id}/assign", AssignDraft,
    via |app, staff, id, d| app.assign(&staff, id, &d).await
);
case_action!(
    /// Offer a remedy: restitution or goodwill
    ///
    /// Above the offerer's authority limit the remedy waits for a supervisor's approval.
    offer_remedy, "/cases/{id}/remedies", RemedyDraft,
    via |app, staff, id, d| app.offer_remedy(&staff, id, &d).await
);
case_action!(
    /// Close the case with its root cause and lesson
    close, "/cases/{id}/close", CloseDraft,
    via |app, staff, id, d| app.close(&staff, id, &d).await
);
