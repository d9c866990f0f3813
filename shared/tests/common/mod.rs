//! Builders for test profiles. IINs here are generated, never real people's.

#![allow(dead_code)]

use chrono::NaiveDate;
use shared::{
    api::{Applicant, Citizenship, Destination, EligibilityRequest, FamilySize, Settlement},
    iin::check_digit,
    quota::{QuotaSnapshot, QuotaStatus},
    Policy, Region,
};

pub fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// A valid IIN encoding `birth`, with the given serial; `None` if no check digit exists.
pub fn iin_for(birth: NaiveDate, male: bool, serial: u32) -> Option<String> {
    use chrono::Datelike;
    let century = match birth.year() {
        1800..=1899 => 1,
        1900..=1999 => 3,
        _ => 5,
    } + u8::from(!male);
    let text = format!(
        "{:02}{:02}{:02}{}{:04}",
        birth.year() % 100,
        birth.month(),
        birth.day(),
        century,
        serial % 10_000
    );
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let check = check_digit(&digits.clone().try_into().unwrap())?;
    Some(format!("{text}{check}"))
}

/// The SPEC §7 example request: a citizen from Turkestan, family of 3, urban North Kazakhstan.
pub fn spec_request() -> EligibilityRequest {
    EligibilityRequest {
        as_of: Some(date("2026-03-01")),
        applicant: Applicant {
            iin: "900514300121".into(),
            birth_date: date("1990-05-14"),
            citizenship: Citizenship::Citizen,
            current_region: Region::Turkestan,
            prior_resettlement_support: false,
        },
        family_size: FamilySize::try_from(3).unwrap(),
        destination: Destination {
            region: Region::NorthKazakhstan,
            settlement: Settlement::Urban,
        },
    }
}

/// Every destination region with `remaining` places in `year`.
pub fn quotas(year: i32, remaining: u32) -> QuotaSnapshot {
    QuotaSnapshot::new(
        year,
        Policy::current()
            .destinations()
            .map(|r| (r, QuotaStatus::new(remaining + 5, 5)))
            .collect(),
    )
}
