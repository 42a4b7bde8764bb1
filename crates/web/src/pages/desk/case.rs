//! The case as staff see it: the customer's words at the top exactly as written, what is due
//! next (open promises, questions to operations, remedies awaiting approval), the customer
//! (how to reach them, what they like and dislike, the dates that matter to them, with a note on
//! the day itself, and every earlier case), and the whole story, internal notes included. The
//! case's mail (`case_mail`): how it came, and where each message to the customer stands.

use super::case_mail::CaseMailView;
use super::due::Due;
use super::forms::{ActionTyped, CaseForm};
use super::session::DeskStaff;
use super::story::{StoryItem, story};
use crate::pages::Pages;
use crate::pages::complain::Choice;
use crate::pages::layout::{Layout, render};
use crate::pages::message::{message, unavailable};
use crate::pages::problems::Problems;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::AppError;
use redress_domain::Status;
use time::OffsetDateTime;

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
    /// Where the customer gave no date: the day our service standard runs out.
    pub standard_date: Option<String>,
    pub overdue: bool,
    pub respond_by: Option<String>,
    pub words: String,
    /// The files the customer sent with the case.
    pub files: Vec<super::story::FileLink>,
    pub desired: Option<String>,
    pub due: Due,
    pub customer_name: String,
    pub contacts: Vec<String>,
    pub preferred: Option<String>,
    /// The customer's language, in its own name.
    pub language: Option<String>,
    pub preferences: Vec<String>,
    pub dislikes: Vec<String>,
    pub dates: Vec<String>,
    /// "Today is their birthday", and the like.
    pub today_notes: Vec<String>,
    pub others: Vec<OtherCase>,
    pub story: Vec<StoryItem>,
    pub mail: CaseMailView,
    /// Where the action forms post.
    pub base: String,
    /// The signed-in person owns the case (else they may pick it up).
    pub mine: bool,
    /// A supervisor or an admin: approves remedies and answers requests to step in.
    pub supervisor: bool,
    /// Resolved, closed, declined or withdrawn: only reopening (or closing) is left.
    pub finished: bool,
    pub can_propose: bool,
    pub can_decline: bool,
    pub can_close: bool,
    pub can_reopen: bool,
    /// Who can take the case over, and which teams it can go to.
    pub staff_choices: Vec<Choice>,
    pub team_choices: Vec<Choice>,
    pub root_causes: Vec<Choice>,
    /// The first day a promise can be due (today), for the date box.
    pub today: String,
    /// The currency a remedy is offered in unless another is typed.
    pub currency: String,
    /// The form that changes what we know of the customer, filled with what we know.
    pub profile: ProfileForm,
    /// The kinds a case can be, the current one selected.
    pub kinds: Vec<Choice>,
    /// For a case nobody has answered yet: a first answer to start from, in the customer's
    /// language, restating their words and naming who answers and by when.
    pub reply_draft: Option<String>,
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionTyped,
    /// The form that came back, to show it open.
    pub form: Option<CaseForm>,
}

/// What we know of the customer, as the edit form shows it (or as typed, when it came back).
pub(crate) struct ProfileForm {
    pub name: String,
    pub channels: Vec<Choice>,
    pub languages: Vec<Choice>,
    pub preferences: String,
    pub dislikes: String,
    pub dates: String,
}

impl CasePage {
    /// Whether the form named `name` came back (its box is shown open).
    pub fn came_back(&self, name: &str) -> bool {
        self.form.is_some_and(|f| f.name() == name)
    }
}

