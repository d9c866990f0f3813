//! The double-entry ledger's storage (the rules are in [`shared::ledger`]): accounts with
//! their posted debits and credits, and append-only transfers between them.
//!
//! - [`open_account`] creates an account, or finds it when it exists (idempotent by key).
//! - [`transfer`] posts one transfer: both accounts' totals and the transfer row change in
//!   one database transaction, or nothing does. The client's [`TransferId`] makes it
//!   idempotent: the same id with the same body answers [`TransferOutcome::Replayed`] with
//!   the first result and moves nothing; with another body it is refused
//!   ([`Rejection::IdReusedWithDifferentBody`]). An id refused for a reason that depends on
//!   the accounts' state ([`Rejection::depends_on_state`]) is refused the same way for
//!   ever, even once the balance would allow it, so a retry never changes an outcome the
//!   client has seen. A malformed body is refused before anything is read or kept.
//! - [`close_account`] stops an account from paying or receiving.
//! - [`account`], [`posted_transfer`] and [`history`] read; [`check()`] recomputes
//!   everything (`server ledger check`, SPEC §9).
//!
//! Nothing here edits a posted transfer; corrections are new transfers. Transfers are not
//! written to the audit log: they carry their own hash chain.
//!
//! # The hash chain
//!
//! Transfers are numbered `seq` = 1, 2, 3… without gaps. Each holds the previous transfer's
//! hash (`prev_hash`; 64 zeros for the first) and its own `hash`: the lowercase hex SHA-256
//! of its canonical encoding, version 1:
//!
//! ```text
//! "qonys-ledger-v1\n"
//! then for each field, in this order: seq, id, debit account key, credit account key,
//!                                     amount (tiyn), kind, reference, created_at, prev_hash
//!     <its length in UTF-8 bytes, in decimal> ":" <the bytes> "\n"
//! ```
//!
//! Numbers are decimal text, `id` 32 lowercase hex digits, `created_at` RFC 3339 UTC with
//! microseconds. `ledger_head` holds the last `seq` and `hash`, updated with each transfer.
//!
//! # Concurrency
//!
//! Transfers run one at a time, which the chain needs anyway: on SQLite the transaction
//! starts with `BEGIN IMMEDIATE` (the write lock first, so the balances read are the ones
//! written over); on PostgreSQL it first locks the `ledger_head` row, then the two account
//! rows in the order of their ids (`FOR UPDATE`), the same rows [`close_account`] locks.

use crate::store::{Backend, StoreError};
use crate::Store;
use sha2::{Digest, Sha256};
use sqlx::{any::AnyRow, Any, AnyConnection, Row, Transaction};

pub use shared::ledger::{
    AccountFlags, AccountKey, Balance, Month, Rejection, TransferId, TransferKind,
};

mod check;
pub use check::{check, CheckReport};

/// `prev_hash` of the first transfer.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// First line of the canonical encoding; a new encoding gets a new version.
const ENCODING: &str = "qonys-ledger-v1";

/// First line of the encoding of a transfer's body, whose hash a failure keeps.
const BODY_ENCODING: &str = "qonys-ledger-body-v1";

/// Why a ledger call did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    /// The transfer was refused; nothing moved. [`Rejection::code`] and
    /// [`Rejection::message`] are what to answer the client.
    #[error("transfer refused: {0}")]
    Rejected(Rejection),
    /// An account read or closed by key does not exist.
    #[error("ledger account {0} does not exist")]
    NoSuchAccount(AccountKey),
    /// [`open_account`] found the account already open with other flags.
    #[error("ledger account {0} is already open with other flags")]
    FlagsDiffer(AccountKey),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LedgerError {
    fn from(error: sqlx::Error) -> LedgerError {
        LedgerError::Store(StoreError::Query(error))
    }
}

/// An account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub key: AccountKey,
    pub flags: AccountFlags,
    pub closed: bool,
    pub balance: Balance,
    pub created_at: String,
}

