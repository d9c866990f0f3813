//! ISO dates (`YYYY-MM-DD`) as the API and a date input write them, read by a few lines of
//! code rather than chrono's general parser, whose format tables would otherwise be part of
//! the browser's download.

use chrono::NaiveDate;
use serde::{de::Error, Deserialize, Deserializer};

/// `YYYY-MM-DD` with exactly four, two and two digits, and a day that exists.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let mut parts = text.splitn(3, '-');
    let mut number = |digits: usize| {
        let part = parts.next()?;
        (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())?
    };
    let (year, month, day) = (number(4)?, number(2)?, number(2)?);
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)
}

/// For `#[serde(deserialize_with = "…")]` on dates the browser reads.
pub fn deserialize_iso<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_iso(&text).ok_or_else(|| D::Error::custom(format!("not a date (YYYY-MM-DD): {text}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_a_date_input_gives_them() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_iso("1990-05-14"), ymd(1990, 5, 14));
        assert_eq!(parse_iso("2008-02-29"), ymd(2008, 2, 29));
        for bad in [
            "1990-02-30",
            "1990-5-14",
            "90-05-14",
            "1990-05-14x",
            "",
            "1990/05/14",
            "+990-05-14",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn it_agrees_with_chrono_on_every_day_of_a_leap_and_a_common_year() {
        let mut day = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap();
        while day < NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() {
            assert_eq!(parse_iso(&day.to_string()), Some(day));
            day = day.succ_opt().unwrap();
        }
    }
}
