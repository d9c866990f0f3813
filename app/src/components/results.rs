//! The browser's answer, updated as the person types: verdict, amounts, every rule with its
//! reason and legal basis. Ticks and crosses always come with words.

use crate::{
    browser,
    form::Field,
    i18n::{t, tf, tr, Key},
    outcome::Outcome,
    use_lang,
};
use leptos::prelude::*;
use shared::{
    api::{Entitlements, RuleResult, Warning},
    Lang, Policy, Tenge,
};

/// A date in a sentence as its readers expect it: `01.01.2026` in Kazakh and Russian,
/// `1 January 2026` in English; the same words as the shared rules' reasons use.
pub fn format_date(date: chrono::NaiveDate, lang: Lang) -> String {
    shared::date::format(date, lang)
}

pub fn tenge(amount: Tenge) -> String {
    format!("{} ₸", amount.grouped())
}

fn incomplete(fields: &[Field], lang: Lang) -> AnyView {
    let items = fields
        .iter()
        .map(|f| {
            let id = f.id();
            view! {
                <li>
                    <a
                        href=format!("#{id}")
                        on:click=move |ev| {
                            ev.prevent_default();
                            browser::focus(id, true);
                        }
                    >
                        {t(lang, f.label())}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <p>{t(lang, Key::ResultsIncomplete)}</p>
        <ul class="todo">{items}</ul>
    }
    .into_any()
}

/// What an MRP is and its value on the as-of date, next to amounts counted in MRP.
fn mrp_note(as_of: chrono::NaiveDate, lang: Lang) -> Option<String> {
    let mrp = shared::Policy::current().mrp(as_of).ok()?;
    Some(tf(
        lang,
        Key::MrpExplain,
        &[
            &Tenge::new(mrp.value).grouped(),
            &format_date(mrp.from, lang),
        ],
    ))
}

fn entitlements(e: &Entitlements, as_of: chrono::NaiveDate, lang: Lang) -> AnyView {
    let basis = |item: &str| e.basis.iter().find(|b| b.item == item);
    let rows = [
        (
            "relocation_subsidy",
            Key::SupportRelocationTitle,
            e.relocation_subsidy.to_string(),
            tenge(e.relocation_subsidy),
        ),
        (
            "monthly_voucher",
            Key::SupportVoucherTitle,
            e.monthly_voucher.to_string(),
            tenge(e.monthly_voucher),
        ),
        (
            "voucher_months",
            Key::EntVoucherMonths,
            e.voucher_months.to_string(),
            tf(lang, Key::MonthsValue, &[&e.voucher_months.to_string()]),
        ),
        (
            "employer_housing_limit",
            Key::EntEmployerLimit,
            e.employer_housing_limit.to_string(),
            tenge(e.employer_housing_limit),
        ),
    ]
    .into_iter()
    .map(|(item, title, raw, shown)| {
        let (explanation, source) = basis(item)
            .map(|b| (b.explanation.clone(), b.source.clone()))
            .unwrap_or_default();
        view! {
            <div class="entitlement">
                <dt>{t(lang, title)}</dt>
                <dd>
                    <span class="amount" data-amount=item data-value=raw>{shown}</span>
                    <p class="basis">{explanation}</p>
                    <details class="disclosure">
                        <summary>{t(lang, Key::LegalBasis)}</summary>
                        <p class="source">
                            <span class="label">{t(lang, Key::SourceLabel)}</span>
                            " "
                            {source}
                        </p>
                    </details>
                </dd>
            </div>
        }
    })
    .collect_view();
    view! {
        <h3>{t(lang, Key::EntitlementsHeading)}</h3>
        <dl class="entitlements">{rows}</dl>
        <p class="note mrp-note">{mrp_note(as_of, lang)}</p>
    }
    .into_any()
}

fn verdict(eligible: bool, as_of: chrono::NaiveDate, policy: &str, lang: Lang) -> AnyView {
    let (mark, verdict) = if eligible {
        ("✓", Key::VerdictEligible)
    } else {
        ("✗", Key::VerdictNotEligible)
    };
    view! {
        <p id="verdict" class="verdict" data-eligible=eligible.to_string()>
            <span class="mark" aria-hidden="true">{mark}</span>
            " "
            {t(lang, verdict)}
        </p>
        <p class="as-of">{tf(lang, Key::VerdictAsOf, &[&format_date(as_of, lang)])}</p>
        <p class="as-of policy-used">{tf(lang, Key::PolicyUsed, &[policy])}</p>
    }
    .into_any()
}

fn warnings(warnings: &[Warning], lang: Lang) -> AnyView {
    let items = warnings
        .iter()
        .map(|w| view! { <li data-warning=w.code.clone()>{w.message.clone()}</li> })
        .collect_view();
    view! {
        <div class="notice notice-warning">
            <h3>{t(lang, Key::WarningsHeading)}</h3>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

fn rule(rule: RuleResult) -> impl IntoView {
    let (mark, status) = if rule.passed {
        ("✓", Key::RulePassed)
    } else {
        ("✗", Key::RuleFailed)
    };
    let id = rule.id;
    let label = id.clone();
    view! {
        <li class="rule" data-rule=id data-passed=rule.passed.to_string()>
            <p class="rule-head">
                <span class="mark" aria-hidden="true">{mark}</span>
                <span class="rule-status">{tr(status)}</span>
                <span class="rule-id">{label}</span>
            </p>
            <p class="reason">{rule.reason}</p>
            <details class="disclosure">
                <summary>{tr(Key::LegalBasis)}</summary>
                <p class="citation-line">
                    <span class="label">{tr(Key::CitationLabel)}</span>
                    " "
                    <span class="citation">{rule.citation}</span>
                </p>
            </details>
        </li>
    }
}

/// The answer is split into parts that each change only when their content does, so the
/// live region announces what changed rather than the whole answer on every keystroke.
#[component]
pub fn Results(outcome: Memo<Outcome>, children: Children) -> impl IntoView {
    let lang = use_lang();
    let answer = move |o: &Outcome| match o {
        Outcome::Answer(r) => Some(r.clone()),
        _ => None,
    };
    let missing = Memo::new(move |_| {
        outcome.with(|o| match o {
            Outcome::Incomplete(fields) => Some(fields.clone()),
            _ => None,
        })
    });
    let no_policy = Memo::new(move |_| outcome.with(|o| matches!(o, Outcome::NoPolicy)));
    let head = Memo::new(move |_| {
        outcome.with(|o| answer(o).map(|r| (r.eligible, r.as_of, r.policy_version)))
    });
    let cautions = Memo::new(move |_| outcome.with(|o| answer(o).map(|r| r.warnings)));
    let amounts = Memo::new(move |_| {
        outcome.with(|o| answer(o).and_then(|r| r.entitlements.map(|e| (e, r.as_of))))
    });
    // Every rule is always reported, in the same order: one slot per rule, each redrawn
    // only when its own rule's outcome or wording changes.
    let rule_slots = (0..Policy::current().rules.len())
        .map(|i| {
            let slot = Memo::new(move |_| {
                outcome.with(|o| match o {
                    Outcome::Answer(r) => r.rules.get(i).cloned(),
                    _ => None,
                })
            });
            move || slot.get().map(rule)
        })
        .collect_view();
    view! {
        <section class="card results" aria-labelledby="results-heading">
            <h2 id="results-heading" tabindex="-1">{tr(Key::ResultsHeading)}</h2>
            {children()}
            <div class="live" aria-live="polite">
                {move || missing.get().map(|f| incomplete(&f, lang.get()))}
                {move || {
                    no_policy
                        .get()
                        .then(|| {
                            view! { <p class="notice notice-error">{tr(Key::PolicyNotInForce)}</p> }
                        })
                }}
                {move || {
                    head.get()
                        .map(|(eligible, as_of, policy)| verdict(eligible, as_of, &policy, lang.get()))
                }}
                {move || {
                    cautions
                        .get()
                        .filter(|w| !w.is_empty())
                        .map(|w| warnings(&w, lang.get()))
                }}
                {move || amounts.get().map(|(e, as_of)| entitlements(&e, as_of, lang.get()))}
                {move || head.with(Option::is_some).then(|| view! { <h3>{tr(Key::RulesHeading)}</h3> })}
                <ol class="rules">{rule_slots}</ol>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(format_date(date(2026, 1, 1), Lang::Kk), "01.01.2026");
        assert_eq!(format_date(date(2026, 1, 1), Lang::Ru), "01.01.2026");
        assert_eq!(format_date(date(2026, 1, 1), Lang::En), "1 January 2026");
        assert_eq!(format_date(date(2008, 2, 29), Lang::Kk), "29.02.2008");
        assert_eq!(format_date(date(2008, 2, 29), Lang::Ru), "29.02.2008");
        assert_eq!(format_date(date(2008, 2, 29), Lang::En), "29 February 2008");
        assert_eq!(format_date(date(2025, 11, 7), Lang::En), "7 November 2025");
    }

    /// The MRP note under the amounts, where the date sits inside a sentence.
    #[test]
    fn the_mrp_note_has_no_iso_date() {
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let note = |lang| mrp_note(as_of, lang).unwrap();
        assert!(
            note(Lang::Ru).contains("с 01.01.2026"),
            "{}",
            note(Lang::Ru)
        );
        assert!(
            note(Lang::Kk).contains("01.01.2026 бастап"),
            "{}",
            note(Lang::Kk)
        );
        assert!(
            note(Lang::En).contains("from 1 January 2026"),
            "{}",
            note(Lang::En)
        );
        for lang in Lang::ALL {
            assert!(!note(lang).contains("2026-01-01"), "{}", note(lang));
        }
    }
}