/// A transfer to post: money leaves `debit` and arrives at `credit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRequest {
    /// Chosen by the client, the same on every retry; see [`derived_id`] for server jobs.
    pub id: TransferId,
    pub debit: AccountKey,
    pub credit: AccountKey,
    pub amount_tiyn: i64,
    pub kind: TransferKind,
    /// What the transfer is for, for people reading the history (e.g. the payment's
    /// payee and month). Part of the body: a retry must send the same text.
    pub reference: String,
}

impl TransferRequest {
    /// SHA-256 of the body (everything but the id), as a failure keeps it.
    fn body_hash(&self) -> String {
        let amount = self.amount_tiyn.to_string();
        let fields = [
            self.debit.key(),
            self.credit.key(),
            amount,
            self.kind.id().to_string(),
            self.reference.clone(),
        ];
        hex::encode(Sha256::digest(encode(BODY_ENCODING, &fields)))
    }
}

/// A posted transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer {
    /// Its place in the chain, from 1.
    pub seq: i64,
    pub id: TransferId,
    pub debit: AccountKey,
    pub credit: AccountKey,
    pub amount_tiyn: i64,
    pub kind: TransferKind,
    pub reference: String,
    /// RFC 3339 UTC with microseconds.
    pub created_at: String,
}

impl Transfer {
    fn has_body_of(&self, request: &TransferRequest) -> bool {
        self.debit == request.debit
            && self.credit == request.credit
            && self.amount_tiyn == request.amount_tiyn
            && self.kind == request.kind
            && self.reference == request.reference
    }
}

/// What [`transfer`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferOutcome {
    /// Posted now.
    Posted(Transfer),
    /// Posted before under this id with this body; nothing moved this time.
    Replayed(Transfer),
}

impl TransferOutcome {
    pub fn transfer(&self) -> &Transfer {
        match self {
            TransferOutcome::Posted(t) | TransferOutcome::Replayed(t) => t,
        }
    }
}

/// One page of an account's transfers, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    /// How many transfers touch the account in all.
    pub total: u64,
    pub transfers: Vec<Transfer>,
}

/// A transfer id the server derives from a name, for jobs that must post a transfer once
/// however often they run (e.g. `issue:voucher:12:2026-03`): the first 128 bits of the
/// name's SHA-256.
pub fn derived_id(name: &str) -> TransferId {
    let digest = Sha256::digest(format!("qonys-transfer-id-v1\n{name}"));
    let mut first = [0u8; 16];
    first.copy_from_slice(&digest[..16]);
    // Zero is not an id; a digest starting with 128 zero bits is not going to happen.
    TransferId::new(u128::from_be_bytes(first).max(1)).expect("not zero")
}

/// Opens the account `key` with `flags`, or returns it as it is when it exists with the
/// same flags (closed or not).
pub async fn open_account(
    store: &Store,
    key: &AccountKey,
    flags: AccountFlags,
) -> Result<Account, LedgerError> {
    let mut conn = store.pool().acquire().await?;
    open_account_in(&mut conn, key, flags).await
}

/// [`open_account`] inside the caller's transaction, e.g. with the change that makes the
/// account needed (a payee verified).
pub async fn open_account_in(
    conn: &mut AnyConnection,
    key: &AccountKey,
    flags: AccountFlags,
) -> Result<Account, LedgerError> {
    sqlx::query(
        "INSERT INTO ledger_accounts \
         (key, kind, flags, debits_posted, credits_posted, closed, created_at) \
         VALUES ($1, $2, $3, 0, 0, 0, $4) ON CONFLICT (key) DO NOTHING",
    )
    .bind(key.key())
    .bind(key.kind())
    .bind(flags.bits())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let (_, account) = read_account(conn, key, "").await?.ok_or_else(|| {
        StoreError::Corrupt(format!("ledger account {key} vanished after it was opened"))
    })?;
    if account.flags != flags {
        return Err(LedgerError::FlagsDiffer(*key));
    }
    Ok(account)
}

