//! Applications: a resettler submits one and follows it; the region's officer (or an
//! admin) works the queue and decides.

use super::{
    openapi::schemas,
    params::{paging, path_id, PageQuery},
};
use crate::{
    applications::{self, Decision, Filter},
    auth::{authorize, Action, Principal},
    error::{request_lang, ApiError},
    extract::{ApiJson, ApiQuery},
    fail,
    refusal::Refusal,
    AppState,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::{HeaderMap, StatusCode, Uri},
    response::IntoResponse,
    Json,
};
use serde::Deserialize;
use shared::{
    application::{
        Application, ApplicationList, ApplicationStatus, RejectApplication, SubmitApplication,
    },
    Region,
};

/// Submits the signed-in resettler's application. The family is checked, the eligibility
/// rules run again on the server with the current quota for the year, and one open
/// application per person is allowed.
#[utoipa::path(
    post,
    path = "/applications",
    tag = "applications",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::SubmitApplication,
    responses(
        (status = 201, description = "Submitted", body = schemas::Application),
        (status = 400, description = "A malformed body, or problems with the family or the vacancy: `error` is the first, `errors` all of them (`member_iin_invalid`, `member_iin_duplicate`, `member_born_in_future`, `family_size_out_of_range`, `vacancy_not_open`, `vacancy_region_mismatch`)", body = schemas::Problems),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not a resettler", body = schemas::ErrorBody),
        (status = 409, description = "The person already has an open application (`application_open`)", body = schemas::ErrorBody),
        (status = 422, description = "Not eligible (`not_eligible`): the failing rules with their reasons in the request's language", body = schemas::NotEligible),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn submit(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    body: Result<ApiJson<SubmitApplication>, ApiError>,
) -> Result<impl IntoResponse, Refusal> {
    authorize(&principal, Action::SubmitApplication)?;
    let ApiJson(request) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let application = applications::submit(&state.store, &principal, request, today, lang).await?;
    Ok((StatusCode::CREATED, Json(application)))
}

/// The signed-in resettler's applications, newest first.
#[utoipa::path(
    get,
    path = "/applications/mine",
    tag = "applications",
    security(("session" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "The resettler's own applications", body = schemas::ApplicationList),
        (status = 400, description = "A bad page", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not a resettler", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<PageQuery>, ApiError>,
) -> Result<Json<ApplicationList>, ApiError> {
    authorize(&principal, Action::ViewOwnApplications)?;
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let filter = Filter {
        applicant: Some(principal.user_id),
        ..Filter::default()
    };
    let list = applications::list(&state.store, &filter, page, per_page)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Only applications in this status: submitted, approved, rejected, withdrawn.
    #[param(value_type = Option<String>, example = "submitted")]
    status: Option<String>,
    /// A destination region id. An officer sees their own region only (the default for
    /// them); an admin sees every region unless one is named.
    #[param(value_type = Option<String>, example = "north_kazakhstan")]
    region: Option<String>,
    /// Page number, from 1.
    page: Option<u32>,
    /// Items a page, 1–100 (20 by default).
    per_page: Option<u32>,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    lang: Option<String>,
}

/// The application queue: an akimat officer's region, or for an admin every region;
/// newest first, with the total count.
#[utoipa::path(
    get,
    path = "/applications",
    tag = "applications",
    security(("session" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of applications", body = schemas::ApplicationList),
        (status = 400, description = "An unknown status or region, or a bad page", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither an officer nor an admin, or another region's officer", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn queue(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<QueueQuery>, ApiError>,
) -> Result<Json<ApplicationList>, ApiError> {
    authorize(&principal, Action::ReviewApplications)?;
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(ApplicationStatus::from_id(s).ok_or_else(|| {
            fail::invalid(
                "status",
                "invalid_status",
                fail::texts(
                    "Күйі: submitted, approved, rejected немесе withdrawn.",
                    "Статус: submitted, approved, rejected или withdrawn.",
                    "The status is one of submitted, approved, rejected, withdrawn.",
                ),
            )
        })?),
    };
    let region = match query.region.as_deref().filter(|s| !s.is_empty()) {
        None => match principal.role {
            shared::account::Role::Admin => None,
            _ => principal.region,
        },
        Some(id) => {
            Some(Region::from_id(id).ok_or_else(|| ApiError::unknown_region("region", id))?)
        }
    };
    authorize(&principal, Action::ListApplications { region })?;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let filter = Filter {
        applicant: None,
        region,
        status,
    };
    let list = applications::list(&state.store, &filter, page, per_page)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(list))
}

/// Approves an application: takes one family place of the region's quota for the
/// application's year, in the same audited transaction. The region's officer or an admin.
#[utoipa::path(
    post,
    path = "/applications/{id}/approve",
    tag = "applications",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The application's id")),
    responses(
        (status = 200, description = "Approved", body = schemas::Application),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither this region's officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such application (`application_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "Already decided (`decision_final`) or no place left in the quota (`quota_exhausted`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn approve(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Application>, Refusal> {
    authorize(&principal, Action::ReviewApplications)?;
    let id = path_id(path, application_not_found)?;
    let application = applications::decide(&state.store, &principal, id, Decision::Approve).await?;
    // The family's first voucher now rather than at the next hourly run. The decision
    // stands either way: a failure here is logged, and the job issues it later.
    let today = state.clock.today();
    if let Err(e) = crate::vouchers::issue_due(&state.store, today).await {
        tracing::warn!(error = %e, "issuing vouchers after an approval failed; the job retries");
    }
    Ok(Json(application))
}

/// Rejects an application with a reason for the applicant. The region's officer or an
/// admin; decisions are final.
#[utoipa::path(
    post,
    path = "/applications/{id}/reject",
    tag = "applications",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The application's id")),
    request_body = schemas::RejectApplication,
    responses(
        (status = 200, description = "Rejected", body = schemas::Application),
        (status = 400, description = "No reason, or one over 1000 characters (`reason_invalid`), or a malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither this region's officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such application (`application_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "Already decided (`decision_final`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn reject(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<RejectApplication>, ApiError>,
) -> Result<Json<Application>, Refusal> {
    authorize(&principal, Action::ReviewApplications)?;
    let id = path_id(path, application_not_found)?;
    let ApiJson(request) = body?;
    let application = applications::decide(
        &state.store,
        &principal,
        id,
        Decision::Reject {
            reason: request.reason,
        },
    )
    .await?;
    Ok(Json(application))
}

fn application_not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "application_not_found",
        fail::texts(
            "Мұндай өтініш жоқ.",
            "Такого заявления нет.",
            "There is no such application.",
        ),
    )
}
