//! The tripartite contract's pages (SPEC §5): lists per role, one contract with its
//! timeline and signatures, its printout, and the officer's creation form.
//!
//! The pages never take the server's word for where a contract stands: they recompute the
//! fingerprint and the state from the terms and confirmations with the same shared code the
//! server runs.

mod amend;
mod create;
mod format;
mod home_links;
mod list;
mod page;
mod parties;
mod print;
mod progress;
mod revoke;
mod terms;
mod timeline;

pub use create::NewContract;
pub use home_links::HomeLinks;
pub use list::Contracts;
pub use page::ContractPage;
pub use print::PrintContract;

use super::notice::{failure_text, loading, FailureNotice};
use crate::{
    client::{self, Failure, FieldProblem},
    i18n::{t, tf, ContractsKey as K, PortalKey},
    use_lang,
};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::{
    account::{Account, Role},
    contract::{api::Contract, api::Stage, fingerprint, hex, ContractTerms, Party},
    Lang, Policy, Region,
};

/// Every role has contracts to see: parties their own, staff their region's or all.
const EVERYONE: &[Role] = &[Role::Resettler, Role::Employer, Role::Akimat, Role::Admin];

/// What a page has loaded from the server so far.
#[derive(Clone)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(Failure),
}

impl<T> From<Result<T, Failure>> for Load<T> {
    fn from(answer: Result<T, Failure>) -> Load<T> {
        match answer {
            Ok(value) => Load::Ready(value),
            Err(failure) => Load::Failed(failure),
        }
    }
}

/// The server's refusal of a form with `fields`: problems about other fields (the
/// application, the vacancy's salary) lose their field, so the summary lists them without
/// a link to an input that is not on the page.
fn onto_form(failure: &Failure, fields: &[&str]) -> Failure {
    let problems = failure
        .problems
        .iter()
        .map(|p| FieldProblem {
            field: p.field.clone().filter(|f| fields.contains(&f.as_str())),
            message: p.message.clone(),
        })
        .collect();
    Failure {
        problems,
        ..failure.clone()
    }
}

fn stage_name(stage: Stage, lang: Lang) -> &'static str {
    t(
        lang,
        match stage {
            Stage::Signing => K::StageSigning,
            Stage::Active => K::StageActive,
            Stage::Fulfilled => K::StageFulfilled,
            Stage::Breached => K::StageBreached,
        },
    )
}

/// A party's role in the contract, as a heading says it.
fn party_name(party: Party, lang: Lang) -> &'static str {
    t(
        lang,
        match party {
            Party::Resettler => K::PartyResettler,
            Party::Employer => K::PartyEmployer,
            Party::Akimat => K::PartyAkimat,
        },
    )
}

/// "Akimat (North Kazakhstan Region)": the region's akimat, the third party.
fn akimat_name(region: Region, lang: Lang) -> String {
    tf(
        lang,
        K::AkimatOf,
        &[Policy::current().region_name(region, lang)],
    )
}

/// Which party of `terms` the signed-in account is, if any: the resettler and employer
/// named in them, or any officer of the contract's region for the akimat.
fn viewer_party(account: &Account, terms: &ContractTerms) -> Option<Party> {
    match account.role {
        Role::Resettler if account.id == terms.resettler_id => Some(Party::Resettler),
        Role::Employer if account.id == terms.employer_id => Some(Party::Employer),
        Role::Akimat if account.region == Some(terms.region) => Some(Party::Akimat),
        _ => None,
    }
}

/// The fingerprint of the terms as this browser computes it, 64 hex digits.
fn own_fingerprint(terms: &ContractTerms) -> String {
    hex(&fingerprint(terms))
}

/// The contract of the page's `:id` (`None` when the address holds no contract number):
/// loaded when the address names it, and again, in place, on `reload`.
fn use_contract() -> (Memo<Option<i64>>, RwSignal<Load<Contract>>, Callback<()>) {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|i| i.parse::<i64>().ok())));
    let contract = RwSignal::new(Load::<Contract>::Loading);
    let load = move |wanted: Option<i64>| {
        let Some(wanted) = wanted else { return };
        let l = lang.current.get_untracked();
        leptos::task::spawn_local(async move {
            let answer = client::get::<Contract>(&format!("/contracts/{wanted}"), l).await;
            // An answer about a contract the page has left is dropped.
            if id.get_untracked() == Some(wanted) {
                contract.set(answer.into());
            }
        });
    };
    Effect::new(move |_| {
        contract.set(Load::Loading);
        load(id.get());
    });
    (
        id,
        contract,
        Callback::new(move |()| load(id.get_untracked())),
    )
}

