//! `/desk/admin/teams`: the teams staff and cases belong to, adding one, and deactivating or
//! reactivating one.

use super::{AdminForm, DeskAdmin, Part, PartLink};
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, render};
use crate::pages::message::unavailable;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, TeamDraft};
use redress_catalogue::Messages;
use redress_domain::Invalid;

pub(crate) struct TeamRow {
    pub name: String,
    pub description: String,
    pub members: usize,
    pub active: bool,
    pub button: String,
}

#[derive(Template)]
#[template(path = "admin_teams.html")]
pub(crate) struct TeamsPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub done: Option<String>,
    pub rows: Vec<TeamRow>,
    pub problems: Problems,
    pub typed: AdminForm,
}

fn team_problems(t: &Messages, invalid: &Invalid) -> Problems {
    let mut problems = Problems::default();
    for e in &invalid.errors {
        let id = match e.field.as_str() {
            "name" if e.message.contains("already") => "admin-problem-team-taken",
            "name" => "admin-problem-team-name",
            _ => "admin-problem-too-long",
        };
        problems.add(&e.field, t.get(id));
    }
    problems
}

async fn page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    typed: AdminForm,
    problems: Problems,
) -> Response {
    let by = admin.staff();
    let (teams, staff) = match (
        pages.app.teams(by).await,
        pages.app.staff_for_admin(by).await,
    ) {
        (Ok(t), Ok(s)) => (t, s),
        (Err(e), _) | (_, Err(e)) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let done = done_notice(t, uri);
    let rows = teams
        .iter()
        .map(|team| {
            let name = team.name.as_str().to_owned();
            let id = if team.active {
                "admin-team-deactivate-button"
            } else {
                "admin-team-reactivate-button"
            };
            TeamRow {
                members: staff
                    .iter()
                    .filter(|s| s.active && s.team.as_ref() == Some(&team.name))
                    .count(),
                description: team
                    .description
                    .as_ref()
                    .map(|d| d.as_str().to_owned())
                    .unwrap_or_default(),
                active: team.active,
                button: t.format(id, &[("name", name.clone().into())]),
                name,
            }
        })
        .collect();
    let page = TeamsPage {
        done,
        rows,
        problems: problems.summarise(t),
        typed,
        parts: Part::Teams.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// A notice from the query string (`?done=added&team=…`), after a form was taken.
fn done_notice(t: &Messages, uri: &Uri) -> Option<String> {
    let done = super::query_value(uri, "done")?;
    let id = match done.as_str() {
        "added" => "admin-done-team-added",
        "deactivated" => "admin-done-team-deactivated",
        "reactivated" => "admin-done-team-reactivated",
        _ => return None,
    };
    let name = super::query_value(uri, "team")?;
    Some(t.format(id, &[("name", name.into())]))
}

fn done_address(done: &str, team: &str) -> String {
    let query = serde_urlencoded::to_string([("done", done), ("team", team)]).unwrap_or_default();
    format!("/desk/admin/teams?{query}")
}

/// GET /desk/admin/teams
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (status, typed) = (StatusCode::OK, AdminForm::default());
    let problems = Problems::default();
    page(&pages, &admin, &headers, &uri, status, typed, problems).await
}

/// POST /desk/admin/teams: adds a team.
pub(crate) async fn add(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => {
            let status = StatusCode::FORBIDDEN;
            return page(&pages, &admin, &headers, &uri, status, form, banner).await;
        }
        Err(response) => return response,
    }
    let draft = TeamDraft {
        name: Some(form.name.clone()),
        description: Some(form.description.clone()),
    };
    match pages.app.add_team(admin.staff(), &draft).await {
        Ok(team) => see_other(&done_address("added", team.name.as_str())),
        Err(AppError::Invalid(invalid)) => {
            let t = pages.layout(&headers, &uri, None).t;
            let problems = team_problems(&t, &invalid);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&pages, &admin, &headers, &uri, status, form, problems).await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}

/// POST /desk/admin/teams/active: deactivates (`active` = "false") or reactivates (`active` =
/// "true") the team `name`.
pub(crate) async fn set_active(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => {
            let (status, typed) = (StatusCode::FORBIDDEN, AdminForm::default());
            return page(&pages, &admin, &headers, &uri, status, typed, banner).await;
        }
        Err(response) => return response,
    }
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => return super::not_found(&pages, &headers, &uri),
    };
    match pages
        .app
        .set_team_active(admin.staff(), &form.name, active)
        .await
    {
        Ok(()) => {
            let done = if active { "reactivated" } else { "deactivated" };
            see_other(&done_address(done, &form.name))
        }
        Err(AppError::NotFound(_)) => super::not_found(&pages, &headers, &uri),
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
