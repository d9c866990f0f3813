//! The browser's answer: the shared rules applied to the form, plus the comparison with the
//! server's answer. Pure, so it is tested natively.

use crate::{api::ApiError, form::Field};
use chrono::NaiveDate;
use shared::{
    api::{EligibilityRequest, EligibilityResponse},
    eligibility::assess,
    quota::QuotaSnapshot,
    Lang, Policy,
};

/// The quota data the browser holds for rule E7.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuotaState {
    NotRequested,
    Loading,
    Loaded(QuotaSnapshot),
    Failed(ApiError),
}

impl QuotaState {
    pub fn snapshot(&self) -> Option<&QuotaSnapshot> {
        match self {
            QuotaState::Loaded(s) => Some(s),
            _ => None,
        }
    }
}

/// What the results area shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The request cannot be built yet; these fields need attention.
    Incomplete(Vec<Field>),
    Answer(EligibilityResponse),
    /// The policy has no values in force on the as-of date (a wrong device clock).
    NoPolicy,
}

/// Runs the shared rules on the request built from the form (or lists what is missing).
pub fn compute(
    request: &Result<EligibilityRequest, Vec<Field>>,
    as_of: NaiveDate,
    quotas: &QuotaState,
    lang: Lang,
) -> Outcome {
    let request = match request {
        Ok(r) => r,
        Err(fields) => return Outcome::Incomplete(fields.clone()),
    };
    let policy = Policy::current();
    // Without loaded quotas, a snapshot of no year: rule E7 then says the data is missing.
    let empty = QuotaSnapshot::default();
    let snapshot = quotas.snapshot().unwrap_or(&empty);
    match assess(request, as_of, policy, snapshot) {
        Ok(assessment) => Outcome::Answer(assessment.to_response(policy, lang)),
        Err(_) => Outcome::NoPolicy,
    }
}

/// Whether two answers agree on what matters: the verdict, each rule's outcome and every
/// amount. Wording may differ (for example if the language changed in between).
pub fn agrees(browser: &EligibilityResponse, server: &EligibilityResponse) -> bool {
    let outcomes = |r: &EligibilityResponse| {
        r.rules
            .iter()
            .map(|x| (x.id.clone(), x.passed))
            .collect::<Vec<_>>()
    };
    let amounts = |r: &EligibilityResponse| {
        r.entitlements.as_ref().map(|e| {
            (
                e.relocation_subsidy,
                e.monthly_voucher,
                e.voucher_months,
                e.employer_housing_limit,
            )
        })
    };
    browser.eligible == server.eligible
        && outcomes(browser) == outcomes(server)
        && amounts(browser) == amounts(server)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::{
        tests::{as_of, complete},
        Draft,
    };
    use shared::{quota::QuotaStatus, Region};

    fn run(draft: &Draft, quotas: &QuotaState, lang: Lang) -> Outcome {
        compute(&draft.to_request(as_of()), as_of(), quotas, lang)
    }

    fn loaded() -> QuotaState {
        QuotaState::Loaded(QuotaSnapshot::new(
            2026,
            [(Region::NorthKazakhstan, QuotaStatus::new(100, 10))].into(),
        ))
    }

    fn answer(outcome: Outcome) -> EligibilityResponse {
        match outcome {
            Outcome::Answer(r) => r,
            other => panic!("expected an answer, got {other:?}"),
        }
    }

    #[test]
    fn the_spec_example_gives_the_spec_amounts() {
        let r = answer(run(&complete(), &loaded(), Lang::En));
        assert!(r.eligible, "{r:?}");
        let e = r.entitlements.unwrap();
        assert_eq!(e.relocation_subsidy.to_string(), "908250");
        assert_eq!(e.monthly_voucher.to_string(), "108125");
        assert_eq!(e.voucher_months, 12);
        assert_eq!(e.employer_housing_limit.to_string(), "1946250");
    }

    #[test]
    fn without_quota_data_e7_says_so() {
        for state in [QuotaState::Loading, QuotaState::Failed(ApiError::Network)] {
            let r = answer(run(&complete(), &state, Lang::Ru));
            assert!(!r.eligible);
            let e7 = r.rules.iter().find(|x| x.id == "E7").unwrap();
            assert!(!e7.passed);
            assert!(e7.reason.contains("Нет данных о квоте"), "{}", e7.reason);
            assert_eq!(r.rules.len(), 7);
        }
    }

    #[test]
    fn an_incomplete_form_lists_its_fields() {
        let draft = Draft::default();
        assert_eq!(
            run(&draft, &loaded(), Lang::Kk),
            Outcome::Incomplete(vec![
                Field::BirthDate,
                Field::CurrentRegion,
                Field::Destination
            ])
        );
    }

    #[test]
    fn agreement_ignores_wording_but_not_outcomes() {
        let en = answer(run(&complete(), &loaded(), Lang::En));
        let kk = answer(run(&complete(), &loaded(), Lang::Kk));
        assert!(agrees(&en, &kk));
        let no_quota = answer(run(&complete(), &QuotaState::Loading, Lang::En));
        assert!(!agrees(&en, &no_quota));
        let mut bigger = complete();
        bigger.family_size = "4".into();
        let bigger = answer(run(&bigger, &loaded(), Lang::En));
        assert!(!agrees(&en, &bigger));
    }
}
