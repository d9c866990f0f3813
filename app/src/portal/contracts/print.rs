//! `/{lang}/my/contracts/{id}/print`: the contract as a document for A4 — parties, terms,
//! obligations, the month schedule, the breach rule and the signatures, with the
//! fingerprint at the top, under the schedule on every page it runs over, and at the end.
//! The print style sheet (`@media print` in `style/main.css`) drops the site around it.

use super::{
    contract_or,
    format::{moment_text, month_name},
    own_fingerprint, party_name,
    terms::{named, TermsList},
    use_contract, EVERYONE,
};
use crate::{
    i18n::{t, tf, ContractsKey as K},
    portal::{my_path, Signed},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    contract::{api::Contract, ContractTerms, Party},
    ledger::Month,
    Policy,
};

/// One line of the schedule: the contract month's number, its calendar month, and the
/// month its confirmation is due (the feed reports a month once it has ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ScheduleRow {
    number: u32,
    month: Month,
    due: Month,
}

/// The required months from the start month, if every one is confirmed.
fn schedule(terms: &ContractTerms) -> Vec<ScheduleRow> {
    (0..terms.required_months)
        .map_while(|n| {
            let month = terms.start_month.plus(n)?;
            Some(ScheduleRow {
                number: n + 1,
                month,
                due: month.plus(1)?,
            })
        })
        .collect()
}

/// Asks the browser to print the page.
fn print_page() {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

#[component]
pub fn PrintContract() -> impl IntoView {
    view! {
        <Signed roles=EVERYONE>
            <PrintView/>
        </Signed>
    }
}

#[component]
fn PrintView() -> impl IntoView {
    let lang = use_lang();
    let (id, contract, _) = use_contract();
    move || {
        contract_or(id.get(), contract.get(), lang.get(), |c| {
            view! { <Document contract=c/> }.into_any()
        })
    }
}

/// Each party's obligations, in the order the contract lists them.
fn obligations(party: Party) -> &'static [K] {
    match party {
        Party::Resettler => &[K::DutyResettlerLive, K::DutyResettlerRegister],
        Party::Employer => &[
            K::DutyEmployerEmploy,
            K::DutyEmployerSalary,
            K::DutyEmployerContributions,
            K::DutyEmployerHousing,
            K::DutyEmployerCompensated,
        ],
        Party::Akimat => &[K::DutyAkimatConfirm, K::DutyAkimatPay],
    }
}

