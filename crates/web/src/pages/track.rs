//! The pages behind the private tracking link: the Received page (the personal acknowledgement)
//! and the case page (where it stands, its story, a reply box, the answer to a proposed
//! resolution, the follow-up). The token is the only key; any wrong or malformed token gets the
//! same "not found" page, revealing nothing about which cases exist.

use super::layout::{Layout, render};
use super::problems::Problems;
use super::reach_us::sentence_start;
use super::timeline::{TimelineItem, items, remedy_words};
use super::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::Response;
use redress_app::{AppError, CustomerCaseView, FollowUpDraft, MessageDraft, RejectionDraft};
use redress_catalogue::Messages;
use redress_domain::{Action, AttachmentId, CaseKind, CommitmentState, Invalid, RemedyKind};
use serde::Deserialize;

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
struct Shown {
    done: Option<String>,
    problems: Problems,
    typed: ActionForm,
}

/// What the customer typed into the case page's forms, kept when one comes back.
#[derive(Default, Deserialize)]
pub(crate) struct ActionForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub what_would_make_it_right: String,
    #[serde(default)]
    pub went_as_expected: String,
    #[serde(default)]
    pub delivered_as_promised: String,
    #[serde(default)]
    pub met_expectations: String,
    #[serde(default)]
    pub satisfaction: String,
    #[serde(default)]
    pub comments: String,
}

impl ActionForm {
    /// Browsers send a text area's line breaks as CR LF; the customer wrote plain new lines.
    fn normalised(mut self) -> Self {
        for text in [
            &mut self.body,
            &mut self.what_would_make_it_right,
            &mut self.comments,
        ] {
            *text = super::complain::plain_line_breaks(text);
        }
        self
    }

    /// The yes/no answer given to one follow-up question (templates call this).
    pub fn answer(&self, question: &str) -> &str {
        match question {
            "went_as_expected" => &self.went_as_expected,
            "delivered_as_promised" => &self.delivered_as_promised,
            "met_expectations" => &self.met_expectations,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "track.html")]
pub(crate) struct TrackPage {
    pub layout: Layout,
    pub title: String,
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
        title: layout.t.get("problem-general"),
        text: layout.t.get("problem-storage"),
        show_channels: true,
        layout,
    };
    render(StatusCode::SERVICE_UNAVAILABLE, &page, &[])
}

/// A post another site tried to make in the customer's name.
pub(crate) fn refused(pages: &Pages, headers: &HeaderMap, uri: &Uri) -> Response {
    let layout = pages.layout(headers, uri, None);
    let page = MessagePage {
        title: layout.t.get("problem-general"),
        text: layout.t.get("problem-form-expired"),
        show_channels: false,
        layout,
    };
    render(StatusCode::FORBIDDEN, &page, &[])
}

fn files(view: &CustomerCaseView, base: &str) -> Vec<FileLink> {
    view.attachments
        .iter()
        .map(|a| FileLink {
            href: format!("{base}/files/{}", a.id),
            name: a.name.as_str().to_owned(),
            size: super::problems::human_size(usize::try_from(a.size).unwrap_or(usize::MAX)),
        })
        .collect()
}

impl Pages {
    /// The person who owns the case, or the team until someone does.
    fn looked_after_by(&self, t: &Messages, view: &CustomerCaseView) -> String {
        match &view.case.owner {
            Some(owner) => owner.name.clone(),
            None => self.care_team(t),
        }
    }

