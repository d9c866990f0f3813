//! Where a signed contract stands, worked out in the browser from its terms and the
//! confirmations with `shared::contract::state`: months confirmed, the timeline, what this
//! month still lacks, and the payout expected, made, or lost.

use super::{
    format::{day_text, money, month_name},
    timeline::{items, Timeline},
};
use crate::{
    i18n::{t, tf, ContractsKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    contract::{
        api::{Contract, PayoutView},
        state,
        state::MonthCheck,
        state::Requirement,
        ContractState, ContractStatus,
    },
    ledger::Month,
    Lang,
};

fn requirement_name(requirement: Requirement, lang: Lang) -> &'static str {
    t(
        lang,
        match requirement {
            Requirement::Resident => K::NeedResident,
            Requirement::Employed => K::NeedEmployed,
            Requirement::SocialPaid => K::NeedSocialPaid,
            Requirement::PensionPaid => K::NeedPensionPaid,
        },
    )
}

/// The months of the run of unconfirmed ones that ends the timeline: first and last.
fn unconfirmed_run(state: &ContractState) -> Option<(Month, Month)> {
    let run = usize::try_from(state.unconfirmed_run).ok()?;
    let start = state.months.len().checked_sub(run)?;
    let months = state.months.get(start..)?;
    Some((months.first()?.month, months.last()?.month))
}

/// The contract's state section.
#[component]
pub fn Progress(contract: Contract) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let terms = &contract.terms;
    let now = state(terms, &contract.confirmations, contract.today);
    let timeline = items(terms, &now, contract.today);

    let at_risk = now.at_risk.then(|| {
        view! {
            <div id="at-risk" class="notice notice-warning">
                <p>
                    <strong>{t(l, K::AtRisk)}</strong>
                    " "
                    {tf(
                        l,
                        K::AtRiskText,
                        &[&now.unconfirmed_run.to_string(), &terms.breach_threshold.to_string()],
                    )}
                </p>
            </div>
        }
    });
    let this_month = match (&now.this_month, now.status) {
        (Some(check), _) => Some(this_month_view(check, l).into_any()),
        (None, ContractStatus::Active) if contract.today < terms.start_month => Some(
            view! {
                <p id="missing-this-month">
                    {tf(l, K::StartsIn, &[&month_name(terms.start_month, l)])}
                </p>
            }
            .into_any(),
        ),
        _ => None,
    };
    let outcome = match now.status {
        ContractStatus::Active => now.expected_payout_month.map(|month| {
            view! {
                <dl id="expected-payout" class="facts">
                    <dt>{t(l, K::ExpectedPayoutMonth)}</dt>
                    <dd>{month_name(month, l)}</dd>
                    <dt>{t(l, K::ExpectedPayoutAmount)}</dt>
                    <dd>{money(now.payout)}</dd>
                </dl>
            }
            .into_any()
        }),
        ContractStatus::Fulfilled => Some(match &contract.payout {
            Some(payout) => payout_view(payout, l).into_any(),
            None => view! {
                <p id="payout-pending" class="notice">
                    {tf(l, K::PayoutPending, &[&money(now.payout)])}
                </p>
            }
            .into_any(),
        }),
        ContractStatus::Breached => {
            let (first, last) = unconfirmed_run(&now).unwrap_or((contract.today, contract.today));
            Some(
                view! {
                    <div id="breached" class="notice notice-error">
                        <p>
                            {tf(
                                l,
                                K::BreachedText,
                                &[
                                    &now.unconfirmed_run.to_string(),
                                    &month_name(first, l),
                                    &month_name(last, l),
                                ],
                            )}
                        </p>
                    </div>
                }
                .into_any(),
            )
        }
    };
    let ended = now.ended_in.map(|month| {
        let key = if now.status == ContractStatus::Fulfilled {
            K::FulfilledIn
        } else {
            K::BreachedIn
        };
        view! { <p id="contract-ended">{tf(l, key, &[&month_name(month, l)])}</p> }
    });

    view! {
        <section aria-labelledby="progress-title">
            <h2 id="progress-title">{t(l, K::ProgressTitle)}</h2>
            <p id="months-confirmed" class="contract-count">
                {tf(l, K::MonthsConfirmed, &[&now.confirmed.to_string(), &now.required.to_string()])}
            </p>
            {ended}
            {at_risk}
            {outcome}
            {this_month}
            <h3>{t(l, K::TimelineTitle)}</h3>
            <Timeline items=timeline/>
        </section>
    }
}

