//! Settling a contract (SPEC §5): once its confirmed months fulfil it, the employer is paid
//! min(declared housing costs, limit) from the region's budget; once a run of unconfirmed
//! months breaches it, it is marked breached and never paid.
//!
//! [`settle`] applies [`shared::contract::state`] to the contract's terms and the feed's
//! confirmations, and makes the stored status follow. Fulfilled and breached are final:
//! a contract settled as one never becomes the other, whatever the feed sends later.
//! Contracts without terms (made before contracts carried them) and contracts still being
//! signed are not settled.
//!
//! # Exactly once
//!
//! Settlement runs after each feed import that touched the contract, from the hourly job
//! ([`settle_due`]) and at start-up, possibly on several servers at once. So:
//!
//! 1. The status changes in an audited transaction that holds the write lock (SQLite
//!    `BEGIN IMMEDIATE`, PostgreSQL the audit head and the contract row `FOR UPDATE`) and
//!    re-reads the status under it: `active` becomes `fulfilled` or `breached` once, and
//!    only that change writes `contract.fulfilled` or `contract.breached`.
//! 2. Only a contract stored as `fulfilled` is paid, so a breached one never is: the
//!    status is claimed before any money moves.
//! 3. The payout's ledger transfer id is derived from the contract's id
//!    (`payout:contract:{id}`): simultaneous attempts post it once, the others replay it.
//!    Its id is then stored as `payout_transfer` once, and only that update writes
//!    `contract.paid`.
//!
//! A budget that cannot pay leaves the payout pending (`payout_transfer` empty): the
//! settlement that fulfilled the contract writes `contract.payout_pending` with the reason,
//! and every later settlement tries again, under the next attempt's id if the ledger
//! refused the last one ([`ledger::attempt_id`]), so at most one is ever posted.

use crate::{
    audit::{self, Actor, Event},
    budgets,
    contracts::subject,
    ledger::{
        self, AccountFlags, AccountKey, LedgerError, Rejection, TransferId, TransferKind,
        TransferOutcome, TransferRequest,
    },
    store::{Backend, StoreError},
    Store,
};
use chrono::NaiveDate;
use serde_json::json;
use shared::{
    contract::{state, ContractState, ContractStatus, ContractTerms, MonthConfirmation},
    ledger::Month,
};
use sqlx::{AnyConnection, Row};

/// How [`settle`] left a contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Not settled here: a contract without terms, or one still being signed.
    NotSettled,
    /// Still counting months.
    Active,
    /// Breached: nothing is paid.
    Breached,
    /// Fulfilled; the employer was paid by `payout`, or, while it is `None`, the payout
    /// waits for the region's budget.
    Fulfilled { payout: Option<TransferId> },
}

/// Why a contract could not be settled; the next settlement tries again.
#[derive(Debug, thiserror::Error)]
pub enum SettleError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Ledger(#[from] LedgerError),
}

impl From<sqlx::Error> for SettleError {
    fn from(e: sqlx::Error) -> SettleError {
        SettleError::Store(e.into())
    }
}

/// A contract as settlement reads it.
struct Stored {
    terms: ContractTerms,
    status: String,
    payout_transfer: Option<String>,
}

impl Stored {
    fn payout_pending(&self) -> bool {
        self.status == ContractStatus::Fulfilled.id() && self.payout_transfer.is_none()
    }
}

/// Settles contract `contract_id` on `today`; see the module documentation.
pub async fn settle(
    store: &Store,
    contract_id: i64,
    today: NaiveDate,
) -> Result<Settled, SettleError> {
    // Most calls change nothing: decide that without the write lock.
    let mut conn = store.pool().acquire().await?;
    let Some(stored) = read(&mut conn, contract_id, "").await? else {
        return Ok(Settled::NotSettled);
    };
    let now = state(
        &stored.terms,
        &confirmations(&mut conn, contract_id).await?,
        Month::of(today),
    );
    drop(conn);
    let changes =
        stored.status == ContractStatus::Active.id() && now.status != ContractStatus::Active;
    if !changes && !stored.payout_pending() {
        return Ok(settled(&stored));
    }

    let (stored, fulfilled_now) = if changes {
        change_status(store, contract_id, today).await?
    } else {
        (stored, false)
    };
    if !stored.payout_pending() {
        return Ok(settled(&stored));
    }
    match pay(store, contract_id, &stored.terms).await? {
        Ok(transfer) => {
            record_payout(store, contract_id, &stored.terms, &transfer).await?;
            Ok(Settled::Fulfilled {
                payout: Some(transfer.id),
            })
        }
        Err(reason) => {
            tracing::warn!(
                contract = contract_id,
                region = stored.terms.region.id(),
                reason,
                "contract fulfilled, payout pending"
            );
            if fulfilled_now {
                let event = Event {
                    action: audit::action::CONTRACT_PAYOUT_PENDING,
                    subject: Some(subject(contract_id)),
                    before: None,
                    after: Some(json!({
                        "amount": stored.terms.payout(),
                        "region": stored.terms.region.id(),
                        "reason": reason,
                    })),
                };
                audit::record(store, Actor::System, event).await?;
            }
            Ok(Settled::Fulfilled { payout: None })
        }
    }
}

