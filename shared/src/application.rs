//! A resettler's application: the family that moves, and the life of an application from
//! submission to an officer's decision. Whether the applicant qualifies is the eligibility
//! rules' job (`eligibility`), re-run by the server with the current quota on submission.

use crate::{
    api::{Citizenship, Destination, RuleResult, Settlement},
    iin::{IdError, Iin},
    lang::{Lang, Localized},
    region::Region,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// Waiting for the destination region's officer.
    Submitted,
    /// Approved: one family place of the region's quota for the year is taken.
    Approved,
    /// Rejected by the officer, with a reason.
    Rejected,
    /// Taken back by the applicant before a decision.
    Withdrawn,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] = [
        ApplicationStatus::Submitted,
        ApplicationStatus::Approved,
        ApplicationStatus::Rejected,
        ApplicationStatus::Withdrawn,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "submitted",
            ApplicationStatus::Approved => "approved",
            ApplicationStatus::Rejected => "rejected",
            ApplicationStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn from_id(id: &str) -> Option<ApplicationStatus> {
        ApplicationStatus::ALL.into_iter().find(|s| s.id() == id)
    }

    /// An open application blocks another one by the same person: one at a time. An
    /// approved one stays open: the person is then being supported.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted | ApplicationStatus::Approved
        )
    }

    /// Decisions are final: only a submitted application changes, and only once.
    pub fn can_become(self, next: ApplicationStatus) -> bool {
        self == ApplicationStatus::Submitted && next != ApplicationStatus::Submitted
    }
}

/// A family member who moves with the applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FamilyMember {
    pub iin: String,
    pub birth_date: NaiveDate,
}

/// `POST /api/v1/applications`: the family that moves, where to, and the eligibility
/// profile. The applicant's IIN is their account's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitApplication {
    /// Everyone who moves with the applicant (the applicant not included); at most 14.
    #[serde(default)]
    pub family_members: Vec<FamilyMember>,
    pub destination: Destination,
    /// An open vacancy in the destination region the applicant applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancy_id: Option<i64>,
    pub birth_date: NaiveDate,
    pub citizenship: Citizenship,
    pub current_region: Region,
    pub prior_resettlement_support: bool,
}

/// `POST /api/v1/applications/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectApplication {
    /// Why, for the applicant: 1 to 1000 characters.
    pub reason: String,
}

/// Longest rejection reason, in characters.
pub const REASON_MAX_CHARS: usize = 1000;

/// An application as its applicant and the officers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub id: i64,
    pub status: ApplicationStatus,
    pub applicant_id: i64,
    #[cfg_attr(feature = "openapi", schema(example = "900514300121"))]
    pub applicant_iin: String,
    pub family_size: u32,
    pub family_members: Vec<FamilyMember>,
    pub destination: Destination,
    pub vacancy_id: Option<i64>,
    /// The quota year the application counts against (the year it was submitted).
    pub year: i32,
    pub birth_date: NaiveDate,
    pub citizenship: Citizenship,
    pub current_region: Region,
    pub prior_resettlement_support: bool,
    /// The officer's reason, for a rejected application.
    pub reason: Option<String>,
    /// RFC 3339 UTC.
    pub submitted_at: String,
    /// RFC 3339 UTC, once decided.
    pub decided_at: Option<String>,
    /// The tripartite contract made from the application, once the officer has made it.
    #[serde(default)]
    pub contract_id: Option<i64>,
}

/// A page of applications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApplicationList {
    pub items: Vec<Application>,
    /// How many match, on every page.
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// Someone who applied to an employer's vacancy: what the employer needs to get in touch,
/// nothing of the family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VacancyApplicant {
    pub application_id: i64,
    pub status: ApplicationStatus,
    pub family_size: u32,
    pub settlement: Settlement,
    /// The applicant's phone, E.164.
    pub phone: Option<String>,
    pub submitted_at: String,
}

/// The applicants to one vacancy, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VacancyApplicants {
    pub vacancy_id: i64,
    pub items: Vec<VacancyApplicant>,
}

/// The answer to an application that fails eligibility rules: the error, and every rule that
/// failed with its reason in the request's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotEligible {
    pub error: crate::api::ErrorDetail,
    pub rules: Vec<RuleResult>,
}

/// One problem of a request, among several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    pub code: String,
    pub field: String,
    pub message: String,
}

/// A request refused for one or more problems: `error` names the first, `errors` lists all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problems {
    pub error: crate::api::ErrorDetail,
    pub errors: Vec<Problem>,
}

/// One thing wrong with the family, tied to a member (0-based) where it is about one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FamilyProblem {
    /// The member's IIN is not a valid IIN.
    InvalidIin { member: usize, error: IdError },
    /// The same IIN twice, or the applicant's own.
    DuplicateIin { member: usize },
    /// Born after the application date.
    BornInFuture { member: usize },
    /// The family size does not count the applicant and every member.
    SizeMismatch { declared: u32, counted: u32 },
}

