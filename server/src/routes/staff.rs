//! Staff accounts, managed by admins.

use super::openapi::schemas;
use crate::{
    accounts,
    auth::{authorize, Action, Principal},
    error::ApiError,
    extract::ApiJson,
    AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use shared::account::{CreateStaff, StaffAccount, StaffList};

/// Creates an akimat officer (of one destination region) or an admin. Admins only.
#[utoipa::path(
    post,
    path = "/staff",
    tag = "staff",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::CreateStaff,
    responses(
        (status = 201, description = "Created", body = schemas::StaffAccount),
        (status = 400, description = "Invalid login, region (required for `akimat`, a destination region; none for `admin`) or password", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an admin; or a cross-site request or missing CSRF token", body = schemas::ErrorBody),
        (status = 409, description = "The login is taken", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<ApiJson<CreateStaff>, ApiError>,
) -> Result<(StatusCode, Json<StaffAccount>), ApiError> {
    authorize(&principal, Action::CreateStaff)?;
    let ApiJson(request) = body?;
    let staff = accounts::create_staff(&state.store, principal.actor(), &request).await?;
    Ok((StatusCode::CREATED, Json(staff)))
}

/// Every akimat officer and admin account. Admins only.
#[utoipa::path(
    get,
    path = "/staff",
    tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "Staff accounts, oldest first", body = schemas::StaffList),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an admin", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<StaffList>, ApiError> {
    authorize(&principal, Action::ListStaff)?;
    let staff = accounts::list_staff(&state.store)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(StaffList { staff }))
}
