//! The same generated cases evaluated by the shared rules compiled natively and to
//! WebAssembly: `cargo xtask test` runs both and requires byte-identical answers. The cases
//! are eligibility checks, contract signatures ([`signatures`]) and contract states
//! ([`states`]).

pub mod signatures;
pub mod states;

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use shared::{
    api::{Applicant, Citizenship, Destination, EligibilityRequest, FamilySize, Settlement},
    eligibility::assess,
    iin::check_digit,
    quota::{QuotaSnapshot, QuotaStatus},
    Lang, Policy, Region,
};

/// One generated input: a request, the date it is decided for, the quotas known, a language.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Case {
    pub request: EligibilityRequest,
    pub as_of: NaiveDate,
    pub quotas: QuotaSnapshot,
    pub lang: Lang,
}

/// Every generated case of one run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cases {
    pub eligibility: Vec<Case>,
    pub signatures: Vec<signatures::SignatureCase>,
    pub states: Vec<states::StateCase>,
}

/// Evaluates [`Cases`] in JSON; returns a JSON array with one answer per case, the
/// eligibility cases' first: the response or the policy error's text, then each
/// signature's verdict ([`signatures::evaluate`]), then each contract's state
/// ([`states::evaluate`]).
pub fn evaluate(cases_json: &str) -> String {
    let cases: Cases = match serde_json::from_str(cases_json) {
        Ok(cases) => cases,
        Err(e) => return serde_json::json!({ "bad_input": e.to_string() }).to_string(),
    };
    let policy = Policy::current();
    let answers: Vec<serde_json::Value> = cases
        .eligibility
        .iter()
        .map(
            |case| match assess(&case.request, case.as_of, policy, &case.quotas) {
                Ok(a) => serde_json::to_value(a.to_response(policy, case.lang))
                    .expect("responses serialise"),
                Err(e) => serde_json::json!({ "policy_error": e.to_string() }),
            },
        )
        .chain(cases.signatures.iter().map(signatures::evaluate))
        .chain(cases.states.iter().map(states::evaluate))
        .collect();
    serde_json::to_string(&answers).expect("answers serialise")
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn evaluate_cases(cases_json: &str) -> String {
    evaluate(cases_json)
}

/// A small deterministic generator (xorshift64*), so both sides see the same cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    fn date(&mut self, from: NaiveDate, days: u64) -> NaiveDate {
        from + Duration::days(self.below(days) as i64)
    }
}

/// Ages on either side of rule E3's limits (18 inclusive, 63 exclusive).
const AGES_AROUND_LIMITS: [i32; 6] = [17, 18, 19, 62, 63, 64];

/// `n` eligibility cases ([`eligibility_cases`]), a third as many signatures
/// ([`signatures::generate`]) and as many contract histories ([`states::generate`]).
pub fn generate(n: usize, seed: u64) -> Cases {
    let mut rng = Rng(seed.max(1));
    Cases {
        eligibility: eligibility_cases(n, &mut rng),
        signatures: signatures::generate(n / 3, &mut rng),
        states: states::generate(n / 3, &mut rng),
    }
}

/// `n` varied cases: valid, mistyped and malformed IINs, every region and citizenship,
/// ages around the limits, all family sizes, quotas with and without places, dates
/// before and after policy changes (and a few before the policy begins). About a third
/// are people born on 29 February, checked on the days around their 17th–19th or
/// 62nd–64th birthday ([`leap_day_birthday`]).
fn eligibility_cases(n: usize, rng: &mut Rng) -> Vec<Case> {
    let start = NaiveDate::from_ymd_opt(2023, 10, 1).unwrap();
    (0..n)
        .map(|_| {
            let (birth, as_of) = if rng.below(3) == 0 {
                leap_day_birthday(rng)
            } else {
                (
                    rng.date(NaiveDate::from_ymd_opt(1955, 1, 1).unwrap(), 365 * 65),
                    rng.date(start, 365 * 4),
                )
            };
            let iin = generate_iin(rng, birth);
            let mut places = std::collections::BTreeMap::new();
            for region in Policy::current().destinations() {
                // Now and then a region has no quota set for the year.
                if rng.below(8) != 0 {
                    let quota = rng.below(4) as u32;
                    places.insert(region, QuotaStatus::new(quota, rng.below(4) as u32));
                }
            }
            let quotas = QuotaSnapshot::new(as_of.year(), places);
            Case {
                request: EligibilityRequest {
                    as_of: Some(as_of),
                    applicant: Applicant {
                        iin,
                        birth_date: birth,
                        citizenship: rng.pick(&Citizenship::ALL),
                        current_region: rng.pick(&Region::ALL),
                        prior_resettlement_support: rng.below(5) == 0,
                    },
                    family_size: FamilySize::try_from(1 + rng.below(15) as u32).unwrap(),
                    destination: Destination {
                        region: rng.pick(&Region::ALL),
                        settlement: rng.pick(&[Settlement::Urban, Settlement::Rural]),
                    },
                },
                as_of,
                quotas,
                lang: rng.pick(&Lang::ALL),
            }
        })
        .collect()
}

