//! What makes a vacancy valid: employers post them for resettlers, in a destination region,
//! paying at least the minimum monthly wage in force. The app checks the form with these
//! rules and the server enforces them.

use crate::{
    api::Settlement,
    lang::{Lang, Localized},
    policy::{Policy, PolicyError},
    region::Region,
    Tenge,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 120;
/// Longest description, in characters.
pub const DESCRIPTION_MAX_CHARS: usize = 4000;
/// Most places one vacancy may offer.
pub const PLACES_MAX: u32 = 500;

/// A vacancy as the employer writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VacancyDraft {
    pub title: String,
    pub description: String,
    pub region: Region,
    pub settlement: Settlement,
    /// Gross monthly salary, KZT.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "250000"))]
    pub monthly_salary: Tenge,
    /// How many people the employer will hire.
    pub places: u32,
    /// Whether the employer provides housing.
    pub housing_provided: bool,
}

/// Whether a vacancy takes applications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum VacancyStatus {
    Open,
    Closed,
}

impl VacancyStatus {
    pub fn id(self) -> &'static str {
        match self {
            VacancyStatus::Open => "open",
            VacancyStatus::Closed => "closed",
        }
    }

    pub fn from_id(id: &str) -> Option<VacancyStatus> {
        [VacancyStatus::Open, VacancyStatus::Closed]
            .into_iter()
            .find(|s| s.id() == id)
    }
}

/// A published vacancy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Vacancy {
    pub id: i64,
    pub employer_id: i64,
    /// The employer's organisation name.
    pub organisation: String,
    pub title: String,
    pub description: String,
    pub region: Region,
    pub settlement: Settlement,
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "250000"))]
    pub monthly_salary: Tenge,
    pub places: u32,
    pub housing_provided: bool,
    pub status: VacancyStatus,
    /// RFC 3339 UTC.
    pub created_at: String,
    pub updated_at: String,
}

/// A page of vacancies, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VacancyList {
    pub items: Vec<Vacancy>,
    /// How many match, on every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// One thing wrong with a vacancy, tied to its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VacancyProblem {
    TitleMissing,
    TitleTooLong,
    DescriptionMissing,
    DescriptionTooLong,
    /// Resettlers move only to destination regions.
    NotDestination,
    /// Below the minimum monthly wage in force on the date (Labour Code).
    SalaryBelowMinimum {
        minimum: Tenge,
        from: NaiveDate,
    },
    PlacesOutOfRange,
    /// The policy has no minimum wage for the date.
    NoPolicy(PolicyError),
}

impl VacancyProblem {
    /// The field of [`VacancyDraft`] the problem is in.
    pub fn field(&self) -> &'static str {
        match self {
            VacancyProblem::TitleMissing | VacancyProblem::TitleTooLong => "title",
            VacancyProblem::DescriptionMissing | VacancyProblem::DescriptionTooLong => {
                "description"
            }
            VacancyProblem::NotDestination => "region",
            VacancyProblem::SalaryBelowMinimum { .. } | VacancyProblem::NoPolicy(_) => {
                "monthly_salary"
            }
            VacancyProblem::PlacesOutOfRange => "places",
        }
    }

    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            VacancyProblem::TitleMissing => "title_missing",
            VacancyProblem::TitleTooLong => "title_too_long",
            VacancyProblem::DescriptionMissing => "description_missing",
            VacancyProblem::DescriptionTooLong => "description_too_long",
            VacancyProblem::NotDestination => "region_not_destination",
            VacancyProblem::SalaryBelowMinimum { .. } => "salary_below_minimum",
            VacancyProblem::PlacesOutOfRange => "places_out_of_range",
            VacancyProblem::NoPolicy(_) => "policy_not_in_force",
        }
    }

    /// What to tell the employer, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let text =
            |kk: String, ru: String, en: String| Localized { kk, ru, en }.get(lang).to_string();
        match self {
            VacancyProblem::TitleMissing => text(
                "Лауазым атауын жазыңыз.".into(),
                "Укажите название должности.".into(),
                "Enter the job title.".into(),
            ),
            VacancyProblem::TitleTooLong => text(
                format!("Атауы {TITLE_MAX_CHARS} таңбадан аспауы керек."),
                format!("Название — не длиннее {TITLE_MAX_CHARS} символов."),
                format!("The title must be at most {TITLE_MAX_CHARS} characters."),
            ),
            VacancyProblem::DescriptionMissing => text(
                "Жұмысты сипаттаңыз.".into(),
                "Опишите работу.".into(),
                "Describe the job.".into(),
            ),
            VacancyProblem::DescriptionTooLong => text(
                format!("Сипаттама {DESCRIPTION_MAX_CHARS} таңбадан аспауы керек."),
                format!("Описание — не длиннее {DESCRIPTION_MAX_CHARS} символов."),
                format!("The description must be at most {DESCRIPTION_MAX_CHARS} characters."),
            ),
            VacancyProblem::NotDestination => text(
                "Бос орын қоныс аударушыларды қабылдайтын өңірде болуы керек.".into(),
                "Вакансия должна быть в регионе, принимающем переселенцев.".into(),
                "The vacancy must be in a region that receives resettlers.".into(),
            ),
            VacancyProblem::SalaryBelowMinimum { minimum, from } => {
                let (amount, date) = (minimum.grouped(), crate::date::format(*from, lang));
                text(
                    format!("Жалақы ең төменгі жалақыдан кем болмауы керек: {amount} ₸ ({date} бастап)."),
                    format!("Зарплата не может быть ниже минимальной: {amount} ₸ (с {date})."),
                    format!("The salary cannot be below the minimum wage: {amount} ₸ (from {date})."),
                )
            }
            VacancyProblem::PlacesOutOfRange => text(
                format!("Орын саны: 1-ден {PLACES_MAX}-ге дейін."),
                format!("Число мест — от 1 до {PLACES_MAX}."),
                format!("Places: from 1 to {PLACES_MAX}."),
            ),
            VacancyProblem::NoPolicy(_) => text(
                "Бұл күнге ең төменгі жалақы белгіленбеген.".into(),
                "На эту дату минимальная зарплата не установлена.".into(),
                "No minimum wage is in force on this date.".into(),
            ),
        }
    }
}

