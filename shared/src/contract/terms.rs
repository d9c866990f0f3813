//! The terms of a contract, fixed when the region's officer creates it (SPEC §5).
//!
//! The parties are the resettler (account and IIN), the employer (account and BIN, through
//! the vacancy) and the akimat of the contract's region. The akimat is a party as an
//! institution, named by the region: any officer of that region may sign for it, and the
//! signature record says which officer's key signed. Naming one officer in the terms would
//! void every signature when that officer leaves.
//!
//! The amounts and thresholds that depend on the policy — the housing compensation limit,
//! the required confirmed months and the breach threshold — are taken from the policy in
//! force on the creation date and written into the terms, so a later policy change never
//! changes a signed contract.

use crate::{
    iin::{Bin, IdError, Iin},
    in_force,
    lang::{Lang, Localized},
    ledger::Month,
    policy::{Dated, Policy, PolicyError},
    region::Region,
    vacancy::TITLE_MAX_CHARS,
    Tenge,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The version of the canonical encoding the terms are signed in. A contract keeps its
/// format for life, so its signatures stay checkable after a new format is introduced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    V1,
}

/// What the officer chooses when creating a contract from an approved application and the
/// vacancy it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermsDraft {
    pub resettler_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub resettler_iin: String,
    pub employer_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "971240001315"))]
    pub employer_bin: String,
    pub region: Region,
    pub vacancy_id: i64,
    /// The vacancy's title.
    pub position: String,
    /// Gross monthly salary, KZT.
    pub monthly_salary: Tenge,
    /// The first month of residence and work the contract counts.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-04"))]
    pub start_month: Month,
    /// The employer's declared housing costs for the resettler, KZT.
    pub declared_housing_costs: Tenge,
}

/// The terms every party signs. Build them with [`ContractTerms::fix`]; any change to them
/// changes the fingerprint and so voids every earlier signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractTerms {
    pub format: Format,
    pub contract_id: i64,
    /// The day the terms were fixed: the policy of that day sets the limit and thresholds.
    pub created_on: NaiveDate,
    pub resettler_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub resettler_iin: String,
    pub employer_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "971240001315"))]
    pub employer_bin: String,
    /// The destination region; its akimat is the third party.
    pub region: Region,
    pub vacancy_id: i64,
    pub position: String,
    pub monthly_salary: Tenge,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-04"))]
    pub start_month: Month,
    /// `employer_housing_limit_mrp` × MRP, both in force on `created_on`.
    pub housing_limit: Tenge,
    pub declared_housing_costs: Tenge,
    /// Confirmed months before the employer is paid.
    pub required_months: u32,
    /// Consecutive unconfirmed months that breach the contract.
    pub breach_threshold: u32,
}

impl ContractTerms {
    /// The terms of contract `contract_id` created on `created_on`, or every problem of the
    /// draft (in field order).
    pub fn fix(
        contract_id: i64,
        draft: TermsDraft,
        created_on: NaiveDate,
        policy: &Policy,
    ) -> Result<ContractTerms, Vec<TermsProblem>> {
        let mut found = Vec::new();
        if let Err(e) = Iin::parse(&draft.resettler_iin) {
            found.push(TermsProblem::ResettlerIin(e));
        }
        if let Err(e) = Bin::parse(&draft.employer_bin) {
            found.push(TermsProblem::EmployerBin(e));
        }
        if !policy.is_destination(draft.region) {
            found.push(TermsProblem::NotDestination);
        }
        let position = draft.position.trim().chars().count();
        if position == 0 {
            found.push(TermsProblem::PositionMissing);
        } else if position > TITLE_MAX_CHARS {
            found.push(TermsProblem::PositionTooLong);
        }
        let fixed = PolicyTerms::on(created_on, policy);
        match &fixed {
            Ok(fixed) if draft.monthly_salary.amount() < fixed.minimum_wage.value => {
                found.push(TermsProblem::SalaryBelowMinimum {
                    minimum: Tenge::new(fixed.minimum_wage.value),
                    from: fixed.minimum_wage.from,
                })
            }
            Ok(_) => {}
            Err(e) => found.push(TermsProblem::NoPolicy(e.clone())),
        }
        if draft.start_month < Month::of(created_on) {
            found.push(TermsProblem::StartBeforeCreation);
        }
        if draft.declared_housing_costs.amount() <= Decimal::ZERO {
            found.push(TermsProblem::HousingCostsNotPositive);
        }
        match fixed {
            Ok(fixed) if found.is_empty() => Ok(ContractTerms {
                format: Format::V1,
                contract_id,
                created_on,
                resettler_id: draft.resettler_id,
                resettler_iin: draft.resettler_iin,
                employer_id: draft.employer_id,
                employer_bin: draft.employer_bin,
                region: draft.region,
                vacancy_id: draft.vacancy_id,
                position: draft.position.trim().to_string(),
                monthly_salary: draft.monthly_salary,
                start_month: draft.start_month,
                housing_limit: fixed.housing_limit,
                declared_housing_costs: draft.declared_housing_costs,
                required_months: fixed.required_months,
                breach_threshold: fixed.breach_threshold,
            }),
            _ => Err(found),
        }
    }

