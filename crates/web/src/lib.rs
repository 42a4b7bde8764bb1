//! Redress over HTTP: the customer pages (server-rendered HTML that works without JavaScript),
//! the versioned JSON API under `/api/v1` (documented by the OpenAPI document at
//! `/api/v1/openapi.json`) and the health checks. Handlers only translate between HTTP and the
//! app's use cases; API errors are mapped to responses in one place (`error`), page problems are
//! shown on the page they belong to (`pages`).

mod api;
mod attachment;
mod error;
mod extract;
mod health;
mod limits;
mod pages;

pub use api::ApiDoc;
pub use error::ApiError;
pub use pages::WebConfig;

use axum::Extension;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use redress_app::App;
use std::time::Duration;
use tower_http::trace::TraceLayer;

/// Largest request body accepted. The longest text Redress takes is 20,000 characters.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The whole HTTP interface, ready to serve. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()` so that per-address limits see the
/// client's address.
pub fn router(app: App, web: WebConfig) -> Router {
    let api = Router::new()
        .nest("/api/v1", api::routes())
        .merge(health::routes())
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // The API's answers to customers speak from the same catalogue as the pages.
        .layer(Extension(web.catalogue.clone()))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(limits::PublicApiLimit {
                limits: limits::PostLimits::per_minute(web.api_posts_per_minute),
                client_ip_header: web.client_ip_header.clone(),
            }),
            limits::limit_public_api,
        ))
        .with_state(app.clone());
    // The pages own the fallback: a JSON 404 under /api/, a page elsewhere.
    Router::new()
        .merge(api)
        .merge(pages::routes(app.clone(), web))
        // Every request sees the organisation's settings as saved at most a few seconds ago,
        // whichever node an administrator saved them on.
        .layer(axum::middleware::from_fn_with_state(app, fresh_settings))
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
}

/// Reads the organisation's settings again when this node's copy is getting old (see
/// `App::refresh_settings_if_stale`): cheap, since only one request in a few seconds does.
async fn fresh_settings(
    axum::extract::State(app): axum::extract::State<App>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    app.refresh_settings_if_stale().await;
    next.run(request).await
}
