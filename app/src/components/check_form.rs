//! The eligibility form. Every field has a visible label; a problem is written next to the
//! field and tied to it with `aria-describedby`, and the field is marked `aria-invalid`.

use crate::{
    form::{Draft, Field, FormState},
    i18n::{t, tf, tr, Key},
    use_lang,
};
use leptos::prelude::*;
use shared::{
    api::{Citizenship, FamilySize, Settlement},
    Lang, Policy, Region,
};

/// `aria-describedby` of a field: its hint (if any) and, when shown, its problem.
fn described_by(
    form: FormState,
    field: Field,
    hint: Option<&'static str>,
) -> impl Fn() -> Option<String> {
    move || {
        let mut ids: Vec<String> = hint.map(str::to_string).into_iter().collect();
        if form.visible_problem(field).is_some() {
            ids.push(field.error_id());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The problem text under a field; empty (and not referenced) when there is none.
#[component]
fn FieldError(form: FormState, field: Field) -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="field-error" id=field.error_id()>
            {move || form.visible_problem(field).map(|p| p.message(field, lang.get()))}
        </p>
    }
}

fn citizenship_label(c: Citizenship, lang: Lang) -> &'static str {
    match c {
        Citizenship::Citizen => t(lang, Key::CitizenshipCitizen),
        Citizenship::Kandas => t(lang, Key::CitizenshipKandas),
        Citizenship::Foreign => t(lang, Key::CitizenshipForeign),
    }
}

fn citizenship_value(c: Citizenship) -> &'static str {
    match c {
        Citizenship::Citizen => "citizen",
        Citizenship::Kandas => "kandas",
        Citizenship::Foreign => "foreign",
    }
}

/// A region `<select>`: a "choose" placeholder, then `regions` named in the UI language.
#[component]
fn RegionSelect(
    form: FormState,
    field: Field,
    regions: Vec<Region>,
    get: fn(&crate::form::Draft) -> Option<Region>,
    set: fn(&mut crate::form::Draft, Option<Region>),
) -> impl IntoView {
    let lang = use_lang();
    let selected = Memo::new(move |_| form.draft.with(get));
    let options = move || {
        let l = lang.get();
        let sel = selected.get();
        let policy = Policy::current();
        let placeholder = view! {
            <option value="" prop:selected=sel.is_none()>{t(l, Key::ChooseRegion)}</option>
        };
        let rest = regions
            .iter()
            .map(|r| {
                let r = *r;
                view! {
                    <option value=r.id() prop:selected=sel == Some(r)>
                        {policy.region_name(r, l).to_string()}
                    </option>
                }
            })
            .collect_view();
        (placeholder, rest)
    };
    view! {
        <select
            id=field.id()
            name=field.id()
            aria-invalid=move || form.visible_problem(field).map(|_| "true")
            aria-describedby=described_by(form, field, None)
            on:change=move |ev| {
                let region = Region::from_id(&event_target_value(&ev));
                form.draft.update(|d| set(d, region));
                form.touch(field);
            }
            on:blur=move |_| form.touch(field)
        >
            {options}
        </select>
    }
}

