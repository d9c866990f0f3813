//! The terms of a contract as a list of what was agreed, for the contract page and its
//! printout.

use super::{
    format::{money, month_name},
    party_name,
};
use crate::{
    i18n::{t, tf, ContractsKey as K},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    contract::{api::Contract, Party},
    Policy,
};

/// The name a party goes by in the contract; its role's name if the server gave none.
pub fn named(contract: &Contract, party: Party, lang: shared::Lang) -> String {
    contract
        .parties
        .iter()
        .find(|p| p.party == party)
        .map_or_else(|| party_name(party, lang).to_string(), |p| p.name.clone())
}

/// `dl.contract-terms`.
#[component]
pub fn TermsList(contract: Contract) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let terms = &contract.terms;
    let resettler = format!(
        "{} ({} {})",
        named(&contract, Party::Resettler, l),
        t(l, K::Iin),
        terms.resettler_iin
    );
    let employer = format!(
        "{} ({} {})",
        named(&contract, Party::Employer, l),
        t(l, K::Bin),
        terms.employer_bin
    );
    view! {
        <dl class="facts contract-terms">
            <dt>{party_name(Party::Resettler, l)}</dt>
            <dd>{resettler}</dd>
            <dt>{party_name(Party::Employer, l)}</dt>
            <dd>{employer}</dd>
            <dt>{party_name(Party::Akimat, l)}</dt>
            <dd>{named(&contract, Party::Akimat, l)}</dd>
            <dt>{t(l, K::TermRegion)}</dt>
            <dd>{Policy::current().region_name(terms.region, l).to_string()}</dd>
            <dt>{t(l, K::TermPosition)}</dt>
            <dd>{terms.position.clone()}</dd>
            <dt>{t(l, K::TermSalary)}</dt>
            <dd id="term-salary">{money(terms.monthly_salary)}</dd>
            <dt>{t(l, K::TermStart)}</dt>
            <dd id="term-start">{month_name(terms.start_month, l)}</dd>
            <dt>{t(l, K::TermHousing)}</dt>
            <dd id="term-housing">
                {format!(
                    "{} / {} / {}",
                    money(terms.declared_housing_costs),
                    money(terms.housing_limit),
                    money(terms.payout()),
                )}
            </dd>
            <dt>{t(l, K::TermRequired)}</dt>
            <dd>{terms.required_months.to_string()}</dd>
            <dt>{t(l, K::TermBreach)}</dt>
            <dd>{tf(l, K::TermBreachValue, &[&terms.breach_threshold.to_string()])}</dd>
            <dt>{t(l, K::TermCreated)}</dt>
            <dd>{shared::date::format(terms.created_on, l)}</dd>
        </dl>
    }
}
