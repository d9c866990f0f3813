//! The checker form's state and its field-level checks.
//!
//! Field checks only decide whether a request can be built and what to tell the person next
//! to a field; whether they qualify is decided by the shared rules (E1–E7).

use crate::i18n::{tf, Key};
use chrono::NaiveDate;
use leptos::prelude::*;
use shared::{
    api::{Applicant, Citizenship, Destination, EligibilityRequest, FamilySize, Settlement},
    iin::{IdError, Iin},
    Lang, Region,
};

/// The form fields that can have a problem; `id` is the element id (a stable test hook).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Iin,
    BirthDate,
    CurrentRegion,
    FamilySize,
    Destination,
}

impl Field {
    pub fn id(self) -> &'static str {
        match self {
            Field::Iin => "iin",
            Field::BirthDate => "birth_date",
            Field::CurrentRegion => "current_region",
            Field::FamilySize => "family_size",
            Field::Destination => "destination_region",
        }
    }

    /// The id of the element holding this field's problem text.
    pub fn error_id(self) -> String {
        format!("{}-error", self.id())
    }

    pub fn label(self) -> Key {
        match self {
            Field::Iin => Key::LabelIin,
            Field::BirthDate => Key::LabelBirthDate,
            Field::CurrentRegion => Key::LabelCurrentRegion,
            Field::FamilySize => Key::LabelFamilySize,
            Field::Destination => Key::LabelDestination,
        }
    }
}

/// What is wrong with a field's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Missing,
    IinNotDigits,
    IinLength(usize),
    IinInvalid,
    DateInvalid,
    FamilySizeRange,
}

impl Problem {
    pub fn message(self, field: Field, lang: Lang) -> String {
        match (self, field) {
            (Problem::Missing, Field::Iin) => tf(lang, Key::ErrIinMissing, &[]),
            (Problem::Missing, Field::BirthDate) => tf(lang, Key::ErrBirthMissing, &[]),
            (Problem::Missing, Field::FamilySize) => tf(
                lang,
                Key::ErrFamilySize,
                &[&FamilySize::MIN.to_string(), &FamilySize::MAX.to_string()],
            ),
            (Problem::Missing, _) => tf(lang, Key::ErrRegionMissing, &[]),
            (Problem::IinNotDigits, _) => tf(lang, Key::ErrIinNotDigits, &[]),
            (Problem::IinLength(n), _) => tf(lang, Key::ErrIinLength, &[&n.to_string()]),
            (Problem::IinInvalid, _) => tf(lang, Key::ErrIinInvalid, &[]),
            (Problem::FamilySizeRange, _) => tf(
                lang,
                Key::ErrFamilySize,
                &[&FamilySize::MIN.to_string(), &FamilySize::MAX.to_string()],
            ),
            (Problem::DateInvalid, _) => tf(lang, Key::ErrBirthInvalid, &[]),
        }
    }

    /// Shown as soon as the person types, not only after they leave the field: a wrong
    /// length or a letter in the IIN is worth saying at once.
    pub fn shows_while_typing(self) -> bool {
        !matches!(self, Problem::Missing)
    }
}

/// A snapshot of what is typed in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub iin: String,
    pub birth_date: String,
    pub citizenship: Citizenship,
    pub current_region: Option<Region>,
    pub family_size: String,
    pub destination: Option<Region>,
    pub settlement: Settlement,
    pub prior_support: bool,
}

impl Default for Draft {
    fn default() -> Draft {
        Draft {
            iin: String::new(),
            birth_date: String::new(),
            citizenship: Citizenship::Citizen,
            current_region: None,
            family_size: "1".into(),
            destination: None,
            settlement: Settlement::Urban,
            prior_support: false,
        }
    }
}

impl Draft {
    /// The IIN field's problem. Full validity is rule E1's job; this only guides typing.
    pub fn iin_problem(&self) -> Option<Problem> {
        let iin = self.iin.trim();
        if iin.is_empty() {
            Some(Problem::Missing)
        } else if !iin.chars().all(|c| c.is_ascii_digit()) {
            Some(Problem::IinNotDigits)
        } else {
            match Iin::parse(iin) {
                Ok(_) => None,
                Err(IdError::Length | IdError::NotDigits) => Some(Problem::IinLength(iin.len())),
                Err(_) => Some(Problem::IinInvalid),
            }
        }
    }

    pub fn birth_date(&self) -> Result<NaiveDate, Problem> {
        let text = self.birth_date.trim();
        if text.is_empty() {
            Err(Problem::Missing)
        } else {
            shared::date::parse_iso(text).ok_or(Problem::DateInvalid)
        }
    }

    pub fn family_size(&self) -> Result<FamilySize, Problem> {
        let text = self.family_size.trim();
        if text.is_empty() {
            return Err(Problem::Missing);
        }
        text.parse::<u32>()
            .ok()
            .and_then(|n| FamilySize::try_from(n).ok())
            .ok_or(Problem::FamilySizeRange)
    }

