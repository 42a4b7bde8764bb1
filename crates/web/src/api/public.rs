//! The public API: no account needed. Anyone may tell us what happened; the holder of a tracking
//! token may follow that one case and answer us. A wrong token is a plain 404 that reveals
//! nothing about which cases exist.

use super::dto::{CustomerCase, Submission};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::State;
use axum::http::StatusCode;
use axum::{Extension, Json};
use redress_app::{App, FollowUpDraft, MessageDraft, ReasonDraft, RejectionDraft};
use redress_catalogue::Catalogue;
use redress_domain::{Action, Channel, IntakeDraft};
use std::sync::Arc;

/// Tell us what happened
///
/// Files a complaint (or an inquiry, compliment or suggestion) without an account. A 201 means
/// the case is durably stored. The answer restates what the customer said, who will answer and
/// by when, and carries the private tracking token.
#[utoipa::path(
    post, path = "/cases", tag = "public", operation_id = "submit_case",
    request_body = IntakeDraft,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 201, description = "Received and durably stored", body = Submission),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn submit(
    State(app): State<App>,
    Extension(catalogue): Extension<Arc<Catalogue>>,
    ApiJson(draft): ApiJson<IntakeDraft>,
) -> Result<(StatusCode, Json<Submission>), ApiError> {
    // Files come through the pages' form; the JSON API takes none (yet).
    let submitted = app.submit(&draft, Channel::Api, Vec::new()).await?;
    // In the language the customer asked for, when we speak it.
    let t = catalogue.messages_for(submitted.case.language.as_ref().map(|l| l.as_str()));
    let body = Submission::new(
        &submitted.case,
        submitted.token.reveal(),
        &app.settings(),
        &t,
    );
    Ok((StatusCode::CREATED, Json(body)))
}

/// The API's answers to customers speak from the same catalogue as the pages.
type Words = Extension<Arc<Catalogue>>;

async fn view(
    app: &App,
    words: &Arc<Catalogue>,
    token: &str,
) -> Result<Json<CustomerCase>, ApiError> {
    let view = app.customer_view(token).await?;
    let t = words.messages_for(view.case.language.as_ref().map(|l| l.as_str()));
    Ok(Json(CustomerCase::new(view, &t)))
}

async fn act(
    app: &App,
    words: &Arc<Catalogue>,
    token: &str,
    action: Action,
) -> Result<Json<CustomerCase>, ApiError> {
    app.customer_act(token, action).await?;
    view(app, words, token).await
}

/// Follow your case
///
/// The case as its customer sees it: customer-visible events only.
#[utoipa::path(
    get, path = "/track/{token}", tag = "public", operation_id = "track_case",
    params(("token" = String, Path, description = "The private tracking token")),
    responses(
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "No case has this token", body = ErrorBody),
    )
)]
pub async fn track(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
) -> Result<Json<CustomerCase>, ApiError> {
    view(&app, &words, &token).await
}

/// Write to us about your case
#[utoipa::path(
    post, path = "/track/{token}/messages", tag = "public", operation_id = "customer_reply",
    params(("token" = String, Path, description = "The private tracking token")),
    request_body = MessageDraft,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "Not found", body = ErrorBody), (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn reply(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
    ApiJson(draft): ApiJson<MessageDraft>,
) -> Result<Json<CustomerCase>, ApiError> {
    act(&app, &words, &token, draft.from_customer()?).await
}

/// Accept the proposed resolution
#[utoipa::path(
    post, path = "/track/{token}/accept", tag = "public", operation_id = "customer_accept",
    params(("token" = String, Path, description = "The private tracking token")),
    request_body = super::cases::NoFields,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "No resolution awaits an answer", body = ErrorBody),
    )
)]
pub async fn accept(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
    ApiJson(_): ApiJson<super::cases::NoFields>,
) -> Result<Json<CustomerCase>, ApiError> {
    act(&app, &words, &token, Action::AcceptResolution).await
}

/// Reject the proposed resolution, saying what would make it right instead
///
/// Reopens the case.
#[utoipa::path(
    post, path = "/track/{token}/reject", tag = "public", operation_id = "customer_reject",
    params(("token" = String, Path, description = "The private tracking token")),
    request_body = RejectionDraft,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "Not allowed in the case's current state, or already taken", body = ErrorBody), (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn reject(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
    ApiJson(draft): ApiJson<RejectionDraft>,
) -> Result<Json<CustomerCase>, ApiError> {
    act(&app, &words, &token, draft.parse()?).await
}

/// Answer the follow-up
///
/// Did everything go as expected? Have we delivered as promised? Have we met your expectations?
/// Any "no" reopens the case.
#[utoipa::path(
    post, path = "/track/{token}/follow-up", tag = "public", operation_id = "customer_follow_up",
    params(("token" = String, Path, description = "The private tracking token")),
    request_body = FollowUpDraft,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "Not allowed in the case's current state, or already taken", body = ErrorBody), (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn follow_up(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
    ApiJson(draft): ApiJson<FollowUpDraft>,
) -> Result<Json<CustomerCase>, ApiError> {
    act(&app, &words, &token, draft.parse()?).await
}

/// Withdraw your case
#[utoipa::path(
    post, path = "/track/{token}/withdraw", tag = "public", operation_id = "customer_withdraw",
    params(("token" = String, Path, description = "The private tracking token")),
    request_body = ReasonDraft,
    responses(
        (status = 429, description = "Too many public posts from this address", body = ErrorBody),
        (status = 200, description = "OK", body = CustomerCase),
        (status = 404, description = "Not found", body = ErrorBody), (status = 409, description = "Not allowed in the case's current state, or already taken", body = ErrorBody), (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn withdraw(
    State(app): State<App>,
    Extension(words): Words,
    ApiPath(token): ApiPath<String>,
    ApiJson(draft): ApiJson<ReasonDraft>,
) -> Result<Json<CustomerCase>, ApiError> {
    act(&app, &words, &token, draft.withdraw()?).await
}
