//! Monthly vouchers (SPEC §4): issuance from the region's budget, expiry back to it, the
//! job that runs both by itself, and a resettler's wallet. When a voucher is due, for how
//! much and until when it can be spent is decided by [`shared::voucher`].
//!
//! - [`issue_due`] issues every due voucher of every approved family: each month from the
//!   arrival month up to today's, at most the policy's 12, with the MRP of each month's 1st.
//!   It catches up after downtime (every month missed is issued, even one already past its
//!   grace day, which the next expiry then returns) and is idempotent per (resettler,
//!   month): the transfer id is derived from `issue:{resettler}:{month}`, so two runs at
//!   once post it once. A region whose budget has too little is skipped ("waiting for
//!   funds"); a later run issues once it is funded.
//! - [`expire_due`] returns the remainder of every issued voucher past its grace day to the
//!   budget it came from, then closes the voucher's account; idempotent and catching up.
//! - [`start_jobs`] runs issuance, expiry and contracts' settlement at start-up and every
//!   hour after, until stopped: cheap when nothing is due.
//! - [`wallet`] is what `GET /wallet` shows.
//!
//! "Today" is the UTC date, as everywhere in the server.

use crate::{
    applications::{parse_region, parse_text},
    budgets,
    ledger::{
        self, AccountFlags, AccountKey, LedgerError, Month, Rejection, Transfer, TransferKind,
        TransferOutcome, TransferRequest,
    },
    store::StoreError,
    Store,
};
use chrono::NaiveDate;
use shared::{
    api::Settlement,
    voucher,
    wallet::{Voucher, VoucherStatus, Wallet, WalletEntry, WalletEntryKind},
    Policy, Region, Tenge,
};
use sqlx::{any::AnyRow, Row};
use std::{
    collections::{BTreeMap, HashMap, HashSet},
    time::Duration,
};
use tokio::{sync::watch, task::JoinHandle};

/// How often the job looks for vouchers to issue or expire.
pub const JOB_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// An approved family, as issuance needs it.
#[derive(Debug, Clone, Copy)]
struct Family {
    /// The applicant's account id: the owner of the voucher accounts.
    resettler: i64,
    region: Region,
    settlement: Settlement,
    size: u32,
    arrival: Month,
}

/// Every approved application, oldest first; only `resettler`'s when given. A row that
/// cannot be read (an approval without its date) is logged and left out, so it holds up
/// no one else's vouchers.
async fn approved_families(
    store: &Store,
    resettler: Option<i64>,
) -> Result<Vec<Family>, StoreError> {
    const SELECT: &str = "SELECT id, applicant_id, region, settlement, family_size, decided_at \
         FROM applications WHERE status = 'approved'";
    let sql = match resettler {
        None => format!("{SELECT} ORDER BY id"),
        Some(_) => format!("{SELECT} AND applicant_id = $1 ORDER BY id"),
    };
    let mut query = sqlx::query(&sql);
    if let Some(id) = resettler {
        query = query.bind(id);
    }
    let rows = query.fetch_all(store.pool()).await?;
    let mut families = Vec::with_capacity(rows.len());
    for row in &rows {
        match family(row) {
            Ok(family) => families.push(family),
            Err(e) => {
                let id: i64 = row.try_get("id")?;
                tracing::error!(application = id, error = %e, "approved application unreadable");
            }
        }
    }
    Ok(families)
}

fn family(row: &AnyRow) -> Result<Family, StoreError> {
    let decided_at: Option<String> = row.try_get("decided_at")?;
    let approved_on = decided_at
        .as_deref()
        .and_then(|text| chrono::DateTime::parse_from_rfc3339(text).ok())
        .map(|at| at.naive_utc().date())
        .ok_or_else(|| StoreError::Corrupt(format!("decided_at = {decided_at:?}")))?;
    let size: i64 = row.try_get("family_size")?;
    Ok(Family {
        resettler: row.try_get("applicant_id")?,
        region: parse_region(row.try_get("region")?)?,
        settlement: parse_text("settlement", row.try_get("settlement")?)?,
        size: u32::try_from(size)
            .map_err(|_| StoreError::Corrupt(format!("family_size = {size}")))?,
        arrival: voucher::arrival_month(approved_on),
    })
}

/// What an issuance run did, in vouchers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IssueReport {
    pub issued: u32,
    /// Due, and issued by an earlier (or a simultaneous) run.
    pub already_issued: u32,
    /// Due, but the region's budget holds less than the voucher: left for a later run.
    pub waiting_for_funds: u32,
    /// Due, but refused by the policy (no MRP for its date) or the ledger; logged.
    pub failed: u32,
}