/// What a stored contract with no change to make is.
fn settled(stored: &Stored) -> Settled {
    match stored.status.as_str() {
        "breached" => Settled::Breached,
        "fulfilled" => Settled::Fulfilled {
            payout: stored
                .payout_transfer
                .as_deref()
                .and_then(TransferId::parse),
        },
        _ => Settled::Active,
    }
}

/// Under the write lock: reads the contract and its confirmations again, and moves an
/// active contract to the status they give, with its audit entry. Returns the contract as
/// it is now, and whether this call fulfilled it.
async fn change_status(
    store: &Store,
    contract_id: i64,
    today: NaiveDate,
) -> Result<(Stored, bool), SettleError> {
    let mut tx = audit::begin(store).await?;
    let lock = match store.backend() {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    };
    let Some(mut stored) = read(&mut tx, contract_id, lock).await? else {
        return Err(StoreError::Corrupt(format!("contract {contract_id} lost its terms")).into());
    };
    if stored.status != ContractStatus::Active.id() {
        return Ok((stored, false));
    }
    let now = state(
        &stored.terms,
        &confirmations(&mut tx, contract_id).await?,
        Month::of(today),
    );
    let after = match now.status {
        ContractStatus::Active => return Ok((stored, false)),
        ContractStatus::Fulfilled => json!({
            "status": "fulfilled",
            "ended_in": now.ended_in,
            "confirmed": now.confirmed,
            "required": now.required,
            "payout": now.payout,
        }),
        ContractStatus::Breached => breach_reason(&stored.terms, &now),
    };
    let changed =
        sqlx::query("UPDATE contracts SET status = $1 WHERE id = $2 AND status = 'active'")
            .bind(now.status.id())
            .bind(contract_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    // Only the update that changed the status says so in the log.
    if changed == 1 {
        let action = match now.status {
            ContractStatus::Fulfilled => audit::action::CONTRACT_FULFILLED,
            _ => audit::action::CONTRACT_BREACHED,
        };
        let event = Event {
            action,
            subject: Some(subject(contract_id)),
            before: Some(json!({ "status": "active" })),
            after: Some(after),
        };
        audit::append(&mut tx, store.backend(), Actor::System, event).await?;
    }
    tx.commit().await?;
    stored.status = now.status.id().to_string();
    Ok((
        stored,
        changed == 1 && now.status == ContractStatus::Fulfilled,
    ))
}

/// What the audit log says about a breach: the month of the breaching run's last month,
/// the run's months, and the months confirmed before it.
fn breach_reason(terms: &ContractTerms, now: &ContractState) -> serde_json::Value {
    let run: Vec<Month> = now
        .months
        .iter()
        .rev()
        .take(now.unconfirmed_run as usize)
        .rev()
        .map(|m| m.month)
        .collect();
    json!({
        "status": "breached",
        "ended_in": now.ended_in,
        "unconfirmed_run": now.unconfirmed_run,
        "unconfirmed_months": run,
        "breach_threshold": terms.breach_threshold,
        "confirmed": now.confirmed,
        "required": now.required,
    })
}

/// Pays the employer of a fulfilled contract: the posted (or replayed) transfer, or why it
/// is not paid now.
async fn pay(
    store: &Store,
    contract_id: i64,
    terms: &ContractTerms,
) -> Result<Result<ledger::Transfer, &'static str>, SettleError> {
    let amount = terms.payout().to_tiyn().ok_or_else(|| {
        StoreError::Corrupt(format!("contract {contract_id} pays {}", terms.payout()))
    })?;
    let budget = AccountKey::RegionBudget(terms.region);
    let employer = AccountKey::EmployerPayout(terms.employer_id);
    let id = ledger::attempt_id(store, &format!("payout:contract:{contract_id}")).await?;
    // A retry of a posted payout replays it whatever the budget holds now.
    if ledger::posted_transfer(store, id).await?.is_none()
        && budgets::available(store, terms.region).await? < amount
    {
        return Ok(Err(Rejection::InsufficientBalance.code()));
    }
    ledger::open_account(store, &employer, AccountFlags::NO_OVERDRAFT).await?;
    let request = TransferRequest {
        id,
        debit: budget,
        credit: employer,
        amount_tiyn: amount,
        kind: TransferKind::Payout,
        reference: subject(contract_id),
    };
    match ledger::transfer(store, &request).await {
        Ok(TransferOutcome::Posted(t) | TransferOutcome::Replayed(t)) => Ok(Ok(t)),
        Err(LedgerError::Rejected(rejection)) => Ok(Err(rejection.code())),
        Err(e) => Err(e.into()),
    }
}