impl FamilyProblem {
    /// Where the problem is, as a path in the application request.
    pub fn field(&self) -> String {
        match self {
            FamilyProblem::InvalidIin { member, .. } | FamilyProblem::DuplicateIin { member } => {
                format!("family_members[{member}].iin")
            }
            FamilyProblem::BornInFuture { member } => {
                format!("family_members[{member}].birth_date")
            }
            FamilyProblem::SizeMismatch { .. } => "family_size".into(),
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            FamilyProblem::InvalidIin { .. } => "member_iin_invalid",
            FamilyProblem::DuplicateIin { .. } => "member_iin_duplicate",
            FamilyProblem::BornInFuture { .. } => "member_born_in_future",
            FamilyProblem::SizeMismatch { .. } => "family_size_mismatch",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        let text =
            |kk: String, ru: String, en: String| Localized { kk, ru, en }.get(lang).to_string();
        match self {
            FamilyProblem::InvalidIin { member, .. } => {
                let n = member + 1;
                text(
                    format!("{n}-отбасы мүшесінің ЖСН-і дұрыс емес: 12 цифрды тексеріңіз."),
                    format!("ИИН члена семьи № {n} неверен: проверьте 12 цифр."),
                    format!("Family member {n}'s IIN is not valid: check the 12 digits."),
                )
            }
            FamilyProblem::DuplicateIin { member } => {
                let n = member + 1;
                text(
                    format!("{n}-отбасы мүшесінің ЖСН-і қайталанады."),
                    format!("ИИН члена семьи № {n} повторяется."),
                    format!("Family member {n}'s IIN appears twice."),
                )
            }
            FamilyProblem::BornInFuture { member } => {
                let n = member + 1;
                text(
                    format!("{n}-отбасы мүшесінің туған күні болашақта."),
                    format!("Дата рождения члена семьи № {n} — в будущем."),
                    format!("Family member {n}'s birth date is in the future."),
                )
            }
            FamilyProblem::SizeMismatch { declared, counted } => text(
                format!("Отбасы саны {declared}, бірақ сізбен бірге {counted} адам көрсетілген."),
                format!("Указан размер семьи {declared}, а с вами перечислено {counted} чел."),
                format!(
                    "The family size is {declared}, but {counted} people are listed, you included."
                ),
            ),
        }
    }
}

/// Every problem with the family: the applicant plus `members` must be `family_size`
/// people, each with a valid, distinct IIN and a birth date not after `today`.
pub fn family_problems(
    applicant_iin: &str,
    members: &[FamilyMember],
    family_size: u32,
    today: NaiveDate,
) -> Vec<FamilyProblem> {
    let mut found = Vec::new();
    let mut seen = vec![applicant_iin.trim().to_string()];
    for (member, m) in members.iter().enumerate() {
        let iin = m.iin.trim();
        if let Err(error) = Iin::parse(iin) {
            found.push(FamilyProblem::InvalidIin { member, error });
        } else if seen.iter().any(|s| s == iin) {
            found.push(FamilyProblem::DuplicateIin { member });
        }
        seen.push(iin.to_string());
        if m.birth_date > today {
            found.push(FamilyProblem::BornInFuture { member });
        }
    }
    let counted = u32::try_from(members.len())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    if counted != family_size {
        found.push(FamilyProblem::SizeMismatch {
            declared: family_size,
            counted,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Generated IINs with valid check digits (no real people's).
    fn valid_iin(born: &str, serial: u32) -> String {
        (0..10)
            .map(|check| format!("{born}{serial:04}{check}"))
            .find(|iin| Iin::parse(iin).is_ok())
            .expect("some check digit is valid")
    }

    #[test]
    fn only_a_submitted_application_changes_and_only_once() {
        use ApplicationStatus::*;
        assert!(Submitted.can_become(Approved));
        assert!(Submitted.can_become(Rejected));
        assert!(Submitted.can_become(Withdrawn));
        for done in [Approved, Rejected, Withdrawn] {
            for next in ApplicationStatus::ALL {
                assert!(!done.can_become(next), "{done:?} → {next:?}");
            }
        }
        assert!(Submitted.is_open() && Approved.is_open());
        assert!(!Rejected.is_open() && !Withdrawn.is_open());
        for s in ApplicationStatus::ALL {
            assert_eq!(ApplicationStatus::from_id(s.id()), Some(s));
        }
    }

    #[test]
    fn a_family_of_three_with_valid_distinct_iins_is_fine() {
        let applicant = valid_iin("9005143", 12);
        let members = [
            FamilyMember {
                iin: valid_iin("9203104", 1),
                birth_date: date("1992-03-10"),
            },
            FamilyMember {
                iin: valid_iin("1506015", 2),
                birth_date: date("2015-06-01"),
            },
        ];
        assert_eq!(
            family_problems(&applicant, &members, 3, date("2026-03-01")),
            []
        );
    }

    #[test]
    fn each_problem_is_found_and_placed() {
        let applicant = valid_iin("9005143", 12);
        let members = [
            FamilyMember {
                iin: "123".into(),
                birth_date: date("1992-03-10"),
            },
            FamilyMember {
                iin: applicant.clone(),
                birth_date: date("2027-01-01"),
            },
        ];
        let found = family_problems(&applicant, &members, 2, date("2026-03-01"));
        let got: Vec<(String, &str)> = found.iter().map(|p| (p.field(), p.code())).collect();
        assert_eq!(
            got,
            [
                ("family_members[0].iin".to_string(), "member_iin_invalid"),
                ("family_members[1].iin".to_string(), "member_iin_duplicate"),
                (
                    "family_members[1].birth_date".to_string(),
                    "member_born_in_future"
                ),
                ("family_size".to_string(), "family_size_mismatch"),
            ]
        );
        for p in &found {
            for lang in Lang::ALL {
                assert!(!p.message(lang).is_empty());
            }
        }
    }
}
