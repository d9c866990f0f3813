//! Months, moments and amounts as the contract pages write them. `shared::date` writes
//! days; a contract counts in months, which it names in words ("March 2027").

use shared::{ledger::Month, Lang, Tenge};

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

/// The calendar day of an RFC 3339 timestamp; the text itself if it is not one.
pub fn day_text(timestamp: &str, lang: Lang) -> String {
    timestamp
        .get(..10)
        .and_then(shared::date::parse_iso)
        .map_or_else(|| timestamp.to_string(), |d| shared::date::format(d, lang))
}

/// An RFC 3339 UTC timestamp as day and minute: `1 March 2026, 10:15 UTC`.
pub fn moment_text(timestamp: &str, lang: Lang) -> String {
    let time = timestamp
        .get(10..16)
        .and_then(|t| t.strip_prefix('T'))
        .filter(|t| t.len() == 5 && t.as_bytes()[2] == b':');
    match time {
        Some(time) => format!("{}, {time} UTC", day_text(timestamp, lang)),
        None => day_text(timestamp, lang),
    }
}

/// An amount for reading: `1 946 250 ₸`.
pub fn money(amount: Tenge) -> String {
    format!("{} ₸", amount.grouped())
}

/// An amount as a form field shows it for editing: plain digits, `.` before tiyn.
pub fn amount_input(amount: Tenge) -> String {
    amount.amount().to_string()
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
    fn timestamps_become_days_and_minutes() {
        assert_eq!(day_text("2026-03-01T10:15:00Z", Lang::Ru), "01.03.2026");
        assert_eq!(
            moment_text("2026-03-01T10:15:42.5Z", Lang::En),
            "1 March 2026, 10:15 UTC"
        );
        assert_eq!(moment_text("2026-03-01", Lang::Kk), "01.03.2026");
        assert_eq!(moment_text("soon", Lang::En), "soon");
    }

    #[test]
    fn amounts_are_grouped_and_editable() {
        assert_eq!(
            money(Tenge::from_tiyn(194_625_000)),
            "1\u{202F}946\u{202F}250 ₸"
        );
        assert_eq!(amount_input(Tenge::from_tiyn(25_000_050)), "250000.5");
    }
}
