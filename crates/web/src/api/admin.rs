//! The administration over the API: staff, teams, root causes and the organisation's texts.
//! Every endpoint that changes something is for administrators only (403 `forbidden` for
//! anyone else, nothing changed); the app checks the role in every use case.

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, StaffAuth};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use redress_app::{
    App, AppError, OrganisationDraft, PasswordLink, RootCauseChangeDraft, RootCauseDraft, Settings,
    StaffChangeDraft, StaffDraft, TeamDraft,
};
use redress_domain::{Invalid, Role, RootCause, Staff, StaffId};
use redress_store::Team;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

/// Refuses anyone but an administrator before their request body is even read, so that every
/// request of theirs gets the same 403 (the app checks again in every use case).
fn admin_only<T>(by: &Staff, body: Result<ApiJson<T>, ApiError>) -> Result<T, ApiError> {
    if by.role != Role::Admin || !by.active {
        return Err(AppError::Forbidden("only an administrator may do this".to_owned()).into());
    }
    body.map(|ApiJson(t)| t)
}

fn staff_id(raw: &str) -> Result<StaffId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::App(AppError::NotFound("staff member")))
}

/// A one-time link with which a staff member sets their password. Pass it on to them yourself:
/// it is not shown again.
#[derive(Serialize, ToSchema)]
pub struct PasswordLinkView {
    /// The link's path on this site, e.g. `/desk/set-password/…`.
    pub path: String,
    /// It works once, until then.
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub expires_at: OffsetDateTime,
}

impl From<PasswordLink> for PasswordLinkView {
    fn from(link: PasswordLink) -> Self {
        PasswordLinkView {
            path: format!("/desk/set-password/{}", link.token.reveal()),
            expires_at: link.expires_at,
        }
    }
}

/// A staff member just added, with the link to pass on to them.
#[derive(Serialize, ToSchema)]
pub struct NewStaffMember {
    pub staff: Staff,
    pub password_link: PasswordLinkView,
}

/// A new API token: shown once.
#[derive(Serialize, ToSchema)]
pub struct ApiTokenView {
    /// Send it as `Authorization: Bearer <token>`. Their earlier token no longer works.
    pub token: String,
}

/// A team staff and cases belong to.
#[derive(Serialize, ToSchema)]
pub struct TeamView {
    pub name: String,
    pub description: Option<String>,
    /// An inactive team is no longer offered for staff; whoever is in it stays.
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl From<Team> for TeamView {
    fn from(t: Team) -> Self {
        TeamView {
            name: t.name.as_str().to_owned(),
            description: t.description.map(|d| d.as_str().to_owned()),
            active: t.active,
            created_at: t.created_at,
        }
    }
}

/// Whether a team is offered.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamChangeDraft {
    /// false: no longer offered for staff (whoever is in it stays); true: offered again.
    pub active: Option<bool>,
}

/// The organisation's texts, as customers read them.
#[derive(Serialize, ToSchema)]
pub struct OrganisationView {
    pub name: String,
    /// Who answers new cases until a person owns them; absent: "the customer care team", in
    /// the reader's language.
    pub care_team: Option<String>,
    pub first_response_days: u32,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub opening_hours: Vec<String>,
    pub postal_address: Option<String>,
    pub products: Vec<String>,
    pub locations: Vec<String>,
    /// 0 while the configuration file's texts hold; then the number of the last save. Send it
    /// back with a change so that a save made meanwhile is not overwritten unseen.
    pub version: u32,
}

impl From<&Settings> for OrganisationView {
    fn from(s: &Settings) -> Self {
        OrganisationView {
            name: s.organisation.clone(),
            care_team: s.care_team.clone(),
            first_response_days: s.first_response_days,
            email: s.contact.email.clone(),
            phone: s.contact.phone.clone(),
            opening_hours: s.contact.opening_hours.clone(),
            postal_address: s.contact.postal_address.clone(),
            products: s.products.clone(),
            locations: s.locations.clone(),
            version: s.version,
        }
    }
}

/// Add a staff member
///
/// For administrators. The answer holds a one-time link (valid three days) with which they set
/// their password: pass it on to them yourself.
#[utoipa::path(
    post, path = "/staff", tag = "administration", operation_id = "add_staff",
    request_body = StaffDraft,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = NewStaffMember),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn add_staff(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    body: Result<ApiJson<StaffDraft>, ApiError>,
) -> Result<(StatusCode, Json<NewStaffMember>), ApiError> {
    let draft = admin_only(&by, body)?;
    let (staff, link) = app.create_staff(&by, &draft).await?;
    let body = NewStaffMember {
        staff,
        password_link: link.into(),
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// Read a staff member
#[utoipa::path(
    get, path = "/staff/{id}", tag = "administration", operation_id = "read_staff",
    params(("id" = String, Path, description = "The staff member's id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = Staff),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn read_staff(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Staff>, ApiError> {
    Ok(Json(app.staff_member(&by, staff_id(&id)?).await?))
}

/// Change a staff member
///
/// For administrators: their role, team, authority limit, or whether they are active (false
/// signs them out everywhere and revokes their API token). Omitted fields keep their value. An
/// administrator cannot demote or deactivate themselves (422), and the last active
/// administrator stays (409).
#[utoipa::path(
    patch, path = "/staff/{id}", tag = "administration", operation_id = "change_staff",
    params(("id" = String, Path, description = "The staff member's id")),
    request_body = StaffChangeDraft,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = Staff),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "It would leave no active administrator", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn change_staff(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(id): ApiPath<String>,
    body: Result<ApiJson<StaffChangeDraft>, ApiError>,
) -> Result<Json<Staff>, ApiError> {
    let draft = admin_only(&by, body)?;
    Ok(Json(app.change_staff(&by, staff_id(&id)?, &draft).await?))
}

/// Make a new password link for a staff member
///
/// For administrators, for someone who forgot their password: their earlier link stops working.
#[utoipa::path(
    post, path = "/staff/{id}/password-link", tag = "administration",
    operation_id = "issue_password_link",
    params(("id" = String, Path, description = "The staff member's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Made", body = PasswordLinkView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "They are inactive", body = ErrorBody),
    )
)]
pub async fn password_link(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<PasswordLinkView>), ApiError> {
    let link = app.issue_password_link(&by, staff_id(&id)?).await?;
    Ok((StatusCode::CREATED, Json(link.into())))
}

