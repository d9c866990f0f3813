//! The quota editor: how many families a region accepts in a year, how many places are
//! used, and a new figure. An officer edits their own region; an admin chooses one. The
//! year and region live in the address (`?year=&region=`).

use super::{is_admin, own_region, region_name, this_year, Load, LoadFailure, RegionSelect, STAFF};
use crate::{
    client::{self, Method},
    forms::{busy_label, ErrorSummary, FormErrors, TextField},
    i18n::{t, tf, StaffKey},
    portal::{my_path, Signed},
    use_lang,
};
use leptos::prelude::*;
use leptos_router::{hooks::use_query_map, NavigateOptions};
use shared::{
    account::{RegionQuota, SetQuota},
    api::QuotasResponse,
    quota::QuotaStatus,
    Lang, Policy, Region,
};

/// Years the server accepts for a quota.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The largest quota the server accepts.
const QUOTA_MAX: u32 = 1_000_000;

/// Which region and year the editor shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct QuotaView {
    year: i32,
    /// `None` until an admin chooses one.
    region: Option<Region>,
}

impl QuotaView {
    /// The view in `?year=&region=`: this year unless another valid one is named; an
    /// officer's own region whatever the address says, an admin's destination region.
    fn from_query(
        year: Option<&str>,
        region: Option<&str>,
        this_year: i32,
        own: Option<Region>,
    ) -> QuotaView {
        let year = year
            .and_then(|y| y.trim().parse::<i32>().ok())
            .filter(|y| YEARS.contains(y))
            .unwrap_or(this_year);
        let region = own.or_else(|| {
            region
                .and_then(Region::from_id)
                .filter(|r| Policy::current().is_destination(*r))
        });
        QuotaView { year, region }
    }

    /// The portal address of this view, relative to the account home.
    fn address(&self) -> String {
        match self.region {
            Some(region) => format!("quota?year={}&region={}", self.year, region.id()),
            None => format!("quota?year={}", self.year),
        }
    }
}

/// The API call that sets a region's quota for a year.
fn quota_path(region: Region, year: i32) -> String {
    format!("/quotas/{}/{year}", region.id())
}

/// The quota typed into the form, checked as the server will check it.
fn quota_request(text: &str, lang: Lang) -> Result<SetQuota, String> {
    text.trim()
        .parse::<u32>()
        .ok()
        .filter(|q| *q <= QUOTA_MAX)
        .map(|quota| SetQuota { quota })
        .ok_or_else(|| t(lang, StaffKey::QuotaInvalid).to_string())
}

/// The years to choose from: last, this and next year, and the one shown if another.
fn year_choices(this_year: i32, shown: i32) -> Vec<i32> {
    let mut years: Vec<i32> = (this_year - 1..=this_year + 1).collect();
    if !years.contains(&shown) {
        years.push(shown);
        years.sort_unstable();
    }
    years
}

/// `/{lang}/my/quota`.
#[component]
pub fn QuotaEditor() -> impl IntoView {
    view! {
        <Signed roles=STAFF>
            <QuotaPage/>
        </Signed>
    }
}