    /// The problem of each field, if any, in form order.
    pub fn problem(&self, field: Field) -> Option<Problem> {
        match field {
            Field::Iin => self.iin_problem(),
            Field::BirthDate => self.birth_date().err(),
            Field::CurrentRegion => self.current_region.is_none().then_some(Problem::Missing),
            Field::FamilySize => self.family_size().err(),
            Field::Destination => self.destination.is_none().then_some(Problem::Missing),
        }
    }

    /// The API request, or the fields that must be completed first. The IIN never blocks:
    /// any text is accepted and rule E1 explains what is wrong with it.
    pub fn to_request(&self, as_of: NaiveDate) -> Result<EligibilityRequest, Vec<Field>> {
        let missing: Vec<Field> = [
            Field::BirthDate,
            Field::CurrentRegion,
            Field::FamilySize,
            Field::Destination,
        ]
        .into_iter()
        .filter(|f| self.problem(*f).is_some())
        .collect();
        match (
            self.birth_date(),
            self.current_region,
            self.family_size(),
            self.destination,
        ) {
            (Ok(birth_date), Some(current_region), Ok(family_size), Some(region)) => {
                Ok(EligibilityRequest {
                    as_of: Some(as_of),
                    applicant: Applicant {
                        iin: self.iin.trim().to_string(),
                        birth_date,
                        citizenship: self.citizenship,
                        current_region,
                        prior_resettlement_support: self.prior_support,
                    },
                    family_size,
                    destination: Destination {
                        region,
                        settlement: self.settlement,
                    },
                })
            }
            _ => Err(missing),
        }
    }
}

/// The form's reactive state. Lives above the routes so the answers survive a language
/// switch or a visit to the home page.
#[derive(Clone, Copy)]
pub struct FormState {
    pub draft: RwSignal<Draft>,
    /// Fields the person has left at least once: only then is "missing" worth saying.
    pub touched: RwSignal<Vec<Field>>,
    /// Set when the person asks for a server check with an incomplete form.
    pub show_all: RwSignal<bool>,
}

impl FormState {
    pub fn new() -> FormState {
        FormState::with_draft(Draft::default())
    }

    pub fn with_draft(draft: Draft) -> FormState {
        FormState {
            draft: RwSignal::new(draft),
            touched: RwSignal::new(Vec::new()),
            show_all: RwSignal::new(false),
        }
    }

    pub fn touch(&self, field: Field) {
        if !self.touched.with_untracked(|t| t.contains(&field)) {
            self.touched.update(|t| t.push(field));
        }
    }

    /// The problem to show next to `field` now, if any.
    pub fn visible_problem(&self, field: Field) -> Option<Problem> {
        let problem = self.draft.with(|d| d.problem(field))?;
        let shown = problem.shows_while_typing()
            || self.show_all.get()
            || self.touched.with(|t| t.contains(&field));
        shown.then_some(problem)
    }
}

impl Default for FormState {
    fn default() -> FormState {
        FormState::new()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The form filled in with the SPEC §7 example.
    pub(crate) fn complete() -> Draft {
        Draft {
            iin: "900514300121".into(),
            birth_date: "1990-05-14".into(),
            current_region: Some(Region::Turkestan),
            family_size: "3".into(),
            destination: Some(Region::NorthKazakhstan),
            ..Draft::default()
        }
    }

    /// The as-of date of the SPEC §3 worked example.
    pub(crate) fn as_of() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
    }

    #[test]
    fn a_complete_draft_builds_the_spec_request() {
        let req = complete().to_request(as_of()).unwrap();
        let json = serde_json::to_value(&req).unwrap();
        assert_eq!(json["as_of"], "2026-03-01");
        assert_eq!(json["family_size"], 3);
        assert_eq!(json["destination"]["settlement"], "urban");
        assert_eq!(json["applicant"]["prior_resettlement_support"], false);
    }

    #[test]
    fn missing_fields_block_the_request_but_the_iin_does_not() {
        let mut draft = complete();
        draft.iin = "12ab".into();
        assert!(draft.to_request(as_of()).is_ok());
        assert_eq!(draft.iin_problem(), Some(Problem::IinNotDigits));
        draft.birth_date.clear();
        draft.family_size = "16".into();
        draft.destination = None;
        assert_eq!(
            draft.to_request(as_of()).unwrap_err(),
            vec![Field::BirthDate, Field::FamilySize, Field::Destination]
        );
    }

    #[test]
    fn iin_problems_guide_typing() {
        let mut draft = complete();
        assert_eq!(draft.iin_problem(), None);
        draft.iin = "90051".into();
        assert_eq!(draft.iin_problem(), Some(Problem::IinLength(5)));
        draft.iin = "821214240092".into();
        assert_eq!(draft.iin_problem(), Some(Problem::IinInvalid));
        draft.iin = String::new();
        assert_eq!(draft.iin_problem(), Some(Problem::Missing));
    }

    #[test]
    fn family_size_must_be_in_range() {
        let mut draft = complete();
        for bad in ["0", "16", "-1", "2.5", "x"] {
            draft.family_size = bad.into();
            assert_eq!(draft.family_size(), Err(Problem::FamilySizeRange), "{bad}");
        }
        draft.family_size = "15".into();
        assert_eq!(draft.family_size().map(FamilySize::get), Ok(15));
    }
}