    /// The tracking link as the customer should keep it: absolute, on the public address.
    fn tracking_link(&self, headers: &HeaderMap, token: &str) -> String {
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

    async fn view(
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

    async fn track_page(
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
        let mut layout = self.layout(
            headers,
            uri,
            view.case.language.as_ref().map(|l| l.as_str()),
        );
        let form = match self.form_token(headers).await {
            Ok(f) => f,
            Err(e) => return unavailable(self, headers, uri, &e),
        };
        let mut cookies = std::mem::take(&mut layout.cookies);
        cookies.extend(form.set_cookie);
        let t = &layout.t;
        let case = &view.case;
        let base = format!("/track/{token}");
        let page = TrackPage {
            title: t.format(
                "track-title",
                &[("reference", case.reference.to_string().into())],
            ),
            csrf: form.token,
            done: done.and_then(|d| done_message(t, &d)),
            problems: problems.summarise(t),
            status: t.get(&format!("status-{}", case.status)),
            looked_after_by: t.format(
                "track-looked-after-by",
                &[("who", self.looked_after_by(t, &view).into())],
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
                    kind: t.get(match r.kind {
                        RemedyKind::Restitution => "remedy-restitution",
                        RemedyKind::Goodwill => "remedy-goodwill",
                    }),
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

/// The value of one query parameter.
fn query_param(uri: &Uri, name: &str) -> Option<String> {
    uri.query()?
        .split('&')
        .filter_map(|p| p.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
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

/// GET /track/{token}/received: the personal acknowledgement, right after the form was taken.
pub(crate) async fn received(
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
    let (title, words_label) = match case.kind {
        CaseKind::Complaint => ("received-title-complaint", "received-what-you-said"),
        CaseKind::Inquiry => ("received-title-inquiry", "received-what-you-asked"),
        CaseKind::Compliment => ("received-title-compliment", "received-what-you-wrote"),
        CaseKind::Suggestion => ("received-title-suggestion", "received-what-you-wrote"),
    };
    let who = match (&case.owner, case.respond_by) {
        (Some(owner), Some(date)) => t.format(
            "received-who-person",
            &[
                ("who", owner.name.clone().into()),
                ("date", t.date(date).into()),
            ],
        ),
        (None, Some(date)) => t.format(
            "received-who-team",
            &[
                ("team", sentence_start(&pages.care_team(t)).into()),
                ("date", t.date(date).into()),
            ],
        ),
        (_, None) => t.format(
            "received-who-no-date",
            &[(
                "team",
                sentence_start(&pages.looked_after_by(t, &view)).into(),
            )],
        ),
    };
    let base = format!("/track/{token}");
    let page = ReceivedPage {
        title: t.get(title),
        already: query_param(&uri, "again").is_some(),
        reference: case.reference.to_string(),
        link: pages.tracking_link(&headers, &token),
        words_label: t.get(words_label),
        words: case.words.as_str().to_owned(),
        desired: case.desired_outcome.as_ref().map(|d| d.as_str().to_owned()),
        needed_by: case
            .needed_by
            .map(|d| t.format("received-needed-by", &[("date", t.date(d).into())])),
        who,
        compliment: case.kind == CaseKind::Compliment,
        files: files(&view, &base),
        track_href: base,
        layout,
    };
    render(StatusCode::OK, &page, &cookies)
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

/// Which form on the case page was sent.
#[derive(Clone, Copy)]
enum CustomerForm {
    Reply,
    Accept,
    Reject,
    FollowUp,
}

fn yes_no(value: &str) -> Option<bool> {
    match value {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn action_for(which: CustomerForm, form: &ActionForm) -> Result<Action, Invalid> {
    let text = |s: &String| Some(s.clone()).filter(|s| !s.trim().is_empty());
    match which {
        CustomerForm::Reply => MessageDraft {
            body: text(&form.body),
            await_customer: false,
        }
        .from_customer(),
        CustomerForm::Accept => Ok(Action::AcceptResolution),
        CustomerForm::Reject => RejectionDraft {
            what_would_make_it_right: text(&form.what_would_make_it_right),
        }
        .parse(),
        CustomerForm::FollowUp => FollowUpDraft {
            went_as_expected: yes_no(&form.went_as_expected),
            delivered_as_promised: yes_no(&form.delivered_as_promised),
            met_expectations: yes_no(&form.met_expectations),
            satisfaction: form.satisfaction.trim().parse().ok(),
            comments: text(&form.comments),
        }
        .parse(),
    }
}

fn action_problems(t: &Messages, invalid: &Invalid, form: &ActionForm) -> Problems {
    let mut problems = Problems::default();
    for e in &invalid.errors {
        let message = match e.field.as_str() {
            "body" if form.body.trim().is_empty() => t.get("problem-message-missing"),
            "what_would_make_it_right" if form.what_would_make_it_right.trim().is_empty() => {
                t.get("problem-make-it-right-missing")
            }
            "body" | "what_would_make_it_right" | "comments" => t.get("problem-too-long"),
            "went_as_expected" | "delivered_as_promised" | "met_expectations" => {
                t.get("problem-answer-yes-no")
            }
            "satisfaction" => t.get("problem-score"),
            _ => t.get("problem-general"),
        };
        problems.add(&e.field, message);
    }
    problems
}

async fn act(
    pages: Pages,
    address: std::net::IpAddr,
    token: String,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<ActionForm>, FormRejection>,
    which: CustomerForm,
) -> Response {
    let form = form.map(|Form(f)| f.normalised()).unwrap_or_default();
    let page_uri: Uri = format!("/track/{token}").parse().unwrap_or(uri);
    let t = pages.layout(&headers, &page_uri, None).t;
    let back = |status, problems, typed| {
        let (pages, headers, page_uri, token) = (
            pages.clone(),
            headers.clone(),
            page_uri.clone(),
            token.clone(),
        );
        async move {
            pages
                .track_page(
                    status,
                    &headers,
                    &page_uri,
                    &token,
                    Shown {
                        done: None,
                        problems,
                        typed,
                    },
                )
                .await
        }
    };
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(super::guard::FormRefusal::CrossSite)) => {
            return refused(&pages, &headers, &page_uri);
        }
        Ok(Err(refusal)) => {
            let id = if refusal == super::guard::FormRefusal::NoCookie {
                "problem-no-cookie"
            } else {
                "problem-form-expired"
            };
            return back(StatusCode::FORBIDDEN, Problems::banner(t.get(id)), form).await;
        }
        Err(e) => return unavailable(&pages, &headers, &page_uri, &e),
    }
    if let Err(minutes) = pages.inner.limits.check(address) {
        let minutes = i64::try_from(minutes).unwrap_or(i64::MAX);
        return back(
            StatusCode::TOO_MANY_REQUESTS,
            Problems::banner(t.format("problem-too-fast", &[("minutes", minutes.into())])),
            form,
        )
        .await;
    }
    let action = match action_for(which, &form) {
        Ok(a) => a,
        Err(invalid) => {
            return back(
                StatusCode::UNPROCESSABLE_ENTITY,
                action_problems(&t, &invalid, &form),
                form,
            )
            .await;
        }
    };
    let reopens = matches!(&action, Action::AnswerFollowUp(f)
        if !(f.went_as_expected && f.delivered_as_promised && f.met_expectations));
    match pages.app.customer_act(&token, action).await {
        Ok(_) => {
            let done = match which {
                CustomerForm::Reply => "reply",
                CustomerForm::Accept => "accept",
                CustomerForm::Reject => "reject",
                CustomerForm::FollowUp if reopens => "reopened",
                CustomerForm::FollowUp => "follow-up",
            };
            see_other(&format!("/track/{token}?done={done}"))
        }
        Err(AppError::NotFound(_)) => not_found(pages.layout(&headers, &page_uri, None)),
        Err(AppError::Invalid(invalid)) => {
            back(
                StatusCode::UNPROCESSABLE_ENTITY,
                action_problems(&t, &invalid, &form),
                form,
            )
            .await
        }
        Err(AppError::Conflict(_)) | Err(AppError::Forbidden(_)) => {
            back(
                StatusCode::CONFLICT,
                Problems::banner(t.get("problem-wrong-state")),
                form,
            )
            .await
        }
        Err(e) => unavailable(&pages, &headers, &page_uri, &e),
    }
}

macro_rules! customer_form {
    ($name:ident, $which:expr) => {
        pub(crate) async fn $name(
            State(pages): State<Pages>,
            super::complain::ClientAddress(address): super::complain::ClientAddress,
            Path(token): Path<String>,
            headers: HeaderMap,
            uri: Uri,
            form: Result<Form<ActionForm>, FormRejection>,
        ) -> Response {
            act(pages, address, token, headers, uri, form, $which).await
        }
    };
}

customer_form!(reply, CustomerForm::Reply);
customer_form!(accept, CustomerForm::Accept);
customer_form!(reject, CustomerForm::Reject);
customer_form!(follow_up, CustomerForm::FollowUp);