/// Every problem of `draft` on `date`, in field order; empty when it may be published.
pub fn problems(draft: &VacancyDraft, date: NaiveDate, policy: &Policy) -> Vec<VacancyProblem> {
    let mut found = Vec::new();
    let title = draft.title.trim().chars().count();
    if title == 0 {
        found.push(VacancyProblem::TitleMissing);
    } else if title > TITLE_MAX_CHARS {
        found.push(VacancyProblem::TitleTooLong);
    }
    let description = draft.description.trim().chars().count();
    if description == 0 {
        found.push(VacancyProblem::DescriptionMissing);
    } else if description > DESCRIPTION_MAX_CHARS {
        found.push(VacancyProblem::DescriptionTooLong);
    }
    if !policy.is_destination(draft.region) {
        found.push(VacancyProblem::NotDestination);
    }
    match policy.minimum_wage(date) {
        Ok(wage) if draft.monthly_salary.amount() < wage.value => {
            found.push(VacancyProblem::SalaryBelowMinimum {
                minimum: Tenge::new(wage.value),
                from: wage.from,
            })
        }
        Ok(_) => {}
        Err(e) => found.push(VacancyProblem::NoPolicy(e)),
    }
    if !(1..=PLACES_MAX).contains(&draft.places) {
        found.push(VacancyProblem::PlacesOutOfRange);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn draft() -> VacancyDraft {
        VacancyDraft {
            title: "Welder".into(),
            description: "Shift work at the Petropavl plant.".into(),
            region: Region::NorthKazakhstan,
            settlement: Settlement::Urban,
            monthly_salary: Tenge::new(Decimal::from(250_000)),
            places: 5,
            housing_provided: true,
        }
    }

    fn codes(d: &VacancyDraft) -> Vec<&'static str> {
        problems(d, date("2026-03-01"), Policy::current())
            .iter()
            .map(VacancyProblem::code)
            .collect()
    }

    #[test]
    fn a_good_vacancy_has_no_problems() {
        assert!(codes(&draft()).is_empty());
    }

    #[test]
    fn the_minimum_wage_in_force_is_the_floor() {
        let minimum = Policy::current()
            .minimum_wage(date("2026-03-01"))
            .unwrap()
            .value;
        let mut d = draft();
        d.monthly_salary = Tenge::new(minimum);
        assert!(codes(&d).is_empty(), "exactly the minimum is allowed");
        d.monthly_salary = Tenge::new(minimum - Decimal::ONE);
        assert_eq!(codes(&d), ["salary_below_minimum"]);
        let problem = &problems(&d, date("2026-03-01"), Policy::current())[0];
        assert_eq!(problem.field(), "monthly_salary");
        assert!(
            problem.message(Lang::Ru).contains("85\u{202F}000"),
            "{}",
            problem.message(Lang::Ru)
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_field() {
        let d = VacancyDraft {
            title: " ".into(),
            description: "x".repeat(DESCRIPTION_MAX_CHARS + 1),
            region: Region::Turkestan,
            monthly_salary: Tenge::new(Decimal::from(1000)),
            places: 0,
            ..draft()
        };
        let found = problems(&d, date("2026-03-01"), Policy::current());
        let fields: Vec<&str> = found.iter().map(VacancyProblem::field).collect();
        assert_eq!(
            fields,
            ["title", "description", "region", "monthly_salary", "places"]
        );
        for problem in &found {
            for lang in Lang::ALL {
                assert!(!problem.message(lang).is_empty());
            }
        }
    }

    #[test]
    fn no_policy_before_its_first_date() {
        let found = problems(&draft(), date("2020-01-01"), Policy::current());
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code(), "policy_not_in_force");
    }
}
