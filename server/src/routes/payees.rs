//! Payees: a landlord or utility provider registers (no account needed); the region's
//! officer or an admin verifies or deactivates it; resettlers and staff list them.

use super::{openapi::schemas, params::path_id};
use crate::{
    auth::{authorize, Action, Principal, RequestMeta},
    error::{request_lang, ApiError},
    extract::{ApiJson, ApiQuery},
    fail,
    payees::{self, Filter, Registration},
    refusal::Refusal,
    AppState,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::{HeaderMap, StatusCode, Uri},
    response::{IntoResponse, Response},
    Json,
};
use serde::Deserialize;
use shared::{
    account::Role,
    wallet::{Payee, PayeeCategory, PayeeList, PayeeStatus, RegisterPayee},
    Region,
};

/// Registers a landlord (`rent`) or utility provider (`utilities`) for a destination
/// region, with its location. No sign-in needed. The payee is `pending` until the region's
/// officer verifies it; `inside_region` says whether its location lies inside the region —
/// one outside can be registered but never paid. At most 20 registrations an hour from one
/// address.
#[utoipa::path(
    post,
    path = "/payees",
    tag = "wallet",
    request_body = schemas::RegisterPayee,
    responses(
        (status = 201, description = "Registered, pending verification", body = schemas::Payee),
        (status = 400, description = "A malformed body, or problems with the payee: `error` is the first, `errors` every one with its `code`, `field` and message (`name_invalid`, `id_number_invalid`, `address_invalid`, `region_not_destination`, `location_invalid`)", body = schemas::Problems),
        (status = 403, description = "Cross-site request, or a session without its CSRF token", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 429, description = "Too many registrations from this address (`too_many_registrations`)",
            body = schemas::ErrorBody, headers(("Retry-After" = u32, description = "Seconds to wait"))),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn register(
    State(state): State<AppState>,
    meta: RequestMeta,
    uri: Uri,
    headers: HeaderMap,
    body: Result<ApiJson<RegisterPayee>, ApiError>,
) -> Result<Response, Refusal> {
    let ApiJson(request) = body?;
    let lang = request_lang(uri.query(), &headers);
    let now = chrono::Utc::now().timestamp();
    match payees::register(&state.store, &request, meta.client, now, lang).await? {
        Registration::Registered(payee) => Ok((StatusCode::CREATED, Json(payee)).into_response()),
        Registration::Throttled { retry_after } => Ok(payees::too_many_registrations(retry_after)),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// A region id. An officer sees their own region only (the default for them).
    #[param(value_type = Option<String>, example = "north_kazakhstan")]
    region: Option<String>,
    /// `rent` or `utilities`.
    #[param(value_type = Option<String>, example = "rent")]
    category: Option<String>,
    /// `pending`, `active` or `inactive`. Resettlers see active payees only (the default
    /// for them).
    #[param(value_type = Option<String>, example = "active")]
    status: Option<String>,
    /// Language of error messages: kk, ru or en.
    #[param(value_type = Option<String>)]
    lang: Option<String>,
}

/// Payees, oldest first. A resettler sees the active payees of every region (each with
/// `inside_region`, so the app can say before paying whether one is outside their region);
/// an officer their region's in every status; an admin all. Staff also see each payee's
/// IIN or BIN (`id_number`).
#[utoipa::path(
    get,
    path = "/payees",
    tag = "wallet",
    security(("session" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "The payees", body = schemas::PayeeList),
        (status = 400, description = "An unknown region, category or status", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "An employer; a resettler asking for payees that are not active; another region's officer", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
    query: Result<ApiQuery<ListQuery>, ApiError>,
) -> Result<Json<PayeeList>, ApiError> {
    let ApiQuery(query) = query?;
    let _ = query.lang;
    let given = |value: &Option<String>| value.clone().filter(|s| !s.is_empty());
    let region = match given(&query.region) {
        None => match principal.role {
            Role::Akimat => principal.region,
            _ => None,
        },
        Some(id) => {
            Some(Region::from_id(&id).ok_or_else(|| ApiError::unknown_region("region", &id))?)
        }
    };
    let category = given(&query.category)
        .map(|text| match text.as_str() {
            "rent" => Ok(PayeeCategory::Rent),
            "utilities" => Ok(PayeeCategory::Utilities),
            _ => Err(fail::invalid(
                "category",
                "invalid_category",
                fail::texts(
                    "Санаты: rent немесе utilities.",
                    "Категория: rent или utilities.",
                    "The category is rent or utilities.",
                ),
            )),
        })
        .transpose()?;
    let status = given(&query.status)
        .map(|text| match text.as_str() {
            "pending" => Ok(PayeeStatus::Pending),
            "active" => Ok(PayeeStatus::Active),
            "inactive" => Ok(PayeeStatus::Inactive),
            _ => Err(fail::invalid(
                "status",
                "invalid_status",
                fail::texts(
                    "Күйі: pending, active немесе inactive.",
                    "Статус: pending, active или inactive.",
                    "The status is one of pending, active, inactive.",
                ),
            )),
        })
        .transpose()?;
    let status = match (principal.role, status) {
        (Role::Resettler, None) => Some(PayeeStatus::Active),
        (_, status) => status,
    };
    authorize(
        &principal,
        Action::ListPayees {
            region,
            any_status: status != Some(PayeeStatus::Active),
        },
    )?;
    let staff = matches!(principal.role, Role::Akimat | Role::Admin);
    let filter = Filter {
        region,
        category,
        status,
    };
    let list = payees::list(&state.store, filter, staff)
        .await
        .map_err(crate::store_error)?;
    Ok(Json(list))
}

/// Verifies a payee: it becomes `active` and can be paid (when inside its region). The
/// region's officer or an admin; verifying an active payee changes nothing.
#[utoipa::path(
    post,
    path = "/payees/{id}/verify",
    tag = "wallet",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The payee's id")),
    responses(
        (status = 200, description = "The payee, active", body = schemas::Payee),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither this region's officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such payee (`payee_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "The payee was deactivated, which is final (`payee_deactivated`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn verify(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Payee>, Refusal> {
    let id = path_id(path, payees::not_found)?;
    Ok(Json(payees::verify(&state.store, &principal, id).await?))
}

/// Deactivates a payee for good: payments to it stop at once. The region's officer or an
/// admin; deactivating an inactive payee changes nothing.
#[utoipa::path(
    post,
    path = "/payees/{id}/deactivate",
    tag = "wallet",
    security(("session" = [], "csrf" = [])),
    params(("id" = i64, Path, description = "The payee's id")),
    responses(
        (status = 200, description = "The payee, inactive", body = schemas::Payee),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither this region's officer nor an admin", body = schemas::ErrorBody),
        (status = 404, description = "No such payee (`payee_not_found`)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn deactivate(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<Payee>, Refusal> {
    let id = path_id(path, payees::not_found)?;
    Ok(Json(
        payees::deactivate(&state.store, &principal, id).await?,
    ))
}
