//! Vacancy search: filters, a page of open vacancies, and paging. The filters and the page
//! live in the address's query (`?region=…&page=2`), so a reload or a shared link shows
//! the same search.

use super::{browser, query_value};
use crate::{
    client,
    forms::{described_by, ErrorSummary, FieldError, FormErrors, TextField},
    i18n::{t, tf, AccountKey},
    portal::encode_component,
    use_lang,
};
use leptos::{prelude::*, task::spawn_local};
use shared::{
    api::Settlement,
    vacancy::{Vacancy, VacancyList},
    Lang, Policy, Region,
};

/// The id of the element the search is mounted into.
pub const ROOT_ID: &str = "vacancy-search";

/// Vacancies a page.
pub const PER_PAGE: u32 = 10;

/// The filters, by their API names (also the query's and the fields' names).
const FIELDS: [&str; 4] = ["region", "settlement", "salary_from", "housing"];

/// A search: each filter's value as the API takes it (empty: any), and the page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filters {
    values: [String; 4],
    /// From 1.
    pub page: u32,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            values: Default::default(),
            page: 1,
        }
    }
}

impl Filters {
    /// The search in a query string; unknown choices are dropped, as if not chosen.
    pub fn from_query(search: &str) -> Filters {
        let mut filters = Filters::default();
        for field in FIELDS {
            if let Some(value) = query_value(search, field) {
                filters.set(field, &value);
            }
        }
        filters.page = query_value(search, "page")
            .and_then(|p| p.parse().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        filters
    }

    /// The value of the filter `field` (empty: any).
    pub fn get(&self, field: &str) -> &str {
        FIELDS
            .iter()
            .position(|f| *f == field)
            .map_or("", |i| &self.values[i])
    }

    /// Sets the filter `field`; a choice the API does not know means any. The salary is
    /// kept as typed: the server says what is wrong with it.
    pub fn set(&mut self, field: &str, value: &str) {
        let value = value.trim();
        let known = match field {
            "region" => Region::from_id(value).is_some(),
            "settlement" => settlement_from_id(value).is_some(),
            "housing" => matches!(value, "true" | "false"),
            _ => true,
        };
        if let Some(i) = FIELDS.iter().position(|f| *f == field) {
            self.values[i] = if known {
                value.to_string()
            } else {
                String::new()
            };
        }
    }

    fn params(&self) -> Vec<String> {
        FIELDS
            .iter()
            .zip(&self.values)
            .filter(|(_, value)| !value.is_empty())
            .map(|(field, value)| format!("{field}={}", encode_component(value)))
            .collect()
    }

    /// The search as the page address's query, without the `?`; empty for the first page
    /// of everything.
    pub fn to_query(&self) -> String {
        let mut params = self.params();
        if self.page > 1 {
            params.push(format!("page={}", self.page));
        }
        params.join("&")
    }

    /// The API call for this search.
    pub fn api_path(&self) -> String {
        let mut params = self.params();
        params.push(format!("page={}&per_page={PER_PAGE}", self.page));
        format!("/vacancies?{}", params.join("&"))
    }
}

/// The API's name of a settlement type.
pub fn settlement_id(settlement: Settlement) -> &'static str {
    match settlement {
        Settlement::Urban => "urban",
        Settlement::Rural => "rural",
    }
}

fn settlement_from_id(id: &str) -> Option<Settlement> {
    [Settlement::Urban, Settlement::Rural]
        .into_iter()
        .find(|s| settlement_id(*s) == id)
}

fn settlement_name(settlement: Settlement, lang: Lang) -> &'static str {
    t(
        lang,
        match settlement {
            Settlement::Urban => AccountKey::SettlementUrban,
            Settlement::Rural => AccountKey::SettlementRural,
        },
    )
}

/// How many pages `total` items fill.
pub fn page_count(total: u64, per_page: u32) -> u64 {
    total.div_ceil(u64::from(per_page.max(1))).max(1)
}

/// The address of one vacancy's page.
pub fn vacancy_path(lang: Lang, id: i64) -> String {
    format!("/{}/vacancy?id={id}", lang.code())
}

