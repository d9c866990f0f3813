//! The region budgets, for the admin: each destination region's balance, and funding one
//! from the program account (the only way a budget grows, SPEC §4). Like a payment, a
//! funding carries an id made when the admin confirms it, kept for a retry.

use super::{
    failure_text, loading, money, new_transfer_id, outcome_unknown, parse_amount, problem,
    region_name, renamed, ConfirmButtons, DestinationSelect, FailureNotice, Outbox,
};
use crate::{
    browser::focus,
    client::{self, Failure, FieldProblem, Method},
    forms::{ErrorSummary, FormErrors, TextField},
    i18n::{t, tf, WalletKey as K},
    portal::Signed,
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    account::Role,
    budget::{Budget, BudgetList, FundBudget, Funding},
    ledger::TransferId,
    Lang, Policy, Region, Tenge,
};

/// The form's fields (and element ids); the server's names are shown on them.
const REGION: &str = "fund-region";
const AMOUNT: &str = "fund-amount";
const RENAMES: &[(&str, &str)] = &[("region", REGION), ("amount", AMOUNT)];

/// A funding checked in the browser, waiting for the admin's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FundOrder {
    region: Region,
    amount: Tenge,
}

impl FundOrder {
    /// The order, or every problem in form order.
    fn new(
        region: Option<Region>,
        amount: &str,
        lang: Lang,
    ) -> Result<FundOrder, Vec<FieldProblem>> {
        let amount = parse_amount(amount);
        let mut problems = Vec::new();
        if region.is_none() {
            problems.push(problem(REGION, t(lang, K::ErrRegion)));
        }
        if amount.is_none() {
            problems.push(problem(AMOUNT, t(lang, K::ErrAmount)));
        }
        match (region, amount) {
            (Some(region), Some(amount)) => Ok(FundOrder { region, amount }),
            _ => Err(problems),
        }
    }

    fn path(&self) -> String {
        format!("/budgets/{}/fund", self.region.id())
    }

    fn request(&self, id: TransferId) -> FundBudget {
        FundBudget {
            id,
            amount: self.amount,
        }
    }
}

/// `/{lang}/my/budgets`.
#[component]
pub fn Budgets() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    view! {
        <h1>{t(l, K::BudgetsTitle)}</h1>
        <Signed roles=&[Role::Admin]>
            <BudgetsView/>
        </Signed>
    }
}

