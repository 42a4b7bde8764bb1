//! `/desk/admin/staff`: everyone on the staff, and adding someone (who gets a one-time link to
//! set their password, shown here once for the administrator to pass on);
//! `/desk/admin/staff/{id}`: one person's role, team and authority limit, a new password link
//! or API token, deactivating and reactivating them.

use super::{AdminForm, Choice, DeskAdmin, Part, PartLink, role_choices, role_name};
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::unavailable;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, PasswordLink, StaffChangeDraft, StaffDraft};
use redress_catalogue::Messages;
use redress_domain::{ApiToken, Invalid, Staff, StaffId};
use redress_store::Team;

/// One row of the staff list.
pub(crate) struct StaffRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub team: String,
    pub limit: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "admin_staff.html")]
pub(crate) struct StaffListPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub rows: Vec<StaffRow>,
    pub problems: Problems,
    pub typed: AdminForm,
    pub roles: Vec<Choice>,
    pub teams: Vec<Choice>,
}

/// Something shown once: a password link or an API token.
pub(crate) struct ShownOnce {
    pub title: String,
    pub text: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "admin_staff_member.html")]
pub(crate) struct StaffMemberPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub done: Option<String>,
    pub problems: Problems,
    pub shown_once: Option<ShownOnce>,
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub team: String,
    pub limit: String,
    pub created: String,
    pub active: bool,
    pub is_self: bool,
    pub roles: Vec<Choice>,
    pub teams: Vec<Choice>,
    pub authority_amount: String,
    pub authority_currency: String,
    pub deactivate_button: String,
    pub reactivate_button: String,
}

fn team_text(t: &Messages, staff: &Staff) -> String {
    staff
        .team
        .as_ref()
        .map_or_else(|| t.get("admin-no-team"), |team| team.as_str().to_owned())
}

fn limit_text(t: &Messages, staff: &Staff) -> String {
    staff
        .authority_limit
        .as_ref()
        .map_or_else(|| t.get("admin-no-limit"), ToString::to_string)
}

/// The teams to choose from: "No team", the active teams, and `current` if it is inactive.
fn team_choices(t: &Messages, teams: &[Team], current: Option<&str>, typed: &str) -> Vec<Choice> {
    let mut choices = vec![Choice {
        value: String::new(),
        label: t.get("admin-no-team"),
        selected: typed.is_empty(),
    }];
    for team in teams
        .iter()
        .filter(|team| team.active || Some(team.name.as_str()) == current)
    {
        let name = team.name.as_str();
        choices.push(Choice {
            value: name.to_owned(),
            label: name.to_owned(),
            selected: name == typed,
        });
    }
    choices
}

/// The absolute address of a password link.
fn link_address(pages: &Pages, headers: &HeaderMap, token: &str) -> String {
    let site = pages.tracking_link(headers, "");
    let origin = site.strip_suffix("/track/").unwrap_or(&site);
    format!("{origin}/desk/set-password/{token}")
}

/// The problems of a staff form, in the reader's language, beside their fields.
fn staff_problems(t: &Messages, invalid: &Invalid) -> Problems {
    let mut problems = Problems::default();
    for e in &invalid.errors {
        let field = e.field.as_str();
        let id = match field {
            "name" => "admin-problem-name",
            "email" if e.message.contains("already") => "admin-problem-email-taken",
            "email" => "admin-problem-email",
            "role" if e.message.contains("your own") => "admin-problem-own-role",
            "role" => "admin-problem-role",
            "team" => "admin-problem-team",
            "authority_amount" => "admin-problem-amount",
            "authority_currency" => "admin-problem-currency",
            "active" => "admin-problem-own-deactivate",
            _ => "problem-general",
        };
        // Deactivating oneself is refused by a button, not a field: say it at the top.
        if field == "active" {
            problems.banner = Some(t.get(id));
        } else {
            problems.add(field, t.get(id));
        }
    }
    problems
}

