//! Individual (IIN) and business (BIN) identification numbers.
//!
//! Both are 12 digits with the same check digit: weights 1..11 over the first 11 digits,
//! sum mod 11; if that is 10, weights 3,4,5,6,7,8,9,10,11,1,2, sum mod 11; if that is 10
//! again the number cannot be valid.
//!
//! Two blind spots of this scheme, worth knowing when trusting it against typos: in the
//! first pass the 11th digit has weight 11 ≡ 0 (mod 11), so a change to that digit alone
//! goes undetected whenever the first pass decides; and a typo that moves the first-pass
//! sum to 10 hands the decision to the second weights, which may happen to agree.

use chrono::NaiveDate;
use std::fmt;

const FIRST_WEIGHTS: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const SECOND_WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// The check digit for the first 11 digits, or `None` if no digit can make them valid.
pub fn check_digit(first: &[u8; 11]) -> Option<u8> {
    let weighted = |weights: &[u32; 11]| {
        first
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum::<u32>()
            % 11
    };
    [FIRST_WEIGHTS, SECOND_WEIGHTS]
        .iter()
        .map(weighted)
        .find(|sum| *sum != 10)
        .map(|sum| sum as u8)
}

/// Why a 12-digit identifier is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    /// Not exactly 12 characters.
    Length,
    /// A character other than an ASCII digit.
    NotDigits,
    /// IIN: the 7th digit is not a century-and-sex digit 1–6.
    CenturyDigit,
    /// BIN: the 5th digit is not a legal-entity type 4, 5 or 6.
    EntityType,
    /// BIN: the registration month is not 01–12.
    Month,
    /// The check digit does not match (or no check digit is possible).
    CheckDigit,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdError::Length => "must be exactly 12 digits",
            IdError::NotDigits => "must contain digits only",
            IdError::CenturyDigit => "the 7th digit must be 1–6",
            IdError::EntityType => "the 5th digit must be 4, 5 or 6",
            IdError::Month => "the registration month must be 01–12",
            IdError::CheckDigit => "the check digit does not match",
        })
    }
}

impl std::error::Error for IdError {}

fn digits(text: &str) -> Result<[u8; 12], IdError> {
    let bytes = text.as_bytes();
    if bytes.len() != 12 {
        // Twelve characters that are not ASCII (full-width digits, say) are a character error.
        return Err(if text.chars().count() == 12 {
            IdError::NotDigits
        } else {
            IdError::Length
        });
    }
    if !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdError::NotDigits);
    }
    let mut out = [0u8; 12];
    for (o, b) in out.iter_mut().zip(bytes) {
        *o = b - b'0';
    }
    Ok(out)
}

fn check(d: &[u8; 12]) -> Result<(), IdError> {
    let first: [u8; 11] = d[..11].try_into().expect("11 digits");
    match check_digit(&first) {
        Some(c) if c == d[11] => Ok(()),
        _ => Err(IdError::CheckDigit),
    }
}

/// A valid individual identification number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Iin([u8; 12]);

/// Sex as encoded in the IIN's century-and-sex digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Iin {
    /// Validates format, century-and-sex digit and check digit. The encoded birth date is
    /// deliberately not required to be a real date: since 2013 the digits need not match
    /// personal data.
    pub fn parse(text: &str) -> Result<Iin, IdError> {
        let d = digits(text)?;
        if !(1..=6).contains(&d[6]) {
            return Err(IdError::CenturyDigit);
        }
        check(&d)?;
        Ok(Iin(d))
    }

    /// The birth date encoded in the first six digits and the century digit, if it is a
    /// real calendar date.
    pub fn encoded_birth_date(&self) -> Option<NaiveDate> {
        let d = &self.0;
        let two = |i: usize| u32::from(d[i]) * 10 + u32::from(d[i + 1]);
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        NaiveDate::from_ymd_opt(century + two(0) as i32, two(2), two(4))
    }

    pub fn sex(&self) -> Sex {
        if self.0[6] % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|d| write!(f, "{d}"))
    }
}

