//! Tripartite contracts (SPEC §5): the region's officer creates one from an approved
//! application and the vacancy it names, the resettler, the employer and the akimat (any
//! officer of the region) sign its terms with their registered keys, and it is active once
//! all three valid signatures are in.
//!
//! - [`drafting`]: creating a contract and changing its terms while it is being signed;
//! - [`signing`]: the parties' signatures and activation;
//! - [`view`]: a contract as its parties and the region's staff see it, and the lists.
//!
//! The terms are stored as the JSON of `shared::contract::ContractTerms` with their
//! fingerprint; the rules (fixing the terms, verifying signatures, the contract's state)
//! are all in `shared::contract`. A signature counts only while it is not voided and names
//! the current fingerprint: changing the terms voids every signature, revoking a key voids
//! its signatures on contracts still being signed. Contracts made before terms existed
//! (rows with no terms) are not shown.

mod drafting;
mod signing;
mod view;

pub use drafting::{amend, create};
pub use signing::sign;
pub(crate) use signing::void_pending_signatures_of_key;
pub use view::{get, list};

use crate::{
    auth::{permits, Action, Principal},
    error::ApiError,
    fail,
    store::{Backend, StoreError},
};
use axum::http::StatusCode;
use shared::{
    account::Role,
    contract::{api::Stage, ContractTerms, Party},
};
use sqlx::{any::AnyRow, AnyConnection, Row};

/// An officer created a contract.
pub const CREATED: &str = "contract.created";
/// An officer changed a contract's terms before it was active.
pub const TERMS_CHANGED: &str = "contract.terms_changed";
/// A party signed a contract.
pub const SIGNED: &str = "contract.signed";
/// The third valid signature made a contract active.
pub const ACTIVATED: &str = "contract.activated";

/// The audit subject of one contract.
pub fn subject(id: i64) -> String {
    format!("contract:{id}")
}

/// A contract row with terms.
#[derive(Debug, Clone)]
struct Stored {
    id: i64,
    terms: ContractTerms,
    /// 64 hex digits.
    fingerprint: String,
    status: Stage,
    created_at: String,
    payout_transfer: Option<String>,
}

const SELECT: &str =
    "SELECT id, terms, fingerprint, status, created_at, payout_transfer FROM contracts";

fn from_row(row: &AnyRow) -> Result<Stored, StoreError> {
    let id: i64 = row.try_get("id")?;
    let terms: String = row.try_get("terms")?;
    let status: String = row.try_get("status")?;
    Ok(Stored {
        id,
        terms: serde_json::from_str(&terms)
            .map_err(|e| StoreError::Corrupt(format!("terms of contract {id}: {e}")))?,
        fingerprint: row.try_get("fingerprint")?,
        status: Stage::from_id(&status)
            .ok_or_else(|| StoreError::Corrupt(format!("status = {status:?}")))?,
        created_at: row.try_get("created_at")?,
        payout_transfer: row.try_get("payout_transfer")?,
    })
}

/// Contract `id` if it has terms; `lock`ed against concurrent signing and amending (on
/// PostgreSQL `FOR UPDATE`; SQLite transactions from `audit::begin` hold the write lock).
async fn load(
    conn: &mut AnyConnection,
    backend: Backend,
    id: i64,
    lock: bool,
) -> Result<Option<Stored>, StoreError> {
    let lock = match backend {
        Backend::Postgres if lock => " FOR UPDATE",
        _ => "",
    };
    let row = sqlx::query(&format!(
        "{SELECT} WHERE id = $1 AND terms IS NOT NULL{lock}"
    ))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

/// The `party` column of a signature row.
fn parse_party(row: &AnyRow) -> Result<Party, StoreError> {
    let party: String = row.try_get("party")?;
    Party::from_id(&party).ok_or_else(|| StoreError::Corrupt(format!("party = {party:?}")))
}

/// The party `principal` is to a contract with `terms`, if any.
fn party_of(principal: &Principal, terms: &ContractTerms) -> Option<Party> {
    match principal.role {
        Role::Resettler if principal.user_id == terms.resettler_id => Some(Party::Resettler),
        Role::Employer if principal.user_id == terms.employer_id => Some(Party::Employer),
        Role::Akimat if principal.region == Some(terms.region) => Some(Party::Akimat),
        _ => None,
    }
}

/// Whether `principal` sees the contract with `terms`; anyone else is told it does not
/// exist.
fn visible(principal: &Principal, terms: &ContractTerms) -> bool {
    permits(
        principal,
        Action::ViewContract {
            resettler: terms.resettler_id,
            employer: terms.employer_id,
            region: terms.region,
        },
    )
}

pub fn not_found() -> ApiError {
    ApiError::localized(
        StatusCode::NOT_FOUND,
        "contract_not_found",
        fail::texts(
            "Мұндай шарт жоқ.",
            "Такого договора нет.",
            "There is no such contract.",
        ),
    )
}

fn not_signing() -> ApiError {
    fail::conflict(
        "contract_not_signing",
        fail::texts(
            "Шартқа барлық тараптар қол қойып қойған: оның талаптары енді өзгермейді.",
            "Договор уже подписан всеми сторонами: его условия больше не меняются.",
            "Every party has signed the contract: its terms no longer change.",
        ),
    )
}
