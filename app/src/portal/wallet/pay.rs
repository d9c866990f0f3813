//! Paying a landlord or utility provider from the vouchers: choose the payee (its purpose,
//! and whether it is inside the person's region, shown before paying), the purpose and the
//! amount; check and confirm; then the answer. The page only shows the geo-fence and the
//! category: the server decides, and a refusal is shown with its reason, nothing typed lost.

use super::{
    category_id, category_name, failure_text, money, month_label, new_transfer_id, outcome_unknown,
    parse_amount, payee_inside, problem, region_name, renamed, ConfirmButtons, Outbox,
};
use crate::{
    browser::focus,
    client::{self, FieldProblem, Method},
    forms::{described_by, ErrorSummary, FieldError, FormErrors, TextField},
    i18n::{t, tf, WalletKey as K},
    use_lang,
};
use leptos::{ev::SubmitEvent, prelude::*};
use shared::{
    ledger::TransferId,
    wallet::{PayRequest, Payee, PayeeCategory, Payment, PaymentRefusal},
    Lang, Region, Tenge,
};

/// The form's fields (and element ids); the server's `payee_id` is shown on `payee`.
const PAYEE: &str = "payee";
const CATEGORY: &str = "category";
const AMOUNT: &str = "amount";
const RENAMES: &[(&str, &str)] = &[("payee_id", PAYEE)];

/// The payment form as filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PayInput {
    pub payee: Option<i64>,
    pub category: Option<PayeeCategory>,
    pub amount: String,
}

/// A payment checked in the browser, waiting for the person's confirmation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub payee_id: i64,
    pub category: PayeeCategory,
    pub amount: Tenge,
}

impl PayInput {
    /// The order, or every problem in form order.
    pub fn order(&self, lang: Lang) -> Result<Order, Vec<FieldProblem>> {
        let amount = parse_amount(&self.amount);
        let mut problems = Vec::new();
        if self.payee.is_none() {
            problems.push(problem(PAYEE, t(lang, K::ErrPayee)));
        }
        if self.category.is_none() {
            problems.push(problem(CATEGORY, t(lang, K::ErrCategory)));
        }
        if amount.is_none() {
            problems.push(problem(AMOUNT, t(lang, K::ErrAmount)));
        }
        match (self.payee, self.category, amount) {
            (Some(payee_id), Some(category), Some(amount)) => Ok(Order {
                payee_id,
                category,
                amount,
            }),
            _ => Err(problems),
        }
    }
}

impl Order {
    /// The request that pays this order under transfer `id`.
    pub fn request(&self, id: TransferId) -> PayRequest {
        PayRequest {
            id,
            payee_id: self.payee_id,
            category: self.category,
            amount: self.amount,
        }
    }
}

/// "Name, address — inside your region", for the payee `<select>`.
fn payee_label(payee: &Payee, region: Region, lang: Lang) -> String {
    format!(
        "{}, {} — {}",
        payee.name,
        payee.address,
        place(region, payee, lang)
    )
}

fn place(region: Region, payee: &Payee, lang: Lang) -> &'static str {
    if payee_inside(region, payee) {
        t(lang, K::InsideYourRegion)
    } else {
        t(lang, K::OutsideYourRegion)
    }
}

/// A refusal the server explained: its code and what to tell the person.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Refusal {
    code: String,
    message: String,
}