/// Stores the payout's transfer on the contract, once: only that update writes
/// `contract.paid`.
async fn record_payout(
    store: &Store,
    contract_id: i64,
    terms: &ContractTerms,
    transfer: &ledger::Transfer,
) -> Result<(), SettleError> {
    let mut tx = audit::begin(store).await?;
    let recorded = sqlx::query(
        "UPDATE contracts SET payout_transfer = $1 WHERE id = $2 AND payout_transfer IS NULL",
    )
    .bind(transfer.id.to_string())
    .bind(contract_id)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if recorded == 1 {
        let event = Event {
            action: audit::action::CONTRACT_PAID,
            subject: Some(subject(contract_id)),
            before: None,
            after: Some(json!({
                "amount": terms.payout(),
                "employer_id": terms.employer_id,
                "region": terms.region.id(),
                "transfer": transfer.id,
                "seq": transfer.seq,
            })),
        };
        audit::append(&mut tx, store.backend(), Actor::System, event).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The contract with its terms, read with `lock` appended; `None` for a contract without
/// terms or still being signed.
async fn read(
    conn: &mut AnyConnection,
    contract_id: i64,
    lock: &str,
) -> Result<Option<Stored>, StoreError> {
    let Some(row) = sqlx::query(&format!(
        "SELECT status, terms, payout_transfer FROM contracts WHERE id = $1{lock}"
    ))
    .bind(contract_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let status: String = row.try_get("status")?;
    let terms: Option<String> = row.try_get("terms")?;
    let Some(terms) = terms.filter(|_| status != "signing") else {
        return Ok(None);
    };
    let terms = serde_json::from_str(&terms)
        .map_err(|e| StoreError::Corrupt(format!("contract {contract_id} terms: {e}")))?;
    Ok(Some(Stored {
        terms,
        status,
        payout_transfer: row.try_get("payout_transfer")?,
    }))
}

/// Every confirmation the feed has sent for contract `contract_id`, in month order.
pub async fn confirmations(
    conn: &mut AnyConnection,
    contract_id: i64,
) -> Result<Vec<MonthConfirmation>, StoreError> {
    let rows = sqlx::query(
        "SELECT month, resident, employed, social_paid, pension_paid FROM confirmations \
         WHERE contract_id = $1 ORDER BY month",
    )
    .bind(contract_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let month: String = row.try_get("month")?;
            let flag = |column: &str| -> Result<bool, StoreError> {
                Ok(row.try_get::<i64, _>(column)? == 1)
            };
            Ok(MonthConfirmation {
                month: Month::parse(&month).ok_or_else(|| {
                    StoreError::Corrupt(format!("contract {contract_id} confirms {month:?}"))
                })?,
                resident: flag("resident")?,
                employed: flag("employed")?,
                social_paid: flag("social_paid")?,
                pension_paid: flag("pension_paid")?,
            })
        })
        .collect()
}

/// What [`settle_due`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DueReport {
    /// Contracts looked at: the active ones and the fulfilled ones still to be paid.
    pub settled: u32,
    pub fulfilled_and_paid: u32,
    pub payouts_pending: u32,
    pub breached: u32,
    /// Could not be settled now; logged, tried again next run.
    pub failed: u32,
}

/// Settles every active contract, and every fulfilled one whose payout is pending, on
/// `today`: months end and budgets get funded without any import.
pub async fn settle_due(store: &Store, today: NaiveDate) -> Result<DueReport, StoreError> {
    let ids: Vec<i64> = sqlx::query_scalar(
        "SELECT id FROM contracts WHERE terms IS NOT NULL AND (status = 'active' \
         OR (status = 'fulfilled' AND payout_transfer IS NULL)) ORDER BY id",
    )
    .fetch_all(store.pool())
    .await?;
    let mut report = DueReport::default();
    for id in ids {
        report.settled += 1;
        match settle(store, id, today).await {
            Ok(Settled::Fulfilled { payout: Some(_) }) => report.fulfilled_and_paid += 1,
            Ok(Settled::Fulfilled { payout: None }) => report.payouts_pending += 1,
            Ok(Settled::Breached) => report.breached += 1,
            Ok(Settled::Active | Settled::NotSettled) => {}
            Err(e) => {
                tracing::error!(contract = id, error = %e, "contract not settled");
                report.failed += 1;
            }
        }
    }
    Ok(report)
}
