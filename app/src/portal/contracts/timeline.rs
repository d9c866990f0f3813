//! The contract's months on a line: those counted so far as confirmed or not, the month
//! whose report is awaited, then the current month and the months still needed for the
//! payout if every one is confirmed.
//! Each month says its state in words, not by colour alone.

use super::format::month_name;
use crate::{
    i18n::{t, ContractsKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    contract::{ContractState, ContractStatus, ContractTerms},
    ledger::Month,
};

/// Where one month of the timeline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Confirmed,
    /// Ended without all four confirmations.
    Unconfirmed,
    /// Ended; its report can still come this month.
    Awaiting,
    /// In progress: counted once it has ended.
    Current,
    /// Still ahead.
    Future,
}

impl Mark {
    /// The `data-state` value.
    pub fn id(self) -> &'static str {
        match self {
            Mark::Confirmed => "confirmed",
            Mark::Unconfirmed => "unconfirmed",
            Mark::Awaiting => "awaiting",
            Mark::Current => "current",
            Mark::Future => "future",
        }
    }

    fn text(self) -> K {
        match self {
            Mark::Confirmed => K::MonthConfirmed,
            Mark::Unconfirmed => K::MonthUnconfirmed,
            Mark::Awaiting => K::MonthAwaiting,
            Mark::Current => K::MonthCurrent,
            Mark::Future => K::MonthFuture,
        }
    }
}

/// The timeline of a contract in `state` in month `today`: every counted month, and while
/// active the months from now (or from the start) that would complete the required ones.
/// At least `required` months long for an active contract.
pub fn items(terms: &ContractTerms, state: &ContractState, today: Month) -> Vec<(Month, Mark)> {
    let mut items: Vec<(Month, Mark)> = state
        .months
        .iter()
        .map(|m| {
            let mark = if m.confirmed() {
                Mark::Confirmed
            } else {
                Mark::Unconfirmed
            };
            (m.month, mark)
        })
        .collect();
    if state.status == ContractStatus::Active {
        let awaiting = state.awaiting_report.map(|month| (month, Mark::Awaiting));
        items.extend(awaiting);
        let first = today.max(terms.start_month);
        let needed = state
            .required
            .saturating_sub(state.confirmed)
            .saturating_sub(u32::from(awaiting.is_some()));
        let ahead = (0..needed)
            .map_while(|n| first.plus(n))
            .take_while(|m| terms.contains(*m))
            .map(|m| {
                (
                    m,
                    if m == today {
                        Mark::Current
                    } else {
                        Mark::Future
                    },
                )
            });
        items.extend(ahead);
    }
    items
}

/// `ol#timeline`.
#[component]
pub fn Timeline(items: Vec<(Month, Mark)>) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    view! {
        <ol id="timeline" class="contract-timeline">
            {items
                .into_iter()
                .map(|(month, mark)| {
                    view! {
                        <li data-month=month.to_string() data-state=mark.id()>
                            <span class="contract-timeline-month">{month_name(month, lang)}</span>
                            " "
                            <span class="contract-timeline-state">{t(lang, mark.text())}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::contracts::tests::terms;
    use shared::contract::{state, MonthConfirmation};

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn confirmed(m: &str) -> MonthConfirmation {
        MonthConfirmation {
            month: month(m),
            resident: true,
            employed: true,
            social_paid: true,
            pension_paid: true,
        }
    }

    fn marks(items: &[(Month, Mark)]) -> Vec<&'static str> {
        items.iter().map(|(_, m)| m.id()).collect()
    }

    #[test]
    fn before_the_start_every_required_month_is_ahead() {
        // The contract starts in April 2026.
        let terms = terms();
        let s = state(&terms, &[], month("2026-03"));
        let items = items(&terms, &s, month("2026-03"));
        assert_eq!(items.len(), 24);
        assert_eq!(items[0], (month("2026-04"), Mark::Future));
        assert_eq!(items[23], (month("2028-03"), Mark::Future));
    }

    #[test]
    fn counted_months_then_the_current_one_then_what_is_still_needed() {
        let terms = terms();
        let today = month("2026-07");
        let s = state(&terms, &[confirmed("2026-04"), confirmed("2026-06")], today);
        let items = items(&terms, &s, today);
        assert_eq!(
            marks(&items[..5]),
            ["confirmed", "unconfirmed", "confirmed", "current", "future"]
        );
        assert_eq!(items[3].0, today);
        // One month was lost: 25 months from April 2026, the last one April 2028.
        assert_eq!(items.len(), 25);
        assert_eq!(items.last().unwrap().0, month("2028-04"));
        assert_eq!(
            s.expected_payout_month,
            Some(items.last().unwrap().0.plus(1).unwrap())
        );
    }

    #[test]
    fn a_finished_contract_shows_only_its_counted_months() {
        let terms = terms();
        let s = state(&terms, &[confirmed("2026-04")], month("2026-09"));
        assert_eq!(s.status, ContractStatus::Breached);
        let breached = items(&terms, &s, month("2026-09"));
        assert_eq!(
            marks(&breached),
            ["confirmed", "unconfirmed", "unconfirmed", "unconfirmed"]
        );

        let all: Vec<_> = (0..24)
            .map(|n| confirmed(&month("2026-04").plus(n).unwrap().to_string()))
            .collect();
        let s = state(&terms, &all, month("2029-01"));
        assert_eq!(s.status, ContractStatus::Fulfilled);
        let fulfilled = items(&terms, &s, month("2029-01"));
        assert_eq!(fulfilled.len(), 24);
        assert!(fulfilled.iter().all(|(_, m)| *m == Mark::Confirmed));
    }

    #[test]
    fn each_month_says_its_state_in_words() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| shared::Lang::En),
                from_url: Memo::new(|_| Some(shared::Lang::En)),
            });
            let items = vec![
                (month("2026-04"), Mark::Confirmed),
                (month("2026-05"), Mark::Current),
            ];
            view! { <Timeline items/> }.to_html()
        });
        assert!(html.contains(r#"<ol id="timeline""#), "{html}");
        assert!(
            html.contains(r#"data-month="2026-04" data-state="confirmed""#),
            "{html}"
        );
        assert!(html.contains("April 2026"), "{html}");
        assert!(html.contains("This month"), "{html}");
    }
}