    /// What the employer is paid on fulfilment: the declared housing costs, at most the
    /// limit.
    pub fn payout(&self) -> Tenge {
        self.declared_housing_costs.min(self.housing_limit)
    }

    /// The last month the contract can run to. Every month brings a confirmation or extends
    /// a run of unconfirmed ones, so after `required_months` × `breach_threshold` months
    /// (72 with 24 and 3: two unconfirmed months before each confirmed one) the contract is
    /// necessarily fulfilled or breached. Confirmations for later months mean nothing.
    pub fn last_month(&self) -> Month {
        let months = self
            .required_months
            .saturating_mul(self.breach_threshold.max(1));
        self.start_month
            .plus(months.saturating_sub(1))
            .unwrap_or(Month::new(9999, 12).expect("a valid month"))
    }

    /// Whether `month` is one of the contract's months: from the start month to
    /// [`ContractTerms::last_month`], both included.
    pub fn contains(&self, month: Month) -> bool {
        self.start_month <= month && month <= self.last_month()
    }
}

/// What the policy in force on the creation date sets for a contract.
struct PolicyTerms {
    minimum_wage: Dated<Decimal>,
    housing_limit: Tenge,
    required_months: u32,
    breach_threshold: u32,
}

impl PolicyTerms {
    fn on(date: NaiveDate, policy: &Policy) -> Result<PolicyTerms, PolicyError> {
        let mrp = policy.mrp(date)?.value;
        let limit_mrp = in_force!(policy, employer_housing_limit_mrp, date)?.value;
        Ok(PolicyTerms {
            minimum_wage: policy.minimum_wage(date)?.clone(),
            housing_limit: Tenge::new(limit_mrp * mrp),
            required_months: in_force!(policy, employer_required_confirmed_months, date)?.value,
            breach_threshold: in_force!(policy, breach_consecutive_unconfirmed_months, date)?.value,
        })
    }
}

/// One thing wrong with a contract draft, tied to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermsProblem {
    ResettlerIin(IdError),
    EmployerBin(IdError),
    /// Contracts are made in resettlement regions only.
    NotDestination,
    PositionMissing,
    PositionTooLong,
    /// Below the minimum monthly wage in force on the creation date.
    SalaryBelowMinimum {
        minimum: Tenge,
        from: NaiveDate,
    },
    /// The contract cannot count months before it exists.
    StartBeforeCreation,
    HousingCostsNotPositive,
    /// A parameter the terms need is not in force on the creation date.
    NoPolicy(PolicyError),
}

