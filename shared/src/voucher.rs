//! When monthly vouchers are issued, for how much, and until when they can be spent
//! (SPEC §4). The server's issuance and expiry jobs and the payment check ask these
//! functions, so "due", "spendable" and "expired" mean the same everywhere.
//!
//! A voucher for a month is issued on the month's 1st (its issue date), for the
//! `monthly_voucher` entitlement with the MRP in force on that date, and can be spent from
//! then up to its grace day inclusive: the `voucher_grace_days`-th day after the month ends
//! (the 10th of the following month). Both the amount and the grace day are fixed by the
//! policy in force on the issue date.

use crate::{
    api::Settlement,
    eligibility::entitlements,
    in_force,
    ledger::Month,
    policy::{Policy, PolicyError},
    Tenge,
};
use chrono::{Days, NaiveDate};

/// The month a family's vouchers start with.
///
/// SPEC §4 starts them with the arrival month, but the portal records no arrival date: an
/// approved family is taken to arrive in the month of the approval, so the first voucher
/// is for that month.
pub fn arrival_month(approved_on: NaiveDate) -> Month {
    Month::of(approved_on)
}

/// The day a month's voucher is issued: the month's 1st.
pub fn issue_date(month: Month) -> NaiveDate {
    month.first_day()
}

/// Every month a family arriving in `arrival` gets a voucher for: `voucher_months` (as in
/// force when they arrive) months, starting with `arrival`.
pub fn schedule(arrival: Month, policy: &Policy) -> Result<Vec<Month>, PolicyError> {
    let months = in_force!(policy, voucher_months, issue_date(arrival))?.value;
    Ok((0..months)
        .map(|n| arrival.plus(n).unwrap_or(arrival))
        .collect())
}

/// The months of [`schedule`] whose voucher is due by `today`: those whose issue date has
/// come, so never more than the schedule holds, however late it is asked.
pub fn due(arrival: Month, today: NaiveDate, policy: &Policy) -> Result<Vec<Month>, PolicyError> {
    let mut months = schedule(arrival, policy)?;
    months.retain(|m| issue_date(*m) <= today);
    Ok(months)
}

/// One month's voucher: the family's `monthly_voucher` band for their settlement and size,
/// times the MRP in force on the month's issue date (so a voucher for January uses the
/// MRP of the new year). The same computation as the eligibility check's entitlement.
pub fn monthly_amount(
    family_size: u32,
    settlement: Settlement,
    month: Month,
    policy: &Policy,
) -> Result<Tenge, PolicyError> {
    Ok(entitlements(family_size, settlement, issue_date(month), policy)?.monthly_voucher)
}

/// The last day `month`'s voucher can be spent (its grace day, inclusive): the
/// `voucher_grace_days`-th day of the following month.
pub fn spendable_until(month: Month, policy: &Policy) -> Result<NaiveDate, PolicyError> {
    let grace = in_force!(policy, voucher_grace_days, issue_date(month))?.value;
    let next_month = issue_date(month.plus(1).unwrap_or(month));
    // The grace days count from the day after the month's last day, i.e. from the 1st.
    Ok(next_month
        .checked_add_days(Days::new(u64::from(grace)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX))
}

/// Whether `month`'s voucher can be spent on `date`: from its issue date to its grace day,
/// both included.
pub fn is_spendable(month: Month, date: NaiveDate, policy: &Policy) -> Result<bool, PolicyError> {
    Ok(issue_date(month) <= date && date <= spendable_until(month, policy)?)
}

/// Whether `month`'s voucher is past its grace day on `date`: its remainder then goes back
/// to the region's budget.
pub fn is_expired(month: Month, date: NaiveDate, policy: &Policy) -> Result<bool, PolicyError> {
    Ok(date > spendable_until(month, policy)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn policy() -> &'static Policy {
        Policy::current()
    }

    #[test]
    fn the_arrival_month_is_the_month_of_approval() {
        assert_eq!(arrival_month(date("2026-03-31")), month("2026-03"));
        assert_eq!(issue_date(month("2026-03")), date("2026-03-01"));
    }

    #[test]
    fn twelve_months_from_arrival_across_the_new_year() {
        let months = schedule(month("2025-12"), policy()).unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], month("2025-12"));
        assert_eq!(months[1], month("2026-01"));
        assert_eq!(months[11], month("2026-11"));
    }

    #[test]
    fn due_months_are_those_begun_and_never_more_than_twelve() {
        let arrival = month("2025-12");
        assert_eq!(
            due(arrival, date("2026-02-28"), policy()).unwrap(),
            [month("2025-12"), month("2026-01"), month("2026-02")]
        );
        // On the 1st the month's voucher is due.
        assert_eq!(due(arrival, date("2026-03-01"), policy()).unwrap().len(), 4);
        // Long after, all twelve and no more.
        assert_eq!(
            due(arrival, date("2030-01-01"), policy()).unwrap().len(),
            12
        );
        // Before the arrival month: nothing.
        assert!(due(arrival, date("2025-11-30"), policy())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn the_amount_uses_the_mrp_of_the_issue_date() {
        // Family of 3, urban: 25 MRP. MRP 3 932 in 2025, 4 325 from 1 January 2026.
        let december = monthly_amount(3, Settlement::Urban, month("2025-12"), policy()).unwrap();
        let january = monthly_amount(3, Settlement::Urban, month("2026-01"), policy()).unwrap();
        assert_eq!(december.amount(), Decimal::from(25 * 3932));
        assert_eq!(january.amount(), Decimal::from(108_125));
        // Rural, one member: 15 MRP.
        let rural_single = monthly_amount(1, Settlement::Rural, month("2026-03"), policy());
        assert_eq!(rural_single.unwrap().amount(), Decimal::from(15 * 4325));
        // No MRP before 2024: an error, not a default.
        assert!(monthly_amount(3, Settlement::Urban, month("2023-12"), policy()).is_err());
    }

    #[test]
    fn spendable_until_the_tenth_of_the_following_month_inclusive() {
        assert_eq!(
            spendable_until(month("2026-03"), policy()).unwrap(),
            date("2026-04-10")
        );
        assert_eq!(
            spendable_until(month("2026-01"), policy()).unwrap(),
            date("2026-02-10")
        );
        // December's grace day is in January of the next year.
        let december = month("2025-12");
        assert_eq!(
            spendable_until(december, policy()).unwrap(),
            date("2026-01-10")
        );
        let spendable = |d| is_spendable(december, date(d), policy()).unwrap();
        assert!(!spendable("2025-11-30"));
        assert!(spendable("2025-12-01"));
        assert!(spendable("2025-12-31"));
        assert!(spendable("2026-01-10"));
        assert!(!spendable("2026-01-11"));
        assert!(!is_expired(december, date("2026-01-10"), policy()).unwrap());
        assert!(is_expired(december, date("2026-01-11"), policy()).unwrap());
    }
}
