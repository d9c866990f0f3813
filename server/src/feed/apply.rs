//! Applying checked rows to the database: each row's contract is found, its month checked,
//! and the month's confirmation inserted or replaced.
//!
//! # Which contract, which months
//!
//! A row belongs to the contract between its resettler (IIN) and employer (BIN); of several
//! contracts between the two (a breached one and a later one, say), to the one that started
//! last on or before the row's month. A month not yet begun cannot be confirmed. Within a
//! contract with terms are its months ([`ContractTerms::contains`]: from the start month to
//! the last month it can run to); a contract still being signed takes no confirmations.
//! Contracts from before contracts carried terms take any month from their start month.
//! A fulfilled or breached contract takes no more confirmations: its state is final, and
//! its months stay as they were when it ended, so the state worked out from them (in the
//! browser too) stays the one the server settled.

use super::{row::Problem, Confirmation};
use crate::{
    store::{Backend, StoreError},
    Store,
};
use shared::{contract::ContractTerms, ledger::Month};
use sqlx::Row;
use std::collections::{BTreeSet, HashMap};

/// A contract as the feed needs it.
#[derive(Debug, Clone, Copy)]
struct Known {
    id: i64,
    start: Month,
    /// The last month of a contract with terms.
    last: Option<Month>,
    signing: bool,
    /// Fulfilled or breached.
    ended: bool,
}

/// Contracts between IIN and BIN pairs looked up so far in this import; a file holds many
/// months of each contract.
pub struct Contracts {
    known: HashMap<(u64, u64), Vec<Known>>,
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
    ) -> Result<Result<Known, Problem>, StoreError> {
        let parties = row.parties();
        if !self.known.contains_key(&parties) {
            if self.known.len() >= REMEMBERED {
                self.known.clear();
            }
            let found = between(conn, &row.iin, &row.bin).await?;
            self.known.insert(parties, found);
        }
        let contracts = &self.known[&parties];
        let Some(first) = contracts.iter().min_by_key(|c| c.start) else {
            return Ok(Err(Problem::UnknownContract));
        };
        let Some(contract) = contracts
            .iter()
            .filter(|c| c.start <= row.month)
            .max_by_key(|c| c.start)
        else {
            return Ok(Err(self.outside(first)));
        };
        if contract.signing {
            return Ok(Err(Problem::ContractNotActive));
        }
        if contract.ended {
            return Ok(Err(Problem::ContractEnded));
        }
        if row.month > self.last_of(contract) {
            return Ok(Err(self.outside(contract)));
        }
        Ok(Ok(*contract))
    }

    /// The last month `contract` takes now.
    fn last_of(&self, contract: &Known) -> Month {
        contract
            .last
            .map_or(self.last_month, |last| last.min(self.last_month))
    }

    /// Contract `id` was settled as fulfilled or breached during this import.
    pub fn ended(&mut self, id: i64) {
        for contract in self.known.values_mut().flatten() {
            if contract.id == id {
                contract.ended = true;
            }
        }
    }

    fn outside(&self, contract: &Known) -> Problem {
        Problem::OutsideContract {
            from: contract.start,
            to: self.last_of(contract),
        }
    }
}

/// The contracts between a resettler and an employer.
async fn between(
    conn: &mut sqlx::AnyConnection,
    iin: &str,
    bin: &str,
) -> Result<Vec<Known>, StoreError> {
    let rows = sqlx::query(
        "SELECT id, start_month, status, terms FROM contracts \
         WHERE resettler_iin = $1 AND employer_bin = $2",
    )
    .bind(iin)
    .bind(bin)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let status: String = row.try_get("status")?;
            let terms: Option<String> = row.try_get("terms")?;
            let signing = status == "signing";
            let ended = status == "fulfilled" || status == "breached";
            if let Some(terms) = terms {
                let terms: ContractTerms = serde_json::from_str(&terms)
                    .map_err(|e| StoreError::Corrupt(format!("contract {id} terms: {e}")))?;
                return Ok(Known {
                    id,
                    start: terms.start_month,
                    last: Some(terms.last_month()),
                    signing,
                    ended,
                });
            }
            let start: String = row.try_get("start_month")?;
            let start = Month::parse(&start).ok_or_else(|| {
                StoreError::Corrupt(format!("contract {id} has the start month {start:?}"))
            })?;
            Ok(Known {
                id,
                start,
                last: None,
                signing,
                ended,
            })
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

/// What a batch did: one outcome per row, in order, and the contracts with terms it
/// confirmed months of, to be settled ([`crate::settlement`]) once it is committed.
#[derive(Debug, Default)]
pub struct Applied {
    pub outcomes: Vec<Outcome>,
    pub to_settle: BTreeSet<i64>,
}

/// Applies `batch` in one transaction.
pub async fn apply(
    store: &Store,
    contracts: &mut Contracts,
    batch: &[(u64, Confirmation)],
) -> Result<Applied, StoreError> {
    // On SQLite the write lock first, so no other writer comes between a read and a write.
    let mut tx = match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => store.pool().begin().await?,
    };
    let received_at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut applied = Applied {
        outcomes: Vec::with_capacity(batch.len()),
        to_settle: BTreeSet::new(),
    };
    for (_, row) in batch {
        let contract = match contracts.find(&mut tx, row).await? {
            Ok(contract) => contract,
            Err(problem) => {
                applied.outcomes.push(Outcome::Rejected(problem));
                continue;
            }
        };
        if contract.last.is_some() {
            applied.to_settle.insert(contract.id);
        }
        applied
            .outcomes
            .push(upsert(&mut tx, contract.id, row, &received_at).await?);
    }
    tx.commit().await?;
    Ok(applied)
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
