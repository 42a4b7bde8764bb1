//! The administration of the desk: staff, teams, root causes, the organisation's texts and the
//! mail to customers, for administrators only. Every handler takes [`DeskAdmin`], which answers
//! anyone else (an agent, a supervisor) with a plain 403 page before a form is even read, so
//! nothing changes; the app checks the role again in every use case, whatever the channel.
//! Every form carries the CSRF token of the guard; a refused form comes back with every typed
//! word and each problem beside its field.
//!
//! The one page here for someone who is not signed in is the password link's
//! (`/desk/set-password/{token}`, in [`welcome`]).

mod mail;
mod organisation;
mod overview;
mod root_causes;
mod staff;
mod teams;
mod welcome;

use super::session::{DeskNav, DeskStaff};
use crate::pages::Pages;
use crate::pages::layout::Layout;
use crate::pages::message::{message, unavailable};
use crate::pages::problems::Problems;
use axum::Router;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use redress_domain::{Role, Staff};
use serde::Deserialize;

pub(crate) fn routes() -> Router<Pages> {
    Router::new()
        .route("/desk/admin", get(overview::show))
        .route("/desk/admin/staff", get(staff::list).post(staff::add))
        .route(
            "/desk/admin/staff/{id}",
            get(staff::show).post(staff::change),
        )
        .route("/desk/admin/staff/{id}/{action}", post(staff::act))
        .route("/desk/admin/teams", get(teams::show).post(teams::add))
        .route("/desk/admin/teams/active", post(teams::set_active))
        .route(
            "/desk/admin/root-causes",
            get(root_causes::show).post(root_causes::add),
        )
        .route(
            "/desk/admin/root-causes/{code}/{action}",
            post(root_causes::act),
        )
        .route(
            "/desk/admin/organisation",
            get(organisation::show).post(organisation::save),
        )
        .route("/desk/admin/mail", get(mail::show).post(mail::save))
        // Whatever else is asked for under /desk/admin: the same guard first, then "nothing
        // here".
        .route("/desk/admin/", get(nothing_here).post(nothing_here))
        .route("/desk/admin/{*rest}", get(nothing_here).post(nothing_here))
        .route(
            "/desk/set-password/{token}",
            get(welcome::show).post(welcome::set_password),
        )
}

/// A signed-in administrator. Anyone else signed in gets a plain 403 page; nobody signed in is
/// sent to sign in (as on every desk page).
pub(crate) struct DeskAdmin(pub DeskStaff);

impl FromRequestParts<Pages> for DeskAdmin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, pages: &Pages) -> Result<Self, Self::Rejection> {
        let desk = DeskStaff::from_request_parts(parts, pages).await?;
        if desk.staff.role == Role::Admin {
            return Ok(DeskAdmin(desk));
        }
        tracing::info!(staff = %desk.staff.id, "refused: the administration is for administrators");
        let layout = pages.layout(&parts.headers, &parts.uri, None);
        Err(forbidden(layout))
    }
}

impl DeskAdmin {
    pub(crate) fn staff(&self) -> &Staff {
        &self.0.staff
    }
}

/// The plain page for someone who may not be here.
pub(crate) fn forbidden(layout: Layout) -> Response {
    let (title, text) = ("admin-forbidden-title", "admin-forbidden-text");
    message(StatusCode::FORBIDDEN, layout, title, text, false)
}

/// GET or POST under /desk/admin that names nothing (for an administrator: 404).
async fn nothing_here(
    State(pages): State<Pages>,
    _admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    not_found(&pages, &headers, &uri)
}

pub(crate) fn not_found(pages: &Pages, headers: &HeaderMap, uri: &Uri) -> Response {
    let layout = pages.layout(headers, uri, None);
    let (title, text) = ("admin-not-found-title", "admin-not-found-text");
    message(StatusCode::NOT_FOUND, layout, title, text, false)
}

/// What every administration page has around its content.
pub(crate) struct Frame {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    /// `Set-Cookie` values the response must carry.
    pub cookies: Vec<String>,
}

/// The parts of the administration, for its own navigation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Overview,
    Staff,
    Teams,
    RootCauses,
    Organisation,
    Mail,
}

/// One entry of the administration's navigation.
pub(crate) struct PartLink {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

impl Part {
    const ALL: [(Part, &'static str, &'static str); 6] = [
        (Part::Overview, "/desk/admin", "admin-nav-overview"),
        (Part::Staff, "/desk/admin/staff", "admin-nav-staff"),
        (Part::Teams, "/desk/admin/teams", "admin-nav-teams"),
        (
            Part::RootCauses,
            "/desk/admin/root-causes",
            "admin-nav-root-causes",
        ),
        (
            Part::Organisation,
            "/desk/admin/organisation",
            "admin-nav-organisation",
        ),
        (Part::Mail, "/desk/admin/mail", "admin-nav-mail"),
    ];

    pub(crate) fn links(self, layout: &Layout) -> Vec<PartLink> {
        Self::ALL
            .iter()
            .map(|(part, href, label)| PartLink {
                href,
                label: layout.tr(label),
                current: *part == self,
            })
            .collect()
    }
}

impl Pages {
    /// The frame of an administration page, or the page saying storage is not answering.
    pub(crate) async fn admin_frame(
        &self,
        admin: &DeskAdmin,
        headers: &HeaderMap,
        uri: &Uri,
    ) -> Result<Frame, Response> {
        match self.form_frame(headers, uri, None).await {
            Ok((layout, csrf, cookies)) => Ok(Frame {
                layout,
                csrf,
                nav: admin.0.nav(),
                cookies,
            }),
            Err(e) => Err(unavailable(self, headers, uri, &e)),
        }
    }

    /// Whether a posted administration form may be acted on: `Err` with the banner saying why
    /// not (the form expired, or came from elsewhere), or the page for a storage failure.
    pub(crate) async fn admin_form_check(
        &self,
        headers: &HeaderMap,
        uri: &Uri,
        csrf: &str,
    ) -> Result<Result<(), Problems>, Response> {
        match self.check_form(headers, csrf).await {
            Ok(Ok(())) => Ok(Ok(())),
            Ok(Err(refusal)) => {
                let t = self.layout(headers, uri, None).t;
                Ok(Err(Problems::banner(t.get(refusal.message_id()))))
            }
            Err(e) => Err(unavailable(self, headers, uri, &e)),
        }
    }
}

/// Every field any administration form sends (each form sends some of them).
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
pub(crate) struct AdminForm {
    pub csrf: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub team: String,
    pub authority_amount: String,
    pub authority_currency: String,
    pub description: String,
    pub label: String,
    pub code: String,
    pub active: String,
    pub care_team: String,
    pub first_response_days: String,
    pub phone: String,
    pub opening_hours: String,
    pub postal_address: String,
    pub products: String,
    pub locations: String,
    pub version: String,
    pub password: String,
    pub confirm_password: String,
}

/// One parameter of the query string, decoded.
pub(crate) fn query_value(uri: &Uri, name: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(uri.query()?)
        .ok()?
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// A textarea's lines, for a list.
pub(crate) fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

pub(crate) use crate::pages::complain::Choice;

/// The roles, in the reader's language, `current` selected.
pub(crate) fn role_choices(layout: &Layout, current: &str) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: role_name(layout, *r),
            selected: r.as_str() == current,
        })
        .collect()
}

pub(crate) fn role_name(layout: &Layout, role: Role) -> String {
    layout.tr(&format!("admin-role-{}", role.as_str()))
}
