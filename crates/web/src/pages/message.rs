//! Pages that only say something: a link that leads nowhere, a setup link used up, storage
//! that is not answering.

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

/// A page saying one thing: a title and a text from the catalogue, and, where another channel
/// may help, the way to the front door.
pub(crate) fn message(
    status: StatusCode,
    mut layout: Layout,
    title: &str,
    text: &str,
    show_channels: bool,
) -> Response {
    let cookies = std::mem::take(&mut layout.cookies);
    let page = MessagePage {
        title: layout.t.get(title),
        text: layout.t.get(text),
        show_channels,
        layout,
    };
    render(status, &page, &cookies)
}

/// The page for any wrong, malformed or unknown tracking link (and any unknown path).
pub(crate) fn not_found(layout: Layout) -> Response {
    let (title, text) = ("track-not-found-title", "track-not-found-text");
    message(StatusCode::NOT_FOUND, layout, title, text, true)
}

/// Storage is not answering: say so, lose nothing we were given (nothing was taken).
pub(crate) fn unavailable(pages: &Pages, headers: &HeaderMap, uri: &Uri, e: &AppError) -> Response {
    tracing::error!(error = %e, "a page could not be served");
    let layout = pages.layout(headers, uri, None);
    let (title, text) = ("problem-unavailable-title", "problem-unavailable");
    message(StatusCode::SERVICE_UNAVAILABLE, layout, title, text, true)
}
