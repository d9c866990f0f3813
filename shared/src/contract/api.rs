//! The contract's shapes in the HTTP API (`/api/v1/contracts`, `/api/v1/keys`), shared by
//! the app and the server. The rules themselves are in the sibling modules.

use super::{
    signature::Party,
    state::{ContractStatus, MonthConfirmation},
    terms::ContractTerms,
};
use crate::{ledger::Month, region::Region, Tenge};
use serde::{Deserialize, Serialize};

/// `POST /api/v1/contracts`: the region's officer creates a contract from an approved
/// application and the vacancy it names. The other terms come from the application, the
/// vacancy and the policy in force today.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateContract {
    pub application_id: i64,
    /// The first contract month: this month or later.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub start_month: Month,
    /// The employer's declared housing costs for the resettler, KZT.
    pub declared_housing_costs: Tenge,
}

/// `PUT /api/v1/contracts/{id}/terms`: the officer changes the terms before the contract is
/// active. The terms get a new fingerprint, so every earlier signature is void.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AmendTerms {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2027-01"))]
    pub start_month: Month,
    pub monthly_salary: Tenge,
    pub declared_housing_costs: Tenge,
}

/// Where a contract is in its life: being signed, then the state of SPEC §5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Waiting for one or more of the three signatures; terms may still change.
    Signing,
    Active,
    Fulfilled,
    Breached,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Signing,
        Stage::Active,
        Stage::Fulfilled,
        Stage::Breached,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Stage::Signing => "signing",
            Stage::Active => "active",
            Stage::Fulfilled => "fulfilled",
            Stage::Breached => "breached",
        }
    }

    pub fn from_id(id: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.id() == id)
    }
}

impl From<ContractStatus> for Stage {
    fn from(status: ContractStatus) -> Stage {
        match status {
            ContractStatus::Active => Stage::Active,
            ContractStatus::Fulfilled => Stage::Fulfilled,
            ContractStatus::Breached => Stage::Breached,
        }
    }
}

/// The officer's filters of `GET /api/v1/contracts?filter=…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractFilter {
    Signing,
    Active,
    /// Active with one or more unconfirmed months in a row (fewer than the breach threshold).
    AtRisk,
    Breached,
    Fulfilled,
}

impl ContractFilter {
    pub const ALL: [ContractFilter; 5] = [
        ContractFilter::Signing,
        ContractFilter::Active,
        ContractFilter::AtRisk,
        ContractFilter::Breached,
        ContractFilter::Fulfilled,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ContractFilter::Signing => "signing",
            ContractFilter::Active => "active",
            ContractFilter::AtRisk => "at_risk",
            ContractFilter::Breached => "breached",
            ContractFilter::Fulfilled => "fulfilled",
        }
    }

    pub fn from_id(id: &str) -> Option<ContractFilter> {
        ContractFilter::ALL.into_iter().find(|f| f.id() == id)
    }
}

/// One of the three parties as a contract page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyView {
    pub party: Party,
    /// The resettler's name, the employer's organisation, or the region's akimat.
    pub name: String,
    /// The party's account; `None` for the akimat (any officer of the region signs).
    pub account_id: Option<i64>,
    /// The valid signature over the current terms, if given.
    pub signature: Option<SignatureView>,
}

/// A signature that verifies against the current terms and the signer's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignatureView {
    /// The account whose key signed (for the akimat: the officer).
    pub signer_account_id: i64,
    pub signer_name: String,
    pub key_id: i64,
    /// [`super::signature::key_fingerprint`] of the key that signed.
    pub key_fingerprint: String,
    /// 128 hex digits.
    pub signature: String,
    /// RFC 3339, UTC.
    pub signed_at: String,
}

/// The employer's payout, once posted in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayoutView {
    /// The ledger transfer's id, 32 hex digits.
    pub transfer_id: String,
    /// Its place in the ledger.
    pub seq: i64,
    pub amount: Tenge,
    /// RFC 3339, UTC.
    pub posted_at: String,
}

/// `GET /api/v1/contracts/{id}`: everything a party or the region's staff see of a contract.
/// The browser works out the state from `terms`, `confirmations` and `today` with the same
/// function as the server ([`super::state::state`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    pub terms: ContractTerms,
    /// SHA-256 of the terms' canonical encoding, 64 hex digits.
    pub fingerprint: String,
    pub stage: Stage,
    /// Resettler, employer, akimat, in that order.
    pub parties: Vec<PartyView>,
    /// Every month the feed confirmed or reported, in month order.
    pub confirmations: Vec<MonthConfirmation>,
    /// The server's current month.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-11"))]
    pub today: Month,
    pub payout: Option<PayoutView>,
    /// RFC 3339, UTC.
    pub created_at: String,
}

/// One line of a contract list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractSummary {
    pub id: i64,
    pub fingerprint: String,
    pub stage: Stage,
    pub region: Region,
    pub position: String,
    pub resettler_name: String,
    pub employer_name: String,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-12"))]
    pub start_month: Month,
    pub confirmed: u32,
    pub required: u32,
    /// Unconfirmed months in a row up to now.
    pub unconfirmed_run: u32,
    pub at_risk: bool,
    /// The parties still to sign (signing stage only).
    pub unsigned: Vec<Party>,
    /// When the payout is due if every month from now is confirmed (active only).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2028-12"))]
    pub expected_payout_month: Option<Month>,
    /// What the employer is paid on fulfilment; zero once breached.
    pub payout: Tenge,
}

/// `GET /api/v1/contracts`: the signed-in party's contracts, or the region's for its staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractList {
    pub contracts: Vec<ContractSummary>,
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
}

/// `POST /api/v1/contracts/{id}/signatures`: the signed-in party's signature over the
/// current terms, made with their registered key. The party follows from the account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignContract {
    /// The fingerprint the signer saw, 64 hex digits: a signature over other terms is
    /// refused with `terms_changed`.
    pub fingerprint: String,
    /// 128 hex digits.
    pub signature: String,
}

/// `POST /api/v1/keys`: registers the public half of a key pair made in the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterKey {
    /// Ed25519 public key, 64 hex digits.
    pub public_key: String,
}

/// A registered signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SigningKey {
    pub id: i64,
    pub account_id: i64,
    /// 64 hex digits.
    pub public_key: String,
    pub fingerprint: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// `GET /api/v1/keys?account=ID` (staff) or `GET /api/v1/keys/mine`: an account's keys,
/// the active one (if any) first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyList {
    pub keys: Vec<SigningKey>,
}

/// `POST /api/v1/feed/confirmations` answers this (SPEC §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedReport {
    pub accepted: u64,
    pub replaced: u64,
    pub rejected: Vec<RejectedRow>,
}

/// One rejected row of a feed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectedRow {
    /// Data rows counted from 1.
    pub row: u64,
    pub code: String,
    pub message: String,
}