#[component]
fn BudgetsView() -> impl IntoView {
    let l = use_lang().current.get_untracked();
    let budgets = RwSignal::new(None::<Result<Vec<Budget>, Failure>>);
    leptos::task::spawn_local(async move {
        let answer = client::get::<BudgetList>("/budgets", l).await;
        budgets.set(Some(answer.map(|b| b.budgets)));
    });

    let region = RwSignal::new(None::<Region>);
    let amount = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let confirming = RwSignal::new(None::<FundOrder>);
    let busy = RwSignal::new(false);
    let outbox = RwSignal::new(Outbox::<FundOrder>::default());
    let unknown = RwSignal::new(None::<String>);
    let done = RwSignal::new(String::new());

    let review = move |ev: SubmitEvent| {
        ev.prevent_default();
        done.set(String::new());
        match FundOrder::new(region.get_untracked(), &amount.get_untracked(), l) {
            Ok(order) => {
                errors.clear();
                unknown.set(None);
                confirming.set(Some(order));
                request_animation_frame(|| focus("fund-confirm-title", true));
            }
            Err(problems) => errors.set(problems),
        }
    };

    let confirm = move || {
        let Some(order) = confirming.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        let Some(id) = outbox.try_update(|o| o.id_for(&order, new_transfer_id)) else {
            return;
        };
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                client::send::<_, Funding>(Method::Post, &order.path(), &order.request(id), l)
                    .await;
            busy.set(false);
            match answer {
                Ok(funding) => {
                    outbox.update(Outbox::settle);
                    confirming.set(None);
                    unknown.set(None);
                    amount.set(String::new());
                    done.set(tf(
                        l,
                        K::FundDone,
                        &[&money(funding.amount), &region_name(funding.region, l)],
                    ));
                    let budget = Budget {
                        region: funding.region,
                        balance: funding.balance,
                    };
                    budgets.update(|b| {
                        if let Some(Ok(list)) = b {
                            list.retain(|b| b.region != budget.region);
                            list.push(budget);
                        }
                    });
                    request_animation_frame(|| focus("fund-done", false));
                }
                Err(failure) => {
                    outbox.update(|o| o.after_failure(&failure));
                    if outcome_unknown(&failure) {
                        unknown.set(Some(failure_text(&failure, l)));
                        return;
                    }
                    confirming.set(None);
                    unknown.set(None);
                    errors.show(&renamed(failure, RENAMES), l);
                }
            }
        });
    };

    let change = move || {
        if !busy.get_untracked() {
            confirming.set(None);
            unknown.set(None);
            request_animation_frame(|| focus(REGION, false));
        }
    };

    let list = move || match budgets.get() {
        None => loading(l).into_any(),
        Some(Err(failure)) => view! { <FailureNotice failure/> }.into_any(),
        Some(Ok(items)) => view! {
            <ul class="list" id="budgets">
                {Policy::current()
                    .destinations()
                    .map(|r| {
                        let balance = items
                            .iter()
                            .find(|b| b.region == r)
                            .map_or(Tenge::ZERO, |b| b.balance);
                        view! {
                            <li class="budget" data-region=r.id()>
                                {region_name(r, l)}
                                ": "
                                <strong class="budget-balance">{money(balance)}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };

    let check = move || {
        confirming.get().map(|order| {
            // Only the button's text follows the outbox: the panel keeps the focus.
            let pending = order.clone();
            let retry = Signal::derive(move || outbox.with(|o| o.is_retry(&pending)));
            view! {
                <section class="card" id="fund-confirm" aria-labelledby="fund-confirm-title">
                    <h3 id="fund-confirm-title" tabindex="-1">{t(l, K::FundConfirmTitle)}</h3>
                    <p>
                        {tf(
                            l,
                            K::FundConfirmText,
                            &[&money(order.amount), &region_name(order.region, l)],
                        )}
                    </p>
                    <ConfirmButtons
                        unknown
                        unknown_id="fund-unknown"
                        unknown_text=K::FundUnknown
                        busy
                        retry
                        confirm_id="confirm-fund"
                        confirm_text=K::ConfirmFund
                        change_id="change-fund"
                        on_confirm=confirm
                        on_change=change
                    />
                </section>
            }
        })
    };

    view! {
        <h2>{t(l, K::BalancesTitle)}</h2>
        {list}
        <h2>{t(l, K::FundTitle)}</h2>
        <p class="hint">{t(l, K::FundIntro)}</p>
        <p
            id="fund-done"
            role="status"
            tabindex="-1"
            class=move || if done.with(String::is_empty) { "status" } else { "notice" }
        >
            {move || done.get()}
        </p>
        <div hidden=move || confirming.with(Option::is_some)>
            <form id="fund-form" novalidate on:submit=review>
                <ErrorSummary errors/>
                <DestinationSelect errors field=REGION label=t(l, K::LabelRegion) value=region/>
                <TextField
                    errors
                    field=AMOUNT
                    label=t(l, K::LabelAmount).to_string()
                    hint=t(l, K::HintAmount).to_string()
                    value=amount
                    inputmode="decimal"
                    autocomplete="off"
                />
                <button type="submit" class="button" id="review-fund">
                    {t(l, K::ReviewFund)}
                </button>
            </form>
        </div>
        {check}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_funding_is_checked_and_built() {
        let order = FundOrder::new(Some(Region::Pavlodar), "1 000 000", Lang::En).unwrap();
        assert_eq!(order.path(), "/budgets/pavlodar/fund");
        let id = TransferId::parse("00000000000000000000000000000abc").unwrap();
        assert_eq!(
            serde_json::to_value(order.request(id)).unwrap(),
            serde_json::json!({ "id": "00000000000000000000000000000abc", "amount": "1000000" })
        );
        let problems = FundOrder::new(None, "0", Lang::Kk).unwrap_err();
        let fields: Vec<_> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, [REGION, AMOUNT]);
    }

    #[test]
    fn the_budget_list_is_read() {
        let list: BudgetList =
            serde_json::from_str(r#"{"budgets":[{"region":"pavlodar","balance":"500000.50"}]}"#)
                .unwrap();
        assert_eq!(list.budgets[0].region, Region::Pavlodar);
        assert_eq!(list.budgets[0].balance, Tenge::from_tiyn(50_000_050));
    }
}