#[component]
pub fn CheckForm(form: FormState) -> impl IntoView {
    let lang = use_lang();
    let policy = Policy::current();
    let all_regions: Vec<Region> = policy.regions.iter().map(|r| r.id).collect();
    let destinations: Vec<Region> = policy.destinations().collect();

    let iin = Memo::new(move |_| form.draft.with(|d| d.iin.clone()));
    let birth = Memo::new(move |_| form.draft.with(|d| d.birth_date.clone()));
    let family = Memo::new(move |_| form.draft.with(|d| d.family_size.clone()));
    let citizenship = Memo::new(move |_| form.draft.with(|d| d.citizenship));
    let settlement = Memo::new(move |_| form.draft.with(|d| d.settlement));
    let prior = Memo::new(move |_| form.draft.with(|d| d.prior_support));

    let citizenship_options = move || {
        let l = lang.get();
        let sel = citizenship.get();
        Citizenship::ALL
            .into_iter()
            .map(|c| {
                view! {
                    <option value=citizenship_value(c) prop:selected=sel == c>
                        {citizenship_label(c, l)}
                    </option>
                }
            })
            .collect_view()
    };

    view! {
        <form class="check-form" novalidate on:submit=|ev| ev.prevent_default()>
            <div class="field">
                <label for="iin">{tr(Key::LabelIin)}</label>
                <p class="hint" id="iin-hint">{tr(Key::HintIin)}</p>
                <input
                    id="iin"
                    name="iin"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    spellcheck="false"
                    maxlength="12"
                    prop:value=move || iin.get()
                    aria-invalid=move || form.visible_problem(Field::Iin).map(|_| "true")
                    aria-describedby=described_by(form, Field::Iin, Some("iin-hint"))
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.draft.update(|d| d.iin = value);
                    }
                    on:blur=move |_| form.touch(Field::Iin)
                />
                <FieldError form field=Field::Iin/>
            </div>

            <div class="field">
                <label for="birth_date">{tr(Key::LabelBirthDate)}</label>
                <input
                    id="birth_date"
                    name="birth_date"
                    type="date"
                    autocomplete="bday"
                    prop:value=move || birth.get()
                    aria-invalid=move || form.visible_problem(Field::BirthDate).map(|_| "true")
                    aria-describedby=described_by(form, Field::BirthDate, None)
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.draft.update(|d| d.birth_date = value);
                    }
                    on:change=move |_| form.touch(Field::BirthDate)
                    on:blur=move |_| form.touch(Field::BirthDate)
                />
                <FieldError form field=Field::BirthDate/>
            </div>

            <div class="field">
                <label for="citizenship">{tr(Key::LabelCitizenship)}</label>
                <select
                    id="citizenship"
                    name="citizenship"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some(c) = Citizenship::ALL
                            .into_iter()
                            .find(|c| citizenship_value(*c) == value)
                        {
                            form.draft.update(|d| d.citizenship = c);
                        }
                    }
                >
                    {citizenship_options}
                </select>
            </div>

            <div class="field">
                <label for="current_region">{tr(Key::LabelCurrentRegion)}</label>
                <RegionSelect
                    form
                    field=Field::CurrentRegion
                    regions=all_regions
                    get=|d| d.current_region
                    set=|d, r| d.current_region = r
                />
                <FieldError form field=Field::CurrentRegion/>
            </div>

            <div class="field">
                <label for="family_size">{tr(Key::LabelFamilySize)}</label>
                <p class="hint" id="family_size-hint">
                    {move || {
                        tf(
                            lang.get(),
                            Key::HintFamilySize,
                            &[&FamilySize::MIN.to_string(), &FamilySize::MAX.to_string()],
                        )
                    }}
                </p>
                <input
                    id="family_size"
                    name="family_size"
                    type="number"
                    inputmode="numeric"
                    min=FamilySize::MIN
                    max=FamilySize::MAX
                    step="1"
                    class="narrow"
                    value=Draft::default().family_size
                    prop:value=move || family.get()
                    aria-invalid=move || form.visible_problem(Field::FamilySize).map(|_| "true")
                    aria-describedby=described_by(form, Field::FamilySize, Some("family_size-hint"))
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        form.draft.update(|d| d.family_size = value);
                    }
                    on:blur=move |_| form.touch(Field::FamilySize)
                />
                <FieldError form field=Field::FamilySize/>
            </div>

            <div class="field">
                <label for="destination_region">{tr(Key::LabelDestination)}</label>
                <RegionSelect
                    form
                    field=Field::Destination
                    regions=destinations
                    get=|d| d.destination
                    set=|d, r| d.destination = r
                />
                <FieldError form field=Field::Destination/>
            </div>

            <fieldset class="field choice">
                <legend>{tr(Key::LegendSettlement)}</legend>
                <div class="radio">
                    <input
                        type="radio"
                        id="settlement_urban"
                        name="settlement"
                        value="urban"
                        checked=Draft::default().settlement == Settlement::Urban
                        prop:checked=move || settlement.get() == Settlement::Urban
                        on:change=move |_| form.draft.update(|d| d.settlement = Settlement::Urban)
                    />
                    <label for="settlement_urban">{tr(Key::SettlementUrban)}</label>
                </div>
                <div class="radio">
                    <input
                        type="radio"
                        id="settlement_rural"
                        name="settlement"
                        value="rural"
                        prop:checked=move || settlement.get() == Settlement::Rural
                        on:change=move |_| form.draft.update(|d| d.settlement = Settlement::Rural)
                    />
                    <label for="settlement_rural">{tr(Key::SettlementRural)}</label>
                </div>
            </fieldset>

            <div class="field">
                <label for="prior_support">{tr(Key::LabelPriorSupport)}</label>
                <select
                    id="prior_support"
                    name="prior_support"
                    class="narrow"
                    on:change=move |ev| {
                        let yes = event_target_value(&ev) == "yes";
                        form.draft.update(|d| d.prior_support = yes);
                    }
                >
                    <option value="no" prop:selected=move || !prior.get()>{tr(Key::No)}</option>
                    <option value="yes" prop:selected=move || prior.get()>{tr(Key::Yes)}</option>
                </select>
            </div>
        </form>
    }
}
