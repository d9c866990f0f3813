//! `/{lang}/my/contracts/new?application=N`: the region's officer makes a contract from an
//! approved application. The server takes the parties, position and salary from the
//! application and its vacancy, and the limit and thresholds from today's policy; the
//! officer chooses the start month and enters the employer's declared housing costs.

use super::onto_form;
use crate::{
    browser::today,
    client::{self, FieldProblem, Method},
    forms::{busy_label, ErrorSummary, FormErrors, TextField},
    i18n::{t, tf, ContractsKey as K},
    portal::{my_path, wallet::parse_amount, Signed},
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::{
    account::Role,
    contract::api::{Contract, CreateContract},
    ledger::Month,
    Lang,
};

pub(super) const START_FIELD: &str = "start_month";
pub(super) const HOUSING_FIELD: &str = "declared_housing_costs";

/// A month as `<input type="month">` gives it (`2027-03`); browsers without that input
/// show a text box, where people may leave spaces around it.
pub(super) fn parse_month(text: &str) -> Option<Month> {
    Month::parse(text.trim())
}

/// The contract as the officer filled the form, or every problem with it.
fn create_request(
    application_id: i64,
    start: &str,
    housing: &str,
    lang: Lang,
) -> Result<CreateContract, Vec<FieldProblem>> {
    let start_month = parse_month(start);
    let housing = parse_amount(housing);
    let mut problems = Vec::new();
    if start_month.is_none() {
        problems.push((START_FIELD, K::ErrStartMonth));
    }
    if housing.is_none() {
        problems.push((HOUSING_FIELD, K::ErrHousing));
    }
    match (start_month, housing) {
        (Some(start_month), Some(declared_housing_costs)) => Ok(CreateContract {
            application_id,
            start_month,
            declared_housing_costs,
        }),
        _ => Err(problems
            .into_iter()
            .map(|(field, key)| FieldProblem {
                field: Some(field.to_string()),
                message: t(lang, key).to_string(),
            })
            .collect()),
    }
}

/// The application number in `?application=`, if it is one.
fn application_id(text: Option<&str>) -> Option<i64> {
    text?.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

#[component]
pub fn NewContract() -> impl IntoView {
    view! {
        <Signed roles=&[Role::Akimat]>
            <NewContractPage/>
        </Signed>
    }
}

#[component]
fn NewContractPage() -> impl IntoView {
    let lang = use_lang();
    let l = lang.current.get_untracked();
    let application = use_query_map().with_untracked(|q| application_id(q.get_str("application")));
    let queue = my_path(l, "applications?status=approved");
    let Some(application) = application else {
        return view! {
            <h1>{t(l, K::NewTitle)}</h1>
            <div class="notice notice-warning">
                <p>{t(l, K::NoApplication)}</p>
                <p>
                    <a href=queue>{t(l, K::ToQueue)}</a>
                </p>
            </div>
        }
        .into_any();
    };

    // The first month a new contract can usefully count is the next one.
    let next_month = Month::of(today()).plus(1).map(|m| m.to_string());
    let start = RwSignal::new(next_month.unwrap_or_default());
    let housing = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);
    let navigate = use_navigate();

    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        let request = match create_request(
            application,
            &start.get_untracked(),
            &housing.get_untracked(),
            l,
        ) {
            Ok(request) => request,
            Err(problems) => return errors.set(problems),
        };
        errors.clear();
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let answer = client::send::<_, Contract>(Method::Post, "/contracts", &request, l).await;
            busy.set(false);
            match answer {
                Ok(contract) => {
                    let id = contract.terms.contract_id;
                    navigate(&my_path(l, &format!("contracts/{id}")), Default::default());
                }
                Err(failure) => errors.show(&onto_form(&failure, &[START_FIELD, HOUSING_FIELD]), l),
            }
        });
    };

    view! {
        <h1>{t(l, K::NewTitle)}</h1>
        <p id="contract-application">
            {tf(l, K::ForApplication, &[&application.to_string()])}
            " "
            <a href=queue>{t(l, K::ToQueue)}</a>
        </p>
        <p>{t(l, K::NewIntro)}</p>
        <form novalidate on:submit=submit aria-busy=move || busy.get().to_string()>
            <ErrorSummary errors/>
            <TextField
                errors
                field=START_FIELD
                label=t(l, K::LabelStartMonth).to_string()
                hint=t(l, K::HintStartMonth).to_string()
                value=start
                kind="month"
            />
            <TextField
                errors
                field=HOUSING_FIELD
                label=t(l, K::LabelHousing).to_string()
                hint=t(l, K::HintHousing).to_string()
                value=housing
                inputmode="decimal"
            />
            <button
                type="submit"
                class="button"
                id="create-contract"
                aria-disabled=move || busy.get().then_some("true")
            >
                {move || busy_label(lang.get(), busy.get(), t(lang.get(), K::CreateSubmit))}
            </button>
        </form>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::Tenge;

    #[test]
    fn the_form_becomes_the_request() {
        assert_eq!(
            create_request(7, " 2026-12 ", "1 500 000 ₸", Lang::En),
            Ok(CreateContract {
                application_id: 7,
                start_month: Month::new(2026, 12).unwrap(),
                declared_housing_costs: Tenge::from_tiyn(150_000_000),
            })
        );
    }

    #[test]
    fn each_bad_field_is_named_for_its_input() {
        let problems = create_request(7, "12/2026", "-5", Lang::Kk).unwrap_err();
        let fields: Vec<_> = problems.iter().map(|p| p.field.as_deref()).collect();
        assert_eq!(
            fields,
            [Some("start_month"), Some("declared_housing_costs")]
        );
        assert!(problems[0]
            .message
            .chars()
            .any(|c| ('а'..='я').contains(&c)));
        assert!(create_request(7, "2026-13", "100", Lang::En).is_err());
        assert!(create_request(7, "2026-12", "0", Lang::En).is_err());
    }

    #[test]
    fn the_application_comes_from_the_address() {
        assert_eq!(application_id(Some("42")), Some(42));
        assert_eq!(application_id(Some("0")), None);
        assert_eq!(application_id(Some("x")), None);
        assert_eq!(application_id(None), None);
    }
}
