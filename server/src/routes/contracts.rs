//! Tripartite contracts: the region's officer creates one from an approved application and
//! may change its terms until it is signed; the resettler, the employer and an officer of
//! the region sign it; the parties and the region's staff follow it.

use super::{
    openapi::schemas,
    params::{paging, path_id},
};
use crate::{
    auth::{authorize, Action, Principal},
    contracts,
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
use shared::contract::api::{
    AmendTerms, Contract, ContractFilter, ContractList, CreateContract, SignContract,
};

/// Creates a contract from an approved application and the vacancy it names, with terms
/// fixed by the policy in force today. The officer of the application's region only.
#[utoipa::path(
    post,
    path = "/contracts",
    tag = "contracts",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::CreateContract,
    responses(
        (status = 201, description = "Created, waiting for the three signatures", body = schemas::Contract),
        (status = 400, description = "A malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an officer of the application's region", body = schemas::ErrorBody),
        (status = 404, description = "No such application (`application_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "The application is not approved (`application_not_approved`), names no vacancy (`application_without_vacancy`), or already has a contract (`contract_exists`)", body = schemas::ErrorBody),
        (status = 422, description = "The terms break the rules: `error` is the first problem, `errors` every one with its `code`, `field` and message (`iin_invalid`, `bin_invalid`, `region_not_destination`, `position_missing`, `position_too_long`, `salary_below_minimum`, `start_before_creation`, `housing_costs_not_positive`, `policy_not_in_force`)", body = schemas::Problems),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    body: Result<ApiJson<CreateContract>, ApiError>,
) -> Result<impl IntoResponse, Refusal> {
    authorize(&principal, Action::DraftContracts)?;
    let ApiJson(request) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let contract = contracts::create(&state.store, &principal, &request, today, lang).await?;
    Ok((StatusCode::CREATED, Json(contract)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// `signing`, `active`, `at_risk` (active with unconfirmed months in a row),
    /// `breached` or `fulfilled`.
    #[param(value_type = Option<String>, example = "at_risk")]
    filter: Option<String>,
    /// Page number, from 1.
    page: Option<u32>,
    /// Items a page, 1–100 (20 by default).
    per_page: Option<u32>,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    lang: Option<String>,
}

/// Contracts, newest first, as they stand today: a resettler's or employer's own, an
/// officer's region's, every contract for an admin.
#[utoipa::path(
    get,
    path = "/contracts",
    tag = "contracts",
    security(("session" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "A page of contracts", body = schemas::ContractList),
        (status = 400, description = "An unknown filter, or a bad page", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<ListQuery>, ApiError>,
) -> Result<Json<ContractList>, Refusal> {
    authorize(&principal, Action::ListContracts)?;
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let filter = match query.filter.as_deref().filter(|f| !f.is_empty()) {
        None => None,
        Some(id) => Some(ContractFilter::from_id(id).ok_or_else(|| {
            fail::invalid(
                "filter",
                "invalid_filter",
                fail::texts(
                    "Сүзгі: signing, active, at_risk, breached немесе fulfilled.",
                    "Фильтр: signing, active, at_risk, breached или fulfilled.",
                    "The filter is one of signing, active, at_risk, breached, fulfilled.",
                ),
            )
        })?),
    };
    let (page, per_page) = paging(query.page, query.per_page)?;
    let today = state.clock.today();
    let list = contracts::list(&state.store, &principal, filter, page, per_page, today).await?;
    Ok(Json(list))
}

/// One contract: its terms and fingerprint, the parties with their signatures, the
/// confirmed months and the payout. Its parties, its region's officers and admins only;
/// for anyone else it does not exist.
#[utoipa::path(
    get,
    path = "/contracts/{id}",
    tag = "contracts",
    security(("session" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    responses(
        (status = 200, description = "The contract", body = schemas::Contract),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 404, description = "No such contract that this account may see (`contract_not_found`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn detail(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Contract>, Refusal> {
    let id = path_id(path, contracts::not_found)?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let contract = contracts::get(&state.store, &principal, id, today, lang).await?;
    Ok(Json(contract))
}

/// Changes the start month, salary and declared housing costs while the contract is being
/// signed: new terms get a new fingerprint and void every signature given so far. The
/// officers of the contract's region only.
#[utoipa::path(
    put,
    path = "/contracts/{id}/terms",
    tag = "contracts",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = schemas::AmendTerms,
    responses(
        (status = 200, description = "The contract with its new terms (unchanged when they are the same)", body = schemas::Contract),
        (status = 400, description = "A malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an officer", body = schemas::ErrorBody),
        (status = 404, description = "No such contract in the officer's region (`contract_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "Every party has signed (`contract_not_signing`)", body = schemas::ErrorBody),
        (status = 422, description = "The terms break the rules, as for creation", body = schemas::Problems),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn amend(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<AmendTerms>, ApiError>,
) -> Result<Json<Contract>, Refusal> {
    authorize(&principal, Action::DraftContracts)?;
    let id = path_id(path, contracts::not_found)?;
    let ApiJson(request) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let contract = contracts::amend(&state.store, &principal, id, &request, today, lang).await?;
    Ok(Json(contract))
}

/// Signs the contract's current terms as the party the signed-in account is to it
/// (resettler, employer, or an officer of the region for the akimat), with its registered
/// key. The third valid signature makes the contract active.
#[utoipa::path(
    post,
    path = "/contracts/{id}/signatures",
    tag = "contracts",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The contract's id")),
    request_body = schemas::SignContract,
    responses(
        (status = 201, description = "Signed; the contract as it is now", body = schemas::Contract),
        (status = 400, description = "A malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "An admin: admins sign no contracts", body = schemas::ErrorBody),
        (status = 404, description = "No such contract this account is a party to (`contract_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "Not being signed (`contract_not_signing`), the terms changed since the signer saw them (`terms_changed`), no live key (`no_signing_key`), or this party has signed (`already_signed`)", body = schemas::ErrorBody),
        (status = 422, description = "The signature is not 128 hex digits (`signature_malformed`) or does not verify against the key and the current terms (`signature_invalid`), field `signature`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn sign(
    State(state): State<AppState>,
    principal: Principal,
    uri: Uri,
    headers: HeaderMap,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<SignContract>, ApiError>,
) -> Result<impl IntoResponse, Refusal> {
    authorize(&principal, Action::SignContracts)?;
    let id = path_id(path, contracts::not_found)?;
    let ApiJson(request) = body?;
    let lang = request_lang(uri.query(), &headers);
    let today = state.clock.today();
    let contract = contracts::sign(&state.store, &principal, id, &request, today, lang).await?;
    Ok((StatusCode::CREATED, Json(contract)))
}
