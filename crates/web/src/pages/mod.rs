//! The customer's pages: how to reach us, the form to tell us what happened, the Received page
//! and the case page behind the private tracking link. Server-rendered HTML that works fully
//! without JavaScript (one small script only prevents a double click); every text comes from
//! the message catalogue, in the customer's language.

mod answers;
mod assets;
mod complain;
mod desk;
mod guard;
mod layout;
mod message;
mod problems;
mod reach_us;
mod received;
mod timeline;
mod track;
mod upload;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use redress_app::App;
use redress_catalogue::Catalogue;
use std::sync::Arc;

/// How the web interface meets the outside world; from configuration.
#[derive(Clone)]
pub struct WebConfig {
    /// Every customer-facing text, in each language.
    pub catalogue: Arc<Catalogue>,
    /// The site's public address, e.g. `https://care.example.com`. Links shown to customers use
    /// it; cookies are marked Secure when it is https. Without it, links use the request's Host.
    pub public_url: Option<String>,
    /// Form posts one address may make per minute before being asked to wait.
    pub posts_per_minute: u32,
    /// Posts to the public JSON API (new cases, a customer's answers) one address may make per
    /// minute. Higher than for forms: one integration may file for many customers.
    pub api_posts_per_minute: u32,
    /// A header in which a trusted reverse proxy passes the client's address (e.g. X-Real-IP).
    /// Without it, the connection's own address counts.
    pub client_ip_header: Option<HeaderName>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            // The shipped catalogue is compiled in and checked by its own tests.
            #[allow(clippy::expect_used)]
            catalogue: Arc::new(Catalogue::builtin().expect("the shipped catalogue is valid")),
            public_url: None,
            posts_per_minute: 10,
            api_posts_per_minute: 120,
            client_ip_header: None,
        }
    }
}

/// How many complaint forms with files are read at the same time.
const UPLOADS_AT_ONCE: usize = 4;

/// What every page handler shares.
#[derive(Clone)]
pub(crate) struct Pages {
    app: App,
    inner: Arc<Inner>,
}

struct Inner {
    catalogue: Arc<Catalogue>,
    public_url: Option<String>,
    secure_cookies: bool,
    limits: crate::limits::PostLimits,
    client_ip_header: Option<HeaderName>,
    /// Turns for reading uploads, so many large posts at once cannot exhaust memory.
    uploads: tokio::sync::Semaphore,
}

impl Pages {
    fn new(app: App, web: WebConfig) -> Self {
        let public_url = web
            .public_url
            .map(|u| u.trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        let secure_cookies = public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Pages {
            app,
            inner: Arc::new(Inner {
                catalogue: web.catalogue,
                public_url,
                secure_cookies,
                limits: crate::limits::PostLimits::per_minute(web.posts_per_minute),
                client_ip_header: web.client_ip_header,
                uploads: tokio::sync::Semaphore::new(UPLOADS_AT_ONCE),
            }),
        }
    }
}

/// Room for the largest allowed set of attachments plus the form's text.
fn upload_limit(app: &App) -> usize {
    let s = app.settings();
    s.max_attachments
        .saturating_mul(s.max_attachment_bytes)
        .saturating_add(1024 * 1024)
}

pub(crate) fn routes(app: App, web: WebConfig) -> Router {
    let uploads = upload_limit(&app);
    let pages = Pages::new(app, web);
    Router::new()
        .route("/", get(reach_us::show))
        .route(
            "/complain",
            get(complain::show)
                .post(complain::submit)
                .layer(DefaultBodyLimit::max(uploads)),
        )
        .route("/track/{token}", get(track::show))
        .route("/track/{token}/received", get(received::show))
        .route("/track/{token}/reply", post(answers::reply))
        .route("/track/{token}/accept", post(answers::accept))
        .route("/track/{token}/reject", post(answers::reject))
        .route("/track/{token}/follow-up", post(answers::follow_up))
        .route("/track/{token}/files/{file}", get(track::file))
        .route("/static/redress.css", get(assets::css))
        .route("/static/redress.js", get(assets::js))
        .merge(desk::routes())
        .fallback(fallback)
        .layer(DefaultBodyLimit::max(crate::MAX_BODY_BYTES))
        .layer(middleware::from_fn(security_headers))
        .with_state(pages)
}

/// Unknown paths: the API's JSON 404 under /api/, a page everywhere else.
async fn fallback(State(pages): State<Pages>, request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        return crate::ApiError::NoRoute.into_response();
    }
    let (parts, _) = request.into_parts();
    let layout = pages.layout(&parts.headers, &parts.uri, None);
    message::not_found(layout).into_response()
}

/// Headers every page carries: no inline script or style can run (so an injected tag is inert),
/// no framing, no referrer (tracking links carry the case's key), no sniffing, and no caching
/// of pages (they carry form tokens, and after a refused post the customer's own words).
async fn security_headers(request: Request, next: Next) -> Response {
    let asset = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    if !asset {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    response
}

/// A 303 to a page on this site (after a form is taken, so a reload does not send it again).
fn see_other(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
