//! A resettler pays a payee from their vouchers (SPEC §4): `POST /wallet/payments`.
//!
//! The checks run in this order, each refusing with its [`PaymentRefusal`] while nothing
//! moves: the payee exists (else 404), is active, has the payment's category, and lies
//! inside the resettler's destination region (that of their approved application); then an
//! open voucher of theirs is spendable today. The ledger transfer (`pay`, voucher → payee)
//! draws on the open voucher that expires first: the earliest spendable month with
//! something left, else the earliest spendable month, which the ledger then refuses for
//! insufficient balance.
//!
//! The app's [`PayRequest::id`] is the transfer id. The ledger keeps what it decided for an
//! id: the first result on a replay of the same payment, a refusal for the same id with
//! another payment, and a refusal for insufficient balance (or a closed account) for ever.
//! The checks before the ledger record nothing, so an id refused by them (payee inactive,
//! wrong category, outside the geo-fence, expired) has not been used. A payment already
//! posted under the id is looked up before any check, so its replay answers the first
//! result even if the payee has been deactivated since or the voucher drawn on is empty now.
//!
//! # The transfer's reference
//!
//! A payment's [`ledger::TransferRequest::reference`] is `payee:<payee id>:<category>`, e.g.
//! `payee:5:rent`: written by [`payment_reference`], read by [`parse_payment_reference`].

use crate::{
    error::ApiError,
    fail,
    ledger::{self, AccountKey, LedgerError, Month, Rejection, TransferKind, TransferRequest},
    payees,
    store::StoreError,
    Store,
};
use axum::http::StatusCode;
use chrono::{Months, NaiveDate};
use shared::{
    geo,
    voucher::is_spendable,
    wallet::{PayRequest, PayeeCategory, PayeeStatus, Payment, PaymentRefusal},
    Lang, Localized, Policy, Region, Tenge,
};
use sqlx::Row;

/// The reference of a payment to payee `payee_id` for `category` (see the module
/// documentation).
pub fn payment_reference(payee_id: i64, category: PayeeCategory) -> String {
    let category = match category {
        PayeeCategory::Rent => "rent",
        PayeeCategory::Utilities => "utilities",
    };
    format!("payee:{payee_id}:{category}")
}

/// The payee id and category of a payment's reference; `None` for any other text.
pub fn parse_payment_reference(reference: &str) -> Option<(i64, PayeeCategory)> {
    let rest = reference.strip_prefix("payee:")?;
    let (id, category) = rest.split_once(':')?;
    let payee_id: i64 = id.parse().ok()?;
    if payee_id <= 0 || payee_id.to_string() != id {
        return None;
    }
    let category = match category {
        "rent" => PayeeCategory::Rent,
        "utilities" => PayeeCategory::Utilities,
        _ => return None,
    };
    Some((payee_id, category))
}

/// What [`pay`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Paid {
    /// Paid now: 201.
    Posted(Payment),
    /// This payment was made before under this id; nothing moved now: 200.
    Replayed(Payment),
}

