//! Eligibility rules E1–E7 and the entitlements of an eligible family (SPEC §3).
//!
//! [`assess`] is one pure function of the request, the as-of date, the policy and a quota
//! snapshot. Every rule is always evaluated, so a person sees everything they would need to
//! change. [`Assessment::to_response`] renders the outcome in one language.

mod explain;

use crate::{
    api::{Citizenship, EligibilityRequest, EligibilityResponse, RuleResult, Settlement},
    iin::{IdError, Iin},
    lang::Localized,
    money::Tenge,
    policy::{in_force, Dated, Policy, PolicyError},
    quota::QuotaSnapshot,
    region::Region,
};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// The rules, in the order they are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RuleId {
    E1,
    E2,
    E3,
    E4,
    E5,
    E6,
    E7,
}

impl RuleId {
    pub const ALL: [RuleId; 7] = [
        RuleId::E1,
        RuleId::E2,
        RuleId::E3,
        RuleId::E4,
        RuleId::E5,
        RuleId::E6,
        RuleId::E7,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::E1 => "E1",
            RuleId::E2 => "E2",
            RuleId::E3 => "E3",
            RuleId::E4 => "E4",
            RuleId::E5 => "E5",
            RuleId::E6 => "E6",
            RuleId::E7 => "E7",
        }
    }
}

/// Why a rule passed or failed, with what the explanation needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    IinValid,
    IinInvalid(IdError),
    CitizenshipEligible(Citizenship),
    CitizenshipNotEligible,
    AgeInRange {
        age: u32,
    },
    TooYoung {
        age: u32,
        min: u32,
    },
    TooOld {
        age: u32,
        max: u32,
    },
    BornAfterAsOf,
    LivesInOrigin(Region),
    KandasAbroad,
    NotFromOrigin {
        region: Region,
        citizenship: Citizenship,
    },
    DestinationOk(Region),
    NotResettlementRegion(Region),
    SameAsCurrent(Region),
    NoPriorSupport,
    PriorSupport,
    PlacesLeft {
        region: Region,
        year: i32,
        remaining: u32,
    },
    QuotaExhausted {
        region: Region,
        year: i32,
    },
    NoQuota {
        region: Region,
        year: i32,
    },
    /// The quota snapshot at hand is not for the as-of year (e.g. none could be loaded).
    QuotaUnknown {
        region: Region,
        year: i32,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleOutcome {
    pub rule: RuleId,
    pub passed: bool,
    pub reason: Reason,
}

/// Something the person should check that does not change the verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caution {
    /// The birth date encoded in the IIN (if it is a real date) differs from the declared one.
    IinBirthDateMismatch {
        encoded: Option<NaiveDate>,
        declared: NaiveDate,
    },
}

impl Caution {
    pub fn code(&self) -> &'static str {
        match self {
            Caution::IinBirthDateMismatch { .. } => "iin_birth_date_mismatch",
        }
    }
}

/// The amounts an eligible family gets, and the policy values they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntitlementAmounts {
    pub relocation_subsidy: Tenge,
    pub monthly_voucher: Tenge,
    pub voucher_months: u32,
    pub employer_housing_limit: Tenge,
    pub family_size: u32,
    pub settlement: Settlement,
    pub mrp: Dated<Decimal>,
    pub relocation_mrp_per_member: Dated<Decimal>,
    pub voucher_mrp: Dated<Decimal>,
    pub voucher_months_source: Localized,
    pub housing_limit_mrp: Dated<Decimal>,
}

/// The outcome of every rule, in no particular language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub as_of: NaiveDate,
    pub rules: Vec<RuleOutcome>,
    pub entitlements: Option<EntitlementAmounts>,
    pub cautions: Vec<Caution>,
    pub policy_version: String,
}

impl Assessment {
    pub fn eligible(&self) -> bool {
        self.rules.iter().all(|r| r.passed)
    }