/// A birth on 29 February and a date from 27 February to 2 March of the year the person
/// turns one of [`AGES_AROUND_LIMITS`], that year being 2024–2031 (the policy is in force),
/// so common years (where the birthday is 28 February) and leap years both occur.
fn leap_day_birthday(rng: &mut Rng) -> (NaiveDate, NaiveDate) {
    loop {
        let age = rng.pick(&AGES_AROUND_LIMITS);
        let year = 2024 + rng.below(8) as i32;
        let (month, day) = rng.pick(&[(2, 27), (2, 28), (2, 29), (3, 1), (3, 2)]);
        // Both must exist: the birth year is a leap year; 29 February only in leap years.
        if let (Some(birth), Some(as_of)) = (
            NaiveDate::from_ymd_opt(year - age, 2, 29),
            NaiveDate::from_ymd_opt(year, month, day),
        ) {
            return (birth, as_of);
        }
    }
}

fn generate_iin(rng: &mut Rng, birth: NaiveDate) -> String {
    let mut digits: Vec<u8> = birth
        .format("%y%m%d")
        .to_string()
        .bytes()
        .map(|b| b - b'0')
        .collect();
    digits.push(if birth.year() < 2000 { 3 } else { 5 });
    digits.extend((0..4).map(|_| rng.below(10) as u8));
    let first: [u8; 11] = digits.clone().try_into().unwrap();
    digits.push(check_digit(&first).unwrap_or(0));
    match rng.below(10) {
        // A typo in one digit.
        0 | 1 => {
            let i = rng.below(12) as usize;
            digits[i] = (digits[i] + 1 + rng.below(9) as u8) % 10;
        }
        // Too short.
        2 => {
            digits.pop();
        }
        _ => {}
    }
    let mut text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    if rng.below(20) == 0 {
        text.replace_range(0..1, "x");
    }
    // Another birth date than declared, now and then.
    if rng.below(10) == 0 {
        text.replace_range(4..6, "01");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_cases_cover_both_verdicts_and_errors() {
        let cases = generate(1000, 7);
        assert_eq!(
            (
                cases.eligibility.len(),
                cases.signatures.len(),
                cases.states.len()
            ),
            (1000, 333, 333)
        );
        let answers: Vec<serde_json::Value> =
            serde_json::from_str(&evaluate(&serde_json::to_string(&cases).unwrap())).unwrap();
        assert_eq!(answers.len(), 1666);
        let (answers, rest) = answers.split_at(1000);
        let (signatures, states) = rest.split_at(333);
        assert!(signatures.iter().all(|a| a.get("verify").is_some()));
        for status in ["active", "fulfilled", "breached"] {
            assert!(
                states.iter().any(|s| s["status"] == status),
                "no {status} contract among the generated histories"
            );
        }
        let eligible = answers.iter().filter(|a| a["eligible"] == true).count();
        let refused = answers.iter().filter(|a| a["eligible"] == false).count();
        let errors = answers
            .iter()
            .filter(|a| a.get("policy_error").is_some())
            .count();
        assert!(
            eligible > 0 && refused > 0 && errors > 0,
            "{eligible} {refused} {errors}"
        );
    }

    /// The cases `cargo xtask diff` runs (1500, seed 2026) include many people born on
    /// 29 February checked on the days around their 18th and 63rd birthdays, both where
    /// the birthday falls on 28 February and where it does not yet count.
    #[test]
    fn many_cases_are_leap_day_births_around_the_age_limits() {
        let cases = generate(1500, 2026).eligibility;
        let leap: Vec<Case> = cases
            .into_iter()
            .filter(|c| {
                let birth = c.request.applicant.birth_date;
                (birth.month(), birth.day()) == (2, 29)
                    && matches!((c.as_of.month(), c.as_of.day()), (2, 27..=29) | (3, 1..=2))
            })
            .collect();
        assert!(leap.len() >= 1500 / 4, "only {} of 1500", leap.len());
        let leap_cases = Cases {
            eligibility: leap.clone(),
            signatures: vec![],
            states: vec![],
        };
        let answers: Vec<serde_json::Value> =
            serde_json::from_str(&evaluate(&serde_json::to_string(&leap_cases).unwrap())).unwrap();
        // (the year's birthday, checked on month-day) → whether E3 passed, the age it gave.
        let found = |turning: i32, month: u32, day: u32, passed: bool, age: i32| {
            leap.iter().zip(&answers).any(|(c, answer)| {
                let e3 = &answer["rules"][2];
                c.as_of.year() - c.request.applicant.birth_date.year() == turning
                    && (c.as_of.month(), c.as_of.day()) == (month, day)
                    && e3["passed"] == passed
                    // "You are 18: …", "Ваш возраст 18: …", "Жасыңыз 18: …"
                    && e3["reason"].as_str().unwrap().contains(&format!(" {age}:"))
            })
        };
        // A common year: the birthday is 28 February.
        assert!(found(18, 2, 27, false, 17), "17 the day before");
        assert!(found(18, 2, 28, true, 18), "18 on 28 February");
        assert!(found(18, 3, 1, true, 18), "18 on 1 March");
        assert!(found(63, 2, 27, true, 62), "62 the day before");
        assert!(found(63, 2, 28, false, 63), "63 on 28 February");
        assert!(found(63, 3, 1, false, 63), "63 on 1 March");
        // A leap year: the birthday is 29 February, not the 28th.
        assert!(
            found(64, 2, 28, false, 63),
            "63 on 28 February of a leap year"
        );
        assert!(found(64, 2, 29, false, 64), "64 on 29 February");
        let leap_year_as_of = leap
            .iter()
            .filter(|c| (c.as_of.month(), c.as_of.day()) == (2, 29))
            .count();
        assert!(
            leap_year_as_of > 10,
            "{leap_year_as_of} checks on 29 February"
        );
    }
}
