//! The versioned policy file (`policy/policy.toml`), embedded at compile time.
//!
//! Every amount and threshold the rules use is a dated parameter here, with its source.
//! The value in force on a date is the one with the latest effective date not after it;
//! a date before the first effective date is an error, never a silent default.

use crate::{lang::Localized, region::Region};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, fmt, sync::OnceLock};

const POLICY_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/policy.json"));
const POLICY_VERSION: &str = include_str!(concat!(env!("OUT_DIR"), "/policy_version.txt"));

/// The whole policy: parameters, rule citations and regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    /// `revision+content-hash`; changes whenever the policy file changes.
    #[serde(default)]
    pub version: String,
    pub revision: String,
    pub parameters: Parameters,
    /// Legal basis of each eligibility rule, by rule id (`E1`…`E7`).
    pub rules: BTreeMap<String, RuleBasis>,
    pub regions: Vec<RegionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Parameters {
    pub mrp: Parameter<Decimal>,
    pub minimum_wage: Parameter<Decimal>,
    pub relocation_subsidy_mrp_per_member: Parameter<Decimal>,
    pub monthly_voucher_mrp: Parameter<VoucherBands>,
    pub voucher_months: Parameter<u32>,
    pub voucher_grace_days: Parameter<u32>,
    pub employer_housing_limit_mrp: Parameter<Decimal>,
    pub employer_required_confirmed_months: Parameter<u32>,
    pub breach_consecutive_unconfirmed_months: Parameter<u32>,
    pub working_age_min: Parameter<u32>,
    pub working_age_max: Parameter<u32>,
    pub r12_bonus_mrp_per_retained: Parameter<Decimal>,
    pub r12_multiplier: Parameter<Vec<MultiplierBand>>,
}

/// One policy parameter and its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Parameter<T> {
    pub description: String,
    pub unit: String,
    /// Each value with the date it takes effect, oldest first.
    pub values: Vec<Dated<T>>,
}

/// A value with the date it takes effect and its legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dated<T> {
    pub from: NaiveDate,
    pub value: T,
    pub source: Localized,
}

/// Monthly voucher bands by settlement type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherBands {
    pub urban: Vec<VoucherBand>,
    pub rural: Vec<VoucherBand>,
}

/// Families of at least `from_members` (up to the next band) get `mrp` MRP a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VoucherBand {
    pub from_members: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub mrp: Decimal,
}

/// Regions whose R-12 is at least `min_rate` (up to the next band) get `multiplier`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MultiplierBand {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub min_rate: Decimal,
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub multiplier: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleBasis {
    pub citation: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionInfo {
    pub id: Region,
    /// National territorial code (KATO); absent for `abroad`.
    #[serde(default)]
    pub kato: Option<String>,
    pub name: Localized,
    /// A labour-surplus region people may move from.
    #[serde(default)]
    pub origin: bool,
    /// A labour-deficit region people may resettle to.
    #[serde(default)]
    pub destination: bool,
    /// Only a place of current residence (`abroad`).
    #[serde(default)]
    pub residence_only: bool,
}

/// A parameter was asked for on a date before its first effective date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub parameter: &'static str,
    pub date: NaiveDate,
    pub first_effective: Option<NaiveDate>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.first_effective {
            Some(first) => write!(
                f,
                "policy parameter `{}` is not in force on {}: its first value takes effect on {}",
                self.parameter, self.date, first
            ),
            None => write!(f, "policy parameter `{}` has no values", self.parameter),
        }
    }
}

impl std::error::Error for PolicyError {}

impl<T> Parameter<T> {
    /// The value in force on `date`, with its effective date and source.
    pub fn at(&self, name: &'static str, date: NaiveDate) -> Result<&Dated<T>, PolicyError> {
        self.values
            .iter()
            .filter(|v| v.from <= date)
            .max_by_key(|v| v.from)
            .ok_or(PolicyError {
                parameter: name,
                date,
                first_effective: self.values.iter().map(|v| v.from).min(),
            })
    }
}

/// Looks up a parameter in force on a date, naming it in the error:
/// `in_force!(policy, working_age_min, date)`.
#[macro_export]
macro_rules! in_force {
    ($policy:expr, $name:ident, $date:expr) => {
        $policy.parameters.$name.at(stringify!($name), $date)
    };
}
pub use in_force;