/// What the page shows besides the case: a confirmation, or a form that came back.
#[derive(Default)]
pub(crate) struct Shown {
    pub done: Option<String>,
    pub problems: Problems,
    pub typed: ActionTyped,
    pub form: Option<CaseForm>,
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
        CaseForm::named(&d).map(|f| t.get(&format!("desk-done-{}", f.name())))
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
    let (staff, root_causes, teams, mail) = match (
        pages.app.list_staff(&desk.staff).await,
        pages.app.root_causes().await,
        pages.app.teams(&desk.staff).await,
        pages.app.case_mail(&desk.staff, detail.case.id).await,
    ) {
        (Ok(s), Ok(r), Ok(t), Ok(m)) => (s, r, t, m),
        (Err(e), _, _, _) | (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => {
            return unavailable(pages, headers, uri, &e);
        }
    };
    let (layout, csrf, cookies) = match pages.form_frame(headers, uri, None).await {
        Ok(frame) => frame,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let t = &layout.t;
    let today = OffsetDateTime::now_utc().date();
    let case = &detail.case;
    let typed = &shown.typed;
    let standard_days = pages.app.settings().first_response_days;
    let staff_choices = staff
        .iter()
        .filter(|s| s.active)
        .map(|s| Choice {
            value: s.id.to_string(),
            label: match &s.team {
                Some(team) => format!("{} ({})", s.name.as_str(), team.as_str()),
                None => s.name.as_str().to_owned(),
            },
            selected: typed.owner_id == s.id.to_string(),
        })
        .collect();
    // The teams a case can go to: the organisation's list, and the case's own if it left it.
    let mut teams: Vec<String> = teams
        .iter()
        .filter(|t| t.active)
        .map(|t| t.name.as_str().to_owned())
        .chain(case.team.as_ref().map(|t| t.as_str().to_owned()))
        .collect();
    teams.sort();
    teams.dedup();
    let team_choices = teams
        .into_iter()
        .map(|team| Choice {
            selected: typed.team == team,
            label: team.clone(),
            value: team,
        })
        .collect();
    let root_causes = root_causes
        .into_iter()
        .filter(|r| r.active)
        .map(|r| Choice {
            selected: typed.root_cause == r.code.as_str(),
            value: r.code.as_str().to_owned(),
            label: r.label,
        })
        .collect();
    let profile = {
        let came_back = shown.form == Some(CaseForm::Customer);
        let customer = &detail.customer;
        let join = |list: &[redress_domain::Text]| {
            list.iter()
                .map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join("\n")
        };
        let (name, channel, language, preferences, dislikes, dates) = if came_back {
            (
                typed.customer_name.clone(),
                typed.preferred_channel.clone(),
                typed.language.clone(),
                typed.preferences.clone(),
                typed.dislikes.clone(),
                typed.important_dates.clone(),
            )
        } else {
            (
                customer
                    .name
                    .as_ref()
                    .map(|n| n.as_str().to_owned())
                    .unwrap_or_default(),
                customer
                    .preferred_channel
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default(),
                customer
                    .language
                    .as_ref()
                    .map(|l| l.as_str().to_owned())
                    .unwrap_or_default(),
                join(&customer.preferences),
                join(&customer.dislikes),
                customer
                    .important_dates
                    .iter()
                    .map(|d| format!("{}: {}", d.label.as_str(), d.date))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        };
        ProfileForm {
            channels: std::iter::once((String::new(), t.get("desk-filter-any")))
                .chain(
                    redress_domain::ContactChannel::ALL
                        .iter()
                        .map(|c| (c.as_str().to_owned(), t.get(&format!("channel-{c}")))),
                )
                .map(|(value, label)| Choice {
                    selected: value == channel,
                    value,
                    label,
                })
                .collect(),
            languages: std::iter::once((String::new(), t.get("desk-filter-any")))
                .chain(
                    pages
                        .inner
                        .catalogue
                        .languages()
                        .into_iter()
                        .map(|(_, tag, name)| (tag, name)),
                )
                .map(|(value, label)| Choice {
                    selected: value == language,
                    value,
                    label,
                })
                .collect(),
            name,
            preferences,
            dislikes,
            dates,
        }
    };
    let reply_draft = (case.status == Status::New && typed.body.trim().is_empty()).then(|| {
        let theirs = pages
            .inner
            .catalogue
            .messages_for(case.language.as_ref().map(|l| l.as_str()));
        let standard = today + time::Duration::days(i64::from(standard_days));
        let promised = case.respond_by.unwrap_or(standard);
        let date = case
            .needed_by
            .filter(|d| *d >= today && *d < promised)
            .unwrap_or(promised);
        theirs.format(
            "desk-reply-draft-first",
            &[
                (
                    "name",
                    detail
                        .customer
                        .name
                        .as_ref()
                        .map(|n| n.as_str().to_owned())
                        .unwrap_or_else(|| "none".to_owned())
                        .into(),
                ),
                ("words", case.words.excerpt(400).into()),
                ("staff", desk.staff.name.as_str().into()),
                ("date", theirs.date(date).into()),
            ],
        )
    });
    let currency = desk
        .staff
        .authority_limit
        .as_ref()
        .map(|m| m.currency.as_str().to_owned())
        .unwrap_or_default();
    let customer = &detail.customer;
    let mut story = story(t, &detail);
    let mail = super::case_mail::view(t, &mail, &mut story);
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
        standard_date: case
            .needed_by
            .is_none()
            .then(|| t.date(case.due_by(standard_days))),
        overdue: case.is_overdue_against(today, standard_days),
        respond_by: case.respond_by.map(|d| t.date(d)),
        words: case.words.as_str().to_owned(),
        files: detail
            .timeline
            .iter()
            .find_map(|e| match &e.kind {
                redress_domain::EventKind::Received { attachments, .. } => Some(
                    super::story::file_links(&case.reference.to_string(), attachments),
                ),
                _ => None,
            })
            .unwrap_or_default(),
        desired: case.desired_outcome.as_ref().map(|d| d.as_str().to_owned()),
        due: Due::of(t, case, today),
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
        language: customer.language.as_ref().map(|l| {
            let catalogue = &pages.inner.catalogue;
            match catalogue.find(l.as_str()) {
                Some(locale) => catalogue.messages(locale).get("language-name"),
                None => l.as_str().to_owned(),
            }
        }),
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
        story,
        mail,
        base: format!("/desk/cases/{}", case.reference),
        mine: case.owner.as_ref().is_some_and(|o| o.id == desk.staff.id),
        supervisor: desk.staff.role.approves_remedies(),
        finished: case.status.is_finished(),
        can_propose: case.status.can_move_to(Status::ResolutionProposed),
        can_decline: case.status.can_move_to(Status::Declined),
        can_close: case.status.can_move_to(Status::Closed),
        can_reopen: case.status.can_move_to(Status::Reopened)
            && case.status != Status::ResolutionProposed,
        staff_choices,
        team_choices,
        root_causes,
        today: today.to_string(),
        currency,
        profile,
        reply_draft,
        kinds: redress_domain::CaseKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: t.get(&format!("desk-kind-{k}")),
                selected: *k == case.kind,
            })
            .collect(),
        done: shown.done,
        problems: shown.problems.summarise(t),
        form: shown.form,
        typed: shown.typed,
        layout,
    };
    render(status, &page, &cookies)
}
