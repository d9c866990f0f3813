//! ISO dates (`YYYY-MM-DD`) as the API and a date input write them, read by a few lines of
//! code rather than chrono's general parser, whose format tables would otherwise be part of
//! the browser's download; and dates in sentences, written as each language's readers
//! expect them.

use crate::{ledger::Month, Lang};
use chrono::{Datelike, NaiveDate};
use serde::{de::Error, Deserialize, Deserializer};

/// English month names, for [`format`].
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];

const MONTHS_RU: [&str; 12] = [
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
];

/// A month in words, in the nominative so it reads after a label: `2027 жылғы наурыз`,
/// `март 2027`, `March 2027`.
pub fn month_name(month: Month, lang: Lang) -> String {
    let index = (month.month() - 1) as usize;
    match lang {
        Lang::Kk => format!("{} жылғы {}", month.year(), MONTHS_KK[index]),
        Lang::Ru => format!("{} {}", MONTHS_RU[index], month.year()),
        Lang::En => format!("{} {}", MONTHS_EN[index], month.year()),
    }
}

/// A date inside a sentence: `01.01.2026` in Kazakh and Russian (day, month, year, as
/// documents in Kazakhstan write it), `1 January 2026` in English. The API keeps ISO.
pub fn format(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Kk | Lang::Ru => {
            format!("{:02}.{:02}.{}", date.day(), date.month(), date.year())
        }
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS_EN[date.month0() as usize],
            date.year()
        ),
    }
}

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
    fn months_are_named_in_each_language() {
        let march = Month::new(2027, 3).unwrap();
        assert_eq!(month_name(march, Lang::Kk), "2027 жылғы наурыз");
        assert_eq!(month_name(march, Lang::Ru), "март 2027");
        assert_eq!(month_name(march, Lang::En), "March 2027");
        let december = Month::new(2026, 12).unwrap();
        assert_eq!(month_name(december, Lang::En), "December 2026");
        assert_eq!(month_name(december, Lang::Kk), "2026 жылғы желтоқсан");
    }

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
    fn dates_in_sentences_follow_each_language() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        for (date, kk_ru, en) in [
            (ymd(2026, 1, 1), "01.01.2026", "1 January 2026"),
            (ymd(2024, 2, 29), "29.02.2024", "29 February 2024"),
            (ymd(1990, 5, 14), "14.05.1990", "14 May 1990"),
            (ymd(2025, 12, 31), "31.12.2025", "31 December 2025"),
            (ymd(2008, 10, 9), "09.10.2008", "9 October 2008"),
        ] {
            assert_eq!(format(date, Lang::Kk), kk_ru);
            assert_eq!(format(date, Lang::Ru), kk_ru);
            assert_eq!(format(date, Lang::En), en);
        }
        // Every month has its own name.
        let names: std::collections::BTreeSet<String> = (1..=12)
            .map(|m| format(ymd(2026, m, 1), Lang::En))
            .collect();
        assert_eq!(names.len(), 12);
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
