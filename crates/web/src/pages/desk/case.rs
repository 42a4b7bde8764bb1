//! The case as staff see it: the customer's words at the top exactly as written, what is due
//! next (open promises, questions to operations, remedies awaiting approval), the customer
//! (how to reach them, what they like and dislike, the dates that matter to them, with a note on
//! the day itself, and every earlier case), and the whole story, internal notes included.

use super::session::DeskStaff;
use crate::pages::Pages;
use crate::pages::layout::{Layout, render};
use crate::pages::message::{message, unavailable};
use crate::pages::problems::Problems;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, CaseDetail};
use redress_catalogue::Messages;
use redress_domain::{Actor, Case, CommitmentState, EventKind, RemedyStatus, Visibility};
use time::format_description::well_known::Rfc3339;
use time::{Date, Duration, OffsetDateTime};

/// One line of what is due next.
pub(crate) struct DueItem {
    pub text: String,
    /// Past its date, or due within two days.
    pub urgent: bool,
}

/// One event of the story.
pub(crate) struct StoryItem {
    pub when: String,
    pub datetime: String,
    pub who: String,
    pub internal: bool,
    pub text: String,
    pub body: Option<String>,
}

pub(crate) struct OtherCase {
    pub reference: String,
    pub href: String,
    pub status: String,
    pub excerpt: String,
}

#[derive(Template)]
#[template(path = "desk_case.html")]
pub(crate) struct CasePage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: super::session::DeskNav,
    pub reference: String,
    pub kind: String,
    pub status: String,
    pub waiting_for: String,
    pub owner: String,
    pub needed_by: Option<String>,
    pub overdue: bool,
    pub respond_by: Option<String>,
    pub words: String,
    pub desired: Option<String>,
    pub due: Vec<DueItem>,
    pub customer_name: String,
    pub contacts: Vec<String>,
    pub preferred: Option<String>,
    pub preferences: Vec<String>,
    pub dislikes: Vec<String>,
    pub dates: Vec<String>,
    /// "Today is their birthday", and the like.
    pub today_notes: Vec<String>,
    pub others: Vec<OtherCase>,
    pub story: Vec<StoryItem>,
    /// Where the action forms post.
    pub base: String,
    /// The signed-in person owns the case (else they may pick it up).
    pub mine: bool,
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionTyped,
}

/// What was typed into the case page's forms, kept when one comes back.
#[derive(Default, serde::Deserialize)]
pub(crate) struct ActionTyped {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub await_customer: Option<String>,
}

/// What the page shows besides the case: a confirmation, or a form that came back.
#[derive(Default)]
pub(crate) struct Shown {
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionTyped,
}

fn when(t: &Messages, at: OffsetDateTime) -> String {
    format!("{}, {:02}:{:02}", t.date(at.date()), at.hour(), at.minute())
}

fn due_items(t: &Messages, case: &Case, today: Date) -> Vec<DueItem> {
    let soon = today + Duration::days(2);
    let mut due = Vec::new();
    for c in case
        .commitments
        .iter()
        .filter(|c| c.state == CommitmentState::Open)
    {
        due.push(DueItem {
            text: t.format(
                "desk-due-commitment",
                &[
                    ("what", c.what.as_str().into()),
                    ("date", t.date(c.due).into()),
                    ("how", c.how.as_str().into()),
                ],
            ),
            urgent: c.due <= soon,
        });
    }
    for v in case.operations_views.iter().filter(|v| v.answer.is_none()) {
        due.push(DueItem {
            text: t.format(
                "desk-due-operations",
                &[
                    ("department", v.department.as_str().into()),
                    ("what", v.question.as_str().into()),
                ],
            ),
            urgent: false,
        });
    }
    for r in case
        .remedies
        .iter()
        .filter(|r| r.status == RemedyStatus::PendingApproval)
    {
        due.push(DueItem {
            text: t.format(
                "desk-due-approval",
                &[(
                    "what",
                    crate::pages::timeline::remedy_words(&r.description, r.amount.as_ref()).into(),
                )],
            ),
            urgent: false,
        });
    }
    due
}

