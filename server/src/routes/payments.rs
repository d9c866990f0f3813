//! A resettler's payment from their vouchers to a payee.

use super::openapi::schemas;
use crate::{
    auth::{authorize, Action, Principal},
    error::ApiError,
    extract::ApiJson,
    payments::{self, Paid},
    AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use shared::wallet::{PayRequest, Payment};

/// Pays a verified payee inside the resettler's destination region, for rent or
/// utilities, from the open voucher that expires first. `id` is chosen by the app for each
/// payment the person confirms and sent again unchanged on a retry: the same id with the
/// same payment answers the first result (200) and pays once. Refusals move nothing; they
/// are checked in this order: `payee_not_found`, `payee_inactive`, `wrong_category`,
/// `outside_geofence`, `voucher_expired`, `insufficient_balance`.
#[utoipa::path(
    post,
    path = "/wallet/payments",
    tag = "wallet",
    security(("session" = [], "csrf" = [])),
    request_body = schemas::PayRequest,
    responses(
        (status = 201, description = "Paid", body = schemas::Payment),
        (status = 200, description = "Paid before under this id: the first result; nothing moved now", body = schemas::Payment),
        (status = 400, description = "A malformed body, or an amount that is not positive or has more than two decimal places (`invalid_amount`)", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not a resettler; or the id was used by another person's payment (`not_your_voucher`)", body = schemas::ErrorBody),
        (status = 404, description = "No such payee (`payee_not_found`)", body = schemas::ErrorBody),
        (status = 409, description = "The id was used for another payment (`id_reused`)", body = schemas::ErrorBody),
        (status = 422, description = "Refused, nothing moved: `payee_inactive`, `wrong_category`, `outside_geofence`, `voucher_expired` or `insufficient_balance` (an id refused for insufficient balance stays refused)", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn pay(
    State(state): State<AppState>,
    principal: Principal,
    body: Result<ApiJson<PayRequest>, ApiError>,
) -> Result<(StatusCode, Json<Payment>), ApiError> {
    authorize(&principal, Action::PayFromWallet)?;
    let ApiJson(request) = body?;
    let today = state.clock.today();
    Ok(
        match payments::pay(&state.store, principal.user_id, &request, today).await? {
            Paid::Posted(payment) => (StatusCode::CREATED, Json(payment)),
            Paid::Replayed(payment) => (StatusCode::OK, Json(payment)),
        },
    )
}
