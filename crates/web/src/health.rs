//! Liveness and readiness, for load balancers and orchestrators.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use redress_app::App;

pub fn routes() -> Router<App> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(ready))
}

/// Ready when the database answers.
async fn ready(State(app): State<App>) -> (StatusCode, &'static str) {
    match app.ready().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