/// Make a new API token for a staff member
///
/// For administrators. Shown once; their earlier token stops working.
#[utoipa::path(
    post, path = "/staff/{id}/api-token", tag = "administration",
    operation_id = "issue_api_token",
    params(("id" = String, Path, description = "The staff member's id")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Made", body = ApiTokenView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "They are inactive", body = ErrorBody),
    )
)]
pub async fn api_token(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> Result<(StatusCode, Json<ApiTokenView>), ApiError> {
    let token = app.issue_api_token(&by, staff_id(&id)?).await?;
    let body = ApiTokenView {
        token: token.reveal().to_owned(),
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// The teams
#[utoipa::path(
    get, path = "/teams", tag = "settings", operation_id = "list_teams",
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = Vec<TeamView>))
)]
pub async fn teams(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
) -> Result<Json<Vec<TeamView>>, ApiError> {
    let teams = app.teams(&by).await?;
    Ok(Json(teams.into_iter().map(TeamView::from).collect()))
}

/// Add a team
#[utoipa::path(
    post, path = "/teams", tag = "administration", operation_id = "add_team",
    request_body = TeamDraft,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = TeamView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn add_team(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    body: Result<ApiJson<TeamDraft>, ApiError>,
) -> Result<(StatusCode, Json<TeamView>), ApiError> {
    let draft = admin_only(&by, body)?;
    let team = app.add_team(&by, &draft).await?;
    Ok((StatusCode::CREATED, Json(team.into())))
}

/// Deactivate or reactivate a team
#[utoipa::path(
    patch, path = "/teams/{name}", tag = "administration", operation_id = "change_team",
    params(("name" = String, Path, description = "The team's name")),
    request_body = TeamChangeDraft,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = TeamView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
    )
)]
pub async fn change_team(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(name): ApiPath<String>,
    body: Result<ApiJson<TeamChangeDraft>, ApiError>,
) -> Result<Json<TeamView>, ApiError> {
    let draft = admin_only(&by, body)?;
    let active = draft
        .active
        .ok_or_else(|| Invalid::field("active", "is required: true or false"))?;
    app.set_team_active(&by, &name, active).await?;
    let team = app
        .teams(&by)
        .await?
        .into_iter()
        .find(|t| t.name.as_str() == name)
        .ok_or(AppError::NotFound("team"))?;
    Ok(Json(team.into()))
}

/// Add a root cause
///
/// For administrators. Offered at the end of the list when closing a case.
#[utoipa::path(
    post, path = "/root-causes", tag = "administration", operation_id = "add_root_cause",
    request_body = RootCauseDraft,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Added", body = RootCause),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn add_root_cause(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    body: Result<ApiJson<RootCauseDraft>, ApiError>,
) -> Result<(StatusCode, Json<RootCause>), ApiError> {
    let draft = admin_only(&by, body)?;
    let cause = app.add_root_cause(&by, &draft).await?;
    Ok((StatusCode::CREATED, Json(cause)))
}

/// Relabel, deactivate or reactivate a root cause
///
/// For administrators. A deactivated cause is no longer accepted when closing a case; cases
/// closed with it keep it.
#[utoipa::path(
    patch, path = "/root-causes/{code}", tag = "administration",
    operation_id = "change_root_cause",
    params(("code" = String, Path, description = "The root cause's code")),
    request_body = RootCauseChangeDraft,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Changed", body = RootCause),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn change_root_cause(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    ApiPath(code): ApiPath<String>,
    body: Result<ApiJson<RootCauseChangeDraft>, ApiError>,
) -> Result<Json<RootCause>, ApiError> {
    let draft = admin_only(&by, body)?;
    Ok(Json(app.change_root_cause(&by, &code, &draft).await?))
}

/// Read the organisation's texts
///
/// For administrators: what customers read now, and its version.
#[utoipa::path(
    get, path = "/organisation", tag = "administration", operation_id = "read_organisation",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = OrganisationView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
    )
)]
pub async fn organisation(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
) -> Result<Json<OrganisationView>, ApiError> {
    let settings = app.organisation(&by).await?;
    Ok(Json(OrganisationView::from(settings.as_ref())))
}

/// Replace the organisation's texts
///
/// For administrators. Every field is replaced (one left out is cleared); every server serves
/// the new texts within seconds. With `version`, refused (409) if someone saved since.
#[utoipa::path(
    put, path = "/organisation", tag = "administration", operation_id = "save_organisation",
    request_body = OrganisationDraft,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Saved", body = OrganisationView),
        (status = 403, description = "Not an administrator", body = ErrorBody),
        (status = 409, description = "Someone saved since `version`", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn save_organisation(
    State(app): State<App>,
    StaffAuth(by): StaffAuth,
    body: Result<ApiJson<OrganisationDraft>, ApiError>,
) -> Result<Json<OrganisationView>, ApiError> {
    let draft = admin_only(&by, body)?;
    let settings = app.save_organisation(&by, &draft).await?;
    Ok(Json(OrganisationView::from(settings.as_ref())))
}
