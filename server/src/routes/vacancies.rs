//! Vacancies: public search and detail; an employer posts, edits and closes its own and sees
//! who applied.

use super::{
    openapi::schemas,
    params::{paging, path_id, PageQuery},
};
use crate::{
    applications,
    auth::{authorize, Action, Principal},
    error::{request_lang, ApiError},
    extract::{ApiJson, ApiQuery},
    fail,
    refusal::Refusal,
    vacancies::{self, Search},
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
    api::Settlement,
    application::VacancyApplicants,
    vacancy::{Vacancy, VacancyDraft, VacancyList},
    Region, Tenge,
};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// A destination region id.
    #[param(value_type = Option<String>, example = "north_kazakhstan")]
    region: Option<String>,
    /// `urban` or `rural`.
    #[param(value_type = Option<String>, example = "urban")]
    settlement: Option<String>,
    /// Monthly salary at least this, in tenge (a decimal number).
    #[param(value_type = Option<String>, example = "200000")]
    salary_from: Option<String>,
    /// `true`: only with housing; `false`: only without.
    housing: Option<bool>,
    /// Page number, from 1.
    page: Option<u32>,
    /// Items a page, 1–100 (20 by default).
    per_page: Option<u32>,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    lang: Option<String>,
}

/// Open vacancies, newest first, with the total count. No sign-in needed.
#[utoipa::path(
    get,
    path = "/vacancies",
    tag = "vacancies",
    params(SearchQuery),
    responses(
        (status = 200, description = "A page of open vacancies", body = schemas::VacancyList),
        (status = 400, description = "An unknown region or settlement, a salary that is not an amount, or a bad page", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn search(
    State(state): State<AppState>,
    query: Result<ApiQuery<SearchQuery>, ApiError>,
) -> Result<Json<VacancyList>, ApiError> {
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let region = match query.region.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(id) => {
            Some(Region::from_id(id).ok_or_else(|| ApiError::unknown_region("region", id))?)
        }
    };
    let settlement = match query.settlement.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some("urban") => Some(Settlement::Urban),
        Some("rural") => Some(Settlement::Rural),
        Some(other) => {
            return Err(ApiError::invalid_value(
                "settlement",
                other,
                crate::error::hint("settlement"),
            ))
        }
    };
    let salary_from = match query.salary_from.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(text) => Some(
            serde_json::from_value::<Tenge>(serde_json::Value::String(text.to_string()))
                .ok()
                .and_then(|t| t.to_tiyn())
                .filter(|t| *t >= 0)
                .ok_or_else(|| {
                    fail::invalid(
                        "salary_from",
                        "invalid_amount",
                        fail::texts(
                            "Жалақыны теңгемен сан түрінде жазыңыз, мысалы 200000.",
                            "Укажите зарплату числом в тенге, например 200000.",
                            "Write the salary as a number of tenge, e.g. 200000.",
                        ),
                    )
                })?,
        ),
    };
    let (page, per_page) = paging(query.page, query.per_page)?;
    let search = Search {
        region,
        settlement,
        salary_from,
        housing: query.housing,
    };
    let list = vacancies::search(&state.store, &search, page, per_page)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(list))
}