/// The answer refusing a payment for `refusal`.
pub fn refused(refusal: PaymentRefusal) -> ApiError {
    let status = match refusal {
        PaymentRefusal::NotYourVoucher => StatusCode::FORBIDDEN,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    let texts = Localized {
        kk: refusal.message(Lang::Kk).into(),
        ru: refusal.message(Lang::Ru).into(),
        en: refusal.message(Lang::En).into(),
    };
    let error = ApiError::localized(status, refusal.code(), texts);
    match refusal {
        PaymentRefusal::OutsideGeofence | PaymentRefusal::PayeeInactive => {
            error.with_field("payee_id")
        }
        PaymentRefusal::WrongCategory => error.with_field("category"),
        PaymentRefusal::InsufficientBalance => error.with_field("amount"),
        PaymentRefusal::Expired | PaymentRefusal::NotYourVoucher => error,
    }
}

/// The id was used before for another payment.
fn id_reused() -> ApiError {
    let rejection = Rejection::IdReusedWithDifferentBody;
    ApiError::localized(
        StatusCode::CONFLICT,
        "id_reused",
        Localized {
            kk: rejection.message(Lang::Kk),
            ru: rejection.message(Lang::Ru),
            en: rejection.message(Lang::En),
        },
    )
    .with_field("id")
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

fn ledger_error(error: LedgerError) -> ApiError {
    match error {
        LedgerError::Store(e) => crate::store_error(e),
        other => {
            tracing::error!(error = %other, "payment: unexpected ledger answer");
            ApiError::internal()
        }
    }
}

/// The destination region of `resettler`'s approved application, if they have one.
pub async fn destination_of(store: &Store, resettler: i64) -> Result<Option<Region>, StoreError> {
    let row = sqlx::query(
        "SELECT region FROM applications WHERE applicant_id = $1 AND status = 'approved'",
    )
    .bind(resettler)
    .fetch_optional(store.pool())
    .await?;
    row.map(|row| crate::applications::parse_region(row.try_get("region")?))
        .transpose()
}

/// The payment a posted transfer made.
fn payment(transfer: &ledger::Transfer, payee_id: i64, month: Month) -> Payment {
    Payment {
        id: transfer.id,
        payee_id,
        amount: Tenge::from_tiyn(transfer.amount_tiyn),
        month,
        at: transfer.created_at.clone(),
    }
}

/// The answer to a payment whose id is already posted as `first`: its first result when
/// it is this resettler's payment of the same payee, category and amount.
fn replay(
    first: &ledger::Transfer,
    resettler: i64,
    request: &PayRequest,
    amount_tiyn: i64,
) -> Result<Paid, ApiError> {
    match first.debit {
        AccountKey::Voucher {
            resettler: owner,
            month,
        } if owner == resettler => {
            let same = first.kind == TransferKind::Pay
                && first.credit == AccountKey::Payee(request.payee_id)
                && first.amount_tiyn == amount_tiyn
                && first.reference == payment_reference(request.payee_id, request.category);
            if same {
                Ok(Paid::Replayed(payment(first, request.payee_id, month)))
            } else {
                Err(id_reused())
            }
        }
        AccountKey::Voucher { .. } => Err(refused(PaymentRefusal::NotYourVoucher)),
        _ => Err(id_reused()),
    }
}

/// The voucher a payment made on `today` by `resettler` draws on (see the module
/// documentation); `None` when no open voucher of theirs is spendable today.
async fn voucher_to_draw(
    store: &Store,
    resettler: i64,
    today: NaiveDate,
) -> Result<Option<Month>, ApiError> {
    // Spendable today: this month's voucher, and last month's until its grace day.
    let last_month = today.checked_sub_months(Months::new(1)).map(Month::of);
    let spendable = [last_month, Some(Month::of(today))]
        .into_iter()
        .flatten()
        .filter(|m| is_spendable(*m, today, Policy::current()).unwrap_or(false));
    let mut open = Vec::new();
    for month in spendable {
        let key = AccountKey::Voucher { resettler, month };
        if let Some(account) = ledger::account(store, &key).await.map_err(ledger_error)? {
            if !account.closed {
                open.push((month, account.balance.available()));
            }
        }
    }
    let with_money = open.iter().find(|(_, available)| *available > 0);
    Ok(with_money.or(open.first()).map(|(month, _)| *month))
}

/// Pays for the resettler `resettler` on `today`; see the module documentation. The caller
/// has checked that the principal may pay from a wallet.
pub async fn pay(
    store: &Store,
    resettler: i64,
    request: &PayRequest,
    today: NaiveDate,
) -> Result<Paid, ApiError> {
    let amount_tiyn = request
        .amount
        .to_tiyn()
        .filter(|tiyn| *tiyn > 0)
        .ok_or_else(invalid_amount)?;
    let earlier = ledger::posted_transfer(store, request.id)
        .await
        .map_err(ledger_error)?;
    if let Some(first) = earlier {
        return replay(&first, resettler, request, amount_tiyn);
    }

    let payee = payees::get(store, request.payee_id, false)
        .await
        .map_err(crate::store_error)?
        .ok_or_else(payees::not_found)?;
    if payee.status != PayeeStatus::Active {
        return Err(refused(PaymentRefusal::PayeeInactive));
    }
    if payee.category != request.category {
        return Err(refused(PaymentRefusal::WrongCategory));
    }
    // Without an approved application there is no destination and no voucher.
    let destination = destination_of(store, resettler)
        .await
        .map_err(crate::store_error)?
        .ok_or_else(|| refused(PaymentRefusal::Expired))?;
    let inside = payees::point(&payee).is_some_and(|p| geo::is_inside(destination, p));
    if payee.region != destination || !inside {
        return Err(refused(PaymentRefusal::OutsideGeofence));
    }
    let month = voucher_to_draw(store, resettler, today)
        .await?
        .ok_or_else(|| refused(PaymentRefusal::Expired))?;

    let transfer = TransferRequest {
        id: request.id,
        debit: AccountKey::Voucher { resettler, month },
        credit: AccountKey::Payee(payee.id),
        amount_tiyn,
        kind: TransferKind::Pay,
        reference: payment_reference(payee.id, request.category),
    };
    match ledger::transfer(store, &transfer).await {
        Ok(ledger::TransferOutcome::Posted(t)) => Ok(Paid::Posted(payment(&t, payee.id, month))),
        Ok(ledger::TransferOutcome::Replayed(t)) => {
            Ok(Paid::Replayed(payment(&t, payee.id, month)))
        }
        Err(LedgerError::Rejected(Rejection::InsufficientBalance)) => {
            Err(refused(PaymentRefusal::InsufficientBalance))
        }
        Err(LedgerError::Rejected(Rejection::AccountClosed)) => {
            // Either the payee was deactivated or the voucher expired since the checks.
            let payee_account = ledger::account(store, &transfer.credit)
                .await
                .map_err(ledger_error)?;
            Err(refused(if payee_account.is_some_and(|a| a.closed) {
                PaymentRefusal::PayeeInactive
            } else {
                PaymentRefusal::Expired
            }))
        }
        Err(LedgerError::Rejected(Rejection::IdReusedWithDifferentBody)) => {
            // The same id posted meanwhile (a double tap that picked another voucher, or
            // someone else's payment), or refused before with another body.
            let first = ledger::posted_transfer(store, request.id)
                .await
                .map_err(ledger_error)?;
            match first {
                Some(first) => replay(&first, resettler, request, amount_tiyn),
                None => Err(id_reused()),
            }
        }
        Err(e) => Err(ledger_error(e)),
    }
}
