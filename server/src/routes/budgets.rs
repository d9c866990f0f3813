//! The regions' voucher budgets: the admin funds them; the admin sees every region's, an
//! akimat officer their own region's.

use super::openapi::schemas;
use crate::{
    auth::{authorize, permits, Action, Principal},
    budgets,
    error::ApiError,
    extract::ApiJson,
    fail,
    ledger::{LedgerError, Rejection, TransferOutcome},
    AppState,
};
use axum::{
    extract::{rejection::PathRejection, Path, State},
    http::StatusCode,
    Json,
};
use shared::{
    budget::{BudgetList, FundBudget, Funding},
    Localized, Policy, Region, Tenge,
};

/// Moves money from the program account to a destination region's budget, from which its
/// monthly vouchers are issued. Admins only. The client chooses the `id` and sends it again
/// unchanged on a retry: the first result comes back (200) and nothing moves again.
#[utoipa::path(
    post,
    path = "/budgets/{region}/fund",
    tag = "staff",
    security(("session" = [], "csrf" = [])),
    params(("region" = String, Path, description = "A destination region id", example = "north_kazakhstan")),
    request_body = schemas::FundBudget,
    responses(
        (status = 201, description = "Funded", body = schemas::Funding),
        (status = 200, description = "Funded before under this id; nothing moved now", body = schemas::Funding),
        (status = 400, description = "Not an amount of more than zero in whole tiyn, or a malformed body", body = schemas::ErrorBody),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Not an admin; or a cross-site request or missing CSRF token", body = schemas::ErrorBody),
        (status = 404, description = "Not a destination region", body = schemas::ErrorBody),
        (status = 409, description = "The id was used for another transfer, or the budget would pass the largest amount kept", body = schemas::ErrorBody),
        (status = 415, description = "The body is not declared as `application/json`", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn fund(
    State(state): State<AppState>,
    principal: Principal,
    path: Result<Path<String>, PathRejection>,
    body: Result<ApiJson<FundBudget>, ApiError>,
) -> Result<(StatusCode, Json<Funding>), ApiError> {
    let region = destination(path)?;
    authorize(&principal, Action::FundBudget { region })?;
    let ApiJson(request) = body?;
    let amount = request
        .amount
        .to_tiyn()
        .filter(|tiyn| *tiyn > 0)
        .ok_or_else(invalid_amount)?;
    // Who funded is part of the transfer: a retry must come from the same admin.
    let reference = format!("funded by user {}", principal.user_id);
    let outcome = budgets::fund(&state.store, region, request.id, amount, reference)
        .await
        .map_err(|e| match e {
            LedgerError::Rejected(rejection) => refused(rejection),
            other => ledger_failure(other),
        })?;
    let status = match outcome {
        TransferOutcome::Posted(_) => StatusCode::CREATED,
        TransferOutcome::Replayed(_) => StatusCode::OK,
    };
    let transfer = outcome.transfer();
    let balance = budgets::available(&state.store, region)
        .await
        .map_err(ledger_failure)?;
    Ok((
        status,
        Json(Funding {
            id: transfer.id,
            region,
            amount: Tenge::from_tiyn(transfer.amount_tiyn),
            at: transfer.created_at.clone(),
            balance: Tenge::from_tiyn(balance),
        }),
    ))
}

/// The voucher budgets the caller may see: an admin every destination region's, an akimat
/// officer their region's. Others: 403.
#[utoipa::path(
    get,
    path = "/budgets",
    tag = "staff",
    security(("session" = [])),
    responses(
        (status = 200, description = "Budgets, in policy order", body = schemas::BudgetList),
        (status = 401, description = "Not signed in", body = schemas::ErrorBody),
        (status = 403, description = "Neither an admin nor an akimat officer", body = schemas::ErrorBody),
        (status = 503, description = "The database is unreachable", body = schemas::ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    principal: Principal,
) -> Result<Json<BudgetList>, ApiError> {
    let visible: Vec<Region> = Policy::current()
        .destinations()
        .filter(|region| permits(&principal, Action::ViewBudget { region: *region }))
        .collect();
    // Whoever may see no region's budget may not ask.
    if visible.is_empty() {
        return Err(fail::forbidden());
    }
    let budgets = budgets::balances(&state.store, visible)
        .await
        .map_err(ledger_failure)?;
    Ok(Json(BudgetList { budgets }))
}

fn destination(path: Result<Path<String>, PathRejection>) -> Result<Region, ApiError> {
    let Path(region) = path.map_err(|e| {
        tracing::debug!(error = %e.body_text(), "unreadable budget path");
        ApiError::localized(
            StatusCode::BAD_REQUEST,
            "invalid_path",
            fail::texts(
                "Мекенжай дұрыс емес: /api/v1/budgets/{өңір}/fund түрінде жазыңыз.",
                "Неверный адрес: используйте вид /api/v1/budgets/{регион}/fund.",
                "The address is not valid: use /api/v1/budgets/{region}/fund.",
            ),
        )
    })?;
    Region::from_id(&region)
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
        })
}

fn invalid_amount() -> ApiError {
    fail::invalid(
        "amount",
        "invalid_amount",
        fail::texts(
            "Соманы теңгемен жазыңыз: нөлден көп, тиынмен ең көбі екі белгі.",
            "Укажите сумму в тенге: больше нуля, не более двух знаков после запятой.",
            "Write the amount in tenge: more than zero, with at most two decimal places.",
        ),
    )
}

/// The ledger refused the funding: nothing moved.
fn refused(rejection: Rejection) -> ApiError {
    let status = match rejection {
        Rejection::AmountNotPositive => StatusCode::BAD_REQUEST,
        _ => StatusCode::CONFLICT,
    };
    let error = ApiError::localized(
        status,
        rejection.code(),
        Localized::from_fn(|lang| rejection.message(lang)),
    );
    match rejection {
        Rejection::IdReusedWithDifferentBody => error.with_field("id"),
        Rejection::AmountNotPositive | Rejection::BalanceOverflow => error.with_field("amount"),
        _ => error,
    }
}

fn ledger_failure(error: LedgerError) -> ApiError {
    match error {
        LedgerError::Store(e) => crate::store_error(e),
        other => {
            tracing::error!(error = %other, "budget: unexpected ledger answer");
            ApiError::internal()
        }
    }
}