#[component]
fn Document(contract: Contract) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let terms = contract.terms.clone();
    let id = terms.contract_id;
    let fingerprint = own_fingerprint(&terms);
    let fingerprint_line = tf(l, K::FingerprintLine, &[&fingerprint]);
    let mismatch = (fingerprint != contract.fingerprint).then(|| {
        view! {
            <div id="fingerprint-mismatch" class="notice notice-error" role="alert">
                <p>{tf(l, K::FingerprintMismatch, &[&contract.fingerprint])}</p>
            </div>
        }
    });
    let region = Policy::current().region_name(terms.region, l).to_string();
    // Values for the obligations' placeholders: region, salary, limit, months.
    let values = [
        region.clone(),
        super::format::money(terms.monthly_salary),
        super::format::money(terms.housing_limit),
        terms.required_months.to_string(),
    ];
    let duties = Party::ALL
        .into_iter()
        .map(|party| {
            let args: Vec<&str> = values.iter().map(String::as_str).collect();
            view! {
                <h3>{party_name(party, l)} ": " {named(&contract, party, l)}</h3>
                <ul>
                    {obligations(party)
                        .iter()
                        .map(|key| view! { <li>{tf(l, *key, &args)}</li> })
                        .collect_view()}
                </ul>
            }
        })
        .collect_view();
    let rows = schedule(&terms)
        .into_iter()
        .map(|row| {
            view! {
                <tr data-month=row.month.to_string()>
                    <td>{row.number.to_string()}</td>
                    <td>{month_name(row.month, l)}</td>
                    <td>{month_name(row.due, l)}</td>
                </tr>
            }
        })
        .collect_view();
    let signatures = contract
        .parties
        .iter()
        .map(|p| {
            let (signer, key, at) = match &p.signature {
                Some(s) => (
                    s.signer_name.clone(),
                    s.key_fingerprint.clone(),
                    moment_text(&s.signed_at, l),
                ),
                None => (t(l, K::NotSigned).to_string(), String::new(), String::new()),
            };
            view! {
                <tr data-party=p.party.id() data-signed=p.signature.is_some().to_string()>
                    <th scope="row">{party_name(p.party, l)}</th>
                    <td>{signer}</td>
                    <td>
                        <code class="contract-hex">{key}</code>
                    </td>
                    <td>{at}</td>
                </tr>
            }
        })
        .collect_view();

    view! {
        <p class="contract-print-actions">
            <button type="button" class="button" id="print-button" on:click=|_| print_page()>
                {t(l, K::PrintButton)}
            </button>
            " "
            <a id="back-to-contract" href=my_path(l, &format!("contracts/{id}"))>
                {t(l, K::BackToContract)}
            </a>
        </p>
        {mismatch}
        <article id="contract-print" class="contract-doc">
            <p class="contract-doc-fingerprint">{fingerprint_line.clone()}</p>
            <h1>{tf(l, K::DocTitle, &[&id.to_string()])}</h1>
            <p>
                {tf(
                    l,
                    K::DocMade,
                    &[&shared::date::format(terms.created_on, l), &region],
                )}
            </p>
            <p>{t(l, K::DocPreamble)}</p>
            <h2>{t(l, K::TermsTitle)}</h2>
            <TermsList contract=contract.clone()/>
            <h2>{t(l, K::ObligationsTitle)}</h2>
            {duties}
            <h2>{t(l, K::ScheduleTitle)}</h2>
            <p>{tf(l, K::ScheduleIntro, &[&terms.required_months.to_string()])}</p>
            <table class="contract-schedule">
                <thead>
                    <tr>
                        <th scope="col">{t(l, K::ScheduleNumber)}</th>
                        <th scope="col">{t(l, K::ScheduleMonth)}</th>
                        <th scope="col">{t(l, K::ScheduleDue)}</th>
                    </tr>
                </thead>
                <tfoot>
                    <tr>
                        <td colspan="3">{fingerprint_line.clone()}</td>
                    </tr>
                </tfoot>
                <tbody>{rows}</tbody>
            </table>
            <h2>{t(l, K::BreachTitle)}</h2>
            <p>{tf(l, K::BreachRule, &[&terms.breach_threshold.to_string()])}</p>
            <h2>{t(l, K::SignaturesTitle)}</h2>
            <table class="contract-signatures">
                <thead>
                    <tr>
                        <th scope="col">{t(l, K::SignatureParty)}</th>
                        <th scope="col">{t(l, K::SignedBy)}</th>
                        <th scope="col">{t(l, K::KeyFingerprint)}</th>
                        <th scope="col">{t(l, K::SignedAt)}</th>
                    </tr>
                </thead>
                <tbody>{signatures}</tbody>
            </table>
            <p class="contract-doc-fingerprint">{fingerprint_line}</p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::contracts::tests::terms;
    use shared::Lang;

    #[test]
    fn the_schedule_lists_the_required_months_from_the_start() {
        let rows = schedule(&terms());
        assert_eq!(rows.len(), 24);
        let month = |t: &str| Month::parse(t).unwrap();
        assert_eq!(
            rows[0],
            ScheduleRow {
                number: 1,
                month: month("2026-04"),
                due: month("2026-05")
            }
        );
        assert_eq!(rows[8].month, month("2026-12"));
        assert_eq!(rows[9].month, month("2027-01"));
        assert_eq!(rows[23].number, 24);
        assert_eq!(rows[23].month, month("2028-03"));
        assert_eq!(rows[23].due, month("2028-04"));
    }

    #[test]
    fn every_party_has_obligations() {
        for party in Party::ALL {
            assert!(!obligations(party).is_empty());
        }
    }

    #[test]
    fn the_document_carries_the_fingerprint_at_both_ends_and_under_the_schedule() {
        let terms = terms();
        let contract = Contract {
            fingerprint: own_fingerprint(&terms),
            terms,
            stage: shared::contract::api::Stage::Signing,
            parties: Vec::new(),
            confirmations: Vec::new(),
            today: Month::new(2026, 3).unwrap(),
            payout: None,
            created_at: "2026-03-02T09:00:00Z".into(),
        };
        let fp = contract.fingerprint.clone();
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::Ru),
                from_url: Memo::new(|_| Some(Lang::Ru)),
            });
            view! { <Document contract/> }.to_html()
        });
        assert_eq!(html.matches(&fp).count(), 3, "{html}");
        assert!(html.contains(r#"id="print-button""#), "{html}");
        assert!(html.contains("март 2028"), "{html}");
        assert!(html.contains("<tfoot>"), "{html}");
        assert!(!html.contains("fingerprint-mismatch"), "{html}");
    }
}