fn story(t: &Messages, detail: &CaseDetail) -> Vec<StoryItem> {
    detail
        .timeline
        .iter()
        .map(|e| {
            let text_of = |x: &redress_domain::Text| Some(x.as_str().to_owned());
            let (text, body) = match &e.kind {
                EventKind::StatusChanged { from, to, reason } => (
                    t.format(
                        "desk-event-status_changed",
                        &[
                            ("from", t.get(&format!("desk-status-{from}")).into()),
                            ("to", t.get(&format!("desk-status-{to}")).into()),
                        ],
                    ),
                    reason.as_ref().and_then(text_of),
                ),
                EventKind::Acknowledged { message, .. } => {
                    (t.get("desk-event-acknowledged"), text_of(message))
                }
                EventKind::MessageFromCustomer { body } | EventKind::MessageToCustomer { body } => {
                    (
                        t.get(&format!("desk-event-{}", e.kind.name())),
                        text_of(body),
                    )
                }
                EventKind::NoteAdded { body } => (t.get("desk-event-note_added"), text_of(body)),
                EventKind::Transferred { handover_note, .. } => {
                    (t.get("desk-event-transferred"), text_of(handover_note))
                }
                EventKind::OperationsViewRequested {
                    department,
                    question,
                    ..
                } => (
                    t.format(
                        "desk-event-operations_view_requested",
                        &[("department", department.as_str().into())],
                    ),
                    text_of(question),
                ),
                EventKind::OperationsViewGiven { answer, .. } => {
                    (t.get("desk-event-operations_view_given"), text_of(answer))
                }
                EventKind::CommitmentMade { what, due, .. } => (
                    t.format(
                        "desk-event-commitment_made",
                        &[
                            ("what", what.as_str().into()),
                            ("date", t.date(*due).into()),
                        ],
                    ),
                    None,
                ),
                EventKind::RemedyOffered {
                    remedy,
                    description,
                    amount,
                    ..
                } => (
                    t.format(
                        "desk-event-remedy_offered",
                        &[("kind", t.get(&format!("remedy-{}", remedy)).into())],
                    ),
                    Some(crate::pages::timeline::remedy_words(
                        description,
                        amount.as_ref(),
                    )),
                ),
                EventKind::ResolutionProposed { summary } => {
                    (t.get("desk-event-resolution_proposed"), text_of(summary))
                }
                EventKind::ResolutionRejected {
                    what_would_make_it_right,
                } => (
                    t.get("desk-event-resolution_rejected"),
                    text_of(what_would_make_it_right),
                ),
                EventKind::RootCauseRecorded { root_cause, lesson } => (
                    t.format(
                        "desk-event-root_cause_recorded",
                        &[("cause", root_cause.as_str().into())],
                    ),
                    lesson.as_ref().and_then(text_of),
                ),
                other => (t.get(&format!("desk-event-{}", other.name())), None),
            };
            StoryItem {
                when: when(t, e.at),
                datetime: e.at.format(&Rfc3339).unwrap_or_default(),
                who: match &e.actor {
                    Actor::Customer => t.get("desk-actor-customer"),
                    Actor::Staff(s) => s.name.clone(),
                    Actor::System => t.get("desk-actor-system"),
                },
                internal: e.visibility == Visibility::Internal,
                text,
                body,
            }
        })
        .collect()
}

/// GET /desk/cases/{reference}
pub(crate) async fn show(
    State(pages): State<Pages>,
    desk: DeskStaff,
    Path(reference): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let done = crate::pages::layout::query_param(&uri, "done").and_then(|d| {
        let t = pages.layout(&headers, &uri, None).t;
        ["pick-up", "reply", "note", "propose"]
            .contains(&d.as_str())
            .then(|| t.get(&format!("desk-done-{d}")))
    });
    let shown = Shown {
        done,
        ..Shown::default()
    };
    case_page(
        &pages,
        &desk,
        &reference,
        StatusCode::OK,
        &headers,
        &uri,
        shown,
    )
    .await
}