impl TermsProblem {
    /// The field of [`TermsDraft`] the problem is in.
    pub fn field(&self) -> &'static str {
        match self {
            TermsProblem::ResettlerIin(_) => "resettler_iin",
            TermsProblem::EmployerBin(_) => "employer_bin",
            TermsProblem::NotDestination => "region",
            TermsProblem::PositionMissing | TermsProblem::PositionTooLong => "position",
            TermsProblem::SalaryBelowMinimum { .. } => "monthly_salary",
            TermsProblem::StartBeforeCreation => "start_month",
            TermsProblem::HousingCostsNotPositive => "declared_housing_costs",
            TermsProblem::NoPolicy(_) => "created_on",
        }
    }

    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            TermsProblem::ResettlerIin(_) => "iin_invalid",
            TermsProblem::EmployerBin(_) => "bin_invalid",
            TermsProblem::NotDestination => "region_not_destination",
            TermsProblem::PositionMissing => "position_missing",
            TermsProblem::PositionTooLong => "position_too_long",
            TermsProblem::SalaryBelowMinimum { .. } => "salary_below_minimum",
            TermsProblem::StartBeforeCreation => "start_before_creation",
            TermsProblem::HousingCostsNotPositive => "housing_costs_not_positive",
            TermsProblem::NoPolicy(_) => "policy_not_in_force",
        }
    }

    /// What to tell the officer, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let text =
            |kk: String, ru: String, en: String| Localized { kk, ru, en }.get(lang).to_string();
        match self {
            TermsProblem::ResettlerIin(e) => text(
                format!("Қоныс аударушының ЖСН-і жарамсыз ({e})."),
                format!("ИИН переселенца недействителен ({e})."),
                format!("The resettler's IIN is not valid ({e})."),
            ),
            TermsProblem::EmployerBin(e) => text(
                format!("Жұмыс берушінің БСН-і жарамсыз ({e})."),
                format!("БИН работодателя недействителен ({e})."),
                format!("The employer's BIN is not valid ({e})."),
            ),
            TermsProblem::NotDestination => text(
                "Шарт қоныс аударушыларды қабылдайтын өңірде ғана жасалады.".into(),
                "Договор заключается только в регионе, принимающем переселенцев.".into(),
                "A contract is made only in a region that receives resettlers.".into(),
            ),
            TermsProblem::PositionMissing => text(
                "Лауазымды көрсетіңіз.".into(),
                "Укажите должность.".into(),
                "Enter the position.".into(),
            ),
            TermsProblem::PositionTooLong => text(
                format!("Лауазым {TITLE_MAX_CHARS} таңбадан аспауы керек."),
                format!("Должность — не длиннее {TITLE_MAX_CHARS} символов."),
                format!("The position must be at most {TITLE_MAX_CHARS} characters."),
            ),
            TermsProblem::SalaryBelowMinimum { minimum, from } => {
                let (amount, date) = (minimum.grouped(), crate::date::format(*from, lang));
                text(
                    format!("Жалақы ең төменгі жалақыдан кем болмауы керек: {amount} ₸ ({date} бастап)."),
                    format!("Зарплата не может быть ниже минимальной: {amount} ₸ (с {date})."),
                    format!("The salary cannot be below the minimum wage: {amount} ₸ (from {date})."),
                )
            }
            TermsProblem::StartBeforeCreation => text(
                "Шарт жасалған айдан ерте басталмайды.".into(),
                "Договор не может начинаться раньше месяца его заключения.".into(),
                "The contract cannot start before the month it is made.".into(),
            ),
            TermsProblem::HousingCostsNotPositive => text(
                "Тұрғын үй шығындары нөлден көп болуы керек.".into(),
                "Расходы на жильё должны быть больше нуля.".into(),
                "The housing costs must be more than zero.".into(),
            ),
            TermsProblem::NoPolicy(_) => text(
                "Бұл күнге шарттың параметрлері белгіленбеген.".into(),
                "На эту дату параметры договора не установлены.".into(),
                "The contract's parameters are not in force on this date.".into(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{api::Settlement, eligibility::entitlements};

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn tenge(n: i64) -> Tenge {
        Tenge::new(Decimal::from(n))
    }

    fn draft() -> TermsDraft {
        TermsDraft {
            resettler_id: 5,
            resettler_iin: "900514300121".into(),
            employer_id: 9,
            employer_bin: "971240001315".into(),
            region: Region::NorthKazakhstan,
            vacancy_id: 3,
            position: " Welder ".into(),
            monthly_salary: tenge(250_000),
            start_month: Month::new(2026, 4).unwrap(),
            declared_housing_costs: tenge(1_200_000),
        }
    }

    fn codes(draft: TermsDraft) -> Vec<&'static str> {
        match ContractTerms::fix(1, draft, date("2026-03-02"), Policy::current()) {
            Ok(_) => vec![],
            Err(found) => found.iter().map(TermsProblem::code).collect(),
        }
    }

    #[test]
    fn the_policy_of_the_creation_day_is_fixed_in_the_terms() {
        let terms = ContractTerms::fix(1, draft(), date("2026-03-02"), Policy::current()).unwrap();
        // SPEC §3's example: 450 MRP of 2026 is 1 946 250 KZT.
        assert_eq!(terms.housing_limit, tenge(1_946_250));
        assert_eq!((terms.required_months, terms.breach_threshold), (24, 3));
        assert_eq!(terms.position, "Welder");
        // The limit in 2025 uses the MRP of 2025.
        let mut early = draft();
        early.start_month = Month::new(2025, 6).unwrap();
        let terms = ContractTerms::fix(1, early, date("2025-06-01"), Policy::current()).unwrap();
        assert_eq!(terms.housing_limit, tenge(450 * 3932));
    }

    #[test]
    fn the_limit_is_the_eligibility_checks_employer_housing_limit() {
        for day in ["2024-01-01", "2025-07-15", "2026-12-31"] {
            let mut d = draft();
            d.start_month = Month::of(date(day));
            let terms = ContractTerms::fix(1, d, date(day), Policy::current()).unwrap();
            let shown = entitlements(1, Settlement::Urban, date(day), Policy::current())
                .unwrap()
                .employer_housing_limit;
            assert_eq!(terms.housing_limit, shown, "{day}");
        }
    }

    #[test]
    fn the_payout_is_the_declared_costs_up_to_the_limit() {
        let mut terms =
            ContractTerms::fix(1, draft(), date("2026-03-02"), Policy::current()).unwrap();
        assert_eq!(terms.payout(), tenge(1_200_000));
        terms.declared_housing_costs = tenge(3_000_000);
        assert_eq!(terms.payout(), tenge(1_946_250));
    }

    #[test]
    fn a_salary_below_the_minimum_wage_of_the_creation_day_is_refused() {
        let mut d = draft();
        d.monthly_salary = tenge(85_000);
        assert!(
            codes(d.clone()).is_empty(),
            "exactly the minimum is allowed"
        );
        d.monthly_salary = tenge(84_999);
        assert_eq!(codes(d), ["salary_below_minimum"]);
    }

    #[test]
    fn every_problem_is_reported_with_its_field_and_message() {
        let d = TermsDraft {
            resettler_iin: "900514300123".into(),
            employer_bin: "821214240092".into(),
            region: Region::Turkestan,
            position: "  ".into(),
            monthly_salary: tenge(1_000),
            start_month: Month::new(2026, 2).unwrap(),
            declared_housing_costs: Tenge::ZERO,
            ..draft()
        };
        let found = ContractTerms::fix(1, d, date("2026-03-02"), Policy::current()).unwrap_err();
        let fields: Vec<&str> = found.iter().map(TermsProblem::field).collect();
        assert_eq!(
            fields,
            [
                "resettler_iin",
                "employer_bin",
                "region",
                "position",
                "monthly_salary",
                "start_month",
                "declared_housing_costs"
            ]
        );
        for problem in &found {
            for lang in Lang::ALL {
                assert!(!problem.message(lang).is_empty());
            }
        }
    }

    #[test]
    fn no_terms_before_the_policy_begins() {
        let mut d = draft();
        d.start_month = Month::new(2020, 1).unwrap();
        let found = ContractTerms::fix(1, d, date("2020-01-01"), Policy::current()).unwrap_err();
        let codes: Vec<&str> = found.iter().map(TermsProblem::code).collect();
        assert_eq!(codes, ["policy_not_in_force"]);
    }

    #[test]
    fn the_contract_runs_at_most_required_times_threshold_months() {
        let terms = ContractTerms::fix(1, draft(), date("2026-03-02"), Policy::current()).unwrap();
        // 72 months from April 2026: to March 2032.
        assert_eq!(terms.last_month(), Month::new(2032, 3).unwrap());
        assert!(terms.contains(Month::new(2026, 4).unwrap()));
        assert!(terms.contains(Month::new(2032, 3).unwrap()));
        assert!(!terms.contains(Month::new(2026, 3).unwrap()));
        assert!(!terms.contains(Month::new(2032, 4).unwrap()));
    }
}
