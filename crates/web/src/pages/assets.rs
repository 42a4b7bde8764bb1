//! The one stylesheet and the one small script, compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

const CSS: &str = include_str!("../../static/redress.css");
const JS: &str = include_str!("../../static/redress.js");
/// Links carry the release's version, so a day's caching never serves stale styles.
const CACHE: &str = "public, max-age=86400";

pub(crate) async fn css() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        CSS,
    )
}

pub(crate) async fn js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        JS,
    )
}
