//! A contract as its parties and the region's staff see it, and the lists of contracts.
//!
//! Where a contract stands is worked out on every read by `shared::contract::state` from its
//! terms and confirmations, as the browser does: a contract being signed is `signing`; a
//! settled one (fulfilled or breached) stays as settled; an active one shows its state this
//! month, so a contract whose third unconfirmed month just ended shows as breached before
//! the settlement job records it.

use super::{from_row, load, not_found, parse_party, visible, Stored};
use crate::{
    auth::{authorize, Action, Principal},
    error::ApiError,
    ledger::{self, LedgerError, TransferId},
    refusal::Refusal,
    store::StoreError,
    Store,
};
use chrono::NaiveDate;
use shared::{
    account::Role,
    contract::{
        api::{
            Contract, ContractFilter, ContractList, ContractSummary, PartyView, PayoutView,
            SignatureView, Stage,
        },
        encoding::parse_hex,
        signature::key_fingerprint,
        state, ContractState, MonthConfirmation, Party,
    },
    ledger::Month,
    Lang, Policy, Tenge,
};
use sqlx::{any::AnyRow, AnyConnection, Row};
use std::collections::HashMap;

/// The name a party's account goes by: an employer's organisation, else the login.
const NAME: &str = "CASE WHEN {u}.role = 'employer' THEN COALESCE({u}.organisation, {u}.login) \
     ELSE {u}.login END";

fn name_of(alias: &str) -> String {
    NAME.replace("{u}", alias)
}

/// Where the contract is in its life (see the module documentation).
fn stage(stored: &Stored, state: &ContractState) -> Stage {
    match stored.status {
        Stage::Active => Stage::from(state.status),
        settled_or_signing => settled_or_signing,
    }
}

fn confirmation_from_row(row: &AnyRow) -> Result<MonthConfirmation, StoreError> {
    let month: String = row.try_get("month")?;
    let flag = |column: &str| row.try_get::<i64, _>(column).map(|v| v != 0);
    Ok(MonthConfirmation {
        month: Month::parse(&month)
            .ok_or_else(|| StoreError::Corrupt(format!("month = {month:?}")))?,
        resident: flag("resident")?,
        employed: flag("employed")?,
        social_paid: flag("social_paid")?,
        pension_paid: flag("pension_paid")?,
    })
}

/// Contract `id` as `principal` sees it on `today`; 404 unless they may see it.
pub async fn get(
    store: &Store,
    principal: &Principal,
    id: i64,
    today: NaiveDate,
    lang: Lang,
) -> Result<Contract, Refusal> {
    let mut conn = store.pool().acquire().await?;
    let stored = load(&mut conn, store.backend(), id, false)
        .await?
        .filter(|s| visible(principal, &s.terms))
        .ok_or_else(not_found)?;
    let terms = &stored.terms;

    let names = sqlx::query(&format!(
        "SELECT {} AS resettler, {} AS employer FROM users r, users e \
         WHERE r.id = $1 AND e.id = $2",
        name_of("r"),
        name_of("e")
    ))
    .bind(terms.resettler_id)
    .bind(terms.employer_id)
    .fetch_one(&mut *conn)
    .await?;
    let rows = sqlx::query(
        "SELECT month, resident, employed, social_paid, pension_paid FROM confirmations \
         WHERE contract_id = $1 ORDER BY month",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let confirmations: Vec<MonthConfirmation> = rows
        .iter()
        .map(confirmation_from_row)
        .collect::<Result<_, _>>()?;
    let mut signatures = signatures(&mut conn, &stored).await?;
    drop(conn);

    let today = Month::of(today);
    let current = state(terms, &confirmations, today);
    let mut party = |party: Party, name: String, account_id: Option<i64>| PartyView {
        party,
        name,
        account_id,
        signature: signatures.remove(&party),
    };
    let parties = vec![
        party(
            Party::Resettler,
            names.try_get("resettler")?,
            Some(terms.resettler_id),
        ),
        party(
            Party::Employer,
            names.try_get("employer")?,
            Some(terms.employer_id),
        ),
        party(
            Party::Akimat,
            Policy::current()
                .region_name(terms.region, lang)
                .to_string(),
            None,
        ),
    ];
    Ok(Contract {
        stage: stage(&stored, &current),
        payout: payout(store, stored.payout_transfer.as_deref()).await?,
        terms: stored.terms.clone(),
        fingerprint: stored.fingerprint.clone(),
        parties,
        confirmations,
        today,
        created_at: stored.created_at.clone(),
    })
}

/// The live signatures over the contract's current terms, by party.
async fn signatures(
    conn: &mut AnyConnection,
    stored: &Stored,
) -> Result<HashMap<Party, SignatureView>, StoreError> {
    let rows = sqlx::query(&format!(
        "SELECT s.party, s.signer_id, {} AS signer_name, s.key_id, k.public_key, s.signature, \
         s.signed_at FROM contract_signatures s JOIN signing_keys k ON k.id = s.key_id \
         JOIN users u ON u.id = s.signer_id \
         WHERE s.contract_id = $1 AND s.fingerprint = $2 AND s.voided_at IS NULL",
        name_of("u")
    ))
    .bind(stored.id)
    .bind(&stored.fingerprint)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|row| {
            let party = parse_party(row)?;
            let public_key: String = row.try_get("public_key")?;
            let key = parse_hex(&public_key)
                .ok_or_else(|| StoreError::Corrupt(format!("public_key = {public_key:?}")))?;
            let view = SignatureView {
                signer_account_id: row.try_get("signer_id")?,
                signer_name: row.try_get("signer_name")?,
                key_id: row.try_get("key_id")?,
                key_fingerprint: key_fingerprint(&key),
                signature: row.try_get("signature")?,
                signed_at: row.try_get("signed_at")?,
            };
            Ok((party, view))
        })
        .collect()
}