/// Issues every voucher due by `today`; see the module documentation.
pub async fn issue_due(store: &Store, today: NaiveDate) -> Result<IssueReport, LedgerError> {
    issue(store, today, None).await
}

/// Issues the vouchers due for `month` only (`server vouchers issue --month`): none when
/// `month` has not begun by `today`.
pub async fn issue_month(
    store: &Store,
    month: Month,
    today: NaiveDate,
) -> Result<IssueReport, LedgerError> {
    issue(store, today, Some(month)).await
}

async fn issue(
    store: &Store,
    today: NaiveDate,
    only: Option<Month>,
) -> Result<IssueReport, LedgerError> {
    let policy = Policy::current();
    let done = issued_vouchers(store).await?;
    // What each budget holds, read once per run and lowered by each voucher issued.
    let mut budgets: HashMap<Region, i64> = HashMap::new();
    let mut waiting: BTreeMap<Region, u32> = BTreeMap::new();
    let mut report = IssueReport::default();
    for family in approved_families(store, None).await? {
        let months = match voucher::due(family.arrival, today, policy) {
            Ok(months) => months,
            Err(e) => {
                tracing::error!(resettler = family.resettler, error = %e, "vouchers not issued");
                report.failed += 1;
                continue;
            }
        };
        for month in months.into_iter().filter(|m| only.is_none_or(|o| o == *m)) {
            let key = AccountKey::Voucher {
                resettler: family.resettler,
                month,
            };
            if done.contains(&key) {
                report.already_issued += 1;
                continue;
            }
            let amount = voucher::monthly_amount(family.size, family.settlement, month, policy)
                .map_err(|e| e.to_string())
                .and_then(|t| t.to_tiyn().ok_or_else(|| format!("{t} is not whole tiyn")));
            let amount = match amount {
                Ok(amount) => amount,
                Err(e) => {
                    tracing::error!(voucher = %key, error = %e, "voucher not issued");
                    report.failed += 1;
                    continue;
                }
            };
            let budget = match budgets.get(&family.region) {
                Some(budget) => *budget,
                None => budgets::available(store, family.region).await?,
            };
            if budget < amount {
                *waiting.entry(family.region).or_default() += 1;
                report.waiting_for_funds += 1;
                budgets.insert(family.region, budget);
                continue;
            }
            ledger::open_account(store, &key, AccountFlags::NO_OVERDRAFT).await?;
            match post_issue(store, &family, month, amount).await? {
                Ok(TransferOutcome::Posted(_)) => {
                    report.issued += 1;
                    budgets.insert(family.region, budget - amount);
                }
                Ok(TransferOutcome::Replayed(_)) => report.already_issued += 1,
                Err(rejection) => {
                    // Another debit of the budget came first; the next run reads it anew.
                    tracing::warn!(voucher = %key, reason = rejection.code(), "voucher not issued");
                    report.failed += 1;
                    budgets.remove(&family.region);
                }
            }
        }
    }
    for (region, vouchers) in waiting {
        tracing::warn!(
            region = region.id(),
            vouchers,
            "region budget too low: vouchers waiting for funds"
        );
    }
    Ok(report)
}

/// Posts the issue of `family`'s voucher for `month`, under the current attempt of
/// `issue:{resettler}:{month}` ([`ledger::attempt_id`]).
async fn post_issue(
    store: &Store,
    family: &Family,
    month: Month,
    amount_tiyn: i64,
) -> Result<Result<TransferOutcome, Rejection>, LedgerError> {
    let resettler = family.resettler;
    let id = ledger::attempt_id(store, &format!("issue:{resettler}:{month}")).await?;
    let request = TransferRequest {
        id,
        debit: AccountKey::RegionBudget(family.region),
        credit: AccountKey::Voucher { resettler, month },
        amount_tiyn,
        kind: TransferKind::Issue,
        reference: format!("voucher {month}"),
    };
    match ledger::transfer(store, &request).await {
        Ok(outcome) => Ok(Ok(outcome)),
        Err(LedgerError::Rejected(rejection)) => Ok(Err(rejection)),
        Err(e) => Err(e),
    }
}

/// What an expiry run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExpiryReport {
    /// Vouchers whose remainder went back to the budget.
    pub returned: u32,
    /// The total returned, in tiyn.
    pub returned_tiyn: i64,
    /// Voucher accounts closed (with or without a remainder).
    pub closed: u32,
    /// Past the grace day but refused by the ledger; logged, tried again next run.
    pub failed: u32,
}