/// Where a vacancy is, what it pays and offers, as term–value pairs.
pub fn facts(v: &Vacancy, lang: Lang) -> impl IntoView {
    let housing = if v.housing_provided {
        AccountKey::HousingProvided
    } else {
        AccountKey::HousingNotProvided
    };
    let rows = [
        (
            AccountKey::FilterRegion,
            Policy::current().region_name(v.region, lang).to_string(),
        ),
        (
            AccountKey::FilterSettlement,
            settlement_name(v.settlement, lang).to_string(),
        ),
        (
            AccountKey::FactSalary,
            tf(
                lang,
                AccountKey::SalaryValue,
                &[&v.monthly_salary.grouped()],
            ),
        ),
        (AccountKey::FactPlaces, v.places.to_string()),
        (AccountKey::FilterHousing, t(lang, housing).to_string()),
    ];
    let rows = rows
        .into_iter()
        .map(|(term, value)| {
            view! {
                <div>
                    <dt>{t(lang, term)}</dt>
                    <dd>{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="vacancy-facts">{rows}</dl> }
}

/// A filter chosen from a list; `options` are (value, text), the first being "any".
#[component]
fn FilterSelect(
    errors: FormErrors,
    filters: RwSignal<Filters>,
    field: &'static str,
    label: &'static str,
    options: Vec<(&'static str, &'static str)>,
) -> impl IntoView {
    let chosen = filters.with_untracked(|f| f.get(field).to_string());
    let options = options
        .into_iter()
        .map(|(value, text)| view! { <option value=value selected=value == chosen>{text}</option> })
        .collect_view();
    view! {
        <div class="field">
            <label for=field>{label}</label>
            <FieldError errors field/>
            <select
                id=field
                name=field
                aria-invalid=move || errors.for_field(field).map(|_| "true")
                aria-describedby=described_by(errors, field, false)
                on:change=move |ev| filters.update(|f| f.set(field, &event_target_value(&ev)))
            >
                {options}
            </select>
        </div>
    }
}

/// What the results area shows.
#[derive(Clone)]
enum Results {
    Loading,
    Loaded(VacancyList),
    /// The problem is in the form's summary.
    Failed,
}

/// The filters and the results, starting with the search `filters`.
#[component]
pub fn VacancySearch(#[prop(optional)] filters: Filters) -> impl IntoView {
    let lang = use_lang().current.get_untracked();
    let path = format!("/{}/vacancies", lang.code());
    let errors = FormErrors::new();
    let salary = RwSignal::new(filters.get("salary_from").to_string());
    let form = RwSignal::new(filters.clone());
    // The search the results are for, which paging continues.
    let shown = StoredValue::new(filters);
    let results = RwSignal::new(Results::Loading);
    let busy = move || results.with(|r| matches!(r, Results::Loading));

    // `focus`: after paging, the results' heading takes the focus, so keyboard and screen
    // reader users start reading the new page from its top.
    let search = move |filters: Filters, focus: bool| {
        results.set(Results::Loading);
        errors.clear();
        browser::replace_query(&path, &filters.to_query());
        let call = filters.api_path();
        shown.set_value(filters);
        spawn_local(async move {
            match client::get::<VacancyList>(&call, lang).await {
                Ok(list) => {
                    results.set(Results::Loaded(list));
                    if focus {
                        request_animation_frame(|| crate::browser::focus("vacancy-count", true));
                    }
                }
                Err(failure) => {
                    errors.show(&failure, lang);
                    results.set(Results::Failed);
                }
            }
        });
    };
    let search = StoredValue::new(search);
    // In an effect, so it runs in the browser only, never while pre-rendering.
    Effect::new(move |_| search.with_value(|s| s(shown.get_value(), false)));
    let can_start = move || !results.with_untracked(|r| matches!(r, Results::Loading));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if can_start() {
            form.update(|f| {
                f.set("salary_from", &salary.get_untracked());
                f.page = 1;
            });
            search.with_value(|s| s(form.get_untracked(), false));
        }
    };
    let go_to = move |page: u32| {
        if can_start() {
            let filters = Filters {
                page,
                ..shown.get_value()
            };
            search.with_value(|s| s(filters, true));
        }
    };

    let policy = Policy::current();
    let any = |key| ("", t(lang, key));
    let regions = std::iter::once(any(AccountKey::AnyRegion))
        .chain(
            policy
                .destinations()
                .map(|r| (r.id(), policy.region_name(r, lang))),
        )
        .collect();
    let settlements = std::iter::once(any(AccountKey::AnySettlement))
        .chain(
            [Settlement::Urban, Settlement::Rural]
                .map(|s| (settlement_id(s), settlement_name(s, lang))),
        )
        .collect();
    let housing = vec![
        any(AccountKey::AnyHousing),
        ("true", t(lang, AccountKey::HousingWith)),
        ("false", t(lang, AccountKey::HousingWithout)),
    ];

    let list = move || match results.get() {
        Results::Loading => {
            view! { <p class="status">{t(lang, AccountKey::LoadingVacancies)}</p> }.into_any()
        }
        Results::Failed => ().into_any(),
        Results::Loaded(list) => {
            let pages = page_count(list.total, list.per_page);
            let page = u64::from(list.page);
            let found = tf(lang, AccountKey::VacanciesFound, &[&list.total.to_string()]);
            // One button type for both directions.
            let turn = move |to: u32, key| {
                view! {
                    <button type="button" class="button button-secondary" on:click=move |_| go_to(to)>
                        {t(lang, key)}
                    </button>
                }
            };
            let items = list
                .items
                .iter()
                .map(|v| {
                    view! {
                        <li class="card vacancy-item">
                            <h3>
                                <a href=vacancy_path(lang, v.id)>{v.title.clone()}</a>
                            </h3>
                            <p>{v.organisation.clone()}</p>
                            {facts(v, lang)}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <h2 id="vacancy-count" tabindex="-1">{found}</h2>
                {(list.total == 0).then(|| view! { <p>{t(lang, AccountKey::NoVacancies)}</p> })}
                <ul class="vacancy-list">{items}</ul>
                {(pages > 1)
                    .then(|| {
                        view! {
                            <div class="pager">
                                {(page > 1).then(|| turn(list.page - 1, AccountKey::PreviousPage))}
                                <p>
                                    {tf(
                                        lang,
                                        AccountKey::PageOf,
                                        &[&page.to_string(), &pages.to_string()],
                                    )}
                                </p>
                                {(page < pages).then(|| turn(list.page + 1, AccountKey::NextPage))}
                            </div>
                        }
                    })}
            }
            .into_any()
        }
    };

    view! {
        <form
            class="filters"
            role="search"
            aria-label=t(lang, AccountKey::SearchLabel)
            method="get"
            novalidate
            on:submit=submit
        >
            <ErrorSummary errors/>
            <FilterSelect
                errors
                filters=form
                field="region"
                label=t(lang, AccountKey::FilterRegion)
                options=regions
            />
            <FilterSelect
                errors
                filters=form
                field="settlement"
                label=t(lang, AccountKey::FilterSettlement)
                options=settlements
            />
            <TextField
                errors
                field="salary_from"
                label=t(lang, AccountKey::FilterSalaryFrom).to_string()
                hint=t(lang, AccountKey::SalaryHint).to_string()
                value=salary
                kind="number"
                inputmode="numeric"
                autocomplete="off"
            />
            <FilterSelect
                errors
                filters=form
                field="housing"
                label=t(lang, AccountKey::FilterHousing)
                options=housing
            />
            <button type="submit" class="button" aria-disabled=move || busy().then_some("true")>
                {t(lang, AccountKey::SearchButton)}
            </button>
        </form>
        <div id="vacancy-results" aria-live="polite" aria-busy=move || busy().then_some("true")>
            {list}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_goes_to_the_address_and_back() {
        let mut filters = Filters::default();
        assert_eq!(filters.to_query(), "");
        assert_eq!(filters.api_path(), "/vacancies?page=1&per_page=10");
        filters.set("region", "north_kazakhstan");
        filters.set("settlement", "rural");
        filters.set("salary_from", " 200000 ");
        filters.set("housing", "true");
        filters.page = 3;
        let query = filters.to_query();
        assert_eq!(
            query,
            "region=north_kazakhstan&settlement=rural&salary_from=200000&housing=true&page=3"
        );
        assert_eq!(Filters::from_query(&format!("?{query}")), filters);
        assert_eq!(
            filters.api_path(),
            "/vacancies?region=north_kazakhstan&settlement=rural&salary_from=200000\
             &housing=true&page=3&per_page=10"
        );
        // The first page is the default, and is left out of the address.
        filters.page = 1;
        assert!(!filters.to_query().contains("page"));
    }

    #[test]
    fn unknown_choices_mean_any_and_typed_salaries_are_kept() {
        let filters =
            Filters::from_query("?region=atlantis&settlement=moon&housing=maybe&page=0&x=1");
        assert_eq!(filters, Filters::default());
        // What the form sends before the app is ready: every field, most of them empty.
        let filters = Filters::from_query("?region=&settlement=urban&salary_from=1+000&housing=");
        assert_eq!(filters.get("settlement"), "urban");
        assert_eq!(filters.get("region"), "");
        assert_eq!(filters.get("salary_from"), "1 000");
        assert_eq!(filters.to_query(), "settlement=urban&salary_from=1%20000");
        assert_eq!(Filters::from_query(&filters.to_query()), filters);
    }

    #[test]
    fn pages_are_counted() {
        assert_eq!(page_count(0, 10), 1);
        assert_eq!(page_count(10, 10), 1);
        assert_eq!(page_count(11, 10), 2);
        assert_eq!(page_count(5, 0), 5);
    }
}