#[component]
pub(super) fn PayForm(region: Region, payees: Vec<Payee>, paid: Callback<()>) -> impl IntoView {
    let l = use_lang().current.get_untracked();
    if payees.is_empty() {
        return view! { <p class="notice" id="no-payees">{t(l, K::NoPayees)}</p> }.into_any();
    }
    let payees = StoredValue::new(payees);
    let find = move |id: i64| payees.with_value(|all| all.iter().find(|p| p.id == id).cloned());

    let payee = RwSignal::new(None::<i64>);
    let category = RwSignal::new(None::<PayeeCategory>);
    let amount = RwSignal::new(String::new());
    let errors = FormErrors::new();
    // `Some` while the person checks the payment before confirming it.
    let confirming = RwSignal::new(None::<Order>);
    let busy = RwSignal::new(false);
    let outbox = RwSignal::new(Outbox::<Order>::default());
    // Why the last try gave no answer; the payment may have been made.
    let unknown = RwSignal::new(None::<String>);
    let refused = RwSignal::new(None::<Refusal>);
    let done = RwSignal::new(String::new());

    let choose_payee = move |id: Option<i64>| {
        payee.set(id);
        // What the payee is paid for is the likely purpose; the person may still change it.
        if let Some(p) = id.and_then(find) {
            category.set(Some(p.category));
        }
    };

    let review = move |ev: SubmitEvent| {
        ev.prevent_default();
        done.set(String::new());
        refused.set(None);
        let input = PayInput {
            payee: payee.get_untracked(),
            category: category.get_untracked(),
            amount: amount.get_untracked(),
        };
        match input.order(l) {
            Ok(order) => {
                errors.clear();
                unknown.set(None);
                confirming.set(Some(order));
                request_animation_frame(|| focus("pay-confirm-title", true));
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
        let request = order.request(id);
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer =
                client::send::<_, Payment>(Method::Post, "/wallet/payments", &request, l).await;
            busy.set(false);
            match answer {
                Ok(payment) => {
                    outbox.update(Outbox::settle);
                    confirming.set(None);
                    unknown.set(None);
                    amount.set(String::new());
                    let to = find(payment.payee_id).map_or_else(String::new, |p| p.name);
                    done.set(tf(
                        l,
                        K::PaymentDone,
                        &[&money(payment.amount), &to, &month_label(payment.month, l)],
                    ));
                    paid.run(());
                    // The panel with the focus is gone: the answer takes it.
                    request_animation_frame(|| focus("payment-done", false));
                }
                Err(failure) => {
                    outbox.update(|o| o.after_failure(&failure));
                    if outcome_unknown(&failure) {
                        unknown.set(Some(failure_text(&failure, l)));
                        return;
                    }
                    confirming.set(None);
                    unknown.set(None);
                    match PaymentRefusal::from_code(&failure.code) {
                        Some(refusal) => {
                            refused.set(Some(Refusal {
                                code: refusal.code().to_string(),
                                message: refusal.message(l).to_string(),
                            }));
                            request_animation_frame(|| focus("payment-refused", true));
                        }
                        None => errors.show(&renamed(failure, RENAMES), l),
                    }
                }
            }
        });
    };

    let change = move || {
        if busy.get_untracked() {
            return;
        }
        confirming.set(None);
        unknown.set(None);
        request_animation_frame(|| focus(PAYEE, false));
    };

    let options = move |of: PayeeCategory| {
        let group: Vec<Payee> =
            payees.with_value(|all| all.iter().filter(|p| p.category == of).cloned().collect());
        (!group.is_empty()).then(|| {
            view! {
                <optgroup label=category_name(of, l)>
                    {group
                        .into_iter()
                        .map(|p| {
                            let id = p.id;
                            view! {
                                <option
                                    value=id.to_string()
                                    prop:selected=move || payee.get() == Some(id)
                                >
                                    {payee_label(&p, region, l)}
                                </option>
                            }
                        })
                        .collect_view()}
                </optgroup>
            }
        })
    };

    let radios = [PayeeCategory::Rent, PayeeCategory::Utilities]
        .into_iter()
        .map(|c| {
            let id = format!("category_{}", category_id(c));
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name=CATEGORY
                        value=category_id(c)
                        prop:checked=move || category.get() == Some(c)
                        on:change=move |_| category.set(Some(c))
                    />
                    <label for=id>{category_name(c, l)}</label>
                </div>
            }
        })
        .collect_view();

    let form = view! {
        <form id="pay-form" novalidate on:submit=review>
            <ErrorSummary errors/>
            <div class="field">
                <label for=PAYEE>{t(l, K::LabelPayee)}</label>
                <p class="hint" id="payee-hint">
                    {tf(l, K::HintPayee, &[&region_name(region, l)])}
                </p>
                <FieldError errors field=PAYEE/>
                <select
                    id=PAYEE
                    name="payee_id"
                    aria-invalid=move || errors.for_field(PAYEE).map(|_| "true")
                    aria-describedby=described_by(errors, PAYEE, true)
                    on:change=move |ev| choose_payee(event_target_value(&ev).parse().ok())
                >
                    <option value="" prop:selected=move || payee.get().is_none()>
                        {t(l, K::ChoosePayee)}
                    </option>
                    {options(PayeeCategory::Rent)}
                    {options(PayeeCategory::Utilities)}
                </select>
            </div>
            <fieldset
                class="field choice"
                id=CATEGORY
                aria-describedby=described_by(errors, CATEGORY, false)
            >
                <legend>{t(l, K::LegendCategory)}</legend>
                <FieldError errors field=CATEGORY/>
                {radios}
            </fieldset>
            <TextField
                errors
                field=AMOUNT
                label=t(l, K::LabelAmount).to_string()
                hint=t(l, K::HintAmount).to_string()
                value=amount
                inputmode="decimal"
                autocomplete="off"
            />
            <button type="submit" class="button" id="review-pay">
                {t(l, K::ReviewPayment)}
            </button>
        </form>
    };

    let check = move || {
        confirming.get().and_then(|order| {
            let payee = find(order.payee_id)?;
            let inside = payee_inside(region, &payee);
            let outside_note = (!inside).then(|| {
                view! {
                    <p class="notice notice-warning">
                        {tf(l, K::OutsideWarning, &[&region_name(region, l)])}
                    </p>
                }
            });
            let category_note = (payee.category != order.category).then(|| {
                view! {
                    <p class="notice notice-warning">
                        {tf(l, K::CategoryWarning, &[category_name(payee.category, l)])}
                    </p>
                }
            });
            // Only the button's text follows the outbox: the panel keeps the focus.
            let pending = order.clone();
            let retry = Signal::derive(move || outbox.with(|o| o.is_retry(&pending)));
            Some(view! {
                <section class="card" id="pay-confirm" aria-labelledby="pay-confirm-title">
                    <h3 id="pay-confirm-title" tabindex="-1">{t(l, K::ConfirmTitle)}</h3>
                    <dl class="facts">
                        <div>
                            <dt>{t(l, K::LabelPayee)}</dt>
                            <dd id="confirm-payee">
                                {format!("{}, {}", payee.name, payee.address)}
                            </dd>
                        </div>
                        <div>
                            <dt>{t(l, K::LegendCategory)}</dt>
                            <dd id="confirm-category">{category_name(order.category, l)}</dd>
                        </div>
                        <div>
                            <dt>{t(l, K::PlaceLabel)}</dt>
                            <dd id="confirm-place" data-inside=inside.to_string()>
                                {place(region, &payee, l)}
                            </dd>
                        </div>
                        <div>
                            <dt>{t(l, K::LabelAmount)}</dt>
                            <dd id="confirm-amount">{money(order.amount)}</dd>
                        </div>
                    </dl>
                    {outside_note}
                    {category_note}
                    <ConfirmButtons
                        unknown
                        unknown_id="payment-unknown"
                        unknown_text=K::PaymentUnknown
                        busy
                        retry
                        confirm_id="confirm-pay"
                        confirm_text=K::ConfirmPayment
                        change_id="change-pay"
                        on_confirm=confirm
                        on_change=change
                    />
                </section>
            })
        })
    };

    let refusal = move || {
        refused.get().map(|r| {
            view! {
                <div
                    class="notice notice-error"
                    id="payment-refused"
                    role="alert"
                    tabindex="-1"
                    data-code=r.code
                >
                    <h3>{t(l, K::RefusedTitle)}</h3>
                    <p>{r.message}</p>
                </div>
            }
        })
    };

    view! {
        <p
            id="payment-done"
            role="status"
            tabindex="-1"
            class=move || if done.with(String::is_empty) { "status" } else { "notice" }
        >
            {move || done.get()}
        </p>
        {refusal}
        // Hidden, not dropped, while confirming: nothing typed is lost.
        <div hidden=move || confirming.with(Option::is_some)>{form}</div>
        {check}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::wallet::{LatLon, PayeeStatus};

    fn payee(lat: f64, lon: f64) -> Payee {
        Payee {
            id: 3,
            name: "Askar".into(),
            id_number: None,
            category: PayeeCategory::Rent,
            address: "Toraigyrov 1".into(),
            region: Region::Pavlodar,
            location: LatLon { lat, lon },
            inside_region: true,
            status: PayeeStatus::Active,
        }
    }

    #[test]
    fn a_filled_in_form_becomes_a_payment_request() {
        let input = PayInput {
            payee: Some(3),
            category: Some(PayeeCategory::Rent),
            amount: "45 000".into(),
        };
        let order = input.order(Lang::En).unwrap();
        let id = TransferId::parse("0123456789abcdef0123456789abcdef").unwrap();
        let request = order.request(id);
        assert_eq!(
            serde_json::to_value(&request).unwrap(),
            serde_json::json!({
                "id": "0123456789abcdef0123456789abcdef",
                "payee_id": 3,
                "category": "rent",
                "amount": "45000"
            })
        );
    }

    #[test]
    fn every_missing_field_is_named() {
        let problems = PayInput {
            amount: "lots".into(),
            ..PayInput::default()
        }
        .order(Lang::Ru)
        .unwrap_err();
        let fields: Vec<_> = problems.iter().filter_map(|p| p.field.as_deref()).collect();
        assert_eq!(fields, [PAYEE, CATEGORY, AMOUNT]);
    }

    #[test]
    fn the_payee_list_says_inside_or_outside_the_region() {
        // Pavlodar city, and Almaty.
        let here = payee(52.2873, 76.9674);
        let there = payee(43.2389, 76.8897);
        assert_eq!(
            payee_label(&here, Region::Pavlodar, Lang::En),
            "Askar, Toraigyrov 1 — Inside your region"
        );
        assert!(payee_label(&there, Region::Pavlodar, Lang::En).ends_with("Outside your region"));
    }

    #[test]
    fn the_form_renders_with_its_ids() {
        let html = Owner::new().with(|| {
            provide_context(crate::UiLang {
                current: Memo::new(|_| Lang::Kk),
                from_url: Memo::new(|_| Some(Lang::Kk)),
            });
            let paid = Callback::new(|()| {});
            view! { <PayForm region=Region::Pavlodar payees=vec![payee(52.2873, 76.9674)] paid/> }
                .to_html()
        });
        for id in [
            "pay-form",
            "payee",
            "category_rent",
            "category_utilities",
            "amount",
        ] {
            assert!(html.contains(&format!(r#"id="{id}""#)), "{id} in {html}");
        }
        assert!(html.contains("<optgroup"));
    }
}