/// The employer's payout as the ledger posted it, if it was.
async fn payout(store: &Store, transfer: Option<&str>) -> Result<Option<PayoutView>, Refusal> {
    let Some(text) = transfer else {
        return Ok(None);
    };
    let id = TransferId::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("payout_transfer = {text:?}")))?;
    let posted = ledger::posted_transfer(store, id)
        .await
        .map_err(|e| match e {
            LedgerError::Store(e) => Refusal::from(e),
            other => {
                tracing::error!(error = %other, "reading a contract's payout");
                ApiError::internal().into()
            }
        })?;
    Ok(posted.map(|t| PayoutView {
        transfer_id: text.to_string(),
        seq: t.seq,
        amount: Tenge::from_tiyn(t.amount_tiyn),
        posted_at: t.created_at,
    }))
}

/// Which contracts an account lists: a party its own, an officer their region's, an admin
/// all. The condition binds at most `$1`.
fn scope(principal: &Principal) -> (&'static str, Option<Scope>) {
    match principal.role {
        Role::Resettler => (
            " AND k.resettler_id = $1",
            Some(Scope::Id(principal.user_id)),
        ),
        Role::Employer => (
            " AND k.employer_id = $1",
            Some(Scope::Id(principal.user_id)),
        ),
        Role::Akimat => (
            " AND k.region = $1",
            Some(Scope::Region(
                principal.region.map(|r| r.id()).unwrap_or_default(),
            )),
        ),
        Role::Admin => ("", None),
    }
}

enum Scope {
    Id(i64),
    Region(&'static str),
}

/// The stored statuses a filter can match: settled statuses are final, an active contract
/// may by now be any of active, fulfilled or breached.
fn statuses(filter: Option<ContractFilter>) -> &'static str {
    match filter {
        None => "",
        Some(ContractFilter::Signing) => " AND k.status = 'signing'",
        Some(ContractFilter::Active | ContractFilter::AtRisk) => " AND k.status = 'active'",
        Some(ContractFilter::Breached) => " AND k.status IN ('active', 'breached')",
        Some(ContractFilter::Fulfilled) => " AND k.status IN ('active', 'fulfilled')",
    }
}

async fn fetch(store: &Store, sql: &str, scope: &Option<Scope>) -> Result<Vec<AnyRow>, StoreError> {
    let query = sqlx::query(sql);
    let query = match scope {
        Some(Scope::Id(id)) => query.bind(*id),
        Some(Scope::Region(region)) => query.bind(*region),
        None => query,
    };
    Ok(query.fetch_all(store.pool()).await?)
}

