//! The officer changes the terms while the contract is being signed. New terms have a new
//! fingerprint, so every signature given so far is void and each party signs again.

use super::{
    create::{parse_month, HOUSING_FIELD, START_FIELD},
    format::amount_input,
    onto_form,
};
use crate::{
    client::{self, FieldProblem, Method},
    forms::{busy_label, ErrorSummary, FormErrors, TextField},
    i18n::{t, ContractsKey as K},
    portal::wallet::parse_amount,
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    contract::api::{AmendTerms, Contract},
    Lang,
};

const SALARY_FIELD: &str = "monthly_salary";

/// The change as the officer typed it, or every problem with it.
fn amend_request(
    start: &str,
    salary: &str,
    housing: &str,
    lang: Lang,
) -> Result<AmendTerms, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, key: K| {
        problems.push(FieldProblem {
            field: Some(field.to_string()),
            message: t(lang, key).to_string(),
        })
    };
    let start_month = parse_month(start);
    if start_month.is_none() {
        problem(START_FIELD, K::ErrStartMonth);
    }
    let salary = parse_amount(salary);
    if salary.is_none() {
        problem(SALARY_FIELD, K::ErrSalary);
    }
    let housing = parse_amount(housing);
    if housing.is_none() {
        problem(HOUSING_FIELD, K::ErrHousing);
    }
    match (start_month, salary, housing) {
        (Some(start_month), Some(monthly_salary), Some(declared_housing_costs)) => Ok(AmendTerms {
            start_month,
            monthly_salary,
            declared_housing_costs,
        }),
        _ => Err(problems),
    }
}

/// "Amend terms" (`#amend-terms`): `on_amended` gets the contract with its new terms.
#[component]
pub fn AmendForm(contract: Contract, on_amended: Callback<Contract>) -> impl IntoView {
    let lang = use_lang();
    let id = contract.terms.contract_id;
    let start = RwSignal::new(contract.terms.start_month.to_string());
    let salary = RwSignal::new(amount_input(contract.terms.monthly_salary));
    let housing = RwSignal::new(amount_input(contract.terms.declared_housing_costs));
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        let request = match amend_request(
            &start.get_untracked(),
            &salary.get_untracked(),
            &housing.get_untracked(),
            l,
        ) {
            Ok(request) => request,
            Err(problems) => return errors.set(problems),
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let path = format!("/contracts/{id}/terms");
            let answer = client::send::<_, Contract>(Method::Put, &path, &request, l).await;
            busy.set(false);
            match answer {
                Ok(amended) => on_amended.run(amended),
                Err(failure) => errors.show(
                    &onto_form(&failure, &[START_FIELD, SALARY_FIELD, HOUSING_FIELD]),
                    l,
                ),
            }
        });
    };

    view! {
        <section aria-labelledby="amend-title" class="contract-amend">
            <h2 id="amend-title">{move || t(lang.get(), K::AmendTitle)}</h2>
            <p class="notice notice-warning">{move || t(lang.get(), K::AmendVoids)}</p>
            <form novalidate on:submit=submit aria-busy=move || busy.get().to_string()>
                <ErrorSummary errors/>
                <TextField
                    errors
                    field=START_FIELD
                    label=t(lang.current.get_untracked(), K::LabelStartMonth).to_string()
                    hint=t(lang.current.get_untracked(), K::HintStartMonth).to_string()
                    value=start
                    kind="month"
                />
                <TextField
                    errors
                    field=SALARY_FIELD
                    label=t(lang.current.get_untracked(), K::LabelSalary).to_string()
                    hint=t(lang.current.get_untracked(), K::HintTenge).to_string()
                    value=salary
                    inputmode="decimal"
                />
                <TextField
                    errors
                    field=HOUSING_FIELD
                    label=t(lang.current.get_untracked(), K::LabelHousing).to_string()
                    hint=t(lang.current.get_untracked(), K::HintHousing).to_string()
                    value=housing
                    inputmode="decimal"
                />
                <button
                    type="submit"
                    class="button"
                    id="amend-terms"
                    aria-disabled=move || busy.get().then_some("true")
                >
                    {move || busy_label(lang.get(), busy.get(), t(lang.get(), K::AmendSubmit))}
                </button>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::{ledger::Month, Tenge};

    #[test]
    fn the_change_is_read_as_people_type_it() {
        assert_eq!(
            amend_request("2027-01", "250 000", "1 500 000,50", Lang::En),
            Ok(AmendTerms {
                start_month: Month::new(2027, 1).unwrap(),
                monthly_salary: Tenge::from_tiyn(25_000_000),
                declared_housing_costs: Tenge::from_tiyn(150_000_050),
            })
        );
    }

    #[test]
    fn every_field_at_fault_is_named() {
        let problems = amend_request("January", "", "0", Lang::Ru).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(
            fields,
            [
                Some("start_month"),
                Some("monthly_salary"),
                Some("declared_housing_costs")
            ]
        );
        assert!(problems.iter().all(|p| !p.message.is_empty()));
    }
}
