//! The customer's answers from the case page: a reply, accepting or rejecting a proposed
//! resolution, the follow-up. Each is checked (CSRF, the per-address limit, the case's current
//! state) and either recorded (then back to the case page, with a confirmation) or shown again
//! with every typed word and the problem beside its field.

use super::message::{not_found, unavailable};
use super::problems::Problems;
use super::track::Shown;
use super::{Pages, see_other};
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, FollowUpDraft, MessageDraft, RejectionDraft};
use redress_catalogue::Messages;
use redress_domain::{Action, EventKind, Invalid};
use serde::Deserialize;

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
    let (form, unreadable) = match form {
        Ok(Form(f)) => (f.normalised(), false),
        // Only a crafted or enormous post gets here; nothing typed can be given back.
        Err(_) => (ActionForm::default(), true),
    };
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
    if unreadable {
        let banner = Problems::banner(t.get("problem-too-long"));
        return back(StatusCode::BAD_REQUEST, banner, form).await;
    }
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let id = refusal.message_id();
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
        // A second click on "Yes" (the first already counted) is not a problem.
        Err(AppError::Conflict(_)) | Err(AppError::NotNow { .. })
            if matches!(which, CustomerForm::Accept) && already_accepted(&pages, &token).await =>
        {
            see_other(&format!("/track/{token}?done=accept"))
        }
        Err(AppError::Conflict(_)) | Err(AppError::NotNow { .. }) | Err(AppError::Forbidden(_)) => {
            // The form sent may no longer be on the page; its words go into the reply box,
            // so nothing typed is lost.
            let mut form = form;
            if form.body.trim().is_empty() {
                form.body = [&form.what_would_make_it_right, &form.comments]
                    .into_iter()
                    .find(|t| !t.trim().is_empty())
                    .cloned()
                    .unwrap_or_default();
            }
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

/// Whether the customer's latest answer to a proposed resolution was "yes".
async fn already_accepted(pages: &Pages, token: &str) -> bool {
    let Ok(view) = pages.app.customer_view(token).await else {
        return false;
    };
    view.timeline
        .iter()
        .rev()
        .find_map(|e| match e.kind {
            EventKind::ResolutionAccepted => Some(true),
            EventKind::ResolutionProposed { .. } | EventKind::ResolutionRejected { .. } => {
                Some(false)
            }
            _ => None,
        })
        .unwrap_or(false)
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
