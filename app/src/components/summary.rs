//! The answer in one line — verdict and the two main amounts — kept in view at the bottom of
//! a phone's screen while the person fills in the form, with a link down to the details.

use crate::{
    browser,
    components::results::tenge,
    i18n::{t, tf, tr, Key},
    outcome::Outcome,
    use_lang,
};
use leptos::prelude::*;

/// Verdict and amounts, or `None` while the form is incomplete or no policy is in force.
fn short(outcome: &Outcome) -> Option<(bool, Option<(String, String)>)> {
    match outcome {
        Outcome::Answer(r) => Some((
            r.eligible,
            r.entitlements
                .as_ref()
                .map(|e| (tenge(e.relocation_subsidy), tenge(e.monthly_voucher))),
        )),
        _ => None,
    }
}

#[component]
pub fn Summary(outcome: Memo<Outcome>) -> impl IntoView {
    let lang = use_lang();
    let answer = Memo::new(move |_| outcome.with(short));
    // The results region announces changes; this line repeats it visually only, so it is
    // not a live region too.
    let text = move || {
        let l = lang.get();
        match answer.get() {
            None => view! { <p class="summary-text">{t(l, Key::SummaryIncomplete)}</p> }.into_any(),
            Some((eligible, amounts)) => {
                let (mark, verdict) = if eligible {
                    ("✓", Key::VerdictEligible)
                } else {
                    ("✗", Key::VerdictNotEligible)
                };
                let amounts = amounts.map(|(once, monthly)| {
                    view! {
                        <span class="summary-amounts">
                            {tf(l, Key::SummaryAmounts, &[&once, &monthly])}
                        </span>
                    }
                });
                view! {
                    <p class="summary-text" data-eligible=eligible.to_string()>
                        <span class="mark" aria-hidden="true">{mark}</span>
                        " "
                        <strong>{t(l, verdict)}</strong>
                        " "
                        {amounts}
                    </p>
                }
                .into_any()
            }
        }
    };
    let to_details = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        browser::focus("results-heading", true);
    };
    view! {
        <aside class="summary" aria-label=tr(Key::SummaryLabel)>
            {text}
            <a class="summary-link" href="#results-heading" on:click=to_details>
                {tr(Key::SummaryDetails)}
            </a>
        </aside>
    }
}
