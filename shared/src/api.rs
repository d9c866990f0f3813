//! Request and response types of the public HTTP API (`/api/v1`), shared by app and server.

use crate::{lang::Lang, money::Tenge, quota::QuotaStatus, region::Region};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";

/// The example request of SPEC §7 (the worked example of SPEC §3), as a client sends it.
pub const EXAMPLE_REQUEST: &str = r#"{
      "as_of": "2026-03-01",
      "applicant": {
        "iin": "900514300121",
        "birth_date": "1990-05-14",
        "citizenship": "citizen",
        "current_region": "turkestan",
        "prior_resettlement_support": false
      },
      "family_size": 3,
      "destination": { "region": "north_kazakhstan", "settlement": "urban" }
    }"#;

/// `POST /api/v1/eligibility`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibilityRequest {
    /// The date to decide for; today when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<NaiveDate>,
    pub applicant: Applicant,
    pub family_size: FamilySize,
    pub destination: Destination,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Individual identification number, 12 digits. Checked by rule E1, so any text is accepted.
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub iin: String,
    pub birth_date: NaiveDate,
    pub citizenship: Citizenship,
    pub current_region: Region,
    pub prior_resettlement_support: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Citizenship {
    Citizen,
    /// An ethnic Kazakh returning to Kazakhstan.
    Kandas,
    Foreign,
}

impl Citizenship {
    pub const ALL: [Citizenship; 3] = [
        Citizenship::Citizen,
        Citizenship::Kandas,
        Citizenship::Foreign,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Destination {
    pub region: Region,
    pub settlement: Settlement,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Settlement {
    Urban,
    Rural,
}

/// Number of family members moving, the applicant included: 1 to 15.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = u32))]
#[serde(try_from = "u32", into = "u32")]
pub struct FamilySize(u32);

impl FamilySize {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 15;

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for FamilySize {
    type Error = String;

    fn try_from(n: u32) -> Result<FamilySize, String> {
        if (FamilySize::MIN..=FamilySize::MAX).contains(&n) {
            Ok(FamilySize(n))
        } else {
            Err(format!(
                "family size must be between {} and {}, got {n}",
                FamilySize::MIN,
                FamilySize::MAX
            ))
        }
    }
}

impl From<FamilySize> for u32 {
    fn from(size: FamilySize) -> u32 {
        size.0
    }
}

/// The answer to an eligibility check, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EligibilityResponse {
    /// True when every rule passed.
    pub eligible: bool,
    /// Every rule, always all of them, in order E1…E7.
    pub rules: Vec<RuleResult>,
    /// What the family would receive; `null` when not eligible.
    pub entitlements: Option<Entitlements>,
    pub warnings: Vec<Warning>,
    pub policy_version: String,
    /// The date the answer is for.
    #[serde(deserialize_with = "crate::date::deserialize_iso")]
    pub as_of: NaiveDate,
    /// The language of reasons and citations.
    pub lang: Lang,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleResult {
    #[cfg_attr(feature = "openapi", schema(example = "E1"))]
    pub id: String,
    pub passed: bool,
    pub reason: String,
    pub citation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entitlements {
    /// One-time payment, KZT.
    pub relocation_subsidy: Tenge,
    /// Monthly housing voucher, KZT.
    pub monthly_voucher: Tenge,
    pub voucher_months: u32,
    /// The most the employer can be compensated for the family's housing, KZT.
    pub employer_housing_limit: Tenge,
    /// How each amount was computed, with its source.
    pub basis: Vec<EntitlementBasis>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EntitlementBasis {
    /// The entitlement field this explains, e.g. `relocation_subsidy`.
    pub item: String,
    pub explanation: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warning {
    #[cfg_attr(feature = "openapi", schema(example = "iin_birth_date_mismatch"))]
    pub code: String,
    pub message: String,
}

/// `GET /api/v1/quotas?year=YYYY`: every resettlement region's quota for the year.
pub type QuotasResponse = BTreeMap<Region, QuotaStatus>;

/// `GET /api/v1/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    #[cfg_attr(feature = "openapi", schema(example = "ok"))]
    pub status: String,
}

/// Every error: `{"error": {"code": "...", "message": "...", "field": "..."}}`, `field` only
/// when one field is at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    /// Stable and machine-readable, e.g. `invalid_date`, `unknown_region`, `missing_field`.
    #[cfg_attr(feature = "openapi", schema(example = "invalid_date"))]
    pub code: String,
    /// For people, in the request's language (`?lang=`, else `Accept-Language`).
    pub message: String,
    /// The JSON path of the offending field of the request body (`applicant.birth_date`,
    /// `items[2].month`), or the name of the offending query parameter (`year`). Absent when
    /// no single field is at fault.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(example = "applicant.birth_date"))]
    pub field: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_REQUEST: &str = EXAMPLE_REQUEST;

    #[test]
    fn spec_request_parses() {
        let req: EligibilityRequest = serde_json::from_str(SPEC_REQUEST).unwrap();
        assert_eq!(req.family_size.get(), 3);
        assert_eq!(req.destination.region, Region::NorthKazakhstan);
        assert_eq!(req.as_of, NaiveDate::from_ymd_opt(2026, 3, 1));
    }

    #[test]
    fn bad_inputs_are_rejected() {
        let bad = [
            SPEC_REQUEST.replace("\"family_size\": 3", "\"family_size\": 0"),
            SPEC_REQUEST.replace("\"family_size\": 3", "\"family_size\": 16"),
            SPEC_REQUEST.replace("\"family_size\": 3", "\"family_size\": -1"),
            SPEC_REQUEST.replace("\"family_size\": 3", "\"family_size\": \"3\""),
            SPEC_REQUEST.replace("north_kazakhstan", "narnia"),
            SPEC_REQUEST.replace("2026-03-01", "2026-02-30"),
            SPEC_REQUEST.replace("1990-05-14", "14.05.1990"),
            SPEC_REQUEST.replace("\"citizen\"", "\"martian\""),
            SPEC_REQUEST.replace("\"urban\"", "\"space\""),
            SPEC_REQUEST.replace("\"prior_resettlement_support\": false", "\"prior\": false"),
        ];
        for json in bad {
            assert!(
                serde_json::from_str::<EligibilityRequest>(&json).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn as_of_is_optional() {
        let json = SPEC_REQUEST.replace("\"as_of\": \"2026-03-01\",", "");
        let req: EligibilityRequest = serde_json::from_str(&json).unwrap();
        assert_eq!(req.as_of, None);
    }
}