/// `#missing-this-month`: what the current month still needs to be confirmed.
fn this_month_view(check: &MonthCheck, l: Lang) -> impl IntoView {
    let heading = tf(l, K::ThisMonthTitle, &[&month_name(check.month, l)]);
    let body = if check.confirmed() {
        view! { <p>{t(l, K::ThisMonthComplete)}</p> }.into_any()
    } else {
        let intro = if check.reported {
            K::ThisMonthMissing
        } else {
            K::ThisMonthNoData
        };
        view! {
            <p>{t(l, intro)}</p>
            <ul class="list">
                {check
                    .missing
                    .iter()
                    .map(|r| view! { <li data-requirement=r.id()>{requirement_name(*r, l)}</li> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div id="missing-this-month" class="card">
            <h3>{heading}</h3>
            {body}
        </div>
    }
}

/// `#payout`: the compensation as the ledger posted it.
fn payout_view(payout: &PayoutView, l: Lang) -> impl IntoView {
    view! {
        <div id="payout" class="notice" data-transfer-id=payout.transfer_id.clone()>
            <h3>{t(l, K::PayoutTitle)}</h3>
            <dl class="facts">
                <dt>{t(l, K::PayoutAmount)}</dt>
                <dd>{money(payout.amount)}</dd>
                <dt>{t(l, K::PayoutDate)}</dt>
                <dd>{day_text(&payout.posted_at, l)}</dd>
                <dt>{t(l, K::PayoutSeq)}</dt>
                <dd>{payout.seq.to_string()}</dd>
                <dt>{t(l, K::PayoutTransfer)}</dt>
                <dd>
                    <code class="contract-hex">{payout.transfer_id.clone()}</code>
                </dd>
            </dl>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::contracts::tests::terms;
    use shared::contract::{api::Stage, MonthConfirmation};

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    fn contract(confirmations: Vec<MonthConfirmation>, today: &str) -> Contract {
        Contract {
            terms: terms(),
            fingerprint: String::new(),
            stage: Stage::Active,
            parties: Vec::new(),
            confirmations,
            today: month(today),
            payout: None,
            created_at: "2026-03-02T09:00:00Z".into(),
        }
    }

    fn render(contract: Contract) -> String {
        Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::En),
                from_url: Memo::new(|_| Some(Lang::En)),
            });
            view! { <Progress contract/> }.to_html()
        })
    }

    #[test]
    fn the_run_is_read_from_the_end_of_the_timeline() {
        // In July: April and May unconfirmed, June's report still awaited.
        let s = state(&terms(), &[], month("2026-07"));
        assert_eq!(
            unconfirmed_run(&s),
            Some((month("2026-04"), month("2026-05")))
        );
        let s = state(&terms(), &[], month("2026-04"));
        assert_eq!(unconfirmed_run(&s), None);
    }

    #[test]
    fn an_active_contract_at_risk_says_what_is_missing_and_when_it_pays() {
        // In June: April unconfirmed, May's report awaited, June lacks one thing so far.
        let mut june = MonthConfirmation {
            month: month("2026-06"),
            resident: true,
            employed: true,
            social_paid: false,
            pension_paid: true,
        };
        let html = render(contract(vec![june], "2026-06"));
        assert!(html.contains("0 of 24 months confirmed"), "{html}");
        assert!(html.contains(r#"id="at-risk""#), "{html}");
        assert!(html.contains(r#"data-requirement="social_paid""#), "{html}");
        assert!(!html.contains(r#"data-requirement="resident""#), "{html}");
        assert!(html.contains("May 2028"), "expected payout month: {html}");
        assert!(html.contains("1\u{202F}500\u{202F}000 ₸"), "{html}");

        june.social_paid = true;
        let html = render(contract(vec![june], "2026-06"));
        assert!(html.contains("Everything this month needs"), "{html}");
    }

    #[test]
    fn a_breached_contract_says_no_payout_and_from_when() {
        let html = render(contract(Vec::new(), "2026-08"));
        assert!(html.contains(r#"id="breached""#), "{html}");
        assert!(html.contains("April 2026"), "{html}");
        assert!(html.contains("June 2026"), "{html}");
        assert!(!html.contains("expected-payout"), "{html}");
    }

    #[test]
    fn a_paid_contract_shows_the_ledger_transfer() {
        let all = (0..24)
            .map(|n| MonthConfirmation {
                month: month("2026-04").plus(n).unwrap(),
                resident: true,
                employed: true,
                social_paid: true,
                pension_paid: true,
            })
            .collect();
        let mut c = contract(all, "2028-05");
        c.payout = Some(PayoutView {
            transfer_id: "0123456789abcdef0123456789abcdef".into(),
            seq: 42,
            amount: shared::Tenge::from_tiyn(150_000_000),
            posted_at: "2028-04-03T08:00:00Z".into(),
        });
        let html = render(c);
        assert!(
            html.contains(r#"data-transfer-id="0123456789abcdef0123456789abcdef""#),
            "{html}"
        );
        assert!(html.contains("3 April 2028"), "{html}");
        assert!(html.contains("March 2028"), "fulfilled in: {html}");
    }
}