fn matches(filter: ContractFilter, summary: &ContractSummary) -> bool {
    match filter {
        ContractFilter::Signing => summary.stage == Stage::Signing,
        ContractFilter::Active => summary.stage == Stage::Active,
        ContractFilter::AtRisk => summary.at_risk,
        ContractFilter::Breached => summary.stage == Stage::Breached,
        ContractFilter::Fulfilled => summary.stage == Stage::Fulfilled,
    }
}

/// Page `page` (from 1) of the contracts `principal` sees that match `filter`, newest
/// first, as they stand on `today`. The state is worked out for every contract in scope,
/// so the filters follow it exactly.
pub async fn list(
    store: &Store,
    principal: &Principal,
    filter: Option<ContractFilter>,
    page: u32,
    per_page: u32,
    today: NaiveDate,
) -> Result<ContractList, Refusal> {
    authorize(principal, Action::ListContracts)?;
    let (scope_sql, scope) = scope(principal);
    let condition = format!("k.terms IS NOT NULL{scope_sql}{}", statuses(filter));
    let contracts = fetch(
        store,
        &format!(
            "SELECT k.id, k.terms, k.fingerprint, k.status, k.created_at, k.payout_transfer, \
             {} AS resettler_name, {} AS employer_name FROM contracts k \
             JOIN users r ON r.id = k.resettler_id JOIN users e ON e.id = k.employer_id \
             WHERE {condition} ORDER BY k.id DESC",
            name_of("r"),
            name_of("e")
        ),
        &scope,
    )
    .await?;
    let mut confirmations: HashMap<i64, Vec<MonthConfirmation>> = HashMap::new();
    for row in fetch(
        store,
        &format!(
            "SELECT c.contract_id, c.month, c.resident, c.employed, c.social_paid, \
             c.pension_paid FROM confirmations c JOIN contracts k ON k.id = c.contract_id \
             WHERE {condition}"
        ),
        &scope,
    )
    .await?
    {
        confirmations
            .entry(row.try_get("contract_id")?)
            .or_default()
            .push(confirmation_from_row(&row)?);
    }
    let mut signed: HashMap<i64, Vec<Party>> = HashMap::new();
    for row in fetch(
        store,
        &format!(
            "SELECT s.contract_id, s.party FROM contract_signatures s \
             JOIN contracts k ON k.id = s.contract_id WHERE {condition} \
             AND k.status = 'signing' AND s.voided_at IS NULL AND s.fingerprint = k.fingerprint"
        ),
        &scope,
    )
    .await?
    {
        signed
            .entry(row.try_get("contract_id")?)
            .or_default()
            .push(parse_party(&row)?);
    }

    let today = Month::of(today);
    let mut summaries = Vec::new();
    for row in &contracts {
        let stored = from_row(row)?;
        let terms = &stored.terms;
        let current = state(
            terms,
            confirmations.get(&stored.id).map_or(&[], Vec::as_slice),
            today,
        );
        let stage = stage(&stored, &current);
        let active = stage == Stage::Active;
        let summary = ContractSummary {
            id: stored.id,
            fingerprint: stored.fingerprint.clone(),
            stage,
            region: terms.region,
            position: terms.position.clone(),
            resettler_name: row.try_get("resettler_name")?,
            employer_name: row.try_get("employer_name")?,
            start_month: terms.start_month,
            confirmed: current.confirmed,
            required: current.required,
            unconfirmed_run: current.unconfirmed_run,
            at_risk: active && current.at_risk,
            unsigned: match stage {
                Stage::Signing => {
                    let signed = signed.get(&stored.id).map_or(&[][..], Vec::as_slice);
                    Party::ALL
                        .into_iter()
                        .filter(|p| !signed.contains(p))
                        .collect()
                }
                _ => Vec::new(),
            },
            expected_payout_month: current.expected_payout_month.filter(|_| active),
            payout: current.payout,
        };
        if filter.is_none_or(|f| matches(f, &summary)) {
            summaries.push(summary);
        }
    }
    let total = summaries.len() as u64;
    let skip = usize::try_from(u64::from(page.saturating_sub(1)) * u64::from(per_page))
        .unwrap_or(usize::MAX);
    Ok(ContractList {
        contracts: summaries
            .into_iter()
            .skip(skip)
            .take(per_page as usize)
            .collect(),
        page,
        per_page,
        total,
    })
}
