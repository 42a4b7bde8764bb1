//! Pages that only say something: a link that leads nowhere, a refused post, storage that is
//! not answering.

use super::Pages;
use super::layout::{Layout, render};
use askama::Template;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::AppError;

#[derive(Template)]
#[template(path = "message.html")]
pub(crate) struct MessagePage {
    pub layout: Layout,
    pub title: String,
    pub text: String,
    pub show_channels: bool,
}

/// The page for any wrong, malformed or unknown tracking link (and any unknown path).
pub(crate) fn not_found(mut layout: Layout) -> Response {
    let cookies = std::mem::take(&mut layout.cookies);
    let page = MessagePage {
        title: layout.t.get("track-not-found-title"),
        text: layout.t.get("track-not-found-text"),
        show_channels: true,
        layout,
    };
    render(StatusCode::NOT_FOUND, &page, &cookies)
}

/// Storage is not answering: say so, lose nothing we were given (nothing was taken).
pub(crate) fn unavailable(pages: &Pages, headers: &HeaderMap, uri: &Uri, e: &AppError) -> Response {
    tracing::error!(error = %e, "a page could not be served");
    let layout = pages.layout(headers, uri, None);
    let page = MessagePage {
        title: layout.t.get("problem-unavailable-title"),
        text: layout.t.get("problem-unavailable"),
        show_channels: true,
        layout,
    };
    render(StatusCode::SERVICE_UNAVAILABLE, &page, &[])
}
