//! `/desk/admin/root-causes`: the causes staff choose from when they close a case; adding one,
//! relabelling one, and deactivating (no longer offered) or reactivating one.

use super::{AdminForm, DeskAdmin, Part, PartLink, query_value};
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, render};
use crate::pages::message::unavailable;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, RootCauseChangeDraft, RootCauseDraft};
use redress_catalogue::Messages;
use redress_domain::{Invalid, RootCause};

pub(crate) struct CauseRow {
    pub code: String,
    pub label: String,
    pub active: bool,
    /// The relabelling box: its label, what is in it, and its problem.
    pub relabel: String,
    pub typed: String,
    pub problem: Option<String>,
    pub button: String,
}

#[derive(Template)]
#[template(path = "admin_root_causes.html")]
pub(crate) struct RootCausesPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub done: Option<String>,
    pub rows: Vec<CauseRow>,
    pub problems: Problems,
    pub typed: AdminForm,
}

fn cause_problems(t: &Messages, invalid: &Invalid) -> Problems {
    let mut problems = Problems::default();
    for e in &invalid.errors {
        let id = match e.field.as_str() {
            "label" => "admin-problem-label",
            "code" if e.message.contains("already") => "admin-problem-code-taken",
            "code" => "admin-problem-code",
            _ => "problem-general",
        };
        problems.add(&e.field, t.get(id));
    }
    problems
}

/// A relabelling that came back: which cause, what was typed, what is wrong.
struct Relabel {
    code: String,
    typed: String,
    problem: String,
}

#[allow(clippy::too_many_arguments)]
async fn page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    typed: AdminForm,
    problems: Problems,
    relabel: Option<Relabel>,
) -> Response {
    let causes = match pages.app.root_causes().await {
        Ok(c) => c,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let done = done_notice(t, uri, &causes);
    let mut problems = problems;
    if let Some(r) = &relabel {
        problems.add(&format!("label-{}", r.code), r.problem.clone());
    }
    let rows = causes
        .iter()
        .map(|c| {
            let label = || vec![("label", c.label.clone().into())];
            let button = if c.active {
                "admin-cause-deactivate-button"
            } else {
                "admin-cause-reactivate-button"
            };
            let back = relabel.as_ref().filter(|r| r.code == c.code.as_str());
            CauseRow {
                code: c.code.as_str().to_owned(),
                label: c.label.clone(),
                active: c.active,
                relabel: t.format("admin-cause-relabel", &label()),
                typed: back.map_or_else(|| c.label.clone(), |r| r.typed.clone()),
                problem: back.map(|r| r.problem.clone()),
                button: t.format(button, &label()),
            }
        })
        .collect();
    let page = RootCausesPage {
        done,
        rows,
        problems: problems.summarise(t),
        typed,
        parts: Part::RootCauses.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// The notice after a form was taken (`?done=added&code=…`).
fn done_notice(t: &Messages, uri: &Uri, causes: &[RootCause]) -> Option<String> {
    let id = match query_value(uri, "done")?.as_str() {
        "added" => "admin-done-cause-added",
        "relabel" => "admin-done-cause-changed",
        "deactivate" => "admin-done-cause-deactivated",
        "reactivate" => "admin-done-cause-reactivated",
        _ => return None,
    };
    let code = query_value(uri, "code")?;
    let cause = causes.iter().find(|c| c.code.as_str() == code)?;
    Some(t.format(id, &[("label", cause.label.clone().into())]))
}

/// GET /desk/admin/root-causes
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let (status, typed) = (StatusCode::OK, AdminForm::default());
    let problems = Problems::default();
    page(
        &pages, &admin, &headers, &uri, status, typed, problems, None,
    )
    .await
}

/// POST /desk/admin/root-causes: adds a root cause.
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
            return page(&pages, &admin, &headers, &uri, status, form, banner, None).await;
        }
        Err(response) => return response,
    }
    let draft = RootCauseDraft {
        label: Some(form.label.clone()),
        code: Some(form.code.clone()),
    };
    match pages.app.add_root_cause(admin.staff(), &draft).await {
        Ok(cause) => see_other(&format!(
            "/desk/admin/root-causes?done=added&code={}",
            cause.code.as_str()
        )),
        Err(AppError::Invalid(invalid)) => {
            let t = pages.layout(&headers, &uri, None).t;
            let problems = cause_problems(&t, &invalid);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            page(&pages, &admin, &headers, &uri, status, form, problems, None).await
        }
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}

/// POST /desk/admin/root-causes/{code}/{action}: relabel (with `label`), deactivate or
/// reactivate.
pub(crate) async fn act(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    Path((code, action)): Path<(String, String)>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let draft = match action.as_str() {
        "relabel" => RootCauseChangeDraft::default(),
        "deactivate" => RootCauseChangeDraft {
            label: None,
            active: Some(false),
        },
        "reactivate" => RootCauseChangeDraft {
            label: None,
            active: Some(true),
        },
        _ => return super::not_found(&pages, &headers, &uri),
    };
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let draft = RootCauseChangeDraft {
        label: (action == "relabel").then(|| form.label.clone()),
        ..draft
    };
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => {
            let (status, typed) = (StatusCode::FORBIDDEN, AdminForm::default());
            return page(&pages, &admin, &headers, &uri, status, typed, banner, None).await;
        }
        Err(response) => return response,
    }
    match pages
        .app
        .change_root_cause(admin.staff(), &code, &draft)
        .await
    {
        Ok(cause) => see_other(&format!(
            "/desk/admin/root-causes?done={action}&code={}",
            cause.code.as_str()
        )),
        Err(AppError::Invalid(_)) => {
            let t = pages.layout(&headers, &uri, None).t;
            let relabel = Relabel {
                code,
                typed: form.label.clone(),
                problem: t.get("admin-problem-label"),
            };
            let (status, typed) = (StatusCode::UNPROCESSABLE_ENTITY, AdminForm::default());
            let problems = Problems::default();
            page(
                &pages,
                &admin,
                &headers,
                &uri,
                status,
                typed,
                problems,
                Some(relabel),
            )
            .await
        }
        Err(AppError::NotFound(_)) => super::not_found(&pages, &headers, &uri),
        Err(e) => unavailable(&pages, &headers, &uri, &e),
    }
}