/// Legal form encoded in the BIN's type digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityType {
    ResidentLegalEntity,
    NonResidentLegalEntity,
    IndividualEntrepreneur,
}

/// A valid business identification number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Bin([u8; 12]);

impl Bin {
    pub fn parse(text: &str) -> Result<Bin, IdError> {
        let d = digits(text)?;
        if !(1..=12).contains(&(d[2] * 10 + d[3])) {
            return Err(IdError::Month);
        }
        if !(4..=6).contains(&d[4]) {
            return Err(IdError::EntityType);
        }
        check(&d)?;
        Ok(Bin(d))
    }

    pub fn entity_type(&self) -> EntityType {
        match self.0[4] {
            4 => EntityType::ResidentLegalEntity,
            5 => EntityType::NonResidentLegalEntity,
            _ => EntityType::IndividualEntrepreneur,
        }
    }
}

impl fmt::Display for Bin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|d| write!(f, "{d}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_iin() {
        let iin = Iin::parse("900514300121").unwrap();
        assert_eq!(
            iin.encoded_birth_date(),
            NaiveDate::from_ymd_opt(1990, 5, 14)
        );
        assert_eq!(iin.sex(), Sex::Male);
        assert_eq!(Iin::parse("900514300123"), Err(IdError::CheckDigit));
    }

    #[test]
    fn public_test_bins() {
        for bin in ["971240001315", "940140000385", "011140001654"] {
            let parsed = Bin::parse(bin).unwrap_or_else(|e| panic!("{bin}: {e}"));
            assert_eq!(parsed.entity_type(), EntityType::ResidentLegalEntity);
            assert_eq!(parsed.to_string(), bin);
        }
    }

    #[test]
    fn second_weights_decide_when_first_pass_gives_ten() {
        let first: [u8; 11] = [0, 1, 1, 1, 4, 0, 0, 0, 1, 6, 5];
        let sum1: u32 = first
            .iter()
            .zip(FIRST_WEIGHTS)
            .map(|(d, w)| u32::from(*d) * w)
            .sum();
        assert_eq!(sum1 % 11, 10);
        assert_eq!(check_digit(&first), Some(4));
    }

    #[test]
    fn ten_with_both_weight_sets_is_invalid() {
        let first: [u8; 11] = [8, 2, 1, 2, 1, 4, 2, 4, 0, 0, 9];
        assert_eq!(check_digit(&first), None);
        // Whatever the 12th digit, such a number is not valid.
        assert!(Bin::parse("821214240092").is_err());
        assert_eq!(Iin::parse("821214240092"), Err(IdError::CheckDigit));
    }

    #[test]
    fn format_errors_are_specific() {
        assert_eq!(Iin::parse(""), Err(IdError::Length));
        assert_eq!(Iin::parse("90051430012"), Err(IdError::Length));
        assert_eq!(Iin::parse("9005143001210"), Err(IdError::Length));
        assert_eq!(Iin::parse("90051430012a"), Err(IdError::NotDigits));
        assert_eq!(
            Iin::parse("９００５１４３００１２１"),
            Err(IdError::NotDigits)
        );
        assert_eq!(Iin::parse("900514000121"), Err(IdError::CenturyDigit));
        assert_eq!(Iin::parse("900514700121"), Err(IdError::CenturyDigit));
        assert_eq!(Bin::parse("971340001315"), Err(IdError::Month));
        assert_eq!(Bin::parse("971210001315"), Err(IdError::EntityType));
    }

    #[test]
    fn encoded_birth_date_may_be_unreal() {
        // Month 13 with a correct check digit: still a valid IIN, but no real birth date.
        let mut first = [9, 0, 1, 3, 1, 4, 3, 0, 0, 1, 2];
        let check = loop {
            if let Some(c) = check_digit(&first) {
                break c;
            }
            first[10] += 1;
        };
        let text: String = first
            .iter()
            .chain([check].iter())
            .map(|d| char::from(b'0' + d))
            .collect();
        let iin = Iin::parse(&text).unwrap();
        assert_eq!(iin.encoded_birth_date(), None);
    }
}
