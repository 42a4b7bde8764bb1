//! The staff API for customers and for the lists staff choose from.

use super::dto::CustomerProfileView;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, StaffAuth};
use axum::Json;
use axum::extract::State;
use redress_app::{App, AppError, CustomerProfileDraft};
use redress_domain::{CustomerId, RootCause, Staff};

fn customer_id(raw: &str) -> Result<CustomerId, ApiError> {
    raw.parse()
        .map_err(|_| ApiError::App(AppError::NotFound("customer")))
}

/// Read a customer
///
/// Contact details, preferred channel and language, preferences and dislikes, important dates
/// (with those falling today).
#[utoipa::path(
    get, path = "/customers/{id}", tag = "customers", operation_id = "read_customer",
    params(("id" = String, Path, description = "The customer id")),
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = CustomerProfileView), (status = 401, description = "Missing or wrong API token", body = ErrorBody), (status = 404, description = "Not found", body = ErrorBody))
)]
pub async fn read(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<CustomerProfileView>, ApiError> {
    let id = customer_id(&id)?;
    Ok(Json(app.customer(&staff, id).await?.into()))
}

/// Update a customer's profile
///
/// Omitted fields keep their value; given lists replace the stored ones.
#[utoipa::path(
    patch, path = "/customers/{id}", tag = "customers", operation_id = "update_customer",
    params(("id" = String, Path, description = "The customer id")),
    request_body = CustomerProfileDraft,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "OK", body = CustomerProfileView), (status = 401, description = "Missing or wrong API token", body = ErrorBody),
        (status = 404, description = "Not found", body = ErrorBody),
        (status = 409, description = "An email or phone belongs to another customer", body = ErrorBody),
        (status = 422, description = "Fields at fault, each named", body = ErrorBody),
    )
)]
pub async fn update(
    State(app): State<App>,
    StaffAuth(staff): StaffAuth,
    ApiPath(id): ApiPath<String>,
    ApiJson(draft): ApiJson<CustomerProfileDraft>,
) -> Result<Json<CustomerProfileView>, ApiError> {
    let id = customer_id(&id)?;
    Ok(Json(app.update_customer(&staff, id, &draft).await?.into()))
}

/// The root causes to choose from when closing a case
#[utoipa::path(
    get, path = "/root-causes", tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = Vec<RootCause>), (status = 401, description = "Missing or wrong API token", body = ErrorBody))
)]
pub async fn root_causes(
    State(app): State<App>,
    StaffAuth(_staff): StaffAuth,
) -> Result<Json<Vec<RootCause>>, ApiError> {
    Ok(Json(app.root_causes().await?))
}

/// The staff members, for assigning cases
#[utoipa::path(
    get, path = "/staff", tag = "settings", operation_id = "list_staff",
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = Vec<Staff>), (status = 401, description = "Missing or wrong API token", body = ErrorBody))
)]
pub async fn staff(
    State(app): State<App>,
    StaffAuth(me): StaffAuth,
) -> Result<Json<Vec<Staff>>, ApiError> {
    Ok(Json(app.list_staff(&me).await?))
}

/// Who am I
#[utoipa::path(
    get, path = "/me", tag = "settings",
    security(("bearer" = [])),
    responses((status = 200, description = "OK", body = Staff), (status = 401, description = "Missing or wrong API token", body = ErrorBody))
)]
pub async fn me(StaffAuth(me): StaffAuth) -> Json<Staff> {
    Json(me)
}
