//! Months, moments and amounts as the contract pages write them.

pub(crate) use crate::portal::notice::day_text;
pub use shared::date::month_name;
use shared::{Lang, Tenge};

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
