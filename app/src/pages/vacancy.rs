//! One vacancy's page (`?id=` in the address). The vacancy is the detail island
//! (`account::vacancy`), pre-rendered here as a heading and a loading status.

use crate::{
    account::vacancy::{VacancyDetail, ROOT_ID},
    i18n::{t, AccountKey},
    pages::not_found::NotFound,
    use_lang,
};
use leptos::prelude::*;

#[component]
pub fn VacancyPage() -> impl IntoView {
    let lang = use_lang();
    move || match lang.from_url.get() {
        Some(l) => view! {
            <div class="wrap page">
                <noscript>
                    <p class="notice notice-warning">{t(l, AccountKey::VacancyNeedsJs)}</p>
                </noscript>
                <div id=ROOT_ID>
                    <VacancyDetail id=None/>
                </div>
                <p>
                    <a href=format!("/{}/vacancies", l.code())>{t(l, AccountKey::BackToSearch)}</a>
                </p>
            </div>
        }
        .into_any(),
        None => view! { <NotFound/> }.into_any(),
    }
}