async fn list_page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    typed: AdminForm,
    problems: Problems,
) -> Response {
    let by = admin.staff();
    let (staff, teams) = match (
        pages.app.staff_for_admin(by).await,
        pages.app.teams(by).await,
    ) {
        (Ok(s), Ok(t)) => (s, t),
        (Err(e), _) | (_, Err(e)) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let rows = staff
        .iter()
        .map(|s| StaffRow {
            id: s.id.to_string(),
            name: s.name.as_str().to_owned(),
            email: s.email.as_str().to_owned(),
            role: role_name(&frame.layout, s.role),
            team: team_text(t, s),
            limit: limit_text(t, s),
            active: s.active,
        })
        .collect();
    let role = if typed.role.is_empty() {
        "agent".to_owned()
    } else {
        typed.role.clone()
    };
    let page = StaffListPage {
        roles: role_choices(&frame.layout, &role),
        teams: team_choices(t, &teams, None, &typed.team),
        problems: problems.summarise(t),
        rows,
        typed,
        parts: Part::Staff.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// GET /desk/admin/staff
pub(crate) async fn list(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let typed = AdminForm::default();
    list_page(
        &pages,
        &admin,
        &headers,
        &uri,
        StatusCode::OK,
        typed,
        Problems::default(),
    )
    .await
}

/// POST /desk/admin/staff: adds someone; the answer shows their password link, once.
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
            return list_page(&pages, &admin, &headers, &uri, status, form, banner).await;
        }
        Err(response) => return response,
    }
    let draft = StaffDraft {
        name: Some(form.name.clone()),
        email: Some(form.email.clone()),
        role: Some(form.role.clone()),
        team: Some(form.team.clone()),
        authority_amount: Some(form.authority_amount.clone()),
        authority_currency: Some(form.authority_currency.clone()),
    };
    match pages.app.create_staff(admin.staff(), &draft).await {
        Ok((_, link)) => {
            let done = Some(Done::Added);
            let shown = Shown::Link(link);
            member_after(&pages, &admin, &headers, &uri, shown, done).await
        }
        Err(AppError::Invalid(invalid)) => {
            let t = pages.layout(&headers, &uri, None).t;
            let problems = staff_problems(&t, &invalid);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            list_page(&pages, &admin, &headers, &uri, status, form, problems).await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}

/// What was just done to someone, for the notice at the top of their page.
#[derive(Clone, Copy)]
enum Done {
    Added,
    Changed,
    Deactivated,
    Reactivated,
}

impl Done {
    fn key(self) -> &'static str {
        match self {
            Done::Added => "added",
            Done::Changed => "changed",
            Done::Deactivated => "deactivated",
            Done::Reactivated => "reactivated",
        }
    }

    fn from_key(key: &str) -> Option<Done> {
        [
            Done::Added,
            Done::Changed,
            Done::Deactivated,
            Done::Reactivated,
        ]
        .into_iter()
        .find(|d| d.key() == key)
    }
}

/// Shown once on the page after it was made.
enum Shown {
    Nothing,
    Link(PasswordLink),
    Token(ApiToken),
}

/// The person's page, as typed into its form (`typed`) when it comes back with problems.
#[allow(clippy::too_many_arguments)]
async fn member_page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    member: &Staff,
    typed: Option<&AdminForm>,
    problems: Problems,
    shown: Shown,
    done: Option<Done>,
) -> Response {
    let teams = match pages.app.teams(admin.staff()).await {
        Ok(t) => t,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let name = member.name.as_str().to_owned();
    let with_name = |id: &str| t.format(id, &[("name", name.clone().into())]);
    let shown_once = match shown {
        Shown::Nothing => None,
        Shown::Link(link) => Some(ShownOnce {
            title: with_name("admin-link-title"),
            text: t.format(
                "admin-link-text",
                &[
                    ("name", name.clone().into()),
                    ("date", t.date(link.expires_at.date()).into()),
                ],
            ),
            value: link_address(pages, headers, link.token.reveal()),
        }),
        Shown::Token(token) => Some(ShownOnce {
            title: with_name("admin-token-title"),
            text: with_name("admin-token-text"),
            value: token.reveal().to_owned(),
        }),
    };
    let current_team = member.team.as_ref().map(|t| t.as_str());
    let (role, team, amount, currency) = match typed {
        Some(f) => (
            f.role.clone(),
            f.team.clone(),
            f.authority_amount.clone(),
            f.authority_currency.clone(),
        ),
        None => (
            member.role.as_str().to_owned(),
            current_team.unwrap_or_default().to_owned(),
            member
                .authority_limit
                .as_ref()
                .map(|m| m.amount_string())
                .unwrap_or_default(),
            member
                .authority_limit
                .as_ref()
                .map(|m| m.currency.as_str().to_owned())
                .unwrap_or_default(),
        ),
    };
    let page = StaffMemberPage {
        done: done.map(|d| with_name(&format!("admin-done-{}", d.key()))),
        problems: problems.summarise(t),
        shown_once,
        id: member.id.to_string(),
        email: member.email.as_str().to_owned(),
        role: role_name(&frame.layout, member.role),
        team: team_text(t, member),
        limit: limit_text(t, member),
        created: t.date(member.created_at.date()),
        active: member.active,
        is_self: member.id == admin.staff().id,
        roles: role_choices(&frame.layout, &role),
        teams: team_choices(t, &teams, current_team, &team),
        authority_amount: amount,
        authority_currency: currency,
        deactivate_button: with_name("admin-deactivate-button"),
        reactivate_button: with_name("admin-reactivate-button"),
        name,
        parts: Part::Staff.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// The person's page after something was made for them (shown once) or done to them.
async fn member_after(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    shown: Shown,
    done: Option<Done>,
) -> Response {
    let member = match &shown {
        Shown::Link(link) => link.staff.clone(),
        _ => return see_other("/desk/admin/staff"),
    };
    let status = StatusCode::OK;
    let problems = Problems::default();
    member_page(
        pages, admin, headers, uri, status, &member, None, problems, shown, done,
    )
    .await
}

/// The staff member named in the path, or the answer to give instead.
async fn member(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    id: &str,
) -> Result<Staff, Response> {
    let not_found = || {
        let layout = pages.layout(headers, uri, None);
        let (title, text) = ("admin-staff-not-found-title", "admin-staff-not-found-text");
        crate::pages::message::message(StatusCode::NOT_FOUND, layout, title, text, false)
    };
    let Ok(id) = id.parse::<StaffId>() else {
        return Err(not_found());
    };
    match pages.app.staff_member(admin.staff(), id).await {
        Ok(s) => Ok(s),
        Err(AppError::NotFound(_)) => Err(not_found()),
        Err(e) => Err(unavailable(pages, headers, uri, &e)),
    }
}

/// GET /desk/admin/staff/{id}
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let member = match member(&pages, &admin, &headers, &uri, &id).await {
        Ok(m) => m,
        Err(response) => return response,
    };
    let done = query_param(&uri, "done").and_then(|d| Done::from_key(&d));
    member_page(
        &pages,
        &admin,
        &headers,
        &uri,
        StatusCode::OK,
        &member,
        None,
        Problems::default(),
        Shown::Nothing,
        done,
    )
    .await
}

/// POST /desk/admin/staff/{id}: a new role, team or authority limit.
pub(crate) async fn change(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    Path(id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let member = match member(&pages, &admin, &headers, &uri, &id).await {
        Ok(m) => m,
        Err(response) => return response,
    };
    let back = |status, problems| {
        let (pages, admin, headers, uri, member, form) =
            (&pages, &admin, &headers, &uri, &member, &form);
        async move {
            member_page(
                pages,
                admin,
                headers,
                uri,
                status,
                member,
                Some(form),
                problems,
                Shown::Nothing,
                None,
            )
            .await
        }
    };
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => return back(StatusCode::FORBIDDEN, banner).await,
        Err(response) => return response,
    }
    let draft = StaffChangeDraft {
        // One's own role is not on the form: it stays.
        role: Some(form.role.clone()).filter(|r| !r.is_empty()),
        team: Some(form.team.clone()),
        authority_amount: Some(form.authority_amount.clone()),
        authority_currency: Some(form.authority_currency.clone()),
        active: None,
    };
    let t = pages.layout(&headers, &uri, None).t;
    match pages
        .app
        .change_staff(admin.staff(), member.id, &draft)
        .await
    {
        Ok(_) => see_other(&format!("/desk/admin/staff/{}?done=changed", member.id)),
        Err(AppError::Invalid(invalid)) => {
            back(
                StatusCode::UNPROCESSABLE_ENTITY,
                staff_problems(&t, &invalid),
            )
            .await
        }
        Err(AppError::Conflict(_)) => {
            let banner = Problems::banner(t.get("admin-problem-last-admin"));
            back(StatusCode::CONFLICT, banner).await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}

/// POST /desk/admin/staff/{id}/{action}: deactivate, reactivate, password-link or api-token.
pub(crate) async fn act(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    Path((id, action)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    if !["deactivate", "reactivate", "password-link", "api-token"].contains(&action.as_str()) {
        return super::not_found(&pages, &headers, &uri);
    }
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let member = match member(&pages, &admin, &headers, &uri, &id).await {
        Ok(m) => m,
        Err(response) => return response,
    };
    let back = |status, problems| {
        let (pages, admin, headers, uri, member) = (&pages, &admin, &headers, &uri, &member);
        async move {
            member_page(
                pages,
                admin,
                headers,
                uri,
                status,
                member,
                None,
                problems,
                Shown::Nothing,
                None,
            )
            .await
        }
    };
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => return back(StatusCode::FORBIDDEN, banner).await,
        Err(response) => return response,
    }
    let by = admin.staff();
    let t = pages.layout(&headers, &uri, None).t;
    let refused = |e: AppError| {
        let t = &t;
        async move {
            match e {
                AppError::Invalid(invalid) => Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    staff_problems(t, &invalid),
                )),
                AppError::Conflict(why) => {
                    let id = if why.contains("inactive") {
                        "admin-problem-inactive"
                    } else {
                        "admin-problem-last-admin"
                    };
                    Ok((StatusCode::CONFLICT, Problems::banner(t.get(id))))
                }
                other => Err(other),
            }
        }
    };
    let outcome = match action.as_str() {
        "deactivate" | "reactivate" => {
            let active = action == "reactivate";
            let draft = StaffChangeDraft {
                active: Some(active),
                ..StaffChangeDraft::default()
            };
            match pages.app.change_staff(by, member.id, &draft).await {
                Ok(_) => {
                    let done = if active { "reactivated" } else { "deactivated" };
                    return see_other(&format!("/desk/admin/staff/{}?done={done}", member.id));
                }
                Err(e) => refused(e).await,
            }
        }
        "password-link" => match pages.app.issue_password_link(by, member.id).await {
            Ok(link) => {
                let shown = Shown::Link(link);
                return member_after(&pages, &admin, &headers, &uri, shown, None).await;
            }
            Err(e) => refused(e).await,
        },
        _ => match pages.app.issue_api_token(by, member.id).await {
            Ok(token) => {
                return member_page(
                    &pages,
                    &admin,
                    &headers,
                    &uri,
                    StatusCode::OK,
                    &member,
                    None,
                    Problems::default(),
                    Shown::Token(token),
                    None,
                )
                .await;
            }
            Err(e) => refused(e).await,
        },
    };
    match outcome {
        Ok((status, problems)) => back(status, problems).await,
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