/// What a contract's page shows until the contract is there — not found, loading, or why
/// it could not be loaded — and then what `ready` draws of it.
fn contract_or(
    id: Option<i64>,
    contract: Load<Contract>,
    lang: Lang,
    ready: impl FnOnce(Contract) -> AnyView,
) -> AnyView {
    let Some(id) = id else {
        return view! { <h1>{t(lang, PortalKey::NotFound)}</h1> }.into_any();
    };
    let title = tf(lang, K::ContractNumber, &[&id.to_string()]);
    match contract {
        Load::Ready(c) => ready(c),
        Load::Loading => view! {
            <h1>{title}</h1>
            {loading(lang)}
        }
        .into_any(),
        Load::Failed(failure) => view! {
            <h1>{title}</h1>
            <FailureNotice failure/>
        }
        .into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn terms() -> ContractTerms {
        ContractTerms {
            format: shared::contract::terms::Format::V1,
            contract_id: 12,
            created_on: "2026-03-02".parse().unwrap(),
            resettler_id: 5,
            resettler_iin: "900514300121".into(),
            employer_id: 9,
            employer_bin: "971240001315".into(),
            region: Region::NorthKazakhstan,
            vacancy_id: 3,
            position: "Welder".into(),
            monthly_salary: shared::Tenge::from_tiyn(25_000_000),
            start_month: shared::ledger::Month::new(2026, 4).unwrap(),
            housing_limit: shared::Tenge::from_tiyn(194_625_000),
            declared_housing_costs: shared::Tenge::from_tiyn(150_000_000),
            required_months: 24,
            breach_threshold: 3,
        }
    }

    fn account(id: i64, role: Role, region: Option<Region>) -> Account {
        Account {
            id,
            role,
            login: "x".into(),
            region,
            organisation: None,
        }
    }

    #[test]
    fn the_viewer_is_the_party_the_terms_name() {
        let terms = terms();
        let r = Some(Region::NorthKazakhstan);
        assert_eq!(
            viewer_party(&account(5, Role::Resettler, None), &terms),
            Some(Party::Resettler)
        );
        assert_eq!(
            viewer_party(&account(6, Role::Resettler, None), &terms),
            None
        );
        assert_eq!(
            viewer_party(&account(9, Role::Employer, None), &terms),
            Some(Party::Employer)
        );
        // Resettler 5 and employer 5 are different accounts.
        assert_eq!(
            viewer_party(&account(5, Role::Employer, None), &terms),
            None
        );
        assert_eq!(
            viewer_party(&account(40, Role::Akimat, r), &terms),
            Some(Party::Akimat)
        );
        assert_eq!(
            viewer_party(&account(40, Role::Akimat, Some(Region::Pavlodar)), &terms),
            None
        );
        assert_eq!(viewer_party(&account(1, Role::Admin, None), &terms), None);
    }

    #[test]
    fn problems_about_fields_not_on_the_form_go_to_the_summary_only() {
        let failure = Failure::from_body(
            422,
            r#"{"error":{"code":"x","message":"Start later","field":"start_month"},
                "errors":[{"field":"start_month","message":"Start later"},
                          {"field":"monthly_salary","message":"Too low"}]}"#,
        )
        .unwrap();
        let shown = onto_form(&failure, &["start_month", "declared_housing_costs"]);
        let fields: Vec<_> = shown.problems.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, [Some("start_month"), None]);
        assert_eq!(shown.problems[1].message, "Too low");
        assert_eq!(shown.code, "x");
    }

    #[test]
    fn the_browser_computes_the_fingerprint_itself() {
        let fp = own_fingerprint(&terms());
        assert_eq!(fp.len(), 64);
        let mut other = terms();
        other.monthly_salary = shared::Tenge::from_tiyn(25_000_100);
        assert_ne!(own_fingerprint(&other), fp);
    }
}
