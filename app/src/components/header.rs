//! Site header: skip link, name, main navigation and the language switcher.

use crate::{
    components::lang_switch::LangSwitch,
    i18n::{tr, PageKey},
    use_lang,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

#[component]
pub fn Header() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let home = move || format!("/{}/", lang.get().code());
    let check = move || format!("/{}/check", lang.get().code());
    let vacancies = move || format!("/{}/vacancies", lang.get().code());
    // Sign-in leads on to the account; the account pages themselves are another bundle.
    let account = move || format!("/{}/login", lang.get().code());
    // `aria-current="page"` on the link to the page being shown.
    let current = move |href: String| {
        pathname.with(|p| p.trim_end_matches('/') == href.trim_end_matches('/'))
    };

    view! {
        <header class="site-header">
            <a class="skip-link" href="#main">
                {tr(PageKey::SkipToContent)}
            </a>
            <div class="wrap header-row">
                <a class="brand" href=home>
                    <span class="brand-name">"Qonys"</span>
                    <span class="brand-tagline">{tr(PageKey::SiteTagline)}</span>
                </a>
                <LangSwitch/>
            </div>
            <nav class="wrap main-nav" aria-label=tr(PageKey::NavLabel)>
                <ul>
                    <li>
                        <a href=home aria-current=move || current(home()).then_some("page")>
                            {tr(PageKey::NavHome)}
                        </a>
                    </li>
                    <li>
                        <a href=check aria-current=move || current(check()).then_some("page")>
                            {tr(PageKey::NavCheck)}
                        </a>
                    </li>
                    <li>
                        <a
                            href=vacancies
                            aria-current=move || current(vacancies()).then_some("page")
                        >
                            {tr(PageKey::NavVacancies)}
                        </a>
                    </li>
                    <li>
                        <a href=account aria-current=move || current(account()).then_some("page")>
                            {tr(PageKey::NavAccount)}
                        </a>
                    </li>
                </ul>
            </nav>
        </header>
    }
}
