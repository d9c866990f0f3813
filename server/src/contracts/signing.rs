//! The parties' signatures. A party signs the current terms with its registered key; the
//! signature is verified against that key and the terms before it is stored, and the third
//! valid signature makes the contract active in the same transaction.
//!
//! Signing and changing the terms of one contract are serialised: both run in a transaction
//! from `audit::begin` (SQLite: `BEGIN IMMEDIATE`) that reads the contract row `FOR UPDATE`
//! (PostgreSQL), so a signature never counts against terms that changed meanwhile.

use super::{
    load, not_found, not_signing, parse_party, party_of, subject, view, ACTIVATED, SIGNED,
};
use crate::{
    applications::now_text,
    audit::{self, Event},
    auth::{authorize, Action, Principal},
    fail,
    refusal::Refusal,
    signing_keys::{self, live_key, public_key_bytes, signature_error},
    store::StoreError,
    Store,
};
use chrono::NaiveDate;
use serde_json::json;
use shared::{
    contract::{
        api::{Contract, SignContract, Stage},
        encoding::parse_hex,
        signature::SignatureError,
        verify, Party,
    },
    Lang,
};
use sqlx::{AnyConnection, Row};

fn terms_changed() -> crate::ApiError {
    fail::conflict(
        "terms_changed",
        fail::texts(
            "Шарттың талаптары сіз көргеннен кейін өзгерді: жаңа талаптарды оқып, қайта қол қойыңыз.",
            "Условия договора изменились после того, как вы их открыли: прочитайте новые условия и подпишите снова.",
            "The contract's terms changed since you opened them: read the new terms and sign again.",
        ),
    )
}

fn no_signing_key() -> crate::ApiError {
    fail::conflict(
        "no_signing_key",
        fail::texts(
            "Сізде тіркелген қол қою кілті жоқ: алдымен кілт жасап, тіркеңіз.",
            "У вас нет зарегистрированного ключа подписи: сначала создайте и зарегистрируйте ключ.",
            "You have no registered signing key: make and register one first.",
        ),
    )
}

fn already_signed() -> crate::ApiError {
    fail::conflict(
        "already_signed",
        fail::texts(
            "Бұл тарап шартқа қол қойып қойған.",
            "Эта сторона уже подписала договор.",
            "This party has already signed the contract.",
        ),
    )
}

/// The parties with a live signature over `fingerprint` on contract `contract_id`.
async fn signed_parties(
    conn: &mut AnyConnection,
    contract_id: i64,
    fingerprint: &str,
) -> Result<Vec<Party>, StoreError> {
    let rows = sqlx::query(
        "SELECT party FROM contract_signatures \
         WHERE contract_id = $1 AND fingerprint = $2 AND voided_at IS NULL",
    )
    .bind(contract_id)
    .bind(fingerprint)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter().map(parse_party).collect()
}

/// Signs contract `id` as the party `principal` is to it, with their live key. Returns the
/// contract as it is after; the third signature makes it active.
pub async fn sign(
    store: &Store,
    principal: &Principal,
    id: i64,
    request: &SignContract,
    today: NaiveDate,
    lang: Lang,
) -> Result<Contract, Refusal> {
    authorize(principal, Action::SignContracts)?;
    let mut tx = audit::begin(store).await?;
    let stored = load(&mut tx, store.backend(), id, true)
        .await?
        .ok_or_else(not_found)?;
    // Only the parties see the contract among the accounts that sign.
    let party = party_of(principal, &stored.terms).ok_or_else(not_found)?;
    if stored.status != Stage::Signing {
        return Err(not_signing().into());
    }
    if !request
        .fingerprint
        .eq_ignore_ascii_case(&stored.fingerprint)
    {
        return Err(terms_changed().into());
    }
    let key = live_key(&mut tx, principal.user_id)
        .await?
        .ok_or_else(no_signing_key)?;
    let signed = signed_parties(&mut tx, id, &stored.fingerprint).await?;
    if signed.contains(&party) {
        return Err(already_signed().into());
    }
    let public_key = public_key_bytes(&key)?;
    let signature = parse_hex(&request.signature)
        .ok_or(SignatureError::MalformedSignature)
        .and_then(|bytes| verify(&stored.terms, party, &public_key, &bytes).map(|()| bytes))
        .map_err(|e| signature_error(e, "signature"))?;
    sqlx::query(
        "INSERT INTO contract_signatures (contract_id, party, signer_id, key_id, fingerprint, \
         signature, signed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id)
    .bind(party.id())
    .bind(principal.user_id)
    .bind(key.id)
    .bind(&stored.fingerprint)
    .bind(shared::contract::hex(&signature))
    .bind(now_text())
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        store.backend(),
        principal.actor(),
        Event {
            action: SIGNED,
            subject: Some(subject(id)),
            before: None,
            after: Some(json!({
                "party": party.id(),
                "signer": audit::user_subject(principal.user_id),
                "key": signing_keys::subject(key.id),
                "key_fingerprint": key.fingerprint,
                "fingerprint": stored.fingerprint,
            })),
        },
    )
    .await?;
    let activated = signed.len() + 1 == Party::ALL.len();
    if activated {
        sqlx::query("UPDATE contracts SET status = 'active' WHERE id = $1 AND status = 'signing'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            store.backend(),
            principal.actor(),
            Event {
                action: ACTIVATED,
                subject: Some(subject(id)),
                before: Some(json!({ "status": Stage::Signing.id() })),
                after: Some(json!({
                    "status": Stage::Active.id(),
                    "fingerprint": stored.fingerprint,
                })),
            },
        )
        .await?;
    }
    tx.commit().await?;
    if activated {
        // Months may have passed while the contract was being signed. Should this fail,
        // the settlement job settles it later.
        if let Err(e) = crate::settlement::settle(store, id, today).await {
            tracing::warn!(error = %e, contract = id, "settling a newly active contract failed");
        }
    }
    view::get(store, principal, id, today, lang).await
}

/// Voids every live signature on contract `contract_id` (its terms changed); returns the
/// parties whose signature was voided.
pub(super) async fn void_signatures(
    conn: &mut AnyConnection,
    contract_id: i64,
    now: &str,
) -> Result<Vec<Party>, StoreError> {
    let rows = sqlx::query(
        "SELECT party FROM contract_signatures WHERE contract_id = $1 AND voided_at IS NULL \
         ORDER BY id",
    )
    .bind(contract_id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE contract_signatures SET voided_at = $1 WHERE contract_id = $2 AND voided_at IS NULL",
    )
    .bind(now)
    .bind(contract_id)
    .execute(&mut *conn)
    .await?;
    rows.iter().map(parse_party).collect()
}

/// Voids the live signatures made with key `key_id` on contracts still being signed (the
/// key was revoked); returns those contracts' ids. Signatures on active or finished
/// contracts stay.
pub(crate) async fn void_pending_signatures_of_key(
    conn: &mut AnyConnection,
    key_id: i64,
    now: &str,
) -> Result<Vec<i64>, StoreError> {
    let rows = sqlx::query(
        "SELECT contract_id FROM contract_signatures WHERE key_id = $1 AND voided_at IS NULL \
         AND contract_id IN (SELECT id FROM contracts WHERE status = 'signing') \
         ORDER BY contract_id",
    )
    .bind(key_id)
    .fetch_all(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE contract_signatures SET voided_at = $1 WHERE key_id = $2 AND voided_at IS NULL \
         AND contract_id IN (SELECT id FROM contracts WHERE status = 'signing')",
    )
    .bind(now)
    .bind(key_id)
    .execute(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| row.try_get("contract_id").map_err(StoreError::from))
        .collect()
}
