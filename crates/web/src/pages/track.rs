//! The case page behind the private tracking link: where the case stands, its story, what we
//! promised and are doing to put it right, a reply box, the answer to a proposed resolution and
//! the follow-up. The token is the only key; any wrong or malformed token gets the same "not
//! found" page, revealing nothing about which cases exist.

use super::Pages;
use super::answers::ActionForm;
use super::layout::{Layout, query_param, render};
use super::message::{not_found, unavailable};
use super::problems::Problems;
use super::received::{FileLink, files};
use super::timeline::{TimelineItem, items, remedy_words};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use redress_app::{AppError, CustomerCaseView};
use redress_catalogue::Messages;
use redress_domain::{AttachmentId, CommitmentState};

/// A promise as the customer reads it.
pub(crate) struct CommitmentLine {
    pub text: String,
    pub state: Option<String>,
}

pub(crate) struct RemedyLine {
    pub kind: String,
    pub text: String,
}

/// What the case page shows besides the case: a confirmation, or a form that came back.
#[derive(Default)]
pub(crate) struct Shown {
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionForm,
}

#[derive(Template)]
#[template(path = "track.html")]
pub(crate) struct TrackPage {
    pub layout: Layout,
    pub title: String,
    /// The title's words before and after the reference.
    pub heading: (String, String),
    pub reference: String,
    pub base: String,
    pub csrf: String,
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionForm,
    pub status: String,
    pub looked_after_by: String,
    pub reply_by: Option<String>,
    pub needed_by: Option<String>,
    pub words: String,
    pub desired: Option<String>,
    pub files: Vec<FileLink>,
    pub commitments: Vec<CommitmentLine>,
    pub remedies: Vec<RemedyLine>,
    pub timeline: Vec<TimelineItem>,
    pub proposed_resolution: Option<String>,
    pub can_answer_resolution: bool,
    pub can_answer_follow_up: bool,
    pub follow_up_questions: Vec<(&'static str, String)>,
    pub scores: Vec<(String, String)>,
}

impl Pages {
    /// The tracking link as the customer should keep it: absolute, on the public address.
    pub(crate) fn tracking_link(&self, headers: &HeaderMap, token: &str) -> String {
        let origin = match &self.inner.public_url {
            Some(url) => url.clone(),
            None => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("localhost");
                format!("http://{host}")
            }
        };
        format!("{origin}/track/{token}")
    }

    pub(crate) async fn view(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        token: &str,
    ) -> Result<CustomerCaseView, Response> {
        match self.app.customer_view(token).await {
            Ok(view) => Ok(view),
            Err(AppError::NotFound(_)) => Err(not_found(self.layout(headers, uri, None))),
            Err(e) => Err(unavailable(self, headers, uri, &e)),
        }
    }

    pub(crate) async fn track_page(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        uri: &Uri,
        token: &str,
        shown: Shown,
    ) -> Response {
        let Shown {
            done,
            problems,
            typed,
        } = shown;
        let view = match self.view(headers, uri, token).await {
            Ok(v) => v,
            Err(response) => return response,
        };
        let language = view.case.language.as_ref().map(|l| l.as_str());
        let (layout, csrf, cookies) = match self.form_frame(headers, uri, language).await {
            Ok(frame) => frame,
            Err(e) => return unavailable(self, headers, uri, &e),
        };
        let t = &layout.t;
        let case = &view.case;
        let base = format!("/track/{token}");
        let reference = case.reference.to_string();
        // The heading keeps the reference on one line (it breaks at its hyphens otherwise), so
        // it is cut around the reference, wherever the language puts it.
        const MARK: &str = "\u{E000}";
        let heading = t.format("track-title", &[("reference", MARK.into())]);
        let (before, after) = heading.split_once(MARK).unwrap_or((&heading, ""));
        let page = TrackPage {
            heading: (before.to_owned(), after.to_owned()),
            title: t.format("track-title", &[("reference", reference.clone().into())]),
            reference,
            csrf,
            done: done.and_then(|d| done_message(t, &d)),
            problems: problems.summarise(t),
            status: t.get(&format!("status-{}", case.status)),
            looked_after_by: t.format(
                "track-looked-after-by",
                &[(
                    "who",
                    redress_app::acknowledgement::looked_after_by(&view, t).into(),
                )],
            ),
            reply_by: case
                .respond_by
                .filter(|_| case.status.is_open())
                .map(|d| t.format("track-reply-by", &[("date", t.date(d).into())])),
            needed_by: case
                .needed_by
                .map(|d| t.format("track-needed-by", &[("date", t.date(d).into())])),
            words: case.words.as_str().to_owned(),
            desired: case.desired_outcome.as_ref().map(|d| d.as_str().to_owned()),
            files: files(&view, &base),
            commitments: case
                .commitments
                .iter()
                .map(|c| CommitmentLine {
                    text: t.format(
                        "track-commitment",
                        &[
                            ("what", c.what.as_str().into()),
                            ("date", t.date(c.due).into()),
                            ("how", c.how.as_str().into()),
                        ],
                    ),
                    state: match c.state {
                        CommitmentState::Kept => Some(t.get("track-commitment-kept")),
                        CommitmentState::Missed => Some(t.get("track-commitment-missed")),
                        _ => None,
                    },
                })
                .collect(),
            remedies: view
                .granted_remedies
                .iter()
                .map(|r| RemedyLine {
                    kind: t.get(&format!("remedy-{}", r.kind)),
                    text: remedy_words(&r.description, r.amount.as_ref()),
                })
                .collect(),
            timeline: items(t, &view.timeline, case, &layout.organisation),
            proposed_resolution: view
                .proposed_resolution
                .as_ref()
                .map(|r| r.as_str().to_owned()),
            can_answer_resolution: view.can_answer_resolution,
            can_answer_follow_up: view.can_answer_follow_up,
            follow_up_questions: vec![
                ("went_as_expected", t.get("follow-up-went-as-expected")),
                ("delivered_as_promised", t.get("follow-up-delivered")),
                ("met_expectations", t.get("follow-up-met-expectations")),
            ],
            scores: (1..=5)
                .map(|n| (n.to_string(), t.get(&format!("score-{n}"))))
                .collect(),
            base,
            typed,
            layout,
        };
        render(status, &page, &cookies)
    }
}

fn done_message(t: &Messages, done: &str) -> Option<String> {
    let id = match done {
        "reply" => "track-done-reply",
        "accept" => "track-done-accept",
        "reject" => "track-done-reject",
        "follow-up" => "track-done-follow-up",
        "reopened" => "track-done-reopened",
        _ => return None,
    };
    Some(t.get(id))
}

/// GET /track/{token}
pub(crate) async fn show(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let done = query_param(&uri, "done");
    pages
        .track_page(
            StatusCode::OK,
            &headers,
            &uri,
            &token,
            Shown {
                done,
                ..Shown::default()
            },
        )
        .await
}

/// GET /track/{token}/files/{file}: a file the customer sent, always as a download.
pub(crate) async fn file(
    State(pages): State<Pages>,
    Path((token, file)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let Ok(id) = file.parse::<AttachmentId>() else {
        return not_found(pages.layout(&headers, &uri, None));
    };
    match pages.app.customer_attachment(&token, id).await {
        Ok(attachment) => crate::attachment::attachment_response(&attachment),
        Err(AppError::NotFound(_)) => not_found(pages.layout(&headers, &uri, None)),
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
