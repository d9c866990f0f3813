//! A resettler's wallet: their monthly vouchers and what moved on them.

use super::openapi::schemas;
use crate::{
    auth::{authorize, Action, Principal},
    error::ApiError,
    ledger::LedgerError,
    vouchers, AppState,
};
use axum::{extract::State, Json};
use shared::wallet::Wallet;

/// The signed-in resettler's vouchers: the balance spendable today, each monthly voucher
/// (issued, spent, left, returned, spendable until, status), newest month first, and the
/// history of issues, payments and returns, newest first. Before an application is
/// approved the wallet is empty and its `region` is `null`.
#[utoipa::path(
    get,
    path = "/wallet",
    tag = "wallet",
    security(("session" = [])),
    responses(
        (status = 200, description = "The wallet", body = schemas::Wallet),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not a resettler", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn wallet(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<Wallet>, ApiError> {
    authorize(&principal, Action::ViewOwnWallet)?;
    let today = chrono::Utc::now().date_naive();
    let wallet = vouchers::wallet(&state.store, principal.user_id, today)
        .await
        .map_err(|e| match e {
            LedgerError::Store(e) => crate::store_error(e),
            other => {
                tracing::error!(error = %other, "wallet: unexpected ledger answer");
                ApiError::internal()
            }
        })?;
    Ok(Json(wallet))
}
