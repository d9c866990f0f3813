//! Where a contract stands (SPEC §5): one pure function of its terms, the monthly
//! confirmations known and the current month, so the browser and the server agree.
//!
//! - A month is confirmed only if its latest confirmation says the resettler was resident
//!   in the region, employed by the employer, and both the social and the pension
//!   contributions were paid. When a month is imported again, the later confirmation in the
//!   list replaces the earlier one; the list may be in any order.
//! - A month counts once it has ended (it is before `today`): the state data feed reports
//!   a month after its contributions are due, during the month that follows. A reported
//!   month counts as soon as it has ended. A month with no report counts as unconfirmed
//!   once the month after it has ended too; until then it is awaiting its report, so a
//!   file arriving a few days into the next month is never too late. The current month
//!   only shows what is still missing for it.
//! - Months are counted in order from the start month. The contract is breached at the
//!   `breach_threshold`-th consecutive unconfirmed month, and fulfilled at the
//!   `required_months`-th confirmed one; either is final, whatever later months bring.
//! - Confirmations outside the contract's months (before the start, after
//!   [`ContractTerms::last_month`]) are ignored.

use super::terms::ContractTerms;
use crate::{ledger::Month, Tenge};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the state data feed says about one month of a contract (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthConfirmation {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-04"))]
    pub month: Month,
    /// Registered as living in the contract's region.
    pub resident: bool,
    /// Officially employed by the contract's employer.
    pub employed: bool,
    pub social_paid: bool,
    pub pension_paid: bool,
}

/// One of the four things a month needs to be confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    Resident,
    Employed,
    SocialPaid,
    PensionPaid,
}

impl Requirement {
    pub const ALL: [Requirement; 4] = [
        Requirement::Resident,
        Requirement::Employed,
        Requirement::SocialPaid,
        Requirement::PensionPaid,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Requirement::Resident => "resident",
            Requirement::Employed => "employed",
            Requirement::SocialPaid => "social_paid",
            Requirement::PensionPaid => "pension_paid",
        }
    }

    fn holds(self, confirmation: &MonthConfirmation) -> bool {
        match self {
            Requirement::Resident => confirmation.resident,
            Requirement::Employed => confirmation.employed,
            Requirement::SocialPaid => confirmation.social_paid,
            Requirement::PensionPaid => confirmation.pension_paid,
        }
    }
}

/// One month of a contract as the confirmations show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthCheck {
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-04"))]
    pub month: Month,
    /// Whether the feed has sent anything for the month.
    pub reported: bool,
    /// What is false or, when nothing was reported, unknown; empty when confirmed.
    pub missing: Vec<Requirement>,
}

impl MonthCheck {
    fn of(month: Month, confirmation: Option<&MonthConfirmation>) -> MonthCheck {
        MonthCheck {
            month,
            reported: confirmation.is_some(),
            missing: Requirement::ALL
                .into_iter()
                .filter(|r| !confirmation.is_some_and(|c| r.holds(c)))
                .collect(),
        }
    }

    pub fn confirmed(&self) -> bool {
        self.missing.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ContractStatus {
    /// Counting months.
    Active,
    /// Enough months confirmed: the employer is paid. Final.
    Fulfilled,
    /// Too many unconfirmed months in a row: nothing is ever paid. Final.
    Breached,
}

impl ContractStatus {
    pub fn id(self) -> &'static str {
        match self {
            ContractStatus::Active => "active",
            ContractStatus::Fulfilled => "fulfilled",
            ContractStatus::Breached => "breached",
        }
    }
}

/// Where a contract stands in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractState {
    pub status: ContractStatus,
    /// The month that fulfilled or breached the contract.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2028-03"))]
    pub ended_in: Option<Month>,
    /// Confirmed months so far, of `required`.
    pub confirmed: u32,
    pub required: u32,
    /// Every month counted so far, oldest first: the timeline.
    pub months: Vec<MonthCheck>,
    /// The month that has ended without a report yet, while its report can still come
    /// (during the month after it); counted once reported or once that month ends.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2026-10"))]
    pub awaiting_report: Option<Month>,
    /// Unconfirmed months in a row at the end of `months` (the run that breached a
    /// breached contract).
    pub unconfirmed_run: u32,
    /// Active with unconfirmed months in a row (fewer than the breach threshold): more of
    /// them would breach it.
    pub at_risk: bool,
    /// The month in progress and what it still lacks, while the contract is active and
    /// the month is one of its months.
    pub this_month: Option<MonthCheck>,
    /// While active: the first month the payout can be made if every month from now on is
    /// confirmed (the month after the last month needed).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, example = "2028-04"))]
    pub expected_payout_month: Option<Month>,
    /// What the employer is paid on fulfilment, min(declared housing costs, limit); zero
    /// once breached.
    pub payout: Tenge,
}

