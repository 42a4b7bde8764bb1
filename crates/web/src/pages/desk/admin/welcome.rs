//! `/desk/set-password/{token}`: the one-time link an administrator made for a staff member
//! (when adding them, or when they forgot their password). It shows whom it is for, takes a new
//! password twice, and signs them in. A link used, replaced or expired shows no form.

use super::AdminForm;
use crate::pages::Pages;
use crate::pages::layout::{Layout, render};
use crate::pages::message::{message, unavailable};
use crate::pages::problems::Problems;
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::AppError;
use redress_domain::Staff;

#[derive(Template)]
#[template(path = "admin_set_password.html")]
pub(crate) struct SetPasswordPage {
    pub layout: Layout,
    pub csrf: String,
    pub action: String,
    pub lead: String,
    pub email: String,
    pub problems: Problems,
}

/// A link that does not work (used, replaced, expired or unknown): said plainly.
fn link_used(pages: &Pages, headers: &HeaderMap, uri: &Uri) -> Response {
    let layout = pages.layout(headers, uri, None);
    let (title, text) = ("admin-welcome-used-title", "admin-welcome-used");
    message(StatusCode::NOT_FOUND, layout, title, text, false)
}

async fn holder(
    pages: &Pages,
    headers: &HeaderMap,
    uri: &Uri,
    token: &str,
) -> Result<Staff, Response> {
    match pages.app.password_link_holder(token).await {
        Ok(Some(staff)) => Ok(staff),
        Ok(None) => Err(link_used(pages, headers, uri)),
        Err(e) => Err(unavailable(pages, headers, uri, &e)),
    }
}

async fn page(
    pages: &Pages,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    token: &str,
    staff: &Staff,
    problems: Problems,
) -> Response {
    match pages.form_frame(headers, uri, None).await {
        Ok((layout, csrf, cookies)) => {
            let page = SetPasswordPage {
                lead: layout.t.format(
                    "admin-welcome-lead",
                    &[
                        ("name", staff.name.as_str().to_owned().into()),
                        ("email", staff.email.as_str().to_owned().into()),
                    ],
                ),
                email: staff.email.as_str().to_owned(),
                problems: problems.summarise(&layout.t),
                action: format!("/desk/set-password/{token}"),
                layout,
                csrf,
            };
            render(status, &page, &cookies)
        }
        Err(e) => unavailable(pages, headers, uri, &e),
    }
}

/// GET /desk/set-password/{token}
pub(crate) async fn show(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let staff = match holder(&pages, &headers, &uri, &token).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let problems = Problems::default();
    page(
        &pages,
        &headers,
        &uri,
        StatusCode::OK,
        &token,
        &staff,
        problems,
    )
    .await
}

/// POST /desk/set-password/{token}: sets the password and signs them in.
pub(crate) async fn set_password(
    State(pages): State<Pages>,
    Path(token): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let form = form.map(|Form(f)| f).unwrap_or_default();
    let staff = match holder(&pages, &headers, &uri, &token).await {
        Ok(s) => s,
        Err(response) => return response,
    };
    let t = pages.layout(&headers, &uri, None).t;
    match pages.check_form(&headers, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(refusal)) => {
            let banner = Problems::banner(t.get(refusal.message_id()));
            let status = StatusCode::FORBIDDEN;
            return page(&pages, &headers, &uri, status, &token, &staff, banner).await;
        }
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    let mut problems = Problems::default();
    if form.password != form.confirm_password {
        problems.add("confirm_password", t.get("desk-password-mismatch"));
    } else {
        match pages.app.use_password_link(&token, &form.password).await {
            Ok(signed_in) => return pages.signed_in(&signed_in),
            Err(AppError::NotFound(_)) => return link_used(&pages, &headers, &uri),
            Err(AppError::Invalid(_)) => {
                problems.add("password", t.get("desk-password-rules"));
            }
            Err(e) => return unavailable(&pages, &headers, &uri, &e),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(&pages, &headers, &uri, status, &token, &staff, problems).await
}