/// Returns the remainder of every issued voucher past its grace day on `today` to the
/// budget it was issued from, then closes the voucher's account.
///
/// Idempotent: a run after a crash between the return and the close finds nothing left
/// to return and only closes. The return's id is derived from
/// `return:{resettler}:{month}:{remainder in tiyn}`: the remainder is in the id because a
/// payment racing the grace day could lower it after a refused attempt, and a refused id
/// stays refused; a voucher never holds the same remainder again after it dropped, and
/// cannot go below zero, so nothing returns twice.
pub async fn expire_due(store: &Store, today: NaiveDate) -> Result<ExpiryReport, LedgerError> {
    let policy = Policy::current();
    let mut report = ExpiryReport::default();
    for (key, budget, remainder) in open_issued_vouchers(store).await? {
        let AccountKey::Voucher { resettler, month } = key else {
            continue;
        };
        match voucher::is_expired(month, today, policy) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(e) => {
                tracing::error!(voucher = %key, error = %e, "voucher not expired");
                report.failed += 1;
                continue;
            }
        }
        if remainder > 0 {
            let request = TransferRequest {
                id: ledger::derived_id(&format!("return:{resettler}:{month}:{remainder}")),
                debit: key,
                credit: budget,
                amount_tiyn: remainder,
                kind: TransferKind::Return,
                reference: format!("voucher {month} expired"),
            };
            match ledger::transfer(store, &request).await {
                Ok(TransferOutcome::Posted(_)) => {
                    report.returned += 1;
                    report.returned_tiyn += remainder;
                }
                Ok(TransferOutcome::Replayed(_)) => {}
                Err(LedgerError::Rejected(rejection)) => {
                    tracing::warn!(voucher = %key, reason = rejection.code(), "remainder not returned");
                    report.failed += 1;
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
        ledger::close_account(store, &key).await?;
        report.closed += 1;
    }
    Ok(report)
}

/// Issuance, then expiry, then contracts' settlement ([`crate::settlement::settle_due`]),
/// for `today`; failures are logged (the next run tries again).
pub async fn run_due(store: &Store, today: NaiveDate) {
    match issue_due(store, today).await {
        Ok(report) if report.issued > 0 || report.waiting_for_funds > 0 => {
            tracing::info!(?report, "vouchers issued");
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "voucher issuance failed"),
    }
    match expire_due(store, today).await {
        Ok(report) if report.closed > 0 => tracing::info!(?report, "vouchers expired"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "voucher expiry failed"),
    }
    match crate::settlement::settle_due(store, today).await {
        Ok(report) if report.settled > 0 => tracing::info!(?report, "contracts settled"),
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "contract settlement failed"),
    }
}

/// The running voucher job; [`Jobs::stop`] ends it.
#[derive(Debug)]
pub struct Jobs {
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

/// Starts the job: [`run_due`] now and then every [`JOB_INTERVAL`].
pub fn start_jobs(store: Store, clock: crate::clock::Clock) -> Jobs {
    let (stop, mut stopped) = watch::channel(false);
    let task = tokio::spawn(async move {
        let mut every = tokio::time::interval(JOB_INTERVAL);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                // A run in progress finishes; the job stops between runs.
                biased;
                _ = stopped.changed() => break,
                _ = every.tick() => run_due(&store, clock.today()).await,
            }
        }
    });
    Jobs { stop, task }
}

impl Jobs {
    /// Stops the job once its current run (if any) has finished.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "the voucher job ended abnormally");
        }
    }
}

/// A resettler's wallet on `today`: the vouchers of their approved application with what
/// moved on them. Without an approved application: no region and nothing in it.
pub async fn wallet(
    store: &Store,
    resettler: i64,
    today: NaiveDate,
) -> Result<Wallet, LedgerError> {
    let policy = Policy::current();
    let empty = Wallet {
        region: None,
        balance: Tenge::ZERO,
        vouchers: Vec::new(),
        history: Vec::new(),
    };
    let Some(family) = approved_families(store, Some(resettler)).await?.pop() else {
        return Ok(empty);
    };
    // Vouchers exist only for months the policy has values for: none when it has not.
    let Ok(months) = voucher::schedule(family.arrival, policy) else {
        return Ok(Wallet {
            region: Some(family.region),
            ..empty
        });
    };
    let mut balance = 0i64;
    let mut vouchers = Vec::new();
    let mut moves: Vec<(Month, Transfer)> = Vec::new();
    for month in months.into_iter().rev() {
        let key = AccountKey::Voucher { resettler, month };
        let Some(account) = ledger::account(store, &key).await? else {
            continue;
        };
        if account.balance.credits_posted == 0 {
            continue;
        }
        let transfers = all_transfers(store, &key).await?;
        let total = |kind| {
            transfers
                .iter()
                .filter(|t| t.kind == kind)
                .map(|t| t.amount_tiyn)
                .sum::<i64>()
        };
        let left = account.balance.available();
        let Ok(spendable_until) = voucher::spendable_until(month, policy) else {
            continue;
        };
        let status = if account.closed {
            VoucherStatus::Returned
        } else if today > spendable_until {
            VoucherStatus::Expired
        } else {
            VoucherStatus::Open
        };
        if status == VoucherStatus::Open {
            balance += left;
        }
        vouchers.push(Voucher {
            month,
            amount: Tenge::from_tiyn(account.balance.credits_posted),
            spent: Tenge::from_tiyn(total(TransferKind::Pay)),
            left: Tenge::from_tiyn(left),
            returned: Tenge::from_tiyn(total(TransferKind::Return)),
            spendable_until,
            status,
        });
        moves.extend(transfers.into_iter().map(|t| (month, t)));
    }
    moves.sort_by_key(|(_, t)| std::cmp::Reverse(t.seq));
    let mut names: HashMap<i64, String> = HashMap::new();
    let mut history = Vec::with_capacity(moves.len());
    for (month, t) in moves {
        let kind = match t.kind {
            TransferKind::Issue => WalletEntryKind::Issued,
            TransferKind::Pay => WalletEntryKind::Payment,
            TransferKind::Return => WalletEntryKind::Returned,
            TransferKind::Fund | TransferKind::Payout => continue,
        };
        let payee = match kind {
            WalletEntryKind::Payment => Some(payee_name(store, &t, &mut names).await?),
            _ => None,
        };
        history.push(WalletEntry {
            kind,
            month,
            amount: Tenge::from_tiyn(t.amount_tiyn),
            payee,
            at: t.created_at,
        });
    }
    Ok(Wallet {
        region: Some(family.region),
        balance: Tenge::from_tiyn(balance),
        vouchers,
        history,
    })
}

