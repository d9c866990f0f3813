//! The vacancy search page. Filters and results are the search island
//! (`account::vacancies`), pre-rendered here with no filter chosen and a loading status.

use crate::{
    account::vacancies::{VacancySearch, ROOT_ID},
    i18n::{t, AccountKey, PageKey},
    pages::not_found::NotFound,
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn VacanciesPage() -> impl IntoView {
    let lang = use_lang();
    move || match lang.from_url.get() {
        Some(l) => view! {
            <div class="wrap page">
                <h1>{t(l, PageKey::VacanciesTitle)}</h1>
                <noscript>
                    <p class="notice notice-warning">{t(l, AccountKey::VacanciesNeedsJs)}</p>
                </noscript>
                <div id=ROOT_ID>
                    <VacancySearch/>
                </div>
            </div>
        }
        .into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
