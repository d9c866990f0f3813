//! The regions' voucher budgets in the ledger: the program account and one budget account
//! per destination region, opened at start-up; funding by the admin (program → budget);
//! and their balances.

use crate::{
    ledger::{
        self, AccountFlags, AccountKey, LedgerError, TransferId, TransferKind, TransferOutcome,
        TransferRequest,
    },
    Store,
};
use shared::{budget::Budget, Policy, Region, Tenge};

/// Opens the program account and every destination region's budget account, or finds them
/// open. The program account may go below zero (it is what the program has handed out);
/// a budget never does.
pub async fn open_accounts(store: &Store) -> Result<(), LedgerError> {
    ledger::open_account(store, &AccountKey::Program, AccountFlags::NONE).await?;
    for region in Policy::current().destinations() {
        ledger::open_account(
            store,
            &AccountKey::RegionBudget(region),
            AccountFlags::NO_OVERDRAFT,
        )
        .await?;
    }
    Ok(())
}

/// Moves `amount_tiyn` from the program account to `region`'s budget under the client's
/// `id` (a retry with the same id and body moves nothing again). `reference` says who
/// funded it. The caller checks that `region` is a destination region.
pub async fn fund(
    store: &Store,
    region: Region,
    id: TransferId,
    amount_tiyn: i64,
    reference: String,
) -> Result<TransferOutcome, LedgerError> {
    ledger::transfer(
        store,
        &TransferRequest {
            id,
            debit: AccountKey::Program,
            credit: AccountKey::RegionBudget(region),
            amount_tiyn,
            kind: TransferKind::Fund,
            reference,
        },
    )
    .await
}

/// What `region`'s budget holds now, in tiyn (zero when its account is not open).
pub async fn available(store: &Store, region: Region) -> Result<i64, LedgerError> {
    Ok(ledger::account(store, &AccountKey::RegionBudget(region))
        .await?
        .map_or(0, |account| account.balance.available()))
}

/// The budgets of `regions`, in that order.
pub async fn balances(
    store: &Store,
    regions: impl IntoIterator<Item = Region>,
) -> Result<Vec<Budget>, LedgerError> {
    let mut budgets = Vec::new();
    for region in regions {
        budgets.push(Budget {
            region,
            balance: Tenge::from_tiyn(available(store, region).await?),
        });
    }
    Ok(budgets)
}