/// The state of the contract with `terms`, given every confirmation received for it, in
/// month `today`.
pub fn state(
    terms: &ContractTerms,
    confirmations: &[MonthConfirmation],
    today: Month,
) -> ContractState {
    // Later entries overwrite earlier ones: the last import of a month wins.
    let latest: BTreeMap<Month, &MonthConfirmation> = confirmations
        .iter()
        .filter(|c| terms.contains(c.month))
        .map(|c| (c.month, c))
        .collect();
    let check = |month: Month| MonthCheck::of(month, latest.get(&month).copied());

    let mut status = ContractStatus::Active;
    let mut ended_in = None;
    let (mut confirmed, mut run) = (0, 0);
    let mut months = Vec::new();
    let mut awaiting_report = None;
    let mut next = Some(terms.start_month);
    while let Some(month) = next.filter(|m| *m < today && terms.contains(*m)) {
        let month_check = check(month);
        if !month_check.reported && month.plus(1).is_some_and(|after| after >= today) {
            // Its report is due during the current month: it may still come.
            awaiting_report = Some(month);
            break;
        }
        if month_check.confirmed() {
            confirmed += 1;
            run = 0;
        } else {
            run += 1;
        }
        months.push(month_check);
        if run >= terms.breach_threshold {
            (status, ended_in) = (ContractStatus::Breached, Some(month));
            break;
        }
        if confirmed >= terms.required_months {
            (status, ended_in) = (ContractStatus::Fulfilled, Some(month));
            break;
        }
        next = month.plus(1);
    }

    let active = status == ContractStatus::Active;
    ContractState {
        status,
        ended_in,
        confirmed,
        required: terms.required_months,
        months,
        awaiting_report: awaiting_report.filter(|_| active),
        unconfirmed_run: run,
        at_risk: active && run > 0,
        this_month: (active && terms.contains(today)).then(|| check(today)),
        expected_payout_month: active
            .then(|| {
                awaiting_report
                    .unwrap_or(today)
                    .max(terms.start_month)
                    .plus(terms.required_months.saturating_sub(confirmed))
            })
            .flatten(),
        payout: match status {
            ContractStatus::Breached => Tenge::ZERO,
            _ => terms.payout(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::contract::encoding::tests::example;

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn all_true(m: &str) -> MonthConfirmation {
        MonthConfirmation {
            month: month(m),
            resident: true,
            employed: true,
            social_paid: true,
            pension_paid: true,
        }
    }

    #[test]
    fn before_the_start_nothing_counts_yet() {
        // The example starts in April 2026.
        let s = state(&example(), &[], month("2026-03"));
        assert_eq!(s.status, ContractStatus::Active);
        assert_eq!((s.confirmed, s.required, s.unconfirmed_run), (0, 24, 0));
        assert!(s.months.is_empty() && !s.at_risk && s.this_month.is_none());
        assert_eq!(s.expected_payout_month, Some(month("2028-04")));
    }

    #[test]
    fn the_current_month_shows_what_is_missing_without_counting() {
        let mut april = all_true("2026-04");
        april.pension_paid = false;
        let s = state(&example(), &[april], month("2026-04"));
        assert!(s.months.is_empty(), "April has not ended");
        let this = s.this_month.unwrap();
        assert!(this.reported);
        assert_eq!(this.missing, [Requirement::PensionPaid]);

        // In May, April has ended and counts as unconfirmed; May has no data yet.
        let s = state(&example(), &[april], month("2026-05"));
        assert_eq!((s.confirmed, s.unconfirmed_run), (0, 1));
        assert!(s.at_risk);
        let may = s.this_month.unwrap();
        assert!(!may.reported);
        assert_eq!(may.missing, Requirement::ALL);
        // One month lost: the 24 needed months can be May 2026 to April 2028.
        assert_eq!(s.expected_payout_month, Some(month("2028-05")));
    }

    #[test]
    fn a_month_without_a_report_is_unconfirmed_once_the_next_month_has_ended() {
        let april = [all_true("2026-04")];
        // In June, May's report can still come: May is awaited, not yet unconfirmed.
        let s = state(&example(), &april, month("2026-06"));
        assert_eq!((s.confirmed, s.unconfirmed_run), (1, 0));
        assert_eq!(s.awaiting_report, Some(month("2026-05")));
        assert!(!s.at_risk);
        // If May comes confirmed, 22 more months are needed from June; the payout month
        // counts from the awaited month.
        assert_eq!(s.expected_payout_month, Some(month("2028-04")));
        // In July, May is unconfirmed and June awaited.
        let s = state(&example(), &april, month("2026-07"));
        assert_eq!((s.confirmed, s.unconfirmed_run), (1, 1));
        assert_eq!(s.awaiting_report, Some(month("2026-06")));
        assert!(s.at_risk);
        let s = state(&example(), &april, month("2026-08"));
        assert_eq!((s.confirmed, s.unconfirmed_run), (1, 2));
        assert_eq!(s.status, ContractStatus::Active);
        // July's report did not come during August: the third unconfirmed month.
        let s = state(&example(), &april, month("2026-09"));
        assert_eq!(s.status, ContractStatus::Breached);
        assert_eq!(s.ended_in, Some(month("2026-07")));
        assert_eq!(s.payout, Tenge::ZERO);
        assert!(!s.at_risk && s.this_month.is_none() && s.expected_payout_month.is_none());
        assert_eq!(s.awaiting_report, None);
        // A report that says a month failed counts at once: no need to wait for it.
        let mut july = all_true("2026-07");
        july.resident = false;
        let s = state(&example(), &[april[0], july], month("2026-08"));
        assert_eq!(s.status, ContractStatus::Breached);
    }

    /// Month `i` of the example contract, counted from 0 (April 2026).
    fn nth(i: u32) -> Month {
        month("2026-04").plus(i).unwrap()
    }

    fn confirmed(i: u32) -> MonthConfirmation {
        all_true(&nth(i).to_string())
    }

    #[test]
    fn twenty_three_confirmed_months_then_three_unconfirmed_breach() {
        let history: Vec<_> = (0..23).map(confirmed).collect();
        // Months 23 and 24 unconfirmed, 25's report awaited: at risk, one more would
        // breach.
        let s = state(&example(), &history, nth(26));
        assert_eq!(s.status, ContractStatus::Active);
        assert_eq!((s.confirmed, s.unconfirmed_run), (23, 2));
        assert_eq!(s.awaiting_report, Some(nth(25)));
        assert!(s.at_risk);
        assert_eq!(s.payout, example().payout());
        let s = state(&example(), &history, nth(27));
        assert_eq!(s.status, ContractStatus::Breached);
        assert_eq!(s.ended_in, Some(nth(25)));
        assert_eq!((s.confirmed, s.unconfirmed_run), (23, 3));
        assert_eq!(s.payout, Tenge::ZERO);
        // A reported month that lacks one thing counts as unconfirmed like a missing one.
        let mut partial = history;
        partial.extend((23..26).map(|i| MonthConfirmation {
            employed: false,
            ..confirmed(i)
        }));
        let s = state(&example(), &partial, nth(26));
        assert_eq!(s.status, ContractStatus::Breached);
        assert!(s.months[23].reported && s.months[23].missing == [Requirement::Employed]);
    }

    #[test]
    fn twenty_four_confirmed_months_with_gaps_of_two_fulfil() {
        // Two unconfirmed months before each confirmed one: 72 months, the longest a
        // contract can run.
        let history: Vec<_> = (0..24).map(|k| confirmed(3 * k + 2)).collect();
        let s = state(&example(), &history, nth(71));
        assert_eq!(
            s.status,
            ContractStatus::Active,
            "the last month has not ended"
        );
        // Month 69 unconfirmed, 70's report awaited: confirmed, it would be the 24th.
        assert_eq!((s.confirmed, s.unconfirmed_run), (23, 1));
        assert_eq!(s.awaiting_report, Some(nth(70)));
        assert_eq!(s.expected_payout_month, Some(nth(71)));
        let s = state(&example(), &history, nth(72));
        assert_eq!(s.status, ContractStatus::Fulfilled);
        assert_eq!(s.ended_in, Some(nth(71)));
        assert_eq!(example().last_month(), nth(71));
        assert_eq!((s.confirmed, s.months.len()), (24, 72));
        assert_eq!(s.payout, example().payout());
        assert!(s.this_month.is_none() && s.expected_payout_month.is_none());
        // Final too: later months, even unconfirmed ones, change nothing.
        assert_eq!(
            state(&example(), &history, nth(90)).status,
            ContractStatus::Fulfilled
        );
    }

    #[test]
    fn a_month_imported_again_counts_as_last_sent() {
        let mut history: Vec<_> = (0..24).map(confirmed).collect();
        let mut corrected = confirmed(10);
        corrected.social_paid = false;
        history.push(corrected);
        let s = state(&example(), &history, nth(24));
        assert_eq!(s.status, ContractStatus::Active);
        assert_eq!(s.confirmed, 23);
        assert_eq!(s.months[10].missing, [Requirement::SocialPaid]);
        // Sent once more, corrected back: it counts again.
        history.push(confirmed(10));
        let s = state(&example(), &history, nth(24));
        assert_eq!((s.status, s.confirmed), (ContractStatus::Fulfilled, 24));
    }

    #[test]
    fn the_order_of_the_confirmations_does_not_matter() {
        let mut history: Vec<_> = (0..24).filter(|i| i % 5 != 4).map(confirmed).collect();
        let in_order = state(&example(), &history, nth(24));
        history.reverse();
        let swapped = history.len() / 2;
        history.swap(0, swapped);
        assert_eq!(state(&example(), &history, nth(24)), in_order);
        assert_eq!(
            (in_order.confirmed, in_order.status),
            (20, ContractStatus::Active)
        );
    }

    #[test]
    fn confirmations_outside_the_contract_are_ignored() {
        let s = state(
            &example(),
            &[all_true("2026-03"), all_true("2040-01")],
            month("2026-06"),
        );
        assert_eq!((s.confirmed, s.unconfirmed_run), (0, 1));
    }
}