#[component]
fn QuotaPage() -> impl IntoView {
    let lang = use_lang();
    let admin = is_admin();
    let own = if admin { None } else { own_region() };
    let now = this_year();
    let query = use_query_map();
    let shown = Memo::new(move |_| {
        query.with(|q| QuotaView::from_query(q.get_str("year"), q.get_str("region"), now, own))
    });

    let figures = RwSignal::new(Load::<QuotaStatus>::Loading);
    let quota_text = RwSignal::new(String::new());
    let announcement = RwSignal::new(String::new());
    let errors = FormErrors::new();
    let busy = RwSignal::new(false);

    Effect::new(move |_| {
        let view = shown.get();
        let Some(region) = view.region else { return };
        let l = lang.current.get_untracked();
        figures.set(Load::Loading);
        announcement.set(String::new());
        errors.clear();
        leptos::task::spawn_local(async move {
            let answer = client::get::<QuotasResponse>(&format!("/quotas?year={}", view.year), l)
                .await
                .map(|all| all.get(&region).copied().unwrap_or(QuotaStatus::new(0, 0)));
            // A slow answer about a view already left behind is dropped.
            if shown.get_untracked() != view {
                return;
            }
            if let Ok(status) = &answer {
                quota_text.set(status.quota.to_string());
            }
            figures.set(answer.into());
        });
    });

    // The choice of year and region, following the address.
    let year_choice = RwSignal::new(now);
    let region_choice = RwSignal::new(None::<Region>);
    Effect::new(move |_| {
        let view = shown.get();
        year_choice.set(view.year);
        region_choice.set(view.region);
    });
    let navigate = leptos_router::hooks::use_navigate();
    let choose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = QuotaView {
            year: year_choice.get_untracked(),
            region: own.or(region_choice.get_untracked()),
        };
        navigate(
            &my_path(lang.current.get_untracked(), &chosen.address()),
            NavigateOptions::default(),
        );
    };
    let year_options = move || {
        let chosen = year_choice.get();
        year_choices(now, shown.get().year)
            .into_iter()
            .map(|y| {
                view! {
                    <option value=y.to_string() prop:selected=y == chosen>
                        {y.to_string()}
                    </option>
                }
            })
            .collect_view()
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = lang.current.get_untracked();
        let view = shown.get_untracked();
        let Some(region) = view.region else { return };
        announcement.set(String::new());
        let request = match quota_request(&quota_text.get_untracked(), l) {
            Ok(request) => request,
            Err(message) => {
                errors.set(Vec::new());
                errors.push("quota", message);
                return;
            }
        };
        errors.clear();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = client::send::<_, RegionQuota>(
                Method::Put,
                &quota_path(region, view.year),
                &request,
                l,
            )
            .await;
            busy.set(false);
            match answer {
                Ok(saved) => {
                    figures.set(Load::Ready(QuotaStatus {
                        quota: saved.quota,
                        used: saved.used,
                        remaining: saved.remaining,
                    }));
                    quota_text.set(saved.quota.to_string());
                    announcement.set(tf(l, StaffKey::Saved, &[&saved.quota.to_string()]));
                }
                Err(failure) => errors.show(&failure, l),
            }
        });
    };

    let editor = move || {
        let l = lang.get();
        let view = shown.get();
        let Some(region) = view.region else {
            return view! { <p id="quota-pick-region">{t(l, StaffKey::QuotaPickRegion)}</p> }
                .into_any();
        };
        let numbers = move || match figures.get() {
            Load::Loading => {
                view! { <p class="status">{t(l, crate::i18n::AccountKey::Loading)}</p> }.into_any()
            }
            Load::Failed(failure) => view! { <LoadFailure failure/> }.into_any(),
            Load::Ready(status) => view! {
                <dl class="figures">
                    <dt>{t(l, StaffKey::FigureQuota)}</dt>
                    <dd id="quota-total">{status.quota}</dd>
                    <dt>{t(l, StaffKey::FigureUsed)}</dt>
                    <dd id="quota-used">{status.used}</dd>
                    <dt>{t(l, StaffKey::FigureRemaining)}</dt>
                    <dd id="quota-remaining">{status.remaining}</dd>
                </dl>
            }
            .into_any(),
        };
        view! {
            <h2>
                {tf(l, StaffKey::QuotaFor, &[&region_name(region, l), &view.year.to_string()])}
            </h2>
            {numbers}
            <form class="quota-form" novalidate on:submit=save aria-busy=move || busy.get().to_string()>
                <ErrorSummary errors/>
                <TextField
                    errors
                    field="quota"
                    label=t(l, StaffKey::NewQuota).to_string()
                    hint=t(l, StaffKey::NewQuotaHint).to_string()
                    value=quota_text
                    kind="number"
                    inputmode="numeric"
                    autocomplete="off"
                />
                <button
                    type="submit"
                    class="button"
                    id="save-quota"
                    aria-disabled=move || busy.get().then_some("true")
                >
                    {move || busy_label(lang.get(), busy.get(), t(lang.get(), StaffKey::Save))}
                </button>
            </form>
        }
        .into_any()
    };

    view! {
        <h1>{move || t(lang.get(), StaffKey::QuotaTitle)}</h1>
        <form class="filters" on:submit=choose>
            <div class="field">
                <label for="year">{move || t(lang.get(), StaffKey::LabelYear)}</label>
                <select
                    id="year"
                    name="year"
                    class="narrow"
                    on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() {
                            year_choice.set(y);
                        }
                    }
                >
                    {year_options}
                </select>
            </div>
            {admin
                .then(|| {
                    view! {
                        <div class="field">
                            <label for="region">
                                {move || t(lang.get(), StaffKey::LabelRegion)}
                            </label>
                            <RegionSelect
                                id="region"
                                selected=region_choice
                                none=StaffKey::ChooseRegion
                            />
                        </div>
                    }
                })}
            <button type="submit" class="button button-secondary">
                {move || t(lang.get(), StaffKey::Show)}
            </button>
        </form>
        {editor}
        <p id="quota-status" class="status" role="status">
            {move || announcement.get()}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_officer_always_sees_their_own_region() {
        let v = QuotaView::from_query(
            Some("2027"),
            Some("pavlodar"),
            2026,
            Some(Region::NorthKazakhstan),
        );
        assert_eq!(
            v,
            QuotaView {
                year: 2027,
                region: Some(Region::NorthKazakhstan)
            }
        );
        assert_eq!(v.address(), "quota?year=2027&region=north_kazakhstan");
    }

    #[test]
    fn an_admin_names_a_destination_region_and_a_valid_year() {
        let north = Region::NorthKazakhstan;
        let v = QuotaView::from_query(Some("2027"), Some(north.id()), 2026, None);
        assert_eq!(v.region, Some(north));
        let none = QuotaView::from_query(Some("1999"), Some("mars"), 2026, None);
        assert_eq!(
            none,
            QuotaView {
                year: 2026,
                region: None
            }
        );
        assert_eq!(none.address(), "quota?year=2026");
        // Origin regions have no quota to set.
        let origin = Region::ALL
            .into_iter()
            .find(|r| !Policy::current().is_destination(*r))
            .unwrap();
        assert_eq!(
            QuotaView::from_query(None, Some(origin.id()), 2026, None).region,
            None
        );
    }

    #[test]
    fn the_request_is_built_and_checked() {
        assert_eq!(
            quota_path(Region::NorthKazakhstan, 2026),
            "/quotas/north_kazakhstan/2026"
        );
        assert_eq!(
            quota_request(" 250 ", Lang::En),
            Ok(SetQuota { quota: 250 })
        );
        assert_eq!(quota_request("0", Lang::En), Ok(SetQuota { quota: 0 }));
        for bad in ["", "-1", "2.5", "1000001", "many"] {
            assert!(quota_request(bad, Lang::En).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_year_shown_is_among_the_choices() {
        assert_eq!(year_choices(2026, 2026), [2025, 2026, 2027]);
        assert_eq!(year_choices(2026, 2030), [2025, 2026, 2027, 2030]);
    }
}
