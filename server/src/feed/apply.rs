//! Applying checked rows to the database: each row's contract is found, its month checked,
//! and the month's confirmation inserted or replaced.
//!
//! # Which contract, which months
//!
//! A row belongs to the contract between its resettler (IIN) and employer (BIN); of several
//! contracts between the two (a breached one and a later one, say), to the one that started
//! last on or before the row's month. A month is within that contract from its start month
//! to the current month: the required 24 months may stretch over more calendar months
//! (SPEC §5 tolerates runs of up to two unconfirmed months), so there is no fixed last month;
//! a month not yet begun cannot be confirmed. Confirmations past a contract's end are kept
//! and change nothing: its state is decided by the contract rules from the months they
//! read. The contract issue may narrow this once contracts carry their terms.

use super::{row::Problem, Confirmation};
use crate::{
    store::{Backend, StoreError},
    Store,
};
use shared::ledger::Month;
use sqlx::Row;
use std::collections::HashMap;

/// Contracts between IIN and BIN pairs looked up so far in this import; a file holds many
/// months of each contract.
pub struct Contracts {
    known: HashMap<(u64, u64), Vec<(i64, Month)>>,
    last_month: Month,
}

/// At most this many pairs are remembered; then the memory starts afresh.
const REMEMBERED: usize = 10_000;

impl Contracts {
    pub fn new(last_month: Month) -> Contracts {
        Contracts {
            known: HashMap::new(),
            last_month,
        }
    }

    /// The contract `row` confirms a month of.
    async fn find(
        &mut self,
        conn: &mut sqlx::AnyConnection,
        row: &Confirmation,
    ) -> Result<Result<i64, Problem>, StoreError> {
        let parties = row.parties();
        if !self.known.contains_key(&parties) {
            if self.known.len() >= REMEMBERED {
                self.known.clear();
            }
            let found = between(conn, &row.iin, &row.bin).await?;
            self.known.insert(parties, found);
        }
        let contracts = &self.known[&parties];
        let Some(first) = contracts.iter().map(|(_, start)| *start).min() else {
            return Ok(Err(Problem::UnknownContract));
        };
        let outside = Problem::OutsideContract {
            from: first,
            to: self.last_month,
        };
        if row.month > self.last_month {
            return Ok(Err(outside));
        }
        Ok(contracts
            .iter()
            .filter(|(_, start)| *start <= row.month)
            .max_by_key(|(_, start)| *start)
            .map(|(id, _)| *id)
            .ok_or(outside))
    }
}

/// The contracts between a resettler and an employer: id and start month.
async fn between(
    conn: &mut sqlx::AnyConnection,
    iin: &str,
    bin: &str,
) -> Result<Vec<(i64, Month)>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, start_month FROM contracts WHERE resettler_iin = $1 AND employer_bin = $2",
    )
    .bind(iin)
    .bind(bin)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let start: String = row.try_get("start_month")?;
            let start = Month::parse(&start).ok_or_else(|| {
                StoreError::Corrupt(format!("contract {id} has the start month {start:?}"))
            })?;
            Ok((id, start))
        })
        .collect()
}

/// What became of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A month not confirmed before.
    Added,
    /// A month sent before, now replaced.
    Replaced,
    Rejected(Problem),
}

/// Applies `batch` in one transaction; one outcome per row, in order.
pub async fn apply(
    store: &Store,
    contracts: &mut Contracts,
    batch: &[(u64, Confirmation)],
) -> Result<Vec<Outcome>, StoreError> {
    // On SQLite the write lock first, so no other writer comes between a read and a write.
    let mut tx = match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => store.pool().begin().await?,
    };
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut outcomes = Vec::with_capacity(batch.len());
    for (_, row) in batch {
        let contract = match contracts.find(&mut tx, row).await? {
            Ok(contract) => contract,
            Err(problem) => {
                outcomes.push(Outcome::Rejected(problem));
                continue;
            }
        };
        outcomes.push(upsert(&mut tx, contract, row, &received_at).await?);
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Inserts the month's confirmation, or replaces the one sent before. Each branch is one
/// statement, so the row is applied whole or not at all, and two imports of the same month
/// at once both end with one record.
async fn upsert(
    conn: &mut sqlx::AnyConnection,
    contract: i64,
    row: &Confirmation,
    received_at: &str,
) -> Result<Outcome, StoreError> {
    let month = row.month.to_string();
    let flags = [
        row.resident,
        row.employed,
        row.social_paid,
        row.pension_paid,
    ]
    .map(i64::from);
    let inserted = sqlx::query(
        "INSERT INTO confirmations \
         (contract_id, month, resident, employed, social_paid, pension_paid, received_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (contract_id, month) DO NOTHING",
    )
    .bind(contract)
    .bind(&month)
    .bind(flags[0])
    .bind(flags[1])
    .bind(flags[2])
    .bind(flags[3])
    .bind(received_at)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Outcome::Added);
    }
    sqlx::query(
        "UPDATE confirmations SET resident = $1, employed = $2, social_paid = $3, \
         pension_paid = $4, received_at = $5 WHERE contract_id = $6 AND month = $7",
    )
    .bind(flags[0])
    .bind(flags[1])
    .bind(flags[2])
    .bind(flags[3])
    .bind(received_at)
    .bind(contract)
    .bind(&month)
    .execute(&mut *conn)
    .await?;
    Ok(Outcome::Replaced)
}
