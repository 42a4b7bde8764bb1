//! Redress over HTTP: the versioned JSON API under `/api/v1` (documented by the OpenAPI
//! document at `/api/v1/openapi.json`) and the health checks. Handlers only translate between
//! HTTP and the app's use cases; errors are mapped to responses in one place (`error`).

mod api;
mod attachment;
mod error;
mod extract;
mod health;

pub use api::ApiDoc;
pub use error::ApiError;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use redress_app::App;
use std::time::Duration;
use tower_http::trace::TraceLayer;

/// Largest request body accepted. The longest text Redress takes is 20,000 characters.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The whole HTTP interface, ready to serve.
pub fn router(app: App) -> Router {
    Router::new()
        .nest("/api/v1", api::routes())
        .merge(health::routes())
        .fallback(|| async { ApiError::NoRoute })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(
            // Log the route template, never the concrete path: tracking tokens live in paths.
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let route = req
                        .extensions()
                        .get::<axum::extract::MatchedPath>()
                        .map(|p| p.as_str().to_owned())
                        .unwrap_or_else(|| "unmatched".to_owned());
                    tracing::info_span!("request", method = %req.method(), route = %route)
                })
                .on_request(())
                .on_response(
                    |res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                        tracing::debug!(status = res.status().as_u16(), ?latency, "response");
                    },
                ),
        )
        .with_state(app)
}
