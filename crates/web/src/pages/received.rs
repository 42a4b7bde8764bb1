//! The Received page: right after the form is taken, the reference, the private link and a
//! personal acknowledgement that restates the customer's words and says who answers by when.

use super::Pages;
use super::layout::{Layout, query_param, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::CustomerCaseView;
use redress_app::acknowledgement::Acknowledgement;
use redress_domain::CaseKind;

/// A file the customer sent, as a download link.
pub(crate) struct FileLink {
    pub href: String,
    pub name: String,
    pub size: String,
}

#[derive(Template)]
#[template(path = "received.html")]
pub(crate) struct ReceivedPage {
    pub layout: Layout,
    pub title: String,
    pub already: bool,
    pub reference: String,
    pub link: String,
    pub words_label: String,
    pub words: String,
    pub desired: Option<String>,
    pub needed_by: Option<String>,
    pub who: String,
    pub compliment: bool,
    pub files: Vec<FileLink>,
    pub track_href: String,
}

pub(crate) fn files(view: &CustomerCaseView, base: &str) -> Vec<FileLink> {
    view.attachments
        .iter()
        .map(|a| FileLink {
            href: format!("{base}/files/{}", a.id),
            name: a.name.as_str().to_owned(),
            size: super::problems::human_size(usize::try_from(a.size).unwrap_or(usize::MAX)),
        })
        .collect()
}

/// GET /track/{token}/received: the personal acknowledgement, right after the form was taken.
pub(crate) async fn show(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let view = match pages.view(&headers, &uri, &token).await {
        Ok(v) => v,
        Err(response) => return response,
    };
    let case = &view.case;
    let mut layout = pages.layout(&headers, &uri, case.language.as_ref().map(|l| l.as_str()));
    let cookies = std::mem::take(&mut layout.cookies);
    let t = &layout.t;
    let ack = Acknowledgement::new(t, case, &pages.app.settings());
    let base = format!("/track/{token}");
    let page = ReceivedPage {
        title: ack.title,
        already: query_param(&uri, "again").is_some(),
        reference: case.reference.to_string(),
        link: pages.tracking_link(&headers, &token),
        words_label: ack.words_label,
        words: case.words.as_str().to_owned(),
        desired: case.desired_outcome.as_ref().map(|d| d.as_str().to_owned()),
        needed_by: ack.needed_by,
        who: ack.who,
        compliment: case.kind == CaseKind::Compliment,
        files: files(&view, &base),
        track_href: base,
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
}
