use super::openapi::schemas;
use crate::{error::ApiError, extract::ApiQuery, AppState};
use axum::{extract::State, Json};
use serde::Deserialize;
use shared::api::QuotasResponse;

/// Years outside this range are typing mistakes, not quota years.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuotasQuery {
    /// The quota year, e.g. `2026`. Required.
    #[param(value_type = i32, minimum = 2000, maximum = 2100, example = 2026)]
    year: Option<String>,
}

/// Every resettlement region's family quota for a year. Regions without a quota set for that
/// year are absent.
#[utoipa::path(
    get,
    path = "/quotas",
    tag = "rules",
    params(QuotasQuery),
    responses(
        (status = 200, description = "Quota, used and remaining places by region id", body = schemas::QuotasResponse),
        (status = 400, description = "Missing or invalid year (`invalid_year`, `field`: `year`), or a parameter given twice (`invalid_query`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn quotas(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<QuotasQuery>,
) -> Result<Json<QuotasResponse>, ApiError> {
    let year = parse_year(query.year.as_deref())?;
    let snapshot = state.store.quotas(year).await.map_err(crate::store_error)?;
    Ok(Json(snapshot.regions))
}

fn parse_year(year: Option<&str>) -> Result<i32, ApiError> {
    let Some(text) = year else {
        return Err(ApiError::year_required());
    };
    match text.trim().parse::<i32>() {
        Ok(year) if YEARS.contains(&year) => Ok(year),
        _ => Err(ApiError::invalid_year(text, *YEARS.start(), *YEARS.end())),
    }
}
