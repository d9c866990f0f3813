//! `server ledger check` (SPEC §9): every account's totals recomputed from the transfers,
//! the sum of all balances, and the transfers' hash chain.

use super::{account_from, chain_hash, read_transfer, GENESIS, SELECT_ACCOUNT, SELECT_TRANSFER};
use crate::store::StoreError;
use crate::Store;
use sqlx::Row;
use std::collections::HashMap;

/// What [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub accounts: u64,
    pub transfers: u64,
    /// One line per difference; empty when the ledger is consistent.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Transfers read per query.
const PAGE: i64 = 1000;

/// Walks every transfer in order, checking each link and hash of the chain (the first
/// break is reported: a transfer edited, inserted or deleted afterwards) while adding up
/// what each account was debited and credited; then compares every account's stored totals
/// with those sums, the chain's end with `ledger_head`, and the sum of all balances with
/// zero.
pub async fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let pool = store.pool();
    let mut problems = Vec::new();
    let mut chain_broken = false;
    let mut sums: HashMap<i64, (i128, i128)> = HashMap::new();
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let mut transfers = 0;
    let mut after = 0;
    loop {
        let rows = sqlx::query(&format!(
            "{SELECT_TRANSFER} WHERE t.seq > $1 ORDER BY t.seq LIMIT $2"
        ))
        .bind(after)
        .bind(PAGE)
        .fetch_all(pool)
        .await?;
        let done = (rows.len() as i64) < PAGE;
        for row in rows {
            let (transfer, stored_prev, stored_hash) = read_transfer(&row)?;
            let amount = i128::from(transfer.amount_tiyn);
            let debit: i64 = row.try_get("debit_account")?;
            let credit: i64 = row.try_get("credit_account")?;
            sums.entry(debit).or_default().0 += amount;
            sums.entry(credit).or_default().1 += amount;
            transfers += 1;
            after = transfer.seq;
            if chain_broken {
                continue;
            }
            let broken = if transfer.seq != expected_seq {
                Some(format!(
                    "transfer {expected_seq} is missing (the next stored transfer is {})",
                    transfer.seq
                ))
            } else if stored_prev != prev_hash {
                Some(format!(
                    "transfer {} ({}) does not follow transfer {}: its previous-transfer hash differs (a transfer inserted or replaced?)",
                    transfer.seq,
                    transfer.id,
                    transfer.seq - 1
                ))
            } else if chain_hash(&transfer, &stored_prev) != stored_hash {
                Some(format!(
                    "transfer {} ({}) does not match its hash: changed after it was posted",
                    transfer.seq, transfer.id
                ))
            } else {
                None
            };
            if let Some(problem) = broken {
                problems.push(problem);
                chain_broken = true;
            }
            prev_hash = stored_hash;
            expected_seq += 1;
        }
        if done {
            break;
        }
    }

    let head = sqlx::query("SELECT seq, hash FROM ledger_head WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    match head {
        None => problems.push("the ledger head row is missing".into()),
        Some(head) if !chain_broken => {
            let head_seq: i64 = head.try_get("seq")?;
            let head_hash: String = head.try_get("hash")?;
            if head_seq != transfers {
                problems.push(format!(
                    "the ledger recorded {head_seq} transfers but holds {transfers} (transfers deleted or inserted?)"
                ));
            } else if head_hash != prev_hash {
                problems.push(format!(
                    "transfer {transfers} is not the transfer the ledger recorded last"
                ));
            }
        }
        Some(_) => {}
    }

    let accounts = sqlx::query(SELECT_ACCOUNT).fetch_all(pool).await?;
    let mut total: i128 = 0;
    for row in &accounts {
        let (id, account) = account_from(row)?;
        let stored = account.balance;
        total += stored.net();
        let (debits, credits) = sums.get(&id).copied().unwrap_or_default();
        if i128::from(stored.debits_posted) != debits
            || i128::from(stored.credits_posted) != credits
        {
            problems.push(format!(
                "account {}: stored debits {} credits {}, recomputed from the transfers debits {debits} credits {credits} (tiyn)",
                account.key, stored.debits_posted, stored.credits_posted
            ));
        }
    }
    if total != 0 {
        problems.push(format!(
            "the balances of all accounts sum to {total} tiyn, not 0"
        ));
    }
    Ok(CheckReport {
        accounts: accounts.len() as u64,
        transfers: transfers as u64,
        problems,
    })
}
