//! Request extractors with Redress's error conventions: JSON bodies whose problems name the field
//! at fault, and the staff member behind a bearer token.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use redress_app::{App, AppError};
use redress_domain::{Invalid, Staff};
use serde::de::DeserializeOwned;

/// A JSON body. Syntax errors are 400; well-formed JSON of the wrong shape (a wrong type, an
/// unknown field) is 422 naming the field, like any other invalid input.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            });
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::BadRequest(rejection.body_text())
            }
        })?;
        // An action without fields may be sent with no body at all, whatever the headers say.
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return parse_json(b"{}").map(ApiJson);
        }
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        parse_json(&bytes).map(ApiJson)
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every body is a JSON object. (Derived structs would also accept an array of their fields.)
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return match serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
            Ok(_) => Err(Invalid::field("body", "must be a JSON object").into()),
            Err(e) => Err(ApiError::MalformedJson(e.to_string())),
        };
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize(&mut de) {
        // Anything after the object but whitespace makes the body malformed.
        Ok(value) => match de.end() {
            Ok(()) => Ok(value),
            Err(e) => Err(ApiError::MalformedJson(e.to_string())),
        },
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if inner.is_data() {
                let field = if path == "." {
                    unknown_field(&inner)
                } else {
                    path
                };
                let message = inner
                    .to_string()
                    .split(" at line ")
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                Err(Invalid::field(field, message).into())
            } else {
                Err(ApiError::MalformedJson(inner.to_string()))
            }
        }
    }
}

/// A path parameter. A segment that cannot be read (e.g. invalid UTF-8) names nothing: 404.
pub struct ApiPath<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(ApiPath(value)),
            Err(_) => Err(ApiError::NoRoute),
        }
    }
}

/// For "unknown field `x`" errors serde reports the path of the containing object; name `x`.
fn unknown_field(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    msg.strip_prefix("unknown field `")
        .and_then(|rest| rest.split('`').next())
        .map(str::to_owned)
        .unwrap_or_else(|| "body".to_owned())
}

/// The staff member making the request, from `Authorization: Bearer <token>`.
pub struct StaffAuth(pub Staff);

impl FromRequestParts<App> for StaffAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(|c: char| c.is_ascii_whitespace())?;
                scheme.eq_ignore_ascii_case("bearer").then_some(token)
            })
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(AppError::Unauthenticated)?;
        Ok(StaffAuth(app.authenticate(token).await?))
    }
}
