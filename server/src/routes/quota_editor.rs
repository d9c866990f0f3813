//! The quota editor: an akimat officer sets their region's annual family quota, an admin any
//! region's.

use super::openapi::schemas;
use crate::{
    auth::{authorize, Action, Principal},
    error::ApiError,
    extract::ApiJson,
    fail, quota_editor, AppState,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    Json,
};
use shared::{
    account::{RegionQuota, SetQuota},
    Policy, Region,
};

/// Years outside this range are typing mistakes, not quota years.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Sets a destination region's family quota for a year. The region's akimat officer or an
/// admin; never below the places already used; audited with the values before and after.
/// The public `GET /quotas?year=` shows the result.
#[utoipa::path(
    put,
    path = "/quotas/{region}/{year}",
    tag = "staff",
    security(("session" = [], "csrf" = [])),
    params(
        ("region" = String, Path, description = "A destination region id", example = "north_kazakhstan"),
        ("year" = i32, Path, description = "The quota year, 2000–2100", example = 2026),
    ),
    request_body = schemas::SetQuota,
    responses(
        (status = 200, description = "The region's quota for the year after the change", body = schemas::RegionQuota),
        (status = 400, description = "A bad year, a quota above 1 000 000, or a malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither this region's officer nor an admin; or a cross-site request or missing CSRF token", body = schemas::ErrorBody),
        (status = 404, description = "Not a destination region", body = schemas::ErrorBody),
        (status = 409, description = "The quota would be below the places already used", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn set_quota(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<(String, String)>, PathRejection>,
    body: Result<ApiJson<SetQuota>, ApiError>,
) -> Result<Json<RegionQuota>, ApiError> {
    let Path((region, year)) = path.map_err(|e| {
        tracing::debug!(error = %e.body_text(), "unreadable quota path");
        ApiError::localized(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            fail::texts(
                "Мекенжай дұрыс емес: /api/v1/quotas/{өңір}/{жыл} түрінде жазыңыз.",
                "Неверный адрес: используйте вид /api/v1/quotas/{регион}/{год}.",
                "The address is not valid: use /api/v1/quotas/{region}/{year}.",
            ),
        )
    })?;
    let region = Region::from_id(&region)
        .filter(|r| Policy::current().is_destination(*r))
        .ok_or_else(|| {
            ApiError::localized(
                StatusCode::NOT_FOUND,
                "unknown_region",
                fail::texts(
                    format!("«{region}» — қоныстандыру өңірінің идентификаторы емес. Тізімі: /api/v1/policy."),
                    format!("«{region}» — не идентификатор региона вселения. Список: /api/v1/policy."),
                    format!("“{region}” is not the id of a destination region. They are listed at /api/v1/policy."),
                ),
            )
            .with_field("region")
        })?;
    let year = match year.parse::<i32>() {
        Ok(year) if YEARS.contains(&year) => year,
        _ => {
            let (first, last) = (YEARS.start(), YEARS.end());
            return Err(fail::invalid(
                "year",
                "invalid_year",
                fail::texts(
                    format!("Жыл {first}–{last} аралығындағы бүтін сан болуы керек."),
                    format!("Год должен быть целым числом от {first} до {last}."),
                    format!("The year must be a whole number from {first} to {last}."),
                ),
            ));
        }
    };
    authorize(&principal, Action::SetQuota { region })?;
    let ApiJson(request) = body?;
    let quota =
        quota_editor::set_quota(&state.store, principal.actor(), region, year, request.quota)
            .await?;
    Ok(Json(quota))
}