/// The name of the payee a payment went to, from the reference it was posted with (see
/// `payments::payment_reference`); looked up once per payee.
async fn payee_name(
    store: &Store,
    payment: &Transfer,
    names: &mut HashMap<i64, String>,
) -> Result<String, LedgerError> {
    let Some((id, _)) = crate::payments::parse_payment_reference(&payment.reference) else {
        return Ok(payment.reference.clone());
    };
    if let Some(name) = names.get(&id) {
        return Ok(name.clone());
    }
    let name = crate::payees::get(store, id, false)
        .await
        .map_err(LedgerError::Store)?
        .map_or_else(|| payment.reference.clone(), |p| p.name);
    names.insert(id, name.clone());
    Ok(name)
}

/// Every transfer from or to `key`, newest first.
async fn all_transfers(store: &Store, key: &AccountKey) -> Result<Vec<Transfer>, LedgerError> {
    const PER_PAGE: u32 = 100;
    let mut transfers = Vec::new();
    for page in 1.. {
        let history = ledger::history(store, key, page, PER_PAGE).await?;
        let last = history.transfers.len() < PER_PAGE as usize;
        transfers.extend(history.transfers);
        if last {
            break;
        }
    }
    Ok(transfers)
}

// ---- Reads of the ledger's tables that its API has no bulk form of -----------------------

/// The voucher accounts already issued: credited by their issue, or closed.
async fn issued_vouchers(store: &Store) -> Result<HashSet<AccountKey>, StoreError> {
    let rows = sqlx::query(
        "SELECT key FROM ledger_accounts \
         WHERE kind = 'voucher' AND (credits_posted > 0 OR closed = 1)",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| voucher_key(row.try_get("key")?))
        .collect()
}

/// Every issued voucher still open: its key, the budget it was issued from, what it holds.
async fn open_issued_vouchers(
    store: &Store,
) -> Result<Vec<(AccountKey, AccountKey, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT v.key, v.debits_posted, v.credits_posted, b.key AS budget \
         FROM ledger_accounts v \
         JOIN ledger_transfers t ON t.credit_account = v.id AND t.kind = 'issue' \
         JOIN ledger_accounts b ON b.id = t.debit_account \
         WHERE v.kind = 'voucher' AND v.closed = 0 ORDER BY v.id",
    )
    .fetch_all(store.pool())
    .await?;
    rows.iter()
        .map(|row| {
            let debits: i64 = row.try_get("debits_posted")?;
            let credits: i64 = row.try_get("credits_posted")?;
            let budget: String = row.try_get("budget")?;
            let budget = AccountKey::parse(&budget)
                .ok_or_else(|| StoreError::Corrupt(format!("ledger account key `{budget}`")))?;
            Ok((
                voucher_key(row.try_get("key")?)?,
                budget,
                (credits - debits).max(0),
            ))
        })
        .collect()
}

fn voucher_key(text: String) -> Result<AccountKey, StoreError> {
    AccountKey::parse(&text)
        .filter(|key| matches!(key, AccountKey::Voucher { .. }))
        .ok_or_else(|| StoreError::Corrupt(format!("voucher account key `{text}`")))
}