/// The case page, with a confirmation or a form that came back.
pub(crate) async fn case_page(
    pages: &Pages,
    desk: &DeskStaff,
    reference: &str,
    status: StatusCode,
    headers: &HeaderMap,
    uri: &Uri,
    shown: Shown,
) -> Response {
    let detail = match pages.app.case_by_reference(&desk.staff, reference).await {
        Ok(case) => pages.app.case_detail(&desk.staff, case.id).await,
        Err(e) => Err(e),
    };
    let detail = match detail {
        Ok(d) => d,
        Err(AppError::NotFound(_)) | Err(AppError::Invalid(_)) => {
            let layout = pages.layout(headers, uri, None);
            let (title, text) = ("desk-case-not-found", "desk-case-not-found-text");
            return message(StatusCode::NOT_FOUND, layout, title, text, false);
        }
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let (layout, csrf, cookies) = match pages.form_frame(headers, uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let t = &layout.t;
    let today = OffsetDateTime::now_utc().date();
    let case = &detail.case;
    let customer = &detail.customer;
    let page = CasePage {
        csrf,
        nav: desk.nav(),
        reference: case.reference.to_string(),
        kind: t.get(&format!("desk-kind-{}", case.kind)),
        status: t.get(&format!("desk-status-{}", case.status)),
        waiting_for: t.get(&format!("desk-waiting-{}", case.status)),
        owner: match (&case.owner, &case.team) {
            (Some(o), _) => o.name.clone(),
            (None, Some(team)) => {
                t.format("desk-owner-team-only", &[("team", team.as_str().into())])
            }
            (None, None) => t.get("desk-owner-nobody"),
        },
        needed_by: case.needed_by.map(|d| t.date(d)),
        overdue: case.is_overdue(today),
        respond_by: case.respond_by.map(|d| t.date(d)),
        words: case.words.as_str().to_owned(),
        desired: case.desired_outcome.as_ref().map(|d| d.as_str().to_owned()),
        due: due_items(t, case, today),
        customer_name: customer
            .name
            .as_ref()
            .map(|n| n.as_str().to_owned())
            .unwrap_or_else(|| t.get("desk-customer-unnamed")),
        contacts: customer
            .emails
            .iter()
            .map(|e| e.as_str().to_owned())
            .chain(customer.phones.iter().map(|p| p.as_str().to_owned()))
            .collect(),
        preferred: customer
            .preferred_channel
            .map(|c| t.get(&format!("channel-{c}"))),
        preferences: customer
            .preferences
            .iter()
            .map(|p| p.as_str().to_owned())
            .collect(),
        dislikes: customer
            .dislikes
            .iter()
            .map(|d| d.as_str().to_owned())
            .collect(),
        dates: customer
            .important_dates
            .iter()
            .map(|d| format!("{}: {}", d.label.as_str(), t.date(d.date)))
            .collect(),
        today_notes: customer
            .dates_today(today)
            .map(|d| t.format("desk-today-is", &[("label", d.label.as_str().into())]))
            .collect(),
        others: detail
            .other_cases
            .iter()
            .filter(|o| o.case.id != case.id)
            .map(|o| OtherCase {
                reference: o.case.reference.to_string(),
                href: format!("/desk/cases/{}", o.case.reference),
                status: t.get(&format!("desk-status-{}", o.case.status)),
                excerpt: o.case.words.excerpt(100),
            })
            .collect(),
        story: story(t, &detail),
        base: format!("/desk/cases/{}", case.reference),
        mine: case.owner.as_ref().is_some_and(|o| o.id == desk.staff.id),
        done: shown.done,
        problems: shown.problems.summarise(t),
        typed: shown.typed,
        layout,
    };
    render(status, &page, &cookies)
}
