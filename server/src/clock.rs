//! Which day it is for the program's rules: the month a voucher is issued for, the day a
//! contract's terms are fixed, the months a contract has run.
//!
//! Normally today's UTC date. `--today` fixes it, so a rehearsal or a test can run the
//! program two years ahead (a contract fulfilled, a voucher expired) against a copy of real
//! data; the times written in the audit log and the ledger stay real.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    fixed: Option<NaiveDate>,
}

impl Clock {
    /// Today's date in UTC, day by day.
    pub fn system() -> Clock {
        Clock { fixed: None }
    }

    /// Always `date`.
    pub fn fixed(date: NaiveDate) -> Clock {
        Clock { fixed: Some(date) }
    }

    /// `Some(date)` fixes the day, `None` follows the system's.
    pub fn from_setting(date: Option<NaiveDate>) -> Clock {
        Clock { fixed: date }
    }

    pub fn today(&self) -> NaiveDate {
        self.fixed
            .unwrap_or_else(|| chrono::Utc::now().date_naive())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_day_stays_and_the_system_day_follows_the_calendar() {
        let day = NaiveDate::from_ymd_opt(2028, 12, 1).unwrap();
        assert_eq!(Clock::fixed(day).today(), day);
        assert_eq!(Clock::system().today(), chrono::Utc::now().date_naive());
    }
}