/// The signed-in employer's own vacancies, open and closed, newest first.
#[utoipa::path(
    get,
    path = "/vacancies/mine",
    tag = "vacancies",
    security(("session" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of the employer's vacancies", body = schemas::VacancyList),
        (status = 400, description = "A bad page", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an employer", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<PageQuery>, ApiError>,
) -> Result<Json<VacancyList>, ApiError> {
    authorize(&principal, Action::ViewOwnVacancies)?;
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let (page, per_page) = paging(query.page, query.per_page)?;
    let list = vacancies::of_employer(&state.store, principal.user_id, page, per_page)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(list))
}

/// One vacancy, open or closed. No sign-in needed.
#[utoipa::path(
    get,
    path = "/vacancies/{id}",
    tag = "vacancies",
    params(("id" = i64, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "The vacancy", body = schemas::Vacancy),
        (status = 404, description = "No such vacancy (`vacancy_not_found`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Vacancy>, ApiError> {
    let id = path_id(path, vacancies::not_found)?;
    let vacancy = vacancies::get(&state.store, id)
        .await
        .map_err(crate::store_error)?
        .ok_or_else(vacancies::not_found)?;
    Ok(Json(vacancy))
}

/// Posts a vacancy for the signed-in employer, checked by the shared rules for today (a
/// destination region, a salary at least the minimum wage in force, 1–500 places…).
#[utoipa::path(
    post,
    path = "/vacancies",
    tag = "vacancies",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::VacancyDraft,
    responses(
        (status = 201, description = "Posted, open", body = schemas::Vacancy),
        (status = 400, description = "A malformed body, or problems with the vacancy: `error` is the first, `errors` every one with its `code`, `field` and message (`title_missing`, `title_too_long`, `description_missing`, `description_too_long`, `region_not_destination`, `salary_below_minimum`, `salary_invalid`, `places_out_of_range`)", body = schemas::Problems),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an employer", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    body: Result<ApiJson<VacancyDraft>, ApiError>,
) -> Result<impl IntoResponse, Refusal> {
    authorize(&principal, Action::PostVacancy)?;
    let ApiJson(draft) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let vacancy = vacancies::create(&state.store, &principal, draft, today, lang).await?;
    Ok((StatusCode::CREATED, Json(vacancy)))
}

/// Replaces one of the signed-in employer's open vacancies, checked as when posted.
#[utoipa::path(
    put,
    path = "/vacancies/{id}",
    tag = "vacancies",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The vacancy's id")),
    request_body = schemas::VacancyDraft,
    responses(
        (status = 200, description = "The vacancy after the change", body = schemas::Vacancy),
        (status = 400, description = "A malformed body, or problems with the vacancy (as for posting)", body = schemas::Problems),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not this vacancy's employer", body = schemas::ErrorBody),
        (status = 404, description = "No such vacancy", body = schemas::ErrorBody),
        (status = 409, description = "The vacancy is closed (`vacancy_closed`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn update(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<VacancyDraft>, ApiError>,
) -> Result<Json<Vacancy>, Refusal> {
    authorize(&principal, Action::PostVacancy)?;
    let id = path_id(path, vacancies::not_found)?;
    let ApiJson(draft) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let vacancy = vacancies::update(&state.store, &principal, id, draft, today, lang).await?;
    Ok(Json(vacancy))
}

/// Closes one of the signed-in employer's vacancies: it leaves the search. Closing a closed
/// vacancy changes nothing.
#[utoipa::path(
    post,
    path = "/vacancies/{id}/close",
    tag = "vacancies",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "The closed vacancy", body = schemas::Vacancy),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not this vacancy's employer", body = schemas::ErrorBody),
        (status = 404, description = "No such vacancy", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn close(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Vacancy>, Refusal> {
    authorize(&principal, Action::PostVacancy)?;
    let id = path_id(path, vacancies::not_found)?;
    let vacancy = vacancies::close(&state.store, &principal, id).await?;
    Ok(Json(vacancy))
}

/// Who applied to one of the signed-in employer's vacancies (an admin: any vacancy), newest
/// first: the application's state, family size and the applicant's phone.
#[utoipa::path(
    get,
    path = "/vacancies/{id}/applications",
    tag = "vacancies",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The vacancy's id")),
    responses(
        (status = 200, description = "The applicants", body = schemas::VacancyApplicants),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not this vacancy's employer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such vacancy", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn applicants(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<VacancyApplicants>, ApiError> {
    // Only an employer or an admin can see any vacancy's applicants: others learn nothing,
    // not even whether the vacancy exists.
    if !matches!(
        principal.role,
        shared::account::Role::Employer | shared::account::Role::Admin
    ) {
        authorize(&principal, Action::ViewVacancyApplicants { owner: 0 })?;
    }
    let id = path_id(path, vacancies::not_found)?;
    let vacancy = vacancies::get(&state.store, id)
        .await
        .map_err(crate::store_error)?
        .ok_or_else(vacancies::not_found)?;
    authorize(
        &principal,
        Action::ViewVacancyApplicants {
            owner: vacancy.employer_id,
        },
    )?;
    let items = applications::applicants_of(&state.store, id)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(VacancyApplicants {
        vacancy_id: id,
        items,
    }))
}