impl Policy {
    /// The policy embedded in this build. Parsed once.
    pub fn current() -> &'static Policy {
        static POLICY: OnceLock<Policy> = OnceLock::new();
        POLICY.get_or_init(|| {
            let mut policy: Policy = serde_json::from_str(POLICY_JSON)
                .expect("the embedded policy file matches the policy types (checked by tests)");
            policy.version = POLICY_VERSION.to_string();
            policy
        })
    }

    pub fn region(&self, region: Region) -> Option<&RegionInfo> {
        self.regions.iter().find(|r| r.id == region)
    }

    pub fn region_name(&self, region: Region, lang: crate::Lang) -> &str {
        self.region(region)
            .map(|r| r.name.get(lang))
            .unwrap_or(region.id())
    }

    pub fn is_origin(&self, region: Region) -> bool {
        self.region(region).is_some_and(|r| r.origin)
    }

    pub fn is_destination(&self, region: Region) -> bool {
        self.region(region).is_some_and(|r| r.destination)
    }

    /// Resettlement regions in policy order.
    pub fn destinations(&self) -> impl Iterator<Item = Region> + '_ {
        self.regions.iter().filter(|r| r.destination).map(|r| r.id)
    }

    pub fn citation(&self, rule: &str) -> Option<&Localized> {
        self.rules.get(rule).map(|r| &r.citation)
    }

    pub fn mrp(&self, date: NaiveDate) -> Result<&Dated<Decimal>, PolicyError> {
        in_force!(self, mrp, date)
    }

    pub fn minimum_wage(&self, date: NaiveDate) -> Result<&Dated<Decimal>, PolicyError> {
        in_force!(self, minimum_wage, date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn embedded_policy_loads_with_a_content_version() {
        let policy = Policy::current();
        assert!(policy.version.starts_with(&format!("{}+", policy.revision)));
        assert_eq!(policy.version.len(), policy.revision.len() + 1 + 12);
    }

    #[test]
    fn mrp_in_force_follows_effective_dates() {
        let policy = Policy::current();
        let mrp = |d| policy.mrp(date(d)).unwrap().value;
        assert_eq!(mrp("2024-01-01"), Decimal::from(3692));
        assert_eq!(mrp("2024-12-31"), Decimal::from(3692));
        assert_eq!(mrp("2025-01-01"), Decimal::from(3932));
        assert_eq!(mrp("2026-03-01"), Decimal::from(4325));
        assert_eq!(mrp("2030-06-30"), Decimal::from(4325));
    }

    #[test]
    fn a_date_before_the_first_value_is_an_error() {
        let err = Policy::current().mrp(date("2023-12-31")).unwrap_err();
        assert_eq!(err.parameter, "mrp");
        assert_eq!(err.first_effective, Some(date("2024-01-01")));
        assert!(err.to_string().contains("2024-01-01"));
    }

    #[test]
    fn every_region_has_names_and_the_spec_lists_hold() {
        let policy = Policy::current();
        for region in Region::ALL {
            let info = policy.region(region).expect("region in policy");
            assert!(
                !info.name.kk.is_empty() && !info.name.ru.is_empty() && !info.name.en.is_empty()
            );
        }
        assert_eq!(policy.regions.len(), Region::ALL.len());
        let origins: Vec<_> = Region::ALL
            .into_iter()
            .filter(|r| policy.is_origin(*r))
            .map(Region::id)
            .collect();
        assert_eq!(
            origins,
            [
                "almaty_region",
                "zhambyl",
                "zhetysu",
                "kyzylorda",
                "mangystau",
                "turkestan",
                "shymkent"
            ]
        );
        let destinations: Vec<_> = policy.destinations().map(Region::id).collect();
        assert_eq!(
            destinations,
            [
                "abai",
                "akmola",
                "east_kazakhstan",
                "west_kazakhstan",
                "karaganda",
                "kostanay",
                "pavlodar",
                "north_kazakhstan",
                "ulytau"
            ]
        );
    }

    #[test]
    fn every_rule_has_a_citation_in_three_languages() {
        let policy = Policy::current();
        for id in ["E1", "E2", "E3", "E4", "E5", "E6", "E7"] {
            let c = policy.citation(id).expect("citation");
            assert!(
                !c.kk.is_empty() && !c.ru.is_empty() && !c.en.is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn every_value_has_a_source() {
        let json = serde_json::to_value(&Policy::current().parameters).unwrap();
        for (name, parameter) in json.as_object().unwrap() {
            for value in parameter["values"].as_array().unwrap() {
                for lang in ["kk", "ru", "en"] {
                    let source = value["source"][lang].as_str().unwrap_or_default();
                    assert!(!source.is_empty(), "{name}: no {lang} source");
                }
            }
        }
    }
}