    /// The API answer, with reasons and citations in `lang`.
    pub fn to_response(&self, policy: &Policy, lang: crate::Lang) -> EligibilityResponse {
        EligibilityResponse {
            eligible: self.eligible(),
            rules: self
                .rules
                .iter()
                .map(|r| RuleResult {
                    id: r.rule.as_str().to_string(),
                    passed: r.passed,
                    reason: explain::reason(&r.reason, policy, lang),
                    citation: policy
                        .citation(r.rule.as_str())
                        .map(|c| c.get(lang).to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            entitlements: self
                .entitlements
                .as_ref()
                .map(|e| explain::entitlements(e, lang)),
            warnings: self
                .cautions
                .iter()
                .map(|c| crate::api::Warning {
                    code: c.code().to_string(),
                    message: explain::caution(c, lang),
                })
                .collect(),
            policy_version: self.policy_version.clone(),
            as_of: self.as_of,
            lang,
        }
    }
}

/// Evaluates every rule for `request` on `as_of`. Fails only when the policy has no values
/// in force on that date.
pub fn assess(
    request: &EligibilityRequest,
    as_of: NaiveDate,
    policy: &Policy,
    quotas: &QuotaSnapshot,
) -> Result<Assessment, PolicyError> {
    let applicant = &request.applicant;
    let destination = request.destination.region;
    let rules = vec![
        e1_iin(&applicant.iin),
        e2_citizenship(applicant.citizenship),
        e3_age(applicant.birth_date, as_of, policy)?,
        e4_current_region(applicant.current_region, applicant.citizenship, policy),
        e5_destination(destination, applicant.current_region, policy),
        e6_prior_support(applicant.prior_resettlement_support),
        e7_quota(destination, as_of.year(), quotas),
    ];
    let cautions = iin_birth_date_caution(&applicant.iin, applicant.birth_date)
        .into_iter()
        .collect();
    let eligible = rules.iter().all(|r| r.passed);
    let entitlements = if eligible {
        Some(entitlements(
            request.family_size.get(),
            request.destination.settlement,
            as_of,
            policy,
        )?)
    } else {
        None
    };
    Ok(Assessment {
        as_of,
        rules,
        entitlements,
        cautions,
        policy_version: policy.version.clone(),
    })
}

fn outcome(rule: RuleId, passed: bool, reason: Reason) -> RuleOutcome {
    RuleOutcome {
        rule,
        passed,
        reason,
    }
}

/// E1: the IIN is exactly 12 ASCII digits, has a century-and-sex digit of 1–6 and a valid
/// check digit.
fn e1_iin(iin: &str) -> RuleOutcome {
    match Iin::parse(iin) {
        Ok(_) => outcome(RuleId::E1, true, Reason::IinValid),
        Err(e) => outcome(RuleId::E1, false, Reason::IinInvalid(e)),
    }
}

/// E2: citizenship is `citizen` or `kandas`.
fn e2_citizenship(citizenship: Citizenship) -> RuleOutcome {
    match citizenship {
        Citizenship::Citizen | Citizenship::Kandas => {
            outcome(RuleId::E2, true, Reason::CitizenshipEligible(citizenship))
        }
        Citizenship::Foreign => outcome(RuleId::E2, false, Reason::CitizenshipNotEligible),
    }
}

/// E3: age on the as-of date is at least the working-age minimum and below the maximum.
fn e3_age(birth: NaiveDate, as_of: NaiveDate, policy: &Policy) -> Result<RuleOutcome, PolicyError> {
    let min = in_force!(policy, working_age_min, as_of)?.value;
    let max = in_force!(policy, working_age_max, as_of)?.value;
    Ok(match age(birth, as_of) {
        None => outcome(RuleId::E3, false, Reason::BornAfterAsOf),
        Some(age) if age < min => outcome(RuleId::E3, false, Reason::TooYoung { age, min }),
        Some(age) if age >= max => outcome(RuleId::E3, false, Reason::TooOld { age, max }),
        Some(age) => outcome(RuleId::E3, true, Reason::AgeInRange { age }),
    })
}

/// Age in completed years on `on` of a person born on `birth`; `None` when `on` is before
/// `birth`.
///
/// SPEC §3: age is counted the way Kazakh law counts a term in years (the Civil Code on the
/// end of a term): "a term counted in years ends on the same month and day of its last
/// year; where that month has no such day, on the month's last day". So a person born on
/// 29 February turns 18 on 28 February of a common year, and on 29 February of a leap year.
/// (chrono's `years_since` waits for 1 March in a common year.)
pub fn age(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let years = u32::try_from(on.year() - birth.year()).ok()?;
    // The birthday in `on`'s year: the same month and day, or that month's last day.
    let day = birth.day().min(days_in_month(on.year(), birth.month()));
    let birthday_reached = (on.month(), on.day()) >= (birth.month(), day);
    Some(if birthday_reached { years } else { years - 1 })
}

/// The number of days of `month` (1–12) in `year`.
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        2 if NaiveDate::from_ymd_opt(year, 2, 29).is_some() => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// E4: a citizen lives in an origin region; a kandas in an origin region or abroad.
fn e4_current_region(region: Region, citizenship: Citizenship, policy: &Policy) -> RuleOutcome {
    if policy.is_origin(region) {
        outcome(RuleId::E4, true, Reason::LivesInOrigin(region))
    } else if region == Region::Abroad && citizenship == Citizenship::Kandas {
        outcome(RuleId::E4, true, Reason::KandasAbroad)
    } else {
        outcome(
            RuleId::E4,
            false,
            Reason::NotFromOrigin {
                region,
                citizenship,
            },
        )
    }
}

/// E5: the destination is a resettlement region and differs from the current region.
fn e5_destination(destination: Region, current: Region, policy: &Policy) -> RuleOutcome {
    if !policy.is_destination(destination) {
        outcome(
            RuleId::E5,
            false,
            Reason::NotResettlementRegion(destination),
        )
    } else if destination == current {
        outcome(RuleId::E5, false, Reason::SameAsCurrent(destination))
    } else {
        outcome(RuleId::E5, true, Reason::DestinationOk(destination))
    }
}

/// E6: no resettlement support received before.
fn e6_prior_support(received: bool) -> RuleOutcome {
    if received {
        outcome(RuleId::E6, false, Reason::PriorSupport)
    } else {
        outcome(RuleId::E6, true, Reason::NoPriorSupport)
    }
}

/// E7: the destination has at least one family place left in the as-of year's quota.
/// Without that year's quota data (a snapshot of another year, such as
/// `QuotaSnapshot::default()` where none could be loaded) no place can be confirmed.
fn e7_quota(region: Region, year: i32, quotas: &QuotaSnapshot) -> RuleOutcome {
    if quotas.year != year {
        return outcome(RuleId::E7, false, Reason::QuotaUnknown { region, year });
    }
    match quotas.status(region, year) {
        Some(q) if q.remaining > 0 => outcome(
            RuleId::E7,
            true,
            Reason::PlacesLeft {
                region,
                year,
                remaining: q.remaining,
            },
        ),
        Some(_) => outcome(RuleId::E7, false, Reason::QuotaExhausted { region, year }),
        None => outcome(RuleId::E7, false, Reason::NoQuota { region, year }),
    }
}

/// A warning, not a failure: since 2013 an IIN's digits need not match personal data.
fn iin_birth_date_caution(iin: &str, declared: NaiveDate) -> Option<Caution> {
    let encoded = Iin::parse(iin).ok()?.encoded_birth_date();
    (encoded != Some(declared)).then_some(Caution::IinBirthDateMismatch { encoded, declared })
}

/// The entitlements of SPEC §3, with the MRP in force on `as_of`.
pub fn entitlements(
    family_size: u32,
    settlement: Settlement,
    as_of: NaiveDate,
    policy: &Policy,
) -> Result<EntitlementAmounts, PolicyError> {
    let mrp = policy.mrp(as_of)?.clone();
    let per_member = in_force!(policy, relocation_subsidy_mrp_per_member, as_of)?.clone();
    let bands = in_force!(policy, monthly_voucher_mrp, as_of)?;
    let months = in_force!(policy, voucher_months, as_of)?;
    let housing = in_force!(policy, employer_housing_limit_mrp, as_of)?.clone();

    let band_list = match settlement {
        Settlement::Urban => &bands.value.urban,
        Settlement::Rural => &bands.value.rural,
    };
    let band_mrp = band_list
        .iter()
        .filter(|b| b.from_members <= family_size)
        .max_by_key(|b| b.from_members)
        .map(|b| b.mrp)
        .unwrap_or(Decimal::ZERO);
    let voucher_mrp = Dated {
        from: bands.from,
        value: band_mrp,
        source: bands.source.clone(),
    };

    Ok(EntitlementAmounts {
        relocation_subsidy: Tenge::new(per_member.value * mrp.value * Decimal::from(family_size)),
        monthly_voucher: Tenge::new(band_mrp * mrp.value),
        voucher_months: months.value,
        employer_housing_limit: Tenge::new(housing.value * mrp.value),
        family_size,
        settlement,
        mrp,
        relocation_mrp_per_member: per_member,
        voucher_mrp,
        voucher_months_source: months.source.clone(),
        housing_limit_mrp: housing,
    })
}
