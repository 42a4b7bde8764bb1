//! The one place where failures become HTTP responses. 4xx bodies say what was wrong (naming each
//! field at fault); 5xx bodies are generic and the cause is logged here, once.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use redress_app::AppError;
use redress_domain::{FieldError, Invalid};
use serde::Serialize;
use utoipa::ToSchema;

/// Every error response has this body.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code: invalid_input, malformed_json, unsupported_media_type,
    /// payload_too_large, bad_request, unauthenticated, forbidden, not_found,
    /// method_not_allowed, conflict, rate_limited, internal.
    pub code: &'static str,
    /// What went wrong, for a person.
    pub message: String,
    /// For invalid_input: each offending field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// A failed request.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    MalformedJson(String),
    UnsupportedMediaType,
    PayloadTooLarge,
    BadRequest(String),
    /// No endpoint at this path (or a path segment that names nothing).
    NoRoute,
    /// Too many public posts from one address; try again after this many minutes.
    RateLimited {
        minutes: u64,
    },
    MethodNotAllowed,
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        ApiError::App(AppError::Invalid(e))
    }
}

fn body(
    status: StatusCode,
    code: &'static str,
    message: String,
    fields: Vec<FieldError>,
) -> Response {
    (
        status,
        Json(ErrorBody {
            error: ErrorDetail {
                code,
                message,
                fields,
            },
        }),
    )
        .into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::App(AppError::Invalid(invalid)) => body(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "some fields need attention".to_owned(),
                invalid.errors,
            ),
            ApiError::App(AppError::NotFound(what)) => body(
                StatusCode::NOT_FOUND,
                "not_found",
                format!("{what} not found"),
                vec![],
            ),
            ApiError::App(AppError::Unauthenticated) => {
                let mut res = body(
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "a valid API token is required: Authorization: Bearer <token>".to_owned(),
                    vec![],
                );
                res.headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
                res
            }
            ApiError::App(AppError::Forbidden(why)) => {
                body(StatusCode::FORBIDDEN, "forbidden", why, vec![])
            }
            ApiError::App(AppError::Conflict(why))
            | ApiError::App(AppError::NotNow { message: why, .. }) => {
                body(StatusCode::CONFLICT, "conflict", why, vec![])
            }
            ApiError::App(AppError::Store(e)) => {
                tracing::error!(error = %e, source = ?std::error::Error::source(&e), "storage failed");
                body(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on our side; nothing was changed".to_owned(),
                    vec![],
                )
            }
            ApiError::MalformedJson(why) => body(
                StatusCode::BAD_REQUEST,
                "malformed_json",
                format!("the body is not valid JSON: {why}"),
                vec![],
            ),
            ApiError::UnsupportedMediaType => body(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as JSON with Content-Type: application/json".to_owned(),
                vec![],
            ),
            ApiError::PayloadTooLarge => body(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the body is larger than {} bytes", crate::MAX_BODY_BYTES),
                vec![],
            ),
            ApiError::BadRequest(why) => body(StatusCode::BAD_REQUEST, "bad_request", why, vec![]),
            ApiError::NoRoute => body(
                StatusCode::NOT_FOUND,
                "not_found",
                "nothing here: see /api/v1/openapi.json for the endpoints".to_owned(),
                vec![],
            ),
            ApiError::App(AppError::TooManyAttempts { retry_after_secs }) => {
                let mut response = body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!("too many attempts: try again in {retry_after_secs} seconds"),
                    vec![],
                );
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                response
            }
            ApiError::RateLimited { minutes } => {
                let mut response = body(
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate_limited",
                    format!(
                        "too many posts from this address: try again in {minutes} minute{}",
                        if minutes == 1 { "" } else { "s" }
                    ),
                    vec![],
                );
                if let Ok(v) = HeaderValue::from_str(&(minutes * 60).to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                response
            }
            ApiError::MethodNotAllowed => body(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take this method".to_owned(),
                vec![],
            ),
        }
    }
}
