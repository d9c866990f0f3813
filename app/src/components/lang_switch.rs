//! Links to the same page in the other languages. The choice is remembered for the next
//! visit to `/`.

use crate::{
    browser,
    i18n::{lang_name, tr, Key},
    path_in_lang, use_lang,
};
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::Lang;

#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = use_lang();
    let pathname = use_location().pathname;
    let links = Lang::ALL
        .into_iter()
        .map(|l| {
            view! {
                <li>
                    <a
                        href=move || pathname.with(|p| path_in_lang(p, l))
                        hreflang=l.code()
                        lang=l.code()
                        aria-current=move || (lang.get() == l).then_some("true")
                        on:click=move |_| browser::store_lang(l)
                    >
                        {lang_name(l)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="lang-switch" aria-label=tr(Key::LangSwitchLabel)>
            <ul>{links}</ul>
        </nav>
    }
}
