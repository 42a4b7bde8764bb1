//! `/desk/admin/organisation`: what customers read about the organisation (its name, who
//! answers first and how soon, every way to reach it, the lists they pick from). Saved here, it
//! replaces the configuration file's texts on every node.

use super::{AdminForm, DeskAdmin, Part, PartLink, lines};
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, query_param, render};
use crate::pages::message::unavailable;
use crate::pages::problems::Problems;
use crate::pages::{Pages, see_other};
use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use redress_app::{AppError, MAX_FIRST_RESPONSE_DAYS, OrganisationDraft, Settings};
use redress_catalogue::Messages;
use redress_domain::Invalid;

#[derive(Template)]
#[template(path = "admin_organisation.html")]
pub(crate) struct OrganisationPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub done: Option<String>,
    pub state: String,
    pub problems: Problems,
    pub typed: AdminForm,
}

/// The form as the settings fill it.
fn filled(settings: &Settings) -> AdminForm {
    AdminForm {
        name: settings.organisation.clone(),
        care_team: settings.care_team.clone().unwrap_or_default(),
        first_response_days: settings.first_response_days.to_string(),
        email: settings.contact.email.clone().unwrap_or_default(),
        phone: settings.contact.phone.clone().unwrap_or_default(),
        opening_hours: settings.contact.opening_hours.join("\n"),
        postal_address: settings.contact.postal_address.clone().unwrap_or_default(),
        products: settings.products.join("\n"),
        locations: settings.locations.join("\n"),
        version: settings.version.to_string(),
        ..AdminForm::default()
    }
}

fn organisation_problems(t: &Messages, invalid: &Invalid, problems: &mut Problems) {
    for e in &invalid.errors {
        let id = match e.field.as_str() {
            "name" => "admin-problem-org-name",
            "first_response_days" => "admin-problem-days",
            "email" => "admin-problem-email",
            "phone" => "admin-problem-phone",
            "opening_hours" | "products" | "locations" => "admin-problem-list",
            _ => "admin-problem-too-long",
        };
        problems.add(&e.field, t.get(id));
    }
}

async fn page(
    pages: &Pages,
    admin: &DeskAdmin,
    headers: &HeaderMap,
    uri: &Uri,
    status: StatusCode,
    typed: Option<AdminForm>,
    problems: Problems,
) -> Response {
    let settings = match pages.app.organisation(admin.staff()).await {
        Ok(s) => s,
        Err(e) => return unavailable(pages, headers, uri, &e),
    };
    let frame = match pages.admin_frame(admin, headers, uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let state = if settings.version == 0 {
        t.get("admin-organisation-from-config")
    } else {
        t.format(
            "admin-organisation-saved",
            &[("count", i64::from(settings.version).into())],
        )
    };
    let page = OrganisationPage {
        done: (query_param(uri, "done").as_deref() == Some("saved"))
            .then(|| t.get("admin-done-org")),
        state,
        problems: problems.summarise(t),
        typed: typed.unwrap_or_else(|| filled(&settings)),
        parts: Part::Organisation.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(status, &page, &frame.cookies)
}

/// GET /desk/admin/organisation
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    page(
        &pages,
        &admin,
        &headers,
        &uri,
        StatusCode::OK,
        None,
        Problems::default(),
    )
    .await
}

/// POST /desk/admin/organisation
pub(crate) async fn save(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
    form: Result<Form<AdminForm>, FormRejection>,
) -> Response {
    let mut form = form.map(|Form(f)| f).unwrap_or_default();
    match pages.admin_form_check(&headers, &uri, &form.csrf).await {
        Ok(Ok(())) => {}
        Ok(Err(banner)) => {
            let status = StatusCode::FORBIDDEN;
            return page(&pages, &admin, &headers, &uri, status, Some(form), banner).await;
        }
        Err(response) => return response,
    }
    let t = pages.layout(&headers, &uri, None).t;
    let mut problems = Problems::default();
    // A number the app can check; anything else is this form's own problem (the app still
    // checks every other field, so all problems show at once).
    let days = form
        .first_response_days
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|d| (1..=MAX_FIRST_RESPONSE_DAYS).contains(d));
    if days.is_none() {
        problems.add("first_response_days", t.get("admin-problem-days"));
    }
    let text = |s: &str| Some(s.to_owned()).filter(|s| !s.trim().is_empty());
    let draft = OrganisationDraft {
        name: Some(form.name.clone()),
        care_team: text(&form.care_team),
        first_response_days: Some(days.unwrap_or(1)),
        email: text(&form.email),
        phone: text(&form.phone),
        opening_hours: lines(&form.opening_hours),
        postal_address: text(&form.postal_address),
        products: lines(&form.products),
        locations: lines(&form.locations),
        version: form.version.trim().parse().ok(),
    };
    let result = if days.is_some() {
        pages.app.save_organisation(admin.staff(), &draft).await
    } else {
        // Checked without saving: the draft with a valid number stands in for the form.
        match pages.app.check_organisation(admin.staff(), &draft) {
            Ok(()) => Err(AppError::Invalid(Invalid::default())),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(_) => return see_other("/desk/admin/organisation?done=saved"),
        Err(AppError::Invalid(invalid)) => organisation_problems(&t, &invalid, &mut problems),
        Err(AppError::Conflict(_)) => {
            // Someone saved meanwhile: their version is the one to replace if saved again.
            problems.banner = Some(t.get("admin-problem-changed"));
            if let Ok(current) = pages.app.organisation(admin.staff()).await {
                form.version = current.version.to_string();
            }
            let status = StatusCode::CONFLICT;
            return page(&pages, &admin, &headers, &uri, status, Some(form), problems).await;
        }
        Err(e) => return unavailable(&pages, &headers, &uri, &e),
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    page(&pages, &admin, &headers, &uri, status, Some(form), problems).await
}
