//! Contract signing keys: a party registers the public half of a key pair made in their
//! browser; the region's officer (or an admin) sees an account's keys and revokes a lost
//! one.

use super::{openapi::schemas, params::path_id};
use crate::{
    auth::{authorize, Action, Principal},
    error::ApiError,
    extract::{ApiJson, ApiQuery},
    refusal::Refusal,
    signing_keys, AppState,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    response::IntoResponse,
    Json,
};
use serde::Deserialize;
use shared::contract::api::{KeyList, RegisterKey, SigningKey};

/// Registers the signed-in party's signing key: the Ed25519 public key of a key pair made
/// in the browser, whose private half never leaves it. One live key per account.
#[utoipa::path(
    post,
    path = "/keys",
    tag = "contracts",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::RegisterKey,
    responses(
        (status = 201, description = "Registered", body = schemas::SigningKey),
        (status = 400, description = "A malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "An admin: admins sign no contracts", body = schemas::ErrorBody),
        (status = 409, description = "The account already has a live key (`key_exists`), or this key was registered before (`key_used`)", body = schemas::ErrorBody),
        (status = 422, description = "Not an Ed25519 public key of 64 hex digits (`public_key_malformed`, field `public_key`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<ApiJson<RegisterKey>, ApiError>,
) -> Result<impl IntoResponse, Refusal> {
    authorize(&principal, Action::HoldSigningKey)?;
    let ApiJson(request) = body?;
    let key = signing_keys::register(&state.store, &principal, &request.public_key).await?;
    Ok((StatusCode::CREATED, Json(key)))
}

/// The signed-in party's keys, the live one first.
#[utoipa::path(
    get,
    path = "/keys/mine",
    tag = "contracts",
    security(("session" = [])),
    responses(
        (status = 200, description = "The account's keys", body = schemas::KeyList),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "An admin", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<KeyList>, ApiError> {
    authorize(&principal, Action::HoldSigningKey)?;
    let keys = signing_keys::keys_of(&state.store, principal.user_id)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(keys))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountQuery {
    /// The account whose keys to list.
    account: i64,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    lang: Option<String>,
}

/// An account's keys, the live one first: for an officer, the parties to their region's
/// contracts and their region's officers; for an admin, any account.
#[utoipa::path(
    get,
    path = "/keys",
    tag = "contracts",
    security(("session" = [])),
    params(AccountQuery),
    responses(
        (status = 200, description = "The account's keys", body = schemas::KeyList),
        (status = 400, description = "No account, or not a number", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither an officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such account within the officer's reach (`account_not_found`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn of_account(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<AccountQuery>, ApiError>,
) -> Result<Json<KeyList>, Refusal> {
    authorize(&principal, Action::ManageSigningKeys)?;
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let keys = signing_keys::keys_for_staff(&state.store, &principal, query.account).await?;
    Ok(Json(keys))
}

/// Revokes a lost key. Its signatures on contracts still being signed are voided, so the
/// party registers a new key and signs again; signatures on active contracts stay.
#[utoipa::path(
    post,
    path = "/keys/{id}/revoke",
    tag = "contracts",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The key's id")),
    responses(
        (status = 200, description = "Revoked", body = schemas::SigningKey),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither an officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such key within the officer's reach (`signing_key_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "Already revoked (`key_revoked`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<SigningKey>, Refusal> {
    authorize(&principal, Action::ManageSigningKeys)?;
    let id = path_id(path, signing_keys::key_not_found)?;
    let key = signing_keys::revoke(&state.store, &principal, id).await?;
    Ok(Json(key))
}
