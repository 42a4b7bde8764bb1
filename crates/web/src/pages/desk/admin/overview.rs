//! `/desk/admin`: the way to each part of the administration, with what stands there now.

use super::{DeskAdmin, Part, PartLink};
use crate::pages::Pages;
use crate::pages::desk::session::DeskNav;
use crate::pages::layout::{Layout, render};
use crate::pages::message::unavailable;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;

#[derive(Template)]
#[template(path = "admin_overview.html")]
pub(crate) struct OverviewPage {
    pub layout: Layout,
    pub csrf: String,
    pub nav: DeskNav,
    pub parts: Vec<PartLink>,
    pub staff_count: String,
    pub team_count: String,
    pub cause_count: String,
    pub organisation: String,
    pub organisation_state: String,
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// GET /desk/admin
pub(crate) async fn show(
    State(pages): State<Pages>,
    admin: DeskAdmin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let by = admin.staff();
    let app = &pages.app;
    let (staff, teams, causes, settings) = match (
        app.staff_for_admin(by).await,
        app.teams(by).await,
        app.root_causes().await,
        app.organisation(by).await,
    ) {
        (Ok(s), Ok(t), Ok(c), Ok(o)) => (s, t, c, o),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => {
            return unavailable(&pages, &headers, &uri, &e);
        }
    };
    let frame = match pages.admin_frame(&admin, &headers, &uri).await {
        Ok(f) => f,
        Err(response) => return response,
    };
    let t = &frame.layout.t;
    let page = OverviewPage {
        staff_count: t.format(
            "admin-overview-staff",
            &[(
                "count",
                count(staff.iter().filter(|s| s.active).count()).into(),
            )],
        ),
        team_count: t.format(
            "admin-overview-teams",
            &[(
                "count",
                count(teams.iter().filter(|t| t.active).count()).into(),
            )],
        ),
        cause_count: t.format(
            "admin-overview-root-causes",
            &[(
                "count",
                count(causes.iter().filter(|c| c.active).count()).into(),
            )],
        ),
        organisation: settings.organisation.clone(),
        organisation_state: if settings.version == 0 {
            t.get("admin-organisation-from-config")
        } else {
            t.format(
                "admin-organisation-saved",
                &[("count", i64::from(settings.version).into())],
            )
        },
        parts: Part::Overview.links(&frame.layout),
        layout: frame.layout,
        csrf: frame.csrf,
        nav: frame.nav,
    };
    render(StatusCode::OK, &page, &frame.cookies)
}