/// The account `key` as stored now, or `None` when it was never opened.
pub async fn account(store: &Store, key: &AccountKey) -> Result<Option<Account>, LedgerError> {
    let mut conn = store.pool().acquire().await?;
    Ok(read_account(&mut conn, key, "").await?.map(|(_, a)| a))
}

/// Closes the account `key`: from now on every transfer from or to it is refused with
/// [`Rejection::AccountClosed`]. Closing a closed account changes nothing. What it holds
/// stays; move it out first (a voucher's remainder returns to the budget).
pub async fn close_account(store: &Store, key: &AccountKey) -> Result<Account, LedgerError> {
    let mut tx = begin_write(store).await?;
    let lock = lock_clause(store.backend());
    let Some((id, mut account)) = read_account(&mut tx, key, lock).await? else {
        return Err(LedgerError::NoSuchAccount(*key));
    };
    sqlx::query("UPDATE ledger_accounts SET closed = 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    account.closed = true;
    Ok(account)
}

/// Posts `request`, or replays it, or refuses it; see the module documentation.
pub async fn transfer(
    store: &Store,
    request: &TransferRequest,
) -> Result<TransferOutcome, LedgerError> {
    shared::ledger::check_body(
        &request.debit,
        &request.credit,
        request.amount_tiyn,
        request.kind,
    )
    .map_err(LedgerError::Rejected)?;

    let backend = store.backend();
    let mut tx = begin_write(store).await?;
    if backend == Backend::Postgres {
        sqlx::query("SELECT seq FROM ledger_head WHERE id = 1 FOR UPDATE")
            .execute(&mut *tx)
            .await?;
    }

    if let Some(earlier) = posted(&mut tx, request.id).await? {
        return if earlier.has_body_of(request) {
            Ok(TransferOutcome::Replayed(earlier))
        } else {
            Err(LedgerError::Rejected(Rejection::IdReusedWithDifferentBody))
        };
    }
    let body_hash = request.body_hash();
    if let Some((failed_hash, rejection)) = failed(&mut tx, request.id).await? {
        return Err(LedgerError::Rejected(if failed_hash == body_hash {
            rejection
        } else {
            Rejection::IdReusedWithDifferentBody
        }));
    }

    let decided = match lock_pair(&mut tx, backend, &request.debit, &request.credit).await? {
        None => Err(Rejection::AccountNotFound),
        Some(((debit_id, debit), (credit_id, credit))) => {
            shared::ledger::apply(&state(&debit), &state(&credit), request.amount_tiyn)
                .map(|balances| (debit_id, credit_id, balances))
        }
    };
    let (debit_id, credit_id, (debit_after, credit_after)) = match decided {
        Ok(posting) => posting,
        Err(rejection) => {
            sqlx::query(
                "INSERT INTO ledger_failures (id, body_hash, code, created_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(request.id.to_string())
            .bind(&body_hash)
            .bind(rejection.code())
            .bind(now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            return Err(LedgerError::Rejected(rejection));
        }
    };

    for (id, balance) in [(debit_id, debit_after), (credit_id, credit_after)] {
        sqlx::query(
            "UPDATE ledger_accounts SET debits_posted = $1, credits_posted = $2 WHERE id = $3",
        )
        .bind(balance.debits_posted)
        .bind(balance.credits_posted)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    let head = sqlx::query("SELECT seq, hash FROM ledger_head WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    let transfer = Transfer {
        seq: head.try_get::<i64, _>("seq")? + 1,
        id: request.id,
        debit: request.debit,
        credit: request.credit,
        amount_tiyn: request.amount_tiyn,
        kind: request.kind,
        reference: request.reference.clone(),
        created_at: now(),
    };
    let prev_hash: String = head.try_get("hash")?;
    let hash = chain_hash(&transfer, &prev_hash);
    sqlx::query(
        "INSERT INTO ledger_transfers (seq, id, debit_account, credit_account, amount, kind, \
         reference, created_at, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(transfer.seq)
    .bind(transfer.id.to_string())
    .bind(debit_id)
    .bind(credit_id)
    .bind(transfer.amount_tiyn)
    .bind(transfer.kind.id())
    .bind(&transfer.reference)
    .bind(&transfer.created_at)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE ledger_head SET seq = $1, hash = $2 WHERE id = 1")
        .bind(transfer.seq)
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(TransferOutcome::Posted(transfer))
}

/// The transfer posted under `id`, if any: lets a client that picks the accounts itself
/// (a payment draws on the voucher that expires first) recognise a retry before picking
/// again, when the first pick may no longer be the one it would make.
pub async fn posted_transfer(
    store: &Store,
    id: TransferId,
) -> Result<Option<Transfer>, LedgerError> {
    let mut conn = store.pool().acquire().await?;
    Ok(posted(&mut conn, id).await?)
}

/// Page `page` (from 1) of the transfers from or to `key`, newest first.
pub async fn history(
    store: &Store,
    key: &AccountKey,
    page: u32,
    per_page: u32,
) -> Result<History, LedgerError> {
    let mut conn = store.pool().acquire().await?;
    let Some((id, _)) = read_account(&mut conn, key, "").await? else {
        return Err(LedgerError::NoSuchAccount(*key));
    };
    let total: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM ledger_transfers WHERE debit_account = $1 OR credit_account = $2",
    )
    .bind(id)
    .bind(id)
    .fetch_one(&mut *conn)
    .await?
    .try_get("n")?;
    let offset = i64::from(page.saturating_sub(1)) * i64::from(per_page);
    let rows = sqlx::query(&format!(
        "{SELECT_TRANSFER} WHERE t.debit_account = $1 OR t.credit_account = $2 \
         ORDER BY t.seq DESC LIMIT $3 OFFSET $4"
    ))
    .bind(id)
    .bind(id)
    .bind(i64::from(per_page))
    .bind(offset)
    .fetch_all(&mut *conn)
    .await?;
    Ok(History {
        total: u64::try_from(total).unwrap_or_default(),
        transfers: rows
            .iter()
            .map(|row| Ok(read_transfer(row)?.0))
            .collect::<Result<_, StoreError>>()?,
    })
}

/// A transaction that reads balances and then writes them: on SQLite it takes the write
/// lock first (`BEGIN IMMEDIATE`), so no other writer comes between the read and the write.
async fn begin_write(store: &Store) -> Result<Transaction<'static, Any>, StoreError> {
    Ok(match store.backend() {
        Backend::Sqlite => store.pool().begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => store.pool().begin().await?,
    })
}

/// Row locks exist on PostgreSQL; SQLite's transaction holds the whole database already.
fn lock_clause(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => " FOR UPDATE",
        Backend::Sqlite => "",
    }
}

const SELECT_ACCOUNT: &str = "SELECT id, key, flags, debits_posted, credits_posted, closed, \
     created_at FROM ledger_accounts";

/// The account `key` with its row id, read with `lock` appended (`""` or `" FOR UPDATE"`).
async fn read_account(
    conn: &mut AnyConnection,
    key: &AccountKey,
    lock: &str,
) -> Result<Option<(i64, Account)>, StoreError> {
    sqlx::query(&format!("{SELECT_ACCOUNT} WHERE key = $1{lock}"))
        .bind(key.key())
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| account_from(&row))
        .transpose()
}

/// Both accounts of a transfer, locked in the order of their row ids so that two transfers
/// between the same accounts never wait for each other crosswise; `None` unless both exist.
async fn lock_pair(
    conn: &mut AnyConnection,
    backend: Backend,
    debit: &AccountKey,
    credit: &AccountKey,
) -> Result<Option<((i64, Account), (i64, Account))>, StoreError> {
    let rows = sqlx::query(&format!(
        "{SELECT_ACCOUNT} WHERE key = $1 OR key = $2 ORDER BY id{}",
        lock_clause(backend)
    ))
    .bind(debit.key())
    .bind(credit.key())
    .fetch_all(&mut *conn)
    .await?;
    let mut found = rows
        .iter()
        .map(account_from)
        .collect::<Result<Vec<_>, _>>()?;
    let Some(at) = found.iter().position(|(_, a)| a.key == *debit) else {
        return Ok(None);
    };
    let debit = found.swap_remove(at);
    Ok(found.pop().map(|credit| (debit, credit)))
}

fn account_from(row: &AnyRow) -> Result<(i64, Account), StoreError> {
    let key: String = row.try_get("key")?;
    let flags: i64 = row.try_get("flags")?;
    let account = Account {
        key: AccountKey::parse(&key)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger account key `{key}`")))?,
        flags: AccountFlags::from_bits(flags)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger account {key} flags {flags}")))?,
        closed: row.try_get::<i64, _>("closed")? != 0,
        balance: Balance {
            debits_posted: row.try_get("debits_posted")?,
            credits_posted: row.try_get("credits_posted")?,
        },
        created_at: row.try_get("created_at")?,
    };
    Ok((row.try_get("id")?, account))
}

fn state(account: &Account) -> shared::ledger::AccountState {
    shared::ledger::AccountState {
        flags: account.flags,
        closed: account.closed,
        balance: account.balance,
    }
}

/// A transfer with its accounts' keys, as hashed.
const SELECT_TRANSFER: &str = "SELECT t.seq, t.id, d.key AS debit_key, c.key AS credit_key, \
     t.debit_account, t.credit_account, t.amount, t.kind, t.reference, t.created_at, \
     t.prev_hash, t.hash FROM ledger_transfers t \
     JOIN ledger_accounts d ON d.id = t.debit_account \
     JOIN ledger_accounts c ON c.id = t.credit_account";

/// The id under which a server job posts the transfer named `name` ([`derived_id`]): the
/// first of `name`, `name:1`, `name:2`, … the ledger has not refused. A refused id stays
/// refused (the budget was emptied between the job's check and its transfer, say), so the
/// job tries again under the next one; an attempt is made only after every earlier one was
/// refused, so at most one ever posts, and jobs running at once pick the same attempt.
pub async fn attempt_id(store: &Store, name: &str) -> Result<TransferId, StoreError> {
    let mut conn = store.pool().acquire().await?;
    let mut attempt = 0u32;
    loop {
        let id = match attempt {
            0 => derived_id(name),
            n => derived_id(&format!("{name}:{n}")),
        };
        if failed(&mut conn, id).await?.is_none() {
            return Ok(id);
        }
        attempt += 1;
    }
}

/// The transfer posted under `id`, if any.
async fn posted(conn: &mut AnyConnection, id: TransferId) -> Result<Option<Transfer>, StoreError> {
    sqlx::query(&format!("{SELECT_TRANSFER} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| Ok(read_transfer(&row)?.0))
        .transpose()
}

/// The body hash and reason of the failure recorded under `id`, if any.
async fn failed(
    conn: &mut AnyConnection,
    id: TransferId,
) -> Result<Option<(String, Rejection)>, StoreError> {
    let Some(row) = sqlx::query("SELECT body_hash, code FROM ledger_failures WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let code: String = row.try_get("code")?;
    let rejection = Rejection::from_code(&code)
        .ok_or_else(|| StoreError::Corrupt(format!("ledger failure code `{code}`")))?;
    Ok(Some((row.try_get("body_hash")?, rejection)))
}

/// A row of [`SELECT_TRANSFER`]: the transfer, and its stored `prev_hash` and `hash`.
fn read_transfer(row: &AnyRow) -> Result<(Transfer, String, String), StoreError> {
    let seq: i64 = row.try_get("seq")?;
    let corrupt = |what: &str| StoreError::Corrupt(format!("ledger transfer {seq}: {what}"));
    let id: String = row.try_get("id")?;
    let debit: String = row.try_get("debit_key")?;
    let credit: String = row.try_get("credit_key")?;
    let kind: String = row.try_get("kind")?;
    let transfer = Transfer {
        seq,
        id: TransferId::parse(&id).ok_or_else(|| corrupt("id"))?,
        debit: AccountKey::parse(&debit).ok_or_else(|| corrupt("debit account"))?,
        credit: AccountKey::parse(&credit).ok_or_else(|| corrupt("credit account"))?,
        amount_tiyn: row.try_get("amount")?,
        kind: TransferKind::from_id(&kind).ok_or_else(|| corrupt("kind"))?,
        reference: row.try_get("reference")?,
        created_at: row.try_get("created_at")?,
    };
    Ok((transfer, row.try_get("prev_hash")?, row.try_get("hash")?))
}

/// The hash `transfer` carries after `prev_hash` (see the module documentation).
fn chain_hash(transfer: &Transfer, prev_hash: &str) -> String {
    let fields = [
        transfer.seq.to_string(),
        transfer.id.to_string(),
        transfer.debit.key(),
        transfer.credit.key(),
        transfer.amount_tiyn.to_string(),
        transfer.kind.id().to_string(),
        transfer.reference.clone(),
        transfer.created_at.clone(),
        prev_hash.to_string(),
    ];
    hex::encode(Sha256::digest(encode(ENCODING, &fields)))
}

/// `version`, then each field length-prefixed, so no two field lists encode alike.
fn encode(version: &str, fields: &[String]) -> Vec<u8> {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(version.as_bytes());
    out.push(b'\n');
    for field in fields {
        out.extend_from_slice(field.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(field.as_bytes());
        out.push(b'\n');
    }
    out
}

fn now() -> String {
    chrono::Utc::now()
        .format("%Y-%m-%dT%H:%M:%S%.6fZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Region;

    fn transfer() -> Transfer {
        Transfer {
            seq: 1,
            id: TransferId::new(0xab).unwrap(),
            debit: AccountKey::Program,
            credit: AccountKey::RegionBudget(Region::Pavlodar),
            amount_tiyn: 150_000,
            kind: TransferKind::Fund,
            reference: "2026".into(),
            created_at: "2026-03-01T09:30:00.000000Z".into(),
        }
    }

    #[test]
    fn canonical_encoding_is_the_documented_form() {
        let t = transfer();
        let fields = [
            t.seq.to_string(),
            t.id.to_string(),
            t.debit.key(),
            t.credit.key(),
            t.amount_tiyn.to_string(),
            t.kind.id().to_string(),
            t.reference.clone(),
            t.created_at.clone(),
            GENESIS.to_string(),
        ];
        assert_eq!(
            String::from_utf8(encode(ENCODING, &fields)).unwrap(),
            format!(
                "qonys-ledger-v1\n1:1\n32:000000000000000000000000000000ab\n7:program\n15:budget:pavlodar\n6:150000\n4:fund\n4:2026\n27:2026-03-01T09:30:00.000000Z\n64:{GENESIS}\n"
            )
        );
        assert_eq!(
            chain_hash(&t, GENESIS),
            hex::encode(Sha256::digest(encode(ENCODING, &fields)))
        );
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = chain_hash(&transfer(), GENESIS);
        let changes: [fn(&mut Transfer); 7] = [
            |t| t.seq = 2,
            |t| t.id = TransferId::new(0xac).unwrap(),
            |t| t.credit = AccountKey::RegionBudget(Region::Kostanay),
            |t| t.amount_tiyn += 1,
            |t| t.kind = TransferKind::Issue,
            |t| t.reference.push(' '),
            |t| t.created_at.push('1'),
        ];
        for change in changes {
            let mut t = transfer();
            change(&mut t);
            assert_ne!(chain_hash(&t, GENESIS), base, "{t:?}");
        }
        assert_ne!(chain_hash(&transfer(), &"1".repeat(64)), base);
    }

    #[test]
    fn derived_ids_are_stable_and_distinct() {
        let a = derived_id("issue:voucher:12:2026-03");
        assert_eq!(a, derived_id("issue:voucher:12:2026-03"));
        assert_ne!(a, derived_id("issue:voucher:12:2026-04"));
    }
}
